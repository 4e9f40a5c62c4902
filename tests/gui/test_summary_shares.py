"""Issue 19, honest states: the summary of the demo's year under way gives each level ONE share,
the same in the window's table, in its chart and in the printed summary: its members over
those evaluated ("Được đánh giá, xếp loại"), with the members still without a level stated as
their own line "Chưa có kết quả xếp loại" instead of shrinking the base."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.domain import clock
from app.ui.common import ask
from app.ui.reports.summary import SummaryTab
from app.ui.shell.main_window import MainWindow

THIS_YEAR = clock.today().year  # the demo's year under way: cells at every step
PENDING = "Chưa có kết quả xếp loại"


def percent(part: int, whole: int) -> str:
    """The share as reports print it (two decimals, trailing zeros dropped), worked out here
    rather than with the app's formatter."""
    hundredths = (part * 10000 * 2 + whole) // (whole * 2)  # half up, in 1/100 of a percent
    whole_part, fraction = divmod(hundredths, 100)
    decimals = f"{fraction:02d}".rstrip("0")
    return f"{whole_part},{decimals}%" if decimals else f"{whole_part}%"


def number(text: str) -> int:
    return int(text.replace(".", ""))


def dotted(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def table_members(tab: SummaryTab) -> dict[str, tuple[int, str]]:
    """The members' block of the figures table: row title → (count, share) as shown."""
    found: dict[str, tuple[int, str]] = {}
    inside = False
    for r in range(tab.figures.rowCount()):
        title = tab.figures.item(r, 0).text()
        if not title.startswith(" "):  # a group's title row
            inside = title == "Đảng viên"
            continue
        if inside:
            found[title.strip()] = (
                number(tab.figures.item(r, 1).text()),
                tab.figures.item(r, 2).text(),
            )
    return found


def chart_lines(tab: SummaryTab) -> dict[str, tuple[int, str]]:
    """What the level chart writes beside each of its bars: label → (count, share)."""
    found = {}
    for label, value in tab.level_chart.lines():
        match = re.fullmatch(r"([\d.]+) \(([\d,]+%)\)", value)
        assert match, value
        found[label] = (number(match[1]), match[2])
    return found


def printed_members(pdf: bytes) -> str:
    """The members' table of the printed summary, as one line of text."""
    text = " ".join(
        " ".join((page.extract_text() or "").replace("\u00a0", " ").split())
        for page in PdfReader(io.BytesIO(pdf)).pages
    )
    return text.split(". ĐẢNG VIÊN", 1)[1].split("Tỷ lệ xếp loại tính trên", 1)[0]


def test_each_level_has_one_share_in_the_table_the_chart_and_the_print(
    full_window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = full_window
    window.select_root()
    window.show_tab(window.summary_page)
    tab = window.summary
    tab.year.setCurrentIndex(tab.year.findData(THIS_YEAR))
    assert tab.report is not None and tab.report.provisional
    levels = tab.report.summary.member_levels

    table = table_members(tab)
    evaluated = table["Được xếp loại"][0]
    counts = {lv.code: table[lv.name][0] for lv in levels}
    pending = evaluated - sum(counts.values())
    assert pending > 0, "the demo's year under way has cells that have not proposed yet"

    # The table: each level over those evaluated, never over the fewer with a level so far.
    shares = {lv.code: percent(counts[lv.code], evaluated) for lv in levels}
    said = (pending, percent(pending, evaluated))
    for lv in levels:
        assert table[lv.name] == (counts[lv.code], shares[lv.code]), lv.short
    assert table[PENDING] == said  # those without a level yet: a line of their own

    # The chart: the same numbers beside its bars.
    chart = chart_lines(tab)
    for lv in levels:
        assert chart[lv.short] == (counts[lv.code], shares[lv.code]), lv.short
    assert chart["Chưa có kết quả"] == said

    # The printed summary (the tab's "Xuất PDF"): the same again.
    target = tmp_path / "tong-hop.pdf"
    monkeypatch.setattr(ask, "save_file", lambda *_a: target)
    monkeypatch.setattr(ask, "inform", lambda *_a: None)
    tab.export_pdf()
    printed = printed_members(target.read_bytes())
    for lv in levels:
        line = f"{lv.name} ({lv.short}) {dotted(counts[lv.code])} {shares[lv.code]}"
        assert line in printed, (line, printed)
    assert f"{PENDING} {dotted(pending)} {said[1]}" in printed, printed
