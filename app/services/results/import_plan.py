"""Planning a results import: every row read and checked against the database, and what
writing it would change, year by year (see ``results.workbook`` for the rules it follows)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from app.domain import clock
from app.domain.formatting import format_int
from app.domain.member_checks import check_code
from app.domain.procedure import PeriodState
from app.domain.text import fold
from app.domain.vocabulary import OrgKind
from app.services.common.errors import ServiceError
from app.services.common.progress import SILENT, Progress
from app.services.common.workbook import (
    WorkbookError,
    WorkbookProblem,
    find_sheet,
    read_rows,
    reading,
)
from app.services.results.reading import MEMBER_SHEET, ORG_SHEET, RowResult, describe, read_row
from app.services.results.state import Existing, State, load_results, load_state
from app.store.database import Database

ADDED, FILLED, UNCHANGED, CONFLICT = "added", "filled", "unchanged", "conflict"


@dataclass(frozen=True)
class Change:
    """A result that changes something already recorded."""

    sheet: str
    row: int
    year: int
    code: str
    name: str
    before: str
    after: str
    conflict: bool  # a different decided result (not an empty one filled in)

    def __str__(self) -> str:
        return (
            f"Trang “{self.sheet}”, dòng {self.row}: năm {self.year}, {self.code} {self.name}: "
            f"{self.before} → {self.after}"
        )


@dataclass(frozen=True)
class NameMismatch:
    """A row whose name is not the registry's name for its code, beyond case and spacing: a
    different spelling, another diacritic (Lê/Lệ), or another person's code altogether."""

    sheet: str
    row: int
    year: int
    code: str
    registry_name: str
    file_name: str

    def __str__(self) -> str:
        return (
            f"Trang “{self.sheet}”, dòng {self.row}: mã {self.code} trong danh sách là "
            f"{self.registry_name}, tệp ghi {self.file_name}"
        )


def same_name(one: str, other: str) -> bool:
    """The same name written with other capitals, spaces or Unicode form; diacritics count."""
    return fold(one) == fold(other)


def name_mismatches(rows: Iterable[RowResult], state: State) -> list[NameMismatch]:
    """Every member row naming someone other than the registry's record of its code."""
    found = []
    for row in rows:
        known = state.members.get(row.code) if kind_of(row) == "member" else None
        if known is not None and row.name and not same_name(row.name, known.full_name):
            found.append(
                NameMismatch(row.sheet, row.row, row.year, row.code, known.full_name, row.name)
            )
    return found


@dataclass(frozen=True)
class NewMember:
    code: str
    full_name: str
    cell_code: str  # the cell of their last year in the file
    last_year: int


@dataclass(frozen=True)
class YearPlan:
    year: int
    ruleset_id: str
    ruleset_name: str
    new_period: bool
    members: int
    orgs: int
    added: int  # results of someone not yet in the period (everyone, in a new period)
    filled: int
    unchanged: int
    conflicts: int
    notes: int = 0  # unchanged results whose note ("not classified" detail) changes
    state: PeriodState | None = None  # the period's state; None for a period to create

    @property
    def writes(self) -> bool:
        """Whether importing changes anything recorded for the year."""
        return self.new_period or bool(self.added + self.filled + self.conflicts + self.notes)

    @property
    def open(self) -> bool:
        """A period still under way: its results come from the procedure, never a file."""
        return self.state is not None and not self.state.is_decided

    @property
    def locked(self) -> bool:
        """A decided period the file would change: writable only after a logged reopen."""
        return self.state is not None and self.state.is_decided and self.writes


