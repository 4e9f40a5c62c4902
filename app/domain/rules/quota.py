"""The HTXSNV quotas: one implementation for the meter, the simulator, validate and propose.

A quota allows at most ``rate`` × base subjects at the limited level in a scope, rounded as
the rule set says. The base is the count at the base level (with the levels counted inside
it), or that level and better (``httnv_or_better``). Members are counted per grassroots
organisation (or per cell); organisations among the organisations under the same parent.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from app.domain.collation import name_key, text_key
from app.domain.formatting import format_int
from app.domain.rules.context import Context
from app.domain.rules.facts import MemberFacts, OrgFacts, PeriodFacts, Subject
from app.domain.rules.findings import confidence_note
from app.domain.rules.model import QuotaRule, RuleSet, Scale
from app.domain.rules.schema import ratio_text
from app.domain.rules.sections import ROUNDINGS
from app.domain.rules.votes import VoteOutcome

QUOTA_KINDS = ("member", "org", "exemplary")


@dataclass(frozen=True)
class QuotaStatus:
    """The quota of one scope. ``allowed`` is None when the rule set sets no limit (the
    quota is off). ``sentence`` states base, rate and rounding in Vietnamese."""

    kind: str
    scope_org_id: int
    enabled: bool
    level: str
    base_level: str
    base_count: int
    rate: Fraction
    rounding: str
    allowed: int | None
    used: int
    sentence: str
    basis: str  # "20% của 11 HTTNV, làm tròn xuống": the sentence without the number allowed
    citation: str
    severity: str
    confidence_note: str | None

    @property
    def over(self) -> int:
        """How many are above the quota (0 when within it or when there is no quota)."""
        return 0 if self.allowed is None else max(0, self.used - self.allowed)


def allowed_for(rule: QuotaRule, base_count: int) -> int:
    exact = rule.rate * base_count
    if rule.rounding == "ceil":
        return math.ceil(exact)
    if rule.rounding == "half_up":
        return math.floor(exact + Fraction(1, 2))
    return math.floor(exact)


def counted_in_base(rule: QuotaRule, scale: Scale, code: str) -> bool:
    if scale.counts(code, rule.base_level):
        return True
    return rule.base == "httnv_or_better" and scale.is_above(code, rule.base_level)


def base_count(rule: QuotaRule, scale: Scale, codes: Sequence[str]) -> int:
    return sum(1 for code in codes if counted_in_base(rule, scale, code))


def used_count(rule: QuotaRule, scale: Scale, codes: Sequence[str]) -> int:
    return sum(1 for code in codes if scale.counts(code, rule.level))


def kept_after_trim(rule: QuotaRule, scale: Scale, codes: Sequence[str]) -> int:
    """How many of the subjects at the limited level may stay when the others fall to the
    base level. Falling raises the base (with base "httnv"), so this is the largest n with
    n ≤ allowed(base with the other C − n counted at the base level)."""
    used = used_count(rule, scale, codes)
    others = [code for code in codes if not scale.counts(code, rule.level)]
    base_others = base_count(rule, scale, others)
    at_level = 1 if counted_in_base(rule, scale, rule.level) else 0
    at_base = 1 if counted_in_base(rule, scale, rule.base_level) else 0
    for kept in range(used, -1, -1):
        base = base_others + kept * at_level + (used - kept) * at_base
        if kept <= allowed_for(rule, base):
            return kept
    return 0


def scale_for(rs: RuleSet, kind: str) -> Scale:
    return rs.member_levels if kind == "member" else rs.org_levels


def scope_subjects(ctx: Context, kind: str, scope_org_id: int) -> list[Subject]:
    """The classified subjects with a level that a quota of *kind* counts in the scope."""
    if kind == "member":
        found = [Subject("member", m.member_id) for m in ctx.evaluated_members_in(scope_org_id)]
    else:
        found = [Subject("org", o.org_id) for o in ctx.evaluated_children(scope_org_id)]
    return [s for s in found if ctx.level(s) is not None]


def scopes(ctx: Context, kind: str) -> list[int]:
    """Every scope of the quota of *kind* that has a subject with a level, in tree order."""
    rule = ctx.rs.quota_rule(kind)
    found: dict[int, None] = {}
    # (kind, id) as a plain tuple: the same order as the Subjects', without their __lt__.
    for subject in sorted(ctx.levels, key=lambda s: (s.kind, s.id)):
        if kind == "member" and subject.kind == "member":
            cell = ctx.members[subject.id].cell_id
            found[cell if rule and rule.scope == "cell" else ctx.grassroots_of(cell)] = None
        elif kind != "member" and subject.kind == "org":
            parent = ctx.orgs[subject.id].parent_id
            if parent is not None and parent in ctx.orgs:
                found[parent] = None
    return list(found)


def quota_status(ctx: Context, kind: str, scope_org_id: int) -> QuotaStatus:
    rs = ctx.rs
    rule = rs.quota_rule(kind)
    scale = scale_for(rs, kind)
    codes = [ctx.levels[s] for s in scope_subjects(ctx, kind, scope_org_id)]
    if rule is None or not rule.enabled:
        level = rule.level if rule else scale.highest.code
        base_level = rule.base_level if rule else scale.levels[1].code
        return QuotaStatus(
            kind=kind,
            scope_org_id=scope_org_id,
            enabled=False,
            level=level,
            base_level=base_level,
            base_count=0,
            rate=Fraction(0),
            rounding="",
            allowed=None,
            used=sum(1 for c in codes if scale.counts(c, level)),
            sentence=f"Bộ quy tắc này không giới hạn số {scale.get(level).short}.",
            basis="",
            citation=rule.citation if rule else "",
            severity="warning",
            confidence_note=None,
        )
    base = base_count(rule, scale, codes)
    allowed = allowed_for(rule, base)
    short, base_short = scale.get(rule.level).short, scale.get(rule.base_level).short
    better = " trở lên" if rule.base == "httnv_or_better" else ""
    counted = f"{ratio_text(rule.rate)} của {format_int(base)} {base_short}{better}"
    rounding = ROUNDINGS[rule.rounding]
    sentence = f"Tối đa {format_int(allowed)} {short} = {counted} ({rounding})"
    basis = f"{counted}, {rounding}"
    return QuotaStatus(
        kind=kind,
        scope_org_id=scope_org_id,
        enabled=True,
        level=rule.level,
        base_level=rule.base_level,
        base_count=base,
        rate=rule.rate,
        rounding=rule.rounding,
        allowed=allowed,
        used=used_count(rule, scale, codes),
        sentence=sentence,
        basis=basis,
        citation=rule.citation,
        severity=rule.severity,
        confidence_note=confidence_note(rule.confidence),
    )


def quota(
    rs: RuleSet,
    period: PeriodFacts,
    levels: Mapping[Subject, str],
    scope_org_id: int,
    kind: str = "member",
) -> QuotaStatus:
    """The quota of *kind* ("member", "org" or "exemplary") in the scope of *scope_org_id*
    under *levels*: for members, those of the cells at or below it (pass the grassroots
    organisation); for organisations, those directly under it. The same numbers ``validate``
    and ``propose`` use."""
    if kind not in QUOTA_KINDS:
        raise ValueError(f"Không có loại tỷ lệ “{kind}”")
    return quota_status(Context(rs, period, levels), kind, scope_org_id)


def trim_order(
    ctx: Context, subject: Subject, outcomes: Mapping[Subject, VoteOutcome], code: str
) -> tuple[Fraction, float, str, int]:
    """Who keeps the limited level first: the higher share of votes for it, then the higher
    total score (none counts lowest), then Vietnamese name order."""
    outcome = outcomes.get(subject)
    share = outcome.share(code) if outcome else Fraction(0)
    facts: MemberFacts | OrgFacts
    if subject.kind == "member":
        facts = ctx.members[subject.id]
        name = name_key(facts.full_name)
    else:
        facts = ctx.orgs[subject.id]
        name = text_key(facts.name)
    score = -1.0
    if facts.score_general is not None and facts.score_tasks is not None:
        score = facts.score_general + facts.score_tasks
    elif isinstance(facts, OrgFacts) and facts.score is not None:
        score = facts.score
    return (-share, -score, name, subject.id)


@dataclass(frozen=True)
class TrimChoice:
    """The subjects at the limited level of one scope in the order they keep it, and how
    may keep it (it may exceed the candidates); the rest move down to the base level."""

    rule: QuotaRule
    candidates: tuple[Subject, ...]
    kept: int

    @property
    def keep(self) -> tuple[Subject, ...]:
        return self.candidates[: self.kept]

    @property
    def trimmed(self) -> tuple[Subject, ...]:
        return self.candidates[self.kept :]


def trim_choice(
    ctx: Context,
    kind: str,
    scope_org_id: int,
    levels: Mapping[Subject, str],
    outcomes: Mapping[Subject, VoteOutcome],
) -> TrimChoice | None:
    """Who keeps the limited level of *kind*'s quota in *scope_org_id* on *levels* and who
    moves down: the one rule the engine's proposal (and so the appraisal's suggestion) and
    the quota simulator trim by. None when the rule set sets no such quota."""
    rule = ctx.rs.quota_rule(kind)
    if rule is None or not rule.enabled:
        return None
    scale = ctx.rs.scale(kind)
    subjects = scope_subjects(ctx, kind, scope_org_id)
    kept = kept_after_trim(rule, scale, [levels[s] for s in subjects])
    candidates = [s for s in subjects if scale.counts(levels[s], rule.level)]
    candidates.sort(key=lambda s: trim_order(ctx, s, outcomes, rule.level))
    return TrimChoice(rule, tuple(candidates), kept)
