"""Choosing the reason for a low level: a combo of the rule set's reasons
the user may pick, each with its citation, shown when a proposal or a decision is HTNV or
worse and the rule engine does not already know why.

:func:`ask_reason` is what the pages call before saving; the dialog goes through the page's
``run_dialog`` so tests answer it like any other form.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from app.domain.rules import RuleSet, Subject
from app.domain.rules.low_reasons import reason, reason_text
from app.services.common.errors import ServiceError
from app.services.database import Database
from app.services.procedure import low_reason_choice
from app.services.procedure.low_reason_choice import ReasonQuestion

NO_REASON = "— Không ghi lý do —"
RunDialog = Callable[[QDialog], bool]


def fit_height(dialog: QDialog) -> None:
    """Make *dialog* tall enough for its wrapped labels at its width: ``adjustSize`` alone
    sizes a wrapped label for a guessed width, and a long reason or hint then overlaps the
    buttons."""
    dialog.adjustSize()
    layout = dialog.layout()
    if layout is not None and layout.hasHeightForWidth():
        needed = layout.totalHeightForWidth(dialog.width())
        dialog.resize(dialog.width(), max(dialog.height(), needed))


def _lower_first(text: str) -> str:
    """ "Bị kỷ luật trong năm" → "bị kỷ luật trong năm", to run on inside a sentence."""
    return text[:1].lower() + text[1:]


def reason_tooltip(rs: RuleSet, code: str) -> str:
    """ "Lý do: R1: Bị kỷ luật trong năm\nCăn cứ: …" for a recorded code; "" for none."""
    if not code:
        return ""
    found = reason(rs, code)
    tip = f"Lý do: {reason_text(rs, code)}"
    return tip + (f"\nCăn cứ: {found.citation}" if found and found.citation else "")


class ReasonPicker(QWidget):
    """The reason part of a form: the engine's reason when it knows one, else a combo."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.question: ReasonQuestion | None = None
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.combo = QComboBox()
        self.combo.currentIndexChanged.connect(lambda _i: self._show_citation())
        self.citation = QLabel()
        self.citation.setWordWrap(True)
        self.citation.setStyleSheet("color: #555555;")
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #555555;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.heading, self.combo, self.citation, self.hint):
            layout.addWidget(widget)

    def show_question(self, question: ReasonQuestion | None, current: str = "") -> None:
        self.question = question
        self.setVisible(question is not None)
        self.combo.clear()
        if question is None:
            return
        if question.automatic:
            self.heading.setText(
                f"Lý do mức {question.level}: <b>{question.automatic_text}</b> (chương trình "
                "xác định theo hồ sơ, không cần chọn)."
            )
            self.heading.setToolTip(f"Mã trong bộ quy tắc: {question.automatic}")
            for widget in (self.combo, self.citation, self.hint):
                widget.hide()
            return
        need = (
            f"{question.ruleset_name} yêu cầu ghi lý do khi xếp mức {question.level_name}."
            if question.required
            else f"Có thể ghi lý do xếp mức {question.level_name} (không bắt buộc)."
        )
        self.heading.setText(need)
        self.heading.setToolTip("")
        if not question.required:
            self.combo.addItem(NO_REASON, "")
        for choice in question.choices:
            # The words in the list; the rule set's code only on hover, for whoever
            # compares with the rule set's file.
            self.combo.addItem(choice.text, choice.code)
            self.combo.setItemData(
                self.combo.count() - 1,
                f"{choice.text} (mã {choice.code})\nCăn cứ: {choice.citation}",
                Qt.ItemDataRole.ToolTipRole,
            )
        index = self.combo.findData(current) if current else -1
        self.combo.setCurrentIndex(max(index, 0))
        engine = question.engine_texts
        self.hint.setText(
            "Các lý do sau chương trình tự ghi khi hồ sơ có căn cứ: "
            + "; ".join(_lower_first(text) for text in engine)
            + ". Nếu đúng là một lý do đó, hãy ghi vào hồ sơ đảng viên hoặc bản tự kiểm điểm."
            if engine
            else ""
        )
        self.hint.setToolTip(
            "Mã trong bộ quy tắc: " + ", ".join(question.engine_codes) if engine else ""
        )
        for widget in (self.combo, self.citation):
            widget.show()
        self.hint.setVisible(bool(engine))
        self._show_citation()

    def _show_citation(self) -> None:
        question = self.question
        code = self.combo.currentData()
        found = next((c for c in question.choices if c.code == code), None) if question else None
        self.citation.setText(f"Căn cứ: {found.citation}" if found and found.citation else "")
        # A long reason may be elided in the closed combo: the whole of it on hover.
        self.combo.setToolTip(f"{found.text} (mã {found.code})" if found else "")

    def chosen(self) -> str:
        """The code picked ("" for none, or when the engine fills it)."""
        if self.question is None or self.question.automatic:
            return ""
        return str(self.combo.currentData() or "")


class LowReasonDialog(QDialog):
    """Asked after a low level is chosen in the vote step's grid."""

    def __init__(self, question: ReasonQuestion, name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"Lý do xếp mức {question.level} — {name}")
        intro = QLabel(f"<b>{name}</b>: mức <b>{question.level_name}</b>.")
        intro.setWordWrap(True)
        self.picker = ReasonPicker()
        self.picker.show_question(question)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton("Ghi mức và lý do", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.picker)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.resize(560, 260)
        fit_height(self)

    def choose(self, code: str) -> None:
        """Pick *code* (for tests and keyboard users alike: the same as the combo)."""
        index = self.picker.combo.findData(code)
        if index < 0:
            raise ValueError(code)
        self.picker.combo.setCurrentIndex(index)

    def chosen(self) -> str:
        return self.picker.chosen()


def ask_reason(
    run_dialog: RunDialog,
    parent: QWidget | None,
    db: Database,
    year: int,
    subject: Subject,
    level: str | None,
    name: str,
) -> str | None:
    """The reason to save with *level*: "" when none is asked (not a low level, or the
    engine knows it, or the user left it out where it is optional), the code picked, or
    None when the user cancelled (then nothing is to be saved)."""
    try:
        question = low_reason_choice.question(db, year, subject, level)
    except ServiceError:
        return ""  # the save itself will say what is wrong
    if question is None or not question.asks:
        return ""
    dialog = LowReasonDialog(question, name, parent)
    if not run_dialog(dialog):
        return None
    return dialog.chosen()
