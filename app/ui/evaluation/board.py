"""The period board: every cell with its step, a progress bar and what is missing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionProgressBar,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.formatting import format_date, format_int
from app.domain.plan import PlanStatus
from app.domain.procedure import CellStep
from app.ui.common.marks import MARK_MEANINGS, STEP_MARKS
from app.ui.common.widgets import ElidedLabel, MarkDelegate

if TYPE_CHECKING:
    from app.services.periods.lifecycle import PeriodInfo
    from app.services.procedure.board import BoardRow

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ["Chi bộ", "Bước", "Tiến độ", "Còn thiếu", "Theo kế hoạch"]
HEADER_TIPS = [
    "Dấu trước tên: " + ", ".join(f"{m} {meaning}" for m, meaning in MARK_MEANINGS.items()),
    "Bước chi bộ đang làm trong kỳ đánh giá",
    "Phần việc của chi bộ đã làm được: bốn bước làm việc đến 90%, nộp lên đảng ủy là đủ 100%",
    "Việc còn phải làm để sang bước tiếp theo (rê chuột lên ô để đọc đủ)",
    "So với kế hoạch của đảng ủy (rê chuột lên ô để đọc đủ)",
]
# Colours of the plan column: overdue red, due soon amber, on time or done green.
PLAN_COLOURS = {"overdue": "#b71c1c", "soon": "#8a5a00", "on_time": "#2e7d32", "done": "#2e7d32"}
FILTERS = [
    ("Tất cả chi bộ", None),
    ("Đang làm", {CellStep.PREPARATION, CellStep.SELF_REVIEW, CellStep.MEETING, CellStep.VOTING}),
    ("Bị trả lại", {CellStep.RETURNED}),
    ("Đã nộp, chờ thẩm định", {CellStep.SUBMITTED}),
    ("Đã quyết định", {CellStep.DECIDED}),
]


class BoardModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[BoardRow] = []
        self.plan: dict[int, PlanStatus] = {}  # each cell against the commune's plan

    def set_rows(self, rows: list[BoardRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = index.column()
        if column == 4:
            return plan_data(self.plan.get(row.cell_id), role)
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return f"{STEP_MARKS[row.step]}  {row.cell_name}"
            if column == 1:
                return row.step.label + (" (quá hạn)" if row.deadline_passed else "")
            if column == 2:
                return f"{round(row.share * 100)}%"
            return row.missing
        if role == Qt.ItemDataRole.UserRole:
            return row.share
        if role == Qt.ItemDataRole.ForegroundRole:
            if row.deadline_passed and column == 1:
                return QColor("#b71c1c")
            if row.step is CellStep.RETURNED:
                return QColor("#8a4b00")
        if role == Qt.ItemDataRole.ToolTipRole and column in (0, 3):
            # The whole text wherever a narrow column cuts it.
            return row.cell_name if column == 0 else row.missing
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return HEADER_TIPS[section]
        return None


def plan_data(status: PlanStatus | None, role: int) -> object:
    if status is None:
        return None
    if role == Qt.ItemDataRole.DisplayRole:
        return status.short
    if role == Qt.ItemDataRole.ToolTipRole:
        return status.text
    if role == Qt.ItemDataRole.ForegroundRole and status.state in PLAN_COLOURS:
        return QColor(PLAN_COLOURS[status.state])
    return None


class ProgressDelegate(QStyledItemDelegate):
    """Draws the share as a progress bar in the "Tiến độ" column."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        share = index.data(Qt.ItemDataRole.UserRole)
        bar = QStyleOptionProgressBar()
        bar.rect = option.rect.adjusted(4, 6, -4, -6)
        bar.minimum, bar.maximum = 0, 100
        bar.progress = round(float(share or 0) * 100)
        bar.text = f"{bar.progress}%"
        bar.textVisible = True
        QApplication.style().drawControl(QStyle.ControlElement.CE_ProgressBar, bar, painter)


