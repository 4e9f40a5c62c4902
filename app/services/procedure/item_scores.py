"""Scoring item by item (issue 24): a subject's entries at one stage checked against the
period's criteria set, stored, read back; and choosing the criteria set a period scores by.

A subject is a member, an organisation or its leading collective (``Subject``); a stage is
"self" (the member's self-review; an organisation's or a collective's own assessment) or
"chi_uy" (the chi ủy's assessment of a member). Entries are replaced as a whole, in one unit of
work: one entry the item's scoring does not allow refuses them all, naming the item, and
nothing is written. Every write goes through the cell's lock as the other score writes do (a
submitted or decided cell refuses; the commune's own rows once the province has decided or the
period is reported) and is logged in the audit log.

Once a subject's self-assessment is scored item by item, the sums of its parts are its
``score_general`` / ``score_tasks`` (None while a part is incomplete), the typed totals are
refused (``item_sheets.typed_total_problems``), and the rule set's thresholds read them; a
member's complete chi ủy's assessment counts instead of the self-review (``item_sheets``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from sqlalchemy import delete, insert
from sqlalchemy.orm import Session

from app.domain.criteria import (
    CONFIDENCE_LABELS,
    CriteriaSet,
    EntryError,
    ItemEntry,
    Sheet,
    SheetScore,
    item_points,
    points_text,
)
from app.domain.criteria.scoring import EntryValue
from app.domain.member_checks import FieldProblem
from app.domain.procedure import PeriodState
from app.domain.rules import Subject
from app.domain.vocabulary import AuditAction, OrgKind
from app.services.common.errors import LockedError, ServiceError, ValidationError
from app.services.periods import criteria_sets, item_sheets
from app.services.periods import rule_sets as rulesets
from app.services.periods.criteria_sets import PeriodCriteria
from app.services.periods.item_sheets import STAGES, SUBJECT_STAGES
from app.services.periods.lifecycle import find
from app.services.procedure import commune_review
from app.services.procedure.levels import evaluation_row
from app.services.procedure.steps import editable_cell, subject_name
from app.services.safekeeping import audit
from app.store.database import Database
from app.store.models import (
    EvaluationPeriod,
    ItemScore,
    MemberEvaluation,
    Organization,
    OrgEvaluation,
)

Entries = Mapping[str, ItemEntry | EntryValue | None]


@dataclass(frozen=True)
class ItemLine:
    """One item of a subject's sheet with what was entered for it (None: not yet)."""

    key: str
    group_key: str
    group_title: str
    part: str  # "general" (tiêu chí chung), "tasks" (kết quả thực hiện nhiệm vụ)
    text: str
    maximum: Fraction
    scoring: str  # "met", "scale", "count"
    guide: str
    citation: str
    confidence: str  # "chắc chắn", "khá chắc", "chưa chắc"
    value: bool | Fraction | None
    note: str
    points: Fraction | None
    problem: str = ""  # why a stored entry does not count ("" when it does or is missing)


@dataclass(frozen=True)
class ItemSheet:
    """A subject's sheet at one stage: every item, the part sums (None while a part is
    incomplete), the total out of ``maximum``, and the explanation in Vietnamese."""

    year: int
    subject: Subject
    stage: str
    criteria_id: str
    criteria_name: str
    sheet_key: str
    sheet_title: str
    lines: tuple[ItemLine, ...]
    general: Fraction | None
    tasks: Fraction | None
    total: Fraction | None
    maximum: Fraction
    explanation: str
    problems: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        return self.total is not None

    @property
    def entered(self) -> int:
        return sum(1 for line in self.lines if line.value is not None)


@dataclass(frozen=True)
class SubjectScore:
    """What the rules read of a subject: the stage that counts ("self", "chi_uy"; None when
    not scored item by item), the two parts and the sentence naming the items that lost points."""

    subject: Subject
    stage: str | None
    general: float | None
    tasks: float | None
    detail: str

    @property
    def total(self) -> float | None:
        return None if self.general is None or self.tasks is None else self.general + self.tasks


# Locks and records ------------------------------------------------------------------------


