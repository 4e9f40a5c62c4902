"""Scores item by item as stored, read back into the criteria domain's shape.

Each row of ``item_scores`` is one item entered for a subject (member, organisation, leading
collective) at a stage: "self" (a member's self-review; an organisation's or a collective's own
assessment) or "chi_uy" (the chi ủy's assessment of a member). The points follow from the
period's criteria set (its stored copy), never from the file as it is now.

What the rules read (``score_of_record``): a member's score is the chi ủy's assessment once
it is complete, else the self-review's; the self-review's sums are the very columns the typed
totals used (``self_score_general`` / ``self_score_tasks``, ``score_general`` / ``score_tasks``),
written by ``procedure.item_scores`` whenever the items change, so every reader of those
columns (documents, the quota simulator, packages) sees them.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.criteria import (
    CriteriaSet,
    CriteriaSubject,
    ItemEntry,
    SheetScore,
    SubjectError,
    lost_lines,
    points_text,
    score_entries,
)
from app.domain.criteria.scoring import EntryValue, as_number
from app.domain.member_checks import FieldProblem
from app.domain.rules import Subject
from app.domain.vocabulary import FormCategory, OrgKind
from app.services.periods import criteria_sets
from app.store.models import EvaluationPeriod, ItemScore, Member, Organization

# The stages item scores are kept at, and how a sentence names them.
STAGES: dict[str, str] = {"self": "tự chấm", "chi_uy": "chi ủy chấm"}
# The stages each kind of subject is scored at: the chi ủy assesses members; a cell, its chi
# ủy and the commune's committee assess themselves.
SUBJECT_STAGES: dict[str, tuple[str, ...]] = {
    "member": ("self", "chi_uy"),
    "org": ("self",),
    "collective": ("self",),
}

Key = tuple[str, int, str]  # (subject kind, subject id, stage)


# Values as stored -------------------------------------------------------------------------


def value_text(value: EntryValue) -> str:
    """An entered value as stored, exactly: "true" / "false", "12", "7.5", "1/3"."""
    if isinstance(value, bool):
        return "true" if value else "false"
    number = as_number(value)
    if number is None:
        raise ValueError(f"not a number: {value!r}")
    if number.denominator == 1:
        return str(number.numerator)
    denominator = number.denominator
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    if denominator != 1:
        return f"{number.numerator}/{number.denominator}"
    places = 0
    while (number * 10**places).denominator != 1:
        places += 1
    scaled = number * 10**places
    sign = "-" if scaled < 0 else ""
    digits = str(abs(scaled.numerator)).rjust(places + 1, "0")
    return f"{sign}{digits[:-places]}.{digits[-places:]}"


def read_value(text: str) -> bool | Fraction:
    """A stored value back: True / False, or the exact number."""
    if text in ("true", "false"):
        return text == "true"
    return Fraction(text)


def value_shown(value: bool | Fraction) -> str:
    """A value in the user's words: "đạt", "không đạt", "7,5"."""
    if isinstance(value, bool):
        return "đạt" if value else "không đạt"
    return points_text(value)


# Reading a period's rows ------------------------------------------------------------------


def criteria_subject(session: Session, subject: Subject) -> CriteriaSubject:
    """Which sheet of a criteria set scores *subject*: a member by the form of their
    self-review (Mẫu 2A/2B/2C), an organisation or its collective by the organisation's kind."""
    if subject.kind == "member":
        form = session.scalar(select(Member.form_category).where(Member.id == subject.id))
        return CriteriaSubject.member(FormCategory(form or FormCategory.C))
    kind = session.scalar(select(Organization.kind).where(Organization.id == subject.id))
    if kind is None:
        raise SubjectError("Không có tổ chức này")
    return CriteriaSubject(subject.kind, str(OrgKind(kind)))


def entries(
    session: Session, period: EvaluationPeriod, subject: Subject | None = None
) -> dict[Key, dict[str, ItemEntry]]:
    """The stored entries of *period* (of *subject* only, if given), by (kind, id, stage)
    and item key."""
    query = select(ItemScore).where(ItemScore.period_id == period.id)
    if subject is not None:
        query = query.where(
            ItemScore.subject_kind == subject.kind, ItemScore.subject_id == subject.id
        )
    found: dict[Key, dict[str, ItemEntry]] = defaultdict(dict)
    for row in session.scalars(query.order_by(ItemScore.id)):
        key = (row.subject_kind, row.subject_id, row.stage)
        found[key][row.item_key] = ItemEntry(read_value(row.value), row.note)
    return dict(found)


def has_items(session: Session, period: EvaluationPeriod, subject: Subject, stage: str) -> bool:
    return (
        session.scalar(
            select(ItemScore.id)
            .where(
                ItemScore.period_id == period.id,
                ItemScore.subject_kind == subject.kind,
                ItemScore.subject_id == subject.id,
                ItemScore.stage == stage,
            )
            .limit(1)
        )
        is not None
    )


def score(
    cset: CriteriaSet, who: CriteriaSubject, found: Mapping[str, ItemEntry]
) -> SheetScore | None:
    """*found*'s score on *who*'s sheet of *cset*; None if the set has no sheet for it."""
    try:
        return score_entries(cset, who, found)
    except SubjectError:
        return None


@dataclass(frozen=True)
class ScoredRecord:
    """What the rules read of a subject scored item by item: the stage that counts, its
    points (None where incomplete) and the sentence naming the items that lost points.
    ``replaces`` says the points stand in for the self-review's columns (the chi ủy's
    assessment); the self-review's own sums are already in them."""

    stage: str
    general: float | None
    tasks: float | None
    detail: str

    @property
    def replaces(self) -> bool:
        return self.stage == "chi_uy"


