"""The audit log: every change to evaluation records, who made it, when, before and after.

Entries form a hash chain (each hash covers the entry and the previous hash), so an entry
changed or removed behind the app's back shows when the chain is verified.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from app.domain.fingerprint import plain
from app.store.database import Database
from app.store.models import AuditEntry


@dataclass(frozen=True, slots=True)
class AuditRecord:
    id: int
    at: dt.datetime
    actor: str
    action: str
    entity: str
    entity_id: int | None
    period_id: int | None
    summary: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def _entry_hash(entry: AuditEntry) -> str:
    payload = json.dumps(
        {
            "at": entry.at.isoformat(),
            "actor": entry.actor,
            "action": entry.action,
            "entity": entry.entity,
            "entity_id": entry.entity_id,
            "period_id": entry.period_id,
            "summary": entry.summary,
            "before": entry.before,
            "after": entry.after,
            "previous": entry.previous_hash,
        },
        ensure_ascii=False,
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    entity: str,
    entity_id: int | None,
    summary: str,
    period_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    at: dt.datetime | None = None,
) -> None:
    """Add an entry in the caller's unit of work, chained to the last one."""
    last = session.scalar(select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1))
    entry = AuditEntry(
        at=(at or dt.datetime.now()).replace(microsecond=0),
        actor=actor,
        action=action,
        entity=entity,
        entity_id=entity_id,
        period_id=period_id,
        summary=summary,
        before=plain(before) if before is not None else None,
        after=plain(after) if after is not None else None,
        previous_hash=last or "",
    )
    entry.hash = _entry_hash(entry)
    session.add(entry)
    session.flush()


def entries(
    db: Database,
    period_id: int | None = None,
    entity: str | None = None,
    entity_id: int | None = None,
) -> list[AuditRecord]:
    query = select(AuditEntry).order_by(AuditEntry.id)
    if period_id is not None:
        query = query.where(AuditEntry.period_id == period_id)
    if entity is not None:
        query = query.where(AuditEntry.entity == entity)
    if entity_id is not None:
        query = query.where(AuditEntry.entity_id == entity_id)
    with db.session() as session:
        return [
            AuditRecord(e.id, e.at, e.actor, e.action, e.entity, e.entity_id, e.period_id,
                        e.summary, e.before, e.after)
            for e in session.scalars(query)
        ]  # fmt: skip


def verify_chain(db: Database) -> list[str]:
    """Problems with the chain in Vietnamese; empty when every entry is as it was written."""
    with db.session() as session:
        return _chain_problems(session)


def verify_chain_file(path: Path) -> list[str]:
    """The same check on a database file opened read-only (``danhgia check``, a backup)."""
    engine = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    try:
        with Session(engine) as session:
            return _chain_problems(session)
    finally:
        engine.dispose()


def _chain_problems(session: Session) -> list[str]:
    problems: list[str] = []
    previous = ""
    for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.id)):
        if entry.previous_hash != previous:
            problems.append(f"nhật ký thay đổi bị xóa hoặc chèn trước mục số {entry.id}")
        if _entry_hash(entry) != entry.hash:
            problems.append(f"mục số {entry.id} của nhật ký thay đổi đã bị sửa")
        previous = entry.hash
    return problems
