"""An editable grid for fast keyboard entry: type, Tab to the next cell that takes a value,
Enter to the next row. Each column says how to read and how to save its value; a save that the
services refuse puts the message in the page's banner and the old value back.

For a clerk who enters a whole commune without a mouse:
- Tab and Shift+Tab go from one editable cell to the next and leave the grid after the last
  (before the first) one, so the buttons after a grid are reachable; arrows still reach every
  cell.
- the first column (the name) stays in view while the others scroll sideways;
- the current cell has a strong outline while the grid has the focus, a faint one otherwise,
  and ``current_row_changed`` tells side panels which row that is;
- columns are as wide as their header and content in the current font (zoom included); text
  that does not fit is elided and shown whole in the tooltip; a ``wrap`` column (a sentence)
  wraps and its rows grow to fit;
- when the columns together are wider than the grid, those whose text stays readable (a
  sentence, a text whole in its tooltip) are narrowed to end inside it, and the last one takes
  what remains; a width the user dragged stays until the columns or the font change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QRectF,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFocusEvent,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QFrame,
    QHeaderView,
    QLineEdit,
    QSpinBox,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from app.ui.common.column_widths import CONTENT_CAP_CHARS, FLOOR_CHARS, share

Row = TypeVar("Row")
Index = QModelIndex | QPersistentModelIndex

FOCUS_RING = QColor("#0b57d0")  # the current cell while the grid has the focus
QUIET_RING = QColor("#8a8a8a")  # the current cell otherwise: the row the side panel shows
# The current cell's own fill: light, so its text and the outline around it stay readable
# (the style's selection blue hid both).
CURRENT_FILL = QColor("#dce8fc")


@dataclass(frozen=True)
class Column(Generic[Row]):
    title: str
    value: Callable[[Row], Any]
    save: Callable[[Row, Any], None] | None = None  # None: read-only
    kind: str = "text"  # text | int | choice
    choices: Sequence[tuple[Any, str]] = ()  # (value, label) for "choice"
    # Kept so that older callers still build; the grid sizes every column to its header and
    # content in the current font, which a pixel width cannot follow at a larger zoom.
    width: int = 0
    editable: Callable[[Row], bool] = field(default=lambda _row: True)
    tooltip: Callable[[Row], str] | None = None
    maximum: int = 999
    wrap: bool = False  # a sentence (a note, a reason): wraps, and its rows grow to fit


class GridModel(QAbstractTableModel, Generic[Row]):
    def __init__(self, columns: list[Column[Row]]) -> None:
        super().__init__()
        self.columns = columns
        self.rows: list[Row] = []
        self.greyed: Callable[[Row], bool] = lambda _row: False
        # Whether the view shows only part of a cell's text (the view knows the widths): such
        # a cell's tooltip is its whole text.
        self.clipped: Callable[[QModelIndex], bool] = lambda _index: False

    def set_rows(self, rows: list[Row]) -> None:
        """New rows. When only their values changed (same count), the view is told so
        without a reset, so an edit in progress and the current cell survive a refresh."""
        if self.rows and len(rows) == len(self.rows):
            self.rows = rows
            last = self.index(len(rows) - 1, len(self.columns) - 1)
            self.dataChanged.emit(self.index(0, 0), last)
            return
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        column = self.columns[index.column()]
        if column.save is not None and column.editable(self.rows[index.row()]):
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = self.columns[index.column()]
        value = column.value(row)
        if role == Qt.ItemDataRole.EditRole:
            return value
        if role == Qt.ItemDataRole.DisplayRole:
            return display_text(column, value)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.kind == "int":
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ForegroundRole and self.greyed(row):
            return QColor("#777777")
        if role == Qt.ItemDataRole.BackgroundRole and (
            column.save is not None and column.editable(row)
        ):
            return QColor("#fffdf0")
        if role == Qt.ItemDataRole.ToolTipRole:
            if column.tooltip is not None:
                return column.tooltip(row)
            plain = self.index(index.row(), index.column())
            return display_text(column, value) if self.clipped(plain) else None
        return None

    def setData(self, index: Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        column = self.columns[index.column()]
        if column.save is None:
            return False
        if value == column.value(self.rows[index.row()]):
            return False
        column.save(self.rows[index.row()], value)
        return True

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.columns[section].title
        return None


def display_text(column: Column[Any], value: Any) -> str:
    """What a cell shows for *value*."""
    if column.kind == "choice":
        return str(dict(column.choices).get(value, "" if value is None else str(value)))
    if column.kind == "int":
        return "" if value in (None, 0) else str(value)
    return "" if value is None else str(value)


EMPTY_COUNT = -1  # a count editor's "nothing entered"
START_TEXT = "grid_start_text"  # an editor's text when it opened (has anything been typed?)


def _editor_text(editor: QWidget) -> str:
    if isinstance(editor, (QSpinBox, QLineEdit)):
        return editor.text()
    if isinstance(editor, QComboBox):
        return editor.currentText()
    return ""


class GridDelegate(QStyledItemDelegate):
    """A combo box for choices, a spin box for counts, the default editor for text; draws
    the current cell's outline."""

    def __init__(self, grid: Grid, parent: QWidget | None = None) -> None:
        super().__init__(parent or grid)
        self.grid = grid

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        column = self.grid.grid_model.columns[index.column()]
        if column.kind == "choice":
            combo = QComboBox(parent)
            for value, label in column.choices:
                combo.addItem(label, value)
            return combo
        if column.kind == "int":
            spin = QSpinBox(parent)
            # -1 is "nothing entered": a count the clerk only Tabs past stays empty, it is
            # never saved as 0.
            spin.setRange(EMPTY_COUNT, column.maximum)
            spin.setSpecialValueText(" ")
            spin.setButtonSymbols(QSpinBox.ButtonSymbols.NoButtons)
            spin.setAlignment(Qt.AlignmentFlag.AlignCenter)
            return spin
        return super().createEditor(parent, option, index)

    def eventFilter(self, editor: QObject, event: QEvent) -> bool:
        # Ctrl+Z in an editor nothing was typed into yet (Tab opens the next cell's editor at
        # once) takes back the last saved edit, not the editor's own empty history.
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.matches(QKeySequence.StandardKey.Undo)
            and isinstance(editor, QWidget)
            and _editor_text(editor) == editor.property(START_TEXT)
        ):
            event.ignore()
            return True
        return super().eventFilter(editor, event)

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        value = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(editor.findData(value), 0))
        elif isinstance(editor, QSpinBox):
            editor.setValue(EMPTY_COUNT if value is None else int(value))
            editor.selectAll()
        else:
            super().setEditorData(editor, index)
        editor.setProperty(START_TEXT, _editor_text(editor))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData())
        elif isinstance(editor, QSpinBox):
            editor.interpretText()
            value = editor.value()
            model.setData(index, None if value == EMPTY_COUNT else value)
        else:
            super().setModelData(editor, model, index)

    def initStyleOption(self, option: QStyleOptionViewItem, index: Index) -> None:
        super().initStyleOption(option, index)
        columns = self.grid.grid_model.columns
        wraps = 0 <= index.column() < len(columns) and columns[index.column()].wrap
        wrap = QStyleOptionViewItem.ViewItemFeature.WrapText
        # One line, elided, unless the column holds sentences.
        option.features = (option.features | wrap) if wraps else (option.features & ~wrap)
        if option.state & QStyle.StateFlag.State_Selected:
            option.state = option.state & ~QStyle.StateFlag.State_Selected
            option.backgroundBrush = QBrush(CURRENT_FILL)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        plain = QStyleOptionViewItem(option)
        # The style's own focus mark is a faint dotted line; the outline below replaces it.
        plain.state = plain.state & ~QStyle.StateFlag.State_HasFocus
        super().paint(painter, plain, index)
        if index != self.grid.currentIndex():
            return
        strong = self.grid.has_focus_within()
        pen = QPen(FOCUS_RING if strong else QUIET_RING, 2 if strong else 1)
        pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
        painter.save()
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        inset = 1.0 if strong else 0.5
        painter.drawRect(QRectF(option.rect).adjusted(inset, inset, -inset, -inset))
        painter.restore()


