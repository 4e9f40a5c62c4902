"""Reading what a summary needs from the store, aggregated in SQL: a handful of queries per
year whatever the size of the archive, never one per member.

Members are counted per cell and per outcome (classified or not, level, stage, reason) with
GROUP BY, so a district of 6,185 members comes back as a few hundred tallies. The summary of
any node is then a sum over the cells of its subtree.

The level read for a subject is the decided level where the commune has decided, else the
cell's proposal (as `validation.current_levels` does), and which of the two it was is kept:
a summary made before the decision says how many of its figures are still proposals.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from app.domain.rules import RuleSet
from app.domain.tree import OrgTree, TreeNode
from app.domain.vocabulary import OrgKind
from app.services.periods import rule_sets as rulesets
from app.services.summary import scores
from app.store.models import EvaluationPeriod, Member, MemberEvaluation, Organization, OrgEvaluation


@dataclass(frozen=True)
class OrgRecord:
    id: int
    code: str
    name: str
    kind: OrgKind
    parent_id: int | None
    place_name: str
    superior_line: str
    position: int


@dataclass(frozen=True)
class Outcome:
    """What happened to one subject (or, with ``count``, to that many members of a cell)."""

    evaluated: bool
    level: str | None
    decided: bool  # the level is the commune's decision, not only the cell's proposal
    reason: str = ""
    note: str = ""
    count: int = 1


@dataclass(frozen=True)
class ScreeningRow:
    member_id: int
    code: str
    full_name: str
    cell_id: int
    previous_level: str
    current_level: str


@dataclass(frozen=True)
class YearRecords:
    year: int
    period_id: int
    ruleset: RuleSet
    members: dict[int, tuple[Outcome, ...]]  # per cell
    orgs: dict[int, Outcome]  # per organisation, its evaluation as a whole ("org")
    screening: tuple[ScreeningRow, ...] = ()
    # Score bands (``scores``): per cell, evaluated members by band; per organisation, its
    # band. Empty where the rule set does not score.
    member_bands: dict[int, Counter[int]] = field(default_factory=dict)
    org_bands: dict[int, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Archive:
    """The whole organisation tree (dissolved units too: history refers to them)."""

    orgs: dict[int, OrgRecord]
    tree: OrgTree

    def roots(self) -> list[int]:
        return sorted(self.tree.roots(), key=lambda i: self.orgs[i].code)


def load_archive(session: Session) -> Archive:
    rows = session.execute(
        select(
            Organization.id,
            Organization.code,
            Organization.name,
            Organization.kind,
            Organization.parent_id,
            Organization.place_name,
            Organization.superior_line,
            Organization.position,
        )
    ).all()
    orgs = {
        r.id: OrgRecord(
            r.id,
            r.code,
            r.name,
            OrgKind(r.kind),
            r.parent_id,
            r.place_name,
            r.superior_line,
            r.position,
        )
        for r in rows
    }
    tree = OrgTree(TreeNode(o.id, o.parent_id, o.kind) for o in orgs.values())
    return Archive(orgs, tree)


def period_years(session: Session) -> list[int]:
    return list(session.scalars(select(EvaluationPeriod.year).order_by(EvaluationPeriod.year)))


def load_year(session: Session, year: int, *, screening: bool = True) -> YearRecords | None:
    """The aggregated records of *year*; None when the year has no period."""
    period = session.scalar(select(EvaluationPeriod).where(EvaluationPeriod.year == year))
    if period is None:
        return None
    rs = rulesets.from_snapshot(period.ruleset_snapshot, period.year)
    members: dict[int, list[Outcome]] = {}
    query = (
        select(
            MemberEvaluation.org_id,
            MemberEvaluation.evaluated,
            MemberEvaluation.decided_level,
            MemberEvaluation.proposed_level,
            MemberEvaluation.not_classified_reason,
            MemberEvaluation.not_classified_note,
            func.count(),
        )
        .where(MemberEvaluation.period_id == period.id)
        .group_by(
            MemberEvaluation.org_id,
            MemberEvaluation.evaluated,
            MemberEvaluation.decided_level,
            MemberEvaluation.proposed_level,
            MemberEvaluation.not_classified_reason,
            MemberEvaluation.not_classified_note,
        )
    )
    for cell_id, evaluated, decided, proposed, reason, note, count in session.execute(query):
        members.setdefault(cell_id, []).append(
            _outcome(evaluated, decided, proposed, reason, note, count)
        )
    orgs: dict[int, Outcome] = {}
    for org_id, evaluated, decided, proposed, reason in session.execute(
        select(
            OrgEvaluation.org_id,
            OrgEvaluation.evaluated,
            OrgEvaluation.decided_level,
            OrgEvaluation.proposed_level,
            OrgEvaluation.not_classified_reason,
        ).where(OrgEvaluation.period_id == period.id, OrgEvaluation.subject == "org")
    ):
        orgs[org_id] = _outcome(evaluated, decided, proposed, reason, "", 1)
    rows = _screening(session, period.id, year, rs) if screening else ()
    return YearRecords(
        year=year,
        period_id=period.id,
        ruleset=rs,
        members={cell: tuple(found) for cell, found in members.items()},
        orgs=orgs,
        screening=rows,
        member_bands=scores.member_bands(session, period.id, rs),
        org_bands=scores.org_bands(session, period.id, rs),
    )


def _outcome(
    evaluated: bool,
    decided: str | None,
    proposed: str | None,
    reason: str | None,
    note: str | None,
    count: int,
) -> Outcome:
    if not evaluated:
        return Outcome(False, None, False, reason or "other", note or "", count)
    return Outcome(True, decided or proposed, decided is not None, "", "", count)


def screening_level(rs: RuleSet) -> str:
    """The level that puts a member on the screening list (R11): the screening check's
    parameter, else the lowest member level."""
    spec = rs.check("screening")
    if spec is not None and "level" in spec.params:
        return str(spec.params["level"])
    return rs.member_levels.lowest.code


def _screening(
    session: Session, period_id: int, year: int, rs: RuleSet
) -> tuple[ScreeningRow, ...]:
    """Members at the screening level in the previous year's decision and again now (decided,
    else proposed), as the engine's screening list reads them, in Vietnamese name order."""
    code = screening_level(rs)
    now = aliased(MemberEvaluation)
    before = aliased(MemberEvaluation)
    previous = aliased(EvaluationPeriod)
    query = (
        select(
            now.member_id,
            Member.code,
            Member.full_name,
            now.org_id,
            before.decided_level,
            func.coalesce(now.decided_level, now.proposed_level),
        )
        .join(Member, Member.id == now.member_id)
        .join(before, before.member_id == now.member_id)
        .join(previous, and_(previous.id == before.period_id, previous.year == year - 1))
        .where(
            now.period_id == period_id,
            now.evaluated.is_(True),
            before.decided_level == code,
            or_(
                now.decided_level == code,
                and_(now.decided_level.is_(None), now.proposed_level == code),
            ),
        )
        .order_by(Member.name_key, Member.code)
    )
    return tuple(ScreeningRow(*row) for row in session.execute(query))
