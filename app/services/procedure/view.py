"""What the window shows of the procedure: one cell with everything entered so far, the rule
findings on it and the level the rules suggest; and the board of every cell of a period.

The suggestion for a cell is what the rules give before the commune-wide quota: the cell may
propose more HTXSNV than the quota allows, and the commune trims.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.collation import roster_key
from app.domain.procedure import CellProgress, CellStep, PeriodState, missing_for
from app.domain.rules import (
    Finding,
    MemberFacts,
    OrgFacts,
    PeriodFacts,
    Proposal,
    QuotaStatus,
    RuleSet,
    Subject,
    propose,
    quota,
    validate,
)
from app.domain.rules.checks_quarters import (
    rated_quarterly,
    ruleset_quarter_rule,
    year_from_quarters,
)
from app.domain.rules.findings import leading_collective_title
from app.domain.rules.votes import VoteOutcome
from app.domain.vocabulary import OrgKind
from app.services.periods import carry_over, facts
from app.services.periods import rule_sets as rulesets
from app.services.periods.lifecycle import find, party_posts
from app.store.database import Database
from app.store.models import (
    Attendance,
    EvaluationPeriod,
    Meeting,
    Member,
    MemberEvaluation,
    OrgEvaluation,
)


@dataclass(frozen=True)
class MemberLine:
    """One member of a cell's roster with every stage of their evaluation."""

    member_id: int
    full_name: str
    party_post: str
    probationary: bool
    evaluated: bool
    votes: bool
    reason_label: str | None
    is_civil_servant: bool
    self_level: str | None
    self_score_general: float | None
    self_score_tasks: float | None
    self_review: str
    degradation: bool
    tasks_below_half: bool
    state_level: str | None
    all_tasks_on_time: bool | None
    tasks_exceeded_share: float | None
    shortcomings_remedied: bool | None
    facts_note: str
    shortcomings: str
    present: bool | None  # None: attendance not taken yet
    absence_reason: str
    comments: str
    response: str
    vote_counts: dict[str, int]
    vote_explanation: str
    suggested_level: str | None  # what the rules give from the votes (before the quota)
    suggestion_reason: str
    proposed_level: str | None
    proposal_note: str
    decided_level: str | None
    decision_reason: str
    remedy: str = ""  # how last year's shortcomings were remedied
    previous_shortcomings: str = ""  # recorded in last year's review; "" = none
    low_reason: str = ""  # the rule set's reason code for a low or capped level
    # The year drawn from the quarterly ratings, with its rule in words ("" = not rated by
    # quarter); ``quarterly_level`` the level it gives (None: not derived yet).
    quarterly: str = ""
    quarterly_level: str | None = None
    rated_quarterly: bool = False  # the rule set rates this member by quarter
    # The row's version as read: handed back with a save, a change made meanwhile by someone
    # else is refused (procedure.conflicts) instead of overwritten. Bookkeeping of this
    # database, not content: two views of the same evaluation compare equal whatever it is.
    version: int = field(default=1, compare=False)

    @property
    def subject(self) -> Subject:
        return Subject("member", self.member_id)


@dataclass(frozen=True)
class OrgLine:
    """The cell itself ("org") or its chi ủy ("collective")."""

    subject: Subject
    name: str
    evaluated: bool
    reason_label: str | None
    self_level: str | None
    self_assessment: str
    score_general: float | None
    score_tasks: float | None
    disunity: bool
    tasks_below_half: bool
    all_tasks_on_time: bool | None
    tasks_exceeded_share: float | None
    shortcomings_remedied: bool | None
    member_degradation_disciplined: bool
    tasks_late_share: float | None
    facts_note: str
    vote_counts: dict[str, int]
    vote_explanation: str
    suggested_level: str | None
    suggestion_reason: str
    proposed_level: str | None
    proposal_note: str
    decided_level: str | None
    decision_reason: str
    low_reason: str = ""  # the rule set's reason code for a low or capped level


