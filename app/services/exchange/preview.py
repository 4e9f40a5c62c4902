"""The preview of an import: each value that will change (or is kept), the problems found,
and the plain Vietnamese the user reads before accepting or rejecting the package."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from app.domain.formatting import format_date, format_decimal, format_percent
from app.domain.procedure import CellStep
from app.services.exchange.fields import Package, Value, tally_text

LABELS = {
    "self_level": "mức tự xếp loại",
    "self_score_general": "điểm tự chấm tiêu chí chung",
    "self_score_tasks": "điểm tự chấm kết quả nhiệm vụ",
    "score_general": "điểm tiêu chí chung",
    "score_tasks": "điểm kết quả nhiệm vụ",
    "self_review": "bản tự kiểm điểm",
    "self_assessment": "báo cáo tự đánh giá tập thể",
    "degradation": "có biểu hiện suy thoái",
    "disunity": "mất đoàn kết nội bộ",
    "tasks_below_half": "hoàn thành dưới 50% chỉ tiêu",
    "government_lowest": "chính quyền cùng cấp xếp loại thấp nhất",
    "mass_orgs_lowest": "số đoàn thể xếp loại thấp nhất",
    "state_level": "xếp loại công chức",
    "all_tasks_on_time": "hoàn thành nhiệm vụ đúng hạn",
    "tasks_exceeded_share": "tỷ lệ nhiệm vụ vượt",
    "shortcomings_remedied": "đã khắc phục hạn chế",
    "facts_note": "ghi chú căn cứ",
    "shortcomings": "hạn chế, khuyết điểm",
    "remedy": "kết quả khắc phục hạn chế năm trước",
    "comments": "ý kiến góp ý",
    "response": "ý kiến tiếp thu",
    "vote_counts": "kết quả biểu quyết",
    "proposed_level": "mức đề xuất",
    "proposal_note": "ghi chú đề xuất",
    "low_level_reason": "lý do mức thấp",
    "tally_entries": "kết quả kiểm phiếu hai người nhập",
    "held_on": "ngày họp",
    "starts_at": "giờ bắt đầu",
    "ends_at": "giờ kết thúc",
    "place": "địa điểm",
    "chair": "chủ trì",
    "secretary": "thư ký",
    "upper_attendee": "đại biểu cấp trên",
    "upper_attendee_post": "chức vụ đại biểu cấp trên",
    "voting_method": "hình thức biểu quyết",
    "tally_committee": "tổ kiểm phiếu",
    "ballots_issued": "số phiếu phát ra",
    "ballots_returned": "số phiếu thu về",
    "ballots_valid": "số phiếu hợp lệ",
    "report_summary": "tóm tắt báo cáo",
    "upper_remarks": "ý kiến của cấp trên",
    "conclusion": "kết luận hội nghị",
    "approval_agree": "số tán thành biên bản",
    "approval_total": "số biểu quyết biên bản",
    "present": "điểm danh",
    "absence_reason": "lý do vắng",
    "step": "bước",
    "period": "khoảng thời gian",
    "discipline": "kỷ luật",
    "org_discipline": "kỷ luật tổ chức",
}
PERSONAL_LABELS = {
    "full_name": "họ và tên",
    "birth_date": "ngày sinh",
    "admitted_on": "ngày vào Đảng",
    "official_on": "ngày chính thức",
    "party_post": "chức vụ Đảng",
    "other_post": "chức vụ khác",
    "exempt_since": "miễn sinh hoạt từ",
}


@dataclass(frozen=True)
class Change:
    """One value the import writes (or keeps), with both values as the user reads them."""

    group: str  # a member's name, the cell, its chi ủy, "Hội nghị"
    row: str  # "org", "collective", "cell", "meeting", "member:<code>", "attendance:<code>"
    field: str
    before: Value
    after: Value
    shown_before: str
    shown_after: str
    conflict: bool = False  # the commune changed it too
    # What the value is, when LABELS does not name it: an item scored item by item,
    # "Mục A.1 «…» (tự chấm)", its field "items:<stage>:<item key>"; a quarter of a member's
    # quarterly ratings, "đánh giá theo quý — Quý I", its field "quarters:<quarter>".
    what: str = ""

    @property
    def label(self) -> str:
        return self.what or LABELS.get(self.field, self.field)

    @property
    def is_item(self) -> bool:
        return self.field.startswith("items:")

    @property
    def is_quarter(self) -> bool:
        return self.field.startswith("quarters:")

    @property
    def written_apart(self) -> bool:
        """Written and logged by the merge through a procedure's own service (scores item by
        item, quarterly ratings), not by the exchange's writer."""
        return self.is_item or self.is_quarter

    def __str__(self) -> str:
        sep = ":" if self.what else ""
        text = f"{self.group}: {self.label}{sep} {self.shown_before} → {self.shown_after}"
        return text + " (xung đột: đảng ủy cũng đã sửa)" if self.conflict else text

    def kept_text(self) -> str:
        """The line for a value left as the commune has it."""
        sep = ":" if self.what else ""
        return (
            f"{self.group}: {self.label}{sep} giữ {self.shown_before} (gói ghi {self.shown_after})"
        )


