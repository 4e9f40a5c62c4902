"""The audit log: every change to evaluation records, who made it, when, before and after.

Entries form a hash chain (each hash covers the entry and the previous hash), so an entry
changed or removed behind the app's back shows when the chain is verified.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, func, insert, select
from sqlalchemy.orm import Session

from app.domain import clock
from app.domain.fingerprint import plain
from app.services.access import permissions
from app.store import write_lock
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


_HEAD = "audit_chain_head"


def _entry_hash(entry: AuditEntry) -> str:
    return _hash(
        entry.at, entry.actor, entry.action, entry.entity, entry.entity_id, entry.period_id,
        entry.summary, entry.before, entry.after, entry.previous_hash,
    )  # fmt: skip


def _hash(
    at: dt.datetime,
    actor: str,
    action: str,
    entity: str,
    entity_id: int | None,
    period_id: int | None,
    summary: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    previous: str,
) -> str:
    payload = json.dumps(
        {
            "at": at.isoformat(),
            "actor": actor,
            "action": action,
            "entity": entity,
            "entity_id": entity_id,
            "period_id": period_id,
            "summary": summary,
            "before": before,
            "after": after,
            "previous": previous,
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
    commune: str | None = None,
) -> None:
    """Add an entry in the caller's unit of work, chained to the last one. First the acting
    user's right to make the change is checked (a PermissionDenied rolls the unit of work
    back): *commune* is the commune whose records change, None for the database's own."""
    permissions.check_logged_write(session, actor, entity, commune)
    # The chain's head is read once per unit of work and then carried along: entries are
    # only ever appended, and no other writer appends meanwhile (see _head_for_writing).
    last = session.info.get(_HEAD)
    if last is None:
        last = _head_for_writing(session)
    entry = AuditEntry(
        at=(at or clock.now()).replace(microsecond=0),
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
    session.info[_HEAD] = entry.hash


def _head_for_writing(session: Session) -> str | None:
    """The chain's last hash, for a unit of work that appends to it. A SQLite file has one
    writer at a time (its instance lock, and SQLite's own write lock). A server database has
    several windows at once: the unit of work first takes a lock of the server's held until it
    ends, so that two saves at once chain one after the other instead of both after the
    same entry (which the chain's check would then report as an entry inserted). The lock is
    the store's writers' lock (app/store/write_lock.py), mostly taken already at the unit of
    work's first write."""
    write_lock.hold(session)
    return session.scalar(select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1))


@dataclass(frozen=True, slots=True)
class NewEntry:
    """An entry to add with :func:`record_many`."""

    at: dt.datetime
    actor: str
    action: str
    entity: str
    entity_id: int | None
    summary: str
    period_id: int | None = None
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None


def record_many(session: Session, new: list[NewEntry]) -> None:
    """Add many entries, in the given order, chained to the last one: one INSERT for all
    (what a bulk writer such as the demo needs; the window logs one change at a time)."""
    if not new:
        return
    for actor in dict.fromkeys(item.actor for item in new):
        permissions.check_logged_write(session, actor, new[0].entity)
    session.flush()  # entries added one by one before these come first in the chain
    last = session.info.get(_HEAD)
    if last is None:
        last = _head_for_writing(session)
    rows = []
    previous = last or ""
    for item in new:
        row = {
            "at": item.at.replace(microsecond=0),
            "actor": item.actor,
            "action": item.action,
            "entity": item.entity,
            "entity_id": item.entity_id,
            "period_id": item.period_id,
            "summary": item.summary,
            "before": plain(item.before) if item.before is not None else None,
            "after": plain(item.after) if item.after is not None else None,
            "previous_hash": previous,
        }
        previous = _hash(*row.values())
        rows.append(row | {"hash": previous})
    session.execute(insert(AuditEntry), rows)
    session.info[_HEAD] = previous


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
    with read_only(path) as session:
        return _chain_problems(session)


@contextmanager
def read_only(path: Path) -> Iterator[Session]:
    """A session on the database file at *path* that cannot write to it."""
    engine = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    try:
        with Session(engine) as session:
            yield session
    finally:
        engine.dispose()


@dataclass(frozen=True, slots=True)
class ChainHead:
    """Where the chain stood: how many entries, and the last one's hash. Written outside the
    database (backups, packages, documents), it lets a later check see entries removed from
    the end or the whole chain written anew, which the chain alone cannot show."""

    count: int
    hash: str

    def text(self) -> str:
        return f"{self.count}:{self.hash}"


def head(session: Session) -> ChainHead:
    count = session.scalar(select(func.count(AuditEntry.id))) or 0
    last = session.scalar(select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1))
    return ChainHead(count, last or "")


def head_problem(session: Session, anchor: ChainHead, where: str) -> str | None:
    """How the chain in *session* disagrees with *anchor* (read from *where*), or None when
    it holds the anchored entries unchanged, perhaps followed by newer ones."""
    count = session.scalar(select(func.count(AuditEntry.id))) or 0
    if count < anchor.count:
        if count == 0:
            return (
                f"nhật ký thay đổi trống, trong khi {where} ghi {anchor.count} mục: "
                "nhật ký đã bị xóa sạch"
            )
        return (
            f"nhật ký thay đổi chỉ còn {count} mục, ít hơn {anchor.count} mục mà {where} ghi: "
            "các mục mới nhất đã bị xóa"
        )
    if anchor.count == 0:
        return None
    at_anchor = session.scalar(
        select(AuditEntry.hash).order_by(AuditEntry.id).offset(anchor.count - 1).limit(1)
    )
    if at_anchor != anchor.hash:
        return (
            f"nhật ký thay đổi khác với {where} ở mục thứ {anchor.count}: nhật ký đã bị viết "
            "lại (hoặc đây là một cơ sở dữ liệu khác cùng tên)"
        )
    return None


def chain_problems(session: Session) -> list[str]:
    """:func:`verify_chain` in the caller's session (a server database's read-only one)."""
    return _chain_problems(session)


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
