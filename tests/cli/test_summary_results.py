"""`danhgia summary` in its three formats, and `import results` / `export results`."""

from __future__ import annotations

import io
import re
import sqlite3
from collections import Counter
from contextlib import closing
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from pypdf import PdfReader

from app.__main__ import main
from app.domain.text import strip_diacritics
from app.services.demo.history import add_history
from app.store.database import Database


@pytest.fixture
def history(demo_path: Path) -> Path:
    with Database.open(demo_path) as db:
        add_history(db, [2016, 2017], seed=4)
    return demo_path


@dataclass(frozen=True)
class Raw:
    """A year's figures counted straight from the rows (plain SQL), not by the summary."""

    cells: int  # organisations under the commune
    cells_classified: int
    cell_levels: Counter[str]
    members: int
    members_classified: int
    member_levels: Counter[str]
    screening: list[tuple[str, str, str]]  # (name, code, cell): KHTNV this year and last


def _raw(path: Path, year: int) -> Raw:
    with closing(sqlite3.connect(path)) as connection:
        cells = connection.execute(
            "SELECT e.evaluated, e.decided_level FROM org_evaluations e "
            "JOIN evaluation_periods p ON p.id = e.period_id "
            "JOIN organizations o ON o.id = e.org_id "
            "WHERE p.year = ? AND e.subject = 'org' AND o.parent_id IS NOT NULL",
            (year,),
        ).fetchall()
        members = connection.execute(
            "SELECT e.evaluated, e.decided_level FROM member_evaluations e "
            "JOIN evaluation_periods p ON p.id = e.period_id WHERE p.year = ?",
            (year,),
        ).fetchall()
        screening = connection.execute(
            "SELECT m.full_name, m.code, o.name FROM member_evaluations now "
            "JOIN evaluation_periods pn ON pn.id = now.period_id AND pn.year = ? "
            "JOIN member_evaluations before ON before.member_id = now.member_id "
            "JOIN evaluation_periods pb ON pb.id = before.period_id AND pb.year = ? "
            "JOIN members m ON m.id = now.member_id JOIN organizations o ON o.id = now.org_id "
            "WHERE now.evaluated AND now.decided_level = 'KHTNV' "
            "AND before.decided_level = 'KHTNV' ORDER BY m.code",
            (year, year - 1),
        ).fetchall()
    return Raw(
        cells=len(cells),
        cells_classified=sum(1 for evaluated, _ in cells if evaluated),
        cell_levels=Counter(level for evaluated, level in cells if evaluated),
        members=len(members),
        members_classified=sum(1 for evaluated, _ in members if evaluated),
        member_levels=Counter(level for evaluated, level in members if evaluated),
        screening=screening,
    )


def _share(part: int, whole: int) -> str:
    """A share as the reports print it: two decimals rounded half up, trailing zeros dropped,
    with a comma (33,33%; 77,5%; 100%)."""
    hundredths = int((Decimal(part) * 10000 / Decimal(whole)).quantize(Decimal(1), ROUND_HALF_UP))
    units, fraction = divmod(hundredths, 100)
    decimals = f"{fraction:02d}".rstrip("0")
    return f"{units},{decimals}%" if decimals else f"{units}%"


def test_the_history_holds_what_the_tests_below_look_for(history: Path) -> None:
    """The figures below are counted from the rows; the demo's history gives them these
    values (seed 4): none of the loops and look-ups can pass on an empty year."""
    raw = _raw(history, 2017)
    assert (raw.cells, raw.cells_classified) == (35, 34)
    assert (raw.cell_levels["TSVM"], raw.cell_levels["TSVM_TB"]) == (6, 3)
    assert (raw.members, raw.members_classified) == (404, 387)
    assert raw.member_levels == Counter(HTXSNV=60, HTTNV=284, HTNV=33, KHTNV=10)
    assert [name for name, _code, _cell in raw.screening] == [
        "Lù Văn Thoan", "Vàng A Vừ", "Hoàng Minh Tuấn"
    ]  # fmt: skip
    assert _raw(history, 2016).member_levels["HTTNV"] == 264


def _pdf_text(path: Path) -> str:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    return re.sub(r"\s+", " ", text.replace("\u00a0", " "))


