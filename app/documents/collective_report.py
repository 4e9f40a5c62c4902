"""Báo cáo kiểm điểm tập thể, Mẫu 01: the cell's figures, sections 1–6 with
the texts given (or lines to write on), the self-assessed level and the score table."""

from __future__ import annotations

from app.documents.data import CollectiveReportData
from app.documents.format import BODY, BODY_PLAIN, SECTION, SUBSECTION
from app.documents.model import (
    A4_MARGINS,
    Block,
    Document,
    FormCode,
    HeadingBlock,
    KeepTogether,
    Signatures,
    Spacer,
    Title,
    document,
    keep_with_last,
    mm,
    para,
    section,
)
from app.documents.parts import level_boxes, score_table, text_or_lines
from app.documents.render_pdf import render_pdf
from app.domain.fingerprint import fingerprint
from app.domain.formatting import format_int

TITLE = "Báo cáo kiểm điểm tập thể"


def _figures(data: CollectiveReportData) -> list[Block]:
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
    return [para(f"- {line}", BODY) for line in lines]


def _self_assessment(data: CollectiveReportData, width: float) -> list[Block]:
    blocks: list[Block] = [
        para("6. Tự đánh giá, xếp loại chất lượng", SECTION),
        para(
            f"{data.collective} tự đánh giá, xếp loại chất lượng năm {data.year} ở mức:",
            BODY_PLAIN,
        ),
        level_boxes(data.levels, data.self_level),
    ]
    if data.scores:
        blocks += [
            Spacer(4),
            para("Tự chấm điểm theo khung tiêu chí:", BODY_PLAIN),
            score_table(data.scores, width),
        ]
    return [KeepTogether(tuple(blocks))]


def collective_report_document(data: CollectiveReportData) -> Document:
    t = data.texts
    blocks: list[Block] = [
        FormCode(data.form_code),
        HeadingBlock(data.heading, kind="BC"),
        Title(TITLE, (f"{data.collective} năm {data.year}",)),
        *section("1. Đặc điểm tình hình", SECTION),
        *_figures(data),
        *text_or_lines(t.situation, 2),
        *section("2. Kết quả thực hiện nhiệm vụ", SECTION, 40 * mm),
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
        *section(
            "3. Kết quả khắc phục hạn chế, khuyết điểm đã được chỉ ra ở kỳ kiểm điểm trước",
            SECTION,
        ),
        *text_or_lines(t.remedies, 3),
        *section(
            "4. Hạn chế, khuyết điểm và nguyên nhân; trách nhiệm của tập thể, cá nhân", SECTION
        ),
        *text_or_lines(t.shortcomings, 4),
        *section("5. Phương hướng, biện pháp khắc phục hạn chế, khuyết điểm", SECTION),
        *text_or_lines(t.direction, 4),
        *_self_assessment(data, A4_MARGINS.text_width),
    ]
    keep_with_last(blocks, Signatures(right=data.signer, recipients=tuple(data.recipients)))
    return document(
        f"{TITLE} {data.collective} năm {data.year}", fingerprint(data), blocks, draft=data.draft
    )


def render_collective_report(data: CollectiveReportData) -> bytes:
    return render_pdf(collective_report_document(data))
