"""The procedure's guards and the meeting / tally checks."""

from __future__ import annotations

import datetime as dt

import pytest

from app.domain.meeting_checks import (
    Ballots,
    MeetingRecord,
    check_ballots,
    check_meeting,
    check_votes,
    default_window,
)
from app.domain.procedure import CellProgress, CellStep, missing_for, next_step, progress_share

ROSTER = {1: "Lò Văn Pọm", 2: "Lò Thị Ín", 3: "Cà Văn Xôm", 4: "Giàng A Páo"}
OPENS, CLOSES = default_window(2025)


def record(**changes: object) -> MeetingRecord:
    values: dict[str, object] = {
        "held_on": dt.date(2025, 12, 15),
        "starts_at": dt.time(8, 0),
        "ends_at": dt.time(11, 30),
        "place": "Nhà văn hóa bản Na Tông 1",
        "chair_id": 1,
        "secretary_id": 2,
        "present": frozenset({1, 2, 3}),
        "roster": ROSTER,
        "tally_committee": (3,),
    }
    values.update(changes)
    return MeetingRecord(**values)  # type: ignore[arg-type]


def test_a_complete_meeting_passes() -> None:
    assert check_meeting(record(), OPENS, CLOSES) == []


def test_a_chair_who_is_absent_or_not_a_member_is_refused() -> None:
    [absent] = check_meeting(record(chair_id=4), OPENS, CLOSES)
    assert (absent.field, absent.label) == ("chair", "Chủ trì")
    assert absent.message == "đồng chí Giàng A Páo vắng mặt, không thể làm chủ trì"
    [outsider] = check_meeting(record(chair_id=99), OPENS, CLOSES)
    assert outsider.message == "chủ trì phải là đảng viên của chi bộ"


def test_a_meeting_date_outside_the_period_is_refused() -> None:
    [problem] = check_meeting(record(held_on=dt.date(2025, 6, 1)), OPENS, CLOSES)
    assert problem.label == "Ngày họp"
    assert "nằm ngoài thời gian của kỳ đánh giá (từ 01/10/2025 đến 31/03/2026)" in problem.message


def test_a_meeting_recorded_before_it_is_held_is_refused() -> None:
    """Minutes dated in the future are a record of what has not happened."""
    day = dt.date(2025, 12, 15)
    assert check_meeting(record(), OPENS, CLOSES, today=day) == []
    [problem] = check_meeting(record(held_on=day + dt.timedelta(days=1)), OPENS, CLOSES, day)
    assert (problem.field, problem.label) == ("held_on", "Ngày họp")
    assert problem.message == (
        "ngày 16/12/2025 chưa đến (hôm nay là 15/12/2025): chỉ ghi hội nghị đã họp"
    )


def test_a_tally_committee_smaller_than_the_rule_set_asks_is_refused() -> None:
    [problem] = check_meeting(record(tellers_min=2), OPENS, CLOSES)
    assert (problem.field, problem.label) == ("tally_committee", "Tổ kiểm phiếu")
    assert problem.message == "tổ kiểm phiếu cần ít nhất 2 người (mới có 1)"
    assert check_meeting(record(tellers_min=2, tally_committee=(3, 2)), OPENS, CLOSES) == []


def test_other_meeting_problems() -> None:
    problems = check_meeting(
        record(ends_at=dt.time(7, 0), place=" ", secretary_id=1, tally_committee=()), OPENS, CLOSES
    )
    messages = {p.message for p in problems}
    assert "giờ kết thúc phải sau giờ bắt đầu" in messages
    assert "chưa nhập địa điểm họp" in messages
    assert "thư ký phải khác người chủ trì" in messages
    assert "bỏ phiếu kín cần có tổ kiểm phiếu" in messages


def test_more_votes_than_voters_is_refused() -> None:
    [problem] = check_votes("Lò Văn Pọm", {"HTXSNV": 5, "HTTNV": 5}, 9, "số phiếu hợp lệ")
    assert problem.label == "Số phiếu"
    assert problem.message == "Lò Văn Pọm: tổng 10 phiếu nhiều hơn số phiếu hợp lệ (9)"
    assert check_votes("Lò Văn Pọm", {"HTXSNV": 5, "HTTNV": 4}, 9, "số phiếu hợp lệ") == []


def test_ballot_counts_are_consistent() -> None:
    assert check_ballots(Ballots(9, 9, 8), 9) == []
    messages = [p.message for p in check_ballots(Ballots(10, 11, 12), 9)]
    assert messages == [
        "số phiếu phát ra (10) nhiều hơn số đảng viên chính thức có mặt được biểu quyết (9)",
        "số phiếu thu về nhiều hơn số phiếu phát ra",
        "số phiếu hợp lệ nhiều hơn số phiếu thu về",
    ]


def test_each_step_says_what_is_missing() -> None:
    empty = CellProgress(roster=10, evaluated=9)
    assert missing_for(CellStep.PREPARATION, empty) == [
        "chưa chốt danh sách đảng viên được đánh giá"
    ]
    assert "còn 9 đảng viên chưa có mức tự xếp loại" in missing_for(CellStep.SELF_REVIEW, empty)
    assert "điểm danh còn thiếu 10 đảng viên" in missing_for(CellStep.MEETING, empty)
    done = CellProgress(
        roster_frozen=True, roster=10, evaluated=9, self_levels=9, cell_self_level=True,
        meeting_recorded=True, attendance_recorded=10, quorum_met=True, voters=9,
        votes_recorded=9, cell_votes_recorded=True, proposals=9, cell_proposal=True,
    )  # fmt: skip
    for step in (CellStep.PREPARATION, CellStep.SELF_REVIEW, CellStep.MEETING, CellStep.VOTING):
        assert missing_for(step, done) == []
    no_quorum = CellProgress(roster=10, meeting_recorded=True, attendance_recorded=10)
    assert missing_for(CellStep.MEETING, no_quorum) == [
        "hội nghị không đủ số đảng viên chính thức có mặt theo quy định"
    ]


