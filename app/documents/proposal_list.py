"""Danh sách đề nghị xếp loại: the cell's proposal to the commune, every stage the cell
went through side by side — self-assessed level, the vote, the cell's proposal — with a note
per member and the cell's own row. The commune's decision is not on it: the list is signed
before anyone decides, and a reprint after the decision must still say what was proposed."""

from __future__ import annotations

from collections.abc import Sequence

from app.documents.data import LevelColumn, ProposalListData, ProposalRow
from app.documents.format import BODY, NOTE, SECTION, TABLE_HEADING_ROOM
from app.documents.model import (
    A4_MARGINS,
    Block,
    Document,
    HeadingBlock,
    KeepTogether,
    Signatures,
    Spacer,
    Table,
    Title,
    document,
    keep_with_last,
    mm,
    para,
    section,
    table,
)
from app.documents.parts import counts_sentence, level_label, level_legend, name_with_post
from app.documents.render_pdf import render_pdf
from app.domain.fingerprint import fingerprint
from app.domain.formatting import format_int

TITLE = "Danh sách đề nghị"


def _name_cell(row: ProposalRow) -> object:
    if not row.post:
        return row.name
    return name_with_post(row.name, row.post)


def _table(
    rows: Sequence[ProposalRow],
    levels: Sequence[LevelColumn],
    width: float,
    *,
    subject: str,
) -> Table:
    level_width = 17.5 * mm  # "HTXSNV" at 10.5 pt
    header = ["STT", subject, "Tự xếp loại", "Kết quả biểu quyết", "Chi bộ đề nghị", "Ghi chú"]
    widths = [9 * mm, 0.0, level_width, 27.5 * mm, level_width, 40 * mm]  # "100/140 (71,4%)"
    widths[1] = width - sum(widths)
    body = []
    for index, row in enumerate(rows, start=1):
        cells: list[object] = [
            index,
            _name_cell(row),
            level_label(levels, row.self_level),
            row.vote_result,
            level_label(levels, row.proposed),
            row.note,
        ]
        body.append(cells)
    return table(header, body, widths, align="CLCCCL", size=10.5)


def proposal_list_document(data: ProposalListData) -> Document:
    width = A4_MARGINS.text_width
    collective_levels = data.collective_levels or data.member_levels
    blocks: list[Block] = [
        HeadingBlock(data.heading, kind="DS"),
        Title(TITLE, (f"Xếp loại chất lượng đảng viên và tập thể chi bộ năm {data.year}",)),
    ]
    if data.addressee:
        blocks.append(para(data.addressee, NOTE, italic=True))
    blocks.append(
        para(
            f"Căn cứ kết quả kiểm điểm, đánh giá và biểu quyết tại hội nghị chi bộ, "
            f"{data.cell} đề nghị xem xét, công nhận mức xếp loại chất lượng năm "
            f"{data.year} như sau:",
            BODY,
        )
    )
    if data.members:
        blocks += section("I. ĐẢNG VIÊN", SECTION, TABLE_HEADING_ROOM)
        blocks.append(_table(data.members, data.member_levels, width, subject="Họ và tên, chức vụ"))
        proposed = [row.proposed for row in data.members]
        blocks.append(Spacer(4))
        blocks.append(
            para(
                f"Tổng số: {format_int(len(data.members))} đồng chí; chi bộ đề nghị: "
                f"{counts_sentence(proposed, data.member_levels, 'đồng chí')}.",
                BODY,
            )
        )
    closing: list[Block] = []
    organisations = [row for row in (data.collective, data.leadership) if row is not None]
    if organisations:
        number = "II. " if data.members else ""
        whom = "TẬP THỂ CHI BỘ, CHI ỦY" if data.leadership else "TẬP THỂ CHI BỘ"
        closing += [
            para(f"{number}{whom}", SECTION),
            _table(organisations, collective_levels, width, subject="Tổ chức đảng"),
        ]
    legend = level_legend(data.member_levels, collective_levels if organisations else ())
    if legend is not None:
        closing.append(legend)
    if closing:
        # The cell's own row and the legend stay with the signature.
        blocks.append(KeepTogether(tuple(closing)))
    keep_with_last(blocks, Signatures(right=data.signer, recipients=data.recipients))
    return document(
        f"{TITLE} xếp loại chất lượng năm {data.year} – {data.cell}",
        fingerprint(data),
        blocks,
        draft=data.draft,
    )


def render_proposal_list(data: ProposalListData) -> bytes:
    return render_pdf(proposal_list_document(data))
