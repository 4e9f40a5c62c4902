"""The demo and the procedure at the turns of the calendar: the last day of the year, the first
day of the next, and 29 February. The app reads the day from one clock (app/domain/clock.py);
here it is fixed to each of those days in turn, whatever the machine's calendar says."""

from __future__ import annotations

import datetime as dt

import pytest

from app.domain import clock
from app.domain.procedure import CellStep
from app.domain.rules import Subject
from app.services.common.errors import ValidationError
from app.services.demo.commune import create_demo, year_under_way
from app.services.periods import validation
from app.services.procedure import board as procedure_board
from app.services.procedure import steps as procedure_steps
from app.services.procedure import view as procedure_view
from app.store.database import Database
from tests.services.conftest import NewDatabase

DAYS = [dt.date(2026, 12, 31), dt.date(2027, 1, 1), dt.date(2028, 2, 29)]


def _after(db: Database, sql: str, day: dt.date) -> int:
    return int(db.read(sql, (day.isoformat(),))[0][0])


def _carry_to_submission(db: Database, year: int, cell_id: int, held_on: dt.date) -> None:
    """One cell of the year under way through every step, as its secretary would."""
    view = procedure_view.cell_view(db, year, cell_id)
    while procedure_view.cell_view(db, year, cell_id).step is CellStep.PREPARATION:
        procedure_steps.advance(db, year, cell_id)
    for line in view.members:
        if line.evaluated:
            procedure_steps.save_self_review(
                db, year, line.member_id,
                procedure_steps.SelfReview(level="HTTNV", score_general=26, score_tasks=58,
                                           all_tasks_on_time=True, tasks_exceeded_share=0.1,
                                           shortcomings_remedied=True),
            )  # fmt: skip
    procedure_steps.save_cell_self_assessment(
        db, year, cell_id, procedure_steps.CellSelfAssessment(level="HTTNV", score_general=26,
                                                              score_tasks=60,
                                                              all_tasks_on_time=True),
    )  # fmt: skip
    if view.collective is not None:
        procedure_steps.save_cell_self_assessment(
            db, year, cell_id, procedure_steps.CellSelfAssessment(level="HTTNV"),
            kind="collective",
        )  # fmt: skip
    procedure_steps.advance(db, year, cell_id)
    for line in view.members:
        procedure_steps.save_attendance(db, year, cell_id, line.member_id, True)
    voters = [m.member_id for m in view.members if m.votes]
    procedure_steps.save_meeting(
        db, year, cell_id,
        procedure_steps.MeetingInput(
            held_on=held_on, starts_at=dt.time(8), ends_at=dt.time(11), place="Hội trường",
            chair_id=voters[0], secretary_id=voters[1], tally_committee=(voters[2], voters[3]),
        ),
    )  # fmt: skip
    procedure_steps.advance(db, year, cell_id)
    count = len(voters)
    procedure_steps.save_ballots(db, year, cell_id, count, count, count)
    subjects = [Subject("org", cell_id)] + [m.subject for m in view.members if m.evaluated]
    if view.collective is not None:
        subjects.append(view.collective.subject)
    for subject in subjects:
        procedure_steps.save_votes(db, year, subject, {"HTTNV": count})
    voted = procedure_view.cell_view(db, year, cell_id)
    lines = [voted.cell, *([voted.collective] if voted.collective else [])]
    lines += [m for m in voted.members if m.evaluated]
    for line in lines:
        procedure_steps.set_proposal(db, year, line.subject, line.suggested_level)
    procedure_steps.advance(db, year, cell_id)


@pytest.mark.slow
@pytest.mark.parametrize("day", DAYS, ids=[d.isoformat() for d in DAYS])
def test_the_demo_and_a_cell_at_the_turn_of_the_calendar(
    new_database: NewDatabase, day: dt.date
) -> None:
    path = new_database("none", "demo")
    with clock.fixed(day), Database.open(path, create=True) as db:
        create_demo(db, "commune")
        year = year_under_way(day)
        # Nothing recorded as done lies in the future.
        for sql in (
            "SELECT count(*) FROM meetings WHERE held_on > ?",
            "SELECT count(*) FROM audit_log WHERE date(at) > ?",
            "SELECT count(*) FROM org_evaluations WHERE date(submitted_at) > ?",
            "SELECT count(*) FROM disciplines WHERE decided_on > ?",
            "SELECT count(*) FROM member_periods WHERE start_on > ?",
        ):
            assert _after(db, sql, day) == 0, sql
        # The last decided year and the five before hold together under their rule sets.
        for past in range(year - 5, year):
            report = validation.validate_period(db, past)
            assert not [f for f in report.findings if f.blocking], past
        board = procedure_board.board(db, year, day)
        waiting = [r.cell_id for r in board if r.step is CellStep.PREPARATION]
        assert waiting, "no cell left to carry through"
        meetings_open = day >= dt.date(year, 10, 1)
        if meetings_open:
            # From December 31 to January 1 the year under way is the same year: a cell
            # still in preparation meets (yesterday) and hands its results in.
            _carry_to_submission(db, year, waiting[0], day - dt.timedelta(days=1))
            after = procedure_view.cell_view(db, year, waiting[0])
            assert after.step is CellStep.SUBMITTED
            assert after.submitted_at is not None and after.submitted_at.date() == day
        else:
            # On 29 February the year's meetings are months away: a meeting dated today is
            # refused, naming the date.
            with pytest.raises(ValidationError) as refused:
                _carry_to_submission(db, year, waiting[0], day)
            assert "held_on" in {p.field for p in refused.value.problems}
