"""Checks of a meeting record and of a vote tally, each problem naming its field.

A chair or secretary must be a member of the cell present at the meeting; the meeting must
fall inside the period's window; no row of a tally may hold more votes than there were
voters (or valid ballots).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from app.domain.formatting import format_date, format_int
from app.domain.member_checks import FieldProblem

MEETING_LABELS = {
    "held_on": "Ngày họp",
    "starts_at": "Giờ bắt đầu",
    "ends_at": "Giờ kết thúc",
    "place": "Địa điểm",
    "chair": "Chủ trì",
    "secretary": "Thư ký",
    "tally_committee": "Tổ kiểm phiếu",
    "ballots": "Số phiếu",
    "votes": "Số phiếu",
}


@dataclass(frozen=True, slots=True)
class MeetingRecord:
    held_on: dt.date | None
    starts_at: dt.time | None
    ends_at: dt.time | None
    place: str
    chair_id: int | None
    secretary_id: int | None
    present: frozenset[int]  # roster members marked present
    roster: Mapping[int, str] = field(default_factory=dict)  # member id → name
    tally_committee: tuple[int, ...] = ()
    secret_ballot: bool = True
    tellers_min: int = 1  # the rule set's least tally committee (vote.tellers_min)


def _problem(field_name: str, message: str) -> FieldProblem:
    return FieldProblem(field_name, message, MEETING_LABELS[field_name])


def check_meeting(
    record: MeetingRecord, opens_on: dt.date, closes_on: dt.date, today: dt.date | None = None
) -> list[FieldProblem]:
    """What is wrong with *record*; with *today*, a meeting recorded as held after it too
    (its minutes would be dated in the future)."""
    problems: list[FieldProblem] = []
    if record.held_on is None:
        problems.append(_problem("held_on", "chưa nhập ngày họp"))
    elif today is not None and record.held_on > today:
        problems.append(
            _problem(
                "held_on",
                f"ngày {format_date(record.held_on)} chưa đến (hôm nay là {format_date(today)}): "
                "chỉ ghi hội nghị đã họp",
            )
        )
    elif not opens_on <= record.held_on <= closes_on:
        problems.append(
            _problem(
                "held_on",
                f"ngày {format_date(record.held_on)} nằm ngoài thời gian của kỳ đánh giá "
                f"(từ {format_date(opens_on)} đến {format_date(closes_on)})",
            )
        )
    if record.starts_at and record.ends_at and record.ends_at <= record.starts_at:
        problems.append(_problem("ends_at", "giờ kết thúc phải sau giờ bắt đầu"))
    if not record.place.strip():
        problems.append(_problem("place", "chưa nhập địa điểm họp"))
    for key, person in (("chair", record.chair_id), ("secretary", record.secretary_id)):
        label = MEETING_LABELS[key].lower()
        if person is None:
            problems.append(_problem(key, f"chưa chọn {label}"))
        elif person not in record.roster:
            problems.append(_problem(key, f"{label} phải là đảng viên của chi bộ"))
        elif person not in record.present:
            problems.append(
                _problem(key, f"đồng chí {record.roster[person]} vắng mặt, không thể làm {label}")
            )
    if record.chair_id is not None and record.chair_id == record.secretary_id:
        problems.append(_problem("secretary", "thư ký phải khác người chủ trì"))
    if record.secret_ballot:
        absent = [m for m in record.tally_committee if m not in record.present]
        if not record.tally_committee:
            problems.append(_problem("tally_committee", "bỏ phiếu kín cần có tổ kiểm phiếu"))
        elif len(record.tally_committee) < record.tellers_min:
            problems.append(
                _problem(
                    "tally_committee",
                    f"tổ kiểm phiếu cần ít nhất {record.tellers_min} người "
                    f"(mới có {len(record.tally_committee)})",
                )
            )
        elif absent:
            names = ", ".join(record.roster.get(m, "?") for m in absent)
            problems.append(_problem("tally_committee", f"{names} vắng mặt, không thể kiểm phiếu"))
    return problems


@dataclass(frozen=True, slots=True)
class Ballots:
    issued: int | None
    returned: int | None
    valid: int | None


def check_ballots(ballots: Ballots, voters_present: int) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    issued, returned, valid = ballots.issued, ballots.returned, ballots.valid
    if issued is not None and issued > voters_present:
        problems.append(
            _problem(
                "ballots",
                f"số phiếu phát ra ({format_int(issued)}) nhiều hơn số đảng viên chính thức "
                f"có mặt được biểu quyết ({format_int(voters_present)})",
            )
        )
    if issued is not None and returned is not None and returned > issued:
        problems.append(_problem("ballots", "số phiếu thu về nhiều hơn số phiếu phát ra"))
    if returned is not None and valid is not None and valid > returned:
        problems.append(_problem("ballots", "số phiếu hợp lệ nhiều hơn số phiếu thu về"))
    return problems


def check_votes(
    subject: str, counts: Mapping[str, int], ceiling: int, ceiling_label: str
) -> list[FieldProblem]:
    """A row of the tally: non-negative counts whose sum does not exceed *ceiling*
    (the valid ballots, or the voters present when voting by show of hands)."""
    problems: list[FieldProblem] = []
    if any(v < 0 for v in counts.values()):
        problems.append(_problem("votes", f"{subject}: số phiếu không được âm"))
    total = sum(counts.values())
    if total > ceiling:
        problems.append(
            _problem(
                "votes",
                f"{subject}: tổng {format_int(total)} phiếu nhiều hơn {ceiling_label} "
                f"({format_int(ceiling)})",
            )
        )
    return problems


def default_window(year: int) -> tuple[dt.date, dt.date]:
    """Meetings of a year's evaluation are held from October to the end of the next March."""
    return dt.date(year, 10, 1), dt.date(year + 1, 3, 31)
