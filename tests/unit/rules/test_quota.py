"""The HTXSNV quotas: the numbers of the meter, of validate and of propose are the same."""

from __future__ import annotations

from fractions import Fraction

import pytest

from app.domain.rules import QuotaRule, copy_ruleset, quota, validate
from app.domain.rules.quota import allowed_for, kept_after_trim
from tests.unit.rules.helpers import (
    COMMUNE,
    RULESET_IDS,
    YEAR,
    cell,
    commune,
    m,
    member,
    o,
    of_check,
    period,
    ruleset,
)


def members_with(levels: list[str], cells: tuple[int, ...] = (10,)) -> tuple[list, dict]:
    members = [member(i + 1, cell=cells[i % len(cells)]) for i in range(len(levels))]
    return members, {m(i + 1): lv for i, lv in enumerate(levels)}


@pytest.mark.parametrize("rs_id", ["qd132-2018", "qd124-2023", "qd366-2025"])
def test_nine_httnv_allow_one_htxsnv(rs_id: str) -> None:
    members, levels = members_with(["HTTNV"] * 9 + ["HTXSNV"] * 2)
    p = period(members, year=YEAR[rs_id])
    status = quota(ruleset(rs_id), p, levels, COMMUNE)
    assert (status.base_count, status.allowed, status.used, status.over) == (9, 1, 2, 1)
    assert status.sentence == "Tối đa 1 HTXSNV = 20% của 9 HTTNV (làm tròn xuống)"
    assert status.rate == Fraction(1, 5) and status.rounding == "floor"
    findings = of_check(validate(ruleset(rs_id), p, levels), "member_quota")
    assert [(f.subject, f.severity, f.level) for f in findings] == [
        (o(COMMUNE), "blocking", "HTXSNV")
    ]
    assert findings[0].message == (
        "Đảng bộ xã Na Tông có 2 HTXSNV, vượt mức tối đa 1 (20% của 9 HTTNV, làm tròn xuống)."
    )
    assert findings[0].citation == status.citation
    assert (findings[0].confidence_note is None) is (rs_id == "qd132-2018")
    levels.pop(m(11))
    assert of_check(validate(ruleset(rs_id), p, levels), "member_quota") == []


def test_quota_is_counted_over_the_grassroots_organisation() -> None:
    members, levels = members_with(["HTTNV"] * 10 + ["HTXSNV", "HTNV", "HTXSNV"], cells=(10, 11))
    p = period(members, year=2020)
    status = quota(ruleset("qd132-2018"), p, levels, COMMUNE)
    assert (status.base_count, status.allowed, status.used) == (10, 2, 2)
    assert of_check(validate(ruleset("qd132-2018"), p, levels), "member_quota") == []
    # Per cell, the same members would exceed it.
    per_cell = copy_ruleset(ruleset("qd132-2018"), "x", "x", {"member_quota.scope": "cell"})
    findings = of_check(validate(per_cell, p, levels), "member_quota")
    assert [f.subject for f in findings] == [o(10)]
    assert (
        quota(per_cell, p, levels, 10).sentence
        == "Tối đa 1 HTXSNV = 20% của 5 HTTNV (làm tròn xuống)"
    )


def test_vietnamese_numbers_in_the_sentence() -> None:
    members, levels = members_with(["HTTNV"] * 6185 + ["HTXSNV"] * 1300)
    status = quota(ruleset("qd366-2025"), period(members), levels, COMMUNE)
    assert status.sentence == "Tối đa 1.237 HTXSNV = 20% của 6.185 HTTNV (làm tròn xuống)"
    assert status.over == 63


def test_base_and_rounding_parameters() -> None:
    members, levels = members_with(["HTTNV"] * 8 + ["HTXSNV"] * 3)
    p = period(members, year=2020)
    better = copy_ruleset(ruleset("qd132-2018"), "x", "x", {"member_quota.base": "httnv_or_better"})
    status = quota(better, p, levels, COMMUNE)
    assert (status.base_count, status.allowed) == (11, 2)
    assert status.sentence == "Tối đa 2 HTXSNV = 20% của 11 HTTNV trở lên (làm tròn xuống)"
    rounded = copy_ruleset(ruleset("qd132-2018"), "x", "x", {"member_quota.rounding": "half_up"})
    assert quota(rounded, p, levels, COMMUNE).allowed == 2  # 1,6 → 2
    assert quota(rounded, p, levels, COMMUNE).sentence.endswith("(làm tròn)")


