"""The plan stored on the period, and every cell against it on a fixed day."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from app.domain import clock
from app.domain.plan import Plan
from app.domain.procedure import CellStep
from app.services.common.errors import ValidationError
from app.services.periods import lifecycle as periods
from app.services.procedure import board as procedure_board
from app.services.procedure import plan_dates as plan
from app.services.safekeeping import audit
from app.store.database import Database

YEAR = clock.today().year  # the demo's year under way


def test_the_plan_is_stored_on_the_period_and_logged(any_full_demo_db: Database) -> None:
    wanted = Plan(
        self_review_due=dt.date(YEAR, 11, 15),
        meeting_due=dt.date(YEAR, 12, 5),
        deadline=dt.date(YEAR, 12, 18),
        appraisal_due=None,
        decision_due=dt.date(YEAR + 1, 1, 10),
    )
    plan.save_plan(any_full_demo_db, YEAR, wanted, actor="Văn phòng Đảng ủy")
    assert plan.get_plan(any_full_demo_db, YEAR) == wanted
    # The submission date is the period's deadline, shown on the board's title.
    assert periods.get_period(any_full_demo_db, YEAR).deadline == dt.date(YEAR, 12, 18)
    entry = audit.entries(any_full_demo_db, entity="period")[-1]
    assert entry.action == "ke_hoach" and entry.actor == "Văn phòng Đảng ủy"


def test_dates_out_of_order_are_refused_and_nothing_changes(any_full_demo_db: Database) -> None:
    before = plan.get_plan(any_full_demo_db, YEAR)
    wrong = Plan(
        self_review_due=dt.date(YEAR, 12, 12),
        meeting_due=dt.date(YEAR, 12, 10),
        deadline=dt.date(YEAR, 12, 20),
    )
    with pytest.raises(ValidationError) as refused:
        plan.save_plan(any_full_demo_db, YEAR, wrong)
    assert str(refused.value) == (
        f"Họp chi bộ, biểu quyết: sớm hơn hạn “Xong tự kiểm điểm” (12/12/{YEAR})"
    )
    assert plan.get_plan(any_full_demo_db, YEAR) == before


def test_each_cell_against_the_plan_on_a_fixed_day(any_full_demo_db: Database) -> None:
    steps = {r.cell_id: r.step for r in procedure_board.board(any_full_demo_db, YEAR)}
    # The demo's year under way on the session's day: cells at every step.
    assert Counter(steps.values()) == {
        CellStep.PREPARATION: 8, CellStep.SELF_REVIEW: 7, CellStep.MEETING: 6,
        CellStep.VOTING: 5, CellStep.SUBMITTED: 8, CellStep.RETURNED: 1,
    }  # fmt: skip
    the_plan = plan.get_plan(any_full_demo_db, YEAR)
    assert the_plan.self_review_due is not None  # the demo has a plan
    day_after = the_plan.self_review_due + dt.timedelta(days=5)
    found = plan.board_status(any_full_demo_db, YEAR, day_after)
    assert set(found) == set(steps)
    for cell_id, step in steps.items():
        s = found[cell_id]
        if step in (CellStep.PREPARATION, CellStep.SELF_REVIEW):
            assert s.state == "overdue" and s.days == 5
            assert s.text.startswith("quá hạn 5 ngày: tự kiểm điểm")
        else:
            assert s.state in ("on_time", "soon")
    assert sum(1 for s in found.values() if s.overdue) == 8 + 7  # preparation, self-review

    # A week before the meeting date the cells still to meet are "due soon".
    assert the_plan.meeting_due is not None
    week_before = the_plan.meeting_due - dt.timedelta(days=7)
    found = plan.board_status(any_full_demo_db, YEAR, week_before)
    meeting = [cell_id for cell_id, step in steps.items() if step is CellStep.MEETING]
    assert len(meeting) == 6
    for cell_id in meeting:
        assert found[cell_id].state == "soon"
        assert "còn 7 ngày" in found[cell_id].text


def test_the_decided_year_is_done(any_full_demo_db: Database) -> None:
    found = plan.board_status(any_full_demo_db, YEAR - 1, clock.today())
    assert len(found) == 35 and {s.state for s in found.values()} == {"done"}
