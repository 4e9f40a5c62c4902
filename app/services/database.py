"""The one door to the database file for the window and the command line.

The window and the command line open the file here and catch its problems here; they never
import the storage layer. ``Database`` is an opaque handle they pass back to the services: its
sessions and SQL are the services' business alone.
"""

from __future__ import annotations

from pathlib import Path

from app.services.safekeeping import scratch
from app.store.database import Database
from app.store.errors import (
    DatabaseDamaged,
    DatabaseInUse,
    DatabaseMissing,
    DatabaseReadOnly,
    DiskFull,
    SchemaTooNew,
    StoreError,
)

__all__ = [
    "Database",
    "DatabaseDamaged",
    "DatabaseInUse",
    "DatabaseMissing",
    "DatabaseReadOnly",
    "DiskFull",
    "SchemaTooNew",
    "StoreError",
    "open_database",
]


def open_database(path: Path, *, create: bool = False, backups: Path | None = None) -> Database:
    """Open (or, with ``create``, make) the database at ``path``, migrated to this version.

    Raises a ``StoreError`` with a Vietnamese message: in use by another copy of the app,
    missing, damaged, read-only, made by a newer version.

    Once the database is open (and locked: no other copy of the app is at work on it), the
    plain copy an encrypted backup or restore left behind in a crash is deleted.
    """
    new = not (Path(path).exists() and Path(path).stat().st_size > 0)
    db = Database.open(path, create=create, backups=backups)
    scratch.sweep(db.path)
    if new:
        start_new_chain(db.path, backups)
    return db


def start_new_chain(path: Path, backups: Path | None = None) -> None:
    """A new database under a name that had one before: its backups are of that older
    database, so the audit chain's anchor starts again here (see ``anchors``)."""
    from app.services.safekeeping import anchors
    from app.services.safekeeping import backups as backups_service

    if backups_service.list_backups(path, backups):
        anchors.write_baseline(path, "cơ sở dữ liệu mới", backups)
