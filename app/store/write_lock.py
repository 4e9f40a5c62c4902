"""What a server database's unit of work does before its first write: the writers' lock, and
whatever the services ask (the acting user's right to write, see services/access).

Several windows write to one PostgreSQL database at once. Every logged change appends to the
audit chain, which a unit of work holds a server lock for until it ends (two appends at once
would both chain after the same entry). If that lock were taken only when the entry is added,
one unit of work could lock a row and then wait for the chain while another holds the chain
and waits for that row: a deadlock, which PostgreSQL breaks by failing one of them with a raw
error. So the lock is taken first — before the first INSERT, UPDATE or DELETE of the unit of
work through the ORM — and every writer takes the locks in the same order. A SQLite file has
one writer at a time already (the instance lock, and SQLite's own write lock): no lock there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

WRITE_LOCK_KEY = 0x44616E6841  # pg_advisory_xact_lock's key ("DanhA")
_HELD = "server_write_lock"  # session.info: the transaction that holds it

# Asked before a unit of work writes: the session, and the tables about to change.
WriteCheck = Callable[[Session, frozenset[str]], None]


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


def _changed_tables(session: Session) -> frozenset[str]:
    rows = (*session.new, *session.dirty, *session.deleted)
    return frozenset(getattr(row, "__tablename__", "") for row in rows)


def install(sessions: sessionmaker[Session], checks: list[WriteCheck]) -> None:
    """Before every write of *sessions*' units of work: each of *checks* (a list the caller
    may add to later), then, on a server database, the writers' lock."""

    def before_write(session: Session, tables: frozenset[str]) -> None:
        for check in checks:
            check(session, tables)
        hold(session)

    def before_flush(session: Session, _context: Any, _instances: Any) -> None:
        tables = _changed_tables(session)
        if tables:
            before_write(session, tables)

    def before_statement(state: ORMExecuteState) -> None:
        if state.is_insert or state.is_update or state.is_delete:
            mapper = state.bind_mapper
            table = mapper.local_table.name if mapper is not None else ""
            before_write(state.session, frozenset({table}))

    event.listen(sessions, "before_flush", before_flush)
    event.listen(sessions, "do_orm_execute", before_statement)
