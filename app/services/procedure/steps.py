"""Everything a cell enters, step by step, and the moves between steps.

Each call is one unit of work: it checks the cell may still be edited, validates what was
entered (every problem names its field), writes, and logs the change in the audit log. What
was entered is saved at once, so a user who stops half-way finds it all next time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import clock
from app.domain.meeting_checks import (
    Ballots,
    MeetingRecord,
    check_ballots,
    check_meeting,
    check_votes,
    default_window,
)
from app.domain.member_checks import FieldProblem
from app.domain.procedure import CellProgress, CellStep, missing_for, next_step
from app.domain.rules import RuleSet, Subject
from app.domain.vocabulary import AuditAction
from app.services.common.errors import NotFound, ServiceError, ValidationError
from app.services.periods import item_sheets
from app.services.periods import rule_sets as rulesets
from app.services.periods.lifecycle import find
from app.services.procedure import conflicts, low_reasons
from app.services.procedure.levels import LockedError, cell_row, evaluation_row, set_level
from app.services.procedure.view import (
    attendance,
    latest_meeting,
    meeting_info,
    progress_of,
    vote_ceiling,
)
from app.services.safekeeping import audit
from app.store.database import Database
from app.store.models import (
    Attendance,
    EvaluationPeriod,
    Meeting,
    Member,
    MemberEvaluation,
    Organization,
    OrgEvaluation,
)

EDITABLE_STEPS = (
    CellStep.PREPARATION,
    CellStep.SELF_REVIEW,
    CellStep.MEETING,
    CellStep.RETURNED,
    CellStep.VOTING,
)


def editable_cell(session: Session, period: EvaluationPeriod, cell_id: int) -> OrgEvaluation:
    """The cell's row while it may still be edited; LockedError once submitted or decided."""
    cell = cell_row(session, period, cell_id)
    if cell.locked or cell.step == CellStep.DECIDED:
        raise LockedError(
            "Kết quả của chi bộ này đã được quyết định và khóa. Muốn sửa, đảng ủy phải mở khóa "
            "với lý do (menu Kỳ đánh giá → Mở khóa kết quả)."
        )
    if cell.step == CellStep.SUBMITTED:
        raise LockedError(
            "Chi bộ đã nộp kết quả lên đảng ủy; chỉ sửa được khi đảng ủy trả lại để đánh giá lại."
        )
    return cell


def _member_row(session: Session, period: EvaluationPeriod, member_id: int) -> MemberEvaluation:
    row = evaluation_row(session, period, Subject("member", member_id))
    assert isinstance(row, MemberEvaluation)
    return row


def _log(
    session: Session,
    period: EvaluationPeriod,
    actor: str,
    action: str,
    entity: str,
    entity_id: int,
    summary: str,
    before: dict[str, object],
    after: dict[str, object],
) -> None:
    if before == after:
        return
    audit.record(
        session, actor=actor, action=action, entity=entity, entity_id=entity_id,
        period_id=period.id, summary=summary, before=before, after=after,
    )  # fmt: skip


# ---- self-review ----------------------------------------------------------------------


@dataclass(frozen=True)
class SelfReview:
    """What a member brings to the meeting: the self-proposed level and score, the flags the
    records do not hold (entered with a note), and optionally the review's text."""

    level: str | None = None
    score_general: float | None = None
    score_tasks: float | None = None
    degradation: bool = False
    tasks_below_half: bool = False
    state_level: str | None = None
    all_tasks_on_time: bool | None = None
    tasks_exceeded_share: float | None = None
    shortcomings_remedied: bool | None = None
    facts_note: str = ""
    text: str = ""
    shortcomings: str = ""
    remedy: str = ""  # how last year's shortcomings were remedied


_SELF_FIELDS = {
    "level": "self_level",
    "score_general": "self_score_general",
    "score_tasks": "self_score_tasks",
    "degradation": "degradation",
    "tasks_below_half": "tasks_below_half",
    "state_level": "state_level",
    "all_tasks_on_time": "all_tasks_on_time",
    "tasks_exceeded_share": "tasks_exceeded_share",
    "shortcomings_remedied": "shortcomings_remedied",
    "facts_note": "facts_note",
    "text": "self_review",
    "shortcomings": "shortcomings",
    "remedy": "remedy",
}


