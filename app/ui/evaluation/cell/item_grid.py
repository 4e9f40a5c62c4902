"""The checklist's grid (issue 24): one row per item of a criteria set, a group's heading
bold on a grey band, the entry a tick for a "met / not met" item and a figure for the others.

Keyboard, as the other grids: typing a figure opens the cell, Tab goes from the entry to the
note and on to the next item, Enter down the column (group headings skipped), F2 opens a cell,
Space ticks a "met / not met" item (not scored → đạt → không đạt → đạt…; "1"/"0" too), Delete
empties the cell.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QKeyEvent, QMouseEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QLineEdit,
    QStyle,
    QStyleOptionViewItem,
    QWidget,
)

from app.domain.criteria import CountScoring, Item, MetScoring, points_text
from app.ui.common.grid import START_TEXT, Column, Grid, GridDelegate

Index = QModelIndex | QPersistentModelIndex
Value = bool | Fraction | None

GROUP_FILL = QColor("#eef1f6")
MET_WORDS = {True: "đạt", False: "không đạt"}
# Keys that set a "met / not met" item without opening it.
MET_KEYS = {"1": True, "d": True, "c": True, "x": True, "+": True,
            "0": False, "k": False, "-": False}  # fmt: skip


def parse_points(text: str) -> Fraction | None:
    """ "12", "7,5", "7.5", "1/2" → the number; "" → None; ValueError for anything else."""
    cleaned = text.strip().replace(" ", "").replace(",", ".")
    if not cleaned:
        return None
    try:
        return Fraction(cleaned)
    except (ValueError, ZeroDivisionError) as error:
        raise ValueError(text) from error


def how_scored(item: Item) -> str:
    """The item's scoring in a few words: "đạt / không", "0–30", "0; 4; 6; 8", "số buổi × 1"."""
    scoring = item.scoring
    if isinstance(scoring, MetScoring):
        return "đạt / không đạt"
    if isinstance(scoring, CountScoring):
        return f"số {scoring.unit} × {points_text(scoring.per_unit)}"
    if scoring.steps:
        return "; ".join(points_text(step) for step in scoring.steps)
    return f"0–{points_text(item.points)}"


def how_scored_long(item: Item) -> str:
    """The same in a sentence, for the entry's tooltip."""
    scoring = item.scoring
    top = points_text(item.points)
    if isinstance(scoring, MetScoring):
        return (
            f"Đạt: {top} điểm, không đạt: 0 điểm. Phím cách (Space) đánh dấu đạt / không đạt; "
            "Delete xóa."
        )
    if isinstance(scoring, CountScoring):
        return (
            f"Nhập số {scoring.unit}; mỗi {scoring.unit} {points_text(scoring.per_unit)} điểm, "
            f"tính tối đa {top} điểm."
        )
    if scoring.steps:
        steps = "; ".join(points_text(step) for step in scoring.steps)
        return f"Chấm một trong các mức {steps} điểm."
    return f"Chấm từ 0 đến {top} điểm (được chấm số lẻ, ví dụ 7,5)."


@dataclass(frozen=True)
class Line:
    """A row of the checklist: a group's heading or one of its items."""

    key: str
    text: str
    maximum: Fraction
    item: Item | None = None  # None: the group's heading
    group_key: str = ""
    tip: str = ""

    @property
    def is_group(self) -> bool:
        return self.item is None

    @property
    def met(self) -> bool:
        return self.item is not None and isinstance(self.item.scoring, MetScoring)


class MetBox(QCheckBox):
    """The editor of a "met / not met" item: unticked-with-a-dash is "not scored yet"; Space
    goes not scored → đạt → không đạt → đạt. ``chosen`` says the user changed it."""

    chosen = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setTristate(True)
        self.setAutoFillBackground(True)
        self.stateChanged.connect(lambda _state: self._words())

    def value(self) -> Value:
        state = self.checkState()
        if state == Qt.CheckState.PartiallyChecked:
            return None
        return state == Qt.CheckState.Checked

    def set_value(self, value: Value) -> None:
        self.setCheckState(
            Qt.CheckState.PartiallyChecked
            if value is None
            else (Qt.CheckState.Checked if value else Qt.CheckState.Unchecked)
        )
        self._words()

    def nextCheckState(self) -> None:
        self.set_value(self.value() is not True)
        self.chosen.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text().lower()
        if text in MET_KEYS and not event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier:
            self.set_value(MET_KEYS[text])
            self.chosen.emit()
            return
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.set_value(None)
            self.chosen.emit()
            return
        super().keyPressEvent(event)

    def _words(self) -> None:
        value = self.value()
        self.setText("chưa chấm" if value is None else MET_WORDS[value])


class ChecklistDelegate(GridDelegate):
    """The grid's look, with the group headings bold on a grey band."""

    def __init__(self, grid: ChecklistGrid, parent: QWidget | None = None) -> None:
        super().__init__(grid, parent)
        self.checklist = grid

    def line(self, index: Index) -> Line | None:
        rows = self.checklist.grid_model.rows
        return rows[index.row()] if 0 <= index.row() < len(rows) else None

    def initStyleOption(self, option: QStyleOptionViewItem, index: Index) -> None:
        super().initStyleOption(option, index)
        line = self.line(index)
        if line is None or not line.is_group:
            return
        font = QFont(option.font)
        font.setBold(True)
        option.font = font
        if not option.state & QStyle.StateFlag.State_Selected:
            option.backgroundBrush = QBrush(GROUP_FILL)


