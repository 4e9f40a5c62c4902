"""The small answers other rules lean on: which levels are low (and need a reason), which
reasons a member or an organisation may be given, and a level's share of the vote."""

from __future__ import annotations

import dataclasses
from fractions import Fraction

import pytest

from app.domain.rules.low_reasons import is_low, reasons_for
from app.domain.rules.votes import VoteOutcome
from tests.unit.rules.helpers import ruleset

SHIPPED = ("qd366-2025", "qd124-2023", "qd132-2018", "hd27-2014")


@pytest.mark.parametrize("rs_id", ["qd366-2025"])
@pytest.mark.parametrize("kind", ["member", "org", "cell"])
def test_the_two_lowest_tiers_are_low_and_nothing_else_is(rs_id: str, kind: str) -> None:
    rs = ruleset(rs_id)
    low = {code for code in ("HTXSNV", "HTTNV", "HTNV", "KHTNV") if is_low(rs, kind, code)}
    assert low == {"HTNV", "KHTNV"}
    assert not is_low(rs, kind, None)
    assert not is_low(rs, kind, "XYZ")  # not a level of the scale


def test_reasons_are_the_subjects_own() -> None:
    rs = ruleset("qd366-2025")
    # As resources/rulesets/qd366-2025.toml lists them: R1–R4 and R9 for members, R5–R8
    # for organisations, the last five for both.
    both = ["DIEM", "TYLE", "HC", "NV", "KHAC"]
    assert [r.code for r in reasons_for(rs, "member")] == ["R1", "R2", "R3", "R4", "R9", *both]
    assert [r.code for r in reasons_for(rs, "org")] == ["R5", "R6", "R7", "R8", *both]
    assert [r.code for r in reasons_for(rs, "cell")] == ["R5", "R6", "R7", "R8", *both]
    bare = dataclasses.replace(rs, low_levels=None)
    assert reasons_for(bare, "member") == ()


@pytest.mark.parametrize("rs_id", SHIPPED)
def test_every_shipped_rule_set_names_reasons_for_both_kinds(rs_id: str) -> None:
    rs = ruleset(rs_id)
    assert reasons_for(rs, "member") and reasons_for(rs, "org")


def test_a_levels_share_of_the_vote() -> None:
    outcome = VoteOutcome("HTTNV", "", 8, {"HTTNV": 6, "HTNV": 1})
    assert outcome.share("HTTNV") == Fraction(3, 4)
    assert outcome.share("HTNV") == Fraction(1, 8)
    assert outcome.share("HTXSNV") == 0  # no votes cast for it
    assert VoteOutcome(None, "", 0, {}).share("HTTNV") == 0  # nobody could vote
    assert VoteOutcome(None, "", 1, {"HTTNV": 1}).share("HTTNV") == 1
    assert VoteOutcome(None, "", 1, {}).share("HTTNV") == 0