def _check_self_review(rs: RuleSet, review: SelfReview, subject_kind: str) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    scale = rs.scale(subject_kind)
    if review.level is not None and review.level not in scale:
        problems.append(FieldProblem("level", f"mức “{review.level}” không có", "Tự xếp loại"))
    if review.state_level is not None and review.state_level not in rs.member_levels:
        problems.append(FieldProblem("state_level", "mức không hợp lệ", "Xếp loại công chức"))
    model = rs.score
    for key, value, maximum, label in (
        ("score_general", review.score_general, model.general_max if model else None,
         "Điểm tiêu chí chung"),
        ("score_tasks", review.score_tasks, model.tasks_max if model else None,
         "Điểm kết quả nhiệm vụ"),
    ):  # fmt: skip
        if value is None:
            continue
        if value < 0 or (maximum is not None and value > maximum):
            top = f"{maximum:g}" if maximum is not None else "?"
            problems.append(FieldProblem(key, f"phải từ 0 đến {top} điểm", label))
    share = review.tasks_exceeded_share
    if share is not None and not 0 <= share <= 1:
        problems.append(
            FieldProblem("tasks_exceeded_share", "phải từ 0% đến 100%", "Tỷ lệ nhiệm vụ vượt")
        )
    return problems


def save_self_review(
    db: Database, year: int, member_id: int, review: SelfReview, actor: str = "",
    expected_version: int | None = None,
) -> None:  # fmt: skip
    """The member's self-review. *expected_version*: the row's version as the caller read it
    (``MemberLine.version``); changed since, a ConflictError names who changed what, and
    nothing is written."""
    with conflicts.stale_as_conflict(db, MemberEvaluation) as read, db.session() as session:
        period = find(session, year)
        row = _member_row(session, period, member_id)
        read.append(row.id)
        conflicts.check_version(session, row, expected_version)
        editable_cell(session, period, row.org_id)
        rs = rulesets.from_snapshot(period.ruleset_snapshot, period.year)
        problems = _check_self_review(rs, review, "member")
        review = item_sheets.keep_item_totals(
            session,
            period,
            Subject("member", member_id),
            review,
            (row.self_score_general, row.self_score_tasks),
            problems,
        )
        if problems:
            raise ValidationError(problems)
        before = {column: getattr(row, column) for column in _SELF_FIELDS.values()}
        for key, column in _SELF_FIELDS.items():
            setattr(row, column, getattr(review, key))
        after = {column: getattr(row, column) for column in _SELF_FIELDS.values()}
        name = session.get(Member, member_id).full_name
        _log(session, period, actor, AuditAction.SELF_REVIEW, "member_evaluation", row.id,
             f"{name}: tự kiểm điểm", before, after)  # fmt: skip


@dataclass(frozen=True)
class CellSelfAssessment:
    level: str | None = None
    text: str = ""
    score_general: float | None = None
    score_tasks: float | None = None
    disunity: bool = False
    tasks_below_half: bool = False
    all_tasks_on_time: bool | None = None
    tasks_exceeded_share: float | None = None
    shortcomings_remedied: bool | None = None
    facts_note: str = ""
    member_degradation_disciplined: bool = False  # hd27
    tasks_late_share: float | None = None  # qd366: share of tasks behind schedule


_CELL_FIELDS = {
    "level": "self_level",
    "text": "self_assessment",
    "score_general": "score_general",
    "score_tasks": "score_tasks",
    "disunity": "disunity",
    "tasks_below_half": "tasks_below_half",
    "all_tasks_on_time": "all_tasks_on_time",
    "tasks_exceeded_share": "tasks_exceeded_share",
    "shortcomings_remedied": "shortcomings_remedied",
    "facts_note": "facts_note",
    "member_degradation_disciplined": "member_degradation_disciplined",
    "tasks_late_share": "tasks_late_share",
}


def save_cell_self_assessment(
    db: Database, year: int, cell_id: int, assessment: CellSelfAssessment, actor: str = "",
    kind: Literal["org", "collective"] = "org",
) -> None:  # fmt: skip
    """The cell's own review as a collective (*kind* "org") or its chi ủy's ("collective")."""
    with db.session() as session:
        period = find(session, year)
        cell = editable_cell(session, period, cell_id)
        row = cell if kind == "org" else evaluation_row(session, period, Subject(kind, cell_id))
        rs = rulesets.from_snapshot(period.ruleset_snapshot, period.year)
        problems = []
        if assessment.level is not None and assessment.level not in rs.org_levels:
            problems.append(
                FieldProblem("level", f"mức “{assessment.level}” không có", "Tự xếp loại")
            )
        assessment = item_sheets.keep_item_totals(
            session,
            period,
            Subject(kind, cell_id),
            assessment,
            (row.score_general, row.score_tasks),
            problems,
        )
        if problems:
            raise ValidationError(problems)
        before = {column: getattr(row, column) for column in _CELL_FIELDS.values()}
        for key, column in _CELL_FIELDS.items():
            setattr(row, column, getattr(assessment, key))
        after = {column: getattr(row, column) for column in _CELL_FIELDS.values()}
        who = "Chi bộ" if kind == "org" else "Chi ủy"
        _log(session, period, actor, AuditAction.COLLECTIVE_REVIEW, f"{kind}_evaluation", row.id,
             f"{who} tự đánh giá tập thể", before, after)  # fmt: skip


