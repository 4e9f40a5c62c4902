"""Periods: the rule set they keep, the frozen roster, the facts read from the records."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from app.domain.rules import adjust_ruleset, copy_ruleset
from app.domain.rules.leave import LeaveSpan
from app.domain.vocabulary import PeriodKind
from app.services.common.errors import ServiceError
from app.services.periods import facts
from app.services.periods import lifecycle as periods
from app.services.periods import rule_sets as rulesets
from app.services.roster.members import list_members, set_exemption
from app.store.database import Database
from app.store.models import MemberPeriod, OrgEvaluation


def test_a_period_keeps_the_rule_set_it_was_created_with(any_db: Database) -> None:
    base = rulesets.get("qd366-2025")
    copy = copy_ruleset(base, "qd366-dienbien", "QĐ 366 — Điện Biên", {"member_quota.rate": 0.25})
    rulesets.save_copy(copy)
    periods.create_period(any_db, 2026, rulesets.get("qd366-dienbien"), dt.date(2026, 12, 31))
    assert periods.ruleset_of(any_db, 2026).member_quota.rate == pytest.approx(0.25)
    # The province changes its copy again; the period keeps what it was judged by.
    rulesets.save_copy(adjust_ruleset(copy, {"member_quota.rate": 0.3}))
    assert rulesets.get("qd366-dienbien").member_quota.rate == pytest.approx(0.3)
    assert periods.ruleset_of(any_db, 2026).member_quota.rate == pytest.approx(0.25)
    assert periods.get_period(any_db, 2026).ruleset_name == "QĐ 366 — Điện Biên"


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


def test_the_roster_is_frozen_with_eligibility(any_db: Database) -> None:
    rows = list_members(any_db)
    exempt = next(r for r in rows if r.is_exempt)
    info = periods.create_period(any_db, 2026, rulesets.get("qd366-2025"), dt.date(2026, 12, 31))
    assert info.opens_on == dt.date(2026, 10, 1) and info.closes_on == dt.date(2027, 3, 31)
    roster = {e.member_id: e for e in periods.roster(any_db, 2026)}
    assert len(roster) == len(rows)
    assert not roster[exempt.id].evaluated and not roster[exempt.id].votes
    assert roster[exempt.id].reason_label == "Miễn sinh hoạt"
    probationary = [e for e in roster.values() if e.probationary and e.evaluated]
    assert probationary and not any(e.votes for e in probationary)
    with pytest.raises(ServiceError, match="Đã có kỳ đánh giá năm 2026"):
        periods.create_period(any_db, 2026, rulesets.get("qd366-2025"), dt.date(2026, 12, 31))
    with pytest.raises(ServiceError, match="không áp dụng cho năm 2016"):
        periods.create_period(any_db, 2016, rulesets.get("qd366-2025"), dt.date(2016, 12, 31))


def test_refreeze_picks_up_a_correction(any_db: Database) -> None:
    periods.create_period(any_db, 2026, rulesets.get("qd366-2025"), dt.date(2026, 12, 31))
    entry = next(e for e in periods.roster(any_db, 2026) if e.evaluated and not e.party_post)
    set_exemption(any_db, entry.member_id, dt.date(2026, 9, 1), "Ốm nặng")
    assert next(e for e in periods.roster(any_db, 2026) if e.member_id == entry.member_id).evaluated
    periods.refreeze_cell(any_db, 2026, entry.cell_id)
    again = next(e for e in periods.roster(any_db, 2026) if e.member_id == entry.member_id)
    assert not again.evaluated and again.reason_label == "Miễn sinh hoạt"


def test_facts_carry_leave_spans_within_the_year(any_db: Database) -> None:
    """domain.md §3.3 R4: the sick leave of the year reaches the rules as its spans (last
    day included), so the rule can count calendar months."""
    periods.create_period(any_db, 2026, rulesets.get("qd366-2025"), dt.date(2026, 12, 31))
    with any_db.session() as session:
        sick = session.query(MemberPeriod).filter_by(kind=PeriodKind.SICK_LEAVE).first()
        assert sick is not None
        period = periods.find(session, 2026)
        records = facts.build(session, period)
        member = next(m for m in records.facts.members if m.member_id == sick.member_id)
        assert LeaveSpan(sick.start_on, sick.end_on) in member.sick_leave
        heads = [m for m in records.facts.members if m.heads_org_id is not None]
        # Each cell's secretary heads the cell; the commune's secretary, whose party home is
        # a cell, heads the commune (the cell's parent).
        cells = [m for m in heads if m.heads_org_id == m.cell_id]
        commune = [m for m in heads if m.heads_org_id != m.cell_id]
        assert len(cells) > 10 and len(commune) == 1
        assert commune[0].heads_org_id == records.tree.grassroots_of(commune[0].cell_id)


def test_leave_is_cut_at_the_year_and_an_open_leave_runs_to_the_reference_date(
    any_db: Database,
) -> None:
    """domain.md §3.3 R4: only the sick leave within the evaluated year counts; a period's
    last day is included and a leave still running counts to the reference date; separate
    leaves reach the rule as separate spans, which it adds up in calendar months."""
    periods.create_period(any_db, 2026, rulesets.get("qd366-2025"), dt.date(2026, 11, 30))
    with any_db.session() as session:
        period = periods.find(session, 2026)
        member_id = facts.build(session, period).facts.members[0].member_id
        session.query(MemberPeriod).filter_by(member_id=member_id).delete()
        session.add_all(
            [
                MemberPeriod(
                    member_id=member_id, kind=PeriodKind.SICK_LEAVE,
                    start_on=dt.date(2025, 11, 1), end_on=dt.date(2026, 1, 31),
                ),
                MemberPeriod(
                    member_id=member_id, kind=PeriodKind.SICK_LEAVE,
                    start_on=dt.date(2026, 10, 1), end_on=None,
                ),
                MemberPeriod(
                    member_id=member_id, kind=PeriodKind.SICK_LEAVE,
                    start_on=dt.date(2024, 3, 1), end_on=dt.date(2024, 9, 30),
                ),
            ]
        )  # fmt: skip
        session.flush()
        member = next(
            m for m in facts.build(session, period).facts.members if m.member_id == member_id
        )
        assert member.sick_leave == (
            LeaveSpan(dt.date(2026, 1, 1), dt.date(2026, 1, 31)),
            LeaveSpan(dt.date(2026, 10, 1), dt.date(2026, 11, 30)),
        )
        assert member.maternity_leave == ()


def test_the_late_share_of_tasks_reaches_the_rules(any_db: Database) -> None:
    """domain.md §3.1 (QĐ 366 collective HTNV: tasks behind schedule ≤ 20%): the share the
    window saves on the organisation's evaluation is a fact of the organisation; unknown
    stays None."""
    periods.create_period(any_db, 2026, rulesets.get("qd366-2025"), dt.date(2026, 12, 31))
    with any_db.session() as session:
        period = periods.find(session, 2026)
        evaluation = session.scalars(
            select(OrgEvaluation).where(
                OrgEvaluation.period_id == period.id, OrgEvaluation.subject == "org"
            )
        ).first()
        assert evaluation is not None
        evaluation.tasks_late_share = 0.25
        session.flush()
        orgs = {o.org_id: o for o in facts.build(session, period).facts.organizations}
        assert orgs[evaluation.org_id].tasks_late_share == 0.25
        assert any(o.tasks_late_share is None for o in orgs.values())