def period_records(session: Session, period: EvaluationPeriod) -> dict[Subject, ScoredRecord]:
    """Every subject of *period* with item scores, as the rules read it (see the module's
    docstring); empty for a period without a criteria set."""
    cset = criteria_sets.of_period(period)
    if cset is None:
        return {}
    stored = entries(session, period)
    if not stored:
        return {}
    members = {i for k, i, _s in stored if k == "member"}
    forms = dict(
        session.execute(select(Member.id, Member.form_category).where(Member.id.in_(members))).all()
    )
    kinds = dict(session.execute(select(Organization.id, Organization.kind)).all())
    by_subject: dict[Subject, dict[str, SheetScore]] = defaultdict(dict)
    for (kind, subject_id, stage), found in stored.items():
        if kind == "member":
            subject = Subject("member", subject_id)
            who = CriteriaSubject.member(FormCategory(forms.get(subject_id) or FormCategory.C))
        elif kind in ("org", "collective") and subject_id in kinds:
            subject = Subject("org" if kind == "org" else "collective", subject_id)
            who = CriteriaSubject(kind, str(OrgKind(kinds[subject_id])))
        else:
            continue
        sheet = score(cset, who, found)
        if sheet is not None:
            by_subject[subject][stage] = sheet
    records = {subject: record_of(cset, stages) for subject, stages in by_subject.items()}
    return {subject: record for subject, record in records.items() if record is not None}


def record_of(cset: CriteriaSet, stages: Mapping[str, SheetScore]) -> ScoredRecord | None:
    """The stage that counts: the chi ủy's assessment once complete, else the self-review's
    items; None when only an unfinished chi ủy's assessment is there (the self-review's
    totals, typed in, count)."""
    chi_uy = stages.get("chi_uy")
    chosen = "chi_uy" if chi_uy is not None and chi_uy.complete else "self"
    sheet = stages.get(chosen)
    if sheet is None:
        return None
    general, tasks = sheet.general, sheet.tasks
    return ScoredRecord(
        chosen,
        float(general) if general is not None else None,
        float(tasks) if tasks is not None else None,
        detail_text(cset, sheet, chosen),
    )


def detail_text(cset: CriteriaSet, sheet: SheetScore, stage: str) -> str:
    """The items behind a score in one paragraph: those not scored yet, else those that lost
    points (or were capped); "" when every item has its full points."""
    where = f"{STAGES[stage]} theo “{cset.name}”"
    if sheet.missing:
        listed = "; ".join(f"{item.key} «{item.text}»" for item in sheet.missing)
        return f"Chấm từng mục ({where}): còn thiếu điểm của {len(sheet.missing)} mục: {listed}."
    if sheet.problems:
        return f"Chấm từng mục ({where}): " + " ".join(p.message for p in sheet.problems)
    lost = lost_lines(sheet)
    if not lost:
        return ""
    total = points_text(sheet.scored)
    return f"Chấm từng mục ({where}, {total}/{points_text(sheet.maximum)} điểm): " + " ".join(lost)


# The typed totals while item scores exist -------------------------------------------------


@dataclass(frozen=True)
class TypedTotal:
    """A total typed in for a part, beside the value the item scores gave it."""

    field: str  # "score_general", "score_tasks"
    label: str  # "Điểm tiêu chí chung"
    typed: float | None
    stored: float | None


def totals(
    general: float | None, tasks: float | None, stored_general: float | None,
    stored_tasks: float | None,
) -> list[TypedTotal]:  # fmt: skip
    """The two parts typed in (*general*, *tasks*) beside what the record holds."""
    return [
        TypedTotal("score_general", "Điểm tiêu chí chung", general, stored_general),
        TypedTotal("score_tasks", "Điểm kết quả nhiệm vụ", tasks, stored_tasks),
    ]


def typed_total_problems(
    session: Session, period: EvaluationPeriod, subject: Subject, totals: Sequence[TypedTotal]
) -> list[FieldProblem] | None:
    """None when *subject*'s self-assessment is not scored item by item (the totals typed in
    are taken); else a problem for each total typed that differs from the items' sum (an
    empty total, or the same value, keeps the items' sum)."""
    if not has_items(session, period, subject, "self"):
        return None
    cset = criteria_sets.of_period(period)
    name = f"“{cset.name}”" if cset is not None else "bộ tiêu chí của kỳ"
    problems = []
    for total in totals:
        if total.typed is None or total.typed == total.stored:
            continue
        have = "chưa đủ các mục" if total.stored is None else f"{total.stored:g} điểm"
        problems.append(
            FieldProblem(
                total.field,
                f"đã chấm từng mục theo {name} ({have}); sửa điểm của từng mục, không nhập "
                "tổng điểm (muốn nhập tổng thì xóa điểm từng mục trước)",
                total.label,
            )
        )
    return problems


Scored = TypeVar("Scored")  # a review or assessment with score_general and score_tasks


def keep_item_totals(
    session: Session,
    period: EvaluationPeriod,
    subject: Subject,
    given: Scored,
    stored: tuple[float | None, float | None],
    problems: list[FieldProblem],
) -> Scored:
    """*given* (a review with ``score_general`` and ``score_tasks``) as it may be saved: while
    *subject* is scored item by item, a typed total that differs from the items' sum (*stored*)
    joins *problems*, and the items' sums stay in the review; else *given* as it is."""
    typed = totals(given.score_general, given.score_tasks, *stored)  # type: ignore[attr-defined]
    itemised = typed_total_problems(session, period, subject, typed)
    if itemised is None:
        return given
    problems += itemised
    return dataclasses.replace(given, score_general=stored[0], score_tasks=stored[1])  # type: ignore[type-var]
