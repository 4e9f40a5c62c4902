"""The exchange package's file format (.dgx): one JSON document, written in one exact form
(the frame, the exact form and the checksum are ``common.signed_json``'s, shared with the
commune's report to the province).

Why JSON and not a zip: a cell's period is small (tens of kilobytes even for a large cell), so
compression buys nothing; a text file opens in any editor when someone needs to see what a
cell sent; and there is no archive to defend (no zip bombs, no paths inside). Why an exact
form: the file is written by one serialisation (keys in a fixed order, one-space indent, UTF-8,
a final newline) and the reader re-serialises what it parsed and requires the very same
bytes. Together with the SHA-256 over the content this refuses a file changed by any single
byte, even a change JSON itself would not notice (a space, an escaped letter, a repeated key).

The checksum guards against damage and casual editing, not against a forger who recomputes
it; what protects the commune is the preview of every change before anything is written.

Layout::

    {
     "format": "danhgia-goi-du-lieu",
     "format_version": 5,
     "checksum": "sha256:<hex of the document without this line>",
     "content": { app version, export time, source, period, cell, members, meeting, tally,
                  history, item_scores, quarters }
    }

Format versions. 2 adds the reason code of a low level (``low_level_reason``) to
the cell's, its chi ủy's and each member's records, and ``tally``: the two tellers' entries at
the latest meeting. An older reader would ignore both without a word and import a KHTNV
without its reason, so the version went up and an older app refuses the package, asking to be
updated. 3 adds what the rules read besides the year's records: each member's ``periods``
(exemption, suspension, sick and maternity leave, temporary activity) and ``disciplines``,
and the cell's own ``disciplines`` (against the cell or its chi ủy); see
``history_records``. 4 adds the scores item by item (issue 24): the period's criteria set
(``period.criteria``: id, name and the SHA-256 of the text the period keeps; null for a period
whose totals are typed in) and ``item_scores``, every sheet of the cell, its chi ủy and its
members scored item by item (row, stage, and each item's key, value exactly as stored, note).
An older reader would import the typed totals without the items behind them, so the version
went up. 5 adds the quarterly ratings (issue 24): ``quarters``, one entry per member of the cell
rated by quarter (``row`` "member:<code>", as ``item_scores`` names members) with each quarter
rated (``quarter`` 1-4, ``self_score``, ``self_level``, ``superior_score``, ``superior_level``,
``note``; null where not given); an older reader would drop them without a word. This reader
still reads versions 1 to 4: a package that does not carry a field leaves the commune's value
as it is (a version-4 package leaves the commune's quarterly ratings alone).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from app.domain.procedure import CellStep
from app.domain.quarters import QUARTER_NAMES, QUARTERS, QuarterRating
from app.domain.text import clean
from app.services.common.errors import ServiceError, describe_os_error
from app.services.common.signed_json import FileKind, Reader, SignedFormat, listed
from app.services.exchange import history_records as records
from app.services.exchange.fields import (
    ATTENDANCE_FIELDS,
    COUNTS,
    DATE,
    ITEM_NOTE,
    LEVEL,
    MAX_ITEMS,
    MEETING_FIELDS,
    MEMBER_FIELDS,
    ORG_FIELDS,
    QUARTER_NOTE,
    QUARTER_SCORE,
    BadValue,
    CellData,
    CriteriaRef,
    HistoryEntry,
    ItemSheetData,
    Kind,
    MemberData,
    Package,
    QuarterData,
    SourceInfo,
    TallyData,
    Value,
    as_is,
    count,
    criteria_json,
    fields_of,
    iso,
    item_sheet_json,
    line,
    optional,
    quarter_json,
    read_bool,
    read_code,
    read_criteria_checksum,
    read_date,
    read_datetime,
    read_item_key,
    read_item_value,
    read_quarter,
    read_stage,
    read_tally_row,
    read_teller,
    tally_json,
)
from app.services.safekeeping import secure_file

FORMAT = "danhgia-goi-du-lieu"
FORMAT_VERSION = 5
MAX_TALLY = 2 * (2000 + 2)  # two tellers, a row per member plus the cell and its chi ủy
EXTENSION = ".dgx"
MAX_BYTES = 16 * 1024 * 1024  # a cell's package is far smaller; a bigger file is not one
MAX_MEMBERS = 2000
MAX_HISTORY = 200_000
_SIGNED = SignedFormat(FORMAT, FORMAT_VERSION, MAX_BYTES)


class PackageError(ServiceError):
    """The file is not a package this version can read, or it was changed after export."""


class PackageNeedsPassword(PackageError):
    """The file is encrypted and no password was given: ask for one and read it again."""


def read_signed_file(
    path: Path,
    password: str | None,
    kind: FileKind,
    max_bytes: int,
    sealed_as: secure_file.Kind,
) -> bytes:
    """The bytes of the signed file at *path* (a package, a report), decrypted with *password*
    when it is encrypted; a *kind*.error (Vietnamese) for a file that is missing, unreadable or
    larger than *max_bytes* of content; PackageNeedsPassword for an encrypted one without a
    password, secure_file.WrongPassword for a wrong password (or a changed file)."""
    # Encrypted: the content plus a header and a tag per chunk (secure_file's format).
    most = max_bytes + 64 * 1024 + max_bytes // (256 * 1024) * 16
    try:
        if path.stat().st_size > most:
            raise kind.too_large(path.name)
        with path.open("rb") as file:
            data = file.read(most + 1)
    except FileNotFoundError:
        raise kind.error(f"Không tìm thấy tệp “{path}”.") from None
    except OSError as error:
        raise kind.error(describe_os_error(error, path, "đọc")) from None
    if not secure_file.is_encrypted_bytes(data):
        return data
    if not password:
        raise PackageNeedsPassword(
            f"{kind.title} “{path.name}” được đặt mật khẩu: hãy nhập mật khẩu để mở."
        )
    data = secure_file.decrypt_bytes(data, password, sealed_as, path.name)
    if len(data) > max_bytes:
        raise kind.too_large(path.name)
    return data


PACKAGE_KIND = FileKind(
    noun="gói dữ liệu",
    full_name="gói dữ liệu DanhGia",
    short_noun="gói",
    who_makes_it="chi bộ",
    extension=EXTENSION,
    error=PackageError,
)


# ---- writing ----------------------------------------------------------------------------


def _fields(values: Mapping[str, Value], kinds: Mapping[str, Kind]) -> dict[str, Any]:
    return {key: kind.write(values[key]) for key, kind in kinds.items()}


def _member_json(m: MemberData) -> dict[str, Any]:
    return {
        "code": m.code,
        "full_name": m.full_name,
        "birth_date": iso(m.birth_date),
        "admitted_on": iso(m.admitted_on),
        "official_on": iso(m.official_on),
        "party_post": m.party_post,
        "other_post": m.other_post,
        "exempt_since": iso(m.exempt_since),
        "evaluated": m.evaluated,
        "votes": m.votes,
        "not_classified_reason": m.not_classified_reason,
        "not_classified_note": m.not_classified_note,
        "stages": _fields(m.stages, MEMBER_FIELDS),
        "attendance": _fields(m.attendance, ATTENDANCE_FIELDS),
        "periods": records.to_json(m.periods or ()),
        "disciplines": records.to_json(m.disciplines or ()),
    }


def content_json(
    data: CellData, *, app_version: str, exported_at: dt.datetime, exported_by: str,
    source: SourceInfo,
) -> dict[str, Any]:  # fmt: skip
    meeting = None
    if data.meeting is not None:
        meeting = {"round": data.meeting_round, **_fields(data.meeting, MEETING_FIELDS)}
    return {
        "app_version": app_version,
        "exported_at": exported_at.isoformat(timespec="seconds"),
        "exported_by": exported_by,
        "source": {
            "lineage": source.lineage,
            "history_head": source.history_head,
            "history_count": source.history_count,
            "machine": source.machine,
            "file_name": source.file_name,
        },
        "period": {
            "year": data.year,
            "ruleset_id": data.ruleset_id,
            "reference_date": data.reference_date.isoformat(),
            "criteria": criteria_json(data.criteria),
        },
        "cell": {
            "code": data.cell_code,
            "name": data.cell_name,
            "step": data.step.value,
            "submitted_at": iso(data.submitted_at),
            "evaluation": _fields(data.org, ORG_FIELDS),
            "collective": (
                _fields(data.collective, ORG_FIELDS) if data.collective is not None else None
            ),
            "disciplines": records.to_json(data.org_disciplines or ()),
        },
        "members": [_member_json(m) for m in data.members],
        "meeting": meeting,
        "tally": [tally_json(t) for t in data.tally or ()],
        "item_scores": [item_sheet_json(s) for s in data.item_scores or ()],
        "quarters": [quarter_json(q) for q in data.quarters or ()],
        "history": [
            {"hash": h.hash, "action": h.action, "touches": [list(t) for t in h.touches]}
            for h in data.history
        ],
    }


def checksum_of(format_version: int, content: Any) -> str:
    """SHA-256 over the exact serialisation of the document without its checksum line."""
    return _SIGNED.checksum_of(format_version, content)


def encode(content: Any, format_version: int = FORMAT_VERSION) -> bytes:
    """The file's bytes for *content* (already JSON-ready)."""
    return _SIGNED.encode(content, format_version)


