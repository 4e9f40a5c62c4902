"""The procedure's states and the guards on each step.

A cell goes chuẩn bị → tự kiểm điểm → hội nghị → biểu quyết → đã nộp → đã quyết định, and
the commune may return a submitted cell (trả lại) to the meeting. A period goes open →
appraisal → decided → reported. Each guard looks at a plain snapshot of what has been entered
and says, in Vietnamese, what is still missing; an empty list means the step may be taken.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.domain.formatting import format_int


class CellStep(StrEnum):
    PREPARATION = "chuan_bi"
    SELF_REVIEW = "tu_kiem_diem"
    MEETING = "hoi_nghi"
    VOTING = "bieu_quyet"
    SUBMITTED = "da_nop"
    RETURNED = "tra_lai"
    DECIDED = "da_quyet_dinh"

    @property
    def label(self) -> str:
        return _CELL_LABELS[self]

    @property
    def number(self) -> int:
        """Position on the step bar: 1 preparation … 5 submitted, 6 decided."""
        return _CELL_NUMBERS[self]


_CELL_LABELS = {
    CellStep.PREPARATION: "Chuẩn bị",
    CellStep.SELF_REVIEW: "Tự kiểm điểm",
    CellStep.MEETING: "Hội nghị",
    CellStep.VOTING: "Biểu quyết",
    CellStep.SUBMITTED: "Đã nộp",
    CellStep.RETURNED: "Trả lại",
    CellStep.DECIDED: "Đã quyết định",
}
_CELL_NUMBERS = {
    CellStep.PREPARATION: 1,
    CellStep.SELF_REVIEW: 2,
    CellStep.MEETING: 3,
    CellStep.RETURNED: 3,
    CellStep.VOTING: 4,
    CellStep.SUBMITTED: 5,
    CellStep.DECIDED: 6,
}

# The steps a user works through, in order (the stepper's pages).
WORK_STEPS = (
    CellStep.PREPARATION,
    CellStep.SELF_REVIEW,
    CellStep.MEETING,
    CellStep.VOTING,
    CellStep.SUBMITTED,
)


class PeriodState(StrEnum):
    OPEN = "open"
    APPRAISAL = "appraisal"
    DECIDED = "decided"
    REPORTED = "reported"

    @property
    def label(self) -> str:
        return _PERIOD_LABELS[self]

    @property
    def is_decided(self) -> bool:
        """Decided by the commune (and perhaps reported upward): its papers are final."""
        return self in (PeriodState.DECIDED, PeriodState.REPORTED)


_PERIOD_LABELS = {
    PeriodState.OPEN: "Đang đánh giá",
    PeriodState.APPRAISAL: "Đang thẩm định",
    PeriodState.DECIDED: "Đã quyết định",
    PeriodState.REPORTED: "Đã báo cáo",
}


@dataclass(frozen=True, slots=True)
class CellProgress:
    """What has been entered for one cell, counted by the services from the records."""

    roster_frozen: bool = False
    roster: int = 0  # members on the frozen roster
    evaluated: int = 0  # of whom classified this year
    self_levels: int = 0  # evaluated members with a self-proposed level
    self_scores_needed: bool = False  # the rule set scores (qd366)
    self_scores: int = 0
    cell_self_level: bool = False  # the cell's collective self-assessment
    meeting_recorded: bool = False  # date, time, place, chair, secretary
    attendance_recorded: int = 0  # roster members marked present or absent
    quorum_met: bool = False
    voters: int = 0  # official members not exempt: the vote's denominator
    votes_recorded: int = 0  # evaluated members with vote counts entered
    cell_votes_recorded: bool = False
    ballots_consistent: bool = True  # every tally sums to at most the ballots collected
    proposals: int = 0  # evaluated members with a proposed level
    cell_proposal: bool = False
    # The cell's chi ủy, where the cell has one that is classified (True where it has none).
    collective_self_level: bool = True
    collective_votes_recorded: bool = True
    collective_proposal: bool = True


def missing_for(step: CellStep, p: CellProgress) -> list[str]:
    """What must be done before leaving *step* for the next one, in plain Vietnamese."""
    missing: list[str] = []
    if step is CellStep.PREPARATION:
        if not p.roster_frozen:
            missing.append("chưa chốt danh sách đảng viên được đánh giá")
    elif step is CellStep.SELF_REVIEW:
        if p.self_levels < p.evaluated:
            missing.append(
                f"còn {format_int(p.evaluated - p.self_levels)} đảng viên chưa có mức tự xếp loại"
            )
        if p.self_scores_needed and p.self_scores < p.evaluated:
            missing.append(
                f"còn {format_int(p.evaluated - p.self_scores)} đảng viên chưa tự chấm điểm"
            )
        if not p.cell_self_level:
            missing.append("chi bộ chưa tự đánh giá, xếp loại tập thể")
        if not p.collective_self_level:
            missing.append("chi ủy chưa tự đánh giá, xếp loại tập thể")
    elif step in (CellStep.MEETING, CellStep.RETURNED):
        if not p.meeting_recorded:
            missing.append("chưa ghi ngày giờ, địa điểm, chủ trì và thư ký hội nghị")
        if p.attendance_recorded < p.roster:
            missing.append(
                f"điểm danh còn thiếu {format_int(p.roster - p.attendance_recorded)} đảng viên"
            )
        elif p.meeting_recorded and not p.quorum_met:
            missing.append("hội nghị không đủ số đảng viên chính thức có mặt theo quy định")
    elif step is CellStep.VOTING:
        if p.votes_recorded < p.evaluated:
            missing.append(
                f"còn {format_int(p.evaluated - p.votes_recorded)} đảng viên "
                "chưa nhập kết quả biểu quyết"
            )
        if not p.cell_votes_recorded:
            missing.append("chưa nhập kết quả biểu quyết xếp loại chi bộ")
        if not p.collective_votes_recorded:
            missing.append("chưa nhập kết quả biểu quyết xếp loại chi ủy")
        if not p.ballots_consistent:
            missing.append("số phiếu của một số dòng vượt số phiếu thu về")
        if p.proposals < p.evaluated:
            missing.append(
                f"còn {format_int(p.evaluated - p.proposals)} đảng viên chưa có mức đề xuất"
            )
        if not p.cell_proposal:
            missing.append("chưa có mức đề xuất cho chi bộ")
        if not p.collective_proposal:
            missing.append("chưa có mức đề xuất cho chi ủy")
    return missing


def next_step(step: CellStep) -> CellStep | None:
    """The step a cell moves to when it finishes *step* (None: the cell waits for the commune)."""
    order = {
        CellStep.PREPARATION: CellStep.SELF_REVIEW,
        CellStep.SELF_REVIEW: CellStep.MEETING,
        CellStep.MEETING: CellStep.VOTING,
        CellStep.RETURNED: CellStep.VOTING,
        CellStep.VOTING: CellStep.SUBMITTED,
    }
    return order.get(step)


def progress_share(step: CellStep, p: CellProgress) -> float:
    """How far along a cell is in its own part, 0 to 1, for the board's progress bar: each of
    the four working steps is a quarter of 90%, the step under way counted by what is entered,
    and submitting is the last 10%. A submitted cell has done all of its part (100%), like a
    decided one; the step column tells them apart."""
    if step is CellStep.DECIDED:
        return 1.0
    done_steps = {
        CellStep.PREPARATION: 0,
        CellStep.SELF_REVIEW: 1,
        CellStep.MEETING: 2,
        CellStep.RETURNED: 2,
        CellStep.VOTING: 3,
        CellStep.SUBMITTED: 4,
    }[step]
    if step is CellStep.SUBMITTED:
        return 1.0
    within = 0.0
    if step is CellStep.SELF_REVIEW and p.evaluated:
        within = p.self_levels / p.evaluated
    elif step in (CellStep.MEETING, CellStep.RETURNED) and p.roster:
        within = p.attendance_recorded / p.roster
    elif step is CellStep.VOTING and p.evaluated:
        within = p.votes_recorded / p.evaluated
    return min(0.9, (done_steps + within) / 4 * 0.9)