# ---- the meeting --------------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingInput:
    held_on: dt.date | None
    starts_at: dt.time | None
    ends_at: dt.time | None
    place: str
    chair_id: int | None
    secretary_id: int | None
    upper_attendee: str = ""
    upper_attendee_post: str = ""
    voting_method: str = "bo_phieu_kin"  # or "gio_tay" (show of hands)
    tally_committee: tuple[int, ...] = ()
    report_summary: str = ""
    upper_remarks: str = ""
    conclusion: str = ""
    approval_agree: int | None = None
    approval_total: int | None = None


def _current_meeting(session: Session, cell: OrgEvaluation) -> Meeting:
    meeting = latest_meeting(session, cell)
    if meeting is None:
        meeting = Meeting(org_evaluation_id=cell.id, round=1)
        session.add(meeting)
        session.flush()
    return meeting


def _present(session: Session, meeting: Meeting) -> set[int]:
    return set(
        session.scalars(
            select(Attendance.member_id).where(
                Attendance.meeting_id == meeting.id, Attendance.present.is_(True)
            )
        )
    )


def save_meeting(
    db: Database, year: int, cell_id: int, record: MeetingInput, actor: str = ""
) -> None:
    """Save the meeting record; refuse (naming each field) a date outside the period, a chair
    or secretary who is not a member present, and the like."""
    with db.session() as session:
        period = find(session, year)
        cell = editable_cell(session, period, cell_id)
        meeting = _current_meeting(session, cell)
        roster = dict(
            session.execute(
                select(Member.id, Member.full_name)
                .join(MemberEvaluation, MemberEvaluation.member_id == Member.id)
                .where(MemberEvaluation.period_id == period.id, MemberEvaluation.org_id == cell_id)
            ).all()
        )
        opens, closes = default_window(period.year)
        problems = check_meeting(
            MeetingRecord(
                held_on=record.held_on,
                starts_at=record.starts_at,
                ends_at=record.ends_at,
                place=record.place,
                chair_id=record.chair_id,
                secretary_id=record.secretary_id,
                present=frozenset(_present(session, meeting)),
                roster=roster,
                tally_committee=record.tally_committee,
                secret_ballot=record.voting_method == "bo_phieu_kin",
                tellers_min=rulesets.from_snapshot(
                    period.ruleset_snapshot, period.year
                ).vote.tellers_min,
            ),
            period.opens_on or opens,
            period.closes_on or closes,
            clock.today(),
        )
        if problems:
            raise ValidationError(problems)
        before = _meeting_dict(meeting)
        for key, value in record.__dict__.items():
            setattr(meeting, key, list(value) if key == "tally_committee" else value)
        _log(session, period, actor, AuditAction.RECORD_MEETING, "meeting", meeting.id,
             "Ghi thông tin hội nghị chi bộ", before, _meeting_dict(meeting))  # fmt: skip


def _meeting_dict(meeting: Meeting) -> dict[str, object]:
    info = meeting_info(meeting)
    return dict(info.__dict__) if info is not None else {}


