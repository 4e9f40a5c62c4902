"""Opening a database: lock, check, refusal of a newer schema, backup before migrating."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app import paths
from app.store import migrations
from app.store.database import Database
from app.store.engine import make_engine
from app.store.errors import DatabaseDamaged, DatabaseInUse, DatabaseMissing, SchemaTooNew
from app.store.models import Base, Organization


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_database_is_created_migrated_with_pragmas(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    with Database.open(path, create=True) as db, db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert migrations.current_revision(db.engine) == migrations.head_revision()


def test_missing_database_is_not_created_unless_asked(tmp_path: Path) -> None:
    with pytest.raises(DatabaseMissing):
        Database.open(tmp_path / "absent.sqlite")
    assert not (tmp_path / "absent.sqlite").exists()


def test_models_and_migrations_agree(db: Database) -> None:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_second_process_is_refused_and_touches_nothing(db_path: Path) -> None:
    db = Database.open(db_path)
    try:
        before = digest(db_path)
        script = textwrap.dedent(
            f"""
            from pathlib import Path
            from app.store.database import Database
            from app.store.errors import DatabaseInUse
            try:
                Database.open(Path({str(db_path)!r}))
            except DatabaseInUse as error:
                print(error)
                raise SystemExit(3)
            """
        )
        result = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 3, result.stderr
        assert "đang được mở bởi một chương trình DanhGia khác" in result.stdout
        assert digest(db_path) == before
    finally:
        db.close()
    # Once the first copy closes, the file opens again.
    Database.open(db_path).close()


def test_lock_is_released_when_the_holder_dies(db_path: Path) -> None:
    script = (
        "import os; from pathlib import Path; from app.store.database import Database; "
        f"Database.open(Path({str(db_path)!r})); os._exit(0)"
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)
    Database.open(db_path).close()


def test_in_process_second_open_is_refused(db: Database) -> None:
    with pytest.raises(DatabaseInUse):
        Database.open(db.path)


def test_a_helper_process_reads_read_only_beside_the_lock_holder(
    tmp_path: Path, empty_template: Path
) -> None:
    """A worker of "print everything" opens the file its parent holds: no lock, no write.
    The folder's name has a space and Vietnamese letters, which the URI must carry."""
    folder = tmp_path / "Văn bản Đảng ủy"
    folder.mkdir()
    path = Path(shutil.copyfile(empty_template, folder / "dữ liệu.sqlite"))
    with Database.open(path) as db:
        with db.session() as session:
            session.add(Organization(code="A1", name="Chi bộ A", kind="chi_bo"))
        script = textwrap.dedent(
            f"""
            from pathlib import Path
            from sqlalchemy.exc import OperationalError
            from app.store.database import Database
            from app.store.models import Organization
            db = Database.open_read_only(Path({str(path)!r}))
            with db.session() as session:
                print([o.name for o in session.query(Organization)])
            try:
                with db.session() as session:
                    session.add(Organization(code="B2", name="Chi bộ B", kind="chi_bo"))
            except OperationalError as error:
                print("refused:", "readonly" in str(error))
            db.close()
            """
        )
        result = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.splitlines() == ["['Chi bộ A']", "refused: True"]
        with pytest.raises(DatabaseInUse):  # the parent's lock was never touched
            Database.open(path)
        with db.session() as session:
            assert session.query(Organization).count() == 1


def test_a_file_that_is_not_sqlite_is_refused_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_text("danh sách đảng viên\n" * 50, encoding="utf-8")
    before = digest(path)
    with pytest.raises(DatabaseDamaged, match="không phải tệp SQLite"):
        Database.open(path)
    assert digest(path) == before


def test_a_damaged_database_is_refused(db_path: Path) -> None:
    with Database.open(db_path) as db, db.session() as session:
        session.add_all(
            Organization(code=f"CB{i:03d}", name=f"Chi bộ {i}", kind="chi_bo") for i in range(400)
        )
    data = bytearray(db_path.read_bytes())
    page = 4096
    for offset in range(2 * page, min(len(data), 5 * page)):
        data[offset] = 0x5A  # scribble over table pages
    db_path.write_bytes(bytes(data))
    with pytest.raises(DatabaseDamaged):
        Database.open(db_path)


def test_a_sqlite_file_from_another_program_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    with pytest.raises(DatabaseDamaged, match="không do DanhGia tạo ra"):
        Database.open(path)


def test_a_schema_newer_than_the_code_is_refused_unchanged(db_path: Path) -> None:
    with sqlite3.connect(db_path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    connection.close()
    before = digest(db_path)
    with pytest.raises(SchemaTooNew, match="phiên bản DanhGia mới hơn"):
        Database.open(db_path)
    assert digest(db_path) == before


def test_a_due_migration_is_preceded_by_a_backup(
    tmp_path: Path, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Give the code one more revision than the file has; opening backs up, then migrates."""
    with Database.open(db_path) as db, db.session() as session:
        session.add(Organization(code="XNT", name="Đảng bộ xã Na Tông", kind="dang_bo"))
    migrations_copy = tmp_path / "db"
    shutil.copytree(paths.migrations_dir(), migrations_copy)
    head = migrations.head_revision()
    (migrations_copy / "versions" / "9001_test_column.py").write_text(
        textwrap.dedent(
            f'''
            """test: a new column"""
            import sqlalchemy as sa
            from alembic import op

            revision = "9001"
            down_revision = {head!r}
            branch_labels = None
            depends_on = None

            def upgrade():
                with op.batch_alter_table("organizations") as batch:
                    batch.add_column(
                        sa.Column("motto", sa.String(50), nullable=False, server_default="")
                    )

            def downgrade():
                with op.batch_alter_table("organizations") as batch:
                    batch.drop_column("motto")
            '''
        ),
        encoding="utf-8",
    )
    monkeypatch.setattr(paths, "migrations_dir", lambda: migrations_copy)
    backups = tmp_path / "backups"
    with Database.open(db_path, backups=backups) as db:
        assert migrations.current_revision(db.engine) == "9001"
        with db.engine.connect() as connection:
            row = connection.exec_driver_sql("SELECT name, motto FROM organizations").one()
        assert tuple(row) == ("Đảng bộ xã Na Tông", "")
    saved = list(backups.glob("*truoc-nang-cap*.sqlite"))
    assert len(saved) == 1
    engine = make_engine(saved[0])
    try:
        assert migrations.current_revision(engine) == head
        with engine.connect() as connection:
            names = connection.exec_driver_sql("SELECT name FROM organizations").scalars().all()
        assert names == ["Đảng bộ xã Na Tông"]
    finally:
        engine.dispose()


def test_session_rolls_back_on_error(db: Database) -> None:
    with pytest.raises(RuntimeError), db.session() as session:
        session.add(Organization(code="A1", name="Chi bộ A", kind="chi_bo"))
        session.flush()
        raise RuntimeError("stop half-way")
    with db.session() as session:
        assert session.query(Organization).count() == 0
