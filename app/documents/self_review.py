"""Bản kiểm điểm cá nhân, Mẫu 2A / 2B / 2C, pre-filled with the member's data.

Sections I–VII; where the member has not written a section, dotted lines to write on. Section
III prints last year's recorded shortcomings with "Đã khắc phục? □ Đã khắc phục □ Chưa khắc
phục"; section VII has a box per level of the rule set and, when the rule set scores, the score
table: the two groups' totals, or, when the period scores by a criteria set, every item of the
member's sheet under its group with the subtotals and the total. The lower part carries the
cell's comments and the competent committee's decision.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.documents.data import SelfReviewData, Signer
from app.documents.format import BODY_ITALIC, BODY_PLAIN, SECTION, SUBSECTION
from app.documents.model import (
    A4_MARGINS,
    Block,
    CheckBoxes,
    CondPageBreak,
    Document,
    FieldLine,
    FormCode,
    HeadingBlock,
    KeepTogether,
    NewCopy,
    PageBreak,
    ShortRule,
    Signatures,
    Spacer,
    Title,
    document,
    keep_with_last,
    mm,
    para,
    section,
)
from app.documents.parts import (
    item_score_table,
    level_boxes,
    score_table,
    signed_level,
    text_or_lines,
)
from app.documents.render_pdf import render_pdf
from app.domain.fingerprint import fingerprint
from app.domain.formatting import format_date

TITLE = "Bản kiểm điểm cá nhân"

VARIANT_NOTES = {
    "2A": "(Dùng cho đảng viên làm việc trong hệ thống chính trị, không giữ chức vụ lãnh đạo, "
    "quản lý)",
    "2B": "(Dùng cho đảng viên giữ chức vụ lãnh đạo, quản lý)",
    "2C": "(Dùng cho đảng viên không làm việc trong hệ thống chính trị)",
}

_TASKS = {
    "2A": "Kết quả thực hiện chức trách, nhiệm vụ được giao",
    "2B": "Kết quả thực hiện chức trách, nhiệm vụ được giao",
    "2C": "Kết quả thực hiện nhiệm vụ đảng viên ở nơi cư trú (phát triển kinh tế gia đình; "
    "tham gia các phong trào, hoạt động ở địa phương; thực hiện nghĩa vụ công dân)",
}


def _check_variant(variant: str) -> str:
    if variant not in VARIANT_NOTES:
        raise ValueError(f"Không có mẫu bản kiểm điểm “{variant}” (chỉ có 2A, 2B, 2C).")
    return variant


def _field(label: str, value: str) -> Block:
    if value:
        return para(f"{label}: {value}", BODY_PLAIN)
    return FieldLine(f"{label}:")


def _personal(data: SelfReviewData) -> list[Block]:
    if data.birth_date is not None:
        birth = format_date(data.birth_date)
    elif data.birth_year is not None:
        birth = str(data.birth_year)
    else:
        birth = ""
    place_label = "Nơi cư trú" if data.variant == "2C" else "Đơn vị công tác"
    return [
        _field("Họ và tên", data.full_name),
        _field("Ngày sinh", birth),
        _field("Chức vụ Đảng", data.party_post),
        _field("Chức vụ chính quyền, đoàn thể", data.other_post),
        _field(place_label, data.workplace),
        _field("Chi bộ", data.cell),
        Spacer(4),
    ]


def _achievements(data: SelfReviewData) -> list[Block]:
    t = data.texts
    items: list[tuple[str, str, int]] = [
        ("Về tư tưởng chính trị", t.political, 3),
        ("Về phẩm chất đạo đức, lối sống; trách nhiệm nêu gương", t.ethics, 3),
        ("Về tác phong, lề lối làm việc; ý thức tổ chức kỷ luật", t.discipline, 3),
        (_TASKS[data.variant], t.tasks, 4),
    ]
    if data.variant == "2B":
        items.append(
            (
                "Kết quả lãnh đạo, chỉ đạo, quản lý, tổ chức thực hiện nhiệm vụ của địa phương, "
                "cơ quan, đơn vị được giao phụ trách",
                t.leadership,
                4,
            )
        )
    items.append(
        ("Kết quả thực hiện cam kết tu dưỡng, rèn luyện, phấn đấu hằng năm", t.commitments, 2)
    )
    blocks = section("I. ƯU ĐIỂM, KẾT QUẢ ĐẠT ĐƯỢC", SECTION, 40 * mm)
    for number, (title, value, lines) in enumerate(items, start=1):
        blocks += section(f"{number}. {title}", SUBSECTION)
        blocks += text_or_lines(value, lines)
    return blocks


def _remedies(data: SelfReviewData) -> list[Block]:
    blocks = section(
        "III. KẾT QUẢ KHẮC PHỤC HẠN CHẾ, KHUYẾT ĐIỂM ĐÃ ĐƯỢC CẤP CÓ THẨM QUYỀN KẾT LUẬN "
        "HOẶC ĐƯỢC CHỈ RA Ở CÁC KỲ KIỂM ĐIỂM TRƯỚC",
        SECTION,
        45 * mm,
    )
    if data.previous_shortcomings:
        blocks.append(para(f"Hạn chế, khuyết điểm được chỉ ra năm {data.year - 1}:", BODY_PLAIN))
        blocks += [
            para(line, BODY_ITALIC)
            for line in data.previous_shortcomings.splitlines()
            if line.strip()
        ]
        ticked = () if data.previous_remedied is None else (0 if data.previous_remedied else 1,)
        blocks.append(
            CheckBoxes(
                ("Đã khắc phục", "Chưa khắc phục"),
                ticked,
                prefix="Đã khắc phục?",
                size=14,
                indent=0,
            )
        )
        blocks.append(para("Kết quả khắc phục cụ thể:", BODY_PLAIN))
    blocks += text_or_lines(data.texts.remedies, 3)
    return blocks


def _self_level(data: SelfReviewData, width: float) -> list[Block]:
    blocks: list[Block] = [
        para("VII. TỰ NHẬN MỨC XẾP LOẠI CHẤT LƯỢNG", SECTION),
        para(f"Tự nhận mức xếp loại chất lượng năm {data.year}:", BODY_PLAIN),
        level_boxes(data.levels, data.self_level),
    ]
    if data.scores:
        blocks.append(Spacer(4))
        blocks.append(para("Tự chấm điểm theo khung tiêu chí:", BODY_PLAIN))
        itemised = any(group.items for group in data.scores)
        blocks.append((item_score_table if itemised else score_table)(data.scores, width))
    return [KeepTogether(tuple(blocks))]


def _lower_part(data: SelfReviewData, width: float) -> list[Block]:
    blocks: list[Block] = [
        Spacer(8),
        CondPageBreak(45 * mm),
        ShortRule(width, space=6),
        para("NHẬN XÉT, ĐÁNH GIÁ CỦA CHI ỦY (CHI BỘ)", SECTION),
        *text_or_lines(data.cell_comment, 5),
        KeepTogether(
            signed_level(
                "Chi bộ đề nghị xếp loại chất lượng:",
                data.levels,
                data.cell_level,
                data.cell_signer,
            )
        ),
        Spacer(8),
    ]
    committee = data.authority_name or "Cấp ủy có thẩm quyền"
    blocks.append(
        KeepTogether(
            (
                para("ĐÁNH GIÁ, XẾP LOẠI CỦA CẤP ỦY CÓ THẨM QUYỀN", SECTION),
                *signed_level(
                    f"{committee} xếp loại chất lượng:",
                    data.levels,
                    data.decided_level,
                    data.authority_signer,
                ),
            )
        )
    )
    return blocks


def self_review_document(data: SelfReviewData) -> Document:
    """One member's form."""
    blocks = _form(data, A4_MARGINS.text_width)
    return document(f"{TITLE} năm {data.year} – {data.full_name}", fingerprint(data), blocks)


