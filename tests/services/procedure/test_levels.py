"""Recording a level at one stage: the value, its note and who wrote it land in the record and
in the audit log; an unknown level and a locked cell are refused in plain words."""

from __future__ import annotations

import datetime as dt

import pytest

from app.domain.rules import Subject
from app.services.common.errors import ServiceError
from app.services.periods import lifecycle as periods
from app.services.periods import rule_sets as rulesets
from app.services.procedure import board as procedure_board
from app.services.procedure import levels
from app.services.procedure import view as procedure_view
from app.services.safekeeping import audit
from app.store.database import Database

YEAR = 2026


@pytest.fixture
def period_db(any_db: Database) -> Database:
    periods.create_period(any_db, YEAR, rulesets.get("qd366-2025"), dt.date(YEAR, 12, 31))
    return any_db


def _first_member(db: Database) -> tuple[int, int]:
    cell_id = procedure_board.board(db, YEAR)[0].cell_id
    line = next(m for m in procedure_view.cell_view(db, YEAR, cell_id).members if m.evaluated)
    return cell_id, line.member_id


def _line(db: Database, cell_id: int, member_id: int) -> procedure_view.MemberLine:
    return next(m for m in procedure_view.cell_view(db, YEAR, cell_id).members
                if m.member_id == member_id)  # fmt: skip


def test_a_proposal_with_its_note_is_written_and_logged(period_db: Database) -> None:
    cell_id, member_id = _first_member(period_db)
    subject = Subject("member", member_id)
    levels.record_level(
        period_db, YEAR, subject, "proposed", "HTNV",
        note="Chưa hoàn thành chỉ tiêu", actor="Lò Thị Hoa",
    )  # fmt: skip
    line = _line(period_db, cell_id, member_id)
    assert line.proposed_level == "HTNV"
    [entry] = audit.entries(period_db, entity="member_evaluation")[-1:]
    assert entry.actor == "Lò Thị Hoa"
    assert entry.action == "ghi_proposed"
    assert entry.before == {"proposed_level": None, "proposal_note": ""}
    assert entry.after == {"proposed_level": "HTNV", "proposal_note": "Chưa hoàn thành chỉ tiêu"}
    assert entry.summary == "member: mức đề xuất (trống) → HTNV — Chưa hoàn thành chỉ tiêu"

    # The same level with another note is a change too; the same level and note is none.
    levels.record_level(period_db, YEAR, subject, "proposed", "HTNV", note="Nghỉ ốm dài ngày")
    entry = audit.entries(period_db, entity="member_evaluation")[-1]
    assert entry.actor == ""  # nobody named: the log says so rather than inventing a name
    assert entry.before == {"proposed_level": "HTNV", "proposal_note": "Chưa hoàn thành chỉ tiêu"}
    assert entry.after == {"proposed_level": "HTNV", "proposal_note": "Nghỉ ốm dài ngày"}
    count = len(audit.entries(period_db))
    levels.record_level(period_db, YEAR, subject, "proposed", "HTNV", note="Nghỉ ốm dài ngày")
    assert len(audit.entries(period_db)) == count

    # A stage without a note column (the self-assessment) logs the level alone.
    levels.record_level(period_db, YEAR, subject, "self", "HTTNV", actor="Lò Thị Hoa")
    entry = audit.entries(period_db, entity="member_evaluation")[-1]
    assert (entry.action, entry.before, entry.after) == (
        "ghi_self", {"self_level": None}, {"self_level": "HTTNV"}
    )  # fmt: skip
    assert entry.summary == "member: mức tự xếp loại (trống) → HTTNV"
    assert _line(period_db, cell_id, member_id).proposed_level == "HTNV"  # stages stay apart


def test_a_level_the_rule_set_does_not_have_is_refused(period_db: Database) -> None:
    cell_id, member_id = _first_member(period_db)
    with pytest.raises(ServiceError) as refused:
        levels.record_level(period_db, YEAR, Subject("member", member_id), "proposed", "XUATSAC")
    assert str(refused.value) == (
        "Mức “XUATSAC” không có trong Quy định 366-QĐ/TW và Hướng dẫn 43-HD/BTCTW (2025)"
    )
    assert _line(period_db, cell_id, member_id).proposed_level is None
    # Clearing a level (None) is always allowed.
    levels.record_level(period_db, YEAR, Subject("member", member_id), "proposed", None)


def test_a_locked_cell_says_how_to_open_it(period_db: Database) -> None:
    cell_id, member_id = _first_member(period_db)
    with period_db.session() as session:
        levels.cell_row(session, periods.find(session, YEAR), cell_id).locked = True
    with pytest.raises(levels.LockedError) as refused:
        levels.record_level(period_db, YEAR, Subject("member", member_id), "decided", "HTTNV")
    assert str(refused.value) == (
        "Kết quả của chi bộ này đã được quyết định và khóa. Muốn sửa, đảng ủy phải mở khóa "
        "với lý do (menu Kỳ đánh giá → Mở khóa kết quả)."
    )
