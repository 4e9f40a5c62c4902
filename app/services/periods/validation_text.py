"""A validation report as plain Vietnamese lines (the command line prints them; tests read
them)."""

from __future__ import annotations

from app.domain.formatting import format_int
from app.domain.rules import Finding, check_label
from app.services.periods.validation import ValidationReport

BLOCKING_MARK = "[PHẢI SỬA]"
WARNING_MARK = "[LƯU Ý]"


def finding_lines(finding: Finding) -> list[str]:
    mark = BLOCKING_MARK if finding.blocking else WARNING_MARK
    lines = [f"{mark} {finding.message}"]
    if finding.citation:
        lines.append(f"    Căn cứ: {finding.citation}")
    if finding.confidence_note:
        lines.append(f"    ({finding.confidence_note})")
    return lines


GROUP_AFTER = 3  # warnings of one kind beyond this many are summed up, unless asked for all


def report_lines(report: ValidationReport, *, full: bool = False) -> list[str]:
    lines = [
        f"Kỳ đánh giá năm {report.year} — {report.ruleset.name}",
        f"Phạm vi: {report.unit_name} · {format_int(report.judged)} đối tượng đã có mức xếp loại",
    ]
    for status in report.quotas:
        if status.allowed is None:
            continue
        verdict = f"vượt {format_int(status.over)}" if status.over else "trong giới hạn"
        lines.append(
            f"Tỷ lệ {status.level}: {format_int(status.used)} người; {status.sentence} — {verdict}"
        )
    lines.append("")
    shown: dict[str, int] = {}
    hidden: dict[str, int] = {}
    for finding in sorted(report.findings, key=lambda f: (not f.blocking, f.subject)):
        if not full and not finding.blocking and shown.get(finding.check, 0) >= GROUP_AFTER:
            hidden[finding.check] = hidden.get(finding.check, 0) + 1
            continue
        shown[finding.check] = shown.get(finding.check, 0) + 1
        lines += finding_lines(finding)
    for check, count in hidden.items():
        lines.append(
            f"{WARNING_MARK} … và {format_int(count)} lưu ý tương tự "
            f"({check_label(check)}); "
            "thêm --full để xem hết"
        )
    if report.screening:
        lines.append("")
        lines.append(
            "Đảng viên hai năm liền không hoàn thành nhiệm vụ (đưa vào danh sách xem xét):"
        )
        lines += [f"  - {entry.full_name} ({entry.cell_name})" for entry in report.screening]
    lines.append("")
    blocking, warnings = len(report.blocking), len(report.warnings)
    if blocking:
        lines.append(
            f"Kết quả: {format_int(blocking)} điểm phải sửa, {format_int(warnings)} điểm lưu ý."
        )
    else:
        lines.append(f"Kết quả: không có điểm phải sửa; {format_int(warnings)} điểm lưu ý.")
    return lines
