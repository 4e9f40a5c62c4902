"""Danh sách đề nghị xếp loại: the cell's proposal to the commune, every stage the cell
went through side by side — self-assessed level, the vote, the cell's proposal — with a note
per member and the cell's own row. The commune's decision is not on it: the list is signed
before anyone decides, and a reprint after the decision must still say what was proposed."""

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


def _name_cell(row: ProposalRow) -> object:
    if not row.post:
        return row.name
    return Paragraph(f"{text(row.name)}<br/><font size='9.5'><i>{text(row.post)}</i></font>", CELL)


def _table(
    rows: Sequence[ProposalRow],
    levels: Sequence[LevelColumn],
    width: float,
    *,
    subject: str,
) -> Flowable:
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
    return data_table(header, body, widths, align="CLCCCL", size=10.5)


def render_proposal_list(data: ProposalListData) -> bytes:
    doc = PartyDocument(
        f"{TITLE} xếp loại chất lượng năm {data.year} – {data.cell}",
        fingerprint(data),
        draft=data.draft,
    )
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
    organisations = [row for row in (data.collective, data.leadership) if row is not None]
    if organisations:
        number = "II. " if data.members else ""
        whom = "TẬP THỂ CHI BỘ, CHI ỦY" if data.leadership else "TẬP THỂ CHI BỘ"
        closing += [
            Paragraph(f"{number}{whom}", SECTION),
            _table(
                organisations,
                collective_levels,
                doc.width,
                subject="Tổ chức đảng",
            ),
        ]
    legend = level_legend(data.member_levels, collective_levels if organisations else ())
    if legend is not None:
        closing.append(legend)
    if closing:
        # The cell's own row and the legend stay with the signature.
        story.append(KeepTogether(closing))
    sign_off(story, signatures(doc.width, right=data.signer, recipients=data.recipients))
    return doc.build(story)