def test_text_to_the_screen(history: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["summary", "--year", "2017", "--db", str(history)]) == 0
    out = capsys.readouterr().out
    raw = _raw(history, 2017)
    assert "BIỂU TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG NĂM 2017" in out
    assert "Đảng bộ xã Na Tông — theo Hướng dẫn 27-HD/BTCTW" in out
    assert "So sánh với năm 2016." in out
    tsvm = raw.cell_levels["TSVM"] + raw.cell_levels["TSVM_TB"]  # tiêu biểu counts as TSVM
    share = _share(tsvm, raw.cells_classified)
    assert re.search(rf"- Trong sạch, vững mạnh \(TSVM\) +{tsvm} +{share}", out)
    assert re.search(rf"trong đó: TSVM tiêu biểu +{raw.cell_levels['TSVM_TB']}", out)
    assert re.search(rf"^Tổng số +{raw.members} ", out, re.MULTILINE)  # fewer than 1.000
    assert "Tỷ lệ đảng viên HTXSNV so với số đảng viên HTTNV: " in out
    assert "III. CHI TIẾT THEO TỔ CHỨC ĐẢNG TRỰC THUỘC" in out
    assert len(raw.screening) == 3
    for name, code, cell in raw.screening:
        assert f"{name} (mã {code}) — {cell}" in out


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
    raw = _raw(history, 2017)
    assert "BIỂU TỔNG HỢP" in text and "(Đảng bộ xã Na Tông)" in text
    assert "ĐẢNG ỦY XÃ NA TÔNG" in text and "ĐẢNG BỘ TỈNH ĐIỆN BIÊN" in text
    assert "Năm 2017" in text and "Năm 2016" in text
    tsvm = raw.cell_levels["TSVM"] + raw.cell_levels["TSVM_TB"]
    assert f"Trong sạch, vững mạnh (TSVM) {tsvm} {_share(tsvm, raw.cells_classified)}" in text
    assert f"+ trong đó: TSVM tiêu biểu {raw.cell_levels['TSVM_TB']}" in text
    httnv = raw.member_levels["HTTNV"]
    share = _share(httnv, raw.members_classified)
    assert f"Hoàn thành tốt nhiệm vụ (HTTNV) {httnv} {share}" in text
    assert "CHI TIẾT THEO TỔ CHỨC ĐẢNG TRỰC THUỘC" in text
    assert len(raw.screening) == 3
    for name, _code, _cell in raw.screening:
        assert name in text


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
    raw, before = _raw(history, 2017), _raw(history, 2016)
    workbook = load_workbook(target)
    assert workbook.sheetnames == ["Tổng hợp", "Chi tiết", "Sàng lọc"]
    rows = [list(r) for r in workbook["Tổng hợp"].iter_rows(values_only=True)]
    assert ["Chỉ tiêu", "Năm 2017", "Tỷ lệ", "Năm 2016", "Tỷ lệ", "Tăng (+), giảm (−)"] in rows
    httnv, httnv_before = raw.member_levels["HTTNV"], before.member_levels["HTTNV"]
    members_part = rows[rows.index(["Đảng viên", None, None, None, None, None]) :]
    row = next(r for r in members_part if r[0] == "  – Hoàn thành tốt nhiệm vụ (HTTNV)")
    assert row == [
        "  – Hoàn thành tốt nhiệm vụ (HTTNV)",
        httnv,
        _share(httnv, raw.members_classified),
        httnv_before,
        _share(httnv_before, before.members_classified),
        f"+{httnv - httnv_before}",  # 284 against 264
    ]
    exemplary = raw.cell_levels["TSVM_TB"]
    assert [
        "      trong đó: TSVM tiêu biểu",
        exemplary,
        _share(exemplary, raw.cells_classified),
    ] in [r[:3] for r in rows]
    total_cell = workbook["Tổng hợp"]["B8"]
    assert total_cell.value == raw.cells
    assert total_cell.number_format.startswith("[>=1000000]")
    detail = list(workbook["Chi tiết"].iter_rows(values_only=True))
    assert detail[0][:4] == ("Mã", "Tổ chức đảng", "Đảng viên được xếp loại", "HTXSNV")
    assert len(detail) == 1 + raw.cells
    screening = list(workbook["Sàng lọc"].iter_rows(values_only=True))
    # In Vietnamese name order: Thoan, Tuấn, Vừ.
    assert [r[2] for r in screening[1:]] == ["Lù Văn Thoan", "Hoàng Minh Tuấn", "Vàng A Vừ"]
    assert sorted((r[2], r[1], r[3]) for r in screening[1:]) == sorted(raw.screening)


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
    # 2017 is decided and locked: overwriting it also takes a reason to unlock it.
    assert main(["import", "results", str(one_year), "--replace", "--db", str(copy)]) == 2
    assert "--reopen" in capsys.readouterr().err
    reason = ("--reopen", "Sửa theo biên bản kiểm tra")
    assert main(["import", "results", str(one_year), "--replace", *reason, "--db", str(copy)]) == 0
    out = capsys.readouterr().out
    assert "Hoàn thành tốt nhiệm vụ → Hoàn thành nhiệm vụ" in out and "ghi đè 1 kết quả" in out
    assert "khóa lại" in out


def test_a_name_other_than_the_registry_s_needs_accept_names(
    history: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one_year = tmp_path / "2017.xlsx"
    assert main(["export", "results", str(one_year), "--year", "2017", "--db", str(history)]) == 0
    workbook = load_workbook(one_year)
    sheet = workbook["Đảng viên"]
    row = next(r for r in sheet.iter_rows(min_row=2) if strip_diacritics(r[2].value) != r[2].value)
    registry_name, code = row[2].value, row[1].value
    row[1].value = f" {code.lower()} "  # the code as a clerk may type it: still the same person
    row[2].value = strip_diacritics(registry_name)
    number = row[0].row
    workbook.save(one_year)
    capsys.readouterr()
    assert main(["import", "results", str(one_year), "--db", str(history)]) == 2
    err = capsys.readouterr().err
    assert f"dòng {number}, cột “Họ và tên”: mã {code} trong danh sách là {registry_name}" in err
    assert "--accept-names" in err
    assert main(["import", "results", str(one_year), "--accept-names", "--db", str(history)]) == 0
    out = capsys.readouterr().out
    assert "ghi cho người mang mã theo xác nhận" in out and "như đã xác nhận" in out


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
