"""Online backups with SQLite's backup API, and checks of a database file.

A backup is written to a temporary name beside its target, checked, then renamed into place,
so a backup file that exists is always a complete database.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
from contextlib import closing
from pathlib import Path

from app import paths
from app.domain import clock
from app.store.errors import DatabaseDamaged

SQLITE_MAGIC = b"SQLite format 3\x00"


def looks_like_sqlite(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(16) == SQLITE_MAGIC
    except OSError:
        return False


def quick_check(path: Path, *, full: bool = False) -> str:
    """Run ``PRAGMA quick_check`` (or ``integrity_check``) read-only; return "ok" or the problem."""
    if not looks_like_sqlite(path):
        return "không phải tệp SQLite"
    pragma = "integrity_check" if full else "quick_check"
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
            rows = connection.execute(f"PRAGMA {pragma}").fetchall()
    except sqlite3.DatabaseError as error:
        return str(error)
    result = "; ".join(str(row[0]) for row in rows[:5])
    return "ok" if result == "ok" else result


def require_healthy(path: Path) -> None:
    result = quick_check(path)
    if result != "ok":
        raise DatabaseDamaged(path, result)


def copy_database(source: Path, target: Path) -> None:
    """Copy the database at *source* to *target* with the online backup API, atomically.

    On POSIX the copy is 0600 whatever the umask: it is the whole database in clear."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        # SQLite opens an existing empty file as a new database and keeps its mode (its
        # journal takes the same mode), so the copy is private before any page is written.
        paths.create_private_file(partial)
        with (
            closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as src,
            closing(sqlite3.connect(partial)) as dst,
        ):
            src.backup(dst)
            # A backup is a standalone file: no WAL beside it to lose.
            dst.execute("PRAGMA journal_mode=DELETE")
        result = quick_check(partial)
        if result != "ok":
            raise DatabaseDamaged(source, result)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def backup_name(database: Path, reason: str, when: dt.datetime | None = None) -> str:
    """A file name that says what was backed up, why and when: danhgia-truoc-nang-cap-…"""
    when = when or clock.now()
    slug = re.sub(r"[^a-z0-9]+", "-", reason.lower()).strip("-")
    return f"{database.stem}-{slug}-{when:%Y%m%d-%H%M%S}.sqlite"


def restore_into(backup: Path, database: Path) -> None:
    """Replace the contents of *database* with *backup*, through the backup API.

    The caller holds the instance lock and has no engine open on *database*.
    """
    require_healthy(backup)
    with (
        closing(sqlite3.connect(f"file:{backup}?mode=ro", uri=True)) as src,
        closing(sqlite3.connect(database)) as dst,
    ):
        src.backup(dst)
    require_healthy(database)
