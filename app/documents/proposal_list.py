"""Danh sách đề nghị xếp loại: the cell's proposal to the commune, every stage
side by side — self-assessed level, the vote, the cell's proposal and, once decided, the
commune's decision — with a note per member and the cell's own row."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from app.documents.blocks import heading_block, sign_off, signatures, title_block
from app.documents.data import LevelColumn, ProposalListData, ProposalRow
from app.documents.layout import PartyDocument
from app.documents.parts import counts_sentence, level_label
from app.documents.styles import BODY, CELL, NOTE, SECTION, table_heading, text
from app.documents.tables import data_table, level_legend
from app.domain.fingerprint import fingerprint
from app.domain.formatting import format_int

TITLE = "Danh sách đề nghị"


def _with_decision(data: ProposalListData) -> bool:
    if data.show_decision is not None:
        return data.show_decision
    rows = [*data.members, *([data.collective] if data.collective else [])]
    return any(row.decided for row in rows)


def _name_cell(row: ProposalRow) -> object:
    if not row.post:
        return row.name
    return Paragraph(f"{text(row.name)}<br/><font size='9.5'><i>{text(row.post)}</i></font>", CELL)


def _table(
    rows: Sequence[ProposalRow],
    levels: Sequence[LevelColumn],
    width: float,
    *,
    decision: bool,
    subject: str,
) -> Flowable:
    level_width = 17.5 * mm  # "HTXSNV" at 10.5 pt
    header = ["STT", subject, "Tự xếp loại", "Kết quả biểu quyết", "Chi bộ đề nghị"]
    widths = [9 * mm, 0.0, level_width, 27.5 * mm, level_width]  # "100/140 (71,4%)"
    if decision:
        header.append("Đảng ủy quyết định")
        widths.append(level_width)
    header.append("Ghi chú")
    widths.append(30 * mm if decision else 40 * mm)
    widths[1] = width - sum(widths)
    body = []
    for index, row in enumerate(rows, start=1):
        cells: list[object] = [
            index,
            _name_cell(row),
            level_label(levels, row.self_level),
            row.vote_result,
            level_label(levels, row.proposed),
        ]
        if decision:
            cells.append(level_label(levels, row.decided))
        cells.append(row.note)
        body.append(cells)
    align = "CLCCC" + ("C" if decision else "") + "L"
    return data_table(header, body, widths, align=align, size=10.5)


def render_proposal_list(data: ProposalListData) -> bytes:
    doc = PartyDocument(
        f"{TITLE} xếp loại chất lượng năm {data.year} – {data.cell}", fingerprint(data)
    )
    decision = _with_decision(data)
    collective_levels = data.collective_levels or data.member_levels
    story: list[Flowable] = [
        heading_block(data.heading, doc.width, kind="DS"),
        *title_block(
            TITLE,
            f"Xếp loại chất lượng đảng viên và tập thể chi bộ năm {data.year}",
        ),
    ]
    if data.addressee:
        story.append(Paragraph(f"<i>{text(data.addressee)}</i>", NOTE))
    story.append(
        Paragraph(
            f"Căn cứ kết quả kiểm điểm, đánh giá và biểu quyết tại hội nghị chi bộ, "
            f"{text(data.cell)} đề nghị xem xét, công nhận mức xếp loại chất lượng năm "
            f"{data.year} như sau:",
            BODY,
        )
    )
    if data.members:
        story += table_heading("I. ĐẢNG VIÊN")
        story.append(
            _table(
                data.members,
                data.member_levels,
                doc.width,
                decision=decision,
                subject="Họ và tên, chức vụ",
            )
        )
        proposed = [row.proposed for row in data.members]
        story.append(Spacer(1, 4))
        story.append(
            Paragraph(
                f"Tổng số: {format_int(len(data.members))} đồng chí; chi bộ đề nghị: "
                f"{text(counts_sentence(proposed, data.member_levels, 'đồng chí'))}.",
                BODY,
            )
        )
    closing: list[Flowable] = []
    if data.collective is not None:
        number = "II. " if data.members else ""
        closing += [
            Paragraph(f"{number}TẬP THỂ CHI BỘ", SECTION),
            _table(
                [data.collective],
                collective_levels,
                doc.width,
                decision=decision,
                subject="Tổ chức đảng",
            ),
        ]
    legend = level_legend(data.member_levels, collective_levels if data.collective else ())
    if legend is not None:
        closing.append(legend)
    if closing:
        # The cell's own row and the legend stay with the signature.
        story.append(KeepTogether(closing))
    sign_off(story, signatures(doc.width, right=data.signer, recipients=data.recipients))
    return doc.build(story)
