"""The year drawn from the quarterly ratings (issue 24): the rule set's parameters decide how
(average or lowest, the superior's rating or the member's own, how many quarters), the result
is explained in words, and the year's level may not be above it (R13, a warning in qd366)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app.domain.quarters import QuarterRating, QuarterRule, derive_year
from app.domain.rules import copy_ruleset, validate
from app.domain.rules.checks_quarters import year_from_quarters
from app.domain.rules.frozen import FrozenMap
from tests.unit.rules.helpers import m, member, of_check, period, ruleset

RS = ruleset("qd366-2025")
THRESHOLDS = dict(RS.score.thresholds) if RS.score else {}
SCALE = RS.member_levels

FOUR = (
    QuarterRating(1, self_score=95, superior_score=92),
    QuarterRating(2, self_score=90, superior_score=88),
    QuarterRating(3, self_score=88, superior_score=85),
    QuarterRating(4, self_score=92, superior_score=90),
)


def test_the_average_of_the_superiors_points_gives_the_year_with_the_sum_in_words() -> None:
    derived = derive_year(FOUR, QuarterRule(), SCALE, THRESHOLDS)
    assert (derived.level, derived.score) == ("HTTNV", 88.75)
    assert derived.words == (
        "Kết quả năm theo quý (điểm bình quân của các quý, theo kết quả cấp trên đánh giá): "
        "Quý I 92; Quý II 88; Quý III 85; Quý IV 90 → (92 + 88 + 85 + 90) : 4 = 88,75 điểm, "
        "đạt mức Hoàn thành tốt nhiệm vụ (từ 70 điểm)."
    )


def test_the_members_own_points_when_the_rule_set_says_so() -> None:
    derived = derive_year(FOUR, QuarterRule(source="self"), SCALE, THRESHOLDS)
    assert (derived.level, derived.score) == ("HTXSNV", 91.25)
    assert "theo kết quả tự đánh giá" in derived.words


def test_a_quarter_the_superior_has_not_rated_yet_takes_the_self_rating_and_says_so() -> None:
    ratings = (*FOUR[:3], QuarterRating(4, self_score=100))
    derived = derive_year(ratings, QuarterRule(), SCALE, THRESHOLDS)
    assert derived.score == pytest.approx((92 + 88 + 85 + 100) / 4)
    assert "Quý IV cấp trên chưa đánh giá, tạm lấy tự đánh giá" in derived.words


def test_the_lowest_quarter_names_its_level_and_quarter() -> None:
    ratings = (
        QuarterRating(1, superior_level="HTXSNV"),
        QuarterRating(2, superior_score=72),  # placed by the thresholds: HTTNV
        QuarterRating(3, superior_level="HTNV"),
        QuarterRating(4, superior_level="HTTNV"),
    )
    derived = derive_year(ratings, QuarterRule(derive="lowest"), SCALE, THRESHOLDS)
    assert derived.level == "HTNV"
    assert derived.words.endswith(
        "Quý I HTXSNV; Quý II HTTNV; Quý III HTNV; Quý IV HTTNV → mức thấp nhất là Hoàn thành "
        "nhiệm vụ (Quý III)."
    )


def test_too_few_quarters_derive_nothing_and_say_which_are_there() -> None:
    derived = derive_year(FOUR[:2], QuarterRule(), SCALE, THRESHOLDS)
    assert derived.level is None
    assert "mới có kết quả 2/4 quý (Quý I, Quý II); cần đủ 4 quý" in derived.words
    # Three quarters are enough where the rule set asks for three.
    assert derive_year(FOUR[:3], QuarterRule(needed=3), SCALE, THRESHOLDS).level == "HTTNV"


def test_an_average_needs_points_in_every_quarter() -> None:
    ratings = (*FOUR[:3], QuarterRating(4, superior_level="HTXSNV"))
    derived = derive_year(ratings, QuarterRule(), SCALE, THRESHOLDS)
    assert derived.level is None
    assert "Quý IV chỉ có mức xếp loại, chưa có điểm" in derived.words


def quarterly_findings(level: str, **fields) -> list:
    p = period([member(1, **fields)], year=2026)
    return of_check(validate(RS, p, {m(1): level}), "quarterly")


def test_a_post_holder_proposed_above_the_quarters_is_warned_with_the_derivation() -> None:
    findings = quarterly_findings("HTXSNV", holds_party_post=True, quarters=FOUR)
    assert [(f.severity, f.level) for f in findings] == [("warning", "HTTNV")]
    assert "(92 + 88 + 85 + 90) : 4 = 88,75 điểm" in findings[0].message
    assert findings[0].message.endswith("nên chỉ được xếp loại tối đa Hoàn thành tốt nhiệm vụ.")
    assert findings[0].citation.startswith("Quy định 366-QĐ/TW")
    # At or below what the quarters give: nothing to say.
    assert quarterly_findings("HTTNV", holds_party_post=True, quarters=FOUR) == []


def test_members_not_rated_by_quarter_are_left_alone() -> None:
    # No post: the shipped rule rates post holders only.
    assert quarterly_findings("HTXSNV", quarters=FOUR) == []
    # A post but nothing entered: a commune that does not rate by quarter sees nothing.
    assert quarterly_findings("HTXSNV", holds_other_post=True) == []
    assert year_from_quarters(RS, member(1, holds_party_post=True)) is None


def test_missing_quarters_are_a_warning_without_a_level() -> None:
    findings = quarterly_findings("HTTNV", holds_other_post=True, quarters=FOUR[:3])
    assert [(f.severity, f.level) for f in findings] == [("warning", None)]
    assert "mới có kết quả 3/4 quý" in findings[0].message


def test_a_province_may_make_it_binding_and_derive_from_the_lowest_quarter() -> None:
    data_rs = copy_ruleset(RS, "tinh-thu", "Bản của tỉnh")
    spec = data_rs.check("quarterly")
    assert spec is not None and spec.params["derive"] == "average"
    strict = replace(
        spec, severity="blocking", params=FrozenMap({**spec.params, "derive": "lowest"})
    )
    rs = replace(
        data_rs, checks=tuple(strict if c.name == "quarterly" else c for c in data_rs.checks)
    )
    p = period([member(1, holds_party_post=True, quarters=FOUR)], year=2026)
    findings = of_check(validate(rs, p, {m(1): "HTXSNV"}), "quarterly")
    assert [(f.severity, f.level) for f in findings] == [("blocking", "HTTNV")]
    assert "mức thấp nhất là Hoàn thành tốt nhiệm vụ (Quý II, Quý III)" in findings[0].message
