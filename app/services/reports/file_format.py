"""The report's file format (.dgr): one JSON document in one exact form with a checksum, the
exchange package's frame (``common.signed_json``), optionally encrypted like it.

Layout::

    {
     "format": "danhgia-bao-cao-tinh",
     "format_version": 1,
     "checksum": "sha256:<hex of the document without this line>",
     "content": {
      "app_version", "exported_at", "exported_by",
      "commune": {"code", "name", "place", "superior"},
      "period": {"year", "state", "reference_date",
                 "ruleset": {"id", "name", "snapshot"}},
      "decision": {"number", "issued_on", "decided_on", "pdf"},
      "audit": {"count", "head"},
      "organizations": [{"code", "name", "kind", "parent",
                         "evaluation": null | {"evaluated", "level", "not_classified_reason",
                                               "low_level_reason", "collective_level"}}],
      "members": [{"code", "full_name", "cell", "evaluated", "level",
                   "not_classified_reason", "not_classified_note", "low_level_reason",
                   "score_general", "score_tasks", "quarterly_level", "quarterly"}],
      "summary": {"members": G, "organisations": G | null}
     }
    }

``G`` is a group of the commune's own summary (``summary.report``): ``total``, ``evaluated``,
``pending`` (evaluated without a level), ``levels`` (code → count, a level counted inside
another one included in it as the summary counts it) and ``not_evaluated`` (``label``,
``count``, in the summary's order). ``state`` is the period's state ("decided" or "reported":
nothing else is ever written, and nothing else is read). The rule set travels as its exact
text (``snapshot``), as a period keeps it, so the province reads the levels and reasons the
commune judged by. ``pdf`` is the signed decision, base64, or null.

Reading is strict, as the exchange reader is: a size cap, every value's type and length,
text in NFC, the tree of organisations whole (one top, every parent and every member's cell
in the report, no loop), every level a level of the report's rule set, and the figures the
report states equal to the figures its lists give. Any problem is a PackageError in
Vietnamese and nothing is written.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from pathlib import Path
from typing import Any

from app.domain.procedure import PeriodState
from app.domain.rules import RuleSet, RuleSetError, Scale
from app.domain.vocabulary import OrgKind
from app.services.common.signed_json import (
    BadValue,
    FileKind,
    Reader,
    SignedFormat,
    as_is,
    listed,
)
from app.services.exchange.fields import (
    SCORE,
    count,
    iso,
    line,
    optional,
    read_bool,
    read_code,
    read_date,
    read_datetime,
    read_level,
    text,
)
from app.services.exchange.file_format import PackageError
from app.services.periods import rule_sets as rulesets
from app.services.reports.records import (
    Commune,
    Decision,
    GroupCounts,
    MemberEntry,
    OrgEntry,
    OrgResult,
    ReportData,
    ReportPackage,
    StatedFigures,
    check_tree,
    computed_figures,
    same_figures,
)

FORMAT = "danhgia-bao-cao-tinh"
FORMAT_VERSION = 1
EXTENSION = ".dgr"
MAX_MEMBERS = 60_000  # a large agency committee has a few thousand; a province is not a report
MAX_ORGANIZATIONS = 6_000
MAX_PDF = 16 * 1024 * 1024
MAX_SNAPSHOT = 200_000
MAX_BYTES = 64 * 1024 * 1024
_SIGNED = SignedFormat(FORMAT, FORMAT_VERSION, MAX_BYTES)
REPORT_KIND = FileKind(
    noun="báo cáo",
    full_name="báo cáo lên tỉnh của DanhGia",
    short_noun="báo cáo",
    who_makes_it="đảng ủy xã",
    extension=EXTENSION,
    error=PackageError,
)
_DECIDED = (PeriodState.DECIDED, PeriodState.REPORTED)

__all__ = ["EXTENSION", "PackageError", "ReportPackage", "decode", "encode"]


# ---- writing ---------------------------------------------------------------------------------


def group_json(group: GroupCounts | None) -> dict[str, Any] | None:
    if group is None:
        return None
    return {
        "total": group.total,
        "evaluated": group.evaluated,
        "pending": group.pending,
        "levels": dict(group.levels),
        "not_evaluated": [{"label": label, "count": n} for label, n in group.not_evaluated],
    }


def _org_json(o: OrgEntry) -> dict[str, Any]:
    e = o.evaluation
    return {
        "code": o.code,
        "name": o.name,
        "kind": o.kind.value,
        "parent": o.parent,
        "evaluation": None
        if e is None
        else {
            "evaluated": e.evaluated,
            "level": e.level,
            "not_classified_reason": e.not_classified_reason,
            "low_level_reason": e.low_level_reason,
            "collective_level": e.collective_level,
        },
    }


def _member_json(m: MemberEntry) -> dict[str, Any]:
    return {
        "code": m.code,
        "full_name": m.full_name,
        "cell": m.cell,
        "evaluated": m.evaluated,
        "level": m.level,
        "not_classified_reason": m.not_classified_reason,
        "not_classified_note": m.not_classified_note,
        "low_level_reason": m.low_level_reason,
        "score_general": m.score_general,
        "score_tasks": m.score_tasks,
        "quarterly_level": m.quarterly_level,
        "quarterly": m.quarterly,
    }


def content_json(
    data: ReportData, *, app_version: str, exported_at: dt.datetime, exported_by: str
) -> dict[str, Any]:
    d = data.decision
    return {
        "app_version": app_version,
        "exported_at": exported_at.isoformat(timespec="seconds"),
        "exported_by": exported_by,
        "commune": {
            "code": data.commune.code,
            "name": data.commune.name,
            "place": data.commune.place,
            "superior": data.commune.superior,
        },
        "period": {
            "year": data.year,
            "state": data.state.value,
            "reference_date": data.reference_date.isoformat(),
            "ruleset": {
                "id": data.ruleset_id,
                "name": data.ruleset_name,
                "snapshot": data.ruleset_snapshot,
            },
        },
        "decision": {
            "number": d.number,
            "issued_on": iso(d.issued_on),
            "decided_on": iso(d.decided_on),
            "pdf": base64.b64encode(d.pdf).decode("ascii") if d.pdf is not None else None,
        },
        "audit": {"count": data.audit_count, "head": data.audit_head},
        "organizations": [_org_json(o) for o in data.organizations],
        "members": [_member_json(m) for m in data.members],
        "summary": {
            "members": group_json(data.figures.members),
            "organisations": group_json(data.figures.organisations),
        },
    }


def encode(content: Any, format_version: int = FORMAT_VERSION) -> bytes:
    """The file's bytes for *content* (already JSON-ready)."""
    return _SIGNED.encode(content, format_version)


