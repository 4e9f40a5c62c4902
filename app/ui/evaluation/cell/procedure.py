"""A cell's procedure: a step bar, one page per step, what the next step needs, and the rule
findings, all refreshed after every save.

Keyboard (a clerk enters a whole commune with it): Alt+1…Alt+5 open the steps, Ctrl+Tab and
Ctrl+Shift+Tab go from one part of the page to the next (grid, side box, the cell's own
assessment, the list of what is missing, the footer buttons), Ctrl+Enter does the page's main
action. They are shortcuts of this widget and its children only, so the main window's tab bar
keeps Ctrl+Tab everywhere else.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
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
from app.services.procedure.conflicts import ConflictError
from app.services.procedure.view import CellView
from app.ui.common import ask
from app.ui.common.grid import Grid
from app.ui.common.undo import EditHistory
from app.ui.evaluation.cell.meeting import MeetingPage
from app.ui.evaluation.cell.steps import PreparationPage, SelfReviewPage, StepPage, first_tab_stop
from app.ui.evaluation.cell.votes import SubmitPage, VotingPage
from app.ui.roster.own_record import OwnRecordGuard

STEP_TITLES = ["① Chuẩn bị", "② Tự kiểm điểm", "③ Hội nghị", "④ Biểu quyết", "⑤ Biên bản và nộp"]
NEXT_TEXT = "Xong bước này, tiếp tục ▸"
SUBMIT_TEXT = "Nộp kết quả lên đảng ủy ▸"
MAIN_ACTION_KEYS = ("Ctrl+Return", "Ctrl+Enter")


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
            button.setToolTip(f"Mở bước {text} (Alt+{number + 1})")
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
        self.side = side
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
        self.saved_for: tuple[int, int] | None = None  # the cell "Đã lưu." speaks of
        self.history = EditHistory()  # this cell's edits, for Ctrl+Z
        self.back_button = QPushButton("◂ Quay lại bước trước")
        self.next_button = QPushButton(NEXT_TEXT)
        self.next_button.setToolTip("Ctrl+Enter")
        self.back_button.clicked.connect(self.go_back)
        self.next_button.clicked.connect(self.advance)
        self.footer = QWidget()
        footer = QHBoxLayout(self.footer)
        footer.setContentsMargins(0, 0, 0, 0)
        footer.addWidget(self.saved, 1)
        footer.addWidget(self.back_button)
        footer.addWidget(self.next_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.status)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.banner)
        layout.addWidget(self.footer)
        self._add_shortcuts()

    def _add_shortcuts(self) -> None:
        """Shortcuts of this widget and its children only (see the module's note)."""

        def add(key: str, slot: Callable[[], object]) -> None:
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

        for number in range(len(STEP_TITLES)):
            add(f"Alt+{number + 1}", lambda n=number: self.open_step(n))
        for key in MAIN_ACTION_KEYS:
            add(key, self.main_action)
        # Undo: a line edit keeps its own Ctrl+Z for its text (it claims the key first).
        add("Ctrl+Z", self.undo_last)
        add("Ctrl+Tab", lambda: self.cycle_part(+1))
        # Shift+Tab arrives as Backtab; both spellings, whichever the platform sends.
        for key in ("Ctrl+Shift+Tab", "Ctrl+Shift+Backtab", "Ctrl+Backtab"):
            add(key, lambda: self.cycle_part(-1))

    # ---- data --------------------------------------------------------------------------
    def open(self, year: int, cell_id: int) -> None:
        if (self.year, self.cell_id) != (year, cell_id):
            self.history.clear()  # Ctrl+Z takes back edits of the cell on screen only
        self.year, self.cell_id = year, cell_id
        self.banner.hide()
        if self.saved_for != (year, cell_id):
            self.saved.clear()  # "Đã lưu." spoke of the cell shown before
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
        editable = view.editable
        self.next_button.setEnabled(editable and next_step(view.step) is not None)
        self.next_button.setText(SUBMIT_TEXT if view.step is CellStep.VOTING else NEXT_TEXT)
        self.todo.clear()
        # The hint names the button in the button's own words.
        action = self.next_button.text().rstrip(" ▸")
        ready = [f"Bước này đã đủ; bấm “{action}” (Ctrl+Enter)."] if view.editable else []
        for item in view.missing or ready:
            self.todo.addItem(item)
        self._show_findings(view.findings)
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
        if number != self.pages.currentIndex():
            self.banner.hide()  # a step's message belongs to that step
        self.pages.setCurrentIndex(number)
        for index, button in enumerate(self.step_buttons):
            font = button.font()
            font.setUnderline(index == number)
            button.setFont(font)

    # ---- the keyboard ------------------------------------------------------------------
    def open_step(self, number: int) -> None:
        """Alt+1…Alt+5: show the step's page, its first part ready for the keyboard."""
        self.show_page(number)
        parts = self.parts()
        if parts:
            self.focus_part(parts[0])

    def parts(self) -> list[QWidget]:
        """The parts of the shown page that Ctrl+Tab visits, then the list of what is
        missing and the footer; those with nothing to focus are left out."""
        page = self.pages.currentWidget()
        own = page.parts() if isinstance(page, StepPage) else [page]
        return [part for part in [*own, self.todo, self.footer] if self._entry(part) is not None]

    def _entry(self, part: QWidget) -> QWidget | None:
        if part is self.footer and self.next_button.isEnabled() and self.next_button.isVisible():
            return self.next_button  # the footer's main button first
        return first_tab_stop(part)

    def focus_part(self, part: QWidget) -> None:
        target = self._entry(part)
        if target is not None:
            target.setFocus(Qt.FocusReason.TabFocusReason)

    def current_part(self) -> QWidget | None:
        """The part that holds the focus (the innermost, when parts nest)."""
        focus = QApplication.focusWidget()
        if focus is None:
            return None
        holding = [p for p in self.parts() if p is focus or p.isAncestorOf(focus)]
        return holding[-1] if holding else None

    def cycle_part(self, step: int) -> None:
        """Ctrl+Tab (+1) and Ctrl+Shift+Tab (-1): the next (previous) part of the page."""
        parts = self.parts()
        if not parts:
            return
        current = self.current_part()
        if current is None:
            target = parts[0] if step > 0 else parts[-1]
        else:
            target = parts[(parts.index(current) + step) % len(parts)]
        self.focus_part(target)

    def main_action(self) -> None:
        """Ctrl+Enter: what the footer's main button does, when it can."""
        if not (self.next_button.isEnabled() and self.next_button.isVisible()):
            QApplication.beep()
            return
        for grid in self.findChildren(Grid):
            grid.commit_edit()  # a value still in an editor is saved first
        before = self.view.step if self.view else None
        self.next_button.click()
        if self.view is not None and self.view.step is not before:
            self.open_step(self.pages.currentIndex())  # the new step, ready for the keyboard

    # ---- writes ------------------------------------------------------------------------
    def tell(self, problem: str) -> None:
        self.banner.setText(problem)
        self.banner.show()

    def run(
        self,
        action: Callable[[], object],
        undo: Callable[[], object] | None = None,
        label: str = "",
        overwrite: Callable[[], object] | None = None,
    ) -> bool:
        """Do one save; a refusal is shown in the banner, in the services' own words. *undo*
        saves the state from before (through the same services); Ctrl+Z runs it. *overwrite*:
        the same save without comparing versions, offered when someone else changed the row
        since it was read (a shared database)."""
        try:
            action()
        except ConflictError as conflict:
            if overwrite is not None and ask.keep_mine(self, str(conflict), label):
                return self.run(overwrite, undo, label)
            self.tell(f"{conflict} Đã tải lại bản mới.")
            self.refresh()
            return False
        except (ServiceError, StoreError) as error:
            # StoreError: a full disk, the file gone: the save did not happen, nothing was lost.
            self.tell(str(error))
            self.refresh()
            return False
        if undo is not None:
            self.history.record(label, undo)
        self.banner.hide()
        self.saved.setText("Đã lưu. Ctrl+Z: hoàn tác." if undo is not None else "Đã lưu.")
        self.saved_for = (self.year, self.cell_id) if self.year and self.cell_id else None
        self.refresh()
        self.changed.emit()
        return True

    def undo_last(self) -> None:
        """Take back the newest edit of this cell (Ctrl+Z): its earlier state is saved again,
        checked and logged like any edit."""
        for grid in self.pages.currentWidget().findChildren(Grid):
            grid.drop_editor()
        edit = self.history.take_last()
        if edit is None:
            self.saved.setText("Không còn thao tác nào để hoàn tác.")
            return
        if self.run(edit.restore):
            self.saved.setText(f"Đã hoàn tác: {edit.label}.")
        else:
            self.history.put_back(edit)  # refused (the step moved on, the year locked …)

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
