"""Building damaged workbooks for the fuzz tests: a plain model of a workbook (sheets of rows),
the mutations hypothesis applies to it and the values it puts in cells (damage to the
bytes of a saved file is in ``zip_fuzz``).

Cells are written with openpyxl as Excel would store them: a control character XML cannot hold
is written the way Excel escapes it (``_x0007_``), a text starting with "=" is a formula.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

# ---- values ---------------------------------------------------------------------------------

# Letters of Vietnamese and of the minority names in the demo, in both Unicode forms, and what
# text pasted from elsewhere brings: zero-width and direction marks, a BOM, C1 controls,
# characters whose NFC is longer than themselves (U+0344, U+0958), and Excel's escapes of the
# controls XML cannot carry.
_LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯàáạảãềếệểễòóọỏõưừứựửữỳýỵỷỹ "
_ODD = ["\t", "\n", "\r", "\x85", "\x9f", "\x7f", "\u200b", "\u200e", "\u200f", "\u202e",
        "\ufeff", "\u2028", "\u0301", "\u0303", "\u0344", "\u0958", "_x0007_", "_x0000_",
        "_x001F_", "_xD800_", "_x005F_x0041_", "  ", "'", '"', "<", "&", "%s", "{0}",
        "\\"]  # fmt: skip
ASCII_CODES = st.from_regex(r"[A-Za-z0-9._/\-]{1,12}", fullmatch=True)


def _nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def nasty_text() -> st.SearchStrategy[str]:
    piece = st.one_of(
        st.text(alphabet=_LETTERS, min_size=1, max_size=12),
        st.sampled_from(_ODD),
        st.text(alphabet=_LETTERS, min_size=1, max_size=12).map(_nfd),
        st.sampled_from(["31/02/2020", "5/1/1970", "2020-01-01", "00/00/0000", "1/1/99999",
                         "19/05/1995", "2017", "²⁰¹⁷", "٢٠١٧", "HTTNV", "Không xếp loại",
                         "Chi bộ", "Đảng bộ", "2C", "Nữ", "x", "CB01", "XNT", "DV001"]),
    )  # fmt: skip
    return st.lists(piece, min_size=1, max_size=6).map("".join)


def long_text() -> st.SearchStrategy[str]:
    """10,000 characters (and one that is just over a column's limit)."""
    return st.sampled_from(
        [("Nguyễn Văn Pọm " * 700)[:10_000], _nfd("Lò Thị Ín ") * 1000, "X" * 201, "A1" * 61,
         "Lò \u0344" * 50, "\u0958" * 101]
    )  # fmt: skip


def cell_values() -> st.SearchStrategy[Any]:
    """Anything a cell may hold: the wrong type for any column."""
    return st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(10**15), max_value=10**15),
        st.sampled_from([0, 1, 2017, 25573, 2958465, 2958466, -1, 10**20]),
        st.floats(allow_nan=False, allow_infinity=False, width=64),
        st.sampled_from([0.5, 25573.0, 2017.0, 2017.5, 1e308, -1e-300, 2958465.9999999]),
        st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(9999, 12, 31)),
        st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(9999, 12, 31)),
        st.times(),
        st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(days=3000)),
        nasty_text(),
        long_text(),
        st.sampled_from(["=1/0", "=A1", "=SUM(A1:A3)", "=NOW()", '="CB"&"01"', "=#REF!"]),
    )


def excel_safe(value: Any) -> Any:
    """A text as Excel stores it: controls XML cannot hold become _xHHHH_ escapes."""
    if not isinstance(value, str):
        return value
    return "".join(
        f"_x{ord(ch):04X}_" if ord(ch) < 0x20 and ch not in "\t\n\r" else ch for ch in value
    )


# ---- the workbook model ---------------------------------------------------------------------


@dataclass
class Sheet:
    title: str
    rows: list[list[Any]]
    state: str = "visible"
    merges: list[str] = field(default_factory=list)
    far: list[tuple[int, int, Any]] = field(default_factory=list)  # (row, column, value)


