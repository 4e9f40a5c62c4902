"""The quota simulator's window: the limit in words with its citation, the
candidates in the order the rules keep them, who falls out, and what a supposed change does.
Nothing here is saved: the committee tries things and decides elsewhere."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.formatting import format_decimal, format_int
from app.domain.rules import Subject
from app.services.procedure.quota_simulator import Changes, Simulation, SimulatorInput, change_words
from app.ui.common.widgets import fit_to_screen

HEADERS = ["Thứ tự", "Họ và tên", "Chi bộ", "Phiếu mức xuất sắc", "Điểm", "Kết quả"]
NO_CHANGE = "Chọn một người rồi bấm “Giả định …” để xem thay đổi đó làm gì."


class QuotaDialog(QDialog):
    def __init__(self, source: SimulatorInput, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Mô phỏng tỷ lệ hoàn thành xuất sắc — {title}")
        self.resize(960, 620)
        self.source = source
        self.changes: dict[Subject, str | None] = {}
        self.base = source.run()
        self.current = self.base
        self.limit = QLabel()
        self.limit.setWordWrap(True)
        self.limit.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.limit.font()
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.limit.setFont(font)
        # The period's own rule set, named: the limit and its citation are that rule set's,
        # not a regulation of another year (issue 19: "Quy định 124" in a 366 year).
        self.ruleset = QLabel(f"Bộ quy tắc của kỳ đánh giá: {source.ruleset.name}")
        self.ruleset.setWordWrap(True)
        self.ruleset.setStyleSheet("color: #555555;")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.effect = QLabel()
        self.effect.setWordWrap(True)
        self.effect.setStyleSheet("background: #eef4fb; padding: 6px;")
        rule = source.ruleset.member_quota
        base = rule.base_level if rule is not None else ""
        self.lower_button = QPushButton(f"Giả định: chuyển người đã chọn xuống {base}".strip())
        self.lower_button.setToolTip(
            "Xem điều gì xảy ra nếu những người đang chọn trong bảng chỉ được xếp mức "
            f"{base}, mức tỷ lệ được tính trên đó"
        )
        self.lower_button.clicked.connect(self.lower_selected)
        self.add_box = QComboBox()
        self.add_box.setMinimumWidth(200)
        self.add_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.add_button = QPushButton("Giả định: thêm ứng viên")
        self.add_button.clicked.connect(self.add_selected)
        self.reset_button = QPushButton("Bỏ mọi giả định")
        self.reset_button.clicked.connect(self.reset)
        what_if = QHBoxLayout()
        what_if.addWidget(self.lower_button)
        what_if.addWidget(self.add_box, 1)
        what_if.addWidget(self.add_button)
        what_if.addWidget(self.reset_button)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.limit)
        layout.addWidget(self.ruleset)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(what_if)
        layout.addWidget(self.effect)
        layout.addWidget(buttons)
        self._fill_additions()
        self.show_simulation(self.base)
        self.effect.setText(NO_CHANGE)
        fit_to_screen(self)  # never taller or wider than the screen's free area

    def _fill_additions(self) -> None:
        """Members at the base level in the scope, who could be proposed for the top level."""
        self.add_box.clear()
        rule = self.source.ruleset.member_quota
        if rule is None or not rule.enabled:
            self.add_box.setEnabled(False)
            self.add_button.setEnabled(False)
            return
        names = []
        for subject, level in self.source.levels.items():
            if subject.kind == "member" and level == rule.base_level:
                names.append((self.source.people.get(subject.id, ""), subject))
        for name, subject in sorted(names, key=lambda item: item[0]):
            self.add_box.addItem(name, subject)

    def run(self, changes: Changes) -> None:
        self.changes = dict(changes)
        self.current = self.source.run(self.changes)
        self.show_simulation(self.current)
        self.effect.setText(change_words(self.base, self.current) if self.changes else NO_CHANGE)

    def lower_selected(self) -> None:
        rule = self.source.ruleset.member_quota
        rows = {index.row() for index in self.table.selectedIndexes()}
        if rule is None or not rows:
            return
        changes = dict(self.changes)
        for row in rows:
            subject = self.table.item(row, 0).data(Qt.ItemDataRole.UserRole)
            changes[subject] = rule.base_level
        self.run(changes)

    def add_selected(self) -> None:
        rule = self.source.ruleset.member_quota
        subject = self.add_box.currentData()
        if rule is None or subject is None:
            return
        self.run({**self.changes, subject: rule.level})

    def reset(self) -> None:
        self.run({})

    def show_simulation(self, sim: Simulation) -> None:
        self.limit.setText(sim.sentence)
        if not sim.enabled:
            self.summary.setText("")
        else:
            out = len(sim.falls_out)
            enforced = "" if sim.enforced else " (bộ quy tắc chỉ cảnh báo, không bắt buộc)"
            self.summary.setText(
                f"Đang đề nghị {format_int(sim.used)} {sim.level}; giữ được {format_int(sim.kept)}"
                + (f", {format_int(out)} người phải chuyển xuống{enforced}." if out else ".")
                + " Thứ tự giữ: tỷ lệ phiếu cho mức xuất sắc, rồi tổng điểm, rồi tên."
                + (f"\n{sim.confidence_note}" if sim.confidence_note else "")
            )
        self.table.setRowCount(len(sim.candidates))
        for row, c in enumerate(sim.candidates):
            values = [
                str(row + 1),
                c.name,
                c.cell_name,
                c.votes or "—",
                format_decimal(c.score) if c.score is not None else "—",
                "Giữ" if c.kept else "Chuyển xuống",
            ]
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)  # a long name or cell elided in its column
                if column == 0:
                    item.setData(Qt.ItemDataRole.UserRole, c.subject)
                if not c.kept:
                    item.setForeground(QColor("#b71c1c"))
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        # A long cell name is elided (whole on hover) rather than pushing "Kết quả" under the
        # scroll bar.
        self.table.setColumnWidth(2, min(self.table.columnWidth(2), 240))
        for column in (3, 4, 5):  # short titles measured to the pixel read cramped: some air
            self.table.setColumnWidth(column, self.table.columnWidth(column) + 8)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)


def open_quota_dialog(source: SimulatorInput, title: str, parent: QWidget | None) -> None:
    """Show the simulator (tests build ``QuotaDialog`` directly instead)."""
    QuotaDialog(source, title, parent).exec()
