"""Fuzzing the two workbook importers: a valid workbook changed by hypothesis in ways
whose outcome is known beforehand (``workbook_cases``). Harmless changes — NFD text, invisible
and control characters, words in other case or without diacritics, dates and years in other
forms, headers spelt otherwise, columns and sheets reordered, hidden sheets, notes sheets,
blank rows, unknown columns, a cell at XFD1048576 — must import exactly as the unchanged
workbook does. Breaking ones — a required value missing or a formula without a value, wrong
types, values no reader accepts, too long texts, dates that do not exist or lie ahead,
duplicate codes, a missing header, a missing or doubled sheet — must be refused with a
Vietnamese message naming each of them, blaming nothing else, and writing nothing.
"""

from __future__ import annotations

import copy
import datetime as dt
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from hypothesis import event, given, note
from hypothesis import strategies as st

from app.domain import clock
from app.services.results import workbook as results_workbook
from app.services.roster import workbook as members_workbook
from app.store.database import Database
from tests.db_state import state
from tests.reliability.fuzz_support import (
    VOLATILE,
    fresh_database,
    fuzz_settings,
    import_as_expected,
    import_or_refuse,
)
from tests.reliability.workbook_cases import SheetFormat, draw_case
from tests.reliability.workbook_fuzz import Book, Sheet

TODAY = clock.today()  # the session's day (tests/conftest.py)

ORG_HEADER = ["Mã", "Tên", "Loại", "Mã cấp trên", "Địa danh", "Dòng cấp trên", "Ngày thành lập"]
MEMBER_HEADER = ["Mã", "Họ và tên", "Ngày sinh", "Giới tính", "Mã chi bộ", "Ngày vào Đảng",
                 "Ngày chính thức", "Chức vụ Đảng", "Chức vụ khác", "Đối tượng",
                 "Miễn sinh hoạt từ", "Số thẻ", "Công chức"]  # fmt: skip
ORGS = [
    ["XNT", "Đảng bộ xã Na Tông", "Đảng bộ", None, "Na Tông", "ĐẢNG BỘ HUYỆN ĐIỆN BIÊN",
     dt.date(1960, 3, 1)],
    ["QS", "Đảng bộ bộ phận Quân sự", "Đảng bộ bộ phận", "XNT", "Na Tông", None, None],
    ["CB01", "Chi bộ bản Pá Có", "Chi bộ", "XNT", "Na Tông", None, "19/05/1975"],
    ["CB02", "Chi bộ Dân quân", "chi bo", "QS", None, None, None],
]  # fmt: skip
MEMBERS = [
    ["DV001", "Lò Văn Pọm", dt.date(1970, 1, 5), "Nam", "CB01", "19/05/1995", "19/05/1996",
     "Bí thư chi bộ", "Trưởng bản", "2B", None, "09123456", None],
    ["DV002", "Lò Thị Ín", 25573, "Nữ", "CB01", dt.datetime(1998, 2, 3), None, None, None,
     "2C", None, None, None],
    ["DV003", "Cà Văn Xôm", "5/1/1960", "nam", "CB01", "03/02/1985", "03/02/1986", None,
     "Công an viên", "2a", "01/01/2020", None, "x"],
    ["DV004", "Vàng A Dế", None, "Nam", "CB02", "01/09/2010", "01/09/2011", "Phó bí thư", None,
     "2C", None, None, None],
    ["DV005", "Quàng Thị Hoa", dt.date(1990, 7, 7), "Nữ", "CB02", "02/09/2015", None, None,
     None, "2C", None, None, None],
]  # fmt: skip


def members_book() -> Book:
    return Book(
        [
            Sheet("Tổ chức", [list(ORG_HEADER), *copy.deepcopy(ORGS)]),
            Sheet("Đảng viên", [list(MEMBER_HEADER), *copy.deepcopy(MEMBERS)]),
            Sheet("Hướng dẫn", [["Tệp danh sách tổ chức đảng và đảng viên của DanhGia."]]),
        ]
    )


def import_members(db: Database, path: Path) -> members_workbook.ImportResult:
    plan = members_workbook.plan_import(db, path, TODAY)
    assert plan.describe()
    result = members_workbook.apply_import(db, plan, TODAY)
    assert result.describe()
    return result


@pytest.fixture(scope="module")
def members_template(tmp_path_factory: pytest.TempPathFactory, empty_template: Path) -> Path:
    """A database holding the base workbook already: the fuzzed files update it, add to it,
    and leave out rows it has."""
    folder = tmp_path_factory.mktemp("members-template")
    path = shutil.copyfile(empty_template, folder / "members.sqlite")
    with Database.open(path) as db:
        base = members_book()
        base.sheets[1].rows = base.sheets[1].rows[:4]  # two members still to add
        import_members(db, base.save(folder / "base.xlsx"))
    return path


