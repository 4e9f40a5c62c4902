"""Evaluation periods: creating one with its rule set, and freezing the rosters.

Creating a period keeps the exact rule-set text, opens an evaluation for every organisation
(and for every cell's chi ủy), and freezes each cell's roster at the reference date: who is
classified, who votes, and why not.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from app.domain.collation import roster_key, text_key
from app.domain.meeting_checks import default_window
from app.domain.procedure import CellStep, PeriodState
from app.domain.rules import RuleSet, eligibility, org_eligibility
from app.domain.vocabulary import AuditAction, OrgKind
from app.services.common.errors import NotFound, ServiceError
from app.services.periods import facts
from app.services.periods import rule_sets as rulesets
from app.services.safekeeping import audit
from app.store.database import Database
from app.store.models import (
    EvaluationPeriod,
    ItemScore,
    Member,
    MemberEvaluation,
    Organization,
    OrgEvaluation,
    PostHolding,
    PostKind,
)


@dataclass(frozen=True, slots=True)
class PeriodInfo:
    id: int
    year: int
    ruleset_id: str
    ruleset_name: str
    reference_date: dt.date
    deadline: dt.date | None
    opens_on: dt.date
    closes_on: dt.date
    state: PeriodState


@dataclass(frozen=True, slots=True)
class RosterEntry:
    member_id: int
    full_name: str
    cell_id: int
    cell_name: str
    party_post: str
    probationary: bool
    evaluated: bool
    votes: bool
    reason: str | None
    reason_label: str | None


def _info(period: EvaluationPeriod) -> PeriodInfo:
    rs = rulesets.from_snapshot(period.ruleset_snapshot, period.year)
    opens, closes = default_window(period.year)
    return PeriodInfo(
        id=period.id,
        year=period.year,
        ruleset_id=period.ruleset_id,
        ruleset_name=rs.name,
        reference_date=period.reference_date,
        deadline=period.deadline,
        opens_on=period.opens_on or opens,
        closes_on=period.closes_on or closes,
        state=PeriodState(period.state),
    )


def list_periods(db: Database) -> list[PeriodInfo]:
    with db.session() as session:
        rows = session.scalars(select(EvaluationPeriod).order_by(EvaluationPeriod.year)).all()
        return [_info(p) for p in rows]


def find(session: Session, year: int) -> EvaluationPeriod:
    period = session.scalar(select(EvaluationPeriod).where(EvaluationPeriod.year == year))
    if period is None:
        raise NotFound(f"Chưa có kỳ đánh giá năm {year}")
    return period


def get_period(db: Database, year: int) -> PeriodInfo:
    with db.session() as session:
        return _info(find(session, year))


def ruleset_of(db: Database, year: int) -> RuleSet:
    """The rule set the period of *year* is judged by (its stored copy)."""
    with db.session() as session:
        period = find(session, year)
        return rulesets.from_snapshot(period.ruleset_snapshot, period.year)


def party_posts(session: Session, day: dt.date) -> dict[int, str]:
    posts: dict[int, str] = {}
    for post in session.scalars(select(PostHolding).where(PostHolding.kind == PostKind.PARTY)):
        if (post.start_on is None or post.start_on <= day) and (
            post.end_on is None or post.end_on > day
        ):
            posts[post.member_id] = post.title
    return posts


def _entries(
    session: Session, period: EvaluationPeriod, rs: RuleSet, records: facts.PeriodRecords
) -> list[RosterEntry]:
    """Eligibility of each member of *records* under *rs* at the reference date."""
    posts = party_posts(session, period.reference_date)
    entries = []
    for member in records.facts.members:
        result = eligibility(rs, records.facts, member)
        entries.append(
            RosterEntry(
                member_id=member.member_id,
                full_name=member.full_name,
                cell_id=member.cell_id,
                cell_name=records.org_names.get(member.cell_id, ""),
                party_post=posts.get(member.member_id, ""),
                probationary=result.probationary,
                evaluated=result.evaluated,
                votes=result.votes,
                reason=result.reason,
                reason_label=result.reason_label,
            )
        )
    entries.sort(key=lambda e: (text_key(e.cell_name), *roster_key(e.party_post, e.full_name)))
    return entries


def preview_roster(
    db: Database, year: int, rs: RuleSet, reference_date: dt.date
) -> list[RosterEntry]:
    """Who would be classified if the period were created so (the wizard's review page)."""
    with db.session() as session:
        draft = EvaluationPeriod(year=year, ruleset_id=rs.id, reference_date=reference_date)
        records = facts.build(session, draft, facts.roster_at(session, reference_date))
        entries = _entries(session, draft, rs, records)
        return entries


def create_period(
    db: Database,
    year: int,
    rs: RuleSet,
    reference_date: dt.date,
    *,
    deadline: dt.date | None = None,
    opens_on: dt.date | None = None,
    closes_on: dt.date | None = None,
    actor: str = "",
) -> PeriodInfo:
    """Open the period of *year* under *rs*, with every roster frozen at *reference_date*."""
    with db.session() as session:
        period, _records = open_period(
            session, year, rs, reference_date, deadline=deadline, opens_on=opens_on,
            closes_on=closes_on, actor=actor,
        )  # fmt: skip
        return _info(period)


def open_period(
    session: Session,
    year: int,
    rs: RuleSet,
    reference_date: dt.date,
    *,
    deadline: dt.date | None = None,
    opens_on: dt.date | None = None,
    closes_on: dt.date | None = None,
    actor: str = "",
) -> tuple[EvaluationPeriod, facts.PeriodRecords]:
    """:func:`create_period` in the caller's unit of work; also returns the facts the roster
    was frozen from (a bulk writer that goes on to fill the period reads them once)."""
    if not rs.covers(year):
        raise ServiceError(f"Bộ quy tắc “{rs.name}” không áp dụng cho năm {year}")
    default_opens, default_closes = default_window(year)
    if session.scalar(select(EvaluationPeriod.id).where(EvaluationPeriod.year == year)):
        raise ServiceError(f"Đã có kỳ đánh giá năm {year}")
    period = EvaluationPeriod(
        year=year,
        ruleset_id=rs.id,
        ruleset_snapshot=rulesets.snapshot(rs),
        reference_date=reference_date,
        state=PeriodState.OPEN,
        deadline=deadline,
        opens_on=opens_on or default_opens,
        closes_on=closes_on or default_closes,
    )
    session.add(period)
    session.flush()
    # One reading of the facts serves both: the organisations' rows and the roster.
    records = facts.build(session, period, facts.roster_at(session, reference_date))
    _open_org_evaluations(session, period, rs, records)
    _freeze(session, period, rs, cells=None, records=records)
    audit.record(
        session,
        actor=actor,
        action=AuditAction.CREATE_PERIOD,
        entity="period",
        entity_id=period.id,
        period_id=period.id,
        summary=f"Tạo kỳ đánh giá năm {year} theo {rs.name}, chốt danh sách ngày "
        f"{reference_date:%d/%m/%Y}",
    )
    return period, records


def _open_org_evaluations(
    session: Session, period: EvaluationPeriod, rs: RuleSet, records: facts.PeriodRecords
) -> None:
    with_collective = {m.collective_org_id for m in records.facts.members} | {
        m.heads_org_id for m in records.facts.members
    }
    for org in records.facts.organizations:
        result = org_eligibility(rs, records.facts, org)
        session.add(
            OrgEvaluation(
                period_id=period.id,
                org_id=org.org_id,
                subject="org",
                step=CellStep.PREPARATION,
                evaluated=result.evaluated,
                not_classified_reason=result.reason or "",
            )
        )
        # A cell's chi ủy where the cell has one; the commune's standing committee always.
        chi_uy = org.kind is OrgKind.CELL and org.org_id in with_collective
        standing = org.kind is OrgKind.COMMITTEE and org.is_grassroots
        if (chi_uy or standing) and result.evaluated:
            session.add(
                OrgEvaluation(
                    period_id=period.id, org_id=org.org_id, subject="collective",
                    step=CellStep.PREPARATION,
                )
            )  # fmt: skip


def _freeze(
    session: Session,
    period: EvaluationPeriod,
    rs: RuleSet,
    cells: set[int] | None,
    records: facts.PeriodRecords | None = None,
) -> list[RosterEntry]:
    """Write the roster of *cells* (every cell when None) as it stands on the reference date;
    *records* are the facts of that roster when the caller has them already."""
    if records is None:
        roster = [
            (m, c)
            for m, c in facts.roster_at(session, period.reference_date)
            if cells is None or c in cells
        ]
        records = facts.build(session, period, roster)
    entries = _entries(session, period, rs, records)
    query = delete(MemberEvaluation).where(MemberEvaluation.period_id == period.id)
    frozen = select(MemberEvaluation.member_id).where(MemberEvaluation.period_id == period.id)
    if cells is not None:
        query = query.where(MemberEvaluation.org_id.in_(cells))
        frozen = frozen.where(MemberEvaluation.org_id.in_(cells))
    # The members' item scores go with the rest of what they entered for the period.
    session.execute(
        delete(ItemScore).where(
            ItemScore.period_id == period.id,
            ItemScore.subject_kind == "member",
            ItemScore.subject_id.in_(frozen),
        )
    )
    session.execute(query)
    if entries:
        session.execute(
            insert(MemberEvaluation),
            [
                {
                    "period_id": period.id,
                    "member_id": entry.member_id,
                    "org_id": entry.cell_id,
                    "evaluated": entry.evaluated,
                    "votes": entry.votes,
                    "not_classified_reason": entry.reason or "",
                }
                for entry in entries
            ],
        )
    return entries


def refreeze_cell(db: Database, year: int, cell_id: int, actor: str = "") -> list[RosterEntry]:
    """Freeze a cell's roster again (after a correction in the registry), while the cell is
    still in preparation."""
    with db.session() as session:
        period = find(session, year)
        cell = session.scalar(
            select(OrgEvaluation).where(
                OrgEvaluation.period_id == period.id,
                OrgEvaluation.org_id == cell_id,
                OrgEvaluation.subject == "org",
            )
        )
        if cell is None:
            raise NotFound("Chi bộ không có trong kỳ đánh giá này")
        if cell.step != CellStep.PREPARATION:
            raise ServiceError("Chỉ chốt lại danh sách được khi chi bộ còn ở bước chuẩn bị")
        rs = rulesets.from_snapshot(period.ruleset_snapshot, period.year)
        entries = _freeze(session, period, rs, {cell_id})
        audit.record(
            session, actor=actor, action=AuditAction.REFREEZE_ROSTER, entity="org_evaluation",
            entity_id=cell.id, period_id=period.id,
            summary=f"Chốt lại danh sách chi bộ: {len(entries)} đảng viên",
        )  # fmt: skip
        return entries


def roster(db: Database, year: int, cell_id: int | None = None) -> list[RosterEntry]:
    """The frozen roster of a cell (or of the whole period), office-holders first."""
    with db.session() as session:
        period = find(session, year)
        query = (
            select(MemberEvaluation, Member)
            .join(Member)
            .where(MemberEvaluation.period_id == period.id)
        )
        if cell_id is not None:
            query = query.where(MemberEvaluation.org_id == cell_id)
        rs = rulesets.from_snapshot(period.ruleset_snapshot, period.year)
        posts = party_posts(session, period.reference_date)
        names = dict(session.execute(select(Organization.id, Organization.name)).all())
        entries = []
        for evaluation, member in session.execute(query).all():
            reason = evaluation.not_classified_reason or None
            entries.append(
                RosterEntry(
                    member_id=member.id,
                    full_name=member.full_name,
                    cell_id=evaluation.org_id,
                    cell_name=names.get(evaluation.org_id, ""),
                    party_post=posts.get(member.id, ""),
                    probationary=member.official_on is None
                    or member.official_on > period.reference_date,
                    evaluated=evaluation.evaluated,
                    votes=evaluation.votes,
                    reason=reason,
                    reason_label=rs.reason_label(reason) if reason else None,
                )
            )
    entries.sort(key=lambda e: (text_key(e.cell_name), *roster_key(e.party_post, e.full_name)))
    return entries
