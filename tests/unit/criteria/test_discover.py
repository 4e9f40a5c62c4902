"""Finding the shipped sets and a province's copies in the data folder's criteria/."""

from __future__ import annotations

from pathlib import Path

from app.domain.criteria import discover_criteria, ruleset_mismatches
from app.domain.rules import load_ruleset
from app.paths import rulesets_dir
from tests.unit.criteria.helpers import PROVINCE, SHIPPED, changed, province_set, write


def test_a_province_copy_stands_in_for_the_shipped_set_it_is_based_on(tmp_path: Path) -> None:
    write(tmp_path / "criteria", "tinh-thu-2025.toml", PROVINCE)
    catalog = discover_criteria(SHIPPED, tmp_path / "criteria")
    assert catalog.errors == ()
    assert [s.id for s in catalog.offered(2025)] == ["tinh-thu-2025"]
    assert catalog.default(2025).id == "tinh-thu-2025"
    assert catalog.is_copy("tinh-thu-2025") and not catalog.is_copy("qd366-2025")
    # The shipped set stays reachable by its id (a period scored under it keeps the id).
    assert catalog.get("qd366-2025") is not None


def test_a_copy_for_some_years_leaves_the_shipped_set_for_the_others(tmp_path: Path) -> None:
    text = changed(PROVINCE, ("first_year = 2025", "first_year = 2025\nlast_year = 2025"))
    write(tmp_path, "tinh-thu-2025.toml", text)
    catalog = discover_criteria(SHIPPED, tmp_path)
    assert catalog.default(2025).id == "tinh-thu-2025"
    assert [s.id for s in catalog.offered(2026)] == ["qd366-2025"]


def test_a_province_set_of_its_own_adds_a_choice(tmp_path: Path) -> None:
    own = changed(PROVINCE, ('based_on = "qd366-2025"\n', ""), ("tinh-thu-2025", "tinh-rieng"))
    write(tmp_path, "tinh-rieng.toml", own)
    catalog = discover_criteria(SHIPPED, tmp_path)
    assert [s.id for s in catalog.offered(2025)] == ["tinh-rieng", "qd366-2025"]
    assert catalog.default(2025).id == "tinh-rieng"  # the province's own comes first


def test_a_copy_reusing_the_shipped_id_is_reported_and_the_shipped_set_kept(
    tmp_path: Path,
) -> None:
    same_id = changed(PROVINCE, ('based_on = "qd366-2025"\n', ""), ("tinh-thu-2025", "qd366-2025"))
    write(tmp_path, "qd366-2025.toml", same_id)
    catalog = discover_criteria(SHIPPED, tmp_path)
    assert [str(e) for e in catalog.errors] == [
        "Tệp bộ tiêu chí “qd366-2025.toml”, mục “id”: mã “qd366-2025” trùng với bộ tiêu chí có "
        'sẵn; bản của tỉnh cần mã riêng và ghi based_on = "qd366-2025" để dùng thay bộ đó'
    ]
    assert catalog.get("qd366-2025").name.startswith("Khung tiêu chí")


def test_a_broken_province_file_is_reported_and_the_others_still_load(tmp_path: Path) -> None:
    write(tmp_path, "a-hong.toml", changed(PROVINCE, ("points = 40", "points = 45")))
    write(tmp_path, "b-tot.toml", changed(PROVINCE, ("tinh-thu-2025", "b-tot")))
    catalog = discover_criteria(SHIPPED, tmp_path)
    assert [(e.source, e.key) for e in catalog.errors] == [
        ("a-hong.toml", "sheets[pl5].groups[B].points")
    ]
    assert sorted(catalog.sets) == ["b-tot", "qd366-2025"]


def test_missing_folders_are_empty(tmp_path: Path) -> None:
    catalog = discover_criteria(tmp_path / "khong-co", tmp_path / "cung-khong-co")
    assert catalog.sets == {} and catalog.errors == ()
    assert catalog.default(2025) is None
    assert discover_criteria(SHIPPED, None).default(2025).id == "qd366-2025"


def test_a_copy_whose_parts_differ_from_the_rule_set_is_named(tmp_path: Path) -> None:
    cset = province_set(
        tmp_path,
        ("points = 30\ncitation", "points = 25\ncitation"),
        ("points = 12", "points = 7"),
        ("points = 70\ncitation", "points = 75\ncitation"),
        ("points = 40", "points = 45"),
    )
    score = load_ruleset(rulesets_dir() / "qd366-2025.toml").score
    assert score is not None
    assert ruleset_mismatches(cset, score) == [
        "Bảng “pl5” («Đảng viên không làm việc trong hệ thống chính trị»): phần tiêu chí chung "
        "25 điểm, bộ quy tắc cần 30 điểm.",
        "Bảng “pl5” («Đảng viên không làm việc trong hệ thống chính trị»): phần kết quả thực "
        "hiện nhiệm vụ 75 điểm, bộ quy tắc cần 70 điểm.",
    ]
