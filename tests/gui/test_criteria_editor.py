"""A province's copy of a criteria set made and edited in the window (issue 24): from the
board's "Bộ tiêu chí…", "Sao chép để sửa…" opens the editor on the set shown; an item's points
typed by keyboard (and a compensating one, so that the group still adds up) and saved with
Ctrl+Enter write the copy to the data folder's criteria/, where it loads and is offered in
place of the shipped set. A group that does not add up is refused naming it, nothing written;
"Sửa…" rewrites a province's copy, and a period that chose it keeps its text until it is
chosen again; the editor fits a 1366×768 laptop."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from app import paths
from app.domain.criteria import load_criteria, load_criteria_text
from app.services.periods import criteria_sets
from app.ui.common import ask, widgets
from app.ui.evaluation import criteria_editor
from app.ui.evaluation.criteria_choice import CriteriaDialog
from app.ui.evaluation.criteria_editor import CriteriaEditorDialog
from app.ui.shell.main_window import BASE_FONT_SIZE, MainWindow
from tests.services.procedure.criteria_support import EDITED, MEMBERS, YEAR, open_period, write_copy

from .fit import clipping_problems, window_problems, words
from .keyboard import focused, keys, press, type_text

CTRL = Qt.KeyboardModifier.ControlModifier
SCREEN = QSize(1366, 768)
AREA = QRect(0, 0, 1366, 728)  # the laptop's screen less the taskbar (test_screen_fit)
COPY_ID = "dien-bien-2025"
COPY_NAME = "Bộ tiêu chí của Tỉnh ủy Điện Biên"
PL5 = "Đảng viên không làm việc trong hệ thống chính trị (Phụ lục 5)"


@pytest.fixture(autouse=True)
def asked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The questions asked ("Bỏ những gì vừa nhập?"), each answered yes: a dialog closed with
    typed changes at the end of a test must not wait for an answer."""
    titles: list[str] = []
    monkeypatch.setattr(ask, "confirm", lambda _p, title, _t, _a="": titles.append(title) or True)
    return titles


@pytest.fixture
def board_window(window: MainWindow) -> MainWindow:
    """The demo's year 2026 open, its board in front (no criteria set chosen yet)."""
    open_period(window.db)
    window.reload()
    window.show_board()
    return window


def on_board(
    window: MainWindow,
    qtbot: QtBot,
    work: Callable[[CriteriaDialog], None],
) -> CriteriaDialog:
    """ "Bộ tiêu chí…" on the board, worked by *work* while it is open."""
    seen: list[CriteriaDialog] = []

    def run(dialog: QDialog) -> bool:
        assert isinstance(dialog, CriteriaDialog)
        seen.append(dialog)
        work(dialog)
        return dialog.result() == QDialog.DialogCode.Accepted

    window.evaluation.run_dialog = run
    window.evaluation.board.criteria_button.click()
    [dialog] = seen
    return dialog


def editing(
    dialog: CriteriaDialog, qtbot: QtBot, fill: Callable[[CriteriaEditorDialog], None]
) -> list[CriteriaEditorDialog]:
    """The editor *dialog* opens, shown and worked by *fill* (the editors opened, listed)."""
    opened: list[CriteriaEditorDialog] = []

    def run(editor: QDialog) -> bool:
        assert isinstance(editor, CriteriaEditorDialog)
        opened.append(editor)
        qtbot.addWidget(editor)
        editor.show()
        qtbot.waitExposed(editor)
        editor.activateWindow()
        QApplication.processEvents()
        fill(editor)
        return editor.result() == QDialog.DialogCode.Accepted

    dialog.run = run  # type: ignore[method-assign]
    return opened


def pick(dialog: CriteriaDialog, criteria_id: str) -> None:
    found = dialog.combo.findData(criteria_id)
    assert found >= 0, criteria_id
    dialog.combo.setCurrentIndex(found)


def to_sheet(editor: CriteriaEditorDialog, qtbot: QtBot, title: str) -> None:
    """The sheet chosen by keyboard: Alt+B to its list, arrows down to it, then into the grid
    with Tab (past the hint, straight to the first cell that takes a value)."""
    press(qtbot, Qt.Key.Key_B, Qt.KeyboardModifier.AltModifier)
    assert focused() is editor.sheet_box
    while not editor.sheet_box.currentText().startswith(title):
        before = editor.sheet_box.currentIndex()
        press(qtbot, Qt.Key.Key_Down)
        assert editor.sheet_box.currentIndex() != before, title
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is editor.grid


