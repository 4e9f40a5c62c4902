"""Running every rule of a period's rule set on its current levels, for a node of the tree.

The levels judged are, per subject, the decided level where the commune has decided, else
the cell's proposal. The command line and the window print the same findings.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.rules import Finding, QuotaStatus, RuleSet, Subject, quota, screening_list, validate
from app.services.periods import facts
from app.services.periods import rule_sets as rulesets
from app.services.periods.lifecycle import find
from app.services.roster.organizations import find_unit
from app.store.database import Database
from app.store.models import EvaluationPeriod, MemberEvaluation, OrgEvaluation


@dataclass(frozen=True)
class ScreeningEntry:
    member_id: int
    full_name: str
    cell_name: str


@dataclass(frozen=True)
class ValidationReport:
    year: int
    ruleset: RuleSet
    unit_name: str
    findings: tuple[Finding, ...]
    quotas: tuple[QuotaStatus, ...]
    screening: tuple[ScreeningEntry, ...]
    judged: int  # subjects with a level

    @property
    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if f.blocking]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if not f.blocking]


def current_levels(session: Session, period: EvaluationPeriod) -> dict[Subject, str]:
    """Decided where decided, else proposed."""
    levels: dict[Subject, str] = {}
    for member_id, decided, proposed in session.execute(
        select(
            MemberEvaluation.member_id,
            MemberEvaluation.decided_level,
            MemberEvaluation.proposed_level,
        ).where(MemberEvaluation.period_id == period.id, MemberEvaluation.evaluated.is_(True))
    ):
        if decided or proposed:
            levels[Subject("member", member_id)] = decided or proposed
    for org_id, subject, decided, proposed in session.execute(
        select(
            OrgEvaluation.org_id,
            OrgEvaluation.subject,
            OrgEvaluation.decided_level,
            OrgEvaluation.proposed_level,
        ).where(OrgEvaluation.period_id == period.id, OrgEvaluation.evaluated.is_(True))
    ):
        if decided or proposed:
            levels[Subject(subject, org_id)] = decided or proposed
    return levels


def validate_period(db: Database, year: int, unit: str | int | None = None) -> ValidationReport:
    with db.session() as session:
        period = find(session, year)
        rs = rulesets.from_snapshot(period.ruleset_snapshot, period.year)
        records = facts.build(session, period)
        levels = current_levels(session, period)
        tree = records.tree
        if unit is None:
            roots = tree.roots()
            scope = set().union(*(tree.subtree(r) for r in roots)) if roots else set()
            unit_name = ", ".join(records.org_names[r] for r in roots)
        else:
            org = find_unit(session, unit)
            scope = tree.subtree(org.id)
            unit_name = org.name
        cell_of = {m.member_id: m.cell_id for m in records.facts.members}

        def inside(subject: Subject) -> bool:
            org_id = cell_of.get(subject.id) if subject.kind == "member" else subject.id
            return org_id in scope

        findings = tuple(f for f in validate(rs, records.facts, levels) if inside(f.subject))
        quota_scopes = sorted(
            {tree.grassroots_of(o) for o in scope if tree.grassroots_of(o) is not None}
        )
        statuses = tuple(
            quota(rs, records.facts, levels, scope_id, "member")
            for scope_id in quota_scopes
            if scope_id is not None
        )
        screening = tuple(
            ScreeningEntry(m.member_id, m.full_name, records.org_names.get(m.cell_id, ""))
            for m in screening_list(rs, records.facts, levels)
            if m.cell_id in scope
        )
        return ValidationReport(
            year=year,
            ruleset=rs,
            unit_name=unit_name,
            findings=findings,
            quotas=statuses,
            screening=screening,
            judged=sum(1 for s in levels if inside(s)),
        )
