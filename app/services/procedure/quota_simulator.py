"""The quota simulator: how many HTXSNV the commune may have, on what base,
at what rate and rounding, stated in words with the rule set's citation; the candidates in
the order the rule engine keeps them (share of votes for the level, then score, then name);
who falls out; and what a change (a candidate added or removed, a level changed) does.

The numbers are the rule engine's own (``quota_status`` and ``trim_choice``, the trim of
``propose`` and so of the appraisal's suggestion), so the simulator never tells the committee
something the checks then contradict. It informs; the committee decides.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from sqlalchemy import select

from app.domain.formatting import format_decimal, format_int, format_percent
from app.domain.rules import PeriodFacts, RuleSet, Subject, propose
from app.domain.rules.context import Context
from app.domain.rules.quota import quota_status, trim_choice
from app.domain.rules.schema import ratio_text
from app.domain.rules.sections import ROUNDINGS
from app.domain.rules.votes import VoteOutcome, period_outcomes
from app.services.periods import facts
from app.services.periods import rule_sets as rulesets
from app.services.periods.lifecycle import find
from app.services.periods.validation import current_levels
from app.store.database import Database
from app.store.models import Member

Changes = Mapping[Subject, str | None]  # a subject's level in the what-if (None: no level)


@dataclass(frozen=True)
class Candidate:
    subject: Subject
    name: str
    cell_name: str
    votes: str  # "6/9 (66,7%)" for the limited level, "" without a tally
    share: Fraction
    score: float | None
    kept: bool


@dataclass(frozen=True)
class Simulation:
    kind: str  # "member" or "org"
    scope_id: int
    scope_name: str
    level: str  # the limited level's short name, "HTXSNV"
    enabled: bool
    enforced: bool  # a blocking quota: the engine moves the surplus down
    base_count: int
    allowed: int | None  # on the levels as they are
    kept: int  # how many may stay once those falling out count at the base level
    used: int
    basis: str  # the base, rate and rounding in words
    citation: str
    confidence_note: str | None
    candidates: tuple[Candidate, ...]

    @property
    def falls_out(self) -> tuple[Candidate, ...]:
        return tuple(c for c in self.candidates if not c.kept)

    @property
    def sentence(self) -> str:
        """The whole statement: "… được tối đa 86 HTXSNV (căn cứ: …)"."""
        if not self.enabled:
            return f"Bộ quy tắc này không giới hạn số {self.level}."
        return f"{self.basis} (căn cứ: {self.citation})."


def simulate(
    rs: RuleSet,
    period: PeriodFacts,
    levels: Mapping[Subject, str],
    scope_id: int,
    kind: str = "member",
    names: Mapping[int, str] | None = None,
    outcomes: Mapping[Subject, VoteOutcome] | None = None,
    changes: Changes | None = None,
) -> Simulation:
    """The quota of *kind* in *scope_id* on *levels* with *changes* applied (pure)."""
    wanted = dict(levels)
    for subject, level in (changes or {}).items():
        if level is None:
            wanted.pop(subject, None)
        else:
            wanted[subject] = level
    names = names or {}
    outcomes = outcomes if outcomes is not None else period_outcomes(rs, period)
    ctx = Context(rs, period, wanted)
    status = quota_status(ctx, kind, scope_id)
    rule = rs.quota_rule(kind)
    scale = rs.scale(kind)
    scope_name = names.get(scope_id, "")
    short = scale.get(status.level).short
    if rule is None or not rule.enabled:
        return Simulation(kind, scope_id, scope_name, short, False, False, 0, None,
                          status.used, status.used, "", status.citation, None, ())  # fmt: skip
    choice = trim_choice(ctx, kind, scope_id, wanted, outcomes)
    assert choice is not None  # the rule is enabled
    chosen, kept = choice.candidates, choice.kept
    candidates = []
    for index, s in enumerate(chosen):
        outcome = outcomes.get(s)
        votes = ""
        if outcome is not None and outcome.denominator:
            count = outcome.counts.get(rule.level, 0)
            votes = f"{count}/{outcome.denominator} ({format_percent(count, outcome.denominator)})"
        if s.kind == "member":
            m = ctx.members[s.id]
            name, cell = m.full_name, names.get(m.cell_id, "")
            score = (
                m.score_general + m.score_tasks
                if m.score_general is not None and m.score_tasks is not None
                else None
            )
        else:
            o = ctx.orgs[s.id]
            name, cell, score = o.name, names.get(o.parent_id or 0, ""), o.score
        candidates.append(
            Candidate(s, name, cell, votes, outcome.share(rule.level) if outcome else Fraction(0),
                      score, index < kept)
        )  # fmt: skip
    base_short = scale.get(rule.base_level).name
    better = " trở lên" if rule.base == "httnv_or_better" else ""
    who = "đảng viên" if kind == "member" else "tổ chức đảng"
    exact = rule.rate * status.base_count
    basis = (
        f"{ratio_text(rule.rate)} của {format_int(status.base_count)} {who} xếp loại "
        f"{base_short}{better} trong {scope_name or 'phạm vi tính'} = "
        f"{format_decimal(float(exact), 2)}; {ROUNDINGS[rule.rounding]}: được tối đa "
        f"{format_int(status.allowed or 0)} {short}"
    )
    return Simulation(
        kind, scope_id, scope_name, short, True, rule.severity == "blocking",
        status.base_count, status.allowed, kept, status.used, basis, rule.citation,
        status.confidence_note, tuple(candidates),
    )  # fmt: skip


@dataclass(frozen=True)
class SimulatorInput:
    """What a simulation runs on, kept so that a what-if reruns without the database."""

    ruleset: RuleSet
    period: PeriodFacts
    levels: Mapping[Subject, str]
    scope_id: int
    names: Mapping[int, str]
    outcomes: Mapping[Subject, VoteOutcome]
    people: Mapping[int, str]  # member id → name, for the what-if lists

    def run(self, changes: Changes | None = None, kind: str = "member") -> Simulation:
        # Members are counted in the grassroots organisation; organisations among those
        # under it (the commune's cells): the same scope id either way.
        return simulate(self.ruleset, self.period, self.levels, self.scope_id, kind,
                        self.names, self.outcomes, changes)  # fmt: skip


def _load(db: Database, year: int, cell_id: int | None) -> SimulatorInput:
    with db.session() as session:
        period = find(session, year)
        rs = rulesets.from_snapshot(period.ruleset_snapshot, period.year)
        records = facts.build(session, period)
        levels = current_levels(session, period)
        people = dict(
            session.execute(
                select(Member.id, Member.full_name).where(
                    Member.id.in_([m.member_id for m in records.facts.members])
                )
            ).all()
        )
    tree = records.tree
    outcomes = period_outcomes(rs, records.facts)
    if cell_id is not None:
        # Before the vote is settled: the cell's members at what the vote and the caps give
        # (the proposal where one is recorded), the other cells at their current levels.
        local = dataclasses.replace(
            records.facts,
            members=tuple(m for m in records.facts.members if m.cell_id == cell_id),
        )
        without_quota = dataclasses.replace(
            rs, member_quota=None, org_quota=None, exemplary_quota=None
        )
        suggested = propose(without_quota, local).levels
        for subject, level in suggested.items():
            if subject.kind == "member":
                levels.setdefault(subject, level)
        scope = tree.grassroots_of(cell_id)
    else:
        roots = [r for r in tree.roots() if tree.is_grassroots(r)] or tree.roots()
        scope = roots[0]
    known = {m.member_id for m in records.facts.members}
    levels = {s: lvl for s, lvl in levels.items() if s.kind != "member" or s.id in known}
    return SimulatorInput(rs, records.facts, levels, scope, records.org_names, outcomes, people)


def commune_input(db: Database, year: int) -> SimulatorInput:
    """The commune's quota on the levels recorded (decided, else proposed) during appraisal."""
    return _load(db, year, None)


def cell_input(db: Database, year: int, cell_id: int) -> SimulatorInput:
    """The quota as a cell sees it at its vote: its own members at what the vote gives."""
    return _load(db, year, cell_id)


def change_words(before: Simulation, after: Simulation) -> str:
    """What a change does, in one or two sentences."""
    parts = []
    if before.allowed != after.allowed:
        parts.append(
            f"số được phép đổi từ {format_int(before.allowed or 0)} thành "
            f"{format_int(after.allowed or 0)} (căn cứ {format_int(after.base_count)} người)"
        )
    old = {c.subject for c in before.falls_out}
    new = {c.subject for c in after.falls_out}
    names = {c.subject: c.name for c in (*before.candidates, *after.candidates)}
    if new - old:
        parts.append("thêm người phải chuyển xuống: " + ", ".join(names[s] for s in new - old))
    if old - new:
        parts.append("không còn phải chuyển xuống: " + ", ".join(names[s] for s in old - new))
    if not parts:
        return "Thay đổi này không làm thay đổi số được phép và danh sách phải chuyển xuống."
    return "Nếu thay đổi: " + "; ".join(parts) + "."
