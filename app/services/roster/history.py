"""A member's history and an organisation's discipline, entered in the window: the dated
records the rules read (exemption, suspension, sick and maternity leave, temporary activity
elsewhere; discipline with who decided it and when it was erased).

Each change is checked as the members workbook checks its history sheets (``history_checks``),
written in one unit of work with an audit-log entry, and refused when it would change what a
decided year's rules read: such a year must be reopened first.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import clock
from app.domain.history_checks import end_problem, first_overlap, span_text
from app.domain.member_checks import FieldProblem
from app.domain.procedure import PeriodState
from app.domain.vocabulary import AuditAction, DisciplineForm, PeriodKind
from app.services.common.errors import LockedError, NotFound, ValidationError
from app.services.safekeeping import audit
from app.store.database import Database
from app.store.models import (
    Discipline,
    EvaluationPeriod,
    Member,
    MemberPeriod,
    Organization,
    OrgDiscipline,
)

Span = tuple[dt.date, dt.date | None]


@dataclass(frozen=True)
class PeriodRecord:
    """Exemption, suspension, leave or temporary activity: from *start_on*; *end_on* is the day
    the member is back (None: still running)."""

    kind: PeriodKind
    start_on: dt.date
    end_on: dt.date | None = None
    note: str = ""
    id: int | None = None  # None: a new record


@dataclass(frozen=True)
class DisciplineRecord:
    """A discipline decision against a member, or against an organisation or its cấp ủy."""

    form: DisciplineForm
    decided_on: dt.date
    decided_by: str = ""
    reason: str = ""  # the violation, in short
    self_detected_remedied: bool = False  # members only
    erased_on: dt.date | None = None  # xóa kỷ luật / hết hiệu lực
    of_collective: bool = False  # organisations only: against its leading collective
    id: int | None = None


@dataclass(frozen=True)
class MemberHistory:
    periods: tuple[PeriodRecord, ...]
    disciplines: tuple[DisciplineRecord, ...]


def _period_record(p: MemberPeriod) -> PeriodRecord:
    return PeriodRecord(PeriodKind(p.kind), p.start_on, p.end_on, p.note, p.id)


def _discipline_record(d: Discipline | OrgDiscipline) -> DisciplineRecord:
    return DisciplineRecord(
        form=DisciplineForm(d.form),
        decided_on=d.decided_on,
        decided_by=d.decided_by,
        reason=d.reason,
        self_detected_remedied=getattr(d, "self_detected_remedied", False),
        erased_on=d.erased_on,
        of_collective=getattr(d, "of_collective", False),
        id=d.id,
    )


def member_history(db: Database, member_id: int) -> MemberHistory:
    """The member's periods and disciplines, newest first."""
    with db.session() as session:
        member = _member(session, member_id)
        periods = sorted(member.periods, key=lambda p: (p.start_on, p.id), reverse=True)
        disciplines = sorted(member.disciplines, key=lambda d: (d.decided_on, d.id), reverse=True)
        return MemberHistory(
            tuple(_period_record(p) for p in periods),
            tuple(_discipline_record(d) for d in disciplines),
        )


def org_disciplines(db: Database, org_id: int) -> tuple[DisciplineRecord, ...]:
    with db.session() as session:
        _organization(session, org_id)
        rows = session.scalars(
            select(OrgDiscipline)
            .where(OrgDiscipline.org_id == org_id)
            .order_by(OrgDiscipline.decided_on.desc(), OrgDiscipline.id.desc())
        )
        return tuple(_discipline_record(d) for d in rows)


# ---- checks -------------------------------------------------------------------------------


def _member(session: Session, member_id: int) -> Member:
    member = session.get(Member, member_id)
    if member is None:
        raise NotFound("Không tìm thấy đảng viên")
    return member


def _organization(session: Session, org_id: int) -> Organization:
    org = session.get(Organization, org_id)
    if org is None:
        raise NotFound("Không tìm thấy tổ chức đảng")
    return org


