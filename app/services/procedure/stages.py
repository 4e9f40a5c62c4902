"""Every stage of an evaluation side by side: the self-assessed level, the
level the cell's vote gave, the cell's proposal, the commune's decision and, for the
organisations the province decides (the commune committee itself), the province's decision.
Each stage keeps its own column, so none overwrites another; who wrote it and when come
from the audit log where it holds them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.formatting import format_percent
from app.domain.rules import RuleSet, Subject, TallyError, VoteOutcome, vote_outcome
from app.domain.rules.low_reasons import reason_label
from app.domain.tree import OrgTree
from app.domain.vocabulary import AuditAction
from app.services.common.errors import ServiceError
from app.services.periods import facts
from app.services.periods import rule_sets as rulesets
from app.services.periods.lifecycle import find
from app.services.procedure.levels import check_level, evaluation_row
from app.services.procedure.view import collective_title
from app.services.safekeeping import audit
from app.store.database import Database
from app.store.models import (
    AuditEntry,
    EvaluationPeriod,
    Member,
    MemberEvaluation,
    Organization,
    OrgEvaluation,
)

STAGE_LABELS = {
    "self": "Tự xếp loại",
    "vote": "Kết quả biểu quyết",
    "proposed": "Chi bộ đề xuất",
    "decided": "Đảng ủy quyết định",
    "province": "Tỉnh ủy quyết định",
}
# The audit actions that write each stage.
_ACTIONS = {
    AuditAction.SELF_REVIEW: "self",
    AuditAction.COLLECTIVE_REVIEW: "self",
    AuditAction.RECORD_SELF_LEVEL: "self",
    AuditAction.VOTES: "vote",
    AuditAction.RECORD_PROPOSED_LEVEL: "proposed",
    AuditAction.RECORD_DECIDED_LEVEL: "decided",
    AuditAction.RECORD_PROVINCE_LEVEL: "province",
}


@dataclass(frozen=True)
class Stage:
    key: str  # "self", "vote", "proposed", "decided", "province"
    level: str | None
    detail: str = ""  # the vote's share, the proposal's note, the decision's reason
    who: str = ""
    when: dt.datetime | None = None

    @property
    def label(self) -> str:
        return STAGE_LABELS[self.key]


@dataclass(frozen=True)
class StageRow:
    """One member, organisation or leading collective through every stage."""

    subject: Subject
    name: str
    cell_id: int
    stages: tuple[Stage, ...]
    low_reason: str = ""  # code of the rule set's reason for a low or capped level
    low_reason_text: str = ""  # "Bị kỷ luật trong năm", as documents print it (no code)

    def stage(self, key: str) -> Stage | None:
        return next((s for s in self.stages if s.key == key), None)

    def level(self, key: str) -> str | None:
        found = self.stage(key)
        return found.level if found else None

    @property
    def differs(self) -> bool:
        """Whether the stages that have a level do not all agree."""
        return len({s.level for s in self.stages if s.level}) > 1


def _authors(
    session: Session, period: EvaluationPeriod
) -> dict[tuple[str, int, str], tuple[str, dt.datetime]]:
    """(entity, row id, stage) → the latest (actor, time) that wrote that stage."""
    found: dict[tuple[str, int, str], tuple[str, dt.datetime]] = {}
    rows = session.execute(
        select(AuditEntry.entity, AuditEntry.entity_id, AuditEntry.action, AuditEntry.actor,
               AuditEntry.at)
        .where(AuditEntry.period_id == period.id, AuditEntry.action.in_(list(_ACTIONS)))
        .order_by(AuditEntry.id)
    ).all()  # fmt: skip
    for entity, entity_id, action, actor, at in rows:
        if entity_id is not None:
            found[(entity, entity_id, _ACTIONS[action])] = (actor, at)
    return found


def _vote_stages(rs: RuleSet, records: facts.PeriodVotes) -> dict[Subject, Stage]:
    voting = {v.cell_id: v for v in records.voting}
    cell_of = records.member_cells
    result: dict[Subject, Stage] = {}
    for tally in records.votes:
        subject = tally.subject
        cell = cell_of.get(subject.id) if subject.kind == "member" else subject.id
        if cell not in voting or not tally.counts:
            continue
        try:
            outcome = vote_outcome(rs, tally, voting[cell])
        except TallyError:
            continue
        detail = ""
        if outcome.level is not None and outcome.denominator:
            detail = vote_share_text(rs, tally.subject.kind, outcome.level, outcome)
        result[subject] = Stage("vote", outcome.level, detail)
    return result


def vote_share_text(rs: RuleSet, kind: str, level: str, outcome: VoteOutcome) -> str:
    """The vote's figure for *level* as every document quotes it: "16/17 phiếu (94,1%)", or,
    where votes for higher levels count towards it, "13/14 phiếu từ HTNV trở lên (92,9%)" — so
    that it never reads as a contradiction of the raw counts in the tally minutes."""
    support = outcome.support.get(level, 0)
    share = format_percent(support, outcome.denominator)
    if support > outcome.counts.get(level, 0):
        short = rs.scale(kind).get(level).short
        return f"{support}/{outcome.denominator} phiếu từ {short} trở lên ({share})"
    return f"{support}/{outcome.denominator} phiếu ({share})"


def _row(
    subject: Subject,
    name: str,
    e: MemberEvaluation | OrgEvaluation,
    votes: dict[Subject, Stage],
    authors: dict[tuple[str, int, str], tuple[str, dt.datetime]],
    rs: RuleSet,
) -> StageRow:
    entity = f"{subject.kind}_evaluation"

    def stage(key: str, level: str | None, detail: str = "") -> Stage:
        who, when = authors.get((entity, e.id, key), ("", None))
        return Stage(key, level, detail, who, when)

    vote = votes.get(subject, Stage("vote", None))
    stages = [
        stage("self", e.self_level),
        stage("vote", vote.level, vote.detail),
        stage("proposed", e.proposed_level, e.proposal_note),
        stage("decided", e.decided_level, e.decision_reason),
    ]
    if isinstance(e, OrgEvaluation) and (subject.kind == "org" or e.province_level):
        stages.append(stage("province", e.province_level, e.province_note))
    code = e.low_level_reason
    return StageRow(
        subject, name, e.org_id, tuple(stages), code, reason_label(rs, code) if code else ""
    )


@dataclass(frozen=True)
class PeriodStages:
    """The stages of a period's classified subjects, with the rule set, the organisation tree
    and the names they were read with (the decision's annex groups members by cell)."""

    ruleset: RuleSet
    rows: tuple[StageRow, ...]
    tree: OrgTree
    org_names: Mapping[int, str]


def period_stages(
    db: Database, year: int, cell_id: int | None = None, *, authors: bool = True
) -> PeriodStages:
    """Every classified subject of the period (or of one cell) with its stages: the
    organisations first (the cell and its chi ủy), then the members. Without *authors* the
    stages say nothing of who wrote them and when (the audit log is not read)."""
    with db.session() as session:
        period = find(session, year)
        rs = rulesets.from_snapshot(period.ruleset_snapshot, period.year)
        records = facts.votes(session, period, {cell_id} if cell_id is not None else None)
        votes = _vote_stages(rs, records)
        written = _authors(session, period) if authors else {}
        names = records.org_names
        org_query = select(OrgEvaluation).where(
            OrgEvaluation.period_id == period.id, OrgEvaluation.evaluated.is_(True)
        )
        member_query = (
            select(MemberEvaluation, Member.full_name)
            .join(Member, Member.id == MemberEvaluation.member_id)
            .where(MemberEvaluation.period_id == period.id, MemberEvaluation.evaluated.is_(True))
        )
        if cell_id is not None:
            org_query = org_query.where(OrgEvaluation.org_id == cell_id)
            member_query = member_query.where(MemberEvaluation.org_id == cell_id)
        rows: list[StageRow] = []
        for o in session.scalars(org_query.order_by(OrgEvaluation.org_id, OrgEvaluation.subject)):
            subject = Subject(o.subject, o.org_id)
            name = names.get(o.org_id, "")
            title = name if o.subject == "org" else collective_title(name)
            rows.append(_row(subject, title, o, votes, written, rs))
        for e, full_name in session.execute(member_query):
            rows.append(_row(Subject("member", e.member_id), full_name, e, votes, written, rs))
        return PeriodStages(rs, tuple(rows), records.tree, names)


def stage_rows(db: Database, year: int, cell_id: int | None = None) -> list[StageRow]:
    """Every classified subject of the period (or of one cell) with its stages: the cell
    and its chi ủy first, then the members in name order as the cell's view sorts them."""
    return list(period_stages(db, year, cell_id).rows)


@dataclass(frozen=True)
class YearStages:
    year: int
    ruleset_name: str
    cell_name: str
    row: StageRow


def member_history(db: Database, member_id: int) -> list[YearStages]:
    """A member's stages in every period that classified them, newest year first."""
    with db.session() as session:
        periods = session.scalars(
            select(EvaluationPeriod)
            .join(MemberEvaluation, MemberEvaluation.period_id == EvaluationPeriod.id)
            .where(MemberEvaluation.member_id == member_id)
            .order_by(EvaluationPeriod.year.desc())
        ).all()
        wanted = [(p.year, p.ruleset_snapshot) for p in periods]
        cells = dict(
            session.execute(
                select(MemberEvaluation.period_id, MemberEvaluation.org_id).where(
                    MemberEvaluation.member_id == member_id
                )
            ).all()
        )
        cell_of_year = {p.year: cells.get(p.id) for p in periods}
    result = []
    for year, snapshot in wanted:
        cell = cell_of_year[year]
        row = next(
            (r for r in stage_rows(db, year, cell) if r.subject == Subject("member", member_id)),
            None,
        )
        if row is None:
            continue
        with db.session() as session:
            org = session.get(Organization, cell) if cell else None
            cell_name = org.name if org else ""
        result.append(YearStages(year, rulesets.from_snapshot(snapshot, year).name, cell_name, row))
    return result


@dataclass(frozen=True)
class ProvinceDecision:
    level: str | None
    note: str
    decided_on: dt.date | None


def province_decision(
    db: Database, year: int, org_id: int, kind: Literal["org", "collective"] = "org"
) -> ProvinceDecision:
    """The province's decision on an organisation's level, or its leading collective's, as
    recorded (all empty: none yet)."""
    with db.session() as session:
        row = evaluation_row(session, find(session, year), Subject(kind, org_id))
        assert isinstance(row, OrgEvaluation)
        return ProvinceDecision(row.province_level, row.province_note, row.province_decided_on)


def record_province_decision(
    db: Database,
    year: int,
    org_id: int,
    level: str | None,
    note: str = "",
    decided_on: dt.date | None = None,
    actor: str = "",
    kind: Literal["org", "collective"] = "org",
) -> None:
    """Record the province's decision on an organisation's level (the commune committee's
    own, which the provincial standing committee decides) or its standing committee's
    (*kind* "collective"), beside the commune's stages."""
    with db.session() as session:
        period = find(session, year)
        rs = rulesets.from_snapshot(period.ruleset_snapshot, period.year)
        subject = Subject(kind, org_id)
        check_level(rs, subject, level)
        row = evaluation_row(session, period, subject)
        assert isinstance(row, OrgEvaluation)
        if level is not None and decided_on is None:
            raise ServiceError("Phải ghi ngày của quyết định của tỉnh")
        before = {"level": row.province_level, "note": row.province_note,
                  "on": str(row.province_decided_on or "")}  # fmt: skip
        row.province_level = level
        row.province_note = note.strip()
        row.province_decided_on = decided_on
        audit.record(
            session, actor=actor, action=AuditAction.RECORD_PROVINCE_LEVEL,
            entity=f"{kind}_evaluation", entity_id=row.id,
            period_id=period.id,
            summary=f"Mức tỉnh quyết định: {before['level'] or '(trống)'} → {level or '(trống)'}",
            before=before, after={"level": level, "note": row.province_note,
                                  "on": str(decided_on or "")},
        )  # fmt: skip
