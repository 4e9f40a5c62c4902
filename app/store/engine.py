"""The SQLAlchemy engine for one SQLite file, with the pragmas every connection needs, or for a
database on a PostgreSQL server (``app.store.server``)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import Engine, create_engine, event

from app.store.server import ServerTarget

BUSY_TIMEOUT_MS = 10_000


def _own_transactions(engine: Engine, pragmas: list[str]) -> Engine:
    """Run *pragmas* on each new connection, with pysqlite's own transaction handling off
    and a plain BEGIN emitted instead, so that SQLAlchemy's transactions are SQLite's."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in [f"busy_timeout={BUSY_TIMEOUT_MS}", *pragmas]:
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        connection.exec_driver_sql("BEGIN")

    return engine


def make_engine(path: Path | ServerTarget, *, foreign_keys: bool = True) -> Engine:
    """An engine on *path*: WAL, synchronous=FULL, foreign keys (unless migrating), busy timeout.

    synchronous=FULL because a record the user saw saved must survive a power cut, and the
    writes here are small and few.

    A :class:`ServerTarget` gets :func:`make_server_engine` (the server always checks foreign
    keys: its migrations run in one transaction with them on).
    """
    if isinstance(path, ServerTarget):
        return make_server_engine(path)
    engine = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False})
    keys = "ON" if foreign_keys else "OFF"
    return _own_transactions(
        engine, ["journal_mode=WAL", "synchronous=FULL", f"foreign_keys={keys}"]
    )


def make_server_engine(target: ServerTarget, *, read_only: bool = False) -> Engine:
    """An engine on a PostgreSQL database through psycopg 3: each connection is checked before
    use (``pool_pre_ping``: a server restarted, or a network that dropped an idle connection,
    costs one reconnect instead of an error), and waits at most CONNECT_TIMEOUT_SECONDS for the
    server. *read_only*: every transaction is read-only (the server refuses any write)."""
    arguments = target.connect_arguments(read_only=read_only)
    for given in ("host", "port", "dbname", "user", "password"):
        arguments.pop(given, None)  # in the URL (whose text shows the password as ***)
    return create_engine(target.sqlalchemy_url(), pool_pre_ping=True, connect_args=arguments)


def make_read_only_engine(path: Path | ServerTarget) -> Engine:
    """An engine that can only read *path*: SQLite's ``mode=ro`` URI, and ``query_only`` too.

    For helper processes of the process that holds the database open (printing in parallel):
    they take no instance lock, write nothing, and any attempt to write raises. Each
    transaction is one BEGIN, so one unit of work reads one consistent snapshot of the WAL.
    The URI is built by pathlib, so spaces and Vietnamese letters in the path are encoded.
    """
    if isinstance(path, ServerTarget):
        return make_server_engine(path, read_only=True)
    uri = f"{Path(path).resolve().as_uri()}?mode=ro"

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(uri, uri=True, check_same_thread=False)

    return _own_transactions(create_engine("sqlite://", creator=connect), ["query_only=ON"])
