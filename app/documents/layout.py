"""The party-document format (HD 36-HD/VPTW, domain.md §6) shared by every document.

A4; Liberation Serif embedded; the heading in two blocks (left: superior body upright, issuing
body in bold, a centred "*", the number; right: "ĐẢNG CỘNG SẢN VIỆT NAM" in bold with a rule
beneath and the italic place-and-date line on the level of the number); title; body;
signature blocks whose names line up; "Nơi nhận". Page numbers from page 2 at the top centre
(restarting for every copy of a multi-copy print); a footer with the content fingerprint on
every page.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from app.documents.data import Heading, LevelColumn, Signer
from app.documents.fonts import (
    SERIF,
    SERIF_BOLD,
    SERIF_BOLD_ITALIC,
    SERIF_ITALIC,
    register_fonts,
)
from app.domain.formatting import format_date_long
from app.domain.text import nfc

PAGE_WIDTH, PAGE_HEIGHT = A4


@dataclass(frozen=True)
class Margins:
    """Front-page margins in millimetres (HD 36: top/bottom 20–25, left 30–35, right 15–20)."""

    top: float = 20
    bottom: float = 20
    left: float = 30
    right: float = 15


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
_HEAD_LEFT = style("head-left", 14, align=TA_CENTER, leading=17, after=0)
_HEAD_LEFT_BOLD = style("head-left-bold", 14, font=SERIF_BOLD, align=TA_CENTER, leading=17, after=0)
_HEAD_DATE = style("head-date", 14, font=SERIF_ITALIC, align=TA_CENTER, leading=17, after=0)
_FORM_CODE = style("form-code", 12, font=SERIF_BOLD_ITALIC, align=TA_RIGHT, leading=14, after=2)
_SIGN = style("sign", 14, font=SERIF_BOLD, align=TA_CENTER, leading=17, after=0)
_SIGN_HINT = style("sign-hint", 12, font=SERIF_ITALIC, align=TA_CENTER, leading=15, after=0)
# HD 36: "Nơi nhận:" 14 pt upright, underlined; the items 12 pt.
_RECIPIENT_LABEL = style("recipient-label", 14, align=TA_LEFT, leading=17, after=1)
_RECIPIENT = style("recipient", 12, align=TA_LEFT, leading=14.5, after=0)

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


# --------------------------------------------------------------------------------------------
# Small drawn flowables


class RuledText(Flowable):
    """A centred line of text with a thin rule of the same length beneath it."""

    def __init__(self, line: str, font: str = SERIF_BOLD, size: float = 15) -> None:
        super().__init__()
        self.line = nfc(line)
        self.font = font
        self.size = size

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        return available_width, self.size + 6

    def draw(self) -> None:
        canvas = self.canv
        width = stringWidth(self.line, self.font, self.size)
        x = (self.width - width) / 2
        canvas.setFont(self.font, self.size)
        canvas.drawString(x, 7, self.line)  # baseline level with the 14 pt superior line
        canvas.setLineWidth(0.6)
        canvas.line(x, 2.5, x + width, 2.5)


class ShortRule(Flowable):
    """The short centred rule under a document's summary line (HD 36 "-----")."""

    def __init__(self, length: float = 30 * mm, space: float = 4) -> None:
        super().__init__()
        self.length = length
        self.space = space

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        return available_width, 2 * self.space

    def draw(self) -> None:
        x = (self.width - self.length) / 2
        self.canv.setLineWidth(0.6)
        self.canv.line(x, self.space, x + self.length, self.space)


