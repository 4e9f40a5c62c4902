"""Which reason of the rule set explains a low or capped level.

A check caps a subject at a level; when the subject stands exactly at that level, the
check's reason (``[[low_levels.reasons]]`` naming the check) is what applied. The engine only
knows the criteria it checks; for the rest the user picks a reason from the same list.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from app.domain.rules.engine import validate
from app.domain.rules.facts import PeriodFacts, Subject
from app.domain.rules.findings import Finding
from app.domain.rules.model import LowReason, RuleSet

QUOTA_CHECKS = ("member_quota", "org_quota", "exemplary_quota")


def reasons_for(rs: RuleSet, kind: str) -> tuple[LowReason, ...]:
    """The reasons of *rs* that fit a member ("member") or an organisation / collective."""
    return rs.low_levels.for_subject(kind) if rs.low_levels else ()


def reason(rs: RuleSet, code: str) -> LowReason | None:
    return rs.low_levels.get(code) if rs.low_levels and code else None


def reason_text(rs: RuleSet, code: str) -> str:
    """ "R1: Bị kỷ luật trong năm" as printed; the bare code when the rule set lacks it."""
    found = reason(rs, code)
    return f"{found.code}: {found.label}" if found else code


def reason_label(rs: RuleSet, code: str) -> str:
    """ "Bị kỷ luật trong năm": the words a printed document gives a reader, who has no use for
    the rule set's internal code (R1, DIEM); the bare code when the rule set lacks it."""
    found = reason(rs, code)
    return found.label if found else code


def is_low(rs: RuleSet, kind: str, level: str | None) -> bool:
    """HTNV or worse (tier 3 and 4): the levels a reason is recorded for."""
    return level is not None and level in rs.scale(kind) and rs.scale(kind).tier_of(level) >= 3


def needs_reason(rs: RuleSet, kind: str, level: str | None) -> bool:
    """Whether the rule set refuses *level* without a reason."""
    return (
        level is not None
        and rs.low_levels is not None
        and level in rs.low_levels.required_for
        and level in rs.scale(kind)
    )


def reason_for_findings(
    rs: RuleSet, findings: Iterable[Finding], subject: Subject, level: str
) -> str | None:
    """The code of the first reason (in the rule set's order) whose check produced a finding
    that caps *subject* exactly at *level*."""
    kind = subject.kind
    applied = {f.check for f in findings if f.subject == subject and f.level == level}
    for candidate in reasons_for(rs, kind):
        if any(check in applied for check in candidate.checks):
            return candidate.code
    return None


def engine_reason(
    rs: RuleSet,
    period: PeriodFacts,
    levels: Mapping[Subject, str],
    subject: Subject,
    level: str,
    extra: Iterable[Finding] = (),
) -> str | None:
    """The reason the rule engine knows for *subject* at *level*: the checks are run with the
    subject placed at the best level (so every cap on it shows), the other subjects at
    *levels*; *extra* adds findings only a proposal makes (quota trims)."""
    trial = dict(levels)
    trial[subject] = rs.scale(subject.kind).highest.code
    findings = [f for f in validate(rs, period, trial) if f.check not in QUOTA_CHECKS and f.level]
    return reason_for_findings(rs, [*findings, *extra], subject, level)
