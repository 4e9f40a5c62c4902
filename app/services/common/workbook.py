"""Reading and writing the app's Excel workbooks: headers, typed cells, problems with places.

Headers are matched after NFC, trimming and case-folding, so "ngày sinh " finds "Ngày sinh".
Every problem carries its sheet, row and column, and a reader collects them all before anyone
decides to write, so a user fixes the whole file in one pass.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import WINDOWS_EPOCH, from_excel
from openpyxl.worksheet.worksheet import Worksheet

from app.domain.formatting import DateFormatError, parse_date
from app.domain.text import clean, fold, normal_code
from app.services.common.atomic import write_atomically
from app.services.common.errors import ServiceError, describe_os_error
from app.services.common.workbook_guard import NOT_XLSX, check_archive

log = logging.getLogger(__name__)

DATE_FORMAT = "DD/MM/YYYY"
MAX_PROBLEMS_SHOWN = 50
# What a damaged part raises inside openpyxl, when it opens the file or reads a sheet (lazily,
# row by row): broken zip data, broken XML (a SyntaxError), a missing or malformed part.
_READ_ERRORS = (
    zipfile.BadZipFile, zlib.error, EOFError, OSError, KeyError, IndexError, ValueError,
    TypeError, SyntaxError, OverflowError, RecursionError,
)  # fmt: skip
# Excel writes a control character XML cannot hold as _xHHHH_ (and a literal "_x" as _x005F_x).
_EXCEL_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


@dataclass(frozen=True, order=True)
class WorkbookProblem:
    sheet: str
    row: int = 0  # 0: the sheet or the file as a whole
    column: str = ""
    message: str = ""

    def __str__(self) -> str:
        place = [f"Trang “{self.sheet}”"] if self.sheet else []
        if self.row:
            place.append(f"dòng {self.row}")
        if self.column:
            place.append(f"cột “{self.column}”")
        return f"{', '.join(place)}: {self.message}" if place else self.message


class WorkbookError(ServiceError):
    """A workbook that cannot be imported; nothing was written. Lists every problem."""

    def __init__(self, path: Path, problems: list[WorkbookProblem]) -> None:
        self.path = path
        self.problems = sorted(problems)
        lines = [str(p) for p in self.problems[:MAX_PROBLEMS_SHOWN]]
        if len(self.problems) > MAX_PROBLEMS_SHOWN:
            lines.append(f"… và {len(self.problems) - MAX_PROBLEMS_SHOWN} lỗi khác")
        super().__init__(
            f"Không nhập tệp “{path.name}”: có {len(self.problems)} lỗi, chưa nhập gì cả.\n"
            + "\n".join(lines)
        )


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool = False  # the header must be present
    width: int = 16
    is_date: bool = False
    max_length: int = 0  # the database column's length; 0: checked elsewhere


@dataclass(frozen=True)
class SheetSpec:
    name: str
    columns: tuple[Column, ...]
    required: bool = True  # the sheet must be present

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


@dataclass
class SheetRow:
    """One data row: raw values by column key, and a way to record a problem at a cell."""

    sheet: str
    number: int
    values: dict[str, Any]
    headers: dict[str, str]
    problems: list[WorkbookProblem] = field(repr=False, default_factory=list)
    # Day 0 of the workbook's serial dates: 1899-12-30, or 1904-01-01 for a workbook saved in
    # Excel's 1904 date system (Excel for Mac's old default); a serial read against the wrong
    # one is four years and a day off.
    epoch: dt.datetime = WINDOWS_EPOCH

    def problem(self, key: str, message: str) -> None:
        self.problems.append(
            WorkbookProblem(self.sheet, self.number, self.headers.get(key, key), message)
        )

    def text(self, key: str) -> str:
        return cell_text(self.values.get(key))

    def code(self, key: str) -> str:
        """A member or organisation code, in the one form codes are kept (see normal_code)."""
        return normal_code(self.text(key))

    def date(self, key: str) -> dt.date | None:
        try:
            return cell_date(self.values.get(key), self.epoch)
        except DateFormatError as error:
            self.problem(key, str(error))
            return None

    def enum(self, key: str, reader: Callable[[str], Any]) -> Any:
        text = self.text(key)
        if not text:
            return None
        try:
            return reader(text)
        except ValueError as error:
            self.problem(key, str(error))
            return None

    def flag(self, key: str) -> bool:
        return fold(self.text(key)) in {"x", "có", "co", "1", "true", "đúng", "dung", "yes"}


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return f"{value.day:02d}/{value.month:02d}/{value.year}"
    return clean(_EXCEL_ESCAPE.sub(_unescape, str(value)))


def _unescape(match: re.Match[str]) -> str:
    code = int(match.group(1), 16)
    return "" if 0xD800 <= code <= 0xDFFF else chr(code)  # a lone surrogate cannot be stored


def cell_date(value: Any, epoch: dt.datetime = WINDOWS_EPOCH) -> dt.date | None:
    """An Excel date, a serial number counted from *epoch*, or text "dd/mm/yyyy"; None when
    empty. (Cells formatted as dates arrive as dates, converted by openpyxl with the
    workbook's own epoch; a serial in a number-formatted cell is converted here.)"""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2958466:  # Excel's own range of serial dates
            converted = from_excel(value, epoch)
            return converted.date() if isinstance(converted, dt.datetime) else None
        raise DateFormatError(f"“{value}” không phải ngày")
    return parse_date(str(value))


def open_workbook(path: Path) -> Workbook:
    """Open an .xlsx for reading values (not formulas), or raise WorkbookError in Vietnamese.

    The file is checked first (size, zip bomb, damaged parts: see ``workbook_guard``). Sheets
    are read lazily: read them inside :func:`reading`, which reports a part found damaged
    then like a damaged file."""
    if not path.exists():
        raise WorkbookError(path, [WorkbookProblem("", 0, "", f"không tìm thấy tệp “{path}”")])
    try:
        path.open("rb").close()
    except OSError as error:  # no right to read it, a folder…: not "a damaged file"
        problem = describe_os_error(error, path, "đọc")
        raise WorkbookError(path, [WorkbookProblem("", 0, "", problem)]) from None
    problem = check_archive(path)
    if problem is not None:
        raise WorkbookError(path, [WorkbookProblem("", 0, "", problem)])
    try:
        return load_workbook(path, read_only=True, data_only=True)
    except _READ_ERRORS as error:
        raise _unreadable(path, error) from None


def _unreadable(path: Path, error: BaseException) -> WorkbookError:
    # The library's own words are English and mean nothing to the user; the log keeps them.
    log.warning("cannot read workbook %s: %r", path, error)
    return WorkbookError(path, [WorkbookProblem("", 0, "", NOT_XLSX)])


@contextmanager
def reading(path: Path) -> Iterator[Workbook]:
    """The workbook at *path*, open for the block and closed after it. A part found damaged
    while the block reads the sheets is a WorkbookError, as if found on opening. Keep the
    block to reading rows: an error of its own would be reported as a damaged file."""
    workbook = open_workbook(path)
    try:
        yield workbook
    except _READ_ERRORS as error:
        raise _unreadable(path, error) from None
    finally:
        workbook.close()


def find_sheet(workbook: Workbook, name: str) -> Worksheet | None:
    wanted = fold(name)
    for sheet in workbook.worksheets:
        if fold(sheet.title) == wanted:
            return sheet
    return None


def read_rows(
    workbook: Workbook, spec: SheetSpec, problems: list[WorkbookProblem]
) -> Iterator[SheetRow]:
    """The non-empty data rows of *spec*'s sheet; header problems go to *problems*."""
    found = [s for s in workbook.worksheets if fold(s.title) == fold(spec.name)]
    if len(found) > 1:
        problems.append(
            WorkbookProblem(
                spec.name, 0, "", f"tệp có {len(found)} trang cùng tên này (kể cả trang ẩn)"
            )
        )
        return
    if not found:
        if spec.required:
            problems.append(WorkbookProblem(spec.name, 0, "", "không có trang này trong tệp"))
        return
    sheet = found[0]
    if hasattr(sheet, "reset_dimensions"):
        # The size a file declares may be anything (A1:XFD1048576): read the cells it has.
        sheet.reset_dimensions()
    header_row = next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), None) or ()
    positions: dict[str, int] = {}
    by_header = {fold(c.header): c for c in spec.columns}
    for index, title in enumerate(header_row):
        column = by_header.get(fold(cell_text(title)))
        if column is not None and column.key not in positions:
            positions[column.key] = index
    missing = [c.header for c in spec.columns if c.required and c.key not in positions]
    for header in missing:
        problems.append(WorkbookProblem(spec.name, 1, header, "thiếu cột này ở dòng tiêu đề"))
    if missing or not positions:
        return
    headers = {c.key: c.header for c in spec.columns}
    limits = {c.key: c.max_length for c in spec.columns if c.max_length}
    # Only the columns read, however wide a row is.
    rows = sheet.iter_rows(min_row=2, max_col=max(positions.values()) + 1, values_only=True)
    for number, values in enumerate(rows, start=2):
        picked = {
            key: (values[index] if index < len(values) else None)
            for key, index in positions.items()
        }
        if all(cell_text(v) == "" for v in picked.values()):
            continue
        row = SheetRow(spec.name, number, picked, headers, problems, workbook.epoch)
        for key, limit in limits.items():
            if len(row.text(key)) > limit:
                row.problem(key, f"dài quá {limit} ký tự")
        yield row


