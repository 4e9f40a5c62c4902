"""The commune's decision on one level (appraisal page): the level, the reason when it
differs from the cell's proposal, and for a low level the rule set's reason."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.services.procedure.appraisal import AppraisalRow
from app.services.procedure.low_reason_choice import ReasonQuestion
from app.ui.evaluation.low_reason_dialog import ReasonPicker, fit_height


class LevelDialog(QDialog):
    """Change a decided level: the level, the reason when it differs from the proposal, and
    for a low level the rule set's reason when the engine does not know it."""

    def __init__(
        self,
        row: AppraisalRow,
        choices: list[tuple[str, str]],
        parent: QWidget,
        reasons: Callable[[str], ReasonQuestion | None] | None = None,
        current_reason: str = "",
    ) -> None:
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
        self.reasons = reasons
        self.low_reason = ReasonPicker()
        self.low_reason.hide()
        self.level.currentIndexChanged.connect(lambda _i: self._show_reason(current_reason))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton("Lưu", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.low_reason)
        layout.addWidget(buttons)
        self._show_reason(current_reason)
        self.setMinimumWidth(560)

    def _show_reason(self, current: str = "") -> None:
        level = self.level.currentData()
        question = self.reasons(level) if self.reasons and level else None
        self.low_reason.show_question(question, current)
        fit_height(self)  # the reason part comes and goes with the level

    def choose_reason(self, code: str) -> None:
        """Pick the reason *code* (what the user does in the combo)."""
        index = self.low_reason.combo.findData(code)
        if index < 0:
            raise ValueError(code)
        self.low_reason.combo.setCurrentIndex(index)