@dataclass
class Book:
    sheets: list[Sheet]

    def save(self, path: Path) -> Path:
        workbook = Workbook()
        workbook.remove(workbook.active)
        for model in self.sheets:
            sheet = workbook.create_sheet(model.title)
            for row in model.rows:
                sheet.append([excel_safe(v) for v in row])
            for row, column, value in model.far:
                sheet.cell(row=row, column=column, value=excel_safe(value))
            for span in model.merges:
                sheet.merge_cells(span)
            sheet.sheet_state = model.state
        if workbook.worksheets and all(s.sheet_state != "visible" for s in workbook.worksheets):
            workbook.worksheets[-1].sheet_state = "visible"  # Excel needs one visible sheet
        if not workbook.worksheets:
            workbook.create_sheet("Sheet1")
        workbook.save(path)
        return path


def _title_variants(title: str) -> list[str]:
    return [title.upper(), _nfd(title), f" {title} ", title[:-1], "Sheet1", "Trang tính 2",
            f"{title} (2)", "Hướng dẫn"]  # fmt: skip


def mutate(book: Book, data: st.DataObject, names: list[str]) -> list[str]:
    """Apply one to five random mutations; returns what was done, for the failure report."""
    done: list[str] = []
    for _ in range(data.draw(st.sampled_from([1, 1, 1, 2, 2, 3, 5]), label="how many")):
        kind = data.draw(st.sampled_from(WEIGHTED), label="mutation")
        data_sheets = [s for s in book.sheets if s.title in names] or book.sheets
        sheet = data.draw(st.sampled_from(data_sheets if kind in AT_DATA else book.sheets))
        done.append(f"{kind} on {sheet.title}: " + MUTATIONS[kind](book, sheet, data, names))
    return done


def _pick_cell(sheet: Sheet, data: st.DataObject) -> tuple[int, int]:
    width = max((len(r) for r in sheet.rows), default=1)
    row = data.draw(st.integers(0, max(0, len(sheet.rows) - 1)), label="row")
    column = data.draw(st.integers(0, width), label="column")
    return row, column


def _set(sheet: Sheet, row: int, column: int, value: Any) -> None:
    while len(sheet.rows) <= row:
        sheet.rows.append([])
    cells = sheet.rows[row]
    while len(cells) <= column:
        cells.append(None)
    cells[column] = value


def _value(book: Book, sheet: Sheet, data: st.DataObject, names: list[str]) -> str:
    row, column = _pick_cell(sheet, data)
    value = data.draw(cell_values(), label="value")
    _set(sheet, row, column, value)
    return f"({row + 1},{column + 1}) = {value!r:.80}"


