"""Input as real offices produce it (issue 16, item 4): a code typed in small letters or with
stray spaces is the member or unit already kept, never a second one; a workbook saved in
Excel's 1904 date system gives the same dates as any other."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from app.domain.member_checks import MemberFields
from app.services.common.errors import ValidationError
from app.services.common.workbook import WorkbookError
from app.services.roster import members as member_service
from app.services.roster import organizations as org_service
from app.services.roster.workbook import import_members, plan_import
from app.store.database import Database
from tests.services.roster.test_workbook import ORGS, TODAY, member, write

BIRTH = dt.date(1970, 1, 5)


@pytest.fixture
def db(any_empty_db: Database) -> Database:
    """Each test here runs on a SQLite file and on a PostgreSQL server (tests/conftest.py)."""
    return any_empty_db


def codes(db: Database) -> list[str]:
    return sorted(r.code for r in member_service.list_members(db, TODAY))


def test_codes_in_another_case_update_the_same_member_and_unit(
    tmp_path: Path, db: Database
) -> None:
    import_members(db, write(tmp_path / "a.xlsx", [member("DV00419", "Lò Văn Pọm")]), TODAY)
    orgs = [[f" {o[0].lower()}", o[1], o[2], o[3] and o[3].lower(), o[4]] for o in ORGS]
    again = write(
        tmp_path / "b.xlsx",
        [member(" dv00419 ", "Lò Văn Pọm", "cb02"), member("dv00420", "Lò Thị Ín", " Cb01")],
        orgs,
    )
    plan = plan_import(db, again, TODAY)
    assert (plan.members_new, plan.members_existing) == (1, 1)
    result = import_members(db, again, TODAY)
    assert (result.orgs_added, result.orgs_updated) == (0, 3)
    assert codes(db) == ["DV00419", "DV00420"]  # kept in one form, whatever was typed
    rows = {r.code: r for r in member_service.list_members(db, TODAY)}
    assert rows["DV00419"].cell_name == "Chi bộ bản Huổi Lóng"  # moved, not duplicated
    assert org_service.find_by_code(db, " cb02 ").name == "Chi bộ bản Huổi Lóng"


def test_one_code_twice_in_a_file_in_two_cases_is_refused(tmp_path: Path, db: Database) -> None:
    rows = [member("DV1", "Lò Văn Pọm"), member("dv1", "Lò Thị Ín")]
    with pytest.raises(WorkbookError, match="dòng 3, cột “Mã”: mã “DV1” trùng với dòng 2"):
        import_members(db, write(tmp_path / "a.xlsx", rows), TODAY)


def test_the_dialog_refuses_a_code_that_differs_only_in_case(tmp_path: Path, db: Database) -> None:
    import_members(db, write(tmp_path / "a.xlsx", [member("DV1", "Lò Văn Pọm")]), TODAY)
    cell = org_service.find_by_code(db, "CB01")
    fields = MemberFields(
        code=" dv1", full_name="Lò Thị Ín", birth_date=BIRTH, admitted_on=dt.date(1995, 5, 19)
    )
    with pytest.raises(ValidationError, match="mã “DV1” đã có người khác dùng"):
        member_service.add_member(db, fields, cell.id, TODAY)
    new = MemberFields(
        code="dv2", full_name="Lò Thị Ín", birth_date=BIRTH, admitted_on=dt.date(1995, 5, 19)
    )
    member_service.add_member(db, new, cell.id, TODAY)
    assert codes(db) == ["DV1", "DV2"]


def test_a_1904_workbook_reads_its_dates_as_excel_shows_them(tmp_path: Path, db: Database) -> None:
    serial_1904 = (dt.datetime(1970, 1, 5) - CALENDAR_MAC_1904).days  # 24110
    workbook = Workbook()
    workbook.epoch = CALENDAR_MAC_1904  # the file says date1904; Excel counts from 1904
    orgs = workbook.active
    assert orgs is not None
    orgs.title = "Tổ chức"
    orgs.append(["Mã", "Tên", "Loại", "Mã cấp trên"])
    for row in ORGS:
        orgs.append(row[:4])
    people = workbook.create_sheet("Đảng viên")
    people.append(["Mã", "Họ và tên", "Ngày sinh", "Giới tính", "Mã chi bộ", "Ngày vào Đảng"])
    people.append(["DV1", "Lò Văn Pọm", dt.datetime(1970, 1, 5), "Nam", "CB01", "19/05/1995"])
    people.append(["DV2", "Lò Thị Ín", serial_1904, "Nữ", "CB01", "19/05/1995"])  # a bare number
    path = tmp_path / "mac.xlsx"
    workbook.save(path)
    import_members(db, path, TODAY)
    births = {r.code: r.birth_date for r in member_service.list_members(db, TODAY)}
    assert births == {"DV1": dt.date(1970, 1, 5), "DV2": dt.date(1970, 1, 5)}
