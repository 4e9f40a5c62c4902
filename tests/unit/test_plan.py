"""A cell against the commune's plan on a fixed day."""

from __future__ import annotations

import datetime as dt

import pytest

from app.domain.plan import Plan, order_problems, status, suggested
from app.domain.procedure import CellStep

PLAN = Plan(
    self_review_due=dt.date(2026, 11, 20),
    meeting_due=dt.date(2026, 12, 10),
    deadline=dt.date(2026, 12, 20),
    appraisal_due=dt.date(2027, 1, 5),
    decision_due=dt.date(2027, 1, 15),
)


@pytest.mark.parametrize(
    ("step", "appraised", "today", "state", "days", "text"),
    [
        (CellStep.SELF_REVIEW, False, dt.date(2026, 11, 25), "overdue", 5,
         "quá hạn 5 ngày: tự kiểm điểm (hạn 20/11/2026)"),
        (CellStep.PREPARATION, False, dt.date(2026, 11, 20), "soon", 0,
         "sắp đến hạn: tự kiểm điểm (hôm nay, hạn 20/11/2026)"),
        (CellStep.MEETING, False, dt.date(2026, 11, 25), "on_time", 15,
         "đúng tiến độ; tiếp theo: hội nghị và biểu quyết (hạn 10/12/2026)"),
        (CellStep.MEETING, False, dt.date(2026, 12, 4), "soon", 6,
         "sắp đến hạn: hội nghị và biểu quyết (còn 6 ngày, hạn 10/12/2026)"),
        (CellStep.RETURNED, False, dt.date(2026, 12, 12), "overdue", 2,
         "quá hạn 2 ngày: hội nghị và biểu quyết (hạn 10/12/2026)"),
        (CellStep.VOTING, False, dt.date(2026, 12, 21), "overdue", 1,
         "quá hạn 1 ngày: nộp kết quả (hạn 20/12/2026)"),
        (CellStep.SUBMITTED, False, dt.date(2027, 1, 8), "overdue", 3,
         "quá hạn 3 ngày: chờ đảng ủy thẩm định (hạn 05/01/2027)"),
        (CellStep.SUBMITTED, True, dt.date(2027, 1, 8), "soon", 7,
         "sắp đến hạn: chờ đảng ủy quyết định (còn 7 ngày, hạn 15/01/2027)"),
        (CellStep.DECIDED, True, dt.date(2027, 3, 1), "done", 0, "xong theo kế hoạch"),
    ],
)  # fmt: skip
def test_status_names_the_first_step_not_reached(
    step: CellStep, appraised: bool, today: dt.date, state: str, days: int, text: str
) -> None:
    found = status(PLAN, step, appraised, today)
    assert (found.state, found.days, found.text) == (state, days, text)


def test_a_step_without_a_date_is_not_followed() -> None:
    partial = Plan(deadline=dt.date(2026, 12, 20))
    found = status(partial, CellStep.PREPARATION, False, dt.date(2026, 12, 1))
    assert found.state == "on_time" and found.milestone is not None
    assert found.milestone.key == "deadline"
    assert status(Plan(), CellStep.PREPARATION, False, dt.date(2026, 12, 1)).state == "no_plan"


def test_dates_out_of_order_are_named() -> None:
    wrong = Plan(
        self_review_due=dt.date(2026, 12, 15),
        meeting_due=dt.date(2026, 12, 10),
        deadline=dt.date(2026, 12, 20),
    )
    assert order_problems(wrong) == [
        ("meeting_due", "sớm hơn hạn “Xong tự kiểm điểm” (15/12/2026)")
    ]
    assert order_problems(PLAN) == []


def test_the_suggestion_is_in_order_around_the_deadline() -> None:
    plan = suggested(2026, dt.date(2026, 12, 20))
    assert plan.deadline == dt.date(2026, 12, 20)
    assert order_problems(plan) == [] and not plan.empty


def test_the_board_shows_a_short_form() -> None:
    late = status(PLAN, CellStep.SELF_REVIEW, False, dt.date(2026, 11, 25))
    assert late.short == "trễ 5 ngày: tự kiểm điểm"
    soon = status(PLAN, CellStep.MEETING, False, dt.date(2026, 12, 4))
    assert soon.short == "còn 6 ngày: hội nghị và biểu quyết"
    assert status(PLAN, CellStep.MEETING, False, dt.date(2026, 11, 25)).short == "đúng tiến độ"
    assert status(PLAN, CellStep.DECIDED, True, dt.date(2027, 3, 1)).short == "xong theo kế hoạch"