def test_the_base_workbook_and_a_harmless_mutation_import(
    members_template: Path, tmp_path: Path
) -> None:
    """The fuzzing starts from a workbook that imports: the success path is really checked."""
    book = members_book()
    book.sheets.insert(0, Sheet("Ghi chú", [["Tệp của xã"]], state="hidden"))
    book.sheets[2].rows[5][1] = "Quàng  Thị\u200b Hoa\u202e"  # NFD below, zero-width, RTL
    book.sheets[2].rows[5][1] = book.sheets[2].rows[5][1].replace("à", "a\u0300")
    book.sheets[2].rows[1][8] = "Trưởng bản_x0007_"  # a control character as Excel writes it
    with fresh_database(members_template, tmp_path / "db") as db:
        result = import_or_refuse(db, lambda: import_members(db, book.save(tmp_path / "a.xlsx")))
        assert result is not None and (result.members_added, result.members_updated) == (2, 3)
        with closing(sqlite3.connect(db.path)) as connection:
            names = {r[0] for r in connection.execute("SELECT full_name FROM members")}
            titles = {r[0] for r in connection.execute("SELECT title FROM post_holdings")}
        assert "Quàng Thị Hoa" in names and "Trưởng bản" in titles
        assert not [t for t in titles if "_x" in t]


A_MONTH_AHEAD = f"{TODAY + dt.timedelta(days=30):%d/%m/%Y}"
BAD_DATES = ("31/02/2020", "1/13/1999", "năm 1990", True, A_MONTH_AHEAD)
MEMBER_FORMATS = {
    "Tổ chức": SheetFormat(
        name="Tổ chức",
        required_headers=("Mã", "Tên", "Loại"),
        required_cells=("Mã", "Tên", "Loại"),
        text_columns=("Mã", "Tên", "Mã cấp trên", "Địa danh", "Dòng cấp trên"),
        word_columns=("Loại",),
        date_columns=("Ngày thành lập",),
        bad_values={
            "Mã": ("CB 01", "Chi bộ 1"),  # letters without marks, digits and . _ / -
            "Loại": ("Tổ đảng", "Chi đoàn", 3),
            "Mã cấp trên": ("ZZZ",),  # neither in the file nor in the database
            "Tên": ("X" * 201,),
            "Ngày thành lập": BAD_DATES[:-1],
        },
        duplicates=False,
    ),
    "Đảng viên": SheetFormat(
        name="Đảng viên",
        required_headers=("Mã", "Họ và tên", "Mã chi bộ"),
        required_cells=("Mã", "Họ và tên", "Mã chi bộ", "Ngày vào Đảng"),
        text_columns=("Mã", "Họ và tên", "Mã chi bộ", "Chức vụ Đảng", "Chức vụ khác", "Số thẻ"),
        word_columns=("Giới tính", "Đối tượng", "Công chức"),
        date_columns=("Ngày sinh", "Ngày vào Đảng", "Ngày chính thức", "Miễn sinh hoạt từ"),
        bad_values={
            "Mã chi bộ": ("CB99", "XNT", "QS"),  # unknown, and not cells
            "Họ và tên": ("Pọm", "Lò Văn " + "A" * 120),  # one word; too long
            "Giới tính": ("Khác", "N"),
            "Đối tượng": ("2D", "3"),
            "Chức vụ Đảng": ("X" * 201,),
            "Ngày sinh": BAD_DATES,
            "Ngày vào Đảng": BAD_DATES,
            "Miễn sinh hoạt từ": BAD_DATES[:-1],
        },
    ),
}


