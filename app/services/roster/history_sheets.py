"""The members workbook's history sheets: members' periods, their discipline, and the
discipline of organisations — the records the rules read besides the roster itself.

Three optional sheets, read and checked with the rest of the workbook and written in the
same transaction (``roster.workbook``): a bad row anywhere and nothing is written.

- "Thời gian": Mã, Loại, Từ ngày, Đến ngày, Ghi chú — a member's period of exemption
  (miễn sinh hoạt), suspension (đình chỉ), sick leave, maternity leave or temporary activity
  elsewhere. "Đến ngày" is the day the member is back; empty while it runs.
- "Kỷ luật": Mã, Hình thức, Ngày quyết định, Cấp quyết định, Nội dung vi phạm,
  Tự phát hiện, khắc phục (có/không), Ngày xóa/hết hiệu lực.
- "Kỷ luật tổ chức": Mã tổ chức, Đối với (tổ chức / cấp ủy), Hình thức, Ngày quyết định,
  Cấp quyết định, Nội dung, Ngày xóa.

A record is known by its identity: a period by (member, kind, first day), a member's
discipline by (member, decision date, form), an organisation's by (organisation, against
the organisation or its cấp ủy, decision date, form). A row whose identity the database
already holds replaces that record's other values (end, note, reason, who decided, erasure);
any other row adds a record. Records the file does not list are kept, as members missing from
the file are: re-importing a file, or importing an export, never duplicates nor loses a
record. Correcting an identity (a wrong date or form) is done in the window.

The exemption column of the members sheet ("Miễn sinh hoạt từ", written by earlier versions)
is still read: when a member has no exemption row in "Thời gian", the column sets or ends
their current exemption as it always did. The app now writes exemptions only in "Thời gian".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from app.domain.formatting import format_date
from app.domain.history_checks import end_problem, first_overlap, span_text
from app.domain.text import search_fold
from app.domain.vocabulary import (
    DisciplineForm,
    PeriodKind,
    read_discipline_form,
    read_period_kind,
)
from app.services.common.workbook import Column, SheetRow, SheetSpec, WorkbookProblem, read_rows
from app.store.models import Discipline, Member, MemberPeriod, Organization, OrgDiscipline

MAX_TEXT = 4000  # the violation's summary; a cell of Excel holds 32,767 characters

PERIOD_SHEET = SheetSpec(
    "Thời gian",
    (
        Column("code", "Mã", required=True, width=12),
        Column("kind", "Loại", required=True, width=20),
        Column("start_on", "Từ ngày", required=True, width=13, is_date=True),
        Column("end_on", "Đến ngày", width=13, is_date=True),
        Column("note", "Ghi chú", width=40, max_length=300),
    ),
    required=False,
)
DISCIPLINE_SHEET = SheetSpec(
    "Kỷ luật",
    (
        Column("code", "Mã", required=True, width=12),
        Column("form", "Hình thức", required=True, width=13),
        Column("decided_on", "Ngày quyết định", required=True, width=15, is_date=True),
        Column("decided_by", "Cấp quyết định", width=22, max_length=200),
        Column("reason", "Nội dung vi phạm", width=48, max_length=MAX_TEXT),
        Column("self_detected", "Tự phát hiện, khắc phục", width=14),
        Column("erased_on", "Ngày xóa/hết hiệu lực", width=16, is_date=True),
    ),
    required=False,
)
ORG_DISCIPLINE_SHEET = SheetSpec(
    "Kỷ luật tổ chức",
    (
        Column("code", "Mã tổ chức", required=True, width=12),
        Column("subject", "Đối với", width=11),
        Column("form", "Hình thức", required=True, width=13),
        Column("decided_on", "Ngày quyết định", required=True, width=15, is_date=True),
        Column("decided_by", "Cấp quyết định", width=22, max_length=200),
        Column("reason", "Nội dung", width=48, max_length=MAX_TEXT),
        Column("erased_on", "Ngày xóa", width=13, is_date=True),
    ),
    required=False,
)
SHEETS = (PERIOD_SHEET, DISCIPLINE_SHEET, ORG_DISCIPLINE_SHEET)

NOTES = [
    "Trang “Thời gian” (không bắt buộc): mỗi dòng một khoảng thời gian của một đảng viên.",
    "  Loại: Miễn sinh hoạt / Đình chỉ sinh hoạt / Nghỉ ốm / Nghỉ thai sản / Sinh hoạt tạm thời.",
    "  Từ ngày: ngày bắt đầu. Đến ngày: ngày trở lại sinh hoạt; để trống nếu còn đang tiếp diễn.",
    "  Việc miễn sinh hoạt ghi ở trang này (cột “Miễn sinh hoạt từ” của tệp cũ vẫn đọc được).",
    "",
    "Trang “Kỷ luật” (không bắt buộc): mỗi dòng một quyết định kỷ luật đảng viên.",
    "  Hình thức: Khiển trách / Cảnh cáo / Cách chức / Khai trừ.",
    "  Cấp quyết định: ví dụ Chi bộ, Đảng ủy xã. Nội dung vi phạm: tóm tắt.",
    "  Tự phát hiện, khắc phục: “có” nếu đảng viên tự phát hiện và đã chủ động khắc phục",
    "  (không phải xếp loại không hoàn thành nhiệm vụ theo QĐ 124-QĐ/TW); để trống là không.",
    "  Ngày xóa/hết hiệu lực: ngày xóa kỷ luật hoặc kỷ luật hết hiệu lực (nếu có).",
    "",
    "Trang “Kỷ luật tổ chức” (không bắt buộc): kỷ luật một tổ chức đảng hoặc cấp ủy của nó.",
    "  Mã tổ chức: mã ở trang “Tổ chức” hoặc đã có trong dữ liệu. Đối với: Tổ chức / Cấp ủy",
    "  (để trống là tổ chức).",
    "",
    "Mỗi bản ghi nhận biết bằng: thời gian — mã, loại, từ ngày; kỷ luật — mã, ngày quyết định,",
    "  hình thức; kỷ luật tổ chức — mã tổ chức, đối với, ngày quyết định, hình thức.",
    "  Bản ghi đã có thì được cập nhật các cột còn lại, bản ghi mới thì thêm; bản ghi không có",
    "  trong tệp thì giữ nguyên. Nhập lại cùng một tệp không sinh bản ghi trùng.",
    "  Muốn sửa ngày bắt đầu, ngày quyết định hay hình thức đã nhập sai: sửa trong chương trình.",
]

_NO = {"", "khong", "0", "sai", "no", "false"}
_YES = {"co", "x", "1", "dung", "yes", "true"}
_ORG = {"", "to chuc", "to chuc dang", "chi bo", "dang bo"}
_COLLECTIVE = {"cap uy", "chi uy", "dang uy", "tap the lanh dao", "ban thuong vu"}
ORG_LABEL, COLLECTIVE_LABEL = "Tổ chức", "Cấp ủy"


# ---- the records ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PeriodEntry:
    row: int
    code: str
    kind: PeriodKind
    start_on: dt.date
    end_on: dt.date | None
    note: str

    @property
    def key(self) -> tuple[str, PeriodKind, dt.date]:
        return self.code, self.kind, self.start_on


@dataclass(frozen=True)
class DisciplineEntry:
    row: int
    code: str
    form: DisciplineForm
    decided_on: dt.date
    decided_by: str
    reason: str
    self_detected_remedied: bool
    erased_on: dt.date | None

    @property
    def key(self) -> tuple[str, dt.date, DisciplineForm]:
        return self.code, self.decided_on, self.form


@dataclass(frozen=True)
class OrgDisciplineEntry:
    row: int
    code: str
    of_collective: bool
    form: DisciplineForm
    decided_on: dt.date
    decided_by: str
    reason: str
    erased_on: dt.date | None

    @property
    def key(self) -> tuple[str, bool, dt.date, DisciplineForm]:
        return self.code, self.of_collective, self.decided_on, self.form


@dataclass(frozen=True)
class HistoryRows:
    """The history sheets' rows as read (inside ``reading``), checked later."""

    periods: list[SheetRow]
    disciplines: list[SheetRow]
    org_disciplines: list[SheetRow]


