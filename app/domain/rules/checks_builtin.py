"""The checks every rule set runs from its sections rather than from its ``[[checks]]`` list:
eligibility, the score model, the quotas, the meeting's quorum and the vote tallies.

Their findings carry the check names "eligibility", "score", "member_quota", "org_quota",
"exemplary_quota", "quorum" and "vote". Quorum and tally problems are always warnings: no
level resolves them (the cell must hold the meeting or count again), and the commune decides.
"""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction

from app.domain.formatting import format_date, format_decimal, format_percent
from app.domain.rules.context import Context
from app.domain.rules.errors import TallyError
from app.domain.rules.facts import MemberFacts, OrgFacts, Subject
from app.domain.rules.findings import (
    Finding,
    cap_phrase,
    collective_name,
    confidence_note,
    member_name,
)
from app.domain.rules.model import ScoreModel, Section
from app.domain.rules.quota import quota_status, scopes
from app.domain.rules.schema import ratio_text
from app.domain.rules.sections import CONDITIONS
from app.domain.rules.votes import read_tally, vote_denominator, voters_phrase

REASON_PARAM = {
    "suspended": "suspended_not_classified",
    "new_member": "new_member_months",
    "new_org": "new_org_months",
}


def subject_name(ctx: Context, subject: Subject) -> str:
    if subject.kind == "member":
        return member_name(ctx.members[subject.id])
    org = ctx.orgs[subject.id]
    return collective_name(org) if subject.kind == "collective" else org.name


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _note(section: Section, param: str | None = None) -> str | None:
    return confidence_note(section.confidence_of(param) if param else section.confidence)


def eligibility_findings(ctx: Context) -> Iterator[Finding]:
    """A level given to somebody the rule set does not classify."""
    rule, ref = ctx.rs.eligibility, ctx.period.reference_date
    for subject in sorted(ctx.levels):
        elig = ctx.subject_eligibility(subject)
        if elig.evaluated:
            continue
        who = subject_name(ctx, subject)
        if elig.reason == "exempt":
            why = "đang được miễn công tác và sinh hoạt đảng"
        elif elig.reason == "suspended":
            why = "đang bị đình chỉ sinh hoạt đảng"
        elif elig.reason == "new_member":
            admitted = ctx.members[subject.id].admitted_on
            why = (
                f"mới kết nạp ngày {format_date(admitted)}, chưa đủ {rule.new_member_months} "
                f"tháng tính đến ngày {format_date(ref)}"
            )
        else:
            established = ctx.orgs[subject.id].established_on
            why = (
                f"{'thuộc tổ chức ' if subject.kind == 'collective' else ''}mới thành lập ngày "
                f"{format_date(established)}, chưa đủ {rule.new_org_months} tháng tính đến "
                f"ngày {format_date(ref)}"
            )
        yield Finding(
            "blocking",
            subject,
            "eligibility",
            None,
            f"{who} {why}, nên không xếp loại (ghi “Không xếp loại — {elig.reason_label}”).",
            rule.citation,
            _note(rule, REASON_PARAM.get(elig.reason or "")),
        )


# The score model --------------------------------------------------------------------------


def score_total(model: ScoreModel, facts: MemberFacts | OrgFacts) -> float | None:
    """The subject's score, or None when a part is missing (never guessed)."""
    general, tasks = facts.score_general, facts.score_tasks
    if not model.parts and isinstance(facts, OrgFacts) and facts.score is not None:
        return facts.score
    if general is None or tasks is None:
        return None
    return general + tasks


def score_problem(model: ScoreModel, facts: MemberFacts | OrgFacts) -> str | None:
    """Why the score cannot be used (a part out of range), or None."""
    if model.parts:
        for value, top, label in (
            (facts.score_general, model.general_max, "tiêu chí chung"),
            (facts.score_tasks, model.tasks_max, "kết quả thực hiện nhiệm vụ"),
        ):
            if value is not None and top is not None and not 0 <= value <= top:
                shown = format_decimal(value)
                return f"điểm phần {label} ({shown}) ngoài khoảng 0–{format_decimal(top)}"
    total = score_total(model, facts)
    if total is not None and not 0 <= total <= model.total_max:
        return (
            f"tổng điểm ({format_decimal(total)}) ngoài khoảng 0–{format_decimal(model.total_max)}"
        )
    return None


def score_threshold(model: ScoreModel, codes: tuple[str, ...], code: str) -> float:
    """The points *code* needs: its own threshold, else that of the next worse level that
    has one; the lowest level needs none."""
    for candidate in codes[codes.index(code) :]:
        if candidate in model.thresholds:
            return model.thresholds[candidate]
    return 0.0


def condition_value(model: ScoreModel, facts: MemberFacts | OrgFacts, name: str) -> bool | None:
    if name == "all_tasks_on_time":
        return facts.all_tasks_on_time
    if name == "shortcomings_remedied":
        return facts.shortcomings_remedied
    share = facts.tasks_exceeded_share
    return None if share is None else Fraction(repr(float(share))) >= model.exceeded_share


def score_level(
    model: ScoreModel, codes: tuple[str, ...], facts: MemberFacts | OrgFacts
) -> str | None:
    """The best level the score and the known conditions allow (None without a score)."""
    total = score_total(model, facts)
    if total is None:
        return None
    for code in codes:
        if total < score_threshold(model, codes, code):
            continue
        if any(condition_value(model, facts, c) is False for c in model.conditions.get(code, ())):
            continue
        return code
    return codes[-1]


