"""The one door to the database file for the window and the command line.

The window and the command line open the file here and catch its problems here; they never
import the storage layer. ``Database`` is an opaque handle they pass back to the services: its
sessions and SQL are the services' business alone.
"""

from __future__ import annotations

from pathlib import Path

from app.store.database import Database
from app.store.errors import (
    DatabaseDamaged,
    DatabaseInUse,
    DatabaseMissing,
    DiskFull,
    SchemaTooNew,
    StoreError,
)

__all__ = [
    "Database",
    "DatabaseDamaged",
    "DatabaseInUse",
    "DatabaseMissing",
    "DiskFull",
    "SchemaTooNew",
    "StoreError",
    "open_database",
]


def open_database(path: Path, *, create: bool = False, backups: Path | None = None) -> Database:
    """Open (or, with ``create``, make) the database at ``path``, migrated to this version.

    Raises a ``StoreError`` with a Vietnamese message: in use by another copy of the app,
    missing, damaged, made by a newer version.
    """
    return Database.open(path, create=create, backups=backups)
