"""A text longer than its column holds is refused in Vietnamese before anything is written, on a
SQLite file (which would keep it) as on PostgreSQL (which refused it with psycopg's English
"value too long for type character varying"): app/store/text_limits.py."""

from __future__ import annotations

import datetime as dt
import sqlite3
from contextlib import closing

import pytest
from sqlalchemy import insert, select

from app.domain.procedure import CellStep
from app.domain.vocabulary import OrgKind
from app.services.periods import lifecycle as periods
from app.services.procedure import board as procedure_board
from app.services.procedure import steps as procedure_steps
from app.services.procedure import view as procedure_view
from app.services.roster import organizations
from app.store.database import Database
from app.store.errors import TextTooLong
from app.store.models import Meeting, Member
from tests.db_state import changed_tables, state

LONG = ", ".join(["Nhà văn hóa bản Huổi Lóng"] * 10)  # 268 characters


def test_an_organisation_s_name_too_long_is_refused_naming_the_field(demo_db: Database) -> None:
    top = organizations.find_by_code(demo_db, "XNT")
    before = state(demo_db)
    for field, label, limit in (
        ("name", "Tên tổ chức", 200), ("place_name", "Địa danh", 100),
        ("superior_line", "Dòng cấp trên", 200),
    ):  # fmt: skip
        fields = {"code": "XNT", "name": top.name, "kind": OrgKind.COMMITTEE, "parent_id": None}
        fields[field] = LONG
        with pytest.raises(TextTooLong) as refused:
            organizations.update_organization(demo_db, top.id, organizations.OrgFields(**fields))
        assert str(refused.value) == (
            f"{label} dài 268 ký tự, quá giới hạn {limit} ký tự (“Nhà văn hóa bản Huổi Lóng, "
            "Nhà văn hóa b…”). Hãy rút gọn rồi lưu lại; chưa có gì được lưu."
        )
    assert changed_tables(before, state(demo_db)) == []
    # At the limit it is kept whole.
    fields = {"code": "XNT", "name": LONG[:200], "kind": OrgKind.COMMITTEE, "parent_id": None}
    organizations.update_organization(demo_db, top.id, organizations.OrgFields(**fields))
    assert organizations.find_by_code(demo_db, "XNT").name == LONG[:200].strip()


def test_a_meeting_s_place_and_the_actor_too_long_write_nothing(full_demo_db: Database) -> None:
    db = full_demo_db
    year = periods.list_periods(db)[-1].year
    cell = next(r.cell_id for r in procedure_board.board(db, year) if r.step is CellStep.MEETING)
    view = procedure_view.cell_view(db, year, cell)
    here = [m.member_id for m in view.members if m.present and m.votes]
    meeting = procedure_steps.MeetingInput(
        held_on=dt.date(year, 11, 1), starts_at=dt.time(8), ends_at=dt.time(11),
        place=LONG, chair_id=here[0], secretary_id=here[1], tally_committee=(here[2], here[3]),
    )  # fmt: skip
    before = state(db)
    with pytest.raises(TextTooLong, match=r"^Địa điểm họp dài 268 ký tự, quá giới hạn 200 "):
        procedure_steps.save_meeting(db, year, cell, meeting, "Bí thư chi bộ")
    short = procedure_steps.MeetingInput(**{**meeting.__dict__, "place": "Nhà văn hóa bản"})
    with pytest.raises(TextTooLong, match=r"^Tên người thực hiện dài 268 ký tự, quá giới hạn 120 "):
        procedure_steps.save_meeting(db, year, cell, short, LONG)
    assert changed_tables(before, state(db)) == []
    procedure_steps.save_meeting(db, year, cell, short, "Bí thư chi bộ")
    assert procedure_view.cell_view(db, year, cell).meeting.place == "Nhà văn hóa bản"


def test_rows_written_in_bulk_are_checked_too(db: Database) -> None:
    row = {"code": "DV001", "full_name": "Lò Văn Pọm", "name_key": "pom lo van", "card_number": ""}
    before = state(db)
    rows = [row, {**row, "code": "DV002", "full_name": LONG}]
    refused = pytest.raises(TextTooLong, match=r"^Họ và tên dài 268 ký tự, quá giới hạn 120 ")
    with refused, db.session() as session:
        session.execute(insert(Member.__table__), rows)
    assert changed_tables(before, state(db)) == []


@pytest.mark.sqlite_file  # only a file can hold a text longer than its column
def test_a_text_already_too_long_in_a_file_is_not_refused_when_something_else_changes(
    full_demo_db: Database,
) -> None:
    """A file written before the check may hold one: saving the record's other fields works."""
    with closing(sqlite3.connect(full_demo_db.path)) as connection, connection:
        connection.execute("UPDATE meetings SET place = ?", (LONG,))
    first = select(Meeting).order_by(Meeting.id).limit(1)
    with full_demo_db.session() as session:
        meeting = session.scalars(first).one()
        assert meeting.place == LONG
        meeting.upper_attendee = "Lường Văn Chiến"
    with full_demo_db.session() as session:
        assert session.scalars(first).one().upper_attendee == "Lường Văn Chiến"
