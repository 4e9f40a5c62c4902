"""The "Bức tranh xếp loại" tab: the committee's mirror.

It shows how the year's levels look — per cell against the commune and against the cell's
own past, the ceiling used to the last place, top levels year after year, members above
their own cell — each in a sentence. It informs; it never changes a level.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.formatting import format_int
from app.services.common.errors import NotFound
from app.services.database import Database
from app.services.summary import committee_view as mirror_service
from app.services.summary.committee_view import CellMirror, Mirror, share_text
from app.ui.common.charts import Bar, LevelChart, TrendChart, YearColumn
from app.ui.common.widgets import Remembered, remember_splitter

WEAK_ROW = QColor("#fdecea")
CELL_COLUMNS = [
    "Chi bộ", "Mức chi bộ", "XS", "Tốt", "HT", "KHT", "% XS (cả xã)", "% XS các năm trước",
    "Trần XS", "Cao hơn chi bộ", "Ghi chú",
]  # fmt: skip
STREAK_COLUMNS = ["Họ và tên", "Chi bộ", "Số năm liền", "Các năm"]


def _item(text: str, right: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    elif text:
        item.setToolTip(text)  # a name or a note cut with "…" in its column: whole on hover
    return item


def _table(columns: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(columns)
    table.verticalHeader().setVisible(False)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.horizontalHeader().setStretchLastSection(True)
    # One line a row, cut with "…": a wrapped note taller than its row lost its end unseen.
    table.setWordWrap(False)
    return table


def cell_note(c: CellMirror) -> str:
    parts = []
    if c.weak_despite_good:
        parts.append("mọi đảng viên HTTNV trở lên nhưng chi bộ chỉ " + c.level_name)
    elif c.all_good:
        parts.append("mọi đảng viên HTTNV trở lên")
    if c.ceiling_full:
        parts.append("dùng hết phần trần XS")
    return "; ".join(parts)


class CommitteeViewTab(QWidget):
    def __init__(
        self, db: Database, settings: Remembered | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.mirror: Mirror | None = None
        self.title = QLabel()
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.year = QComboBox()
        self.year.currentIndexChanged.connect(lambda _i: self._year_chosen())
        hint = QLabel(
            "Để đảng ủy tự soi kết quả xếp loại: chương trình chỉ nêu điều thấy được từ số "
            "liệu, không thay đổi mức của ai. Mức đọc theo quyết định của đảng ủy, chưa có thì "
            "theo đề xuất của chi bộ."
        )
        hint.setWordWrap(True)
        self.level_chart = LevelChart()
        self.trend_chart = TrendChart()
        charts = QHBoxLayout()
        charts.addWidget(self.level_chart, 1)
        charts.addWidget(self.trend_chart, 1)
        chart_box = QWidget()
        chart_box.setLayout(charts)
        self.notes = QListWidget()
        self.notes.setWordWrap(True)
        self.cells = _table(CELL_COLUMNS)
        self.streaks = _table(STREAK_COLUMNS)
        self.details = QTabWidget()
        self.details.addTab(self.cells, "Các chi bộ")
        self.details.addTab(self.streaks, "HTXSNV nhiều năm liền")
        lower = QSplitter(Qt.Orientation.Vertical)
        lower.addWidget(self.notes)
        lower.addWidget(self.details)
        lower.setSizes([200, 400])
        remember_splitter(lower, settings, "splitter_mirror")  # where the user left it
        self.lower = lower
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(QLabel("Năm:"))
        top.addWidget(self.year)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(hint)
        layout.addWidget(chart_box)
        layout.addWidget(QLabel("<b>Điều đáng xem</b>"))
        layout.addWidget(lower, 1)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()  # cheap, and the levels may have changed on another tab

    def refresh(self, year: int | None = None) -> None:
        chosen = year if year is not None else self.year.currentData()
        try:
            data = mirror_service.build(self.db, chosen)
        except NotFound:
            try:
                data = mirror_service.build(self.db)
            except NotFound:
                self._empty()
                return
        self.mirror = data
        self.year.blockSignals(True)
        self.year.clear()
        for y in reversed(data.years):
            self.year.addItem(str(y), y)
        self.year.setCurrentIndex(max(self.year.findData(data.year), 0))
        self.year.blockSignals(False)
        self._show(data)

    def _year_chosen(self) -> None:
        year = self.year.currentData()
        if year is not None and (self.mirror is None or self.mirror.year != year):
            self.refresh(year)

    def _empty(self) -> None:
        self.mirror = None
        self.title.setText("Bức tranh xếp loại — chưa có kỳ đánh giá nào")
        self.notes.clear()
        self.cells.setRowCount(0)
        self.streaks.setRowCount(0)

    def _show(self, m: Mirror) -> None:
        self.title.setText(f"Bức tranh xếp loại năm {m.year} — {m.commune_name}")
        labels = list(m.level_labels)
        previous = dict(m.history).get(m.year - 1)
        self.level_chart.set_data(
            f"Toàn đảng bộ năm {m.year}",
            [
                Bar(
                    label,
                    count,
                    share_text(count, sum(m.counts)),
                    previous[i] if previous else None,
                )
                for i, (label, count) in enumerate(zip(labels, m.counts, strict=False))
            ],
            sum(m.counts),
            sum(previous) if previous else None,
        )
        self.trend_chart.set_data(
            "Các năm", labels, [YearColumn(y, counts) for y, counts in m.history]
        )
        self.notes.clear()
        for note in m.notes:
            item = QListWidgetItem(("⚠ " if note.strong else "• ") + note.text)
            if note.strong:
                item.setForeground(QBrush(QColor("#8e0000")))
                bold = QFont(item.font())
                bold.setBold(True)
                item.setFont(bold)
            self.notes.addItem(item)
        if not m.notes:
            self.notes.addItem("Không có điều gì nổi bật.")
        self._fill_cells(m)
        self._fill_streaks(m)

    def _fill_cells(self, m: Mirror) -> None:
        commune_share = share_text(m.counts[0], sum(m.counts))
        self.cells.setRowCount(len(m.cells) + 1)
        first = [
            "Toàn đảng bộ", "", *(format_int(n) for n in m.counts), commune_share,
            self._past_share(m), self._ceiling(m.counts[0], m.ceiling_allowed), "", "",
        ]  # fmt: skip
        for column, text in enumerate(first):
            item = _item(text, right=2 <= column <= 9)
            bold = QFont(item.font())
            bold.setBold(True)
            item.setFont(bold)
            self.cells.setItem(0, column, item)
        for row, c in enumerate(m.cells, start=1):
            past = share_text(c.past[0], sum(c.past)) if c.past_years else "—"
            values = [
                c.name, c.level_name, *(format_int(n) for n in c.counts),
                f"{share_text(c.counts[0], c.classified)} ({commune_share})", past,
                self._ceiling(c.counts[0], c.ceiling_allowed),
                format_int(len(c.above)) if c.above else "", cell_note(c),
            ]  # fmt: skip
            for column, text in enumerate(values):
                item = _item(text, right=2 <= column <= 9)
                if column == 9 and c.above:
                    item.setToolTip(", ".join(f"{a.full_name} ({a.level})" for a in c.above))
                if column == 8 and c.ceiling_basis:
                    item.setToolTip(c.ceiling_basis)
                if c.weak_despite_good:
                    item.setBackground(WEAK_ROW)
                self.cells.setItem(row, column, item)
        header = self.cells.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)

    def _fill_streaks(self, m: Mirror) -> None:
        self.streaks.setRowCount(len(m.streaks))
        for row, s in enumerate(m.streaks):
            values = [s.full_name, s.cell_name, format_int(len(s.years)),
                      ", ".join(str(y) for y in s.years)]  # fmt: skip
            for column, text in enumerate(values):
                self.streaks.setItem(row, column, _item(text, right=column == 2))
        self.streaks.resizeColumnsToContents()

    @staticmethod
    def _ceiling(used: int, allowed: int | None) -> str:
        if allowed is None:
            return "không giới hạn"
        mark = " (hết)" if allowed and used == allowed else " (vượt)" if used > allowed else ""
        return f"{format_int(used)}/{format_int(allowed)}{mark}"

    @staticmethod
    def _past_share(m: Mirror) -> str:
        earlier = [counts for y, counts in m.history if y < m.year]
        top = sum(c[0] for c in earlier)
        whole = sum(sum(c) for c in earlier)
        return share_text(top, whole) if whole else "—"
