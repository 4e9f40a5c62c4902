"""Issue 19, honest states: one share per line of a summary, computed by the summary service
and printed as it is by the text summary, the PDF and the workbook. A level's share is of those
evaluated; those evaluated but without a level yet (the demo's year under way: cells that have
not proposed) are the line "Chưa có kết quả xếp loại", of the same base."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from app.domain import clock
from app.services.summary import export, text
from app.services.summary import report as summary
from app.store.database import Database

from .test_report import percent

THIS_YEAR = clock.today().year  # the demo's year under way
LAST_YEAR = THIS_YEAR - 1  # decided
PENDING = "Chưa có kết quả xếp loại"


def dotted(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def pdf_members(pdf: bytes) -> str:
    """The members' table of the printed summary, as one line."""
    flat = " ".join(
        " ".join((page.extract_text() or "").replace("\u00a0", " ").split())
        for page in PdfReader(io.BytesIO(pdf)).pages
    )
    return flat.split(". ĐẢNG VIÊN", 1)[1].split("Tỷ lệ xếp loại tính trên", 1)[0]


def text_members(report: summary.SummaryReport) -> str:
    lines = text.summary_lines(report)
    start = next(i for i, line in enumerate(lines) if line.endswith(". ĐẢNG VIÊN"))
    return "\n".join(lines[start:])


def workbook_members(report: summary.SummaryReport, path: Path) -> dict[str, tuple[int, str]]:
    """The members' rows of the "Tổng hợp" sheet: label → (count, share)."""
    export.write_workbook(report, path)
    rows = list(load_workbook(path, read_only=True)["Tổng hợp"].iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if row and row[0] == "Đảng viên")
    return {
        str(row[0]).strip(" –"): (row[1], row[2])
        for row in rows[start + 1 :]
        if row and row[0] and isinstance(row[1], int)
    }


@pytest.mark.parametrize("year", [THIS_YEAR, LAST_YEAR])
def test_text_pdf_and_workbook_print_the_summary_s_own_shares(
    any_full_demo_db: Database, tmp_path: Path, year: int
) -> None:
    report = summary.report(any_full_demo_db, year)
    members = report.summary.members
    assert report.provisional is (year == THIS_YEAR)
    # One base: those evaluated. The levels and the line of those without one make it whole.
    assert sum(f.count for f in members.levels) + members.pending == members.evaluated
    for figure in members.levels:
        assert figure.evaluated == members.evaluated
        assert figure.share == percent(figure.count, members.evaluated)
    if year == THIS_YEAR:
        assert members.pending > 0 and members.has_pending
        assert members.pending_share == percent(members.pending, members.evaluated)
    else:
        assert members.pending == 0 and not members.has_pending

    printed = pdf_members(export.render_pdf(report))
    plain = text_members(report)
    sheet = workbook_members(report, tmp_path / f"tong-hop-{year}.xlsx")
    for f in members.levels:
        label = f"{f.name} ({f.short})"
        assert f"{label} {dotted(f.count)} {f.share}" in printed, (label, printed)
        assert re.search(rf"- {re.escape(label)} +{dotted(f.count)} +{re.escape(f.share)}", plain)
        assert sheet[label] == (f.count, f.share)
    stated = [PENDING in printed, PENDING in plain, PENDING in sheet]
    assert stated == [members.has_pending] * 3
    if members.has_pending:
        assert f"{PENDING} {dotted(members.pending)} {members.pending_share}" in printed
        assert re.search(
            rf"- {PENDING} +{dotted(members.pending)} +{re.escape(members.pending_share)}", plain
        )
        assert sheet[PENDING] == (members.pending, members.pending_share)
