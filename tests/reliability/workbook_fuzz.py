"""A plain model of a workbook for the fuzz tests (sheets of rows, saved with openpyxl) and odd
texts to put in it (the changes made to it are in ``workbook_cases``, damage to the bytes of a
saved file in ``zip_fuzz``).

Cells are written with openpyxl as Excel would store them: a control character XML cannot hold
is written the way Excel escapes it (``_x0007_``), a text starting with "=" is a formula.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import strategies as st
from openpyxl import Workbook

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
