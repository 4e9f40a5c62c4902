"""Tệp → Sao lưu cơ sở dữ liệu…: the save dialog, then an optional password. With a
password the backup is encrypted (``.dgb``, app/services/safekeeping/secure_backup.py), for a
copy that leaves the machine; without one it is the plain SQLite copy, as before."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWidget

from app.domain import clock
from app.services.common.errors import describe_os_error
from app.services.database import Database, StoreError, refuse_server_backup
from app.services.safekeeping import secure_backup
from app.ui.common import ask
from app.ui.common.operations import Operations
from app.ui.files.password_dialogs import NewPasswordDialog

BACKUP_FILTER = (
    f"Bản sao lưu DanhGia (*.sqlite *{secure_backup.SUFFIX});;"
    f"Bản sao lưu có mật khẩu (*{secure_backup.SUFFIX});;Mọi tệp (*)"
)
PASSWORD_TEXT = (
    "Nếu bản sao lưu sẽ mang ra khỏi máy (USB, thư điện tử), nên đặt mật khẩu: tệp được mã hóa "
    f"(đuôi {secure_backup.SUFFIX}), không có mật khẩu thì không ai đọc được. Khi khôi phục sẽ "
    "phải nhập đúng mật khẩu này; quên mật khẩu thì không lấy lại được dữ liệu trong tệp."
)


def encrypted_name(path: Path) -> Path:
    """The chosen name with the encrypted backup's suffix (a .sqlite name would mislead)."""
    if path.suffix.lower() == secure_backup.SUFFIX:
        return path
    if path.suffix.lower() == ".sqlite":
        return path.with_suffix(secure_backup.SUFFIX)
    return path.with_name(path.name + secure_backup.SUFFIX)


def server_backup_said(parent: QWidget | None, db: Database) -> bool:
    """True for a database file; for a server database, say that its backups are the
    server's (pg_dump, by its administrator) and give False: nothing to do here."""
    try:
        refuse_server_backup(db.location)
    except StoreError as said:
        ask.inform(parent, "Sao lưu và khôi phục", str(said))
        return False
    return True


def backup(ops: Operations, db: Database) -> None:
    window = ops.parent
    if not server_backup_said(window, db):
        return
    suggested = f"danhgia-sao-luu-{clock.now():%Y%m%d-%H%M}.sqlite"
    path = ask.save_file(window, "Sao lưu cơ sở dữ liệu", suggested, BACKUP_FILTER)
    if path is None:
        return
    form = NewPasswordDialog(
        "Đặt mật khẩu cho tệp sao lưu",
        PASSWORD_TEXT,
        accept_text="Đặt mật khẩu và sao lưu",
        skip_text="Sao lưu không mật khẩu",
        parent=window,
    )
    if not ops.ask(form):
        return
    password = form.password()
    if not password:
        try:
            db.backup_to(path)
        except StoreError as error:
            ask.warn(window, "Chưa sao lưu được", str(error))
            return
        except OSError as error:
            ask.warn(window, "Chưa sao lưu được", describe_os_error(error, path, "ghi"))
            return
        ask.inform(window, "Đã sao lưu", f"Đã sao lưu toàn bộ dữ liệu vào “{path}”.")
        return
    target, source = encrypted_name(path), db.path

    def failed(error: BaseException) -> None:
        if isinstance(error, OSError):
            ask.warn(window, "Chưa sao lưu được", describe_os_error(error, target, "ghi"))
        else:
            ops.failed(error)

    ops.in_background(
        "Đang sao lưu và mã hóa…",
        lambda _progress: secure_backup.encrypt_backup(source, target, password),
        lambda done: ask.inform(
            window,
            "Đã sao lưu",
            f"Đã sao lưu và mã hóa toàn bộ dữ liệu vào “{done}”. Khi khôi phục cần đúng mật "
            "khẩu vừa đặt.",
        ),
        failed,
    )
