"""Báo cáo kiểm điểm tập thể, Mẫu 01: the cell's figures, sections 1–6 with
the texts given (or lines to write on), the self-assessed level and the score table."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from app.documents.blocks import form_code, heading_block, sign_off, signatures, title_block
from app.documents.data import CollectiveReportData
from app.documents.layout import PartyDocument
from app.documents.parts import level_boxes, score_table, text_or_lines
from app.documents.styles import BODY, BODY_PLAIN, SECTION, SUBSECTION, section, text
from app.domain.fingerprint import fingerprint
from app.domain.formatting import format_int

TITLE = "Báo cáo kiểm điểm tập thể"


def _figures(data: CollectiveReportData) -> list[Flowable]:
    c = data.counts
    lines = [
        f"Tổng số đảng viên: {format_int(c.total)} đồng chí "
        f"(chính thức: {format_int(c.official)}; dự bị: {format_int(c.probationary)}).",
        f"Số đảng viên được miễn công tác và sinh hoạt đảng: {format_int(c.exempt)} đồng chí.",
    ]
    if c.evaluated is not None:
        lines.append(
            f"Số đảng viên thuộc diện đánh giá, xếp loại chất lượng: {format_int(c.evaluated)} "
            "đồng chí."
        )
    return [Paragraph(f"- {text(line)}", BODY) for line in lines]


def _self_assessment(data: CollectiveReportData, width: float) -> list[Flowable]:
    story: list[Flowable] = [
        Paragraph("6. Tự đánh giá, xếp loại chất lượng", SECTION),
        Paragraph(
            f"{text(data.collective)} tự đánh giá, xếp loại chất lượng năm {data.year} ở mức:",
            BODY_PLAIN,
        ),
        level_boxes(data.levels, data.self_level),
    ]
    if data.scores:
        story += [
            Spacer(1, 4),
            Paragraph("Tự chấm điểm theo khung tiêu chí:", BODY_PLAIN),
            score_table(data.scores, width),
        ]
    return [KeepTogether(story)]


def render_collective_report(data: CollectiveReportData) -> bytes:
    doc = PartyDocument(
        f"{TITLE} {data.collective} năm {data.year}", fingerprint(data), draft=data.draft
    )
    t = data.texts
    story: list[Flowable] = [
        form_code(data.form_code),
        heading_block(data.heading, doc.width, kind="BC"),
        *title_block(TITLE, f"{data.collective} năm {data.year}"),
        *section("1. Đặc điểm tình hình"),
        *_figures(data),
        *text_or_lines(t.situation, 2),
        *section("2. Kết quả thực hiện nhiệm vụ", room=40 * mm),
        *section("a) Công tác xây dựng Đảng, xây dựng hệ thống chính trị", SUBSECTION),
        *text_or_lines(t.party_building, 4),
        *section("b) Lãnh đạo thực hiện nhiệm vụ chính trị của địa phương, đơn vị", SUBSECTION),
        *text_or_lines(t.political_tasks, 4),
        *section(
            "c) Thực hiện nguyên tắc tập trung dân chủ, tự phê bình và phê bình; "
            "chế độ sinh hoạt đảng",
            SUBSECTION,
        ),
        *text_or_lines(t.democratic_centralism, 3),
        *section("d) Công tác dân vận", SUBSECTION),
        *text_or_lines(t.mass_mobilisation, 3),
        *section("3. Kết quả khắc phục hạn chế, khuyết điểm đã được chỉ ra ở kỳ kiểm điểm trước"),
        *text_or_lines(t.remedies, 3),
        *section("4. Hạn chế, khuyết điểm và nguyên nhân; trách nhiệm của tập thể, cá nhân"),
        *text_or_lines(t.shortcomings, 4),
        *section("5. Phương hướng, biện pháp khắc phục hạn chế, khuyết điểm"),
        *text_or_lines(t.direction, 4),
        *_self_assessment(data, doc.width),
    ]
    sign_off(story, signatures(doc.width, right=data.signer, recipients=data.recipients))
    return doc.build(story)
