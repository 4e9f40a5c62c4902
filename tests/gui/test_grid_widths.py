"""Columns sized to their content and fitted to the view (issue 19): at 1366×768 the vote step's
grid ends inside its frame with its reasons wrapped, the appraisal shows members' names whole
and wraps its findings and reasons, and a column the user widened keeps its width through the
saves that refresh the page."""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.domain.procedure import CellStep
from app.services.procedure import view as procedure_view
from app.services.roster import quick_read
from app.ui.common.column_widths import share
from app.ui.common.grid import Column, Grid
from app.ui.evaluation.appraisal import CELL_ROLE, COLUMNS, FINDINGS, REASON, VOTE
from app.ui.shell.main_window import BASE_FONT_SIZE, MainWindow


def settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


def test_share_narrows_the_widest_first_down_to_their_floors() -> None:
    assert share([100, 50], [10, 10], 200) == [100, 50]  # they fit: as measured
    assert share([100, 300, 200], [100, 80, 80], 400) == [100, 150, 150]
    assert share([100, 300, 60], [100, 80, 80], 400) == [100, 240, 60]
    assert share([100, 300, 200], [100, 250, 80], 400) == [100, 250, 80]
    assert share([300, 300], [300, 200], 400) == [300, 200]  # the floors do not fit: scroll


# ---- the entry grid ------------------------------------------------------------------------


def a_grid(qtbot: QtBot, rows: list[str], width: int) -> tuple[QWidget, Grid]:
    grid = Grid(
        [
            Column("Họ và tên", lambda r: r),
            Column("Số", lambda _r: 3, lambda _r, _v: None, kind="int"),
            Column("Lý do", lambda r: f"{r}: chưa đạt mức yêu cầu của nhiệm vụ năm", wrap=True),
            Column("Ghi chú", lambda _r: ""),
        ]
    )
    holder = QWidget()
    QVBoxLayout(holder).addWidget(grid)
    qtbot.addWidget(holder)
    holder.resize(width, 300)
    holder.show()
    qtbot.waitExposed(holder)
    grid.set_rows(rows)
    settle()
    return holder, grid  # the holder kept: the grid lives as long as it


def right_edge(grid: Grid) -> int:
    last = grid.grid_model.columnCount() - 1
    return grid.columnViewportPosition(last) + grid.columnWidth(last)


def test_a_grid_too_narrow_for_its_sentences_wraps_them_inside_its_frame(qtbot: QtBot) -> None:
    _holder, grid = a_grid(qtbot, ["Lò Văn Pọm", "Giàng A Páo"], 360)
    assert grid.horizontalScrollBar().maximum() == 0
    assert right_edge(grid) <= grid.viewport().width()
    assert grid.columnWidth(2) < grid.fontMetrics().horizontalAdvance(
        grid.grid_model.index(0, 2).data()
    )  # narrowed: the sentence wraps, its row grew, nothing of it is hidden
    assert grid.rowHeight(0) > 2 * grid.fontMetrics().height()
    assert not grid.is_clipped(grid.grid_model.index(0, 2))
    # The names keep their width: "Lò Văn Pọm" is whole.
    assert not grid.is_clipped(grid.grid_model.index(0, 0))


def test_a_dragged_grid_column_keeps_its_width_when_the_rows_change(qtbot: QtBot) -> None:
    _holder, grid = a_grid(qtbot, ["Lò Văn Pọm"], 900)
    grid.horizontalHeader().resizeSection(2, 333)  # as a drag of the header's edge does
    grid.set_rows(["Lò Văn Pọm", "Giàng A Páo", "Vàng A Dình"])  # another count: a reset
    settle()
    assert grid.columnWidth(2) == 333
    grid.set_rows(["Lò Văn Pọm", "Giàng A Páo", "Vàng A Dình"])
    assert grid.columnWidth(2) == 333


# ---- the vote step at 1366×768 ---------------------------------------------------------------


def voting_cell_with_reasons(window: MainWindow) -> int:
    """The cell at the vote whose rows give the longest reason for a low level."""
    year = window.evaluation.year
    assert year is not None
    steps = quick_read.cell_steps(window.db, year)
    cells = [cell for cell, step in steps.items() if step is CellStep.VOTING]

    def longest(cell: int) -> int:
        view = procedure_view.cell_view(window.db, year, cell)
        return max((len(m.low_reason) for m in view.members if m.low_reason), default=0)

    return max(cells, key=longest)