class WritingLines(Flowable):
    """Dotted lines across the text width, to write on by hand; splits across pages."""

    def __init__(self, count: int, gap: float = 8 * mm) -> None:
        super().__init__()
        self.count = max(0, count)
        self.gap = gap

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        return available_width, self.count * self.gap

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        fits = int(available_height // self.gap)
        if fits <= 0 or fits >= self.count:
            return []
        return [WritingLines(fits, self.gap), WritingLines(self.count - fits, self.gap)]

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setLineWidth(0.5)
        canvas.setDash(0.8, 2.2)
        canvas.setStrokeGray(0.25)
        for index in range(self.count):
            y = self.count * self.gap - (index + 1) * self.gap + 1.5
            canvas.line(0, y, self.width, y)
        canvas.restoreState()


class FieldLine(Flowable):
    """ "Họ và tên: ……………" — a label followed by a dotted line to the right edge."""

    def __init__(self, label: str, size: float = 14, indent: float = 0) -> None:
        super().__init__()
        self.label = nfc(label)
        self.size = size
        self.indent = indent

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        return available_width, self.size * 1.25 + 3

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setFont(SERIF, self.size)
        canvas.drawString(self.indent, 4, self.label)
        start = self.indent + stringWidth(self.label, SERIF, self.size) + 4
        canvas.setLineWidth(0.5)
        canvas.setDash(0.8, 2.2)
        canvas.setStrokeGray(0.25)
        canvas.line(start, 3.5, self.width, 3.5)
        canvas.restoreState()


class CheckBoxes(Flowable):
    """Boxes with labels, as real text: "Đã khắc phục? □ Đã khắc phục □ Chưa khắc phục".

    The box is the font's "□" glyph set large enough to write in; a ticked box gets an X
    drawn across it. All options go on one line when they fit (one run of text, so it reads
    and searches as one line), else in a grid of *columns*.
    """

    BOX_GLYPH = "\u25a1"  # □
    BOX_SIZE = 18.0  # font size of the box glyph: a square of about 3.7 mm
    _INK = 0.59  # the glyph's square spans 0–0.59 em from its origin and the baseline
    _GAP = "\u00a0" * 4  # between packed options

    def __init__(
        self,
        options: Sequence[str],
        ticked: Sequence[int] = (),
        *,
        prefix: str = "",
        size: float = 13,
        columns: int | None = None,
        indent: float = 10 * mm,
    ) -> None:
        super().__init__()
        self.options = [nfc(o) for o in options]
        self.ticked = set(ticked)
        self.prefix = nfc(prefix)
        self.size = size
        self.wanted_columns = columns
        self.indent = indent
        self.row_height = max(self.BOX_SIZE * self._INK, size) + 7

    def _box_width(self) -> float:
        return stringWidth(self.BOX_GLYPH, SERIF, self.BOX_SIZE)

    def _option_width(self, option: str) -> float:
        return self._box_width() + stringWidth(f" {option}", SERIF, self.size)

    def _prefix_width(self) -> float:
        return stringWidth(f"{self.prefix} ", SERIF, self.size) if self.prefix else 0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        usable = available_width - self.indent - self._prefix_width()
        gap = stringWidth(self._GAP, SERIF, self.size)
        packed = sum(self._option_width(o) + gap for o in self.options)
        self.packed = self.wanted_columns is None and packed <= usable
        if self.packed:
            self.columns = max(1, len(self.options))
        else:
            widest = max((self._option_width(o) + gap for o in self.options), default=1)
            columns = self.wanted_columns or max(1, int(usable // widest))
            self.columns = max(1, min(columns, len(self.options) or 1))
            if self.columns > 1 and widest * self.columns > usable:
                self.columns = max(1, int(usable // widest))
        self.column_width = usable / self.columns
        rows = 1 if self.packed else math.ceil(len(self.options) / self.columns)
        self.height = max(1, rows) * self.row_height
        return available_width, self.height

    def _tick(self, x: float, baseline: float) -> None:
        side = self.BOX_SIZE * self._INK
        inset = side * 0.2
        bottom = baseline + self.BOX_SIZE * 0.01
        canvas = self.canv
        canvas.setLineWidth(1.1)
        canvas.line(x + inset, bottom + inset, x + side - inset, bottom + side - inset)
        canvas.line(x + inset, bottom + side - inset, x + side - inset, bottom + inset)

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        start = self.indent + self._prefix_width()
        ticks: list[tuple[float, float]] = []
        for row_start in range(0, len(self.options), self.columns):
            row = row_start // self.columns
            baseline = self.height - (row + 1) * self.row_height + (self.row_height - self.size) / 2
            chunk = list(enumerate(self.options))[row_start : row_start + self.columns]
            if self.packed:
                text_object = canvas.beginText(self.indent, baseline)
                x = self.indent
                if self.prefix:
                    text_object.setFont(SERIF, self.size)
                    text_object.textOut(f"{self.prefix} ")
                    x += self._prefix_width()
                for position, (index, option) in enumerate(chunk):
                    if index in self.ticked:
                        ticks.append((x, baseline))
                    text_object.setFont(SERIF, self.BOX_SIZE)
                    text_object.textOut(self.BOX_GLYPH)
                    text_object.setFont(SERIF, self.size)
                    tail = f" {option}" + (self._GAP if position < len(chunk) - 1 else "")
                    text_object.textOut(tail)
                    x += self._box_width() + stringWidth(tail, SERIF, self.size)
                canvas.drawText(text_object)
                continue
            if self.prefix and row == 0:
                canvas.setFont(SERIF, self.size)
                canvas.drawString(self.indent, baseline, self.prefix)
            for column, (index, option) in enumerate(chunk):
                x = start + column * self.column_width
                if index in self.ticked:
                    ticks.append((x, baseline))
                text_object = canvas.beginText(x, baseline)
                text_object.setFont(SERIF, self.BOX_SIZE)
                text_object.textOut(self.BOX_GLYPH)
                text_object.setFont(SERIF, self.size)
                text_object.textOut(f" {option}")
                canvas.drawText(text_object)
        for x, baseline in ticks:
            self._tick(x, baseline)
        canvas.restoreState()


# --------------------------------------------------------------------------------------------
# Heading, title, signatures


def date_line(place: str, day: dt.date | None) -> str:
    """ "Na Tông, ngày 15 tháng 12 năm 2025"; with no date, blanks to fill in by hand."""
    if day is None:
        blank = "ngày …… tháng …… năm 20……"
        return f"{place}, {blank}" if place else f"……, {blank}"
    return f"{place}, {format_date_long(day)}" if place else format_date_long(day).capitalize()


def _issuer_symbol(issuer: str) -> str:
    """The issuer's abbreviation in a document number: "CB" for a cell, "ĐU" for a committee."""
    name = nfc(issuer).casefold()
    if name.startswith("chi ủy") or name.startswith("chi uỷ"):
        return "CU"
    if name.startswith("chi bộ"):
        return "CB"
    if name.startswith("đảng ủy") or name.startswith("đảng uỷ"):
        return "ĐU"
    return ""


def number_line(heading: Heading, kind: str = "") -> str:
    """The given number, or "Số      -BB/CB" with room to write the number by hand."""
    if heading.number:
        return heading.number
    gap = "\u00a0" * 8
    if kind:
        return f"Số{gap}-{kind}/{_issuer_symbol(heading.issuer) or gap}"
    return f"Số{gap}-{gap}/{gap}"


def heading_block(
    heading: Heading, width: float, *, numbered: bool = True, kind: str = ""
) -> Flowable:
    """The two HD 36 heading blocks; the date line sits level with the number line.

    *numbered* False leaves out the number line (forms, ballots) unless a number is given;
    *kind* ("BB", "BC", "QĐ") fills the blank number's type when no number is given.
    """
    show_number = numbered or bool(heading.number)
    left = [
        Paragraph(text(heading.superior.upper()), _HEAD_LEFT),
        Paragraph(text(heading.issuer.upper()), _HEAD_LEFT_BOLD),
        Paragraph("*", _HEAD_LEFT),
    ]
    if show_number:
        left.append(Paragraph(text(number_line(heading, kind)), _HEAD_LEFT))
    right: list[object] = [
        RuledText("ĐẢNG CỘNG SẢN VIỆT NAM", SERIF_BOLD, 15),
        "",
        "",
        Paragraph(text(date_line(heading.place, heading.date)), _HEAD_DATE),
    ]
    if not show_number:
        right = [*right[:2], right[3]]
    rows = [[left_cell, right_cell] for left_cell, right_cell in zip(left, right, strict=True)]
    table = Table(rows, colWidths=[width * 0.45, width * 0.55])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), SERIF),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, -1), (-1, -1), 2),
            ]
        )
    )
    return table


