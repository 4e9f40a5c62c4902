"""A cell's procedure: a step bar, one page per step, what the next step needs, and the rule
findings, all refreshed after every save."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.formatting import format_date
from app.domain.procedure import CellStep, next_step
from app.domain.rules import Finding
from app.services.common.errors import ServiceError
from app.services.database import Database, StoreError
from app.services.procedure import steps as procedure_steps
from app.services.procedure import view as procedure_view
from app.services.procedure.view import CellView
from app.ui.evaluation.cell.meeting import MeetingPage
from app.ui.evaluation.cell.steps import PreparationPage, SelfReviewPage
from app.ui.evaluation.cell.votes import SubmitPage, VotingPage
from app.ui.roster.own_record import OwnRecordGuard

STEP_TITLES = ["① Chuẩn bị", "② Tự kiểm điểm", "③ Hội nghị", "④ Biểu quyết", "⑤ Biên bản và nộp"]


class CellProcedure(QWidget):
    """The "Đánh giá" tab when a cell is selected."""

    changed = Signal()  # something was saved: the tree marks and the status bar may change

    def __init__(
        self,
        db: Database,
        actor: Callable[[], str],
        run_dialog: Callable[[QDialog], bool] | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.db = db
        self.actor = actor
        self.own_guard: OwnRecordGuard | None = None  # the window sets it
        # Shows a form modally (the window's run_dialog); tests replace it to answer forms.
        self.run_dialog: Callable[[QDialog], bool] = run_dialog or (lambda d: bool(d.exec()))
        self.year: int | None = None
        self.cell_id: int | None = None
        self.view: CellView | None = None

        self.title = QLabel()
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.title.setFont(font)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.step_buttons: list[QPushButton] = []
        bar = QHBoxLayout()
        for number, text in enumerate(STEP_TITLES):
            button = QPushButton(text)
            button.setCheckable(True)
            button.setFlat(True)
            button.clicked.connect(lambda _c=False, n=number: self.show_page(n))
            self.step_buttons.append(button)
            bar.addWidget(button)
        bar.addStretch(1)

        self.pages = QStackedWidget()
        self.preparation = PreparationPage(self)
        self.self_review = SelfReviewPage(self)
        self.meeting = MeetingPage(self)
        self.voting = VotingPage(self)
        self.submit = SubmitPage(self)
        for page in (self.preparation, self.self_review, self.meeting, self.voting, self.submit):
            self.pages.addWidget(page)

        self.todo = QListWidget()
        self.findings = QListWidget()
        self.findings.setWordWrap(True)
        self.todo.setWordWrap(True)
        self.todo.setMaximumHeight(120)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(QLabel("<b>Cần làm</b>"))
        side_layout.addWidget(self.todo)
        side_layout.addWidget(QLabel("<b>Phát hiện theo quy tắc</b>"))
        side_layout.addWidget(self.findings, 3)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.pages)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([1000, 230])

        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("background: #fdecea; color: #8e0000; padding: 6px;")
        self.banner.hide()
        self.saved = QLabel()
        self.back_button = QPushButton("◂ Quay lại bước trước")
        self.next_button = QPushButton("Xong bước này, tiếp tục ▸")
        self.back_button.clicked.connect(self.go_back)
        self.next_button.clicked.connect(self.advance)
        footer = QHBoxLayout()
        footer.addWidget(self.saved, 1)
        footer.addWidget(self.back_button)
        footer.addWidget(self.next_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.status)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.banner)
        layout.addLayout(footer)

    # ---- data --------------------------------------------------------------------------
    def open(self, year: int, cell_id: int) -> None:
        self.year, self.cell_id = year, cell_id
        self.banner.hide()
        self.refresh(follow_step=True)

    def refresh(self, follow_step: bool = False) -> None:
        if self.year is None or self.cell_id is None:
            return
        view = procedure_view.cell_view(self.db, self.year, self.cell_id)
        self.view = view
        self.title.setText(f"{view.cell_name} — kỳ đánh giá năm {view.year}")
        self.status.setText(self._status_text(view))
        current = view.step.number - 1
        for number, button in enumerate(self.step_buttons):
            button.setChecked(number == min(current, 4))
            done = number < current
            button.setText(STEP_TITLES[number] + (" ✓" if done else ""))
        for page in (self.preparation, self.self_review, self.meeting, self.voting, self.submit):
            page.show_view(view)
        self.todo.clear()
        for item in view.missing or (
            ["Bước này đã đủ; bấm “Xong bước này, tiếp tục”."] if view.editable else []
        ):
            self.todo.addItem(item)
        self._show_findings(view.findings)
        editable = view.editable
        self.next_button.setEnabled(editable and next_step(view.step) is not None)
        self.next_button.setText(
            "Nộp kết quả lên đảng ủy ▸"
            if view.step is CellStep.VOTING
            else "Xong bước này, tiếp tục ▸"
        )
        self.back_button.setEnabled(
            editable and view.step in (CellStep.SELF_REVIEW, CellStep.MEETING, CellStep.VOTING)
        )
        if follow_step:
            self.show_page(min(current, 4))

    def _status_text(self, view: CellView) -> str:
        parts = [f"Bước hiện tại: <b>{view.step.label}</b>"]
        if view.step is CellStep.RETURNED:
            parts.append(f"Đảng ủy trả lại: {view.returned_reason}")
        if view.submitted_at:
            parts.append(
                f"đã nộp lúc {view.submitted_at:%H:%M} {format_date(view.submitted_at.date())}"
            )
        if view.locked:
            parts.append("kết quả đã được quyết định và khóa")
        if view.deadline:
            parts.append(f"hạn nộp {format_date(view.deadline)}")
        parts.append(view.ruleset.name)
        return " · ".join(parts)

    def _show_findings(self, findings: tuple[Finding, ...]) -> None:
        self.findings.clear()
        for finding in sorted(findings, key=lambda f: (not f.blocking, f.subject)):
            mark = "⛔" if finding.blocking else "⚠"
            item = QListWidgetItem(f"{mark} {finding.message}")
            tip = f"Căn cứ: {finding.citation}"
            if finding.confidence_note:
                tip += f"\n{finding.confidence_note}"
            item.setToolTip(tip)
            if finding.blocking:
                item.setForeground(Qt.GlobalColor.darkRed)
            self.findings.addItem(item)
        if not findings:
            self.findings.addItem("Không có phát hiện nào.")

    def show_page(self, number: int) -> None:
        self.pages.setCurrentIndex(number)
        for index, button in enumerate(self.step_buttons):
            font = button.font()
            font.setUnderline(index == number)
            button.setFont(font)

    # ---- writes ------------------------------------------------------------------------
    def tell(self, problem: str) -> None:
        self.banner.setText(problem)
        self.banner.show()

    def run(self, action: Callable[[], object]) -> bool:
        """Do one save; a refusal is shown in the banner, in the services' own words."""
        try:
            action()
        except (ServiceError, StoreError) as error:
            # StoreError: a full disk, the file gone: the save did not happen, nothing was lost.
            self.tell(str(error))
            self.refresh()
            return False
        self.banner.hide()
        self.saved.setText("Đã lưu.")
        self.refresh()
        self.changed.emit()
        return True

    def advance(self) -> None:
        assert self.year is not None and self.cell_id is not None
        year, cell = self.year, self.cell_id
        if self.run(lambda: procedure_steps.advance(self.db, year, cell, self.actor())):
            assert self.view is not None
            self.show_page(min(self.view.step.number - 1, 4))

    def go_back(self) -> None:
        assert self.year is not None and self.cell_id is not None
        year, cell = self.year, self.cell_id
        if self.run(lambda: procedure_steps.go_back(self.db, year, cell, self.actor())):
            assert self.view is not None
            self.show_page(min(self.view.step.number - 1, 4))
