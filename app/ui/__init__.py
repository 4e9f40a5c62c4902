"""The window (PySide6). The only package that imports Qt."""

from app.ui.shell.qt_fixes import top_up as _top_up

_top_up()  # before anything asks Qt for a value (see app/ui/shell/qt_fixes.py)
