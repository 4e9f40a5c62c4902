"""The level a vote gives, and its explanation."""

from __future__ import annotations

from fractions import Fraction

import pytest

from app.domain.rules import (
    CellVoting,
    RuleSetError,
    TallyError,
    copy_ruleset,
    load_ruleset_text,
    parameters,
    ruleset_to_toml,
    validate,
    vote_outcome,
)
from tests.unit.rules.helpers import CELL, m, member, o, of_check, period, ruleset, tally

NINE = CellVoting(CELL, 9, 9)


def test_majority_for_the_top_level() -> None:
    out = vote_outcome(ruleset("qd132-2018"), tally(m(1), HTXSNV=5, HTTNV=4), NINE)
    assert out.level == "HTXSNV"
    assert out.explanation == "HTXSNV: 5/9 phiếu (55,56%) > 50%"
    assert out.share("HTXSNV") == Fraction(5, 9)


def test_cascade_adds_votes_of_better_levels() -> None:
    out = vote_outcome(ruleset("qd132-2018"), tally(m(1), HTXSNV=4, HTTNV=3, HTNV=2), NINE)
    assert out.level == "HTTNV"
    assert out.explanation == "HTTNV: 3 + 4 phiếu mức cao hơn = 7/9 (77,78%) > 50%"
    assert out.support["HTNV"] == 9


def test_without_cascade_no_level_passes() -> None:
    rs = copy_ruleset(ruleset("qd132-2018"), "x", "x", {"vote.cascade": False})
    out = vote_outcome(rs, tally(m(1), HTXSNV=4, HTTNV=3, HTNV=2), NINE)
    assert out.level is None
    assert out.explanation == (
        "Không mức nào được quá 50% của 9 đảng viên chính thức; nhiều phiếu nhất là HTXSNV "
        "(4/9, 44,44%). Đảng ủy xã xem xét, quyết định."
    )


def test_denominator_counts_absent_members() -> None:
    # 5 of 10 official members voted HTXSNV: exactly half is not "more than half".
    out = vote_outcome(ruleset("qd366-2025"), tally(m(1), HTXSNV=5), CellVoting(CELL, 10, 6))
    assert out.level is None
    assert "Đảng ủy xã xem xét, quyết định" in out.explanation
    present = copy_ruleset(
        ruleset("qd366-2025"), "x", "x", {"vote.denominator": "present_official"}
    )
    out = vote_outcome(present, tally(m(1), HTXSNV=5), CellVoting(CELL, 10, 6))
    assert (out.level, out.explanation) == ("HTXSNV", "HTXSNV: 5/6 phiếu (83,33%) > 50%")


def test_non_strict_threshold_and_two_thirds() -> None:
    rs = copy_ruleset(
        ruleset("qd132-2018"), "x", "x", {"vote.thresholds.HTXSNV": "2/3", "vote.strict": False}
    )
    out = vote_outcome(rs, tally(m(1), HTXSNV=6, HTTNV=3), NINE)
    assert out.explanation == "HTXSNV: 6/9 phiếu (66,67%) ≥ 66,67%"
    out = vote_outcome(rs, tally(m(1), HTXSNV=5, HTTNV=4), NINE)
    assert out.level == "HTTNV"
    half = vote_outcome(rs, tally(m(1), HTXSNV=1, HTTNV=4, HTNV=3), CellVoting(CELL, 10, 8))
    assert half.explanation == "HTTNV: 4 + 1 phiếu mức cao hơn = 5/10 (50%) ≥ 50%"


def test_hd27_organisation_vote_uses_its_own_levels() -> None:
    rs = ruleset("hd27-2014")
    out = vote_outcome(rs, tally(o(CELL), TSVM_TB=3, TSVM=4, HTTNV=2), NINE)
    assert out.level == "TSVM"
    assert out.explanation == "TSVM: 4 + 3 phiếu mức cao hơn = 7/9 (77,78%) > 50%"
    with pytest.raises(TallyError, match="Phiếu ghi mức “HTXSNV” không có trong bộ quy tắc"):
        vote_outcome(rs, tally(o(CELL), HTXSNV=5), NINE)