def save_attendance(
    db: Database, year: int, cell_id: int, member_id: int, present: bool, reason: str = "",
    actor: str = "",
) -> None:  # fmt: skip
    with db.session() as session:
        period = find(session, year)
        cell = editable_cell(session, period, cell_id)
        row = _member_row(session, period, member_id)
        if row.org_id != cell_id:
            raise NotFound("Đảng viên không thuộc chi bộ này")
        meeting = _current_meeting(session, cell)
        entry = session.scalar(
            select(Attendance).where(
                Attendance.meeting_id == meeting.id, Attendance.member_id == member_id
            )
        )
        before = {"present": entry.present, "reason": entry.absence_reason} if entry else {}
        if entry is None:
            entry = Attendance(meeting_id=meeting.id, member_id=member_id)
            session.add(entry)
        entry.present = present
        entry.absence_reason = "" if present else reason.strip()
        if not present and member_id in (meeting.chair_id, meeting.secretary_id):
            raise ValidationError(
                [
                    FieldProblem(
                        "present", "người chủ trì hoặc thư ký không thể vắng mặt", "Điểm danh"
                    )
                ]
            )
        if not present and member_id in (meeting.tally_committee or ()):
            raise ValidationError(
                [
                    FieldProblem(
                        "present", "thành viên tổ kiểm phiếu không thể vắng mặt", "Điểm danh"
                    )
                ]
            )
        _log(session, period, actor, AuditAction.ATTENDANCE, "attendance", member_id, "Điểm danh",
             before, {"present": present, "reason": entry.absence_reason})  # fmt: skip


def save_ballots(
    db: Database, year: int, cell_id: int, issued: int | None, returned: int | None,
    valid: int | None, actor: str = "",
) -> None:  # fmt: skip
    with db.session() as session:
        period = find(session, year)
        cell = editable_cell(session, period, cell_id)
        meeting = _current_meeting(session, cell)
        voters = set(
            session.scalars(
                select(MemberEvaluation.member_id).where(
                    MemberEvaluation.period_id == period.id,
                    MemberEvaluation.org_id == cell_id,
                    MemberEvaluation.votes.is_(True),
                )
            )
        )
        present_voters = len(voters & _present(session, meeting))
        problems = check_ballots(Ballots(issued, returned, valid), present_voters)
        if problems:
            raise ValidationError(problems)
        before = {"issued": meeting.ballots_issued, "returned": meeting.ballots_returned,
                  "valid": meeting.ballots_valid}  # fmt: skip
        meeting.ballots_issued, meeting.ballots_returned, meeting.ballots_valid = (
            issued, returned, valid
        )  # fmt: skip
        _log(session, period, actor, AuditAction.BALLOT_COUNTS, "meeting", meeting.id, "Số phiếu",
             before, {"issued": issued, "returned": returned, "valid": valid})  # fmt: skip


def save_comments(
    db: Database, year: int, member_id: int, comments: str, response: str, actor: str = ""
) -> None:
    with db.session() as session:
        period = find(session, year)
        row = _member_row(session, period, member_id)
        editable_cell(session, period, row.org_id)
        before = {"comments": row.comments, "response": row.response}
        row.comments, row.response = comments.strip(), response.strip()
        _log(session, period, actor, AuditAction.OPINIONS, "member_evaluation", row.id,
             "Ý kiến góp ý tại hội nghị", before,
             {"comments": row.comments, "response": row.response})  # fmt: skip


# ---- votes and proposals ------------------------------------------------------------------


def save_votes(
    db: Database, year: int, subject: Subject, counts: Mapping[str, int], actor: str = ""
) -> None:
    """The tally of one row: refused when it holds more votes than there were voters (or
    valid ballots), naming the row."""
    with db.session() as session:
        period = find(session, year)
        row = evaluation_row(session, period, subject)
        cell = editable_cell(session, period, row.org_id)
        rs = rulesets.from_snapshot(period.ruleset_snapshot, period.year)
        scale = rs.scale(subject.kind)
        unknown = [code for code in counts if code not in scale]
        if unknown:
            raise ServiceError(f"Mức “{unknown[0]}” không có trong {rs.name}")
        meeting = _current_meeting(session, cell)
        voters = set(
            session.scalars(
                select(MemberEvaluation.member_id).where(
                    MemberEvaluation.period_id == period.id,
                    MemberEvaluation.org_id == row.org_id,
                    MemberEvaluation.votes.is_(True),
                )
            )
        )
        ceiling, label = vote_ceiling(
            meeting_info(meeting), len(voters & _present(session, meeting))
        )
        name = subject_name(session, subject)
        clean_counts = {code: int(counts.get(code, 0)) for code in scale.codes}
        problems = check_votes(name, clean_counts, ceiling, label)
        if problems:
            raise ValidationError(problems)
        before = {"vote_counts": dict(row.vote_counts or {})}
        row.vote_counts = {k: v for k, v in clean_counts.items() if v} or {scale.codes[0]: 0}
        _log(session, period, actor, AuditAction.VOTES, f"{subject.kind}_evaluation", row.id,
             f"{name}: kết quả biểu quyết", before, {"vote_counts": row.vote_counts})  # fmt: skip


