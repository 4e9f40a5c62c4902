"""The demo's evaluation periods, made through the same services a user goes through.

The last full year is carried through every step in every cell and decided, so that every
document has its records; the current year shows cells at every step, so a new user sees the
board alive and can carry a cell through to the end.
"""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select

from app.domain.plan import Plan
from app.domain.procedure import CellStep
from app.domain.rules import Subject
from app.services import appraisal, periods, procedure_steps, procedure_view, rulesets
from app.services.plan import save_plan
from app.services.progress import SILENT, Progress
from app.store.database import Database
from app.store.models import EvaluationPeriod, MemberEvaluation, OrgEvaluation

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


def _steps(
    db: Database,
    year: int,
    cell_id: int,
    rng: random.Random,
    until: CellStep,
    excellent_share: float = 0.12,
    returned: bool = False,
    repeat: frozenset[int] = frozenset(),
) -> None:
    """Carry one cell through its steps up to *until*, with plausible entries."""
    view = procedure_view.cell_view(db, year, cell_id)
    if until is CellStep.PREPARATION:
        return
    procedure_steps.advance(db, year, cell_id, ACTOR)
    scored = view.ruleset.score is not None and view.ruleset.score.enabled
    evaluated = [m for m in view.members if m.evaluated]
    plan = {
        m.member_id: _planned_level(rng, m.member_id, excellent_share, repeat) for m in evaluated
    }
    for m in evaluated:
        level = plan[m.member_id]
        general, tasks = SCORES[level]
        good = level == "HTXSNV"
        review = procedure_steps.SelfReview(
            level=level,
            score_general=float(rng.randint(*general)) if scored else None,
            score_tasks=float(rng.randint(*tasks)) if scored else None,
            all_tasks_on_time=(level in ("HTXSNV", "HTTNV")) if scored else None,
            tasks_exceeded_share=(0.35 if good else 0.1) if scored else None,
            shortcomings_remedied=True if scored else None,
            # A member planned to fail has a recorded cause: the low level's reason (R2).
            tasks_below_half=level == "KHTNV",
            shortcomings="Đôi khi chưa mạnh dạn phê bình; tham gia sinh hoạt chưa đều."
            if rng.random() < 0.3 or level in ("HTNV", "KHTNV")
            else "",
            # Most answer last year's shortcomings; every fourth forgets (the step reminds).
            remedy=REMEDY if m.previous_shortcomings and m.member_id % 4 else "",
        )
        if until is CellStep.SELF_REVIEW and rng.random() < 0.4:
            continue  # a cell half-way through its self-review
        procedure_steps.save_self_review(db, year, m.member_id, review, ACTOR)
    if until is CellStep.SELF_REVIEW:
        return
    procedure_steps.save_cell_self_assessment(
        db,
        year,
        cell_id,
        procedure_steps.CellSelfAssessment(
            level="HTTNV",
            text="Chi bộ lãnh đạo nhân dân hoàn thành các chỉ tiêu kinh tế - xã hội của bản.",
            score_general=26.0 if scored else None,
            score_tasks=60.0 if scored else None,
            all_tasks_on_time=True if scored else None,
        ),
    )
    procedure_steps.advance(db, year, cell_id, ACTOR)
    _meeting(db, year, cell_id, rng, until)
    if until is CellStep.MEETING:
        return
    procedure_steps.advance(db, year, cell_id, ACTOR)
    _votes(db, year, cell_id, rng, plan)
    if until is CellStep.VOTING:
        return
    procedure_steps.advance(db, year, cell_id, ACTOR)
    if returned:
        appraisal.return_cell(
            db,
            year,
            cell_id,
            "Biên bản chưa ghi ý kiến của đại biểu cấp trên; đề nghị họp lại",
            ACTOR,
        )


# Self-scores (general /30, tasks /70) that match each level under the 100-point regime.
SCORES = {
    "HTXSNV": ((27, 30), (63, 70)),
    "HTTNV": ((22, 27), (50, 62)),
    "HTNV": ((18, 22), (35, 47)),
    "KHTNV": ((10, 15), (20, 30)),
}


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


def _failed_before(db: Database, year: int, rng: random.Random) -> frozenset[int]:
    """Some of last year's KHTNV members, who fail again this year."""
    with db.session() as session:
        rows = session.scalars(
            select(MemberEvaluation.member_id)
            .join(EvaluationPeriod, EvaluationPeriod.id == MemberEvaluation.period_id)
            .where(EvaluationPeriod.year == year - 1, MemberEvaluation.decided_level == "KHTNV")
        ).all()
    return frozenset(m for m in rows if rng.random() < 0.4)