def form_code(code: str) -> Flowable:
    """The form's code in the top right corner, e.g. "Mẫu 2C-HD KĐ.ĐG 2025"."""
    return Paragraph(text(code), _FORM_CODE)


def title_block(title: str, *subtitles: str, note: str = "", rule: bool = True) -> list[Flowable]:
    """Document type in capitals, the summary lines in bold, a short rule, an italic note.
    A "\\n" in the title or a summary line breaks the line there."""
    parts: list[Flowable] = [Paragraph(_lines(title.upper()), TITLE)]
    parts += [Paragraph(_lines(s), SUBTITLE) for s in subtitles if s]
    if rule:
        parts.append(ShortRule())
    if note:
        parts.append(Paragraph(text(note), NOTE))
    parts.append(Spacer(1, 4))
    return parts


def _lines(value: str) -> str:
    """Escaped text whose "\\n" become line breaks."""
    return "<br/>".join(text(line.strip()) for line in nfc(value).splitlines())


def _signer_head(signer: Signer) -> list[Flowable]:
    parts: list[Flowable] = []
    if signer.authority:
        parts.append(Paragraph(text(signer.authority.upper()), _SIGN))
    parts.append(Paragraph(text(signer.title.upper()), _SIGN))
    if signer.hint:
        parts.append(Paragraph(text(signer.hint), _SIGN_HINT))
    return parts