def subject_name(session: Session, subject: Subject) -> str:
    """The member's full name or the organisation's name, as the user reads it."""
    if subject.kind == "member":
        member = session.get(Member, subject.id)
        return member.full_name if member else "?"
    org = session.get(Organization, subject.id)
    name = org.name if org else "?"
    return name if subject.kind == "org" else "Chi ủy " + name[:1].lower() + name[1:]


def set_proposal(
    db: Database, year: int, subject: Subject, level: str | None, note: str = "",
    actor: str = "", reason: str | None = None, expected_version: int | None = None,
) -> None:  # fmt: skip
    """The cell's proposed level for a member, the cell or its chi ủy; a low or capped level
    gets its reason code (the engine's, else *reason*; see ``low_reasons``). With
    *expected_version* (the row's version as read), a row changed since is a ConflictError."""
    model = MemberEvaluation if subject.kind == "member" else OrgEvaluation
    with conflicts.stale_as_conflict(db, model) as read, db.session() as session:
        period = find(session, year)
        row = evaluation_row(session, period, subject)
        read.append(row.id)
        conflicts.check_version(session, row, expected_version)
        editable_cell(session, period, row.org_id)
        set_level(session, period, subject, "proposed", level, note=note, actor=actor,
                  who=subject_name(session, subject))  # fmt: skip
        rs = rulesets.from_snapshot(period.ruleset_snapshot, period.year)
        low_reasons.record(session, period, rs, subject, level, reason, actor)


# ---- moving between steps -----------------------------------------------------------------


def _progress(session: Session, period: EvaluationPeriod, cell: OrgEvaluation) -> CellProgress:
    rs = rulesets.from_snapshot(period.ruleset_snapshot, period.year)
    members = list(
        session.scalars(
            select(MemberEvaluation).where(
                MemberEvaluation.period_id == period.id, MemberEvaluation.org_id == cell.org_id
            )
        )
    )
    collective = session.scalar(
        select(OrgEvaluation).where(
            OrgEvaluation.period_id == period.id,
            OrgEvaluation.org_id == cell.org_id,
            OrgEvaluation.subject == "collective",
        )
    )
    meeting = latest_meeting(session, cell)
    present = attendance(session, meeting)
    return progress_of(rs, cell, collective, members, meeting, present)


class StepBlocked(ServiceError):
    """The step cannot be finished yet; ``missing`` says what is left, in Vietnamese."""

    def __init__(self, step: CellStep, missing: list[str]) -> None:
        self.missing = missing
        super().__init__(f"Chưa xong bước “{step.label}”: " + "; ".join(missing) + ".")


def advance(db: Database, year: int, cell_id: int, actor: str = "") -> CellStep:
    """Finish the cell's current step and move to the next (the last one submits the
    cell's results to the commune)."""
    with db.session() as session:
        period = find(session, year)
        cell = editable_cell(session, period, cell_id)
        step = CellStep(cell.step)
        missing = missing_for(step, _progress(session, period, cell))
        if missing:
            raise StepBlocked(step, missing)
        following = next_step(step)
        if following is None:
            raise ServiceError("Chi bộ đã ở bước cuối")
        cell.step = following
        if following is CellStep.SUBMITTED:
            cell.submitted_at = clock.now().replace(microsecond=0)
        _log(session, period, actor, AuditAction.NEXT_STEP, "org_evaluation", cell.id,
             f"Xong bước “{step.label}”, sang “{following.label}”",
             {"step": step.value}, {"step": following.value})  # fmt: skip
        return following


def go_back(db: Database, year: int, cell_id: int, actor: str = "") -> CellStep:
    """Return to the previous step to correct something (not after submitting)."""
    previous = {
        CellStep.SELF_REVIEW: CellStep.PREPARATION,
        CellStep.MEETING: CellStep.SELF_REVIEW,
        CellStep.VOTING: CellStep.MEETING,
    }
    with db.session() as session:
        period = find(session, year)
        cell = editable_cell(session, period, cell_id)
        step = CellStep(cell.step)
        if step not in previous:
            raise ServiceError(f"Không quay lại được từ bước “{step.label}”")
        cell.step = previous[step]
        _log(session, period, actor, AuditAction.STEP_BACK, "org_evaluation", cell.id,
             f"Quay lại bước “{previous[step].label}”",
             {"step": step.value}, {"step": previous[step].value})  # fmt: skip
        return previous[step]
