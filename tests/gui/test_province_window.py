"""The province in the window (issue 23): the demo commune sends its decided year up
(Tệp → Báo cáo lên tỉnh…, with a password), a window on a province database receives it
(Tệp → Nhận báo cáo của xã…) after the preview, and the "Tỉnh" tab shows the commune's
figures as province_summary counts them; a corrected report is refused without a reason; the
tab fits the office laptop's screen."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, QSize
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from app.domain.formatting import format_int
from app.services.reports.province import province_summary
from app.services.safekeeping.secure_file import is_encrypted
from app.settings import Settings
from app.store.database import Database
from app.ui.common import ask
from app.ui.common.tasks import SyncRunner
from app.ui.files.password_dialogs import AskPasswordDialog, NewPasswordDialog
from app.ui.province.report_export import ReportExportForm
from app.ui.province.report_import import ReceiveReportDialog
from app.ui.province.tab import TOTAL_LABEL, ProvinceTab
from app.ui.shell.main_window import MainWindow
from tests.services.reports.helpers import correct_levels, written

from .conftest import TODAY
from .fit import clipping_problems, window_problems, words
from .keyboard import type_text

PASSWORD = "Báo cáo Na Tông gửi tỉnh"
SCREEN = QSize(1366, 768)
AREA = QRect(0, 0, 1366, 728)  # the laptop's screen less the taskbar (test_screen_fit)
SHOTS = os.environ.get("DANHGIA_SHOTS")  # a folder: screenshots to look at, when set
Answer = Callable[[QDialog], bool]


def _answer(window: MainWindow, *answers: Answer) -> list[QDialog]:
    """Answer the window's next dialogs in order; the dialogs are kept for the test to read."""
    shown: list[QDialog] = []
    pending = list(answers)

    def run(dialog: QDialog) -> bool:
        shown.append(dialog)
        assert pending, f"unexpected dialog {type(dialog).__name__}"
        return pending.pop(0)(dialog)

    window.run_dialog = run  # type: ignore[method-assign]
    return shown


@pytest.fixture
def province(qtbot: QtBot, tmp_path: Path, empty_template: Path) -> MainWindow:
    """A window on the province's database: migrated and empty, as the reports tests'
    ``province_path`` (tests/services/reports/conftest.py) makes it."""
    path = tmp_path / "tinh.sqlite"
    shutil.copyfile(empty_template, path)
    db = Database.open(path)
    window = MainWindow(db, Settings(tmp_path / "tinh.json"), SyncRunner(), today=lambda: TODAY)
    qtbot.addWidget(window)
    window.resize(SCREEN)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.close()
    db.close()


def _export_form(year: int, pdf: Path | None = None) -> Answer:
    def fill(form: QDialog) -> bool:
        assert isinstance(form, ReportExportForm)
        index = form.year.findData(year)
        assert index >= 0, year
        form.year.setCurrentIndex(index)
        if pdf is not None:
            form.pdf.setText(str(pdf))
        return form.accept_button.isEnabled()

    return fill


def _password(text: str | None) -> Answer:
    def fill(form: QDialog) -> bool:
        assert isinstance(form, NewPasswordDialog)
        if text is None:
            form.skip()
        else:
            form.first.setText(text)
            form.second.setText(text)
        return True

    return fill


def _export(window: MainWindow, out: Path, monkeypatch: pytest.MonkeyPatch, pw: str | None) -> Path:
    monkeypatch.setattr(ask, "save_file", lambda *_a: out)
    _answer(window, _export_form(TODAY.year - 1), _password(pw))
    window.export_report()  # Tệp → Báo cáo lên tỉnh…
    return out


def _receive(
    window: MainWindow, file: Path, monkeypatch: pytest.MonkeyPatch, *answers: Answer
) -> list[QDialog]:
    monkeypatch.setattr(ask, "open_file", lambda *_a: file)
    shown = _answer(window, *answers)
    window.receive_report()  # Tệp → Nhận báo cáo của xã…
    return shown


def _click(button_name: str) -> Answer:
    def press(dialog: QDialog) -> bool:
        assert isinstance(dialog, ReceiveReportDialog)
        getattr(dialog, button_name).click()
        return dialog.result() == QDialog.DialogCode.Accepted

    return press


def _shot(widget: QDialog | MainWindow, name: str) -> None:
    if SHOTS:
        widget.grab().save(os.path.join(SHOTS, name))


def test_the_year_under_way_cannot_be_reported(full_window: MainWindow, said: list[str]) -> None:
    seen: list[str] = []

    def look(form: QDialog) -> bool:
        assert isinstance(form, ReportExportForm)
        assert form.year.currentData() == TODAY.year - 1  # the decided year is offered first
        assert form.accept_button.isEnabled()
        form.year.setCurrentIndex(form.year.findData(TODAY.year))
        seen.append(form.problem.text())
        assert not form.accept_button.isEnabled()
        return False

    _answer(full_window, look)
    full_window.export_report()
    assert f"Năm {TODAY.year} chưa được quyết định" in seen[0]
    assert not said


