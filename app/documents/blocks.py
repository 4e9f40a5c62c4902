"""The fixed blocks of a party document: the heading in two halves, the number and the
place-and-date line, the title, the signatures (whose names line up) and "Nơi nhận"."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    Flowable,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from app.documents import format as fmt
from app.documents.data import Heading, Signer
from app.documents.flowables import RuledText, ShortRule
from app.documents.fonts import (
    SERIF,
    SERIF_BOLD,
    SERIF_ITALIC,
)
from app.documents.heading_text import date_line, number_line
from app.documents.styles import NOTE, SIGNING_ROOM, SUBTITLE, TITLE, pdf_style, text
from app.domain.text import nfc

_HEAD_LEFT = pdf_style(fmt.HEAD_LEFT)
_HEAD_LEFT_BOLD = pdf_style(fmt.HEAD_LEFT_BOLD)
_HEAD_DATE = pdf_style(fmt.HEAD_DATE)
_FORM_CODE = pdf_style(fmt.FORM_CODE)
_SIGN = pdf_style(fmt.SIGN)
_SIGN_HINT = pdf_style(fmt.SIGN_HINT)
_RECIPIENT_LABEL = pdf_style(fmt.RECIPIENT_LABEL)
_RECIPIENT = pdf_style(fmt.RECIPIENT)


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
        RuledText("ĐẢNG CỘNG SẢN VIỆT NAM", SERIF_BOLD, fmt.HEAD_PARTY_SIZE),
        "",
        "",
        _one_line_date(heading, width * 0.55),
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


def _one_line_date(heading: Heading, width: float) -> Paragraph:
    """The place-and-date line on one line, as HD 36 sets it: with a long place name the
    blanks of a date to write in get shorter, then the size smaller, rather than wrap "20……"
    onto a line of its own."""
    line = date_line(heading.place, heading.date)
    if stringWidth(nfc(line), SERIF_ITALIC, 14) > width - 2:
        line = date_line(heading.place, heading.date, gap="…")
    size = 14.0
    while size > 10 and stringWidth(nfc(line), SERIF_ITALIC, size) > width - 2:
        size -= 0.5
    fitted = _HEAD_DATE if size == 14 else _HEAD_DATE.clone(f"head-date-{size}", fontSize=size)
    return Paragraph(text(line), fitted)


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