def _meeting(db: Database, year: int, cell_id: int, rng: random.Random, until: CellStep) -> None:
    view = procedure_view.cell_view(db, year, cell_id)
    absent = {m.member_id for m in view.members if not m.evaluated or rng.random() < 0.06}
    for index, m in enumerate(view.members):
        if until is CellStep.MEETING and index > len(view.members) * 0.7:
            break  # attendance half-taken
        here = m.member_id not in absent or index < 3
        reason = "Tuổi cao, sức yếu" if not m.evaluated else "Đi làm ăn xa"
        procedure_steps.save_attendance(db, year, cell_id, m.member_id, here, reason, ACTOR)
        if here and rng.random() < 0.35:
            procedure_steps.save_comments(
                db, year, m.member_id, rng.choice(COMMENTS), "Xin tiếp thu ý kiến.", ACTOR
            )
    view = procedure_view.cell_view(db, year, cell_id)
    present = [m for m in view.members if m.present and m.votes]
    if len(present) < 3 or (until is CellStep.MEETING and rng.random() < 0.5):
        return
    upper, post = rng.choice(UPPER_ATTENDEES)
    start = rng.choice((7, 8, 13, 14))
    place = f"{rng.choice(VILLAGE_PLACES)} {view.cell_name.removeprefix('Chi bộ bản ')}"
    procedure_steps.save_meeting(
        db,
        year,
        cell_id,
        procedure_steps.MeetingInput(
            held_on=dt.date(year, 12, rng.randint(5, 18)),
            starts_at=dt.time(start, rng.choice((0, 30))),
            ends_at=dt.time(start + rng.choice((3, 4)), 0),
            place=place if "bản" in view.cell_name else "Hội trường Đảng ủy xã",
            chair_id=present[0].member_id,
            secretary_id=present[1].member_id,
            upper_attendee=upper,
            upper_attendee_post=post,
            tally_committee=(present[2].member_id,),
            report_summary="Đồng chí Bí thư trình bày báo cáo kiểm điểm tập thể chi bộ.",
            conclusion="Hội nghị thống nhất đề xuất mức xếp loại như biên bản kiểm phiếu.",
            approval_agree=len(present),
            approval_total=len(present),
        ),
        ACTOR,
    )


def _votes(db: Database, year: int, cell_id: int, rng: random.Random, plan: dict[int, str]) -> None:
    view = procedure_view.cell_view(db, year, cell_id)
    voters = view.voters_present
    procedure_steps.save_ballots(db, year, cell_id, voters, voters, voters, ACTOR)

    def tally(top: str) -> dict[str, int]:
        strong = voters - rng.randint(0, max(voters // 5, 0))
        second = {"HTXSNV": "HTTNV", "HTTNV": "HTNV", "HTNV": "HTTNV"}.get(top, "HTNV")
        return {top: strong, second: voters - strong}

    for m in view.members:
        if m.evaluated:
            procedure_steps.save_votes(
                db, year, m.subject, tally(plan.get(m.member_id, "HTTNV")), ACTOR
            )
    procedure_steps.save_votes(db, year, Subject("org", cell_id), tally("HTTNV"), ACTOR)
    if view.collective is not None:
        procedure_steps.save_votes(db, year, view.collective.subject, tally("HTTNV"), ACTOR)
    view = procedure_view.cell_view(db, year, cell_id)
    rows = [
        view.cell,
        *([view.collective] if view.collective else []),
        *[m for m in view.members if m.evaluated],
    ]
    for row in rows:
        procedure_steps.set_proposal(db, year, row.subject, row.suggested_level, actor=ACTOR)


def decided_year(db: Database, year: int, seed: int, progress: Progress = SILENT) -> None:
    """A whole year carried through and decided, under the rule set of that year."""
    rng = random.Random(seed)
    periods.create_period(
        db,
        year,
        rulesets.default_for_year(year),
        dt.date(year, 12, 31),
        deadline=dt.date(year, 12, 20),
        actor=ACTOR,
    )
    demo_plan(db, year)
    cells = procedure_view.board(db, year)
    repeat = _failed_before(db, year, rng)
    for index, row in enumerate(cells):
        progress.step(index, len(cells), f"Đang tạo kết quả năm {year}")
        with db.batch():
            _steps(db, year, row.cell_id, rng, CellStep.SUBMITTED, repeat=repeat)
    _date_submissions(db, year)
    appraisal.accept_proposals(db, year, [row.cell_id for row in cells], ACTOR)
    _weak_cell_of_good_members(db, year)
    # The standing committee met in January of the next year.
    appraisal.decide_and_lock(
        db, year, actor=ACTOR, backup=False, when=dt.datetime(year + 1, 1, 15, 9, 0)
    )


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
    case the committee's mirror (issue 10) exists to show."""
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


def _date_submissions(db: Database, year: int) -> None:
    """Demo cells handed their results in two days after their meeting, not today."""
    with db.session() as session:
        period = periods.find(session, year)
        for cell in session.scalars(
            select(OrgEvaluation).where(
                OrgEvaluation.period_id == period.id, OrgEvaluation.submitted_at.is_not(None)
            )
        ):
            meeting = procedure_view.latest_meeting(session, cell)
            if meeting is not None and meeting.held_on is not None:
                day = meeting.held_on + dt.timedelta(days=2)
                cell.submitted_at = dt.datetime.combine(day, dt.time(9, 0))


def current_year(db: Database, year: int, seed: int, progress: Progress = SILENT) -> None:
    """The year under way: cells spread over every step, one returned by the commune."""
    rng = random.Random(seed)
    periods.create_period(
        db,
        year,
        rulesets.default_for_year(year),
        dt.date(year, 12, 31),
        deadline=dt.date(year, 12, 20),
        actor=ACTOR,
    )
    demo_plan(db, year)
    cells = procedure_view.board(db, year)
    plan = [CellStep.SUBMITTED] * 8 + [CellStep.VOTING] * 5 + [CellStep.MEETING] * 6
    plan += [CellStep.SELF_REVIEW] * 7
    plan += [CellStep.PREPARATION] * max(0, len(cells) - len(plan) - 1)
    rng.shuffle(plan)
    plan.insert(0, CellStep.SUBMITTED)  # the first cell on the board: submitted, then returned
    repeat = _failed_before(db, year, rng)
    for index, (row, until) in enumerate(zip(cells, plan, strict=False)):
        progress.step(index, len(cells), f"Đang tạo kỳ đánh giá năm {year}")
        with db.batch():
            _steps(db, year, row.cell_id, rng, until, returned=index == 0, repeat=repeat)
