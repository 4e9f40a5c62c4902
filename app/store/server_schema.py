"""A server database's schema and the few things its driver does differently from SQLite's.

``Database.open`` asks :func:`state` first, through psycopg alone (one connection, three short
queries), as it reads a file's revision through sqlite3 alone: a start whose database is up to
date needs neither SQLAlchemy nor Alembic to decide so.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from app import paths
from app.store import revisions
from app.store.server import ServerTarget, connect, connection_error

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SchemaState:
    revision: str | None  # what alembic_version holds; None when there is none
    user_tables: bool  # whether any other table is there


def state(target: ServerTarget) -> SchemaState:
    """The schema revision of the database at *target* and whether it holds other tables.
    Raises ServerUnreachable, ServerLoginRefused or ServerDatabaseMissing."""
    import psycopg

    connection = connect(target, read_only=True)
    try:
        with connection:
            stamped = connection.execute("SELECT to_regclass('alembic_version')").fetchone()
            rows: list[Any] = []
            if stamped and stamped[0] is not None:
                rows = connection.execute("SELECT version_num FROM alembic_version").fetchall()
            others = connection.execute(
                "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_tables "
                "WHERE schemaname = current_schema() AND tablename <> 'alembic_version')"
            ).fetchone()
    except psycopg.Error as error:
        raise connection_error(target, error) from None
    # Several rows are a branched history this version cannot know: a newer version's.
    revision = "+".join(sorted(row[0] for row in rows)) if rows else None
    return SchemaState(revision, bool(others and others[0]))


def head_revision() -> str:
    head = revisions.head_from_files(paths.migrations_dir() / "versions")
    if head is not None:
        return head
    from app.store import migrations

    return migrations.head_revision()


def known_revisions() -> set[str]:
    from app.store import migrations

    return migrations.known_revisions()


def migrate(target: ServerTarget, current: str | None) -> None:
    """Bring the database at *target* to the newest schema in one transaction (see
    ``migrations.upgrade``). No backup is taken first: a failed migration changes nothing on
    a server, and its backups are its administrator's (pg_dump)."""
    from app.store import migrations

    log.info("migrating %s from %s", target, current or "nothing")
    try:
        migrations.upgrade(target)
    except Exception as error:
        problem = session_error(target, error)
        if problem is not None:
            raise problem from None
        raise


# ---- what a server's driver does differently -------------------------------------------------

# A "?" placeholder outside quotes; every "%" is doubled, psycopg's own placeholders starting so.
_TOKENS = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|\?|%")


def driver_sql(sql: str) -> str:
    """*sql* written for sqlite3 (``?`` placeholders) as psycopg takes it (``%s``)."""

    def swap(match: re.Match[str]) -> str:
        token = match.group(0)
        if token == "?":
            return "%s"
        # psycopg reads "%" as a placeholder's start even inside quotes: a "?" there is text.
        return token.replace("%", "%%")

    return _TOKENS.sub(swap, sql)


def as_sqlite_gives(value: Any) -> Any:
    """*value* from psycopg as sqlite3 gives it for what SQLAlchemy stored: dates and times as
    ISO text, booleans as 0 and 1, numerics as floats."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S.%f")
    if isinstance(value, Decimal):
        return float(value)
    return value


# SQLSTATE classes of a broken connection: 08 connection exception, 57P01-57P03 the server
# shutting down or not yet up; None: libpq's own failure, before or outside any SQL.
def _connection_broke(state: str | None) -> bool:
    return state is None or state.startswith("08") or state in {"57P01", "57P02", "57P03"}


def session_error(target: ServerTarget, error: BaseException) -> Exception | None:
    """The StoreError for *error* (SQLAlchemy's OperationalError, or psycopg's) met while
    working on *target*: a connection that could not be made, or broke; None when it is
    another kind of error (a conflict, a constraint), which the caller raises as it is."""
    import psycopg

    from app.store.errors import ServerConnectionLost

    original = getattr(error, "orig", None) or error
    if not isinstance(original, psycopg.OperationalError):
        return None
    state_code = getattr(original, "sqlstate", None)
    if not _connection_broke(state_code) and state_code not in {"28P01", "28000", "3D000"}:
        return None
    if getattr(error, "connection_invalidated", False):
        return ServerConnectionLost(target)
    return connection_error(target, original)
