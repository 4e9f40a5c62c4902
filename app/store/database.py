"""Opening a database safely: lock, check, refuse a newer schema, back up, migrate.

Order matters. The lock comes first so that a second copy of the app touches nothing. The
check comes before anything writes. A database that needs migrating is backed up with the
online backup API before the first migration step runs.

A database is either a SQLite file (the default: a commune's office PC) or a database on a
PostgreSQL server (the province's office, several clerks at once; ``app.store.server``).
``Database.location`` is a ``Path`` or a ``ServerTarget`` and ``Database.is_server`` says
which. What belongs to a file only is not done on a server: no instance lock (several windows
share a server database by design), no file checks (the server keeps its own data whole), no
backup before migrating (a migration is one transaction there, undone whole if it fails;
backups are the server's job, ``pg_dump``), and ``Database.path`` raises NotAFileDatabase.
"""

from __future__ import annotations

import errno
import logging
import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app import paths
from app.store import revisions
from app.store.backup import backup_name, copy_database, looks_like_sqlite, require_healthy
from app.store.errors import (
    ChangedMeanwhile,
    DatabaseDamaged,
    DatabaseMissing,
    DatabaseReadOnly,
    DiskFull,
    NotAFileDatabase,
    SchemaTooNew,
    ServerConnectionLost,
    ServerDatabaseForeign,
    ServerDatabaseMissing,
    ServerKeepsItsOwnBackups,
)
from app.store.lock import InstanceLock
from app.store.server import ServerTarget, is_server_url

# SQLAlchemy is imported when the first session opens, not with this module: opening an
# up-to-date database and reading what the window shows first (``read``) need only the
# driver, and importing SQLAlchemy took more than half of the window's start.
if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session, sessionmaker

    from app.store.write_lock import WriteCheck

log = logging.getLogger(__name__)

Location = Path | ServerTarget
"""Where a database is: a SQLite file, or a database on a PostgreSQL server."""


def location_of(value: str | os.PathLike[str] | ServerTarget) -> Location:
    """*value* as a Location: a ``postgresql://…`` URL (a password in it is kept, never shown)
    names a server database; anything else is a file path, made absolute."""
    if isinstance(value, ServerTarget):
        return value
    if is_server_url(value):
        return ServerTarget.parse(str(value))
    return Path(value).expanduser().resolve()


def database_exists(location: Location) -> bool:
    """Whether a DanhGia database is at *location*: a file that is not empty, or a server
    database that holds anything at all (a connection problem raises its StoreError)."""
    if isinstance(location, ServerTarget):
        from app.store import server_schema

        try:
            state = server_schema.state(location.resolved())
        except ServerDatabaseMissing:
            return False
        return state.revision is not None or state.user_tables
    return location.exists() and location.stat().st_size > 0


