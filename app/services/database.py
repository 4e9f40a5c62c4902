"""The one door to the database for the window and the command line.

The window and the command line open the database here and catch its problems here; they never
import the storage layer. ``Database`` is an opaque handle they pass back to the services: its
sessions and SQL are the services' business alone.

A database is a SQLite file (a path) or a database on a PostgreSQL server (a
``postgresql://user@host:port/dbname`` URL; its password comes from the keyring or the
environment, see ``app.store.server``). ``location_of`` tells the two apart.
"""

from __future__ import annotations

import os
from pathlib import Path

from app.services.safekeeping import scratch
from app.store.database import (
    Database,
    Location,
    database_exists,
    location_of,
    server_backups_refused,
)
from app.store.errors import (
    DatabaseDamaged,
    DatabaseInUse,
    DatabaseMissing,
    DatabaseReadOnly,
    DiskFull,
    NotAFileDatabase,
    SchemaTooNew,
    ServerError,
    StoreError,
)
from app.store.server import (
    ServerTarget,
    forget_password,
    is_server_url,
    keyring_usable,
    save_password,
)

__all__ = [
    "Database",
    "DatabaseDamaged",
    "DatabaseInUse",
    "DatabaseMissing",
    "DatabaseReadOnly",
    "DiskFull",
    "Location",
    "NotAFileDatabase",
    "SchemaTooNew",
    "ServerError",
    "ServerTarget",
    "StoreError",
    "database_exists",
    "forget_password",
    "is_server_url",
    "keyring_usable",
    "location_of",
    "open_database",
    "refuse_server_backup",
    "save_password",
]


def open_database(
    path: Location | str | os.PathLike[str], *, create: bool = False, backups: Path | None = None
) -> Database:
    """Open (or, with ``create``, make) the database at ``path``, migrated to this version.

    Raises a ``StoreError`` with a Vietnamese message: in use by another copy of the app,
    missing, damaged, read-only, made by a newer version; for a server database, a server
    that does not answer or refuses the login.

    Once a database file is open (and locked: no other copy of the app is at work on it), the
    plain copy an encrypted backup or restore left behind in a crash is deleted. A server
    database has neither that scratch folder nor automatic backups on this PC to anchor its
    audit chain to: it is opened and migrated, nothing more.
    """
    location = location_of(path)
    if isinstance(location, ServerTarget):
        return Database.open(location, create=create)
    new = not database_exists(location)
    db = Database.open(location, create=create, backups=backups)
    scratch.sweep(db.path)
    if new:
        start_new_chain(db.path, backups)
    return db


def refuse_server_backup(location: Location) -> None:
    """Raise ServerKeepsItsOwnBackups (its message names pg_dump) when *location* is a server
    database: a backup or restore of it is its administrator's work, not this PC's."""
    if isinstance(location, ServerTarget):
        raise server_backups_refused(location)


def start_new_chain(path: Path, backups: Path | None = None) -> None:
    """A new database under a name that had one before: its backups are of that older
    database, so the audit chain's anchor starts again here (see ``anchors``)."""
    from app.services.safekeeping import anchors
    from app.services.safekeeping import backups as backups_service

    if backups_service.list_backups(path, backups):
        anchors.write_baseline(path, "cơ sở dữ liệu mới", backups)
