"""The checks an imported package passes: the same the window makes on each entry, run on the
records as the import leaves them (written in the session, not yet committed).

Only what the package changes is checked, with the rule the window applies when that thing
is saved: a self-review when a self-review field changes, a meeting record when the record
changes, the ballots when they change, a tally row when it changes, and, when the cell moves
forward, the requirements of each step it leaves — as if the cell had pressed "sang bước
tiếp" itself. A record the window would have accepted is never refused here.
"""

from __future__ import annotations

from collections.abc import Mapping

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
from app.domain.procedure import CellStep, missing_for, next_step
from app.domain.rules import RuleSet
from app.domain.rules.low_reasons import needs_reason, reason, reasons_for
from app.services.exchange.preview import LABELS
from app.services.exchange.rows import CellRows
from app.services.procedure.steps import _SELF_FIELDS, SelfReview, _check_self_review
from app.services.procedure.view import (
    attendance,
    collective_title,
    meeting_info,
    progress_of,
    vote_ceiling,
)
from app.store.models import Meeting, MemberEvaluation, OrgEvaluation

_BALLOTS = frozenset({"ballots_issued", "ballots_returned", "ballots_valid"})
_SELF_COLUMNS = frozenset(_SELF_FIELDS.values())
Changed = set[tuple[str, str]]  # (row, field) pairs the import writes


def check_merged(
    session: Session,
    rs: RuleSet,
    rows: CellRows,
    meeting: Meeting | None,
    changed: Changed,
    steps: tuple[CellStep, CellStep] | None,
) -> list[str]:
    """Every problem with what the import wrote, one sentence each; *steps* is (from, to)
    when the cell moves to another step."""
    problems: list[str] = []
    present = attendance(session, meeting)
    here = frozenset(i for i, p in present.items() if p)
    voters = {e.member_id for _m, e in rows.members.values() if e.votes}
    ceiling = vote_ceiling(meeting_info(meeting), len(voters & here))
    for code, (member, e) in rows.members.items():
        row, name = f"member:{code}", member.full_name
        if any((row, column) in changed for column in _SELF_COLUMNS):
            review = SelfReview(**{key: getattr(e, col) for key, col in _SELF_FIELDS.items()})
            found = _check_self_review(rs, review, "member")
            problems += [f"{name}: {p.label}: {p.message}" for p in found]
        problems += _levels(rs, row, "member", name, {"proposed_level": e.proposed_level}, changed)
        if (row, "vote_counts") in changed:
            problems += _votes(rs, "member", name, e.vote_counts, ceiling)
        absent = (f"attendance:{code}", "present") in changed and not present.get(member.id)
        if absent and meeting is not None and member.id in (meeting.chair_id, meeting.secretary_id):
            problems.append(f"{name}: người chủ trì hoặc thư ký không thể vắng mặt")
    for kind, evaluation in (("org", rows.cell), ("collective", rows.collective)):
        if evaluation is None:
            continue
        name = rows.org.name if kind == "org" else collective_title(rows.org.name)
        levels = {"proposed_level": evaluation.proposed_level, "self_level": evaluation.self_level}
        problems += _levels(rs, kind, kind, name, levels, changed)
        if (kind, "vote_counts") in changed:
            problems += _votes(rs, kind, name, evaluation.vote_counts, ceiling)
    if meeting is not None:
        problems += _meeting(rs, rows, meeting, here, len(voters & here), changed)
    if steps is not None:
        problems += _steps(rs, rows, meeting, present, *steps)
    return problems


def check_reasons(rs: RuleSet, rows: CellRows, changed: Changed) -> list[str]:
    """A package (format 2) carries the reason of each low proposal: the code must be one of
    the rule set's, and a level the rule set refuses without a reason must have one, as the
    window requires (``low_reasons``). Checked where the proposal or the reason changes."""
    problems = []
    subjects: list[tuple[str, str, str, MemberEvaluation | OrgEvaluation | None]] = [
        ("org", "org", rows.org.name, rows.cell),
        ("collective", "collective", collective_title(rows.org.name), rows.collective),
    ]
    subjects += [
        (f"member:{code}", "member", m.full_name, e) for code, (m, e) in rows.members.items()
    ]
    for row, kind, name, e in subjects:
        if e is None or not ({(row, "proposed_level"), (row, "low_level_reason")} & changed):
            continue
        code = e.low_level_reason
        if code and reason(rs, code) not in reasons_for(rs, kind):
            problems.append(f"{name}: lý do mức thấp “{code}” không có trong {rs.name}")
        elif not code and needs_reason(rs, kind, e.proposed_level):
            problems.append(
                f"{name}: mức đề xuất {e.proposed_level} phải ghi lý do theo {rs.name}, nhưng "
                "gói không có lý do"
            )
    return problems


def _levels(
    rs: RuleSet, row: str, kind: str, name: str, levels: Mapping[str, str | None],
    changed: Changed,
) -> list[str]:  # fmt: skip
    scale = rs.scale(kind)
    return [
        f"{name}: {LABELS[field]} “{level}” không có trong {rs.name}"
        for field, level in levels.items()
        if (row, field) in changed and level is not None and level not in scale
    ]


def _votes(
    rs: RuleSet, kind: str, name: str, counts: Mapping[str, int], ceiling: tuple[int, str]
) -> list[str]:
    scale = rs.scale(kind)
    unknown = [code for code in counts if code not in scale]
    if unknown:
        return [f"{name}: mức “{unknown[0]}” không có trong {rs.name}"]
    tally = {code: int(counts.get(code, 0)) for code in scale.codes}
    return [f"{p.label}: {p.message}" for p in check_votes(name, tally, *ceiling)]


def _meeting(
    rs: RuleSet, rows: CellRows, meeting: Meeting, here: frozenset[int], present_voters: int,
    changed: Changed,
) -> list[str]:  # fmt: skip
    fields = {field for row, field in changed if row == "meeting"}
    problems = []
    if fields - _BALLOTS and meeting.held_on is not None:
        opens, closes = default_window(rows.period.year)
        record = MeetingRecord(
            held_on=meeting.held_on, starts_at=meeting.starts_at, ends_at=meeting.ends_at,
            place=meeting.place, chair_id=meeting.chair_id, secretary_id=meeting.secretary_id,
            present=here, roster={m.id: m.full_name for m, _e in rows.members.values()},
            tally_committee=tuple(meeting.tally_committee or ()),
            secret_ballot=meeting.voting_method == "bo_phieu_kin",
            tellers_min=rs.vote.tellers_min,
        )  # fmt: skip
        # The window's own check: the rule set's tellers, and no meeting held after today.
        window = (rows.period.opens_on or opens, rows.period.closes_on or closes, clock.today())
        problems += [f"Hội nghị: {p.label}: {p.message}" for p in check_meeting(record, *window)]
    if fields & _BALLOTS:
        ballots = Ballots(meeting.ballots_issued, meeting.ballots_returned, meeting.ballots_valid)
        problems += [
            f"Hội nghị: {p.label}: {p.message}" for p in check_ballots(ballots, present_voters)
        ]
    return problems


def _steps(
    rs: RuleSet, rows: CellRows, meeting: Meeting | None, present: dict[int, bool],
    before: CellStep, after: CellStep,
) -> list[str]:  # fmt: skip
    progress = progress_of(
        rs, rows.cell, rows.collective, [e for _m, e in rows.members.values()], meeting, present
    )
    step: CellStep | None = before
    while step is not None and step.number < after.number:
        missing = missing_for(step, progress)
        if missing:
            return [f"Chưa xong bước “{step.label}”: " + "; ".join(missing) + "."]
        step = next_step(step)
    return []