class Database:
    """An open, locked, migrated database. Use :meth:`session` for each unit of work.

    A database from :meth:`open_read_only` holds no lock and can only be read."""

    def __init__(
        self, location: Location, lock: InstanceLock | None, *, read_only: bool = False
    ) -> None:
        self.location = location
        self._lock = lock
        self._read_only = read_only
        self._engine: Engine | None = None
        self._sessions: sessionmaker[Session] | None = None
        self._engine_lock = threading.Lock()
        self._local = threading.local()
        self._reader: Any = None  # a server database's connection for read()
        self._reader_lock = threading.Lock()
        # Asked before each unit of work's first write (the acting user's rights: see
        # services/access/permissions.act_as); a server database's writers' lock follows.
        self.write_checks: list[WriteCheck] = []

    @property
    def is_server(self) -> bool:
        """Whether this is a database on a PostgreSQL server rather than a SQLite file."""
        return isinstance(self.location, ServerTarget)

    @property
    def path(self) -> Path:
        """The database file. A server database has none: NotAFileDatabase (a StoreError, so
        whatever asked says so in words) — callers that serve both ask :attr:`is_server`."""
        if isinstance(self.location, ServerTarget):
            raise NotAFileDatabase(self.location)
        return self.location

    @property
    def name(self) -> str:
        """What to call the database when showing it: the file's path, or the server
        database's address without its password."""
        return str(self.location)

    @property
    def short_name(self) -> str:
        """The file's name, or the server database's name and host (for a title bar)."""
        if isinstance(self.location, ServerTarget):
            return f"{self.location.dbname} @ {self.location.host}"
        return self.location.name

    @classmethod
    def open(
        cls,
        path: Location | str,
        *,
        create: bool = False,
        backups: Path | None = None,
        lock: InstanceLock | None = None,
    ) -> Database:
        """Open the database at *path* (creating it when *create*), ready for use.

        Raises a StoreError subclass with a Vietnamese message when the file is in use by
        another process, missing, damaged, read-only, or written by a newer version of the app.
        *lock*: the instance lock of *path*, already held by the caller, which the database
        takes over (released with it, or at once if opening fails).

        *path* may name a server database (a ``postgresql://`` URL or a ServerTarget): see
        :meth:`_open_server`; *backups* and *lock* do not apply to it.
        """
        location = location_of(path)
        if isinstance(location, ServerTarget):
            return cls._open_server(location, create=create)
        path = location
        exists = path.exists() and path.stat().st_size > 0
        if not exists and not create:
            raise DatabaseMissing(path)
        lock = lock_for_writing(path, lock)
        try:
            if exists:
                _make_private(path)
                _check_existing(path)
                _migrate_if_due(path, backups or paths.backups_dir())
            else:
                from app.store import migrations

                # Empty and 0600 first (POSIX): SQLite keeps the mode of the file it finds.
                paths.create_private_file(path)
                migrations.upgrade(path)
        except Exception as error:
            lock.release()
            if is_read_only_error(error):
                raise DatabaseReadOnly(path) from error
            raise
        except BaseException:
            lock.release()
            raise
        return cls(path, lock)

    @classmethod
    def _open_server(cls, target: ServerTarget, *, create: bool) -> Database:
        """A database on a server, its password looked up (``server.find_password``), its
        schema checked and migrated. The server must hold the database already (made by its
        administrator, ``createdb``); an empty one is filled with DanhGia's tables only when
        *create*. Several windows may open it at once: there is no instance lock.

        Raises ServerUnreachable, ServerLoginRefused, ServerDatabaseMissing (no such database,
        or an empty one without *create*), ServerDatabaseForeign (tables not DanhGia's) or
        SchemaTooNew; nothing is written then."""
        from app.store import server_schema

        target = target.resolved()
        state = server_schema.state(target)
        if state.revision is None and state.user_tables:
            raise ServerDatabaseForeign(target)
        if state.revision is None and not create:
            raise ServerDatabaseMissing(target, target.dbname, empty=True)
        if state.revision == server_schema.head_revision():
            return cls(target, None)  # the usual case: decided without SQLAlchemy or Alembic
        if state.revision is not None and state.revision not in server_schema.known_revisions():
            raise SchemaTooNew(target, state.revision)
        server_schema.migrate(target, state.revision)
        return cls(target, None)

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine, made at first use."""
        if self._engine is None:
            with self._engine_lock:
                if self._engine is None:
                    from sqlalchemy.orm import sessionmaker

                    from app.store import text_limits, write_lock
                    from app.store.engine import make_engine, make_read_only_engine

                    make = make_read_only_engine if self._read_only else make_engine
                    engine = make(self.location)
                    self._sessions = sessionmaker(engine, expire_on_commit=False)
                    text_limits.install(self._sessions)  # a text too long: words, not psycopg's
                    write_lock.install(self._sessions, self.write_checks)
                    self._engine = engine
        return self._engine

    def read(self, sql: str, parameters: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """The rows of one read-only query, straight through the SQLite driver: for the few
        reads the window makes before anything else (see ``services.quick_read``). Values
        come back as SQLite holds them (dates as ISO text).

        On a server the same query (its ``?`` placeholders) goes through psycopg on one
        read-only connection kept for these reads, and values come back as SQLite would give
        them: dates and times as ISO text, booleans as 0 and 1."""
        if isinstance(self.location, ServerTarget):
            return self._read_server(sql, parameters)
        try:
            with closing(sqlite3.connect(self.path, timeout=10)) as connection:
                connection.execute("PRAGMA query_only = ON")
                return connection.execute(sql, parameters).fetchall()
        except sqlite3.DatabaseError as error:
            raise DatabaseDamaged(self.path, str(error)) from error

    def _read_server(self, sql: str, parameters: Sequence[Any]) -> list[tuple[Any, ...]]:
        import psycopg

        from app.store import server, server_schema

        assert isinstance(self.location, ServerTarget)
        query = server_schema.driver_sql(sql)
        with self._reader_lock:
            for attempt in (1, 2):  # a connection the server or the network dropped: once more
                if self._reader is None or self._reader.closed:
                    self._reader = server.connect(self.location, read_only=True)
                try:
                    rows = self._reader.execute(query, tuple(parameters)).fetchall()
                except psycopg.OperationalError as error:
                    self._close_reader()
                    if attempt == 2:
                        raise ServerConnectionLost(self.location) from error
                    continue
                return [tuple(map(server_schema.as_sqlite_gives, row)) for row in rows]
        raise AssertionError("unreachable")

    def _close_reader(self) -> None:
        reader, self._reader = self._reader, None
        if reader is not None:
            with suppress(Exception):
                reader.close()

    @classmethod
    def open_read_only(cls, path: Location) -> Database:
        """*path* for reading only, without the instance lock, checks or migrations.

        For a helper process of the process that opened *path* with :meth:`open` and holds
        its lock (the workers of "print everything"): that process has already checked and
        migrated the file, and a second lock would be refused. Every write raises.

        A server database (a ServerTarget, its password known) is opened as it is: every
        transaction read-only, nothing checked.
        """
        if isinstance(path, ServerTarget):
            return cls(path.resolved(), None, read_only=True)
        path = Path(path).expanduser().resolve()
        if not path.exists():
            raise DatabaseMissing(path)
        return cls(path, None, read_only=True)

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Many service calls as one unit of work: inside the block every :meth:`session`
        is the same session, committed once at the end (or rolled back entirely). For bulk
        work such as building demo data; the window keeps one unit of work per save."""
        if getattr(self._local, "batch", None) is not None:
            yield
            return
        with self.session() as session:
            self._local.batch = session
            try:
                yield
            finally:
                self._local.batch = None

    @property
    def in_batch(self) -> bool:
        """Whether this thread is inside :meth:`batch`: its writes are not committed yet, so
        another connection (a read-only helper process) would not see them."""
        return getattr(self._local, "batch", None) is not None

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: committed when the block ends, rolled back if it raises."""
        batch = getattr(self._local, "batch", None)
        if batch is not None:
            yield batch
            batch.flush()
            return
        from sqlalchemy.exc import OperationalError
        from sqlalchemy.orm.exc import StaleDataError

        self.engine  # noqa: B018 (made at first use)
        assert self._sessions is not None
        session = self._sessions()
        try:
            yield session
            session.commit()
        except StaleDataError:
            # A versioned row (an evaluation) changed by another client between this unit of
            # work's reading and its UPDATE: nothing was written; say so in words.
            session.rollback()
            raise ChangedMeanwhile() from None
        except OperationalError as error:
            session.rollback()
            if isinstance(self.location, ServerTarget):
                from app.store.server_schema import session_error

                problem = session_error(self.location, error)
                if problem is not None:
                    raise problem from error
                raise
            if _is_disk_full(error):
                raise DiskFull(self.path) from error
            if not self._read_only and is_read_only_error(error):
                # Made read-only after it was opened (or on a medium that says so only now).
                raise DatabaseReadOnly(self.path) from error
            raise
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def backup_to(self, target: Path) -> Path:
        """A copy of the database in the file *target* (the online backup API). A server
        database is backed up by the server's own tools: ServerKeepsItsOwnBackups."""
        if isinstance(self.location, ServerTarget):
            raise server_backups_refused(self.location)
        copy_database(self.path, target)
        return target

    def close(self) -> None:
        with self._reader_lock:
            self._close_reader()
        if self._engine is not None:
            self._engine.dispose()
        if self._lock is not None:
            self._lock.release()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def server_backups_refused(target: ServerTarget) -> ServerKeepsItsOwnBackups:
    """The message for a backup or restore asked of a server database."""
    return ServerKeepsItsOwnBackups(target, target.dbname, target.host, target.port, target.user)


