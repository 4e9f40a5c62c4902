"""The shortcut that tells an up-to-date database without Alembic, and when it declines."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

from app import paths
from app.store import migrations
from app.store.database import Database
from app.store.revisions import head_from_files, stamped_revision

ROOT = Path(__file__).resolve().parents[2]


def _revision_file(folder: Path, name: str, revision: str, down: str | None) -> None:
    down_text = "None" if down is None else f'"{down}"'
    (folder / f"{name}.py").write_text(
        f'"""{name}"""\nrevision: str = "{revision}"\ndown_revision: str | None = {down_text}\n',
        encoding="utf-8",
    )


def test_the_head_read_from_the_files_is_alembics() -> None:
    assert head_from_files(paths.migrations_dir() / "versions") == migrations.head_revision()


def test_a_chain_gives_its_last_revision(tmp_path: Path) -> None:
    _revision_file(tmp_path, "a", "0001", None)
    _revision_file(tmp_path, "b", "0002", "0001")
    _revision_file(tmp_path, "c", "0003", "0002")
    assert head_from_files(tmp_path) == "0003"


def test_anything_unusual_is_left_to_alembic(tmp_path: Path) -> None:
    _revision_file(tmp_path, "a", "0001", None)
    _revision_file(tmp_path, "b", "0002", "0001")
    _revision_file(tmp_path, "c", "0003", "0001")  # two heads
    assert head_from_files(tmp_path) is None
    (tmp_path / "c.py").unlink()
    (tmp_path / "merge.py").write_text('revision = "0004"\ndown_revision = ("0002", "0003")\n')
    assert head_from_files(tmp_path) is None  # a merge revision: not read here
    (tmp_path / "merge.py").unlink()
    (tmp_path / "helper.py").write_text("VALUE = 1\n")
    assert head_from_files(tmp_path) is None  # a file that is not a revision
    (tmp_path / "helper.py").unlink()
    _revision_file(tmp_path, "d", "0004", "0009")  # points at a revision that is not there
    assert head_from_files(tmp_path) is None


def test_the_stamped_revision_is_read_from_the_file(db: Database) -> None:
    assert stamped_revision(db.path) == (True, migrations.head_revision())


def test_no_version_table_and_several_rows(tmp_path: Path) -> None:
    path = tmp_path / "x.sqlite"
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("CREATE TABLE t (x)")
    assert stamped_revision(path) == (True, None)
    with closing(sqlite3.connect(path)) as connection, connection:
        connection.execute("CREATE TABLE alembic_version (version_num TEXT)")
        connection.execute("INSERT INTO alembic_version VALUES ('a'), ('b')")
    assert stamped_revision(path) == (False, None)  # only Alembic can say


def test_opening_an_up_to_date_database_does_not_load_alembic(db_path: Path) -> None:
    path = db_path
    code = (
        "import sys; from pathlib import Path; from app.store.database import Database; "
        f"Database.open(Path({str(path)!r})).close(); "
        "print(any(m == 'alembic' or m.startswith('alembic.') for m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
