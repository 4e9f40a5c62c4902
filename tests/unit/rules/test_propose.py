"""propose: base levels, caps, quota trimming and its tie-break, and the explanations."""

from __future__ import annotations

import datetime as dt

import pytest

from app.domain.rules import CellVoting, propose, validate
from app.domain.vocabulary import DisciplineForm
from tests.unit.rules.helpers import (
    CELL,
    COMMUNE,
    RULESET_IDS,
    YEAR,
    blocking,
    c,
    cell,
    commune,
    disc,
    m,
    member,
    o,
    of_check,
    period,
    ruleset,
    tally,
)


def test_the_2017_cell_all_httnv() -> None:
    """domain.md: a cell of 9 official + 1 probationary members, all HTTNV (Điện Biên 2017)."""
    members = [member(i + 1) for i in range(9)]
    members.append(member(10, admitted_on=dt.date(2016, 5, 19), official_on=None))
    votes = [tally(m(i + 1), HTTNV=9) for i in range(10)] + [tally(o(CELL), TSVM=9)]
    p = period(members, year=2017, votes=votes, voting=[CellVoting(CELL, 9, 9)])
    result = propose(ruleset("hd27-2014"), p)
    assert {s: lv for s, lv in result.levels.items() if s.kind == "member"} == {
        m(i + 1): "HTTNV" for i in range(10)
    }
    assert result.levels[o(CELL)] == "TSVM"
    assert result.reasons[m(10)] == "Biểu quyết — HTTNV: 9/9 phiếu (100%) > 50%."
    assert blocking(result.findings) == []
    assert blocking(validate(ruleset("hd27-2014"), p, result.levels)) == []


@pytest.mark.parametrize("rs_id", RULESET_IDS)
def test_base_level_sources(rs_id: str) -> None:
    rs, year = ruleset(rs_id), YEAR[rs_id]
    members = [
        member(1),                                       # tally
        member(2, self_level="HTNV"),                    # self level, no tally
        member(3),                                       # nothing at all
        member(4, exempt=True),                          # not classified
        member(5, score_general=25, score_tasks=50, all_tasks_on_time=True),  # score
    ]  # fmt: skip
    p = period(members, year=year, votes=[tally(m(1), HTTNV=5)], voting=[CellVoting(CELL, 9, 8)])
    result = propose(rs, p)
    assert result.levels[m(1)] == "HTTNV"
    assert result.reasons[m(1)] == "Biểu quyết — HTTNV: 5/9 phiếu (55,56%) > 50%."
    assert result.levels[m(2)] == "HTNV"
    assert result.reasons[m(2)] == "Theo mức tự nhận: Hoàn thành nhiệm vụ."
    assert m(3) not in result.levels
    assert m(4) not in result.levels
    assert result.reasons[m(4)] == "Không xếp loại: Miễn sinh hoạt."
    if rs_id == "qd366-2025":
        assert result.levels[m(5)] == "HTTNV"
        assert result.reasons[m(5)] == "Theo điểm: 75 điểm → Hoàn thành tốt nhiệm vụ."
    else:
        assert m(5) not in result.levels


def test_no_majority_leaves_the_decision_to_the_commune() -> None:
    p = period(
        [member(1)], year=2020, votes=[tally(m(1), HTXSNV=2, HTTNV=2)],
        voting=[CellVoting(CELL, 9, 9)],
    )  # fmt: skip
    result = propose(ruleset("qd132-2018"), p)
    assert m(1) not in result.levels
    vote = of_check(result.findings, "vote")
    assert [f.severity for f in vote] == ["warning"]
    assert vote[0].message == (
        "Đồng chí Lò Văn Pọm: không mức nào được quá 50% của 9 đảng viên chính thức; nhiều phiếu "
        "nhất là HTXSNV (2/9, 22,22%). Đảng ủy xã xem xét, quyết định."
    )
    assert result.votes[m(1)].level is None