def _editable(
    session: Session, period: EvaluationPeriod, subject: Subject
) -> MemberEvaluation | OrgEvaluation:
    """*subject*'s evaluation row once its lock allows a change: a member's, a cell's and its
    chi ủy's through the cell (not submitted, not decided); the commune's own rows until the
    province has decided or the period is reported."""
    row = evaluation_row(session, period, subject)
    if isinstance(row, MemberEvaluation):
        editable_cell(session, period, row.org_id)
        return row
    org = session.get(Organization, subject.id)
    assert org is not None
    if org.kind == OrgKind.CELL:
        editable_cell(session, period, org.id)
        return row
    commune = commune_review.commune_org(session)
    if commune is None or commune.id != org.id:
        raise ServiceError(
            "Chỉ chấm điểm từng mục cho đảng viên, chi bộ, chi ủy và đảng bộ xã (ban thường vụ)."
        )
    closed = commune_review.closed_reason(period, row)
    if closed:
        raise LockedError(closed)
    return row


def _criteria(period: EvaluationPeriod) -> CriteriaSet:
    cset = criteria_sets.of_period(period)
    if cset is None:
        raise ServiceError(
            f"Kỳ đánh giá năm {period.year} chưa chọn bộ tiêu chí chấm điểm: điểm nhập dưới "
            "dạng hai tổng điểm (tiêu chí chung, kết quả thực hiện nhiệm vụ)."
        )
    return cset


def _check_stage(subject: Subject, stage: str) -> None:
    if stage not in STAGES:
        raise ServiceError(f"Không có bước chấm điểm “{stage}”")
    if stage not in SUBJECT_STAGES[subject.kind]:
        raise ServiceError(
            "Chi ủy chấm điểm đảng viên; chi bộ, chi ủy và đảng bộ tự chấm điểm của mình."
        )


def _columns(subject: Subject) -> tuple[str, str]:
    if subject.kind == "member":
        return "self_score_general", "self_score_tasks"
    return "score_general", "score_tasks"


def _as_float(value: Fraction | None) -> float | None:
    return float(value) if value is not None else None


def _sheet_score(
    session: Session, cset: CriteriaSet, subject: Subject, found: Mapping[str, ItemEntry]
) -> SheetScore:
    who = item_sheets.criteria_subject(session, subject)
    scored = item_sheets.score(cset, who, found)
    if scored is None:
        raise ServiceError(
            f"Bộ tiêu chí “{cset.name}” không có bảng chấm điểm cho {who.label[:1].lower()}"
            f"{who.label[1:]}."
        )
    return scored


def _subject(kind: str, subject_id: int) -> Subject:
    if kind == "member":
        return Subject("member", subject_id)
    return Subject("collective", subject_id) if kind == "collective" else Subject("org", subject_id)


def _stored(
    session: Session, period: EvaluationPeriod, subject: Subject, stage: str
) -> dict[str, ItemEntry]:
    return item_sheets.entries(session, period, subject).get((subject.kind, subject.id, stage), {})


def _shown(found: Mapping[str, ItemEntry]) -> dict[str, object]:
    """Entries as the audit log keeps them: key → value (and note)."""
    shown: dict[str, object] = {}
    for key, entry in found.items():
        assert entry.value is not None
        text = item_sheets.value_text(entry.value)
        shown[key] = {"value": text, "note": entry.note} if entry.note else text
    return shown


def _score_words(scored: SheetScore) -> str:
    top = points_text(scored.maximum)
    if scored.total is not None:
        return f"{points_text(scored.total)}/{top} điểm"
    entered = len(scored.items)
    return f"đã chấm {entered}/{len(scored.sheet.items)} mục ({points_text(scored.scored)} điểm)"


