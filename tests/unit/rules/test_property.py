"""Property: the levels ``propose`` returns never break a blocking rule of the rule set."""

from __future__ import annotations

import datetime as dt
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain.rules import (
    CellVoting,
    DisciplineFact,
    MemberFacts,
    OrgFacts,
    PeriodFacts,
    RuleSet,
    Subject,
    VoteTally,
    copy_ruleset,
    propose,
    quota,
    validate,
)
from app.domain.rules.leave import LeaveSpan
from app.domain.vocabulary import DisciplineForm, OrgKind
from tests.unit.rules.helpers import NAMES, RULESET_IDS, ruleset

YEAR = 2025  # the engine judges any year; one year keeps "disciplines in the year" simple
REF = dt.date(YEAR, 12, 31)

dates = st.dates(dt.date(YEAR - 3, 1, 1), dt.date(YEAR, 12, 31))
maybe_bool = st.none() | st.booleans()
rarely = st.integers(0, 3).map(lambda x: x == 0)
level_index = st.none() | st.integers(0, 4)  # an index into the subject's scale (4: the 5th)
disciplines = st.lists(
    st.builds(DisciplineFact, dates, st.sampled_from(list(DisciplineForm)), st.booleans()),
    max_size=2,
).map(tuple)
year_days = st.dates(dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31))
leaves = st.lists(
    st.tuples(year_days, year_days).map(lambda ab: LeaveSpan(min(ab), max(ab))), max_size=3
).map(tuple)
parts = st.tuples(st.none() | st.floats(0, 30), st.none() | st.floats(0, 70))


@st.composite
def member_facts(draw, member_id: int, cell_id: int, heads: bool, on_collective: bool) -> dict:
    admitted = draw(st.dates(dt.date(1990, 1, 1), dt.date(YEAR, 12, 1)))
    official = draw(st.none() | st.dates(admitted, dt.date(YEAR + 1, 6, 1)))
    general, tasks = draw(parts)
    return dict(
        member_id=member_id, full_name=draw(st.sampled_from(NAMES)), cell_id=cell_id,
        admitted_on=admitted, official_on=official,
        exempt=draw(rarely), suspended=draw(rarely),
        disciplines=draw(disciplines), sick_leave=draw(leaves),
        maternity_leave=draw(leaves),
        is_civil_servant=draw(st.booleans()), degradation=draw(st.booleans()),
        tasks_below_half=draw(st.booleans()),
        heads_org_id=cell_id if heads else None,
        collective_org_id=cell_id if on_collective else None,
        score_general=general, score_tasks=tasks,
        all_tasks_on_time=draw(maybe_bool),
        tasks_exceeded_share=draw(st.none() | st.floats(0, 1)),
        shortcomings_remedied=draw(maybe_bool),
        _state=draw(level_index), _self=draw(level_index), _previous=draw(level_index),
    )  # fmt: skip


@st.composite
def org_facts(draw, org_id: int, kind: OrgKind, parent: int | None, grassroots: bool) -> dict:
    general, tasks = draw(parts)
    return dict(
        org_id=org_id, name=f"Tổ chức {org_id}", kind=kind, parent_id=parent,
        established_on=draw(st.none() | st.dates(dt.date(2020, 1, 1), REF)),
        is_grassroots=grassroots, disciplines=draw(disciplines),
        collective_disciplines=draw(disciplines), disunity=draw(st.booleans()),
        tasks_below_half=draw(st.booleans()), government_lowest=draw(st.booleans()),
        mass_orgs_lowest=draw(st.integers(0, 3)),
        score_general=general, score_tasks=tasks,
        score=draw(st.none() | st.floats(0, 100)),
        all_tasks_on_time=draw(maybe_bool),
        tasks_exceeded_share=draw(st.none() | st.floats(0, 1)),
        shortcomings_remedied=draw(maybe_bool),
        member_degradation_disciplined=draw(st.booleans()),
        _self=draw(level_index),
    )  # fmt: skip


counts = st.lists(st.integers(0, 4), min_size=5, max_size=5)