@dataclass(frozen=True)
class MeetingInfo:
    round: int
    held_on: dt.date | None
    starts_at: dt.time | None
    ends_at: dt.time | None
    place: str
    chair_id: int | None
    secretary_id: int | None
    upper_attendee: str
    upper_attendee_post: str
    voting_method: str
    tally_committee: tuple[int, ...]
    ballots_issued: int | None
    ballots_returned: int | None
    ballots_valid: int | None
    report_summary: str
    upper_remarks: str
    conclusion: str
    approval_agree: int | None
    approval_total: int | None

    @property
    def secret_ballot(self) -> bool:
        return self.voting_method == "bo_phieu_kin"


@dataclass(frozen=True)
class CellView:
    year: int
    period_state: PeriodState
    ruleset: RuleSet
    reference_date: dt.date
    opens_on: dt.date
    closes_on: dt.date
    deadline: dt.date | None
    cell_id: int
    cell_name: str
    grassroots_name: str
    step: CellStep
    locked: bool
    returned_reason: str
    submitted_at: dt.datetime | None
    decided_at: dt.datetime | None
    members: tuple[MemberLine, ...]
    cell: OrgLine
    collective: OrgLine | None
    meeting: MeetingInfo | None
    progress: CellProgress
    missing: tuple[str, ...]
    findings: tuple[Finding, ...]
    quota: QuotaStatus | None
    voters_present: int
    voters: int

    @property
    def editable(self) -> bool:
        """The cell still works on its records (not submitted, not decided)."""
        return not self.locked and self.step not in (CellStep.SUBMITTED, CellStep.DECIDED)

    def member(self, member_id: int) -> MemberLine:
        return next(m for m in self.members if m.member_id == member_id)

    def findings_for(self, subject: Subject) -> list[Finding]:
        return [f for f in self.findings if f.subject == subject]


def latest_meeting(session: Session, evaluation: OrgEvaluation) -> Meeting | None:
    return session.scalar(
        select(Meeting)
        .where(Meeting.org_evaluation_id == evaluation.id)
        .order_by(Meeting.round.desc())
        .limit(1)
    )


def attendance(session: Session, meeting: Meeting | None) -> dict[int, bool]:
    """Who was marked present (True) or absent (False) at *meeting*; empty when none."""
    if meeting is None:
        return {}
    return dict(
        session.execute(
            select(Attendance.member_id, Attendance.present).where(
                Attendance.meeting_id == meeting.id
            )
        ).all()
    )


def meeting_info(meeting: Meeting | None) -> MeetingInfo | None:
    if meeting is None:
        return None
    return MeetingInfo(
        round=meeting.round,
        held_on=meeting.held_on,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        place=meeting.place,
        chair_id=meeting.chair_id,
        secretary_id=meeting.secretary_id,
        upper_attendee=meeting.upper_attendee,
        upper_attendee_post=meeting.upper_attendee_post,
        voting_method=meeting.voting_method,
        tally_committee=tuple(meeting.tally_committee or ()),
        ballots_issued=meeting.ballots_issued,
        ballots_returned=meeting.ballots_returned,
        ballots_valid=meeting.ballots_valid,
        report_summary=meeting.report_summary,
        upper_remarks=meeting.upper_remarks,
        conclusion=meeting.conclusion,
        approval_agree=meeting.approval_agree,
        approval_total=meeting.approval_total,
    )