def test_steps_follow_the_procedure_and_a_returned_cell_meets_again() -> None:
    order = [CellStep.PREPARATION]
    while (following := next_step(order[-1])) is not None:
        order.append(following)
    assert order == [CellStep.PREPARATION, CellStep.SELF_REVIEW, CellStep.MEETING,
                     CellStep.VOTING, CellStep.SUBMITTED]  # fmt: skip
    assert next_step(CellStep.RETURNED) is CellStep.VOTING
    assert CellStep.RETURNED.number == CellStep.MEETING.number
    shares = [progress_share(step, CellProgress()) for step in order]
    assert shares == sorted(shares) and progress_share(CellStep.DECIDED, CellProgress()) == 1


def test_every_missing_item_of_every_step_word_for_word() -> None:
    """Each gap a secretary is told about, with its count, and nothing once it is filled."""
    nothing = CellProgress(
        roster=12, evaluated=10, self_levels=3, self_scores_needed=True, self_scores=4,
        attendance_recorded=5, votes_recorded=2, ballots_consistent=False, proposals=6,
    )  # fmt: skip
    assert missing_for(CellStep.PREPARATION, nothing) == [
        "chưa chốt danh sách đảng viên được đánh giá"
    ]
    assert missing_for(CellStep.SELF_REVIEW, nothing) == [
        "còn 7 đảng viên chưa có mức tự xếp loại",
        "còn 6 đảng viên chưa tự chấm điểm",
        "chi bộ chưa tự đánh giá, xếp loại tập thể",
    ]
    for step in (CellStep.MEETING, CellStep.RETURNED):
        assert missing_for(step, nothing) == [
            "chưa ghi ngày giờ, địa điểm, chủ trì và thư ký hội nghị",
            "điểm danh còn thiếu 7 đảng viên",
        ]
    assert missing_for(CellStep.VOTING, nothing) == [
        "còn 8 đảng viên chưa nhập kết quả biểu quyết",
        "chưa nhập kết quả biểu quyết xếp loại chi bộ",
        "số phiếu của một số dòng vượt số phiếu thu về",
        "còn 4 đảng viên chưa có mức đề xuất",
        "chưa có mức đề xuất cho chi bộ",
    ]
    for step in (CellStep.SUBMITTED, CellStep.DECIDED):
        assert missing_for(step, nothing) == []
    # Thousands are grouped the Vietnamese way.
    big = CellProgress(evaluated=1500, self_levels=0, cell_self_level=True)
    assert missing_for(CellStep.SELF_REVIEW, big) == ["còn 1.500 đảng viên chưa có mức tự xếp loại"]
    # Scores are asked for only by a rule set that scores; counts equal to the need are enough.
    scored = CellProgress(evaluated=10, self_levels=10, self_scores=10, cell_self_level=True,
                          self_scores_needed=True)  # fmt: skip
    assert missing_for(CellStep.SELF_REVIEW, scored) == []
    unscored = CellProgress(evaluated=10, self_levels=10, cell_self_level=True)
    assert missing_for(CellStep.SELF_REVIEW, unscored) == []
    # The quorum is judged only once the meeting is recorded and everyone marked.
    unmarked = CellProgress(roster=10, meeting_recorded=True, attendance_recorded=9)
    assert missing_for(CellStep.MEETING, unmarked) == ["điểm danh còn thiếu 1 đảng viên"]
    unrecorded = CellProgress(roster=10, attendance_recorded=10)
    assert missing_for(CellStep.MEETING, unrecorded) == [
        "chưa ghi ngày giờ, địa điểm, chủ trì và thư ký hội nghị"
    ]


def test_the_progress_bar_of_each_step_in_numbers() -> None:
    """A quarter of 90% per step done, the part of the current step by what is entered, and
    100% once submitted: the cell's part is done, whatever the commune decides after."""
    half = CellProgress(roster=8, evaluated=6, self_levels=3, attendance_recorded=4,
                        votes_recorded=3)  # fmt: skip
    expected = {
        CellStep.PREPARATION: 0.0,
        CellStep.SELF_REVIEW: 0.3375,  # (1 + 3/6) / 4 × 0.9
        CellStep.MEETING: 0.5625,  # (2 + 4/8) / 4 × 0.9
        CellStep.RETURNED: 0.5625,
        CellStep.VOTING: 0.7875,  # (3 + 3/6) / 4 × 0.9
        CellStep.SUBMITTED: 1.0,
        CellStep.DECIDED: 1.0,
    }
    for step, share in expected.items():
        assert progress_share(step, half) == pytest.approx(share), step
    # Nobody to count: the step's own part is nothing, not a division by zero.
    assert progress_share(CellStep.SELF_REVIEW, CellProgress()) == pytest.approx(0.225)
    assert progress_share(CellStep.MEETING, CellProgress()) == pytest.approx(0.45)
    assert progress_share(CellStep.VOTING, CellProgress()) == pytest.approx(0.675)
    # Everything entered in the vote step reaches 90%, not more: submitting is the rest.
    full = CellProgress(evaluated=6, votes_recorded=6)
    assert progress_share(CellStep.VOTING, full) == pytest.approx(0.9)
