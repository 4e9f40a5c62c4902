"""Bản kiểm điểm cá nhân, Mẫu 2A / 2B / 2C."""

from __future__ import annotations

import pytest

from app.documents.data import LevelColumn, ScoreGroup, SelfReviewTexts
from app.documents.model import CheckBoxes
from app.documents.parts import level_boxes
from app.documents.self_review import render_self_review
from tests.documents import samples


def test_the_form_is_pre_filled_with_the_members_data() -> None:
    text = samples.flat(render_self_review(samples.self_review()))
    assert "Mẫu 2C-HD KĐ.ĐG 2025" in text
    assert "BẢN KIỂM ĐIỂM CÁ NHÂN" in text and "Năm 2025" in text
    assert "Na Tông, ngày 15 tháng 12 năm 2025" in text
    assert "Họ và tên: Giàng A Páo" in text
    assert "Ngày sinh: 05/03/1968" in text
    assert "Chức vụ chính quyền, đoàn thể: Trưởng bản" in text
    assert "Nơi cư trú: Bản Na Tông 1, xã Na Tông" in text  # 2C: residence, not workplace
    assert "Chi bộ: Chi bộ bản Na Tông 1" in text
    assert "Luôn kiên định lập trường" in text
    assert "NGƯỜI TỰ KIỂM ĐIỂM" in text


def test_sections_one_to_seven_and_the_lower_part() -> None:
    text = samples.flat(render_self_review(samples.self_review()))
    for heading in (
        "I. ƯU ĐIỂM, KẾT QUẢ ĐẠT ĐƯỢC",
        "II. HẠN CHẾ, KHUYẾT ĐIỂM VÀ NGUYÊN NHÂN",
        "III. KẾT QUẢ KHẮC PHỤC HẠN CHẾ, KHUYẾT ĐIỂM",
        "IV. GIẢI TRÌNH",
        "V. LÀM RÕ TRÁCH NHIỆM",
        "VI. PHƯƠNG HƯỚNG, BIỆN PHÁP KHẮC PHỤC",
        "VII. TỰ NHẬN MỨC XẾP LOẠI CHẤT LƯỢNG",
        "NHẬN XÉT, ĐÁNH GIÁ CỦA CHI ỦY (CHI BỘ)",
        "ĐÁNH GIÁ, XẾP LOẠI CỦA CẤP ỦY CÓ THẨM QUYỀN",
        "Đảng ủy xã Na Tông xếp loại chất lượng",
        "T/M CHI ỦY (CHI BỘ)",
    ):
        assert heading in text, heading


def test_last_years_shortcomings_come_with_the_remedied_question() -> None:
    text = samples.flat(render_self_review(samples.self_review()))
    assert "Hạn chế, khuyết điểm được chỉ ra năm 2024" in text
    assert "Chưa tham gia đầy đủ sinh hoạt chi bộ (vắng 2 buổi)." in text
    assert "Đã khắc phục? □ Đã khắc phục □ Chưa khắc phục" in text


def test_without_last_years_shortcomings_there_is_no_question() -> None:
    data = samples.self_review(previous_shortcomings="", previous_remedied=None)
    text = samples.flat(render_self_review(data))
    assert "Đã khắc phục?" not in text
    assert "III. KẾT QUẢ KHẮC PHỤC" in text


def test_a_box_per_level_of_the_rule_set_and_the_score_table() -> None:
    text = samples.flat(render_self_review(samples.self_review()))
    for level in samples.LEVELS:
        assert f"□ {level.name}" in text
    assert "Nhóm tiêu chí" in text and "Điểm tối đa" in text and "Điểm tự chấm" in text
    assert "A. Tiêu chí chung 30 27,5" in text
    assert "B. Kết quả thực hiện nhiệm vụ 70 62" in text
    assert "Tổng cộng 100 89,5" in text


def test_unscored_rule_sets_print_no_score_table_and_blank_scores_stay_blank() -> None:
    text = samples.flat(render_self_review(samples.self_review(scores=())))
    assert "Điểm tự chấm" not in text
    blank = (ScoreGroup("A", "Tiêu chí chung", 30), ScoreGroup("B", "Kết quả", 70))
    text = samples.flat(render_self_review(samples.self_review(scores=blank)))
    assert "Tổng cộng 100" in text and "89,5" not in text


def test_the_chosen_level_is_ticked() -> None:
    boxes = level_boxes(samples.LEVELS, "HTTNV")
    assert isinstance(boxes, CheckBoxes) and boxes.ticked == (1,)
    assert level_boxes(samples.LEVELS, None).ticked == ()


def test_levels_come_from_the_data() -> None:
    levels = (
        LevelColumn("A", "A", "Đủ tư cách, hoàn thành xuất sắc nhiệm vụ"),
        LevelColumn("D", "D", "Vi phạm tư cách hoặc không hoàn thành nhiệm vụ"),
    )
    text = samples.flat(render_self_review(samples.self_review(levels=levels, self_level="A")))
    assert "□ Đủ tư cách, hoàn thành xuất sắc nhiệm vụ" in text
    assert "Hoàn thành tốt nhiệm vụ" not in text


def test_form_2b_has_the_leadership_items_and_2a_a_workplace() -> None:
    text_2b = samples.flat(
        render_self_review(samples.self_review(variant="2B", form_code="Mẫu 2B-HD KĐ.ĐG 2025"))
    )
    assert "Mẫu 2B-HD KĐ.ĐG 2025" in text_2b
    assert "giữ chức vụ lãnh đạo, quản lý" in text_2b
    assert "Kết quả lãnh đạo, chỉ đạo, quản lý" in text_2b
    text_2a = samples.flat(render_self_review(samples.self_review(variant="2A")))
    assert "Đơn vị công tác: Bản Na Tông 1" in text_2a
    assert "Kết quả lãnh đạo, chỉ đạo" not in text_2a


def test_empty_fields_leave_room_to_write() -> None:
    data = samples.self_review(
        birth_date=None, birth_year=None, other_post="", texts=SelfReviewTexts()
    )
    text = samples.flat(render_self_review(data))
    assert "Ngày sinh:" in text and "Chức vụ chính quyền, đoàn thể:" in text
    assert "Luôn kiên định" not in text
    assert "Năm sinh" not in text
    assert "1968" in samples.flat(
        render_self_review(samples.self_review(birth_date=None, birth_year=1968))
    )


def test_no_date_leaves_a_blank_date_line() -> None:
    heading = samples.self_review().heading
    data = samples.self_review(heading=type(heading)(heading.superior, heading.issuer))
    first = samples.pages(render_self_review(data))[0]
    assert "ngày …… tháng …… năm 20……" in first


def test_an_unknown_form_is_refused_in_vietnamese() -> None:
    with pytest.raises(ValueError, match="Không có mẫu bản kiểm điểm"):
        render_self_review(samples.self_review(variant="2D"))
