"""Biểu tổng hợp: figures in Vietnamese number format, year over year, screening list."""

from __future__ import annotations

from app.documents.data import GroupSummary, LevelCount, ReasonCount
from app.documents.summary_report import render_summary_report
from tests.documents import samples


def test_members_by_level_with_vietnamese_numbers_and_last_year() -> None:
    text = samples.flat(render_summary_report(samples.summary()))
    assert "BIỂU TỔNG HỢP" in text
    assert "Kết quả đánh giá, xếp loại chất lượng tổ chức đảng, đảng viên năm 2025" in text
    assert "(Đảng bộ xã Na Tông)" in text
    assert "Năm 2025" in text and "Năm 2024" in text and "Tăng (+), giảm (−)" in text
    assert "Tổng số đảng viên 6.185 6.020 +165" in text
    assert "Được đánh giá, xếp loại, trong đó: 5.950 96,2% 5.800 96,35% +150" in text
    assert "Hoàn thành tốt nhiệm vụ (HTTNV) 4.611 77,5% 4.500 77,59% +111" in text
    assert "Hoàn thành nhiệm vụ (HTNV) 450 7,56% 460 7,93% −10" in text
    assert "Miễn công tác và sinh hoạt đảng 200 190 +10" in text


def test_organisations_ratio_breakdown_and_screening() -> None:
    text = samples.flat(render_summary_report(samples.summary()))
    assert "I. TỔ CHỨC ĐẢNG" in text and "II. ĐẢNG VIÊN" in text
    assert "Tổng số tổ chức đảng 38 37 +1" in text
    assert "Thành lập chưa đủ 6 tháng 2 0 +2" in text
    assert "Tỷ lệ HTXSNV so với số HTTNV (giới hạn 20%) 832/4.611 18,04% 800/4.500 17,78%" in text
    assert "III. CHI TIẾT THEO TỔ CHỨC ĐẢNG TRỰC THUỘC" in text
    assert "Chi bộ bản Huổi Hẹ 15 2 12 1 0 HTXSNV" in text
    assert "Cộng 26 3 20 2 1" in text
    assert "ĐẢNG VIÊN HAI NĂM LIỀN KHÔNG HOÀN THÀNH NHIỆM VỤ (DIỆN SÀNG LỌC)" in text
    assert "1 Vàng A Dế Chi bộ bản Na Tông 1 KHTNV KHTNV" in text
    assert "NGƯỜI LẬP BIỂU" in text and "T/M BAN THƯỜNG VỤ" in text


def test_a_ratio_over_its_limit_is_flagged() -> None:
    ratio = samples.summary().ratios[0]
    data = samples.summary(ratios=(type(ratio)(ratio.label, 30, 100, 20),), previous_year=None)
    text = samples.flat(render_summary_report(data))
    assert "(giới hạn 20%; VƯỢT GIỚI HẠN) 30/100 30%" in text


def test_the_2014_regime_shows_the_exemplary_share_without_comparison() -> None:
    organisations = GroupSummary(
        total=69,
        evaluated=69,
        levels=(
            LevelCount("TSVM", 36, of_which_label="TSVM tiêu biểu", of_which=7),
            LevelCount("HTTNV", 28),
            LevelCount("HTNV", 4),
            LevelCount("YEU_KEM", 1),
        ),
    )
    members = GroupSummary(
        total=6185,
        evaluated=5950,
        levels=(LevelCount("HTXSNV", 832), LevelCount("HTTNV", 4611)),
        not_evaluated=(ReasonCount("Miễn sinh hoạt", 235),),
    )
    data = samples.summary(
        year=2017,
        organisation_levels=samples.ORG_LEVELS_2014,
        organisations=samples.with_shares(organisations),
        members=samples.with_shares(members),
        ratios=(),
        screening=(),
        breakdown=(),
        previous_year=None,
    )
    text = samples.flat(render_summary_report(data))
    assert "Năm 2017 Tỷ lệ (%)" in text and "Năm 2016" not in text
    assert "Trong sạch, vững mạnh (TSVM) 36 52,17%" in text
    assert "+ trong đó: TSVM tiêu biểu 7 10,14%" in text
    assert "Yếu kém 1 1,45%" in text
    assert "Tổng số đảng viên 6.185" in text
    assert "Hoàn thành xuất sắc nhiệm vụ (HTXSNV) 832 13,98%" in text
    assert "Không có đảng viên nào hai năm liền xếp loại không hoàn thành nhiệm vụ." in text


def test_shares_are_printed_as_given_and_a_line_for_those_without_a_level() -> None:
    """The document works out no share: it prints the summary's, and those evaluated but
    without a level yet as a line of their own (a year under way)."""
    members = GroupSummary(
        total=596,
        evaluated=563,
        levels=(
            LevelCount("HTXSNV", 28, 68, share="4,97%", previous_share="12,5%"),
            LevelCount("HTTNV", 175, 430, share="31,08%", previous_share="79,04%"),
        ),
        previous_total=574,
        previous_evaluated=544,
        evaluated_share="94,46%",
        pending=360,
        pending_share="63,94%",
        previous_pending=0,
        previous_pending_share="0%",
    )
    text = samples.flat(render_summary_report(samples.summary(members=members, draft=True)))
    assert "Hoàn thành xuất sắc nhiệm vụ (HTXSNV) 28 4,97% 68 12,5% −40" in text
    assert "Được đánh giá, xếp loại, trong đó: 563 94,46% 544" in text
    assert "Chưa có kết quả xếp loại 360 63,94% 0 0%" in text
    # Without one (None), no such line.
    assert "Chưa có kết quả" not in samples.flat(render_summary_report(samples.summary()))


def test_a_cell_node_without_organisations() -> None:
    data = samples.summary(organisations=None, node="Chi bộ bản Na Tông 1", breakdown=())
    text = samples.flat(render_summary_report(data))
    assert "TỔ CHỨC ĐẢNG" not in text.split("BIỂU TỔNG HỢP")[1].split("ĐẢNG VIÊN")[0]
    assert "I. ĐẢNG VIÊN" in text


def test_those_not_evaluated_are_the_total_less_those_evaluated_both_years() -> None:
    """The window's and the text's count (total − evaluated), whatever the reasons listed
    below it add up to: organisations left out for no listed reason still count, and a year
    compared with shows its own figure and the change, never a blank."""
    text = samples.flat(render_summary_report(samples.summary()))
    assert "Chưa đánh giá, xếp loại 2 5,26% 1 2,7% +1" in text
    organisations = samples.summary().organisations
    nobody = samples.replace(
        organisations,
        total=36,
        not_evaluated=(),
        previous_total=36,
        not_evaluated_share="0%",
        previous_not_evaluated_share="0%",
    )
    text = samples.flat(render_summary_report(samples.summary(organisations=nobody)))
    assert "Chưa đánh giá, xếp loại 0 0% 0 0% 0" in text
