"""Tables of a party document: a data table whose columns fit the page (with group rows and
spanned headings) and the legend of the level columns."""

from __future__ import annotations

import math
from collections.abc import Sequence

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    Flowable,
    Paragraph,
    Table,
    TableStyle,
)

from app.documents.fonts import (
    SERIF,
    SERIF_BOLD,
)
from app.documents.model import GroupRow
from app.documents.styles import CELL, CELL_CENTER, CELL_HEAD, CELL_RIGHT, text
from app.domain.text import nfc

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
