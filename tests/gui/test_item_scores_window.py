"""Scoring item by item in the window (issue 24): the period's criteria set chosen on the board,
a member's checklist opened with Ctrl+M on the self-review step, its items typed by keyboard
(figures, Tab, Enter, Space for a "met" item) and saved with Ctrl+Enter; read back through the
services: the self-review's two sub-scores are the items' sums and the level's explanation
names the item that lost points. A wrong value is refused naming the item, nothing written;
the chi ủy's assessment and the cell's own go the same way; the new-period wizard chooses the
set too; the checklist fits a 1366×768 laptop."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from app.domain.rules import Subject
from app.services.periods import criteria_sets
from app.services.procedure import item_scores
from app.services.procedure import view as procedure_view
from app.ui.common import ask, widgets
from app.ui.evaluation.cell.item_checklist import ItemChecklistDialog
from app.ui.evaluation.cell.item_scoring import FROM_ITEMS_TIP
from app.ui.evaluation.cell.procedure import CellProcedure
from app.ui.evaluation.criteria_choice import NONE_TEXT, CriteriaDialog
from app.ui.evaluation.wizard import NewPeriodWizard
from app.ui.shell.main_window import BASE_FONT_SIZE, MainWindow
from tests.services.procedure.criteria_support import (
    MEMBERS,
    YEAR,
    first_cell,
    line,
    open_period,
    plain_member,
    write_copy,
)
from tests.unit.criteria.helpers import changed

from .fit import clipping_problems, window_problems, words
from .keyboard import focused, keys, press

CTRL = Qt.KeyboardModifier.ControlModifier
SCREEN = QSize(1366, 768)
AREA = QRect(0, 0, 1366, 728)  # the laptop's screen less the taskbar (test_screen_fit)


# ---- the keyboard --------------------------------------------------------------------------


def current_key(dialog: ItemChecklistDialog) -> str:
    row = dialog.grid.current_row()
    assert row is not None
    return row.key


def type_item(qtbot: QtBot, dialog: ItemChecklistDialog, key: str, figures: str) -> None:
    """Type *figures* into the current item's entry (the first key opens it); Tab to its note
    and Tab again to the next item's entry."""
    assert current_key(dialog) == key
    assert dialog.grid.currentIndex().column() == dialog.entry_column()
    keys(qtbot, figures)
    press(qtbot, Qt.Key.Key_Tab)
    assert dialog.grid.currentIndex().column() == dialog.note_column()
    press(qtbot, Qt.Key.Key_Tab)


# ---- the window ----------------------------------------------------------------------------


@pytest.fixture
def scored_window(window: MainWindow) -> MainWindow:
    """The demo's year 2026 open, its board in front (no criteria set chosen yet)."""
    open_period(window.db)
    window.reload()
    window.show_board()
    return window


def choose_on_board(window: MainWindow, criteria_id: str | None) -> CriteriaDialog:
    """ "Bộ tiêu chí…" on the board, the set picked in its list and saved."""
    seen: list[CriteriaDialog] = []

    def pick(dialog: QDialog) -> bool:
        assert isinstance(dialog, CriteriaDialog)
        seen.append(dialog)
        found = 0 if criteria_id is None else dialog.combo.findData(criteria_id)
        assert found >= 0
        dialog.combo.setCurrentIndex(found)
        dialog.save()
        return dialog.result() == QDialog.DialogCode.Accepted

    window.evaluation.run_dialog = pick
    window.evaluation.board.criteria_button.click()
    [dialog] = seen
    return dialog


def open_self_review(window: MainWindow, cell: int, member_id: int) -> CellProcedure:
    """The cell's step ② with the member's row current and the grid holding the focus."""
    window.open_cell(cell)
    procedure = window.evaluation.cell
    procedure.open_step(1)
    page = procedure.self_review
    grid = page.grid
    row = next(n for n, m in enumerate(grid.grid_model.rows) if m.member_id == member_id)
    grid.setCurrentIndex(grid.grid_model.index(row, 1))
    grid.setFocus()
    QApplication.processEvents()
    return procedure


