"""The command line, end to end: demo, export, import, check, backup, restore."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import update

from app.__main__ import main
from app.domain import clock
from app.services.procedure import board
from app.store.database import Database
from app.store.models import Meeting, Organization


def sheets(path: Path) -> dict[str, list[tuple[object, ...]]]:
    workbook = load_workbook(path)
    try:
        return {s.title: list(s.iter_rows(values_only=True)) for s in workbook.worksheets}
    finally:
        workbook.close()


def run(*argv: str) -> int:
    return main(list(argv))


def test_demo_export_import_export_gives_the_same_workbook(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    x, y = tmp_path / "X.sqlite", tmp_path / "Y.sqlite"
    a, b = tmp_path / "A.xlsx", tmp_path / "B.xlsx"
    assert run("demo", "--db", str(x)) == 0
    assert run("export", "members", str(a), "--db", str(x)) == 0
    assert run("import", "members", str(a), "--db", str(y)) == 0
    assert run("export", "members", str(b), "--db", str(y)) == 0
    out = capsys.readouterr().out
    assert "Đã tạo dữ liệu mẫu" in out and "Đã nhập" in out
    first, second = sheets(a), sheets(b)
    assert first == second
    members = first["Đảng viên"]
    assert members[0][:3] == ("Mã", "Họ và tên", "Ngày sinh")
    assert 550 <= len(members) - 1 <= 650
    assert len(first["Tổ chức"]) - 1 == 36  # the commune and its 35 cells
    # Every kind of record the format carries made the trip.
    columns = list(zip(*members[1:], strict=True))
    header = members[0]
    for title in ("Ngày chính thức", "Chức vụ Đảng", "Chức vụ khác"):
        assert any(columns[header.index(title)]), title
    assert None in columns[header.index("Ngày chính thức")]  # probationary members
    # Exemptions travel in the periods sheet (the only place they are written now).
    kinds = {row[1] for row in first["Thời gian"][1:]}
    assert "Miễn sinh hoạt" in kinds, kinds


def test_a_bad_workbook_imports_nothing_and_names_every_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    x, y = tmp_path / "X.sqlite", tmp_path / "Y.sqlite"
    good, bad = tmp_path / "good.xlsx", tmp_path / "bad.xlsx"
    run("demo", "--db", str(x))
    run("export", "members", str(good), "--db", str(x))
    run("import", "members", str(good), "--db", str(y))
    workbook = load_workbook(good)
    sheet = workbook["Đảng viên"]
    header = [c.value for c in sheet[1]]
    birth, cell, code = (header.index(t) + 1 for t in ("Ngày sinh", "Mã chi bộ", "Mã"))
    sheet.cell(row=5, column=birth).value = "31/02/1980"
    sheet.cell(row=9, column=cell).value = "CB99"
    sheet.cell(row=12, column=code).value = sheet.cell(row=3, column=code).value
    sheet.cell(row=12, column=2).value = "Lò Văn Mới Tên"  # an edit that must not land
    workbook.save(bad)
    before = tmp_path / "before.xlsx"
    run("export", "members", str(before), "--db", str(y))
    capsys.readouterr()

    assert run("import", "members", str(bad), "--db", str(y)) == 2
    err = capsys.readouterr().err
    assert "có 3 lỗi, chưa nhập gì cả" in err
    assert "dòng 5, cột “Ngày sinh”: “31/02/1980” không phải ngày có thật" in err
    assert "dòng 9, cột “Mã chi bộ”: không có chi bộ mã “CB99”" in err
    assert "dòng 12, cột “Mã”" in err and "trùng với dòng 3" in err

    after = tmp_path / "after.xlsx"
    run("export", "members", str(after), "--db", str(y))
    assert sheets(before) == sheets(after)


def test_export_on_an_empty_database_writes_the_template(tmp_path: Path, db_path: Path) -> None:
    template = tmp_path / "mau.xlsx"
    assert run("export", "members", str(template), "--db", str(db_path)) == 0
    content = sheets(template)
    assert content["Tổ chức"] == [("Mã", "Tên", "Loại", "Mã cấp trên", "Địa danh",
                                   "Dòng cấp trên", "Ngày thành lập")]  # fmt: skip
    assert content["Đảng viên"][0][:5] == ("Mã", "Họ và tên", "Ngày sinh", "Giới tính", "Mã chi bộ")
    assert len(content["Đảng viên"]) == 1
    assert "Hướng dẫn" in content


def test_a_second_process_is_refused_with_a_clear_message(tmp_path: Path, demo_path: Path) -> None:
    with Database.open(demo_path):
        result = subprocess.run(
            [sys.executable, "-m", "app", "export", "members", str(tmp_path / "o.xlsx"),
             "--db", str(demo_path)],
            capture_output=True, text=True, encoding="utf-8", timeout=120,
        )  # fmt: skip
    assert result.returncode == 2
    assert "đang được mở bởi một chương trình DanhGia khác" in result.stderr
    assert not (tmp_path / "o.xlsx").exists()


def test_check_backup_restore(
    tmp_path: Path, demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("check", "--db", str(demo_path)) == 0
    assert "Kết quả: tốt." in capsys.readouterr().out
    copy = tmp_path / "copy.sqlite"
    assert run("backup", str(copy), "--db", str(demo_path)) == 0
    assert run("restore", str(copy), "--db", str(demo_path)) == 0
    out = capsys.readouterr().out
    assert "Dữ liệu cũ đã được sao lưu vào" in out and "Đã khôi phục" in out


def test_check_reports_a_damaged_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "broken.sqlite"
    path.write_bytes(b"\x00" * 8192)
    assert run("check", "--db", str(path)) == 1
    assert "LỖI: Tệp không phải cơ sở dữ liệu SQLite" in capsys.readouterr().out


def test_usage_errors_are_vietnamese(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        run("import", "members")
    assert caught.value.code == 2
    assert "thiếu tham số bắt buộc" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        run("demo", "--size", "tinh")
    assert "lựa chọn không hợp lệ" in capsys.readouterr().err


def test_demo_refuses_a_database_that_has_data(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("demo", "--db", str(demo_path)) == 2
    assert "đã có dữ liệu" in capsys.readouterr().err


def test_import_of_a_file_that_is_not_excel(
    tmp_path: Path, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = tmp_path / "ds.xlsx"
    fake.write_text("Mã;Họ và tên\n", encoding="utf-8")
    assert run("import", "members", str(fake), "--db", str(db_path)) == 2
    assert "không phải tệp Excel .xlsx hợp lệ" in capsys.readouterr().err


def test_check_documents_reads_a_cell_back_and_names_a_corrupted_record(
    full_demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`danhgia check --documents`: the cell's papers agree; once its meeting is recorded in
    the future, the line names the document, the page and the fact, and the exit code is 1."""
    year = clock.today().year - 1
    with Database.open(full_demo_path) as db:
        cell = board.board(db, year)[0]
        with db.session() as session:
            org = session.get(Organization, cell.cell_id)
            assert org is not None
            code = org.code
    args = (
        "check",
        "--documents",
        "--year",
        str(year),
        "--unit",
        code,
        "--db",
        str(full_demo_path),
    )
    assert run(*args) == 0
    out = capsys.readouterr().out
    assert "Đã đọc lại 3 văn bản của 1 chi bộ đã họp" in out
    assert "Kết quả: các văn bản khớp nhau và khớp với hồ sơ." in out
    later = clock.today() + dt.timedelta(days=10)
    with Database.open(full_demo_path) as db, db.session() as session, session.begin():
        session.execute(update(Meeting).values(held_on=later))
    assert run(*args) == 1
    out = capsys.readouterr().out
    assert (
        f"KHÔNG KHỚP: Biên bản hội nghị chi bộ – {cell.cell_name}, trang 1: ngày họp "
        f"{later:%d/%m/%Y} sau ngày hôm nay"
    ) in out