def _retext(book: Book, sheet: Sheet, data: st.DataObject, names: list[str]) -> str:
    """A value of the file made strange the way real files are: NFD, marks and controls
    around it, repeated to 10,000 characters, or its type changed (a date as a serial number
    or as text, a number as text)."""
    if len(sheet.rows) < 2:
        return "no data"
    row = data.draw(st.integers(1, len(sheet.rows) - 1), label="data row")
    cells = sheet.rows[row]
    if not cells:
        return "empty row"
    column = data.draw(st.integers(0, len(cells) - 1), label="data column")
    value = cells[column]
    how = data.draw(st.sampled_from(["nfd", "decorate", "lengthen", "retype"]), label="how")
    if how == "retype":
        value = data.draw(st.sampled_from(_retyped(value)), label="retyped")
    elif value is None:
        return "empty cell"
    elif how == "nfd":
        value = _nfd(str(value))
    elif how == "decorate":
        odd = data.draw(st.lists(st.sampled_from(_ODD), min_size=1, max_size=3), label="odd")
        value = f"{odd[0]}{value}{''.join(odd[1:])}"
    else:
        value = (f"{value} " * (10_000 // (len(str(value)) + 1) + 1))[:10_000]
    cells[column] = value
    return f"({row + 1},{column + 1}) {how} = {value!r:.80}"


def _retyped(value: Any) -> list[Any]:
    if isinstance(value, dt.datetime | dt.date):
        day = value if isinstance(value, dt.date) else value.date()
        serial = (dt.date(day.year, day.month, day.day) - dt.date(1899, 12, 30)).days
        return [serial, float(serial), str(serial), day.isoformat(), f"{day:%d/%m/%Y}", None]
    if isinstance(value, int | float):
        return [str(value), float(value), value + 0.5, True, dt.date(2000, 1, 1)]
    if isinstance(value, str):
        return [1, 0.0, True, dt.datetime(2020, 1, 1), value.upper(), value.lower(), ""]
    return [None, "", 0]


def _code(book: Book, sheet: Sheet, data: st.DataObject, names: list[str]) -> str:
    """A code of another row, or a new one: duplicates, unknown parents, transfers."""
    codes = [r[0] for s in book.sheets for r in s.rows[1:] if r and isinstance(r[0], str)]
    row, column = _pick_cell(sheet, data)
    value = data.draw(st.one_of(st.sampled_from(codes or ["X"]), ASCII_CODES), label="code")
    _set(sheet, row, column, value)
    return f"({row + 1},{column + 1}) = {value!r}"


def _tree(book: Book, sheet: Sheet, data: st.DataObject, names: list[str]) -> str:
    """Another parent or kind for an organisation, with the rows that would contradict it left
    out of the file (the database still has them): a file's tree laid over the database's."""
    header = sheet.rows[0] if sheet.rows else []
    if "Mã cấp trên" not in header or "Loại" not in header or len(sheet.rows) < 2:
        return "no tree here"
    at_parent, at_kind = header.index("Mã cấp trên"), header.index("Loại")
    rows = [r for r in sheet.rows[1:] if len(r) > max(at_parent, at_kind)]
    if not rows:
        return "no organisations"
    row = data.draw(st.sampled_from(rows), label="organisation")
    code = row[0]
    children = [r[0] for r in rows if r[at_parent] == code]
    how = data.draw(
        st.sampled_from(["under its child", "cell over children", "cell no more", "any"]),
        label="how",
    )
    left_out: set[Any] = set()
    if how == "under its child" and children:
        row[at_parent] = data.draw(st.sampled_from(children), label="child")
        left_out = {row[at_parent]}  # the database still has it under this organisation
    elif how == "cell over children" and children:
        row[at_kind] = "Chi bộ"
        left_out = set(children)
    elif how == "cell no more":
        row[at_kind] = data.draw(st.sampled_from(["Đảng bộ", "Đảng bộ bộ phận"]), label="kind")
        for other in book.sheets:  # its members left out too: the database still has them
            if other.rows and "Mã chi bộ" in other.rows[0]:
                at_cell = other.rows[0].index("Mã chi bộ")
                other.rows[1:] = [
                    r for r in other.rows[1:] if at_cell >= len(r) or r[at_cell] != code
                ]
    else:
        codes = [r[0] for r in rows]
        if data.draw(st.booleans(), label="parent or kind"):
            row[at_parent] = data.draw(st.sampled_from([*codes, None]), label="parent")
        else:
            row[at_kind] = data.draw(st.sampled_from(["Chi bộ", "Đảng bộ", "Đảng bộ bộ phận"]))
        left_out = data.draw(st.sets(st.sampled_from(codes), max_size=2), label="left out")
    sheet.rows[1:] = [r for r in sheet.rows[1:] if not r or r[0] not in left_out or r is row]
    return f"{code} {how}: {row!r:.120}, without {sorted(map(str, left_out))}"


def _header(book: Book, sheet: Sheet, data: st.DataObject, names: list[str]) -> str:
    if not sheet.rows:
        return "no header"
    header = sheet.rows[0]
    column = data.draw(st.integers(0, max(0, len(header) - 1)), label="header column")
    other = [h for h in header if isinstance(h, str)] or ["Mã"]
    choice = data.draw(
        st.one_of(
            st.none(),
            st.sampled_from(other),  # a second column with the same header
            st.sampled_from(other).map(lambda h: f"  {_nfd(h).upper()} "),
            nasty_text(),
        ),
        label="header",
    )
    _set(sheet, 0, column, choice)
    return f"header {column + 1} = {choice!r}"


def _merge(book: Book, sheet: Sheet, data: st.DataObject, names: list[str]) -> str:
    row, column = _pick_cell(sheet, data)
    height = data.draw(st.integers(1, 3), label="height")
    width = data.draw(st.integers(1, 3) if height == 1 else st.integers(0, 3), label="width")
    span = (
        f"{get_column_letter(column + 1)}{row + 1}:"
        f"{get_column_letter(column + 1 + width)}{row + height}"
    )
    sheet.merges.append(span)
    return span


def _state(book: Book, sheet: Sheet, data: st.DataObject, names: list[str]) -> str:
    sheet.state = data.draw(st.sampled_from(["hidden", "veryHidden", "visible"]), label="state")
    return sheet.state


def _extra(book: Book, sheet: Sheet, data: st.DataObject, names: list[str]) -> str:
    """Another sheet: notes, a copy of this one under a look-alike name, or an empty one."""
    taken = {s.title for s in book.sheets}
    title = data.draw(st.sampled_from(_title_variants(sheet.title) + names), label="title")
    if title in taken or len(title.strip()) == 0:
        return "title taken"
    rows = data.draw(
        st.sampled_from([[], [["Ghi chú"], ["Tệp của xã"]], [list(r) for r in sheet.rows]]),
        label="rows",
    )
    position = data.draw(st.integers(0, len(book.sheets)), label="position")
    book.sheets.insert(position, Sheet(title, rows))
    return f"{title!r} at {position}"


def _reorder(book: Book, sheet: Sheet, data: st.DataObject, names: list[str]) -> str:
    book.sheets[:] = data.draw(st.permutations(book.sheets), label="order")
    return ", ".join(s.title for s in book.sheets)


def _rename(book: Book, sheet: Sheet, data: st.DataObject, names: list[str]) -> str:
    taken = {s.title for s in book.sheets}
    title = data.draw(st.sampled_from(_title_variants(sheet.title)), label="new title")
    if title in taken or not title.strip():
        return "title taken"
    sheet.title = title
    return title


def _rows(book: Book, sheet: Sheet, data: st.DataObject, names: list[str]) -> str:
    """Duplicate, drop (the header too) or blank a row, or drop a column."""
    if not sheet.rows:
        return "no rows"
    index = data.draw(st.integers(0, len(sheet.rows) - 1), label="row index")
    how = data.draw(st.sampled_from(["duplicate", "drop", "blank", "drop column"]), label="how")
    if how == "duplicate":
        sheet.rows.insert(data.draw(st.integers(1, len(sheet.rows))), list(sheet.rows[index]))
    elif how == "drop":
        del sheet.rows[index]
    elif how == "blank":
        sheet.rows.insert(index, [None, " ", "\u200b"])
    else:
        for row in sheet.rows:
            if index < len(row):
                del row[index]
    return f"{how} {index + 1}"


def _far(book: Book, sheet: Sheet, data: st.DataObject, names: list[str]) -> str:
    """A value at the far end of the sheet: the dimension becomes A1:XFD1048576."""
    row = data.draw(st.sampled_from([1, 2, 5000, 1_048_576]), label="far row")
    column = data.draw(st.sampled_from([1, 3, 700, 16_384]), label="far column")
    value = data.draw(st.one_of(st.none(), st.just("x"), st.integers(0, 9)), label="far value")
    sheet.far.append((row, column, value))
    return f"({row},{column}) = {value!r}"


MUTATIONS: dict[str, Callable[[Book, Sheet, st.DataObject, list[str]], str]] = {
    "value": _value,
    "retext": _retext,
    "code": _code,
    "header": _header,
    "merge": _merge,
    "state": _state,
    "extra sheet": _extra,
    "reorder": _reorder,
    "rename": _rename,
    "rows": _rows,
    "far cell": _far,
    "tree": _tree,
}
# What most files a user brings look like: odd values in the right places, which still import.
WEIGHTED = [*sorted(MUTATIONS), "retext", "retext", "retext", "value", "code", "tree"]
AT_DATA = {"retext", "value", "code", "header", "rows", "merge", "tree"}
