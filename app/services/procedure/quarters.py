"""Quarterly ratings of a member (đánh giá, xếp loại theo quý; issue 24).

The period's rule set says whether and how members are rated by quarter (its ``quarterly``
check: who, from whose rating, how the year is drawn). A member's four quarters are read and
written as a whole: the self-rating (points and/or a level) and the superior's. The year's
result drawn from them is shown with its reasoning in words, and the rule engine holds the
year's level to it (``checks_quarters``). Writes go through the cell's lock, as every score of
the self-review step, and into the audit log; the window and an exchange package (format 5)
write through the same ``_write``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.domain.formatting import format_decimal
from app.domain.member_checks import FieldProblem
from app.domain.quarters import (
    HOLDERS,
    QUARTER_NAMES,
    QUARTERS,
    Derivation,
    QuarterRating,
    QuarterRule,
    derive_year,
)
from app.domain.rules import RuleSet, Subject
from app.domain.rules.checks_quarters import ruleset_quarter_rule, score_thresholds
from app.domain.vocabulary import AuditAction, PostKind
from app.services.common.errors import ServiceError, ValidationError
from app.services.periods import rule_sets as rulesets
from app.services.periods.facts import quarter_ratings
from app.services.periods.lifecycle import find
from app.services.procedure.levels import evaluation_row
from app.services.procedure.steps import editable_cell
from app.services.safekeeping import audit
from app.store.database import Database
from app.store.models import EvaluationPeriod, Member, MemberEvaluation, PostHolding, QuarterRecord


@dataclass(frozen=True)
class QuarterSheet:
    """A member's quarterly ratings of the year as the window shows them: always four
    ``ratings`` (empty where nothing is entered), the rule (None: the period's rule set does
    not rate by quarter), whether it applies to this member (and why not), the levels and the
    points maximum to enter, and the year drawn from the quarters."""

    year: int
    member_id: int
    full_name: str
    ratings: tuple[QuarterRating, ...]
    rule: QuarterRule | None
    applies: bool
    not_applied_reason: str
    levels: tuple[tuple[str, str], ...]  # member level code and name, best first
    score_max: float | None  # the rule set's total where it scores members; None: no points
    thresholds: dict[str, float]
    ruleset: RuleSet

    @property
    def derivation(self) -> Derivation | None:
        return self.derive(self.ratings)

    def derive(self, ratings: Sequence[QuarterRating]) -> Derivation | None:
        """The year from *ratings* (the ones typed in a dialog before saving, too)."""
        if self.rule is None:
            return None
        return derive_year(ratings, self.rule, self.ruleset.member_levels, self.thresholds)

    @property
    def entered(self) -> int:
        return sum(1 for r in self.ratings if not r.empty)


def rates_quarterly(rs: RuleSet) -> bool:
    """Whether the rule set rates (some) members by quarter."""
    return ruleset_quarter_rule(rs) is not None


def _ruleset(period: EvaluationPeriod) -> RuleSet:
    return rulesets.from_snapshot(period.ruleset_snapshot, period.year)


def _posts(session: Session, period: EvaluationPeriod, member_id: int) -> tuple[bool, bool]:
    """Whether the member holds a party post, and another post, on the reference date."""
    day = period.reference_date
    party = other = False
    for post in session.scalars(select(PostHolding).where(PostHolding.member_id == member_id)):
        if (post.start_on is None or post.start_on <= day) and (
            post.end_on is None or post.end_on >= day
        ):
            if post.kind == PostKind.PARTY:
                party = True
            else:
                other = True
    return party, other


def _sheet(session: Session, period: EvaluationPeriod, member_id: int) -> QuarterSheet:
    row = evaluation_row(session, period, Subject("member", member_id))
    assert isinstance(row, MemberEvaluation)
    member = session.get(Member, member_id)
    assert member is not None
    rs = _ruleset(period)
    rule = ruleset_quarter_rule(rs)
    reason = ""
    if rule is None:
        reason = (
            f"Bộ quy tắc của kỳ đánh giá năm {period.year} ({rs.name}) không đánh giá, xếp loại "
            "theo quý."
        )
    elif not row.evaluated:
        reason = f"{member.full_name} không được xếp loại trong năm {period.year}."
    elif not rule.applies(*_posts(session, period, member_id)):
        reason = (
            f"{member.full_name} không giữ chức vụ vào ngày chốt danh sách; bộ quy tắc chỉ đánh "
            f"giá theo quý {HOLDERS[rule.holders]}."
        )
    stored = {r.quarter: r for r in quarter_ratings(session, period.id).get(member_id, ())}
    model = rs.score
    scores_members = model is not None and model.enabled and "member" in model.applies_to
    return QuarterSheet(
        year=period.year,
        member_id=member_id,
        full_name=member.full_name,
        ratings=tuple(stored.get(q, QuarterRating(q)) for q in QUARTERS),
        rule=rule,
        applies=not reason,
        not_applied_reason=reason,
        levels=tuple((level.code, level.name) for level in rs.member_levels.levels),
        score_max=model.total_max if scores_members and model is not None else None,
        thresholds=score_thresholds(rs),
        ruleset=rs,
    )


def quarter_sheet(db: Database, year: int, member_id: int) -> QuarterSheet:
    """The member's quarterly ratings of *year*, and the year drawn from them."""
    with db.session() as session:
        return _sheet(session, find(session, year), member_id)


