"""Workbook changes whose outcome is known before the import runs, for the fuzz tests.

A change is either *harmless* — the file says the same thing in another form (NFD text,
invisible characters around a value, a value typed in other case or without diacritics, a date
as a serial number or as text, headers spelt differently, columns or sheets in another order,
hidden sheets, a notes sheet, blank rows, an unknown column) — or *breaking*: a required value
missing, a value no reader accepts, a duplicate code, a required header or a sheet missing, two
sheets of the same name. A workbook with only harmless changes must import exactly as the
unchanged workbook does; one with a breaking change must be refused, and the refusal must name
the sheet, row and column of every breaking change and blame nothing that was left alone.

The expectations are written here from the workbook format (the notes sheet of the template,
product.md §8), not read from the importer.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from hypothesis import strategies as st

from tests.reliability.workbook_fuzz import Book, Sheet

# Invisible characters a pasted value brings, which the import removes; and Excel's escape of
# a control character.
INVISIBLE = ["\u200b", "\u200e", "\u200f", "\u202e", "\ufeff", "\x85", "_x0007_", "  ", "\t"]


def bare(text: str) -> str:
    """*text* without diacritics, as typed on a keyboard without a Vietnamese layout."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@dataclass(frozen=True)
class SheetFormat:
    """What one sheet of a workbook accepts, stated for the tests."""

    name: str
    required_headers: tuple[str, ...]
    required_cells: tuple[str, ...]  # emptied: refused at that cell
    text_columns: tuple[str, ...]  # free text or codes: invisible characters are removed
    word_columns: tuple[str, ...]  # a word from a list: read whatever the case or diacritics
    date_columns: tuple[str, ...]
    bad_values: dict[str, tuple[Any, ...]]  # refused at that cell
    code_column: str = "Mã"  # unique in the sheet (with the year, where there is one)
    key_columns: tuple[str, ...] = ("Mã",)
    # A copied key makes a duplicate and nothing else (not so for organisations, whose code
    # other rows name as their parent: a copy changes the tree they are read into).
    duplicates: bool = True
    number_columns: tuple[str, ...] = ()  # a whole number, read as number or as text
    required_sheet: bool = True  # a file without it is refused (else it has none of that)


@dataclass(frozen=True)
class Place:
    """Where a refusal must point: a sheet, a row (by identity: rows move), a column."""

    sheet: str
    row: list[Any] | None = None  # None: the sheet as a whole (row 0) or its header (row 1)
    column: str = ""
    header: bool = False


@dataclass
class Case:
    book: Book
    formats: dict[str, SheetFormat]
    breaks: list[Place] = field(default_factory=list)  # each must be named
    involved: list[Place] = field(default_factory=list)  # may be named besides
    done: list[str] = field(default_factory=list)
    # Sheets whose structure is broken: nothing else may be broken in them.
    structural: set[str] = field(default_factory=set)
    touched: set[tuple[str, int]] = field(default_factory=set)  # (sheet, id(row)) broken

    def sheet(self, name: str) -> Sheet | None:
        return next((s for s in self.book.sheets if s.title == name), None)

    def places(self, also_involved: bool = False) -> set[tuple[str, int, str]]:
        """The (sheet, row number, column) each breaking change must be named at."""
        found = set()
        for place in self.breaks + (self.involved if also_involved else []):
            if place.row is None:
                found.add((place.sheet, 1 if place.header else 0, place.column))
                continue
            sheet = self.sheet(place.sheet)
            assert sheet is not None
            number = next(i for i, row in enumerate(sheet.rows) if row is place.row) + 1
            found.add((place.sheet, number, place.column))
        return found

    def broken_rows(self) -> set[tuple[str, int]]:
        """Every (sheet, row number) a breaking change touched, the header row of a sheet
        whose header was broken: a refusal may name these, and nothing else."""
        return {(sheet, row) for sheet, row, _column in self.places(also_involved=True)}


def _column(sheet: Sheet, header: str) -> int | None:
    """Where *header* is in the sheet's first row, however the header cell is spelt now."""
    if not sheet.rows:
        return None
    for index, value in enumerate(sheet.rows[0]):
        if isinstance(value, str) and _fold(value) == _fold(header):
            return index
    return None


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def _cells(case: Case, columns: Callable[[SheetFormat], tuple[str, ...]], kind: type | None):
    """Every (sheet, row, header, column index) of the data rows in *columns*, holding a value
    of *kind* (None: any value)."""
    found = []
    for name, spec in case.formats.items():
        sheet = case.sheet(name)
        if sheet is None or name in case.structural:
            continue
        for header in columns(spec):
            index = _column(sheet, header)
            if index is None:
                continue
            for row in sheet.rows[1:]:
                holds = index < len(row) and (kind is None or isinstance(row[index], kind))
                if holds and (name, id(row)) not in case.touched:
                    found.append((name, row, header, index))
    return found