@pytest.mark.parametrize(
    ("counts", "message"),
    [
        (
            {"HTXSNV": 6, "HTTNV": 4},
            "Tổng số phiếu (10) nhiều hơn số đảng viên chính thức được tính (9)",
        ),
        ({"HTXSNV": -1}, "Số phiếu mức HTXSNV phải là số nguyên không âm"),
        ({"XS": 1}, "Phiếu ghi mức “XS” không có trong bộ quy tắc"),
    ],
)
def test_impossible_tallies_raise(counts: dict[str, int], message: str) -> None:
    with pytest.raises(TallyError) as info:
        vote_outcome(ruleset("qd132-2018"), tally(m(1), **counts), NINE)
    assert message in str(info.value)


def test_no_voters() -> None:
    out = vote_outcome(ruleset("qd132-2018"), tally(m(1)), CellVoting(CELL, 0, 0))
    assert out.level is None
    assert out.explanation.startswith("Không có đảng viên chính thức để biểu quyết")


def test_validate_reports_bad_tallies_and_quorum_as_warnings() -> None:
    rs = ruleset("qd132-2018")
    p = period(
        [member(1), member(2)],
        year=2020,
        votes=[tally(m(1), HTXSNV=8, HTTNV=3), tally(m(2), HTTNV=1)],
        voting=[CellVoting(CELL, 9, 4)],
    )
    findings = validate(rs, p, {m(1): "HTTNV", m(2): "HTTNV"})
    vote = of_check(findings, "vote")
    assert [f.severity for f in vote] == ["warning"]
    assert vote[0].message == (
        "Phiếu biểu quyết cho đồng chí Lò Văn Pọm: tổng số phiếu (11) nhiều hơn số đảng viên "
        "chính thức được tính (9); cần kiểm tra lại."
    )
    quorum = of_check(findings, "quorum")
    assert [f.severity for f in quorum] == ["warning"]
    assert quorum[0].message == (
        "Hội nghị Chi bộ bản Na Tông chỉ có 4/9 đảng viên chính thức có mặt (44,44%), chưa quá "
        "50%; cần xem lại tính hợp lệ của hội nghị."
    )
    assert quorum[0].confidence_note is not None


@pytest.mark.parametrize(("present", "ok"), [(5, True), (4, False)])
def test_quorum_needs_more_than_half(present: int, ok: bool) -> None:
    p = period([member(1)], voting=[CellVoting(CELL, 8 if present == 4 else 9, present)])
    quorum = of_check(validate(ruleset("qd366-2025"), p, {}), "quorum")
    assert (quorum == []) is ok


def test_when_no_level_passes_the_text_says_the_share_each_level_needed() -> None:
    base = copy_ruleset(ruleset("qd132-2018"), "x", "x", {"vote.cascade": False})
    counts = tally(m(1), HTXSNV=4, HTTNV=3, HTNV=2)
    # "from" half when the rule set counts exactly half as enough.
    at_least = copy_ruleset(base, "y", "y", {"vote.strict": False})
    out = vote_outcome(at_least, tally(m(1), HTXSNV=4, HTTNV=3, HTNV=1, KHTNV=0), NINE)
    assert out.level is None
    assert out.explanation == (
        "Không mức nào được từ 50% của 9 đảng viên chính thức; nhiều phiếu nhất là HTXSNV "
        "(4/9, 44,44%). Đảng ủy xã xem xét, quyết định."
    )
    # Levels with shares of their own: no single share to quote.
    uneven = copy_ruleset(base, "z", "z", {"vote.thresholds.HTXSNV": 0.6})
    out = vote_outcome(uneven, counts, NINE)
    assert out.level is None
    assert out.explanation == (
        "Không mức nào được đủ tỷ lệ cần thiết (HTXSNV > 60%; HTTNV > 50%; HTNV > 50%; "
        "KHTNV > 50%) của 9 đảng viên chính thức; nhiều phiếu nhất là HTXSNV (4/9, 44,44%). "
        "Đảng ủy xã xem xét, quyết định."
    )


# Strictness per level ----------------------------------------------------------------------

RULESET_IDS = ("hd27-2014", "qd132-2018", "qd124-2023", "qd366-2025")


