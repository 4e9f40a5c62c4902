"""The styles of the party-document format (HD 36-HD/VPTW): the body, tables, headings and
notes, each in the embedded Liberation Serif, and the small helpers that set text in them."""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    Paragraph,
)

from app.documents.fonts import (
    SERIF,
    SERIF_BOLD,
    SERIF_BOLD_ITALIC,
    SERIF_ITALIC,
)
from app.domain.text import nfc

PAGE_WIDTH, PAGE_HEIGHT = A4


@dataclass(frozen=True)
class Margins:
    """Front-page margins in millimetres (HD 36: top/bottom 20–25, left 30–35, right 15–20)."""

    top: float = 20
    bottom: float = 20
    left: float = 30
    right: float = 15


A4_MARGINS = Margins()  # the format's margins: top 20, bottom 20, left 30, right 15 mm


def text(value: object) -> str:
    """NFC and XML-escaped: safe to put inside a Paragraph."""
    return escape(nfc(str(value)))


def style(
    name: str,
    size: float = 14,
    *,
    font: str = SERIF,
    align: int = TA_JUSTIFY,
    leading: float | None = None,
    before: float = 0,
    after: float = 3,
    indent: float = 0,
    left_indent: float = 0,
    keep_with_next: bool = False,
) -> ParagraphStyle:
    return ParagraphStyle(
        name,
        fontName=font,
        fontSize=size,
        leading=leading or size * 1.25,
        alignment=align,
        spaceBefore=before,
        spaceAfter=after,
        firstLineIndent=indent,
        leftIndent=left_indent,
        keepWithNext=int(keep_with_next),
    )


# HD 36: body 14–15 pt upright; section headings bold; document type 15–16 bold; summary
# 14–15 bold. Tables use a smaller size so that a cell's roster fits the page width.
BODY = style("body", 14, indent=10 * mm)
BODY_PLAIN = style("body-plain", 14)
BODY_ITALIC = style("body-italic", 14, font=SERIF_ITALIC)
BODY_HANGING = style("body-hanging", 14, left_indent=6 * mm, indent=-6 * mm)
CELL = style("cell", 11, align=TA_LEFT, leading=13.5, after=0)
CELL_CENTER = style("cell-center", 11, align=TA_CENTER, leading=13.5, after=0)
CELL_RIGHT = style("cell-right", 11, align=TA_RIGHT, leading=13.5, after=0)
CELL_HEAD = style("cell-head", 11, font=SERIF_BOLD, align=TA_CENTER, leading=13.5, after=0)
SECTION = style("section", 14, font=SERIF_BOLD, align=TA_LEFT, before=6, after=3)
SUBSECTION = style("subsection", 14, font=SERIF_BOLD_ITALIC, align=TA_LEFT, before=3, after=2)
TITLE = style(
    "title", 15, font=SERIF_BOLD, align=TA_CENTER, before=16, after=2, keep_with_next=True
)
SUBTITLE = style("subtitle", 14, font=SERIF_BOLD, align=TA_CENTER, after=2, keep_with_next=True)
NOTE = style("note", 13, font=SERIF_ITALIC, align=TA_CENTER, after=6)
SMALL_NOTE = style("small-note", 11, font=SERIF_ITALIC, align=TA_LEFT, leading=13, after=2)

SIGNING_ROOM = 24 * mm  # the empty space between a signer's title and printed name


def section(
    title: str, paragraph_style: ParagraphStyle = SECTION, room: float = 30 * mm
) -> list[Flowable]:
    """A heading (plain text) that starts a new page when less than *room* is left below it,
    so it never sits alone at the foot of a page, while what follows may still split (unlike
    keepWithNext, which moves a whole long paragraph and leaves a gap)."""
    return [CondPageBreak(room), Paragraph(text(title), paragraph_style)]


def table_heading(title: str, room: float = 45 * mm) -> list[Flowable]:
    """A section heading followed by a long table (room for the heading and a few rows)."""
    return section(title, SECTION, room)


def paragraphs(value: str, paragraph_style: ParagraphStyle = BODY) -> list[Flowable]:
    """One Paragraph per non-empty line of *value*."""
    lines = [line.strip() for line in nfc(value or "").splitlines()]
    return [Paragraph(text(line), paragraph_style) for line in lines if line]