def test_bad_tally_gives_no_level_and_a_warning() -> None:
    p = period(
        [member(1)], year=2020, votes=[tally(m(1), HTXSNV=12)], voting=[CellVoting(CELL, 9, 9)]
    )
    result = propose(ruleset("qd132-2018"), p)
    assert m(1) not in result.levels
    assert of_check(result.findings, "vote")[0].message == (
        "Phiếu biểu quyết cho đồng chí Lò Văn Pọm: tổng số phiếu (12) nhiều hơn số đảng viên "
        "chính thức được tính (9); cần kiểm tra lại."
    )
    p = period([member(1)], year=2020, votes=[tally(m(1), HTXSNV=5)])
    result = propose(ruleset("qd132-2018"), p)
    assert "chưa có số đảng viên chính thức" in result.reasons[m(1)]
    assert len(of_check(result.findings, "vote")) == 1


@pytest.mark.parametrize("rs_id", ["qd132-2018", "qd124-2023", "qd366-2025"])
def test_caps_cascade_from_members_to_the_cell(rs_id: str) -> None:
    """The third-child member is KHTNV; the cell voted HTXSNV falls to HTNV (R7, then R5)."""
    year = YEAR[rs_id]
    members = [member(1, disciplines=(disc(year),)), *(member(i) for i in range(2, 10))]
    votes = [tally(m(i), HTTNV=9) for i in range(1, 10)] + [tally(o(CELL), HTXSNV=9)]
    p = period(members, year=year, votes=votes, voting=[CellVoting(CELL, 9, 9)])
    result = propose(ruleset(rs_id), p)
    assert result.levels[m(1)] == "KHTNV"
    assert result.levels[o(CELL)] == "HTNV"
    caps = [(f.check, f.subject, f.level) for f in blocking(result.findings)]
    assert ("discipline", m(1), "KHTNV") in caps
    assert ("org_members", o(CELL), "HTNV") in caps
    assert result.reasons[o(CELL)].endswith("Sau khi đối chiếu quy định: Hoàn thành nhiệm vụ.")
    assert blocking(validate(ruleset(rs_id), p, result.levels)) == []


def voted_cell(shares: list[tuple[int, int]], fields: dict[int, dict] | None = None) -> tuple:
    """Members voted (HTXSNV, HTTNV) as given, in a cell of 9 voters."""
    fields = fields or {}
    members = [member(i + 1, **fields.get(i + 1, {})) for i in range(len(shares))]
    votes = [tally(m(i + 1), HTXSNV=x, HTTNV=t) for i, (x, t) in enumerate(shares)]
    return members, votes


def test_trim_keeps_the_higher_vote_share() -> None:
    # 8 HTTNV and 3 HTXSNV proposed: 1 may stay (1 ≤ 20% of 10), 2 fall.
    shares = [(0, 9)] * 8 + [(5, 4), (7, 2), (6, 3)]
    members, votes = voted_cell(shares)
    p = period(members, year=2020, votes=votes, voting=[CellVoting(CELL, 9, 9)])
    result = propose(ruleset("qd132-2018"), p)
    assert [s for s, lv in result.levels.items() if lv == "HTXSNV"] == [m(10)]
    trims = of_check(result.findings, "member_quota")
    assert sorted(f.subject for f in trims) == [m(9), m(11)]
    message = next(f.message for f in trims if f.subject == m(11))
    assert message == (
        f"Đồng chí {members[10].full_name}: Đảng bộ xã Na Tông có 3 đề xuất HTXSNV nhưng chỉ giữ "
        "được 1 (HTXSNV không quá 20% số HTTNV, làm tròn xuống: 1 HTXSNV với 10 HTTNV); xếp "
        "sau theo tỷ lệ phiếu HTXSNV (6/9, 66,67%), điểm và thứ tự tên, nên chuyển xuống Hoàn "
        "thành tốt nhiệm vụ."
    )
    assert all(f.level == "HTTNV" and f.severity == "blocking" for f in trims)