def test_export_receive_and_read_the_province_tab(
    full_window: MainWindow, province: MainWindow, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, said: list[str], qtbot: QtBot,
) -> None:  # fmt: skip
    year = TODAY.year - 1
    file = _export(full_window, tmp_path / "usb" / "bao-cao", monkeypatch, PASSWORD)
    file = file.with_name("bao-cao.dgr")  # the ending is added to a name typed without it
    assert is_encrypted(file)
    assert said[-1].startswith("Đã xuất báo cáo lên tỉnh: Đã xuất báo cáo năm")
    assert "đặt mật khẩu" in said[-1]
    assert province.province_page is None  # no reports yet: no "Tỉnh" tab

    def password(form: QDialog) -> bool:
        assert isinstance(form, AskPasswordDialog)
        form.field.setText(PASSWORD)
        return True

    preview: list[str] = []

    def receive(dialog: QDialog) -> bool:
        assert isinstance(dialog, ReceiveReportDialog)
        preview.append(dialog.text.toPlainText())
        _shot(dialog, "province-receive.png")
        return _click("receive_button")(dialog)

    shown = _receive(province, file, monkeypatch, password, receive)
    assert [type(d).__name__ for d in shown] == ["AskPasswordDialog", "ReceiveReportDialog"]
    assert "Báo cáo mới: tỉnh chưa có báo cáo năm" in preview[0]
    assert said[-1].startswith(f"Báo cáo của xã: Đã nhập báo cáo năm {year}")

    page = province.province_page
    assert page is not None and province.tabs.indexOf(page) >= 0
    province.show_tab(page)
    tab = page.content
    assert isinstance(tab, ProvinceTab)
    assert tab.year.currentData() == year
    summary = province_summary(province.db, year)
    [commune] = summary.communes
    table = tab.communes
    assert table.rowCount() == 2  # the commune and the province's total
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    for row, name in ((0, commune.name), (1, TOTAL_LABEL)):
        assert table.item(row, headers.index("Đảng bộ")).text() == name
        cell = table.item(row, headers.index("Đảng viên")).text()
        assert cell == format_int(commune.members.total)
        for level in summary.member_levels:
            figure = commune.members.level(level.code)
            assert figure is not None
            shown_text = table.item(row, headers.index(f"ĐV {level.short}")).text()
            assert shown_text == f"{format_int(figure.count)} ({figure.share})"
        orgs = table.item(row, headers.index("Tổ chức đảng")).text()
        assert orgs == format_int(commune.organisations.total)
    assert table.item(0, 0).text() == "XNT"

    # Xuất Excel… writes the province's workbook.
    out = tmp_path / "tong-hop.xlsx"
    monkeypatch.setattr(ask, "save_file", lambda *_a: out)
    tab.export_button.click()
    assert out.stat().st_size > 0
    assert said[-1].startswith("Đã xuất Excel")

    # The commune corrects a level and sends again: without a reason the replacement is
    # refused, in the dialog, and nothing is written; with one it replaces the report.
    assert correct_levels(full_window.db, TODAY.year - 1, "HTTNV", "HTNV", 1)
    again = _export(full_window, tmp_path / "lan-2.dgr", monkeypatch, None)
    before = written(province.db)
    refused: list[str] = []

    def without_reason(dialog: QDialog) -> bool:
        assert isinstance(dialog, ReceiveReportDialog)
        assert dialog.plan.needs_reason
        assert "THAY THẾ" in dialog.summary.text()
        dialog.receive_button.click()
        refused.append(dialog.problem.text())
        assert not dialog.problem.isHidden() and dialog.result() != QDialog.DialogCode.Accepted
        dialog.refuse_button.click()  # "Không nhận" needs its reason too
        refused.append(dialog.problem.text())
        return False  # Đóng

    _receive(province, again, monkeypatch, without_reason)
    assert "hãy ghi lý do thay thế" in refused[0]
    assert "lý do không nhận" in refused[1]
    assert written(province.db) == before

    def with_reason(dialog: QDialog) -> bool:
        assert isinstance(dialog, ReceiveReportDialog)
        type_text(dialog.reason, "Xã sửa kết quả sau khi mở khóa")
        return _click("receive_button")(dialog)

    _receive(province, again, monkeypatch, with_reason)
    assert said[-1].startswith(f"Báo cáo của xã: Đã thay thế báo cáo năm {year}")
    assert "lần nhập thứ 2" in said[-1]

    # The same file once more: nothing to receive; "Không nhận" with a reason is logged and
    # the report the province holds stays.
    def refuse(dialog: QDialog) -> bool:
        assert isinstance(dialog, ReceiveReportDialog)
        assert not dialog.receive_button.isEnabled()
        type_text(dialog.reason, "Gửi trùng")
        return _click("refuse_button")(dialog)

    _receive(province, again, monkeypatch, refuse)
    assert said[-1].startswith(f"Báo cáo của xã: Đã từ chối báo cáo năm {year}")
    assert "tỉnh giữ báo cáo" in said[-1]
    assert province_summary(province.db, year).communes[0].revision == 2


def test_the_province_tab_fits_the_office_screen(
    full_window: MainWindow, province: MainWindow, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, said: list[str],
) -> None:  # fmt: skip
    file = _export(full_window, tmp_path / "bao-cao.dgr", monkeypatch, None)
    problems: list[str] = []

    def look(dialog: QDialog) -> bool:
        assert isinstance(dialog, ReceiveReportDialog)
        dialog.show()
        dialog.move(AREA.topLeft())
        QApplication.processEvents()
        problems.extend(window_problems(AREA.size(), SCREEN))
        problems.extend(clipping_problems(dialog, f"Hộp thoại '{dialog.windowTitle()}'"))
        return _click("receive_button")(dialog)

    _receive(province, file, monkeypatch, look)
    full_window.hide()
    page = province.province_page
    assert page is not None
    province.show_tab(page)
    QApplication.processEvents()
    tab = page.content
    assert isinstance(tab, ProvinceTab)
    for index in range(tab.details.count()):
        tab.details.setCurrentIndex(index)
        QApplication.processEvents()
        problems += clipping_problems(province, f"Tỉnh › {tab.details.tabText(index)}")
    problems += window_problems(AREA.size(), SCREEN)
    tab.details.setCurrentIndex(0)
    QApplication.processEvents()
    province.grab().save(str(tmp_path / "province-tab.png"))
    _shot(province, "province-tab.png")
    assert not problems, "\n" + words(problems)