# ---- reading ----------------------------------------------------------------------------


def decode(data: bytes, path: Path) -> Package:
    """Verify and parse a package's bytes; every problem is a PackageError in Vietnamese."""
    return _SIGNED.read(
        data,
        path.name,
        PACKAGE_KIND,
        lambda v: _package(v.content, path, v.checksum, v.format_version),
    )


_Reader = Reader
_list = listed


def _read_str(value: Any) -> str:
    if not isinstance(value, str) or len(value) > 300:
        raise BadValue("phải là chữ (tối đa 300 ký tự)")
    return clean(value)


def _read_touch(value: Any) -> tuple[str, str]:
    if not (isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value)):
        raise BadValue("mục thay đổi phải là cặp (dòng, trường)")
    return clean(value[0])[:60], clean(value[1])[:60]


def _history(value: Any, index: int) -> HistoryEntry:
    r = _Reader(value, f"lịch sử, mục {index + 1}")
    touches = r.get("touches", _list(200))
    return HistoryEntry(
        hash=r.get("hash", _read_str),
        action=r.get("action", _read_str),
        touches=tuple(_read_touch(t) for t in touches),
    )


def _tally(value: Any, index: int) -> TallyData:
    r = _Reader(value, f"kiểm phiếu, mục {index + 1}")
    return TallyData(
        teller=r.get("teller", read_teller),
        teller_name=r.get("teller_name", line(120).read),
        row=r.get("row", read_tally_row),
        counts=r.get("counts", COUNTS.read),
        entered_at=r.get("entered_at", optional(read_datetime)),
    )