@dataclass(frozen=True)
class HistoryPlan:
    periods: list[PeriodEntry] = field(default_factory=list)
    disciplines: list[DisciplineEntry] = field(default_factory=list)
    org_disciplines: list[OrgDisciplineEntry] = field(default_factory=list)
    new: int = 0  # records the database does not hold yet
    existing: int = 0  # records it holds, whose other values the file sets

    @property
    def count(self) -> int:
        return len(self.periods) + len(self.disciplines) + len(self.org_disciplines)

    def exempt_starts(self, code: str) -> set[dt.date] | None:
        """The first days of *code*'s exemption rows; None when the file lists none."""
        exempt = PeriodKind.EXEMPT
        starts = {p.start_on for p in self.periods if p.code == code and p.kind is exempt}
        return starts or None


@dataclass(frozen=True)
class Known:
    """What codes the history rows may name: the file's members and organisations laid over
    the database's, as the workbook's own sheets are checked."""

    members: Mapping[str, dt.date | None]  # member code → admission date
    orgs: Mapping[str, Any]  # organisation code → kind


@dataclass(frozen=True)
class Existing:
    """The database's history records by identity (codes, not row ids)."""

    periods: dict[tuple[str, PeriodKind, dt.date], dt.date | None]  # → end
    disciplines: set[tuple[str, dt.date, DisciplineForm]]
    org_disciplines: set[tuple[str, bool, dt.date, DisciplineForm]]


