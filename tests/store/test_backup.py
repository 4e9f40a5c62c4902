"""Backups are complete databases; restore puts one back and keeps what it replaced."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.services.roster.members import list_members
from app.services.safekeeping import maintenance
from app.store.backup import quick_check
from app.store.database import Database
from app.store.errors import DatabaseInUse, StoreError


def test_backup_and_restore_round_trip(tmp_path: Path, demo_path: Path) -> None:
    backup = tmp_path / "copy.sqlite"
    maintenance.backup_database(demo_path, backup)
    assert quick_check(backup) == "ok"
    with Database.open(demo_path) as db:
        before = list_members(db)
        with db.session() as session:
            session.execute(__import__("sqlalchemy").text("DELETE FROM cell_memberships"))
        assert list_members(db) == []
    saved = maintenance.restore_database(demo_path, backup, backups=tmp_path / "kept")
    assert saved is not None and saved.exists()
    with Database.open(demo_path) as db:
        assert list_members(db) == before
    # The replaced contents were kept: the emptied roster is in the pre-restore copy.
    with Database.open(saved) as kept:
        assert list_members(kept) == []


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path: Path, demo_path: Path) -> None:
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"not a database" * 100)
    with pytest.raises(StoreError):
        maintenance.restore_database(demo_path, junk)


def test_restore_refuses_while_the_app_has_the_database_open(
    tmp_path: Path, demo_db: Database
) -> None:
    backup = tmp_path / "copy.sqlite"
    demo_db.backup_to(backup)
    with pytest.raises(DatabaseInUse):
        maintenance.restore_database(demo_db.path, backup)


def test_check_reports_a_healthy_database(demo_path: Path) -> None:
    report = maintenance.check_database(demo_path)
    assert report.ok
    assert any("Đảng viên:" in line for line in report.lines)
