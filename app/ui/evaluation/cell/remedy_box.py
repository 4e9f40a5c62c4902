"""Last year's shortcomings in the self-review step, and the question how they were remedied.

Shown only for a member whose review last year recorded shortcomings: the text comes back
read-only, and the member's answer is saved with the rest of the self-review.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QGroupBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from app.services.procedure.view import MemberLine

MISSING_STYLE = "QLineEdit { background: #fff8e1; }"


class RemedyBox(QGroupBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # One line each: the step's form is already tall; the full text is in the tooltip.
        self.previous = QLabel()
        self.previous.setStyleSheet("font-style: italic;")
        self.previous.setMinimumWidth(1)  # elided to the width it gets, not widening the box
        self._previous_text = ""
        self.remedy = QLineEdit()
        self.remedy.setPlaceholderText("Đã khắc phục thế nào? Ghi kết quả cụ thể")
        self.remedy.textChanged.connect(self._mark)
        layout = QVBoxLayout(self)
        layout.addWidget(self.previous)
        layout.addWidget(self.remedy)
        self.hide()

    def show_line(self, line: MemberLine, year: int) -> None:
        """Show *line*'s shortcomings of the year before *year*, or hide for a member who
        had none recorded."""
        if not line.previous_shortcomings.strip():
            self.remedy.setText(line.remedy)
            self.hide()
            return
        self.setTitle(f"Hạn chế năm {year - 1} — đã khắc phục?")
        text = " ".join(line.previous_shortcomings.split())
        self.previous.setToolTip(text)
        self._previous_text = text
        self._elide()
        self.remedy.setText(line.remedy)
        self._mark()
        self.show()

    def _elide(self) -> None:
        # One line cut to the label's real width (it follows the splitter and the zoom).
        width = max(self.previous.width(), 40)
        self.previous.setText(
            self.previous.fontMetrics().elidedText(
                self._previous_text, Qt.TextElideMode.ElideRight, width
            )
        )

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def value(self) -> str:
        return self.remedy.text().strip()

    def _mark(self) -> None:
        self.remedy.setStyleSheet("" if self.value() else MISSING_STYLE)
