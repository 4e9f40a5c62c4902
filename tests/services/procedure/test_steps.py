"""One cell of the demo commune through every step with the services, returned once,
re-evaluated, and decided."""

from __future__ import annotations

import datetime as dt

import pytest

from app.domain import clock
from app.domain.procedure import CellStep, PeriodState
from app.domain.rules import Subject
from app.services.common.errors import ServiceError, ValidationError
from app.services.periods import lifecycle as periods
from app.services.periods import rule_sets as rulesets
from app.services.procedure import appraisal
from app.services.procedure import board as procedure_board
from app.services.procedure import steps as procedure_steps
from app.services.procedure import view as procedure_view
from app.services.procedure.levels import LockedError
from app.services.safekeeping import audit
from app.store.database import Database

YEAR = 2026


@pytest.fixture
def period_db(any_db: Database) -> Database:
    periods.create_period(any_db, YEAR, rulesets.get("qd366-2025"), dt.date(YEAR, 12, 31))
    return any_db


def first_cell(db: Database) -> int:
    return procedure_board.board(db, YEAR)[0].cell_id


def fill_self_review(db: Database, cell_id: int) -> None:
    view = procedure_view.cell_view(db, YEAR, cell_id)
    for line in view.members:
        if line.evaluated:
            procedure_steps.save_self_review(
                db, YEAR, line.member_id,
                procedure_steps.SelfReview(level="HTTNV", score_general=26, score_tasks=58,
                                           all_tasks_on_time=True),
            )  # fmt: skip
    procedure_steps.save_cell_self_assessment(
        db, YEAR, cell_id, procedure_steps.CellSelfAssessment(level="HTTNV", text="Tốt")
    )
    if view.collective is not None:
        procedure_steps.save_cell_self_assessment(
            db, YEAR, cell_id, procedure_steps.CellSelfAssessment(level="HTTNV", text="Tốt"),
            kind="collective",
        )  # fmt: skip


def hold_meeting(db: Database, cell_id: int, absent: int | None = None) -> list[int]:
    view = procedure_view.cell_view(db, YEAR, cell_id)
    present = []
    for line in view.members:
        here = line.member_id != absent
        procedure_steps.save_attendance(db, YEAR, cell_id, line.member_id, here, "đi làm ăn xa")
        if here:
            present.append(line.member_id)
    voters = [m.member_id for m in view.members if m.votes and m.member_id in present]
    procedure_steps.save_meeting(
        db, YEAR, cell_id,
        procedure_steps.MeetingInput(
            held_on=clock.today(), starts_at=dt.time(8), ends_at=dt.time(11, 30),
            place="Nhà văn hóa bản", chair_id=voters[0], secretary_id=voters[1],
            tally_committee=(voters[2], voters[3]),
        ),
    )  # fmt: skip
    return voters


def vote(db: Database, cell_id: int, voters: int, excellent: set[int] = frozenset()) -> None:
    view = procedure_view.cell_view(db, YEAR, cell_id)
    procedure_steps.save_ballots(db, YEAR, cell_id, voters, voters, voters)
    for line in view.members:
        if not line.evaluated:
            continue
        counts = {"HTXSNV": voters} if line.member_id in excellent else {"HTTNV": voters}
        procedure_steps.save_votes(db, YEAR, line.subject, counts)
    procedure_steps.save_votes(db, YEAR, Subject("org", cell_id), {"HTTNV": voters})
    if view.collective is not None:
        procedure_steps.save_votes(db, YEAR, view.collective.subject, {"HTTNV": voters})
    view = procedure_view.cell_view(db, YEAR, cell_id)
    for line in view.members:
        if line.evaluated:
            procedure_steps.set_proposal(db, YEAR, line.subject, line.suggested_level)
    procedure_steps.set_proposal(db, YEAR, view.cell.subject, view.cell.suggested_level)
    if view.collective is not None:
        procedure_steps.set_proposal(
            db, YEAR, view.collective.subject, view.collective.suggested_level
        )


