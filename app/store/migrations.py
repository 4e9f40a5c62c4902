"""Running the Alembic migrations in ``db/`` from code.

Developers make a new revision with ``python -m app.store.migrations new "message"``; it
compares the models with a scratch database migrated to the current head.

Alembic is imported inside the functions: a start whose database is up to date never needs
it (``Database.open`` checks with ``app.store.revisions`` first), and it costs a quarter second.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text

from app import paths
from app.store.engine import make_engine
from app.store.server import ServerTarget

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(paths.migrations_dir()))
    config.attributes["connection"] = connection
    return config


def script_directory() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    head = script_directory().get_current_head()
    assert head is not None, "db/versions holds no revision"
    return head


def known_revisions() -> set[str]:
    return {script.revision for script in script_directory().walk_revisions()}


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def has_user_tables(engine: Engine) -> bool:
    names = set(inspect(engine).get_table_names()) - {"alembic_version"}
    return bool(names)


# pg_advisory_xact_lock's key for migrating a server database: two windows opening an old
# database at once migrate it one after the other (the second finds it done).
MIGRATION_LOCK_KEY = 0x44616E6847  # "DanhG"


def upgrade(path: Path | ServerTarget, revision: str = "head") -> None:
    """Migrate the file at *path*. Foreign keys are off while tables are rebuilt, and checked
    afterwards, so a migration cannot leave a dangling reference behind.

    On a server (*path* a ServerTarget) the whole migration is one transaction: PostgreSQL
    changes its schema transactionally, checks foreign keys throughout, and a failure leaves
    the database as it was."""
    _run(path, "upgrade", revision)


def downgrade(path: Path | ServerTarget, revision: str) -> None:
    """Take the database at *path* back down to *revision* ("base": nothing of DanhGia's)."""
    _run(path, "downgrade", revision)


def _run(path: Path | ServerTarget, direction: str, revision: str) -> None:
    from alembic import command

    run = command.upgrade if direction == "upgrade" else command.downgrade
    engine = make_engine(path, foreign_keys=False)
    try:
        with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY}
                )
                run(alembic_config(connection), revision)
                return
            run(alembic_config(connection), revision)
            problems = connection.execute(text("PRAGMA foreign_key_check")).fetchall()
            if problems:
                raise RuntimeError(f"foreign_key_check after migration: {problems[:5]}")
    finally:
        engine.dispose()


def _new_revision(message: str) -> None:
    from alembic import command

    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "head.sqlite"
        upgrade(path)
        engine = make_engine(path)
        with engine.begin() as connection:
            command.revision(alembic_config(connection), message=message, autogenerate=True)
        engine.dispose()


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] != "new":
        sys.exit('usage: python -m app.store.migrations new "message"')
    _new_revision(sys.argv[2])
