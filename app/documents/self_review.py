"""Bản kiểm điểm cá nhân, Mẫu 2A / 2B / 2C, pre-filled with the member's data.

Sections I–VII; where the member has not written a section, dotted lines to write on. Section
III prints last year's recorded shortcomings with "Đã khắc phục? □ Đã khắc phục □ Chưa khắc
phục"; section VII has a box per level of the rule set and, when the rule set scores, the score
table. The lower part carries the cell's comments and the competent committee's decision.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak, Paragraph, Spacer

from app.documents.blocks import form_code, heading_block, sign_off, signatures, title_block
from app.documents.data import SelfReviewData, Signer
from app.documents.flowables import CheckBoxes, FieldLine, ShortRule
from app.documents.layout import PartyDocument
from app.documents.parts import level_boxes, score_table, text_or_lines
from app.documents.styles import BODY_ITALIC, BODY_PLAIN, SECTION, SUBSECTION, section, text
from app.domain.fingerprint import fingerprint
from app.domain.formatting import format_date

TITLE = "Bản kiểm điểm cá nhân"
_BLANK_DATE = "Ngày …… tháng …… năm ……"
_LOWER_ROOM = 18 * mm  # room to sign in the lower part of the form

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


def _field(label: str, value: str) -> Flowable:
    if value:
        return Paragraph(f"{text(label)}: {text(value)}", BODY_PLAIN)
    return FieldLine(f"{label}:")


def _personal(data: SelfReviewData) -> list[Flowable]:
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
        Spacer(1, 4),
    ]


def _achievements(data: SelfReviewData) -> list[Flowable]:
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
    story: list[Flowable] = section("I. ƯU ĐIỂM, KẾT QUẢ ĐẠT ĐƯỢC", room=40 * mm)
    for number, (title, value, lines) in enumerate(items, start=1):
        story += section(f"{number}. {title}", SUBSECTION)
        story += text_or_lines(value, lines)
    return story


def _remedies(data: SelfReviewData) -> list[Flowable]:
    story: list[Flowable] = section(
        "III. KẾT QUẢ KHẮC PHỤC HẠN CHẾ, KHUYẾT ĐIỂM ĐÃ ĐƯỢC CẤP CÓ THẨM QUYỀN KẾT LUẬN "
        "HOẶC ĐƯỢC CHỈ RA Ở CÁC KỲ KIỂM ĐIỂM TRƯỚC",
        room=45 * mm,
    )
    if data.previous_shortcomings:
        story.append(
            Paragraph(f"Hạn chế, khuyết điểm được chỉ ra năm {data.year - 1}:", BODY_PLAIN)
        )
        story += [
            Paragraph(text(line), BODY_ITALIC)
            for line in data.previous_shortcomings.splitlines()
            if line.strip()
        ]
        ticked = [] if data.previous_remedied is None else [0 if data.previous_remedied else 1]
        story.append(
            CheckBoxes(
                ["Đã khắc phục", "Chưa khắc phục"],
                ticked,
                prefix="Đã khắc phục?",
                size=14,
                indent=0,
            )
        )
        story.append(Paragraph("Kết quả khắc phục cụ thể:", BODY_PLAIN))
    story += text_or_lines(data.texts.remedies, 3)
    return story


def _self_level(data: SelfReviewData, width: float) -> list[Flowable]:
    story: list[Flowable] = [
        Paragraph("VII. TỰ NHẬN MỨC XẾP LOẠI CHẤT LƯỢNG", SECTION),
        Paragraph(f"Tự nhận mức xếp loại chất lượng năm {data.year}:", BODY_PLAIN),
        level_boxes(data.levels, data.self_level),
    ]
    if data.scores:
        story.append(Spacer(1, 4))
        story.append(Paragraph("Tự chấm điểm theo khung tiêu chí:", BODY_PLAIN))
        story.append(score_table(data.scores, width))
    return [KeepTogether(story)]


def _lower_part(data: SelfReviewData, doc: PartyDocument) -> list[Flowable]:
    story: list[Flowable] = [
        Spacer(1, 8),
        CondPageBreak(45 * mm),
        ShortRule(doc.width, space=6),
        Paragraph("NHẬN XÉT, ĐÁNH GIÁ CỦA CHI ỦY (CHI BỘ)", SECTION),
        *text_or_lines(data.cell_comment, 5),
        KeepTogether(
            [
                Paragraph("Chi bộ đề nghị xếp loại chất lượng:", BODY_PLAIN),
                level_boxes(data.levels, data.cell_level),
                signatures(doc.width, right=data.cell_signer, dated=_BLANK_DATE, room=_LOWER_ROOM),
            ]
        ),
        Spacer(1, 8),
    ]
    committee = data.authority_name or "Cấp ủy có thẩm quyền"
    story.append(
        KeepTogether(
            [
                Paragraph("ĐÁNH GIÁ, XẾP LOẠI CỦA CẤP ỦY CÓ THẨM QUYỀN", SECTION),
                Paragraph(f"{text(committee)} xếp loại chất lượng:", BODY_PLAIN),
                level_boxes(data.levels, data.decided_level),
                signatures(
                    doc.width, right=data.authority_signer, dated=_BLANK_DATE, room=_LOWER_ROOM
                ),
            ]
        )
    )
    return story


def render_self_review(data: SelfReviewData) -> bytes:
    doc = PartyDocument(f"{TITLE} năm {data.year} – {data.full_name}", fingerprint(data))
    return doc.build(_story(data, doc))


def render_self_reviews(forms: Sequence[SelfReviewData]) -> bytes:
    """Every member's form in one PDF: the pages of each form rendered alone, one after the
    other, each form starting on a new page numbered as a first page, with its own code in the
    footer. One build instead of one per member and a merge (a cell prints all its forms)."""
    if not forms:
        raise ValueError("no self-review to render")
    first = forms[0]
    doc = PartyDocument(f"{TITLE} năm {first.year}", fingerprint(first))
    story: list[Flowable] = []
    for index, data in enumerate(forms):
        if index:
            story += [PageBreak(), doc.new_copy(fingerprint(data))]
        story += _story(data, doc)
    return doc.build(story)


def _story(data: SelfReviewData, doc: PartyDocument) -> list[Flowable]:
    variant = _check_variant(data.variant)
    t = data.texts
    story: list[Flowable] = [
        form_code(data.form_code),
        heading_block(data.heading, doc.width, numbered=False),
        *title_block(TITLE, f"Năm {data.year}", note=VARIANT_NOTES[variant]),
        *_personal(data),
        *_achievements(data),
        *section("II. HẠN CHẾ, KHUYẾT ĐIỂM VÀ NGUYÊN NHÂN"),
        *text_or_lines(t.shortcomings, 4),
        *_remedies(data),
        *section("IV. GIẢI TRÌNH CÁC VẤN ĐỀ ĐƯỢC GỢI Ý KIỂM ĐIỂM (NẾU CÓ)"),
        *text_or_lines(t.explanations, 2),
        *section(
            "V. LÀM RÕ TRÁCH NHIỆM CỦA CÁ NHÂN ĐỐI VỚI HẠN CHẾ, KHUYẾT ĐIỂM CỦA TẬP THỂ"
            + (" (NẾU CÓ)" if variant != "2B" else "")
        ),
        *text_or_lines(t.responsibility, 3 if variant == "2B" else 2),
        *section("VI. PHƯƠNG HƯỚNG, BIỆN PHÁP KHẮC PHỤC HẠN CHẾ, KHUYẾT ĐIỂM"),
        *text_or_lines(t.direction, 3),
        *_self_level(data, doc.width),
    ]
    sign_off(story, signatures(doc.width, right=Signer("NGƯỜI TỰ KIỂM ĐIỂM", data.full_name)))
    story += _lower_part(data, doc)
    return story