def _member(value: Any, index: int, version: int) -> MemberData:
    r = _Reader(value, f"đảng viên thứ {index + 1}")
    code = r.get("code", read_code)
    r.where = f"đảng viên {code}"
    full_name = r.get("full_name", line(120).read)
    if not full_name:
        raise BadValue(f"{r.where}: thiếu họ và tên")
    periods = disciplines = None
    if version >= 3:
        periods = records.from_json(
            records.PERIODS, r.get("periods", as_is), f"{r.where} › thời gian"
        )
        disciplines = records.from_json(
            records.DISCIPLINES, r.get("disciplines", as_is), f"{r.where} › kỷ luật"
        )
    return MemberData(
        code=code,
        full_name=full_name,
        birth_date=r.get("birth_date", DATE.read),
        admitted_on=r.get("admitted_on", DATE.read),
        official_on=r.get("official_on", DATE.read),
        party_post=r.get("party_post", line(200).read),
        other_post=r.get("other_post", line(200).read),
        exempt_since=r.get("exempt_since", DATE.read),
        evaluated=r.get("evaluated", read_bool),
        votes=r.get("votes", read_bool),
        not_classified_reason=r.get("not_classified_reason", line(40).read),
        not_classified_note=r.get("not_classified_note", line(300).read),
        stages=r.child("stages").fields(fields_of(MEMBER_FIELDS, version)),
        attendance=r.child("attendance").fields(ATTENDANCE_FIELDS),
        periods=periods,
        disciplines=disciplines,
    )