class YearsClosedToImport(ServiceError):
    """The file would write a year the import may not write as things stand; nothing was
    written. The message names the years and says what to do."""

    def __init__(self, years: Iterable[YearPlan], reopen_given: bool = False) -> None:
        years = list(years)
        lines = []
        busy = [y.year for y in years if y.open]
        if busy:
            lines.append(
                f"Năm {_years(busy)} đang đánh giá (kỳ chưa quyết định): kết quả của kỳ đang "
                "mở chỉ ghi qua các bước của quy trình (hội nghị, biểu quyết, thẩm định, quyết "
                "định), không nhập từ tệp. Bỏ các dòng của năm ấy khỏi tệp rồi nhập lại."
            )
        locked = [y.year for y in years if y.locked and not y.open]
        if locked and not reopen_given:
            lines.append(
                f"Năm {_years(locked)} đã quyết định và khóa: tệp sẽ thay đổi kết quả đã khóa. "
                'Chỉ nhập được khi mở khóa có ghi lý do (dòng lệnh: --reopen "lý do"; trong '
                "cửa sổ: ghi lý do khi được hỏi). Việc mở khóa được ghi nhật ký, và năm ấy "
                "được khóa lại ngay sau khi nhập."
            )
        super().__init__("\n".join(lines))


def _years(years: list[int]) -> str:
    return ", ".join(str(y) for y in sorted(years))


def closed_years(plans: Iterable[YearPlan], reopen: str = "") -> list[YearPlan]:
    """The years that block the import: open ones always, locked ones without a reason."""
    return [y for y in plans if (y.open and y.writes) or (y.locked and not reopen.strip())]


@dataclass(frozen=True)
class ImportPlan:
    """A checked workbook, ready to write, with what it will change."""

    path: Path
    rows: tuple[RowResult, ...]
    years: tuple[YearPlan, ...]
    changes: tuple[Change, ...]
    new_members: tuple[NewMember, ...]
    # Rows to file under a code whose registry name differs: written only when confirmed.
    name_mismatches: tuple[NameMismatch, ...] = ()

    @property
    def conflicts(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.conflict)

    @property
    def locked_years(self) -> tuple[int, ...]:
        """Decided years the file changes: the import must reopen them, with a reason."""
        return tuple(y.year for y in self.years if y.locked)

    def describe(self) -> str:
        lines = []
        for y in self.years:
            what = "tạo kỳ đánh giá mới, đã khóa" if y.new_period else "kỳ đánh giá đã có"
            if y.locked:
                what = "kỳ đã quyết định và khóa: phải mở khóa có lý do, nhập xong khóa lại"
            text = (
                f"Năm {y.year} ({y.ruleset_name}): {what}; {format_int(y.members)} đảng viên, "
                f"{format_int(y.orgs)} tổ chức"
            )
            if not y.new_period:
                text += (
                    f" — thêm {format_int(y.added)}, điền {format_int(y.filled)} kết quả còn "
                    f"trống, {format_int(y.unchanged)} không đổi, {format_int(y.conflicts)} "
                    "khác với kết quả đã quyết định"
                )
            lines.append(text + ".")
        if self.new_members:
            lines.append(
                f"Thêm {format_int(len(self.new_members))} đảng viên không có trong danh sách "
                "hiện tại (đã chuyển đi hoặc không còn sinh hoạt): "
                + ", ".join(f"{m.full_name} ({m.code})" for m in self.new_members[:10])
                + (" …" if len(self.new_members) > 10 else "")
            )
        if self.name_mismatches:
            lines.append(
                f"{format_int(len(self.name_mismatches))} dòng ghi họ tên khác với danh sách "
                "(khác chữ hoặc dấu, không chỉ chữ hoa hay khoảng trắng): chỉ nhập khi xác "
                "nhận đó đúng là người mang mã ấy."
            )
        return "\n".join(lines)


# --------------------------------------------------------------------------------------------


def kind_of(row: RowResult) -> str:
    return "member" if row.sheet == MEMBER_SHEET.name else "org"


def _problem(row: RowResult, key: str, message: str) -> WorkbookProblem:
    spec = MEMBER_SHEET if kind_of(row) == "member" else ORG_SHEET
    return WorkbookProblem(row.sheet, row.row, spec.column(key).header, message)