# ---- harmless changes ------------------------------------------------------------------------


def _nfd(case: Case, data: st.DataObject) -> str:
    cells = _cells(case, lambda s: s.text_columns + s.word_columns, str)
    if not cells:
        return "no text"
    _name, row, header, index = data.draw(st.sampled_from(cells), label="cell")
    row[index] = unicodedata.normalize("NFD", row[index])
    return f"{header} in NFD"


def _invisible(case: Case, data: st.DataObject) -> str:
    cells = _cells(case, lambda s: s.text_columns + s.word_columns, str)
    if not cells:
        return "no text"
    _name, row, header, index = data.draw(st.sampled_from(cells), label="cell")
    before = data.draw(st.sampled_from(INVISIBLE), label="before")
    after = data.draw(st.sampled_from(INVISIBLE), label="after")
    row[index] = f"{before}{row[index]}{after}"
    return f"{header}: {row[index]!r}"


def _word(case: Case, data: st.DataObject) -> str:
    cells = _cells(case, lambda s: s.word_columns, str)
    if not cells:
        return "no word"
    _name, row, header, index = data.draw(st.sampled_from(cells), label="cell")
    how = data.draw(st.sampled_from([str.upper, str.lower, bare]), label="spelling")
    row[index] = how(row[index])
    return f"{header}: {row[index]!r}"


def _date_forms(day: dt.date) -> list[Any]:
    serial = (day - dt.date(1899, 12, 30)).days
    return [
        day,
        dt.datetime(day.year, day.month, day.day),
        serial,
        float(serial),
        f"{day:%d/%m/%Y}",
        f"{day.day}/{day.month}/{day.year}",
        f"{day:%d.%m.%Y}",
        f" {day:%d-%m-%Y} ",
    ]


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return dt.date(1899, 12, 30) + dt.timedelta(days=value)
    if isinstance(value, str):
        parts = value.replace(".", "/").replace("-", "/").strip().split("/")
        if len(parts) == 3 and all(p.isdigit() for p in parts):
            return dt.date(int(parts[2]), int(parts[1]), int(parts[0]))
    return None


def _date(case: Case, data: st.DataObject) -> str:
    cells = [c for c in _cells(case, lambda s: s.date_columns, None) if _as_date(c[1][c[3]])]
    if not cells:
        return "no date"
    _name, row, header, index = data.draw(st.sampled_from(cells), label="cell")
    day = _as_date(row[index])
    assert day is not None
    row[index] = data.draw(st.sampled_from(_date_forms(day)), label="form")
    return f"{header}: {row[index]!r}"


def _number(case: Case, data: st.DataObject) -> str:
    cells = [c for c in _cells(case, lambda s: s.number_columns, int) if c[1][c[3]] is not True]
    if not cells:
        return "no number"
    _name, row, header, index = data.draw(st.sampled_from(cells), label="cell")
    value = row[index]
    row[index] = data.draw(st.sampled_from([float(value), str(value), f" {value} "]))
    return f"{header}: {row[index]!r}"


def _header(case: Case, data: st.DataObject) -> str:
    sheets = [s for s in case.book.sheets if s.title in case.formats and s.rows]
    if not sheets:
        return "no header"
    sheet = data.draw(st.sampled_from(sheets), label="sheet")
    index = data.draw(st.integers(0, len(sheet.rows[0]) - 1), label="header")
    value = sheet.rows[0][index]
    if not isinstance(value, str):
        return "no header"
    how = data.draw(st.sampled_from(["upper", "nfd", "spaces"]), label="header spelling")
    sheet.rows[0][index] = {
        "upper": value.upper(),
        "nfd": unicodedata.normalize("NFD", value),
        "spaces": f"  {value} ",
    }[how]
    return f"header {value!r} {how}"


def _columns(case: Case, data: st.DataObject) -> str:
    sheets = [s for s in case.book.sheets if s.title in case.formats and s.rows]
    if not sheets:
        return "no sheet"
    sheet = data.draw(st.sampled_from(sheets), label="sheet")
    width = max(len(r) for r in sheet.rows)
    order = data.draw(st.permutations(range(width)), label="column order")
    for row in sheet.rows:
        padded = row + [None] * (width - len(row))
        row[:] = [padded[i] for i in order]
    return f"{sheet.title}: columns {order}"


def _unknown_column(case: Case, data: st.DataObject) -> str:
    sheets = [s for s in case.book.sheets if s.title in case.formats and s.rows]
    if not sheets:
        return "no sheet"
    sheet = data.draw(st.sampled_from(sheets), label="sheet")
    width = max(len(r) for r in sheet.rows)
    for row in sheet.rows:
        row.extend([None] * (width - len(row)))
        row.append("Ghi chú" if row is sheet.rows[0] else "ghi chú riêng của xã")
    return f"{sheet.title}: a column “Ghi chú”"