def test_trim_then_keeps_the_higher_score_then_name_order() -> None:
    top = {"all_tasks_on_time": True, "tasks_exceeded_share": 0.5, "shortcomings_remedied": True}
    shares = [(0, 9)] * 8 + [(6, 3)] * 3
    fields = {
        9: {"score_general": 30, "score_tasks": 62, **top},
        10: {"score_general": 30, "score_tasks": 66, **top},
        11: {"score_general": 30, "score_tasks": 62, **top},
    }
    members, votes = voted_cell(shares, fields)
    p = period(members, votes=votes, voting=[CellVoting(CELL, 9, 9)])
    result = propose(ruleset("qd366-2025"), p)
    assert [s for s, lv in result.levels.items() if lv == "HTXSNV"] == [m(10)]
    # Equal shares and scores: Vietnamese name order (given name first) decides.
    names = {9: "Lê Văn Bình", 10: "Trần Thị An", 11: "Đỗ Văn Bình"}
    scored = {"score_general": 30, "score_tasks": 62, **top}
    members = [
        member(i + 1, name=names.get(i + 1), **(scored if i >= 8 else {})) for i in range(11)
    ]
    p = period(members, votes=votes, voting=[CellVoting(CELL, 9, 9)])
    result = propose(ruleset("qd366-2025"), p)
    assert [s for s, lv in result.levels.items() if lv == "HTXSNV"] == [m(10)]  # "An" first
    members[9] = member(10, name="Trần Thị Yến", score_general=30, score_tasks=62, **top)
    p = period(members, votes=votes, voting=[CellVoting(CELL, 9, 9)])
    result = propose(ruleset("qd366-2025"), p)
    # Two "Bình": the family names decide, and "Đỗ" comes before "Lê" (đ sorts after d).
    assert [s for s, lv in result.levels.items() if lv == "HTXSNV"] == [m(11)]


def test_trim_uses_the_raised_base() -> None:
    shares = [(0, 9)] * 8 + [(6, 3)] * 4
    members, votes = voted_cell(shares)
    p = period(members, year=2020, votes=votes, voting=[CellVoting(CELL, 9, 9)])
    result = propose(ruleset("qd132-2018"), p)
    kept = [s for s, lv in result.levels.items() if lv == "HTXSNV"]
    assert len(kept) == 2  # 2 ≤ 20% of (8 + 2) HTTNV
    assert of_check(validate(ruleset("qd132-2018"), p, result.levels), "member_quota") == []


def test_hd27_has_no_member_trim_and_exemplary_only_warns() -> None:
    shares = [(0, 9)] * 2 + [(6, 3)] * 4
    members, votes = voted_cell(shares)
    orgs = [commune(), *(cell(10 + i) for i in range(5))]
    org_votes = [tally(o(10 + i), TSVM_TB=6, TSVM=3) for i in range(2)]
    org_votes += [tally(o(12 + i), TSVM=9) for i in range(3)]
    voting = [CellVoting(10 + i, 9, 9) for i in range(5)]
    p = period(members, orgs, 2017, votes + org_votes, voting)
    result = propose(ruleset("hd27-2014"), p)
    assert sum(1 for lv in result.levels.values() if lv == "HTXSNV") == 4
    assert [result.levels[o(10 + i)] for i in range(5)] == ["TSVM_TB"] * 2 + ["TSVM"] * 3
    warned = of_check(result.findings, "exemplary_quota")
    assert [(f.severity, f.subject) for f in warned] == [("warning", o(COMMUNE))]


def test_organisations_are_trimmed_among_their_peers() -> None:
    orgs = [commune(), *(cell(10 + i) for i in range(6))]
    votes = [tally(o(10), HTXSNV=8, HTTNV=1), tally(o(11), HTXSNV=6, HTTNV=3)]
    votes += [tally(o(12 + i), HTTNV=9) for i in range(4)]
    voting = [CellVoting(10 + i, 9, 9) for i in range(6)]
    members = [member(i + 1, cell=10 + i) for i in range(6)]
    levels_votes = [tally(m(i + 1), HTTNV=9) for i in range(6)]
    p = period(members, orgs, 2020, votes + levels_votes, voting)
    result = propose(ruleset("qd132-2018"), p)
    # 1 ≤ 20% of 5 HTTNV: the cell with 8/9 stays HTXSNV.
    assert result.levels[o(10)] == "HTXSNV"
    assert result.levels[o(11)] == "HTTNV"
    assert of_check(result.findings, "org_quota")[0].subject == o(11)


def test_collective_is_proposed_from_its_tally_and_capped() -> None:
    year = 2024
    warned = (disc(year, form=DisciplineForm.WARNING),)
    members = [member(1, heads_org_id=CELL, disciplines=warned)]
    p = period(members, year=year, votes=[tally(c(CELL), HTTNV=8)], voting=[CellVoting(CELL, 9, 9)])
    result = propose(ruleset("qd124-2023"), p)
    assert result.levels[c(CELL)] == "KHTNV"
    assert of_check(result.findings, "leading_collective")[0].subject == c(CELL)
