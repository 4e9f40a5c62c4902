"""What an exchange package carries, field by field: the kinds of value (each read from JSON
with its type checked and its text normalised, and written back), the tables of the cell's,
its members' and its meeting's fields, and the plain records both sides of an exchange are
read into — from a package file or from a database — so that they compare directly.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.domain.procedure import CellStep
from app.domain.quarters import QUARTERS, QuarterRating
from app.domain.text import clean, nfc, normal_code
from app.services.common.signed_json import BadValue as BadValue
from app.services.common.signed_json import as_is as as_is
from app.services.common.signed_json import is_int as is_int

Value = Any  # str | int | float | bool | None | date | time | dict[str, int] | tuple[str, ...]


# ---- value kinds ----------------------------------------------------------------------------
# Each kind reads a JSON value into the app's value (refusing the wrong type, normalising text)
# and writes it back. Both sides of the exchange go through the same table, so a value read
# from a package compares equal to the same value read from a database.


@dataclass(frozen=True)
class Kind:
    read: Callable[[Any], Value]
    write: Callable[[Value], Any]


_TEXT_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")


def text(limit: int) -> Kind:
    """Free text that may span lines: NFC, control characters removed, line ends unified."""

    def read(value: Any) -> str:
        if not isinstance(value, str):
            raise BadValue("phải là chữ")
        # Controls out before NFC, as in app.domain.text.clean.
        text = nfc(_TEXT_CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n")))
        if len(text) > limit:  # measured after NFC, which lengthens a few characters
            raise BadValue(f"dài quá {limit} ký tự")
        return text

    return Kind(read, as_is)


def line(limit: int) -> Kind:
    """One line (a name, a place): cleaned like every name entering the app."""

    def read(value: Any) -> str:
        if not isinstance(value, str):
            raise BadValue("phải là chữ")
        text = clean(value)
        if len(text) > limit:  # measured after NFC, which lengthens a few characters
            raise BadValue(f"dài quá {limit} ký tự")
        return text

    return Kind(read, as_is)


def read_code(value: Any) -> str:
    if not isinstance(value, str):
        raise BadValue("mã phải là chữ")
    code = normal_code(value)  # another copy may have kept it in another case
    if not code or len(code) > 40:
        raise BadValue("mã trống hoặc dài quá 40 ký tự")
    return code


def optional(read: Callable[[Any], Value]) -> Callable[[Any], Value]:
    return lambda value: None if value is None else read(value)


def read_level(value: Any) -> str | None:
    if not isinstance(value, str):
        raise BadValue("mức xếp loại phải là chữ")
    code = clean(value)
    if len(code) > 12:
        raise BadValue("mức xếp loại dài quá 12 ký tự")
    return code or None


def read_bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise BadValue("phải là đúng/sai")
    return value


def _number(low: float, high: float) -> Callable[[Any], float]:
    def read(value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise BadValue("phải là số")
        number = float(value)
        if not math.isfinite(number) or not low <= number <= high:
            raise BadValue(f"phải từ {low:g} đến {high:g}")
        return number

    return read


def count(high: int) -> Callable[[Any], int]:
    def read(value: Any) -> int:
        if not is_int(value):
            raise BadValue("phải là số nguyên")
        if not 0 <= value <= high:
            raise BadValue(f"phải từ 0 đến {high}")
        return int(value)

    return read


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_TIME = re.compile(r"\d{2}:\d{2}:\d{2}", re.ASCII)
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}", re.ASCII)


def _parsed(pattern: re.Pattern[str], parse: Callable[[str], Value], what: str) -> Callable:
    def read(value: Any) -> Value:
        if not isinstance(value, str) or not pattern.fullmatch(value):
            raise BadValue(f"phải là {what}")
        try:
            return parse(value)
        except ValueError:
            raise BadValue(f"{what} không có thật") from None

    return read


read_date = _parsed(_DATE, dt.date.fromisoformat, "ngày (năm-tháng-ngày)")
_read_time = _parsed(_TIME, dt.time.fromisoformat, "giờ (giờ:phút:giây)")
read_datetime = _parsed(_DATETIME, dt.datetime.fromisoformat, "thời điểm")


def _read_counts(value: Any) -> dict[str, int]:
    if not isinstance(value, dict) or len(value) > 12:
        raise BadValue("kết quả biểu quyết phải là bảng mức → số phiếu")
    counts = {}
    for key, number in value.items():
        level = read_level(key)
        if level is None:
            raise BadValue("kết quả biểu quyết có mức trống")
        counts[level] = count(100_000)(number)
    return counts


def _read_codes(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or len(value) > 50:
        raise BadValue("phải là danh sách mã đảng viên")
    return tuple(read_code(v) for v in value)


def _read_method(value: Any) -> str:
    if value not in ("bo_phieu_kin", "gio_tay"):
        raise BadValue("hình thức biểu quyết phải là bỏ phiếu kín hoặc giơ tay")
    return str(value)


def iso(value: Value) -> Any:
    if value is None:
        return None
    if isinstance(value, dt.datetime | dt.time):
        return value.replace(microsecond=0).isoformat()
    return value.isoformat()


TEXT = text(20_000)
LEVEL = Kind(optional(read_level), as_is)
FLAG = Kind(read_bool, as_is)
OPT_FLAG = Kind(optional(read_bool), as_is)
SCORE = Kind(optional(_number(0, 1000)), as_is)
SHARE = Kind(optional(_number(0, 1)), as_is)
COUNT = Kind(count(1000), as_is)
OPT_COUNT = Kind(optional(count(100_000)), as_is)
DATE = Kind(optional(read_date), iso)
TIME = Kind(optional(_read_time), iso)
CODE = Kind(optional(read_code), as_is)
CODES = Kind(_read_codes, list)
COUNTS = Kind(_read_counts, dict)
METHOD = Kind(_read_method, as_is)

# The cell's own records, by column name: every stage up to the proposal, never the decision.
ORG_FIELDS: dict[str, Kind] = {
    "self_level": LEVEL,
    "self_assessment": TEXT,
    "score_general": SCORE,
    "score_tasks": SCORE,
    "disunity": FLAG,
    "tasks_below_half": FLAG,
    "government_lowest": FLAG,
    "mass_orgs_lowest": COUNT,
    "all_tasks_on_time": OPT_FLAG,
    "tasks_exceeded_share": SHARE,
    "shortcomings_remedied": OPT_FLAG,
    "facts_note": TEXT,
    "member_degradation_disciplined": FLAG,
    "tasks_late_share": SHARE,
    "vote_counts": COUNTS,
    "proposed_level": LEVEL,
    "proposal_note": TEXT,
    "low_level_reason": line(40),
}
MEMBER_FIELDS: dict[str, Kind] = {
    "self_level": LEVEL,
    "self_score_general": SCORE,
    "self_score_tasks": SCORE,
    "self_review": TEXT,
    "degradation": FLAG,
    "tasks_below_half": FLAG,
    "state_level": LEVEL,
    "all_tasks_on_time": OPT_FLAG,
    "tasks_exceeded_share": SHARE,
    "shortcomings_remedied": OPT_FLAG,
    "facts_note": TEXT,
    "shortcomings": TEXT,
    "remedy": TEXT,
    "comments": TEXT,
    "response": TEXT,
    "vote_counts": COUNTS,
    "proposed_level": LEVEL,
    "proposal_note": TEXT,
    "low_level_reason": line(40),
}
# Fields a package carries only from this format version on: an older package
# says nothing about them, so the commune's values are left as they are.
SINCE_VERSION = {
    "low_level_reason": 2,
    "remedy": 2,
    "member_degradation_disciplined": 3,
    "tasks_late_share": 3,
}


def fields_of(kinds: Mapping[str, Kind], version: int) -> dict[str, Kind]:
    """The fields of *kinds* a package of format *version* carries."""
    return {k: kind for k, kind in kinds.items() if SINCE_VERSION.get(k, 1) <= version}


# The meeting record; chair, secretary and tally committee by member code.
MEETING_FIELDS: dict[str, Kind] = {
    "held_on": DATE,
    "starts_at": TIME,
    "ends_at": TIME,
    "place": line(200),
    "chair": CODE,
    "secretary": CODE,
    "upper_attendee": line(120),
    "upper_attendee_post": line(200),
    "voting_method": METHOD,
    "tally_committee": CODES,
    "ballots_issued": OPT_COUNT,
    "ballots_returned": OPT_COUNT,
    "ballots_valid": OPT_COUNT,
    "report_summary": TEXT,
    "upper_remarks": TEXT,
    "conclusion": TEXT,
    "approval_agree": OPT_COUNT,
    "approval_total": OPT_COUNT,
}
ATTENDANCE_FIELDS: dict[str, Kind] = {"present": OPT_FLAG, "absence_reason": line(200)}


# ---- the two tellers' tally (format version 2) --------------------------------------------


@dataclass(frozen=True)
class TallyData:
    """One teller's count of one row of the tally at the cell's latest meeting (the table
    ``tally_entries``); the row named as in the history: "org", "collective", "member:<code>"."""

    teller: int  # 1 or 2
    teller_name: str
    row: str
    counts: Mapping[str, int]  # level code (and "invalid") → ballots
    entered_at: dt.datetime | None


_TALLY_ROW = re.compile(r"org|collective|member:.{1,40}", re.DOTALL)


def read_tally_row(value: Any) -> str:
    if not isinstance(value, str) or not _TALLY_ROW.fullmatch(value):
        raise BadValue("dòng kiểm phiếu phải là org, collective hoặc member:<mã>")
    if value.startswith("member:"):
        return "member:" + read_code(value.removeprefix("member:"))
    return value


def read_teller(value: Any) -> int:
    if value not in (1, 2) or not is_int(value):
        raise BadValue("người nhập phải là 1 hoặc 2")
    return int(value)


def tally_json(entry: TallyData) -> dict[str, Any]:
    return {
        "teller": entry.teller,
        "teller_name": entry.teller_name,
        "row": entry.row,
        "counts": dict(entry.counts),
        "entered_at": iso(entry.entered_at),
    }


def tally_key(entry: TallyData) -> tuple[int, str]:
    return entry.teller, entry.row


def tally_text(entries: tuple[TallyData, ...]) -> str:
    """ "người nhập thứ 1 (Lò Văn Pọm): 20 dòng; …" for the preview."""
    parts = []
    for teller in (1, 2):
        mine = [e for e in entries if e.teller == teller]
        if mine:
            parts.append(f"người nhập thứ {teller} ({mine[0].teller_name}): {len(mine)} dòng")
    return "; ".join(parts) or "(trống)"


# ---- scores item by item (format version 4) -------------------------------------------------


@dataclass(frozen=True)
class CriteriaRef:
    """The criteria set a period scores by, as a package names it: its id, its name (for the
    user), and the SHA-256 of the exact text the period keeps (a province's copy edited after
    one side chose it differs in its checksum, not its id)."""

    id: str
    name: str
    checksum: str  # "sha256:<hex>"


@dataclass(frozen=True)
class ItemSheetData:
    """One subject's entries at one stage: ``row`` as the history names it ("org",
    "collective", "member:<code>"), ``stage`` "self" or "chi_uy", and each entry as
    (item key, value exactly as stored — "true", "12", "7.5", "1/3" —, note), by key."""

    row: str
    stage: str
    entries: tuple[tuple[str, str, str], ...]


ITEM_STAGES = ("self", "chi_uy")
_ITEM_VALUE = re.compile(r"true|false|-?\d{1,9}(\.\d{1,9})?|-?\d{1,9}/\d{1,9}", re.ASCII)
_ITEM_KEY = re.compile(r"[^\s]{1,20}")
MAX_ITEMS = 200  # items of one sheet


def read_item_value(value: Any) -> str:
    if not isinstance(value, str) or not _ITEM_VALUE.fullmatch(value):
        raise BadValue("điểm của mục phải là true/false hoặc một số")
    if "/" in value and int(value.rpartition("/")[2]) == 0:
        raise BadValue("điểm của mục không thể chia cho 0")
    return value


def read_item_key(value: Any) -> str:
    if not isinstance(value, str) or not _ITEM_KEY.fullmatch(nfc(value)):
        raise BadValue("mã mục phải là chữ liền, tối đa 20 ký tự")
    return nfc(value)


def read_criteria_checksum(value: Any) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"sha256:[0-9a-f]{64}", value):
        raise BadValue("mã kiểm tra của bộ tiêu chí phải là sha256:<64 chữ số hex>")
    return value


def read_stage(value: Any) -> str:
    if value not in ITEM_STAGES:
        raise BadValue("lượt chấm phải là self (tự chấm) hoặc chi_uy (chi ủy chấm)")
    return str(value)


ITEM_NOTE = text(2000)


def criteria_json(ref: CriteriaRef | None) -> dict[str, str] | None:
    if ref is None:
        return None
    return {"id": ref.id, "name": ref.name, "checksum": ref.checksum}


def item_sheet_json(sheet: ItemSheetData) -> dict[str, Any]:
    return {
        "row": sheet.row,
        "stage": sheet.stage,
        "entries": [{"key": k, "value": v, "note": n} for k, v, n in sheet.entries],
    }


# ---- quarterly ratings (format version 5) -----------------------------------------------


@dataclass(frozen=True)
class QuarterData:
    """One member's quarterly ratings of the year: ``row`` as the history names the member
    ("member:<code>") and each quarter rated, in quarter order (a quarter not rated is left
    out), as the window stores it."""

    row: str
    ratings: tuple[QuarterRating, ...]


QUARTER_SCORE = optional(_number(0, 1000))  # the rule set's range is checked on import
QUARTER_NOTE = text(32_767)  # the window's one-line note holds at most this many characters


def read_quarter(value: Any) -> int:
    if not is_int(value) or value not in QUARTERS:
        raise BadValue("quý phải là 1, 2, 3 hoặc 4")
    return int(value)


def quarter_json(data: QuarterData) -> dict[str, Any]:
    return {
        "row": data.row,
        "ratings": [
            {
                "quarter": r.quarter,
                "self_score": r.self_score,
                "self_level": r.self_level,
                "superior_score": r.superior_score,
                "superior_level": r.superior_level,
                "note": r.note,
            }
            for r in data.ratings
        ],
    }


# ---- the records carried ----------------------------------------------------------------


@dataclass(frozen=True)
class MemberData:
    """A member of the cell's frozen roster: who they are (for the commune to recognise them,
    never written over its registry), how the roster treats them, and their records."""

    code: str
    full_name: str
    birth_date: dt.date | None
    admitted_on: dt.date | None
    official_on: dt.date | None
    party_post: str
    other_post: str
    exempt_since: dt.date | None
    evaluated: bool
    votes: bool
    not_classified_reason: str
    not_classified_note: str
    stages: Mapping[str, Value]  # MEMBER_FIELDS
    attendance: Mapping[str, Value]  # ATTENDANCE_FIELDS; present None: not taken
    # Every period and discipline record of the member (``history_records``), sorted by
    # identity; None: the package does not carry them (format versions 1 and 2).
    periods: tuple[Any, ...] | None = None
    disciplines: tuple[Any, ...] | None = None


@dataclass(frozen=True)
class HistoryEntry:
    """One audit-log entry that touched the cell's records: its chain hash, its action and
    the (row, field) pairs it touched. Rows are named by code: "org", "collective", "cell",
    "meeting", "member:<code>", "attendance:<code>"."""

    hash: str
    action: str
    touches: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class CellData:
    """One cell's period as the exchange sees it, from a package or from a database."""

    year: int
    ruleset_id: str
    reference_date: dt.date
    cell_code: str
    cell_name: str
    step: CellStep
    submitted_at: dt.datetime | None
    org: Mapping[str, Value]  # ORG_FIELDS
    collective: Mapping[str, Value] | None
    members: tuple[MemberData, ...]
    meeting_round: int | None
    meeting: Mapping[str, Value] | None  # MEETING_FIELDS; None: no meeting yet
    history: tuple[HistoryEntry, ...]
    # The two tellers' entries at the latest meeting, sorted by (teller, row); None: the
    # package does not carry them (format version 1).
    tally: tuple[TallyData, ...] | None = None
    # The discipline records of the cell and its chi ủy; None: not carried (before version 3).
    org_disciplines: tuple[Any, ...] | None = None
    # The criteria set the period scores by (None: totals typed in) and every sheet scored
    # item by item, sorted by (row, stage); item_scores None: not carried (before version 4).
    criteria: CriteriaRef | None = None
    item_scores: tuple[ItemSheetData, ...] | None = None
    # Each member's quarterly ratings, sorted by row, a member with none left out; None: not
    # carried (before version 5).
    quarters: tuple[QuarterData, ...] | None = None

    def item_sheet(self, row: str, stage: str) -> ItemSheetData | None:
        return next((s for s in self.item_scores or () if s.row == row and s.stage == stage), None)

    def quarter_ratings(self, row: str) -> tuple[QuarterRating, ...]:
        """The member's quarterly ratings (none: an empty tuple)."""
        return next((q.ratings for q in self.quarters or () if q.row == row), ())

    def member(self, code: str) -> MemberData | None:
        return next((m for m in self.members if m.code == code), None)


@dataclass(frozen=True)
class SourceInfo:
    """Where a package came from. ``lineage`` is the hash of the source database's first
    audit entry: copies of one database share it, so the commune can tell a package made in a
    copy of its own file from one made in a separate installation. ``history_head`` is the
    last entry's hash at export: the exact state of the source's history."""

    lineage: str
    history_head: str
    machine: str
    file_name: str
    # How many entries the source's log had: with ``history_head``, the anchor a later check
    # of the source compares with (entries cut from the end show). 0 in older packages.
    history_count: int = 0


@dataclass(frozen=True)
class Package:
    path: Path
    checksum: str
    format_version: int
    app_version: str
    exported_at: dt.datetime
    exported_by: str
    source: SourceInfo
    data: CellData
