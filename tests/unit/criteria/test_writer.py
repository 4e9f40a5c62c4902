"""Writing a criteria set back to TOML (issue 24: a province's copy edited in the window):
loading what was written gives the same set, for the shipped set, the tests' province set and
edited copies; points are written exactly (7.5 stays 7.5); what the loader fills in from the
table above is left out; a number TOML cannot hold exactly is refused naming its key."""

from __future__ import annotations

import tomllib
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import pytest

from app.domain.criteria import (
    CountScoring,
    CriteriaError,
    CriteriaSet,
    ScaleScoring,
    load_criteria,
    load_criteria_text,
)
from app.domain.criteria.writer import (
    criteria_to_dict,
    criteria_to_toml,
    decimal_text,
    subject_list,
)
from tests.unit.criteria.helpers import PROVINCE, SHIPPED, changed, province_set

QD366 = SHIPPED / "qd366-2025.toml"


def round_trip(cset: CriteriaSet) -> CriteriaSet:
    return load_criteria_text(criteria_to_toml(cset), f"{cset.id}.toml")


def with_item(cset: CriteriaSet, sheet_key: str, item_key: str, **changes: object) -> CriteriaSet:
    """*cset* with one item changed (the groups left as they are: they may not add up)."""
    sheets = []
    for sheet in cset.sheets:
        groups = []
        for group in sheet.groups:
            items = tuple(
                replace(item, **changes)  # type: ignore[arg-type]
                if sheet.key == sheet_key and item.key == item_key
                else item
                for item in group.items
            )
            groups.append(replace(group, items=items))
        sheets.append(replace(sheet, groups=tuple(groups)))
    return replace(cset, sheets=tuple(sheets))


def test_the_shipped_set_loads_back_the_same_and_writes_the_same_text() -> None:
    shipped = load_criteria(QD366)
    text = criteria_to_toml(shipped)
    assert load_criteria_text(text, "qd366-2025.toml") == shipped
    assert criteria_to_toml(load_criteria_text(text, "x.toml")) == text
    assert text.startswith("# Bộ tiêu chí “Khung tiêu chí chấm điểm theo Quy định 366-QĐ/TW")


def test_every_scoring_kind_and_the_citations_and_confidence_survive(tmp_path: Path) -> None:
    province = province_set(tmp_path)
    again = round_trip(province)
    assert again == province
    assert again.based_on == "qd366-2025"
    items = {item.key: item for item in again.sheets[0].items}
    assert items["A.1"].scoring == CountScoring(Fraction(1), "buổi")
    assert items["A.3"].scoring == ScaleScoring((0, 4, 6, 8))
    assert items["B.1"].confidence == "unsure"
    assert items["A.1"].citation == "Phụ lục 5, phần A"  # the group's, as the loader gives it


def test_points_are_written_exactly_as_the_file_has_them(tmp_path: Path) -> None:
    text = changed(
        PROVINCE,
        ("points = 12", "points = 11.75"),
        ("per_unit = 1", "per_unit = 0.25"),
        ("points = 10\nscoring", "points = 10.25\nscoring"),
    )
    cset = province_set(tmp_path, *[(PROVINCE, text)])
    written = criteria_to_toml(cset)
    assert "points = 11.75" in written and "per_unit = 0.25" in written
    assert "points = 10.25" in written
    assert "points = 30\n" in written  # a whole number stays an integer
    again = load_criteria_text(written, "x.toml")
    assert again == cset
    assert again.sheets[0].item("A.1").points == Fraction(47, 4)


def test_an_edited_copy_round_trips(tmp_path: Path) -> None:
    province = province_set(tmp_path)
    edited = with_item(province, "pl5", "A.1", points=Fraction(15, 2), scoring=ScaleScoring())
    edited = with_item(edited, "pl5", "A.2", points=Fraction(29, 2))  # 7,5 + 14,5 + 8
    edited = with_item(
        edited, "pl5", "A.3", citation="Hướng dẫn riêng, mục 3", guide='Dòng một\n"trích"'
    )
    edited = replace(edited, id="tinh-sua", name="Bản sửa", last_year=2027, description="")
    again = round_trip(edited)
    assert again == edited
    item = again.sheets[0].item("A.3")
    assert (item.citation, item.guide) == ("Hướng dẫn riêng, mục 3", 'Dòng một\n"trích"')


def test_what_the_loader_fills_in_is_left_out(tmp_path: Path) -> None:
    province = with_item(province_set(tmp_path), "pl5", "B.2", citation="Nghị quyết của xã")
    data = criteria_to_dict(province)
    sheet = data["sheets"][0]
    assert "confidence" not in sheet  # the set's own
    group_a, group_b = sheet["groups"]
    assert "confidence" not in group_a
    assert all("citation" not in item for item in group_a["items"])
    assert [item.get("citation") for item in group_b["items"]] == [None, "Nghị quyết của xã"]
    assert "guide" not in group_a["items"][0] and "steps" not in group_b["items"][0]
    assert data["based_on"] == "qd366-2025" and "last_year" not in data
    assert tomllib.loads(criteria_to_toml(province)) == data


def test_a_kind_listed_whole_is_written_as_the_kind() -> None:
    shipped = load_criteria(QD366)
    collective = tuple(code for code in shipped.sheets[0].applies_to if code.startswith("coll"))
    assert subject_list(collective) == ["collective"]
    members = ("member:2A", "member:2B", "member:2C")
    assert subject_list(members) == ["member"]
    assert subject_list(("member:2C", "org:chi_bo")) == ["member:2C", "org:chi_bo"]


def test_decimal_text() -> None:
    assert decimal_text(Fraction(15, 2)) == "7.5"
    assert decimal_text(Fraction(1, 8)) == "0.125"
    assert decimal_text(Fraction(1, 10)) == "0.1"
    assert decimal_text(Fraction(-3, 4)) == "-0.75"
    assert decimal_text(Fraction(1, 3)) is None


def test_a_number_the_file_cannot_hold_exactly_is_refused_naming_its_key(
    tmp_path: Path,
) -> None:
    third = with_item(province_set(tmp_path), "pl5", "B.1", points=Fraction(1, 3))
    with pytest.raises(CriteriaError) as info:
        criteria_to_toml(third)
    assert info.value.key == "sheets[pl5].groups[B].items[B.1].points"
    assert "không ghi được chính xác" in info.value.problem
