"""R1–R4 and R11: caps on a member's level, in each regime that has them."""

from __future__ import annotations

import datetime as dt

import pytest

from app.domain.rules import copy_ruleset, screening_list, validate
from app.domain.rules.leave import LeaveSpan
from app.domain.vocabulary import DisciplineForm
from tests.unit.rules.helpers import (
    RULESET_IDS,
    YEAR,
    blocking,
    disc,
    m,
    member,
    of_check,
    period,
    ruleset,
)

UNSURE = "Theo thực tiễn địa phương, chưa chắc chắn; có thể điều chỉnh."
LIKELY = "Theo cách làm phổ biến, chưa đối chiếu được toàn văn hướng dẫn; có thể điều chỉnh."


IGNORED = {"score", "member_quota"}


def judge(rs_id: str, level: str, **fields) -> list:
    rs = ruleset(rs_id)
    year = YEAR[rs_id]
    p = period([member(1, **fields)], year=year)
    # A lone HTXSNV always exceeds the quota, and the score has its own tests.
    return [f for f in validate(rs, p, {m(1): level}) if f.check not in IGNORED]


# R1 --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rs_id", "cap", "note"),
    [
        ("hd27-2014", "HTNV", UNSURE),
        ("qd132-2018", "KHTNV", None),
        ("qd124-2023", "KHTNV", None),
        ("qd366-2025", "KHTNV", LIKELY),
    ],
)
def test_third_child_reprimand_caps_the_member(rs_id: str, cap: str, note: str | None) -> None:
    """domain.md: a third child (population policy) ⇒ khiển trách ⇒ KHTNV."""
    year = YEAR[rs_id]
    findings = judge(rs_id, "HTTNV", disciplines=(disc(year, 4, 2),))
    assert [(f.check, f.severity, f.level) for f in findings] == [("discipline", "blocking", cap)]
    expected = (
        "phải xếp loại Không hoàn thành nhiệm vụ"
        if cap == "KHTNV"
        else "chỉ được xếp loại tối đa Hoàn thành nhiệm vụ"
    )
    assert findings[0].message == (
        f"Đồng chí Lò Văn Pọm bị kỷ luật khiển trách ngày 02/04/{year}, nên {expected}."
    )
    assert findings[0].confidence_note == note
    assert findings[0].citation


@pytest.mark.parametrize("rs_id", RULESET_IDS)
def test_discipline_of_another_year_does_not_count(rs_id: str) -> None:
    year = YEAR[rs_id]
    assert judge(rs_id, "HTXSNV", disciplines=(disc(year - 1, 12, 30),)) == []


@pytest.mark.parametrize(
    ("rs_id", "excepted"),
    [("hd27-2014", False), ("qd132-2018", False), ("qd124-2023", True), ("qd366-2025", True)],
)
def test_self_detected_and_remedied_exception(rs_id: str, excepted: bool) -> None:
    year = YEAR[rs_id]
    findings = judge(rs_id, "HTTNV", disciplines=(disc(year, remedied=True),))
    assert (findings == []) is excepted
    # The exception never covers a discipline that was not self-detected and remedied.
    both = (disc(year, remedied=True), disc(year, 9, 1, DisciplineForm.WARNING))
    findings = judge(rs_id, "HTTNV", disciplines=both)
    assert len(of_check(findings, "discipline")) == 1
    if excepted:
        assert "cảnh cáo ngày 01/09" in findings[0].message
        assert "khiển trách" not in findings[0].message
    else:
        assert "2 lần (khiển trách ngày 05/03" in findings[0].message


def test_discipline_at_the_cap_is_no_finding() -> None:
    assert judge("qd132-2018", "KHTNV", disciplines=(disc(2020),)) == []
    assert judge("hd27-2014", "HTNV", disciplines=(disc(2017),)) == []


# R2 --------------------------------------------------------------------------------------


@pytest.mark.parametrize("rs_id", RULESET_IDS)
def test_degradation_and_tasks_below_half(rs_id: str) -> None:
    findings = judge(rs_id, "HTNV", degradation=True, tasks_below_half=True)
    assert [(f.check, f.level) for f in findings] == [
        ("degradation", "KHTNV"), ("degradation", "KHTNV"),
    ]  # fmt: skip
    assert "bị kết luận suy thoái" in findings[0].message
    assert findings[1].message == (
        "Đồng chí Lò Văn Pọm hoàn thành dưới 50% chỉ tiêu, nhiệm vụ được giao, nên phải xếp "
        "loại Không hoàn thành nhiệm vụ."
    )
    assert (findings[0].confidence_note is not None) is (rs_id in ("hd27-2014", "qd366-2025"))


