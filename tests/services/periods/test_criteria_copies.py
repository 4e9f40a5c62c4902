"""A province's copy of a criteria set made and saved by the service (issue 24): written to
the data folder's criteria/, loaded back before it replaces anything, offered in place of the
set it was made from; a refusal names the sheet, the group or the item, and writes nothing."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

import pytest

from app import paths
from app.domain.criteria import CriteriaSet, load_criteria, load_criteria_text
from app.services.common.errors import ServiceError
from app.services.periods import criteria_sets
from tests.services.procedure.criteria_support import EDITED, MEMBERS, write_copy


def shipped() -> CriteriaSet:
    cset = criteria_sets.catalog().get("qd366-2025")
    assert cset is not None
    return cset


def with_points(cset: CriteriaSet, sheet_key: str, points: dict[str, Fraction]) -> CriteriaSet:
    sheets = []
    for sheet in cset.sheets:
        groups = tuple(
            replace(
                group,
                items=tuple(
                    replace(item, points=points[item.key])
                    if sheet.key == sheet_key and item.key in points
                    else item
                    for item in group.items
                ),
            )
            for group in sheet.groups
        )
        sheets.append(replace(sheet, groups=groups))
    return replace(cset, sheets=tuple(sheets))


def test_a_copy_of_the_shipped_set_is_written_loaded_and_offered_in_its_place() -> None:
    copy = criteria_sets.copy_of(shipped(), "dien-bien-2025", "Bộ tiêu chí tỉnh Điện Biên")
    assert copy.based_on == "qd366-2025"
    copy = with_points(copy, "pl5", {"A.1": Fraction(12), "A.2": Fraction(8)})
    path = criteria_sets.save_copy(copy, new=True)
    assert path == paths.criteria_dir() / "dien-bien-2025.toml"
    assert load_criteria(path) == copy
    listing = criteria_sets.available(2026)
    assert [c.id for c in listing.choices] == ["dien-bien-2025"]  # stands in for qd366-2025
    assert listing.choices[0].province and listing.errors == ()
    # A copy of the copy stands in for the shipped set too, not for the first copy.
    again = criteria_sets.copy_of(copy, "dien-bien-2026", "Bản 2026")
    assert again.based_on == "qd366-2025"


def test_a_shipped_id_or_a_taken_one_is_refused() -> None:
    with pytest.raises(ServiceError, match="bộ tiêu chí có sẵn"):
        criteria_sets.save_copy(shipped())
    write_copy()
    province = criteria_sets.catalog().get("tinh-thu-2025")
    assert province is not None
    with pytest.raises(ServiceError, match="đã là của bộ tiêu chí “Bộ tiêu chí thử của tỉnh”"):
        criteria_sets.save_copy(criteria_sets.copy_of(province, "tinh-thu-2025", "Khác"), new=True)


def test_editing_a_copy_rewrites_its_own_file_even_under_another_name() -> None:
    path = paths.criteria_dir() / "ban-cua-tinh.toml"  # the file's name is not its id
    path.write_text(MEMBERS, encoding="utf-8")
    province = criteria_sets.catalog().get("tinh-thu-2025")
    assert province is not None
    edited = with_points(province, "pl5", {"A.1": Fraction(10), "A.2": Fraction(12)})
    assert criteria_sets.save_copy(edited) == path
    assert sorted(p.name for p in paths.criteria_dir().glob("*.toml")) == ["ban-cua-tinh.toml"]
    assert load_criteria(path) == load_criteria_text(EDITED, "x.toml")
    assert criteria_sets.catalog().errors == ()


def test_a_group_that_does_not_add_up_is_refused_naming_it_and_nothing_is_written() -> None:
    path = write_copy()
    province = criteria_sets.catalog().get("tinh-thu-2025")
    assert province is not None
    wrong = with_points(province, "pl5", {"A.1": Fraction(10)})
    with pytest.raises(criteria_sets.CopyRefused) as info:
        criteria_sets.save_copy(wrong)
    error = info.value
    assert str(error).startswith(
        "Bảng “Đảng viên không làm việc trong hệ thống chính trị” · Nhóm A «Tiêu chí chung»: "
        "các mục cộng lại 28 điểm, chưa bằng điểm tối đa của nhóm (30 điểm)"
    )
    assert (error.sheet_key, error.group_key, error.item_key) == ("pl5", "A", None)
    assert path.read_text(encoding="utf-8") == MEMBERS  # the old file as it was
    assert [p.name for p in paths.criteria_dir().iterdir()] == ["tinh-thu-2025.toml"]


def test_a_bad_item_is_named_by_its_text() -> None:
    copy = criteria_sets.copy_of(shipped(), "tinh-moi", "Bản mới")
    zero = with_points(copy, "pl5", {"A.1": Fraction(0), "A.2": Fraction(20)})
    with pytest.raises(criteria_sets.CopyRefused) as info:
        criteria_sets.save_copy(zero, new=True)
    assert "Mục A.1 «Phẩm chất chính trị, đạo đức, lối sống; trách nhiệm nêu gương», điểm: " in (
        str(info.value)
    )
    assert (info.value.item_key, info.value.field) == ("A.1", "points")
    third = with_points(copy, "pl5", {"B.1": Fraction(1, 3)})
    with pytest.raises(criteria_sets.CopyRefused, match="không ghi được chính xác"):
        criteria_sets.save_copy(third, new=True)
    bad_id = criteria_sets.copy_of(shipped(), "Điện Biên", "Bản mới")
    with pytest.raises(criteria_sets.CopyRefused) as info:
        criteria_sets.save_copy(bad_id, new=True)
    assert str(info.value).startswith("Bộ tiêu chí, mã: chỉ gồm chữ thường không dấu")
    assert list(paths.criteria_dir().iterdir()) == []