def _blank_row(case: Case, data: st.DataObject) -> str:
    sheets = [s for s in case.book.sheets if s.title in case.formats and s.rows]
    if not sheets:
        return "no sheet"
    sheet = data.draw(st.sampled_from(sheets), label="sheet")
    at = data.draw(st.integers(1, len(sheet.rows)), label="at")
    sheet.rows.insert(at, data.draw(st.sampled_from([[None], [" "], ["\u200b", None, " "]])))
    return f"{sheet.title}: a blank row at {at + 1}"


def _hidden(case: Case, data: st.DataObject) -> str:
    sheet = data.draw(st.sampled_from(case.book.sheets), label="sheet")
    sheet.state = data.draw(st.sampled_from(["hidden", "veryHidden"]), label="state")
    return f"{sheet.title} {sheet.state}"


def _reorder(case: Case, data: st.DataObject) -> str:
    case.book.sheets[:] = data.draw(st.permutations(case.book.sheets), label="order")
    return ", ".join(s.title for s in case.book.sheets)


def _notes(case: Case, data: st.DataObject) -> str:
    title = data.draw(st.sampled_from(["Ghi chú", "Sheet1", "Trang tính 2"]), label="title")
    if case.sheet(title) is not None:
        return "title taken"
    at = data.draw(st.integers(0, len(case.book.sheets)), label="at")
    case.book.sheets.insert(at, Sheet(title, [["Ghi chú của văn phòng"], ["Tệp gửi huyện"]]))
    return f"notes sheet {title!r}"


def _far(case: Case, data: st.DataObject) -> str:
    """A cell far away that no column of the format reaches, or an empty one at the end of
    the sheet: the sheet's declared size becomes huge (up to A1:XFD1048576)."""
    sheets = [s for s in case.book.sheets if s.title in case.formats]
    if not sheets:
        return "no sheet"
    sheet = data.draw(st.sampled_from(sheets), label="sheet")
    if data.draw(st.booleans(), label="far column"):
        row = data.draw(st.sampled_from([1, 2, 5000, 1_048_576]), label="row")
        spot = (row, data.draw(st.sampled_from([700, 16_384]), label="column"), "x")
    else:
        spot = (data.draw(st.sampled_from([5000, 1_048_576]), label="row"), 1, None)
    sheet.far.append(spot)
    return f"{sheet.title}: {spot}"


HARMLESS: dict[str, Callable[[Case, st.DataObject], str]] = {
    "far": _far,
    "nfd": _nfd,
    "invisible": _invisible,
    "word": _word,
    "date": _date,
    "number": _number,
    "header": _header,
    "columns": _columns,
    "unknown column": _unknown_column,
    "blank row": _blank_row,
    "hidden": _hidden,
    "reorder": _reorder,
    "notes": _notes,
}


# ---- breaking changes ------------------------------------------------------------------------


def _break_cell(case: Case, name: str, row: list[Any], header: str, value: Any) -> str:
    sheet = case.sheet(name)
    assert sheet is not None
    index = _column(sheet, header)
    assert index is not None
    row.extend([None] * (index + 1 - len(row)))
    row[index] = value
    case.breaks.append(Place(name, row, header))
    case.touched.add((name, id(row)))
    return f"{name}: {header} = {value!r}"


def _rows(case: Case) -> list[tuple[str, list[Any]]]:
    found = []
    for name in case.formats:
        sheet = case.sheet(name)
        if sheet is None or name in case.structural:
            continue
        for row in sheet.rows[1:]:
            if (name, id(row)) not in case.touched and any(
                isinstance(v, str) and any(ch.isalnum() for ch in v) for v in row
            ):  # a row of data, not a blank one
                found.append((name, row))
    return found


def _emptied(case: Case, data: st.DataObject) -> str | None:
    rows = _rows(case)
    if not rows:
        return None
    name, row = data.draw(st.sampled_from(rows), label="row")
    header = data.draw(st.sampled_from(case.formats[name].required_cells), label="column")
    # A formula reads as empty: the file holds no value computed by Excel.
    value = data.draw(st.sampled_from([None, "", " ", "\u200b", "=A1"]), label="empty")
    return _break_cell(case, name, row, header, value)


def _bad_value(case: Case, data: st.DataObject) -> str | None:
    rows = _rows(case)
    if not rows:
        return None
    name, row = data.draw(st.sampled_from(rows), label="row")
    bad = case.formats[name].bad_values
    header = data.draw(st.sampled_from(sorted(bad)), label="column")
    value = data.draw(st.sampled_from(bad[header]), label="bad value")
    return _break_cell(case, name, row, header, value)


