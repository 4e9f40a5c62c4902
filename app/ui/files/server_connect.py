"""Tệp → Kết nối máy chủ…: the address of a shared database on a PostgreSQL server, and its
password (issue 23).

The dialog only collects and tries: it returns a ``ServerTarget`` whose password is kept in
memory only; the window's host opens the database (``WindowHost.connect``). The password is
never written to the settings or a log: the settings keep the last server's address without
it (:data:`LAST_SERVER`), and the password goes to the operating system's keyring when the
user asks for it.

The steps are small functions the tests call: :func:`target_from_fields`,
:func:`try_connection`, :func:`keep_password`.

The keyring is the store's business (``app.store.server``, through ``app.services.database``):
the password kept here is the one ``ServerTarget.resolved`` finds at the next start.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.services import database
from app.services.database import ServerTarget, StoreError

log = logging.getLogger(__name__)

LAST_SERVER = "last_server"  # settings: the last server database, its URL without a password
START_ON_SERVER = "start_on_server"  # settings: the next start opens LAST_SERVER again
DEFAULT_HOST = "localhost"
DEFAULT_PORT = 5432
SHORT_SECRET = 4  # a password shorter than this is not searched for in messages (see _shown)

ERROR_STYLE = "color: #b71c1c;"
GOOD_STYLE = "color: #2e7d32;"
NOTE_STYLE = "color: #555;"


class FieldProblem(ValueError):
    """A field that cannot be used as it is; the message says which, in Vietnamese."""


# ---- the steps --------------------------------------------------------------------------------


def remembered_target(settings: Any) -> ServerTarget | None:
    """The server database used last on this computer (without its password), if any."""
    url = settings.get(LAST_SERVER) if settings is not None else None
    if not isinstance(url, str) or not database.is_server_url(url):
        return None
    try:
        return ServerTarget.parse(url).with_password(None)
    except StoreError:  # an address edited by hand into something unusable: start afresh
        return None


def remember_target(settings: Any, target: ServerTarget | None) -> None:
    """Keep *target*'s address for the next time, never its password, and whether the next
    start opens it (None: the window went back to the file on this computer)."""
    if target is not None:
        settings.set(LAST_SERVER, target.display)
    settings.set(START_ON_SERVER, target is not None)


def start_target(settings: Any) -> ServerTarget | None:
    """The server database a start without ``--db`` opens: the last one, when the window was
    working on it at the end (a province clerk's every day); None: the file on this computer."""
    return remembered_target(settings) if settings.get(START_ON_SERVER) else None


def target_from_fields(
    host: str,
    port: str,
    dbname: str,
    user: str,
    password: str,
    options: tuple[tuple[str, str], ...] = (),
) -> ServerTarget:
    """The server database the fields name; FieldProblem (in Vietnamese) when one is missing or
    wrong. An empty password means: the one saved on this computer (keyring, environment)."""
    host = host.strip().strip("[]")  # an IPv6 address may come in brackets, as in a URL
    if not host:
        raise FieldProblem("Hãy nhập tên hoặc địa chỉ máy chủ (ví dụ 192.168.1.10).")
    if any(char.isspace() for char in host) or ("/" in host and not host.startswith("/")):
        raise FieldProblem(f"Tên máy chủ “{host}” không hợp lệ: không được có dấu cách hay “/”.")
    port = port.strip()
    if not (port.isascii() and port.isdigit() and 0 < int(port) < 65536):
        raise FieldProblem("Cổng là một số từ 1 đến 65535 (thường là 5432).")
    dbname = dbname.strip()
    if not dbname or "/" in dbname:
        raise FieldProblem("Hãy nhập tên cơ sở dữ liệu (người quản trị máy chủ cho biết).")
    user = user.strip()
    if not user:
        raise FieldProblem("Hãy nhập tên người dùng trên máy chủ (người quản trị cho biết).")
    return ServerTarget(
        # As ServerTarget.parse reads it: the keyring's name for the password depends on it.
        host=host if host.startswith("/") else host.lower(),
        port=int(port),
        dbname=dbname,
        user=user,
        options=options,
        password=password or None,
    )


@dataclass(frozen=True)
class Tried:
    """What trying the connection found: ``ok`` (the login worked), ``empty`` (the database
    holds nothing of DanhGia's yet), and the words to show."""

    ok: bool
    text: str
    empty: bool = False


def try_connection(target: ServerTarget) -> Tried:
    """Log in to *target* and look at its database, changing nothing. The text never shows the
    password."""
    resolved = target.resolved()
    try:
        if database.database_exists(resolved):
            return Tried(
                True,
                f"Kết nối được. Cơ sở dữ liệu “{target.dbname}” trên máy chủ đã có dữ liệu; "
                "bấm “Kết nối” để làm việc với nó.",
            )
        # Nothing in it, or no database of that name at all: the server check tells them
        # apart (a missing one raises, saying who makes it) and reads nothing more.
        from app.services.safekeeping import maintenance

        maintenance.check_server_database(resolved)
    except StoreError as error:
        return Tried(False, _shown(str(error), resolved))
    return Tried(
        True,
        f"Kết nối được. Cơ sở dữ liệu “{target.dbname}” trên máy chủ còn trống: khi kết nối, "
        "chương trình sẽ hỏi bắt đầu với dữ liệu trống hay với dữ liệu mẫu.",
        empty=True,
    )


def _shown(text: str, target: ServerTarget) -> str:
    """*text* without the password (the store's messages have none; this makes sure)."""
    secret = target.password or ""
    return text.replace(secret, "***") if len(secret) >= SHORT_SECRET else text


def keyring_usable() -> bool:
    """Whether the operating system has a keyring the password can be kept in."""
    return database.keyring_usable()


def keep_password(target: ServerTarget, keep: bool) -> str:
    """Keep *target*'s password in the keyring (*keep*), or remove one kept before (not
    *keep*). Empty when done; else why not, in Vietnamese. With *keep* and no password typed,
    the one already kept stays."""
    if not keep:
        database.forget_password(target)  # quietly: nothing kept is nothing to remove
        return ""
    try:
        if target.password:
            database.save_password(target, target.password)
        return ""
    except Exception as error:
        log.info("keyring refused for %s: %s", target.keyring_user, type(error).__name__)
        return (
            "Không lưu được mật khẩu vào kho khóa của hệ điều hành (kho khóa bị khóa hoặc "
            "không dùng được). Đã bỏ chọn ô lưu mật khẩu: bấm “Kết nối” lần nữa để kết nối mà "
            "không lưu mật khẩu."
        )


# ---- the dialog -------------------------------------------------------------------------------


def _label(text: str, style: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if style:
        label.setStyleSheet(style)
    return label


class ServerConnectDialog(QDialog):
    """Máy chủ, cổng, tên cơ sở dữ liệu, người dùng, mật khẩu; "Thử kết nối" says in the
    dialog what the server answered; "Kết nối" (Enter) tries too and closes only when the
    login worked, leaving :attr:`target` set; "Hủy" (Escape) changes nothing.

    *attempt* and *keep* are the steps above (tests may pass their own)."""

    def __init__(
        self,
        settings: Any = None,
        parent: QWidget | None = None,
        *,
        attempt: Callable[[ServerTarget], Tried] = try_connection,
        keep: Callable[[ServerTarget, bool], str] = keep_password,
        keyring_works: bool | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Kết nối máy chủ PostgreSQL")
        self.setMinimumWidth(560)
        self.target: ServerTarget | None = None
        self.tried: Tried | None = None
        self._attempt = attempt
        self._keep = keep
        last = remembered_target(settings)
        self._last = last

        self.host_field = QLineEdit(last.host if last else DEFAULT_HOST)
        self.port_field = QLineEdit(str(last.port if last else DEFAULT_PORT))
        self.port_field.setValidator(QIntValidator(1, 65535, self.port_field))
        self.port_field.setMaximumWidth(100)
        self.dbname_field = QLineEdit(last.dbname if last else "")
        self.dbname_field.setPlaceholderText("ví dụ: danhgia")
        self.user_field = QLineEdit(last.user if last else "")
        self.user_field.setPlaceholderText("tên người dùng trên máy chủ PostgreSQL")
        self.password_field = QLineEdit()
        self.password_field.setEchoMode(QLineEdit.EchoMode.Password)
        if last is not None and last.resolved().password:
            self.password_field.setPlaceholderText("để trống: dùng mật khẩu đã lưu trên máy này")
        for field in (self.host_field, self.dbname_field, self.user_field, self.password_field):
            field.setMinimumWidth(320)

        usable = keyring_usable() if keyring_works is None else keyring_works
        self.keep_box = QCheckBox("&Lưu mật khẩu trong kho khóa của hệ điều hành")
        self.keep_box.setChecked(usable)
        self.keep_box.setEnabled(usable)
        self.keep_box.setToolTip(
            "Mật khẩu được giữ trong kho khóa của Windows (hoặc của hệ điều hành), không ghi "
            "vào tệp cài đặt. Bỏ chọn thì mật khẩu đã lưu trước đó (nếu có) được xóa."
        )
        self.keyring_note = _label(
            "Máy này không có kho khóa của hệ điều hành nên không lưu được mật khẩu: mỗi lần "
            "kết nối hãy nhập lại mật khẩu.",
            NOTE_STYLE,
        )
        self.keyring_note.setVisible(not usable)

        self.answer = _label("")
        self.answer.setVisible(False)

        buttons = QDialogButtonBox()
        self.try_button = buttons.addButton("T&hử kết nối", QDialogButtonBox.ButtonRole.ActionRole)
        self.connect_button = buttons.addButton("Kết nối", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = buttons.addButton("Hủy", QDialogButtonBox.ButtonRole.RejectRole)
        self.try_button.setAutoDefault(False)
        self.cancel_button.setAutoDefault(False)
        self.connect_button.setDefault(True)  # Enter in any field
        self.try_button.clicked.connect(self.try_now)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow("&Máy chủ:", self.host_field)
        form.addRow("&Cổng:", self.port_field)
        form.addRow("&Tên cơ sở dữ liệu:", self.dbname_field)
        form.addRow("&Người dùng:", self.user_field)
        form.addRow("Mật &khẩu:", self.password_field)

        layout = QVBoxLayout(self)
        layout.addWidget(
            _label(
                "Làm việc trên cơ sở dữ liệu DanhGia dùng chung, đặt trên máy chủ PostgreSQL "
                "(ví dụ ở văn phòng cấp tỉnh). Người quản trị máy chủ cho biết các thông tin "
                "dưới đây."
            )
        )
        layout.addLayout(form)
        layout.addWidget(self.keep_box)
        layout.addWidget(self.keyring_note)
        layout.addWidget(self.answer)
        layout.addWidget(
            _label(
                "Mật khẩu không bao giờ được ghi vào tệp cài đặt. Muốn quay về dữ liệu trên máy "
                "này: Tệp → Mở lại tệp trên máy này; lần mở chương trình sau cũng mở tệp trên "
                "máy này.",
                NOTE_STYLE,
            )
        )
        layout.addWidget(buttons)
        for field in self._fields():
            field.textEdited.connect(self._forget_result)
        first = next((f for f in self._fields()[:4] if not f.text().strip()), self.password_field)
        first.setFocus()

    def _fields(self) -> list[QLineEdit]:
        return [
            self.host_field,
            self.port_field,
            self.dbname_field,
            self.user_field,
            self.password_field,
        ]

    def fields_target(self) -> ServerTarget:
        """The target the fields name (FieldProblem when they cannot be used). The options of
        the last server's address (such as ``sslmode=require``) are kept for the same host."""
        host = self.host_field.text()
        same_host = self._last is not None and host.strip().lower() == self._last.host.lower()
        return target_from_fields(
            host,
            self.port_field.text(),
            self.dbname_field.text(),
            self.user_field.text(),
            self.password_field.text(),
            self._last.options if same_host and self._last is not None else (),
        )

    def _show(self, text: str, style: str) -> None:
        self.answer.setText(text)
        self.answer.setStyleSheet(style)
        self.answer.setVisible(bool(text))

    def _forget_result(self) -> None:
        """A field changed: what was tried no longer says anything about it."""
        self.tried = None
        self._show("", "")

    def try_now(self) -> bool:
        """ "Thử kết nối": the server's answer, in words, in the dialog. True when the login
        worked."""
        try:
            target = self.fields_target()
        except FieldProblem as problem:
            self._show(str(problem), ERROR_STYLE)
            return False
        self._show("Đang kết nối máy chủ…", NOTE_STYLE)
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        QApplication.processEvents()  # the words above, before the wait
        try:
            self.tried = self._attempt(target)
        finally:
            QApplication.restoreOverrideCursor()
        self._show(self.tried.text, GOOD_STYLE if self.tried.ok else ERROR_STYLE)
        return self.tried.ok

    def accept(self) -> None:
        """ "Kết nối": tried first (the dialog stays open on a wrong password, to be corrected);
        the password is kept or forgotten as the box says, then the dialog closes."""
        fresh = self.tried is not None and self.tried.ok  # tried, and no field changed since
        if not fresh and not self.try_now():
            return
        target = self.fields_target().resolved()  # the password typed, or the one kept
        if self.keep_box.isEnabled():
            problem = self._keep(target, self.keep_box.isChecked())
            if problem:
                self.keep_box.setChecked(False)
                self._show(problem, ERROR_STYLE)
                return
        self.target = target
        super().accept()


def ask_server(
    settings: Any, run_dialog: Callable[[QDialog], bool], parent: QWidget | None = None
) -> ServerTarget | None:
    """The server database the user chose (its password in memory only), or None."""
    dialog = ServerConnectDialog(settings, parent)
    if not run_dialog(dialog):
        return None
    return dialog.target
