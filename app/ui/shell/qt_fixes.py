"""Guards against what Qt leaves to chance: windows larger than the screen (below), and a
reference-counting bug of PySide6 6.12 on Python 3.11.

A dialog sized for a large monitor (the PDF preview, the rule sets, a tally) opened on a
1366×768 laptop stood out of the screen, its buttons out of reach. One filter on the whole
application shrinks every window other than the main window, as it is shown, to the screen's
free area (the main window keeps its own size: :class:`MainWindow` fits it).

The reference-counting bug:

Every time Qt hands an empty value back to Python — ``QComboBox.currentData()`` on an item
without data, ``QModelIndex.data()`` for a role the model leaves empty, ``QObject.property()``
for a property never set, and so on — PySide6 6.12 returns ``None`` without taking the
reference it gives away. Python 3.11 counts references to ``None`` like any other object's
(3.12 made it immortal), so each such call takes one away for good; a long day of work in the
window would bring the count to zero and the interpreter stops with "deallocating None". The
app asks Qt for such values in many places (a combo box's chosen year, a table item's id).

The same bug loses a reference to ``True`` on every ``signal.emit()`` made from Python (it
returns ``True`` without taking the reference): a grid's refresh emits several, and the
interpreter stopped with "deallocating True or False".

The guard keeps a reserve of references to ``None`` and ``True`` that is never given back: a
tuple full of the value whose own count is raised once, so that neither the collector nor the
interpreter's shutdown ever frees it. The window tops the reserve up when a count runs low.
Nothing is done where the bug cannot bite (both are immortal from Python 3.12).
"""

from __future__ import annotations

import ctypes
import sys
from typing import TypeVar

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QMainWindow,
    QWidget,
)

from app.ui.common import widgets

# A page that sizes its columns to their contents asks Qt for tens of thousands of empty
# values at once (a zoom step lost 70,000 references to None): the low-water mark sits far
# above such a burst, and the window looks every few seconds (MainWindow._reserve).
RESERVE = 1_000_000  # references a top-up adds: 8 MB
LOW_WATER = 400_000  # top up when the count falls below this

_MORTAL_NONE = sys.version_info < (3, 12)
_Filter = TypeVar("_Filter", bound=QObject)


def top_up() -> bool:
    """Add a reserve of references to ``None``, ``True`` and ``False`` when a count runs
    low; True if added."""
    if not _MORTAL_NONE:
        return False
    added = False
    for value in (None, True, False):
        if sys.getrefcount(value) >= LOW_WATER:
            continue
        reserve = (value,) * RESERVE
        # The tuple itself is never released, so the references it holds stay.
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(reserve))
        added = True
    return added


# Windows that are not the user's to place: menus, the lists of combo boxes, tooltips.
_NOT_PLACED = (Qt.WindowType.Popup, Qt.WindowType.ToolTip, Qt.WindowType.SplashScreen)


class ScreenFit(QObject):
    """Fits each top-level window but the main window to the screen as it is shown."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Every event of the application passes here: the cheapest test first.
        if (
            event.type() == QEvent.Type.Show
            and isinstance(watched, QWidget)
            and watched.isWindow()
            and not isinstance(watched, QMainWindow)
            and watched.windowType() not in _NOT_PLACED
        ):
            widgets.fit_to_screen(watched)
        return False


def _install_once(app: QApplication, kind: type[_Filter]) -> _Filter:
    """Install one filter of *kind* on *app*; it lives as long as the application."""
    existing = app.findChild(kind)
    if existing is not None:
        return existing
    made = kind(app)
    app.installEventFilter(made)
    return made


def fit_windows_to_screen(app: QApplication) -> ScreenFit:
    return _install_once(app, ScreenFit)


class SelectOnFocus(QObject):
    """A number field entered by the keyboard has its figure selected, so that what is typed
    replaces it: "11" typed into a field showing 0 is 11, not 110. Qt does this for Tab
    only, not when a shortcut or the program puts the focus there (Alt+4, Ctrl+Tab)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusIn and isinstance(watched, QAbstractSpinBox):
            reason = event.reason()  # type: ignore[attr-defined]
            # A click places the cursor; a grid's editor opened by a key holds that key.
            if reason != Qt.FocusReason.MouseFocusReason and not _is_cell_editor(watched):
                # After Qt's own handling of the focus, which may move the cursor.
                QTimer.singleShot(0, watched, watched.selectAll)
        return False


def _is_cell_editor(widget: QWidget) -> bool:
    viewport = widget.parentWidget()
    return viewport is not None and isinstance(viewport.parentWidget(), QAbstractItemView)


def select_numbers_on_focus(app: QApplication) -> SelectOnFocus:
    return _install_once(app, SelectOnFocus)
