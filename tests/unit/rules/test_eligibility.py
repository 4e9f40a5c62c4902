"""Who is classified and who votes; months counted inclusively."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.rules import (
    Eligibility,
    copy_ruleset,
    eligibility,
    has_months,
    months_complete_on,
    org_eligibility,
    validate,
)
from app.domain.rules.eligibility import is_probationary
from tests.unit.rules.helpers import RULESET_IDS, cell, commune, m, member, o, period, ruleset

REF = dt.date(2025, 12, 31)


@pytest.mark.parametrize(
    ("start", "months", "done"),
    [
        (dt.date(2025, 7, 1), 6, dt.date(2025, 12, 31)),
        (dt.date(2025, 7, 2), 6, dt.date(2026, 1, 1)),
        (dt.date(2025, 6, 30), 6, dt.date(2025, 12, 29)),
        (dt.date(2025, 8, 31), 6, dt.date(2026, 2, 28)),  # 31/02 does not exist
        (dt.date(2023, 8, 31), 6, dt.date(2024, 2, 29)),  # leap year
        (dt.date(2025, 1, 1), 12, dt.date(2025, 12, 31)),
        (dt.date(2025, 3, 15), 3, dt.date(2025, 6, 14)),
    ],
)
def test_months_complete_on(start: dt.date, months: int, done: dt.date) -> None:
    assert months_complete_on(start, months) == done
    assert has_months(start, months, done)
    assert not has_months(start, months, done - dt.timedelta(days=1))


@given(st.dates(dt.date(1990, 1, 1), dt.date(2100, 1, 1)), st.integers(1, 60))
def test_more_months_never_finish_sooner(start: dt.date, months: int) -> None:
    assert months_complete_on(start, months) < months_complete_on(start, months + 1)
    assert months_complete_on(start, months) >= start


@pytest.mark.parametrize("rs_id", RULESET_IDS)
def test_cell_established_1_july_is_classified_on_31_december(rs_id: str) -> None:
    rs = ruleset(rs_id)
    new = cell(20, "Chi bộ Công an xã", established_on=dt.date(2025, 7, 1))
    newer = cell(21, "Chi bộ Quân sự xã", established_on=dt.date(2025, 7, 2))
    p = period([member(1)], [commune(), cell(), new, newer])
    assert org_eligibility(rs, p, new).evaluated
    late = org_eligibility(rs, p, newer)
    assert not late.evaluated
    assert late.reason == "new_org"
    assert late.reason_label == "Mới thành lập dưới 6 tháng"


@pytest.mark.parametrize("rs_id", RULESET_IDS)
def test_member_cases(rs_id: str) -> None:
    rs = ruleset(rs_id)
    p = period([member(1)])
    official = eligibility(rs, p, member(1))
    assert (official.evaluated, official.votes, official.reason) == (True, True, None)

    probationary = eligibility(rs, p, member(2, admitted_on=dt.date(2025, 1, 10), official_on=None))
    assert (probationary.evaluated, probationary.votes, probationary.probationary) == (
        True,
        False,
        True,
    )
    official_later = member(2, admitted_on=dt.date(2024, 1, 10), official_on=dt.date(2026, 1, 10))
    assert eligibility(rs, p, official_later).votes is False

    exempt = eligibility(rs, p, member(3, exempt=True))
    assert (exempt.evaluated, exempt.votes, exempt.reason_label) == (False, False, "Miễn sinh hoạt")

    suspended = eligibility(rs, p, member(4, suspended=True))
    assert (suspended.evaluated, suspended.reason_label) == (False, "Đình chỉ sinh hoạt")

    fresh = eligibility(rs, p, member(5, admitted_on=dt.date(2025, 7, 2), official_on=None))
    assert (fresh.evaluated, fresh.votes, fresh.reason) == (False, False, "new_member")
    assert fresh.reason_label == "Mới kết nạp dưới 6 tháng"
    six = eligibility(rs, p, member(6, admitted_on=dt.date(2025, 7, 1), official_on=None))
    assert six.evaluated and not six.votes


def test_suspended_member_classified_when_the_rule_set_says_so() -> None:
    rs = copy_ruleset(
        ruleset("qd366-2025"), "x", "x", {"eligibility.suspended_not_classified": False}
    )
    result = eligibility(rs, period([member(1)]), member(1, suspended=True))
    assert result.evaluated and not result.votes


def test_new_member_months_parameter() -> None:
    rs = copy_ruleset(ruleset("qd366-2025"), "x", "x", {"eligibility.new_member_months": 3})
    p = period([member(1)])
    assert eligibility(
        rs, p, member(1, admitted_on=dt.date(2025, 10, 1), official_on=None)
    ).evaluated
    result = eligibility(rs, p, member(1, admitted_on=dt.date(2025, 10, 2), official_on=None))
    assert result.reason_label == "Mới kết nạp dưới 3 tháng"


def test_level_for_not_classified_member_is_blocking() -> None:
    rs = ruleset("qd132-2018")
    fresh = member(2, admitted_on=dt.date(2020, 9, 1), official_on=None)
    p = period([member(1, exempt=True), fresh], year=2020)
    findings = validate(rs, p, {m(1): "HTTNV", m(2): "HTTNV"})
    assert [(f.check, f.severity, f.level) for f in findings] == [
        ("eligibility", "blocking", None), ("eligibility", "blocking", None),
    ]  # fmt: skip
    assert findings[0].message == (
        "Đồng chí Lò Văn Pọm đang được miễn công tác và sinh hoạt đảng, nên không xếp loại "
        "(ghi “Không xếp loại — Miễn sinh hoạt”)."
    )
    assert findings[1].message == (
        "Đồng chí Giàng A Páo mới kết nạp ngày 01/09/2020, chưa đủ 6 tháng tính đến ngày "
        "31/12/2020, nên không xếp loại (ghi “Không xếp loại — Mới kết nạp dưới 6 tháng”)."
    )
    assert findings[0].citation == "Hướng dẫn 21-HD/BTCTW ngày 18/10/2019"
    assert findings[0].confidence_note is None


def test_confidence_note_follows_the_reason() -> None:
    rs = ruleset("hd27-2014")
    p = period([member(1, exempt=True), member(2, suspended=True)], year=2017)
    notes = [f.confidence_note for f in validate(rs, p, {m(1): "HTNV", m(2): "HTNV"})]
    assert notes[0] is not None and notes[0].startswith("Theo cách làm phổ biến")
    assert notes[1] is not None and notes[1].startswith("Theo thực tiễn địa phương")


def test_new_cell_and_its_collective_are_not_classified() -> None:
    rs = ruleset("qd366-2025")
    new = cell(20, "Chi bộ Trạm Y tế", established_on=dt.date(2025, 9, 1))
    p = period([member(1)], [commune(), cell(), new])
    findings = validate(rs, p, {o(20): "HTTNV"})
    assert findings[0].message.startswith(
        "Chi bộ Trạm Y tế mới thành lập ngày 01/09/2025, chưa đủ 6 tháng tính đến ngày 31/12/2025"
    )
    assert findings[0].confidence_note is not None  # new_org_months is "likely" under QĐ 366


def test_months_are_counted_to_the_day_before_the_same_date() -> None:
    start = dt.date(2025, 1, 31)
    # The last day of a month: two months on, 31 March closes them at 30 March.
    assert months_complete_on(start, 2) == dt.date(2025, 3, 30)
    # February has no 31st: one month on is its last day.
    assert months_complete_on(start, 1) == dt.date(2025, 2, 28)
    # No months (or fewer): done the day before it starts.
    assert months_complete_on(start, 0) == dt.date(2025, 1, 30)
    assert months_complete_on(start, -3) == dt.date(2025, 1, 30)


def test_a_member_made_official_on_the_reference_date_is_official() -> None:
    on = dt.date(2025, 12, 31)
    assert not is_probationary(member(1, official_on=on), on)
    assert is_probationary(member(1, official_on=on + dt.timedelta(days=1)), on)
    assert is_probationary(member(1, official_on=None), on)


def test_a_new_organisation_is_neither_classified_nor_voting_and_says_why() -> None:
    rs = ruleset("qd366-2025")
    facts = period([member(1)])
    young = cell(established_on=dt.date(2025, 10, 1))
    assert org_eligibility(rs, facts, young) == Eligibility(
        False, False, "new_org", rs.reason_label("new_org")
    )
    assert rs.reason_label("new_org")
    assert org_eligibility(rs, facts, cell()) == Eligibility(True, False)
