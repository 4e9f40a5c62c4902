"""Forms that do not throw away what was typed: Escape, "Hủy" or the window's close button on a
form whose fields changed asks first, and a "no" keeps the form open as it was.

A form lists its fields with :meth:`GuardedDialog.watch` once they hold their starting values;
what they hold then is the snapshot a later "reject" compares against. Parts of a form that
save on their own (a member's history rows) are simply not watched.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QDialog,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from app.ui.common import ask

DISCARD_TITLE = "Bỏ những gì vừa nhập?"
DISCARD_ACTION = "Bỏ và đóng"


def field_value(widget: QWidget) -> object:
    """What a field holds, comparable between two moments."""
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QComboBox):
        # An editable combo holds typed text that matches no item: its text counts too.
        return (widget.currentIndex(), widget.currentText() if widget.isEditable() else None)
    if isinstance(widget, QAbstractSpinBox):
        return widget.text()
    if isinstance(widget, QAbstractButton):
        return widget.isChecked()
    raise TypeError(f"{type(widget).__name__} is not a form field")


class GuardedDialog(QDialog):
    """A dialog that asks before closing when its watched fields hold something new."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._watched: list[QWidget] = []
        self._snapshot: list[object] = []

    def watch(self, widgets: Iterable[QWidget]) -> None:
        """Guard *widgets*, taking what they hold now as the form's starting point."""
        self._watched = list(widgets)
        self.mark_clean()

    def mark_clean(self, *widgets: QWidget) -> None:
        """What *widgets* (all fields when none is named) hold now is no longer "typed": a
        value the program itself put there, or one already saved."""
        if not widgets:
            self._snapshot = [field_value(w) for w in self._watched]
            return
        for number, watched in enumerate(self._watched):
            if watched in widgets:
                self._snapshot[number] = field_value(watched)

    def has_changes(self) -> bool:
        return [field_value(w) for w in self._watched] != self._snapshot

    def discard_question(self) -> str:
        return (
            f"Những gì vừa nhập vào mẫu “{self.windowTitle()}” chưa được lưu.\n\n"
            f"Bấm “{DISCARD_ACTION}” để bỏ đi; bấm “Hủy” để quay lại mẫu và nhập tiếp."
        )

    def reject(self) -> None:
        # Escape, the "Hủy" button and the close button all come here (QDialog's closeEvent
        # calls reject and keeps the window open when it is still visible afterwards).
        if self.has_changes() and not ask.confirm(
            self, DISCARD_TITLE, self.discard_question(), DISCARD_ACTION
        ):
            return
        super().reject()