class BoardPage(QWidget):
    open_cell = Signal(int)
    appraise = Signal()
    new_period = Signal()
    year_changed = Signal(int)
    edit_plan = Signal()
    choose_criteria = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel()
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.year = QComboBox()
        self.filter = QComboBox()
        for label, _steps in FILTERS:
            self.filter.addItem(label)
        self.counts = ElidedLabel()  # cut, whole on hover, rather than widening the window
        self.appraise_button = QPushButton("Thẩm định và quyết định ▸")
        self.new_button = QPushButton("Kỳ đánh giá mới…")
        self.open_button = QPushButton("Mở chi bộ ▸")
        self.plan_button = QPushButton("Kế hoạch…")
        self.plan_button.setToolTip("Ngày phải xong từng bước của kỳ đánh giá")
        self.plan_button.clicked.connect(self.edit_plan)
        self.criteria_button = QPushButton("Bộ tiêu chí…")
        self.criteria_button.setToolTip(
            "Bộ tiêu chí chấm điểm từng mục của kỳ đánh giá, hoặc nhập hai tổng điểm"
        )
        self.criteria_button.clicked.connect(self.choose_criteria)
        self.model = BoardModel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(0, MarkDelegate(self.table))
        self.table.setItemDelegateForColumn(2, ProgressDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        # The names, steps and plan states are short: whole. What is missing is a sentence:
        # it takes the rest of the width, cut with "…" and whole in its tooltip.
        for column in (0, 1, 4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        self.table.setColumnWidth(2, 130)
        self.table.doubleClicked.connect(self._open_selected)
        self.table.activated.connect(self._open_selected)
        self.open_button.clicked.connect(self._open_selected)
        self.appraise_button.clicked.connect(self.appraise)
        self.new_button.clicked.connect(self.new_period)
        self.filter.currentIndexChanged.connect(self._refilter)
        self.year.currentIndexChanged.connect(
            lambda _i: (
                self.year_changed.emit(self.year.currentData()) if self.year.currentData() else None
            )
        )
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(QLabel("Năm:"))
        top.addWidget(self.year)
        top.addWidget(self.new_button)
        top.addWidget(self.plan_button)
        top.addWidget(self.criteria_button)
        top.addWidget(self.appraise_button)
        bottom = QHBoxLayout()
        bottom.addWidget(QLabel("Hiện:"))
        bottom.addWidget(self.filter)
        bottom.addStretch(1)
        bottom.addWidget(self.counts)
        bottom.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self._all: list[BoardRow] = []

    def set_years(self, years: list[int], current: int) -> None:
        self.year.blockSignals(True)
        self.year.clear()
        for year in sorted(years, reverse=True):
            self.year.addItem(str(year), year)
        self.year.setCurrentIndex(max(self.year.findData(current), 0))
        self.year.blockSignals(False)

    def show_period(
        self,
        info: PeriodInfo,
        rows: list[BoardRow],
        plan: dict[int, PlanStatus] | None = None,
        criteria: str | None = None,
    ) -> None:
        """*criteria*: the name of the criteria set the period scores by (None: totals typed)."""
        self.model.plan = plan or {}
        deadline = f" · hạn nộp {format_date(info.deadline)}" if info.deadline else ""
        scoring = f" · chấm từng mục theo “{criteria}”" if criteria else ""
        self.title.setText(
            f"Kỳ đánh giá năm {info.year} · {info.ruleset_name}{scoring}{deadline} · "
            f"{info.state.label}"
        )
        self.criteria_button.setToolTip(
            f"Chấm điểm từng mục theo “{criteria}”; đổi bộ tiêu chí hoặc bỏ (nhập hai tổng điểm)"
            if criteria
            else "Chọn bộ tiêu chí để chấm điểm từng mục (đang nhập hai tổng điểm)"
        )
        self._all = rows
        done = sum(1 for r in rows if r.step in (CellStep.SUBMITTED, CellStep.DECIDED))
        late = sum(1 for r in rows if r.deadline_passed)
        text = f"{format_int(done)}/{format_int(len(rows))} chi bộ đã nộp"
        if late:
            text += f" · {format_int(late)} chi bộ quá hạn"
        behind = sum(1 for s in self.model.plan.values() if s.overdue)
        soon = sum(1 for s in self.model.plan.values() if s.state == "soon")
        plan = [f"{format_int(behind)} chậm"] if behind else []
        plan += [f"{format_int(soon)} sắp đến hạn"] if soon else []
        if plan:
            text += " · theo kế hoạch: " + ", ".join(plan)
        self.counts.setText(text)
        self._refilter()

    def _refilter(self) -> None:
        steps = FILTERS[self.filter.currentIndex()][1]
        self.model.set_rows([r for r in self._all if steps is None or r.step in steps])

    def _open_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.open_cell.emit(self.model.rows[rows[0].row()].cell_id)
