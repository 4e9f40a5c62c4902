"""The summary as plain text (the command line and a text file): the same tables as the PDF,
in Vietnamese number format, with last year's figures beside this year's."""

from __future__ import annotations

from app.domain.formatting import format_int, format_percent
from app.services.summary.figures import PENDING_LABEL, change_text
from app.services.summary.report import GroupFigures, Summary, SummaryReport
from app.services.summary.scores import ScoreDistribution

TITLE = "BIỂU TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG"
NUMERALS = ("I", "II", "III", "IV", "V", "VI")
_LABEL_WIDTH = 58


def _count(value: int | None) -> str:
    return "" if value is None else format_int(value)


class _Table:
    def __init__(self, year: int, previous_year: int | None) -> None:
        self.compare = previous_year is not None
        head = [f"Năm {year}", "Tỷ lệ"]
        if previous_year is not None:
            head += [f"Năm {previous_year}", "Tỷ lệ", "Tăng/giảm"]
        self.lines = [self._line("Chỉ tiêu", head)]

    def _line(self, label: str, cells: list[str]) -> str:
        widths = (10, 8, 10, 8, 10)
        text = label.ljust(_LABEL_WIDTH)
        if len(label) > _LABEL_WIDTH:
            text = label + "\n" + " " * _LABEL_WIDTH
        return (text + "".join(c.rjust(w) for c, w in zip(cells, widths, strict=False))).rstrip()

    def add(
        self,
        label: str,
        count: int,
        share: str = "",
        previous: int | None = None,
        previous_share: str = "",
        change: bool = True,
    ) -> None:
        cells = [format_int(count), share]
        if self.compare:
            cells += [
                _count(previous),
                previous_share,
                change_text(count, previous) if change else "",
            ]
        self.lines.append(self._line(label, cells))


def _group(lines: list[str], title: str, group: GroupFigures, s: Summary, members: bool) -> None:
    lines += ["", title]
    table = _Table(s.year, s.previous_year)
    table.add("Tổng số", group.total, "", group.previous_total)
    table.add(
        "Chưa đánh giá, xếp loại",
        group.not_evaluated_count,
        group.not_evaluated_share,
        group.previous_not_evaluated,
        group.previous_not_evaluated_share,
    )
    for reason in group.not_evaluated:
        table.add(f"  - {reason.label}", reason.count, "", reason.previous)
    table.add(
        "Được đánh giá, xếp loại, trong đó:",
        group.evaluated,
        group.evaluated_share,
        group.previous_evaluated,
        group.previous_evaluated_share,
    )
    for figure in group.levels:
        name = figure.name if figure.short == figure.name else f"{figure.name} ({figure.short})"
        table.add(f"  - {name}", figure.count, figure.share, figure.previous, figure.previous_share)
        inner = figure.of_which
        if inner is not None:
            table.add(
                f"      trong đó: {inner.short}",
                inner.count,
                inner.share,
                inner.previous,
                inner.previous_share,
            )
    if group.has_pending:
        table.add(
            f"  - {PENDING_LABEL}",
            group.pending,
            group.pending_share,
            group.previous_pending,
            group.previous_pending_share,
            change=False,
        )
    lines += table.lines
    if members:
        r = s.ratio
        text = f"{r.label}: {r.text}"
        if r.limit_percent is not None:
            text += f", giới hạn {format_percent(r.limit_percent / 100)}"
            text += " — VƯỢT GIỚI HẠN" if r.exceeded else ""
        if r.previous_part is not None and r.previous_whole is not None:
            text += (
                f"; năm {s.previous_year}: {format_int(r.previous_part)}/"
                f"{format_int(r.previous_whole)} ({r.previous_percent})"
            )
        lines.append(text + ".")
    if group.provisional:
        lines.append(
            f"Lưu ý: {format_int(group.provisional)} kết quả còn là đề xuất của chi bộ, "
            "chưa có quyết định của cấp ủy."
        )


def _scores(lines: list[str], dist: ScoreDistribution | None) -> None:
    """The score bands of those evaluated (where the rule set scores)."""
    if dist is None:
        return
    lines += ["", f"{dist.title}, trên {format_int(dist.evaluated)} được đánh giá, xếp loại:"]
    for band in dist.rows:
        label = f"  - {band.label}".ljust(_LABEL_WIDTH)
        lines.append(f"{label}{format_int(band.count).rjust(10)}{band.share.rjust(8)}")


def _breakdown(lines: list[str], title: str, report: SummaryReport) -> None:
    s = report.summary
    shorts = [level.short for level in s.member_levels]
    lines += ["", title]
    head = "Tổ chức đảng".ljust(_LABEL_WIDTH) + "Đã xếp loại".rjust(12)
    head += "".join(sh.rjust(8) for sh in shorts) + "   Tổ chức"
    lines.append(head)
    totals = [0] * (len(shorts) + 1)
    for child in report.children:
        counts = [child.members.evaluated] + [
            child.members.count(lv.code) for lv in s.member_levels
        ]
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
        name = (
            child.unit.name
            if len(child.unit.name) <= _LABEL_WIDTH - 1
            else child.unit.name[: _LABEL_WIDTH - 2] + "…"
        )
        own = child.own_level.short if child.own_level else ""
        lines.append(
            (
                name.ljust(_LABEL_WIDTH)
                + format_int(counts[0]).rjust(12)
                + "".join(format_int(n).rjust(8) for n in counts[1:])
                + f"   {own}"
            ).rstrip()
        )
    lines.append(
        "Cộng".ljust(_LABEL_WIDTH)
        + format_int(totals[0]).rjust(12)
        + "".join(format_int(n).rjust(8) for n in totals[1:])
    )


def summary_lines(report: SummaryReport) -> list[str]:
    s = report.summary
    lines = [
        f"{TITLE} NĂM {s.year}",
        f"{s.unit.name} — theo {s.ruleset_name}",
    ]
    if s.previous_year is not None:
        lines.append(f"So sánh với năm {s.previous_year}.")
    else:
        lines.append(f"Không có kết quả năm {s.year - 1} để so sánh.")
    if s.own_level is not None:
        stage = "" if s.own_level_decided else " (đề xuất, chưa quyết định)"
        lines.append(f"Xếp loại của {s.unit.name}: {s.own_level.name}{stage}.")
    part = 0
    for group in (s.organisations, s.subordinate):
        if group is not None:
            _group(lines, f"{NUMERALS[part]}. {group.title.upper()}", group, s, members=False)
            if group is s.organisations:
                _scores(lines, s.org_scores)
            part += 1
    _group(lines, f"{NUMERALS[part]}. ĐẢNG VIÊN", s.members, s, members=True)
    _scores(lines, s.member_scores)
    part += 1
    lines.append("Tỷ lệ xếp loại tính trên số được đánh giá, xếp loại.")
    if report.children:
        _breakdown(lines, f"{NUMERALS[part]}. CHI TIẾT THEO TỔ CHỨC ĐẢNG TRỰC THUỘC", report)
        part += 1
    lowest = s.member_levels[-1].name.upper() if s.member_levels else ""
    lines += ["", f"{NUMERALS[part]}. ĐẢNG VIÊN HAI NĂM LIỀN {lowest} (DIỆN SÀNG LỌC)"]
    if not s.screening:
        lines.append(f"Không có đảng viên nào hai năm liền xếp loại {lowest.lower()}.")
    for index, entry in enumerate(s.screening, start=1):
        lines.append(f"{index}. {entry.full_name} (mã {entry.code}) — {entry.cell_name}")
    return lines