def _parse(
    path: Path, state: State, today: dt.date, problems: list[WorkbookProblem]
) -> list[RowResult]:
    """Every row read with its year's rule set; the database is consulted later."""
    specs = ((MEMBER_SHEET, "member"), (ORG_SHEET, "org"))
    with reading(path) as workbook:
        if all(find_sheet(workbook, spec.name) is None for spec, _kind in specs):
            problems.append(
                WorkbookProblem("", 0, "", "không có trang “Đảng viên” hay “Tổ chức” trong tệp")
            )
        sheets = [(list(read_rows(workbook, spec, problems)), kind) for spec, kind in specs]
    results: list[RowResult] = []
    for rows, kind in sheets:
        seen: dict[tuple[int, str], int] = {}
        for row in rows:
            found = read_row(row, kind, state.ruleset_for, today, seen)
            if found is not None:
                results.append(found)
    return results


def _check(
    path: Path, results: list[RowResult], state: State, problems: list[WorkbookProblem]
) -> list[RowResult]:
    """The rows checked against the database; raise WorkbookError if anything is wrong."""
    members = [r for r in results if kind_of(r) == "member"]
    orgs = [r for r in results if kind_of(r) == "org"]
    checked = _check_members(members, state, problems)
    for row in orgs:
        if row.code not in state.orgs:
            problems.append(
                _problem(
                    row,
                    "code",
                    f"không có tổ chức mã “{row.code}” trong dữ "
                    "liệu (nhập danh sách tổ chức và đảng viên trước)",
                )
            )
    if problems:
        raise WorkbookError(path, problems)
    return checked + orgs


def _check_members(
    rows: list[RowResult], state: State, problems: list[WorkbookProblem]
) -> list[RowResult]:
    """Known codes: the same person, a cell to file the result under. Unknown codes: a former
    member with a name and a cell. Returns the rows with the cell they will be filed under."""
    checked: list[RowResult] = []
    unknown: dict[str, list[RowResult]] = {}
    for row in rows:
        if row.cell_code:
            org = state.orgs.get(row.cell_code)
            if org is None or org[1] is not OrgKind.CELL:
                problems.append(
                    _problem(row, "cell", f"không có chi bộ mã “{row.cell_code}” trong dữ liệu")
                )
                continue
        known = state.members.get(row.code)
        if known is None:
            unknown.setdefault(row.code, []).append(row)
            continue
        end = dt.date(row.year, 12, 31)
        cell = row.cell_code
        if not cell:
            existing = state.member_rows.get(row.year, {}).get(known.id)
            cell_id = existing.cell_id if existing else state.cell_on(known.id, end)
            cell = state.org_codes.get(cell_id, "") if cell_id is not None else ""
        if not cell:
            problems.append(
                _problem(
                    row,
                    "cell",
                    f"không biết {known.full_name} sinh hoạt ở "
                    f"chi bộ nào năm {row.year}: ghi mã chi bộ",
                )
            )
            continue
        checked.append(dataclasses.replace(row, cell_code=cell))
    for code, found in unknown.items():
        checked += _check_former(code, found, problems)
    return checked


def _check_former(
    code: str, rows: list[RowResult], problems: list[WorkbookProblem]
) -> list[RowResult]:
    before = len(problems)
    hint = "để thêm người này như đảng viên đã chuyển đi, hoặc nhập danh sách đảng viên trước"
    code_problem = check_code(code)
    if code_problem:
        problems.append(_problem(rows[0], "code", code_problem))
    first = next((r for r in rows if r.name), None)
    for row in rows:
        if not row.name:
            problems.append(
                _problem(
                    row,
                    "full_name",
                    f"không có đảng viên mã “{code}” trong dữ liệu: ghi họ và tên {hint}",
                )
            )
        elif first is not None and not same_name(row.name, first.name):
            problems.append(
                _problem(
                    row,
                    "full_name",
                    f"mã “{code}” ghi tên khác với dòng {first.row} ({first.name})",
                )
            )
        if not row.cell_code:
            problems.append(
                _problem(
                    row,
                    "cell",
                    f"không có đảng viên mã “{code}” trong dữ liệu: ghi mã chi bộ năm đó {hint}",
                )
            )
    return rows if len(problems) == before else []


