"""Quarterly ratings on the self-review step (issue 24): the line in the member's box with the
year drawn from the quarters, and "Đánh giá theo quý…" (Alt+Q), a small keyboard-first form of
the four quarters — the member's own points and level, the superior's, a note — that shows the
year's result with its rule in words as the user types. Ctrl+Enter saves it whole through
``quarters.enter_quarters``; a refusal (naming the quarter) stays in the form, nothing written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.quarters import QUARTER_NAMES, QUARTERS, QuarterRating
from app.services.common.errors import ServiceError
from app.services.database import Database
from app.services.procedure import quarters
from app.services.procedure.quarters import QuarterSheet
from app.services.procedure.view import CellView, MemberLine
from app.ui.common.form_dialog import GuardedDialog
from app.ui.common.widgets import fit_to_screen
from app.ui.roster.own_record import guarded

if TYPE_CHECKING:
    from app.ui.evaluation.cell.host import CellHost

SaveGuard = Callable[[Callable[[], object]], Callable[[], object]]
SAVE_KEYS = ("Ctrl+Return", "Ctrl+Enter")
SHORTCUT = "Alt+Q"  # "theo Quý"
NO_SCORE = -1.0  # the spin box's "chưa có"
VIETNAMESE = QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam)


class QuarterRow:
    """The spin boxes, level boxes and note of one quarter in the form."""

    def __init__(self, quarter: int, sheet: QuarterSheet) -> None:
        self.quarter = quarter
        top = sheet.score_max or 100.0
        self.self_score = _score_box(top)
        self.self_level = _level_box(sheet)
        self.superior_score = _score_box(top)
        self.superior_level = _level_box(sheet)
        self.note = QLineEdit()
        self.note.setPlaceholderText("Ghi chú")
        self.note.setMinimumWidth(220)
        name = QUARTER_NAMES[quarter]
        for widget, what in (
            (self.self_score, "điểm tự chấm"),
            (self.self_level, "mức tự xếp loại"),
            (self.superior_score, "điểm cấp trên chấm"),
            (self.superior_level, "mức cấp trên xếp loại"),
            (self.note, "ghi chú"),
        ):
            widget.setAccessibleName(f"{name}: {what}")
            widget.setToolTip(f"{name}: {what}")

    def widgets(self) -> list[QWidget]:
        return [self.self_score, self.self_level, self.superior_score, self.superior_level,
                self.note]  # fmt: skip

    def show(self, rating: QuarterRating) -> None:
        self.self_score.setValue(NO_SCORE if rating.self_score is None else rating.self_score)
        _choose(self.self_level, rating.self_level)
        self.superior_score.setValue(
            NO_SCORE if rating.superior_score is None else rating.superior_score
        )
        _choose(self.superior_level, rating.superior_level)
        self.note.setText(rating.note)

    def rating(self) -> QuarterRating:
        return QuarterRating(
            self.quarter,
            self_score=_score(self.self_score),
            self_level=self.self_level.currentData(),
            superior_score=_score(self.superior_score),
            superior_level=self.superior_level.currentData(),
            note=self.note.text().strip(),
        )


def _score_box(top: float) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setLocale(VIETNAMESE)  # 87,5 with a comma, as every figure the app prints
    box.setRange(NO_SCORE, top)
    box.setDecimals(1)
    box.setSpecialValueText("chưa có")
    box.setValue(NO_SCORE)
    box.setButtonSymbols(QDoubleSpinBox.ButtonSymbols.NoButtons)
    box.setMinimumWidth(72)
    return box


def _score(box: QDoubleSpinBox) -> float | None:
    return None if box.value() <= NO_SCORE else round(box.value(), 1)


def _level_box(sheet: QuarterSheet) -> QComboBox:
    box = QComboBox()
    box.addItem("chưa có", None)
    for code, name in sheet.levels:
        box.addItem(code, code)
        box.setItemData(box.count() - 1, name, Qt.ItemDataRole.ToolTipRole)
    return box


def _choose(box: QComboBox, code: str | None) -> None:
    box.setCurrentIndex(max(box.findData(code), 0))


class QuarterDialog(GuardedDialog):
    """A member's four quarters of the year. ``saved`` holds the sheet once saved; ``before``
    the ratings it had when the form opened (what Ctrl+Z on the page puts back)."""

    def __init__(
        self,
        db: Database,
        year: int,
        member_id: int,
        actor: Callable[[], str],
        *,
        editable: bool = True,
        guard: SaveGuard | None = None,
        parent: QWidget | None = None,
    ) -> None:
        sheet = quarters.quarter_sheet(db, year, member_id)  # a refusal leaves no dialog
        super().__init__(parent)
        self.db, self.year, self.member_id, self.actor = db, year, member_id, actor
        self.sheet = sheet
        self.guard: SaveGuard = guard or (lambda save: save)
        self.saved: QuarterSheet | None = None
        self.before = [r for r in sheet.ratings if not r.empty or r.note]
        self.setWindowTitle(f"Đánh giá theo quý — {sheet.full_name}")
        heading = QLabel(
            f"<b>{sheet.full_name}</b> · đánh giá, xếp loại theo quý năm {year}"
            + (f" · điểm tối đa {sheet.score_max:g}" if sheet.score_max else "")
        )
        heading.setWordWrap(True)
        rule = QLabel(
            "Cách tính kết quả năm (bộ quy tắc của kỳ): "
            + (sheet.rule.words() if sheet.rule else "không đánh giá theo quý")
            + "."
        )
        rule.setWordWrap(True)
        hint = QLabel(
            "Gõ điểm rồi Tab sang ô kế tiếp; ô mức xếp loại: mũi tên lên/xuống hoặc gõ chữ đầu "
            "của mã mức. Bỏ một điểm đã gõ: gõ -1 (ô trở về “chưa có”). Ctrl+Enter: lưu."
        )
        hint.setWordWrap(True)
        legend = QLabel("Mức: " + "; ".join(f"{code} — {name}" for code, name in sheet.levels))
        legend.setWordWrap(True)
        table = QGridLayout()
        for column, title in enumerate(
            ("", "Tự chấm (điểm)", "Tự xếp loại", "Cấp trên chấm (điểm)", "Cấp trên xếp loại",
             "Ghi chú")
        ):  # fmt: skip
            label = QLabel(f"<b>{title}</b>")
            table.addWidget(label, 0, column)
        self.rows = [QuarterRow(q, sheet) for q in QUARTERS]
        for row_number, (row, rating) in enumerate(zip(self.rows, sheet.ratings, strict=True), 1):
            name = QLabel(QUARTER_NAMES[row.quarter])
            name.setBuddy(row.self_score)
            table.addWidget(name, row_number, 0)
            for column, widget in enumerate(row.widgets(), 1):
                table.addWidget(widget, row_number, column)
                if isinstance(widget, QDoubleSpinBox):
                    widget.setVisible(sheet.score_max is not None)
            row.show(rating)
        table.setColumnStretch(5, 1)
        self.year_result = QLabel()
        self.year_result.setWordWrap(True)
        self.year_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b71c1c;")
        self.problem.hide()
        self.save_button = QPushButton("Lưu")
        self.save_button.setToolTip("Lưu kết quả bốn quý và đóng (Ctrl+Enter)")
        self.save_button.clicked.connect(self.save)
        close = QPushButton("Đóng")
        close.clicked.connect(self.reject)
        for button in (self.save_button, close):
            button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(rule)
        layout.addWidget(hint)
        layout.addWidget(legend)
        layout.addLayout(table)
        layout.addWidget(self.year_result)
        layout.addWidget(self.problem)
        layout.addStretch(1)
        layout.addLayout(buttons)
        fields = [w for row in self.rows for w in row.widgets()]
        for field in fields:
            field.setEnabled(editable)
            if isinstance(field, QDoubleSpinBox):
                field.valueChanged.connect(self._show_result)
            elif isinstance(field, QComboBox):
                field.currentIndexChanged.connect(self._show_result)
        self.save_button.setEnabled(editable)
        for key in SAVE_KEYS:
            QShortcut(QKeySequence(key), self).activated.connect(self.save)
        self.watch(fields)
        self._show_result()
        self.resize(980, 420)
        fit_to_screen(self)
        first = self.rows[0].self_score if sheet.score_max is not None else self.rows[0].self_level
        first.setFocus()
        if isinstance(first, QDoubleSpinBox):
            first.selectAll()  # a figure typed replaces "chưa có" (Tab selects by itself)

    def ratings(self) -> list[QuarterRating]:
        return [row.rating() for row in self.rows]

    def _show_result(self) -> None:
        derived = self.sheet.derive(self.ratings())
        self.year_result.setText(derived.words if derived is not None else "")

    def save(self) -> None:
        if not self.save_button.isEnabled():
            return
        ratings = self.ratings()

        def saving() -> object:
            return quarters.enter_quarters(
                self.db, self.year, self.member_id, ratings, self.actor()
            )

        try:
            saved = self.guard(saving)()
        except ServiceError as error:
            self.problem.setText(f"Chưa lưu: {error}")
            self.problem.show()
            return
        if saved is None:  # the operator's own record: they chose not to save
            return
        assert isinstance(saved, QuarterSheet)
        self.saved = saved
        self.mark_clean()
        self.accept()


class QuarterlyLine(QWidget):
    """The member box's line: the year drawn from the current member's quarters, and the
    button that opens the form. Hidden where the period's rule set does not rate by quarter."""

    def __init__(self, host: CellHost, page: QWidget) -> None:
        super().__init__()
        self.host, self.page = host, page
        self.view: CellView | None = None
        self.line: MemberLine | None = None
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.button = QPushButton("Đánh giá theo quý…")
        self.button.setToolTip(
            f"Nhập kết quả tự đánh giá và cấp trên đánh giá của bốn quý ({SHORTCUT})"
        )
        self.button.clicked.connect(self.open)
        # A shortcut rather than a mnemonic: a mnemonic "animates" the click, opening the form
        # a moment later, after keys typed meanwhile went to the page.
        shortcut = QShortcut(QKeySequence(SHORTCUT), page)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.open)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.text)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignLeft)

    def show_member(self, view: CellView, line: MemberLine | None) -> None:
        self.view, self.line = view, line
        rated = quarters.rates_quarterly(view.ruleset)
        self.setVisible(rated)
        if not rated:
            return
        self.button.setEnabled(line is not None and line.evaluated)
        if line is None or not line.evaluated:
            self.text.setText("Theo quý: chọn một đảng viên được xếp loại.")
        elif line.quarterly:
            self.text.setText(line.quarterly)
        elif not line.rated_quarterly:
            self.text.setText("Theo quý: đồng chí này không thuộc diện đánh giá theo quý.")
        else:
            self.text.setText("Theo quý: chưa nhập kết quả quý nào.")

    def open(self) -> None:
        view, line = self.view, self.line
        if view is None or line is None or not line.evaluated:
            self.host.tell("Chọn một đảng viên được xếp loại trong bảng để nhập kết quả theo quý.")
            return
        year, member_id = view.year, line.member_id
        guard: SaveGuard = lambda save: guarded(  # noqa: E731
            self.host, year, member_id, "kết quả đánh giá theo quý", save
        )
        try:
            dialog = QuarterDialog(
                self.host.db, year, member_id, self.host.actor,
                editable=view.editable, guard=guard, parent=self.page,
            )  # fmt: skip
        except ServiceError as error:
            self.host.tell(str(error))
            return
        if not dialog.sheet.applies:
            self.host.tell(dialog.sheet.not_applied_reason)
            dialog.deleteLater()
            return
        accepted = self.host.run_dialog(dialog)
        dialog.deleteLater()
        if not accepted or dialog.saved is None:
            return
        before, db, actor = dialog.before, self.host.db, self.host.actor
        # Saved already; the host records how to take it back (Ctrl+Z) and refreshes.
        self.host.run(
            lambda: None,
            undo=guard(lambda: quarters.enter_quarters(db, year, member_id, before, actor())),
            label=f"kết quả đánh giá theo quý của {line.full_name}",
        )
