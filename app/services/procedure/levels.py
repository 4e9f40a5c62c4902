"""Recording a level at one stage (self, proposal, decision) for a member, an organisation or
its leading collective, with the lock and the audit log respected.

Each stage has its own column and none overwrites another, so every stage stays visible side
by side. A decided record is locked: changing it needs a logged reopen first.
"""

from __future__ import annotations

from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.rules import RuleSet, Subject
from app.domain.vocabulary import AuditAction
from app.services.common.errors import LockedError, NotFound, ServiceError
from app.services.periods import rule_sets as rulesets
from app.services.periods.lifecycle import find
from app.services.safekeeping import audit
from app.store.database import Database
from app.store.models import EvaluationPeriod, MemberEvaluation, OrgEvaluation

Stage = Literal["self", "proposed", "decided"]
_COLUMNS = {"self": "self_level", "proposed": "proposed_level", "decided": "decided_level"}
_NOTES = {"self": None, "proposed": "proposal_note", "decided": "decision_reason"}
_STAGE_WORDS = {"self": "mức tự xếp loại", "proposed": "mức đề xuất", "decided": "mức quyết định"}


def evaluation_row(
    session: Session, period: EvaluationPeriod, subject: Subject
) -> MemberEvaluation | OrgEvaluation:
    if subject.kind == "member":
        row = session.scalar(
            select(MemberEvaluation).where(
                MemberEvaluation.period_id == period.id,
                MemberEvaluation.member_id == subject.id,
            )
        )
    else:
        row = session.scalar(
            select(OrgEvaluation).where(
                OrgEvaluation.period_id == period.id,
                OrgEvaluation.org_id == subject.id,
                OrgEvaluation.subject == subject.kind,
            )
        )
    if row is None:
        raise NotFound("Không có trong danh sách đánh giá của kỳ này")
    return row


def cell_row(session: Session, period: EvaluationPeriod, cell_id: int) -> OrgEvaluation:
    row = evaluation_row(session, period, Subject("org", cell_id))
    assert isinstance(row, OrgEvaluation)
    return row


def ensure_unlocked(session: Session, period: EvaluationPeriod, cell_id: int) -> None:
    """Raise LockedError when the cell's results are decided (or the whole period is)."""
    cell = cell_row(session, period, cell_id)
    if cell.locked:
        raise LockedError(
            "Kết quả của chi bộ này đã được quyết định và khóa. Muốn sửa, đảng ủy phải mở khóa "
            "với lý do (menu Kỳ đánh giá → Mở khóa kết quả)."
        )


def check_level(rs: RuleSet, subject: Subject, level: str | None) -> None:
    if level is not None and level not in rs.scale(subject.kind):
        raise ServiceError(f"Mức “{level}” không có trong {rs.name}")


def set_level(
    session: Session,
    period: EvaluationPeriod,
    subject: Subject,
    stage: Stage,
    level: str | None,
    *,
    note: str = "",
    actor: str = "",
    who: str = "",
    check_lock: bool = True,
) -> None:
    """Write *level* at *stage* in the caller's unit of work, audited."""
    rs = rulesets.from_snapshot(period.ruleset_snapshot, period.year)
    check_level(rs, subject, level)
    row = evaluation_row(session, period, subject)
    if check_lock:
        ensure_unlocked(session, period, row.org_id)
    write_level(session, period, row, subject, stage, level, note=note, actor=actor, who=who)


def write_level(
    session: Session,
    period: EvaluationPeriod,
    row: MemberEvaluation | OrgEvaluation,
    subject: Subject,
    stage: Stage,
    level: str | None,
    *,
    note: str = "",
    actor: str = "",
    who: str = "",
) -> None:
    """Write *level* at *stage* on *row*, audited, once the caller has checked the level
    against the rule set and the row's cell against the lock (many rows of one cell at once
    check those once)."""
    column = _COLUMNS[stage]
    before = getattr(row, column)
    note_column = _NOTES[stage]
    before_note = getattr(row, note_column) if note_column else None
    if before == level and (note_column is None or before_note == note):
        return
    setattr(row, column, level)
    if note_column:
        setattr(row, note_column, note)
    audit.record(
        session,
        actor=actor,
        action=AuditAction.recording_level(stage),
        entity=f"{subject.kind}_evaluation",
        entity_id=row.id,
        period_id=period.id,
        summary=f"{who or subject.kind}: {_STAGE_WORDS[stage]} "
        f"{before or '(trống)'} → {level or '(trống)'}" + (f" — {note}" if note else ""),
        before={column: before, **({note_column: before_note} if note_column else {})},
        after={column: level, **({note_column: note} if note_column else {})},
    )


def record_level(
    db: Database,
    year: int,
    subject: Subject,
    stage: Stage,
    level: str | None,
    *,
    note: str = "",
    actor: str = "",
) -> None:
    """Record one level in its own unit of work (see :func:`set_level`)."""
    with db.session() as session:
        set_level(session, find(session, year), subject, stage, level, note=note, actor=actor)
