"""The guard against PySide6 6.12 losing references to None on Python 3.11
(app/ui/shell/qt_fixes.py): without it, a long session in the window ends with
"Fatal Python error: deallocating None"."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QComboBox

from app.ui.shell import qt_fixes


def test_empty_values_from_qt_cannot_exhaust_none(qapp: object) -> None:
    combo = QComboBox()
    combo.addItem("một mục không có dữ liệu")
    before = sys.getrefcount(None)
    for _ in range(1000):
        assert combo.currentData() is None
    lost = before - sys.getrefcount(None)
    if sys.version_info >= (3, 12):
        assert not qt_fixes.top_up()  # None is immortal: nothing to guard
        return
    # The bug the guard exists for (if this stops holding, PySide6 was fixed and the guard
    # can go): every empty value handed to Python took a reference away.
    assert lost >= 900
    # The reserve laid in when the window's package was imported keeps the count far up…
    assert sys.getrefcount(None) > qt_fixes.LOW_WATER
    # …and a top-up refills it whenever it runs low.
    keep = qt_fixes.LOW_WATER
    try:
        qt_fixes.LOW_WATER = sys.getrefcount(None) + 1
        assert qt_fixes.top_up()
        assert sys.getrefcount(None) > qt_fixes.LOW_WATER + qt_fixes.RESERVE - 10
    finally:
        qt_fixes.LOW_WATER = keep
