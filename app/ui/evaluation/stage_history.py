"""A member's evaluation through every stage, year by year: what they
proposed for themselves, what the vote gave (with its share), what the cell proposed, what
the commune decided, with who wrote each and when, and the reason of a low level. Each stage
keeps its own value, so the dialog shows where a level changed and by whom."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.formatting import format_date
from app.services.procedure.stages import Stage, YearStages

COLUMNS = ["Năm / bước", "Mức", "Chi tiết", "Người ghi", "Thời điểm"]
CHANGED = QColor("#8a4b00")  # a level other than the stage before it


def _when(stage: Stage) -> str:
    return f"{stage.when:%H:%M} {format_date(stage.when.date())}" if stage.when else ""


class StageHistoryDialog(QDialog):
    def __init__(self, name: str, years: list[YearStages], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"Các bước đánh giá — {name}")
        self.years = years
        heading = QLabel(
            f"<b>{name}</b>: mỗi bước giữ mức của riêng nó, không bước nào ghi đè bước trước. "
            "Mức khác với bước liền trước được tô màu."
        )
        heading.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(COLUMNS)
        self.tree.setRootIsDecorated(True)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((240, 80, 260, 150)):
            self.tree.setColumnWidth(column, width)
        header.setStretchLastSection(True)
        self._fill()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.tree, 1)
        layout.addWidget(buttons)
        self.resize(900, 520)

    def _fill(self) -> None:
        if not self.years:
            self.tree.addTopLevelItem(QTreeWidgetItem(["Chưa có kỳ đánh giá nào xếp loại"]))
            return
        for number, year in enumerate(self.years):
            top = QTreeWidgetItem([f"Năm {year.year} — {year.cell_name} — {year.ruleset_name}"])
            font = QFont(top.font(0))
            font.setBold(True)
            top.setFont(0, font)
            self.tree.addTopLevelItem(top)
            top.setFirstColumnSpanned(True)  # the year's line reads across the whole width
            previous: str | None = None
            for stage in year.row.stages:
                if stage.key == "province":
                    continue  # the province decides the commune's own level, not a member's
                item = QTreeWidgetItem(
                    top, [stage.label, stage.level or "—", stage.detail, stage.who, _when(stage)]
                )
                if stage.detail:
                    item.setToolTip(2, stage.detail)  # a long note is elided in its column
                if stage.level and previous and stage.level != previous:
                    item.setForeground(1, CHANGED)
                    bold = QFont(item.font(1))
                    bold.setBold(True)
                    item.setFont(1, bold)
                previous = stage.level or previous
            if year.row.low_reason_text:
                # The reason's words where a person reads; its code only on hover.
                reason = QTreeWidgetItem(top, ["Lý do mức thấp", "", year.row.low_reason_text])
                reason.setToolTip(2, f"Mã trong bộ quy tắc: {year.row.low_reason}")
            top.setExpanded(number == 0 or year.row.differs)

    def stage_texts(self, year: int) -> dict[str, tuple[str, ...]]:
        """{stage label: the row's texts} of one year, as the user reads them."""
        for index in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(index)
            if top.text(0).startswith(f"Năm {year} "):
                return {
                    top.child(i).text(0): tuple(top.child(i).text(c) for c in range(len(COLUMNS)))
                    for i in range(top.childCount())
                }
        return {}
