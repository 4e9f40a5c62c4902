"""A cell the commune has decided and locked while the rest of the period is still in appraisal:
no service that writes a cell's records can change it — neither the cell's own steps nor the
commune's appraisal — and a cell of the same period not yet decided can still be changed.

The year under way of the full demo is used: its submitted cells are decided one at a time
(``decide_and_lock(db, year, cell_ids=[…])``), so the period stays in appraisal and the lock
of each decided cell is the only thing standing in the way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from app.domain import clock
from app.domain.procedure import CellStep, PeriodState
from app.domain.rules import Subject
from app.services.common.errors import ServiceError
from app.services.periods import lifecycle as periods
from app.services.procedure import appraisal, levels
from app.services.procedure import board as procedure_board
from app.services.procedure import double_tally as tally_double
from app.services.procedure import steps as procedure_steps
from app.services.procedure import view as procedure_view
from app.services.procedure.levels import LockedError
from app.store.database import Database
from tests.db_state import changed_tables, state

YEAR = clock.today().year  # the demo's year under way


@dataclass(frozen=True)
class Decided:
    db: Database
    cell_id: int
    member_id: int
    subjects: tuple[Subject, ...]  # a member, the cell, its chi ủy
    undecided_cell: int


def _another(codes: tuple[str, ...], current: str | None) -> str:
    """A level other than the one recorded: a write that went through would show."""
    return next(code for code in codes if code != current)


@pytest.fixture
def decided(any_full_demo_db: Database) -> Decided:
    db = any_full_demo_db
    submitted = [
        row.cell_id for row in procedure_board.board(db, YEAR) if row.step is CellStep.SUBMITTED
    ]
    with_collective = [
        cell for cell in submitted if procedure_view.cell_view(db, YEAR, cell).collective
    ]
    assert len(submitted) >= 2 and with_collective, "the demo has submitted cells with a chi ủy"
    cell = with_collective[0]
    undecided = next(c for c in submitted if c != cell)
    appraisal.accept_proposals(db, YEAR, [cell])
    assert appraisal.decide_and_lock(db, YEAR, [cell], backup=False) == 1
    assert periods.get_period(db, YEAR).state is PeriodState.APPRAISAL
    view = procedure_view.cell_view(db, YEAR, cell)
    assert view.locked and view.step is CellStep.DECIDED
    assert view.collective is not None
    member = next(m for m in view.members if m.evaluated and m.votes)
    return Decided(
        db, cell, member.member_id,
        (member.subject, view.cell.subject, view.collective.subject), undecided,
    )  # fmt: skip


def _attempts(d: Decided) -> dict[str, Callable[[], object]]:
    """Every service that writes one of the cell's records, with a value that would change
    it; what each must raise is checked by the test."""
    db, cell, member = d.db, d.cell_id, d.member_id
    view = procedure_view.cell_view(db, YEAR, cell)
    rs = view.ruleset
    lines = {view.member(member).subject: view.member(member), view.cell.subject: view.cell}
    assert view.collective is not None
    lines[view.collective.subject] = view.collective
    attempts: dict[str, Callable[[], object]] = {}
    for subject in d.subjects:
        line = lines[subject]
        codes = rs.scale(subject.kind).codes
        for stage, current in (
            ("self", line.self_level),
            ("proposed", line.proposed_level),
            ("decided", line.decided_level),
        ):
            level = _another(codes, current)
            attempts[f"set_level {stage} of {subject.kind}"] = (
                lambda subject=subject, stage=stage, level=level: levels.record_level(
                    db, YEAR, subject, stage, level, note="Sửa sau khi khóa"
                )
            )
        other = _another(codes, line.decided_level)
        attempts[f"change_level of {subject.kind}"] = lambda subject=subject, other=other: (
            appraisal.change_level(db, YEAR, subject, other, "Sửa sau khi khóa")
        )
        proposal = _another(codes, line.proposed_level)
        attempts[f"set_proposal of {subject.kind}"] = lambda subject=subject, proposal=proposal: (
            procedure_steps.set_proposal(db, YEAR, subject, proposal, "Đề xuất lại")
        )
        attempts[f"save_votes of {subject.kind}"] = lambda subject=subject, codes=codes: (
            procedure_steps.save_votes(db, YEAR, subject, {codes[-1]: 1})
        )
        attempts[f"double entry of {subject.kind}"] = lambda subject=subject, codes=codes: (
            tally_double.save_entry(db, YEAR, cell, 1, "Lò Văn Pọm", subject, {codes[-1]: 1})
        )
    member_codes = rs.scale("member").codes
    attempts |= {
        "save_self_review": lambda: procedure_steps.save_self_review(
            db, YEAR, member, procedure_steps.SelfReview(level=member_codes[-1], text="Viết lại")
        ),
        "save_cell_self_assessment": lambda: procedure_steps.save_cell_self_assessment(
            db,
            YEAR,
            cell,
            procedure_steps.CellSelfAssessment(level=rs.org_levels.codes[-1], text="Viết lại"),
        ),
        "save_comments": lambda: procedure_steps.save_comments(
            db, YEAR, member, "Góp ý thêm", "Tiếp thu"
        ),
        "save_attendance": lambda: procedure_steps.save_attendance(
            db, YEAR, cell, member, False, "Ốm"
        ),
        "save_meeting": lambda: procedure_steps.save_meeting(
            db,
            YEAR,
            cell,
            procedure_steps.MeetingInput(
                held_on=dt.date(YEAR, 11, 1),
                starts_at=dt.time(8),
                ends_at=dt.time(11),
                place="Nơi khác",
                chair_id=member,
                secretary_id=member,
            ),
        ),
        "save_ballots": lambda: procedure_steps.save_ballots(db, YEAR, cell, 1, 1, 1),
        "clear the double entry": lambda: tally_double.clear(db, YEAR, cell),
        "advance": lambda: procedure_steps.advance(db, YEAR, cell),
        "go_back": lambda: procedure_steps.go_back(db, YEAR, cell),
    }
    return attempts


def test_no_service_changes_a_decided_cell_while_the_period_is_in_appraisal(
    decided: Decided,
) -> None:
    db = decided.db
    attempts = _attempts(decided)
    assert len(attempts) == 3 * 7 + 9
    view_before = procedure_view.cell_view(db, YEAR, decided.cell_id)
    before = state(db)
    let_through, other_reason = [], []
    for name, attempt in attempts.items():
        try:
            attempt()
        except LockedError as refused:
            assert "đã được quyết định và khóa" in str(refused), name
        except ServiceError as refused:
            other_reason.append(f"{name}: {refused}")
        else:
            let_through.append(name)
    assert let_through == [], f"a decided, locked cell was written by {let_through}"
    assert other_reason == [], "refused, but not because the cell is locked"

    # The commune's own moves on the cell: a return needs a submitted cell, and accepting the
    # proposals again fills in nothing.
    with pytest.raises(ServiceError, match="Chỉ trả lại được chi bộ đã nộp kết quả"):
        appraisal.return_cell(db, YEAR, decided.cell_id, "Họp lại")
    assert appraisal.accept_proposals(db, YEAR, [decided.cell_id]) == 0

    assert changed_tables(before, state(db)) == []
    assert procedure_view.cell_view(db, YEAR, decided.cell_id) == view_before
    assert periods.get_period(db, YEAR).state is PeriodState.APPRAISAL


def test_a_cell_not_yet_decided_in_the_same_period_can_still_be_changed(
    decided: Decided,
) -> None:
    """The refusals above are the lock of that one cell, not a period closed to everything."""
    db, cell = decided.db, decided.undecided_cell
    view = procedure_view.cell_view(db, YEAR, cell)
    assert not view.locked and view.step is CellStep.SUBMITTED
    line = next(m for m in view.members if m.evaluated and m.proposed_level)
    other = _another(view.ruleset.scale("member").codes, line.proposed_level)
    appraisal.change_level(db, YEAR, line.subject, other, "Chưa gương mẫu")
    assert procedure_view.cell_view(db, YEAR, cell).member(line.member_id).decided_level == other
