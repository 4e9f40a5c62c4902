"""Automatic backups, their preview, keeping the last N, `danhgia check` on the database, its
audit chain and its newest backup, and recovering a damaged database from a backup."""

from __future__ import annotations

import datetime as dt
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from app import paths
from app.__main__ import main
from app.domain import clock
from app.domain.procedure import CellStep
from app.services.procedure import appraisal
from app.services.procedure import board as procedure_board
from app.services.roster.members import list_members
from app.services.safekeeping import backups, maintenance
from app.settings import Settings
from app.store.backup import quick_check
from app.store.database import Database
from app.store.errors import DatabaseDamaged

YEAR = clock.today().year  # the demo's year under way


def _backup_at(db: Database, reason: str, when: dt.datetime) -> Path:
    return backups.make_backup(db, reason, when=when, keep=100)


def test_only_the_newest_backups_are_kept(demo_db: Database) -> None:
    start = dt.datetime(2026, 11, 1, 8, 0)
    for day in range(8):
        _backup_at(demo_db, "hang-ngay", start + dt.timedelta(days=day))
    assert len(backups.list_backups(demo_db.path)) == 8
    Settings().set("backups_kept", 5)
    backups.make_backup(demo_db, "thu-cong", when=dt.datetime(2026, 11, 20, 9, 0))
    kept = backups.list_backups(demo_db.path)
    assert len(kept) == 5
    # Newest first; the manual one is the newest, the oldest daily ones went.
    assert kept[0].reason == "Sao lưu thủ công"
    assert min(b.taken_at for b in kept) == start + dt.timedelta(days=4)


def test_daily_backup_is_made_once_a_day(demo_db: Database) -> None:
    today = clock.today()
    first = backups.daily_backup(demo_db, today)
    assert first is not None and quick_check(first) == "ok"
    assert backups.daily_backup(demo_db, today) is None
    assert len(backups.list_backups(demo_db.path)) == 1


def test_the_preview_says_what_a_backup_holds(full_demo_db: Database) -> None:
    made = backups.make_backup(full_demo_db, "thu-cong")
    info = backups.list_backups(full_demo_db.path)[0]
    assert info.path == made
    shown = backups.preview(info)
    assert shown.healthy
    with closing(sqlite3.connect(full_demo_db.path)) as connection:
        assert shown.members == connection.execute("SELECT count(*) FROM members").fetchone()[0]
    text = "\n".join(shown.lines())
    assert f"{YEAR - 1} (đã quyết định)" in text
    assert "Sao lưu thủ công" in text


def test_a_decision_backs_the_database_up_first(full_demo_db: Database) -> None:
    submitted = [
        row.cell_id
        for row in procedure_board.board(full_demo_db, YEAR)
        if row.step is CellStep.SUBMITTED
    ]
    assert submitted, "the full demo has a submitted cell"
    appraisal.accept_proposals(full_demo_db, YEAR, submitted[:1])
    before = len(backups.list_backups(full_demo_db.path))
    assert appraisal.decide_and_lock(full_demo_db, YEAR, submitted[:1], actor="test") == 1
    made = backups.list_backups(full_demo_db.path)
    assert len(made) == before + 1
    assert made[0].reason == f"Trước khi quyết định kết quả ({YEAR})"
    # The backup holds the data as it was just before the decision.
    assert backups.preview(made[0]).healthy


def test_check_verifies_the_audit_chain_and_the_newest_backup(
    full_demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Database.open(full_demo_path) as db:
        backups.make_backup(db, "thu-cong")
    assert main(["check", "--db", str(full_demo_path)]) == 0
    out = capsys.readouterr().out
    assert "Nhật ký thay đổi (chuỗi mã băm): nguyên vẹn" in out
    assert "Bản sao lưu gần nhất:" in out and "toàn vẹn" in out

    # Someone edits a logged value behind the app's back: check names the entry.
    with closing(sqlite3.connect(full_demo_path)) as connection:
        entry = connection.execute("SELECT id FROM audit_log ORDER BY id LIMIT 1 OFFSET 5")
        entry_id = entry.fetchone()[0]
        connection.execute("UPDATE audit_log SET actor = 'người khác' WHERE id = ?", (entry_id,))
        connection.commit()
    assert main(["check", "--db", str(full_demo_path)]) != 0
    out = capsys.readouterr().out
    assert f"mục số {entry_id} của nhật ký thay đổi đã bị sửa" in out

    # Deleting an entry breaks the chain at the next one.
    with closing(sqlite3.connect(full_demo_path)) as connection:
        connection.execute("DELETE FROM audit_log WHERE id = ?", (entry_id + 3,))
        connection.commit()
    report = maintenance.check_database(full_demo_path)
    assert any(f"trước mục số {entry_id + 4}" in p for p in report.problems)


def test_check_reports_a_damaged_newest_backup(demo_db: Database) -> None:
    made = backups.make_backup(demo_db, "thu-cong")
    data = bytearray(made.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 4096] = b"\xff" * 4096
    made.write_bytes(bytes(data))
    report = maintenance.check_database(demo_db.path)
    assert any(p.startswith("Bản sao lưu gần nhất") and "bị hỏng" in p for p in report.problems)


def _damage(path: Path) -> None:
    """Truncate the file in the middle of a page, as a crash of the disk would."""
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.truncate(size // 3 + 100)


def test_a_damaged_database_is_recovered_from_the_newest_good_backup(
    tmp_path: Path, demo_path: Path
) -> None:
    with Database.open(demo_path) as db:
        members = list_members(db)
        old_good = backups.make_backup(db, "hang-ngay", when=dt.datetime(2026, 11, 1, 17, 0))
        newest = backups.make_backup(db, "hang-ngay", when=dt.datetime(2026, 11, 2, 17, 0))
    # The newest backup is damaged too: the one before it is offered.
    _damage(newest)
    _damage(demo_path)
    with pytest.raises(DatabaseDamaged) as raised:
        Database.open(demo_path)
    assert "bị hỏng" in str(raised.value)
    good = backups.latest_good(demo_path)
    assert good is not None and good.info.path == old_good
    aside = backups.recover(demo_path, good.info.path)
    assert aside.exists() and aside.parent == demo_path.parent and "hong" in aside.name
    with Database.open(demo_path) as db:
        assert list_members(db) == members
    assert paths.backups_dir().exists()