def _criteria(value: Any) -> CriteriaRef | None:
    if value is None:
        return None
    r = _Reader(value, "kỳ đánh giá › bộ tiêu chí")
    return CriteriaRef(
        id=r.get("id", line(80).read),
        name=r.get("name", line(300).read),
        checksum=r.get("checksum", read_criteria_checksum),
    )


def _item_sheet(value: Any, index: int, codes: set[str]) -> ItemSheetData:
    r = _Reader(value, f"điểm từng mục, mục {index + 1}")
    row = r.get("row", read_tally_row)
    if row.startswith("member:") and row.removeprefix("member:") not in codes:
        raise BadValue(f"{r.where}: đảng viên {row.removeprefix('member:')} không có trong gói")
    stage = r.get("stage", read_stage)
    if stage == "chi_uy" and not row.startswith("member:"):
        raise BadValue(f"{r.where}: chi ủy chỉ chấm điểm đảng viên")
    entries = []
    for i, raw in enumerate(r.get("entries", _list(MAX_ITEMS))):
        e = _Reader(raw, f"{r.where} › mục thứ {i + 1}")
        entries.append(
            (e.get("key", read_item_key), e.get("value", read_item_value),
             e.get("note", ITEM_NOTE.read))
        )  # fmt: skip
    keys = [key for key, _v, _n in entries]
    if len(set(keys)) != len(keys):
        raise BadValue(f"{r.where}: một mục có hai lần")
    return ItemSheetData(row, stage, tuple(sorted(entries)))


def _item_sheets(value: list[Any], codes: set[str]) -> tuple[ItemSheetData, ...]:
    sheets = [_item_sheet(v, i, codes) for i, v in enumerate(value)]
    keys = [(s.row, s.stage) for s in sheets]
    if len(set(keys)) != len(keys):
        raise BadValue("điểm từng mục: một lượt chấm của một người có hai lần")
    return tuple(sorted(sheets, key=lambda s: (s.row, s.stage)))


def _quarter_rating(value: Any, where: str) -> QuarterRating:
    r = _Reader(value, where)
    quarter = r.get("quarter", read_quarter)
    r.where = f"{where} ({QUARTER_NAMES[quarter]})"
    return QuarterRating(
        quarter=quarter,
        self_score=r.get("self_score", QUARTER_SCORE),
        self_level=r.get("self_level", LEVEL.read),
        superior_score=r.get("superior_score", QUARTER_SCORE),
        superior_level=r.get("superior_level", LEVEL.read),
        note=r.get("note", QUARTER_NOTE.read).strip(),  # as the window keeps it
    )


def _member_quarters(value: Any, index: int, codes: set[str]) -> QuarterData:
    r = _Reader(value, f"đánh giá theo quý, mục {index + 1}")
    row = r.get("row", read_tally_row)
    if not row.startswith("member:"):
        raise BadValue(f"{r.where}: chỉ đảng viên được đánh giá theo quý")
    if row.removeprefix("member:") not in codes:
        raise BadValue(f"{r.where}: đảng viên {row.removeprefix('member:')} không có trong gói")
    r.where = f"đánh giá theo quý của đảng viên {row.removeprefix('member:')}"
    raw = r.get("ratings", _list(len(QUARTERS)))
    ratings = [_quarter_rating(v, f"{r.where} › mục thứ {i + 1}") for i, v in enumerate(raw)]
    quarters = [q.quarter for q in ratings]
    if len(set(quarters)) != len(quarters):
        raise BadValue(f"{r.where}: một quý có hai lần")
    # A quarter with nothing in it is not rated: the window keeps no row for it.
    kept = (q for q in ratings if not q.empty or q.note)
    return QuarterData(row, tuple(sorted(kept, key=lambda q: q.quarter)))


