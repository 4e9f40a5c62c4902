"""Phiếu đánh giá, xếp loại chất lượng: one copy per voter, each copy on new
pages; the roster of the cell with one box per level, and a section for the cell itself.
No voter's name, no signature."""

from __future__ import annotations

from collections.abc import Iterable

from app.documents.data import BallotData, BallotEntry, LevelColumn
from app.documents.format import SECTION, SMALL_NOTE, TABLE_HEADING_ROOM
from app.documents.model import (
    A4_MARGINS,
    Block,
    Document,
    HeadingBlock,
    KeepTogether,
    Run,
    Spacer,
    Table,
    Title,
    document,
    mm,
    para,
    rich,
    section,
    table,
)
from app.documents.render_pdf import render_pdf
from app.domain.collation import roster_key
from app.domain.fingerprint import fingerprint

TITLE = "Phiếu đánh giá, xếp loại chất lượng"


def sort_roster(entries: Iterable[BallotEntry]) -> tuple[BallotEntry, ...]:
    """Office-holders first (bí thư, phó bí thư, chi ủy viên), then Vietnamese name order."""
    return tuple(sorted(entries, key=lambda entry: roster_key(entry.post, entry.name)))


def _level_widths(levels: tuple[LevelColumn, ...], width: float) -> list[float]:
    each = min(20 * mm, max(15 * mm, (width * 0.45) / max(1, len(levels))))
    return [each] * len(levels)


def _members_table(data: BallotData, width: float) -> Table:
    level_widths = _level_widths(data.member_levels, width)
    rest = width - 10 * mm - sum(level_widths)
    widths = [10 * mm, rest * 0.62, rest * 0.38, *level_widths]
    rows = [
        [index, entry.name, entry.post, *[""] * len(data.member_levels)]
        for index, entry in enumerate(data.members, start=1)
    ]
    header = ["STT", "Họ và tên", "Chức vụ", *[level.name for level in data.member_levels]]
    return table(
        header,
        rows,
        widths,
        align="CLL" + "C" * len(level_widths),
        size=11.5,
        min_row_height=7.5 * mm,
    )


def _collective_table(data: BallotData, width: float) -> Table:
    level_widths = _level_widths(data.collective_levels, width)
    rest = width - 10 * mm - sum(level_widths)
    header = ["STT", "Tổ chức đảng", *[level.name for level in data.collective_levels]]
    names = [data.collective, *([data.leadership] if data.leadership else [])]
    rows = [[i, name, *[""] * len(data.collective_levels)] for i, name in enumerate(names, 1)]
    return table(
        header,
        rows,
        [10 * mm, rest, *level_widths],
        align="CL" + "C" * len(level_widths),
        size=11.5,
        min_row_height=9 * mm,
    )


def _title(data: BallotData) -> str:
    whom = "đảng viên và tập thể chi bộ" if data.collective else "đảng viên"
    return f"{TITLE}\n{whom} năm {data.year}"


def _one_copy(data: BallotData, width: float) -> list[Block]:
    blocks: list[Block] = [
        HeadingBlock(data.heading, numbered=False),
        Title(_title(data), note=f"({data.instruction})" if data.instruction else ""),
    ]
    with_collective = bool(data.collective and data.collective_levels)
    if data.members:
        if with_collective:
            blocks += section(
                "I. ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG ĐẢNG VIÊN", SECTION, TABLE_HEADING_ROOM
            )
        blocks.append(_members_table(data, width))
    if with_collective:
        number = "II. " if data.members else ""
        whom = "TẬP THỂ CHI BỘ, CHI ỦY" if data.leadership else "TẬP THỂ CHI BỘ"
        blocks += section(
            f"{number}ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG {whom}", SECTION, TABLE_HEADING_ROOM
        )
        blocks.append(_collective_table(data, width))
    if data.notes:
        # The notes stay together: their heading never stands alone at the foot of a page.
        notes = [rich(SMALL_NOTE, Run("Ghi chú:", bold=True, italic=True))]
        notes += [para(f"- {note}", SMALL_NOTE) for note in data.notes]
        blocks += [Spacer(6), KeepTogether(tuple(notes))]
    return blocks


def ballot_document(data: BallotData) -> Document:
    """All copies: each starts on a new page, numbered from its own page 1."""
    if data.copies < 1:
        raise ValueError("Số phiếu cần in phải từ 1 trở lên.")
    title = _title(data)
    blocks = _one_copy(data, A4_MARGINS.text_width)
    return document(title.replace("\n", " "), fingerprint(data), blocks, copies=data.copies)


def render_ballot(data: BallotData) -> bytes:
    return render_pdf(ballot_document(data))
