"""Báo cáo kiểm điểm tập thể, Mẫu 01."""

from __future__ import annotations

from app.documents.collective_report import collective_report_document, render_collective_report
from app.documents.data import MemberCounts
from tests.documents import samples


def test_the_report_states_the_figures_and_the_sections() -> None:
    text = samples.flat(render_collective_report(samples.collective_report()))
    assert "Mẫu 01-HD KĐ.ĐG 2025" in text
    assert "Số 05-BC/CB" in text
    assert "Na Tông, ngày 10 tháng 12 năm 2025" in text
    assert "BÁO CÁO KIỂM ĐIỂM TẬP THỂ" in text
    assert "Chi bộ bản Na Tông 1 năm 2025" in text
    assert "Tổng số đảng viên: 12 đồng chí (chính thức: 11; dự bị: 1)" in text
    assert "miễn công tác và sinh hoạt đảng: 1 đồng chí" in text
    assert "thuộc diện đánh giá, xếp loại chất lượng: 11 đồng chí" in text
    for heading in (
        "1. Đặc điểm tình hình",
        "2. Kết quả thực hiện nhiệm vụ",
        "3. Kết quả khắc phục hạn chế",
        "4. Hạn chế, khuyết điểm và nguyên nhân",
        "5. Phương hướng, biện pháp khắc phục",
        "6. Tự đánh giá, xếp loại chất lượng",
    ):
        assert heading in text, heading
    assert "đồng bào dân tộc Thái, H'Mông" in text
    assert "Kết nạp 01 đảng viên" in text


def test_self_level_boxes_score_table_signer_and_recipients() -> None:
    text = samples.flat(render_collective_report(samples.collective_report()))
    assert "□ Hoàn thành tốt nhiệm vụ" in text
    assert "Tổng cộng 100 89,5" in text
    assert "T/M CHI ỦY BÍ THƯ" in text and "Lò Văn Pọm" in text
    assert "Nơi nhận:" in text and "Đảng ủy xã (để báo cáo)" in text and "Lưu chi bộ" in text


def test_large_figures_use_the_vietnamese_thousands_dot_and_2014_levels_print() -> None:
    data = samples.collective_report(
        counts=MemberCounts(total=1250, official=1200, probationary=50, exempt=3),
        levels=samples.ORG_LEVELS_2014,
        self_level="TSVM",
        scores=(),
    )
    text = samples.flat(render_collective_report(data))
    assert "Tổng số đảng viên: 1.250 đồng chí (chính thức: 1.200; dự bị: 50)" in text
    assert "□ Trong sạch, vững mạnh" in text and "□ Yếu kém" in text
    assert "thuộc diện đánh giá" not in text  # not stated
    assert "Điểm tự chấm" not in text


def test_no_number_leaves_the_number_to_write_by_hand() -> None:
    heading = samples.collective_report().heading
    data = samples.collective_report(
        heading=type(heading)(heading.superior, heading.issuer, "", "Na Tông", None)
    )
    first = samples.pages(render_collective_report(data))[0]
    assert "-BC/CB" in first and "Số 05" not in first
    assert "Na Tông, ngày …… tháng …… năm 20……" in first


def test_a_draft_report_is_marked_as_draft() -> None:
    assert collective_report_document(samples.collective_report(draft=True)).draft
    assert not collective_report_document(samples.collective_report()).draft