def _quarters(value: list[Any], codes: set[str]) -> tuple[QuarterData, ...]:
    found = [_member_quarters(v, i, codes) for i, v in enumerate(value)]
    rows = [q.row for q in found]
    if len(set(rows)) != len(rows):
        raise BadValue("đánh giá theo quý: một đảng viên có hai lần")
    return tuple(sorted((q for q in found if q.ratings), key=lambda q: q.row))


def _read_step(value: Any) -> CellStep:
    try:
        return CellStep(value)
    except ValueError:
        raise BadValue("bước không có trong quy trình") from None


def _package(content: Any, path: Path, checksum: str, version: int) -> Package:
    top = _Reader(content, "nội dung")
    source = top.child("source")
    period = top.child("period")
    cell = top.child("cell")
    collective = cell.get("collective", as_is)
    listed = top.get("members", _list(MAX_MEMBERS))
    members = tuple(_member(m, i, version) for i, m in enumerate(listed))
    codes = [m.code for m in members]
    if len(set(codes)) != len(codes):
        raise BadValue("một mã đảng viên có hai lần trong danh sách")
    raw_meeting = top.get("meeting", as_is)
    meeting = None
    meeting_round = None
    if raw_meeting is not None:
        reader = _Reader(raw_meeting, "hội nghị")
        meeting_round = reader.get("round", count(100))
        if meeting_round < 1:
            raise BadValue("hội nghị: lần họp phải từ 1")
        meeting = reader.fields(MEETING_FIELDS)
    history = top.get("history", _list(MAX_HISTORY))
    tally = None
    if version >= 2:
        entries = [_tally(t, i) for i, t in enumerate(top.get("tally", _list(MAX_TALLY)))]
        keys = [(t.teller, t.row) for t in entries]
        if len(set(keys)) != len(keys):
            raise BadValue("kiểm phiếu: một dòng của một người nhập có hai lần")
        tally = tuple(sorted(entries, key=lambda t: (t.teller, t.row)))
    org_fields = fields_of(ORG_FIELDS, version)
    org_disciplines = None
    if version >= 3:
        org_disciplines = records.from_json(
            records.ORG_DISCIPLINES, cell.get("disciplines", as_is), "chi bộ › kỷ luật"
        )
    criteria = item_scores = None
    if version >= 4:
        criteria = period.get("criteria", _criteria)
        sheets = top.get("item_scores", _list(2 * MAX_MEMBERS + 2))
        item_scores = _item_sheets(sheets, set(codes))
        if item_scores and criteria is None:
            raise BadValue("gói có điểm từng mục nhưng không ghi bộ tiêu chí")
    quarters = None
    if version >= 5:
        quarters = _quarters(top.get("quarters", _list(MAX_MEMBERS)), set(codes))
    data = CellData(
        year=period.get("year", count(9999)),
        ruleset_id=period.get("ruleset_id", _read_str),
        reference_date=period.get("reference_date", read_date),
        cell_code=cell.get("code", read_code),
        cell_name=cell.get("name", line(200).read),
        step=cell.get("step", _read_step),
        submitted_at=cell.get("submitted_at", optional(read_datetime)),
        org=cell.child("evaluation").fields(org_fields),
        collective=(
            _Reader(collective, "chi ủy").fields(org_fields) if collective is not None else None
        ),
        members=members,
        meeting_round=meeting_round,
        meeting=meeting,
        history=tuple(_history(h, i) for i, h in enumerate(history)),
        tally=tally,
        org_disciplines=org_disciplines,
        criteria=criteria,
        item_scores=item_scores,
        quarters=quarters,
    )
    return Package(
        path=path,
        checksum=checksum,
        format_version=version,
        app_version=top.get("app_version", _read_str),
        exported_at=top.get("exported_at", read_datetime),
        exported_by=top.get("exported_by", _read_str),
        source=SourceInfo(
            lineage=source.get("lineage", _read_str),
            history_head=source.get("history_head", _read_str),
            machine=source.get("machine", _read_str),
            file_name=source.get("file_name", _read_str),
            history_count=(
                source.get("history_count", count(10**12)) if "history_count" in source.value else 0
            ),
        ),
        data=data,
    )
