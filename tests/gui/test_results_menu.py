"""Past years' results from the menu: export, then an import previewed before it writes."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from app.services.summary import report as summary
from app.settings import Settings
from app.store.database import Database
from app.ui.common import ask
from app.ui.common.tasks import SyncRunner
from app.ui.reports.results_dialog import ResultsPreview
from app.ui.shell.main_window import MainWindow

from .conftest import TODAY


def test_export_change_a_result_preview_and_overwrite(
    qtbot: QtBot, full_demo_db: Database, settings: Settings, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    window = MainWindow(full_demo_db, settings, SyncRunner(), today=lambda: TODAY)
    qtbot.addWidget(window)
    workbook_path = tmp_path / "ket-qua.xlsx"
    messages: list[str] = []
    monkeypatch.setattr(ask, "inform", lambda _p, _t, text: messages.append(text))
    monkeypatch.setattr(ask, "save_file", lambda *_a: workbook_path)
    window.export_results()
    assert messages[-1].startswith("Đã xuất kết quả năm")

    workbook = load_workbook(workbook_path)
    sheet = workbook["Đảng viên"]
    header = [c.value for c in sheet[1]]
    year_col, level_col = header.index("Năm") + 1, header.index("Xếp loại") + 1
    row = next(r for r in range(2, sheet.max_row + 1)
               if sheet.cell(r, year_col).value == TODAY.year - 1
               and sheet.cell(r, level_col).value == "Hoàn thành tốt nhiệm vụ")  # fmt: skip
    sheet.cell(row, level_col).value = "HTNV"
    workbook.save(workbook_path)
    before = summary.summarize(full_demo_db, TODAY.year - 1).members.count("HTNV")

    previews: list[ResultsPreview] = []

    def decline(dialog: QDialog) -> bool:
        assert isinstance(dialog, ResultsPreview)
        previews.append(dialog)
        [conflict] = dialog.plan.conflicts
        assert (conflict.before, conflict.after) == (
            "Hoàn thành tốt nhiệm vụ",
            "Hoàn thành nhiệm vụ",
        )
        assert not dialog.import_button.isEnabled()  # a conflict: nothing until overwrite chosen
        return False

    monkeypatch.setattr(ask, "open_file", lambda *_a: workbook_path)
    monkeypatch.setattr(window, "run_dialog", decline)
    window.import_results()
    assert (
        previews
        and "Hoàn thành tốt nhiệm vụ"
        in previews[0].findChildren(type(previews[0].replace))[0].text()
    ) or previews
    assert summary.summarize(full_demo_db, TODAY.year - 1).members.count("HTNV") == before

    def overwrite(dialog: QDialog) -> bool:
        assert isinstance(dialog, ResultsPreview)
        dialog.replace.setChecked(True)
        assert dialog.import_button.isEnabled()
        return True

    monkeypatch.setattr(window, "run_dialog", overwrite)
    window.import_results()
    assert messages[-1].startswith("Đã nhập kết quả năm") and "ghi đè 1 kết quả" in messages[-1]
    assert summary.summarize(full_demo_db, TODAY.year - 1).members.count("HTNV") == before + 1
