"""A period of the demo commune scored by a province's criteria set, for the item-score tests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from app import paths
from app.domain.criteria import ItemEntry
from app.services.periods import facts
from app.services.periods import lifecycle as periods
from app.services.periods import rule_sets as rulesets
from app.services.procedure import board as procedure_board
from app.services.procedure import view as procedure_view
from app.store.database import Database
from tests.unit.criteria.helpers import PROVINCE, changed

YEAR = 2026
# The province's copy of the shipped set (based_on = "qd366-2025"), its member sheet for
# every member (the tests' copy has it for Mẫu 2C only).
MEMBERS = changed(PROVINCE, ('applies_to = ["member:2C"]', 'applies_to = ["member"]'))
# The same copy after the province moved 2 points from "Dự sinh hoạt chi bộ" (A.1, a count of
# meetings, ceiling 12 → 10) to "Chấp hành chủ trương, đường lối" (A.2, met or not, 10 → 12):
# one item's points changed, the group still adding up to 30.
EDITED = changed(
    MEMBERS,
    ("points = 12", "points = 10"),
    ('points = 10\nscoring = "met"', 'points = 12\nscoring = "met"'),
)
# Full marks but for A.2 (not met): 20 + 70 = 90 under MEMBERS, 18 + 70 = 88 under EDITED.
ENTRIES = {
    "A.1": ItemEntry(12, "dự đủ 12 kỳ sinh hoạt"),
    "A.2": False,
    "A.3": 8,
    "B.1": 40,
    "B.2": 30,
}


def write_copy(text: str = MEMBERS) -> Path:
    """The province's copy in the data folder's criteria/ (the test's own data folder)."""
    path = paths.criteria_dir() / "tinh-thu-2025.toml"
    path.write_text(text, encoding="utf-8")
    return path


def open_period(db: Database) -> Database:
    periods.create_period(db, YEAR, rulesets.get("qd366-2025"), dt.date(YEAR, 12, 31))
    return db


def first_cell(db: Database) -> int:
    return procedure_board.board(db, YEAR)[0].cell_id


def plain_member(db: Database, cell_id: int) -> procedure_view.MemberLine:
    """A classified member of the cell whom nothing but the score keeps from HTXSNV: no
    civil-service rating to match, no discipline, no leave, no post to answer for."""
    with db.session() as session:
        records = facts.build(session, periods.find(session, YEAR), cells={cell_id})
        plain = {
            m.member_id
            for m in records.facts.members
            if not (m.disciplines or m.sick_leave or m.maternity_leave or m.is_civil_servant)
            and m.heads_org_id is None
            and m.collective_org_id is None
        }
    view = procedure_view.cell_view(db, YEAR, cell_id)
    return next(line for line in view.members if line.evaluated and line.member_id in plain)


def post_holder(db: Database, cell_id: int) -> procedure_view.MemberLine:
    """A classified member of the cell holding a party post on the reference date (rated by
    quarter under the shipped rule set)."""
    with db.session() as session:
        records = facts.build(session, periods.find(session, YEAR), cells={cell_id})
        holders = {m.member_id for m in records.facts.members if m.holds_party_post}
    view = procedure_view.cell_view(db, YEAR, cell_id)
    return next(line for line in view.members if line.evaluated and line.member_id in holders)


def line(db: Database, cell_id: int, member_id: int) -> procedure_view.MemberLine:
    return procedure_view.cell_view(db, YEAR, cell_id).member(member_id)
