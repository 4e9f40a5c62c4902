"""The "Tổng hợp" tab on the demo commune: figures, charts, and drilling down to a member."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from app.settings import Settings
from app.store.database import Database
from app.ui.common import ask
from app.ui.common.tasks import SyncRunner
from app.ui.shell.main_window import MainWindow

from .conftest import TODAY


@pytest.fixture
def full_window(qtbot: QtBot, full_demo_db: Database, settings: Settings) -> MainWindow:
    window = MainWindow(full_demo_db, settings, SyncRunner(), today=lambda: TODAY)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    return window


def test_drill_down_from_the_commune_to_a_member(full_window: MainWindow) -> None:
    window = full_window
    window.select_root()
    window.show_tab(window.summary_page)
    tab = window.summary
    tab.year.setCurrentIndex(tab.year.findData(TODAY.year - 1))
    assert tab.report is not None and tab.report.summary.unit.name == "Đảng bộ xã Na Tông"
    assert tab.figures.item(0, 0).text() == "Đảng viên"
    assert tab.level_chart.total == tab.report.summary.members.evaluated > 500
    assert [c.year for c in tab.trend_chart.columns][-2:] == [TODAY.year - 1, TODAY.year]
    assert tab.detail.rowCount() == 35  # the cells under the commune

    row = next(r for r in range(tab.detail.rowCount())
               if tab.detail.item(r, 0).text() == "Chi bộ bản Pá Có")  # fmt: skip
    tab.detail.selectRow(row)
    tab.drill_down()
    node = window.tree.current_node()
    assert node is not None and node.name == "Chi bộ bản Pá Có"
    assert tab.report.summary.unit.is_cell
    assert tab.detail.horizontalHeaderItem(0).text() == "Họ và tên"
    name = tab.detail.item(0, 0).text()
    tab.detail.selectRow(0)
    tab.drill_down()
    assert window.tabs.currentWidget() is window.members
    selected = window.members.selected()
    assert selected is not None and selected.full_name == name


def test_export_pdf_and_excel(
    full_window: MainWindow,
    tmp_path,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    from openpyxl import load_workbook
    from pypdf import PdfReader

    tab = full_window.summary
    full_window.select_root()
    tab.year.setCurrentIndex(tab.year.findData(TODAY.year - 1))
    monkeypatch.setattr(ask, "inform", lambda *_a: None)
    monkeypatch.setattr(ask, "save_file", lambda *_a: tmp_path / "tong-hop.pdf")
    tab.export_pdf()
    assert "BIỂU TỔNG HỢP" in PdfReader(tmp_path / "tong-hop.pdf").pages[0].extract_text().upper()
    monkeypatch.setattr(ask, "save_file", lambda *_a: tmp_path / "tong-hop.xlsx")
    tab.export_excel()
    assert "Tổng hợp" in load_workbook(tmp_path / "tong-hop.xlsx").sheetnames