def progress_of(
    rs: RuleSet,
    cell: OrgEvaluation,
    collective: OrgEvaluation | None,
    members: list[MemberEvaluation],
    meeting: Meeting | None,
    present: dict[int, bool],
) -> CellProgress:
    evaluated = [m for m in members if m.evaluated]
    scored = rs.score is not None and rs.score.enabled and "member" in rs.score.applies_to
    voters = {m.member_id for m in members if m.votes}
    meeting_recorded = bool(
        meeting
        and meeting.held_on
        and meeting.place
        and meeting.chair_id is not None
        and meeting.secretary_id is not None
    )
    present_voters = sum(1 for member_id in voters if present.get(member_id))
    share, strict = rs.quorum.share, rs.quorum.strict
    quorum_met = bool(voters) and (
        present_voters > share * len(voters) if strict else present_voters >= share * len(voters)
    )
    ceiling = _vote_ceiling(meeting, present_voters)
    consistent = all(sum(m.vote_counts.values()) <= ceiling for m in members if m.vote_counts)
    for org_row in (cell, collective):
        if org_row is not None and org_row.vote_counts:
            consistent = consistent and sum(org_row.vote_counts.values()) <= ceiling
    # A chi ủy goes through the steps with its cell; a cell without one has nothing to wait for.
    chi_uy = collective if collective is not None and collective.evaluated else None
    return CellProgress(
        roster_frozen=True,
        roster=len(members),
        evaluated=len(evaluated),
        self_levels=sum(1 for m in evaluated if m.self_level),
        self_scores_needed=scored,
        self_scores=sum(
            1 for m in evaluated
            if m.self_score_general is not None and m.self_score_tasks is not None
        ),
        cell_self_level=bool(cell.self_level) or not cell.evaluated,
        meeting_recorded=meeting_recorded,
        attendance_recorded=sum(1 for m in members if m.member_id in present),
        quorum_met=quorum_met,
        voters=len(voters),
        votes_recorded=sum(1 for m in evaluated if m.vote_counts),
        cell_votes_recorded=bool(cell.vote_counts) or not cell.evaluated,
        ballots_consistent=consistent,
        proposals=sum(1 for m in evaluated if m.proposed_level),
        cell_proposal=bool(cell.proposed_level) or not cell.evaluated,
        collective_self_level=chi_uy is None or bool(chi_uy.self_level),
        collective_votes_recorded=chi_uy is None or bool(chi_uy.vote_counts),
        collective_proposal=chi_uy is None or bool(chi_uy.proposed_level),
    )  # fmt: skip


def _vote_ceiling(meeting: Meeting | None, present_voters: int) -> int:
    """The most votes one row may hold: the valid ballots of a secret ballot, else the voters
    present (a show of hands)."""
    if meeting is not None and meeting.voting_method == "bo_phieu_kin" and meeting.ballots_valid:
        return meeting.ballots_valid
    return present_voters


def vote_ceiling(meeting: MeetingInfo | None, present_voters: int) -> tuple[int, str]:
    if meeting is not None and meeting.secret_ballot and meeting.ballots_valid:
        return meeting.ballots_valid, "số phiếu hợp lệ"
    return present_voters, "số đảng viên chính thức có mặt được biểu quyết"


def collective_title(org_name: str, kind: OrgKind = OrgKind.CELL) -> str:
    """ "Chi bộ bản Pá Có" → "Chi ủy chi bộ bản Pá Có"; the commune's own committee by *kind*."""
    return leading_collective_title(org_name, kind)


def without_quota(rs: RuleSet) -> RuleSet:
    return dataclasses.replace(rs, member_quota=None, org_quota=None, exemplary_quota=None)


def _explanation(outcomes: dict[Subject, VoteOutcome], subject: Subject) -> str:
    outcome = outcomes.get(subject)
    return outcome.explanation if outcome is not None else ""


