"""Past years' results from the menu: export, then an import previewed before it writes."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtWidgets import QDialog, QLabel
from pytestqt.qtbot import QtBot

from app.domain.text import strip_diacritics
from app.services.summary import report as summary
from app.settings import Settings
from app.store.database import Database
from app.ui.common import ask
from app.ui.common.tasks import SyncRunner
from app.ui.reports.results_dialog import ResultsPreview
from app.ui.shell.main_window import MainWindow

from .conftest import TODAY


def exported(
    qtbot: QtBot, db: Database, settings: Settings, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> tuple[MainWindow, Path, list[str]]:  # fmt: skip
    """A window whose results were exported from the menu: (window, the workbook, messages)."""
    window = MainWindow(db, settings, SyncRunner(), today=lambda: TODAY)
    qtbot.addWidget(window)
    workbook_path = tmp_path / "ket-qua.xlsx"
    messages: list[str] = []
    monkeypatch.setattr(ask, "inform", lambda _p, _t, text: messages.append(text))
    monkeypatch.setattr(ask, "save_file", lambda *_a: workbook_path)
    window.export_results()
    return window, workbook_path, messages


def test_export_change_a_result_preview_and_overwrite(
    qtbot: QtBot, full_demo_db: Database, settings: Settings, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    window, workbook_path, messages = exported(qtbot, full_demo_db, settings, tmp_path, monkeypatch)
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
        # The year is decided and locked: the import also takes a reason to unlock it.
        assert not dialog.import_button.isEnabled()
        dialog.reopen.setText("Sửa sai sót theo biên bản kiểm tra")
        assert dialog.import_button.isEnabled()
        return True

    monkeypatch.setattr(window, "run_dialog", overwrite)
    window.import_results()
    assert messages[-1].startswith("Đã nhập kết quả năm") and "ghi đè 1 kết quả" in messages[-1]
    assert "khóa lại" in messages[-1]
    assert summary.summarize(full_demo_db, TODAY.year - 1).members.count("HTNV") == before + 1


def test_a_name_other_than_the_registry_s_is_imported_only_when_confirmed(
    qtbot: QtBot, full_demo_db: Database, settings: Settings, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    window, workbook_path, messages = exported(qtbot, full_demo_db, settings, tmp_path, monkeypatch)
    workbook = load_workbook(workbook_path)
    sheet = workbook["Đảng viên"]
    header = [c.value for c in sheet[1]]
    code_col, name_col = header.index("Mã") + 1, header.index("Họ và tên") + 1
    names = {r: sheet.cell(r, name_col).value for r in range(2, sheet.max_row + 1)}
    row = next(r for r, name in names.items() if strip_diacritics(name) != name)
    registry_name = sheet.cell(row, name_col).value
    sheet.cell(row, name_col).value = strip_diacritics(registry_name)
    sheet.cell(row, code_col).value = sheet.cell(row, code_col).value.lower()
    workbook.save(workbook_path)
    monkeypatch.setattr(ask, "open_file", lambda *_a: workbook_path)

    def look_and_decline(dialog: QDialog) -> bool:
        assert isinstance(dialog, ResultsPreview)
        assert len(dialog.plan.name_mismatches) == 1
        assert not dialog.import_button.isEnabled()
        assert dialog.accept_names.isVisibleTo(dialog)
        shown = "\n".join(label.text() for label in dialog.findChildren(QLabel))
        assert f"trong danh sách là {registry_name}, tệp ghi {strip_diacritics(registry_name)}" in (
            shown
        )
        return False

    monkeypatch.setattr(window, "run_dialog", look_and_decline)
    window.import_results()
    assert not any("Đã nhập" in m for m in messages)

    def confirm(dialog: QDialog) -> bool:
        assert isinstance(dialog, ResultsPreview)
        dialog.accept_names.setChecked(True)
        assert dialog.import_button.isEnabled()
        return True

    monkeypatch.setattr(window, "run_dialog", confirm)
    window.import_results()
    assert messages[-1].startswith("Đã nhập kết quả năm") and "như đã xác nhận" in messages[-1]