def test_the_vote_grid_ends_inside_its_frame_and_wraps_its_reasons(
    full_window: MainWindow,
) -> None:
    window = full_window
    window.show_board()
    window.open_cell(voting_cell_with_reasons(window))
    procedure = window.evaluation.cell
    procedure.show_page(3)  # ④ Biểu quyết
    settle()
    grid = procedure.pages.currentWidget().grid
    model = grid.grid_model
    titles = [c.title for c in model.columns]
    reason, note = titles.index("Lý do"), titles.index("Ghi chú")
    assert note == len(titles) - 1
    # Every column ends inside the grid, and the last one takes what remains.
    assert grid.horizontalScrollBar().maximum() == 0
    assert right_edge(grid) == grid.viewport().width()
    # Each reason is whole: wrapped in a row that grew for it.
    reasons = [model.index(r, reason) for r in range(model.rowCount())]
    reasons = [index for index in reasons if index.data()]
    assert reasons, "the demo's cell has a low level with its reason"
    for index in reasons:
        assert not grid.is_clipped(index), index.data()
    assert any(grid.rowHeight(i.row()) > grid.rowHeight(0) for i in reasons)


# ---- the appraisal -----------------------------------------------------------------------------


def items(tree: QTreeWidget) -> Iterator[tuple[QTreeWidgetItem, int]]:
    stack = [(tree.topLevelItem(i), 1) for i in range(tree.topLevelItemCount())]
    while stack:
        item, depth = stack.pop()
        yield item, depth
        stack += [(item.child(j), depth + 1) for j in range(item.childCount())]


def test_the_appraisal_shows_names_whole_and_wraps_its_sentences(
    full_window: MainWindow,
) -> None:
    full_window.show_appraisal()
    page = full_window.evaluation.appraisal
    tree = page.tree
    tree.expandAll()
    settle()
    metrics = tree.fontMetrics()
    margins = 2 * (tree.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1)
    # Every member's name (with the post) of up to 28 characters is whole; longer ones are
    # elided with the name on hover.
    members = [(item, depth) for item, depth in items(tree) if depth == 2]
    assert len(members) > 200
    room = tree.columnWidth(0) - 2 * tree.indentation() - margins
    for item, _depth in members:
        text = item.text(0)
        if len(text) <= 28:
            assert metrics.horizontalAdvance(text) <= room, text
        else:
            assert text in item.toolTip(0)
    assert any(len(item.text(0)) >= 26 for item, _depth in members)  # the test means something
    # The columns end inside the tree; the findings take what remains.
    assert tree.horizontalScrollBar().maximum() == 0
    # A finding or a reason is wrapped whole in a row grown for it, not cut to a few letters.
    sentences = [
        (item, column)
        for item, _depth in items(tree)
        for column in (REASON, FINDINGS)
        if metrics.horizontalAdvance(item.text(column)) > tree.columnWidth(column)
    ]
    assert {column for _item, column in sentences} == {REASON, FINDINGS}
    for item, column in sentences:
        width = tree.columnWidth(column) - margins
        needed = metrics.boundingRect(
            QRect(0, 0, width, 100_000), Qt.TextFlag.TextWordWrap, item.text(column)
        ).height()
        assert tree.visualItemRect(item).height() >= needed, item.text(column)


def test_a_widened_appraisal_column_survives_a_save(full_window: MainWindow) -> None:
    window = full_window
    window.show_appraisal()
    page = window.evaluation.appraisal
    tree = page.tree
    settle()
    header = tree.header()
    measured = header.sectionSize(VOTE)
    header.resizeSection(REASON, 260)  # as the user's drag of the header's edge does
    header.resizeSection(VOTE, measured + 40)
    # A save: the proposals of a submitted cell accepted; the page and the window refresh.
    cell = next(
        item
        for item, depth in items(tree)
        if depth == 1 and item.data(0, CELL_ROLE) is not None and "Đã nộp" in item.text(0)
    )
    cell_id = cell.data(0, CELL_ROLE)
    tree.setCurrentItem(cell)
    cell.setSelected(True)
    page.accept_selected()
    window.evaluation.refresh()
    settle()
    assert page.view is not None
    assert all(r.decided_level for r in page.view.rows if r.cell_id == cell_id)  # saved
    assert (header.sectionSize(REASON), header.sectionSize(VOTE)) == (260, measured + 40)
    # The window's size changes: the other columns make room, the dragged ones stay.
    window.resize(window.width() - 120, window.height())
    settle()
    assert (header.sectionSize(REASON), header.sectionSize(VOTE)) == (260, measured + 40)
    # Opened again from the board: measured anew.
    window.show_board()
    window.show_appraisal()
    settle()
    assert header.sectionSize(REASON) != 260
    assert len(COLUMNS) == header.count()


def test_a_zoom_measures_the_appraisal_again(full_window: MainWindow) -> None:
    window = full_window
    window.show_appraisal()
    settle()
    header = window.evaluation.appraisal.tree.header()
    names = header.sectionSize(0)
    header.resizeSection(REASON, 260)
    font = QFont(QApplication.font())
    try:
        window.apply_font_size(BASE_FONT_SIZE + 2)
        settle()
        assert header.sectionSize(0) > names  # the names measured in the larger font
        assert header.sectionSize(REASON) != 260  # the drag was for the other size
    finally:
        QApplication.setFont(font)