def cell_view(db: Database, year: int, cell_id: int) -> CellView:
    with db.session() as session:
        period = find(session, year)
        rs = rulesets.from_snapshot(period.ruleset_snapshot, period.year)
        evaluations = {
            (e.subject): e
            for e in session.scalars(
                select(OrgEvaluation).where(
                    OrgEvaluation.period_id == period.id, OrgEvaluation.org_id == cell_id
                )
            )
        }
        cell = evaluations["org"]
        collective = evaluations.get("collective")
        meeting = latest_meeting(session, cell)
        rows = session.execute(
            select(MemberEvaluation, Member)
            .join(Member, Member.id == MemberEvaluation.member_id)
            .where(MemberEvaluation.period_id == period.id, MemberEvaluation.org_id == cell_id)
        ).all()
        members = [e for e, _ in rows]
        present: dict[int, bool] = {}
        reasons: dict[int, str] = {}
        if meeting is not None:
            for a in session.scalars(select(Attendance).where(Attendance.meeting_id == meeting.id)):
                present[a.member_id] = a.present
                reasons[a.member_id] = a.absence_reason
        records = facts.build(session, period, cells={cell_id})
        suggestion = propose(without_quota(rs), records.facts)
        outcomes = dict(suggestion.votes)
        levels = _current_levels(members, evaluations.values())
        cell_subjects = {Subject("org", cell_id), Subject("collective", cell_id)} | {
            Subject("member", e.member_id) for e in members
        }
        findings = tuple(
            f for f in validate(rs, records.facts, levels) if f.subject in cell_subjects
        ) + tuple(
            f for f in suggestion.findings if f.subject in cell_subjects and f.check == "vote"
        )
        carried = {f.member_id: f.previous_shortcomings for f in records.facts.members}
        if not cell.locked and cell.step not in (CellStep.SUBMITTED, CellStep.DECIDED):
            evaluated = {e.member_id for e in members if e.evaluated}
            findings += tuple(
                carry_over.reminders(
                    year, [f for f in records.facts.members if f.member_id in evaluated]
                )
            )
        grassroots = records.tree.grassroots_of(cell_id)
        quota_status = (
            _quota(session, period, rs, grassroots, records.facts.organizations)
            if grassroots is not None
            else None
        )
        posts = party_posts(session, period.reference_date)
        progress = progress_of(rs, cell, collective, members, meeting, present)
        step = CellStep(cell.step)
        by_quarters = {
            f.member_id: derived
            for f in records.facts.members
            if (derived := year_from_quarters(rs, f)) is not None
        }
        quarter_rule = ruleset_quarter_rule(rs)
        rated = {
            f.member_id
            for f in records.facts.members
            if quarter_rule is not None and rated_quarterly(quarter_rule, f)
        }
        member_lines = [
            dataclasses.replace(
                _member_line(rs, e, m, posts, present, reasons, suggestion, outcomes, period),
                remedy=e.remedy,
                previous_shortcomings=carried.get(m.id, ""),
                quarterly=by_quarters[m.id].words if m.id in by_quarters else "",
                quarterly_level=by_quarters[m.id].level if m.id in by_quarters else None,
                rated_quarterly=m.id in rated,
            )
            for e, m in rows
        ]
        member_lines.sort(key=lambda line: roster_key(line.party_post, line.full_name))
        voters = [m for m in members if m.votes]
        org_name = records.org_names.get(cell_id, "")
        return CellView(
            year=year,
            period_state=PeriodState(period.state),
            ruleset=rs,
            reference_date=period.reference_date,
            opens_on=period.opens_on or dt.date(year, 10, 1),
            closes_on=period.closes_on or dt.date(year + 1, 3, 31),
            deadline=period.deadline,
            cell_id=cell_id,
            cell_name=org_name,
            grassroots_name=records.org_names.get(grassroots, "") if grassroots else "",
            step=step,
            locked=cell.locked,
            returned_reason=cell.returned_reason,
            submitted_at=cell.submitted_at,
            decided_at=cell.decided_at,
            members=tuple(member_lines),
            cell=_org_line(rs, cell, org_name, suggestion, outcomes),
            collective=(
                _org_line(rs, collective, collective_title(org_name), suggestion, outcomes)
                if collective is not None
                else None
            ),
            meeting=meeting_info(meeting),
            progress=progress,
            missing=tuple(missing_for(step, progress)),
            findings=findings,
            quota=quota_status,
            voters_present=sum(1 for m in voters if present.get(m.member_id)),
            voters=len(voters),
        )


def _current_levels(
    members: list[MemberEvaluation], orgs: Iterable[OrgEvaluation]
) -> dict[Subject, str]:
    levels: dict[Subject, str] = {}
    for m in members:
        level = m.decided_level or m.proposed_level
        if m.evaluated and level:
            levels[Subject("member", m.member_id)] = level
    for o in orgs:
        level = o.decided_level or o.proposed_level
        if o.evaluated and level:
            levels[Subject(o.subject, o.org_id)] = level
    return levels