def test_a_cell_goes_through_every_step_is_returned_and_decided(period_db: Database) -> None:
    db = period_db
    cell = first_cell(db)
    assert procedure_steps.advance(db, YEAR, cell) is CellStep.SELF_REVIEW
    blocked = procedure_view.cell_view(db, YEAR, cell).missing
    assert any("chưa có mức tự xếp loại" in m for m in blocked)
    with pytest.raises(procedure_steps.StepBlocked, match="Chưa xong bước “Tự kiểm điểm”"):
        procedure_steps.advance(db, YEAR, cell)
    fill_self_review(db, cell)
    assert procedure_steps.advance(db, YEAR, cell) is CellStep.MEETING
    view = procedure_view.cell_view(db, YEAR, cell)
    absent = view.members[-1].member_id
    voters = hold_meeting(db, cell, absent=absent)
    assert procedure_steps.advance(db, YEAR, cell) is CellStep.VOTING
    vote(db, cell, len(voters))
    view = procedure_view.cell_view(db, YEAR, cell)
    line = next(m for m in view.members if m.evaluated and m.votes)
    assert line.vote_explanation.startswith("HTTNV")
    assert line.proposed_level == "HTTNV"
    assert procedure_steps.advance(db, YEAR, cell) is CellStep.SUBMITTED
    with pytest.raises(LockedError, match="đã nộp"):
        procedure_steps.save_comments(db, YEAR, line.member_id, "Góp ý", "")

    appraisal.return_cell(db, YEAR, cell, "Chưa lấy ý kiến nơi cư trú của đảng viên")
    view = procedure_view.cell_view(db, YEAR, cell)
    assert view.step is CellStep.RETURNED and view.meeting is not None
    assert view.meeting.round == 2 and view.returned_reason.startswith("Chưa lấy ý kiến")
    assert view.members
    assert all(not m.vote_counts and m.proposed_level is None for m in view.members)
    voters = hold_meeting(db, cell)
    assert procedure_steps.advance(db, YEAR, cell) is CellStep.VOTING
    vote(db, cell, len(voters))
    assert procedure_steps.advance(db, YEAR, cell) is CellStep.SUBMITTED

    appraisal.accept_proposals(db, YEAR, [cell])
    change = next(m for m in view.members if m.evaluated)
    with pytest.raises(ServiceError, match="phải ghi lý do"):
        appraisal.change_level(db, YEAR, change.subject, "HTNV", "")
    appraisal.change_level(db, YEAR, change.subject, "HTNV", "Chưa gương mẫu ở khu dân cư")
    assert appraisal.decide_and_lock(db, YEAR, [cell]) == 1
    view = procedure_view.cell_view(db, YEAR, cell)
    assert view.step is CellStep.DECIDED and view.locked
    assert view.member(change.member_id).decided_level == "HTNV"
    assert view.member(change.member_id).proposed_level == "HTTNV"  # both stages kept
    with pytest.raises(LockedError):
        procedure_steps.save_comments(db, YEAR, change.member_id, "sửa", "")
    actions = [e.action for e in audit.entries(db, periods.get_period(db, YEAR).id)]
    for action in (
        "tao_ky",
        "tu_kiem_diem",
        "diem_danh",
        "ghi_hoi_nghi",
        "kiem_phieu",
        "ghi_proposed",
        "chuyen_buoc",
        "tra_lai",
        "ghi_decided",
        "quyet_dinh",
    ):
        assert action in actions, action  # fmt: skip
    assert audit.verify_chain(db) == []
    assert periods.get_period(db, YEAR).state is PeriodState.APPRAISAL  # other cells wait


def test_refusals_name_the_field(period_db: Database) -> None:
    db = period_db
    cell = first_cell(db)
    view = procedure_view.cell_view(db, YEAR, cell)
    absent, chair = view.members[0].member_id, view.members[1].member_id
    procedure_steps.save_attendance(db, YEAR, cell, absent, False, "ốm")
    procedure_steps.save_attendance(db, YEAR, cell, chair, True)
    record = procedure_steps.MeetingInput(
        held_on=dt.date(YEAR, 6, 1), starts_at=dt.time(8), ends_at=dt.time(10),
        place="Nhà văn hóa", chair_id=absent, secretary_id=chair, tally_committee=(chair,),
    )  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        procedure_steps.save_meeting(db, YEAR, cell, record)
    labels = {p.label: p.message for p in caught.value.problems}
    assert "nằm ngoài thời gian của kỳ đánh giá" in labels["Ngày họp"]
    assert "vắng mặt, không thể làm chủ trì" in labels["Chủ trì"]
    with pytest.raises(ValidationError) as caught:
        procedure_steps.save_votes(db, YEAR, view.members[2].subject, {"HTXSNV": 50})
    [problem] = caught.value.problems
    assert problem.label == "Số phiếu" and "nhiều hơn" in problem.message


def test_what_the_documents_check_would_flag_is_refused_when_entered(
    period_db: Database,
) -> None:
    """A meeting recorded before its day, a tally committee smaller than the rule set asks,
    and a teller marked absent afterwards are refused, each naming its field."""
    db = period_db
    cell = first_cell(db)
    voters = hold_meeting(db, cell)
    tomorrow = clock.today() + dt.timedelta(days=1)
    record = procedure_steps.MeetingInput(
        held_on=tomorrow, starts_at=dt.time(8), ends_at=dt.time(10), place="Nhà văn hóa",
        chair_id=voters[0], secretary_id=voters[1], tally_committee=(voters[2],),
    )  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        procedure_steps.save_meeting(db, YEAR, cell, record)
    labels = {p.label: p.message for p in caught.value.problems}
    assert labels["Ngày họp"].endswith("chưa đến (hôm nay là " + f"{clock.today():%d/%m/%Y}): "
                                       "chỉ ghi hội nghị đã họp")  # fmt: skip
    assert labels["Tổ kiểm phiếu"] == "tổ kiểm phiếu cần ít nhất 2 người (mới có 1)"
    teller = voters[2]  # hold_meeting's committee: voters[2] and voters[3]
    with pytest.raises(ValidationError) as caught:
        procedure_steps.save_attendance(db, YEAR, cell, teller, False, "ốm")
    [problem] = caught.value.problems
    assert (problem.label, problem.message) == (
        "Điểm danh", "thành viên tổ kiểm phiếu không thể vắng mặt"
    )  # fmt: skip
    assert procedure_view.cell_view(db, YEAR, cell).meeting.held_on == clock.today()


def test_deciding_everything_needs_every_cell(period_db: Database) -> None:
    with pytest.raises(appraisal.DecisionBlocked, match="chi bộ chưa nộp kết quả"):
        appraisal.decide_and_lock(period_db, YEAR)
