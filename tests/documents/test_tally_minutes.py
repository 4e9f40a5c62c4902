"""Biên bản kiểm phiếu, with the double-entry print guard."""

from __future__ import annotations

import pytest

from app.documents.data import VoteRow
from app.documents.tally_minutes import TallyNotAgreedError, render_tally_minutes
from tests.documents import samples


def test_the_minutes_state_the_committee_ballots_and_votes() -> None:
    text = samples.flat(render_tally_minutes(samples.tally_minutes()))
    assert "BIÊN BẢN KIỂM PHIẾU" in text
    assert "Số 07-BB/CB" in text and "Na Tông, ngày 15 tháng 12 năm 2025" in text
    assert "Hồi 10 giờ 30 phút, ngày 15 tháng 12 năm 2025, tại Nhà văn hóa bản Na Tông 1" in text
    assert "1. Đồng chí Quàng Văn Hặc – Tổ trưởng" in text
    assert "2. Đồng chí Lường Thị Ín – Thành viên" in text
    assert "Tổng số đảng viên chính thức được biểu quyết: 9 đồng chí" in text
    assert "Số phiếu phát ra: 9 phiếu" in text
    assert "Số phiếu thu vào: 9 phiếu" in text
    assert "Số phiếu hợp lệ: 9 phiếu" in text
    assert "Số phiếu không hợp lệ: 0 phiếu" in text
    # Nguyễn Thị Ánh: 6 HTXSNV votes of 9 = 66,67%, proposed HTXSNV.
    assert "Nguyễn Thị Ánh Chi ủy viên 6 (66,67%) 3 (33,33%) 0 (0%) 0 (0%) HTXSNV" in text
    assert "Vàng A Dế 0 (0%) 0 (0%) 2 (22,22%) 7 (77,78%) KHTNV" in text
    assert "III. KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG TẬP THỂ CHI BỘ" in text
    assert "Chi bộ bản Na Tông 1 1 (11,11%) 8 (88,89%)" in text
    assert "HTXSNV – Hoàn thành xuất sắc nhiệm vụ" in text
    assert "kết thúc hồi 11 giờ 05 phút" in text


def test_every_member_of_the_committee_signs() -> None:
    text = samples.flat(render_tally_minutes(samples.tally_minutes()))
    assert "TỔ KIỂM PHIẾU" in text
    assert "TỔ TRƯỞNG" in text and text.count("THÀNH VIÊN") == 2
    tail = text[text.rindex("TỔ KIỂM PHIẾU") :]
    for name in ("Quàng Văn Hặc", "Lường Thị Ín", "Tòng Thị Xuân"):
        assert name in tail


def test_the_minutes_refuse_to_print_when_the_two_entries_disagree() -> None:
    with pytest.raises(ValueError, match="Hai người nhập kết quả kiểm phiếu chưa khớp"):
        render_tally_minutes(samples.tally_minutes(double_entry_agreed=False))
    with pytest.raises(TallyNotAgreedError):
        render_tally_minutes(samples.tally_minutes(double_entry_agreed=False))


@pytest.mark.parametrize("agreed", [True, None])
def test_agreed_or_single_entry_prints(agreed: bool | None) -> None:
    pdf = render_tally_minutes(samples.tally_minutes(double_entry_agreed=agreed))
    assert "BIÊN BẢN KIỂM PHIẾU" in samples.flat(pdf)


def test_untallied_levels_stay_blank_and_the_2014_cell_levels_print() -> None:
    data = samples.tally_minutes(
        collective_levels=samples.ORG_LEVELS_2014,
        collective=VoteRow(samples.CELL, votes=(7, 2, None, None), proposed="TSVM"),
    )
    text = samples.flat(render_tally_minutes(data))
    assert "7 (77,78%) 2 (22,22%) TSVM" in text
    assert "TSVM – Trong sạch, vững mạnh" in text


def test_a_150_member_cell_paginates_with_the_header_on_every_page_of_the_table() -> None:
    names = samples.big_names(150)
    data = samples.tally_minutes(
        members=samples.vote_rows(names),
        denominator=140,
        ballots_issued=140,
        ballots_returned=140,
        ballots_valid=139,
        ballots_invalid=1,
    )
    pdf = render_tally_minutes(data)
    texts = samples.pages(pdf)
    assert len(texts) >= 5
    table_pages = [i for i, t in enumerate(texts) if any(n in t for n in names)]
    assert len(table_pages) >= 4
    for index in table_pages:
        assert "Số phiếu theo từng mức" in texts[index], index
        assert "HTXSNV" in texts[index]
    assert "Số phiếu không hợp lệ: 1 phiếu" in samples.flat(pdf)
    assert "Tổng số đảng viên chính thức được biểu quyết: 140 đồng chí" in samples.flat(pdf)
