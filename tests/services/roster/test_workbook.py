"""Reading the members workbook: headers, value forms, updates, and all-or-nothing errors."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import pytest
from openpyxl import Workbook

from app.domain import clock
from app.services.common.workbook import WorkbookError
from app.services.roster import members as member_service
from app.services.roster.workbook import import_members, plan_import
from app.store.database import Database

TODAY = clock.today()  # the session's day (tests/conftest.py)
ORG_HEADER = ["Mã", "Tên", "Loại", "Mã cấp trên", "Địa danh"]
MEMBER_HEADER = ["Mã", "Họ và tên", "Ngày sinh", "Giới tính", "Mã chi bộ", "Ngày vào Đảng",
                 "Ngày chính thức", "Chức vụ Đảng", "Chức vụ khác", "Đối tượng",
                 "Miễn sinh hoạt từ", "Số thẻ"]  # fmt: skip
ORGS = [
    ["XNT", "Đảng bộ xã Na Tông", "Đảng bộ", None, "Na Tông"],
    ["CB01", "Chi bộ bản Pá Có", "Chi bộ", "XNT", "Na Tông"],
    ["CB02", "Chi bộ bản Huổi Lóng", "chi bo", "XNT", None],
]


@pytest.fixture
def db(any_empty_db: Database) -> Database:
    """Each test here runs on a SQLite file and on a PostgreSQL server (tests/conftest.py)."""
    return any_empty_db


def member(code: str, name: str, cell: str = "CB01", **extra: object) -> list[object]:
    row: dict[str, object] = {
        "Mã": code, "Họ và tên": name, "Ngày sinh": dt.datetime(1970, 1, 5), "Giới tính": "Nam",
        "Mã chi bộ": cell, "Ngày vào Đảng": "19/05/1995", "Ngày chính thức": "19/05/1996",
        "Đối tượng": "2C",
    }  # fmt: skip
    row.update(extra)
    return [row.get(h) for h in MEMBER_HEADER]


def write(
    path: Path,
    members: list[list[object]],
    orgs: list[list[object]] = ORGS,
    member_header: list[str] = MEMBER_HEADER,
) -> Path:
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    first.title = "Tổ chức"
    first.append(ORG_HEADER)
    for row in orgs:
        first.append(row)
    second = workbook.create_sheet("Đảng viên")
    second.append(member_header)
    for row in members:
        second.append(row)
    workbook.save(path)
    return path


def test_headers_match_whatever_their_case_spacing_and_unicode_form(
    tmp_path: Path, db: Database
) -> None:
    header = [unicodedata.normalize("NFD", f"  {h.upper()} ") for h in MEMBER_HEADER]
    path = write(tmp_path / "a.xlsx", [member("DV1", "Lò Văn Pọm")], member_header=header)
    result = import_members(db, path, TODAY)
    assert (result.orgs_added, result.members_added) == (3, 1)


def test_dates_as_excel_dates_serial_numbers_or_text(tmp_path: Path, db: Database) -> None:
    rows = [
        member("DV1", "Lò Văn Pọm", **{"Ngày sinh": dt.datetime(1970, 1, 5)}),
        member("DV2", "Lò Thị Ín", **{"Ngày sinh": 25573.0}),  # 05/01/1970 as a serial
        member("DV3", "Cà Văn Xôm", **{"Ngày sinh": "5/1/1970"}),
    ]
    import_members(db, write(tmp_path / "a.xlsx", rows), TODAY)
    births = {r.code: r.birth_date for r in member_service.list_members(db, TODAY)}
    assert set(births.values()) == {dt.date(1970, 1, 5)}


def test_values_are_read_like_headers(tmp_path: Path, db: Database) -> None:
    rows = [member("DV1", "Giàng Thị Mỷ", **{"Giới tính": "nu", "Đối tượng": "2a",
                                             "Ngày chính thức": None})]  # fmt: skip
    import_members(db, write(tmp_path / "a.xlsx", rows), TODAY)
    [row] = member_service.list_members(db, TODAY)
    assert row.gender is not None and row.gender.label == "Nữ"
    assert row.form_category.value == "2A"
    assert row.is_probationary(TODAY)


def test_known_codes_update_and_a_new_cell_is_a_transfer(tmp_path: Path, db: Database) -> None:
    import_members(db, write(tmp_path / "a.xlsx", [member("DV1", "Lò Văn Pọm")]), TODAY)
    second = write(
        tmp_path / "b.xlsx",
        [member("DV1", "Lò Văn Pọm", "CB02", **{"Chức vụ Đảng": "Bí thư chi bộ"}),
         member("DV2", "Lò Thị Ín")],
    )  # fmt: skip
    plan = plan_import(db, second, TODAY)
    assert (plan.members_new, plan.members_existing) == (1, 1)
    import_members(db, second, TODAY)
    rows = {r.code: r for r in member_service.list_members(db, TODAY)}
    assert rows["DV1"].cell_name == "Chi bộ bản Huổi Lóng"
    assert rows["DV1"].party_post == "Bí thư chi bộ"
    assert len(rows) == 2


def test_missing_sheet_and_missing_required_column(tmp_path: Path, db: Database) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Đảng viên"
    sheet.append(["Mã", "Họ và tên"])
    path = tmp_path / "a.xlsx"
    workbook.save(path)
    with pytest.raises(WorkbookError) as caught:
        plan_import(db, path, TODAY)
    text = str(caught.value)
    assert "Trang “Tổ chức”: không có trang này trong tệp" in text
    assert "Trang “Đảng viên”, dòng 1, cột “Mã chi bộ”: thiếu cột này ở dòng tiêu đề" in text


def test_organisation_problems(tmp_path: Path, db: Database) -> None:
    orgs = [
        *ORGS,
        ["CB03", "Chi bộ trong chi bộ", "Chi bộ", "CB01", None],
        ["DB1", "Đảng bộ bộ phận A", "Đảng bộ bộ phận", "DB2", None],
        ["DB2", "Đảng bộ bộ phận B", "Đảng bộ bộ phận", "DB1", None],
        ["CB04", "Chi bộ lạ", "Tổ đảng", "XNT", None],
        ["CB01", "Chi bộ trùng", "Chi bộ", "XNT", None],
    ]
    with pytest.raises(WorkbookError) as caught:
        plan_import(db, write(tmp_path / "a.xlsx", [], orgs), TODAY)
    text = str(caught.value)
    assert "“CB01” là chi bộ, không thể có tổ chức trực thuộc" in text
    assert "các tổ chức làm cấp trên của nhau" in text
    assert "“Tổ đảng” không phải loại tổ chức hợp lệ" in text
    assert "dòng 9, cột “Mã”: mã “CB01” trùng với dòng 3" in text


def test_nothing_is_written_when_any_row_is_bad(tmp_path: Path, db: Database) -> None:
    rows = [member("DV1", "Lò Văn Pọm"), member("DV2", "Lò Thị Ín", **{"Ngày vào Đảng": None})]
    with pytest.raises(WorkbookError, match="dòng 3, cột “Ngày vào Đảng”: chưa có ngày vào Đảng"):
        import_members(db, write(tmp_path / "a.xlsx", rows), TODAY)
    assert member_service.list_members(db, TODAY) == []
    with db.session() as session:
        from app.store.models import Organization

        assert session.query(Organization).count() == 0