def self_reviews_document(forms: Sequence[SelfReviewData]) -> Document:
    """Every member's form in one document: each form starts on a new page numbered as a first
    page, with its own code in the footer."""
    if not forms:
        raise ValueError("no self-review to render")
    width = A4_MARGINS.text_width
    blocks: list[Block] = []
    for index, data in enumerate(forms):
        if index:
            blocks += [PageBreak(), NewCopy(fingerprint(data))]
        blocks += _form(data, width)
    first = forms[0]
    return document(f"{TITLE} năm {first.year}", fingerprint(first), blocks)


def render_self_review(data: SelfReviewData) -> bytes:
    return render_pdf(self_review_document(data))


def render_self_reviews(forms: Sequence[SelfReviewData]) -> bytes:
    """Every member's form in one PDF: the pages of each form rendered alone, one after the
    other, each form starting on a new page numbered as a first page, with its own code in the
    footer. One build instead of one per member and a merge (a cell prints all its forms)."""
    return render_pdf(self_reviews_document(forms))


def _form(data: SelfReviewData, width: float) -> list[Block]:
    variant = _check_variant(data.variant)
    t = data.texts
    blocks: list[Block] = [
        FormCode(data.form_code),
        HeadingBlock(data.heading, numbered=False),
        Title(TITLE, (f"Năm {data.year}",), note=VARIANT_NOTES[variant]),
        *_personal(data),
        *_achievements(data),
        *section("II. HẠN CHẾ, KHUYẾT ĐIỂM VÀ NGUYÊN NHÂN", SECTION),
        *text_or_lines(t.shortcomings, 4),
        *_remedies(data),
        *section("IV. GIẢI TRÌNH CÁC VẤN ĐỀ ĐƯỢC GỢI Ý KIỂM ĐIỂM (NẾU CÓ)", SECTION),
        *text_or_lines(t.explanations, 2),
        *section(
            "V. LÀM RÕ TRÁCH NHIỆM CỦA CÁ NHÂN ĐỐI VỚI HẠN CHẾ, KHUYẾT ĐIỂM CỦA TẬP THỂ"
            + (" (NẾU CÓ)" if variant != "2B" else ""),
            SECTION,
        ),
        *text_or_lines(t.responsibility, 3 if variant == "2B" else 2),
        *section("VI. PHƯƠNG HƯỚNG, BIỆN PHÁP KHẮC PHỤC HẠN CHẾ, KHUYẾT ĐIỂM", SECTION),
        *text_or_lines(t.direction, 3),
        *_self_level(data, width),
    ]
    keep_with_last(blocks, Signatures(right=Signer("NGƯỜI TỰ KIỂM ĐIỂM", data.full_name)))
    blocks += _lower_part(data, width)
    return blocks