def _is_disk_full(error: Exception) -> bool:
    original = getattr(error, "orig", None)
    return isinstance(original, sqlite3.OperationalError) and "full" in str(original).lower()


# What the file system says when a file or folder cannot be written: no rights, or a medium
# mounted read-only (a locked memory card, a CD).
_READ_ONLY_ERRNOS = frozenset({errno.EACCES, errno.EPERM, errno.EROFS})


def lock_for_writing(path: Path, lock: InstanceLock | None = None) -> InstanceLock:
    """The instance lock of the database *path* (*lock* if the caller holds it already),
    acquired after making sure *path* can be written: raises DatabaseReadOnly if not, or
    DatabaseInUse when another process holds it."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        require_writable(path)
        lock = lock or InstanceLock(path)
        lock.acquire()  # creates the lock file beside the database: a write too
    except OSError as error:
        if error.errno in _READ_ONLY_ERRNOS:
            raise DatabaseReadOnly(path) from error
        raise
    return lock


def require_writable(path: Path) -> None:
    """Raise DatabaseReadOnly unless *path* (when it exists) and its folder can be written.

    Asked before anything is locked or written, so that a file marked read-only, or a folder
    without write rights, is refused with a message rather than failing at the first save
    (SQLite opens such a file, reads it, and fails only when it writes). The folder matters
    too: SQLite writes its WAL and shared-memory files beside the database."""
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise DatabaseReadOnly(path)
    if path.exists() and not os.access(path, os.W_OK):
        raise DatabaseReadOnly(path)


def is_read_only_error(error: BaseException) -> bool:
    """Whether *error* (sqlite3's, or SQLAlchemy's wrapping it) is SQLite refusing to write a
    read-only file: "attempt to write a readonly database" (SQLITE_READONLY and its variants)."""
    original = getattr(error, "orig", None) or error
    if not isinstance(original, sqlite3.OperationalError):
        return False
    code = getattr(original, "sqlite_errorcode", None)  # Python 3.11+
    if code is not None:
        return code & 0xFF == sqlite3.SQLITE_READONLY
    return "readonly" in str(original).lower()


def _make_private(path: Path) -> None:
    """A database written by an older version, or copied in, may be readable by every local
    user (0644): on POSIX take that away from it and from its WAL files. Never fails."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        paths.tighten_file(Path(f"{path}{suffix}"))  # a missing one is skipped


