"""Phiếu đánh giá, xếp loại chất lượng: one copy per voter, each copy on new
pages; the roster of the cell with one box per level, and a section for the cell itself.
No voter's name, no signature."""

from __future__ import annotations

from collections.abc import Iterable
from io import BytesIO

from pypdf import PdfReader, PdfWriter
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from app.documents.blocks import heading_block, title_block
from app.documents.data import BallotData, BallotEntry, LevelColumn
from app.documents.layout import PartyDocument, page_limit
from app.documents.styles import SMALL_NOTE, table_heading, text
from app.documents.tables import data_table
from app.domain.collation import roster_key
from app.domain.fingerprint import fingerprint

TITLE = "Phiếu đánh giá, xếp loại chất lượng"


def sort_roster(entries: Iterable[BallotEntry]) -> tuple[BallotEntry, ...]:
    """Office-holders first (bí thư, phó bí thư, chi ủy viên), then Vietnamese name order."""
    return tuple(sorted(entries, key=lambda entry: roster_key(entry.post, entry.name)))


def _level_widths(levels: tuple[LevelColumn, ...], width: float) -> list[float]:
    each = min(20 * mm, max(15 * mm, (width * 0.45) / max(1, len(levels))))
    return [each] * len(levels)


def _members_table(data: BallotData, width: float) -> Flowable:
    level_widths = _level_widths(data.member_levels, width)
    rest = width - 10 * mm - sum(level_widths)
    widths = [10 * mm, rest * 0.62, rest * 0.38, *level_widths]
    rows = [
        [index, entry.name, entry.post, *[""] * len(data.member_levels)]
        for index, entry in enumerate(data.members, start=1)
    ]
    header = ["STT", "Họ và tên", "Chức vụ", *[level.name for level in data.member_levels]]
    return data_table(
        header,
        rows,
        widths,
        align="CLL" + "C" * len(level_widths),
        size=11.5,
        min_row_height=7.5 * mm,
    )


def _collective_table(data: BallotData, width: float) -> Flowable:
    level_widths = _level_widths(data.collective_levels, width)
    rest = width - 10 * mm - sum(level_widths)
    header = ["STT", "Tổ chức đảng", *[level.name for level in data.collective_levels]]
    names = [data.collective, *([data.leadership] if data.leadership else [])]
    rows = [[i, name, *[""] * len(data.collective_levels)] for i, name in enumerate(names, 1)]
    return data_table(
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


def _one_copy(data: BallotData, doc: PartyDocument) -> list[Flowable]:
    story: list[Flowable] = [
        heading_block(data.heading, doc.width, numbered=False),
        *title_block(_title(data), note=f"({data.instruction})" if data.instruction else ""),
    ]
    with_collective = bool(data.collective and data.collective_levels)
    if data.members:
        if with_collective:
            story += table_heading("I. ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG ĐẢNG VIÊN")
        story.append(_members_table(data, doc.width))
    if with_collective:
        number = "II. " if data.members else ""
        whom = "TẬP THỂ CHI BỘ, CHI ỦY" if data.leadership else "TẬP THỂ CHI BỘ"
        story += table_heading(f"{number}ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG {whom}")
        story.append(_collective_table(data, doc.width))
    if data.notes:
        # The notes stay together: their heading never stands alone at the foot of a page.
        notes = [Paragraph("<b><i>Ghi chú:</i></b>", SMALL_NOTE)]
        notes += [Paragraph(f"- {text(note)}", SMALL_NOTE) for note in data.notes]
        story += [Spacer(1, 6), KeepTogether(notes)]
    return story


def render_ballot(data: BallotData) -> bytes:
    """All copies in one PDF; each copy starts on a new page, numbered from its own page 1."""
    if data.copies < 1:
        raise ValueError("Số phiếu cần in phải từ 1 trở lên.")
    doc = PartyDocument(_title(data).replace("\n", " "), fingerprint(data))
    one = doc.build(_one_copy(data, doc))
    if data.copies == 1 or page_limit() == 1:
        return one  # page 1 alone (the preview's first look) is the first copy's
    return _repeat_pages(one, data.copies)


def _repeat_pages(pdf: bytes, copies: int) -> bytes:
    """*pdf*'s pages *copies* times over. The copies are the same to the last dot (no voter's
    name, numbered from 1 each), so one is laid out and its pages are repeated, sharing their
    content: a tenth of the time and of the file of laying out every copy."""
    reader = PdfReader(BytesIO(pdf))
    writer = PdfWriter()
    for _copy in range(copies):
        for page in reader.pages:
            writer.add_page(page)
    if reader.metadata is not None:
        writer.add_metadata(reader.metadata)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()
