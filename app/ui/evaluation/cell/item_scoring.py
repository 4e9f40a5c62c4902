"""Scoring item by item on the self-review step (issue 24), where the period has a criteria
set: the row above the grid with the current member's item scores and "Chấm từng mục…"
(Ctrl+M), the same button for the cell's own assessment, and the typed totals that became the
items' sums (read-only, saying so). Without a criteria set all of it stays hidden and the
totals are typed as before."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from app.domain.criteria import points_text
from app.domain.formatting import format_decimal
from app.domain.rules import Subject
from app.services.common.errors import ServiceError
from app.services.database import Database
from app.services.periods import criteria_sets
from app.services.procedure import item_scores
from app.services.procedure.item_scores import ItemSheet
from app.services.procedure.view import CellView, MemberLine
from app.ui.evaluation.cell.item_checklist import ItemChecklistDialog, stage_choices
from app.ui.roster.own_record import guarded

if TYPE_CHECKING:
    from app.ui.evaluation.cell.host import CellHost

SHORTCUT = "Ctrl+M"  # "chấm từng Mục"
FROM_ITEMS_TIP = (
    "Điểm này là tổng của các mục đã chấm theo bộ tiêu chí của kỳ đánh giá; sửa điểm từng "
    f"mục bằng nút “Chấm từng mục…” ({SHORTCUT}), không nhập tổng."
)


def sheet_or_none(
    db: Database, year: int, subject: Subject, stage: str = "self"
) -> ItemSheet | None:
    """*subject*'s sheet at *stage*, or None when the period's set has none for it."""
    try:
        return item_scores.item_sheet(db, year, subject, stage)
    except ServiceError:
        return None


def sheet_words(sheet: ItemSheet | None) -> str:
    """A sheet in a few words: "90/100 điểm", "đã chấm 3/5 mục", "chưa chấm"."""
    if sheet is None or not sheet.entered:
        return "chưa chấm"
    if sheet.total is not None:
        return f"{points_text(sheet.total)}/{points_text(sheet.maximum)} điểm"
    return f"đã chấm {sheet.entered}/{len(sheet.lines)} mục"


class ItemScoring(QWidget):
    """The row above the self-review grid (shown where the period has a criteria set), and
    what the page asks about item scores. ``cell_button`` goes in the cell's own box."""

    def __init__(
        self, host: CellHost, page: QWidget, selected: Callable[[], MemberLine | None]
    ) -> None:
        super().__init__()
        self.host, self.page, self.selected = host, page, selected
        self.view: CellView | None = None
        self.criteria_name: str | None = None
        self.scored: dict[Subject, ItemSheet] = {}  # the self-assessments scored by items
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.button = QPushButton("Chấm từng mục…")
        self.button.setToolTip(f"Chấm điểm từng mục theo bộ tiêu chí của kỳ đánh giá ({SHORTCUT})")
        self.button.clicked.connect(lambda: self.open())
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.button)
        self.cell_button = QPushButton("Chấm từng mục…")
        self.cell_button.setToolTip("Chi bộ tự chấm điểm từng mục theo bộ tiêu chí của kỳ")
        self.cell_button.clicked.connect(lambda: self.open(cell=True))
        self.hide()
        self.cell_button.hide()
        shortcut = QShortcut(QKeySequence(SHORTCUT), page)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(lambda: self.open())

    # ---- reading -----------------------------------------------------------------------
    def read(self, view: CellView) -> None:
        """The period's criteria set, and which self-assessments are scored item by item."""
        self.view = view
        kept = criteria_sets.period_criteria(self.host.db, view.year)
        self.criteria_name = kept.criteria.name if kept is not None else None
        self.cell_button.setVisible(kept is not None)
        if kept is None:
            self.scored = {}
            self.hide()
            return
        subjects = [m.subject for m in view.members if m.evaluated] + [view.cell.subject]
        self.scored = item_scores.entered_sheets(self.host.db, view.year, subjects)

    def by_items(self, subject: Subject) -> bool:
        """*subject*'s totals are the sums of its items (not typed)."""
        return subject in self.scored

    def typed(self, line: MemberLine) -> bool:
        """The member's totals are typed in the grid."""
        return line.evaluated and not self.by_items(line.subject)

    def shown(self, line: MemberLine, value: float | None) -> int | str | None:
        """A total in the grid: typed, a whole number; the items' sum, as it is (7,5 too)."""
        if value is None:
            return None
        return format_decimal(value, 2) if self.by_items(line.subject) else int(value)

    def tip(self, line: MemberLine) -> str:
        return FROM_ITEMS_TIP if self.by_items(line.subject) else ""

    def show_member(self, line: MemberLine | None) -> None:
        """The current member's item scores at each stage."""
        self.setVisible(self.criteria_name is not None)
        self.button.setEnabled(line is not None and line.evaluated)
        if self.criteria_name is None or self.view is None:
            return
        if line is None or not line.evaluated:
            self.text.setText(
                f"Chấm điểm từng mục theo “{self.criteria_name}”: chọn một đảng viên được xếp "
                "loại trong bảng."
            )
            return
        own = sheet_words(self.scored.get(line.subject))
        text = f"{line.full_name} — chấm từng mục: tự chấm {own}"
        if self.view.collective is not None:
            chi_uy = sheet_or_none(self.host.db, self.view.year, line.subject, "chi_uy")
            text += f"; chi ủy chấm {sheet_words(chi_uy)}"
        self.text.setText(text + ".")
        self.text.setToolTip(f"Bộ tiêu chí của kỳ đánh giá: {self.criteria_name}")

    # ---- the checklist -----------------------------------------------------------------
    def open(self, cell: bool = False) -> None:
        """The checklist of the current member (Ctrl+M), or of the cell itself; read-only
        once the cell is submitted or decided."""
        view = self.view
        if view is None or self.criteria_name is None:
            return
        if cell:
            subject, name, member_id = view.cell.subject, view.cell.name, None
            editable = view.editable and view.cell.evaluated
        else:
            line = self.selected()
            if line is None or not line.evaluated:
                self.host.tell("Chọn một đảng viên được xếp loại trong bảng để chấm từng mục.")
                return
            subject, name, member_id = line.subject, line.full_name, line.member_id
            editable = view.editable
        year = view.year

        def guard(save: Callable[[], object]) -> Callable[[], object]:
            # The operator's own record asks first, as its other saves do.
            if member_id is None:
                return save
            return guarded(self.host, year, member_id, "điểm chấm từng mục", save)

        try:
            dialog = ItemChecklistDialog(
                self.host.db, year, subject, name, self.host.actor,
                stages=stage_choices(subject, view.collective is not None),
                editable=editable, guard=guard, parent=self.page,
            )  # fmt: skip
        except ServiceError as error:
            self.host.tell(str(error))
            return
        accepted = self.host.run_dialog(dialog)
        dialog.deleteLater()
        if not accepted or dialog.saved_stage is None:
            return
        stage, before, db, actor = dialog.saved_stage, dialog.before, self.host.db, self.host.actor
        # The dialog saved already (a refusal stays in it, beside the items); the host records
        # how to take it back (Ctrl+Z), says it is saved and shows the new sums.
        self.host.run(
            lambda: None,
            undo=guard(
                lambda: item_scores.enter_item_scores(db, year, subject, stage, before, actor())
            ),
            label=f"điểm chấm từng mục của {name}",
        )
