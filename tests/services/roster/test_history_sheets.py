"""The members workbook's history sheets — Thời gian, Kỷ luật, Kỷ luật tổ chức: imported all
or nothing with the rest of the file, written back by the export, and never duplicated by a
second import."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from app.domain import clock
from app.domain.vocabulary import DisciplineForm, PeriodKind
from app.services.common.workbook import WorkbookError
from app.services.roster import members as member_service
from app.services.roster.workbook import export_members, import_members, write_template
from app.store.database import Database
from app.store.models import Discipline, Member, MemberPeriod, Organization, OrgDiscipline
from tests.db_state import state
from tests.services.conftest import NewDatabase
from tests.services.roster.test_workbook import MEMBER_HEADER, ORG_HEADER, ORGS, member

TODAY = clock.today()
PERIOD_HEADER = ["Mã", "Loại", "Từ ngày", "Đến ngày", "Ghi chú"]
DISCIPLINE_HEADER = ["Mã", "Hình thức", "Ngày quyết định", "Cấp quyết định", "Nội dung vi phạm",
                     "Tự phát hiện, khắc phục", "Ngày xóa/hết hiệu lực"]  # fmt: skip
ORG_DISCIPLINE_HEADER = ["Mã tổ chức", "Đối với", "Hình thức", "Ngày quyết định",
                         "Cấp quyết định", "Nội dung", "Ngày xóa"]  # fmt: skip
MEMBERS = [member("DV001", "Lò Văn Pọm"), member("DV002", "Lò Thị Ín", "CB02")]
# A reprimand, a three-month sick leave, and the cell's chi ủy reprimanded.
REPRIMAND = ["DV001", "Khiển trách", "10/03/2024", "Đảng ủy xã Na Tông",
             "Vi phạm quy định về những điều đảng viên không được làm", "có", None]  # fmt: skip
SICK_LEAVE = ["DV002", "Nghỉ ốm", "01/03/2024", "01/06/2024", "Điều trị tại bệnh viện tỉnh"]
COLLECTIVE = ["CB01", "Cấp ủy", "Cảnh cáo", "15/08/2023", "Ban Thường vụ Huyện ủy",
              "Buông lỏng lãnh đạo", "15/08/2024"]  # fmt: skip


@pytest.fixture
def db(any_empty_db: Database) -> Database:
    """Each test here runs on a SQLite file and on a PostgreSQL server (tests/conftest.py)."""
    return any_empty_db


def write(
    path: Path,
    periods: list[list[object]] = (),  # type: ignore[assignment]
    disciplines: list[list[object]] = (),  # type: ignore[assignment]
    org_disciplines: list[list[object]] = (),  # type: ignore[assignment]
    members: list[list[object]] = MEMBERS,
    member_header: list[str] = MEMBER_HEADER,
) -> Path:
    workbook = Workbook()
    sheets = [
        ("Tổ chức", ORG_HEADER, ORGS),
        ("Đảng viên", member_header, members),
        ("Thời gian", PERIOD_HEADER, periods),
        ("Kỷ luật", DISCIPLINE_HEADER, disciplines),
        ("Kỷ luật tổ chức", ORG_DISCIPLINE_HEADER, org_disciplines),
    ]
    first = workbook.active
    assert first is not None
    workbook.remove(first)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title)
        sheet.append(header)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


def history(db: Database) -> dict[str, list[tuple[object, ...]]]:
    """Every history record by codes, as a user would list them."""
    with db.session() as session:
        periods = session.execute(
            select(Member.code, MemberPeriod.kind, MemberPeriod.start_on, MemberPeriod.end_on,
                   MemberPeriod.note).join(Member).order_by(Member.code, MemberPeriod.start_on)
        ).all()  # fmt: skip
        disciplines = session.execute(
            select(Member.code, Discipline.form, Discipline.decided_on, Discipline.decided_by,
                   Discipline.reason, Discipline.self_detected_remedied, Discipline.erased_on)
            .join(Member).order_by(Member.code, Discipline.decided_on)
        ).all()  # fmt: skip
        org_disciplines = session.execute(
            select(Organization.code, OrgDiscipline.of_collective, OrgDiscipline.form,
                   OrgDiscipline.decided_on, OrgDiscipline.decided_by, OrgDiscipline.reason,
                   OrgDiscipline.erased_on)
            .join(Organization, Organization.id == OrgDiscipline.org_id)
            .order_by(Organization.code, OrgDiscipline.decided_on)
        ).all()  # fmt: skip
    return {
        "periods": [tuple(r) for r in periods],
        "disciplines": [tuple(r) for r in disciplines],
        "org_disciplines": [tuple(r) for r in org_disciplines],
    }


def test_the_history_sheets_import_every_value(db: Database, tmp_path: Path) -> None:
    path = write(tmp_path / "ds.xlsx", [SICK_LEAVE], [REPRIMAND], [COLLECTIVE])
    result = import_members(db, path, TODAY)
    assert (result.history_added, result.history_updated) == (3, 0)
    assert "thêm 3 bản ghi thời gian và kỷ luật" in result.describe()
    assert history(db) == {
        "periods": [
            (
                "DV002",
                PeriodKind.SICK_LEAVE,
                dt.date(2024, 3, 1),
                dt.date(2024, 6, 1),
                "Điều trị tại bệnh viện tỉnh",
            ),
        ],
        "disciplines": [
            (
                "DV001",
                DisciplineForm.REPRIMAND,
                dt.date(2024, 3, 10),
                "Đảng ủy xã Na Tông",
                "Vi phạm quy định về những điều đảng viên không được làm",
                True,
                None,
            ),
        ],
        "org_disciplines": [
            (
                "CB01",
                True,
                DisciplineForm.WARNING,
                dt.date(2023, 8, 15),
                "Ban Thường vụ Huyện ủy",
                "Buông lỏng lãnh đạo",
                dt.date(2024, 8, 15),
            ),
        ],
    }


@pytest.mark.parametrize(
    ("sheets", "sheet", "row", "column", "words"),
    [
        ({"periods": [[*SICK_LEAVE[:2], "31/02/2024", *SICK_LEAVE[3:]]]},
         "Thời gian", 2, "Từ ngày", "31/02/2024"),
        ({"periods": [["DV002", "Nghỉ phép", *SICK_LEAVE[2:]]]},
         "Thời gian", 2, "Loại", "Nghỉ phép"),
        ({"periods": [["DV404", *SICK_LEAVE[1:]]]}, "Thời gian", 2, "Mã", "DV404"),
        ({"periods": [[*SICK_LEAVE[:3], "01/02/2024", None]]}, "Thời gian", 2, "Đến ngày",
         "trước ngày bắt đầu"),
        ({"disciplines": [[REPRIMAND[0], "Phê bình", *REPRIMAND[2:]]]},
         "Kỷ luật", 2, "Hình thức", "Phê bình"),
        ({"disciplines": [[*REPRIMAND[:2], "2024-13-01", *REPRIMAND[3:]]]},
         "Kỷ luật", 2, "Ngày quyết định", "2024-13-01"),
        ({"disciplines": [["DV999", *REPRIMAND[1:]]]}, "Kỷ luật", 2, "Mã", "DV999"),
        ({"disciplines": [[*REPRIMAND[:6], "01/01/2024"]]}, "Kỷ luật", 2,
         "Ngày xóa/hết hiệu lực", "trước ngày quyết định"),
        ({"org_disciplines": [["CB77", *COLLECTIVE[1:]]]}, "Kỷ luật tổ chức", 2, "Mã tổ chức",
         "CB77"),
        ({"org_disciplines": [[*COLLECTIVE[:2], "Nhắc nhở", *COLLECTIVE[3:]]]},
         "Kỷ luật tổ chức", 2, "Hình thức", "Nhắc nhở"),
        ({"org_disciplines": [[*COLLECTIVE[:3], "ngày 5", *COLLECTIVE[4:]]]},
         "Kỷ luật tổ chức", 2, "Ngày quyết định", "ngày 5"),
        ({"org_disciplines": [[*COLLECTIVE[:6], "01/01/2020"]]}, "Kỷ luật tổ chức", 2,
         "Ngày xóa", "trước ngày quyết định"),
    ],
)  # fmt: skip
def test_a_bad_history_row_is_named_and_nothing_is_written(
    db: Database, tmp_path: Path, sheets: dict[str, list[list[object]]], sheet: str, row: int,
    column: str, words: str,
) -> None:  # fmt: skip
    good = {"periods": [SICK_LEAVE], "disciplines": [REPRIMAND], "org_disciplines": [COLLECTIVE]}
    good.update(sheets)
    # One bad row in its sheet; the other sheets, the members and the organisations are good.
    path = write(tmp_path / "ds.xlsx", **good)  # type: ignore[arg-type]
    before = state(db)
    with pytest.raises(WorkbookError) as caught:
        import_members(db, path, TODAY)
    assert state(db) == before  # no organisation, member or record written
    [problem] = caught.value.problems
    assert (problem.sheet, problem.row, problem.column) == (sheet, row, column)
    assert words in problem.message
    assert f"Trang “{sheet}”, dòng {row}, cột “{column}”" in str(caught.value)
    assert "chưa nhập gì cả" in str(caught.value)


def test_every_bad_row_of_every_sheet_is_listed_at_once(db: Database, tmp_path: Path) -> None:
    path = write(
        tmp_path / "ds.xlsx",
        [SICK_LEAVE, [*SICK_LEAVE[:2], "15/04/2024", None, None]],  # overlaps the first
        [REPRIMAND, REPRIMAND],  # the same decision twice
        [COLLECTIVE, ["CB01", "Hội đồng", *COLLECTIVE[2:]]],
    )
    with pytest.raises(WorkbookError) as caught:
        import_members(db, path, TODAY)
    places = {(p.sheet, p.row, p.column) for p in caught.value.problems}
    assert places == {
        ("Thời gian", 3, "Từ ngày"),
        ("Kỷ luật", 3, "Ngày quyết định"),
        ("Kỷ luật tổ chức", 3, "Đối với"),
    }
    assert "trùng thời gian với dòng 2" in str(caught.value)
    assert history(db) == {"periods": [], "disciplines": [], "org_disciplines": []}


def test_codes_already_in_the_database_may_be_named(db: Database, tmp_path: Path) -> None:
    import_members(db, write(tmp_path / "a.xlsx"), TODAY)
    # A later file with only the history: the members and cells are the database's.
    path = write(tmp_path / "b.xlsx", [SICK_LEAVE], [REPRIMAND], [COLLECTIVE], members=[])
    assert import_members(db, path, TODAY).history_added == 3


def test_reimporting_replaces_records_by_identity_and_never_duplicates(
    db: Database, tmp_path: Path
) -> None:
    path = write(tmp_path / "ds.xlsx", [SICK_LEAVE], [REPRIMAND], [COLLECTIVE])
    import_members(db, path, TODAY)
    first = history(db)
    again = import_members(db, path, TODAY)
    assert (again.history_added, again.history_updated) == (0, 3)
    assert history(db) == first
    # The same records with their other values changed: replaced in place.
    erased = [*REPRIMAND[:6], "10/03/2025"]
    longer = [*SICK_LEAVE[:3], "01/07/2024", "Kéo dài"]
    import_members(db, write(tmp_path / "b.xlsx", [longer], [erased]), TODAY)
    changed = history(db)
    assert changed["periods"] == [
        ("DV002", PeriodKind.SICK_LEAVE, dt.date(2024, 3, 1), dt.date(2024, 7, 1), "Kéo dài")
    ]
    assert [d[-1] for d in changed["disciplines"]] == [dt.date(2025, 3, 10)]
    assert changed["org_disciplines"] == first["org_disciplines"]  # not in the file: kept


def test_export_then_import_reproduces_the_records_exactly(
    db: Database, tmp_path: Path, new_database: NewDatabase
) -> None:
    path = write(tmp_path / "ds.xlsx", [SICK_LEAVE], [REPRIMAND], [COLLECTIVE])
    import_members(db, path, TODAY)
    exported = tmp_path / "xuat.xlsx"
    export_members(db, exported, TODAY)
    book = load_workbook(exported)
    assert book.sheetnames[:5] == ["Tổ chức", "Đảng viên", "Thời gian", "Kỷ luật",
                                   "Kỷ luật tổ chức"]  # fmt: skip
    assert "Miễn sinh hoạt từ" not in [c.value for c in book["Đảng viên"][1]]
    assert [c.value for c in book["Kỷ luật"][2]][:2] == ["DV001", "Khiển trách"]

    with Database.open(new_database("empty", "moi")) as fresh:
        import_members(fresh, exported, TODAY)
        assert history(fresh) == history(db)
        # and exporting again writes the same sheets
        again = tmp_path / "xuat-lai.xlsx"
        export_members(fresh, again, TODAY)
    for title in ("Thời gian", "Kỷ luật", "Kỷ luật tổ chức"):
        assert list(load_workbook(again)[title].values) == list(book[title].values)


def test_the_template_has_the_history_sheets_and_describes_them(tmp_path: Path) -> None:
    path = tmp_path / "mau.xlsx"
    write_template(path)
    book = load_workbook(path)
    assert [c.value for c in book["Thời gian"][1]] == PERIOD_HEADER
    assert [c.value for c in book["Kỷ luật"][1]] == DISCIPLINE_HEADER
    assert [c.value for c in book["Kỷ luật tổ chức"][1]] == ORG_DISCIPLINE_HEADER
    notes = "\n".join(str(row[0]) for row in book["Hướng dẫn"].values if row[0])
    for words in ("Trang “Thời gian”", "Trang “Kỷ luật”", "Trang “Kỷ luật tổ chức”",
                  "Nghỉ thai sản", "Tự phát hiện, khắc phục", "Cấp ủy"):  # fmt: skip
        assert words in notes


def test_an_old_workbooks_exemption_column_still_sets_the_exemption(
    db: Database, tmp_path: Path
) -> None:
    old = [member("DV001", "Lò Văn Pọm", **{"Miễn sinh hoạt từ": "01/01/2020"})]
    import_members(db, write(tmp_path / "cu.xlsx", members=old), TODAY)
    rows = {r.code: r for r in member_service.list_members(db, TODAY)}
    assert rows["DV001"].exempt_since == dt.date(2020, 1, 1)
    # A new file without the column leaves the exemption as it is …
    new_header = [h for h in MEMBER_HEADER if h != "Miễn sinh hoạt từ"]
    plain = [[v for h, v in zip(MEMBER_HEADER, MEMBERS[0], strict=True) if h in new_header]]
    import_members(db, write(tmp_path / "moi.xlsx", members=plain, member_header=new_header),
                   TODAY)  # fmt: skip
    rows = {r.code: r for r in member_service.list_members(db, TODAY)}
    assert rows["DV001"].exempt_since == dt.date(2020, 1, 1)
    # … and a column that disagrees with the sheet is refused at the member's row.
    exempt = ["DV001", "Miễn sinh hoạt", "01/01/2020", "01/02/2020", None]
    other = [member("DV001", "Lò Văn Pọm", **{"Miễn sinh hoạt từ": "01/03/2020"})]
    with pytest.raises(WorkbookError) as caught:
        import_members(db, write(tmp_path / "ca-hai.xlsx", [exempt], members=other), TODAY)
    [problem] = caught.value.problems
    assert (problem.sheet, problem.row, problem.column) == ("Đảng viên", 2, "Miễn sinh hoạt từ")
    # Listed in the sheet, the exemption follows the sheet: here it ended.
    import_members(db, write(tmp_path / "ket-thuc.xlsx", [exempt], members=old), TODAY)
    rows = {r.code: r for r in member_service.list_members(db, TODAY)}
    assert rows["DV001"].exempt_since is None


def test_a_period_overlapping_one_the_database_keeps_is_refused(
    db: Database, tmp_path: Path
) -> None:
    import_members(db, write(tmp_path / "a.xlsx", [SICK_LEAVE]), TODAY)
    other = [*SICK_LEAVE[:2], "01/05/2024", "01/08/2024", None]
    with pytest.raises(WorkbookError) as caught:
        import_members(db, write(tmp_path / "b.xlsx", [other]), TODAY)
    assert "từ 01/03/2024 đến 01/06/2024 đã có trong dữ liệu" in str(caught.value)
    with db.session() as session:
        assert len(session.scalars(select(MemberPeriod)).all()) == 1