@st.composite
def communes(draw) -> dict:
    """A commune (grassroots), 1–3 cells under it, maybe a partial committee with a cell."""
    orgs = [draw(org_facts(1, OrgKind.COMMITTEE, None, True))]
    cells = list(range(10, 10 + draw(st.integers(1, 3))))
    orgs += [draw(org_facts(i, OrgKind.CELL, 1, False)) for i in cells]
    if draw(st.booleans()):
        orgs.append(draw(org_facts(2, OrgKind.PARTIAL_COMMITTEE, 1, False)))
        orgs.append(draw(org_facts(20, OrgKind.CELL, 2, False)))
        cells.append(20)
    members = []
    next_id = 1
    for cell_id in cells:
        size = draw(st.integers(1, 6))
        for index in range(size):
            members.append(draw(member_facts(next_id, cell_id, index == 0, index == 1)))
            next_id += 1
    tallies = []
    subjects = [("member", x["member_id"]) for x in members]
    subjects += [("org", x["org_id"]) for x in orgs] + [("collective", x["org_id"]) for x in orgs]
    for kind, subject_id in subjects:
        if draw(st.integers(0, 3)):  # most subjects have a tally
            tallies.append((kind, subject_id, draw(counts)))
    voting = []
    for cell_id in [x["org_id"] for x in orgs]:
        if draw(st.integers(0, 5)):
            official = draw(st.integers(0, 12))
            voting.append(CellVoting(cell_id, official, draw(st.integers(0, official))))
    return {"orgs": orgs, "members": members, "tallies": tallies, "voting": voting}


def pick(scale_codes: tuple[str, ...], index: int | None) -> str | None:
    return None if index is None or index >= len(scale_codes) else scale_codes[index]


def build(rs: RuleSet, world: dict) -> PeriodFacts:
    """The random world with level codes of *rs*'s own scales."""
    member_codes, org_codes = rs.member_levels.codes, rs.org_levels.codes
    members = []
    for raw in world["members"]:
        data = {k: v for k, v in raw.items() if not k.startswith("_")}
        members.append(
            MemberFacts(
                **data,
                state_level=pick(member_codes, raw["_state"]),
                self_level=pick(member_codes, raw["_self"]),
                previous_level=pick(member_codes, raw["_previous"]),
            )
        )
    orgs = []
    for raw in world["orgs"]:
        data = {k: v for k, v in raw.items() if not k.startswith("_")}
        orgs.append(OrgFacts(**data, self_level=pick(org_codes, raw["_self"])))
    votes = []
    for kind, subject_id, numbers in world["tallies"]:
        codes = member_codes if kind == "member" else org_codes
        votes.append(VoteTally(Subject(kind, subject_id), dict(zip(codes, numbers, strict=False))))
    return PeriodFacts(YEAR, REF, tuple(members), tuple(orgs), tuple(votes), tuple(world["voting"]))


def check(rs: RuleSet, period: PeriodFacts) -> None:
    result = propose(rs, period)
    findings = validate(rs, period, result.levels)
    assert [f for f in findings if f.severity == "blocking"] == [], [
        f.message for f in findings if f.severity == "blocking"
    ]
    # Nobody the rule set does not classify gets a level.
    assert not [f for f in findings if f.check == "eligibility"]
    # The quota meter agrees: nothing over any blocking quota.
    for kind, rule in (("member", rs.member_quota), ("org", rs.org_quota)):
        if rule is not None and rule.enabled and rule.severity == "blocking":
            assert quota(rs, period, result.levels, 1, kind).over == 0


# Under `make mutate` (mutmut names the mutant in MUTANT_UNDER_TEST) each mutant runs these
# again: fewer examples, the same ones every time.
MUTATING = "MUTANT_UNDER_TEST" in os.environ
SETTINGS = settings(
    max_examples=12 if MUTATING else 60,
    derandomize=MUTATING,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@SETTINGS
@given(communes())
def test_propose_never_breaks_a_blocking_rule(world: dict) -> None:
    for rs_id in RULESET_IDS:
        rs = ruleset(rs_id)
        check(rs, build(rs, world))


# Adjusted copies keep the property: every check blocking, the exemplary quota blocking,
# hd27 with its score and member quota on, thresholds changed.
ADJUSTED = {
    "hd27-2014": {
        "score.enabled": True, "member_quota.enabled": True,
        "exemplary_quota.severity": "blocking", "checks.head_not_above_unit.severity": "blocking",
    },
    "qd132-2018": {
        "vote.thresholds.HTXSNV": "2/3", "vote.strict": False, "member_quota.rounding": "half_up",
        "checks.head_not_above_unit.severity": "blocking", "org_quota.base": "httnv_or_better",
    },
    "qd366-2025": {
        "member_quota.scope": "cell", "vote.cascade": False,
        "checks.org_fail_share.params.org_kinds": ["chi_bo", "dang_bo"],
        "checks.head_not_above_unit.severity": "blocking",
    },
}  # fmt: skip


@SETTINGS
@given(communes())
def test_propose_respects_adjusted_copies(world: dict) -> None:
    for rs_id, changes in ADJUSTED.items():
        rs = copy_ruleset(ruleset(rs_id), "ban-sao", "Bản sao", changes)
        check(rs, build(rs, world))