def _signer_name(signer: Signer) -> Flowable:
    return Paragraph(text(signer.name or " "), _SIGN)


def signature_block(signer: Signer | None) -> list[Flowable]:
    """One signer stacked in one column (heads, room, name)."""
    if signer is None:
        return []
    return [*_signer_head(signer), Spacer(1, SIGNING_ROOM), _signer_name(signer)]


def recipients_block(items: Sequence[str]) -> list[Flowable]:
    if not items:
        return []
    parts: list[Flowable] = [Paragraph("<u>Nơi nhận:</u>", _RECIPIENT_LABEL)]
    parts += [Paragraph(f"- {text(item)}", _RECIPIENT) for item in items]
    return parts


_SIGNATURE_TABLE = [
    ("FONTNAME", (0, 0), (-1, -1), SERIF),
    ("LEFTPADDING", (0, 0), (-1, -1), 0),
    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
    ("TOPPADDING", (0, 0), (-1, -1), 0),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
]


def _unsplittable(inner: Table, space_before: float = 10) -> Table:
    """*inner* inside a one-row table: it moves to the next page whole rather than split, and
    unlike KeepTogether it can sit inside another KeepTogether."""
    outer = Table([[inner]], colWidths=[sum(inner._colWidths)])
    outer.setStyle(TableStyle([*_SIGNATURE_TABLE, ("TOPPADDING", (0, 0), (-1, -1), space_before)]))
    return outer


def signatures(
    width: float,
    left: Signer | None = None,
    right: Signer | None = None,
    recipients: Sequence[str] = (),
    *,
    dated: str = "",
    room: float = SIGNING_ROOM,
) -> Flowable:
    """Signature blocks side by side (THƯ KÝ left, CHỦ TRÌ right), or "Nơi nhận" on the left.

    The titles start on the same line and the printed names line up, however many authority
    lines either block has. *dated* is an italic date line above the right block (parts of a
    form signed on another day); *room* the space left to sign in. The block never splits
    across pages.
    """
    right_head = _signer_head(right) if right else []
    if dated:
        right_head.insert(0, Paragraph(text(dated), _HEAD_DATE))
    row_heads: list[object] = [_signer_head(left) if left else "", right_head or ""]
    row_names: list[object] = [
        _signer_name(left) if left else "",
        _signer_name(right) if right else "",
    ]
    rows: list[list[object]] = [row_heads, [Spacer(1, room), Spacer(1, room)], row_names]
    commands = list(_SIGNATURE_TABLE)
    if left is None and recipients:
        rows[0][0] = recipients_block(recipients)
        rows[1][0] = ""
        rows[2][0] = ""
        commands.append(("SPAN", (0, 0), (0, 2)))
        widths = [width * 0.45, width * 0.55]
    else:
        widths = [width * 0.45, width * 0.55] if left is None else [width * 0.5, width * 0.5]
    table = Table(rows, colWidths=widths)
    table.setStyle(TableStyle(commands))
    return _unsplittable(table)