def _not_after_today(field: str, label: str, day: dt.date, today: dt.date) -> list[FieldProblem]:
    if day > today:
        return [FieldProblem(field, f"{day:%d/%m/%Y} là ngày trong tương lai", label)]
    return []


def _period_problems(
    record: PeriodRecord, member: Member, others: list[MemberPeriod], today: dt.date
) -> list[FieldProblem]:
    problems = _not_after_today("start_on", "Từ ngày", record.start_on, today)
    ended = end_problem(record.start_on, record.end_on, "ngày kết thúc")
    if ended:
        problems.append(FieldProblem("end_on", ended, "Đến ngày"))
    if member.admitted_on and record.start_on < member.admitted_on:
        problems.append(
            FieldProblem(
                "start_on", f"trước ngày vào Đảng {member.admitted_on:%d/%m/%Y}", "Từ ngày"
            )
        )
    same_kind = [
        (span_text(p.start_on, p.end_on), (p.start_on, p.end_on))
        for p in others
        if p.kind == record.kind and p.id != record.id
    ]
    clash = first_overlap((record.start_on, record.end_on), same_kind)
    if clash and not ended:
        problems.append(
            FieldProblem(
                "start_on", f"trùng với thời gian {record.kind.label.lower()} {clash}", "Từ ngày"
            )
        )
    if len(record.note) > 300:
        problems.append(FieldProblem("note", "dài quá 300 ký tự", "Ghi chú"))
    return problems


def _discipline_problems(
    record: DisciplineRecord, admitted_on: dt.date | None, today: dt.date
) -> list[FieldProblem]:
    problems = _not_after_today("decided_on", "Ngày quyết định", record.decided_on, today)
    erased = end_problem(record.decided_on, record.erased_on, "ngày xóa kỷ luật")
    if erased:
        problems.append(FieldProblem("erased_on", erased, "Ngày xóa/hết hiệu lực"))
    if admitted_on and record.decided_on < admitted_on:
        problems.append(
            FieldProblem(
                "decided_on", f"trước ngày vào Đảng {admitted_on:%d/%m/%Y}", "Ngày quyết định"
            )
        )
    if len(record.decided_by) > 200:
        problems.append(FieldProblem("decided_by", "dài quá 200 ký tự", "Cấp quyết định"))
    return problems


# ---- the locks ----------------------------------------------------------------------------


def _decided_years(session: Session) -> list[EvaluationPeriod]:
    return list(
        session.scalars(
            select(EvaluationPeriod).where(
                EvaluationPeriod.state.in_([PeriodState.DECIDED, PeriodState.REPORTED])
            )
        )
    )


def _within(span: Span | None, year: int) -> Span | None:
    """The part of *span* inside *year* (what that year's rules read), or None."""
    if span is None:
        return None
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    start, end = span
    if start > last or (end is not None and end < first):
        return None
    return max(start, first), (None if end is None or end > last else end)


def _refuse_if_decided(
    session: Session, before: tuple[object, Span | None], after: tuple[object, Span | None]
) -> None:
    """Refuse a change that alters what a decided year read: the record's kind and its days
    within that year, before and after."""
    for period in _decided_years(session):
        seen = [(what, _within(span, period.year)) for what, span in (before, after)]
        visible = [s for s in seen if s[1] is not None]
        if visible and seen[0] != seen[1]:
            raise LockedError(
                f"Thay đổi này làm khác kết quả năm {period.year}, năm đã quyết định và khóa. "
                "Muốn sửa, đảng ủy phải mở khóa kết quả năm đó với lý do trước."
            )


def _discipline_span(d: DisciplineRecord | Discipline | OrgDiscipline | None) -> Span | None:
    return None if d is None else (d.decided_on, d.decided_on)


def _discipline_facts(d: DisciplineRecord | Discipline | OrgDiscipline | None) -> object:
    """What the rules read of a discipline besides its date."""
    if d is None:
        return None
    return (DisciplineForm(d.form), getattr(d, "self_detected_remedied", False),
            getattr(d, "of_collective", False))  # fmt: skip


# ---- writing ------------------------------------------------------------------------------


