"""The quota simulator says what the rule engine then does, for every shipped rule set."""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import pytest

from app.domain.rules import CellVoting, RuleSet, Subject, propose, quota
from app.services.procedure import appraisal, quota_simulator
from app.store.database import Database
from tests.unit.rules.helpers import (
    COMMUNE,
    RULESET_IDS,
    YEAR,
    cell,
    commune,
    m,
    member,
    o,
    period,
    ruleset,
    tally,
)

CELLS = (10, 11, 12)


def _without_quota(rs: RuleSet) -> RuleSet:
    return dataclasses.replace(rs, member_quota=None, org_quota=None, exemplary_quota=None)


def _commune_facts(rs: RuleSet):
    """Three cells of nine voters; every fourth member is voted to the top level with a
    share that differs member by member, the others to the second level."""
    top, second = rs.member_levels.codes[0], rs.member_levels.codes[1]
    org_top = rs.org_levels.codes[0]
    org_second = rs.org_levels.codes[1]
    members, votes = [], []
    number = 0
    for cell_id in CELLS:
        for _ in range(9):
            number += 1
            members.append(
                member(number, cell=cell_id, score_general=25.0 + number % 5, score_tasks=65.0,
                       all_tasks_on_time=True, tasks_exceeded_share=0.5,
                       shortcomings_remedied=True)
            )  # fmt: skip
            if number % 4 == 0:
                strong = 5 + number % 5  # 5..9 of 9 voters: different shares
                votes.append(tally(m(number), **{top: strong, second: 9 - strong}))
            else:
                votes.append(tally(m(number), **{second: 9}))
    orgs = [commune(), *(cell(cell_id) for cell_id in CELLS)]
    orgs += [cell(20 + i, parent=COMMUNE) for i in range(6)]
    for index, org in enumerate(orgs[1:]):
        level = org_top if index % 2 == 0 else org_second
        votes.append(tally(o(org.org_id), **{level: 9}))
    voting = [CellVoting(org.org_id, 9, 9) for org in orgs[1:]]
    return period(members, orgs, YEAR[rs.id], votes, voting)


# What the data above gives, worked out by hand. Members: 4, 8, 12, 16, 20 and 24 are voted
# to the top level by 9, 8, 7, 6, 5 and 9 of the 9 voters, the 21 others to the second level;
# 20% of 21 is 4,2, so 4 stay and the two with the fewest votes (16 and 20) fall out.
# Organisations: the nine under the commune alternate, 5 at the top level (10, 12, 21, 23,
# 25) and 4 at the second; the quota of 20% of 4 leaves none, but each one moved down joins
# the base: with four moved down, 20% of 8 lets the first (10) stay. hd27 has no quota on
# members or organisations, only on TSVM tiêu biểu: 20% of the 9 TSVM, 1, as a warning.
# (kind → enabled, enforced, allowed, used, base, kept, ids falling out)
Expected = tuple[bool, bool, int | None, int, int, int, tuple[int, ...]]
AFTER_2018: dict[str, Expected] = {
    "member": (True, True, 4, 6, 21, 4, (16, 20)),
    "org": (True, True, 0, 5, 4, 1, (12, 21, 23, 25)),
    "exemplary": (False, False, None, 5, 0, 5, ()),
}
EXPECTED: dict[str, dict[str, Expected]] = {
    "hd27-2014": {
        "member": (False, False, None, 6, 0, 6, ()),
        "org": (False, False, None, 5, 0, 5, ()),
        "exemplary": (True, False, 1, 5, 9, 1, (12, 21, 23, 25)),
    },
    "qd132-2018": AFTER_2018,
    "qd124-2023": AFTER_2018,
    "qd366-2025": AFTER_2018,
}


def test_every_shipped_rule_set_has_its_expected_figures() -> None:
    assert sorted(EXPECTED) == sorted(RULESET_IDS)


@pytest.mark.parametrize("rs_id", RULESET_IDS)
def test_the_simulator_gives_the_figures_worked_out_by_hand(rs_id: str) -> None:
    rs = ruleset(rs_id)
    facts = _commune_facts(rs)
    before = propose(_without_quota(rs), facts).levels
    for kind, expected in EXPECTED[rs_id].items():
        sim = quota_simulator.simulate(rs, facts, before, COMMUNE, kind)
        found = (
            sim.enabled, sim.enforced, sim.allowed, sim.used, sim.base_count, sim.kept,
            tuple(c.subject.id for c in sim.falls_out),
        )  # fmt: skip
        assert found == expected, kind


@pytest.mark.parametrize("rs_id", RULESET_IDS)
def test_the_simulator_matches_the_rule_engine(rs_id: str) -> None:
    rs = ruleset(rs_id)
    facts = _commune_facts(rs)
    before = propose(_without_quota(rs), facts).levels
    after = propose(rs, facts)
    for kind in ("member", "org", "exemplary"):
        rule = rs.quota_rule(kind)
        sim = quota_simulator.simulate(rs, facts, before, COMMUNE, kind)
        status = quota(rs, facts, before, COMMUNE, kind)
        assert sim.allowed == status.allowed
        assert sim.used == status.used
        if rule is None or not rule.enabled:
            assert not sim.enabled and not sim.falls_out
            continue
        assert sim.base_count == status.base_count
        assert sim.used > sim.kept, "the data must put the scope over its quota"
        # The engine's trims: a finding per subject moved down to the base level.
        trimmed = {
            f.subject
            for f in after.findings
            if f.check == f"{kind}_quota" and f.level == rule.base_level
        }
        limited = rs.scale(kind).get(rule.level).code
        kept_by_engine = {
            s for s, level in after.levels.items()
            if level == limited and s.kind == ("member" if kind == "member" else "org")
        }  # fmt: skip
        if sim.enforced:
            assert {c.subject for c in sim.falls_out} == trimmed
            assert {c.subject for c in sim.candidates if c.kept} == kept_by_engine
            final = quota(rs, facts, after.levels, COMMUNE, kind)
            assert final.used == sim.kept and final.over == 0
        else:  # a warning only: the engine moves nobody, the simulator says who would go
            assert not trimmed and len(kept_by_engine) == sim.used
        # The words state the rate, the base, the rounding and the citation.
        assert f"{sim.base_count} " in sim.basis and "làm tròn" in sim.basis
        assert rule.citation in sim.sentence


