"""The commune's plan: a due date per step, and where a cell stands
against it on a given day. Pure logic; the dates and steps come from the services.

A cell's milestones, in order: its self-review finished, its meeting held and voted, its
results submitted; then the commune's: the appraisal and the decision. The status names the
first milestone not yet reached: overdue (past its date), due soon (within ``SOON_DAYS``),
or on time; a cell past every milestone is done.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from app.domain.formatting import format_date, format_int
from app.domain.procedure import CellStep

SOON_DAYS = 7

State = Literal["overdue", "soon", "on_time", "done", "no_plan"]


@dataclass(frozen=True)
class Milestone:
    key: str  # the period's column holding its date
    label: str  # what is due, as the board says it
    by_commune: bool  # the commune's step, not the cell's


MILESTONES = (
    Milestone("self_review_due", "tự kiểm điểm", False),
    Milestone("meeting_due", "hội nghị và biểu quyết", False),
    Milestone("deadline", "nộp kết quả", False),
    Milestone("appraisal_due", "đảng ủy thẩm định", True),
    Milestone("decision_due", "đảng ủy quyết định", True),
)
LABELS = {
    "self_review_due": "Xong tự kiểm điểm",
    "meeting_due": "Họp chi bộ, biểu quyết",
    "deadline": "Chi bộ nộp kết quả (hạn nộp)",
    "appraisal_due": "Đảng ủy thẩm định xong",
    "decision_due": "Đảng ủy quyết định",
}

_AFTER_SELF_REVIEW = {
    CellStep.MEETING, CellStep.VOTING, CellStep.SUBMITTED, CellStep.RETURNED, CellStep.DECIDED,
}  # fmt: skip
_AFTER_MEETING = {CellStep.VOTING, CellStep.SUBMITTED, CellStep.DECIDED}
_SUBMITTED = {CellStep.SUBMITTED, CellStep.DECIDED}


@dataclass(frozen=True)
class Plan:
    self_review_due: dt.date | None = None
    meeting_due: dt.date | None = None
    deadline: dt.date | None = None
    appraisal_due: dt.date | None = None
    decision_due: dt.date | None = None

    def due(self, key: str) -> dt.date | None:
        return getattr(self, key)

    @property
    def empty(self) -> bool:
        return all(self.due(m.key) is None for m in MILESTONES)


def order_problems(plan: Plan) -> list[tuple[str, str]]:
    """(field, message) for each date earlier than a step before it."""
    problems = []
    latest: tuple[str, dt.date] | None = None
    for m in MILESTONES:
        day = plan.due(m.key)
        if day is None:
            continue
        if latest is not None and day < latest[1]:
            problems.append(
                (m.key, f"sớm hơn hạn “{LABELS[latest[0]]}” ({format_date(latest[1])})")
            )
        else:
            latest = (m.key, day)
    return problems


def reached(m: Milestone, step: CellStep, appraised: bool) -> bool:
    if m.key == "self_review_due":
        return step in _AFTER_SELF_REVIEW
    if m.key == "meeting_due":
        return step in _AFTER_MEETING
    if m.key == "deadline":
        return step in _SUBMITTED
    if m.key == "appraisal_due":
        return step is CellStep.DECIDED or (appraised and step in _SUBMITTED)
    return step is CellStep.DECIDED


@dataclass(frozen=True)
class PlanStatus:
    state: State
    milestone: Milestone | None
    due: dt.date | None
    days: int  # days late when overdue, days left otherwise
    text: str

    @property
    def overdue(self) -> bool:
        return self.state == "overdue"

    @property
    def short(self) -> str:
        """The board's column: "trễ 5 ngày: tự kiểm điểm", "còn 3 ngày: …", "đúng tiến độ"."""
        if self.milestone is None:
            return self.text
        if self.state == "overdue":
            return f"trễ {format_int(self.days)} ngày: {self.milestone.label}"
        if self.state == "soon":
            left = "hôm nay" if self.days == 0 else f"còn {format_int(self.days)} ngày"
            return f"{left}: {self.milestone.label}"
        return "đúng tiến độ"


def status(plan: Plan, step: CellStep, appraised: bool, today: dt.date) -> PlanStatus:
    """Where a cell at *step* stands against *plan* on *today*. ``appraised``: the commune
    has recorded a decision for the cell (accepted or changed its proposal)."""
    if plan.empty:
        return PlanStatus("no_plan", None, None, 0, "chưa có kế hoạch")
    for m in MILESTONES:
        if reached(m, step, appraised):
            continue
        due = plan.due(m.key)
        if due is None:
            continue
        who = "chờ " if m.by_commune else ""
        days = (due - today).days
        if days < 0:
            text = f"quá hạn {format_int(-days)} ngày: {who}{m.label} (hạn {format_date(due)})"
            return PlanStatus("overdue", m, due, -days, text)
        if days <= SOON_DAYS:
            left = "hôm nay" if days == 0 else f"còn {format_int(days)} ngày"
            text = f"sắp đến hạn: {who}{m.label} ({left}, hạn {format_date(due)})"
            return PlanStatus("soon", m, due, days, text)
        text = f"đúng tiến độ; tiếp theo: {who}{m.label} (hạn {format_date(due)})"
        return PlanStatus("on_time", m, due, days, text)
    return PlanStatus("done", None, None, 0, "xong theo kế hoạch")


def suggested(year: int, deadline: dt.date | None) -> Plan:
    """A plan to start from: the usual year-end calendar around the submission deadline."""
    submit = deadline or dt.date(year, 12, 20)
    return Plan(
        self_review_due=submit - dt.timedelta(days=20),
        meeting_due=submit - dt.timedelta(days=7),
        deadline=submit,
        appraisal_due=submit + dt.timedelta(days=16),
        decision_due=submit + dt.timedelta(days=26),
    )
