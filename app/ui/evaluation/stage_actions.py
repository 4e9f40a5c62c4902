"""Two actions of the appraisal page about stages: a member's stages over
the years, and the superior's decision on the commune's own level (the provincial standing
committee decides it), recorded as a stage of its own when it arrives."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.formatting import DateFormatError
from app.services.common.errors import ServiceError
from app.services.database import Database, StoreError
from app.services.procedure import stages
from app.services.procedure.commune_review import Kind
from app.services.procedure.stages import ProvinceDecision, StageRow
from app.ui.common import ask
from app.ui.common.widgets import DateField
from app.ui.evaluation.stage_history import StageHistoryDialog

RunDialog = Callable[[QDialog], bool]
NO_DECISION = "(chưa có quyết định)"


class ProvinceDecisionDialog(QDialog):
    """The level the superior decided for the commune, the date of its decision and a note."""

    def __init__(
        self,
        name: str,
        levels: Sequence[tuple[str, str]],
        current: ProvinceDecision,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Quyết định của cấp trên — {name}")
        intro = QLabel(
            f"Mức xếp loại của <b>{name}</b> do Ban Thường vụ cấp trên (tỉnh ủy) quyết định. Ghi "
            "lại quyết định khi nhận được; mức này là một bước riêng, không ghi đè mức đảng ủy "
            "đã tự đánh giá."
        )
        intro.setWordWrap(True)
        self.level = QComboBox()
        self.level.addItem(NO_DECISION, None)
        for code, label in levels:
            self.level.addItem(label, code)
        self.level.setCurrentIndex(max(self.level.findData(current.level), 0))
        self.decided_on = DateField()
        self.decided_on.setDate(current.decided_on)
        self.note = QLineEdit(current.note)
        self.note.setPlaceholderText("Số, ký hiệu của quyết định hoặc thông báo (ví dụ: 125-QĐ/TU)")
        self.message = QLabel()
        self.message.setStyleSheet("color: #8e0000;")
        form = QFormLayout()
        form.addRow("Mức cấp trên quyết định", self.level)
        form.addRow("Ngày quyết định", self.decided_on)
        form.addRow("Ghi chú", self.note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton("Lưu", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(560, 240)

    def _accept(self) -> None:
        problem = self.decided_on.problem()
        if problem:
            self.message.setText(f"Ngày quyết định: {problem}")
            return
        self.accept()

    def values(self) -> tuple[str | None, dt.date | None, str]:
        try:
            on = self.decided_on.date()
        except DateFormatError:
            on = None
        return self.level.currentData(), on, self.note.text()


def vote_text(level: str | None, detail: str) -> str:
    """ "HTTNV 7/9 (77,78%)": the vote's level and share in the appraisal's column (its header
    says they are ballots); the full "7/9 phiếu (77,78%)" is the cell's tooltip."""
    if not level:
        return ""
    return f"{level} {detail.replace(' phiếu', '')}".strip()


def commune_item(name: str, staged: StageRow, columns: Sequence[str]) -> QTreeWidgetItem:
    """The appraisal tree's line for the commune's own organisation: its stages, the
    province's decision in its own column (*columns* are the tree's headers)."""
    vote = staged.stage("vote")
    values = {
        "Tự nhận": staged.level("self") or "",
        "Biểu quyết": vote_text(vote.level, vote.detail) if vote else "",
        "Chi bộ đề xuất": staged.level("proposed") or "",
        "Đảng ủy quyết định": staged.level("decided") or "",
        "Lý do": staged.low_reason_text,  # the words; the code is for the tooltip
        "Tỉnh ủy quyết định": staged.level("province") or "",
    }
    item = QTreeWidgetItem(
        [f"{name} — cấp trên quyết định", *(values.get(c, "") for c in columns[1:])]
    )
    if vote and vote.level:
        item.setToolTip(list(columns).index("Biểu quyết"), f"{vote.level}: {vote.detail}")
    province = staged.stage("province")
    if province and (province.detail or province.when):
        when = f" (ghi lúc {province.when:%H:%M %d/%m/%Y})" if province.when else ""
        item.setToolTip(list(columns).index("Tỉnh ủy quyết định"), province.detail + when)
    item.setToolTip(0, f"{name}: mức xếp loại của đảng bộ xã do Ban Thường vụ tỉnh ủy quyết định.")
    if staged.low_reason:
        item.setToolTip(
            list(columns).index("Lý do"),
            f"{staged.low_reason_text} (mã {staged.low_reason} trong bộ quy tắc)",
        )
    font = item.font(0)
    font.setItalic(True)
    item.setFont(0, font)
    return item


def open_history(
    run_dialog: RunDialog, parent: QWidget, db: Database, member_id: int, name: str
) -> StageHistoryDialog:
    dialog = StageHistoryDialog(name, stages.member_history(db, member_id), parent)
    run_dialog(dialog)
    return dialog


def record_province(
    run_dialog: RunDialog,
    parent: QWidget,
    db: Database,
    year: int,
    org_id: int,
    name: str,
    levels: Sequence[tuple[str, str]],
    actor: str,
    kind: Kind = "org",
) -> bool:
    """Ask for the superior's decision on the organisation (or, *kind* "collective", its
    standing committee) and record it; True when something was saved."""
    current = stages.province_decision(db, year, org_id, kind)
    dialog = ProvinceDecisionDialog(name, levels, current, parent)
    if not run_dialog(dialog):
        return False
    level, on, note = dialog.values()
    try:
        stages.record_province_decision(db, year, org_id, level, note, on, actor, kind)
    except (ServiceError, StoreError) as error:
        ask.warn(parent, "Chưa ghi được quyết định của cấp trên", str(error))
        return False
    return True
