"""The party-document format (HD 36-HD/VPTW, domain.md §6) shared by every document.

A4; Liberation Serif embedded; the heading in two blocks (left: superior body, issuing body in
bold, "*", number; right: "ĐẢNG CỘNG SẢN VIỆT NAM" in bold with a rule beneath and the italic
place-and-date line); title; body; signature blocks; "Nơi nhận". Page numbers from page 2 at
the top centre; a footer with the content fingerprint on every page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from io import BytesIO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from app.documents.fonts import SERIF, SERIF_BOLD, SERIF_ITALIC, register_fonts
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


@dataclass(frozen=True)
class Heading:
    superior: str  # the direct superior body, e.g. "Đảng bộ xã Na Tông"
    issuer: str  # the issuing body, e.g. "Chi bộ bản Na Tông 1"
    number: str = ""  # "Số 07-BB/CB"; empty: the line is left for hand-writing
    place: str = ""
    date: dt.date | None = None  # None: a blank date line to fill in by hand


@dataclass(frozen=True)
class Signer:
    title: str  # "BÍ THƯ", "THƯ KÝ", "CHỦ TRÌ", "NGƯỜI TỰ KIỂM ĐIỂM"
    name: str = ""  # empty: room to write the name
    authority: str = ""  # "T/M CHI BỘ", "T/M BAN THƯỜNG VỤ", "K/T BÍ THƯ"


def text(value: object) -> str:
    """NFC and XML-escaped: safe to put inside a Paragraph."""
    return escape(nfc(str(value)))


def style(
    name: str,
    size: float = 13,
    *,
    font: str = SERIF,
    align: int = TA_JUSTIFY,
    leading: float | None = None,
    before: float = 0,
    after: float = 3,
    indent: float = 0,
) -> ParagraphStyle:
    return ParagraphStyle(
        name,
        fontName=font,
        fontSize=size,
        leading=leading or size * 1.3,
        alignment=align,
        spaceBefore=before,
        spaceAfter=after,
        firstLineIndent=indent,
    )


BODY = style("body", 13, indent=10 * mm)
BODY_PLAIN = style("body-plain", 13)
CELL = style("cell", 11, align=TA_LEFT, leading=13.5, after=0)
CELL_CENTER = style("cell-center", 11, align=TA_CENTER, leading=13.5, after=0)
CELL_HEAD = style("cell-head", 11, font=SERIF_BOLD, align=TA_CENTER, leading=13.5, after=0)
SECTION = style("section", 13, font=SERIF_BOLD, align=TA_LEFT, before=6, after=3)
TITLE = style("title", 15, font=SERIF_BOLD, align=TA_CENTER, before=14, after=2)
SUBTITLE = style("subtitle", 13.5, font=SERIF_BOLD, align=TA_CENTER, after=2)
NOTE = style("note", 12, font=SERIF_ITALIC, align=TA_CENTER, after=8)
_HEAD_LEFT = style("head-left", 13, align=TA_CENTER, leading=16, after=0)
_HEAD_LEFT_BOLD = style("head-left-bold", 13, font=SERIF_BOLD, align=TA_CENTER, leading=16, after=0)
_HEAD_DATE = style("head-date", 13, font=SERIF_ITALIC, align=TA_CENTER, leading=16, after=0)
_SIGN = style("sign", 13, font=SERIF_BOLD, align=TA_CENTER, leading=16, after=0)
_SIGN_HINT = style("sign-hint", 11, font=SERIF_ITALIC, align=TA_CENTER, leading=14, after=0)


class RuledText(Flowable):
    """A centred line of text with a thin rule of the same length beneath it."""

    def __init__(self, line: str, font: str = SERIF_BOLD, size: float = 14) -> None:
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
        canvas.drawString(x, 6, self.line)
        canvas.setLineWidth(0.6)
        canvas.line(x, 3, x + width, 3)


def date_line(place: str, day: dt.date | None) -> str:
    if day is None:
        return f"{place}, ngày … tháng … năm 20…" if place else "…, ngày … tháng … năm 20…"
    return f"{place}, {format_date_long(day)}" if place else format_date_long(day).capitalize()


def heading_block(heading: Heading, width: float) -> Flowable:
    left = [
        Paragraph(text(heading.superior.upper()), _HEAD_LEFT),
        Paragraph(text(heading.issuer.upper()), _HEAD_LEFT_BOLD),
        Paragraph("*", _HEAD_LEFT),
        Paragraph(text(heading.number or "Số       -      /      "), _HEAD_LEFT),
    ]
    right = [
        RuledText("ĐẢNG CỘNG SẢN VIỆT NAM", SERIF_BOLD, 14),
        Spacer(1, 5),
        Paragraph(text(date_line(heading.place, heading.date)), _HEAD_DATE),
    ]
    table = Table([[left, right]], colWidths=[width * 0.44, width * 0.56])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), SERIF),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def title_block(title: str, *subtitles: str, note: str = "") -> list[Flowable]:
    parts: list[Flowable] = [Paragraph(text(title.upper()), TITLE)]
    parts += [Paragraph(text(s), SUBTITLE) for s in subtitles if s]
    if note:
        parts.append(Paragraph(text(note), NOTE))
    parts.append(Spacer(1, 4))
    return parts


def signature_block(signer: Signer | None) -> list[Flowable]:
    if signer is None:
        return []
    parts: list[Flowable] = []
    if signer.authority:
        parts.append(Paragraph(text(signer.authority.upper()), _SIGN))
    parts.append(Paragraph(text(signer.title.upper()), _SIGN))
    parts.append(Paragraph("(Ký, ghi rõ họ tên)", _SIGN_HINT))
    parts.append(Spacer(1, 22 * mm))
    parts.append(Paragraph(text(signer.name or " "), _SIGN))
    return parts


def signatures(
    width: float,
    left: Signer | None = None,
    right: Signer | None = None,
    recipients: Sequence[str] = (),
) -> Flowable:
    """Signature blocks side by side (THƯ KÝ left, CHỦ TRÌ right), or "Nơi nhận" on the left.

    Kept on one page with the last lines above it is the caller's choice; the block itself
    never splits across pages.
    """
    left_cell: list[Flowable] = signature_block(left) if left else recipients_block(recipients)
    table = Table([[left_cell, signature_block(right)]], colWidths=[width * 0.45, width * 0.55])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), SERIF),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 10),
            ]
        )
    )
    return KeepTogether([table])


_RECIPIENT_LABEL = style("recipient-label", 12, font="LiberationSerif-BoldItalic", align=TA_LEFT)
_RECIPIENT = style("recipient", 11, align=TA_LEFT, leading=13, after=0)


def recipients_block(items: Sequence[str]) -> list[Flowable]:
    if not items:
        return []
    parts: list[Flowable] = [Paragraph("<u>Nơi nhận:</u>", _RECIPIENT_LABEL)]
    parts += [Paragraph(f"- {text(item)}", _RECIPIENT) for item in items]
    return parts


def data_table(
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    widths: Sequence[float],
    *,
    align: Sequence[str] = (),
    header_rows: int = 1,
    extra_header: Sequence[Sequence[object]] = (),
    spans: Sequence[tuple[tuple[int, int], tuple[int, int]]] = (),
) -> Table:
    """A ruled table whose header repeats on every page; long text wraps inside its cell.

    *align* gives "L" or "C" per column for the body cells.
    """

    def cell(value: object, column: int) -> object:
        if isinstance(value, Flowable):
            return value
        chosen = CELL_CENTER if (align[column : column + 1] or ["L"])[0] == "C" else CELL
        return Paragraph(text("" if value is None else value), chosen)

    head = [[Paragraph(text(h), CELL_HEAD) if isinstance(h, str) else h for h in row]
            for row in extra_header]  # fmt: skip
    head.append([Paragraph(text(h), CELL_HEAD) for h in header])
    body = [[cell(v, i) for i, v in enumerate(row)] for row in rows]
    table = Table(head + body, colWidths=list(widths), repeatRows=len(head))
    commands: list[tuple[object, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), SERIF),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, len(head) - 1), colors.Color(0.93, 0.93, 0.93)),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    commands += [("SPAN", start, end) for start, end in spans]
    table.setStyle(TableStyle(commands))
    return table


class PartyDocument:
    """Builds one document: the page frame, numbering and footer around a story."""

    def __init__(self, title: str, fingerprint: str, margins: Margins = Margins()) -> None:
        register_fonts()
        self.title = nfc(title)
        self.fingerprint = fingerprint
        self.margins = margins

    @property
    def width(self) -> float:
        return PAGE_WIDTH - (self.margins.left + self.margins.right) * mm

    def build(self, story: list[Flowable]) -> bytes:
        buffer = BytesIO()
        doc = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=self.margins.left * mm,
            rightMargin=self.margins.right * mm,
            topMargin=self.margins.top * mm,
            bottomMargin=self.margins.bottom * mm,
            title=self.title,
            author="DanhGia",
            creator="DanhGia",
            initialFontName=SERIF,
            initialFontSize=13,
        )
        doc.build(story, onFirstPage=self._decorate, onLaterPages=self._decorate)
        return buffer.getvalue()

    def _decorate(self, canvas: Canvas, doc: SimpleDocTemplate) -> None:
        canvas.saveState()
        page = canvas.getPageNumber()
        if page > 1:
            canvas.setFont(SERIF, 12)
            canvas.drawCentredString(PAGE_WIDTH / 2, PAGE_HEIGHT - 12 * mm, str(page))
        canvas.setFont(SERIF_ITALIC, 8)
        canvas.setFillGray(0.35)
        canvas.drawString(
            self.margins.left * mm,
            9 * mm,
            f"Mã đối chiếu {self.fingerprint} · lập bằng DanhGia",
        )
        canvas.restoreState()
