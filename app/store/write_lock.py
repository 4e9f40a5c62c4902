"""One lock for the writers of a server database, taken before a unit of work's first write.

Several windows write to one PostgreSQL database at once. Every logged change appends to the
audit chain, which a unit of work holds a server lock for until it ends (two appends at once
would both chain after the same entry). If that lock were taken only when the entry is added,
one unit of work could lock a row and then wait for the chain while another holds the chain
and waits for that row: a deadlock, which PostgreSQL breaks by failing one of them with a raw
error. So the lock is taken first — before the first INSERT, UPDATE or DELETE of the unit of
work, through the ORM — and every writer takes the locks in the same order. A SQLite file has
one writer at a time already (the instance lock, and SQLite's own write lock): nothing to do.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, text
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

WRITE_LOCK_KEY = 0x44616E6841  # pg_advisory_xact_lock's key ("DanhA")
_HELD = "server_write_lock"  # session.info: the transaction that holds it


def hold(session: Session) -> None:
    """Take the lock for *session*'s transaction (once; released when it ends)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    transaction = session.get_transaction()
    if transaction is not None and session.info.get(_HELD) is transaction:
        return
    session.connection().execute(
        text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK_KEY}
    )
    session.info[_HELD] = session.get_transaction()


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    if session.new or session.dirty or session.deleted:
        hold(session)


def _before_statement(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        hold(state.session)


def install(sessions: sessionmaker[Session]) -> None:
    """Make every writing unit of work of *sessions* (a server database's) take the lock."""
    event.listen(sessions, "before_flush", _before_flush)
    event.listen(sessions, "do_orm_execute", _before_statement)
