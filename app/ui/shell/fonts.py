"""The app's own fonts, so Vietnamese renders on a machine with no system fonts at all."""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase

from app import paths

UI_FAMILY = "Liberation Sans"
# Liberation has no ✓ ↺ ⚠ ✎ ⛔: DejaVu Sans fills those in, on any machine.
SYMBOL_FAMILY = "DejaVu Sans"
FONT_FILES = [
    "LiberationSans-Regular.ttf",
    "LiberationSans-Bold.ttf",
    "LiberationSans-Italic.ttf",
    "LiberationSans-BoldItalic.ttf",
    "LiberationSerif-Regular.ttf",
    "LiberationSerif-Bold.ttf",
    "LiberationSerif-Italic.ttf",
    "LiberationSerif-BoldItalic.ttf",
    "DejaVuSans.ttf",
]


class MissingFontError(RuntimeError):
    pass


def register_fonts() -> str:
    """Register the bundled fonts with Qt; return the family to use for widgets."""
    missing = []
    for name in FONT_FILES:
        path = paths.fonts_dir() / name
        if not path.exists() or QFontDatabase.addApplicationFont(str(path)) < 0:
            missing.append(name)
    if missing:
        raise MissingFontError(
            "Thiếu tệp phông chữ của chương trình: " + ", ".join(missing) + ". Hãy cài lại DanhGia."
        )
    return UI_FAMILY
