"""Reading the rows of a results workbook: the year, the level in any of its
spellings, the reason a member or organisation was not classified.

Levels are read with the rule set of the row's year, so "Trong sạch, vững mạnh" is a level in
2017 and an error in 2019. A level matches by its code, abbreviation or full name after NFC,
trimming and case-folding, with or without diacritics, commas or hyphens ("trong sach vung
manh" finds "Trong sạch, vững mạnh"). "Không xếp loại" (or an empty level with a reason) means
not classified; the reason recognises "Miễn sinh hoạt", "Đình chỉ sinh hoạt", "Mới kết nạp …",
"Mới thành lập …" (organisations) and keeps any other words, "Chuyển sinh hoạt" among them, as
the "other" reason with those words.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from app.domain.rules import RuleSet, Scale
from app.domain.text import clean, fold, search_fold
from app.services.common.workbook import Column, SheetRow, SheetSpec

NOT_CLASSIFIED = "Không xếp loại"
NOTE_LIMIT = 300  # MemberEvaluation.not_classified_note

MEMBER_SHEET = SheetSpec(
    "Đảng viên",
    (
        Column("year", "Năm", required=True, width=8),
        Column("code", "Mã", required=True, width=12),
        Column("full_name", "Họ và tên", width=28, max_length=120),
        Column("level", "Xếp loại", required=True, width=30),
        Column("reason", "Lý do không xếp loại", width=30),
        Column("cell", "Mã chi bộ", width=12),
    ),
    required=False,
)

ORG_SHEET = SheetSpec(
    "Tổ chức",
    (
        Column("year", "Năm", required=True, width=8),
        Column("code", "Mã", required=True, width=12),
        Column("name", "Tên", width=40, max_length=200),
        Column("level", "Xếp loại", required=True, width=30),
        Column("reason", "Lý do không xếp loại", width=30),
    ),
    required=False,
)

# Common spellings beside the rule set's own words.
_EXTRA = {"khong htnv": "KHTNV", "tsvm tb": "TSVM_TB", "yeu kem": "YK"}
_NOT_CLASSIFIED_WORDS = {"khong xep loai", "khong danh gia", "kxl", "chua xep loai"}
_REASONS = (
    (("mien sinh hoat", "mien cong tac"), "exempt", "member"),
    (("dinh chi",), "suspended", "member"),
    (("moi ket nap",), "new_member", "member"),
    (("moi thanh lap",), "new_org", "org"),
)


@dataclass(frozen=True)
class RowResult:
    """One checked row: a member's or an organisation's result in one year."""

    sheet: str
    row: int
    year: int
    code: str
    name: str  # as the file gives it
    evaluated: bool
    level: str | None  # None when not classified
    reason: str = ""  # not-classified reason code
    note: str = ""  # the words of the reason, when they say more than the rule set's label
    cell_code: str = ""  # members: the cell the file files the result under

    def same_outcome(self, evaluated: bool, level: str | None, reason: str) -> bool:
        if self.evaluated != evaluated:
            return False
        return self.level == level if evaluated else self.reason == (reason or "other")


def _key(text: str) -> str:
    return re.sub(r"[\s,;.\-–]+", " ", search_fold(text)).strip()


def describe(
    rs: RuleSet | None, kind: str, evaluated: bool, level: str | None, reason: str, note: str
) -> str:
    """How an outcome reads in a preview: "Hoàn thành tốt nhiệm vụ", "Không xếp loại (…)"."""
    if not evaluated:
        label = note or (rs.reason_label(reason) if rs is not None else reason)
        return f"{NOT_CLASSIFIED} ({label})" if label else NOT_CLASSIFIED
    if level is None:
        return "(chưa có kết quả)"
    scale = rs.scale(kind) if rs is not None else None
    return scale.get(level).name if scale is not None and level in scale else level


def read_level(scale: Scale, text: str, year: int) -> str | None:
    """The level *text* names in *scale* (None: not classified); ValueError otherwise."""
    key = _key(text)
    if key in _NOT_CLASSIFIED_WORDS:
        return None
    for level in scale.levels:
        if key in {_key(level.code), _key(level.short), _key(level.name)}:
            return level.code
    extra = _EXTRA.get(key)
    if extra is not None and extra in scale:
        return extra
    accepted = "; ".join(
        level.name if level.short == level.name else f"{level.name} ({level.short})"
        for level in scale.levels
    )
    raise ValueError(
        f"“{text}” không phải mức xếp loại của năm {year} (chấp nhận: {accepted}; {NOT_CLASSIFIED})"
    )


def read_reason(rs: RuleSet, text: str, kind: str) -> tuple[str, str]:
    """(reason code, words to keep) for a not-classified reason of a member or organisation."""
    words = clean(text)
    key = _key(words)
    code = "other"
    for prefixes, reason, applies_to in _REASONS:
        if applies_to == kind and key.startswith(prefixes):
            code = reason
            break
    if code != "other" and fold(words) == fold(rs.reason_label(code)):
        return code, ""  # the rule set's own label: nothing more to keep
    if code == "other" and fold(words) == fold(rs.reason_label("other")):
        return code, ""
    return code, words


def read_year(value: object, today: dt.date) -> int:
    text = clean("" if value is None else str(value))
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    if not (text.isascii() and text.isdigit()):  # "²⁰¹⁷" is digits to Python, not to int()
        raise ValueError(f"“{text}” không phải năm (ví dụ: 2017)")
    year = int(text)
    if year > today.year:
        raise ValueError(f"năm {year} chưa đến, chưa có kết quả")
    return year


def read_row(
    row: SheetRow,
    kind: str,
    ruleset_for: Callable[[int], RuleSet],
    today: dt.date,
    seen: dict[tuple[int, str], int],
) -> RowResult | None:
    """Check one row; its problems go to the row's list. None when the row cannot be used.

    *ruleset_for* gives the rule set of a year or raises ValueError; *seen* maps
    (year, code) to the first row that had it, to report duplicates."""
    year = code = None
    try:
        year = read_year(row.values.get("year"), today)
    except ValueError as error:
        row.problem("year", str(error))
    rs = None
    if year is not None:
        try:
            rs = ruleset_for(year)
        except ValueError as error:
            row.problem("year", str(error))
    code = row.code("code")
    if not code:
        row.problem("code", "chưa có mã")
    elif year is not None:
        first = seen.setdefault((year, code), row.number)
        if first != row.number:
            row.problem("code", f"mã “{code}” năm {year} trùng với dòng {first}")
    level_text, reason_text = row.text("level"), row.text("reason")
    level = None
    level_ok = False
    if rs is not None and year is not None and level_text:
        try:
            level = read_level(rs.scale(kind), level_text, year)
            level_ok = True
        except ValueError as error:
            row.problem("level", str(error))
    if not level_text and not reason_text:
        row.problem(
            "level", f"chưa ghi xếp loại (ghi mức xếp loại, hoặc “{NOT_CLASSIFIED}” và lý do)"
        )
    if level is not None and reason_text:
        row.problem("reason", "đã có mức xếp loại thì để trống lý do không xếp loại")
    if len(reason_text) > NOTE_LIMIT:
        row.problem("reason", f"lý do dài quá {NOTE_LIMIT} ký tự")
    if rs is None or not code or year is None or (level_text and not level_ok):
        return None
    name = row.text("full_name") or row.text("name")
    if level is not None:
        return RowResult(
            row.sheet, row.number, year, code, name, True, level, cell_code=row.code("cell")
        )
    reason, note = read_reason(rs, reason_text, kind)
    return RowResult(
        row.sheet, row.number, year, code, name, False, None, reason, note, row.code("cell")
    )
