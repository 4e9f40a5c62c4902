"""Issue 24's acceptance, in the domain: a province's copy of the criteria set with one item's
points changed changes the computed score, and with it the level the rule set's thresholds
allow, for the same entries; the explanation names that item.

Points of a group must still add up to the group's maximum, so the province moves the points
it takes from one item to another: here 2 points from "Dự sinh hoạt chi bộ" (A.1, a count of
meetings, ceiling 12 → 10) to "Chấp hành chủ trương, đường lối" (A.2, met/not met, 10 → 12),
which this member did not meet in either version. The whole difference is A.1's."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from app.domain.criteria import ItemEntry, SheetScore, discover_criteria, score_entries
from app.domain.rules import MemberFacts, load_ruleset
from app.domain.rules.checks_builtin import score_level
from app.paths import rulesets_dir
from tests.unit.criteria.helpers import PROVINCE, SHIPPED, changed, write

ENTRIES = {
    "A.1": ItemEntry(12, "dự đủ 12 kỳ sinh hoạt"),
    "A.2": False,
    "A.3": 8,
    "B.1": 40,
    "B.2": 30,
}
A1_SENTENCE = (
    "Mục A.1 «Dự sinh hoạt chi bộ»: 12 buổi × 1 điểm = 12 điểm, tính tối đa 10/10 điểm. "
    "Ghi chú: dự đủ 12 kỳ sinh hoạt."
)


def level(general: Fraction, tasks: Fraction) -> str | None:
    """The best member level the qd366 rule set's thresholds allow for these points."""
    rs = load_ruleset(rulesets_dir() / "qd366-2025.toml")
    assert rs.score is not None
    facts = MemberFacts(
        member_id=1, full_name="Lò Văn Pọm", cell_id=10, admitted_on=None, official_on=None,
        score_general=float(general), score_tasks=float(tasks), all_tasks_on_time=True,
        tasks_exceeded_share=0.5, shortcomings_remedied=True,
    )  # fmt: skip
    return score_level(rs.score, rs.member_levels.codes, facts)


def province_score(data: Path) -> SheetScore:
    catalog = discover_criteria(SHIPPED, data / "criteria")
    assert catalog.errors == ()
    cset = catalog.default(2025)
    assert cset is not None and cset.id == "tinh-thu-2025"  # the copy stands in for qd366
    score = score_entries(cset, "member:2C", ENTRIES)
    assert score.complete
    return score


def test_one_items_points_changed_in_a_province_copy_changes_score_level_and_names_it(
    tmp_path: Path,
) -> None:
    write(tmp_path / "criteria", "tinh-thu-2025.toml", PROVINCE)
    before = province_score(tmp_path)
    assert (before.general, before.tasks, before.total) == (20, 70, 90)
    assert level(before.general, before.tasks) == "HTXSNV"
    assert "Mục A.1" not in before.explanation  # full marks, nothing to explain

    # The province edits its copy: A.1 is worth 10 points (A.2 takes the other 2).
    edited = changed(
        PROVINCE,
        ("points = 12", "points = 10"),
        ('points = 10\nscoring = "met"', 'points = 12\nscoring = "met"'),
    )
    write(tmp_path / "criteria", "tinh-thu-2025.toml", edited)
    after = province_score(tmp_path)
    assert (after.general, after.tasks, after.total) == (18, 70, 88)
    assert level(after.general, after.tasks) == "HTTNV"
    assert A1_SENTENCE in after.explanation.splitlines()
    assert after.explanation.splitlines()[0] == (
        "Tổng điểm: 88/100 (tiêu chí chung 18/30; kết quả thực hiện nhiệm vụ 70/70)."
    )
    # A.2 was not met either time: it lost its points in both and is no cause of the change.
    assert before.item("A.2").points == after.item("A.2").points == 0