def with_checklist(
    procedure: CellProcedure,
    qtbot: QtBot,
    fill: Callable[[ItemChecklistDialog], None],
    trigger: Callable[[], None] | None = None,
) -> bool:
    """Ctrl+M on the page (or *trigger*); *fill* works the checklist while it is shown.
    Whether it closed saved (the page lets the dialog go afterwards)."""
    opened: list[ItemChecklistDialog] = []
    results: list[bool] = []

    def run(dialog: QDialog) -> bool:
        assert isinstance(dialog, ItemChecklistDialog)
        opened.append(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.activateWindow()
        dialog.grid.setFocus()
        QApplication.processEvents()
        fill(dialog)
        results.append(dialog.result() == QDialog.DialogCode.Accepted)
        return results[-1]

    procedure.run_dialog = run
    # Back in the window, as after a dialog closed (offscreen, nothing gives the focus back).
    procedure.window().activateWindow()
    if not procedure.self_review.isAncestorOf(QApplication.focusWidget() or procedure):
        procedure.self_review.grid.setFocus()
    QApplication.processEvents()
    if trigger is None:
        press(qtbot, Qt.Key.Key_M, CTRL)
    else:
        trigger()
    assert len(opened) == 1
    return results[0]


def column(page_grid, title: str) -> int:  # type: ignore[no-untyped-def]
    return next(n for n, c in enumerate(page_grid.grid_model.columns) if c.title.startswith(title))


# ---- the tests -----------------------------------------------------------------------------


def test_a_member_scored_item_by_item_by_keyboard(
    scored_window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = scored_window
    db = window.db
    board = window.evaluation.board
    assert "chấm từng mục" not in board.title.text()
    dialog = choose_on_board(window, "qd366-2025")
    assert dialog.combo.itemText(0) == NONE_TEXT
    kept = criteria_sets.period_criteria(db, YEAR)
    assert kept is not None and kept.criteria.id == "qd366-2025"
    assert f"chấm từng mục theo “{kept.criteria.name}”" in board.title.text()

    cell = first_cell(db)
    member = plain_member(db, cell)
    procedure = open_self_review(window, cell, member.member_id)
    page = procedure.self_review
    assert page.items.isVisible() and page.items.button.isEnabled()
    assert f"{member.full_name} — chấm từng mục: tự chấm chưa chấm" in page.items.text.text()

    def fill(checklist: ItemChecklistDialog) -> None:
        assert focused() is checklist.grid
        assert [x.key for x in checklist.lines] == ["A", "A.1", "A.2", "A.3", "B", "B.1"]
        type_item(qtbot, checklist, "A.1", "9")
        type_item(qtbot, checklist, "A.2", "10")
        type_item(qtbot, checklist, "A.3", "8")
        assert checklist.totals.text().startswith("Tiêu chí chung: 27/30 · ")
        group_a = checklist.grid.grid_model.index(0, column(checklist.grid, "Điểm"))
        assert group_a.data() == "27"
        # The tasks part typed, and seen in the totals before it is saved (Enter is not
        # pressed yet): the sums follow each key.
        assert current_key(checklist) == "B.1"
        keys(qtbot, "65")
        assert "Kết quả thực hiện nhiệm vụ: 65/70" in checklist.totals.text()
        assert "Tổng: 92/100" in checklist.totals.text()
        press(qtbot, Qt.Key.Key_Return, CTRL)  # saves what is being typed, and the rest

    assert with_checklist(procedure, qtbot, fill)
    saved = line(db, cell, member.member_id)
    assert (saved.self_score_general, saved.self_score_tasks) == (27, 65)
    sheet = item_scores.item_sheet(db, YEAR, member.subject, "self")
    assert [(x.key, x.points) for x in sheet.lines] == [
        ("A.1", 9), ("A.2", 10), ("A.3", 8), ("B.1", 65),
    ]  # fmt: skip
    score = item_scores.subject_score(db, YEAR, member.subject)
    assert score.stage == "self" and (score.general, score.tasks) == (27, 65)
    lost = "Mục A.1 «Phẩm chất chính trị, đạo đức, lối sống; trách nhiệm nêu gương»: 9/10 điểm."
    assert lost in score.detail
    assert lost in saved.suggestion_reason  # the level's explanation names the item
    assert procedure.saved.text().startswith("Đã lưu.")

    # The typed totals are the items' sums now: read-only, and saying so.
    grid = page.grid
    row = next(n for n, m in enumerate(grid.grid_model.rows) if m.member_id == member.member_id)
    for title in ("Điểm chung", "Điểm nhiệm vụ"):
        index = grid.grid_model.index(row, column(grid, title))
        assert not grid.grid_model.flags(index) & Qt.ItemFlag.ItemIsEditable
        assert index.data(Qt.ItemDataRole.ToolTipRole) == FROM_ITEMS_TIP
    assert "tự chấm 92/100 điểm" in page.items.text.text()

    # A wrong value: refused with the item named, nothing written, the dialog still open.
    asked: list[str] = []
    monkeypatch.setattr(ask, "confirm", lambda _p, title, _t, _a="": asked.append(title) or True)

    def wrong(checklist: ItemChecklistDialog) -> None:
        assert current_key(checklist) == "A.1"
        for _ in range(3):  # Enter goes down the column, past the group heading B
            press(qtbot, Qt.Key.Key_Return)
        assert current_key(checklist) == "B.1"
        keys(qtbot, "75")
        press(qtbot, Qt.Key.Key_Return)
        points = checklist.grid.grid_model.index(5, column(checklist.grid, "Điểm"))
        assert points.data() == "sai"
        assert "điểm phải từ 0 đến 70, không chấm 75" in points.data(Qt.ItemDataRole.ToolTipRole)
        press(qtbot, Qt.Key.Key_Return, CTRL)
        assert checklist.isVisible()
        message = checklist.problem.text()
        assert "Mục B.1 «Kết quả thực hiện nhiệm vụ được giao" in message
        assert "không chấm 75" in message
        assert current_key(checklist) == "B.1"  # the refused item is where the cursor is
        press(qtbot, Qt.Key.Key_Escape)  # typed, not saved: asked before closing

    assert not with_checklist(procedure, qtbot, wrong)
    assert asked == ["Bỏ những gì vừa nhập?"]
    assert item_scores.item_sheet(db, YEAR, member.subject).total == 92
    assert line(db, cell, member.member_id).self_score_tasks == 65

    # Ctrl+Z on the page takes the items back: the totals are typed in again.
    procedure.undo_last()
    again = line(db, cell, member.member_id)
    assert (again.self_score_general, again.self_score_tasks) == (None, None)
    assert item_scores.item_sheet(db, YEAR, member.subject).entered == 0
    index = grid.grid_model.index(row, column(grid, "Điểm chung"))
    assert grid.grid_model.flags(index) & Qt.ItemFlag.ItemIsEditable


def test_met_count_and_steps_items_and_the_chi_uys_assessment(
    scored_window: MainWindow, qtbot: QtBot
) -> None:
    """The province's copy (one item of each kind): a count typed, a "met" item ticked with
    Space, a step typed; then the chi ủy's assessment, which counts over the self-review."""
    window = scored_window
    db = window.db
    write_copy()
    choose_on_board(window, "tinh-thu-2025")
    cell = first_cell(db)
    member = plain_member(db, cell)
    has_chi_uy = procedure_view.cell_view(db, YEAR, cell).collective is not None
    procedure = open_self_review(window, cell, member.member_id)

    def fill(checklist: ItemChecklistDialog) -> None:
        assert checklist.stage_part.isVisible() is has_chi_uy
        type_item(qtbot, checklist, "A.1", "12")  # buổi sinh hoạt
        assert current_key(checklist) == "A.2"
        press(qtbot, Qt.Key.Key_Space)  # not scored → đạt
        assert checklist.values["A.2"] is True
        press(qtbot, Qt.Key.Key_Space)  # → không đạt
        assert checklist.values["A.2"] is False
        press(qtbot, Qt.Key.Key_Tab)  # its note…
        keys(qtbot, "Vang hop 2 lan")
        press(qtbot, Qt.Key.Key_Tab)  # …saved; on to A.3
        type_item(qtbot, checklist, "A.3", "6")
        type_item(qtbot, checklist, "B.1", "40")
        keys(qtbot, "30")
        assert "Tổng: 88/100" in checklist.totals.text()
        press(qtbot, Qt.Key.Key_Return, CTRL)

    assert with_checklist(procedure, qtbot, fill)
    saved = line(db, cell, member.member_id)
    assert (saved.self_score_general, saved.self_score_tasks) == (18, 70)
    detail = item_scores.subject_score(db, YEAR, member.subject).detail
    assert (
        "Mục A.2 «Chấp hành chủ trương, đường lối»: không đạt, 0/10 điểm. "
        "Ghi chú: Vang hop 2 lan." in detail
    )
    assert has_chi_uy  # the demo's first cell has a chi ủy, which assesses its members

    def chi_uy(checklist: ItemChecklistDialog) -> None:
        checklist.stage_box.setCurrentIndex(checklist.stage_box.findData("chi_uy"))
        assert checklist.stage == "chi_uy"
        titles = [c.title for c in checklist.grid.grid_model.columns]
        assert "Tự chấm" in titles  # the member's own points beside
        for key, figures in (("A.1", "12"), ("A.2", None), ("A.3", "6"), ("B.1", "35")):
            if figures is None:
                press(qtbot, Qt.Key.Key_Space)
                press(qtbot, Qt.Key.Key_Tab)
                press(qtbot, Qt.Key.Key_Tab)
            else:
                type_item(qtbot, checklist, key, figures)
        keys(qtbot, "30")
        press(qtbot, Qt.Key.Key_Return, CTRL)

    assert with_checklist(procedure, qtbot, chi_uy)
    score = item_scores.subject_score(db, YEAR, Subject("member", member.member_id))
    assert (score.stage, score.general, score.tasks) == ("chi_uy", 28, 65)
    # The self-review's own totals stay what the member scored.
    assert line(db, cell, member.member_id).self_score_general == 18


def test_the_cell_scores_itself_item_by_item(scored_window: MainWindow, qtbot: QtBot) -> None:
    window = scored_window
    choose_on_board(window, "qd366-2025")
    cell = first_cell(window.db)
    member = plain_member(window.db, cell)
    procedure = open_self_review(window, cell, member.member_id)
    page = procedure.self_review
    assert page.items.cell_button.isVisible()

    def fill(checklist: ItemChecklistDialog) -> None:
        assert not checklist.stage_part.isVisible()  # the cell assesses itself only
        type_item(qtbot, checklist, "A.1", "26")
        keys(qtbot, "60,5")  # a decimal comma, as written in Vietnamese
        press(qtbot, Qt.Key.Key_Return, CTRL)

    assert with_checklist(procedure, qtbot, fill, page.items.cell_button.click)
    view = procedure_view.cell_view(window.db, YEAR, cell)
    assert (view.cell.score_general, view.cell.score_tasks) == (26, 60.5)
    assert page.cell_general.isReadOnly() and page.cell_tasks.isReadOnly()
    assert page.cell_tasks.toolTip() == FROM_ITEMS_TIP
    page.save_cell_button.click()  # the rest of the cell's assessment still saves
    assert procedure.banner.isHidden()
    view = procedure_view.cell_view(window.db, YEAR, cell)
    assert (view.cell.score_general, view.cell.score_tasks) == (26, 60.5)


def test_without_a_criteria_set_nothing_changes(scored_window: MainWindow, qtbot: QtBot) -> None:
    window = scored_window
    cell = first_cell(window.db)
    member = plain_member(window.db, cell)
    procedure = open_self_review(window, cell, member.member_id)
    page = procedure.self_review
    assert not page.items.isVisible() and not page.items.cell_button.isVisible()
    grid = page.grid
    row = next(n for n, m in enumerate(grid.grid_model.rows) if m.member_id == member.member_id)
    index = grid.grid_model.index(row, column(grid, "Điểm chung"))
    assert grid.grid_model.flags(index) & Qt.ItemFlag.ItemIsEditable
    press(qtbot, Qt.Key.Key_M, CTRL)  # nothing to open
    assert QApplication.activeModalWidget() is None
    # Chosen and dropped again on the board: back to typed totals. While the period keeps
    # a set the list no longer offers (a province's copy stands in for it), it is listed as
    # the period's own copy, and kept when saved as it is.
    choose_on_board(window, "qd366-2025")
    write_copy()
    kept = choose_on_board(window, "qd366-2025")
    assert kept.combo.itemText(1).endswith("(bản lưu cùng kỳ đánh giá)")
    assert kept.combo.findData("tinh-thu-2025") == 2
    assert "không còn trong danh sách" in kept.description.text()
    period = criteria_sets.period_criteria(window.db, YEAR)
    assert period is not None and period.criteria.id == "qd366-2025"
    choose_on_board(window, None)
    assert criteria_sets.period_criteria(window.db, YEAR) is None


@pytest.mark.parametrize("step", [0, 2], ids=["base", "zoom+2"])
def test_the_checklist_fits_1366x768(
    scored_window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, step: int
) -> None:
    monkeypatch.setattr(widgets, "available_area", lambda _widget=None: QRect(AREA))
    font = QApplication.font()
    window = scored_window
    window.resize(SCREEN)
    window.apply_font_size(BASE_FONT_SIZE + step)
    try:
        dialog = choose_on_board(window, "qd366-2025")
        cell = first_cell(window.db)
        member = plain_member(window.db, cell)
        procedure = open_self_review(window, cell, member.member_id)
        problems: list[str] = []
        problems += clipping_problems(window, "Chi bộ › ② Tự kiểm điểm (chấm từng mục)")

        def look(checklist: ItemChecklistDialog) -> None:
            checklist.move(AREA.topLeft())
            QApplication.processEvents()
            assert AREA.contains(checklist.frameGeometry()), checklist.frameGeometry()
            problems.extend(window_problems(AREA.size(), SCREEN))
            problems.extend(clipping_problems(checklist, f"Hộp thoại '{checklist.windowTitle()}'"))
            checklist.reject()

        with_checklist(procedure, qtbot, look)
        dialog.show()  # the board's dialog, as the board's button shows it
        QApplication.processEvents()
        problems += clipping_problems(dialog, f"Hộp thoại '{dialog.windowTitle()}'")
        dialog.hide()
        assert not problems, "\n" + words(problems)
    finally:
        QApplication.setFont(font)


def test_the_new_period_wizard_chooses_the_criteria_set(window: MainWindow, qtbot: QtBot) -> None:
    # A province copy that does not add up to the rule set's 30 + 70: listed, not choosable.
    misfit = changed(
        MEMBERS,
        ('id = "tinh-thu-2025"', 'id = "tinh-khac"'),
        ('based_on = "qd366-2025"\n', ""),
        ("total = 100", "total = 50"),
        ("points = 70", "points = 20"),
        ("points = 40", "points = 10"),
        ("points = 30\nscoring", "points = 10\nscoring"),
    )
    write_copy(misfit)
    wizard = NewPeriodWizard(window.db, dt.date(YEAR, 11, 25), "Văn phòng", window)
    qtbot.addWidget(wizard)
    combo = wizard.settings_page.criteria
    assert combo.itemText(0) == NONE_TEXT and combo.currentData() is None
    wrong = combo.findData("tinh-khac")
    item = combo.model().item(wrong)  # type: ignore[attr-defined]
    assert not item.isEnabled()
    assert "chấm trên 50 điểm" in combo.itemData(wrong, Qt.ItemDataRole.ToolTipRole)
    combo.setCurrentIndex(combo.findData("qd366-2025"))
    assert "Chấm điểm từng mục theo" in combo.toolTip()
    wizard.restart()
    wizard.next()
    wizard.accept()
    assert wizard.created is not None and wizard.created.year == YEAR
    kept = criteria_sets.period_criteria(window.db, YEAR)
    assert kept is not None and kept.criteria.id == "qd366-2025"