def _check_existing(path: Path) -> None:
    if not looks_like_sqlite(path):
        raise DatabaseDamaged(path, "không phải tệp SQLite")
    require_healthy(path)


def _migrate_if_due(path: Path, backups: Path) -> None:
    try:
        plain, current = revisions.stamped_revision(path)
    except sqlite3.DatabaseError as error:
        raise DatabaseDamaged(path, str(error)) from error
    if (
        plain
        and current is not None
        and current == revisions.head_from_files(paths.migrations_dir() / "versions")
    ):
        return  # up to date, the usual case: decided without SQLAlchemy or Alembic
    from sqlalchemy.exc import DatabaseError as SADatabaseError

    from app.store import migrations
    from app.store.engine import make_engine

    engine = make_engine(path)
    try:
        try:
            if not plain:
                current = migrations.current_revision(engine)
            user_tables = migrations.has_user_tables(engine)
        except (sqlite3.DatabaseError, SADatabaseError) as error:
            raise DatabaseDamaged(path, str(error)) from error
    finally:
        engine.dispose()
    if current is None and user_tables:
        raise DatabaseDamaged(path, "tệp SQLite này không do DanhGia tạo ra")
    if current is not None and current not in migrations.known_revisions():
        raise SchemaTooNew(path, current)
    if current == migrations.head_revision():
        return
    if current is not None:
        target = backups / backup_name(path, f"truoc-nang-cap-{current}")
        copy_database(path, target)
        log.info("backed up %s to %s before migrating", path, target)
    migrations.upgrade(path)
