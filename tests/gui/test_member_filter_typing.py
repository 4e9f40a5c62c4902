"""Typing into the search narrows the member table from the rows already shown (fast at
60,000); what it shows must be exactly what a search from scratch shows."""

from __future__ import annotations

import datetime as dt

from app.services.roster.members import list_members
from app.store.database import Database
from app.ui.roster.member_table import MemberFilter, MemberTableModel

TODAY = dt.date(2026, 11, 20)


def _fresh(rows: list, member_filter: MemberFilter) -> list[str]:
    model = MemberTableModel(TODAY)
    model.set_rows(list(rows))
    model.set_filter(member_filter)
    return [r.code for r in model.visible_rows()]


def test_each_keystroke_shows_what_a_search_from_scratch_shows(demo_db: Database) -> None:
    rows = list_members(demo_db, TODAY)
    typed = MemberTableModel(TODAY)
    typed.set_rows(list(rows))
    cells = frozenset(r.cell_id for r in rows)
    for word in ("lo van", "lò văn", "quàng thị", "ha a", "d", "nguyen  t"):
        for cut in [*range(1, len(word) + 1), *range(len(word) - 1, -1, -1)]:
            member_filter = MemberFilter(text=word[:cut], cells=cells)
            typed.set_filter(member_filter)
            assert [r.code for r in typed.visible_rows()] == _fresh(rows, member_filter), word[:cut]
    assert typed.total == len(rows) and typed.matches_elsewhere() == 0


def test_a_cell_selected_still_counts_the_matches_elsewhere(demo_db: Database) -> None:
    rows = list_members(demo_db, TODAY)
    one_cell = frozenset({rows[0].cell_id})
    model = MemberTableModel(TODAY)
    model.set_rows(list(rows))
    model.set_filter(MemberFilter(text="van", cells=one_cell))
    everywhere = _fresh(rows, MemberFilter(text="van"))
    assert model.total == sum(1 for r in rows if r.cell_id == rows[0].cell_id)
    assert model.matches_elsewhere() == len(everywhere) - model.rowCount() > 0