def _status(row: RowResult, existing: Existing | None) -> str:
    if existing is None:
        return ADDED
    if not existing.known:
        return FILLED
    if row.same_outcome(existing.evaluated, existing.decided, existing.reason):
        return UNCHANGED
    return CONFLICT


def _existing(row: RowResult, state: State) -> Existing | None:
    if kind_of(row) == "member":
        known = state.members.get(row.code)
        return state.member_rows.get(row.year, {}).get(known.id) if known else None
    org = state.orgs.get(row.code)
    return state.org_rows.get(row.year, {}).get(org[0]) if org else None


def classify(
    rows: Iterable[RowResult], state: State
) -> tuple[list[YearPlan], list[Change], list[tuple[RowResult, str, Existing | None]]]:
    by_year: dict[int, list[tuple[RowResult, str, Existing | None]]] = {}
    changes: list[Change] = []
    for row in rows:
        existing = _existing(row, state)
        status = _status(row, existing)
        by_year.setdefault(row.year, []).append((row, status, existing))
        if existing is not None and status in (FILLED, CONFLICT):
            rs, kind = state.ruleset_for(row.year), kind_of(row)
            before = describe(
                rs, kind, existing.evaluated, existing.decided, existing.reason, existing.note
            )
            after = describe(rs, kind, row.evaluated, row.level, row.reason, row.note)
            name = row.name or _name(row, state)
            changes.append(
                Change(
                    row.sheet, row.row, row.year, row.code, name, before, after, status == CONFLICT
                )
            )
    plans = []
    for year in sorted(by_year):
        found = by_year[year]
        rs = state.ruleset_for(year)
        statuses = [status for _row, status, _e in found]
        notes = sum(
            1
            for r, status, e in found
            if status == UNCHANGED and kind_of(r) == "member" and e and e.note != r.note
        )
        plans.append(
            YearPlan(
                year=year,
                ruleset_id=rs.id,
                ruleset_name=rs.name,
                new_period=year not in state.periods,
                members=sum(1 for r, _s, _e in found if kind_of(r) == "member"),
                orgs=sum(1 for r, _s, _e in found if kind_of(r) == "org"),
                added=statuses.count(ADDED),
                filled=statuses.count(FILLED),
                unchanged=statuses.count(UNCHANGED),
                conflicts=statuses.count(CONFLICT),
                notes=notes,
                state=state.period_states.get(year),
            )
        )
    flat = [item for year in sorted(by_year) for item in by_year[year]]
    return plans, changes, flat


def _name(row: RowResult, state: State) -> str:
    known = state.members.get(row.code)
    return known.full_name if known else ""


def _new_members(rows: Iterable[RowResult], state: State) -> list[NewMember]:
    latest: dict[str, RowResult] = {}
    for row in rows:
        if kind_of(row) != "member" or row.code in state.members:
            continue
        if row.code not in latest or row.year > latest[row.code].year:
            latest[row.code] = row
    return [NewMember(r.code, r.name, r.cell_code, r.year) for r in latest.values()]


def plan_import(
    db: Database, path: Path, today: dt.date | None = None, progress: Progress = SILENT
) -> ImportPlan:
    """Read and check the whole workbook against the database; raise WorkbookError listing
    every problem. The plan says, year by year, what ``apply_import`` would write."""
    today = today or clock.today()
    path = Path(path)
    progress.step(0, 3, "Đang đọc tệp kết quả")
    with db.session() as session:
        state = load_state(session)
        progress.step(1, 3, "Đang kiểm tra kết quả")
        problems: list[WorkbookProblem] = []
        parsed = _parse(path, state, today, problems)
        # A result is filed under the cell the period's roster already has, so read those.
        load_results(session, state, {r.year for r in parsed})
        rows = _check(path, parsed, state, problems)
    years, changes, _flat = classify(rows, state)
    busy = [y for y in years if y.open and y.writes]
    if busy:
        raise YearsClosedToImport(busy)
    progress.step(3, 3, "Xong")
    return ImportPlan(
        path,
        tuple(rows),
        tuple(years),
        tuple(changes),
        tuple(_new_members(rows, state)),
        tuple(name_mismatches(rows, state)),
    )
