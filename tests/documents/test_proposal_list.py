"""Danh sách đề nghị xếp loại: every stage side by side."""

from __future__ import annotations

from app.documents.data import ProposalRow
from app.documents.proposal_list import render_proposal_list
from tests.documents import samples


def test_the_list_shows_self_vote_and_proposal_side_by_side() -> None:
    text = samples.flat(render_proposal_list(samples.proposal_list()))
    assert "DANH SÁCH ĐỀ NGHỊ" in text
    assert "Xếp loại chất lượng đảng viên và tập thể chi bộ năm 2025" in text
    assert "Kính gửi: Ban Thường vụ Đảng ủy xã Na Tông" in text
    assert "Số 03-DS/CB" in text and "Na Tông, ngày 16 tháng 12 năm 2025" in text
    assert "STT Họ và tên, chức vụ Tự xếp loại Kết quả biểu quyết Chi bộ đề nghị Ghi chú" in text
    assert "Nguyễn Thị Ánh Chi ủy viên HTTNV 6/9 (66,7%) HTXSNV" in text
    assert "Vàng A Dế HTTNV 7/9 (77,8%) KHTNV Bị kỷ luật khiển trách" in text
    assert "Đảng ủy quyết định" not in text  # the list is what the cell proposed
    assert "TẬP THỂ CHI BỘ" in text and "Chi bộ bản Na Tông 1 HTTNV 8/9 (88,9%) HTTNV" in text
    assert "Tổng số: 10 đồng chí" in text
    assert "Hoàn thành xuất sắc nhiệm vụ: 1 đồng chí (10%)" in text
    assert "Hoàn thành tốt nhiệm vụ: 7 đồng chí (70%)" in text
    assert "T/M CHI BỘ" in text and "Lò Văn Pọm" in text


def test_a_150_member_list_repeats_its_header() -> None:
    rows = tuple(
        ProposalRow(name, "", "HTTNV", "100/140 (71,4%)", "HTTNV", note=samples.LONG_COMMENT[:90])
        for name in samples.big_names(150)
    )
    pdf = render_proposal_list(samples.proposal_list(members=rows))
    texts = [" ".join(t.split()) for t in samples.pages(pdf)]
    table_pages = [i for i, t in enumerate(texts) if "100/140" in t]
    assert len(table_pages) >= 4
    for index in table_pages:
        assert "Họ và tên, chức vụ" in texts[index] and "Kết quả biểu quyết" in texts[index]
    assert "Tổng số: 150 đồng chí" in samples.flat(pdf)