def load_existing(session: Session) -> Existing:
    periods = {
        (code, PeriodKind(kind), start): end
        for code, kind, start, end in session.execute(
            select(Member.code, MemberPeriod.kind, MemberPeriod.start_on, MemberPeriod.end_on).join(
                Member, Member.id == MemberPeriod.member_id
            )
        )
    }
    disciplines = {
        (code, day, DisciplineForm(form))
        for code, day, form in session.execute(
            select(Member.code, Discipline.decided_on, Discipline.form).join(
                Member, Member.id == Discipline.member_id
            )
        )
    }
    org_disciplines = {
        (code, bool(collective), day, DisciplineForm(form))
        for code, collective, day, form in session.execute(
            select(
                Organization.code,
                OrgDiscipline.of_collective,
                OrgDiscipline.decided_on,
                OrgDiscipline.form,
            ).join(Organization, Organization.id == OrgDiscipline.org_id)
        )
    }
    return Existing(periods, disciplines, org_disciplines)


# ---- reading --------------------------------------------------------------------------------


def read_history_rows(workbook: Workbook, problems: list[WorkbookProblem]) -> HistoryRows:
    """The rows of the three sheets (each optional); header problems go to *problems*."""
    return HistoryRows(
        list(read_rows(workbook, PERIOD_SHEET, problems)),
        list(read_rows(workbook, DISCIPLINE_SHEET, problems)),
        list(read_rows(workbook, ORG_DISCIPLINE_SHEET, problems)),
    )


def check_history(
    rows: HistoryRows, known: Known, existing: Existing, today: dt.date,
    problems: list[WorkbookProblem],
) -> HistoryPlan:  # fmt: skip
    """Every row checked; problems go to *problems* with their sheet, row and column."""
    periods = _periods(rows.periods, known, existing, problems)
    disciplines = _disciplines(rows.disciplines, known, today)
    org_disciplines = _org_disciplines(rows.org_disciplines, known, today)
    new = sum(1 for p in periods if p.key not in existing.periods)
    new += sum(1 for d in disciplines if d.key not in existing.disciplines)
    new += sum(1 for d in org_disciplines if d.key not in existing.org_disciplines)
    total = len(periods) + len(disciplines) + len(org_disciplines)
    return HistoryPlan(periods, disciplines, org_disciplines, new, total - new)