def _duplicate(case: Case, data: st.DataObject) -> str | None:
    """A row takes the key of an earlier row of its sheet: the later row is named."""
    rows = _rows(case)
    if len(rows) < 2:
        return None
    rows = [(name, row) for name, row in rows if case.formats[name].duplicates]
    if not rows:
        return None
    name, row = data.draw(st.sampled_from(rows), label="row")
    sheet = case.sheet(name)
    assert sheet is not None
    spec = case.formats[name]
    keys = [_column(sheet, h) for h in spec.key_columns]
    if None in keys:
        return None
    at = next(i for i, r in enumerate(sheet.rows) if r is row)
    earlier = [r for r in sheet.rows[1:at] if all(k < len(r) and r[k] for k in keys)]  # type: ignore[operator]
    earlier = [r for r in earlier if (name, id(r)) not in case.touched]
    if not earlier:
        return None
    other = data.draw(st.sampled_from(earlier), label="earlier row")
    for key in keys:
        assert key is not None
        row.extend([None] * (key + 1 - len(row)))
        row[key] = other[key]
    case.breaks.append(Place(name, row, spec.code_column))
    case.involved.append(Place(name, other, spec.code_column))
    case.touched.add((name, id(row)))
    case.touched.add((name, id(other)))
    return f"{name}: row {at + 1} takes the key of an earlier row"


def _no_header(case: Case, data: st.DataObject) -> str | None:
    names = [n for n in case.formats if case.sheet(n) and n not in case.structural]
    names = [n for n in names if not any(t[0] == n for t in case.touched)]
    if not names:
        return None
    name = data.draw(st.sampled_from(names), label="sheet")
    sheet = case.sheet(name)
    assert sheet is not None
    header = data.draw(st.sampled_from(case.formats[name].required_headers), label="header")
    index = _column(sheet, header)
    assert index is not None
    sheet.rows[0][index] = "Cột khác"
    case.breaks.append(Place(name, None, header, header=True))
    case.structural.add(name)
    return f"{name}: no header {header!r}"


def _no_sheet(case: Case, data: st.DataObject) -> str | None:
    names = [n for n in case.formats if case.sheet(n) and n not in case.structural]
    names = [n for n in names if not any(t[0] == n for t in case.touched)]
    if not names:
        return None
    name = data.draw(st.sampled_from(names), label="sheet")
    sheet = case.sheet(name)
    assert sheet is not None
    ways = ["renamed", "twice"] if case.formats[name].required_sheet else ["twice"]
    how = data.draw(st.sampled_from(ways), label="how")
    if how == "renamed":
        title = data.draw(st.sampled_from(["Sheet9", f"{name} (2)", name[:-1]]), label="title")
        sheet.title = title
    else:
        # (Not the name in capitals: Excel, and openpyxl, rename a sheet whose name differs
        # from another's only by case.)
        title = data.draw(st.sampled_from([f" {name} ", unicodedata.normalize("NFD", name)]))
        copy = Sheet(title, [list(r) for r in sheet.rows])
        case.book.sheets.append(copy)
    case.breaks.append(Place(name))
    case.structural.add(name)
    return f"{name} {how}"


BREAKING: dict[str, Callable[[Case, st.DataObject], str | None]] = {
    "emptied": _emptied,
    "bad value": _bad_value,
    "duplicate": _duplicate,
    "no header": _no_header,
    "no sheet": _no_sheet,
}


def draw_case(data: st.DataObject, book: Book, formats: dict[str, SheetFormat]) -> Case:
    """A few harmless changes, then none to three breaking ones, then more harmless ones."""
    case = Case(book, formats)
    for _ in range(data.draw(st.integers(0, 3), label="harmless first")):
        kind = data.draw(st.sampled_from(sorted(HARMLESS)), label="harmless")
        case.done.append(f"{kind}: {HARMLESS[kind](case, data)}")
    for _ in range(data.draw(st.sampled_from([0, 0, 1, 1, 2, 3]), label="breaking")):
        kind = data.draw(
            st.sampled_from(["emptied", "bad value", "bad value", "duplicate", "no header",
                             "no sheet"]),
            label="breaking kind",
        )  # fmt: skip
        what = BREAKING[kind](case, data)
        if what is not None:
            case.done.append(f"BREAK {kind}: {what}")
    for _ in range(data.draw(st.integers(0, 2), label="harmless after")):
        kind = data.draw(
            st.sampled_from(["nfd", "invisible", "word", "date", "number", "columns",
                             "unknown column", "blank row", "hidden", "reorder", "notes", "far"]),
            label="harmless",
        )  # fmt: skip
        case.done.append(f"{kind}: {HARMLESS[kind](case, data)}")
    return case
