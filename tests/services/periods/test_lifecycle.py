"""Periods: the rule set they keep, the frozen roster, the facts read from the records."""

from __future__ import annotations

import datetime as dt

import pytest

from app.domain.rules import adjust_ruleset, copy_ruleset
from app.domain.vocabulary import PeriodKind
from app.services.common.errors import ServiceError
from app.services.periods import facts
from app.services.periods import lifecycle as periods
from app.services.periods import rule_sets as rulesets
from app.services.roster.members import list_members, set_exemption
from app.store.database import Database
from app.store.models import MemberPeriod


def test_a_period_keeps_the_rule_set_it_was_created_with(demo_db: Database) -> None:
    base = rulesets.get("qd366-2025")
    copy = copy_ruleset(base, "qd366-dienbien", "QĐ 366 — Điện Biên", {"member_quota.rate": 0.25})
    rulesets.save_copy(copy)
    periods.create_period(demo_db, 2026, rulesets.get("qd366-dienbien"), dt.date(2026, 12, 31))
    assert periods.ruleset_of(demo_db, 2026).member_quota.rate == pytest.approx(0.25)
    # The province changes its copy again; the period keeps what it was judged by.
    rulesets.save_copy(adjust_ruleset(copy, {"member_quota.rate": 0.3}))
    assert rulesets.get("qd366-dienbien").member_quota.rate == pytest.approx(0.3)
    assert periods.ruleset_of(demo_db, 2026).member_quota.rate == pytest.approx(0.25)
    assert periods.get_period(demo_db, 2026).ruleset_name == "QĐ 366 — Điện Biên"


def test_a_copy_may_not_take_a_shipped_id() -> None:
    with pytest.raises(ServiceError, match="bộ quy tắc có sẵn"):
        rulesets.save_copy(rulesets.get("qd132-2018"))


def test_a_broken_user_copy_is_reported_with_file_and_key() -> None:
    broken = rulesets.user_rulesets_dir() / "hong.toml"
    broken.write_text('format = 1\nid = "hong"\nname = "Hỏng"\nfirst_year = "năm nay"\n', "utf-8")
    try:
        found, errors = rulesets.available()
        assert "qd366-2025" in found and "hong" not in found
        [error] = [e for e in errors if "hong.toml" in str(e)]
        assert "first_year" in str(error) and "Tệp quy tắc “hong.toml”" in str(error)
    finally:
        broken.unlink()


def test_the_roster_is_frozen_with_eligibility(demo_db: Database) -> None:
    rows = list_members(demo_db)
    exempt = next(r for r in rows if r.is_exempt)
    info = periods.create_period(demo_db, 2026, rulesets.get("qd366-2025"), dt.date(2026, 12, 31))
    assert info.opens_on == dt.date(2026, 10, 1) and info.closes_on == dt.date(2027, 3, 31)
    roster = {e.member_id: e for e in periods.roster(demo_db, 2026)}
    assert len(roster) == len(rows)
    assert not roster[exempt.id].evaluated and not roster[exempt.id].votes
    assert roster[exempt.id].reason_label == "Miễn sinh hoạt"
    probationary = [e for e in roster.values() if e.probationary and e.evaluated]
    assert probationary and not any(e.votes for e in probationary)
    with pytest.raises(ServiceError, match="Đã có kỳ đánh giá năm 2026"):
        periods.create_period(demo_db, 2026, rulesets.get("qd366-2025"), dt.date(2026, 12, 31))
    with pytest.raises(ServiceError, match="không áp dụng cho năm 2016"):
        periods.create_period(demo_db, 2016, rulesets.get("qd366-2025"), dt.date(2016, 12, 31))


def test_refreeze_picks_up_a_correction(demo_db: Database) -> None:
    periods.create_period(demo_db, 2026, rulesets.get("qd366-2025"), dt.date(2026, 12, 31))
    entry = next(e for e in periods.roster(demo_db, 2026) if e.evaluated and not e.party_post)
    set_exemption(demo_db, entry.member_id, dt.date(2026, 9, 1), "Ốm nặng")
    assert next(
        e for e in periods.roster(demo_db, 2026) if e.member_id == entry.member_id
    ).evaluated
    periods.refreeze_cell(demo_db, 2026, entry.cell_id)
    again = next(e for e in periods.roster(demo_db, 2026) if e.member_id == entry.member_id)
    assert not again.evaluated and again.reason_label == "Miễn sinh hoạt"


def test_facts_count_leave_days_within_the_year(demo_db: Database) -> None:
    periods.create_period(demo_db, 2026, rulesets.get("qd366-2025"), dt.date(2026, 12, 31))
    with demo_db.session() as session:
        sick = session.query(MemberPeriod).filter_by(kind=PeriodKind.SICK_LEAVE).first()
        assert sick is not None
        expected = (sick.end_on - sick.start_on).days + 1
        period = periods.find(session, 2026)
        records = facts.build(session, period)
        member = next(m for m in records.facts.members if m.member_id == sick.member_id)
        assert member.sick_leave_days == expected
        heads = [m for m in records.facts.members if m.heads_org_id is not None]
        assert heads and all(m.heads_org_id == m.cell_id for m in heads)
