"""The operator's own record: who works the app may be a member being
evaluated. Which member they are is a preference (settings); a save to that member's own
evaluation is logged with its own action, in the same unit of work as the save, so the log
shows every time somebody changed their own self-review, level, proposal or decision."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from app.domain.vocabulary import AuditAction
from app.services.periods.lifecycle import find
from app.services.safekeeping import audit
from app.store.database import Database
from app.store.models import Member, MemberEvaluation

ACTION = AuditAction.EDIT_OWN_RECORD


def save_own(
    db: Database,
    year: int,
    member_id: int,
    what: str,
    save: Callable[[], object],
    actor: str = "",
) -> None:
    """Run *save* (a service call) and log that the operator edited their own *what*
    ("bản tự kiểm điểm", "mức đề xuất"…); both or neither are written."""
    with db.batch():
        save()
        with db.session() as session:
            period = find(session, year)
            row_id = session.scalar(
                select(MemberEvaluation.id).where(
                    MemberEvaluation.period_id == period.id,
                    MemberEvaluation.member_id == member_id,
                )
            )
            member = session.get(Member, member_id)
            name = member.full_name if member else "?"
            audit.record(
                session, actor=actor, action=ACTION, entity="member_evaluation",
                entity_id=row_id, period_id=period.id,
                summary=f"{name} tự sửa {what} trong hồ sơ đánh giá của chính mình",
                after={"member_id": member_id, "what": what},
            )  # fmt: skip


def member_name(db: Database, member_id: int | None) -> str | None:
    """The name of the member the operator said they are (None when unknown or gone)."""
    if member_id is None:
        return None
    with db.session() as session:
        member = session.get(Member, member_id)
        return member.full_name if member else None
