"""The "Đảng viên" tab: search, filters, the table, and the actions on a member."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.formatting import format_int
from app.services.roster.quick_read import MemberRow
from app.ui.roster.member_table import Activity, MemberFilter, MemberTableModel, Standing


class MemberPanel(QWidget):
    add_requested = Signal()
    edit_requested = Signal(object)  # MemberRow
    move_requested = Signal(object)
    exempt_requested = Signal(object)
    search_everywhere = Signal()
    first_painted = Signal()  # the table is on screen: time for what was put off

    def __init__(self, today: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = MemberTableModel(today)
        self._cells: frozenset[int] | None = None

        self.search = QLineEdit()
        self.search.setPlaceholderText("Tìm đảng viên theo tên hoặc mã (gõ có dấu hay không dấu)")
        self.search.setClearButtonEnabled(True)
        self.standing = QComboBox()
        for option in Standing:
            self.standing.addItem(
                "Chính thức và dự bị" if option is Standing.ANY else option.value, option
            )
        self.activity = QComboBox()
        for option in Activity:
            self.activity.addItem(
                "Đang và miễn sinh hoạt" if option is Activity.ANY else option.value, option
            )
        self.shown = QLabel()
        self.elsewhere = QPushButton()
        self.elsewhere.setFlat(True)
        self.elsewhere.setStyleSheet("color: #1a5fb4; text-decoration: underline;")
        self.elsewhere.clicked.connect(self.search_everywhere)
        self.elsewhere.hide()

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate([210, 100, 80, 230, 150, 190, 100, 100, 80, 190]):
            self.table.setColumnWidth(column, width)
        self.table.doubleClicked.connect(lambda _index: self._emit(self.edit_requested))

        self.add_button = QPushButton("Thêm đảng viên…")
        self.edit_button = QPushButton("Sửa…")
        self.move_button = QPushButton("Chuyển sinh hoạt…")
        self.exempt_button = QPushButton("Miễn sinh hoạt…")
        self.add_button.clicked.connect(self.add_requested)
        self.edit_button.clicked.connect(lambda: self._emit(self.edit_requested))
        self.move_button.clicked.connect(lambda: self._emit(self.move_requested))
        self.exempt_button.clicked.connect(lambda: self._emit(self.exempt_requested))

        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        filters.addWidget(self.standing, 1)
        filters.addWidget(self.activity, 1)
        actions = QHBoxLayout()
        actions.addWidget(self.add_button)
        actions.addWidget(self.edit_button)
        actions.addWidget(self.move_button)
        actions.addWidget(self.exempt_button)
        actions.addStretch(1)
        actions.addWidget(self.shown)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.elsewhere, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)

        self.search.textChanged.connect(self._refilter)
        self.standing.currentIndexChanged.connect(self._refilter)
        self.activity.currentIndexChanged.connect(self._refilter)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self._update_buttons()
        # The search forms of every row are made once the table has first been painted, so
        # the window shows without waiting for them and the first keystroke does not either.
        self.table.viewport().installEventFilter(self)
        self._painted = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self._painted and event.type() == QEvent.Type.Paint:
            self._painted = True
            self.table.viewport().removeEventFilter(self)
            QTimer.singleShot(0, self.model.prepare_search)
            QTimer.singleShot(0, self.first_painted)
        return super().eventFilter(watched, event)

    def set_rows(self, rows: list[MemberRow]) -> None:
        selected = self.selected()
        self.model.set_rows(rows)
        self.model.sort(
            self.table.horizontalHeader().sortIndicatorSection(),
            self.table.horizontalHeader().sortIndicatorOrder(),
        )
        if selected is not None:
            self.select_member(selected.id)
        self._update_shown()

    def set_cells(self, cells: frozenset[int] | None) -> None:
        self._cells = cells
        self._refilter()

    def _refilter(self) -> None:
        self.model.set_filter(
            MemberFilter(
                text=self.search.text(),
                cells=self._cells,
                standing=self.standing.currentData(),
                activity=self.activity.currentData(),
            )
        )
        self._update_shown()
        self._update_buttons()

    def _update_shown(self) -> None:
        shown, total = self.model.rowCount(), self.model.total
        self.shown.setText(f"Đang hiện {format_int(shown)} / {format_int(total)} đảng viên")
        elsewhere = self.model.matches_elsewhere()
        self.elsewhere.setText(
            f"Tìm thấy thêm {format_int(elsewhere)} người ở chi bộ khác — "
            "bấm để tìm trong toàn đảng bộ"
        )
        self.elsewhere.setVisible(elsewhere > 0)

    def _update_buttons(self) -> None:
        member = self.selected()
        for button in (self.edit_button, self.move_button, self.exempt_button):
            button.setEnabled(member is not None)
        self.exempt_button.setText(
            "Thôi miễn sinh hoạt…" if member is not None and member.is_exempt else "Miễn sinh hoạt…"
        )

    def selected(self) -> MemberRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def select_member(self, member_id: int) -> bool:
        position = self.model.position_of(member_id)
        if position is None:
            return False
        self.table.selectRow(position)
        self.table.scrollTo(self.model.index(position, 0))
        return True

    def _emit(self, signal: Signal) -> None:
        member = self.selected()
        if member is not None:
            signal.emit(member)
