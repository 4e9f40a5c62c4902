"""The demo's evaluation periods: the last full year decided, the year under way alive.

The last full year is carried through every step in every cell and decided, so that every
document has its records; the year under way shows cells at every step, so a new user sees the
board alive and can carry a cell through to the end.

What a cell's secretary would enter one field at a time in the window (self-reviews,
attendance, comments, the meeting, ballots, votes) is drawn here and written in bulk, one
statement per table, with the audit entries the window would have made, dated when the cell
did each thing: going through the window's services row by row took half a minute, too long
for a first start. What the rules decide is not drawn: each subject's proposal is the rule
engine's suggestion from its votes, with the engine's reason for a low or capped level, as the
vote step offers it; the roster, the plan, returning a cell, the appraisal and the decision go
through the services themselves.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from app.domain import clock
from app.domain.collation import heads_cell, roster_key, text_key
from app.domain.plan import Plan
from app.domain.procedure import CellStep
from app.domain.rules import PeriodFacts, RuleSet, Subject, propose
from app.domain.rules.low_reasons import engine_reason, is_low
from app.domain.vocabulary import AuditAction, OrgKind
from app.services.common.bulk_update import update_by_id
from app.services.common.progress import SILENT, Progress
from app.services.periods import facts
from app.services.periods import lifecycle as periods
from app.services.periods import rule_sets as rulesets
from app.services.periods.carry_over import previous_shortcomings
from app.services.periods.lifecycle import find, party_posts
from app.services.procedure import appraisal, commune_review, stages
from app.services.procedure.plan_dates import save_plan
from app.services.procedure.view import collective_title, without_quota
from app.services.safekeeping import audit
from app.services.safekeeping.audit import NewEntry
from app.store.database import Database
from app.store.models import (
    Attendance,
    EvaluationPeriod,
    Meeting,
    Member,
    MemberEvaluation,
    OrgEvaluation,
)

ACTOR = "Dữ liệu mẫu"
VILLAGE_PLACES = ("Nhà văn hóa bản", "Hội trường bản")
UPPER_ATTENDEES = [
    ("Lường Văn Chiến", "Đảng ủy viên, phụ trách chi bộ"),
    ("Hoàng Thị Hương", "Ủy viên Ban Thường vụ Đảng ủy"),
    ("Nguyễn Văn Thắng", "Đảng ủy viên"),
]
COMMENTS = [
    "Nhất trí với bản tự kiểm điểm.",
    "Đồng chí cần tích cực hơn trong việc vận động bà con làm đường bê tông nội bản.",
    "Đề nghị đồng chí tham gia sinh hoạt chi bộ đầy đủ hơn.",
    "Gương mẫu trong phát triển kinh tế gia đình, đề nghị phát huy.",
]
REMEDY = "Đã tham gia đầy đủ các buổi sinh hoạt chi bộ; mạnh dạn góp ý tại hội nghị."
SHORTCOMINGS = "Đôi khi chưa mạnh dạn phê bình; tham gia sinh hoạt chưa đều."
CELL_ASSESSMENT = "Chi bộ lãnh đạo nhân dân hoàn thành các chỉ tiêu kinh tế - xã hội của bản."
COLLECTIVE_ASSESSMENT = "Chi ủy đoàn kết, duy trì sinh hoạt định kỳ, chuẩn bị nội dung chu đáo."
RETURN_REASON = "Biên bản chưa ghi đủ ý kiến thảo luận của đảng viên; đề nghị chi bộ họp lại"
# What the minutes record of the report (its presenter is named by the minutes themselves) and
# of the upper-level representative's words.
REPORT_SUMMARY = (
    "Báo cáo nêu kết quả lãnh đạo thực hiện nhiệm vụ chính trị của bản trong năm, những ưu "
    "điểm, hạn chế, nguyên nhân và phương hướng khắc phục trong năm tới."
)
UPPER_REMARKS = (
    "Ghi nhận kết quả chi bộ đạt được trong năm; đề nghị chi bộ khắc phục những hạn chế đã "
    "chỉ ra, nâng cao chất lượng sinh hoạt và vai trò tiên phong, gương mẫu của đảng viên."
)
# Why a member the roster leaves out of the vote is away from the meeting, by the reason the
# roster froze; a few others miss it for reasons of their own.
ABSENT_BECAUSE = {
    "exempt": "Được miễn sinh hoạt đảng",
    "suspended": "Đang bị đình chỉ sinh hoạt đảng",
}
AWAY = ("Đi làm ăn xa", "Ốm, có báo cáo", "Đi công tác")

# Self-scores (general /30, tasks /70) that match each level under the 100-point regime.
SCORES = {
    "HTXSNV": ((27, 30), (63, 70)),
    "HTTNV": ((22, 27), (50, 62)),
    "HTNV": ((18, 22), (35, 47)),
    "KHTNV": ((10, 15), (20, 30)),
}
STEPS = (
    CellStep.PREPARATION,
    CellStep.SELF_REVIEW,
    CellStep.MEETING,
    CellStep.VOTING,
    CellStep.SUBMITTED,
)
# What a new evaluation row holds, the "before" of the audit entries.
_MEMBER_BEFORE: dict[str, Any] = {
    "self_level": None, "self_score_general": None, "self_score_tasks": None,
    "degradation": False, "tasks_below_half": False, "state_level": None,
    "all_tasks_on_time": None, "tasks_exceeded_share": None, "shortcomings_remedied": None,
    "facts_note": "", "self_review": "", "shortcomings": "", "remedy": "",
}  # fmt: skip
_CELL_BEFORE: dict[str, Any] = {
    "self_level": None, "self_assessment": "", "score_general": None, "score_tasks": None,
    "disunity": False, "tasks_below_half": False, "all_tasks_on_time": None,
    "tasks_exceeded_share": None, "shortcomings_remedied": None, "facts_note": "",
}  # fmt: skip


def _reached(until: CellStep, step: CellStep) -> bool:
    return STEPS.index(until) >= STEPS.index(step)


@dataclass(frozen=True)
class _Line:
    """One member on a cell's frozen roster."""

    row: int  # the member's evaluation row
    member_id: int
    name: str
    evaluated: bool
    votes: bool
    reason: str  # why not classified ("" when classified)
    post: str = ""  # the party post on the reference date


