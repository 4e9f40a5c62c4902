"""Phiếu đánh giá, xếp loại: one copy per voter, each on new pages, nothing identifying."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from app.documents.ballot import render_ballot, sort_roster
from app.documents.data import BallotEntry
from tests.documents import samples


def test_the_ballot_lists_the_roster_and_the_levels() -> None:
    text = samples.flat(render_ballot(samples.ballot(copies=1)))
    assert "PHIẾU ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG ĐẢNG VIÊN VÀ TẬP THỂ CHI BỘ NĂM 2025" in text
    assert "Đánh dấu X vào một ô tương ứng với mức xếp loại của từng đồng chí" in text
    assert "STT Họ và tên Chức vụ" in text
    for name in samples.NAMES:
        assert name in text
    assert "1 Lò Văn Pọm Bí thư chi bộ" in text
    assert "I. ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG ĐẢNG VIÊN" in text
    assert "II. ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG TẬP THỂ CHI BỘ" in text
    assert "Tổ chức đảng" in text and "1 Chi bộ bản Na Tông 1" in text
    assert "Mỗi dòng chỉ đánh một dấu X" in text


def test_level_headers_are_whole_words() -> None:
    text = samples.flat(render_ballot(samples.ballot(copies=1)))
    for level in samples.LEVELS:
        assert level.name in text


def test_no_voter_name_and_no_signature() -> None:
    text = samples.flat(render_ballot(samples.ballot(copies=1)))
    assert "Ký, ghi rõ họ tên" not in text
    assert "BÍ THƯ" not in text and "THƯ KÝ" not in text and "Người bỏ phiếu" not in text
    assert "Số 07" not in text  # ballots carry no document number


def test_the_cell_section_uses_the_organisation_levels() -> None:
    data = samples.ballot(copies=1, collective_levels=samples.ORG_LEVELS_2014)
    text = samples.flat(render_ballot(data))
    assert "Trong sạch, vững mạnh" in text and "Yếu kém" in text


def test_members_only() -> None:
    text = samples.flat(render_ballot(samples.ballot(copies=1, collective="")))
    assert "TẬP THỂ CHI BỘ" not in text
    assert "XẾP LOẠI CHẤT LƯỢNG ĐẢNG VIÊN NĂM 2025" in text


def test_each_copy_starts_on_a_new_page_numbered_from_one() -> None:
    one = samples.pages(render_ballot(samples.ballot(copies=1)))
    pdf = render_ballot(samples.ballot(copies=4))
    texts = samples.pages(pdf)
    per_copy = len(one)
    assert len(texts) == 4 * per_copy
    for copy in range(4):
        first = texts[copy * per_copy]
        assert "ĐẢNG CỘNG SẢN VIỆT NAM" in first
        assert "PHIẾU ĐÁNH GIÁ" in first
    assert sum("ĐẢNG CỘNG SẢN VIỆT NAM" in t for t in texts) == 4


def test_a_large_cell_repeats_the_header_on_every_page_of_every_copy() -> None:
    members = tuple(BallotEntry(name) for name in samples.big_names(150))
    pdf = render_ballot(samples.ballot(members=members, copies=3, collective=""))
    texts = samples.pages(pdf)
    assert len(texts) % 3 == 0
    per_copy = len(texts) // 3
    assert per_copy >= 3
    numbers = samples.page_numbers(pdf)
    for index, text in enumerate(texts):
        assert "Họ và tên" in text and "Chức vụ" in text, index
        page_in_copy = index % per_copy + 1
        if page_in_copy > 1:
            assert numbers[index] == str(page_in_copy), (index, numbers[index])
        else:
            assert numbers[index] == ""
            assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    flat = samples.flat(pdf)
    assert "Công Tằng Tôn Nữ Nguyễn Hoàng Thị Ánh Phương Thảo 3" in flat
    assert flat.count("Giàng A Páo 1 ") == 3  # each copy lists the roster once


def test_pages_are_a4() -> None:
    reader = PdfReader(io.BytesIO(render_ballot(samples.ballot(copies=2))))
    assert len(reader.pages) >= 2
    assert all(round(float(p.mediabox.height)) == 842 for p in reader.pages)


def test_zero_copies_is_refused() -> None:
    with pytest.raises(ValueError, match="Số phiếu"):
        render_ballot(samples.ballot(copies=0))


def test_sort_roster_puts_office_holders_first_then_vietnamese_order() -> None:
    entries = [
        BallotEntry("Vàng A Dế"),
        BallotEntry("Nguyễn Thị Ánh", "Chi ủy viên"),
        BallotEntry("Đỗ Văn Đức"),
        BallotEntry("Giàng A Páo", "Phó Bí thư chi bộ"),
        BallotEntry("Lò Văn Pọm", "Bí thư chi bộ"),
        BallotEntry("Lê Văn Dũng"),
        BallotEntry("Lường Thị Ín"),
    ]
    assert [e.name for e in sort_roster(entries)] == [
        "Lò Văn Pọm",
        "Giàng A Páo",
        "Nguyễn Thị Ánh",
        "Vàng A Dế",
        "Lê Văn Dũng",
        "Đỗ Văn Đức",
        "Lường Thị Ín",
    ]
