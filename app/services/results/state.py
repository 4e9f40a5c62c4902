"""What the database already holds that a results import must be checked against: periods
and their rule sets, members and organisations by code, membership history, and the results
already recorded for the years in the file. Read in bulk, a few queries per import."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.procedure import PeriodState
from app.domain.rules import RuleSet
from app.domain.vocabulary import OrgKind
from app.services.common.errors import ServiceError
from app.services.periods import rule_sets as rulesets
from app.store.models import (
    CellMembership,
    EvaluationPeriod,
    Member,
    MemberEvaluation,
    Organization,
    OrgEvaluation,
)


@dataclass(frozen=True)
class Existing:
    """A result already recorded. It is *known* when decided or when not classified."""

    row_id: int
    cell_id: int
    evaluated: bool
    decided: str | None
    reason: str
    note: str

    @property
    def known(self) -> bool:
        return self.decided is not None or not self.evaluated


@dataclass(frozen=True)
class KnownMember:
    id: int
    full_name: str


@dataclass
class State:
    periods: dict[int, tuple[int, RuleSet]]  # year → (period id, its rule set)
    members: dict[str, KnownMember]
    orgs: dict[str, tuple[int, OrgKind]]
    org_codes: dict[int, str]
    memberships: dict[int, list[tuple[int, dt.date | None, dt.date | None]]]
    member_rows: dict[int, dict[int, Existing]]  # year → member id → result
    org_rows: dict[int, dict[int, Existing]]  # year → organisation id → result
    period_states: dict[int, PeriodState] = field(default_factory=dict)
    _defaults: dict[int, RuleSet] = field(default_factory=dict)

    def ruleset_for(self, year: int) -> RuleSet:
        """The period's own rule set, or the one of that year for a period still to create;
        ValueError (Vietnamese) when no rule set covers the year."""
        if year in self.periods:
            return self.periods[year][1]
        if year not in self._defaults:
            try:
                self._defaults[year] = rulesets.default_for_year(year)
            except ServiceError as error:
                raise ValueError(str(error)) from None
        return self._defaults[year]

    def cell_on(self, member_id: int, day: dt.date) -> int | None:
        """The member's cell on *day* from the membership history, else the latest one."""
        spans = self.memberships.get(member_id, [])
        for org_id, start, end in spans:
            if (start is None or start <= day) and (end is None or end > day):
                return org_id
        latest = max(spans, key=lambda s: s[1] or dt.date.min, default=None)
        return latest[0] if latest else None


def load_state(session: Session) -> State:
    """Everything but the recorded results (see :func:`load_results`)."""
    found = list(session.scalars(select(EvaluationPeriod)))
    periods = {p.year: (p.id, rulesets.from_snapshot(p.ruleset_snapshot, p.year)) for p in found}
    members = {
        code: KnownMember(member_id, name)
        for member_id, code, name in session.execute(
            select(Member.id, Member.code, Member.full_name)
        )
    }
    orgs = {
        code: (org_id, OrgKind(kind))
        for org_id, code, kind in session.execute(
            select(Organization.id, Organization.code, Organization.kind)
        )
    }
    memberships: dict[int, list[tuple[int, dt.date | None, dt.date | None]]] = {}
    for member_id, org_id, start, end in session.execute(
        select(
            CellMembership.member_id,
            CellMembership.org_id,
            CellMembership.start_on,
            CellMembership.end_on,
        )
    ):
        memberships.setdefault(member_id, []).append((org_id, start, end))
    return State(
        periods=periods,
        members=members,
        orgs=orgs,
        org_codes={org_id: code for code, (org_id, _kind) in orgs.items()},
        memberships=memberships,
        member_rows={},
        org_rows={},
        period_states={p.year: PeriodState(p.state) for p in found},
    )


def load_results(session: Session, state: State, years: set[int]) -> None:
    """Add the results already recorded for *years* to *state*."""
    for year in years & set(state.periods):
        period_id = state.periods[year][0]
        state.member_rows[year] = {
            e.member_id: Existing(
                e.id,
                e.org_id,
                e.evaluated,
                e.decided_level,
                e.not_classified_reason,
                e.not_classified_note,
            )
            for e in session.scalars(
                select(MemberEvaluation).where(MemberEvaluation.period_id == period_id)
            )
        }
        state.org_rows[year] = {
            e.org_id: Existing(
                e.id, e.org_id, e.evaluated, e.decided_level, e.not_classified_reason, ""
            )
            for e in session.scalars(
                select(OrgEvaluation).where(
                    OrgEvaluation.period_id == period_id, OrgEvaluation.subject == "org"
                )
            )
        }