def current(editor: CriteriaEditorDialog) -> tuple[str, int]:
    index = editor.grid.currentIndex()
    line = editor.grid.grid_model.rows[index.row()]
    return line.key, index.column()


def type_points(editor: CriteriaEditorDialog, qtbot: QtBot, key: str, points: str) -> None:
    """Down the points column to item *key*, its points typed and Enter pressed."""
    while current(editor) != (key, criteria_editor.POINTS):
        key_now, column = current(editor)
        if column < criteria_editor.POINTS:
            press(qtbot, Qt.Key.Key_Right)
        else:
            press(qtbot, Qt.Key.Key_Down)
        assert current(editor) != (key_now, column), f"stuck on {key_now}"
    keys(qtbot, points)
    press(qtbot, Qt.Key.Key_Return)


def test_a_copy_of_the_shipped_set_edited_and_saved_by_keyboard(
    board_window: MainWindow, qtbot: QtBot
) -> None:
    window = board_window

    def fill(editor: CriteriaEditorDialog) -> None:
        assert editor.windowTitle() == "Sao chép bộ tiêu chí để sửa"
        assert focused() is editor.new_id
        assert editor.new_id.text() == "qd366-2025-tinh"
        assert "không làm đổi các kỳ đánh giá đã chọn nó" in editor.note.text()
        editor.new_id.selectAll()
        keys(qtbot, COPY_ID)
        press(qtbot, Qt.Key.Key_Tab)
        assert focused() is editor.new_name
        editor.new_name.selectAll()
        type_text(editor.new_name, COPY_NAME)
        to_sheet(editor, qtbot, PL5)
        assert current(editor) == ("A", criteria_editor.TEXT)  # the group's title
        type_points(editor, qtbot, "A.1", "12")
        assert editor.grid.grid_model.rows[0].group.summed == 32
        assert "⚠ Chưa lưu được: các mục nhóm A cộng lại 32 điểm, vượt 30" in editor.sums.text()
        assert current(editor) == ("A.2", criteria_editor.POINTS)  # Enter went down
        keys(qtbot, "8")  # typed, not entered: Ctrl+Enter saves what is being typed
        press(qtbot, Qt.Key.Key_Return, CTRL)

    def work(dialog: CriteriaDialog) -> None:
        pick(dialog, "qd366-2025")
        assert dialog.copy_button.isEnabled() and not dialog.edit_button.isEnabled()
        opened = editing(dialog, qtbot, fill)
        dialog.copy_button.click()
        assert len(opened) == 1 and opened[0].saved is not None
        # Back in the list: the copy is offered (in place of the shipped set) and shown.
        assert dialog.combo.currentData() == COPY_ID
        assert dialog.combo.findData("qd366-2025") < 0
        assert dialog.edit_button.isEnabled()
        assert f"Đã lưu “{COPY_NAME}”" in dialog.description.text()
        dialog.save()  # and the period scores by it

    on_board(window, qtbot, work)
    path = paths.criteria_dir() / f"{COPY_ID}.toml"
    assert path.is_file()
    copy = load_criteria(path)
    assert (copy.id, copy.name, copy.based_on) == (COPY_ID, COPY_NAME, "qd366-2025")
    sheet = copy.sheet("pl5")
    assert sheet is not None
    assert [(i.key, i.points) for i in sheet.items] == [
        ("A.1", 12), ("A.2", 8), ("A.3", 10), ("B.1", 70),
    ]  # fmt: skip
    # Nothing else changed: the other sheets are the shipped set's.
    shipped = criteria_sets.catalog().get("qd366-2025")
    assert shipped is not None
    assert [s for s in copy.sheets if s.key != "pl5"] == [
        s for s in shipped.sheets if s.key != "pl5"
    ]
    listing = criteria_sets.available(YEAR)
    assert [c.id for c in listing.choices] == [COPY_ID] and listing.errors == ()
    kept = criteria_sets.period_criteria(window.db, YEAR)
    assert kept is not None and kept.criteria == copy


