"""Pieces several documents share: level labels and boxes, a level signed for the cell or a
superior, the score table, vote cells."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from app.documents.data import LevelColumn, ScoreGroup, Signer, VoteRow
from app.documents.format import BODY, BODY_PLAIN, CELL, CELL_CENTER, SMALL_NOTE
from app.documents.model import (
    BREAK,
    Block,
    CheckBoxes,
    GroupRow,
    KeepTogether,
    Paragraph,
    Run,
    Signatures,
    Table,
    WritingLines,
    mm,
    para,
    paragraphs,
    rich,
    table,
)
from app.domain.formatting import format_date_long, format_decimal, format_int, format_percent
from app.domain.text import nfc

BLANK_DATE = "Ngày …… tháng …… năm ……"
SIGN_ROOM = 18 * mm  # room to sign under a level given for the cell or a superior


def level_label(levels: Sequence[LevelColumn], code: str | None, *, full: bool = False) -> str:
    """The short (or full) name of the level *code*; "" for None; an unknown code as is."""
    if not code:
        return ""
    for level in levels:
        if level.code == code:
            return level.name if full else level.short
    return code


def level_boxes(levels: Sequence[LevelColumn], ticked: str | None) -> CheckBoxes:
    """One box per level (full names), the chosen one ticked."""
    chosen = [i for i, level in enumerate(levels) if ticked is not None and level.code == ticked]
    return CheckBoxes(tuple(level.name for level in levels), tuple(chosen), columns=2)


def signed_level(
    label: str, levels: Sequence[LevelColumn], ticked: str | None, signer: Signer
) -> tuple[Block, Block, Block]:
    """A level given to the member by someone else (the cell, a superior, the competent
    committee): *label*, a box per level with *ticked* ticked, and *signer*'s signature under a
    blank date with room to sign. The caller keeps the three on one page."""
    return (
        para(label, BODY_PLAIN),
        level_boxes(levels, ticked),
        Signatures(right=signer, dated=BLANK_DATE, room=SIGN_ROOM),
    )


def text_or_lines(value: str, lines: int = 3) -> list[Block]:
    """The given text as paragraphs, or dotted lines to write on."""
    found: list[Block] = list(paragraphs(value, BODY))
    return found if found else [WritingLines(lines)]


def format_points(value: float | None) -> str:
    return "" if value is None else format_decimal(value, 2)


def score_table(groups: Sequence[ScoreGroup], width: float) -> Table:
    """Nhóm tiêu chí | Điểm tối đa | Điểm tự chấm, with the total; blanks where not scored."""
    rows: list[list[object]] = [
        [f"{group.code}. {group.name}", format_points(group.maximum), format_points(group.points)]
        for group in groups
    ]
    points = [group.points for group in groups]
    total = None if any(p is None for p in points) else sum(p or 0 for p in points)
    rows.append(
        ["Tổng cộng", format_points(sum(group.maximum for group in groups)), format_points(total)]
    )
    return table(
        ["Nhóm tiêu chí", "Điểm tối đa", "Điểm tự chấm"],
        rows,
        [width - 60 * mm, 28 * mm, 32 * mm],
        align="LCC",
        size=12,
        bold_rows=[len(rows) - 1],
        min_row_height=7 * mm,
    )


def item_score_table(groups: Sequence[ScoreGroup], width: float) -> Table:
    """Tiêu chí | Điểm tối đa | Điểm tự chấm: every item of the sheet under its group's
    caption, each group's subtotal and the total in bold; blanks where not scored, with room
    to write the points in by hand."""
    rows: list[list[object] | GroupRow] = []
    bold: list[int] = []
    for group in groups:
        rows.append(GroupRow(f"{group.code}. {group.name}"))
        rows += [
            [f"{item.code} {item.name}", format_points(item.maximum), format_points(item.points)]
            for item in group.items
        ]
        bold.append(len(rows))
        rows.append(
            [f"Cộng {group.code}", format_points(group.maximum), format_points(group.points)]
        )
    points = [group.points for group in groups]
    total = None if any(p is None for p in points) else sum(p or 0 for p in points)
    bold.append(len(rows))
    rows.append(
        ["Tổng cộng", format_points(sum(group.maximum for group in groups)), format_points(total)]
    )
    return table(
        ["Tiêu chí", "Điểm tối đa", "Điểm tự chấm"],
        rows,
        [width - 60 * mm, 28 * mm, 32 * mm],
        align="LCC",
        bold_rows=bold,
        min_row_height=7 * mm,
    )


def vote_cell(count: int | None, denominator: int | None) -> Paragraph | str:
    """ "6" over "(66,7%)" — the share of the official members entitled to vote."""
    if count is None:
        return ""
    if not denominator:
        return para(format_int(count), CELL_CENTER)
    share = format_percent(count, denominator)
    return rich(CELL_CENTER, format_int(count), BREAK, Run(f"({share})", size=9))


def vote_cells(row: VoteRow, levels: Sequence[LevelColumn], denominator: int | None) -> list:
    votes = list(row.votes) + [None] * (len(levels) - len(row.votes))
    return [vote_cell(v, denominator) for v in votes[: len(levels)]]


def format_time(value: dt.time | None) -> str:
    """ "14 giờ 00 phút"; blanks to write in when unknown."""
    if value is None:
        return "…… giờ …… phút"
    return f"{value.hour:02d} giờ {value.minute:02d} phút"


def format_day(value: dt.date | None) -> str:
    return "ngày …… tháng …… năm ……" if value is None else format_date_long(value)


def count_levels(codes: Sequence[str | None], levels: Sequence[LevelColumn]) -> list[int]:
    """How many of *codes* fall on each level, in the order of *levels*."""
    return [sum(1 for c in codes if c == level.code) for level in levels]


def counts_sentence(
    codes: Sequence[str | None], levels: Sequence[LevelColumn], unit: str, *, shares: bool = True
) -> str:
    """ "Hoàn thành xuất sắc nhiệm vụ: 2 đồng chí (16,7%); Hoàn thành tốt nhiệm vụ: …" """
    counted = [c for c in codes if c]
    whole = len(counted)
    parts = []
    for level, n in zip(levels, count_levels(counted, levels), strict=True):
        share = f" ({format_percent(n, whole)})" if shares and whole else ""
        parts.append(f"{level.name}: {format_int(n)} {unit}{share}")
    return "; ".join(parts)


def votes_table(
    rows: Sequence[VoteRow],
    levels: Sequence[LevelColumn],
    denominator: int | None,
    width: float,
    *,
    subject: str = "Họ và tên",
    proposal_header: str = "Chi bộ đề xuất xếp loại",
) -> Table:
    """STT | name | one column of votes (and share) per level | proposed level."""
    level_width = 18 * mm if len(levels) <= 4 else max(13 * mm, 76 * mm / len(levels))
    proposal_width = 24 * mm
    name_width = width - 9 * mm - level_width * len(levels) - proposal_width
    widths = [9 * mm, name_width, *[level_width] * len(levels), proposal_width]
    span_label = "Số phiếu theo từng mức (tỷ lệ so với số đảng viên được biểu quyết)"
    extra = [["STT", subject, span_label, *[""] * (len(levels) - 1), proposal_header]]
    last = 2 + len(levels)
    spans = [
        ((0, 0), (0, 1)),
        ((1, 0), (1, 1)),
        ((2, 0), (last - 1, 0)),
        ((last, 0), (last, 1)),
    ]
    body = []
    for index, row in enumerate(rows, start=1):
        name: object = row.name
        if row.post:
            name = name_with_post(row.name, row.post)
        body.append(
            [index, name, *vote_cells(row, levels, denominator), level_label(levels, row.proposed)]
        )
    return table(
        ["", "", *[level.short for level in levels], ""],
        body,
        widths,
        align="CL" + "C" * len(levels) + "C",
        extra_header=extra,
        spans=spans,
    )


def name_with_post(name: str, post: str) -> Paragraph:
    """A name with the post beneath it, smaller and in italics."""
    return rich(CELL, name, BREAK, Run(post, italic=True, size=9.5))


def proposal_notes(rows: Sequence[VoteRow]) -> list[Block]:
    """Under a votes table: each subject whose proposed level is not the one its votes give,
    and why, so that the minutes never show a proposal the printed counts do not explain."""
    noted = [row for row in rows if row.note]
    if not noted:
        return []
    items = [para(f"- {row.name}: {row.note}.", BODY) for row in noted]
    # The heading never stands alone at the foot of a page.
    heading = para("Mức đề xuất khác với kết quả biểu quyết:", BODY)
    return [KeepTogether((heading, items[0])), *items[1:]]


def level_legend(*groups: Sequence[LevelColumn]) -> Paragraph | None:
    """ "Ghi chú: HTXSNV – Hoàn thành xuất sắc nhiệm vụ; …" for the codes used in tables."""
    seen: dict[str, str] = {}
    for levels in groups:
        for level in levels:
            if level.short != level.name:
                seen.setdefault(nfc(level.short), nfc(level.name))
    if not seen:
        return None
    items = "; ".join(f"{short} – {name}" for short, name in seen.items())
    return rich(SMALL_NOTE, Run("Ghi chú:", italic=True), f" {items}.")