def score_findings(ctx: Context) -> Iterator[Finding]:
    model = ctx.rs.score
    if model is None or not model.enabled:
        return
    for subject in sorted(ctx.levels):
        if subject.kind not in model.applies_to or not ctx.subject_eligibility(subject).evaluated:
            continue
        facts = ctx.members[subject.id] if subject.kind == "member" else ctx.orgs[subject.id]
        yield from _score_subject(ctx, model, subject, facts)


def _score_subject(
    ctx: Context, model: ScoreModel, subject: Subject, facts: MemberFacts | OrgFacts
) -> Iterator[Finding]:
    scale = ctx.scale(subject)
    given = ctx.levels[subject]
    who = subject_name(ctx, subject)

    def warn(message: str) -> Finding:
        return Finding("warning", subject, "score", None, message, model.citation, _note(model))

    if given == scale.lowest.code:
        return
    problem = score_problem(model, facts)
    total = score_total(model, facts)
    detail = f" {facts.score_detail}" if facts.score_detail else ""
    if problem or total is None:
        missing = problem or "chưa có điểm chấm"
        yield warn(
            f"{who}: {missing}, nên chưa đối chiếu được mức {scale.get(given).name}.{detail}"
        )
        return
    allowed = score_level(model, scale.codes, facts)
    assert allowed is not None
    points = format_decimal(total)
    if scale.is_above(given, allowed):
        need = score_threshold(model, scale.codes, given)
        if total < need:
            why = (
                f"{who} đạt {points} điểm, dưới {format_decimal(need)} điểm cần cho mức "
                f"{scale.get(given).name}"
            )
        else:
            failed = [
                CONDITIONS[c]
                for c in model.conditions.get(given, ())
                if condition_value(model, facts, c) is False
            ]
            why = f"{who} đạt {points} điểm nhưng chưa {'; chưa '.join(failed)}"
        yield Finding(
            model.severity,
            subject,
            "score",
            allowed,
            f"{why}, nên {cap_phrase(scale, allowed)}.{detail}",
            model.citation,
            _note(model),
        )
        return
    unknown = [
        CONDITIONS[c]
        for c in model.conditions.get(given, ())
        if condition_value(model, facts, c) is None
    ]
    if unknown:
        share = (
            f" (từ {ratio_text(model.exceeded_share)})"
            if "tasks_exceeded" in model.conditions.get(given, ())
            else ""
        )
        yield warn(
            f"Chưa có thông tin “{'”, “'.join(unknown)}”{share} của {lower_first(who)} "
            f"để xác nhận mức {scale.get(given).name}."
        )


# Quotas, quorum, tallies -------------------------------------------------------------------


def quota_findings(ctx: Context) -> Iterator[Finding]:
    for kind in ("member", "org", "exemplary"):
        rule = ctx.rs.quota_rule(kind)
        if rule is None or not rule.enabled:
            continue
        for scope in scopes(ctx, kind):
            status = quota_status(ctx, kind, scope)
            if status.over:
                short = ctx.rs.scale(kind).get(rule.level).short
                message = (
                    f"{ctx.orgs[scope].name} có {status.used} {short}, vượt mức tối đa "
                    f"{status.allowed} ({status.basis})."
                )
                yield Finding(
                    rule.severity,
                    Subject("org", scope),
                    f"{kind}_quota",
                    rule.level,
                    message,
                    rule.citation,
                    status.confidence_note,
                )


def quorum_findings(ctx: Context) -> Iterator[Finding]:
    rule = ctx.rs.quorum
    for voting in ctx.period.voting:
        cell = ctx.orgs.get(voting.cell_id)
        if cell is None or voting.official_not_exempt <= 0:
            continue
        present, total = voting.present_official, voting.official_not_exempt
        share = Fraction(present, total)
        if share > rule.share if rule.strict else share >= rule.share:
            continue
        need = f"{'quá' if rule.strict else 'từ'} {ratio_text(rule.share)}"
        message = (
            f"Hội nghị {cell.name} chỉ có {present}/{total} đảng viên chính thức có mặt "
            f"({format_percent(present, total)}), chưa {need}; cần xem lại tính hợp lệ của "
            "hội nghị."
        )
        yield Finding(
            "warning",
            Subject("org", cell.org_id),
            "quorum",
            None,
            message,
            rule.citation,
            _note(rule),
        )


def voting_cell(ctx: Context, subject: Subject) -> int:
    return ctx.members[subject.id].cell_id if subject.kind == "member" else subject.id


def tally_findings(ctx: Context) -> Iterator[Finding]:
    """Tallies that cannot be read; ``vote_outcome`` would raise on them."""
    rs = ctx.rs
    for tally in ctx.period.votes:
        subject = tally.subject
        known = ctx.members if subject.kind == "member" else ctx.orgs
        if subject.id not in known or not ctx.subject_eligibility(subject).evaluated:
            continue
        problem = tally_problem(ctx, subject)
        if problem:
            yield Finding(
                "warning",
                subject,
                "vote",
                None,
                f"Phiếu biểu quyết cho {lower_first(subject_name(ctx, subject))}: {problem}.",
                rs.vote.citation,
                None,
            )


def tally_problem(ctx: Context, subject: Subject) -> str | None:
    tally = ctx.tallies[subject]
    voting = ctx.voting.get(voting_cell(ctx, subject))
    if voting is None:
        return "chưa có số đảng viên chính thức của chi bộ để tính tỷ lệ"
    try:
        read_tally(
            ctx.scale(subject), tally, vote_denominator(ctx.rs, voting), voters_phrase(ctx.rs)
        )
    except TallyError as error:
        return lower_first(str(error))
    return None
