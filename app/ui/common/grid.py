"""An editable grid for fast keyboard entry: type, Tab to the next column, Enter to the next
row. Each column says how to read and how to save its value; a save that the services refuse
puts the message in the page's banner and the old value back."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QSpinBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

Row = TypeVar("Row")
Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column(Generic[Row]):
    title: str
    value: Callable[[Row], Any]
    save: Callable[[Row, Any], None] | None = None  # None: read-only
    kind: str = "text"  # text | int | choice
    choices: Sequence[tuple[Any, str]] = ()  # (value, label) for "choice"
    width: int = 0
    editable: Callable[[Row], bool] = field(default=lambda _row: True)
    tooltip: Callable[[Row], str] | None = None
    maximum: int = 999


class GridModel(QAbstractTableModel, Generic[Row]):
    def __init__(self, columns: list[Column[Row]]) -> None:
        super().__init__()
        self.columns = columns
        self.rows: list[Row] = []
        self.greyed: Callable[[Row], bool] = lambda _row: False

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
            if column.kind == "choice":
                return dict(column.choices).get(value, "" if value is None else str(value))
            if column.kind == "int":
                return "" if value in (None, 0) else str(value)
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.kind == "int":
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ForegroundRole and self.greyed(row):
            return QColor("#777777")
        if role == Qt.ItemDataRole.BackgroundRole and (
            column.save is not None and column.editable(row)
        ):
            return QColor("#fffdf0")
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip is not None:
            return column.tooltip(row)
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


class GridDelegate(QStyledItemDelegate):
    """A combo box for choices, a spin box for counts, the default editor for text."""

    def __init__(self, grid: Grid) -> None:
        super().__init__(grid)
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
            spin.setRange(0, column.maximum)
            spin.setButtonSymbols(QSpinBox.ButtonSymbols.NoButtons)
            spin.setAlignment(Qt.AlignmentFlag.AlignCenter)
            return spin
        return super().createEditor(parent, option, index)

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        value = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(editor.findData(value), 0))
        elif isinstance(editor, QSpinBox):
            editor.setValue(int(value or 0))
            editor.selectAll()
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData())
        elif isinstance(editor, QSpinBox):
            editor.interpretText()
            model.setData(index, editor.value())
        else:
            super().setModelData(editor, model, index)


class Grid(QTableView):
    """A table view for entry: typing starts editing, Enter goes down, Tab goes right."""

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
        self.verticalHeader().setVisible(False)
        header = self.horizontalHeader()
        header.setStretchLastSection(True)
        for number, column in enumerate(columns):
            if column.width:
                self.setColumnWidth(number, column.width)
            else:
                header.setSectionResizeMode(number, QHeaderView.ResizeMode.Interactive)

    def set_rows(self, rows: list[Any]) -> None:
        current = self.currentIndex()
        self.grid_model.set_rows(rows)
        if current.isValid() and current.row() < len(rows):
            self.setCurrentIndex(self.grid_model.index(current.row(), current.column()))

    def current_row(self) -> Any | None:
        index = self.currentIndex()
        rows = self.grid_model.rows
        return rows[index.row()] if index.isValid() and index.row() < len(rows) else None

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.state() != (
            QAbstractItemView.State.EditingState
        ):
            self._move_down()
            return
        super().keyPressEvent(event)

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        super().closeEditor(editor, hint)
        if hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache:
            self._move_down()

    def _move_down(self) -> None:
        index = self.currentIndex()
        if not index.isValid():
            return
        below = self.grid_model.index(min(index.row() + 1, self.grid_model.rowCount() - 1),
                                      index.column())  # fmt: skip
        self.setCurrentIndex(below)
