"""Small helpers the checks share: what to iterate over and how to word a cap."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from app.domain.formatting import format_date
from app.domain.rules.context import Context
from app.domain.rules.facts import DisciplineFact, MemberFacts, OrgFacts, Subject
from app.domain.rules.findings import Finding, cap_phrase, confidence_note
from app.domain.rules.model import CheckSpec, Confidence, Severity


def members_with_levels(ctx: Context) -> Iterator[tuple[MemberFacts, str]]:
    """Evaluated members that have a level, in name order (the not-classified ones are the
    eligibility check's business)."""
    return iter(ctx.members_with_levels)


def orgs_with_levels(ctx: Context, kind: str = "org") -> Iterator[tuple[OrgFacts, str]]:
    """Evaluated organisations (or their leading collectives) that have a level."""
    return iter(ctx.orgs_with_levels(kind))


def finding(
    spec: CheckSpec,
    subject: Subject,
    level: str | None,
    message: str,
    *,
    severity: Severity | None = None,
    confidence: Confidence | None = None,
) -> Finding:
    return Finding(
        severity or spec.severity,
        subject,
        spec.name,
        level,
        message,
        spec.citation,
        confidence_note(confidence or spec.confidence),
    )


def cap(
    spec: CheckSpec,
    ctx: Context,
    subject: Subject,
    given: str,
    allowed: str,
    who_and_why: str,
    confidence: Confidence | None = None,
) -> list[Finding]:
    """A finding if *given* is above *allowed*: "<who and why>, nên <cap phrase>."."""
    scale = ctx.scale(subject)
    if not scale.is_above(given, allowed):
        return []
    message = f"{who_and_why}, nên {cap_phrase(scale, allowed)}."
    return [finding(spec, subject, allowed, message, confidence=confidence)]


def disciplines_text(disciplines: Sequence[DisciplineFact]) -> str:
    """ "khiển trách ngày 05/03/2025" or "2 lần (khiển trách ngày …; cảnh cáo ngày …)"."""
    parts = [f"{d.form.label.lower()} ngày {format_date(d.decided_on)}" for d in disciplines]
    if len(parts) == 1:
        return parts[0]
    return f"{len(parts)} lần ({'; '.join(parts)})"


def names(people: Sequence[str], limit: int = 3) -> str:
    """ "A, B, C" or "A, B, C và 2 người khác"."""
    shown = ", ".join(people[:limit])
    rest = len(people) - limit
    return f"{shown} và {rest} người khác" if rest > 0 else shown


def units(items: Sequence[str], limit: int = 3) -> str:
    shown = ", ".join(items[:limit])
    rest = len(items) - limit
    return f"{shown} và {rest} tổ chức khác" if rest > 0 else shown
