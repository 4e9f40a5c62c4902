"""Typing Vietnamese into widgets the way a keyboard (or an input method) delivers it.

qtbot.keyClicks aborts the whole run on any non-ASCII character, so each character is sent as
a key event that carries the text, which is what a widget receives from Unikey or a system
input method on Windows.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget


def type_text(widget: QWidget, text: str) -> None:
    widget.setFocus()
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char)
            QApplication.sendEvent(widget, event)


def clear_and_type(widget: QWidget, text: str) -> None:
    widget.clear()  # type: ignore[attr-defined]
    type_text(widget, text)