# ---- reading ---------------------------------------------------------------------------------


def decode(data: bytes, path: Path) -> ReportPackage:
    """Verify and read a report's bytes; every problem is a PackageError in Vietnamese."""
    return _SIGNED.read(
        data,
        path.name,
        REPORT_KIND,
        lambda v: _package(v.content, path, v.checksum, v.format_version),
    )


_TEXT = line(300)


def _read_state(value: Any) -> PeriodState:
    try:
        state = PeriodState(value)
    except ValueError:
        raise BadValue("trạng thái kỳ đánh giá không có") from None
    if state not in _DECIDED:
        raise BadValue(
            f"năm đánh giá chưa được quyết định (“{state.label}”): chỉ báo cáo được năm đã "
            "quyết định"
        )
    return state


def _read_kind(value: Any) -> OrgKind:
    try:
        return OrgKind(value)
    except ValueError:
        raise BadValue("loại tổ chức không có") from None


def _read_hex(value: Any) -> str:
    if not isinstance(value, str) or len(value) > 64 or value.strip("0123456789abcdef"):
        raise BadValue("phải là mã băm (chữ số thập lục phân, tối đa 64 ký tự)")
    return value


def _read_pdf(value: Any) -> bytes | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > (MAX_PDF // 3 + 1) * 4:
        raise BadValue(f"phải là tệp PDF mã hóa base64 (tối đa {MAX_PDF // 1024 // 1024} MB)")
    try:
        pdf = base64.b64decode(value.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise BadValue("không phải base64 hợp lệ") from None
    if not pdf.startswith(b"%PDF-"):
        raise BadValue("không phải tệp PDF")
    return pdf


def _read_reasons(value: Any) -> tuple[tuple[str, int], ...]:
    found = []
    for index, item in enumerate(listed(100)(value)):
        r = Reader(item, f"lý do thứ {index + 1}")
        found.append((r.get("label", _TEXT.read), r.get("count", count(10**7))))
    return tuple(found)


def _read_levels(value: Any) -> tuple[tuple[str, int], ...]:
    if not isinstance(value, dict) or len(value) > 12:
        raise BadValue("phải là bảng mức → số lượng")
    found = []
    for key, number in value.items():
        level = read_level(key)
        if level is None:
            raise BadValue("có mức trống")
        found.append((level, count(10**7)(number)))
    return tuple(found)


def _group(value: Any, where: str) -> GroupCounts:
    r = Reader(value, where)
    return GroupCounts(
        total=r.get("total", count(10**7)),
        evaluated=r.get("evaluated", count(10**7)),
        pending=r.get("pending", count(10**7)),
        levels=r.get("levels", _read_levels),
        not_evaluated=r.get("not_evaluated", _read_reasons),
    )


def _level_in(scale: Scale, what: str) -> Any:
    def read(value: Any) -> str | None:
        if value is None:
            return None
        level = read_level(value)
        if level is not None and level not in scale:
            raise BadValue(f"mức “{level}” không có trong thang xếp loại {what} của bộ quy tắc")
        return level

    return read


def _org(value: Any, index: int, rs: RuleSet) -> OrgEntry:
    r = Reader(value, f"tổ chức thứ {index + 1}")
    code = r.get("code", read_code)
    r.where = f"tổ chức {code}"
    name = r.get("name", line(200).read)
    if not name:
        raise BadValue(f"{r.where}: thiếu tên")
    raw = r.get("evaluation", as_is)
    evaluation = None
    if raw is not None:
        e = Reader(raw, f"{r.where} › kết quả")
        level = _level_in(rs.org_levels, "tổ chức")
        evaluated = e.get("evaluated", read_bool)
        evaluation = OrgResult(
            evaluated=evaluated,
            level=e.get("level", level),
            not_classified_reason=e.get("not_classified_reason", line(40).read),
            low_level_reason=e.get("low_level_reason", line(40).read),
            collective_level=e.get("collective_level", level),
        )
        if not evaluated and evaluation.level is not None:
            raise BadValue(f"{r.where}: không xếp loại mà lại có mức")
    return OrgEntry(
        code=code,
        name=name,
        kind=r.get("kind", _read_kind),
        parent=r.get("parent", optional(read_code)),
        evaluation=evaluation,
    )


def _member(value: Any, index: int, rs: RuleSet) -> MemberEntry:
    r = Reader(value, f"đảng viên thứ {index + 1}")
    code = r.get("code", read_code)
    r.where = f"đảng viên {code}"
    full_name = r.get("full_name", line(120).read)
    if not full_name:
        raise BadValue(f"{r.where}: thiếu họ và tên")
    evaluated = r.get("evaluated", read_bool)
    level = r.get("level", _level_in(rs.member_levels, "đảng viên"))
    if not evaluated and level is not None:
        raise BadValue(f"{r.where}: không xếp loại mà lại có mức")
    return MemberEntry(
        code=code,
        full_name=full_name,
        cell=r.get("cell", read_code),
        evaluated=evaluated,
        level=level,
        not_classified_reason=r.get("not_classified_reason", line(40).read),
        not_classified_note=r.get("not_classified_note", line(300).read),
        low_level_reason=r.get("low_level_reason", line(40).read),
        score_general=r.get("score_general", SCORE.read),
        score_tasks=r.get("score_tasks", SCORE.read),
        quarterly_level=r.get("quarterly_level", _level_in(rs.member_levels, "đảng viên")),
        quarterly=r.get("quarterly", text(2000).read),
    )


def _ruleset(value: Any, year: int) -> tuple[str, str, str, RuleSet]:
    r = Reader(value, "kỳ đánh giá › bộ quy tắc")
    rs_id = r.get("id", line(60).read)
    name = r.get("name", _TEXT.read)
    snapshot = r.get("snapshot", text(MAX_SNAPSHOT).read)
    try:
        rs = rulesets.from_snapshot(snapshot, year)
    except (RuleSetError, ValueError) as error:
        raise BadValue(f"bộ quy tắc kèm theo không đọc được ({error})") from None
    if rs.id != rs_id:
        raise BadValue(f"bộ quy tắc kèm theo là “{rs.id}”, không phải “{rs_id}”")
    return rs_id, name, snapshot, rs


def _check_figures(data: ReportData, rs: RuleSet) -> None:
    found = computed_figures(data, rs)
    stated = data.figures
    if not same_figures(stated.members, found.members):
        raise BadValue("số liệu tổng hợp đảng viên không khớp với danh sách đảng viên kèm theo")
    if (stated.organisations is None) != (found.organisations is None) or (
        stated.organisations is not None
        and found.organisations is not None
        and not same_figures(stated.organisations, found.organisations)
    ):
        raise BadValue("số liệu tổng hợp tổ chức đảng không khớp với danh sách tổ chức kèm theo")


def _package(content: Any, path: Path, checksum: str, version: int) -> ReportPackage:
    top = Reader(content, "nội dung")
    commune = top.child("commune")
    period = top.child("period")
    decision = top.child("decision")
    audit = top.child("audit")
    summary = top.child("summary")
    year = period.get("year", count(9999))
    state = period.get("state", _read_state)
    rs_id, rs_name, snapshot, rs = _ruleset(period.get("ruleset", as_is), year)
    orgs = tuple(
        _org(o, i, rs) for i, o in enumerate(top.get("organizations", listed(MAX_ORGANIZATIONS)))
    )
    members = tuple(
        _member(m, i, rs) for i, m in enumerate(top.get("members", listed(MAX_MEMBERS)))
    )
    code = commune.get("code", read_code)
    check_tree(code, orgs, members)
    raw_orgs = summary.get("organisations", as_is)
    data = ReportData(
        commune=Commune(
            code=code,
            name=commune.get("name", line(200).read),
            place=commune.get("place", line(100).read),
            superior=commune.get("superior", line(200).read),
        ),
        year=year,
        state=state,
        reference_date=period.get("reference_date", read_date),
        ruleset_id=rs_id,
        ruleset_name=rs_name,
        ruleset_snapshot=snapshot,
        decision=Decision(
            number=decision.get("number", optional(line(40).read)) or None,
            issued_on=decision.get("issued_on", optional(read_date)),
            decided_on=decision.get("decided_on", optional(read_date)),
            pdf=decision.get("pdf", _read_pdf),
        ),
        audit_count=audit.get("count", count(10**12)),
        audit_head=audit.get("head", _read_hex),
        organizations=orgs,
        members=members,
        figures=StatedFigures(
            members=_group(summary.get("members", as_is), "tổng hợp › đảng viên"),
            organisations=(
                _group(raw_orgs, "tổng hợp › tổ chức đảng") if raw_orgs is not None else None
            ),
        ),
    )
    if not data.commune.name:
        raise BadValue("thiếu tên đảng bộ")
    _check_figures(data, rs)
    return ReportPackage(
        path=path,
        checksum=checksum,
        format_version=version,
        app_version=top.get("app_version", line(40).read),
        exported_at=top.get("exported_at", read_datetime),
        exported_by=top.get("exported_by", line(120).read),
        data=data,
    )