class FrozenColumn(QTableView):
    """The grid's first column drawn over its left edge, so the names stay in view while the
    other columns scroll sideways (Qt's "Frozen Column" example). It shares the grid's model
    and selection, takes no focus of its own and hands clicks to the grid."""

    def __init__(self, grid: Grid) -> None:
        super().__init__(grid)
        self.grid = grid
        self.setModel(grid.grid_model)
        self.setSelectionModel(grid.selectionModel())
        self.setItemDelegate(GridDelegate(grid, self))
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # never a Tab stop of its own
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(grid.selectionBehavior())
        self.setSelectionMode(grid.selectionMode())
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.verticalHeader().hide()
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.horizontalHeader().setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollMode(grid.verticalScrollMode())
        self.setWordWrap(grid.wordWrap())
        self.pressed.connect(lambda _index: grid.setFocus(Qt.FocusReason.MouseFocusReason))
        self.doubleClicked.connect(grid.edit)
        self.verticalScrollBar().valueChanged.connect(grid.verticalScrollBar().setValue)
        grid.verticalScrollBar().valueChanged.connect(self.verticalScrollBar().setValue)
        grid.verticalHeader().sectionResized.connect(
            lambda row, _old, new: self.setRowHeight(row, new)
        )
        grid.horizontalHeader().sectionResized.connect(self._column_resized)
        grid.grid_model.modelReset.connect(self.follow_columns)
        grid.viewport().stackUnder(self)

    def follow_columns(self) -> None:
        """Only the first column, as wide and as tall as the grid's."""
        model = self.grid.grid_model
        for number in range(model.columnCount()):
            self.setColumnHidden(number, number != 0)
        if model.columnCount():
            self.setColumnWidth(0, self.grid.columnWidth(0))
        for row in range(model.rowCount()):
            self.setRowHeight(row, self.grid.rowHeight(row))
        self.place()

    def _column_resized(self, column: int, _old: int, new: int) -> None:
        if column == 0:
            self.setColumnWidth(0, new)
            self.place()

    def place(self) -> None:
        grid = self.grid
        self.horizontalHeader().setFixedHeight(grid.horizontalHeader().height())
        frame = grid.frameWidth()
        self.setGeometry(
            grid.verticalHeader().width() + frame,
            frame,
            grid.columnWidth(0) if grid.grid_model.columnCount() else 0,
            grid.viewport().height() + grid.horizontalHeader().height(),
        )
        self.setVisible(grid.grid_model.columnCount() > 1)


