"""A database filled as one whole: a kill or an error part-way leaves no trace of the filling.

A new database is built under a temporary name beside its place ("<name>.dang-tao-<random>")
and renamed into place with ``os.replace`` only once it is complete, so the file the user asked
for never exists half-built (a half-built one would pass the integrity check, and a second
attempt would refuse it as "already has data"). What a killed build left behind is removed at
the next attempt. An existing database is filled in one transaction instead (``batch``), which
SQLite undoes by itself if the process dies; so is a database on a server, always.

The instance lock of the target is held from start to end: no other copy of the app opens the
target meanwhile, and no other build of the same target can be under way while leftovers are
removed.
"""

from __future__ import annotations

import glob
import os
import secrets
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import TypeVar

from app.store.database import Database, Location, location_of, lock_for_writing
from app.store.server import ServerTarget

T = TypeVar("T")

BUILDING = ".dang-tao-"  # "<name>.dang-tao-<random>": a database being built for <name>


def building_files(path: Path) -> list[Path]:
    """What builds of *path* left beside it: databases and their WAL, shared-memory and
    lock files."""
    return sorted(path.parent.glob(f"{glob.escape(path.name)}{BUILDING}*"))


def fill_whole(path: Location | str, fill: Callable[[Database], T]) -> tuple[Database, T]:
    """The database at *path*, open, with what *fill* wrote into it; and what *fill* returned.

    With no database at *path* it is built beside it and renamed into place when *fill* has
    returned; with one there, *fill* runs on it in one transaction. If *fill* raises (or the
    process dies) *path* is as it was. The caller closes the database.

    A server database (*path* a ``postgresql://`` URL) is migrated if empty and filled in one
    transaction, which the server undoes by itself if anything fails.
    """
    location = location_of(path)
    if isinstance(location, ServerTarget):
        db = Database.open(location, create=True)
        try:
            with db.batch():
                return db, fill(db)
        except BaseException:
            db.close()
            raise
    path = location
    lock = lock_for_writing(path)
    try:
        for leftover in building_files(path):
            leftover.unlink(missing_ok=True)
        if not (path.exists() and path.stat().st_size > 0):
            result = _build_beside(path, fill)
            return Database.open(path, lock=lock), result
        db = Database.open(path, lock=lock)
    except BaseException:
        lock.release()
        raise
    try:
        with db.batch():
            result = fill(db)
    except BaseException:
        db.close()
        raise
    return db, result


def _build_beside(path: Path, fill: Callable[[Database], T]) -> T:
    temporary = path.with_name(f"{path.name}{BUILDING}{secrets.token_hex(4)}")
    try:
        with Database.open(temporary, create=True) as db:
            result = fill(db)
        # One standalone file: the WAL folded in and deleted, so nothing of the database stays
        # behind under the temporary name once it is renamed.
        with closing(sqlite3.connect(temporary)) as connection:
            connection.execute("PRAGMA journal_mode=DELETE")
        # WAL or journal files of a database once at *path* (deleted without them) would be
        # taken for the new one's and played into it.
        for orphan in ("-wal", "-shm", "-journal"):
            Path(f"{path}{orphan}").unlink(missing_ok=True)
        os.replace(temporary, path)
        return result
    finally:
        for leftover in building_files(path):
            leftover.unlink(missing_ok=True)