# R3 --------------------------------------------------------------------------------------


@pytest.mark.parametrize("rs_id", RULESET_IDS)
def test_civil_servant(rs_id: str) -> None:
    civil = {"is_civil_servant": True}
    # HTXSNV needs the state HTXSNV.
    findings = judge(rs_id, "HTXSNV", state_level="HTTNV", **civil)
    assert [(f.check, f.severity, f.level) for f in findings] == [
        ("civil_servant", "blocking", "HTTNV")
    ]
    year = YEAR[rs_id]
    assert findings[0].message == (
        f"Đồng chí Lò Văn Pọm được xếp loại công chức năm {year} là Hoàn thành tốt nhiệm vụ, "
        "nên chỉ được xếp loại tối đa Hoàn thành tốt nhiệm vụ."
    )
    assert judge(rs_id, "HTXSNV", state_level="HTXSNV", **civil) == []
    assert judge(rs_id, "HTTNV", state_level="HTNV", **civil) == []
    # The state KHTNV makes the member KHTNV.
    findings = judge(rs_id, "HTNV", state_level="KHTNV", **civil)
    assert [(f.check, f.level) for f in findings] == [("civil_servant", "KHTNV")]
    # HTXSNV with no state rating known: a warning, not a guess.
    findings = judge(rs_id, "HTXSNV", **civil)
    assert [(f.check, f.severity, f.level) for f in findings] == [
        ("civil_servant", "warning", None)
    ]
    assert "kết quả xếp loại công chức năm" in findings[0].message
    assert "chưa có" in findings[0].message
    assert judge(rs_id, "HTTNV", **civil) == []
    # Not a civil servant: the state level does not matter.
    assert judge(rs_id, "HTXSNV", state_level="KHTNV") == []


# R4 --------------------------------------------------------------------------------------


def leave(year: int, *spans: tuple[int, int, int, int]) -> tuple[LeaveSpan, ...]:
    """Spans given as (first month, first day, last month, last day) of *year*."""
    return tuple(LeaveSpan(dt.date(year, a, b), dt.date(year, c, d)) for a, b, c, d in spans)


CAP_HTNV = "nên chỉ được xếp loại tối đa Hoàn thành nhiệm vụ."


@pytest.mark.parametrize("rs_id", RULESET_IDS)
def test_sick_leave_of_three_calendar_months(rs_id: str) -> None:
    """domain.md §3.3 R4: sick leave totalling ≥ 3 months in the year ⇒ not HTTNV or higher;
    1/2–30/4 is three calendar months."""
    year = YEAR[rs_id]
    findings = judge(rs_id, "HTTNV", sick_leave=leave(year, (2, 1, 4, 30)))
    assert [(f.check, f.severity, f.level) for f in findings] == [
        ("sick_leave", "blocking", "HTNV")
    ]
    assert findings[0].message == (
        f"Đồng chí Lò Văn Pọm nghỉ ốm 3 tháng trong năm {year} (từ 01/02/{year} đến "
        f"30/04/{year}), từ 3 tháng trở lên, {CAP_HTNV}"
    )


@pytest.mark.parametrize("rs_id", RULESET_IDS)
def test_sick_leave_one_day_short_of_three_months(rs_id: str) -> None:
    """domain.md §3.3 R4: 1/2–29/4 is two months and 29 days, not three months (90 days
    would have counted it under the old 30-days-a-month reading)."""
    year = YEAR[rs_id]
    assert judge(rs_id, "HTTNV", sick_leave=leave(year, (2, 1, 4, 29))) == []
    assert judge(rs_id, "HTNV", sick_leave=leave(year, (1, 1, 8, 31))) == []
    # Maternity leave is judged on the time worked: no cap.
    assert judge(rs_id, "HTXSNV", maternity_leave=leave(year, (1, 1, 6, 30))) == []


