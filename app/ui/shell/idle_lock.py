"""The window's password at work: asked at start, asked again when the window has locked itself
after some minutes without input, and set, changed or removed from the File menu.

This is access control for the window only (see app/services/safekeeping/window_password.py):
the database file is not encrypted, and the command line opens it without a password.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.common.errors import ServiceError
from app.services.database import Database
from app.services.roster.quick_read import has_password
from app.settings import Settings
from app.ui.common import ask
from app.ui.files.password_dialogs import (
    ERROR_STYLE,
    AskPasswordDialog,
    Change,
    ChangePasswordDialog,
    NewPasswordDialog,
    window_password_text,
)

MAX_TRIES = 3


def _access():
    """The password service, imported at first use: it needs Argon2 and SQLAlchemy, and the
    window asks only whether a password is set before its first paint."""
    from app.services.safekeeping import window_password as access

    return access


RunDialog = Callable[[QDialog], bool]
# What counts as someone at the keyboard; anything else (a repaint, a timer) does not.
_INPUT = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TabletPress,
    }
)


def _exec(dialog: QDialog) -> bool:
    return bool(dialog.exec())


def _wrong(tries: int) -> str:
    left = MAX_TRIES - tries
    return f"Mật khẩu không đúng. Còn {left} lần thử."


def _too_many(parent: QWidget | None) -> None:
    # No hint of any kind: only that the tries are used up and what happens now.
    ask.warn(
        parent,
        "Sai mật khẩu",
        f"Đã nhập sai mật khẩu {MAX_TRIES} lần. Chương trình sẽ đóng; dữ liệu đã lưu không "
        "bị ảnh hưởng.",
    )


def unlock_at_start(
    db: Database, run_dialog: RunDialog = _exec, parent: QWidget | None = None
) -> bool:
    """True when the database has no password or the right one was typed; after three wrong
    tries (or "Thoát") False, and the caller closes the app."""
    if not has_password(db):
        return True
    error = ""
    for tries in range(1, MAX_TRIES + 1):
        dialog = AskPasswordDialog(
            "DanhGia — nhập mật khẩu",
            f"Cơ sở dữ liệu “{db.short_name}” được đặt mật khẩu. Hãy nhập mật khẩu để mở.",
            accept_text="Mở",
            cancel_text="Thoát",
            error=error,
            parent=parent,
        )
        if not run_dialog(dialog):
            return False
        if _access().verify(db, dialog.password()):
            return True
        error = _wrong(tries)
    _too_many(parent)
    return False


class LockScreen(QDialog):
    """Covers the window while it is locked; only the password (or quitting) closes it."""

    def __init__(self, minutes: int, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle("DanhGia — đã khóa")
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        text = QLabel(
            f"Chương trình đã tự khóa sau {minutes} phút không dùng. Dữ liệu vẫn an toàn; "
            "hãy nhập mật khẩu để làm tiếp."
        )
        text.setWordWrap(True)
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.field = QLineEdit()
        self.field.setEchoMode(QLineEdit.EchoMode.Password)
        self.field.setPlaceholderText("Mật khẩu")
        self.field.setMinimumWidth(280)
        self.field.setMaximumWidth(360)
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setVisible(False)
        self.unlock_button = QPushButton("Mở khóa")
        self.unlock_button.setDefault(True)
        self.quit_button = QPushButton("Thoát chương trình")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)
        buttons.addWidget(self.quit_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(text)
        layout.addWidget(self.error, 0, Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.field, 0, Qt.AlignmentFlag.AlignCenter)
        layout.addLayout(buttons)
        layout.addStretch(2)
        self.field.setFocus()

    def reject(self) -> None:
        """Escape does not unlock."""

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.property("closing"):
            event.ignore()


class WindowLock(QObject):
    """The idle lock of one main window and its password menu entry."""

    def __init__(
        self,
        window: QMainWindow,
        db: Database,
        settings: Settings,
        run_dialog: RunDialog,
        actor: Callable[[], str],
    ) -> None:
        super().__init__(window)
        self.window, self.db, self.settings = window, db, settings
        self.run_dialog, self.actor = run_dialog, actor
        self.screen: LockScreen | None = None
        self.tries = 0
        self._hidden: list[QWidget] = []
        self._watching = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        # Precise: a coarse timer may round a restart by up to 5 % and report it so.
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self.lock)
        self.interval_ms: int | None = None  # tests: a shorter wait than whole minutes
        self.quit: Callable[[], None] = self._quit
        self.arm()

    @property
    def locked(self) -> bool:
        return self.screen is not None

    # ---- the idle timer -------------------------------------------------------------------
    def arm(self) -> None:
        """Watch for idleness when a password is set and a lock time is chosen."""
        minutes = self.settings.lock_after_minutes
        wanted = has_password(self.db) and (minutes > 0 or self.interval_ms is not None)
        app = QApplication.instance()
        if wanted and not self._watching and app is not None:
            app.installEventFilter(self)
        elif not wanted and self._watching and app is not None:
            app.removeEventFilter(self)
        self._watching = wanted
        if wanted and not self.locked:
            self.timer.start(self.interval_ms or minutes * 60_000)
        else:
            self.timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT and not self.locked:
            self.timer.start()  # someone is here: the wait starts again
        return False

    # ---- locking --------------------------------------------------------------------------
    def lock(self) -> None:
        if self.locked or not has_password(self.db):
            return
        self.timer.stop()
        self.tries = 0
        screen = LockScreen(self.settings.lock_after_minutes, self.window)
        self._hidden = _conceal(keep=screen)
        screen.unlock_button.clicked.connect(lambda: self.try_unlock(screen.field.text()))
        screen.field.returnPressed.connect(lambda: self.try_unlock(screen.field.text()))
        screen.quit_button.clicked.connect(lambda: self.quit())
        screen.setGeometry(self.window.geometry())
        self.screen = screen
        screen.show()  # not open(): that would make it modal to the main window only

    def try_unlock(self, password: str) -> bool:
        screen = self.screen
        if screen is None:
            return True
        if _access().verify(self.db, password):
            self._unlock()
            return True
        self.tries += 1
        screen.field.clear()
        if self.tries >= MAX_TRIES:
            _too_many(screen)
            self.quit()
            return False
        screen.error.setText(_wrong(self.tries))
        screen.error.setVisible(True)
        return False

    def _unlock(self) -> None:
        screen, self.screen = self.screen, None
        for widget in reversed(self._hidden):
            widget.show()
        self._hidden = []
        if screen is not None:
            screen.setProperty("closing", True)
            screen.done(QDialog.DialogCode.Accepted)
            screen.deleteLater()
        self.arm()

    def _quit(self) -> None:
        if self.screen is not None:
            self.screen.setProperty("closing", True)
        self.window.close()
        QApplication.quit()

    # ---- the menu entry -------------------------------------------------------------------
    def change_password(self) -> None:
        """Tệp → Đặt / đổi / bỏ mật khẩu…"""
        minutes = self.settings.lock_after_minutes
        try:
            if not has_password(self.db):
                self._set_new(minutes)
            else:
                self._change(minutes)
        except ServiceError as error:
            ask.warn(self.window, "Chưa thay đổi mật khẩu", str(error))
        self.arm()

    def _set_new(self, minutes: int) -> None:
        dialog = NewPasswordDialog(
            "Đặt mật khẩu mở chương trình", window_password_text(minutes), parent=self.window
        )
        if not self.run_dialog(dialog):
            return
        _access().set_password(self.db, dialog.password(), actor=self.actor())
        ask.inform(self.window, "Đã đặt mật khẩu", "Từ lần mở sau, chương trình sẽ hỏi mật khẩu.")

    def _change(self, minutes: int) -> None:
        dialog = ChangePasswordDialog(minutes, self.window)
        if not self.run_dialog(dialog):
            return
        current = dialog.current.text()
        if dialog.choice is Change.REMOVE:
            _access().remove_password(self.db, current, actor=self.actor())
            ask.inform(self.window, "Đã bỏ mật khẩu", "Chương trình sẽ không hỏi mật khẩu nữa.")
            return
        _access().set_password(self.db, dialog.first.text(), current=current, actor=self.actor())
        ask.inform(self.window, "Đã đổi mật khẩu", "Từ nay dùng mật khẩu mới.")


def _conceal(keep: QWidget) -> list[QWidget]:
    """Hide what every open window shows (the main window's menus, tabs and status bar, an open
    form's fields), without closing anything: a form half filled in is there after unlocking."""
    hidden: list[QWidget] = []
    for top in QApplication.topLevelWidgets():
        if top is keep or not top.isVisible():
            continue
        for child in top.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly):
            if not child.isWindow() and child.isVisible():
                child.hide()
                hidden.append(child)
    return hidden
