"""The shipped criteria set: it loads, mirrors QĐ 366's annexes as far as the sources go, and
says how sure each part is."""

from __future__ import annotations

from fractions import Fraction

from app.domain.criteria import (
    SUBJECTS,
    CriteriaSubject,
    ScaleScoring,
    discover_criteria,
    load_criteria,
    ruleset_mismatches,
    score_entries,
)
from app.domain.rules import load_ruleset
from app.domain.vocabulary import FormCategory, OrgKind
from app.paths import rulesets_dir
from tests.unit.criteria.helpers import SHIPPED

QD366 = SHIPPED / "qd366-2025.toml"


def test_every_shipped_set_loads_without_errors_and_is_named_after_its_id() -> None:
    catalog = discover_criteria(SHIPPED)
    assert catalog.errors == ()
    assert sorted(catalog.sets) == ["qd366-2025"]
    for set_id in catalog.sets:
        assert (SHIPPED / f"{set_id}.toml").is_file()
    assert catalog.default(2025) is catalog.get("qd366-2025")
    assert catalog.offered(2024) == []  # QĐ 366 applies from the 2025 review


def test_one_sheet_per_annex_used_in_a_commune_each_30_general_and_70_results() -> None:
    cset = load_criteria(QD366)
    assert cset.total == 100 and cset.first_year == 2025 and cset.last_year is None
    assert [s.key for s in cset.sheets] == ["pl1", "pl3", "pl4", "pl5"]  # no annex 2
    for sheet in cset.sheets:
        assert [(g.key, g.part, g.points) for g in sheet.groups] == [
            ("A", "general", 30),
            ("B", "tasks", 70),
        ]
        assert sheet.citation.startswith("Quy định 366-QĐ/TW")
        for group in sheet.groups:
            assert sum(item.points for item in group.items) == group.points


def test_every_subject_of_the_app_has_exactly_one_sheet() -> None:
    cset = load_criteria(QD366)
    assert sorted(cset.subjects()) == sorted(SUBJECTS)
    assert cset.sheet_for(CriteriaSubject.member(FormCategory.C)).key == "pl5"
    assert cset.sheet_for(CriteriaSubject.member(FormCategory.A)).key == "pl4"
    assert cset.sheet_for(CriteriaSubject.member(FormCategory.B)).key == "pl3"
    for kind in OrgKind:
        assert cset.sheet_for(CriteriaSubject.org(kind)).key == "pl1"
        assert cset.sheet_for(CriteriaSubject.collective(kind)).key == "pl1"


def test_confidence_marks_follow_the_sources() -> None:
    """The 30/70 split is sure; the items are the annexes' headings with placeholder points,
    so each is unsure, and so is the set as a whole."""
    cset = load_criteria(QD366)
    assert cset.confidence == "unsure"
    assert {s.key: s.confidence for s in cset.sheets} == {
        "pl1": "likely", "pl3": "unsure", "pl4": "unsure", "pl5": "likely",
    }  # fmt: skip
    for sheet in cset.sheets:
        assert {g.confidence for g in sheet.groups} == {"sure"}
        for item in sheet.items:
            assert item.confidence == "unsure", item.key
            assert item.citation and item.guide
            assert item.scoring == ScaleScoring()  # 0..max: nothing finer is known


def test_the_file_says_where_it_comes_from_and_that_a_province_adjusts_it() -> None:
    text = QD366.read_text(encoding="utf-8")
    header = text[: text.index("format = 1")]
    for words in ("vietnamnet.vn", "Mẫu 2C", "chia đều tạm thời", 'based_on = "qd366-2025"'):
        assert words in header, words


def test_the_shipped_set_fits_the_qd366_rule_sets_score() -> None:
    score = load_ruleset(rulesets_dir() / "qd366-2025.toml").score
    assert score is not None
    assert ruleset_mismatches(load_criteria(QD366), score) == []


def test_a_village_member_scored_on_the_shipped_set() -> None:
    entries = {"A.1": 10, "A.2": 9.5, "A.3": 10, "B.1": 62}
    score = score_entries(load_criteria(QD366), "member:2C", entries)
    assert score.complete
    assert (score.general, score.tasks, score.total) == (Fraction(59, 2), 62, Fraction(183, 2))
    assert score.explanation.splitlines()[0] == (
        "Tổng điểm: 91,5/100 (tiêu chí chung 29,5/30; kết quả thực hiện nhiệm vụ 62/70)."
    )
