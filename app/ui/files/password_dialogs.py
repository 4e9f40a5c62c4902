"""The three password forms: asking for one, choosing a new one (for a file that leaves the
machine, or for the window), and changing or removing the window's password.

They only collect what is typed; the caller checks it (tests fill the fields and return from
``run_dialog`` without showing anything)."""

from __future__ import annotations

import unicodedata
from enum import Enum

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.passwords import weakness

ERROR_STYLE = "color: #b71c1c;"


def _field() -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setMinimumWidth(280)
    return field


def _label(text: str, style: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    if style:
        label.setStyleSheet(style)
    return label


class AskPasswordDialog(QDialog):
    """One password field; *error* (a wrong try) is shown in red above it. With *login* (a
    shared database's sign-in), a login field above it, filled with that text."""

    def __init__(
        self,
        title: str,
        text: str,
        *,
        accept_text: str = "Mở",
        cancel_text: str = "Hủy",
        error: str = "",
        login: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.login_field: QLineEdit | None = None
        self.field = _field()
        self.error = _label(error, ERROR_STYLE)
        self.error.setVisible(bool(error))
        buttons = QDialogButtonBox()
        self.accept_button = buttons.addButton(accept_text, QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = buttons.addButton(cancel_text, QDialogButtonBox.ButtonRole.RejectRole)
        self.accept_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        if login is not None:
            self.login_field = QLineEdit(login)
            self.login_field.setMinimumWidth(280)
            form.addRow("&Tên đăng nhập:", self.login_field)
        form.addRow("&Mật khẩu:", self.field)
        layout = QVBoxLayout(self)
        layout.addWidget(_label(text))
        layout.addWidget(self.error)
        layout.addLayout(form)
        layout.addWidget(buttons)
        first = self.login_field if self.login_field is not None and not login else self.field
        first.setFocus()

    def password(self) -> str:
        return self.field.text()

    def login(self) -> str:
        return self.login_field.text() if self.login_field is not None else ""


def new_password_problem(password: str, again: str) -> str:
    """Why the two fields cannot be used yet; empty when they can."""
    problem = weakness(password)
    if problem:
        return problem
    if unicodedata.normalize("NFC", password) != unicodedata.normalize("NFC", again):
        return "Hai lần nhập chưa khớp nhau."
    return ""


class NewPasswordDialog(QDialog):
    """A new password typed twice. With *optional*, a second button goes on without one:
    ``password()`` is then empty."""

    def __init__(
        self,
        title: str,
        text: str,
        *,
        accept_text: str = "Đặt mật khẩu",
        skip_text: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.skipped = False
        self.first, self.second = _field(), _field()
        self.problem = _label("", "color: #555;")
        buttons = QDialogButtonBox()
        self.accept_button = buttons.addButton(accept_text, QDialogButtonBox.ButtonRole.AcceptRole)
        self.skip_button: QPushButton | None = None
        if skip_text:
            self.skip_button = buttons.addButton(skip_text, QDialogButtonBox.ButtonRole.ActionRole)
            self.skip_button.clicked.connect(self.skip)
        buttons.addButton("Hủy", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("Mật khẩu mới:", self.first)
        form.addRow("Nhập lại:", self.second)
        layout = QVBoxLayout(self)
        layout.addWidget(_label(text))
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        for field in (self.first, self.second):
            field.textChanged.connect(self._check)
        self._check()
        self.first.setFocus()

    def _check(self) -> None:
        problem = new_password_problem(self.first.text(), self.second.text())
        self.problem.setText(problem or "Hai lần nhập khớp nhau.")
        self.accept_button.setEnabled(not problem)

    def skip(self) -> None:
        self.skipped = True
        self.accept()

    def accept(self) -> None:
        if not self.skipped and new_password_problem(self.first.text(), self.second.text()):
            return
        super().accept()

    def password(self) -> str:
        return "" if self.skipped else self.first.text()


class Change(Enum):
    SET = "set"
    REMOVE = "remove"


class ChangePasswordDialog(QDialog):
    """The window's password when one is set: the current one, then a new one or removal."""

    def __init__(self, lock_minutes: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Đổi hoặc bỏ mật khẩu")
        self.choice = Change.SET
        self.current, self.first, self.second = _field(), _field(), _field()
        self.problem = _label("", "color: #555;")
        buttons = QDialogButtonBox()
        self.change_button = buttons.addButton(
            "Đổi mật khẩu", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.remove_button = buttons.addButton(
            "Bỏ mật khẩu", QDialogButtonBox.ButtonRole.DestructiveRole
        )
        buttons.addButton("Hủy", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.remove_button.clicked.connect(self.remove)
        form = QFormLayout()
        form.addRow("Mật khẩu hiện tại:", self.current)
        form.addRow("Mật khẩu mới:", self.first)
        form.addRow("Nhập lại mật khẩu mới:", self.second)
        layout = QVBoxLayout(self)
        layout.addWidget(_label(window_password_text(lock_minutes)))
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        for field in (self.current, self.first, self.second):
            field.textChanged.connect(self._check)
        self._check()
        self.current.setFocus()

    def _check(self) -> None:
        problem = new_password_problem(self.first.text(), self.second.text())
        if not self.current.text():
            problem = "Hãy nhập mật khẩu hiện tại."
        self.problem.setText(problem or "Hai lần nhập khớp nhau.")
        self.change_button.setEnabled(not problem)
        self.remove_button.setEnabled(bool(self.current.text()))

    def remove(self) -> None:
        self.choice = Change.REMOVE
        self.accept()


def window_password_text(lock_minutes: int) -> str:
    """What the window's password does and does not do, said plainly."""
    lock = f" và khi màn hình tự khóa sau {lock_minutes} phút không dùng" if lock_minutes else ""
    return (
        f"Mật khẩu được hỏi mỗi khi mở chương trình{lock}. Nó ngăn người khác mở cửa sổ "
        "chương trình trên máy này, nhưng không mã hóa tệp dữ liệu. Hãy ghi nhớ cẩn thận: "
        "quên mật khẩu thì cán bộ kỹ thuật gỡ bằng lệnh “danhgia password remove”."
    )
