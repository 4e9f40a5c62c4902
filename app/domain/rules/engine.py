"""Validate a set of levels, and propose levels, under a rule set.

``propose`` works in four steps, each explained by findings:

1. a base level per classified subject: the cell's vote when there is a tally (a vote where
   no level passes leaves the subject without a level: the commune decides); without a
   tally, the subject's self-assessed level; without one, the level its score gives (where
   the rule set scores it); else none;
2. every blocking check lowers the level to the highest level it allows, repeated until no
   check lowers anything (a lower member level can lower the cell's);
3. the blocking quotas trim the surplus at the limited level in each scope to the base level,
   keeping the higher vote share for the limited level, then the higher total score, then
   Vietnamese name order (``quota.trim_choice``, which the quota simulator uses too);
4. steps 2–3 again until nothing changes; then the warnings on the final levels.

So ``validate`` on the proposed levels never returns a blocking finding.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from app.domain.formatting import format_decimal, format_percent
from app.domain.rules import (  # noqa: F401  (registers)
    checks_carry,
    checks_member,
    checks_org,
    checks_quarters,
)
from app.domain.rules.checks_builtin import (
    eligibility_findings,
    lower_first,
    quorum_findings,
    quota_findings,
    score_findings,
    score_level,
    score_total,
    subject_name,
    tally_findings,
    voting_cell,
)
from app.domain.rules.checks_member import screening_members
from app.domain.rules.context import Context
from app.domain.rules.errors import TallyError
from app.domain.rules.facts import MemberFacts, PeriodFacts, Subject
from app.domain.rules.findings import Finding
from app.domain.rules.frozen import FrozenMap
from app.domain.rules.model import RuleSet
from app.domain.rules.quota import quota_status, scopes, trim_choice
from app.domain.rules.registry import REGISTRY
from app.domain.rules.schema import ratio_text
from app.domain.rules.sections import ROUNDINGS
from app.domain.rules.votes import VoteOutcome, vote_outcome

QUOTA_CHECKS = frozenset({"member_quota", "org_quota", "exemplary_quota"})
_MAX_ROUNDS = 100  # levels only fall, so a handful of rounds suffice; this only guards bugs


def run_checks(ctx: Context) -> list[Finding]:
    findings: list[Finding] = []
    findings += eligibility_findings(ctx)
    findings += score_findings(ctx)
    for spec in ctx.rs.checks:
        if spec.enabled:
            findings += REGISTRY[spec.name].fn(spec, ctx)
    findings += quota_findings(ctx)
    findings += quorum_findings(ctx)
    findings += tally_findings(ctx)
    return findings


def validate(rs: RuleSet, period: PeriodFacts, levels: Mapping[Subject, str]) -> list[Finding]:
    """Every check of *rs* applied to *levels* (proposed or decided): blocking findings are
    rules broken, warnings things to look at. Subjects without a level are not judged.
    Raises ValueError for a level code *rs* lacks or a subject not in *period*."""
    return run_checks(Context(rs, period, levels))


@dataclass(frozen=True)
class Proposal:
    """The levels the engine proposes (classified subjects that got one), the findings that
    explain every cap and trim (and the warnings on the result), a sentence per subject on
    where its level came from, and the vote outcomes read."""

    levels: Mapping[Subject, str]
    findings: tuple[Finding, ...]
    reasons: Mapping[Subject, str] = field(default_factory=FrozenMap)
    votes: Mapping[Subject, VoteOutcome] = field(default_factory=FrozenMap)


def _subjects(ctx: Context) -> Iterator[Subject]:
    for cell_members in ctx.by_cell.values():
        for m in cell_members:
            yield Subject("member", m.member_id)
    for org_id in ctx.orgs:
        yield Subject("org", org_id)
    for subject in ctx.tallies:
        if subject.kind == "collective" and subject.id in ctx.orgs:
            yield subject


def _vote_warning(ctx: Context, subject: Subject, text: str) -> Finding:
    return Finding("warning", subject, "vote", None, text, ctx.rs.vote.citation, None)


def _base(
    ctx: Context, subject: Subject, outcomes: dict[Subject, VoteOutcome], notes: list[Finding]
) -> tuple[str | None, str]:
    """Step 1: the base level of *subject* and the sentence saying where it came from."""
    rs, scale = ctx.rs, ctx.scale(subject)
    who = subject_name(ctx, subject)
    tally = ctx.tallies.get(subject)
    if tally is not None:
        voting = ctx.voting.get(voting_cell(ctx, subject))
        if voting is None:
            # Worded as validate's tally check words it, so the two findings are one.
            text = (
                f"Phiếu biểu quyết cho {lower_first(who)}: chưa có số đảng viên chính thức "
                "của chi bộ để tính tỷ lệ."
            )
            notes.append(_vote_warning(ctx, subject, text))
            return None, text
        try:
            outcome = vote_outcome(rs, tally, voting)
        except TallyError as error:
            text = f"Phiếu biểu quyết cho {lower_first(who)}: {lower_first(str(error))}."
            notes.append(_vote_warning(ctx, subject, text))
            return None, text
        outcomes[subject] = outcome
        if outcome.level is None:
            text = f"{who}: {lower_first(outcome.explanation)}"
            notes.append(_vote_warning(ctx, subject, text))
        explanation = outcome.explanation.rstrip(".")
        return outcome.level, f"Biểu quyết — {explanation}."
    if subject.kind == "collective":
        return None, "Chưa có kết quả biểu quyết."
    facts = ctx.members[subject.id] if subject.kind == "member" else ctx.orgs[subject.id]
    if facts.self_level is not None:
        if facts.self_level in scale:
            return facts.self_level, f"Theo mức tự nhận: {scale.get(facts.self_level).name}."
        notes.append(
            _vote_warning(
                ctx, subject, f"{who}: mức tự nhận “{facts.self_level}” không có trong bộ quy tắc."
            )
        )
    model = rs.score
    if model is not None and model.enabled and subject.kind in model.applies_to:
        level = score_level(model, scale.codes, facts)
        total = score_total(model, facts)
        if level is not None and total is not None:
            detail = f" {facts.score_detail}" if facts.score_detail else ""
            points = f"{format_decimal(total)} điểm → {scale.get(level).name}"
            return level, f"Theo điểm: {points}.{detail}"
    return None, "Chưa có biểu quyết, mức tự nhận hay điểm."


def _trim(
    ctx: Context, levels: dict[Subject, str], outcomes: Mapping[Subject, VoteOutcome]
) -> list[Finding]:
    """Step 3 on *levels* in place; returns the findings of the subjects moved down."""
    moved: list[Finding] = []
    for kind in ("member", "org", "exemplary"):
        rule = ctx.rs.quota_rule(kind)
        if rule is None or not rule.enabled or rule.severity != "blocking":
            continue
        scale = ctx.rs.scale(kind)
        for scope in scopes(ctx, kind):
            choice = trim_choice(ctx, kind, scope, levels, outcomes)
            if choice is None or not choice.trimmed:
                continue
            candidates, kept, trimmed = choice.candidates, choice.kept, choice.trimmed
            for s in trimmed:
                levels[s] = rule.base_level
            after = quota_status(ctx.with_levels(levels), kind, scope)
            short = scale.get(rule.level).short
            base_short = scale.get(rule.base_level).short
            better = " trở lên" if rule.base == "httnv_or_better" else ""
            limit = (
                f"{short} không quá {ratio_text(rule.rate)} số {base_short}{better}, "
                f"{ROUNDINGS[rule.rounding]}: {kept} {short} với {after.base_count} {base_short}"
            )
            for s in trimmed:
                outcome = outcomes.get(s)
                votes = (
                    f"tỷ lệ phiếu {short} ({outcome.counts.get(rule.level, 0)}/"
                    f"{outcome.denominator}, {format_percent(outcome.share(rule.level))})"
                    if outcome and outcome.denominator
                    else "tỷ lệ phiếu (không có phiếu)"
                )
                message = (
                    f"{subject_name(ctx, s)}: {ctx.orgs[scope].name} có {len(candidates)} đề "
                    f"xuất {short} nhưng chỉ giữ được {kept} ({limit}); xếp sau theo {votes}, "
                    f"điểm và thứ tự tên, nên chuyển xuống {scale.get(rule.base_level).name}."
                )
                moved.append(
                    Finding(
                        rule.severity,
                        s,
                        f"{kind}_quota",
                        rule.base_level,
                        message,
                        rule.citation,
                        after.confidence_note,
                    )
                )
    return moved


def propose(
    rs: RuleSet, period: PeriodFacts, trim_votes: Mapping[Subject, VoteOutcome] | None = None
) -> Proposal:
    """The levels the engine proposes for *period* under *rs* (see the module docstring).
    *trim_votes*: vote outcomes the quota's trim order reads for subjects whose base level
    did not come from a tally of *period* (the appraisal starts from the cells' proposals
    but keeps by the votes those proposals came from)."""
    ctx = Context(rs, period, {})
    levels: dict[Subject, str] = {}
    reasons: dict[Subject, str] = {}
    outcomes: dict[Subject, VoteOutcome] = {}
    findings: list[Finding] = []
    for subject in _subjects(ctx):
        elig = ctx.subject_eligibility(subject)
        if not elig.evaluated:
            reasons[subject] = f"Không xếp loại: {elig.reason_label}."
            continue
        level, reasons[subject] = _base(ctx, subject, outcomes, findings)
        if level is not None:
            levels[subject] = level
    base = dict(levels)
    seen: set[Finding] = set(findings)
    for _ in range(_MAX_ROUNDS):
        changed = False
        current = ctx.with_levels(levels)
        for f in run_checks(current):
            if not f.blocking or f.level is None or f.check in QUOTA_CHECKS:
                continue
            if f.subject not in levels:
                continue
            scale = current.scale(f.subject)
            if scale.is_above(current.levels[f.subject], f.level):
                levels[f.subject] = scale.worse(levels[f.subject], f.level)
                changed = True
                if f not in seen:
                    seen.add(f)
                    findings.append(f)
        if changed:
            continue
        trimmed = _trim(ctx.with_levels(levels), levels, {**(trim_votes or {}), **outcomes})
        findings += trimmed
        seen.update(trimmed)
        if not trimmed:
            break
    for f in run_checks(ctx.with_levels(levels)):
        if f not in seen:
            seen.add(f)
            findings.append(f)
    for subject, level in levels.items():
        if level != base.get(subject):
            scale = rs.scale(subject.kind)
            reasons[subject] += f" Sau khi đối chiếu quy định: {scale.get(level).name}."
    return Proposal(FrozenMap(levels), tuple(findings), FrozenMap(reasons), FrozenMap(outcomes))


def screening_list(
    rs: RuleSet, period: PeriodFacts, levels: Mapping[Subject, str]
) -> list[MemberFacts]:
    """Members at the lowest level last year (``previous_level``) and again in *levels*
    (R11; HD 02-HD/BTCTW 2021), in name order."""
    ctx = Context(rs, period, levels)
    spec = rs.check("screening")
    code = spec.params["level"] if spec is not None else rs.member_levels.lowest.code
    return screening_members(ctx, code)
