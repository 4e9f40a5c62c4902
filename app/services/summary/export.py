"""The summary as a PDF (through the document renderer) and as an Excel workbook.

The PDF takes the main organisation group (grassroots organisations above grassroots level);
the renderer has one organisation table, so the cells under grassroots committees of a
district summary appear in the text and Excel forms only.

In the workbook, counts are numbers (a province adds them up) shown with a dot for thousands
whatever the computer's regional settings (6.185); shares and changes are text as printed
("77,5%", "+165", "−10"), so they read the same everywhere.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app.documents.data import (
    BreakdownRow,
    GroupSummary,
    Heading,
    LevelColumn,
    LevelCount,
    Ratio,
    ReasonCount,
    ScoreBandCount,
    ScoreTable,
    ScreeningEntry,
    Signer,
    SummaryData,
)
from app.documents.summary_report import render_summary_report
from app.domain import clock
from app.domain.formatting import format_percent
from app.domain.vocabulary import OrgKind
from app.services.common.workbook import (
    Column,
    SheetSpec,
    append_row,
    new_workbook,
    save_workbook,
    write_sheet,
)
from app.services.summary.figures import PENDING_LABEL, change_text
from app.services.summary.report import GroupFigures, LevelInfo, Summary, SummaryReport
from app.services.summary.scores import ScoreDistribution

# Thousands with a dot in any regional settings, up to 999.999.999.
COUNT_FORMAT = '[>=1000000]#"."###"."##0;[>=1000]#"."##0;0'


def issuer_name(name: str, kind: OrgKind) -> str:
    """The body that issues a committee's documents: "Đảng bộ xã Na Tông" → "Đảng ủy xã Na
    Tông"; a cell issues its own."""
    if kind is not OrgKind.CELL and name.startswith("Đảng bộ "):
        return "Đảng ủy " + name[len("Đảng bộ ") :]
    return name


def _columns(levels: tuple[LevelInfo, ...]) -> tuple[LevelColumn, ...]:
    return tuple(LevelColumn(lv.code, lv.short, lv.name) for lv in levels)


def _group(group: GroupFigures) -> GroupSummary:
    """The document's figures, with the shares as the summary computed them (the PDF prints
    them as given, so it shows the window's numbers)."""
    return GroupSummary(
        total=group.total,
        evaluated=group.evaluated,
        levels=tuple(
            LevelCount(
                f.code,
                f.count,
                f.previous,
                f.of_which.short if f.of_which else "",
                f.of_which.count if f.of_which else None,
                f.of_which.previous if f.of_which else None,
                share=f.share,
                previous_share=f.previous_share,
                of_which_share=f.of_which.share if f.of_which else "",
                of_which_previous_share=f.of_which.previous_share if f.of_which else "",
            )
            for f in group.levels
        ),
        not_evaluated=tuple(ReasonCount(r.label, r.count, r.previous) for r in group.not_evaluated),
        previous_total=group.previous_total,
        previous_evaluated=group.previous_evaluated,
        evaluated_share=group.evaluated_share,
        previous_evaluated_share=group.previous_evaluated_share,
        not_evaluated_share=group.not_evaluated_share,
        previous_not_evaluated_share=group.previous_not_evaluated_share,
        pending=group.pending if group.has_pending else None,
        pending_share=group.pending_share,
        previous_pending=group.previous_pending,
        previous_pending_share=group.previous_pending_share,
    )


def summary_document(report: SummaryReport, today: dt.date | None = None) -> SummaryData:
    s = report.summary
    unit = s.unit
    ratio = s.ratio
    right = Signer("BÍ THƯ", authority="T/M CHI BỘ" if unit.is_cell else "T/M BAN THƯỜNG VỤ")
    return SummaryData(
        heading=Heading(
            superior=unit.superior,
            issuer=issuer_name(unit.name, unit.kind),
            place=unit.place_name,
            date=today or clock.today(),
        ),
        year=s.year,
        node=unit.name,
        organisation_levels=_columns(s.org_levels),
        member_levels=_columns(s.member_levels),
        organisations=_group(s.organisations) if s.organisations else None,
        members=_group(s.members),
        ratios=(
            Ratio(
                ratio.label,
                ratio.part,
                ratio.whole,
                ratio.limit_percent,
                ratio.previous_part,
                ratio.previous_whole,
            ),
        ),
        screening=tuple(
            ScreeningEntry(m.full_name, m.cell_name, m.previous_level.code, m.current_level.code)
            for m in s.screening
        ),
        breakdown=tuple(
            BreakdownRow(
                child.unit.name,
                child.members.evaluated,
                tuple(child.members.count(lv.code) for lv in s.member_levels),
                child.own_level.code if child.own_level else None,
            )
            for child in report.children
        ),
        previous_year=s.previous_year,
        right_signer=right,
        draft=report.provisional,
        score_tables=tuple(
            _score_table(dist) for dist in (s.org_scores, s.member_scores) if dist is not None
        ),
    )


def _score_table(dist: ScoreDistribution) -> ScoreTable:
    return ScoreTable(
        dist.title,
        dist.evaluated,
        tuple(ScoreBandCount(band.label, band.count, band.share) for band in dist.rows),
    )


def render_pdf(report: SummaryReport, today: dt.date | None = None) -> bytes:
    return render_summary_report(summary_document(report, today))


# --------------------------------------------------------------------------------------------
# Excel


def _count(sheet: Worksheet, value: int | None) -> Any:
    if value is None:
        return None
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = COUNT_FORMAT
    return cell