def test_a_group_that_does_not_add_up_is_refused_naming_it(
    board_window: MainWindow, qtbot: QtBot, asked: list[str]
) -> None:
    def fill(editor: CriteriaEditorDialog) -> None:
        to_sheet(editor, qtbot, PL5)
        type_points(editor, qtbot, "A.1", "12")
        press(qtbot, Qt.Key.Key_Return, CTRL)
        assert editor.isVisible()
        message = editor.problem.text()
        assert editor.problem.isVisible()
        assert message.startswith(
            f"Bảng “{PL5}” · Nhóm A «Tiêu chí chung»: các mục cộng lại 32 điểm, vượt điểm tối "
            "đa của nhóm (30 điểm)"
        )
        assert current(editor) == ("A", criteria_editor.POINTS)  # on the group refused
        assert editor.grid.grid_model.rows[0].group.group.points == 30
        press(qtbot, Qt.Key.Key_Escape)  # typed, not saved: asked before closing
        assert not editor.isVisible()

    def work(dialog: CriteriaDialog) -> None:
        pick(dialog, "qd366-2025")
        opened = editing(dialog, qtbot, fill)
        dialog.copy_button.click()
        assert opened[0].saved is None
        dialog.reject()

    on_board(board_window, qtbot, work)
    assert asked == ["Bỏ những gì vừa nhập?"]
    assert list(paths.criteria_dir().iterdir()) == []


def test_editing_a_copy_rewrites_it_and_a_period_keeps_its_text_until_chosen_again(
    board_window: MainWindow, qtbot: QtBot
) -> None:
    window = board_window
    path = write_copy(MEMBERS)

    def choose(dialog: CriteriaDialog) -> None:
        pick(dialog, "tinh-thu-2025")
        dialog.save()

    on_board(window, qtbot, choose)
    before = criteria_sets.period_criteria(window.db, YEAR)
    assert before is not None and before.criteria.sheets[0].item("A.1").points == 12

    def fill(editor: CriteriaEditorDialog) -> None:
        assert editor.windowTitle() == "Sửa bộ tiêu chí của tỉnh"
        assert editor.new_id.isReadOnly() and editor.new_id.text() == "tinh-thu-2025"
        assert focused() is editor.grid
        type_points(editor, qtbot, "A.1", "10")  # the count's ceiling 12 → 10
        type_points(editor, qtbot, "A.2", "12")  # met or not, 10 → 12
        assert "⚠" not in editor.sums.text()
        assert editor.sums.text().startswith("Nhóm A «Tiêu chí chung»: 30/30 điểm")
        press(qtbot, Qt.Key.Key_Return, CTRL)

    def edit(dialog: CriteriaDialog) -> None:
        pick(dialog, "tinh-thu-2025")
        assert dialog.edit_button.isEnabled()
        opened = editing(dialog, qtbot, fill)
        dialog.edit_button.click()
        assert opened[0].saved is not None
        assert "vẫn chấm theo nội dung đã lưu cùng kỳ" in dialog.description.text()
        dialog.reject()  # not chosen again yet

    on_board(window, qtbot, edit)
    assert sorted(p.name for p in paths.criteria_dir().glob("*.toml")) == ["tinh-thu-2025.toml"]
    assert load_criteria(path) == load_criteria_text(EDITED, "x.toml")
    kept = criteria_sets.period_criteria(window.db, YEAR)
    assert kept is not None and kept.criteria == before.criteria  # the period keeps its text

    on_board(window, qtbot, choose)  # chosen again: the new text
    kept = criteria_sets.period_criteria(window.db, YEAR)
    assert kept is not None and kept.criteria.sheets[0].item("A.1").points == 10