@pytest.mark.parametrize("rs_id", RULESET_IDS)
def test_shipped_rule_sets_keep_every_level_strictly_above_half(rs_id: str) -> None:
    """domain.md §4 (the cell's vote; rules.md "threshold": more than 50% for any level):
    without ``strict_levels`` every level follows ``strict``, today's behaviour; 5 of 10 for
    HTXSNV is exactly half, not more, and the explanation names "> 50%"."""
    rs = ruleset(rs_id)
    assert dict(rs.vote.strict_levels) == {}
    assert all(rs.vote.strict_for(code) for code in rs.vote.thresholds)
    ten = CellVoting(CELL, 10, 10)
    top = rs.member_levels.highest.code
    second = rs.member_levels.levels[1]
    out = vote_outcome(rs, tally(m(1), **{top: 5, second.code: 1}), ten)
    assert out.level == second.code
    assert out.explanation == f"{second.short}: 1 + 5 phiếu mức cao hơn = 6/10 (60%) > 50%"
    listed = {p.path: p for p in parameters(rs)}
    strict = listed[f"vote.strict_levels.{top}"]
    assert (strict.kind, strict.value, strict.text) == ("bool", True, "có")
    assert strict.label == f"Mức {top}: phải “trên” tỷ lệ phiếu (không tính trường hợp bằng đúng)"
    assert strict.citation == rs.vote.citation


def hd07(rs_id: str):
    """HD 07-2011's vote: HTXSNV needs at least 2/3, the other levels more than half."""
    return copy_ruleset(
        ruleset(rs_id),
        "hd07",
        "HD 07",
        {"vote.thresholds.HTXSNV": "2/3", "vote.strict_levels.HTXSNV": False},
    )


@pytest.mark.parametrize("rs_id", RULESET_IDS)
def test_strictness_differs_by_level(rs_id: str) -> None:
    """domain.md §4 (HD 07-2011: ≥ 2/3 for HTXSNV, > 1/2 for HTTNV): exactly two thirds
    passes HTXSNV ("≥"), while exactly half does not pass HTTNV (">"); each explanation names
    the threshold used."""
    rs = hd07(rs_id)
    assert rs.vote.strict_for("HTXSNV") is False and rs.vote.strict_for("HTTNV") is True
    out = vote_outcome(rs, tally(m(1), HTXSNV=6, HTTNV=3), NINE)
    assert (out.level, out.explanation) == ("HTXSNV", "HTXSNV: 6/9 phiếu (66,67%) ≥ 66,67%")
    # 5 of 9 HTXSNV is below two thirds; the cascade gives HTTNV on "more than half".
    out = vote_outcome(rs, tally(m(1), HTXSNV=5, HTTNV=4), NINE)
    assert (out.level, out.explanation) == (
        "HTTNV",
        "HTTNV: 4 + 5 phiếu mức cao hơn = 9/9 (100%) > 50%",
    )
    ten = CellVoting(CELL, 10, 10)
    without_cascade = copy_ruleset(rs, "hd07b", "HD 07", {"vote.cascade": False})
    out = vote_outcome(without_cascade, tally(m(1), HTXSNV=4, HTTNV=5, HTNV=1), ten)
    assert out.level is None
    assert out.explanation.startswith(
        "Không mức nào được đủ tỷ lệ cần thiết (HTXSNV ≥ 66,67%; HTTNV > 50%; HTNV > 50%; "
        "KHTNV > 50%) của 10 đảng viên chính thức"
    )


def test_strictness_per_level_is_written_and_read_back() -> None:
    """domain.md §4: the per-level strictness survives the rule set's TOML round trip."""
    rs = hd07("qd366-2025")
    text = ruleset_to_toml(rs)
    assert "strict_levels = { HTXSNV = false }" in text
    again = load_ruleset_text(text, "hd07.toml")
    assert again.vote == rs.vote


def test_strictness_for_an_unknown_level_is_refused() -> None:
    """domain.md §4: a level the rule set lacks cannot carry a strictness."""
    with pytest.raises(RuleSetError) as error:
        copy_ruleset(ruleset("qd132-2018"), "x", "x", {"vote.strict_levels.TSVM": False})
    assert "TSVM" in str(error.value)
