"""`danhgia summary` in its three formats, and `import results` / `export results`."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from pypdf import PdfReader

from app.__main__ import main
from app.services import summary
from app.services.demo_history import add_history
from app.store.database import Database


@pytest.fixture
def history(demo_path: Path) -> Path:
    with Database.open(demo_path) as db:
        add_history(db, [2016, 2017], seed=4)
    return demo_path


def _pdf_text(path: Path) -> str:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    return re.sub(r"\s+", " ", text.replace("\u00a0", " "))


def test_text_to_the_screen(history: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["summary", "--year", "2017", "--db", str(history)]) == 0
    out = capsys.readouterr().out
    with Database.open(history) as db:
        s = summary.summarize(db, 2017)
    assert "BIỂU TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG NĂM 2017" in out
    assert "Đảng bộ xã Na Tông — theo Hướng dẫn 27-HD/BTCTW" in out
    assert "So sánh với năm 2016." in out
    tsvm = s.organisations.levels[0]  # type: ignore[union-attr]
    assert re.search(rf"- Trong sạch, vững mạnh \(TSVM\) +{tsvm.count} +{tsvm.share}", out)
    assert re.search(rf"trong đó: TSVM tiêu biểu +{tsvm.of_which.count}", out)  # type: ignore[union-attr]
    total = f"{s.members.total:,}".replace(",", ".")
    assert re.search(rf"^Tổng số +{re.escape(total)} ", out, re.MULTILINE)
    assert "Tỷ lệ đảng viên HTXSNV so với số đảng viên HTTNV: " in out
    assert "III. CHI TIẾT THEO TỔ CHỨC ĐẢNG TRỰC THUỘC" in out
    for entry in s.screening:
        assert f"{entry.full_name} (mã {entry.code}) — {entry.cell_name}" in out


def test_text_of_a_cell_to_a_file(history: Path, tmp_path: Path) -> None:
    target = tmp_path / "chi-bo.txt"
    code = main(
        ["summary", "--year", "2017", "--unit", "CB05", "-o", str(target), "--db", str(history)]
    )
    assert code == 0
    text = target.read_text("utf-8")
    assert "Chi bộ bản" in text.splitlines()[1] and "I. ĐẢNG VIÊN" in text
    assert "TỔ CHỨC ĐẢNG TRỰC THUỘC" not in text


def test_pdf(history: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "tong-hop.pdf"
    assert (
        main(
            [
                "summary",
                "--year",
                "2017",
                "--format",
                "pdf",
                "-o",
                str(target),
                "--db",
                str(history),
            ]
        )
        == 0
    )
    assert f"ra {target}" in capsys.readouterr().out
    text = _pdf_text(target)
    with Database.open(history) as db:
        s = summary.summarize(db, 2017)
    assert "BIỂU TỔNG HỢP" in text and "(Đảng bộ xã Na Tông)" in text
    assert "ĐẢNG ỦY XÃ NA TÔNG" in text and "ĐẢNG BỘ TỈNH ĐIỆN BIÊN" in text
    assert "Năm 2017" in text and "Năm 2016" in text
    tsvm = s.organisations.levels[0]  # type: ignore[union-attr]
    assert f"Trong sạch, vững mạnh (TSVM) {tsvm.count} {tsvm.share}" in text
    assert f"+ trong đó: TSVM tiêu biểu {tsvm.of_which.count}" in text  # type: ignore[union-attr]
    httnv = s.members.level("HTTNV")
    assert httnv is not None
    assert f"Hoàn thành tốt nhiệm vụ (HTTNV) {httnv.count} {httnv.share}" in text
    assert "CHI TIẾT THEO TỔ CHỨC ĐẢNG TRỰC THUỘC" in text
    for entry in s.screening:
        assert entry.full_name in text


def test_xlsx(history: Path, tmp_path: Path) -> None:
    target = tmp_path / "tong-hop.xlsx"
    assert (
        main(
            [
                "summary",
                "--year",
                "2017",
                "--format",
                "xlsx",
                "-o",
                str(target),
                "--db",
                str(history),
            ]
        )
        == 0
    )
    with Database.open(history) as db:
        s = summary.summarize(db, 2017)
    workbook = load_workbook(target)
    assert workbook.sheetnames == ["Tổng hợp", "Chi tiết", "Sàng lọc"]
    rows = [list(r) for r in workbook["Tổng hợp"].iter_rows(values_only=True)]
    assert ["Chỉ tiêu", "Năm 2017", "Tỷ lệ", "Năm 2016", "Tỷ lệ", "Tăng (+), giảm (−)"] in rows
    httnv = s.members.level("HTTNV")
    assert httnv is not None
    row = next(
        r for r in rows if r[0] == "  – Hoàn thành tốt nhiệm vụ (HTTNV)" and r[1] == httnv.count
    )
    assert row[2] == httnv.share and row[3] == httnv.previous and row[5] == (httnv.change or None)
    inner = s.organisations.levels[0].of_which  # type: ignore[union-attr]
    assert inner is not None
    assert ["      trong đó: TSVM tiêu biểu", inner.count, inner.share] in [r[:3] for r in rows]
    total_cell = workbook["Tổng hợp"]["B8"]
    assert total_cell.number_format.startswith("[>=1000000]")
    detail = list(workbook["Chi tiết"].iter_rows(values_only=True))
    assert detail[0][:4] == ("Mã", "Tổ chức đảng", "Đảng viên được xếp loại", "HTXSNV")
    assert len(detail) == 1 + 35
    screening = list(workbook["Sàng lọc"].iter_rows(values_only=True))
    assert [r[2] for r in screening[1:]] == [m.full_name for m in s.screening]


def test_pdf_without_an_output_name_goes_to_the_current_folder(
    history: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["summary", "--year", "2016", "--format", "pdf", "--db", str(history)]) == 0
    assert (tmp_path / "tong-hop-2016-XNT.pdf").exists()


def test_bad_input_exits_2(history: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["summary", "--year", "2020", "--db", str(history)]) == 2
    assert "Chưa có kỳ đánh giá năm 2020" in capsys.readouterr().err
    assert main(["summary", "--year", "2017", "--unit", "ZZZ", "--db", str(history)]) == 2
    assert "Không có tổ chức mã “ZZZ”" in capsys.readouterr().err


def test_export_and_import_results(
    history: Path, demo_template: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exported = tmp_path / "ket-qua.xlsx"
    assert main(["export", "results", str(exported), "--db", str(history)]) == 0
    assert "Đã xuất kết quả năm 2016, 2017" in capsys.readouterr().out
    copy = tmp_path / "copy.sqlite"
    copy.write_bytes(demo_template.read_bytes())
    assert main(["import", "results", str(exported), "--db", str(copy)]) == 0
    out = capsys.readouterr().out
    assert "Tệp hợp lệ:" in out and "tạo kỳ đánh giá mới" in out
    assert "Đã nhập kết quả năm 2016, 2017" in out

    one_year = tmp_path / "2017.xlsx"
    assert main(["export", "results", str(one_year), "--year", "2017", "--db", str(copy)]) == 0
    workbook = load_workbook(one_year)
    sheet = workbook["Đảng viên"]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[3].value == "Hoàn thành tốt nhiệm vụ")
    row[3].value = "Hoàn thành nhiệm vụ"
    number = row[0].row
    workbook.save(one_year)
    assert main(["import", "results", str(one_year), "--db", str(copy)]) == 2
    err = capsys.readouterr().err
    assert f"dòng {number}, cột “Xếp loại”" in err and "--replace" in err
    assert main(["import", "results", str(one_year), "--replace", "--db", str(copy)]) == 0
    out = capsys.readouterr().out
    assert "Hoàn thành tốt nhiệm vụ → Hoàn thành nhiệm vụ" in out and "ghi đè 1 kết quả" in out


def test_import_errors_are_listed(
    history: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Tổ chức"
    sheet.append(["Năm", "Mã", "Xếp loại"])
    sheet.append([2015, "CB01", "Xuất sắc"])
    workbook.save(tmp_path / "sai.xlsx")
    assert main(["import", "results", str(tmp_path / "sai.xlsx"), "--db", str(history)]) == 2
    err = capsys.readouterr().err
    assert "Trang “Tổ chức”, dòng 2, cột “Xếp loại”: “Xuất sắc” không phải mức xếp loại" in err


def test_export_without_a_database_writes_the_template(tmp_path: Path) -> None:
    target = tmp_path / "mau.xlsx"
    assert main(["export", "results", str(target), "--db", str(tmp_path / "chua-co.sqlite")]) == 0
    assert load_workbook(target).sheetnames == ["Đảng viên", "Tổ chức", "Hướng dẫn"]