def test_items_are_added_and_removed_and_a_scale_gets_its_steps(qtbot: QtBot) -> None:
    write_copy(MEMBERS)
    province = criteria_sets.catalog().get("tinh-thu-2025")
    assert province is not None
    editor = CriteriaEditorDialog(province, copy=False)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    editor.activateWindow()
    QApplication.processEvents()
    model = editor.grid.grid_model
    b1 = next(n for n, line in enumerate(model.rows) if line.key == "B.1")
    editor.grid.setCurrentIndex(model.index(b1, criteria_editor.TEXT))
    editor.add_button.click()
    assert current(editor) == ("B.3", criteria_editor.TEXT)  # below B.1, its text open
    type_text(focused(), "Tham gia phong trào ở nơi cư trú")
    press(qtbot, Qt.Key.Key_Tab)  # on to its points
    assert current(editor) == ("B.3", criteria_editor.POINTS)
    keys(qtbot, "10")
    press(qtbot, Qt.Key.Key_Tab)
    model.setData(model.index(b1, criteria_editor.POINTS), "60")  # 60 + 10, B.2 removed
    model.setData(model.index(b1 + 1, criteria_editor.PARAMETERS), "0; 5; 10")
    model.setData(model.index(b1 + 1, criteria_editor.PARAMETERS), "0; năm")
    assert "“năm” không phải mức điểm" in editor.problem.text()
    editor.grid.setCurrentIndex(model.index(b1 + 2, criteria_editor.TEXT))  # B.2
    editor.remove_button.click()
    editor.save()
    assert editor.saved is not None, editor.problem.text()
    sheet = load_criteria(paths.criteria_dir() / "tinh-thu-2025.toml").sheets[0]
    group_b = sheet.groups[1]
    assert [(i.key, i.text, i.points) for i in group_b.items] == [
        ("B.1", "Nhiệm vụ chi bộ phân công", 60),
        ("B.3", "Tham gia phong trào ở nơi cư trú", 10),
    ]
    assert [str(step) for step in group_b.items[1].scoring.steps] == ["0", "5", "10"]  # type: ignore[union-attr]
    assert group_b.items[1].citation == group_b.citation


def test_a_value_that_is_not_a_number_is_refused_and_nothing_saved(qtbot: QtBot) -> None:
    path = write_copy(MEMBERS)
    province = criteria_sets.catalog().get("tinh-thu-2025")
    assert province is not None
    editor = CriteriaEditorDialog(province, copy=False)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    editor.activateWindow()
    QApplication.processEvents()
    type_points(editor, qtbot, "A.1", "10")
    keys(qtbot, "x")  # A.2's points, being typed
    press(qtbot, Qt.Key.Key_Return, CTRL)
    assert editor.isVisible() and editor.saved is None
    assert editor.problem.text() == (
        "Mục A.2 «Chấp hành chủ trương, đường lối»: “x” không phải số điểm (ví dụ 10 hoặc 7,5)"
    )
    assert path.read_text(encoding="utf-8") == MEMBERS
    # Delete on the scoring keeps it: an item is always scored some way.
    editor.grid.setCurrentIndex(editor.grid.grid_model.index(2, criteria_editor.SCORING))
    editor.grid.setFocus()
    press(qtbot, Qt.Key.Key_Delete)
    assert editor.grid.grid_model.rows[2].item.kind == "met"  # type: ignore[union-attr]


@pytest.mark.parametrize("step", [0, 2], ids=["base", "zoom+2"])
def test_the_editor_fits_1366x768(
    board_window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, step: int
) -> None:
    monkeypatch.setattr(widgets, "available_area", lambda _widget=None: QRect(AREA))
    font = QApplication.font()
    window = board_window
    window.resize(SCREEN)
    window.apply_font_size(BASE_FONT_SIZE + step)
    problems: list[str] = []
    try:

        def look(editor: CriteriaEditorDialog) -> None:
            editor.move(AREA.topLeft())
            QApplication.processEvents()
            assert AREA.contains(editor.frameGeometry()), editor.frameGeometry()
            problems.extend(window_problems(AREA.size(), SCREEN))
            for number in range(editor.sheet_box.count()):
                editor.sheet_box.setCurrentIndex(number)
                QApplication.processEvents()
                where = f"Hộp thoại '{editor.windowTitle()}' › {editor.sheet_box.currentText()}"
                problems.extend(clipping_problems(editor, where))
            editor.reject()

        def work(dialog: CriteriaDialog) -> None:
            dialog.show()  # as the board's button shows it
            QApplication.processEvents()
            problems.extend(clipping_problems(dialog, f"Hộp thoại '{dialog.windowTitle()}'"))
            pick(dialog, "qd366-2025")
            editing(dialog, qtbot, look)
            dialog.copy_button.click()
            dialog.reject()

        on_board(window, qtbot, work)
        assert not problems, "\n" + words(problems)
    finally:
        QApplication.setFont(font)
