"""Scoring item by item: each kind's entries, the sums, the clip at the ceiling, incomplete
scores, and the explanation naming each item that lost points."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from app.domain.criteria import (
    CriteriaSet,
    CriteriaSubject,
    EntryError,
    Item,
    ItemEntry,
    SubjectError,
    item_points,
    score_entries,
)
from tests.unit.criteria.helpers import province_set

FULL = {"A.1": 12, "A.2": True, "A.3": 8, "B.1": 40, "B.2": 30}


@pytest.fixture
def cset(tmp_path: Path) -> CriteriaSet:
    return province_set(tmp_path)


def item(cset: CriteriaSet, key: str) -> Item:
    found = cset.sheets[0].item(key)
    assert found is not None
    return found


def test_full_marks(cset: CriteriaSet) -> None:
    score = score_entries(cset, "member:2C", FULL)
    assert score.complete and score.total == 100
    assert (score.general, score.tasks) == (30, 70)
    assert score.explanation.splitlines() == [
        "Tổng điểm: 100/100 (tiêu chí chung 30/30; kết quả thực hiện nhiệm vụ 70/70).",
        "Nhóm A «Tiêu chí chung»: 30/30 điểm.",
        "Nhóm B «Kết quả thực hiện nhiệm vụ»: 70/70 điểm.",
        "Tất cả các mục đạt điểm tối đa.",
    ]


def test_sums_by_group_and_part_and_the_items_that_lost_points(cset: CriteriaSet) -> None:
    entries = {
        "A.1": 11,
        "A.2": False,
        "A.3": ItemEntry(6, "chưa nhận khuyết điểm trước chi bộ"),
        "B.1": 37.5,
        "B.2": 30,
    }
    score = score_entries(cset, CriteriaSubject.member("2C"), entries)
    assert [g.points for g in score.groups] == [17, Fraction(135, 2)]
    assert (score.general, score.tasks, score.total) == (17, Fraction(135, 2), Fraction(169, 2))
    assert score.item("A.3").note == "chưa nhận khuyết điểm trước chi bộ"
    assert score.explanation.splitlines() == [
        "Tổng điểm: 84,5/100 (tiêu chí chung 17/30; kết quả thực hiện nhiệm vụ 67,5/70).",
        "Nhóm A «Tiêu chí chung»: 17/30 điểm.",
        "Mục A.1 «Dự sinh hoạt chi bộ»: 11 buổi × 1 điểm = 11/12 điểm.",
        "Mục A.2 «Chấp hành chủ trương, đường lối»: không đạt, 0/10 điểm.",
        "Mục A.3 «Tự phê bình và phê bình»: 6/8 điểm. Ghi chú: chưa nhận khuyết điểm trước chi bộ.",
        "Nhóm B «Kết quả thực hiện nhiệm vụ»: 67,5/70 điểm.",
        "Mục B.1 «Nhiệm vụ chi bộ phân công»: 37,5/40 điểm.",
    ]


def test_decimal_entries_add_up_exactly(cset: CriteriaSet) -> None:
    """30.1 + 0.1 is exactly 30.2 here (30.200000000000003 in floats): a member at a
    threshold is never put on the wrong side of it by rounding. Decimals and Fractions too."""
    assert 30.1 + 0.1 != 30.2
    score = score_entries(cset, "member:2C", {**FULL, "B.1": 30.1, "B.2": 0.1})
    assert score.tasks == Fraction(302, 10)
    entries = {**FULL, "B.1": Fraction(399, 10), "B.2": Decimal("29.8")}
    assert score_entries(cset, "member:2C", entries).tasks == Fraction(697, 10)


def test_a_count_is_clipped_at_its_ceiling_and_the_clip_explained(cset: CriteriaSet) -> None:
    score = score_entries(cset, "member:2C", {**FULL, "A.1": 13})
    assert score.total == 100
    clipped = score.item("A.1")
    assert clipped.clipped and clipped.uncapped == 13 and clipped.points == 12
    assert (
        "Mục A.1 «Dự sinh hoạt chi bộ»: 13 buổi × 1 điểm = 13 điểm, tính tối đa 12/12 điểm."
        in score.explanation.splitlines()
    )


def test_met_items_take_true_false_or_their_full_points_only(cset: CriteriaSet) -> None:
    a2 = item(cset, "A.2")
    assert item_points(a2, True).points == 10
    assert item_points(a2, False).points == 0
    assert item_points(a2, 10).entered is True
    assert item_points(a2, 0).points == 0
    with pytest.raises(EntryError) as info:
        item_points(a2, 7)
    assert info.value.item_key == "A.2"
    assert str(info.value) == (
        "Mục A.2 «Chấp hành chủ trương, đường lối»: chấm đạt (10 điểm) hoặc không đạt "
        "(0 điểm), không chấm 7."
    )


def test_a_scale_value_must_be_one_of_its_steps(cset: CriteriaSet) -> None:
    a3 = item(cset, "A.3")
    assert item_points(a3, 6).points == 6
    with pytest.raises(EntryError, match=r"^Mục A\.3 «Tự phê bình và phê bình»: chỉ chấm một"):
        item_points(a3, 5)
    with pytest.raises(EntryError) as info:
        item_points(a3, 7.5)
    assert str(info.value).endswith("chỉ chấm một trong các mức 0; 4; 6; 8 điểm, không chấm 7,5.")


def test_a_scale_without_steps_takes_0_to_its_maximum(cset: CriteriaSet) -> None:
    b1 = item(cset, "B.1")
    assert item_points(b1, 0).points == 0
    assert item_points(b1, Fraction(79, 2)).points == Fraction(79, 2)
    with pytest.raises(EntryError, match="không chấm 40,5"):  # refused, not clipped
        item_points(b1, Fraction(81, 2))
    with pytest.raises(EntryError, match="điểm phải từ 0 đến 40, không chấm 41"):
        item_points(b1, 41)
    with pytest.raises(EntryError, match="không chấm -1"):
        item_points(b1, -1)
    with pytest.raises(EntryError, match="phải nhập số điểm, không nhập True"):
        item_points(b1, True)


def test_a_count_is_a_whole_number_of_units(cset: CriteriaSet) -> None:
    a1 = item(cset, "A.1")
    assert item_points(a1, 5).points == 5
    assert item_points(a1, 0).points == 0
    for bad in (2.5, -1, True):
        with pytest.raises(EntryError, match="nhập số buổi \\(số nguyên từ 0 trở lên\\)"):
            item_points(a1, bad)


def test_missing_items_make_the_score_incomplete_never_zero(cset: CriteriaSet) -> None:
    entries = {"A.1": 12, "A.2": True, "B.1": 40, "B.2": ItemEntry(None, "chưa chấm")}
    score = score_entries(cset, "member:2C", entries)
    assert not score.complete
    assert score.total is None and score.general is None and score.tasks is None
    assert [i.key for i in score.missing] == ["A.3", "B.2"]
    assert score.scored == 62
    lines = score.explanation.splitlines()
    assert lines[:2] == [
        "Chưa tính được tổng điểm của đảng viên (Mẫu 2C): mới chấm 62/100 điểm.",
        "Còn thiếu điểm của 2 mục: A.3 «Tự phê bình và phê bình»; "
        "B.2 «Phát triển kinh tế gia đình».",
    ]
    assert "Nhóm A «Tiêu chí chung»: đã chấm 22/30 điểm, chưa đủ các mục." in lines


def test_a_part_is_known_as_soon_as_its_groups_are_complete(cset: CriteriaSet) -> None:
    score = score_entries(cset, "member:2C", {"A.1": 12, "A.2": True, "A.3": 8})
    assert score.general == 30 and score.tasks is None and score.total is None


def test_a_bad_entry_is_reported_with_its_item_and_leaves_the_score_incomplete(
    cset: CriteriaSet,
) -> None:
    score = score_entries(cset, "member:2C", {**FULL, "A.2": 7, "X.9": 3})
    assert score.total is None and not score.missing
    assert [(p.item_key, p.message) for p in score.problems] == [
        ("X.9", "Mục “X.9” không có trong bảng «Đảng viên không làm việc trong hệ thống "
         "chính trị»."),
        ("A.2", "Mục A.2 «Chấp hành chủ trương, đường lối»: chấm đạt (10 điểm) hoặc không đạt "
         "(0 điểm), không chấm 7."),
    ]  # fmt: skip
    assert score.problems[1].message in score.explanation


def test_a_subject_without_a_sheet_is_refused_in_vietnamese(cset: CriteriaSet) -> None:
    with pytest.raises(SubjectError) as info:
        score_entries(cset, "org:chi_bo", FULL)
    assert (
        str(info.value)
        == "Bộ tiêu chí “Bộ tiêu chí thử của tỉnh” không có bảng chấm điểm cho chi bộ."
    )
    with pytest.raises(SubjectError, match="Không có đối tượng “member:2E”"):
        CriteriaSubject.parse("member:2E")
