"""The "Tổng hợp" tab: a year's results at the selected node — tables, a chart of levels, the
trend over years — and drilling down from the commune to a cell to its members."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.formatting import format_int
from app.services.common.errors import NotFound, ServiceError
from app.services.database import Database
from app.services.periods import lifecycle as periods
from app.services.roster.organizations import OrgNode
from app.services.summary import report as summary
from app.services.summary.report import PENDING_LABEL, GroupFigures, Summary, SummaryReport
from app.ui.common import ask
from app.ui.common.charts import NO_LEVEL_LABEL, Bar, LevelChart, TrendChart, YearColumn

ID_ROLE = Qt.ItemDataRole.UserRole
PROVISIONAL = "Số liệu tạm thời — kỳ đánh giá chưa quyết định"
NOT_YET = "chưa có"
SHARES_BASE = (
    "Tỷ lệ xếp loại tính trên số được đánh giá, xếp loại (kể cả số chưa có kết quả xếp loại); "
    "tỷ lệ được xếp loại tính trên tổng số."
)


def _item(text: str, align_right: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if align_right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


class SummaryTab(QWidget):
    open_node = Signal(int)  # drill down to an organisation
    open_member = Signal(int)  # drill down to a member

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.node: OrgNode | None = None
        self.report: SummaryReport | None = None
        self._stale = False  # the node or year changed while the tab was hidden
        self.title = QLabel()
        self.title.setWordWrap(True)
        # A year not yet decided counts the cells' proposals: said first and plainly, so that
        # nobody reads (or copies) its figures as the year's result (issue 19).
        self.provisional = QLabel()
        self.provisional.setWordWrap(True)
        self.provisional.setStyleSheet(
            "background: #fff4e5; color: #7a4100; border: 1px solid #f0b46b; padding: 6px;"
        )
        self.provisional.hide()
        self.decided = True  # the shown year is decided (its figures are final)
        self.year = QComboBox()
        self.excel_button = QPushButton("Xuất Excel…")
        self.pdf_button = QPushButton("Xuất PDF…")
        self.excel_button.clicked.connect(self.export_excel)
        self.pdf_button.clicked.connect(self.export_pdf)
        self.figures = QTableWidget(0, 6)
        self.figures.setHorizontalHeaderLabels(
            ["Chỉ tiêu", "Năm nay", "Tỷ lệ", "Năm trước", "Tỷ lệ", "Tăng/giảm"]
        )
        self.figures.verticalHeader().setVisible(False)
        self.figures.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.figures.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.level_chart = LevelChart()
        self.trend_chart = TrendChart()
        self.detail_title = QLabel()
        self.detail = QTableWidget(0, 0)
        self.detail.verticalHeader().setVisible(False)
        self.detail.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.detail.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.detail.doubleClicked.connect(lambda _i: self.drill_down())
        self.detail.activated.connect(lambda _i: self.drill_down())

        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(QLabel("Năm:"))
        top.addWidget(self.year)
        top.addWidget(self.excel_button)
        top.addWidget(self.pdf_button)
        charts = QVBoxLayout()
        charts.addWidget(self.level_chart)
        charts.addWidget(self.trend_chart)
        right = QWidget()
        right.setLayout(charts)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.figures, 1)
        left_layout.addWidget(self.notes)
        upper = QSplitter(Qt.Orientation.Horizontal)
        upper.addWidget(left)
        upper.addWidget(right)
        # The figures' row titles are sentences ("Không xếp loại: Đình chỉ sinh hoạt đảng");
        # the charts read as well narrower: the figures get the room first.
        upper.setStretchFactor(0, 3)
        upper.setStretchFactor(1, 2)
        upper.setSizes([640, 360])
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.detail_title)
        lower_layout.addWidget(self.detail, 1)
        body = QSplitter(Qt.Orientation.Vertical)
        body.addWidget(upper)
        body.addWidget(lower)
        body.setSizes([420, 260])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.provisional)
        layout.addWidget(body, 1)
        self.year.currentIndexChanged.connect(lambda _i: self.refresh())

    # ---- data --------------------------------------------------------------------------
    def show_node(self, node: OrgNode | None) -> None:
        self.node = node
        years = [p.year for p in periods.list_periods(self.db)]
        current = self.year.currentData()
        self.year.blockSignals(True)
        self.year.clear()
        for year in sorted(years, reverse=True):
            self.year.addItem(str(year), year)
        if current in years:
            self.year.setCurrentIndex(self.year.findData(current))
        self.year.blockSignals(False)
        # A summary of a whole district takes a while: made when the tab is seen, not on every
        # selection in the tree while another tab is open (start-up selects the root).
        self._stale = True
        if self.isVisible():
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        if self._stale:
            self.refresh()
        super().showEvent(event)

    def refresh(self) -> None:
        self._stale = False
        year, node = self.year.currentData(), self.node
        self.excel_button.setEnabled(year is not None)
        self.pdf_button.setEnabled(year is not None)
        if year is None or node is None:
            self.report = None
            self.provisional.hide()
            self.title.setText("Chưa có kỳ đánh giá nào có kết quả.")
            return
        try:
            self.report = summary.report(self.db, year, node.id)
            self.decided = not self.report.provisional
        except (NotFound, ServiceError) as error:
            self.report = None
            self.provisional.hide()
            self.title.setText(str(error))
            return
        s = self.report.summary
        self.title.setText(
            f"<b>Tổng hợp kết quả năm {year} — {s.unit.name}</b><br>{s.ruleset_name}"
        )
        self._provisional(s)
        self._figures(s)
        self._charts(s)
        self._detail()

    def _provisional(self, s: Summary) -> None:
        """The label of a year not yet decided: what its figures are, and what comparing
        them with last year means."""
        if self.decided:
            self.provisional.hide()
            return
        compared = (
            f" So sánh với năm {s.previous_year} là so sánh số liệu tạm thời này với kết quả "
            f"năm {s.previous_year}; các con số còn thay đổi cho đến khi quyết định."
            if s.previous_year
            else ""
        )
        self.provisional.setText(
            f"<b>{PROVISIONAL}</b><br>Các con số năm {s.year} gồm mức các chi bộ đề xuất và "
            f"những gì đã nhập đến nay, chưa được Ban Thường vụ quyết định.{compared}"
        )
        self.provisional.show()

    def _figures(self, s: Summary) -> None:
        rows: list[list[str]] = []
        for group in (s.members, s.organisations, s.subordinate):
            if group is not None:
                rows += self._group_rows(group)
        for dist in (s.member_scores, s.org_scores):  # by score band, where the rules score
            if dist is not None:
                rows.append([f"{dist.title} theo mức điểm", format_int(dist.evaluated), "", "",
                             "", ""])  # fmt: skip
                rows += [
                    [f"  - {band.label}", format_int(band.count), band.share, "", "", ""]
                    for band in dist.rows
                ]
        self.figures.setRowCount(len(rows))
        # A provisional year says so in its own column and in the change it is compared by.
        mark = "" if self.decided else "\n(tạm thời)"
        self.figures.setHorizontalHeaderLabels(
            [
                "Chỉ tiêu",
                f"Năm {s.year}{mark}",
                "Tỷ lệ",
                f"Năm {s.previous_year}" if s.previous_year else "Năm trước",
                "Tỷ lệ",
                f"Tăng/giảm{mark}",
            ]
        )
        for column in (1, 5):
            self.figures.horizontalHeaderItem(column).setToolTip(
                "" if self.decided else f"{PROVISIONAL}: các con số còn thay đổi"
            )
        for column in (2, 4):  # the one base of the shares, the same in print
            self.figures.horizontalHeaderItem(column).setToolTip(SHARES_BASE)
        shorts = {
            f.name: f.short
            for group in (s.members, s.organisations, s.subordinate)
            if group is not None
            for f in group.levels
        }
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                item = _item(value, c > 0)
                if c == 0:  # the whole title, with the level's code, when it is elided
                    title = value.strip()
                    item.setToolTip(f"{title} ({shorts[title]})" if title in shorts else title)
                if c == 0 and not value.startswith("  "):
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.figures.setItem(r, c, item)
        self.figures.resizeColumnsToContents()
        self.figures.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        notes = [
            f"{s.ratio.label}: {format_int(s.ratio.part)}/{format_int(s.ratio.whole)} "
            f"({s.ratio.percent})"
            + (f", giới hạn {s.ratio.limit_percent:g}%" if s.ratio.limit_percent else "")
        ]
        if s.screening:
            names = ", ".join(f"{m.full_name} ({m.cell_name})" for m in s.screening)
            notes.append(f"Hai năm liền {s.member_levels[-1].short}: {names}")
        self.notes.setText("\n".join(notes))

    def _group_rows(self, group: GroupFigures) -> list[list[str]]:
        """The rows of a group; every share as the summary computed it (the chart, the text,
        the PDF and the workbook show the same)."""

        def count(value: int | None) -> str:
            return "" if value is None else format_int(value)

        rows = [[group.title, format_int(group.total), "", count(group.previous_total), "", ""]]
        rows.append(
            [
                "  Được xếp loại",
                format_int(group.evaluated),
                group.evaluated_share,
                count(group.previous_evaluated),
                group.previous_evaluated_share,
                "",
            ]
        )
        for figure in group.levels:
            rows.append(
                [
                    # The level's words; its short code is the chart's label and the tooltip's.
                    f"    {figure.name}",
                    format_int(figure.count),
                    figure.share,
                    count(figure.previous),
                    figure.previous_share,
                    figure.change,
                ]
            )
            if figure.of_which is not None:
                inner = figure.of_which
                rows.append(
                    [
                        f"      trong đó: {inner.short}",
                        format_int(inner.count),
                        inner.share,
                        count(inner.previous),
                        inner.previous_share,
                        inner.change,
                    ]
                )
        if group.has_pending:  # evaluated, no level yet: a line, not a smaller base
            rows.append(
                [
                    f"    {PENDING_LABEL}",
                    format_int(group.pending),
                    group.pending_share,
                    count(group.previous_pending),
                    group.previous_pending_share,
                    "",
                ]
            )
        for reason in group.not_evaluated:
            rows.append(
                [
                    f"  Không xếp loại: {reason.label}",
                    format_int(reason.count),
                    "",
                    count(reason.previous),
                    "",
                    reason.change,
                ]
            )
        return rows

    def _charts(self, s: Summary) -> None:
        members = s.members
        bars = [Bar(f.short, f.count, f.share, f.previous) for f in members.levels]
        if members.has_pending:
            bars.append(
                Bar(
                    NO_LEVEL_LABEL,
                    members.pending,
                    members.pending_share,
                    members.previous_pending,
                    no_level=True,
                )
            )
        self.level_chart.set_data(
            f"Đảng viên năm {s.year} ({format_int(members.evaluated)} được xếp loại"
            + (")" if self.decided else ", tạm thời)"),
            bars,
            members.evaluated,
            members.previous_evaluated,
        )
        assert self.node is not None
        history = summary.trend(self.db, self.node.id)
        columns = [
            YearColumn(
                h.year,
                tuple(h.members.count(level.code) for level in h.member_levels),
                h.members.pending,
            )
            for h in history
        ]
        # The chart draws its title unelided: the provisional note is kept short.
        title = "Xếp loại đảng viên qua các năm"
        if not self.decided:
            title = f"Xếp loại qua các năm ({s.year}: tạm thời)"
        self.trend_chart.set_data(title, [level.short for level in s.member_levels], columns)

    def _detail(self) -> None:
        assert self.report is not None
        s = self.report.summary
        if s.unit.is_cell:
            self._members(s)
        else:
            self._children(s)

    def _children(self, s: Summary) -> None:
        levels = s.member_levels
        headers = ["Tổ chức", "Được xếp loại", *[lvl.short for lvl in levels], "Xếp loại tổ chức"]
        children = self.report.children if self.report else ()
        self.detail_title.setText("Theo tổ chức trực thuộc (bấm đúp để xem chi tiết):")
        self.detail.clear()
        self.detail.setColumnCount(len(headers))
        self.detail.setHorizontalHeaderLabels(headers)
        for c, level in enumerate(levels, start=2):
            self.detail.horizontalHeaderItem(c).setToolTip(level.name)
        self.detail.setRowCount(len(children))
        for r, child in enumerate(children):
            counts = [child.members.count(lvl.code) for lvl in levels]
            # A cell of a provisional year with no level yet has "chưa có", not four zeros
            # that read as a result.
            pending = not self.decided and not any(counts)
            values = [
                child.unit.name,
                format_int(child.members.evaluated),
                *[NOT_YET if pending else format_int(n) for n in counts],
                child.own_level.short if child.own_level else "",
            ]
            for c, value in enumerate(values):
                item = _item(value, 0 < c < len(values) - 1)
                item.setData(ID_ROLE, ("org", child.unit.id))
                if pending and 1 < c < len(values) - 1:
                    item.setToolTip("Chi bộ chưa có mức đề xuất nào")
                self.detail.setItem(r, c, item)
        self.detail.resizeColumnsToContents()

    def _members(self, s: Summary) -> None:
        year = self.year.currentData()
        members = summary.cell_members(self.db, year, s.unit.id)
        headers = ["Họ và tên", "Chức vụ Đảng", f"Năm {year}", "Năm trước", "Ghi chú"]
        self.detail_title.setText("Đảng viên của chi bộ (bấm đúp để mở hồ sơ):")
        self.detail.clear()
        self.detail.setColumnCount(len(headers))
        self.detail.setHorizontalHeaderLabels(headers)
        self.detail.setRowCount(len(members))
        for r, m in enumerate(members):
            level = m.level.short + ("" if m.decided else " (đề xuất)") if m.level else ""
            values = [
                m.full_name,
                m.party_post,
                level,
                m.previous_level.short if m.previous_level else "",
                m.reason,
            ]
            for c, value in enumerate(values):
                item = _item(value)
                item.setData(ID_ROLE, ("member", m.member_id))
                self.detail.setItem(r, c, item)
        self.detail.resizeColumnsToContents()

    def drill_down(self) -> None:
        rows = self.detail.selectionModel().selectedRows()
        if not rows:
            return
        kind, ident = self.detail.item(rows[0].row(), 0).data(ID_ROLE)
        (self.open_node if kind == "org" else self.open_member).emit(ident)

    # ---- export --------------------------------------------------------------------------
    def _export(
        self, title: str, suffix: str, write: Callable[[SummaryReport, Path], None]
    ) -> None:
        if self._stale:
            self.refresh()
        if self.report is None:
            return
        from app.services.printing import (
            documents as printing,  # reportlab and pypdf: imported when first needed
        )

        s = self.report.summary
        name = f"tong-hop-{s.year}-{printing.slug(s.unit.name)}{suffix}"
        path = ask.save_file(self, title, name, f"Tệp {suffix[1:].upper()} (*{suffix})")
        if path is None:
            return
        if path.suffix.lower() != suffix:
            path = path.with_name(path.name + suffix)
        write(self.report, path)
        ask.inform(self, "Đã xuất", f"Đã ghi biểu tổng hợp vào {path}.")

    def export_pdf(self) -> None:
        from app.services.printing import documents as printing
        from app.services.summary import export as summary_export

        # A year not yet decided prints as a draft: the report says so (``provisional``).
        self._export(
            "Xuất biểu tổng hợp (PDF)",
            ".pdf",
            lambda report, path: printing.write_pdf(path, summary_export.render_pdf(report)),
        )

    def export_excel(self) -> None:
        from app.services.summary import (
            export as summary_export,  # openpyxl: imported when first needed
        )

        self._export("Xuất biểu tổng hợp (Excel)", ".xlsx", summary_export.write_workbook)