def test_candidates_are_ranked_by_vote_share_then_score() -> None:
    rs = ruleset("qd366-2025")
    facts = _commune_facts(rs)
    before = propose(_without_quota(rs), facts).levels
    sim = quota_simulator.simulate(rs, facts, before, COMMUNE, "member")
    ranked = [c.subject.id for c in sim.candidates]
    # 4 and 24: 9/9 and the same score; then 8/9, 7/9, 6/9, 5/9.
    assert set(ranked[:2]) == {4, 24} and ranked[2:] == [8, 12, 16, 20]
    assert [c.kept for c in sim.candidates] == [True] * 4 + [False] * 2
    assert [c.votes for c in sim.candidates[1:3]] == ["9/9 (100%)", "8/9 (88,89%)"]


def test_what_if_adding_and_removing_candidates() -> None:
    rs = ruleset("qd132-2018")
    facts = _commune_facts(rs)
    before = propose(_without_quota(rs), facts).levels
    base = quota_simulator.simulate(rs, facts, before, COMMUNE, "member")
    last = base.falls_out[-1].subject
    first_kept = base.candidates[0].subject
    # Taking the strongest candidate back to HTTNV raises the base and lets another stay.
    fewer = quota_simulator.simulate(
        rs, facts, before, COMMUNE, "member", changes={first_kept: "HTTNV"}
    )
    assert fewer.base_count == base.base_count + 1
    assert len(fewer.candidates) == len(base.candidates) - 1
    words = quota_simulator.change_words(base, fewer)
    assert "không còn phải chuyển xuống" in words or "số được phép" in words
    # Removing a falling-out candidate's level altogether takes them off the list.
    removed = quota_simulator.simulate(rs, facts, before, COMMUNE, "member", changes={last: None})
    assert last not in {c.subject for c in removed.candidates}


def test_the_demo_commune_in_appraisal_and_at_a_cell_vote(full_demo_db: Database) -> None:
    decided = dict(
        full_demo_db.read(
            "SELECT e.decided_level, count(*) FROM member_evaluations e "
            "JOIN evaluation_periods p ON p.id = e.period_id "
            "WHERE p.year = 2025 AND e.evaluated GROUP BY 1"
        )
    )
    commune_input = quota_simulator.commune_input(full_demo_db, 2025)
    sim = commune_input.run()
    # HTXSNV at most 20% of the commune's HTTNV, rounded down.
    assert (sim.enabled, sim.base_count) == (True, decided["HTTNV"])
    assert (sim.allowed, sim.used) == (decided["HTTNV"] // 5, decided["HTXSNV"])
    assert "Đảng bộ xã Na Tông" in sim.basis and "làm tròn xuống" in sim.basis
    assert sim.used <= sim.allowed  # a decided year keeps the quota
    assert len(sim.candidates) == decided["HTXSNV"]
    # Every decided HTXSNV member is a candidate; lowering one frees a place.
    first = sim.candidates[0]
    after = commune_input.run({first.subject: "HTTNV"})
    assert after.used == sim.used - 1
    assert isinstance(first.subject, Subject)


def _votes_against_scores(rs: RuleSet):
    """The commune above, but the two candidates with the fewest votes (16 and 20) have the
    best scores: trimming by score alone would keep them."""
    facts = _commune_facts(rs)
    members = tuple(
        dataclasses.replace(
            x, score_general=30.0 if x.member_id in (16, 20) else 20.0, score_tasks=70.0
        )
        for x in facts.members
    )
    return dataclasses.replace(facts, members=members)


@pytest.mark.parametrize("rs_id", ["qd132-2018", "qd124-2023", "qd366-2025"])
def test_appraisal_suggestion_and_simulator_trim_the_same_people(rs_id: str) -> None:
    """domain.md §3.2 (HTXSNV ≤ 20% of HTTNV, floored): the appraisal page's suggestion and
    the quota simulator trim the same proposals by the same rule, the vote share for HTXSNV
    first, then the rule set's tie-break (score, name), through ``quota.trim_choice``."""
    rs = ruleset(rs_id)
    facts = _votes_against_scores(rs)
    proposals = dict(propose(_without_quota(rs), facts).levels)
    suggestion = appraisal._suggestion(rs, SimpleNamespace(facts=facts), proposals)
    for kind in ("member", "org"):
        rule = rs.quota_rule(kind)
        assert rule is not None and rule.enabled and rule.severity == "blocking"
        sim = quota_simulator.simulate(rs, facts, proposals, COMMUNE, kind)
        trimmed_by_appraisal = {
            s
            for s, level in proposals.items()
            if s.kind == kind and level == rule.level and suggestion.levels[s] != rule.level
        }
        assert trimmed_by_appraisal == {c.subject for c in sim.falls_out}, kind
    # The members with the fewest votes go, although their scores are the best.
    member_sim = quota_simulator.simulate(rs, facts, proposals, COMMUNE, "member")
    assert [c.subject.id for c in member_sim.falls_out] == [16, 20]
    assert suggestion.levels[m(16)] == suggestion.levels[m(20)] == "HTTNV"
    assert suggestion.levels[m(8)] == "HTXSNV"
