"""Typing Vietnamese into widgets the way a keyboard (or an input method) delivers it.

qtbot.keyClicks aborts the whole run on any non-ASCII character, so each character is sent as
a key event that carries the text, which is what a widget receives from Unikey or a system
input method on Windows.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot


def focused() -> QWidget:
    """The widget with the keyboard focus (a test that lost it fails here, saying so)."""
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def press(
    qtbot: QtBot, key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    """One key (with *modifiers*) to whatever has the focus, as a user presses it."""
    qtbot.keyClick(focused(), key, modifiers)
    QApplication.processEvents()


def keys(qtbot: QtBot, text: str) -> None:
    """ASCII keys, one by one, to whatever has the focus (Vietnamese: ``type_text``)."""
    for char in text:
        assert char.isascii()
        qtbot.keyClicks(focused(), char)
        QApplication.processEvents()


def type_text(widget: QWidget, text: str) -> None:
    widget.setFocus()
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char)
            QApplication.sendEvent(widget, event)


def clear_and_type(widget: QWidget, text: str) -> None:
    widget.clear()  # type: ignore[attr-defined]
    type_text(widget, text)
