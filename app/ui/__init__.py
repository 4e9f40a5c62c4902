"""The window (PySide6). The only package that imports Qt."""

from app.ui.qt_fixes import top_up as _top_up

_top_up()  # before anything asks Qt for a value (see app/ui/qt_fixes.py)