def _write(
    session: Session,
    period: EvaluationPeriod,
    cset: CriteriaSet,
    subject: Subject,
    stage: str,
    row: MemberEvaluation | OrgEvaluation,
    found: dict[str, ItemEntry],
    actor: str,
    why: str,
    action: str = AuditAction.ITEM_SCORES,
    log: bool = True,
) -> SheetScore:
    """Store *found* as *subject*'s entries at *stage* (replacing them), write the part sums
    where the self-assessment keeps them, and log the change under *action* (unless *log* is
    False: a preview, rolled back)."""
    before_entries = _stored(session, period, subject, stage)
    scored = _sheet_score(session, cset, subject, found)
    columns = _columns(subject) if stage == "self" else ()
    before = {"items": _shown(before_entries), **{c: getattr(row, c) for c in columns}}
    session.execute(
        delete(ItemScore).where(
            ItemScore.period_id == period.id,
            ItemScore.subject_kind == subject.kind,
            ItemScore.subject_id == subject.id,
            ItemScore.stage == stage,
        )
    )
    if found:
        rows = [
            {"period_id": period.id, "subject_kind": subject.kind, "subject_id": subject.id,
             "stage": stage, "item_key": key, "note": entry.note,
             "value": item_sheets.value_text(entry.value)}
            for key, entry in found.items()
            if entry.value is not None
        ]  # fmt: skip
        session.execute(insert(ItemScore), rows)
    if columns:
        setattr(row, columns[0], _as_float(scored.general))
        setattr(row, columns[1], _as_float(scored.tasks))
    after = {"items": _shown(found), **{c: getattr(row, c) for c in columns}}
    if log and before != after:
        name = subject_name(session, subject)
        audit.record(
            session, actor=actor, action=action,
            entity=f"{subject.kind}_evaluation", entity_id=row.id, period_id=period.id,
            summary=f"{name}: {STAGES[stage]} từng mục theo “{cset.name}”{why} — "
            f"{_score_words(scored)}",
            before=before, after=after,
        )  # fmt: skip
    return scored


# Entering and reading ---------------------------------------------------------------------


def _checked(
    cset: CriteriaSet, sheet: Sheet, entries: Entries
) -> tuple[dict[str, ItemEntry], list[FieldProblem]]:
    """*entries* as ItemEntries (the empty ones left out) and a problem for each that its item
    does not allow, or whose key the sheet does not have."""
    found: dict[str, ItemEntry] = {}
    problems: list[FieldProblem] = []
    for key, raw in entries.items():
        entry = raw if isinstance(raw, ItemEntry) else ItemEntry(raw)
        if entry.value is None:
            continue
        entry = ItemEntry(entry.value, entry.note.strip())
        item = sheet.item(key)
        if item is None:
            problems.append(
                FieldProblem(key, f"không có trong bảng «{sheet.title}» của “{cset.name}”",
                             f"Mục {key}")
            )  # fmt: skip
            continue
        try:
            item_points(item, entry)
        except EntryError as error:
            text = str(error)
            prefix = f"{item.label}: "
            message = text[len(prefix) :] if text.startswith(prefix) else text
            problems.append(FieldProblem(key, message.rstrip("."), item.label))
            continue
        found[key] = entry
    return found, problems


def enter_item_scores(
    db: Database, year: int, subject: Subject, stage: str, entries: Entries, actor: str = ""
) -> ItemSheet:
    """Replace *subject*'s entries at *stage* with *entries* (item key → value, or
    ``ItemEntry`` with a note; None or a missing key: not scored). A value its item does not
    allow, or an unknown key, refuses the whole call (``ValidationError`` naming each item in
    Vietnamese) and nothing is written. Returns the sheet as stored."""
    _check_stage(subject, stage)
    with db.session() as session:
        period = find(session, year)
        cset = _criteria(period)
        row = _editable(session, period, subject)
        sheet = _sheet_score(session, cset, subject, {}).sheet
        found, problems = _checked(cset, sheet, entries)
        if problems:
            raise ValidationError(problems)
        scored = _write(session, period, cset, subject, stage, row, found, actor, "")
        return _sheet(year, cset, subject, stage, scored)


def clear_item_scores(
    db: Database, year: int, subject: Subject, stage: str, actor: str = ""
) -> None:
    """Remove *subject*'s entries at *stage*: its totals are typed in again (the part sums go
    back to empty)."""
    enter_item_scores(db, year, subject, stage, {}, actor)


def item_sheet(db: Database, year: int, subject: Subject, stage: str = "self") -> ItemSheet:
    """*subject*'s sheet at *stage* as stored, every item listed (entered or not)."""
    _check_stage(subject, stage)
    with db.session() as session:
        period = find(session, year)
        cset = _criteria(period)
        evaluation_row(session, period, subject)
        scored = _sheet_score(session, cset, subject, _stored(session, period, subject, stage))
        return _sheet(year, cset, subject, stage, scored)