def _member_code(row: SheetRow, known: Known) -> str | None:
    code = row.code("code")
    if not code:
        row.problem("code", "chưa ghi mã đảng viên")
        return None
    if code not in known.members:
        row.problem("code", f"không có đảng viên mã “{code}” trong tệp hay trong dữ liệu")
        return None
    return code


def _before_admission(row: SheetRow, key: str, code: str, day: dt.date, known: Known) -> None:
    admitted = known.members.get(code)
    if admitted is not None and day < admitted:
        row.problem(key, f"ngày {format_date(day)} trước ngày vào Đảng {format_date(admitted)}")


def _not_future(row: SheetRow, key: str, day: dt.date | None, today: dt.date) -> None:
    if day is not None and day > today:
        row.problem(key, f"ngày {format_date(day)} chưa tới (hôm nay là {format_date(today)})")


def _periods(
    rows: list[SheetRow], known: Known, existing: Existing, problems: list[WorkbookProblem]
) -> list[PeriodEntry]:
    entries: list[PeriodEntry] = []
    for row in rows:
        code = _member_code(row, known)
        kind = row.enum("kind", read_period_kind)
        start = row.date("start_on")
        end = row.date("end_on")
        if start is None and not row.text("start_on"):
            row.problem("start_on", "chưa ghi ngày bắt đầu")
        if start is not None:
            problem = end_problem(start, end, "đến ngày")
            if problem:
                row.problem("end_on", problem)
                end = None
            if code is not None:
                _before_admission(row, "start_on", code, start, known)
        if code is None or kind is None or start is None:
            continue
        entries.append(PeriodEntry(row.number, code, kind, start, end, row.text("note")))
    # Two rows for one period, or two periods of one kind sharing a day (in the file, or with
    # one the database keeps because the file does not list it).
    listed = {e.key for e in entries}
    spans: dict[tuple[str, PeriodKind], list[tuple[str, tuple[dt.date, dt.date | None]]]] = {}
    for (code, kind, start), end in existing.periods.items():
        if (code, kind, start) not in listed:
            spans.setdefault((code, kind), []).append(
                (f"{span_text(start, end)} đã có trong dữ liệu", (start, end))
            )
    first: dict[tuple[str, PeriodKind, dt.date], int] = {}
    start_header = PERIOD_SHEET.column("start_on").header
    for entry in entries:
        place = WorkbookProblem(PERIOD_SHEET.name, entry.row, start_header)
        if entry.key in first:
            problems.append(_at(place, f"trùng với dòng {first[entry.key]}"))
            continue
        first[entry.key] = entry.row
        span = (entry.start_on, entry.end_on)
        others = spans.setdefault((entry.code, entry.kind), [])
        clash = first_overlap(span, others)
        if clash is not None:
            what = f"{entry.kind.label.lower()} {span_text(*span)} trùng thời gian với {clash}"
            problems.append(_at(place, what))
        others.append((f"dòng {entry.row}", span))
    return entries


def _at(place: WorkbookProblem, message: str) -> WorkbookProblem:
    return WorkbookProblem(place.sheet, place.row, place.column, message)


def _read_yes_no(row: SheetRow, key: str) -> bool:
    text = search_fold(row.text(key))
    if text in _YES:
        return True
    if text not in _NO:
        row.problem(key, f"“{row.text(key)}” không hợp lệ (ghi “có” hoặc “không”)")
    return False


def _decision(row: SheetRow, today: dt.date) -> tuple[DisciplineForm | None, dt.date | None]:
    """The form and date of a decision row, with their problems recorded."""
    form = row.enum("form", read_discipline_form)
    if form is None and not row.text("form"):
        row.problem("form", "chưa ghi hình thức kỷ luật")
    decided = row.date("decided_on")
    if decided is None and not row.text("decided_on"):
        row.problem("decided_on", "chưa ghi ngày quyết định")
    _not_future(row, "decided_on", decided, today)
    return form, decided


