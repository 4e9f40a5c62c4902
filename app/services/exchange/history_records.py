"""Members' history and the cell's discipline in the exchange package (format version 3):
each member's periods (exemption, suspension, sick and maternity leave, temporary activity)
and discipline records, and the discipline of the cell or its chi ủy — what the rules read
besides the year's own records.

How they merge. A record is known by its identity, as in the members workbook: a period by
(member, kind, first day), a member's discipline by (member, decision date, form), the cell's
by (against the cell or its chi ủy, decision date, form). A record of the package the commune
does not hold is added; one it holds with other values (an end date, an erasure, a note) takes
the package's values; a record the commune holds and the package does not is kept, and the
preview says so. Nothing is deleted by a package. Each record added or changed is one line of
the preview and is written with the import's audit entries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.formatting import format_date
from app.domain.history_checks import end_problem, overlaps, span_text
from app.domain.vocabulary import DisciplineForm, PeriodKind
from app.services.exchange.fields import BadValue, iso, line, optional, read_bool, read_date, text
from app.store.models import Discipline, MemberPeriod, OrgDiscipline

MAX_RECORDS = 500  # of one kind, for one member or the cell
_REASON = text(20_000)
PERIODS, DISCIPLINES, ORG_DISCIPLINES = "periods", "disciplines", "org_disciplines"
# The merge's rows and fields: "periods:<code>" / "period", "disciplines:<code>" /
# "discipline", "org_disciplines" / "org_discipline".
FIELDS = {PERIODS: "period", DISCIPLINES: "discipline", ORG_DISCIPLINES: "org_discipline"}


def _short(words: str, limit: int = 50) -> str:
    words = " ".join(words.split())
    return words if len(words) <= limit else words[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class PeriodData:
    kind: PeriodKind
    start_on: dt.date
    end_on: dt.date | None
    note: str

    @property
    def key(self) -> tuple[Any, ...]:
        return self.kind, self.start_on

    def describe(self) -> str:
        note = f" ({_short(self.note)})" if self.note else ""
        return f"{self.kind.label.lower()} {span_text(self.start_on, self.end_on)}{note}"


@dataclass(frozen=True)
class DisciplineData:
    decided_on: dt.date
    form: DisciplineForm
    decided_by: str
    reason: str
    self_detected_remedied: bool
    erased_on: dt.date | None

    @property
    def key(self) -> tuple[Any, ...]:
        return self.decided_on, self.form

    def describe(self) -> str:
        parts = [f"{self.form.label.lower()} ngày {format_date(self.decided_on)}"]
        if self.decided_by:
            parts.append(self.decided_by)
        if self.reason:
            parts.append(f"vi phạm: {_short(self.reason)}")
        if self.self_detected_remedied:
            parts.append("tự phát hiện, khắc phục")
        if self.erased_on:
            parts.append(f"xóa ngày {format_date(self.erased_on)}")
        return "; ".join(parts)


@dataclass(frozen=True)
class OrgDisciplineData:
    of_collective: bool
    decided_on: dt.date
    form: DisciplineForm
    decided_by: str
    reason: str
    erased_on: dt.date | None

    @property
    def key(self) -> tuple[Any, ...]:
        return self.of_collective, self.decided_on, self.form

    def describe(self) -> str:
        whom = "cấp ủy" if self.of_collective else "tổ chức"
        parts = [f"{self.form.label.lower()} {whom} ngày {format_date(self.decided_on)}"]
        if self.decided_by:
            parts.append(self.decided_by)
        if self.reason:
            parts.append(f"nội dung: {_short(self.reason)}")
        if self.erased_on:
            parts.append(f"xóa ngày {format_date(self.erased_on)}")
        return "; ".join(parts)


Record = PeriodData | DisciplineData | OrgDisciplineData


def _sorted(records: Iterable[Record]) -> tuple[Any, ...]:
    return tuple(sorted(records, key=lambda r: tuple(str(v) for v in r.key)))


# ---- JSON -----------------------------------------------------------------------------------


def to_json(records: tuple[Record, ...]) -> list[dict[str, Any]]:
    out = []
    for r in records:
        if isinstance(r, PeriodData):
            out.append({"kind": r.kind.value, "start_on": iso(r.start_on),
                        "end_on": iso(r.end_on), "note": r.note})  # fmt: skip
        elif isinstance(r, DisciplineData):
            out.append({"decided_on": iso(r.decided_on), "form": r.form.value,
                        "decided_by": r.decided_by, "reason": r.reason,
                        "self_detected_remedied": r.self_detected_remedied,
                        "erased_on": iso(r.erased_on)})  # fmt: skip
        else:
            out.append({"of_collective": r.of_collective, "decided_on": iso(r.decided_on),
                        "form": r.form.value, "decided_by": r.decided_by, "reason": r.reason,
                        "erased_on": iso(r.erased_on)})  # fmt: skip
    return out


def _enum(kind: type[PeriodKind] | type[DisciplineForm], what: str) -> Callable[[Any], Any]:
    def read(value: Any) -> Any:
        try:
            return kind(value)
        except ValueError:
            raise BadValue(f"{what} không hợp lệ") from None

    return read


def _get(value: Mapping[str, Any], key: str, read: Callable[[Any], Any]) -> Any:
    if key not in value:
        raise BadValue(f"thiếu mục “{key}”")
    try:
        return read(value[key])
    except BadValue as error:
        raise BadValue(f"mục “{key}”: {error}") from None


def _read_one(what: str, value: Any) -> Record:
    if not isinstance(value, dict):
        raise BadValue("phải là một bảng dữ liệu")
    if what == PERIODS:
        start = _get(value, "start_on", read_date)
        end = _get(value, "end_on", optional(read_date))
        problem = end_problem(start, end)
        if problem:
            raise BadValue(problem)
        return PeriodData(
            _get(value, "kind", _enum(PeriodKind, "loại thời gian")), start, end,
            _get(value, "note", line(300).read),
        )  # fmt: skip
    decided = _get(value, "decided_on", read_date)
    erased = _get(value, "erased_on", optional(read_date))
    problem = end_problem(decided, erased, "ngày xóa")
    if problem:
        raise BadValue(problem)
    form = _get(value, "form", _enum(DisciplineForm, "hình thức kỷ luật"))
    decided_by = _get(value, "decided_by", line(200).read)
    reason = _get(value, "reason", _REASON.read)
    if what == DISCIPLINES:
        remedied = _get(value, "self_detected_remedied", read_bool)
        return DisciplineData(decided, form, decided_by, reason, remedied, erased)
    collective = _get(value, "of_collective", read_bool)
    return OrgDisciplineData(collective, decided, form, decided_by, reason, erased)


def from_json(what: str, value: Any, where: str) -> tuple[Any, ...]:
    """The records of kind *what* (PERIODS, DISCIPLINES, ORG_DISCIPLINES), sorted; a
    BadValue naming *where* for anything wrong, or one record listed twice."""
    if not isinstance(value, list) or len(value) > MAX_RECORDS:
        raise BadValue(f"{where}: phải là danh sách (tối đa {MAX_RECORDS} mục)")
    records = []
    for index, item in enumerate(value):
        try:
            records.append(_read_one(what, item))
        except BadValue as error:
            raise BadValue(f"{where}, mục {index + 1}: {error}") from None
    keys = [r.key for r in records]
    if len(set(keys)) != len(keys):
        raise BadValue(f"{where}: một bản ghi có hai lần")
    return _sorted(records)


# ---- a database -----------------------------------------------------------------------------


def read_members(
    session: Session, ids: set[int]
) -> tuple[dict[int, tuple[PeriodData, ...]], dict[int, tuple[DisciplineData, ...]]]:
    """Every period and discipline record of the members *ids*, by member id."""
    periods: dict[int, list[PeriodData]] = {i: [] for i in ids}
    for p in session.scalars(select(MemberPeriod).where(MemberPeriod.member_id.in_(ids))):
        periods[p.member_id].append(PeriodData(PeriodKind(p.kind), p.start_on, p.end_on, p.note))
    disciplines: dict[int, list[DisciplineData]] = {i: [] for i in ids}
    for d in session.scalars(select(Discipline).where(Discipline.member_id.in_(ids))):
        disciplines[d.member_id].append(
            DisciplineData(d.decided_on, DisciplineForm(d.form), d.decided_by, d.reason,
                           d.self_detected_remedied, d.erased_on)
        )  # fmt: skip
    return (
        {i: _sorted(found) for i, found in periods.items()},
        {i: _sorted(found) for i, found in disciplines.items()},
    )


def read_org(session: Session, org_id: int) -> tuple[OrgDisciplineData, ...]:
    return _sorted(
        OrgDisciplineData(o.of_collective, o.decided_on, DisciplineForm(o.form), o.decided_by,
                          o.reason, o.erased_on)
        for o in session.scalars(select(OrgDiscipline).where(OrgDiscipline.org_id == org_id))
    )  # fmt: skip


def compare(
    ours: tuple[Record, ...], theirs: tuple[Record, ...]
) -> tuple[list[tuple[Record | None, Record]], list[Record]]:
    """(each record of *theirs* that is new or differs here, with ours of the same identity
    or None; the records here the package does not hold)."""
    here = {r.key: r for r in ours}
    listed = {r.key for r in theirs}
    changed = [(here.get(r.key), r) for r in theirs if here.get(r.key) != r]
    return changed, [r for r in ours if r.key not in listed]


def write(session: Session, owner_id: int, before: Record | None, after: Record) -> None:
    """Add *after*, or give the record *before* (same identity) its values."""
    model: type[MemberPeriod] | type[Discipline] | type[OrgDiscipline]
    if isinstance(after, PeriodData):
        model, owner = MemberPeriod, "member_id"
        identity: dict[str, Any] = {"kind": after.kind, "start_on": after.start_on}
        values: dict[str, Any] = {"end_on": after.end_on, "note": after.note}
    elif isinstance(after, DisciplineData):
        model, owner = Discipline, "member_id"
        identity = {"decided_on": after.decided_on, "form": after.form}
        values = {"decided_by": after.decided_by, "reason": after.reason,
                  "self_detected_remedied": after.self_detected_remedied,
                  "erased_on": after.erased_on}  # fmt: skip
    else:
        model, owner = OrgDiscipline, "org_id"
        identity = {"of_collective": after.of_collective, "decided_on": after.decided_on,
                    "form": after.form}  # fmt: skip
        values = {"decided_by": after.decided_by, "reason": after.reason,
                  "erased_on": after.erased_on}  # fmt: skip
    identity[owner] = owner_id
    found = None
    if before is not None:
        found = session.scalars(select(model).filter_by(**identity)).first()
    if found is None:
        found = model(**identity)
        session.add(found)
    for key, value in values.items():
        setattr(found, key, value)


def overlap_problems(session: Session, members: Mapping[int, str]) -> list[str]:
    """Two periods of one kind sharing a day, for the members *members* (id → name), as the
    records stand in the session: what the window refuses to save."""
    problems = []
    for member_id, name in members.items():
        found: dict[PeriodKind, list[tuple[dt.date, dt.date | None]]] = {}
        for p in session.scalars(
            select(MemberPeriod)
            .where(MemberPeriod.member_id == member_id)
            .order_by(MemberPeriod.start_on)
        ):
            kind = PeriodKind(p.kind)
            span = (p.start_on, p.end_on)
            clash = next((o for o in found.get(kind, []) if overlaps(span, o)), None)
            if clash is not None:
                problems.append(
                    f"{name}: {kind.label.lower()} {span_text(*span)} trùng thời gian với "
                    f"{kind.label.lower()} {span_text(*clash)}."
                )
            found.setdefault(kind, []).append(span)
    return problems
