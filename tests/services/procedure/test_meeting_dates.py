"""The day of a cell's meeting is a day that has been: a meeting dated after today is refused
by the service, naming the field; a late meeting (after the plan's deadline) is the window's
question to ask, not a refusal."""

from __future__ import annotations

import datetime as dt

import pytest

from app.domain import clock
from app.domain.procedure import CellStep
from app.services.common.errors import ServiceError, ValidationError
from app.services.periods import lifecycle as periods
from app.services.procedure import board as procedure_board
from app.services.procedure import steps as procedure_steps
from app.services.procedure import view as procedure_view
from app.services.procedure.view import MeetingInfo
from app.services.safekeeping import audit
from app.store.database import Database


def year_of(db: Database) -> int:
    return periods.list_periods(db)[-1].year


def meeting_cell(db: Database, year: int) -> tuple[int, MeetingInfo]:
    """A cell of the demo at the meeting step whose meeting is recorded."""
    for row in procedure_board.board(db, year):
        view = procedure_view.cell_view(db, year, row.cell_id)
        if row.step is CellStep.MEETING and view.meeting and view.meeting.held_on:
            return row.cell_id, view.meeting
    raise AssertionError("the demo has a cell whose meeting is recorded")


def dated(meeting: MeetingInfo, day: dt.date) -> procedure_steps.MeetingInput:
    """The recorded meeting, held on *day*."""
    return procedure_steps.MeetingInput(
        held_on=day, starts_at=meeting.starts_at, ends_at=meeting.ends_at, place=meeting.place,
        chair_id=meeting.chair_id, secretary_id=meeting.secretary_id,
        upper_attendee=meeting.upper_attendee, upper_attendee_post=meeting.upper_attendee_post,
        voting_method=meeting.voting_method, tally_committee=meeting.tally_committee,
    )  # fmt: skip


def test_a_meeting_dated_after_today_is_refused_naming_the_field(full_demo_db: Database) -> None:
    db = full_demo_db
    year = year_of(db)
    cell, meeting = meeting_cell(db, year)
    entries = len(audit.entries(db))
    today = clock.today()
    for ahead in (dt.timedelta(days=1), dt.timedelta(days=90)):
        with pytest.raises(ValidationError) as refused:
            procedure_steps.save_meeting(db, year, cell, dated(meeting, today + ahead))
        assert isinstance(refused.value, ServiceError)
        [problem] = refused.value.problems
        day = f"{today + ahead:%d/%m/%Y}"
        assert (problem.field, problem.label) == ("held_on", "Ngày họp")
        assert problem.message == (
            f"ngày {day} chưa đến (hôm nay là {today:%d/%m/%Y}): chỉ ghi hội nghị đã họp"
        )
        assert str(refused.value).startswith(f"Ngày họp: ngày {day} chưa đến")
    # Nothing was written, nothing logged.
    assert procedure_view.cell_view(db, year, cell).meeting.held_on == meeting.held_on
    assert len(audit.entries(db)) == entries
    # Today itself is a day that has been.
    procedure_steps.save_meeting(db, year, cell, dated(meeting, today))
    assert procedure_view.cell_view(db, year, cell).meeting.held_on == today


def test_a_late_meeting_is_saved_but_never_one_still_to_come(full_demo_db: Database) -> None:
    """After the deadline the service records what happened (the window asks first); a day
    after today stays refused, deadline or not."""
    db = full_demo_db
    year = year_of(db)
    cell, meeting = meeting_cell(db, year)
    deadline = periods.get_period(db, year).deadline
    assert deadline is not None
    later = deadline + dt.timedelta(days=8)
    held = later - dt.timedelta(days=1)
    with clock.fixed(later):
        procedure_steps.save_meeting(db, year, cell, dated(meeting, held))
        assert procedure_view.cell_view(db, year, cell).meeting.held_on == held
        with pytest.raises(ValidationError) as refused:
            procedure_steps.save_meeting(db, year, cell, dated(meeting, later + dt.timedelta(1)))
        assert {p.field for p in refused.value.problems} == {"held_on"}


def test_the_demo_dates_no_meeting_after_today(full_demo_db: Database) -> None:
    [(latest,)] = full_demo_db.read("SELECT max(held_on) FROM meetings")
    assert latest is not None and dt.date.fromisoformat(latest) <= clock.today()