def _erased(row: SheetRow, decided: dt.date | None) -> dt.date | None:
    erased = row.date("erased_on")
    if decided is not None:
        problem = end_problem(decided, erased, "ngày xóa")
        if problem:
            row.problem("erased_on", problem.replace("ngày bắt đầu", "ngày quyết định"))
    return erased


def _disciplines(rows: list[SheetRow], known: Known, today: dt.date) -> list[DisciplineEntry]:
    entries: list[DisciplineEntry] = []
    first: dict[tuple[str, dt.date, DisciplineForm], int] = {}
    for row in rows:
        code = _member_code(row, known)
        form, decided = _decision(row, today)
        erased = _erased(row, decided)
        remedied = _read_yes_no(row, "self_detected")
        if code is not None and decided is not None:
            _before_admission(row, "decided_on", code, decided, known)
        if code is None or form is None or decided is None:
            continue
        entry = DisciplineEntry(
            row.number, code, form, decided, row.text("decided_by"), row.text("reason"),
            remedied, erased,
        )  # fmt: skip
        if entry.key in first:
            row.problem("decided_on", f"trùng với dòng {first[entry.key]}")
            continue
        first[entry.key] = row.number
        entries.append(entry)
    return entries


def _org_disciplines(
    rows: list[SheetRow], known: Known, today: dt.date
) -> list[OrgDisciplineEntry]:
    entries: list[OrgDisciplineEntry] = []
    first: dict[tuple[str, bool, dt.date, DisciplineForm], int] = {}
    for row in rows:
        code = row.code("code")
        if not code:
            row.problem("code", "chưa ghi mã tổ chức")
        elif code not in known.orgs:
            row.problem("code", f"không có tổ chức mã “{code}” trong tệp hay trong dữ liệu")
        subject = search_fold(row.text("subject"))
        collective = subject in _COLLECTIVE
        if not collective and subject not in _ORG:
            row.problem(
                "subject", f"“{row.text('subject')}” không hợp lệ (ghi “Tổ chức” hoặc “Cấp ủy”)"
            )
        form, decided = _decision(row, today)
        erased = _erased(row, decided)
        if not code or code not in known.orgs or form is None or decided is None:
            continue
        entry = OrgDisciplineEntry(
            row.number, code, collective, form, decided, row.text("decided_by"),
            row.text("reason"), erased,
        )  # fmt: skip
        if entry.key in first:
            row.problem("decided_on", f"trùng với dòng {first[entry.key]}")
            continue
        first[entry.key] = row.number
        entries.append(entry)
    return entries


# ---- writing into the database --------------------------------------------------------------