def sign_off(story: list[Flowable], *block: Flowable) -> list[Flowable]:
    """Append the signature *block* to *story*, kept on one page with the flowable before it:
    a signature never stands alone at the top of a page."""
    if not story:
        return list(block)
    last = story.pop()
    content = list(last._content) if isinstance(last, KeepTogether) else [last]
    story.append(KeepTogether([*content, *block]))
    return story


def signature_grid(width: float, signers: Sequence[Signer], per_row: int = 3) -> Flowable:
    """Several signers (a tally committee) in rows of *per_row*, names aligned per row."""
    signers = list(signers)
    if not signers:
        return Spacer(1, 0)
    per_row = max(1, min(per_row, len(signers)))
    rows: list[list[object]] = []
    for start in range(0, len(signers), per_row):
        group = signers[start : start + per_row]
        pad = [""] * (per_row - len(group))
        rows.append([_signer_head(s) for s in group] + pad)
        rows.append([Spacer(1, SIGNING_ROOM)] + [""] * (per_row - 1))
        rows.append([_signer_name(s) for s in group] + pad)
        rows.append([Spacer(1, 8)] + [""] * (per_row - 1))
    table = Table(rows, colWidths=[width / per_row] * per_row)
    table.setStyle(TableStyle(_SIGNATURE_TABLE))
    return _unsplittable(table)


# --------------------------------------------------------------------------------------------
# Tables


@dataclass(frozen=True)
class GroupRow:
    """A row of a data table spanning all columns: a group's caption (a cell's name)."""

    caption: str


_style_cache: dict[tuple[str, float], ParagraphStyle] = {}


def _sized(base: ParagraphStyle, size: float) -> ParagraphStyle:
    if size >= base.fontSize:
        return base
    key = (base.name, size)
    if key not in _style_cache:
        _style_cache[key] = ParagraphStyle(
            f"{base.name}-{size}", parent=base, fontSize=size, leading=size * 1.2
        )
    return _style_cache[key]


def fitted(value: str, base: ParagraphStyle, width: float, minimum: float = 6) -> ParagraphStyle:
    """*base*, or a smaller size of it, so that the longest word of *value* fits *width*.

    Words are never broken in the middle ("HTXSN / V"); a narrow column gets a smaller font.
    """
    words = value.split()
    if not words or width <= 0:
        return base
    longest = max(stringWidth(w, base.fontName, base.fontSize) for w in words)
    if longest <= width:
        return base
    size = max(minimum, math.floor(base.fontSize * width / longest * 2) / 2)
    return _sized(base, size)


def _span_widths(
    widths: Sequence[float], spans: Sequence[tuple[tuple[int, int], tuple[int, int]]]
) -> dict[tuple[int, int], float]:
    found: dict[tuple[int, int], float] = {}
    for (c0, r0), (c1, _r1) in spans:
        c1 = c1 if c1 >= 0 else len(widths) + c1
        found[(r0, c0)] = sum(widths[c0 : c1 + 1])
    return found