def entered_sheets(
    db: Database, year: int, subjects: Sequence[Subject], stage: str = "self"
) -> dict[Subject, ItemSheet]:
    """The sheets at *stage* of those *subjects* that have an item entered, read in one
    session (a cell's page asks for every member at once); a subject the period's set has no
    sheet for is left out, as is every subject of a period without a set."""
    found: dict[Subject, ItemSheet] = {}
    with db.session() as session:
        period = find(session, year)
        cset = criteria_sets.of_period(period)
        if cset is None:
            return found
        for subject in subjects:
            _check_stage(subject, stage)
            stored = _stored(session, period, subject, stage)
            if not stored:
                continue
            try:
                scored = _sheet_score(session, cset, subject, stored)
            except ServiceError:
                continue  # no sheet for this subject in the set
            found[subject] = _sheet(year, cset, subject, stage, scored)
    return found


def subject_score(db: Database, year: int, subject: Subject) -> SubjectScore:
    """The score the rule set's thresholds read for *subject* and where it comes from."""
    with db.session() as session:
        period = find(session, year)
        row = evaluation_row(session, period, subject)
        general_column, tasks_column = _columns(subject)
        general, tasks = getattr(row, general_column), getattr(row, tasks_column)
        record = item_sheets.period_records(session, period).get(subject)
        if record is None:
            return SubjectScore(subject, None, general, tasks, "")
        if record.replaces:
            general, tasks = record.general, record.tasks
        return SubjectScore(subject, record.stage, general, tasks, record.detail)


def _sheet(
    year: int, cset: CriteriaSet, subject: Subject, stage: str, scored: SheetScore
) -> ItemSheet:
    entered = {s.item.key: s for s in scored.items}
    problems = {p.item_key: p.message for p in scored.problems}
    lines = []
    for group in scored.sheet.groups:
        for item in group.items:
            score = entered.get(item.key)
            lines.append(
                ItemLine(
                    key=item.key, group_key=group.key, group_title=group.title,
                    part=group.part, text=item.text, maximum=item.points,
                    scoring=item.scoring.kind, guide=item.guide, citation=item.citation,
                    confidence=CONFIDENCE_LABELS[item.confidence],
                    value=score.entered if score else None, note=score.note if score else "",
                    points=score.points if score else None, problem=problems.get(item.key, ""),
                )
            )  # fmt: skip
    return ItemSheet(
        year=year, subject=subject, stage=stage, criteria_id=cset.id, criteria_name=cset.name,
        sheet_key=scored.sheet.key, sheet_title=scored.sheet.title, lines=tuple(lines),
        general=scored.general, tasks=scored.tasks, total=scored.total,
        maximum=scored.maximum, explanation=scored.explanation,
        problems=tuple(p.message for p in scored.problems),
    )  # fmt: skip


# Choosing the period's criteria set -------------------------------------------------------


def _fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16] if text else ""


def choose_criteria(
    db: Database, year: int, criteria_id: str | None, actor: str = ""
) -> PeriodCriteria | None:
    """Score the period of *year* by the criteria set *criteria_id* (its file's text as it is
    now is kept with the period), or by typed totals again (None).

    Choosing the same set again takes its file as edited since. Where subjects are scored item
    by item already, their entries are scored again under the new text in the same unit of
    work: refused, naming the subject and the item, when an entry does not fit it, and when a
    subject's cell is submitted or decided. Dropping the set is refused while entries exist."""
    with db.session() as session:
        period = find(session, year)
        if PeriodState(period.state).is_decided:
            raise LockedError(
                f"Kết quả năm {year} đã quyết định; không đổi được bộ tiêu chí chấm điểm."
            )
        stored = item_sheets.entries(session, period)
        if criteria_id is None:
            if stored:
                raise ServiceError(
                    f"Kỳ đánh giá năm {year} đã có điểm chấm từng mục của {len(stored)} lượt "
                    "chấm; xóa các điểm đó trước rồi mới bỏ bộ tiêu chí."
                )
            cset, text = None, ""
        else:
            cset, text = criteria_sets.source(criteria_id)
            if not cset.covers(year):
                raise ServiceError(f"Bộ tiêu chí “{cset.name}” không áp dụng cho năm {year}")
            rs = rulesets.from_snapshot(period.ruleset_snapshot, period.year)
            misfit = criteria_sets.fit_problems(cset, rs)
            if misfit:
                raise ServiceError(" ".join(misfit))
        if period.criteria_id == criteria_id and (period.criteria_snapshot or "") == text:
            return PeriodCriteria(year, cset) if cset is not None else None
        before = {"criteria_id": period.criteria_id,
                  "text": _fingerprint(period.criteria_snapshot or "")}  # fmt: skip
        period.criteria_id = criteria_id
        period.criteria_snapshot = text
        if cset is not None and stored:
            _rescore(session, period, cset, stored, actor)
        name = cset.name if cset is not None else "nhập hai tổng điểm"
        audit.record(
            session, actor=actor, action=AuditAction.CHOOSE_CRITERIA, entity="period",
            entity_id=period.id, period_id=period.id,
            summary=f"Kỳ đánh giá năm {year} chấm điểm theo: {name}",
            before=before, after={"criteria_id": criteria_id, "text": _fingerprint(text)},
        )  # fmt: skip
        return PeriodCriteria(year, cset) if cset is not None else None