def _log(
    session: Session, actor: str, action: AuditAction, entity: str, entity_id: int,
    summary: str, before: dict[str, object] | None, after: dict[str, object] | None,
) -> None:  # fmt: skip
    audit.record(session, actor=actor, action=action, entity=entity, entity_id=entity_id,
                 summary=summary, before=before, after=after)  # fmt: skip


def _period_values(p: MemberPeriod | PeriodRecord) -> dict[str, object]:
    return {"kind": str(p.kind), "start_on": str(p.start_on), "end_on": str(p.end_on or ""),
            "note": p.note}  # fmt: skip


def save_period(
    db: Database, member_id: int, record: PeriodRecord, actor: str = "",
    today: dt.date | None = None,
) -> int:  # fmt: skip
    """Add a period (``record.id`` None) or change one; returns its id."""
    today = today or clock.today()
    # A value read back from a form may be the kind's plain text: make it the kind again.
    record = PeriodRecord(PeriodKind(record.kind), record.start_on, record.end_on,
                          record.note.strip(), record.id)  # fmt: skip
    with db.session() as session:
        member = _member(session, member_id)
        row = next((p for p in member.periods if p.id == record.id), None)
        if record.id is not None and row is None:
            raise NotFound("Không tìm thấy dòng quá trình này")
        problems = _period_problems(record, member, list(member.periods), today)
        if problems:
            raise ValidationError(problems)
        _refuse_if_decided(
            session,
            (row.kind if row else None, (row.start_on, row.end_on) if row else None),
            (record.kind, (record.start_on, record.end_on)),
        )
        before = _period_values(row) if row else None
        if row is None:
            row = MemberPeriod(kind=record.kind, start_on=record.start_on)
            member.periods.append(row)
        row.kind, row.start_on, row.end_on, row.note = (
            record.kind, record.start_on, record.end_on, record.note,
        )  # fmt: skip
        session.flush()
        _log(session, actor, AuditAction.RECORD_HISTORY, "member_period", row.id,
             f"{member.full_name}: {record.kind.label.lower()} "
             f"{span_text(record.start_on, record.end_on)}",
             before, _period_values(row))  # fmt: skip
        return row.id


def delete_period(db: Database, member_id: int, period_id: int, actor: str = "") -> None:
    with db.session() as session:
        member = _member(session, member_id)
        row = next((p for p in member.periods if p.id == period_id), None)
        if row is None:
            raise NotFound("Không tìm thấy dòng quá trình này")
        _refuse_if_decided(session, (row.kind, (row.start_on, row.end_on)), (None, None))
        _log(session, actor, AuditAction.DELETE_HISTORY, "member_period", row.id,
             f"{member.full_name}: xóa {row.kind.label.lower()} "
             f"{span_text(row.start_on, row.end_on)}", _period_values(row), None)  # fmt: skip
        member.periods.remove(row)
        session.delete(row)


def _discipline_values(d: Discipline | OrgDiscipline | DisciplineRecord) -> dict[str, object]:
    return {"form": str(d.form), "decided_on": str(d.decided_on), "decided_by": d.decided_by,
            "reason": d.reason, "self_detected_remedied": getattr(d, "self_detected_remedied",
                                                                  False),
            "of_collective": getattr(d, "of_collective", False),
            "erased_on": str(d.erased_on or "")}  # fmt: skip


def _write_discipline(row: Discipline | OrgDiscipline, record: DisciplineRecord) -> None:
    row.form = record.form
    row.decided_on = record.decided_on
    row.decided_by = record.decided_by.strip()
    row.reason = record.reason.strip()
    row.erased_on = record.erased_on
    if isinstance(row, Discipline):
        row.self_detected_remedied = record.self_detected_remedied
    else:
        row.of_collective = record.of_collective


