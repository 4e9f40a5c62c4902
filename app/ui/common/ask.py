"""Every question the window asks the user goes through one small function here, so tests can
answer them by replacing the function (no test waits for a dialog).

The file dialogs start in the folder the user last chose a file in, else in their Documents
folder, never in the program's own folder (where Qt's dialog goes when given no folder). The
last folder is kept in the app's settings once the window hands them over
(:func:`remember_folders_in`); before that, and in tests, only for this run.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

EXCEL_FILTER = "Tệp Excel (*.xlsx)"
DATABASE_FILTER = "Cơ sở dữ liệu DanhGia (*.sqlite);;Mọi tệp (*)"
LAST_FOLDER = "last_folder"  # the settings key


class FolderMemory(Protocol):
    """Where the last folder is kept: the app's Settings."""

    def get(self, key: str, default: Any = None) -> Any: ...

    def set(self, key: str, value: Any) -> None: ...


class _RunMemory:
    """The last folder for this run only, until the window hands its settings over."""

    def __init__(self) -> None:
        self._values: dict[str, Any] = {}

    def get(self, key: str, default: Any = None) -> Any:
        return self._values.get(key, default)

    def set(self, key: str, value: Any) -> None:
        self._values[key] = value


_memory: FolderMemory = _RunMemory()


def remember_folders_in(memory: FolderMemory | None) -> None:
    """Keep the last folder used in *memory* (the window's Settings); None: this run only."""
    global _memory
    _memory = memory if memory is not None else _RunMemory()


def documents_folder() -> Path:
    """The user's Documents folder; their home when the system has none."""
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if location and Path(location).is_dir():
        return Path(location)
    return Path.home()


def start_folder() -> Path:
    """Where a file dialog opens: the last folder used if it is still there, else Documents."""
    last = _memory.get(LAST_FOLDER)
    if isinstance(last, str) and last and Path(last).is_dir():
        return Path(last)
    return documents_folder()


def _used(path: Path) -> None:
    folder = path if path.is_dir() else path.parent
    if str(folder) != _memory.get(LAST_FOLDER):
        _memory.set(LAST_FOLDER, str(folder))


def _native() -> bool:
    """Windows has a native dialog users know (Qt's default there). Elsewhere the desktop's
    dialog (GTK, the XDG portal) speaks the system's language, usually English, and the bundle
    does not carry it anyway: Qt's own dialog is used, in Vietnamese (shell/qt_vi.py)."""
    return sys.platform == "win32"


def file_dialog(
    parent: QWidget | None,
    title: str,
    name_filter: str,
    mode: QFileDialog.FileMode = QFileDialog.FileMode.ExistingFile,
    save: bool = False,
    suggested: str = "",
) -> QFileDialog:
    """A file or folder dialog, set up as every dialog of the app is: where it opens, native
    or Qt's own. Not shown: the caller runs it (tests show it without waiting)."""
    dialog = QFileDialog(parent, title)
    if not _native():
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    dialog.setFileMode(mode)
    if mode is QFileDialog.FileMode.Directory:
        dialog.setOption(QFileDialog.Option.ShowDirsOnly)
    else:
        dialog.setNameFilter(name_filter)
    dialog.setAcceptMode(
        QFileDialog.AcceptMode.AcceptSave if save else QFileDialog.AcceptMode.AcceptOpen
    )
    dialog.setDirectory(str(start_folder()))
    if save:
        # "Tệp PDF (*.pdf)": a name typed without its ending gets it, as the native dialog
        # does; a first filter of several endings leaves the name as typed.
        match = re.search(r"\(\*\.(\w+)\)", name_filter.split(";;")[0])
        if match:
            dialog.setDefaultSuffix(match.group(1))
    if suggested:
        dialog.selectFile(suggested)
    return dialog


def _chosen(dialog: QFileDialog) -> Path | None:
    if not dialog.exec():
        return None
    files = dialog.selectedFiles()
    if not files or not files[0]:
        return None
    path = Path(files[0])
    _used(path)
    return path


def confirm(
    parent: QWidget | None, title: str, text: str, action: str = "Đồng ý", cancel: str = "Hủy"
) -> bool:
    """Ask once, in words that name what happens; the default button is the safe one."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    yes = box.addButton(action, QMessageBox.ButtonRole.AcceptRole)
    no = box.addButton(cancel, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(no)
    box.exec()
    return box.clickedButton() is yes


def keep_mine(parent: QWidget | None, conflict: str, what: str = "") -> bool:
    """Someone else saved the record meanwhile (*conflict* says who, what and when): True to
    overwrite theirs with what was just typed; False (the safe default) to reload theirs."""
    about = f" ({what})" if what else ""
    return confirm(
        parent,
        "Người khác vừa sửa bản ghi này",
        f"{conflict}\n\nGhi đè bằng bản anh/chị vừa nhập{about}? Chọn “Tải lại bản mới” để xem "
        "bản của người kia trước (bản vừa nhập không được lưu).",
        "Ghi đè bằng bản của tôi",
        "Tải lại bản mới",
    )


def inform(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.information(parent, title, text)


def warn(parent: QWidget | None, title: str, text: str, details: str = "") -> None:
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=parent)
    if details:
        box.setDetailedText(details)
    box.exec()


def open_file(parent: QWidget | None, title: str, name_filter: str) -> Path | None:
    return _chosen(file_dialog(parent, title, name_filter))


def save_file(parent: QWidget | None, title: str, suggested: str, name_filter: str) -> Path | None:
    dialog = file_dialog(
        parent, title, name_filter, QFileDialog.FileMode.AnyFile, save=True, suggested=suggested
    )
    path = _chosen(dialog)
    if path is None:
        return None
    if name_filter == EXCEL_FILTER and path.suffix.lower() != ".xlsx":
        path = path.with_name(path.name + ".xlsx")
    return path


def choose_folder(parent: QWidget | None, title: str) -> Path | None:
    """A folder to write into (every document at once, …)."""
    return _chosen(file_dialog(parent, title, "", QFileDialog.FileMode.Directory))


def text(parent: QWidget | None, title: str, label: str) -> str:
    """A line of text from the user; empty when cancelled."""
    value, ok = QInputDialog.getText(parent, title, label)
    return value.strip() if ok else ""