_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")


# How a text starts that a spreadsheet would take for a formula (OWASP's CSV-injection rule).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell_value(sheet: Worksheet, value: Any) -> Any:
    """*value* as written into *sheet*: a text that starts like a formula ("=HYPERLINK(…",
    "+84…", "-", "@…") is written as text with Excel's quote prefix, so that opening the file
    never runs what a user typed into a name, a post or a reason; any other value as it is."""
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"  # openpyxl takes "=…" for a formula; it is the user's text
    cell.quotePrefix = True
    return cell


def append_row(sheet: Worksheet, values: list[Any]) -> None:
    sheet.append([cell_value(sheet, value) for value in values])


def write_sheet(workbook: Workbook, spec: SheetSpec, rows: list[list[Any]]) -> None:
    """Append a sheet with a bold header row, widths, a frozen header and date formats."""
    sheet = workbook.create_sheet(spec.name)
    for index, column in enumerate(spec.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    header = []
    for column in spec.columns:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        header.append(cell)
    sheet.append(header)
    date_columns = {i for i, c in enumerate(spec.columns) if c.is_date}
    for values in rows:
        out: list[Any] = []
        for index, value in enumerate(values):
            if index in date_columns and value is not None:
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = DATE_FORMAT
                out.append(cell)
            else:
                out.append(cell_value(sheet, value))
        sheet.append(out)


def write_notes(workbook: Workbook, title: str, lines: list[str]) -> None:
    sheet = workbook.create_sheet(title)
    sheet.column_dimensions["A"].width = 110
    for line in lines:
        append_row(sheet, [line])


def new_workbook() -> Workbook:
    return Workbook(write_only=True)


def save_workbook(workbook: Workbook, path: Path) -> None:
    """Save to a temporary name, then rename: a failed save never leaves half a file."""
    try:
        write_atomically(path, workbook.save)
    except BaseException:
        _discard(workbook)
        raise


def _discard(workbook: Workbook) -> None:
    """Close the sheets of a write-only workbook that could not be saved. Each streams its
    rows through an XML writer left open until saving; collected open, they print tracebacks
    (lxml's, in English) on the terminal when the program ends."""
    for sheet in workbook.worksheets:
        if not getattr(sheet, "closed", True):
            with suppress(Exception):  # the sheet is thrown away; its own errors do not matter
                sheet.close()