@pytest.fixture(scope="module")
def members_reference(members_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The database after importing the unchanged workbook, as every harmless change must
    leave it."""
    folder = tmp_path_factory.mktemp("members-reference")
    with fresh_database(members_template, folder / "db") as db:
        import_members(db, members_book().save(folder / "danh-sach.xlsx"))
        return state(db.path, VOLATILE)


@given(data=st.data())
@fuzz_settings()
def test_fuzz_members_workbook(
    data: st.DataObject, members_template: Path, members_reference: Any, tmp_path: Path
) -> None:
    case = draw_case(data, members_book(), MEMBER_FORMATS)
    for line in case.done:
        note(line)
    path = case.book.save(tmp_path / "danh-sach.xlsx")
    with fresh_database(members_template, tmp_path / "db") as db:
        event(import_as_expected(db, lambda: import_members(db, path), case, members_reference))


# ---- the results workbook --------------------------------------------------------------------


@pytest.fixture(scope="module")
def results_base(demo_template: Path) -> dict[str, Any]:
    """Codes and names of the demo to build a results workbook from."""
    with closing(sqlite3.connect(demo_template)) as connection:
        people = connection.execute(
            "SELECT m.code, m.full_name, o.code FROM members m "
            "JOIN cell_memberships c ON c.member_id = m.id AND c.end_on IS NULL "
            "JOIN organizations o ON o.id = c.org_id "
            "WHERE m.admitted_on < '2010-01-01' ORDER BY m.id LIMIT 5"
        ).fetchall()
        cells = connection.execute(
            "SELECT code FROM organizations WHERE kind = 'chi_bo' ORDER BY id LIMIT 3"
        ).fetchall()
    return {"people": people, "cells": [code for (code,) in cells]}


def results_book(base: dict[str, Any]) -> Book:
    (a, na, ca), (b, nb, _cb), (c, nc, cc), (d, nd, _cd), (e, ne, ce) = base["people"]
    members = [
        ["Năm", "Mã", "Họ và tên", "Xếp loại", "Lý do không xếp loại", "Mã chi bộ"],
        [2017, a, na, "Hoàn thành tốt nhiệm vụ", None, ca],
        [2017, b, nb.upper(), "htxsnv", None, None],
        [2017, c, nc, "Không xếp loại", "Miễn sinh hoạt", cc],
        [2020, a, na, "Hoàn thành nhiệm vụ", None, None],
        [2020, d, nd, None, "Đi lao động ở Hàn Quốc", None],
        [2020, e, ne, "Không hoàn thành nhiệm vụ", None, ce],
        [2020, "DV-CU1", "Lường Thị Xuân", "HTTNV", None, base["cells"][0]],
    ]
    orgs = [["Năm", "Mã", "Tên", "Xếp loại", "Lý do không xếp loại"]]
    orgs += [[2017, code, None, "trong sach vung manh", None] for code in base["cells"]]
    return Book([Sheet("Đảng viên", members), Sheet("Tổ chức", orgs)])


def import_results(db: Database, path: Path) -> results_workbook.ImportResult:
    plan = results_workbook.plan_import(db, path, TODAY)
    assert plan.describe() is not None
    return results_workbook.apply_import(db, plan, replace=True)


def test_the_base_results_workbook_imports(
    results_base: dict[str, Any], demo_template: Path, tmp_path: Path
) -> None:
    book = results_book(results_base)
    with fresh_database(demo_template, tmp_path / "db") as db:
        result = import_or_refuse(db, lambda: import_results(db, book.save(tmp_path / "kq.xlsx")))
        assert result is not None and result.years == (2017, 2020)
        assert (result.members_written, result.orgs_written, result.members_added) == (7, 3, 1)


BAD_YEARS = ("năm ngoái", "2017a", "²⁰¹⁷", TODAY.year + 1, 1900)  # the last: no rule set
RESULT_FORMATS = {
    "Đảng viên": SheetFormat(
        name="Đảng viên",
        required_headers=("Năm", "Mã", "Xếp loại"),
        required_cells=("Năm", "Mã"),
        text_columns=("Mã", "Họ và tên", "Lý do không xếp loại", "Mã chi bộ"),
        word_columns=("Xếp loại",),
        date_columns=(),
        number_columns=("Năm",),
        bad_values={
            "Năm": BAD_YEARS,
            "Xếp loại": ("Xuất sắc", "Tốt", "TSVM"),  # not a member level
            "Lý do không xếp loại": ("X" * 301,),
            "Họ và tên": ("X" * 121,),
        },
        key_columns=("Năm", "Mã"),
        required_sheet=False,
    ),
    "Tổ chức": SheetFormat(
        name="Tổ chức",
        required_headers=("Năm", "Mã", "Xếp loại"),
        required_cells=("Năm", "Mã"),
        text_columns=("Mã", "Tên", "Lý do không xếp loại"),
        word_columns=("Xếp loại",),
        date_columns=(),
        number_columns=("Năm",),
        bad_values={
            "Năm": BAD_YEARS,
            "Xếp loại": ("Xuất sắc", "HTXSNV", "Tốt"),  # not an organisation level
            "Tên": ("X" * 201,),
        },
        key_columns=("Năm", "Mã"),
        required_sheet=False,
    ),
}


@pytest.fixture(scope="module")
def results_reference(
    results_base: dict[str, Any], demo_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Any:
    folder = tmp_path_factory.mktemp("results-reference")
    with fresh_database(demo_template, folder / "db") as db:
        import_results(db, results_book(results_base).save(folder / "ket-qua.xlsx"))
        return state(db.path, VOLATILE)


@given(data=st.data())
@fuzz_settings()
def test_fuzz_results_workbook(
    data: st.DataObject,
    results_base: dict[str, Any],
    results_reference: Any,
    demo_template: Path,
    tmp_path: Path,
) -> None:
    case = draw_case(data, results_book(results_base), RESULT_FORMATS)
    for line in case.done:
        note(line)
    path = case.book.save(tmp_path / "ket-qua.xlsx")
    with fresh_database(demo_template, tmp_path / "db") as db:
        event(import_as_expected(db, lambda: import_results(db, path), case, results_reference))
