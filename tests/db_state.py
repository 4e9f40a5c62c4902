"""The whole content of a database file, table by table, for "nothing changed" assertions.

:func:`state` reads every table straight through SQLite (SQLite's own tables included, so a
used-up AUTOINCREMENT number shows too): its row count and a checksum of its rows in rowid
order. Two states compare equal exactly when no row was added, removed or changed.
"""

from __future__ import annotations

import hashlib
import sqlite3
from contextlib import closing
from pathlib import Path


def state(path: Path) -> dict[str, tuple[int, str]]:
    """Each table's name → (row count, SHA-256 of its rows ordered by rowid)."""
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
            for row in connection.execute(f'SELECT * FROM "{table}" ORDER BY rowid'):
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
