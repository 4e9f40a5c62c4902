"""The committee's mirror on the demo commune."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from app.domain import clock
from app.services.common.errors import NotFound
from app.services.summary import committee_view as mirror
from app.store.database import Database
from app.store.models import EvaluationPeriod, Member, MemberEvaluation, Organization, OrgEvaluation

DECIDED = clock.today().year - 1  # the demo's last decided year
# Tiers of the member levels, best first: the same codes in every rule set of the demo's years.
TIER = {"HTXSNV": 0, "HTTNV": 1, "HTNV": 2, "KHTNV": 3}


def _tiers(db: Database, year: int, cell_id: int | None = None) -> tuple[int, ...]:
    """Members per tier in *year* (of one cell, or of all), counted from the rows: the level
    read is the decided one, else the proposal, of every classified member."""
    sql = (
        "SELECT coalesce(e.decided_level, e.proposed_level), count(*) FROM member_evaluations e "
        "JOIN evaluation_periods p ON p.id = e.period_id "
        "WHERE p.year = ? AND e.evaluated AND (CAST(? AS INTEGER) IS NULL OR e.org_id = ?) "
        "GROUP BY 1"
    )
    counts = [0] * len(TIER)
    for level, count in db.read(sql, (year, cell_id, cell_id)):
        if level is not None:
            counts[TIER[level]] += count
    return tuple(counts)


def _period_ids(db: Database) -> dict[int, int]:
    with db.session() as session:
        return {p.year: p.id for p in session.scalars(select(EvaluationPeriod))}


def _make_weak_cell_of_good_members(db: Database, year: int) -> tuple[int, str, int]:
    """Rate a cell HTNV and every classified member of it HTTNV, one HTXSNV; return it and
    how many members it has classified."""
    period_id = _period_ids(db)[year]
    with db.session() as session:
        cell_id, name = session.execute(
            select(Organization.id, Organization.name)
            .where(Organization.kind == "chi_bo")
            .order_by(Organization.code.desc())
            .limit(1)
        ).one()
        rows = session.scalars(
            select(MemberEvaluation).where(
                MemberEvaluation.period_id == period_id,
                MemberEvaluation.org_id == cell_id,
                MemberEvaluation.evaluated.is_(True),
            )
        ).all()
        assert len(rows) >= 2
        for index, row in enumerate(rows):
            row.decided_level = "HTXSNV" if index == 0 else "HTTNV"
        session.execute(
            update(OrgEvaluation)
            .where(
                OrgEvaluation.period_id == period_id,
                OrgEvaluation.org_id == cell_id,
                OrgEvaluation.subject == "org",
            )
            .values(decided_level="HTNV")
        )
    return cell_id, name, len(rows)


def test_a_cell_of_good_members_rated_htnv_is_flagged_strongly(any_full_demo_db: Database) -> None:
    cell_id, name, classified = _make_weak_cell_of_good_members(any_full_demo_db, DECIDED)
    shown = mirror.build(any_full_demo_db)
    assert shown.year == DECIDED  # the decided year by default
    row = next(c for c in shown.cells if c.cell_id == cell_id)
    assert row.level == "HTNV" and row.all_good and row.weak_despite_good
    assert row.counts == (1, classified - 1, 0, 0)
    strong = [n for n in shown.notes if n.strong and n.cell_id == cell_id]
    assert len(strong) == 1 and strong[0].kind == "weak_cell"
    assert strong[0].text.startswith(f"{name} được xếp HTNV nhưng cả {classified} đảng viên")
    assert shown.notes[0].strong  # the strong ones head the list
    # Every member of that cell is above the cell's own level.
    assert len(row.above) == classified


def test_one_member_at_htnv_takes_the_cell_off_the_strong_list(any_full_demo_db: Database) -> None:
    cell_id, _name, _classified = _make_weak_cell_of_good_members(any_full_demo_db, DECIDED)
    with any_full_demo_db.session() as session:
        row = session.scalars(
            select(MemberEvaluation).where(
                MemberEvaluation.period_id == _period_ids(any_full_demo_db)[DECIDED],
                MemberEvaluation.org_id == cell_id,
                MemberEvaluation.evaluated.is_(True),
            )
        ).first()
        assert row is not None
        row.decided_level = "HTNV"
    shown = mirror.build(any_full_demo_db, DECIDED)
    row_ = next(c for c in shown.cells if c.cell_id == cell_id)
    assert not row_.all_good and not row_.weak_despite_good
    assert not [n for n in shown.notes if n.cell_id == cell_id]


def test_distribution_against_the_commune_and_the_cells_past(any_full_demo_db: Database) -> None:
    shown = mirror.build(any_full_demo_db, DECIDED)
    assert len(shown.cells) == 35
    assert shown.counts == _tiers(any_full_demo_db, DECIDED)
    assert sum(shown.counts) == sum(c.classified for c in shown.cells)
    # Every decided year up to this one, oldest first, each counted from its own rows.
    earlier = list(range(DECIDED - 4, DECIDED))
    assert shown.history == tuple((y, _tiers(any_full_demo_db, y)) for y in [*earlier, DECIDED])
    # A cell's past is the sum of its earlier years.
    for cell in shown.cells:
        assert cell.counts == _tiers(any_full_demo_db, DECIDED, cell.cell_id)
        years = [_tiers(any_full_demo_db, y, cell.cell_id) for y in earlier]
        assert cell.past == tuple(map(sum, zip(*years, strict=True)))
        assert cell.past_years == sum(1 for counts in years if sum(counts))
    # Each cell's own share of the HTXSNV ceiling: 20% of its HTTNV, rounded down; the demo
    # has cells that used all of theirs and cells that did not.
    full = 0
    for cell in shown.cells:
        top, good = _tiers(any_full_demo_db, DECIDED, cell.cell_id)[:2]
        assert cell.ceiling_allowed == good // 5
        assert cell.ceiling_full == (good // 5 > 0 and top >= good // 5)
        full += cell.ceiling_full
    assert 0 < full < len(shown.cells)


def test_the_ceiling_used_to_the_last_place_is_named(any_full_demo_db: Database) -> None:
    period_id = _period_ids(any_full_demo_db)[DECIDED]
    with any_full_demo_db.session() as session:
        rows = session.scalars(
            select(MemberEvaluation)
            .where(MemberEvaluation.period_id == period_id, MemberEvaluation.evaluated.is_(True))
            .order_by(MemberEvaluation.id)
        ).all()
        for row in rows:
            if row.decided_level == "HTXSNV":
                row.decided_level = "HTTNV"
        good = [r for r in rows if r.decided_level == "HTTNV"]
        # k HTXSNV out of 6k + r good members: 20% of the 5k + r HTTNV left allows exactly k.
        k = len(good) // 6
        for row in good[:k]:
            row.decided_level = "HTXSNV"
    shown = mirror.build(any_full_demo_db, DECIDED)
    assert shown.counts[0] == k == shown.ceiling_allowed
    assert shown.ceiling_full
    note = next(n for n in shown.notes if n.kind == "ceiling" and n.cell_id is None)
    assert note.strong
    assert note.text == (
        f"Toàn đảng bộ có {k} đảng viên HTXSNV, dùng hết trần {k} (20% của {len(good) - k} HTTNV)."
    )
    # Cells: the column says how much of its own share each cell used (20% of its own HTTNV,
    # rounded down), counted here from the rows.
    assert len(shown.cells) == 35
    for c in shown.cells:
        top, good_ones = _tiers(any_full_demo_db, DECIDED, c.cell_id)[:2]
        assert c.ceiling_allowed == good_ones // 5
        assert c.ceiling_full == (good_ones // 5 > 0 and top >= good_ones // 5)

    # One HTXSNV fewer: the ceiling is no longer used to the last place.
    with any_full_demo_db.session() as session:
        row = session.get(MemberEvaluation, good[0].id)
        assert row is not None
        row.decided_level = "HTTNV"
    shown = mirror.build(any_full_demo_db, DECIDED)
    assert not shown.ceiling_full
    assert not [n for n in shown.notes if n.kind == "ceiling" and n.cell_id is None]


def test_htxsnv_streaks_come_from_the_years_before(any_full_demo_db: Database) -> None:
    ids = _period_ids(any_full_demo_db)
    with any_full_demo_db.session() as session:
        member_id, name = session.execute(
            select(Member.id, Member.full_name)
            .join(MemberEvaluation, MemberEvaluation.member_id == Member.id)
            .where(MemberEvaluation.period_id == ids[DECIDED], MemberEvaluation.evaluated.is_(True))
            .order_by(Member.id)
            .limit(1)
        ).one()
        for year in (DECIDED - 2, DECIDED - 1, DECIDED):
            session.execute(
                update(MemberEvaluation)
                .where(
                    MemberEvaluation.period_id == ids[year], MemberEvaluation.member_id == member_id
                )
                .values(decided_level="HTXSNV", evaluated=True)
            )
        session.execute(
            update(MemberEvaluation)
            .where(
                MemberEvaluation.period_id == ids[DECIDED - 3],
                MemberEvaluation.member_id == member_id,
            )
            .values(decided_level="HTTNV")
        )
    shown = mirror.build(any_full_demo_db, DECIDED)
    streak = next(s for s in shown.streaks if s.member_id == member_id)
    assert streak.years == (DECIDED - 2, DECIDED - 1, DECIDED)
    assert streak.full_name == name
    assert all(len(s.years) >= 2 for s in shown.streaks)
    assert any(f"{name} (" in n.text and "3 năm liền" in n.text for n in shown.notes)


def test_no_period_no_mirror(any_db: Database) -> None:
    with pytest.raises(NotFound):
        mirror.build(any_db)
