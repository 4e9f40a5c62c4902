"""The embedded serif family every document uses (Times-metric Liberation Serif).

Every style and table style names this family and the doc template sets it as the initial
font, so reportlab never slips in its unembedded Helvetica.
"""

from __future__ import annotations

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from app import paths

SERIF = "LiberationSerif"
SERIF_BOLD = "LiberationSerif-Bold"
SERIF_ITALIC = "LiberationSerif-Italic"
SERIF_BOLD_ITALIC = "LiberationSerif-BoldItalic"

_FILES = {
    SERIF: "LiberationSerif-Regular.ttf",
    SERIF_BOLD: "LiberationSerif-Bold.ttf",
    SERIF_ITALIC: "LiberationSerif-Italic.ttf",
    SERIF_BOLD_ITALIC: "LiberationSerif-BoldItalic.ttf",
}


class MissingFontError(RuntimeError):
    pass


def register_fonts() -> str:
    """Register the family once; return its name. Raises MissingFontError in Vietnamese."""
    if SERIF in pdfmetrics.getRegisteredFontNames():
        return SERIF
    for name, filename in _FILES.items():
        path = paths.fonts_dir() / filename
        if not path.exists():
            raise MissingFontError(
                f"Thiếu tệp phông chữ “{filename}” trong {paths.fonts_dir()}. Hãy cài lại DanhGia."
            )
        pdfmetrics.registerFont(TTFont(name, str(path)))
    pdfmetrics.registerFontFamily(
        SERIF, normal=SERIF, bold=SERIF_BOLD, italic=SERIF_ITALIC, boldItalic=SERIF_BOLD_ITALIC
    )
    # <b> and <i> inside paragraphs resolve through these mappings.
    addMapping(SERIF, 0, 0, SERIF)
    addMapping(SERIF, 1, 0, SERIF_BOLD)
    addMapping(SERIF, 0, 1, SERIF_ITALIC)
    addMapping(SERIF, 1, 1, SERIF_BOLD_ITALIC)
    return SERIF
