"""The printed year read back as an inspector reads it: the documents agree with each other
and with the records, and a corrupted record is named with its document, page and fact."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update

from app.domain import clock
from app.domain.procedure import CellStep
from app.services.printing import read_back
from app.services.printing.pdf_text import vote_figure_support
from app.services.procedure import board as procedure_board
from app.services.procedure import view as procedure_view
from app.store.database import Database
from app.store.models import Attendance, EvaluationPeriod, Meeting, OrgEvaluation

THIS_YEAR = clock.today().year  # the demo's year under way
LAST_YEAR = THIS_YEAR - 1  # its last decided year


def cell_at(db: Database, year: int, step: CellStep) -> int:
    return next(r.cell_id for r in procedure_board.board(db, year) if r.step is step)


@pytest.mark.slow
@pytest.mark.engine_independent  # every document of two years, laid out and read back
def test_every_year_of_the_demo_reads_back_without_a_disagreement(
    full_demo_db: Database,
) -> None:
    decided = read_back.read_year(full_demo_db, LAST_YEAR)
    assert decided.cells == 35
    assert decided.documents == 35 * 3 + 1  # every cell's three, and the decision
    assert decided.disagreements == ()
    under_way = read_back.read_year(full_demo_db, THIS_YEAR)
    assert under_way.cells > 0  # the cells that have met and voted
    assert under_way.disagreements == ()


def _meeting(db: Database, year: int, cell: int) -> Meeting:
    view = procedure_view.cell_view(db, year, cell)
    assert view.meeting is not None
    with db.session() as session:
        meeting = session.scalars(
            select(Meeting)
            .join(OrgEvaluation, OrgEvaluation.id == Meeting.org_evaluation_id)
            .join(EvaluationPeriod, EvaluationPeriod.id == OrgEvaluation.period_id)
            .where(
                EvaluationPeriod.year == year,
                OrgEvaluation.org_id == cell,
                OrgEvaluation.subject == "org",
            )
            .order_by(Meeting.round.desc())
        ).first()
        assert meeting is not None
        session.expunge(meeting)
        return meeting


def _read(db: Database, cell: int) -> list[str]:
    reading = read_back.read_year(db, LAST_YEAR, only=cell)
    assert reading.documents == 3
    return [str(d) for d in reading.disagreements]


def test_a_chair_recorded_absent_is_named_in_the_minutes(full_demo_db: Database) -> None:
    cell = cell_at(full_demo_db, LAST_YEAR, CellStep.DECIDED)
    assert _read(full_demo_db, cell) == []
    meeting = _meeting(full_demo_db, LAST_YEAR, cell)
    with full_demo_db.session() as session, session.begin():
        session.execute(
            update(Attendance)
            .where(Attendance.meeting_id == meeting.id, Attendance.member_id == meeting.chair_id)
            .values(present=False, absence_reason="Đi công tác")
        )
    found = _read(full_demo_db, cell)
    name = procedure_view.cell_view(full_demo_db, LAST_YEAR, cell).cell_name
    assert any(
        f.startswith(f"Biên bản hội nghị chi bộ – {name}, trang ") and "người chủ trì" in f
        and "vắng mặt" in f
        for f in found
    ), found  # fmt: skip


def test_a_tally_committee_of_one_and_a_meeting_in_the_future_are_named(
    full_demo_db: Database,
) -> None:
    cell = cell_at(full_demo_db, LAST_YEAR, CellStep.DECIDED)
    meeting = _meeting(full_demo_db, LAST_YEAR, cell)
    later = clock.today() + dt.timedelta(days=30)
    with full_demo_db.session() as session, session.begin():
        session.execute(
            update(Meeting)
            .where(Meeting.id == meeting.id)
            .values(tally_committee=meeting.tally_committee[:1], held_on=later)
        )
    found = _read(full_demo_db, cell)
    assert any("Biên bản kiểm phiếu" in f and "tổ kiểm phiếu có 1 người, cần ít nhất 2" in f
               for f in found), found  # fmt: skip
    assert any(f"ngày họp {later:%d/%m/%Y} sau ngày hôm nay" in f for f in found), found
    assert any("Danh sách đề nghị" in f and "trước hội nghị" in f for f in found), found


def test_ballots_that_do_not_add_up_are_named(full_demo_db: Database) -> None:
    cell = cell_at(full_demo_db, LAST_YEAR, CellStep.DECIDED)
    meeting = _meeting(full_demo_db, LAST_YEAR, cell)
    assert meeting.ballots_returned is not None
    with full_demo_db.session() as session, session.begin():
        session.execute(
            update(Meeting)
            .where(Meeting.id == meeting.id)
            .values(ballots_issued=meeting.ballots_returned - 1)
        )
    found = _read(full_demo_db, cell)
    assert any(
        "Biên bản kiểm phiếu" in f and ", trang 1: thu vào" in f and "nhiều hơn" in f
        for f in found
    ), found  # fmt: skip


def test_the_vote_figure_is_read_against_the_tally_s_counts() -> None:
    codes = ("HTXSNV", "HTTNV", "HTNV", "KHTNV")
    counts = {"HTXSNV": 2, "HTTNV": 11, "HTNV": 1}
    figure = vote_figure_support
    assert figure("HTNV: 14/15 phiếu từ HTNV trở lên (93,3%)", counts, codes) == 14
    assert figure("HTTNV: 13/15 phiếu từ HTTNV trở lên (86,7%)", counts, codes) == 13
    assert figure("HTTNV: 11/15 phiếu (73,3%)", counts, codes) == 11
    assert figure("không có", counts, codes) is None
