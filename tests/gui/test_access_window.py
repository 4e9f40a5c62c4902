"""The window's password: asked at start (three wrong tries close the app), set, changed and
removed from the File menu, and asked again when the window locks itself after idle time.
Also the File menu's backup with an optional password."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QLineEdit, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from app.services.safekeeping import secure_backup
from app.services.safekeeping import window_password as access
from app.services.safekeeping.secure_file import WrongPassword, is_encrypted
from app.store.database import Database
from app.ui.common import ask
from app.ui.files.password_dialogs import AskPasswordDialog, ChangePasswordDialog, NewPasswordDialog
from app.ui.shell import idle_lock as lock
from app.ui.shell.main_window import MainWindow

PASSWORD = "Đảng ủy xã Na Tông"
SHOTS = os.environ.get("DANHGIA_SHOTS")  # a folder: screenshots to look at, when set


def _shot(widget: QWidget, name: str) -> None:
    if SHOTS:
        widget.grab().save(os.path.join(SHOTS, name))


def _typing(*answers: str | None) -> tuple[Callable[[QDialog], bool], list[AskPasswordDialog]]:
    """A run_dialog typing each answer in turn (None: the user presses "Thoát")."""
    shown: list[AskPasswordDialog] = []
    pending = list(answers)

    def run(dialog: QDialog) -> bool:
        assert isinstance(dialog, AskPasswordDialog)
        shown.append(dialog)
        answer = pending.pop(0)
        if answer is None:
            return False
        dialog.field.setText(answer)
        return True

    return run, shown


# ---- at start ------------------------------------------------------------------------------------


def test_no_password_no_question(demo_db: Database) -> None:
    run, shown = _typing()
    assert lock.unlock_at_start(demo_db, run)
    assert shown == []


def test_the_right_password_at_the_third_try_opens(demo_db: Database, said: list[str]) -> None:
    access.set_password(demo_db, PASSWORD)
    run, shown = _typing("sai một", PASSWORD.upper(), PASSWORD)
    assert lock.unlock_at_start(demo_db, run)
    assert [d.error.text() for d in shown] == [
        "",
        "Mật khẩu không đúng. Còn 2 lần thử.",
        "Mật khẩu không đúng. Còn 1 lần thử.",
    ]
    assert said == []
    shown[2].error.setVisible(True)
    _shot(shown[2], "mat-khau-khi-mo.png")


def test_three_wrong_tries_close_the_app_without_a_hint(demo_db: Database, said: list[str]) -> None:
    access.set_password(demo_db, PASSWORD)
    run, shown = _typing("một", "hai", "ba")
    assert not lock.unlock_at_start(demo_db, run)
    assert len(shown) == 3
    [message] = said
    assert message.startswith("Sai mật khẩu: Đã nhập sai mật khẩu 3 lần. Chương trình sẽ đóng")
    assert PASSWORD not in message and "gợi ý" not in message


def test_thoat_at_the_password_closes_the_app(demo_db: Database, said: list[str]) -> None:
    access.set_password(demo_db, PASSWORD)
    run, shown = _typing(None)
    assert not lock.unlock_at_start(demo_db, run)
    assert shown[0].cancel_button.text() == "Thoát" and said == []


# ---- the File menu ------------------------------------------------------------------------------


def _menu_texts(window: MainWindow) -> list[str]:
    return [a.text() for a in window._menus["file"].actions()]


def test_set_change_and_remove_the_password_from_the_menu(
    window: MainWindow, said: list[str]
) -> None:
    assert "Đặt / đổi / bỏ mật khẩu…" in _menu_texts(window)
    dialogs: list[QDialog] = []

    def set_new(dialog: QDialog) -> bool:
        assert isinstance(dialog, NewPasswordDialog)
        dialogs.append(dialog)
        dialog.first.setText("ngắn")
        dialog.second.setText("ngắn")
        assert not dialog.accept_button.isEnabled()
        assert "ít nhất 8 ký tự" in dialog.problem.text()
        dialog.first.setText(PASSWORD)
        dialog.second.setText(PASSWORD)
        assert dialog.accept_button.isEnabled()
        assert "không mã hóa tệp dữ liệu" in dialog.findChildren(QLabel)[0].text()
        return True

    window.run_dialog = set_new  # type: ignore[method-assign]
    window.lock.change_password()
    assert access.verify(window.db, PASSWORD)
    assert said[-1].startswith("Đã đặt mật khẩu")
    assert window.lock.timer.isActive()  # the idle lock now watches
    assert window.lock.timer.interval() == 10 * 60_000

    def change(current: str, new: str, remove: bool = False) -> Callable[[QDialog], bool]:
        def fill(dialog: QDialog) -> bool:
            assert isinstance(dialog, ChangePasswordDialog)
            dialogs.append(dialog)
            dialog.current.setText(current)
            if remove:
                dialog.remove_button.click()
                return True
            dialog.first.setText(new)
            dialog.second.setText(new)
            return True

        return fill

    window.run_dialog = change("đoán thử", "mật khẩu thứ hai")  # type: ignore[method-assign]
    window.lock.change_password()
    assert said[-1].startswith("Chưa thay đổi mật khẩu: Mật khẩu hiện tại không đúng")
    assert access.verify(window.db, PASSWORD)
    window.run_dialog = change(PASSWORD, "mật khẩu thứ hai")  # type: ignore[method-assign]
    window.lock.change_password()
    _shot(dialogs[-1], "doi-mat-khau.png")
    assert access.verify(window.db, "mật khẩu thứ hai")
    window.run_dialog = change("mật khẩu thứ hai", "", remove=True)  # type: ignore[method-assign]
    window.lock.change_password()
    assert not access.has_password(window.db)
    assert said[-1].startswith("Đã bỏ mật khẩu")
    assert not window.lock.timer.isActive()


# ---- the idle lock ------------------------------------------------------------------------------


def _lock_soon(window: MainWindow, ms: int = 60) -> None:
    access.set_password(window.db, PASSWORD)
    window.lock.interval_ms = ms
    window.lock.arm()


def test_the_window_locks_after_idle_time_and_hides_everything(
    qtbot: QtBot, window: MainWindow, said: list[str]
) -> None:
    # An open, half-filled form stays open, its fields hidden while locked.
    form = QDialog(window)
    field = QLineEdit("Lò Văn Pọm", form)
    QVBoxLayout(form).addWidget(field)
    form.show()
    _lock_soon(window)
    qtbot.waitUntil(lambda: window.lock.locked, timeout=3000)
    screen = window.lock.screen
    assert screen is not None and screen.isVisible()
    assert screen.windowModality() == Qt.WindowModality.ApplicationModal
    assert window.centralWidget().isHidden() and window.menuBar().isHidden()
    assert window.statusBar().isHidden() and field.isHidden() and form.isVisible()
    screen.resize(900, 500)
    _shot(screen, "man-hinh-khoa.png")

    screen.reject()  # Escape
    assert screen.isVisible() and window.lock.locked
    screen.field.setText("sai")
    screen.unlock_button.click()
    assert window.lock.locked and screen.error.text() == "Mật khẩu không đúng. Còn 2 lần thử."
    assert screen.field.text() == ""
    screen.field.setText(PASSWORD)
    screen.unlock_button.click()
    assert not window.lock.locked and not screen.isVisible()
    assert not window.centralWidget().isHidden() and not window.menuBar().isHidden()
    assert not field.isHidden() and field.text() == "Lò Văn Pọm"
    assert window.lock.timer.isActive()  # watching again
    assert said == []


def test_input_restarts_the_wait(qtbot: QtBot, window: MainWindow) -> None:
    _lock_soon(window, 10_000)
    qtbot.wait(300)
    waited = window.lock.timer.remainingTime()
    assert waited < 9_800
    QApplication.sendEvent(
        window.members.search,
        QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier, "a"),
    )
    assert window.lock.timer.remainingTime() > waited + 200
    qtbot.wait(300)
    waited = window.lock.timer.remainingTime()
    point = QPointF(5, 5)
    QApplication.sendEvent(
        window.tree.viewport(),
        QMouseEvent(QEvent.Type.MouseMove, point, point, Qt.MouseButton.NoButton,
                    Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier),
    )  # fmt: skip
    assert window.lock.timer.remainingTime() > waited + 200
    assert not window.lock.locked


def test_three_wrong_tries_at_the_lock_close_the_app(
    qtbot: QtBot, window: MainWindow, said: list[str]
) -> None:
    quits: list[bool] = []
    window.lock.quit = lambda: quits.append(True)
    _lock_soon(window)
    qtbot.waitUntil(lambda: window.lock.locked, timeout=3000)
    screen = window.lock.screen
    assert screen is not None
    for guess in ("một", "hai"):
        assert not window.lock.try_unlock(guess)
    assert quits == [] and said == []
    assert not window.lock.try_unlock("ba")
    assert quits == [True]
    assert said[-1].startswith("Sai mật khẩu: Đã nhập sai mật khẩu 3 lần")


def test_no_password_no_lock(qtbot: QtBot, window: MainWindow) -> None:
    window.lock.interval_ms = 30
    window.lock.arm()
    qtbot.wait(150)
    assert not window.lock.locked and not window.lock.timer.isActive()
    window.lock.lock()
    assert not window.lock.locked


# ---- backup with a password ---------------------------------------------------------------------


def test_backup_from_the_menu_with_and_without_a_password(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, said: list[str]
) -> None:
    chosen = tmp_path / "usb" / "sao-luu.sqlite"
    monkeypatch.setattr(ask, "save_file", lambda *_a: chosen)

    def with_password(dialog: QDialog) -> bool:
        assert isinstance(dialog, NewPasswordDialog)
        assert dialog.windowTitle() == "Đặt mật khẩu cho tệp sao lưu"
        dialog.first.setText(PASSWORD)
        dialog.second.setText(PASSWORD)
        return True

    window.run_dialog = with_password  # type: ignore[method-assign]
    window.backup()
    encrypted = chosen.with_suffix(".dgb")
    assert not chosen.exists() and is_encrypted(encrypted)
    assert said[-1].startswith("Đã sao lưu: Đã sao lưu và mã hóa") and str(encrypted) in said[-1]
    with pytest.raises(WrongPassword):
        secure_backup.decrypt_backup(encrypted, "mật khẩu khác", tmp_path / "x.sqlite")
    out = secure_backup.decrypt_backup(encrypted, PASSWORD, tmp_path / "giai-ma.sqlite")
    with Database.open(out) as restored:
        assert not access.has_password(restored)

    def without(dialog: QDialog) -> bool:
        assert isinstance(dialog, NewPasswordDialog) and dialog.skip_button is not None
        dialog.skip_button.click()
        return dialog.result() == QDialog.DialogCode.Accepted

    window.run_dialog = without  # type: ignore[method-assign]
    window.backup()
    assert chosen.exists() and not is_encrypted(chosen)
    assert chosen.read_bytes().startswith(b"SQLite format 3")
