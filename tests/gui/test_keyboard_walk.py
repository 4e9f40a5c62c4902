"""A cell of the demo walked through its steps by keyboard alone (issue 19): Alt+1…5 open the
steps, Tab goes from cell to cell of a grid and out of it after the last, Ctrl+Tab from part to
part of a page, Enter saves a box, Ctrl+Enter finishes the step. Every value typed is read back
from the services on the member it was typed for, and the side panel names the current row's
member after every move.

The walk is written as small helpers (press, part, type into a cell) so that the later steps
can be appended the same way.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.domain.formatting import format_date
from app.domain.procedure import CellStep
from app.services.periods import lifecycle as periods
from app.services.procedure import board as procedure_board
from app.services.procedure import view as procedure_view
from app.services.procedure.view import CellView
from app.ui.common.grid import Column, Grid
from app.ui.evaluation.cell import votes
from app.ui.evaluation.cell.procedure import CellProcedure
from app.ui.shell import qt_fixes
from app.ui.shell.main_window import MainWindow
from tests.gui.keyboard import type_text

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier
STEP_KEYS = [Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_3, Qt.Key.Key_4, Qt.Key.Key_5]


# ---- the keyboard -------------------------------------------------------------------------


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def press(
    qtbot: QtBot, key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    """One key, sent where the keyboard's focus is, as a real key press would be; then what
    the key queued is done (an item view commits an editor's value after Enter)."""
    qtbot.keyClick(focused(), key, modifiers)
    QApplication.processEvents()


def keys(qtbot: QtBot, text: str) -> None:
    """ASCII text key by key to whatever has the focus (the first key may open an editor,
    which then has the focus for the rest)."""
    for char in text:
        assert char.isascii(), "non-ASCII text goes through tests.gui.keyboard.type_text"
        qtbot.keyClicks(focused(), char)
        QApplication.processEvents()


def inside(widget: QWidget, part: QWidget) -> bool:
    return widget is part or part.isAncestorOf(widget)


def enter_procedure(qtbot: QtBot, procedure: CellProcedure) -> None:
    """Tab from wherever the focus is (the tree, after choosing the cell) into the procedure."""
    for _ in range(10):
        if inside(focused(), procedure):
            return
        press(qtbot, Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached the cell's procedure (stuck on {focused()!r})")


def open_step(qtbot: QtBot, procedure: CellProcedure, number: int) -> None:
    """Alt+1…Alt+5 (number 1…5)."""
    press(qtbot, STEP_KEYS[number - 1], ALT)
    assert procedure.pages.currentIndex() == number - 1
    assert inside(focused(), procedure.pages.currentWidget())


def go_to_part(qtbot: QtBot, procedure: CellProcedure, part: QWidget) -> int:
    """Ctrl+Tab until the focus is in *part*; how many presses it took."""
    for presses in range(1, len(procedure.parts()) + 1):
        press(qtbot, Qt.Key.Key_Tab, CTRL)
        if procedure.current_part() is part:
            assert inside(focused(), part)
            return presses
    raise AssertionError(f"Ctrl+Tab never reached {part!r}")


def tab_to(qtbot: QtBot, widget: QWidget, limit: int = 12) -> None:
    """Tab (as a user who sees the screen) until *widget* has the focus."""
    for _ in range(limit):
        if inside(focused(), widget):
            return
        press(qtbot, Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {widget!r} (stuck on {focused()!r})")


def type_into_cell(qtbot: QtBot, grid: Grid, text: str) -> None:
    """Type into the grid's current cell (the first key opens its editor) and Tab on: the
    value is saved and the next editable cell is current."""
    keys(qtbot, text)
    assert grid.state() == grid.State.EditingState
    press(qtbot, Qt.Key.Key_Tab)


def choose(qtbot: QtBot, text: str) -> None:
    """Pick an item of the focused combo box by typing its first letters."""
    keys(qtbot, text)


# ---- the cell ------------------------------------------------------------------------------


@dataclass
class Walk:
    window: MainWindow
    qtbot: QtBot
    year: int
    cell_id: int

    @property
    def procedure(self) -> CellProcedure:
        return self.window.evaluation.cell

    def saved(self) -> CellView:
        """The cell as the services have it."""
        return procedure_view.cell_view(self.window.db, self.year, self.cell_id)


def a_cell_in_preparation(window: MainWindow, qtbot: QtBot) -> Walk:
    """The smallest cell of the demo's year under way that has not begun, with a chi ủy."""
    db = window.db
    year = periods.list_periods(db)[-1].year
    cells = [
        procedure_view.cell_view(db, year, row.cell_id)
        for row in procedure_board.board(db, year)
        if row.step is CellStep.PREPARATION
    ]
    cell = min((c for c in cells if c.collective is not None), key=lambda c: len(c.members))
    return Walk(window, qtbot, year, cell.cell_id)


def member_title(walk: Walk) -> str:
    return walk.procedure.self_review.member_box.title()


def assert_side_follows(walk: Walk) -> None:
    page = walk.procedure.self_review
    row = page.grid.current_row()
    assert row is not None
    assert member_title(walk) == f"Đảng viên đang chọn: {row.full_name}"


LEVELS = ["HTTNV", "HTNV", "HTXSNV"]


def test_a_cell_walked_through_by_keyboard(full_window: MainWindow, qtbot: QtBot) -> None:
    walk = a_cell_in_preparation(full_window, qtbot)
    full_window.open_cell(walk.cell_id)
    procedure = walk.procedure
    full_window.tree.setFocus()
    enter_procedure(qtbot, procedure)

    # ① The list is frozen already: Ctrl+Enter finishes the step.
    open_step(qtbot, procedure, 1)
    assert focused() is procedure.preparation.grid
    press(qtbot, Qt.Key.Key_Tab)  # a grid with nothing to type in is left at once
    assert focused() is procedure.preparation.refreeze
    press(qtbot, Qt.Key.Key_Return, CTRL)
    assert walk.saved().step is CellStep.SELF_REVIEW
    assert procedure.pages.currentIndex() == 1

    # ② Every member's level and scores typed into the grid, cell by cell.
    open_step(qtbot, procedure, 2)
    page = procedure.self_review
    grid = page.grid
    assert focused() is grid
    rows = list(grid.grid_model.rows)
    typed: dict[int, tuple[str, int, int]] = {}
    evaluated = [line for line in rows if line.evaluated]
    assert len(evaluated) >= 3
    for number, line in enumerate(evaluated):
        assert grid.current_row().member_id == line.member_id
        assert grid.currentIndex().column() == 1  # the level column
        assert_side_follows(walk)
        level = LEVELS[number % len(LEVELS)]
        general, tasks = 20 + number % 10, 40 + number
        typed[line.member_id] = (level, general, tasks)
        type_into_cell(qtbot, grid, level)
        assert grid.current_row().member_id == line.member_id  # on to the scores
        assert_side_follows(walk)
        type_into_cell(qtbot, grid, str(general))
        assert_side_follows(walk)
        type_into_cell(qtbot, grid, str(tasks))
        if number < len(evaluated) - 1:
            assert inside(focused(), grid)
            assert_side_follows(walk)
    # Tab after the last cell of the last row left the grid for the side box.
    assert not inside(focused(), grid)
    assert inside(focused(), page.member_box)
    saved = {m.member_id: m for m in walk.saved().members}
    for member_id, (level, general, tasks) in typed.items():
        line = saved[member_id]
        assert (line.self_level, line.self_score_general, line.self_score_tasks) == (
            level,
            general,
            tasks,
        ), line.full_name

    # The cell's own assessment, reached with Ctrl+Tab and saved with Enter.
    go_to_part(qtbot, procedure, page.cell_box)
    assert focused() is page.cell_level
    choose(qtbot, "HTTNV")
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is page.cell_general
    keys(qtbot, "26")
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is page.cell_tasks
    keys(qtbot, "61")
    tab_to(qtbot, page.cell_text)
    type_text(page.cell_text, "Chi bộ hoàn thành các chỉ tiêu của năm.")
    press(qtbot, Qt.Key.Key_Return)
    cell = walk.saved().cell
    assert (cell.self_level, cell.score_general, cell.score_tasks) == ("HTTNV", 26, 61)
    assert cell.self_assessment == "Chi bộ hoàn thành các chỉ tiêu của năm."

    # The chi ủy's, the next part.
    go_to_part(qtbot, procedure, page.collective_part)
    assert focused() is page.collective_level
    choose(qtbot, "HTNV")
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is page.collective_text
    type_text(page.collective_text, "Chi ủy đoàn kết, họp đều hằng tháng.")
    press(qtbot, Qt.Key.Key_Return)
    collective = walk.saved().collective
    assert collective is not None
    assert (collective.self_level, collective.self_assessment) == (
        "HTNV",
        "Chi ủy đoàn kết, họp đều hằng tháng.",
    )

    # Nothing is missing: the hint names the button in its own words.
    action = procedure.next_button.text().rstrip(" ▸")
    assert [procedure.todo.item(i).text() for i in range(procedure.todo.count())] == [
        f"Bước này đã đủ; bấm “{action}” (Ctrl+Enter)."
    ]
    # Back in the grid (Ctrl+Tab goes round), on the cell it was left at: the last member's
    # score is corrected, and Ctrl+Enter pressed while it is still being typed saves it
    # before finishing the step.
    go_to_part(qtbot, procedure, grid)
    last = evaluated[-1]
    assert grid.current_row().member_id == last.member_id
    keys(qtbot, "45")
    assert grid.state() == grid.State.EditingState
    press(qtbot, Qt.Key.Key_Return, CTRL)
    saved_view = walk.saved()
    assert saved_view.step is CellStep.MEETING
    corrected = next(m for m in saved_view.members if m.member_id == last.member_id)
    assert corrected.self_score_tasks == 45
    assert procedure.pages.currentIndex() == 2
    assert inside(focused(), procedure.meeting)  # the new step, ready for the keyboard

    walk_the_meeting(walk)  # ③
    walk_the_votes(walk)  # ④ and ⑤


# ---- ③ the meeting --------------------------------------------------------------------------

MEETING_DAY = "20/11/2026"  # five days before the tests' fixed day: a meeting already held
PLACE = "Nhà văn hóa bản Na Tông"


def walk_the_meeting(walk: Walk) -> None:
    """Roll call and one comment per member in the attendance grid and the panel beside it,
    then the meeting's form field by field, its tellers ticked with the space bar; Ctrl+Enter
    goes on to the vote."""
    qtbot, procedure = walk.qtbot, walk.procedure
    page = procedure.meeting
    grid = page.attendance
    open_step(qtbot, procedure, 3)
    assert inside(focused(), page.meeting_box)  # the form first: its date
    assert focused() is page.held_on

    # Everyone present but the last, who is away on business: chosen with the arrows in the
    # "Có mặt" cell's list (the words begin alike, so letters would not tell them apart).
    go_to_part(qtbot, procedure, grid)
    members = list(grid.grid_model.rows)
    absent = members[-1]
    for line in members:
        assert grid.current_row().member_id == line.member_id
        assert titles_of(grid)[grid.currentIndex().column()] == "Có mặt"
        assert page.comment_box.title() == f"Ý kiến về đồng chí {line.full_name}"
        if line is absent:
            press(qtbot, Qt.Key.Key_F2)  # the table's edit key opens the cell (no dialog)
            assert grid.state() == grid.State.EditingState
            press(qtbot, Qt.Key.Key_Down)  # from "chưa điểm danh" to "có mặt"…
            press(qtbot, Qt.Key.Key_Down)  # …to "vắng"
            press(qtbot, Qt.Key.Key_Tab)  # the reason's cell takes a value now
            keys(qtbot, "Di cong tac")
        else:
            keys(qtbot, "c")  # "có mặt" (not "chưa điểm danh", which it shows)
        press(qtbot, Qt.Key.Key_Tab)  # saved; on to the next row
    assert not inside(focused(), grid)  # Tab after the last reason left the grid

    # A comment on two members: Up in the grid picks the member, Ctrl+Tab goes to the panel
    # (Tab inside it goes from box to box, it types no tab character), Ctrl+Shift+Tab back.
    comments: dict[int, tuple[str, str]] = {}
    go_to_part(qtbot, procedure, grid)
    for _ in range(2):
        press(qtbot, Qt.Key.Key_Up)
        current = grid.current_row()
        assert page.comment_box.title() == f"Ý kiến về đồng chí {current.full_name}"
        go_to_part(qtbot, procedure, page.comment_box)
        assert focused() is page.comments
        said = f"Đ/c Bí thư: đồng chí {current.full_name} cần phát huy hơn nữa."
        type_text(page.comments, said)
        press(qtbot, Qt.Key.Key_Tab)
        assert focused() is page.response
        type_text(page.response, "Xin tiếp thu.")
        comments[current.member_id] = (said, "Xin tiếp thu.")
        press(qtbot, Qt.Key.Key_Backtab, CTRL | SHIFT)
        assert focused() is grid and grid.current_row().member_id == current.member_id
    # The first was saved on leaving its row; the second with the panel's button.
    go_to_part(qtbot, procedure, page.comment_box)
    tab_to(qtbot, page.save_comments)
    press(qtbot, Qt.Key.Key_Space)
    saved = {m.member_id: m for m in walk.saved().members}
    for line in members:
        assert saved[line.member_id].present is (line is not absent), line.full_name
    assert saved[absent.member_id].absence_reason == "Di cong tac"
    for member_id, (said, response) in comments.items():
        assert (saved[member_id].comments, saved[member_id].response) == (said, response)
    assert sum(1 for m in saved.values() if m.comments) == len(comments)

    # The form, field by field.
    go_to_part(qtbot, procedure, page.meeting_box)
    assert focused() is page.held_on
    keys(qtbot, MEETING_DAY)
    tab_to(qtbot, page.place)  # the default hours stay
    type_text(page.place, PLACE)
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is page.chair
    press(qtbot, Qt.Key.Key_Down)  # the first of those present
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is page.secretary
    press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Down)  # the second
    tab_to(qtbot, page.tally)
    press(qtbot, Qt.Key.Key_Space)  # the first two present are the tellers
    press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Space)
    tab_to(qtbot, page.save_button)
    press(qtbot, Qt.Key.Key_Space)
    meeting = walk.saved().meeting
    present = [m for m in members if m is not absent]
    assert meeting is not None
    assert format_date(meeting.held_on) == MEETING_DAY
    assert meeting.place == PLACE
    assert (meeting.chair_id, meeting.secretary_id) == (
        present[0].member_id,
        present[1].member_id,
    )
    assert sorted(meeting.tally_committee) == sorted(m.member_id for m in present[:2])
    assert walk.saved().missing == ()

    press(qtbot, Qt.Key.Key_Return, CTRL)
    assert walk.saved().step is CellStep.VOTING
    assert procedure.pages.currentIndex() == 3


# ---- ④ the vote, ⑤ the submission ---------------------------------------------------------


def walk_the_votes(walk: Walk) -> None:
    """The ballots counted, then every row's votes and proposal typed into the vote grid;
    Ctrl+Enter submits the cell's results, and ⑤ shows them."""
    qtbot, procedure = walk.qtbot, walk.procedure
    page = procedure.voting
    view = walk.saved()
    voters = view.voters_present
    open_step(qtbot, procedure, 4)
    assert inside(focused(), page.ballots_box)
    assert focused() is page.issued
    for spin in (page.issued, page.returned, page.valid):
        assert focused() is spin
        keys(qtbot, str(voters))
        press(qtbot, Qt.Key.Key_Tab)
    tab_to(qtbot, page.save_ballots)
    press(qtbot, Qt.Key.Key_Space)
    meeting = walk.saved().meeting
    assert meeting is not None
    assert (meeting.ballots_issued, meeting.ballots_returned, meeting.ballots_valid) == (
        voters,
        voters,
        voters,
    )

    go_to_part(qtbot, procedure, page.grid)
    grid = page.grid
    titles = [column.title for column in grid.grid_model.columns]
    rows = list(grid.grid_model.rows)
    proposals: dict[object, str] = {}
    for number, row in enumerate(rows):
        assert grid.current_row() is not None
        assert row_key(grid.current_row()) == row_key(row)
        # All but one for HTTNV, one for HTNV: the vote gives HTTNV, which is proposed (a
        # level that asks no reason: the reason's own dialog is another test's).
        for title in titles[1 : titles.index("Kết quả")]:
            assert titles[grid.currentIndex().column()] == title
            if title == "HTTNV":
                type_into_cell(qtbot, grid, str(voters - 1))
            elif title == "HTNV":
                type_into_cell(qtbot, grid, "1")
            else:
                press(qtbot, Qt.Key.Key_Tab)  # left empty: no vote for that level
        assert titles[grid.currentIndex().column()] == "Đề xuất"
        assert page.explanation.text().startswith(votes.row_name(row))  # it follows the row
        type_into_cell(qtbot, grid, "HTTNV")
        proposals[row_key(row)] = "HTTNV"
        if number < len(rows) - 1:
            assert inside(focused(), grid)
    assert not inside(focused(), grid)
    saved = walk.saved()
    by_key = {row_key(r): r for r in [saved.cell, saved.collective, *saved.members] if r}
    for key, level in proposals.items():
        row = by_key[key]
        assert row.vote_counts.get("HTTNV") == voters - 1, votes.row_name(row)
        assert row.vote_counts.get("HTNV") == 1, votes.row_name(row)
        assert row.proposed_level == level, votes.row_name(row)
    assert saved.missing == ()

    press(qtbot, Qt.Key.Key_Return, CTRL)  # "Nộp kết quả lên đảng ủy ▸"
    assert walk.saved().step is CellStep.SUBMITTED
    assert procedure.pages.currentIndex() == 4
    submitted = procedure.submit.grid
    shown = {
        row_key(r): submitted.grid_model.index(n, titles_of(submitted).index("Chi bộ\nđề xuất"))
        for n, r in enumerate(submitted.grid_model.rows)
    }
    for key, level in proposals.items():
        assert shown[key].data() == level


def row_key(row: object) -> object:
    """The subject a vote row is about (a member, the cell, its chi ủy)."""
    return row.subject  # type: ignore[attr-defined]


def titles_of(grid: Grid) -> list[str]:
    return [column.title for column in grid.grid_model.columns]


def a_cell_in_self_review(window: MainWindow, qtbot: QtBot) -> Walk:
    walk = a_cell_in_preparation(window, qtbot)
    window.open_cell(walk.cell_id)
    window.tree.setFocus()
    enter_procedure(qtbot, walk.procedure)
    open_step(qtbot, walk.procedure, 1)
    press(qtbot, Qt.Key.Key_Return, CTRL)
    assert walk.saved().step is CellStep.SELF_REVIEW
    return walk


def test_shift_tab_and_ctrl_shift_tab_go_back(full_window: MainWindow, qtbot: QtBot) -> None:
    walk = a_cell_in_self_review(full_window, qtbot)
    procedure = walk.procedure
    page = procedure.self_review
    open_step(qtbot, procedure, 2)
    grid = page.grid
    first = next(grid.editable_cells())
    assert grid.currentIndex() == first
    press(qtbot, Qt.Key.Key_Tab)
    assert grid.currentIndex().column() == first.column() + 1
    press(qtbot, Qt.Key.Key_Backtab, SHIFT)
    assert grid.currentIndex() == first and focused() is grid
    press(qtbot, Qt.Key.Key_Backtab, SHIFT)  # before the first cell: out, backwards
    assert not inside(focused(), grid)
    # Ctrl+Shift+Tab from the grid: the last part (the footer's main button).
    grid.setFocus()
    press(qtbot, Qt.Key.Key_Backtab, CTRL | SHIFT)
    assert focused() is procedure.next_button
    press(qtbot, Qt.Key.Key_Tab, CTRL)  # and round again to the first part
    assert focused() is grid
    # Ctrl+Shift+Tab from the side box lands back in the grid.
    go_to_part(qtbot, procedure, page.member_box)
    press(qtbot, Qt.Key.Key_Backtab, CTRL | SHIFT)
    assert focused() is grid


def test_ctrl_tab_still_switches_the_windows_tabs_outside_the_procedure(
    full_window: MainWindow, qtbot: QtBot
) -> None:
    walk = a_cell_in_self_review(full_window, qtbot)
    tabs = full_window.tabs
    shown = tabs.currentIndex()
    assert inside(focused(), walk.procedure)
    press(qtbot, Qt.Key.Key_Tab, CTRL)  # inside: the page's next part, the tab stays
    assert tabs.currentIndex() == shown
    tabs.tabBar().setFocus()
    press(qtbot, Qt.Key.Key_Tab, CTRL)  # outside: the tab widget's own Ctrl+Tab
    assert tabs.currentIndex() == (shown + 1) % tabs.count()


def test_messages_belong_to_their_step_and_cell(full_window: MainWindow, qtbot: QtBot) -> None:
    walk = a_cell_in_self_review(full_window, qtbot)
    procedure = walk.procedure
    open_step(qtbot, procedure, 2)
    # Nothing entered yet (Enter of the number pad this time): refused, said in the banner.
    press(qtbot, Qt.Key.Key_Enter, CTRL | Qt.KeyboardModifier.KeypadModifier)
    assert walk.saved().step is CellStep.SELF_REVIEW
    assert procedure.banner.isVisible() and "tự xếp loại" in procedure.banner.text()
    assert procedure.saved.text() == "Đã lưu."  # the step ① just finished
    open_step(qtbot, procedure, 3)
    assert not procedure.banner.isVisible()
    open_step(qtbot, procedure, 2)
    press(qtbot, Qt.Key.Key_Return, CTRL)
    assert procedure.banner.isVisible()
    other = next(
        row.cell_id
        for row in procedure_board.board(full_window.db, walk.year)
        if row.cell_id != walk.cell_id
    )
    full_window.open_cell(other)
    assert not procedure.banner.isVisible()
    assert procedure.saved.text() == ""  # "Đã lưu." spoke of the other cell


def test_the_hint_speaks_the_buttons_words(full_window: MainWindow) -> None:
    db = full_window.db
    year = periods.list_periods(db)[-1].year
    for row in procedure_board.board(db, year):
        full_window.open_cell(row.cell_id)
        procedure = full_window.evaluation.cell
        hints = [procedure.todo.item(i).text() for i in range(procedure.todo.count())]
        for hint in hints:
            if hint.startswith("Bước này đã đủ"):
                assert procedure.next_button.text().rstrip(" ▸") in hint
        if row.step is CellStep.VOTING:
            assert procedure.next_button.text() == "Nộp kết quả lên đảng ủy ▸"
            assert not any("Xong bước này" in hint for hint in hints)


def test_self_review_columns_fit_their_headers_at_every_zoom(
    full_window: MainWindow, qtbot: QtBot
) -> None:
    walk = a_cell_in_self_review(full_window, qtbot)
    grid = walk.procedure.self_review.grid
    header = grid.horizontalHeader()
    for _zoom in range(3):
        titles = [column.title for column in grid.grid_model.columns]
        assert "Điểm chung /30" in titles and "Điểm nhiệm vụ /70" in titles
        for number in range(len(titles)):
            assert grid.columnWidth(number) >= header.sectionSizeHint(number), titles[number]
        full_window.zoom(+1)
    full_window.reset_zoom()


def test_the_side_box_follows_mouse_and_refresh(full_window: MainWindow, qtbot: QtBot) -> None:
    walk = a_cell_in_self_review(full_window, qtbot)
    procedure = walk.procedure
    open_step(qtbot, procedure, 2)
    grid = procedure.self_review.grid
    for row in (3, 1):  # a click on a name in the frozen column moves the current row
        rect = grid.frozen.visualRect(grid.grid_model.index(row, 0))
        qtbot.mouseClick(grid.frozen.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        assert grid.currentIndex().row() == row
        assert focused() is grid
        assert_side_follows(walk)
    press(qtbot, Qt.Key.Key_Down)
    assert grid.currentIndex().row() == 2
    assert_side_follows(walk)
    press(qtbot, Qt.Key.Key_Right)  # from the name to the level
    keys(qtbot, "HTNV")  # a save refreshes every page: the box still shows this row
    press(qtbot, Qt.Key.Key_Return)
    assert grid.currentIndex().row() == 3
    assert_side_follows(walk)
    saved = {m.member_id: m for m in walk.saved().members}
    assert saved[grid.grid_model.rows[2].member_id].self_level == "HTNV"


def test_no_tab_stop_on_nothing_visible(full_window: MainWindow, qtbot: QtBot) -> None:
    walk = a_cell_in_self_review(full_window, qtbot)
    procedure = walk.procedure
    open_step(qtbot, procedure, 2)
    qtbot.wait(20)  # the layout settles
    seen: list[QWidget] = [focused()]
    for _ in range(150):
        press(qtbot, Qt.Key.Key_Tab)
        widget = focused()
        if widget is seen[-1]:
            continue  # from cell to cell inside the grid
        if widget in seen:
            break  # round the whole window
        seen.append(widget)
        if not inside(widget, procedure):
            continue
        assert widget.isVisible() and not widget.visibleRegion().isEmpty(), repr(widget)
        assert widget.width() > 4 and widget.height() > 4, repr(widget)
    assert procedure.next_button in seen  # nothing traps Tab before the footer


# ---- the grid on its own -------------------------------------------------------------------


@dataclass
class Line:
    name: str
    level: str | None = None
    count: int = 0
    note: str = ""


def a_grid(qtbot: QtBot, lines: list[Line], width: int = 900) -> tuple[QWidget, Grid]:
    from PySide6.QtWidgets import QLineEdit, QPushButton, QVBoxLayout

    def save(field: str):  # type: ignore[no-untyped-def]
        return lambda line, value: setattr(line, field, value)

    grid = Grid(
        [
            Column("Họ và tên", lambda r: r.name),
            Column(
                "Mức",
                lambda r: r.level,
                save("level"),
                kind="choice",
                choices=[(None, "—"), ("A", "Alpha"), ("B", "Beta")],
            ),
            Column("Số", lambda r: r.count, save("count"), kind="int", maximum=99),
            Column("Mức (xem)", lambda r: r.level or "", tooltip=lambda r: f"mức {r.level}"),
            Column("Ghi chú", lambda r: r.note, wrap=True),
        ]
    )
    holder = QWidget()
    layout = QVBoxLayout(holder)
    layout.addWidget(QLineEdit("trước"))
    layout.addWidget(grid)
    layout.addWidget(QPushButton("sau"))
    qtbot.addWidget(holder)
    holder.resize(width, 400)
    with qtbot.waitActive(holder):
        holder.show()
        holder.activateWindow()
    grid.set_rows(lines)
    return holder, grid


def test_grid_tab_goes_from_entry_to_entry_and_leaves_at_the_end(qtbot: QtBot) -> None:
    lines = [Line("Lò Văn Pọm"), Line("Giàng A Páo")]
    holder, grid = a_grid(qtbot, lines)
    moved: list[object] = []
    grid.current_row_changed.connect(moved.append)
    grid.setFocus()
    assert grid.currentIndex().column() == 1  # the first cell that takes a value
    keys(qtbot, "B")
    press(qtbot, Qt.Key.Key_Tab)
    keys(qtbot, "7")
    press(qtbot, Qt.Key.Key_Tab)  # the view-only columns are skipped: the next row
    assert (grid.currentIndex().row(), grid.currentIndex().column()) == (1, 1)
    assert moved == [lines[1]]
    keys(qtbot, "A")
    press(qtbot, Qt.Key.Key_Tab)
    keys(qtbot, "12")
    press(qtbot, Qt.Key.Key_Tab)  # the last entry: out of the grid, to the button below
    assert focused() is holder.findChildren(type(holder.layout().itemAt(2).widget()))[0]
    assert [(x.level, x.count) for x in lines] == [("B", 7), ("A", 12)]
    grid.set_rows(list(lines))  # a refresh tells the side panels again
    assert moved[-1] is lines[1]


def test_grid_names_stay_in_view_and_the_whole_text_is_a_tooltip(qtbot: QtBot) -> None:
    note = "Đồng chí cần tích cực hơn trong việc vận động bà con làm đường bê tông nội bản " * 3
    lines = [Line(f"Người số {n}", note=note if n == 1 else "") for n in range(3)]
    lines[2].name = "Nguyễn Thị Minh Khai Phương Thảo Hoàng Lan Anh Đào Mai Hương"
    _holder, grid = a_grid(qtbot, lines, width=300)
    grid.setFocus()
    grid.setCurrentIndex(grid.grid_model.index(0, 2))
    grid.scrollTo(grid.currentIndex())
    assert grid.horizontalScrollBar().value() > 0  # the grid is scrolled sideways…
    frozen = grid.frozen
    assert frozen.isVisible() and frozen.width() == grid.columnWidth(0)  # …the names are not
    assert [frozen.isColumnHidden(n) for n in range(5)] == [False, True, True, True, True]
    assert grid.visualRect(grid.currentIndex()).left() >= grid.columnWidth(0)
    # The long name is elided, and whole in its tooltip; a short one has none.
    tip = Qt.ItemDataRole.ToolTipRole
    assert grid.grid_model.index(2, 0).data(tip) == lines[2].name
    assert grid.grid_model.index(0, 0).data(tip) is None
    assert grid.cell_tooltip(grid.grid_model.index(0, 3)) == "mức None"  # the column's own
    # A sentence wraps: its row grows to show it.
    assert grid.rowHeight(1) > 2 * grid.rowHeight(0)


def test_a_grids_signals_cannot_exhaust_true(qapp: object) -> None:
    """PySide6 6.12 loses a reference to True on every emit() made from Python; a grid emits
    on every refresh, and a long session ended in "deallocating True". The reserve of
    app/ui/shell/qt_fixes.py keeps the count up."""
    grid = Grid([Column("Họ và tên", lambda r: r)])
    before = sys.getrefcount(True)
    for _ in range(1000):
        grid.current_row_changed.emit(None)
    if sys.version_info >= (3, 12):
        return  # True is immortal
    assert before - sys.getrefcount(True) >= 900  # the bug (gone: the guard can go)
    assert sys.getrefcount(True) > qt_fixes.LOW_WATER