def _rescore(
    session: Session,
    period: EvaluationPeriod,
    cset: CriteriaSet,
    stored: Mapping[item_sheets.Key, dict[str, ItemEntry]],
    actor: str,
) -> None:
    problems: list[FieldProblem] = []
    checked = []
    for (kind, subject_id, stage), found in stored.items():
        subject = _subject(kind, subject_id)
        name = f"{subject_name(session, subject)} ({STAGES.get(stage, stage)})"
        try:
            row = _editable(session, period, subject)
            scored = _sheet_score(session, cset, subject, found)
        except ServiceError as error:
            problems.append(FieldProblem(f"{kind}:{subject_id}", str(error), name))
            continue
        problems += [FieldProblem(f"{kind}:{subject_id}", p.message, name) for p in scored.problems]
        checked.append((subject, stage, row, found))
    if problems:
        raise ValidationError(problems)
    for subject, stage, row, found in checked:
        _write(session, period, cset, subject, stage, row, found, actor, " (tính lại)")


# Entries brought by an exchange package ---------------------------------------------------


def item_label(session: Session, period: EvaluationPeriod, subject: Subject, key: str) -> str:
    """How the explanation names item *key* of *subject*'s sheet in the period's criteria set
    (``Mục A.1 «…»``); ``Mục <key>`` when the period has no set or the sheet no such item."""
    cset = criteria_sets.of_period(period)
    if cset is not None:
        scored = item_sheets.score(cset, item_sheets.criteria_subject(session, subject), {})
        item = scored.sheet.item(key) if scored is not None else None
        if item is not None:
            return item.label
    return f"Mục {key}"


def sheet_sums(
    session: Session, period: EvaluationPeriod, subject: Subject, found: Mapping[str, ItemEntry]
) -> tuple[float | None, float | None]:
    """The two parts (general, tasks) *found* gives *subject* on the period's criteria set;
    (None, None) when the period has no set or the set no sheet for the subject."""
    cset = criteria_sets.of_period(period)
    if cset is None:
        return None, None
    scored = item_sheets.score(cset, item_sheets.criteria_subject(session, subject), found)
    if scored is None:
        return None, None
    return _as_float(scored.general), _as_float(scored.tasks)


def import_entries(
    session: Session,
    period: EvaluationPeriod,
    subject: Subject,
    stage: str,
    entries: Entries,
    *,
    actor: str,
    action: str,
    why: str,
    log: bool = True,
) -> SheetScore:
    """Replace *subject*'s entries at *stage* in the caller's unit of work, as
    :func:`enter_item_scores` does (the same checks of each value against its item, the same
    locks, the part sums written to the self-assessment's columns), logged under *action*
    (an exchange package logs its own so a later import tells its values from the commune's);
    *log* False writes without logging (a preview, rolled back). Raises ValidationError,
    LockedError or ServiceError in Vietnamese, having written nothing."""
    _check_stage(subject, stage)
    cset = _criteria(period)
    row = _editable(session, period, subject)
    sheet = _sheet_score(session, cset, subject, {}).sheet
    found, problems = _checked(cset, sheet, entries)
    if problems:
        raise ValidationError(problems)
    return _write(
        session, period, cset, subject, stage, row, found, actor, why, action=action, log=log
    )