class EntryDelegate(ChecklistDelegate):
    """The entry column: a check box for a "met" item (ticked in place with Space or a
    click), a line for a number (the sums follow each key typed)."""

    def __init__(self, grid: ChecklistGrid, typing: Callable[[str, str], None]) -> None:
        super().__init__(grid)
        self.typing = typing  # (item key, text so far): the sums before the value is saved

    def initStyleOption(self, option: QStyleOptionViewItem, index: Index) -> None:
        super().initStyleOption(option, index)
        line = self.line(index)
        if line is None or not line.met:
            return
        value = self.checklist.value_of(line.key)
        option.features |= QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator
        option.checkState = (
            Qt.CheckState.PartiallyChecked
            if value is None
            else (Qt.CheckState.Checked if value else Qt.CheckState.Unchecked)
        )
        if value is None:
            palette = QPalette(option.palette)
            palette.setColor(QPalette.ColorRole.Text, QColor("#777777"))
            option.palette = palette

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        line = self.line(index)
        if line is not None and line.met:
            box = MetBox(parent)
            box.chosen.connect(lambda: self.commitData.emit(box))  # the sums follow at once
            return box
        editor = QLineEdit(parent)
        if line is not None:
            editor.textEdited.connect(lambda text, key=line.key: self.typing(key, text))
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        line = self.line(index)
        if isinstance(editor, MetBox) and line is not None:
            editor.set_value(self.checklist.value_of(line.key))
            editor.setProperty(START_TEXT, "")
            return
        super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        if isinstance(editor, MetBox):
            model.setData(index, editor.value())
            return
        super().setModelData(editor, model, index)

    def editorEvent(
        self, event: QEvent, model: QAbstractItemModel, option: QStyleOptionViewItem, index: Index
    ) -> bool:
        line = self.line(index)
        if line is None or not line.met or not (model.flags(index) & Qt.ItemFlag.ItemIsEditable):
            return super().editorEvent(event, model, option, index)
        value = self.checklist.value_of(line.key)
        if isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress:
            key, text = event.key(), event.text().lower()
            if key in (Qt.Key.Key_Space, Qt.Key.Key_Select, Qt.Key.Key_F2):
                model.setData(index, value is not True)
                return True
            if text in MET_KEYS:
                model.setData(index, MET_KEYS[text])
                return True
            return bool(text.strip())  # other letters do nothing (no editor for a tick)
        if isinstance(event, QMouseEvent):
            if event.type() == QEvent.Type.MouseButtonDblClick:
                model.setData(index, value is not True)
                return True
            if event.type() == QEvent.Type.MouseButtonRelease:
                shown = QStyleOptionViewItem(option)
                self.initStyleOption(shown, index)
                widget = shown.widget
                style = widget.style() if widget is not None else self.checklist.style()
                box = style.subElementRect(
                    QStyle.SubElement.SE_ItemViewItemCheckIndicator, shown, widget
                )
                if box.contains(event.position().toPoint()):
                    model.setData(index, value is not True)
                    return True
        return False


class ChecklistGrid(Grid):
    """The entry grid: Enter skips the group headings, Delete empties a cell."""

    def __init__(self, columns: list[Column[Line]], value_of: Callable[[str], Value]) -> None:
        self.extra: dict[int, int] = {}  # pixels a column needs beyond its text (a tick)
        self.widen: int | None = None  # the column that takes most of the spare width
        super().__init__(columns)
        self.value_of = value_of
        self.setItemDelegate(ChecklistDelegate(self))
        self.frozen.setItemDelegate(ChecklistDelegate(self, self.frozen))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if (
            event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
            and self.state() != QAbstractItemView.State.EditingState
        ):
            index = self.currentIndex()
            if index.isValid() and self.grid_model.flags(index) & Qt.ItemFlag.ItemIsEditable:
                self.grid_model.setData(index, None)
                self.viewport().update()
                return
        super().keyPressEvent(event)

    def fit_columns(self) -> None:
        super().fit_columns()
        if self.extra and len(self._natural) == self.grid_model.columnCount():
            for column, pixels in self.extra.items():
                if column < len(self._natural):
                    self._natural[column] += pixels
            self.share_width()

    def share_width(self) -> None:
        """As the grid shares it; then the items' text, not only the last column (the
        notes), takes two thirds of the width left over."""
        super().share_width()
        count = self.grid_model.columnCount()
        column = self.widen
        if column is None or column >= count - 1 or len(self._natural) != count:
            return
        room = self.maximumViewportSize().width() - self.verticalScrollBar().sizeHint().width()
        used = sum(self.columnWidth(n) for n in range(count - 1)) + self._natural[-1]
        spare = room - used
        if spare <= 0 or column in self._dragged:
            return
        self._sizing = True
        try:
            self.setColumnWidth(column, self.columnWidth(column) + spare * 2 // 3)
        finally:
            self._sizing = False
        self.resizeRowsToContents()

    def _move_down(self) -> None:
        index = self.currentIndex()
        if not index.isValid():
            return
        model = self.grid_model
        for row in range(index.row() + 1, model.rowCount()):
            below = model.index(row, index.column())
            if model.flags(below) & Qt.ItemFlag.ItemIsEditable:
                self.setCurrentIndex(below)
                return
