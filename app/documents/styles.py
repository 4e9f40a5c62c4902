"""The styles of the party-document format (HD 36-HD/VPTW): the body, tables, headings and
notes, each in the embedded Liberation Serif, and the small helpers that set text in them."""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle

from app.documents import format as fmt
from app.documents.fonts import (
    SERIF,
    SERIF_BOLD,
    SERIF_BOLD_ITALIC,
    SERIF_ITALIC,
)
from app.documents.model import A4_MARGINS, PAGE_HEIGHT, PAGE_WIDTH, Margins, TextStyle
from app.domain.text import nfc

__all__ = ["A4_MARGINS", "PAGE_HEIGHT", "PAGE_WIDTH", "Margins", "pdf_style"]

_ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT, "justify": TA_JUSTIFY}
_FONT = {
    (False, False): SERIF,
    (True, False): SERIF_BOLD,
    (False, True): SERIF_ITALIC,
    (True, True): SERIF_BOLD_ITALIC,
}
_pdf_styles: dict[TextStyle, ParagraphStyle] = {}


def font_of(bold: bool, italic: bool) -> str:
    """The embedded serif face of that weight and slant."""
    return _FONT[(bold, italic)]


def pdf_style(text_style: TextStyle) -> ParagraphStyle:
    """The reportlab paragraph style of a model's text style (made once)."""
    found = _pdf_styles.get(text_style)
    if found is None:
        found = ParagraphStyle(
            text_style.name,
            fontName=font_of(text_style.bold, text_style.italic),
            fontSize=text_style.size,
            leading=text_style.line_height,
            alignment=_ALIGN[text_style.align],
            spaceBefore=text_style.before,
            spaceAfter=text_style.after,
            firstLineIndent=text_style.indent,
            leftIndent=text_style.left_indent,
            keepWithNext=int(text_style.keep_with_next),
        )
        _pdf_styles[text_style] = found
    return found


def text(value: object) -> str:
    """NFC and XML-escaped: safe to put inside a Paragraph."""
    return escape(nfc(str(value)))


BODY = pdf_style(fmt.BODY)
BODY_PLAIN = pdf_style(fmt.BODY_PLAIN)
BODY_ITALIC = pdf_style(fmt.BODY_ITALIC)
BODY_HANGING = pdf_style(fmt.BODY_HANGING)
CELL = pdf_style(fmt.CELL)
CELL_CENTER = pdf_style(fmt.CELL_CENTER)
CELL_RIGHT = pdf_style(fmt.CELL_RIGHT)
CELL_HEAD = pdf_style(fmt.CELL_HEAD)
SECTION = pdf_style(fmt.SECTION)
SUBSECTION = pdf_style(fmt.SUBSECTION)
TITLE = pdf_style(fmt.TITLE)
SUBTITLE = pdf_style(fmt.SUBTITLE)
NOTE = pdf_style(fmt.NOTE)
SMALL_NOTE = pdf_style(fmt.SMALL_NOTE)

SIGNING_ROOM = fmt.SIGNING_ROOM