def apply_history(session: Session, plan: HistoryPlan) -> tuple[int, int]:
    """Write the checked records (members and organisations are written already); return
    (records added, records updated)."""
    if not plan.count:
        return 0, 0
    session.flush()
    members = dict(session.execute(select(Member.code, Member.id)).all())
    orgs = dict(session.execute(select(Organization.code, Organization.id)).all())
    ids = {members[e.code] for e in (*plan.periods, *plan.disciplines)}
    added = updated = 0

    periods = {
        (p.member_id, PeriodKind(p.kind), p.start_on): p
        for p in session.scalars(select(MemberPeriod).where(MemberPeriod.member_id.in_(ids)))
    }
    new_rows: list[dict[str, Any]] = []
    for e in plan.periods:
        found = periods.get((members[e.code], e.kind, e.start_on))
        if found is None:
            new_rows.append({"member_id": members[e.code], "kind": e.kind, "start_on": e.start_on,
                             "end_on": e.end_on, "note": e.note})  # fmt: skip
        else:
            found.end_on, found.note = e.end_on, e.note
            updated += 1
    added += _insert(session, MemberPeriod, new_rows)

    disciplines = {
        (d.member_id, d.decided_on, DisciplineForm(d.form)): d
        for d in session.scalars(select(Discipline).where(Discipline.member_id.in_(ids)))
    }
    new_rows = []
    for d in plan.disciplines:
        values = {"decided_by": d.decided_by, "reason": d.reason, "erased_on": d.erased_on,
                  "self_detected_remedied": d.self_detected_remedied}  # fmt: skip
        found_d = disciplines.get((members[d.code], d.decided_on, d.form))
        if found_d is None:
            new_rows.append({"member_id": members[d.code], "decided_on": d.decided_on,
                             "form": d.form, **values})  # fmt: skip
        else:
            for key, value in values.items():
                setattr(found_d, key, value)
            updated += 1
    added += _insert(session, Discipline, new_rows)

    org_ids = {orgs[o.code] for o in plan.org_disciplines}
    against = {
        (o.org_id, bool(o.of_collective), o.decided_on, DisciplineForm(o.form)): o
        for o in session.scalars(select(OrgDiscipline).where(OrgDiscipline.org_id.in_(org_ids)))
    }
    new_rows = []
    for o in plan.org_disciplines:
        values = {"decided_by": o.decided_by, "reason": o.reason, "erased_on": o.erased_on}
        found_o = against.get((orgs[o.code], o.of_collective, o.decided_on, o.form))
        if found_o is None:
            new_rows.append({"org_id": orgs[o.code], "of_collective": o.of_collective,
                             "decided_on": o.decided_on, "form": o.form, **values})  # fmt: skip
        else:
            for key, value in values.items():
                setattr(found_o, key, value)
            updated += 1
    added += _insert(session, OrgDiscipline, new_rows)
    return added, updated


def _insert(session: Session, model: type, rows: list[dict[str, Any]]) -> int:
    if rows:
        session.execute(insert(model.__table__), rows)  # type: ignore[attr-defined]
    return len(rows)


# ---- export ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryValues:
    periods: list[list[Any]]
    disciplines: list[list[Any]]
    org_disciplines: list[list[Any]]


def export_values(
    session: Session, member_order: Mapping[str, int], org_order: Mapping[str, int]
) -> HistoryValues:
    """The three sheets' rows for the members and organisations exported, in their order."""
    periods = [
        (code, p)
        for code, p in session.execute(
            select(Member.code, MemberPeriod).join(Member, Member.id == MemberPeriod.member_id)
        ).all()
        if code in member_order
    ]
    periods.sort(key=lambda cp: (member_order[cp[0]], cp[1].start_on, cp[1].kind, cp[1].id))
    disciplines = [
        (code, d)
        for code, d in session.execute(
            select(Member.code, Discipline).join(Member, Member.id == Discipline.member_id)
        ).all()
        if code in member_order
    ]
    disciplines.sort(key=lambda cd: (member_order[cd[0]], cd[1].decided_on, cd[1].id))
    org_disciplines = [
        (code, o)
        for code, o in session.execute(
            select(Organization.code, OrgDiscipline).join(
                Organization, Organization.id == OrgDiscipline.org_id
            )
        ).all()
        if code in org_order
    ]
    org_disciplines.sort(key=lambda co: (org_order[co[0]], co[1].decided_on, co[1].id))
    return HistoryValues(
        periods=[
            [code, PeriodKind(p.kind).label, p.start_on, p.end_on, p.note or None]
            for code, p in periods
        ],
        disciplines=[
            [
                code,
                DisciplineForm(d.form).label,
                d.decided_on,
                d.decided_by or None,
                d.reason or None,
                "có" if d.self_detected_remedied else None,
                d.erased_on,
            ]
            for code, d in disciplines
        ],
        org_disciplines=[
            [
                code,
                COLLECTIVE_LABEL if o.of_collective else ORG_LABEL,
                DisciplineForm(o.form).label,
                o.decided_on,
                o.decided_by or None,
                o.reason or None,
                o.erased_on,
            ]
            for code, o in org_disciplines
        ],
    )


EMPTY = HistoryValues([], [], [])
