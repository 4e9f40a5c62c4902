"""Last year's shortcomings carried over; an HTXSNV proposal without a
recorded remedy is a finding under qd366-2025 only."""

from __future__ import annotations

import pytest

from app.domain.rules import copy_ruleset, propose, validate
from app.domain.rules.checks_carry import remedy_reminders
from tests.unit.rules.helpers import RULESET_IDS, YEAR, m, member, of_check, period, ruleset

LAST_YEAR = "Chưa tham gia đầy đủ sinh hoạt chi bộ (vắng 2 buổi)."


def carried(rs_id: str, level: str, **fields) -> list:
    p = period([member(1, **fields)], year=YEAR[rs_id])
    return of_check(validate(ruleset(rs_id), p, {m(1): level}), "carried_shortcomings")


def test_htxsnv_without_a_remedy_of_last_years_shortcomings_is_a_finding_under_qd366() -> None:
    findings = carried("qd366-2025", "HTXSNV", previous_shortcomings=LAST_YEAR)
    assert [(f.severity, f.level) for f in findings] == [("warning", "HTTNV")]
    assert findings[0].message == (
        "Đồng chí Lò Văn Pọm được đề nghị Hoàn thành xuất sắc nhiệm vụ nhưng hạn chế, khuyết "
        "điểm được chỉ ra năm 2024 (“Chưa tham gia đầy đủ sinh hoạt chi bộ (vắng 2 buổi).”) "
        "chưa được ghi kết quả khắc phục, nên chỉ được xếp loại tối đa Hoàn thành tốt nhiệm vụ."
    )
    assert findings[0].citation.startswith("Quy định 366-QĐ/TW")


@pytest.mark.parametrize(
    ("level", "fields"),
    [
        ("HTXSNV", {"previous_shortcomings": LAST_YEAR, "remedy": "Đã dự đủ 12 buổi sinh hoạt."}),
        ("HTXSNV", {"previous_shortcomings": ""}),
        ("HTTNV", {"previous_shortcomings": LAST_YEAR}),
    ],
)
def test_no_finding_with_a_remedy_without_shortcomings_or_below_the_top(
    level: str, fields: dict
) -> None:
    assert carried("qd366-2025", level, **fields) == []


@pytest.mark.parametrize("rs_id", [r for r in RULESET_IDS if r != "qd366-2025"])
def test_earlier_regimes_do_not_run_the_check(rs_id: str) -> None:
    assert carried(rs_id, "HTXSNV", previous_shortcomings=LAST_YEAR) == []


def test_a_copy_that_makes_it_blocking_lowers_the_proposal() -> None:
    strict = copy_ruleset(
        ruleset("qd366-2025"),
        "qd366-nghiem",
        "Bản sao nghiêm",
        {"checks.carried_shortcomings.severity": "blocking", "member_quota.enabled": False},
    )
    lone = member(1, previous_shortcomings=LAST_YEAR, self_level="HTXSNV")
    assert propose(strict, period([lone])).levels[m(1)] == "HTTNV"
    remedied = member(
        1, previous_shortcomings=LAST_YEAR, remedy="Đã khắc phục.", self_level="HTXSNV"
    )
    assert propose(strict, period([remedied])).levels[m(1)] == "HTXSNV"


def test_the_step_reminder_names_each_member_without_a_remedy() -> None:
    people = [
        member(1, previous_shortcomings=LAST_YEAR),
        member(2, previous_shortcomings=LAST_YEAR, remedy="Đã khắc phục."),
        member(3),
    ]
    found = remedy_reminders(2026, people)
    assert [(f.subject, f.severity, f.check) for f in found] == [
        (m(1), "warning", "remedy_missing")
    ]
    assert found[0].message == (
        "Đồng chí Lò Văn Pọm: chưa ghi kết quả khắc phục hạn chế năm 2025 "
        "(“Chưa tham gia đầy đủ sinh hoạt chi bộ (vắng 2 buổi).”)."
    )
