"""Restoring a backup from the window, the daily backup on close, and a damaged database at
start: the user is told, offered the newest good backup, and the damaged file is kept."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import delete

from app.domain import clock
from app.services.roster import members as member_service
from app.services.safekeeping import backups
from app.settings import Settings
from app.store.database import Database
from app.store.models import CellMembership
from app.ui.common import ask
from app.ui.common.tasks import SyncRunner
from app.ui.files.restore import RestoreDialog
from app.ui.shell import application
from app.ui.shell.host import WindowHost


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """Every question is answered yes; what was asked and told is kept for the test."""
    said: dict[str, list[str]] = {"confirm": [], "inform": [], "warn": []}

    def confirm(_parent: object, title: str, text: str, action: str = "") -> bool:
        said["confirm"].append(f"{title}: {text}")
        return True

    monkeypatch.setattr(ask, "confirm", confirm)
    monkeypatch.setattr(ask, "inform", lambda _p, t, x: said["inform"].append(f"{t}: {x}"))
    monkeypatch.setattr(ask, "warn", lambda _p, t, x, d="": said["warn"].append(f"{t}: {x}"))
    return said


def test_restore_from_the_window_shows_the_backup_and_replaces_the_data(
    qtbot: QtBot, demo_path: Path, tmp_path: Path, answers: dict[str, list[str]]
) -> None:
    db = Database.open(demo_path)
    host = WindowHost(db, Settings(tmp_path / "settings.json"), SyncRunner)
    qtbot.addWidget(host.window)
    before = member_service.list_members(db)
    backups.make_backup(db, "thu-cong", when=dt.datetime(2026, 11, 20, 16, 30))
    # After the backup, someone removes a member by mistake.
    gone = before[0]
    _delete_member(db, gone.id)
    assert len(member_service.list_members(db)) == len(before) - 1

    seen: list[str] = []

    def run_dialog(dialog: RestoreDialog) -> bool:
        assert isinstance(dialog, RestoreDialog)
        assert dialog.list.count() == 1
        seen.append(dialog.preview.text())
        dialog._accept()
        return True

    old_window = host.window
    old_window.run_dialog = run_dialog  # type: ignore[method-assign]
    old_window.restore_backup()

    assert "20/11/2026 16:30 — Sao lưu thủ công" in seen[0]
    assert f"{len(before)} đảng viên" in seen[0].replace(".", "")
    assert answers["confirm"] and "20/11/2026 16:30" in answers["confirm"][0]
    assert not answers["warn"], answers["warn"]
    assert host.window is not old_window
    qtbot.addWidget(host.window)
    assert member_service.list_members(host.db) == before
    assert host.window.rows and len(host.window.rows) == len(before)
    # What was replaced is kept as a backup of its own.
    reasons = [b.reason for b in backups.list_backups(demo_path)]
    assert "Trước khi khôi phục" in reasons
    assert "Đã khôi phục" in answers["inform"][0]
    host.db.close()


def _delete_member(db: Database, member_id: int) -> None:
    with db.session() as session:
        session.execute(delete(CellMembership).where(CellMembership.member_id == member_id))


def test_closing_the_window_makes_the_daily_backup(
    qtbot: QtBot, demo_path: Path, tmp_path: Path
) -> None:
    db = Database.open(demo_path)
    host = WindowHost(db, Settings(tmp_path / "settings.json"), SyncRunner)
    host.window.show()
    assert backups.list_backups(demo_path) == []
    host.window.close()
    made = backups.list_backups(demo_path)
    assert len(made) == 1 and made[0].reason == "Sao lưu hằng ngày"
    assert made[0].taken_at.date() == clock.today()
    db.close()


def test_a_damaged_database_at_start_offers_the_newest_good_backup(
    demo_path: Path, answers: dict[str, list[str]]
) -> None:
    with Database.open(demo_path) as db:
        members = member_service.list_members(db)
        backups.make_backup(db, "hang-ngay", when=dt.datetime(2026, 11, 24, 17, 5))
    size = demo_path.stat().st_size
    with demo_path.open("r+b") as handle:
        handle.truncate(size // 2 + 10)

    db = application.open_database(demo_path)
    assert db is not None
    try:
        assert member_service.list_members(db) == members
    finally:
        db.close()
    question = answers["confirm"][0]
    assert "bị hỏng" in question and "24/11/2026 17:05" in question
    assert "không bị xóa" in question
    kept = list(demo_path.parent.glob("demo-hong-*.sqlite"))
    assert len(kept) == 1 and kept[0].stat().st_size == size // 2 + 10


def test_a_damaged_database_without_a_backup_is_explained(
    demo_path: Path, answers: dict[str, list[str]]
) -> None:
    demo_path.write_bytes(demo_path.read_bytes()[:5000])
    assert application.open_database(demo_path) is None
    assert "bị hỏng" in answers["warn"][0]
    assert "Không tìm thấy bản sao lưu" in answers["warn"][0]
    assert demo_path.stat().st_size == 5000  # left as it was


def test_the_number_of_backups_kept_is_a_setting(
    qtbot: QtBot, demo_path: Path, answers: dict[str, list[str]]
) -> None:
    from app.ui.shell.options_dialog import OptionsDialog

    settings = Settings()  # the one the services read
    dialog = OptionsDialog(settings)
    qtbot.addWidget(dialog)
    assert dialog.kept.value() == backups.DEFAULT_KEPT
    dialog.kept.setValue(4)
    dialog.lock_minutes.setValue(0)
    dialog.save()
    assert Settings().get("backups_kept") == 4
    assert Settings().lock_after_minutes == 0
    with Database.open(demo_path) as db:
        for day in range(1, 8):
            backups.make_backup(db, "hang-ngay", when=dt.datetime(2026, 11, day, 17, 0))
        kept = backups.list_backups(demo_path)
    assert [b.taken_at.day for b in kept] == [7, 6, 5, 4]


def test_an_encrypted_backup_is_previewed_and_restored_after_its_password(
    qtbot: QtBot,
    demo_path: Path,
    tmp_path: Path,
    answers: dict[str, list[str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from app.services.safekeeping import secure_backup

    # The app's temporary folders go into this test's own folder, where nothing else on the
    # machine writes: what is left there afterwards is this test's doing.
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    # The decrypted copy goes only into the database's private scratch folder.
    from app import paths

    private = paths.scratch_dir(demo_path)
    decrypted = "khoi-phuc-*/sao-luu.sqlite"
    db = Database.open(demo_path)
    host = WindowHost(db, Settings(tmp_path / "settings.json"), SyncRunner)
    qtbot.addWidget(host.window)
    before = member_service.list_members(db)
    usb = secure_backup.encrypt_backup(demo_path, tmp_path / "usb" / "sao-luu.dgb", "mật khẩu dài")
    _delete_member(db, before[0].id)

    tries: list[str] = []

    def run_dialog(dialog: RestoreDialog) -> bool:
        def password(_path: Path, error: str) -> str | None:
            tries.append(error)
            return "sai mật khẩu" if len(tries) == 1 else "mật khẩu dài"

        dialog.ask_password = password
        ask_open = ask.open_file
        ask.open_file = lambda *_a: usb  # type: ignore[assignment]
        try:
            dialog._choose_file()
        finally:
            ask.open_file = ask_open  # type: ignore[assignment]
        assert "(có mật khẩu)" in dialog.current().label
        assert len(list(private.glob(decrypted))) == 1  # the copy being previewed
        assert list(scratch.iterdir()) == []  # nothing in clear in the system's temp folder
        assert f"{len(before)} đảng viên" in dialog.preview.text().replace(".", "")
        dialog._accept()
        return True

    host.window.run_dialog = run_dialog  # type: ignore[method-assign]
    host.window.restore_backup()
    qtbot.addWidget(host.window)
    # The wrong password was said to be wrong, the right one opened it.
    assert tries[0] == "" and "mật khẩu không đúng" in tries[1]
    assert member_service.list_members(host.db) == before
    # The decrypted copy did not stay behind.
    assert list(private.glob(decrypted)) == [] and list(scratch.iterdir()) == []
    host.db.close()