def data_table(
    header: Sequence[str],
    rows: Sequence[Sequence[object] | GroupRow],
    widths: Sequence[float],
    *,
    align: Sequence[str] = (),
    header_rows: int = 1,
    extra_header: Sequence[Sequence[object]] = (),
    spans: Sequence[tuple[tuple[int, int], tuple[int, int]]] = (),
    size: float = 11,
    bold_rows: Sequence[int] = (),
    min_row_height: float = 0,
) -> Table:
    """A ruled table whose header repeats on every page; long text wraps inside its cell.

    *align* gives "L", "C" or "R" per column for the body cells. *extra_header* rows go above
    *header* (with *spans* given in whole-table coordinates). A ``GroupRow`` spans the whole
    width. Header texts too wide for their column get a smaller font instead of breaking a
    word. *bold_rows* are body row indexes printed in bold (a total line); *min_row_height*
    gives body rows room to write in (ballots).
    """
    widths = list(widths)
    padding = 3
    head_style = _sized(CELL_HEAD, size)
    body_styles = {
        "L": _sized(CELL, size),
        "C": _sized(CELL_CENTER, size),
        "R": _sized(CELL_RIGHT, size),
    }
    bold_styles = {
        key: ParagraphStyle(f"{value.name}-bold", parent=value, fontName=SERIF_BOLD)
        for key, value in body_styles.items()
    }
    head_count = len(extra_header) + 1
    span_width = _span_widths(widths, spans)

    def head_cell(value: object, row: int, column: int) -> object:
        if not isinstance(value, str):
            return value
        width = span_width.get((row, column), widths[column]) - 2 * padding
        value = nfc(value)
        return Paragraph(text(value), fitted(value, head_style, width))

    def body_cell(value: object, column: int, bold: bool) -> object:
        if isinstance(value, Flowable):
            return value
        key = (align[column : column + 1] or ["L"])[0]
        chosen = (bold_styles if bold else body_styles).get(key, body_styles["L"])
        content = nfc("" if value is None else str(value))
        return Paragraph(text(content), fitted(content, chosen, widths[column] - 2 * padding))

    head = [[head_cell(h, r, c) for c, h in enumerate(row)] for r, row in enumerate(extra_header)]
    head.append([head_cell(h, len(extra_header), c) for c, h in enumerate(header)])
    body: list[list[object]] = []
    commands: list[tuple[object, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), SERIF),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, head_count - 1), colors.Color(0.93, 0.93, 0.93)),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
        ("LEFTPADDING", (0, 0), (-1, -1), padding),
        ("RIGHTPADDING", (0, 0), (-1, -1), padding),
    ]
    bold = set(bold_rows)
    group_style = ParagraphStyle("cell-group", parent=bold_styles["L"])
    for index, row in enumerate(rows):
        table_row = head_count + index
        if isinstance(row, GroupRow):
            body.append([Paragraph(text(row.caption), group_style)] + [""] * (len(widths) - 1))
            commands.append(("SPAN", (0, table_row), (-1, table_row)))
            if index + 1 < len(rows):  # a caption never sits alone at the foot of a page
                commands.append(("NOSPLIT", (0, table_row), (-1, table_row + 1)))
            commands.append(
                ("BACKGROUND", (0, table_row), (-1, table_row), colors.Color(0.97, 0.97, 0.97))
            )
            continue
        body.append([body_cell(v, i, index in bold) for i, v in enumerate(row)])
    heights = [0.0] * head_count + [min_row_height] * len(body) if min_row_height else None
    table = Table(head + body, colWidths=widths, repeatRows=head_count, minRowHeights=heights)
    commands += [("SPAN", start, end) for start, end in spans]
    table.setStyle(TableStyle(commands))
    return table


def level_legend(*groups: Sequence[LevelColumn]) -> Flowable | None:
    """ "Ghi chú: HTXSNV – Hoàn thành xuất sắc nhiệm vụ; …" for the codes used in tables."""
    seen: dict[str, str] = {}
    for levels in groups:
        for level in levels:
            if level.short != level.name:
                seen.setdefault(nfc(level.short), nfc(level.name))
    if not seen:
        return None
    items = "; ".join(f"{text(short)} – {text(name)}" for short, name in seen.items())
    return Paragraph(f"<i>Ghi chú:</i> {items}.", SMALL_NOTE)


# --------------------------------------------------------------------------------------------
# The document


class _CopyStart(Flowable):
    """Zero-size marker: page numbering restarts on the page where it is drawn."""

    def __init__(self, notify: Callable[[int], None]) -> None:
        super().__init__()
        self.notify = notify

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.notify(self.canv.getPageNumber())


_page_limit: ContextVar[int | None] = ContextVar("page_limit", default=None)


