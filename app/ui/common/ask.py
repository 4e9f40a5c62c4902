"""Every question the window asks the user goes through one small function here, so tests can
answer them by replacing the function (no test waits for a dialog)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

EXCEL_FILTER = "Tệp Excel (*.xlsx)"
DATABASE_FILTER = "Cơ sở dữ liệu DanhGia (*.sqlite);;Mọi tệp (*)"


def confirm(parent: QWidget | None, title: str, text: str, action: str = "Đồng ý") -> bool:
    """Ask once, in words that name what happens; the default button is the safe one."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    yes = box.addButton(action, QMessageBox.ButtonRole.AcceptRole)
    no = box.addButton("Hủy", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(no)
    box.exec()
    return box.clickedButton() is yes


def inform(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.information(parent, title, text)


def warn(parent: QWidget | None, title: str, text: str, details: str = "") -> None:
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=parent)
    if details:
        box.setDetailedText(details)
    box.exec()


def open_file(parent: QWidget | None, title: str, name_filter: str) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(parent, title, "", name_filter)
    return Path(name) if name else None


def save_file(parent: QWidget | None, title: str, suggested: str, name_filter: str) -> Path | None:
    name, _ = QFileDialog.getSaveFileName(parent, title, suggested, name_filter)
    if not name:
        return None
    path = Path(name)
    if name_filter == EXCEL_FILTER and path.suffix.lower() != ".xlsx":
        path = path.with_name(path.name + ".xlsx")
    return path


def text(parent: QWidget | None, title: str, label: str) -> str:
    """A line of text from the user; empty when cancelled."""
    value, ok = QInputDialog.getText(parent, title, label)
    return value.strip() if ok else ""
