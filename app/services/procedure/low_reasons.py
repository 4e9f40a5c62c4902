"""Recording why a level is low or capped.

When a proposal or a decision puts a subject at a low level (HTNV or worse) or below what it
asked for, the reason code of the rule set is stored in ``low_level_reason``: filled in from
the rule engine where one of its checks caps the subject exactly there (discipline, sick
leave, score, the quota …), else the one the user chose from the rule set's list. A level
the rule set lists under ``required_for`` is refused without a reason. The column holds the
reason of the current stage (the decision once there is one, else the proposal).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.rules import MemberFacts, PeriodFacts, RuleSet, Subject, quota
from app.domain.rules.low_reasons import (
    engine_reason,
    is_low,
    needs_reason,
    reason,
    reason_text,
    reasons_for,
)
from app.domain.vocabulary import AuditAction
from app.services.common.errors import ServiceError
from app.services.periods import facts
from app.services.periods.validation import current_levels
from app.services.procedure.levels import evaluation_row
from app.services.safekeeping import audit
from app.store.models import EvaluationPeriod, MemberEvaluation, OrgEvaluation


class ReasonMissing(ServiceError):
    """A low level the rule set does not accept without a reason."""


def choices(rs: RuleSet, kind: str) -> list[tuple[str, str]]:
    """(code, "R1: Bị kỷ luật trong năm") for a combo box, in the rule set's order."""
    return [(r.code, reason_text(rs, r.code)) for r in reasons_for(rs, kind)]


def _quota_trimmed(
    session: Session, period: EvaluationPeriod, rs: RuleSet, subject: Subject, level: str
) -> bool:
    """Whether *subject* at the quota's limited level would put its scope over the quota."""
    rule = rs.quota_rule("member" if subject.kind == "member" else "org")
    if rule is None or not rule.enabled or level != rule.base_level:
        return False
    records = facts.build(session, period, cells=set())
    rows = session.execute(
        select(MemberEvaluation.member_id, MemberEvaluation.org_id).where(
            MemberEvaluation.period_id == period.id
        )
    ).all()
    members = tuple(
        MemberFacts(member_id=m, full_name="", cell_id=c, admitted_on=None, official_on=None)
        for m, c in rows
    )
    skeleton = PeriodFacts(period.year, period.reference_date, members, records.facts.organizations)
    levels = current_levels(session, period)
    levels[subject] = rule.level
    if subject.kind == "member":
        cell = next((c for m, c in rows if m == subject.id), None)
        scope = records.tree.grassroots_of(cell) if cell is not None else None
        kind = "member"
    else:
        node = records.tree.node(subject.id) if subject.id in records.tree else None
        scope, kind = (node.parent_id if node else None), "org"
    if scope is None:
        return False
    known = {m.member_id for m in members}
    levels = {s: lvl for s, lvl in levels.items() if s.kind != "member" or s.id in known}
    return quota(rs, skeleton, levels, scope, kind).over > 0


def _wanted(row: MemberEvaluation | OrgEvaluation, rs: RuleSet, kind: str) -> str | None:
    """The best of what the subject asked for and what the vote gave."""
    scale = rs.scale(kind)
    asked = [lvl for lvl in (row.self_level, row.vote_level, row.proposed_level) if lvl in scale]
    return min(asked, key=scale.rank) if asked else None


def resolve(
    session: Session,
    period: EvaluationPeriod,
    rs: RuleSet,
    subject: Subject,
    level: str | None,
    chosen: str | None,
) -> str:
    """The reason code to store with *level* (``""`` for none); raises ReasonMissing."""
    if level is None:
        return ""
    kind = subject.kind
    scale = rs.scale(kind)
    row = evaluation_row(session, period, subject)
    wanted = _wanted(row, rs, kind)
    capped = wanted is not None and scale.is_above(wanted, level)
    if not is_low(rs, kind, level) and not capped:
        return ""
    cell = row.org_id
    records = facts.build(session, period, cells={cell})
    known = {Subject("member", m.member_id) for m in records.facts.members}
    levels = {
        s: lvl
        for s, lvl in current_levels(session, period).items()
        if s.kind != "member" or s in known
    }
    if subject.kind != "member" or subject in known:
        auto = engine_reason(rs, records.facts, levels, subject, level)
        if auto:
            return auto
    if capped and _quota_trimmed(session, period, rs, subject, level):
        quota_reason = next(
            (
                r.code
                for r in reasons_for(rs, kind)
                if set(r.checks) & {"member_quota", "org_quota"}
            ),
            None,
        )
        if quota_reason:
            return quota_reason
    if chosen:
        found = reason(rs, chosen)
        if found is None or found not in reasons_for(rs, kind):
            raise ServiceError(f"Lý do “{chosen}” không có trong {rs.name}")
        return chosen
    if needs_reason(rs, kind, level):
        listing = "; ".join(label for _code, label in choices(rs, kind))
        raise ReasonMissing(
            f"Mức {scale.get(level).name} phải ghi lý do theo {rs.name}. Hãy chọn một lý do "
            f"trong danh sách: {listing}."
        )
    return ""


def record(
    session: Session,
    period: EvaluationPeriod,
    rs: RuleSet,
    subject: Subject,
    level: str | None,
    chosen: str | None,
    actor: str = "",
) -> str:
    """Resolve and store the reason of *subject*'s current level, audited when it changes."""
    code = resolve(session, period, rs, subject, level, chosen)
    row = evaluation_row(session, period, subject)
    if row.low_level_reason != code:
        before = row.low_level_reason
        row.low_level_reason = code
        audit.record(
            session,
            actor=actor,
            action=AuditAction.LOW_LEVEL_REASON,
            entity=f"{subject.kind}_evaluation",
            entity_id=row.id,
            period_id=period.id,
            summary=f"Lý do mức xếp loại: {reason_text(rs, code) if code else '(không)'}",
            before={"low_level_reason": before},
            after={"low_level_reason": code},
        )
    return code
