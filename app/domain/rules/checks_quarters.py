"""The year's level against the quarterly ratings (R13, issue 24).

A member rated quarterly (by default a cadre holding a post) may not be rated above what the
quarters give for the year; the rule set says how the year is drawn from them (``derive``,
``source``, ``quarters_needed``, ``holders``: ``app.domain.quarters``). A member with some
quarters entered but not enough is told which are missing. Members nobody rated quarterly are
left alone: a commune that does not rate by quarter sees nothing of this check.
"""

from __future__ import annotations

from collections.abc import Iterator

from app.domain.quarters import (
    DERIVES,
    HOLDERS,
    SOURCES,
    Derivation,
    QuarterRule,
    derive_year,
)
from app.domain.rules.checkkit import cap, finding, members_with_levels
from app.domain.rules.context import Context
from app.domain.rules.facts import MemberFacts, Subject
from app.domain.rules.findings import Finding, member_name
from app.domain.rules.model import CheckSpec, RuleSet
from app.domain.rules.registry import Param, register
from app.domain.rules.schema import ChoiceSpec, IntSpec

NAME = "quarterly"


def quarter_rule(spec: CheckSpec) -> QuarterRule:
    params = spec.params
    return QuarterRule(
        derive=params["derive"],
        source=params["source"],
        needed=params["quarters_needed"],
        holders=params["holders"],
    )


def ruleset_quarter_rule(rs: RuleSet) -> QuarterRule | None:
    """The rule set's quarterly rule, or None when it does not rate by quarter."""
    spec = rs.check(NAME)
    return quarter_rule(spec) if spec is not None and spec.enabled else None


def score_thresholds(rs: RuleSet) -> dict[str, float]:
    """The member levels' score thresholds, where the rule set scores members."""
    model = rs.score
    if model is None or not model.enabled or "member" not in model.applies_to:
        return {}
    return dict(model.thresholds)


def rated_quarterly(rule: QuarterRule, facts: MemberFacts) -> bool:
    return rule.applies(facts.holds_party_post, facts.holds_other_post)


def year_from_quarters(rs: RuleSet, facts: MemberFacts) -> Derivation | None:
    """The member's year drawn from their quarters under *rs*; None when the rule set does
    not rate by quarter, nothing is entered, or the member is not among those rated."""
    rule = ruleset_quarter_rule(rs)
    if rule is None or not facts.quarters or not rated_quarterly(rule, facts):
        return None
    return derive_year(facts.quarters, rule, rs.member_levels, score_thresholds(rs))


@register(
    NAME,
    "Kết quả đánh giá, xếp loại theo quý (R13)",
    {
        "derive": Param(ChoiceSpec("Kết quả năm lấy từ các quý theo", DERIVES), "average"),
        "source": Param(ChoiceSpec("Lấy kết quả của quý theo", SOURCES), "superior"),
        "quarters_needed": Param(IntSpec("Số quý phải có kết quả", 1, 4, "quý"), 4),
        "holders": Param(ChoiceSpec("Đảng viên đánh giá theo quý", HOLDERS), "post_holders"),
    },
)
def quarterly(spec: CheckSpec, ctx: Context) -> Iterator[Finding]:
    rule = quarter_rule(spec)
    thresholds = score_thresholds(ctx.rs)
    for m, level in members_with_levels(ctx):
        if not m.quarters or not rated_quarterly(rule, m):
            continue
        subject = Subject("member", m.member_id)
        derived = derive_year(m.quarters, rule, ctx.rs.member_levels, thresholds)
        if derived.level is None:
            message = f"{member_name(m)} — {derived.words}"
            yield finding(spec, subject, None, message, severity="warning")
            continue
        why = f"{member_name(m)} — {derived.words.rstrip('.')}"
        yield from cap(spec, ctx, subject, level, derived.level, why)