def test_hd27_member_quota_is_off() -> None:
    members, levels = members_with(["HTTNV"] * 2 + ["HTXSNV"] * 5)
    p = period(members, year=2017)
    status = quota(ruleset("hd27-2014"), p, levels, COMMUNE)
    assert (status.enabled, status.allowed, status.used, status.over) == (False, None, 5, 0)
    assert status.sentence == "Bộ quy tắc này không giới hạn số HTXSNV."
    assert of_check(validate(ruleset("hd27-2014"), p, levels), "member_quota") == []
    on = copy_ruleset(ruleset("hd27-2014"), "x", "x", {"member_quota.enabled": True})
    assert of_check(validate(on, p, levels), "member_quota")[0].confidence_note is not None


@pytest.mark.parametrize("rs_id", ["qd132-2018", "qd124-2023", "qd366-2025"])
def test_organisation_quota_among_cells_of_the_same_parent(rs_id: str) -> None:
    orgs = [commune(), *(cell(10 + i) for i in range(6))]
    p = period([member(1)], orgs, YEAR[rs_id])
    levels = {o(10): "HTXSNV", o(11): "HTXSNV", **{o(12 + i): "HTTNV" for i in range(4)}}
    status = quota(ruleset(rs_id), p, levels, COMMUNE, kind="org")
    assert (status.base_count, status.allowed, status.used) == (4, 0, 2)
    findings = of_check(validate(ruleset(rs_id), p, levels), "org_quota")
    assert [(f.subject, f.level) for f in findings] == [(o(COMMUNE), "HTXSNV")]
    assert findings[0].message == (
        "Đảng bộ xã Na Tông có 2 HTXSNV, vượt mức tối đa 0 (20% của 4 HTTNV, làm tròn xuống)."
    )


def test_hd27_exemplary_quota_only_warns() -> None:
    orgs = [commune(), *(cell(10 + i) for i in range(5))]
    p = period([member(1)], orgs, 2017)
    levels = {o(10): "TSVM_TB", o(11): "TSVM_TB", o(12): "TSVM", o(13): "TSVM", o(14): "TSVM"}
    status = quota(ruleset("hd27-2014"), p, levels, COMMUNE, kind="exemplary")
    assert (status.base_count, status.allowed, status.used) == (5, 1, 2)
    assert status.sentence == "Tối đa 1 TSVM tiêu biểu = 20% của 5 TSVM (làm tròn xuống)"
    findings = of_check(validate(ruleset("hd27-2014"), p, levels), "exemplary_quota")
    assert [(f.severity, f.level) for f in findings] == [("warning", "TSVM_TB")]
    assert (
        findings[0].confidence_note
        == "Theo thực tiễn địa phương, chưa chắc chắn; có thể điều chỉnh."
    )
    assert quota(ruleset("hd27-2014"), p, levels, COMMUNE, kind="org").enabled is False


@pytest.mark.parametrize("rs_id", RULESET_IDS)
def test_which_regime_has_which_quota(rs_id: str) -> None:
    rs = ruleset(rs_id)
    assert (rs.member_quota is not None and rs.member_quota.enabled) is (rs_id != "hd27-2014")
    assert (rs.org_quota is not None) is (rs_id != "hd27-2014")
    assert (rs.exemplary_quota is not None) is (rs_id == "hd27-2014")


@pytest.mark.parametrize(
    ("httnv", "candidates", "base", "kept"),
    [
        (9, 2, "httnv", 1),
        (8, 4, "httnv", 2),  # keeping 2 leaves 10 HTTNV: 20% of 10 = 2 (not 20% of 8 = 1)
        (5, 5, "httnv", 1),
        (0, 3, "httnv", 0),
        (4, 1, "httnv", 0),
        (8, 4, "httnv_or_better", 2),
        (20, 1, "httnv", 1),
    ],
)
def test_trimming_raises_the_base(httnv: int, candidates: int, base: str, kept: int) -> None:
    rule = QuotaRule(rate=Fraction(1, 5), base=base)  # type: ignore[arg-type]
    scale = ruleset("qd132-2018").member_levels
    codes = ["HTTNV"] * httnv + ["HTXSNV"] * candidates + ["HTNV"]
    assert kept_after_trim(rule, scale, codes) == kept
    # The largest n with n ≤ floor(rate × (H + C − n)).
    brute = max(
        n for n in range(candidates + 1)
        if n <= allowed_for(rule, httnv + (candidates - n if base == "httnv" else candidates))
    )  # fmt: skip
    assert kept == brute