def _figure_rows(sheet: Worksheet, s: Summary, title: str, group: GroupFigures) -> list[list[Any]]:
    compare = s.previous_year is not None

    def row(
        label: str,
        count: int,
        share: str | None,
        previous: int | None,
        prev_share: str | None,
        change: bool = True,
    ) -> list[Any]:
        cells: list[Any] = [label, _count(sheet, count), share]
        if compare:
            shift = change_text(count, previous) if change else ""
            cells += [_count(sheet, previous), prev_share, shift or None]
        return cells

    rows: list[list[Any]] = [[], [_title(sheet, title)]]
    rows.append(row("Tổng số", group.total, None, group.previous_total, None))
    rows.append(
        row(
            "Chưa đánh giá, xếp loại",
            group.not_evaluated_count,
            group.not_evaluated_share,
            group.previous_not_evaluated,
            group.previous_not_evaluated_share or None,
        )
    )
    for reason in group.not_evaluated:
        rows.append(row(f"  – {reason.label}", reason.count, None, reason.previous, None))
    rows.append(
        row(
            "Được đánh giá, xếp loại, trong đó:",
            group.evaluated,
            group.evaluated_share,
            group.previous_evaluated,
            group.previous_evaluated_share or None,
        )
    )
    for f in group.levels:
        label = f.name if f.short == f.name else f"{f.name} ({f.short})"
        rows.append(row(f"  – {label}", f.count, f.share, f.previous, f.previous_share or None))
        if f.of_which is not None:
            inner = f.of_which
            rows.append(
                row(
                    f"      trong đó: {inner.short}",
                    inner.count,
                    inner.share,
                    inner.previous,
                    inner.previous_share or None,
                )
            )
    if group.has_pending:
        rows.append(
            row(
                f"  – {PENDING_LABEL}",
                group.pending,
                group.pending_share,
                group.previous_pending,
                group.previous_pending_share or None,
                change=False,
            )
        )
    return rows


def _title(sheet: Worksheet, text: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=text)
    cell.font = Font(bold=True)
    return cell


def _figures_sheet(workbook: Workbook, s: Summary) -> None:
    sheet = workbook.create_sheet("Tổng hợp")
    head = ["Chỉ tiêu", f"Năm {s.year}", "Tỷ lệ"]
    widths = [56, 12, 10]
    if s.previous_year is not None:
        head += [f"Năm {s.previous_year}", "Tỷ lệ", "Tăng (+), giảm (−)"]
        widths += [12, 10, 12]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.append([_title(sheet, f"Kết quả đánh giá, xếp loại chất lượng năm {s.year}")])
    append_row(sheet, [s.unit.name])
    append_row(sheet, [f"Theo {s.ruleset_name}"])
    sheet.append([])
    sheet.append([_title(sheet, text) for text in head])
    for group in (s.organisations, s.subordinate):
        if group is not None:
            for row in _figure_rows(sheet, s, group.title, group):
                append_row(sheet, row)
    for row in _figure_rows(sheet, s, "Đảng viên", s.members):
        append_row(sheet, row)
    r = s.ratio
    limit = None if r.limit_percent is None else f"giới hạn {format_percent(r.limit_percent / 100)}"
    append_row(sheet, [r.label, r.text, limit])


def _scores_sheet(workbook: Workbook, s: Summary) -> None:
    """ "Theo điểm": those evaluated by score band, where the rule set scores (issue 24)."""
    found = [d for d in (s.org_scores, s.member_scores) if d is not None]
    if not found:
        return
    sheet = workbook.create_sheet("Theo điểm")
    for index, width in enumerate((56, 12, 10), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.append([_title(sheet, f"Kết quả chấm điểm năm {s.year} (thang 100 điểm)")])
    append_row(sheet, [s.unit.name])
    for dist in found:
        sheet.append([])
        sheet.append([_title(sheet, text) for text in (dist.title, "Số lượng", "Tỷ lệ")])
        for band in dist.rows:
            append_row(sheet, [band.label, band.count, band.share])
        append_row(sheet, ["Cộng (số được đánh giá, xếp loại)", dist.evaluated, None])


def write_workbook(report: SummaryReport, path: Path) -> None:
    """Sheets "Tổng hợp" (the figures), "Theo điểm" (where the rule set scores), "Chi tiết"
    (each subordinate unit) and "Sàng lọc"."""
    s = report.summary
    workbook = new_workbook()
    _figures_sheet(workbook, s)
    _scores_sheet(workbook, s)
    level_columns = tuple(Column(lv.code, lv.short, width=10) for lv in s.member_levels)
    detail = SheetSpec(
        "Chi tiết",
        (
            Column("code", "Mã", width=12),
            Column("name", "Tổ chức đảng", width=44),
            Column("evaluated", "Đảng viên được xếp loại", width=14),
            *level_columns,
            Column("own", "Xếp loại tổ chức", width=18),
        ),
    )
    detail_rows = [
        [
            c.unit.code,
            c.unit.name,
            c.members.evaluated,
            *[c.members.count(lv.code) for lv in s.member_levels],
            c.own_level.name if c.own_level else None,
        ]
        for c in report.children
    ]
    write_sheet(workbook, detail, detail_rows)

    screening = SheetSpec(
        "Sàng lọc",
        (
            Column("number", "STT", width=6),
            Column("code", "Mã", width=12),
            Column("name", "Họ và tên", width=28),
            Column("cell", "Chi bộ", width=36),
            Column("previous", f"Năm {s.year - 1}", width=12),
            Column("current", f"Năm {s.year}", width=12),
        ),
    )
    write_sheet(
        workbook,
        screening,
        [
            [i, m.code, m.full_name, m.cell_name, m.previous_level.short, m.current_level.short]
            for i, m in enumerate(s.screening, start=1)
        ],
    )
    save_workbook(workbook, Path(path))