@dataclass(frozen=True)
class Problem:
    message: str
    blocking: bool


@dataclass(frozen=True)
class ImportPlan:
    """What importing a package would do to this database, checked, before anything is
    written. ``blocked`` when any problem blocks; then nothing can be imported."""

    package: Package
    cell_id: int | None
    cell_name: str
    changes: tuple[Change, ...]
    kept: tuple[Change, ...]  # the commune's own edits the cell did not touch: left as they are
    problems: tuple[Problem, ...]
    notes: tuple[str, ...]
    step_before: CellStep | None
    step_after: CellStep | None

    @property
    def blocking(self) -> tuple[str, ...]:
        return tuple(p.message for p in self.problems if p.blocking)

    @property
    def warnings(self) -> tuple[str, ...]:
        return tuple(p.message for p in self.problems if not p.blocking)

    @property
    def conflicts(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.conflict)

    @property
    def blocked(self) -> bool:
        return any(p.blocking for p in self.problems)

    def lines(self) -> list[str]:
        """The preview, in plain Vietnamese, grouped by what it is about."""
        p, d = self.package, self.package.data
        made = f"xuất lúc {format_date(p.exported_at.date())} {p.exported_at:%H:%M}"
        if p.exported_by:
            made += f" bởi {p.exported_by}"
        if p.source.machine:
            made += f" trên máy {p.source.machine}"
        lines = [
            f"Gói dữ liệu của {d.cell_name} (mã {d.cell_code}), năm {d.year}, "
            f"bước “{d.step.label}”, {len(d.members)} đảng viên; {made}."
        ]
        if self.blocked:
            lines.append("KHÔNG NHẬP ĐƯỢC — cần giải quyết trước:")
            lines += [f"  - {m}" for m in self.blocking]
        if self.warnings:
            lines.append("Cần lưu ý:")
            lines += [f"  - {m}" for m in self.warnings]
        lines += [f"Ghi chú: {n}" for n in self.notes]
        if self.changes:
            heading = "Gói muốn thay đổi" if self.blocked else "Sẽ thay đổi"
            lines.append(f"{heading} ({len(self.changes)}):")
            lines += [f"  {c}" for c in self.changes]
        elif not self.blocked:
            lines.append("Không có gì thay đổi: cơ sở dữ liệu đã có đúng như trong gói.")
        if self.kept:
            lines.append(f"Giữ nguyên vì chỉ đảng ủy sửa, chi bộ không sửa ({len(self.kept)}):")
            lines += [f"  {c.kept_text()}" for c in self.kept]
        return lines

    def describe(self) -> str:
        return "\n".join(self.lines())


# ---- showing values -------------------------------------------------------------------------


def _shorten(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def show(field: str, value: Value, names: Mapping[str, str]) -> str:
    if field == "present":
        return {True: "có mặt", False: "vắng mặt", None: "(chưa điểm danh)"}[value]
    if value is None or value == "" or value == () or value == {}:
        return "(trống)"
    if field in ("period", "discipline", "org_discipline"):
        return value.describe()  # a record of history_records
    if field.endswith("level") and isinstance(value, str):
        return value
    if field == "step":
        return f"“{CellStep(value).label}”"
    if field == "voting_method":
        return "bỏ phiếu kín" if value == "bo_phieu_kin" else "giơ tay"
    if field in ("chair", "secretary"):
        return names.get(value, value)
    if field == "tally_entries":
        return tally_text(value)
    if field == "tally_committee":
        return ", ".join(names.get(code, code) for code in value)
    if field == "tasks_exceeded_share":
        return format_percent(value)
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, float):
        return format_decimal(value, 2)
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, dt.time):
        return f"{value:%H:%M}"
    if isinstance(value, dict):
        return ", ".join(f"{level} {count}" for level, count in value.items()) or "(trống)"
    if isinstance(value, str):
        return f"“{_shorten(value)}”"
    return str(value)
