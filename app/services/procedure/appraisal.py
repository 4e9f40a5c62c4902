"""The commune's appraisal and decision (thẩm định, quyết định): every cell's proposals in one
place, the commune-wide quota, the findings, accepting, changing with a reason, returning a
cell, deciding and locking, and a logged reopen.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import clock
from app.domain.collation import roster_key, text_key
from app.domain.procedure import CellStep, PeriodState
from app.domain.rules import (
    Finding,
    Proposal,
    QuotaStatus,
    RuleSet,
    Subject,
    propose,
    quota,
    validate,
)
from app.domain.rules.votes import period_outcomes
from app.domain.vocabulary import AuditAction, OrgKind
from app.services.common.errors import ServiceError
from app.services.periods import facts
from app.services.periods import rule_sets as rulesets
from app.services.periods.lifecycle import find, party_posts
from app.services.periods.validation import current_levels
from app.services.procedure import conflicts, low_reasons
from app.services.procedure.levels import (
    LockedError,
    check_level,
    ensure_unlocked,
    evaluation_row,
    set_level,
    write_level,
)
from app.services.procedure.view import collective_title, latest_meeting
from app.services.safekeeping import audit, backups, seal
from app.store.database import Database
from app.store.models import (
    EvaluationPeriod,
    Meeting,
    Member,
    MemberEvaluation,
    OrgEvaluation,
)


@dataclass(frozen=True)
class AppraisalRow:
    subject: Subject
    cell_id: int
    cell_name: str
    name: str
    post: str
    step: CellStep
    self_level: str | None
    vote_counts: dict[str, int]
    proposed_level: str | None
    proposal_note: str
    suggested_level: str | None  # the proposal after the caps and the commune-wide quota
    decided_level: str | None
    decision_reason: str
    locked: bool
    # The row's version as read: handed back with a change, so that a level someone else
    # decided meanwhile (a shared database) is not overwritten unasked.
    version: int = field(default=1, compare=False)

    @property
    def changed(self) -> bool:
        return self.decided_level is not None and self.decided_level != self.proposed_level


@dataclass(frozen=True)
class AppraisalView:
    year: int
    state: PeriodState
    ruleset: RuleSet
    commune_id: int | None
    commune_name: str
    committee_title: str  # the commune's standing committee: "Ban Thường vụ Đảng ủy xã …"
    rows: tuple[AppraisalRow, ...]
    findings: tuple[Finding, ...]  # on the current levels (decided, else proposed)
    quota: QuotaStatus | None
    org_quota: QuotaStatus | None
    submitted: int
    cells: int

    def findings_for(self, subject: Subject) -> list[Finding]:
        return [f for f in self.findings if f.subject == subject]


def _suggestion(
    rs: RuleSet, records: facts.PeriodRecords, proposals: dict[Subject, str]
) -> Proposal:
    """What the rules make of the cells' proposals with the quota applied: the proposals
    taken as the starting levels (no tallies), then capped and trimmed by the engine, which
    keeps the limited level by the cells' vote shares, then the rule set's tie-break
    (``quota.trim_choice``, the same rule and function as the quota simulator)."""
    members = tuple(
        dataclasses.replace(m, self_level=proposals.get(Subject("member", m.member_id)))
        for m in records.facts.members
    )
    orgs = tuple(
        dataclasses.replace(o, self_level=proposals.get(Subject("org", o.org_id)))
        for o in records.facts.organizations
    )
    period = dataclasses.replace(records.facts, members=members, organizations=orgs, votes=())
    return propose(rs, period, trim_votes=period_outcomes(rs, records.facts))


def appraisal_view(db: Database, year: int) -> AppraisalView:
    with db.session() as session:
        period = find(session, year)
        rs = rulesets.from_snapshot(period.ruleset_snapshot, period.year)
        records = facts.build(session, period)
        tree = records.tree
        names = records.org_names
        posts = party_posts(session, period.reference_date)
        cells = {
            e.org_id: e
            for e in session.scalars(
                select(OrgEvaluation).where(
                    OrgEvaluation.period_id == period.id, OrgEvaluation.subject == "org"
                )
            )
            if e.org_id in tree and tree.node(e.org_id).kind is OrgKind.CELL
        }
        proposals: dict[Subject, str] = {}
        rows: list[AppraisalRow] = []
        member_rows = session.execute(
            select(MemberEvaluation, Member)
            .join(Member, Member.id == MemberEvaluation.member_id)
            .where(MemberEvaluation.period_id == period.id, MemberEvaluation.evaluated.is_(True))
        ).all()
        org_rows = session.scalars(
            select(OrgEvaluation).where(
                OrgEvaluation.period_id == period.id, OrgEvaluation.evaluated.is_(True)
            )
        ).all()
        for e, _m in member_rows:
            if e.proposed_level:
                proposals[Subject("member", e.member_id)] = e.proposed_level
        for o in org_rows:
            if o.proposed_level:
                proposals[Subject(o.subject, o.org_id)] = o.proposed_level
        suggestion = _suggestion(rs, records, proposals)
        for e, m in member_rows:
            cell = cells.get(e.org_id)
            subject = Subject("member", m.id)
            rows.append(
                AppraisalRow(
                    subject=subject, cell_id=e.org_id, cell_name=names.get(e.org_id, ""),
                    name=m.full_name, post=posts.get(m.id, ""),
                    step=CellStep(cell.step) if cell else CellStep.PREPARATION,
                    self_level=e.self_level, vote_counts=dict(e.vote_counts or {}),
                    proposed_level=e.proposed_level, proposal_note=e.proposal_note,
                    suggested_level=suggestion.levels.get(subject),
                    decided_level=e.decided_level, decision_reason=e.decision_reason,
                    locked=bool(cell and cell.locked), version=e.version,
                )
            )  # fmt: skip
        for o in org_rows:
            if o.org_id not in cells:
                continue
            cell = cells[o.org_id]
            subject = Subject(o.subject, o.org_id)
            name = names.get(o.org_id, "")
            rows.append(
                AppraisalRow(
                    subject=subject, cell_id=o.org_id, cell_name=name,
                    name=name if o.subject == "org" else collective_title(name), post="",
                    step=CellStep(cell.step), self_level=o.self_level,
                    vote_counts=dict(o.vote_counts or {}),
                    proposed_level=o.proposed_level, proposal_note=o.proposal_note,
                    suggested_level=suggestion.levels.get(subject),
                    decided_level=o.decided_level, decision_reason=o.decision_reason,
                    locked=cell.locked, version=o.version,
                )
            )  # fmt: skip
        kind_order = {"org": 0, "collective": 1, "member": 2}
        rows.sort(
            key=lambda r: (
                text_key(r.cell_name), kind_order[r.subject.kind], *roster_key(r.post, r.name)
            )
        )  # fmt: skip
        levels = current_levels(session, period)
        roots = [r for r in tree.roots() if tree.is_grassroots(r)] or tree.roots()
        commune = roots[0] if roots else None
        return AppraisalView(
            year=year,
            state=PeriodState(period.state),
            ruleset=rs,
            commune_id=commune,
            commune_name=names.get(commune, "") if commune else "",
            committee_title=(
                collective_title(names.get(commune, ""), tree.node(commune).kind) if commune else ""
            ),
            rows=tuple(rows),
            findings=tuple(validate(rs, records.facts, levels)),
            quota=quota(rs, records.facts, levels, commune, "member") if commune else None,
            org_quota=quota(rs, records.facts, levels, commune, "org")
            if commune and rs.org_quota
            else None,
            submitted=sum(
                1 for c in cells.values() if c.step in (CellStep.SUBMITTED, CellStep.DECIDED)
            ),
            cells=len(cells),
        )


def _cell(session: Session, period: EvaluationPeriod, cell_id: int) -> OrgEvaluation:
    row = evaluation_row(session, period, Subject("org", cell_id))
    assert isinstance(row, OrgEvaluation)
    return row


def _require_open(period: EvaluationPeriod) -> None:
    if period.state in (PeriodState.DECIDED, PeriodState.REPORTED):
        raise LockedError(
            "Kỳ đánh giá đã quyết định và khóa. Muốn sửa, hãy mở khóa với lý do trước."
        )


def accept_proposals(db: Database, year: int, cell_ids: list[int], actor: str = "") -> int:
    """The commune takes the proposals of these submitted cells as its decision (where it has
    not decided otherwise already); returns how many levels were filled in."""
    filled = 0
    with db.session() as session:
        period = find(session, year)
        _require_open(period)
        rs = rulesets.from_snapshot(period.ruleset_snapshot, period.year)
        for cell_id in cell_ids:
            cell = _cell(session, period, cell_id)
            if cell.step != CellStep.SUBMITTED:
                continue
            ensure_unlocked(session, period, cell_id)
            rows: list[tuple[Subject, MemberEvaluation | OrgEvaluation]] = [
                (Subject(o.subject, o.org_id), o)
                for o in _org_evaluations(session, period, cell_id)
            ]
            rows += [
                (Subject("member", e.member_id), e)
                for e in session.scalars(
                    select(MemberEvaluation).where(
                        MemberEvaluation.period_id == period.id,
                        MemberEvaluation.org_id == cell_id,
                        MemberEvaluation.evaluated.is_(True),
                    )
                )
            ]
            for subject, row in rows:
                if row.decided_level is None and row.proposed_level is not None:
                    check_level(rs, subject, row.proposed_level)
                    write_level(session, period, row, subject, "decided", row.proposed_level,
                                note="Theo đề xuất của chi bộ", actor=actor)  # fmt: skip
                    filled += 1
        if period.state == PeriodState.OPEN:
            period.state = PeriodState.APPRAISAL
    return filled


def _org_evaluations(
    session: Session, period: EvaluationPeriod, org_id: int
) -> list[OrgEvaluation]:
    return list(
        session.scalars(
            select(OrgEvaluation).where(
                OrgEvaluation.period_id == period.id,
                OrgEvaluation.org_id == org_id,
                OrgEvaluation.evaluated.is_(True),
            )
        )
    )


def change_level(
    db: Database, year: int, subject: Subject, level: str, reason: str, actor: str = "",
    low_reason: str | None = None, expected_version: int | None = None,
) -> None:  # fmt: skip
    """The commune decides a level that differs from the proposal: a reason is required; a
    low or capped level also gets its reason code (``low_reasons``). With *expected_version*
    (the row's version as read), a row changed since is a ConflictError."""
    model = MemberEvaluation if subject.kind == "member" else OrgEvaluation
    with conflicts.stale_as_conflict(db, model) as read, db.session() as session:
        period = find(session, year)
        _require_open(period)
        row = evaluation_row(session, period, subject)
        read.append(row.id)
        conflicts.check_version(session, row, expected_version)
        if level != row.proposed_level and not reason.strip():
            raise ServiceError("Mức quyết định khác mức chi bộ đề xuất: phải ghi lý do thay đổi")
        set_level(session, period, subject, "decided", level, note=reason.strip(), actor=actor)
        rs = rulesets.from_snapshot(period.ruleset_snapshot, period.year)
        low_reasons.record(session, period, rs, subject, level, low_reason, actor)
        if period.state == PeriodState.OPEN:
            period.state = PeriodState.APPRAISAL


def return_cell(db: Database, year: int, cell_id: int, reason: str, actor: str = "") -> None:
    """Send a submitted cell back to hold its meeting again. Its votes and proposals are
    cleared for the new round (the audit log keeps them) and a new meeting round opens."""
    if not reason.strip():
        raise ServiceError("Phải ghi lý do trả lại để chi bộ biết cần đánh giá lại điều gì")
    with db.session() as session:
        period = find(session, year)
        _require_open(period)
        cell = _cell(session, period, cell_id)
        if cell.step != CellStep.SUBMITTED:
            raise ServiceError("Chỉ trả lại được chi bộ đã nộp kết quả")
        members = session.scalars(
            select(MemberEvaluation).where(
                MemberEvaluation.period_id == period.id, MemberEvaluation.org_id == cell_id
            )
        ).all()
        before = {
            "votes": {e.member_id: e.vote_counts for e in members},
            "proposals": {e.member_id: e.proposed_level for e in members},
            "decided": {e.member_id: e.decided_level for e in members},
        }
        for row in [*members, *_org_evaluations(session, period, cell_id)]:
            row.vote_counts = {}
            row.proposed_level = None
            row.decided_level = None
            row.decision_reason = ""
            row.low_level_reason = ""
        cell.step = CellStep.RETURNED
        cell.returned_reason = reason.strip()
        cell.submitted_at = None
        previous = latest_meeting(session, cell)
        session.add(
            Meeting(org_evaluation_id=cell.id, round=(previous.round + 1) if previous else 1)
        )
        audit.record(
            session, actor=actor, action=AuditAction.RETURN_CELL, entity="org_evaluation",
            entity_id=cell.id,
            period_id=period.id, summary=f"Trả lại chi bộ để đánh giá lại: {reason.strip()}",
            before=before, after={"step": CellStep.RETURNED.value, "reason": reason.strip()},
        )  # fmt: skip


class DecisionBlocked(ServiceError):
    """What stands in the way of the decision, one plain sentence each."""

    def __init__(self, problems: tuple[str, ...]) -> None:
        self.problems = problems
        super().__init__("Chưa quyết định được:\n" + "\n".join(f"- {p}" for p in problems))


def decide_and_lock(
    db: Database,
    year: int,
    cell_ids: list[int] | None = None,
    actor: str = "",
    backup: bool = True,
    when: dt.datetime | None = None,
) -> int:
    """Decide and lock the given cells (every cell when None): each submitted, every level
    decided, no rule broken among them and the commune-wide quota kept. Backs the database up
    first. When every cell is decided the period is decided. Returns the cells decided."""
    with db.session() as session:
        period = find(session, year)
        _require_open(period)
        rs = rulesets.from_snapshot(period.ruleset_snapshot, period.year)
        records = facts.build(session, period)
        tree, names = records.tree, records.org_names
        all_cells = [
            e
            for e in session.scalars(
                select(OrgEvaluation).where(
                    OrgEvaluation.period_id == period.id, OrgEvaluation.subject == "org"
                )
            )
            if e.org_id in tree and tree.node(e.org_id).kind is OrgKind.CELL
        ]
        wanted = set(cell_ids) if cell_ids is not None else {c.org_id for c in all_cells}
        cells = [c for c in all_cells if c.org_id in wanted and c.step != CellStep.DECIDED]
        problems = _decision_problems(session, period, rs, records, cells)
        if problems:
            raise DecisionBlocked(tuple(problems))
    if backup:
        backups.make_backup(db, f"quyet-dinh-{year}")
    now = (when or clock.now()).replace(microsecond=0)
    decided_ids = {c.org_id for c in cells}
    with db.session() as session:
        period = find(session, year)
        for cell in session.scalars(
            select(OrgEvaluation).where(OrgEvaluation.period_id == period.id)
        ):
            if cell.org_id not in decided_ids:
                continue
            if cell.subject == "org":
                cell.step = CellStep.DECIDED
                cell.decided_at = now
            cell.locked = True
        remaining = [
            c for c in all_cells if c.org_id not in decided_ids and c.step != CellStep.DECIDED
        ]
        if not remaining:
            period.state = PeriodState.DECIDED
        elif period.state == PeriodState.OPEN:
            period.state = PeriodState.APPRAISAL
        listing = ", ".join(sorted((names[i] for i in decided_ids), key=text_key))
        seal.record_lock(
            session, period, actor=actor,
            summary=f"Quyết định và khóa kết quả năm {year}: {len(decided_ids)} chi bộ "
            f"({listing})",
            after={"cells": sorted(decided_ids)},
        )  # fmt: skip
        return len(decided_ids)


def _decision_problems(
    session: Session,
    period: EvaluationPeriod,
    rs: RuleSet,
    records: facts.PeriodRecords,
    cells: list[OrgEvaluation],
) -> list[str]:
    names = records.org_names
    problems: list[str] = []
    if not cells:
        return ["không có chi bộ nào chờ quyết định"]
    waiting = sorted((names[c.org_id] for c in cells if c.step != CellStep.SUBMITTED), key=text_key)
    if waiting:
        shown = ", ".join(waiting[:8]) + ("…" if len(waiting) > 8 else "")
        problems.append(f"{len(waiting)} chi bộ chưa nộp kết quả: {shown}")
    ids = {c.org_id for c in cells}
    undecided: dict[int, int] = defaultdict(int)
    for e in session.scalars(
        select(MemberEvaluation).where(
            MemberEvaluation.period_id == period.id,
            MemberEvaluation.evaluated.is_(True),
            MemberEvaluation.org_id.in_(ids),
        )
    ):
        if e.decided_level is None:
            undecided[e.org_id] += 1
    for cell_id in ids:
        for o in _org_evaluations(session, period, cell_id):
            if o.decided_level is None:
                undecided[cell_id] += 1
    if undecided:
        listing = ", ".join(
            f"{names.get(cell, '?')} ({count})"
            for cell, count in sorted(undecided.items(), key=lambda i: text_key(names[i[0]]))
        )
        problems.append("còn mức chưa quyết định ở: " + listing)
    cell_of = {m.member_id: m.cell_id for m in records.facts.members}

    def concerns(finding: Finding) -> bool:
        if finding.check.endswith("quota"):
            return True  # the commune-wide quota binds every decision
        org = cell_of.get(finding.subject.id) if finding.subject.kind == "member" else None
        return (org if org is not None else finding.subject.id) in ids

    levels = current_levels(session, period)
    blocking = [f for f in validate(rs, records.facts, levels) if f.blocking and concerns(f)]
    problems += [f.message for f in blocking[:20]]
    if len(blocking) > 20:
        problems.append(f"… và {len(blocking) - 20} điểm phải sửa khác")
    return problems


def reopen(db: Database, year: int, reason: str, actor: str = "") -> None:
    """Unlock a decided period to correct it; the reason goes into the audit log."""
    if not reason.strip():
        raise ServiceError("Phải ghi lý do mở khóa")
    with db.session() as session:
        period = find(session, year)
        if period.state not in (PeriodState.DECIDED, PeriodState.REPORTED):
            raise ServiceError("Kỳ đánh giá chưa khóa")
        for cell in session.scalars(
            select(OrgEvaluation).where(OrgEvaluation.period_id == period.id)
        ):
            cell.locked = False
            if cell.step == CellStep.DECIDED:
                cell.step = CellStep.SUBMITTED
        period.state = PeriodState.APPRAISAL
        audit.record(
            session, actor=actor, action=AuditAction.UNLOCK, entity="period", entity_id=period.id,
            period_id=period.id, summary=f"Mở khóa kết quả năm {year}: {reason.strip()}",
        )  # fmt: skip
