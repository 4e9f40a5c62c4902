"""The whole content of a database file, table by table, for "nothing changed" assertions.

:func:`state` reads every table straight through SQLite (SQLite's own tables included, so a
used-up AUTOINCREMENT number shows too): its row count and a checksum of its rows in rowid
order. Two states compare equal exactly when no row was added, removed or changed.

Given a server database (a ``Database`` on PostgreSQL) it reads every table of its schema
through psycopg the same way, rows in the order of their text (a row has no rowid there).
Sequences are left out: PostgreSQL never gives back a number a rolled-back insert used, where
SQLite's AUTOINCREMENT counter rolls back with it. States of the two engines are not
comparable with each other.
"""

from __future__ import annotations

import hashlib
import sqlite3
from contextlib import closing
from pathlib import Path

from app.store.database import Database
from app.store.server import ServerTarget


def state(
    path: Path | Database, ignoring: frozenset[str] = frozenset()
) -> dict[str, tuple[int, str]]:
    """Each table's name → (row count, SHA-256 of its rows ordered by rowid); the columns
    named in *ignoring* ("table.column") are left out, e.g. a time stamp of the real clock.
    *path* may be an open Database: its file, or its server database."""
    if isinstance(path, Database):
        if path.is_server:
            return _server_state(path, ignoring)
        path = path.path
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        found: dict[str, tuple[int, str]] = {}
        for table in tables:
            digest = hashlib.sha256()
            count = 0
            columns = [
                f'"{name}"'
                for _cid, name, *_rest in connection.execute(f'PRAGMA table_info("{table}")')
                if f"{table}.{name}" not in ignoring
            ]
            select = f'SELECT {", ".join(columns)} FROM "{table}" ORDER BY rowid'
            for row in connection.execute(select):
                digest.update(repr(row).encode("utf-8"))
                count += 1
            found[table] = (count, digest.hexdigest())
        return found


def changed_tables(
    before: dict[str, tuple[int, str]], after: dict[str, tuple[int, str]]
) -> list[str]:
    """The tables whose rows differ (added or dropped tables included), with their counts."""
    return [
        f"{table}: {before.get(table, (0, ''))[0]} → {after.get(table, (0, ''))[0]} rows"
        for table in sorted(set(before) | set(after))
        if before.get(table) != after.get(table)
    ]


def _server_state(db: Database, ignoring: frozenset[str]) -> dict[str, tuple[int, str]]:
    import psycopg

    assert isinstance(db.location, ServerTarget)
    with psycopg.connect(**db.location.resolved().connect_arguments(read_only=True)) as connection:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                "ORDER BY tablename"
            )
        ]
        found: dict[str, tuple[int, str]] = {}
        for table in tables:
            columns = [
                f'"{name}"'
                for (name,) in connection.execute(
                    "SELECT column_name FROM information_schema.columns "
                    "WHERE table_schema = current_schema() AND table_name = %s "
                    "ORDER BY ordinal_position",
                    (table,),
                )
                if f"{table}.{name}" not in ignoring
            ]
            rows = sorted(
                repr(row)
                for row in connection.execute(f'SELECT {", ".join(columns)} FROM "{table}"')
            )
            digest = hashlib.sha256("\n".join(rows).encode("utf-8"))
            found[table] = (len(rows), digest.hexdigest())
        return found