@pytest.mark.parametrize("rs_id", RULESET_IDS)
def test_separate_sick_leaves_add_up(rs_id: str) -> None:
    """domain.md §3.3 R4: the sick leave "totalling" three months: separate leaves in the
    year add up (January, March, 5/6–4/7 and 10 days: three months and ten days)."""
    year = YEAR[rs_id]
    spans = leave(year, (1, 1, 1, 31), (3, 1, 3, 31), (6, 5, 7, 14))
    findings = judge(rs_id, "HTXSNV", sick_leave=spans)
    assert [(f.check, f.level) for f in findings] == [("sick_leave", "HTNV")]
    assert findings[0].message == (
        f"Đồng chí Lò Văn Pọm nghỉ ốm 3 tháng 10 ngày trong năm {year} (từ 01/01/{year} "
        f"đến 31/01/{year}; từ 01/03/{year} đến 31/03/{year}; từ 05/06/{year} đến "
        f"14/07/{year}), từ 3 tháng trở lên, {CAP_HTNV}"
    )
    # Two months and 29 days over two leaves: not yet three months.
    assert judge(rs_id, "HTTNV", sick_leave=leave(year, (1, 1, 2, 28), (5, 1, 5, 29))) == []


def test_overlapping_and_touching_sick_leaves_are_joined() -> None:
    """domain.md §3.3 R4: a leave recorded twice, or continued the next day, counts once
    (1/2–28/2 then 1/3–30/4 is one leave of three months)."""
    findings = judge("qd366-2025", "HTTNV", sick_leave=leave(2025, (2, 1, 2, 28), (3, 1, 4, 30)))
    assert "nghỉ ốm 3 tháng trong năm 2025 (từ 01/02/2025 đến 30/04/2025)" in (findings[0].message)
    twice = leave(2025, (2, 1, 3, 31), (2, 15, 3, 31))
    assert judge("qd366-2025", "HTTNV", sick_leave=twice) == []


def test_sick_leave_months_parameter() -> None:
    """domain.md §3.3 R4: the number of months is a parameter of the rule set."""
    rs = copy_ruleset(ruleset("qd132-2018"), "x", "x", {"checks.sick_leave.params.months": 6})
    p = period([member(1, sick_leave=leave(2020, (1, 1, 6, 29)))], year=2020)
    assert validate(rs, p, {m(1): "HTTNV"}) == []
    p = period([member(1, sick_leave=leave(2020, (1, 1, 6, 30)))], year=2020)
    assert of_check(validate(rs, p, {m(1): "HTTNV"}), "sick_leave")[0].message == (
        "Đồng chí Lò Văn Pọm nghỉ ốm 6 tháng trong năm 2020 (từ 01/01/2020 đến 30/06/2020), "
        f"từ 6 tháng trở lên, {CAP_HTNV}"
    )


# R11 -------------------------------------------------------------------------------------


@pytest.mark.parametrize("rs_id", RULESET_IDS)
def test_two_years_khtnv_goes_to_screening(rs_id: str) -> None:
    rs, year = ruleset(rs_id), YEAR[rs_id]
    members = [
        member(1, previous_level="KHTNV"),
        member(2, previous_level="KHTNV"),
        member(3, previous_level="HTNV"),
    ]
    p = period(members, year=year)
    levels = {m(1): "KHTNV", m(2): "HTNV", m(3): "KHTNV"}
    findings = of_check(validate(rs, p, levels), "screening")
    assert [(f.subject, f.severity) for f in findings] == [(m(1), "warning")]
    assert findings[0].message == (
        f"Đồng chí Lò Văn Pọm năm {year - 1} và năm {year} đều xếp loại Không hoàn thành nhiệm "
        "vụ: chi bộ xem xét đưa vào danh sách đảng viên cần giáo dục, giúp đỡ, sàng lọc (bỏ phiếu "
        "kín, cần ít nhất 2/3 đảng viên chính thức tán thành)."
    )
    assert [x.member_id for x in screening_list(rs, p, levels)] == [1]
    assert blocking(validate(rs, p, levels)) == []


def test_disabled_check_is_not_run() -> None:
    rs = copy_ruleset(ruleset("qd132-2018"), "x", "x", {"checks.discipline.enabled": False})
    p = period([member(1, disciplines=(disc(2020),))], year=2020)
    assert validate(rs, p, {m(1): "HTTNV"}) == []
