"""Quarterly ratings in the window (issue 24, acceptance): on the self-review step a post
holder's four quarters are typed by keyboard in "Đánh giá theo quý…" (Alt+Q: figures, Tab,
the arrow keys in a level box, Ctrl+Enter), and the year's review shows the result drawn from
them with its rule in words — in the form as it is typed, then in the member's box and the
grid's note; a wrong figure is refused in the form with the quarter named and nothing written;
a member without a post is told why there is nothing to rate; the form fits 1366×768."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from app.services.procedure import quarters
from app.ui.evaluation.cell.procedure import CellProcedure
from app.ui.evaluation.cell.quarterly import QuarterDialog
from app.ui.shell.main_window import MainWindow
from tests.services.procedure.criteria_support import (
    YEAR,
    first_cell,
    line,
    open_period,
    plain_member,
    post_holder,
)

from .fit import clipping_problems, window_problems
from .keyboard import focused, keys, press
from .test_item_scores_window import open_self_review

ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier
SCREEN = QSize(1366, 768)
AREA = QRect(0, 0, 1366, 728)


@pytest.fixture
def year_window(window: MainWindow) -> MainWindow:
    open_period(window.db)
    window.reload()
    window.show_board()
    return window


def with_form(
    procedure: CellProcedure, qtbot: QtBot, fill: Callable[[QuarterDialog], None]
) -> bool:
    """Alt+Q on the page; *fill* works the form while it is shown. Whether it closed saved."""
    opened: list[QuarterDialog] = []
    results: list[bool] = []

    def run(dialog: QDialog) -> bool:
        assert isinstance(dialog, QuarterDialog)
        opened.append(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.activateWindow()
        # Offscreen, the activation lands a little later; typed before it, the first figure
        # would be selected again by the focus coming back.
        qtbot.waitUntil(dialog.isActiveWindow)
        QApplication.processEvents()
        fill(dialog)
        results.append(dialog.result() == QDialog.DialogCode.Accepted)
        return results[-1]

    procedure.run_dialog = run
    procedure.window().activateWindow()
    procedure.self_review.grid.setFocus()
    QApplication.processEvents()
    press(qtbot, Qt.Key.Key_Q, ALT)
    assert len(opened) == 1
    return results[0]


def test_four_quarters_typed_by_keyboard_give_the_year_with_its_rule_in_words(
    year_window: MainWindow, qtbot: QtBot
) -> None:
    window = year_window
    db = window.db
    cell = first_cell(db)
    holder = post_holder(db, cell)
    procedure = open_self_review(window, cell, holder.member_id)
    box = procedure.self_review.quarterly
    assert box.isVisible() and box.button.isEnabled()
    assert box.text.text() == "Theo quý: chưa nhập kết quả quý nào."

    def fill(form: QuarterDialog) -> None:
        assert focused() is form.rows[0].self_score
        for number, figures in enumerate(("95", "90", "88", "92")):
            row = form.rows[number]
            assert focused() is row.self_score
            keys(qtbot, figures)
            press(qtbot, Qt.Key.Key_Tab)
            assert focused() is row.self_level
            if number == 0:  # a level chosen with the arrow keys: HTXSNV, the first one
                press(qtbot, Qt.Key.Key_Down)
                assert row.self_level.currentData() == "HTXSNV"
            for _ in range(4):  # superior's points and level, the note: left for now
                press(qtbot, Qt.Key.Key_Tab)
        # The year as typed, before anything is saved: the superior has rated no quarter,
        # so the rule set's fallback (the self-ratings) is used, and said.
        words = form.year_result.text()
        assert words.startswith("Kết quả năm theo quý (điểm bình quân của các quý")
        assert "Quý I, Quý II, Quý III, Quý IV cấp trên chưa đánh giá, tạm lấy tự đánh giá" in words
        assert "(95 + 90 + 88 + 92) : 4 = 91,25 điểm, đạt mức Hoàn thành xuất sắc nhiệm vụ" in words
        press(qtbot, Qt.Key.Key_Return, CTRL)

    assert with_form(procedure, qtbot, fill)
    sheet = quarters.quarter_sheet(db, YEAR, holder.member_id)
    assert [(r.quarter, r.self_score) for r in sheet.ratings] == [
        (1, 95), (2, 90), (3, 88), (4, 92)
    ]  # fmt: skip
    assert sheet.ratings[0].self_level == "HTXSNV"
    # The year's review: the member's box says the result and how it was drawn; the grid's
    # note gives the level at a glance.
    saved = line(db, cell, holder.member_id)
    assert saved.quarterly_level == "HTXSNV"
    page = procedure.self_review
    assert "= 91,25 điểm, đạt mức Hoàn thành xuất sắc nhiệm vụ (từ 90 điểm)." in (
        page.quarterly.text.text()
    )
    grid = page.grid
    row = next(n for n, m in enumerate(grid.grid_model.rows) if m.member_id == holder.member_id)
    note = grid.grid_model.index(row, grid.grid_model.columnCount() - 1).data()
    assert "theo quý: HTXSNV" in note
    assert procedure.saved.text().startswith("Đã lưu.")

    # The superior rates the four quarters: Tab twice to the superior's points, five Tabs to
    # the next quarter's. The superior's figures now count, no longer the self-ratings.
    def superior(form: QuarterDialog) -> None:
        assert focused() is form.rows[0].self_score
        press(qtbot, Qt.Key.Key_Tab)
        press(qtbot, Qt.Key.Key_Tab)
        for number, figures in enumerate(("92", "88", "85", "60")):
            assert focused() is form.rows[number].superior_score
            keys(qtbot, figures)
            for _ in range(5):
                press(qtbot, Qt.Key.Key_Tab)
        words = form.year_result.text()
        assert "theo kết quả cấp trên đánh giá)" in words
        assert "(92 + 88 + 85 + 60) : 4 = 81,25 điểm, đạt mức Hoàn thành tốt nhiệm vụ" in words
        press(qtbot, Qt.Key.Key_Return, CTRL)

    assert with_form(procedure, qtbot, superior)
    assert line(db, cell, holder.member_id).quarterly_level == "HTTNV"
    assert "81,25 điểm" in page.quarterly.text.text()
    # Ctrl+Z on the page puts the quarters back as they were.
    window.activateWindow()  # offscreen, nothing gives the focus back after a dialog
    qtbot.waitUntil(window.isActiveWindow)
    page.grid.setFocus()
    press(qtbot, Qt.Key.Key_Z, CTRL)
    assert line(db, cell, holder.member_id).quarterly_level == "HTXSNV"


def test_a_member_without_a_post_is_told_why(year_window: MainWindow, qtbot: QtBot) -> None:
    window = year_window
    cell = first_cell(window.db)
    plain = plain_member(window.db, cell)
    procedure = open_self_review(window, cell, plain.member_id)
    told: list[str] = []
    procedure.tell = told.append  # type: ignore[method-assign]
    procedure.run_dialog = lambda _dialog: pytest.fail("no form for a member without a post")
    press(qtbot, Qt.Key.Key_Q, ALT)
    assert len(told) == 1 and "không giữ chức vụ" in told[0]


def test_the_form_fits_a_laptop_screen(year_window: MainWindow, qtbot: QtBot) -> None:
    window = year_window
    cell = first_cell(window.db)
    holder = post_holder(window.db, cell)
    form = QuarterDialog(window.db, YEAR, holder.member_id, lambda: "", parent=window)
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    assert form.frameGeometry().width() <= AREA.width()
    assert form.frameGeometry().height() <= AREA.height()
    assert window_problems(AREA.size(), SCREEN) == []
    assert clipping_problems(form, "Hộp thoại 'Đánh giá theo quý'") == []
