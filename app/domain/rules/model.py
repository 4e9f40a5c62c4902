"""The rule set as frozen data: levels, the vote, quorum, quotas, score, eligibility, checks.

A rule set is loaded from TOML (``loader``) and written back (``writer``); nothing here reads
files. Ratios (thresholds, rates, shares) are ``Fraction``s so that "20% of 15" is exactly 3
and "2/3 of 9" exactly 6, with no floating-point surprises at the boundary.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from typing import Any, Literal

from app.domain.rules.frozen import FrozenMap

Confidence = Literal["sure", "likely", "unsure"]
Severity = Literal["blocking", "warning"]
SubjectKind = Literal["member", "org", "collective"]

CONFIDENCES: tuple[str, ...] = ("sure", "likely", "unsure")
SEVERITIES: tuple[str, ...] = ("blocking", "warning")

# The reasons the engine itself assigns; a rule set must label each of them.
REQUIRED_REASONS: tuple[str, ...] = ("exempt", "suspended", "new_member", "new_org")


@dataclass(frozen=True)
class Level:
    """One classification level. ``tier`` 1 is best and 4 worst, so that levels of different
    scales compare (an organisation's "Trong sạch, vững mạnh" and a member's HTXSNV are both
    tier 1). ``counts_as`` names a level this one is counted inside (hd27: an exemplary
    TSVM organisation is also a TSVM organisation)."""

    code: str
    name: str
    short: str
    tier: int
    counts_as: str | None = None


@dataclass(frozen=True)
class Scale:
    """The levels of members or of organisations, best first (the order is the rank)."""

    levels: tuple[Level, ...]

    # Indexes made at first use (the rule engine asks these questions hundreds of thousands
    # of times while it settles a commune's levels).
    @cached_property
    def _by_code(self) -> dict[str, Level]:
        return {level.code: level for level in self.levels}

    @cached_property
    def _ranks(self) -> dict[str, int]:
        return {level.code: rank for rank, level in enumerate(self.levels)}

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def get(self, code: str) -> Level:
        return self._by_code[code]

    @cached_property
    def codes(self) -> tuple[str, ...]:
        return tuple(level.code for level in self.levels)

    @property
    def highest(self) -> Level:
        return self.levels[0]

    @property
    def lowest(self) -> Level:
        return self.levels[-1]

    def rank(self, code: str) -> int:
        """0 for the best level; a larger rank is a worse level."""
        try:
            return self._ranks[code]
        except KeyError:
            raise ValueError(f"{code!r} is not a level of this scale") from None

    def is_above(self, code: str, other: str) -> bool:
        """Whether *code* is strictly better than *other*."""
        return self.rank(code) < self.rank(other)

    def worse(self, code: str, other: str) -> str:
        return code if self.rank(code) >= self.rank(other) else other

    def counts(self, code: str, as_code: str) -> bool:
        """Whether a subject at *code* is counted as *as_code* (itself or via ``counts_as``)."""
        return code == as_code or self.get(code).counts_as == as_code

    def tier_of(self, code: str) -> int:
        return self.get(code).tier

    def best_at_tier(self, tier: int) -> Level:
        """The best level no better than *tier*: how a level of another scale maps here."""
        for level in self.levels:
            if level.tier >= tier:
                return level
        return self.lowest

    def below(self, code: str) -> Level:
        """The next level down (the lowest stays where it is)."""
        index = min(self.rank(code) + 1, len(self.levels) - 1)
        return self.levels[index]


@dataclass(frozen=True)
class Reason:
    """A "not classified" reason; ``label`` may hold ``{months}``, filled from eligibility."""

    code: str
    label: str


@dataclass(frozen=True)
class Section:
    """What every adjustable section shares: where it comes from and how sure it is."""

    citation: str = ""
    confidence: Confidence = "sure"
    # Confidence of single parameters where it differs from the section's.
    param_confidence: Mapping[str, Confidence] = field(default_factory=FrozenMap)

    def confidence_of(self, param: str) -> Confidence:
        return self.param_confidence.get(param, self.confidence)


@dataclass(frozen=True)
class EligibilityRule(Section):
    new_member_months: int = 6
    new_org_months: int = 6
    suspended_not_classified: bool = True


@dataclass(frozen=True)
class VoteRule(Section):
    """How the cell's vote gives a level. A level passes when its support, divided by the
    denominator, is above (``strict``) or at its threshold; with ``cascade`` the votes for
    better levels support every worse level; the best passing level is the outcome.
    ``thresholds`` has one share per level code; a code both scales use (HTTNV) shares it.
    ``strict_levels`` says per level code whether it must be above (true) or may equal its
    threshold; a code it leaves out follows ``strict`` (HD 07-2011: "≥ 2/3" for HTXSNV but
    "> 1/2" for HTTNV)."""

    denominator: Literal["official_not_exempt", "present_official"] = "official_not_exempt"
    thresholds: Mapping[str, Fraction] = field(default_factory=FrozenMap)
    strict: bool = True
    cascade: bool = True
    strict_levels: Mapping[str, bool] = field(default_factory=FrozenMap)
    tellers_min: int = 2  # a tally committee has at least this many members, all present

    def strict_for(self, code: str) -> bool:
        return self.strict_levels.get(code, self.strict)


@dataclass(frozen=True)
class QuorumRule(Section):
    share: Fraction = Fraction(1, 2)
    strict: bool = True


@dataclass(frozen=True)
class QuotaRule(Section):
    """At most ``rate`` × (the count at ``base_level``) subjects at ``level`` within a scope.

    ``base`` "httnv" counts the base level alone (with the levels counted inside it);
    "httnv_or_better" counts the base level and every better level. ``scope``: "grassroots"
    or "cell" for members, "siblings" (organisations under the same parent) for organisations.
    """

    enabled: bool = True
    level: str = "HTXSNV"
    base_level: str = "HTTNV"
    rate: Fraction = Fraction(1, 5)
    scope: str = "grassroots"
    rounding: Literal["floor", "half_up", "ceil"] = "floor"
    base: Literal["httnv", "httnv_or_better"] = "httnv"
    severity: Severity = "blocking"


@dataclass(frozen=True)
class ScoreModel(Section):
    """A points model: the score caps the level at the best level whose threshold it reaches
    and whose extra ``conditions`` hold. A level without a threshold needs the threshold of
    the next worse level that has one; the lowest needs nothing."""

    enabled: bool = True
    applies_to: tuple[str, ...] = ("member", "org")
    parts: bool = True  # general + tasks, else one total
    general_max: float | None = 30.0
    tasks_max: float | None = 70.0
    total_max: float = 100.0
    thresholds: Mapping[str, float] = field(default_factory=FrozenMap)
    exceeded_share: Fraction = Fraction(3, 10)
    conditions: Mapping[str, tuple[str, ...]] = field(default_factory=FrozenMap)
    severity: Severity = "blocking"


@dataclass(frozen=True)
class CheckSpec:
    """A registered check as the rule set uses it."""

    name: str
    severity: Severity
    params: Mapping[str, Any] = field(default_factory=FrozenMap)
    citation: str = ""
    confidence: Confidence = "sure"
    enabled: bool = True
    param_confidence: Mapping[str, Confidence] = field(default_factory=FrozenMap)

    def confidence_of(self, param: str) -> Confidence:
        return self.param_confidence.get(param, self.confidence)


@dataclass(frozen=True)
class LowReason:
    """Why a subject is at a low level or was capped: a code printed beside the level (the
    R-number of the rule set's check, where a check stands behind it), a short Vietnamese
    label, the subjects it fits ("member", "org"), the checks whose findings it explains
    (empty: the user picks it), and the text it rests on."""

    code: str
    label: str
    subjects: tuple[str, ...] = ("member",)
    checks: tuple[str, ...] = ()
    citation: str = ""


@dataclass(frozen=True)
class LowLevels:
    """The reasons a rule set lists for low levels, and the levels that may not be saved
    without one (``required_for``: level codes of either scale)."""

    required_for: tuple[str, ...] = ()
    reasons: tuple[LowReason, ...] = ()

    def for_subject(self, kind: str) -> tuple[LowReason, ...]:
        scale_kind = "member" if kind == "member" else "org"
        return tuple(r for r in self.reasons if scale_kind in r.subjects)

    def get(self, code: str) -> LowReason | None:
        return next((r for r in self.reasons if r.code == code), None)


@dataclass(frozen=True)
class RuleSet:
    id: str
    name: str
    first_year: int
    last_year: int | None
    member_levels: Scale
    org_levels: Scale
    reasons: tuple[Reason, ...]
    eligibility: EligibilityRule
    vote: VoteRule
    quorum: QuorumRule
    checks: tuple[CheckSpec, ...]
    member_quota: QuotaRule | None = None
    org_quota: QuotaRule | None = None
    exemplary_quota: QuotaRule | None = None
    score: ScoreModel | None = None
    based_on: str | None = None
    description: str = ""
    low_levels: LowLevels | None = None
    # The instruments in full, as a decision cites them after "Căn cứ": number, date, issuing
    # body and subject ("Quy định số 366-QĐ/TW ngày 30/8/2025 của Bộ Chính trị về …").
    legal_bases: tuple[str, ...] = ()

    def scale(self, kind: str) -> Scale:
        """The member scale for members, the organisation scale for organisations and
        leading collectives."""
        return self.member_levels if kind == "member" else self.org_levels

    def covers(self, year: int) -> bool:
        return self.first_year <= year and (self.last_year is None or year <= self.last_year)

    def check(self, name: str) -> CheckSpec | None:
        for spec in self.checks:
            if spec.name == name:
                return spec
        return None

    def reason_label(self, code: str) -> str:
        for reason in self.reasons:
            if reason.code == code:
                months = (
                    self.eligibility.new_org_months
                    if code == "new_org"
                    else self.eligibility.new_member_months
                )
                return reason.label.replace("{months}", str(months))
        return code

    def quota_rule(self, kind: str) -> QuotaRule | None:
        return {
            "member": self.member_quota,
            "org": self.org_quota,
            "exemplary": self.exemplary_quota,
        }[kind]