@contextmanager
def first_pages(count: int) -> Iterator[None]:
    """Within the block, every document built stops after its first *count* pages.

    The preview shows page 1 of a long document (the decision and its annex) at once and lays
    out the rest in the background. The pages made are the same as the first pages of the
    whole document: a page's content never depends on what comes after it.
    """
    token = _page_limit.set(max(1, count))
    try:
        yield
    finally:
        _page_limit.reset(token)


def page_limit() -> int | None:
    """The page count :func:`first_pages` stops at, or None when whole documents are built.

    A renderer may leave out what can only start after that page (the decision's annex,
    after a page break) rather than build it for nothing."""
    return _page_limit.get()


class _PageLimitedTemplate(BaseDocTemplate):
    """A doc template that ends the build quietly once *limit* pages are finished: what is
    left of the story is dropped, and no page is begun after the last one."""

    def __init__(self, *args: Any, limit: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._limit = limit
        self._ended = 0
        self._story: list[Flowable] = []

    def build(self, flowables: list[Flowable], *args: Any, **kwargs: Any) -> None:
        self._story = flowables  # the very list BaseDocTemplate.build consumes
        super().build(flowables, *args, **kwargs)

    def handle_pageEnd(self) -> None:
        super().handle_pageEnd()
        self._ended += 1
        if self._ended >= self._limit:
            # Nothing is drawn after a page ends within the same step of the build, so
            # emptying the story here stops it before the next page begins.
            del self._story[:]


class PartyDocument:
    """Builds one document: the page frame, numbering and footer around a story."""

    def __init__(self, title: str, fingerprint: str, margins: Margins = Margins()) -> None:
        register_fonts()
        self.title = nfc(title)
        self.fingerprint = fingerprint
        self.margins = margins
        self._copy_first_page = 1
        self._footer_code = fingerprint  # the code printed on the page being made

    @property
    def width(self) -> float:
        return PAGE_WIDTH - (self.margins.left + self.margins.right) * mm

    def new_copy(self, fingerprint: str | None = None) -> Flowable:
        """A marker to put first on the page that starts a new copy (after a PageBreak):
        that page is numbered as a first page again, and from it the footer carries
        *fingerprint* when the copy is another document with a code of its own."""
        return _CopyStart(lambda page: self._set_copy_start(page, fingerprint))

    def _set_copy_start(self, page: int, fingerprint: str | None = None) -> None:
        self._copy_first_page = page
        if fingerprint is not None:
            self._footer_code = fingerprint

    def build(self, story: list[Flowable]) -> bytes:
        buffer = BytesIO()
        self._copy_first_page = 1
        self._footer_code = self.fingerprint
        options: dict[str, Any] = {
            "pagesize": A4,
            "leftMargin": self.margins.left * mm,
            "rightMargin": self.margins.right * mm,
            "topMargin": self.margins.top * mm,
            "bottomMargin": self.margins.bottom * mm,
            "title": self.title,
            "author": "DanhGia",
            "creator": "DanhGia",
            "subject": self.title,
            "initialFontName": SERIF,
            "initialFontSize": 14,
        }
        limit = _page_limit.get()
        doc = (
            BaseDocTemplate(buffer, **options)
            if limit is None
            else _PageLimitedTemplate(buffer, limit=limit, **options)
        )
        frame = Frame(
            doc.leftMargin,
            doc.bottomMargin,
            doc.width,
            doc.height,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id="body",
        )
        doc.addPageTemplates([PageTemplate("page", [frame], onPageEnd=self._decorate)])
        doc.build(story)
        return buffer.getvalue()

    def _decorate(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        canvas.saveState()
        page = canvas.getPageNumber() - self._copy_first_page + 1
        if page > 1:
            canvas.setFont(SERIF, 13)
            canvas.drawCentredString(PAGE_WIDTH / 2, PAGE_HEIGHT - 12 * mm, str(page))
        canvas.setFont(SERIF_ITALIC, 8)
        canvas.setFillGray(0.35)
        canvas.drawString(
            self.margins.left * mm,
            9 * mm,
            f"Mã đối chiếu {self._footer_code} · lập bằng DanhGia",
        )
        canvas.restoreState()
