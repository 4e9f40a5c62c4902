"""Choosing the criteria set a period scores by (issue 24): one of the sets that fit the
period's rule set (the province's copies first, then the shipped ones), or none — the two
sub-scores typed in as totals, as before. From the board ("Bộ tiêu chí…") and in the
new-period wizard. On the board, "Sao chép để sửa…" makes a province's copy of the set shown
and "Sửa…" edits a province's copy (``criteria_editor``)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.criteria import CriteriaSet
from app.domain.rules import RuleSet
from app.services.common.errors import ServiceError
from app.services.database import Database
from app.services.periods import criteria_sets
from app.services.periods import lifecycle as periods
from app.services.procedure import item_scores
from app.ui.common import ask
from app.ui.evaluation.criteria_editor import CriteriaEditorDialog

NONE_TEXT = "Không dùng — nhập tổng điểm"
NONE_DESCRIPTION = (
    "Điểm tự chấm được nhập dưới dạng hai tổng điểm: tiêu chí chung và kết quả thực hiện nhiệm vụ."
)


def choice_label(choice: criteria_sets.CriteriaChoice) -> str:
    whose = "của tỉnh" if choice.province else "có sẵn"
    return f"{choice.name} ({whose}, độ tin cậy: {choice.confidence})"


def choice_description(choice: criteria_sets.CriteriaChoice | None) -> str:
    """What choosing it means, in a sentence or two (plain text)."""
    if choice is None:
        return NONE_DESCRIPTION
    years = f"từ năm {choice.first_year}" + (
        f" đến năm {choice.last_year}" if choice.last_year else ""
    )
    text = f"Chấm điểm từng mục theo “{choice.name}” (mã {choice.id}), áp dụng {years}."
    if choice.based_on:
        text += f" Bản của tỉnh, thay cho “{choice.based_on}”."
    if choice.citation:
        text += f" Căn cứ: {choice.citation}."
    if choice.mismatches:
        text += " Không dùng được với bộ quy tắc của kỳ: " + " ".join(choice.mismatches)
    return text


def fill(
    combo: QComboBox,
    listing: criteria_sets.CriteriaListing,
    current: str | None,
    kept: str | None = None,
) -> None:
    """*combo* lists "none" and every set of *listing* (item data: the set's id, None for
    "none"); a set that does not fit the rule set is shown, greyed, with why as its tooltip.
    *kept* names the set the period keeps, listed too when the listing no longer offers it
    (a province's copy stands in for it now, or its file is gone)."""
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(NONE_TEXT, None)
    if current is not None and all(c.id != current for c in listing.choices):
        combo.addItem(f"{kept or current} (bản lưu cùng kỳ đánh giá)", current)
    model = combo.model()
    for choice in listing.choices:
        combo.addItem(choice_label(choice), choice.id)
        index = combo.count() - 1
        combo.setItemData(index, choice_description(choice), Qt.ItemDataRole.ToolTipRole)
        if not choice.usable and isinstance(model, QStandardItemModel):
            item = model.item(index)
            if item is not None:
                item.setEnabled(False)
    combo.setCurrentIndex(max(combo.findData(current), 0))
    combo.blockSignals(False)


def chosen(
    combo: QComboBox, listing: criteria_sets.CriteriaListing
) -> criteria_sets.CriteriaChoice | None:
    value = combo.currentData()
    return next((c for c in listing.choices if c.id == value), None)


class CriteriaDialog(QDialog):
    """Bảng theo dõi → "Bộ tiêu chí…": the criteria set of the period shown."""

    def __init__(
        self, db: Database, year: int, actor: Callable[[], str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.db, self.year, self.actor = db, year, actor
        self.saved = False
        self.setWindowTitle(f"Bộ tiêu chí chấm điểm năm {year}")
        ruleset: RuleSet = periods.ruleset_of(db, year)
        kept = criteria_sets.period_criteria(db, year)
        self.ruleset = ruleset
        self.kept = kept.criteria if kept is not None else None
        self.current = kept.criteria.id if kept is not None else None
        self.kept_name = kept.criteria.name if kept is not None else None
        self.listing = criteria_sets.available(year, ruleset)
        intro = QLabel(
            f"Kỳ đánh giá năm {year} xếp loại theo “{ruleset.name}”. Chọn bộ tiêu chí để chấm "
            "điểm từng mục ở bước tự kiểm điểm (và khi chi ủy chấm điểm đảng viên): điểm tiêu "
            "chí chung và điểm kết quả thực hiện nhiệm vụ là tổng của các mục. Bộ tiêu chí "
            "được lưu cùng kỳ đánh giá; sửa tệp sau này không làm đổi điểm đã chấm, trừ khi "
            "chọn lại bộ đó ở đây."
        )
        intro.setWordWrap(True)
        self.combo = QComboBox()
        fill(self.combo, self.listing, self.current, self.kept_name)
        self.combo.currentIndexChanged.connect(self._describe)
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.errors = QLabel()
        self.errors.setWordWrap(True)
        self.errors.setStyleSheet("background: #fff4ce; padding: 6px;")
        self.errors.setText(
            "Không đọc được một số tệp bộ tiêu chí (đã bỏ qua):\n" + "\n".join(self.listing.errors)
        )
        self.errors.setVisible(bool(self.listing.errors))
        form = QFormLayout()
        form.addRow("Bộ tiêu chí chấm điểm", self.combo)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.copy_button = QPushButton("Sao chép để sửa…")
        self.copy_button.setToolTip(
            "Chép bộ tiêu chí đang chọn thành bản của tỉnh, rồi sửa các mục, điểm và cách chấm"
        )
        self.copy_button.clicked.connect(self.copy_current)
        self.edit_button = QPushButton("Sửa…")
        self.edit_button.setToolTip("Sửa bản của tỉnh đang chọn (bộ có sẵn thì sao chép để sửa)")
        self.edit_button.clicked.connect(self.edit_current)
        for button in (self.copy_button, self.edit_button):
            button.setAutoDefault(False)
        row = QHBoxLayout()
        row.addWidget(self.copy_button)
        row.addWidget(self.edit_button)
        row.addStretch(1)
        row.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.description)
        layout.addWidget(self.errors)
        layout.addStretch(1)
        layout.addLayout(row)
        self.resize(720, 340)
        self._describe()

    def _describe(self) -> None:
        choice = chosen(self.combo, self.listing)
        self.copy_button.setEnabled(self.shown_set() is not None)
        self.edit_button.setEnabled(choice is not None and choice.province)
        if self.combo.currentData() is not None and choice is None:
            self.description.setText(
                f"Kỳ đánh giá đang chấm theo bản “{self.kept_name}” lưu cùng kỳ; bộ này không "
                "còn trong danh sách (đã có bản của tỉnh thay thế, hoặc tệp đã bị xóa). Giữ "
                "nguyên, hoặc chọn bộ khác."
            )
            return
        self.description.setText(choice_description(chosen(self.combo, self.listing)))

    def shown_set(self) -> CriteriaSet | None:
        """The set the list shows: one of the listing's, or the period's own copy."""
        criteria_id = self.combo.currentData()
        if criteria_id is None:
            return None
        if chosen(self.combo, self.listing) is None:
            return self.kept
        return criteria_sets.catalog().get(criteria_id)

    def copy_current(self) -> None:
        shown = self.shown_set()
        if shown is not None:
            self._edit(CriteriaEditorDialog(shown, copy=True, parent=self))

    def edit_current(self) -> None:
        choice = chosen(self.combo, self.listing)
        shown = self.shown_set()
        if choice is not None and choice.province and shown is not None:
            self._edit(CriteriaEditorDialog(shown, copy=False, parent=self))

    def _edit(self, dialog: CriteriaEditorDialog) -> None:
        """Run the editor; once it saved, list the sets again with the saved one shown (saving
        here then chooses it, with its new text, for the period)."""
        if not self.run(dialog) or dialog.saved is None:
            return
        saved = dialog.saved
        self.listing = criteria_sets.available(self.year, self.ruleset)
        fill(self.combo, self.listing, self.current, self.kept_name)
        self.combo.setCurrentIndex(max(self.combo.findData(saved.id), 0))
        self._describe()
        if saved.id == self.current:
            note = (
                f" Kỳ đánh giá năm {self.year} vẫn chấm theo nội dung đã lưu cùng kỳ; bấm "
                "“Lưu” để chấm theo nội dung vừa sửa."
            )
        else:
            note = f" Bấm “Lưu” để kỳ đánh giá năm {self.year} chấm theo bộ này."
        self.description.setText(f"Đã lưu “{saved.name}”." + note + " " + self.description.text())

    def run(self, dialog: QDialog) -> bool:
        """Show a form modally (tests replace this to fill it in)."""
        return bool(dialog.exec())

    def save(self) -> None:
        # The same set chosen again takes its file as edited since (the service says so); the
        # period's own copy, no longer listed, is kept as it is.
        criteria_id = self.combo.currentData()
        if criteria_id is not None and chosen(self.combo, self.listing) is None:
            self.accept()
            return
        try:
            item_scores.choose_criteria(self.db, self.year, criteria_id, self.actor())
        except ServiceError as error:
            ask.warn(self, "Không đổi được bộ tiêu chí chấm điểm", str(error))
            return
        self.saved = True
        self.accept()
