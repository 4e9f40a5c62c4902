"""The "Đánh giá" tab: the period board for a committee, the procedure for a cell, the
appraisal for the commune, or an invitation to open the first period."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QSize, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from app.domain.vocabulary import OrgKind
from app.services.common.errors import NotFound
from app.services.database import Database
from app.services.periods import criteria_sets
from app.services.periods import lifecycle as periods
from app.services.procedure import board as procedure_board
from app.services.procedure import cell_marks
from app.services.procedure import plan_dates as plan_service
from app.services.roster.organizations import OrgNode
from app.ui.evaluation.appraisal import AppraisalPage
from app.ui.evaluation.board import STEP_MARKS, BoardPage
from app.ui.evaluation.cell.procedure import CellProcedure
from app.ui.evaluation.criteria_choice import CriteriaDialog
from app.ui.evaluation.plan import PlanDialog


class EvaluationTab(QStackedWidget):
    open_cell = Signal(int)
    new_period = Signal()
    changed = Signal()

    def __init__(
        self,
        db: Database,
        actor: Callable[[], str],
        run_dialog: Callable[[QDialog], bool],
        today: Callable[[], dt.date],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.today = today
        self.actor = actor
        self.run_dialog = run_dialog
        self.year: int | None = None
        self.node: OrgNode | None = None
        self._board_stale = False  # show_board was asked while the tab was hidden

        self.empty = QWidget()
        empty_layout = QVBoxLayout(self.empty)
        self.empty_text = QLabel()
        self.empty_text.setWordWrap(True)
        create = QPushButton("Tạo kỳ đánh giá…")
        create.clicked.connect(self.new_period)
        empty_layout.addStretch(1)
        empty_layout.addWidget(self.empty_text)
        empty_layout.addWidget(create)
        empty_layout.addStretch(2)

        self.board = BoardPage()
        self.cell = CellProcedure(db, actor, run_dialog)
        self.appraisal = AppraisalPage(db, actor, run_dialog)
        self.outside = QLabel()
        self.outside.setWordWrap(True)
        for widget in (self.empty, self.board, self.cell, self.appraisal, self.outside):
            self.addWidget(widget)
        self.board.open_cell.connect(self.open_cell)
        self.board.appraise.connect(self.show_appraisal)
        self.board.new_period.connect(self.new_period)
        self.board.year_changed.connect(self.set_year)
        self.board.edit_plan.connect(self.edit_plan)
        self.board.choose_criteria.connect(self.choose_criteria)
        self.cell.changed.connect(self.changed)
        self.appraisal.changed.connect(self.changed)
        self.appraisal.back.connect(self.show_board)
        self.currentChanged.connect(lambda _index: self.updateGeometry())

    # A stack asks for the room of its widest page, shown or not: the cell's steps would keep
    # the window wide while the board is in front, and a larger font would push it past the
    # screen. Only the page in front counts here.
    def minimumSizeHint(self) -> QSize:
        page = self.currentWidget()
        if page is None:
            return super().minimumSizeHint()
        return page.minimumSizeHint().expandedTo(page.minimumSize())

    def sizeHint(self) -> QSize:
        page = self.currentWidget()
        return page.sizeHint() if page is not None else super().sizeHint()

    def periods(self) -> list[periods.PeriodInfo]:
        return periods.list_periods(self.db)

    def title(self) -> str:
        return f"Đánh giá {self.year}" if self.year else "Đánh giá"

    def refresh(self) -> None:
        known = self.periods()
        if not known:
            self.year = None
            self.empty_text.setText(
                "Chưa có kỳ đánh giá nào. Tạo kỳ đánh giá của năm để bắt đầu: chọn bộ quy tắc, "
                "chốt danh sách đảng viên, rồi các chi bộ làm từng bước."
            )
            self.setCurrentWidget(self.empty)
            return
        years = [p.year for p in known]
        if self.year not in years:
            self.year = max(years)
        self.board.set_years(years, self.year)
        self.show_node(self.node)

    def set_year(self, year: int) -> None:
        self.year = year
        self.show_node(self.node)
        self.changed.emit()

    def show_node(self, node: OrgNode | None) -> None:
        self.node = node
        if self.year is None:
            self.setCurrentWidget(self.empty)
            return
        if node is not None and node.kind is OrgKind.CELL:
            try:
                self.cell.open(self.year, node.id)
            except NotFound:
                self.outside.setText(
                    f"{node.name} không có trong kỳ đánh giá năm {self.year} (thành lập sau "
                    "ngày chốt danh sách, hoặc đã giải thể)."
                )
                self.setCurrentWidget(self.outside)
                return
            self.setCurrentWidget(self.cell)
            return
        if self.currentWidget() is self.appraisal:
            self.appraisal.open(self.year)
            return
        self.show_board()

    def show_board(self) -> None:
        assert self.year is not None
        self.setCurrentWidget(self.board)
        if not self.isVisible():
            # The board is the slowest page (each cell's progress): while another tab is in
            # front, it is built when this tab is shown (at start, the members are in front).
            self._board_stale = True
            return
        self._fill_board()

    def _fill_board(self) -> None:
        assert self.year is not None
        self._board_stale = False
        kept = criteria_sets.period_criteria(self.db, self.year)
        self.board.show_period(
            periods.get_period(self.db, self.year),
            procedure_board.board(self.db, self.year, self.today()),
            plan_service.board_status(self.db, self.year, self.today()),
            kept.criteria.name if kept is not None else None,
        )

    def showEvent(self, event: QShowEvent) -> None:
        if self._board_stale and self.year is not None and self.currentWidget() is self.board:
            self._fill_board()
        super().showEvent(event)

    def edit_plan(self) -> None:
        """The commune's plan dates, from the board."""
        if self.year is None:
            return
        if self.run_dialog(PlanDialog(self.db, self.year, self.actor, self)):
            self.show_board()
            self.changed.emit()

    def choose_criteria(self) -> None:
        """The criteria set the period scores by, from the board."""
        if self.year is None:
            return
        dialog = CriteriaDialog(self.db, self.year, self.actor, self)
        if self.run_dialog(dialog) and dialog.saved:
            self.show_board()
            self.changed.emit()

    def show_appraisal(self) -> None:
        assert self.year is not None
        self.appraisal.open(self.year)
        self.setCurrentWidget(self.appraisal)

    def marks(self) -> dict[int, str]:
        """The tree's mark per cell for the shown period."""
        if self.year is None:
            return {}
        steps = cell_marks.cell_steps(self.db, self.year)
        return {cell_id: STEP_MARKS[step] for cell_id, step in steps.items()}
