"""Choosing a backup to restore: the automatic backups newest first (or any file), and what the
chosen one holds before anything is replaced."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.formatting import format_int
from app.services.common.errors import ServiceError
from app.services.database import StoreError
from app.services.safekeeping import backups, scratch, secure_backup, secure_file
from app.ui.common import ask
from app.ui.files.backup import BACKUP_FILTER
from app.ui.files.password_dialogs import AskPasswordDialog


def file_info(path: Path) -> backups.BackupInfo:
    """A file the user picked themselves, described like an automatic backup."""
    stat = path.stat()
    taken = dt.datetime.fromtimestamp(stat.st_mtime).replace(microsecond=0)
    return backups.BackupInfo(path, taken, stat.st_size, f"tệp “{path.name}”")


class RestoreDialog(QDialog):
    """The user picks a backup; ``chosen`` is it when the dialog is accepted."""

    def __init__(self, database: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Khôi phục từ bản sao lưu")
        self.resize(860, 460)
        self.database = database
        self.chosen: backups.BackupInfo | None = None
        self.previews: dict[Path, backups.BackupPreview] = {}
        # The decrypted copy lives in the database's private scratch folder, never in the
        # system's temp folder (swept at the next start if the app dies meanwhile).
        self._scratch: ExitStack | None = None
        self._scratch_path: Path | None = None
        # Replaced by tests; asks for an encrypted backup's password (None: cancelled).
        self.ask_password: Callable[[Path, str], str | None] = self._ask_password

        intro = QLabel(
            "Chọn bản sao lưu để khôi phục. Dữ liệu hiện tại sẽ được sao lưu lại trước khi bị "
            "thay thế, nên vẫn có thể quay về nếu chọn nhầm."
        )
        intro.setWordWrap(True)
        self.list = QListWidget()
        for info in backups.list_backups(database):
            self._add(info)
        self.list.currentItemChanged.connect(lambda *_: self._show_preview())
        other = QPushButton("Chọn tệp sao lưu khác…")
        other.clicked.connect(self._choose_file)
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.preview.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.preview.setMinimumWidth(300)

        self.buttons = QDialogButtonBox()
        self.restore_button = self.buttons.addButton(
            "Khôi phục bản này", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.addButton("Đóng", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)

        left = QVBoxLayout()
        left.addWidget(self.list)
        left.addWidget(other)
        body = QHBoxLayout()
        body.addLayout(left, 3)
        body.addWidget(self.preview, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(body)
        layout.addWidget(self.buttons)
        if self.list.count():
            self.list.setCurrentRow(0)
        else:
            self.preview.setText(
                "Chưa có bản sao lưu tự động nào. Bấm “Chọn tệp sao lưu khác…” để chọn một tệp."
            )
        self._show_preview()

    def _add(self, info: backups.BackupInfo, first: bool = False) -> QListWidgetItem:
        item = QListWidgetItem(f"{info.label}  ({format_int(info.size // 1024)} KB)")
        item.setData(Qt.ItemDataRole.UserRole, info)
        if first:
            self.list.insertItem(0, item)
        else:
            self.list.addItem(item)
        return item

    def current(self) -> backups.BackupInfo | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def preview_of(self, info: backups.BackupInfo) -> backups.BackupPreview:
        if info.path not in self.previews:
            self.previews[info.path] = backups.preview(info)
        return self.previews[info.path]

    def _show_preview(self) -> None:
        info = self.current()
        if info is None:
            self.restore_button.setEnabled(False)
            return
        shown = self.preview_of(info)
        self.preview.setText("\n".join(shown.lines()))
        self.restore_button.setEnabled(shown.healthy)

    def _choose_file(self) -> None:
        path = ask.open_file(self, "Chọn tệp sao lưu", BACKUP_FILTER)
        if path is None:
            return
        info = file_info(path)
        if secure_backup.is_encrypted(path):
            opened = self._decrypt(path)
            if opened is None:
                return
            info = dataclasses.replace(info, path=opened, reason=f"{info.reason} (có mật khẩu)")
        item = self._add(info, first=True)
        self.list.setCurrentItem(item)

    def _decrypt(self, path: Path) -> Path | None:
        """The encrypted backup decrypted into a scratch folder that lives as long as the
        dialog (``cleanup``); None when the user gives up."""
        if self._scratch is None or self._scratch_path is None:
            self._scratch = ExitStack()
            self._scratch_path = self._scratch.enter_context(
                scratch.private_folder(self.database, "khoi-phuc-")
            )
        target = self._scratch_path / f"{path.stem}.sqlite"
        error = ""
        for _try in range(3):
            password = self.ask_password(path, error)
            if password is None:
                return None
            try:
                return secure_backup.decrypt_backup(path, password, target)
            except secure_file.WrongPassword as wrong:
                error = str(wrong)
            except (ServiceError, StoreError, OSError) as problem:
                ask.warn(self, "Không mở được bản sao lưu", str(problem))
                return None
        ask.warn(self, "Không mở được bản sao lưu", error)
        return None

    def _ask_password(self, path: Path, error: str) -> str | None:
        dialog = AskPasswordDialog(
            "Bản sao lưu có mật khẩu",
            f"Tệp “{path.name}” được mã hóa. Nhập mật khẩu đã đặt khi sao lưu.",
            error=error,
            parent=self,
        )
        return dialog.password() if dialog.exec() else None

    def cleanup(self) -> None:
        """Delete the decrypted copy, if any (after the restore, or when the user cancels)."""
        if self._scratch is not None:
            self._scratch.close()
            self._scratch = self._scratch_path = None

    def _accept(self) -> None:
        info = self.current()
        if info is None or not self.preview_of(info).healthy:
            return
        self.chosen = info
        self.accept()