class Grid(QTableView):
    """A table view for entry: typing starts editing, Enter goes down, Tab goes to the next
    editable cell and out of the grid after the last one."""

    current_row_changed = Signal(object)  # the current row (or None) moved or was refreshed

    def __init__(self, columns: list[Column[Any]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid_model: GridModel[Any] = GridModel(columns)
        self.setModel(self.grid_model)
        self.setItemDelegate(GridDelegate(self))
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(False)
        # Tab is ours (focusNextPrevChild): from editable cell to editable cell, then out.
        self.setTabKeyNavigation(False)
        # Per pixel, so that a column scrolled under the frozen names can be shown whole.
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.verticalHeader().setVisible(False)
        self.setCornerButtonEnabled(False)
        header = self.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self._filling = False  # set_rows in progress: one current_row_changed at its end
        self._natural: list[int] = []  # each column's width for its header and content
        self._shrinking: list[bool] = []  # whether each column stays readable narrower
        self._dragged: dict[int, int] = {}  # the widths the user gave columns by dragging
        self._measured: list[Column[Any]] | None = None  # the columns those widths are for
        self._sizing = False  # the grid sets the widths: not the user's
        self.grid_model.clipped = self.is_clipped
        self.frozen = FrozenColumn(self)
        self.selectionModel().currentRowChanged.connect(self._row_moved)
        self.grid_model.modelReset.connect(self.fit_columns)
        header.sectionResized.connect(self._section_resized)
        self.fit_columns()

    # ---- rows --------------------------------------------------------------------------
    def set_rows(self, rows: list[Any]) -> None:
        current = self.currentIndex()
        self._filling = True
        try:
            self.grid_model.set_rows(rows)
            if current.isValid() and current.row() < len(rows):
                self.setCurrentIndex(self.grid_model.index(current.row(), current.column()))
            elif not self.currentIndex().isValid() and rows:
                # A current cell from the start, so that the side panels show a row and
                # typing goes into the first cell that takes a value.
                self.setCurrentIndex(self._first_cell())
        finally:
            self._filling = False
        if self._wraps():
            self.resizeRowsToContents()
        self.current_row_changed.emit(self.current_row())

    def drop_editor(self) -> None:
        """Close an open editor without saving what it holds (before Ctrl+Z changes the
        rows under it, so a stale value is never written back)."""
        editor = QApplication.focusWidget()
        editing = self.state() == QAbstractItemView.State.EditingState
        if editing and editor is not None and self.viewport().isAncestorOf(editor):
            QAbstractItemView.closeEditor(
                self, editor, QAbstractItemDelegate.EndEditHint.RevertModelCache
            )
            self.setFocus()

    def current_row(self) -> Any | None:
        index = self.currentIndex()
        rows = self.grid_model.rows
        return rows[index.row()] if index.isValid() and index.row() < len(rows) else None

    def _row_moved(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        if not self._filling:
            self.current_row_changed.emit(self.current_row())

    # ---- the keyboard ------------------------------------------------------------------
    def editable_cells(self) -> Iterator[QModelIndex]:
        """The cells that take a value, row by row."""
        model = self.grid_model
        for row in range(model.rowCount()):
            for column in range(model.columnCount()):
                if self.isColumnHidden(column):
                    continue
                index = model.index(row, column)
                if model.flags(index) & Qt.ItemFlag.ItemIsEditable:
                    yield index

    def _first_cell(self) -> QModelIndex:
        first = next(self.editable_cells(), None)
        return first if first is not None else self.grid_model.index(0, 0)

    def _neighbour(self, forward: bool) -> QModelIndex:
        """The next (previous) editable cell after the current one, or an invalid index
        when there is none: Tab then leaves the grid instead of wrapping around."""
        current = self.currentIndex()
        here = (current.row(), current.column()) if current.isValid() else None
        cells = list(self.editable_cells())
        if not forward:
            cells.reverse()
        for index in cells:
            place = (index.row(), index.column())
            if here is None or (place > here if forward else place < here):
                return index
        return QModelIndex()

    def focusNextPrevChild(self, next: bool) -> bool:
        target = self._neighbour(next) if self.hasFocus() else QModelIndex()
        if target.isValid():
            self.setCurrentIndex(target)
            return True
        return super().focusNextPrevChild(next)  # out of the grid, along the focus chain

    def event(self, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_F2
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
        ):
            # F2 edits the current cell, as in every table (the window's "Sửa thông tin…"
            # would otherwise take it, and speak of the member list instead).
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
            # Ctrl+Tab belongs to whatever holds the grid (a page's parts, the tab bar);
            # the item view would otherwise move the current cell with it.
            event.ignore()
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.state() != (
            QAbstractItemView.State.EditingState
        ):
            if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                event.ignore()  # Ctrl+Enter: the page's main action
                return
            self._move_down()
            return
        super().keyPressEvent(event)

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        if hint in (
            QAbstractItemDelegate.EndEditHint.EditNextItem,
            QAbstractItemDelegate.EndEditHint.EditPreviousItem,
        ):
            # Tab in an editor: the value is saved already (commitData came first); go on to
            # the next editable cell and edit it, or leave the grid after the last one.
            super().closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
            forward = hint == QAbstractItemDelegate.EndEditHint.EditNextItem
            target = self._neighbour(forward)
            if target.isValid():
                self.setCurrentIndex(target)
                self.edit(target)
            else:
                self.setFocus(Qt.FocusReason.OtherFocusReason)
                self.focusNextPrevChild(forward)
            return
        super().closeEditor(editor, hint)
        if hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache:
            self._move_down()

    def commit_edit(self) -> None:
        """Save what is typed in an open editor (before the page moves on without it)."""
        if self.state() != QAbstractItemView.State.EditingState:
            return
        editor = QWidget.focusWidget(self)
        while editor is not None and editor.parentWidget() is not self.viewport():
            editor = editor.parentWidget()
        if editor is not None:
            self.commitData(editor)
            self.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)

    def has_focus_within(self) -> bool:
        """The grid or its open editor has the keyboard focus."""
        focus = self.window().focusWidget() if self.window() else None
        return focus is not None and (focus is self or self.isAncestorOf(focus))

    def focusInEvent(self, event: QFocusEvent) -> None:
        if not self.currentIndex().isValid() and self.grid_model.rowCount():
            self.setCurrentIndex(self._first_cell())
        super().focusInEvent(event)
        self.frozen.viewport().update()  # the outline's strength follows the focus

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.viewport().update()
        self.frozen.viewport().update()

    def _move_down(self) -> None:
        index = self.currentIndex()
        if not index.isValid():
            return
        below = self.grid_model.index(min(index.row() + 1, self.grid_model.rowCount() - 1),
                                      index.column())  # fmt: skip
        self.setCurrentIndex(below)

    # ---- the frozen first column -------------------------------------------------------
    def scrollTo(
        self,
        index: Index,
        hint: QAbstractItemView.ScrollHint = QAbstractItemView.ScrollHint.EnsureVisible,
    ) -> None:
        if not index.isValid():
            return
        bar = self.horizontalScrollBar()
        if index.column() == 0:  # always in view in the frozen column: only scroll down
            keep = bar.value()
            super().scrollTo(index, hint)
            bar.setValue(keep)
            return
        super().scrollTo(index, hint)
        # A cell scrolled in under the frozen names is moved out from under them.
        hidden = self.columnWidth(0) - self.visualRect(index).left()
        if hidden > 0 and not self.isColumnHidden(0):
            bar.setValue(bar.value() - hidden)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.share_width()  # also lays out the frozen column and the wrapped rows

    def updateGeometries(self) -> None:
        super().updateGeometries()
        self._place_frozen()

    def _place_frozen(self) -> None:
        # Qt lays the view out while it is being built, before the frozen column exists.
        frozen: FrozenColumn | None = getattr(self, "frozen", None)
        if frozen is not None:
            frozen.place()

    def _section_resized(self, column: int, _old: int, new: int) -> None:
        last = column == self.grid_model.columnCount() - 1  # stretched by the header itself
        if not self._sizing and not last and new > 0:
            self._dragged[column] = new
        if self._wraps() and not self._sizing:
            self.resizeRowsToContents()

    # ---- widths and tooltips -----------------------------------------------------------
    def _wraps(self) -> bool:
        return any(column.wrap for column in self.grid_model.columns)

    def _text_margins(self) -> int:
        """What a cell keeps of its width around the text (the style's margins)."""
        margin = self.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self)
        return 2 * (margin + 1)

    def _padding(self) -> int:
        """Room around a cell's text when sizing a column: the margins and the outline."""
        return self._text_margins() + 8

    def fit_columns(self) -> None:
        """Each column measured for its header and content in the current font, then fitted
        to the grid's width (``share_width``)."""
        model = self.grid_model
        if model.columns is not self._measured:  # other columns: the dragged widths were not
            self._dragged.clear()  # for them
            self._measured = model.columns
        metrics = self.fontMetrics()
        cap = metrics.averageCharWidth() * CONTENT_CAP_CHARS
        padding = self._padding()
        header = self.horizontalHeader()
        self._natural, self._shrinking = [], []
        for number, column in enumerate(model.columns):
            texts = [display_text(column, column.value(row)) for row in model.rows]
            self._shrinking.append(self._shrinks(number, texts))
            if column.kind == "choice":
                texts += [label for _value, label in column.choices]
            elif column.kind == "int":
                texts.append(str(column.maximum))
            content = max((metrics.horizontalAdvance(text) for text in texts), default=0)
            if column.kind == "choice":  # the editor's arrow
                content += self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
            self._natural.append(max(header.sectionSizeHint(number), min(content + padding, cap)))
        self.share_width()

    def _shrinks(self, number: int, texts: list[str]) -> bool:
        """Whether the column stays readable narrower: it wraps, or it is a text whose
        tooltip holds its whole text (a column's own tooltip may say something else). The
        names stay whole, and so do counts and choices."""
        column = self.grid_model.columns[number]
        if number == 0 or column.kind != "text":
            return False
        if column.wrap or column.tooltip is None:
            return True
        tips = (column.tooltip(row) or "" for row in self.grid_model.rows)
        return all(text in tip for text, tip in zip(texts, tips, strict=True))

    def share_width(self) -> None:
        """The measured widths, narrowed to end inside the grid when they do not fit there
        (column_widths.share); a dragged width stays as the user left it."""
        if len(self._natural) != self.grid_model.columnCount():
            return  # measured before the columns were set: fit_columns comes with them
        # Room for the vertical scroll bar whether it shows or not: the widths do not change
        # when rows that grow bring it in.
        available = self.maximumViewportSize().width() - self.verticalScrollBar().sizeHint().width()
        floor = self.fontMetrics().averageCharWidth() * FLOOR_CHARS + self._padding()
        header = self.horizontalHeader()
        natural, floors = [], []
        for number, width in enumerate(self._natural):
            width = self._dragged.get(number, width)
            natural.append(width)
            shrinks = self._shrinking[number] and number not in self._dragged
            floors.append(max(floor, header.sectionSizeHint(number)) if shrinks else width)
        self._sizing = True
        try:
            for number, width in enumerate(share(natural, floors, available)):
                if self.columnWidth(number) != width:
                    self.setColumnWidth(number, width)
        finally:
            self._sizing = False
        self.frozen.follow_columns()
        if self._wraps():
            self.resizeRowsToContents()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # zoom: widths follow the new font
            self._dragged.clear()
            self.fit_columns()

    def cell_tooltip(self, index: QModelIndex) -> str | None:
        """What hovering the cell shows: the column's own tooltip, else the whole text when
        the cell shows only part of it, else nothing."""
        tip = self.grid_model.data(index, Qt.ItemDataRole.ToolTipRole)
        return str(tip) if tip else None

    def is_clipped(self, index: QModelIndex) -> bool:
        """The cell's text does not fit its cell (it is elided, or wrapped past its height)."""
        if not index.isValid():
            return False
        text = str(self.grid_model.data(index, Qt.ItemDataRole.DisplayRole) or "")
        if not text:
            return False
        metrics = self.fontMetrics()
        width = self.columnWidth(index.column()) - self._text_margins()
        if self.grid_model.columns[index.column()].wrap:
            needed = metrics.boundingRect(
                QRect(0, 0, max(width, 1), 0), Qt.TextFlag.TextWordWrap, text
            ).height()
            return needed > self.rowHeight(index.row())
        return metrics.horizontalAdvance(text) > width