def _problems(sheet: QuarterSheet, ratings: Sequence[QuarterRating]) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    codes = {code for code, _ in sheet.levels}
    seen: set[int] = set()
    for rating in ratings:
        if rating.quarter not in QUARTERS or rating.quarter in seen:
            problems.append(FieldProblem("quarter", "mỗi quý một dòng, từ quý I đến quý IV", "Quý"))
            continue
        seen.add(rating.quarter)
        name = QUARTER_NAMES[rating.quarter]
        for whose, score, level in (
            ("tự chấm", rating.self_score, rating.self_level),
            ("cấp trên chấm", rating.superior_score, rating.superior_level),
        ):
            label = f"{name}, {whose}"
            if score is not None:
                if sheet.score_max is None:
                    problems.append(
                        FieldProblem("score", "bộ quy tắc không chấm điểm, chỉ chọn mức", label)
                    )
                elif not 0 <= score <= sheet.score_max:
                    top = format_decimal(sheet.score_max, 2)
                    problems.append(FieldProblem("score", f"điểm phải từ 0 đến {top}", label))
            if level is not None and level not in codes:
                problems.append(FieldProblem("level", f"không có mức “{level}”", label))
    return problems


def _shown(ratings: Sequence[QuarterRating]) -> dict[str, object]:
    """The ratings as the audit log keeps them: quarter → the values given."""
    return {
        QUARTER_NAMES[r.quarter]: {
            k: v
            for k, v in (
                ("tự chấm", r.self_score),
                ("tự xếp loại", r.self_level),
                ("cấp trên chấm", r.superior_score),
                ("cấp trên xếp loại", r.superior_level),
                ("ghi chú", r.note),
            )
            if v not in (None, "")
        }
        for r in ratings
        if not r.empty or r.note
    }


def _write(
    session: Session,
    period: EvaluationPeriod,
    member_id: int,
    ratings: Sequence[QuarterRating],
    actor: str,
    *,
    action: str = AuditAction.QUARTER_RATINGS,
    log: bool = True,
    why: str = "",
) -> None:
    """The one writer of a member's quarterly ratings, for the window and for an exchange
    package: replace them with *ratings* (a quarter left out or empty is not rated) in the
    caller's unit of work, logged under *action* (unless *log* is False: a preview, rolled
    back) with *why* after the summary's subject. Refused as a whole, having written nothing,
    naming the quarter, when a value is out of range (ValidationError) or the rule set does
    not rate this member by quarter (ServiceError); refused while the cell is submitted or
    decided (LockedError)."""
    row = evaluation_row(session, period, Subject("member", member_id))
    assert isinstance(row, MemberEvaluation)
    editable_cell(session, period, row.org_id)
    sheet = _sheet(session, period, member_id)
    kept = [replace(r, note=r.note.strip()) for r in ratings if not r.empty or r.note.strip()]
    if kept and not sheet.applies:
        raise ServiceError(sheet.not_applied_reason)
    problems = _problems(sheet, kept)
    if problems:
        raise ValidationError(problems)
    session.execute(
        delete(QuarterRecord).where(
            QuarterRecord.period_id == period.id, QuarterRecord.member_id == member_id
        )
    )
    session.add_all(
        QuarterRecord(period_id=period.id, member_id=member_id, **asdict(r)) for r in kept
    )
    session.flush()
    before, after = _shown(sheet.ratings), _shown(kept)
    if log and before != after:
        derived = _sheet(session, period, member_id).derivation
        summary = f"{sheet.full_name}: đánh giá theo quý năm {period.year}{why}"
        if derived is not None:
            summary += f" — {derived.words}"
        audit.record(
            session, actor=actor, action=action,
            entity="member_evaluation", entity_id=row.id, period_id=period.id,
            summary=summary, before=before, after=after,
        )  # fmt: skip
        session.flush()


def enter_quarters(
    db: Database, year: int, member_id: int, ratings: Sequence[QuarterRating], actor: str = ""
) -> QuarterSheet:
    """Replace the member's quarterly ratings of *year* with *ratings* (a quarter left out or
    empty is not rated). Refused as a whole, naming the quarter, when a value is out of range
    or the rule set does not rate this member by quarter; refused while the cell is submitted
    or decided. Returns the sheet as stored."""
    with db.session() as session:
        period = find(session, year)
        _write(session, period, member_id, ratings, actor)
        return _sheet(session, period, member_id)


def import_quarters(
    session: Session,
    period: EvaluationPeriod,
    member_id: int,
    ratings: Sequence[QuarterRating],
    *,
    actor: str,
    action: str,
    why: str,
    log: bool = True,
) -> None:
    """Replace the member's quarterly ratings with an exchange package's, in the caller's unit
    of work, through the window's writer (the same checks, lock and audit entry), logged under
    *action* (an import logs its own, so a later import tells its values from the commune's);
    *log* False writes without logging (a preview, rolled back). Raises ValidationError,
    LockedError or ServiceError in Vietnamese, having written nothing."""
    _write(session, period, member_id, ratings, actor, action=action, log=log, why=why)
