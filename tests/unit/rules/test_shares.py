"""The one base of the shares of levels the checks and the summary count on."""

from __future__ import annotations

from fractions import Fraction

from app.domain.rules.shares import Share, level_share, share_base, tally


def test_the_base_is_the_subjects_with_a_level() -> None:
    """domain.md §3.3 R6 and §4 (summary tables): a subject "Không xếp loại" or without a
    level is outside both part and whole."""
    counts = tally(["KHTNV", "HTTNV", None, "HTTNV", "HTNV", None])
    assert share_base(counts) == 4
    share = level_share(counts, lambda code: code == "KHTNV")
    assert share == Share(1, 4)
    assert share.over(Fraction(1, 5)) and not share.over(Fraction(1, 4))
    assert share.over(Fraction(1, 4), strict=False)
    assert share_base({None: 3, "HTNV": 2}) == 2


def test_an_empty_base_is_never_over_or_under() -> None:
    """domain.md §3.3 R5/R6: with nobody classified there is no share to judge."""
    empty = level_share(tally([None, None]), lambda code: True)
    assert empty == Share(0, 0) and empty.ratio == 0
    assert not empty.over(Fraction(0)) and not empty.under(Fraction(1, 2))