@dataclass
class _Cell:
    """One cell of the period: its roster in document order and what was drawn for it."""

    cell_id: int
    name: str
    row: int
    collective_row: int | None
    lines: list[_Line] = field(default_factory=list)
    until: CellStep = CellStep.PREPARATION
    worked_on: dt.date | None = None  # the self-reviews' day
    meeting: dict[str, Any] | None = None
    attendance: list[dict[str, Any]] = field(default_factory=list)
    submitted_at: dt.datetime | None = None


class _Year:
    """Draws a year's entries cell by cell with one random generator (a seed always gives the
    same demo), then writes them."""

    def __init__(
        self, session: Session, period: EvaluationPeriod, rng: random.Random, today: dt.date
    ) -> None:
        self.session = session
        self.period = period
        self.rs: RuleSet = rulesets.from_snapshot(period.ruleset_snapshot, period.year)
        self.rng = rng
        self.today = today
        self.carried = previous_shortcomings(session, period.year)
        self.scored = self.rs.score is not None and self.rs.score.enabled
        self.member_values: dict[int, dict[str, Any]] = defaultdict(dict)  # by row
        self.org_values: dict[int, dict[str, Any]] = defaultdict(dict)  # by row
        self.proposals: dict[Subject, tuple[int, str, str]] = {}  # row, level, reason
        self.cells = self._cells()

    def _cells(self) -> list[_Cell]:
        """Every cell of the period, by name, each with its roster in document order."""
        session, period = self.session, self.period
        records = facts.build(session, period, cells=set())
        cells: dict[int, _Cell] = {}
        collectives: dict[int, int] = {}
        for row, org_id, subject in session.execute(
            select(OrgEvaluation.id, OrgEvaluation.org_id, OrgEvaluation.subject).where(
                OrgEvaluation.period_id == period.id
            )
        ):
            if subject == "collective":
                collectives[org_id] = row
            elif org_id in records.tree and records.tree.node(org_id).kind is OrgKind.CELL:
                cells[org_id] = _Cell(org_id, records.org_names[org_id], row, None)
        for cell_id, row in collectives.items():
            if cell_id in cells:
                cells[cell_id].collective_row = row
        posts = party_posts(session, period.reference_date)
        for row, member_id, cell_id, name, evaluated, votes, reason in session.execute(
            select(
                MemberEvaluation.id,
                MemberEvaluation.member_id,
                MemberEvaluation.org_id,
                Member.full_name,
                MemberEvaluation.evaluated,
                MemberEvaluation.votes,
                MemberEvaluation.not_classified_reason,
            )
            .join(Member, Member.id == MemberEvaluation.member_id)
            .where(MemberEvaluation.period_id == period.id)
        ):
            if cell_id in cells:
                cells[cell_id].lines.append(
                    _Line(
                        row,
                        member_id,
                        name,
                        evaluated,
                        votes,
                        reason or "",
                        posts.get(member_id, ""),
                    )
                )
        for cell in cells.values():
            cell.lines.sort(key=lambda line: roster_key(posts.get(line.member_id, ""), line.name))
        return sorted(cells.values(), key=lambda c: text_key(c.name))

    # ---- drawing one cell ---------------------------------------------------------------------
    def draw(
        self,
        cell: _Cell,
        until: CellStep,
        days: tuple[dt.date, dt.date],
        excellent_share: float = 0.12,
        repeat: frozenset[int] = frozenset(),
    ) -> None:
        """Draw *cell*'s entries up to *until*, as its secretary would have made them; a
        meeting is held between the two *days*."""
        rng = self.rng
        cell.until = until
        if until is CellStep.PREPARATION:
            return
        first, last = days
        meeting_day = first + dt.timedelta(days=rng.randint(0, max(0, (last - first).days)))
        cell.worked_on = meeting_day - dt.timedelta(days=7)
        evaluated = [line for line in cell.lines if line.evaluated]
        plan = {
            line.member_id: _planned_level(rng, line.member_id, excellent_share, repeat)
            for line in evaluated
        }
        for line in evaluated:
            values = self._self_review(line, plan[line.member_id])
            if until is CellStep.SELF_REVIEW and rng.random() < 0.4:
                continue  # a cell half-way through its self-review
            self.member_values[line.row].update(values)
        if until is CellStep.SELF_REVIEW:
            return
        self.org_values[cell.row].update(
            self_level="HTTNV",
            self_assessment=CELL_ASSESSMENT,
            score_general=26.0 if self.scored else None,
            score_tasks=60.0 if self.scored else None,
            all_tasks_on_time=True if self.scored else None,
        )
        if cell.collective_row is not None:
            self.org_values[cell.collective_row].update(
                self_level="HTTNV", self_assessment=COLLECTIVE_ASSESSMENT
            )
        present = self._attendance(cell, until)
        voters = [line for line in cell.lines if line.votes and line.member_id in present]
        if len(voters) < 3 or (until is CellStep.MEETING and rng.random() < 0.5):
            return  # the meeting's record is still to be written
        cell.meeting = self._meeting(cell, voters, meeting_day)
        if until is CellStep.MEETING:
            return
        self._votes(cell, voters, plan)

    def _self_review(self, line: _Line, level: str) -> dict[str, Any]:
        rng, scored = self.rng, self.scored
        general, tasks = SCORES[level]
        return {
            "self_level": level,
            "self_score_general": float(rng.randint(*general)) if scored else None,
            "self_score_tasks": float(rng.randint(*tasks)) if scored else None,
            "all_tasks_on_time": (level in ("HTXSNV", "HTTNV")) if scored else None,
            "tasks_exceeded_share": (0.35 if level == "HTXSNV" else 0.1) if scored else None,
            "shortcomings_remedied": True if scored else None,
            # A member planned to fail has a recorded cause: the low level's reason (R2).
            "tasks_below_half": level == "KHTNV",
            "shortcomings": SHORTCOMINGS
            if rng.random() < 0.3 or level in ("HTNV", "KHTNV")
            else "",
            # Most answer last year's shortcomings; every fourth forgets (the step reminds).
            "remedy": REMEDY if self.carried.get(line.member_id) and line.member_id % 4 else "",
        }

    def _attendance(self, cell: _Cell, until: CellStep) -> set[int]:
        """Who came: the members the roster leaves out of the vote stay away for the reason
        the roster gives; now and then another misses it for a reason of their own."""
        rng = self.rng
        present: set[int] = set()
        commented: list[tuple[_Line, str]] = []
        for index, line in enumerate(cell.lines):
            if until is CellStep.MEETING and index > len(cell.lines) * 0.7:
                break  # attendance half-taken
            because = ABSENT_BECAUSE.get(line.reason, "")
            away = bool(because) or (line.votes and index >= 3 and rng.random() < 0.06)
            if away and not because:
                because = rng.choice(AWAY)
            cell.attendance.append(
                {"member_id": line.member_id, "present": not away,
                 "absence_reason": because if away else ""}
            )  # fmt: skip
            if not away:
                present.add(line.member_id)
                if line.evaluated and rng.random() < 0.35:
                    commented.append((line, rng.choice(COMMENTS)))
        # Each comment is signed by a member who was there: the one before in the roster (the
        # next one for the first), as minutes name who spoke.
        here = [line for line in cell.lines if line.member_id in present]
        for line, gist in commented:
            index = here.index(line)
            speaker = here[index - 1] if index else here[min(1, len(here) - 1)]
            if speaker is line:
                continue  # alone at the meeting: nobody to comment
            self.member_values[line.row].update(
                comments=f"Đồng chí {speaker.name}: {gist}", response="Xin tiếp thu ý kiến."
            )
        return present

    def _meeting(self, cell: _Cell, voters: list[_Line], held_on: dt.date) -> dict[str, Any]:
        rng = self.rng
        upper, post = rng.choice(UPPER_ATTENDEES)
        start = rng.choice((7, 8, 13, 14))
        village = "bản" in cell.name
        place = f"{rng.choice(VILLAGE_PLACES)} {cell.name.removeprefix('Chi bộ bản ')}"
        # The cell's secretary chairs (not the commune's secretary, whose party home the cell
        # may be), the next office-holder keeps the minutes; two tellers, three in a larger
        # cell, from the voters after them.
        chair = next((line for line in voters if heads_cell(line.post)), voters[0])
        others = [line for line in voters if line is not chair]
        tellers = [line.member_id for line in others[1 : 1 + (3 if len(voters) >= 9 else 2)]]
        return {
            "round": 1,
            "held_on": held_on,
            "starts_at": dt.time(start, rng.choice((0, 30))),
            "ends_at": dt.time(start + rng.choice((3, 4)), 0),
            "place": place if village else "Hội trường Đảng ủy xã",
            "chair_id": chair.member_id,
            "secretary_id": others[0].member_id,
            "upper_attendee": upper,
            "upper_attendee_post": post,
            "voting_method": "bo_phieu_kin",
            "tally_committee": tellers,
            "ballots_issued": None,
            "ballots_returned": None,
            "ballots_valid": None,
            "report_summary": REPORT_SUMMARY,
            "upper_remarks": UPPER_REMARKS,
            "conclusion": "Hội nghị thống nhất đề xuất mức xếp loại như biên bản kiểm phiếu.",
            "approval_agree": len(voters),
            "approval_total": len(voters),
        }

    def _votes(self, cell: _Cell, voters: list[_Line], plan: dict[int, str]) -> None:
        rng, count = self.rng, len(voters)
        assert cell.meeting is not None
        cell.meeting.update(ballots_issued=count, ballots_returned=count, ballots_valid=count)

        def tally(top: str) -> dict[str, int]:
            strong = count - rng.randint(0, max(count // 5, 0))
            second = {"HTXSNV": "HTTNV", "HTTNV": "HTNV", "HTNV": "HTTNV"}.get(top, "HTNV")
            return {k: v for k, v in {top: strong, second: count - strong}.items() if v}

        for line in cell.lines:
            if line.evaluated:
                self.member_values[line.row]["vote_counts"] = tally(
                    plan.get(line.member_id, "HTTNV")
                )
        self.org_values[cell.row]["vote_counts"] = tally("HTTNV")
        if cell.collective_row is not None:
            self.org_values[cell.collective_row]["vote_counts"] = tally("HTTNV")

    # ---- writing ----------------------------------------------------------------------------
    def write(self, submitted_by: dt.date) -> None:
        """Write what was drawn, then each proposal the rules give from the votes, the steps,
        and the audit entries in the order the cells made them."""
        session = self.session
        self._update(MemberEvaluation, self.member_values)
        self._update(OrgEvaluation, self.org_values)
        meetings = {}
        for cell in self.cells:
            if cell.attendance or cell.meeting:
                values = cell.meeting or {"round": 1}
                meetings[cell.cell_id] = session.scalar(
                    insert(Meeting)
                    .values(org_evaluation_id=cell.row, **values)
                    .returning(Meeting.id)
                )
        attendance = [
            {"meeting_id": meetings[cell.cell_id], **row}
            for cell in self.cells
            for row in cell.attendance
        ]
        if attendance:
            session.execute(insert(Attendance), attendance)
        voted = {c.cell_id for c in self.cells if _reached(c.until, CellStep.VOTING)}
        self._propose(voted)
        for cell in self.cells:
            if cell.until is CellStep.SUBMITTED and cell.meeting is not None:
                # Handed in two days after the meeting.
                day = min(cell.meeting["held_on"] + dt.timedelta(days=2), submitted_by)
                cell.submitted_at = dt.datetime.combine(day, dt.time(9, 0))
            session.execute(
                update(OrgEvaluation)
                .where(OrgEvaluation.id == cell.row)
                .values(step=cell.until, submitted_at=cell.submitted_at)
            )
        log: list[NewEntry] = []
        for cell in self.cells:
            log += self._entries(cell, meetings.get(cell.cell_id))
        log.sort(key=lambda entry: entry.at)  # the log reads in the order things were done
        audit.record_many(session, log)

    def _update(self, model: type[Any], rows: dict[int, dict[str, Any]]) -> None:
        update_by_id(self.session, model, [{"id": row, **values} for row, values in rows.items()])

    def _propose(self, cells: set[int]) -> None:
        """Each subject of the cells that voted gets the level the rules give from its votes
        (before the commune-wide quota, as the vote step offers it), with the engine's reason
        where that level is low or capped."""
        if not cells:
            return
        session, period, rs = self.session, self.period, self.rs
        records = facts.build(session, period)
        suggestion = propose(without_quota(rs), records.facts)
        cell_of = {m.member_id: m.cell_id for m in records.facts.members}
        asked: dict[Subject, tuple[int, str | None]] = {}
        for row, member_id, self_level in session.execute(
            select(
                MemberEvaluation.id, MemberEvaluation.member_id, MemberEvaluation.self_level
            ).where(MemberEvaluation.period_id == period.id, MemberEvaluation.evaluated)
        ):
            asked[Subject("member", member_id)] = (row, self_level)
        for row, org_id, kind, self_level in session.execute(
            select(
                OrgEvaluation.id,
                OrgEvaluation.org_id,
                OrgEvaluation.subject,
                OrgEvaluation.self_level,
            ).where(OrgEvaluation.period_id == period.id, OrgEvaluation.evaluated)
        ):
            asked[Subject(kind, org_id)] = (row, self_level)
        chosen = {
            subject: level
            for subject, level in suggestion.levels.items()
            if subject in asked
            and (cell_of.get(subject.id) if subject.kind == "member" else subject.id) in cells
        }
        for subject, level in chosen.items():
            row, wanted = asked[subject]
            scale = rs.scale(subject.kind)
            capped = wanted in scale and scale.is_above(wanted, level)
            reason = ""
            if is_low(rs, subject.kind, level) or capped:
                cell = cell_of[subject.id] if subject.kind == "member" else subject.id
                # As the vote step does it: the facts of the subject's own cell (every
                # organisation stays, so the tree is whole), not the whole commune.
                scope = _within_cell(records.facts, cell)
                known = {Subject("member", m.member_id) for m in scope.members}
                around = {s: v for s, v in chosen.items() if s.kind != "member" or s in known}
                reason = engine_reason(rs, scope, around, subject, level) or ""
            self.proposals[subject] = (row, level, reason)
        members = [
            {"id": row, "proposed_level": level, "low_level_reason": reason}
            for subject, (row, level, reason) in self.proposals.items()
            if subject.kind == "member"
        ]
        orgs = [
            {"id": row, "proposed_level": level, "low_level_reason": reason}
            for subject, (row, level, reason) in self.proposals.items()
            if subject.kind != "member"
        ]
        if members:
            update_by_id(session, MemberEvaluation, members)
        if orgs:
            update_by_id(session, OrgEvaluation, orgs)

    def _entries(self, cell: _Cell, meeting_id: int | None) -> list[NewEntry]:
        """The audit entries the window would have written for what *cell* entered."""
        if cell.until is CellStep.PREPARATION or cell.worked_on is None:
            return []
        period_id = self.period.id
        entries: list[NewEntry] = []

        def add(
            at: dt.datetime, action: str, entity: str, entity_id: int | None, summary: str,
            before: dict[str, Any], after: dict[str, Any],
        ) -> None:  # fmt: skip
            entries.append(
                NewEntry(at, ACTOR, action, entity, entity_id, summary, period_id, before, after)
            )

        def step(at: dt.datetime, done: CellStep, following: CellStep) -> None:
            add(at, AuditAction.NEXT_STEP, "org_evaluation", cell.row,
                f"Xong bước “{done.label}”, sang “{following.label}”",
                {"step": done.value}, {"step": following.value})  # fmt: skip

        evening = dt.datetime.combine(cell.worked_on, dt.time(19, 0))
        step(evening - dt.timedelta(days=1), CellStep.PREPARATION, CellStep.SELF_REVIEW)
        for line in cell.lines:
            values = self.member_values.get(line.row, {})
            if "self_level" in values:
                after = {
                    **_MEMBER_BEFORE,
                    **{k: v for k, v in values.items() if k in _MEMBER_BEFORE},
                }
                add(evening, AuditAction.SELF_REVIEW, "member_evaluation", line.row,
                    f"{line.name}: tự kiểm điểm", _MEMBER_BEFORE, after)  # fmt: skip
        if not _reached(cell.until, CellStep.MEETING):
            return entries
        cell_values = self.org_values[cell.row]
        after = {**_CELL_BEFORE, **{k: v for k, v in cell_values.items() if k in _CELL_BEFORE}}
        add(evening, AuditAction.COLLECTIVE_REVIEW, "org_evaluation", cell.row,
            "Chi bộ tự đánh giá tập thể", _CELL_BEFORE, after)  # fmt: skip
        if cell.collective_row is not None:
            chi_uy = self.org_values[cell.collective_row]
            after = {**_CELL_BEFORE, **{k: v for k, v in chi_uy.items() if k in _CELL_BEFORE}}
            add(evening, AuditAction.COLLECTIVE_REVIEW, "collective_evaluation",
                cell.collective_row, "Chi ủy tự đánh giá tập thể", _CELL_BEFORE, after)  # fmt: skip
        step(evening + dt.timedelta(days=1), CellStep.SELF_REVIEW, CellStep.MEETING)
        held = cell.meeting["held_on"] if cell.meeting else cell.worked_on + dt.timedelta(days=7)
        start = cell.meeting["starts_at"] if cell.meeting else dt.time(8, 0)
        during = dt.datetime.combine(held, start) + dt.timedelta(minutes=30)
        names = {line.member_id: line.name for line in cell.lines}
        for row in cell.attendance:
            add(during, AuditAction.ATTENDANCE, "attendance", row["member_id"], "Điểm danh", {},
                {"present": row["present"], "reason": row["absence_reason"]})  # fmt: skip
        for line in cell.lines:
            values = self.member_values.get(line.row, {})
            if "comments" in values:
                add(during, AuditAction.OPINIONS, "member_evaluation", line.row,
                    "Ý kiến góp ý tại hội nghị", {"comments": "", "response": ""},
                    {"comments": values["comments"], "response": values["response"]})  # fmt: skip
        if cell.meeting is None or meeting_id is None:
            return entries
        record = {k: v for k, v in cell.meeting.items() if not k.startswith("ballots_")}
        add(during, AuditAction.RECORD_MEETING, "meeting", meeting_id,
            "Ghi thông tin hội nghị chi bộ", {}, record)  # fmt: skip
        if not _reached(cell.until, CellStep.VOTING):
            return entries
        counted = during + dt.timedelta(hours=2)
        step(counted, CellStep.MEETING, CellStep.VOTING)
        ballots = {k.removeprefix("ballots_"): v for k, v in cell.meeting.items()
                   if k.startswith("ballots_")}  # fmt: skip
        add(counted, AuditAction.BALLOT_COUNTS, "meeting", meeting_id, "Số phiếu",
            dict.fromkeys(ballots), ballots)  # fmt: skip
        subjects = [(Subject("org", cell.cell_id), cell.row, cell.name)]
        if cell.collective_row is not None:
            subjects.append(
                (Subject("collective", cell.cell_id), cell.collective_row,
                 collective_title(cell.name))
            )  # fmt: skip
        subjects += [
            (Subject("member", line.member_id), line.row, names[line.member_id])
            for line in cell.lines
            if line.evaluated
        ]
        for subject, row, name in subjects:
            values = (self.org_values if subject.kind != "member" else self.member_values)[row]
            entity = f"{subject.kind}_evaluation"
            add(counted, AuditAction.VOTES, entity, row, f"{name}: kết quả biểu quyết",
                {"vote_counts": {}}, {"vote_counts": values.get("vote_counts", {})})  # fmt: skip
            if subject not in self.proposals:
                continue
            _row, level, reason = self.proposals[subject]
            add(counted, AuditAction.RECORD_PROPOSED_LEVEL, entity, row,
                f"{name}: mức đề xuất (trống) → {level}",
                {"proposed_level": None, "proposal_note": ""},
                {"proposed_level": level, "proposal_note": ""})  # fmt: skip
            if reason:
                add(counted, AuditAction.LOW_LEVEL_REASON, entity, row,
                    f"Lý do mức xếp loại: {reason}",
                    {"low_level_reason": ""}, {"low_level_reason": reason})  # fmt: skip
        if cell.until is CellStep.SUBMITTED and cell.submitted_at is not None:
            step(cell.submitted_at, CellStep.VOTING, CellStep.SUBMITTED)
        return entries


def _within_cell(period: PeriodFacts, cell_id: int) -> PeriodFacts:
    """*period* with only the members of one cell (and their votes)."""
    members = tuple(m for m in period.members if m.cell_id == cell_id)
    ids = {m.member_id for m in members}
    return dataclasses.replace(
        period,
        members=members,
        votes=tuple(v for v in period.votes if v.subject.kind != "member" or v.subject.id in ids),
        voting=tuple(v for v in period.voting if v.cell_id == cell_id),
    )


def _planned_level(
    rng: random.Random, member_id: int, excellent_share: float, repeat: frozenset[int]
) -> str:
    """A plausible self-assessment: mostly good, some excellent, a few only completed; those
    who failed last year and have not improved fail again (the screening list's names)."""
    if member_id in repeat:
        return "KHTNV"
    draw = rng.random()
    if draw < excellent_share:
        return "HTXSNV"
    if draw < excellent_share + 0.07:
        return "HTNV"
    return "HTTNV"


def _failed_before(session: Session, year: int, rng: random.Random) -> frozenset[int]:
    """Some of last year's KHTNV members, who fail again this year."""
    rows = session.scalars(
        select(MemberEvaluation.member_id)
        .join(EvaluationPeriod, EvaluationPeriod.id == MemberEvaluation.period_id)
        .where(EvaluationPeriod.year == year - 1, MemberEvaluation.decided_level == "KHTNV")
        .order_by(MemberEvaluation.member_id)
    ).all()
    return frozenset(m for m in rows if rng.random() < 0.4)


def _open(db: Database, year: int) -> None:
    periods.create_period(
        db,
        year,
        rulesets.default_for_year(year),
        dt.date(year, 12, 31),
        deadline=dt.date(year, 12, 20),
        actor=ACTOR,
    )
    demo_plan(db, year)


def decided_year(db: Database, year: int, seed: int, progress: Progress = SILENT) -> None:
    """A whole year carried through and decided, under the rule set of that year."""
    rng = random.Random(seed)
    _open(db, year)
    progress.step(0, 3, f"Đang tạo kết quả năm {year}")
    days = (dt.date(year, 12, 5), dt.date(year, 12, 18))
    with db.session() as session:
        drawn = _Year(session, find(session, year), rng, dt.date(year + 1, 1, 15))
        repeat = _failed_before(session, year, rng)
        for cell in drawn.cells:
            drawn.draw(cell, CellStep.SUBMITTED, days, repeat=repeat)
        drawn.write(submitted_by=dt.date(year, 12, 20))
        cells = [cell.cell_id for cell in drawn.cells]
    progress.step(1, 3, f"Đảng ủy thẩm định kết quả năm {year}")
    appraisal.accept_proposals(db, year, cells, ACTOR)
    _weak_cell_of_good_members(db, year)
    # The standing committee met in January of the next year.
    appraisal.decide_and_lock(
        db, year, actor=ACTOR, backup=False, when=dt.datetime(year + 1, 1, 15, 9, 0)
    )
    _commune_review(db, year)


COMMUNE_ASSESSMENT = (
    "Đảng bộ lãnh đạo hoàn thành các chỉ tiêu nghị quyết đại hội đề ra cho năm; công tác xây "
    "dựng Đảng được quan tâm; việc phát triển đảng viên mới còn chậm so với kế hoạch."
)
STANDING_ASSESSMENT = (
    "Ban Thường vụ đoàn kết, lãnh đạo, chỉ đạo toàn diện; phân công nhiệm vụ rõ ràng; việc "
    "kiểm tra, đôn đốc các chi bộ có lúc chưa thường xuyên."
)


def _commune_review(db: Database, year: int) -> None:
    """The commune reviews itself at the đảng ủy's conference in December (15 members vote),
    proposes its levels, and the province decides in February."""
    review = commune_review.CommuneReview(
        level="HTTNV", score_general=26.0, score_tasks=60.0, all_tasks_on_time=True,
        tasks_exceeded_share=0.2, tasks_late_share=0.0, voters_total=15, voters_present=15,
        vote_counts={"HTTNV": 13, "HTXSNV": 2}, proposed_level="HTTNV",
    )  # fmt: skip
    with clock.fixed(dt.date(year, 12, 28)):
        commune_review.save(
            db, year, "org", dataclasses.replace(review, text=COMMUNE_ASSESSMENT), ACTOR
        )
        commune_review.save(
            db, year, "collective",
            dataclasses.replace(review, text=STANDING_ASSESSMENT, vote_counts={"HTTNV": 15}),
            ACTOR,
        )  # fmt: skip
    commune = commune_review.load(db, year)[0].org_id
    for kind in ("org", "collective"):
        stages.record_province_decision(
            db, year, commune, "HTTNV", "Quyết định của Ban Thường vụ Tỉnh ủy",
            dt.date(year + 1, 2, 10), ACTOR, kind=kind,
        )  # fmt: skip


def demo_plan(db: Database, year: int) -> None:
    """The commune's calendar: self-reviews by 20/11, meetings by 10/12, results by 20/12,
    the appraisal by 05/01 and the decision by 15/01 of the next year."""
    save_plan(
        db,
        year,
        Plan(
            self_review_due=dt.date(year, 11, 20),
            meeting_due=dt.date(year, 12, 10),
            deadline=dt.date(year, 12, 20),
            appraisal_due=dt.date(year + 1, 1, 5),
            decision_due=dt.date(year + 1, 1, 15),
        ),
        ACTOR,
    )


WEAK_CELL_REASON = (
    "Chi bộ không hoàn thành chỉ tiêu phát triển đảng viên mới và thu nộp đảng phí chậm"
)


def _weak_cell_of_good_members(db: Database, year: int) -> None:
    """The commune rates one cell HTNV although every member was rated HTTNV or better: the
    case the committee's mirror exists to show."""
    with db.session() as session:
        period = periods.find(session, year)
        levels: dict[int, list[str | None]] = {}
        for cell_id, level, evaluated in session.execute(
            select(
                MemberEvaluation.org_id, MemberEvaluation.decided_level, MemberEvaluation.evaluated
            ).where(MemberEvaluation.period_id == period.id)
        ):
            if evaluated:
                levels.setdefault(cell_id, []).append(level)
        good = {"HTXSNV", "HTTNV"}
        candidates = sorted(
            cell_id
            for cell_id, found in levels.items()
            if len(found) >= 8 and all(level in good for level in found)
        )
    if candidates:
        appraisal.change_level(
            db, year, Subject("org", candidates[0]), "HTNV", WEAK_CELL_REASON, ACTOR
        )


def meetings_held(year: int, today: dt.date) -> bool:
    """Whether the cells of *year* can have met by *today*: from 20 October (the meetings run
    to December; in January the year is still being decided)."""
    return today >= dt.date(year, 10, 20)


def meeting_days(year: int, today: dt.date) -> tuple[dt.date, dt.date]:
    """When the year under way's meetings were held: early to mid December, or — when today
    is earlier than that — in the two weeks before today, never in the future."""
    first, last = dt.date(year, 12, 5), dt.date(year, 12, 18)
    if today <= last + dt.timedelta(days=3):
        last = max(dt.date(year, 10, 1), today - dt.timedelta(days=3))
        first = max(dt.date(year, 10, 1), last - dt.timedelta(days=13))
    return first, last


def current_year(
    db: Database, year: int, seed: int, progress: Progress = SILENT, today: dt.date | None = None
) -> None:
    """The year under way: cells spread over every step, one returned by the commune."""
    today = today or clock.today()
    rng = random.Random(seed)
    _open(db, year)
    progress.step(0, 2, f"Đang tạo kỳ đánh giá năm {year}")
    with db.session() as session:
        drawn = _Year(session, find(session, year), rng, today)
        cells = drawn.cells
        meeting_season = meetings_held(year, today)
        if meeting_season:
            plan = [CellStep.SUBMITTED] * 8 + [CellStep.VOTING] * 5 + [CellStep.MEETING] * 6
            plan += [CellStep.SELF_REVIEW] * 7
        else:  # months before the meetings: the cells are getting ready
            plan = [CellStep.SELF_REVIEW] * 9
        plan += [CellStep.PREPARATION] * max(0, len(cells) - len(plan) - 1)
        rng.shuffle(plan)
        # The first cell on the board: submitted, then returned (once cells have met).
        plan.insert(0, CellStep.SUBMITTED if meeting_season else CellStep.PREPARATION)
        repeat = _failed_before(session, year, rng)
        # Before the meetings the self-reviews are written in the last weeks (a "meeting day"
        # a week after them).
        days = (
            meeting_days(year, today) if meeting_season else (today - dt.timedelta(days=14), today)
        )
        for cell, until in zip(cells, plan, strict=False):
            drawn.draw(cell, until, days, repeat=repeat)
        drawn.write(submitted_by=today)
        returned = cells[0].cell_id if cells and meeting_season else None
    if returned is not None:
        appraisal.return_cell(db, year, returned, RETURN_REASON, ACTOR)