def _store_discipline(
    session: Session,
    row: Discipline | OrgDiscipline | None,
    new_row: Discipline | OrgDiscipline,
    record: DisciplineRecord,
    admitted_on: dt.date | None,
    today: dt.date,
    actor: str,
    whom: str,
) -> int:
    """Check, lock-check, write and log one discipline decision (*row* None: *new_row*)."""
    problems = _discipline_problems(record, admitted_on, today)
    if problems:
        raise ValidationError(problems)
    _refuse_if_decided(
        session,
        (_discipline_facts(row), _discipline_span(row)),
        (_discipline_facts(record), _discipline_span(record)),
    )
    before = _discipline_values(row) if row else None
    if row is None:
        row = new_row
        session.add(row)
    _write_discipline(row, record)
    session.flush()
    entity = "discipline" if isinstance(row, Discipline) else "org_discipline"
    _log(session, actor, AuditAction.RECORD_DISCIPLINE, entity, row.id,
         f"{whom}: kỷ luật {record.form.label.lower()} ngày {record.decided_on:%d/%m/%Y}",
         before, _discipline_values(row))  # fmt: skip
    return row.id


def _remove_discipline(
    session: Session, row: Discipline | OrgDiscipline, actor: str, whom: str
) -> None:
    _refuse_if_decided(session, (_discipline_facts(row), _discipline_span(row)), (None, None))
    entity = "discipline" if isinstance(row, Discipline) else "org_discipline"
    _log(session, actor, AuditAction.DELETE_HISTORY, entity, row.id,
         f"{whom}: xóa kỷ luật {DisciplineForm(row.form).label.lower()} ngày "
         f"{row.decided_on:%d/%m/%Y}", _discipline_values(row), None)  # fmt: skip
    session.delete(row)


def save_discipline(
    db: Database, member_id: int, record: DisciplineRecord, actor: str = "",
    today: dt.date | None = None,
) -> int:  # fmt: skip
    """Add a discipline decision against a member (``record.id`` None) or correct one."""
    today = today or clock.today()
    record = dataclasses.replace(record, form=DisciplineForm(record.form))
    with db.session() as session:
        member = _member(session, member_id)
        row = next((d for d in member.disciplines if d.id == record.id), None)
        if record.id is not None and row is None:
            raise NotFound("Không tìm thấy quyết định kỷ luật này")
        new_row = Discipline(member_id=member_id, form=record.form, decided_on=record.decided_on)
        return _store_discipline(session, row, new_row, record, member.admitted_on, today, actor,
                                 member.full_name)  # fmt: skip


def delete_discipline(db: Database, member_id: int, discipline_id: int, actor: str = "") -> None:
    with db.session() as session:
        member = _member(session, member_id)
        row = next((d for d in member.disciplines if d.id == discipline_id), None)
        if row is None:
            raise NotFound("Không tìm thấy quyết định kỷ luật này")
        member.disciplines.remove(row)
        _remove_discipline(session, row, actor, member.full_name)


def _org_row(session: Session, org_id: int, discipline_id: int | None) -> OrgDiscipline | None:
    row = session.get(OrgDiscipline, discipline_id) if discipline_id is not None else None
    if discipline_id is not None and (row is None or row.org_id != org_id):
        raise NotFound("Không tìm thấy quyết định kỷ luật này")
    return row


def save_org_discipline(
    db: Database, org_id: int, record: DisciplineRecord, actor: str = "",
    today: dt.date | None = None,
) -> int:  # fmt: skip
    """Add or correct a discipline decision against an organisation or its cấp ủy."""
    today = today or clock.today()
    record = dataclasses.replace(record, form=DisciplineForm(record.form))
    with db.session() as session:
        org = _organization(session, org_id)
        row = _org_row(session, org_id, record.id)
        new_row = OrgDiscipline(org_id=org_id, form=record.form, decided_on=record.decided_on)
        whom = f"cấp ủy của {org.name}" if record.of_collective else org.name
        return _store_discipline(session, row, new_row, record, None, today, actor, whom)


def delete_org_discipline(db: Database, org_id: int, discipline_id: int, actor: str = "") -> None:
    with db.session() as session:
        org = _organization(session, org_id)
        row = _org_row(session, org_id, discipline_id)
        assert row is not None
        _remove_discipline(session, row, actor, org.name)
