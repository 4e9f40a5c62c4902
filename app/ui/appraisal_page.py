"""The commune's appraisal: every proposal in one tree grouped by cell, the quota meter, the
findings, and the actions: accept, change with a reason, return a cell, decide and lock."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.formatting import format_int
from app.domain.procedure import CellStep, PeriodState
from app.domain.rules import Subject
from app.services import appraisal
from app.services.appraisal import AppraisalRow, AppraisalView
from app.services.errors import ServiceError
from app.store.database import Database
from app.ui import ask

COLUMNS = [
    "Chi bộ / đảng viên",
    "Tự nhận",
    "Chi bộ đề xuất",
    "Gợi ý theo quy tắc",
    "Đảng ủy quyết định",
    "Phát hiện",
]
SUBJECT_ROLE = Qt.ItemDataRole.UserRole
CELL_ROLE = Qt.ItemDataRole.UserRole + 1


class LevelDialog(QDialog):
    """Change a decided level: the level, and the reason when it differs from the proposal."""

    def __init__(self, row: AppraisalRow, choices: list[tuple[str, str]], parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Quyết định mức xếp loại — {row.name}")
        self.row = row
        self.level = QComboBox()
        for code, name in choices:
            self.level.addItem(name, code)
        self.level.setCurrentIndex(
            max(self.level.findData(row.decided_level or row.proposed_level), 0)
        )
        # The automatic note of an accepted proposal is not a reason to edit.
        self.reason = QLineEdit(row.decision_reason if row.changed else "")
        self.reason.setPlaceholderText("Bắt buộc khi khác mức chi bộ đề xuất")
        form = QFormLayout()
        form.addRow("Chi bộ đề xuất", QLabel(row.proposed_level or "—"))
        form.addRow("Mức quyết định", self.level)
        form.addRow("Lý do", self.reason)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton("Lưu", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)


class AppraisalPage(QWidget):
    changed = Signal()
    back = Signal()

    def __init__(
        self,
        db: Database,
        actor: Callable[[], str],
        run_dialog: Callable[[QDialog], bool],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.actor = actor
        self.run_dialog = run_dialog
        self.year: int | None = None
        self.view: AppraisalView | None = None
        self.title = QLabel()
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.quota_text = QLabel()
        self.quota_bar = QProgressBar()
        self.quota_bar.setTextVisible(True)
        self.quota_bar.setMaximumWidth(260)
        self.only_findings = QCheckBox("Chỉ hiện dòng có phát hiện")
        self.only_findings.toggled.connect(lambda _on: self._fill())
        self.accept_button = QPushButton("Chấp nhận đề xuất của các chi bộ đã chọn")
        self.change_button = QPushButton("Sửa mức quyết định…")
        self.return_button = QPushButton("Trả lại chi bộ…")
        self.decide_button = QPushButton("Quyết định và khóa…")
        self.back_button = QPushButton("◂ Về bảng theo dõi")
        self.accept_button.clicked.connect(self.accept_selected)
        self.change_button.clicked.connect(self.change_selected)
        self.return_button.clicked.connect(self.return_selected)
        self.decide_button.clicked.connect(self.decide)
        self.back_button.clicked.connect(self.back)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(COLUMNS)
        self.tree.setSelectionMode(QTreeWidget.SelectionMode.ExtendedSelection)
        self.tree.setAlternatingRowColors(True)
        self.tree.itemDoubleClicked.connect(lambda _item, _col: self.change_selected())
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.tree.setColumnWidth(0, 300)
        for column, width in ((1, 80), (2, 120), (3, 140), (4, 150)):
            self.tree.setColumnWidth(column, width)
        header.setStretchLastSection(True)
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("background: #fdecea; color: #8e0000; padding: 6px;")
        self.banner.hide()

        self.title.setWordWrap(True)
        self.quota_text.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addWidget(self.title, 1)
        quota_row = QHBoxLayout()
        quota_row.addWidget(self.quota_text, 1)
        quota_row.addWidget(self.quota_bar)
        actions = QHBoxLayout()
        for widget in (self.accept_button, self.change_button, self.return_button):
            actions.addWidget(widget)
        actions.addStretch(1)
        actions.addWidget(self.only_findings)
        actions.addWidget(self.decide_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(quota_row)
        layout.addLayout(actions)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.banner)

    def open(self, year: int) -> None:
        self.year = year
        self.refresh()

    def refresh(self) -> None:
        if self.year is None:
            return
        self.view = appraisal.appraisal_view(self.db, self.year)
        view = self.view
        self.title.setText(
            f"Thẩm định kết quả năm {view.year} — {view.commune_name} · "
            f"{format_int(view.submitted)}/{format_int(view.cells)} chi bộ đã nộp · "
            f"{view.state.label}"
        )
        quota = view.quota
        if quota is not None and quota.allowed is not None:
            self.quota_text.setText(
                f"Tỷ lệ {quota.level} toàn đảng bộ: {format_int(quota.used)} / "
                f"{format_int(quota.allowed)} được phép ({quota.basis})"
                + (f" — vượt {format_int(quota.over)}" if quota.over else "")
            )
            self.quota_bar.setMaximum(max(quota.allowed, quota.used, 1))
            self.quota_bar.setValue(quota.used)
            self.quota_bar.setFormat(f"{quota.used}/{quota.allowed}")
            colour = "#c62828" if quota.over else "#2e7d32"
            self.quota_bar.setStyleSheet(f"QProgressBar::chunk {{ background: {colour}; }}")
            self.quota_text.setToolTip(f"{quota.sentence}\nCăn cứ: {quota.citation}")
        else:
            self.quota_text.setText("Không giới hạn tỷ lệ HTXSNV trong bộ quy tắc này")
            self.quota_bar.hide()
        locked = view.state in (PeriodState.DECIDED, PeriodState.REPORTED)
        for button in (
            self.accept_button,
            self.change_button,
            self.return_button,
            self.decide_button,
        ):
            button.setEnabled(not locked)
        self._fill()

    def _fill(self) -> None:
        assert self.view is not None
        view = self.view
        expanded = {
            self.tree.topLevelItem(i).data(0, CELL_ROLE)
            for i in range(self.tree.topLevelItemCount())
            if self.tree.topLevelItem(i).isExpanded()
        }
        self.tree.clear()
        cells: dict[int, QTreeWidgetItem] = {}
        only = self.only_findings.isChecked()
        for row in view.rows:
            findings = view.findings_for(row.subject)
            if only and not findings and row.subject.kind == "member":
                continue
            parent = cells.get(row.cell_id)
            values = [
                row.name + (f" ({row.post})" if row.post else ""),
                row.self_level or "",
                row.proposed_level or "",
                (row.suggested_level or "") if row.proposed_level else "",
                (row.decided_level or "") + (" ✎" if row.changed else ""),
                "; ".join(f.message for f in findings),
            ]
            if parent is None:
                values[0] = f"{row.cell_name} — {row.step.label}"
                item = QTreeWidgetItem(values)
                item.setData(0, CELL_ROLE, row.cell_id)
                font = item.font(0)
                font.setBold(True)
                item.setFont(0, font)
                self.tree.addTopLevelItem(item)
                cells[row.cell_id] = item
                first_time = not expanded and row.step is CellStep.SUBMITTED
                item.setExpanded(row.cell_id in expanded or first_time)
            else:
                item = QTreeWidgetItem(parent, values)
            item.setData(0, SUBJECT_ROLE, row.subject)
            item.setData(0, CELL_ROLE, row.cell_id)
            item.setToolTip(5, "\n".join(f"{f.message}\nCăn cứ: {f.citation}" for f in findings))
            if any(f.blocking for f in findings):
                item.setForeground(5, QColor("#b71c1c"))
            if (
                row.suggested_level
                and row.proposed_level
                and row.suggested_level != row.proposed_level
            ):
                item.setForeground(3, QColor("#8a4b00"))
        commune_findings = [
            f for f in view.findings if f.subject.kind == "org" and f.subject.id == view.commune_id
        ]
        if commune_findings:
            self.banner.setText(
                "\n".join(
                    f"⛔ {f.message}" if f.blocking else f"⚠ {f.message}" for f in commune_findings
                )
            )
            self.banner.show()
        else:
            self.banner.hide()

    def _selected_rows(self) -> list[AppraisalRow]:
        assert self.view is not None
        wanted = {item.data(0, SUBJECT_ROLE) for item in self.tree.selectedItems()}
        return [r for r in self.view.rows if r.subject in wanted]

    def _selected_cells(self) -> list[int]:
        return sorted({item.data(0, CELL_ROLE) for item in self.tree.selectedItems()})

    def _run(self, action: Callable[[], object]) -> bool:
        try:
            action()
        except ServiceError as error:
            ask.warn(self, "Chưa thực hiện được", str(error))
            return False
        self.refresh()
        self.changed.emit()
        return True

    def accept_selected(self) -> None:
        assert self.year is not None
        cells = self._selected_cells()
        if not cells:
            ask.inform(self, "Chưa chọn chi bộ", "Hãy chọn các chi bộ (hoặc đảng viên) trước.")
            return
        year = self.year
        self._run(lambda: appraisal.accept_proposals(self.db, year, cells, self.actor()))

    def change_selected(self) -> None:
        assert self.view is not None and self.year is not None
        rows = self._selected_rows()
        if len(rows) != 1:
            return
        row = rows[0]
        scale = self.view.ruleset.scale(row.subject.kind)
        dialog = LevelDialog(row, [(lvl.code, lvl.name) for lvl in scale.levels], self)
        if not self.run_dialog(dialog):
            return
        year, level, reason = self.year, dialog.level.currentData(), dialog.reason.text()
        self._run(
            lambda: appraisal.change_level(self.db, year, row.subject, level, reason, self.actor())
        )

    def return_selected(self) -> None:
        assert self.year is not None
        cells = self._selected_cells()
        if len(cells) != 1:
            ask.inform(self, "Chọn một chi bộ", "Hãy chọn đúng một chi bộ để trả lại.")
            return
        reason = ask.text(self, "Trả lại chi bộ", "Lý do trả lại (chi bộ sẽ thấy lý do này):")
        if not reason:
            return
        year = self.year
        self._run(lambda: appraisal.return_cell(self.db, year, cells[0], reason, self.actor()))

    def decide(self) -> None:
        assert self.year is not None and self.view is not None
        cells = self._selected_cells()
        submitted = [r.cell_id for r in self.view.rows if r.step is CellStep.SUBMITTED]
        targets = cells or sorted(set(submitted))
        if not targets:
            ask.inform(self, "Chưa có chi bộ chờ quyết định", "Chưa chi bộ nào nộp kết quả.")
            return
        if not ask.confirm(
            self,
            "Quyết định và khóa",
            f"Quyết định kết quả của {len(targets)} chi bộ và khóa lại? Sau khi khóa, muốn "
            "sửa phải mở khóa và ghi lý do. Dữ liệu được sao lưu trước khi khóa.",
            "Quyết định và khóa",
        ):
            return
        year = self.year
        self._run(lambda: appraisal.decide_and_lock(self.db, year, targets, self.actor()))

    def subjects(self) -> list[Subject]:
        return [r.subject for r in self.view.rows] if self.view else []
