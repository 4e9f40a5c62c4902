"""Conflicting saves: two people editing the same evaluation at once.

Every evaluation row carries a ``version`` the ORM counts up at each save. A window reads it
with the row (``MemberLine.version``) and hands it back with the save (``expected_version``):
when the row has changed since, the save is refused with a :class:`ConflictError` naming who
changed what and when (read from the audit log's latest entry for that row), and nothing is
written; the user reloads and chooses. A save that loses the race in the very last moment
(SQLAlchemy's StaleDataError at the UPDATE, which the store turns into ChangedMeanwhile)
becomes the same error here; elsewhere ChangedMeanwhile says it in general words.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.formatting import format_date
from app.services.common.errors import ServiceError
from app.store.database import Database
from app.store.errors import ChangedMeanwhile
from app.store.models import AuditEntry, MemberEvaluation, OrgEvaluation


class ConflictError(ServiceError):
    """Someone else changed the row since it was read; nothing was written."""


def _entity(row: MemberEvaluation | OrgEvaluation) -> str:
    if isinstance(row, MemberEvaluation):
        return "member_evaluation"
    return f"{row.subject}_evaluation"


def _message(session: Session, entity: str, row_id: int) -> str:
    entry = session.scalar(
        select(AuditEntry)
        .where(AuditEntry.entity == entity, AuditEntry.entity_id == row_id)
        .order_by(AuditEntry.id.desc())
        .limit(1)
    )
    if entry is None:
        return (
            "Không lưu được: trong lúc anh/chị sửa, người khác đã thay đổi bản ghi này. Chưa "
            "ghi gì; hãy tải lại để xem bản mới rồi sửa lại."
        )
    who = entry.actor or "người khác"
    when = f"{entry.at:%H:%M} ngày {format_date(entry.at.date())}"
    return (
        f"Không lưu được: trong lúc anh/chị sửa, {who} đã thay đổi “{entry.summary}” lúc "
        f"{when}. Chưa ghi gì; hãy tải lại để xem bản mới rồi chọn giữ bản nào."
    )


def check_version(
    session: Session, row: MemberEvaluation | OrgEvaluation, expected_version: int | None
) -> None:
    """Refuse (ConflictError) when *row* is no longer at *expected_version* (None: the caller
    read no version, nothing to compare)."""
    if expected_version is None or row.version == expected_version:
        return
    raise ConflictError(_message(session, _entity(row), row.id))


@contextmanager
def stale_as_conflict(
    db: Database, model: type[MemberEvaluation | OrgEvaluation]
) -> Iterator[list[int]]:
    """Turn the store's ChangedMeanwhile (the UPDATE found the row at another version) inside
    the block into a ConflictError naming the change that came first. The block appends the
    id of the row it read to the list it is given."""
    read: list[int] = []
    try:
        yield read
    except ChangedMeanwhile:
        message = "Không lưu được: người khác vừa thay đổi bản ghi này. Chưa ghi gì."
        if read:
            with db.session() as session:
                row = session.get(model, read[-1])
                if row is not None:
                    message = _message(session, _entity(row), read[-1])
        raise ConflictError(message) from None