def _member_line(
    rs: RuleSet,
    e: MemberEvaluation,
    m: Member,
    posts: dict[int, str],
    present: dict[int, bool],
    reasons: dict[int, str],
    suggestion: Proposal,
    outcomes: dict[Subject, VoteOutcome],
    period: EvaluationPeriod,
) -> MemberLine:
    subject = Subject("member", m.id)
    return MemberLine(
        member_id=m.id,
        full_name=m.full_name,
        party_post=posts.get(m.id, ""),
        probationary=m.official_on is None or m.official_on > period.reference_date,
        evaluated=e.evaluated,
        votes=e.votes,
        reason_label=rs.reason_label(e.not_classified_reason) if e.not_classified_reason else None,
        is_civil_servant=m.is_civil_servant,
        self_level=e.self_level,
        self_score_general=e.self_score_general,
        self_score_tasks=e.self_score_tasks,
        self_review=e.self_review,
        degradation=e.degradation,
        tasks_below_half=e.tasks_below_half,
        state_level=e.state_level,
        all_tasks_on_time=e.all_tasks_on_time,
        tasks_exceeded_share=e.tasks_exceeded_share,
        shortcomings_remedied=e.shortcomings_remedied,
        facts_note=e.facts_note,
        shortcomings=e.shortcomings,
        present=present.get(m.id),
        absence_reason=reasons.get(m.id, ""),
        comments=e.comments,
        response=e.response,
        vote_counts=dict(e.vote_counts or {}),
        vote_explanation=_explanation(outcomes, subject),
        suggested_level=suggestion.levels.get(subject),
        suggestion_reason=suggestion.reasons.get(subject, ""),
        proposed_level=e.proposed_level,
        proposal_note=e.proposal_note,
        decided_level=e.decided_level,
        decision_reason=e.decision_reason,
        low_reason=e.low_level_reason,
        version=e.version,
    )


def _org_line(
    rs: RuleSet,
    e: OrgEvaluation,
    name: str,
    suggestion: Proposal,
    outcomes: dict[Subject, VoteOutcome],
) -> OrgLine:
    subject = Subject(e.subject, e.org_id)
    reason = e.not_classified_reason
    return OrgLine(
        subject=subject,
        name=name,
        evaluated=e.evaluated,
        reason_label=rs.reason_label(reason) if reason else None,
        self_level=e.self_level,
        self_assessment=e.self_assessment,
        score_general=e.score_general,
        score_tasks=e.score_tasks,
        disunity=e.disunity,
        tasks_below_half=e.tasks_below_half,
        all_tasks_on_time=e.all_tasks_on_time,
        tasks_exceeded_share=e.tasks_exceeded_share,
        shortcomings_remedied=e.shortcomings_remedied,
        member_degradation_disciplined=e.member_degradation_disciplined,
        tasks_late_share=e.tasks_late_share,
        facts_note=e.facts_note,
        vote_counts=dict(e.vote_counts or {}),
        vote_explanation=_explanation(outcomes, subject),
        suggested_level=suggestion.levels.get(subject),
        suggestion_reason=suggestion.reasons.get(subject, ""),
        proposed_level=e.proposed_level,
        proposal_note=e.proposal_note,
        decided_level=e.decided_level,
        decision_reason=e.decision_reason,
        low_reason=e.low_level_reason,
    )


def _quota(
    session: Session,
    period: EvaluationPeriod,
    rs: RuleSet,
    grassroots: int,
    organizations: tuple[OrgFacts, ...],
) -> QuotaStatus:
    """The member quota over the grassroots organisation, from the levels recorded so far
    (decided, else proposed). Only the roster and the levels matter to it."""
    rows = session.execute(
        select(
            MemberEvaluation.member_id,
            MemberEvaluation.org_id,
            MemberEvaluation.decided_level,
            MemberEvaluation.proposed_level,
            MemberEvaluation.evaluated,
        ).where(MemberEvaluation.period_id == period.id)
    ).all()
    members = tuple(
        MemberFacts(member_id=m, full_name="", cell_id=c, admitted_on=None, official_on=None)
        for m, c, *_ in rows
    )
    skeleton = PeriodFacts(period.year, period.reference_date, members, organizations)
    levels = {
        Subject("member", m): (d or p) for m, _c, d, p, evaluated in rows if evaluated and (d or p)
    }
    return quota(rs, skeleton, levels, grassroots, "member")
