"""The "Tỉnh" tab: the province's figures from the communes' reports it received, for one
year (read-only): one row per commune and the province's total, the communes that have not
reported, the grassroots organisations over the quota of the highest level, and the members
at the lowest level two years running across communes; "Xuất Excel…" writes the same."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.formatting import format_date, format_int
from app.services.reports import province_output
from app.services.reports.province import ProvinceSummary, province_summary
from app.services.roster.quick_read import report_years
from app.ui.common import ask

if TYPE_CHECKING:
    from app.services.database import Database
    from app.services.summary.figures import GroupFigures, LevelInfo
    from app.ui.common.operations import Operations

TOTAL_LABEL = "Toàn tỉnh"


def _item(text: str, tip: str = "", right: bool = False, bold: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setToolTip(tip or text)
    if right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    if bold:
        font = QFont(item.font())
        font.setBold(True)
        item.setFont(font)
    return item


def _table(headers: list[tuple[str, str]]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    for column, (short, tip) in enumerate(headers):
        header = QTableWidgetItem(short)
        header.setToolTip(tip)
        table.setHorizontalHeaderItem(column, header)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.verticalHeader().hide()
    table.setWordWrap(False)
    return table


def _count_share(count: int, share: str) -> str:
    return f"{format_int(count)} ({share})" if share else format_int(count)


class ProvinceTab(QWidget):
    """Read-only: nothing here writes (the reports come in through Tệp → Nhận báo cáo)."""

    def __init__(self, db: Database, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.ops = db, ops
        self.summary: ProvinceSummary | None = None
        self.year = QComboBox()
        year_label = QLabel("&Năm:")
        year_label.setBuddy(self.year)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.export_button = QPushButton("Xuất Excel…")
        self.export_button.clicked.connect(self.export_workbook)
        top = QHBoxLayout()
        top.addWidget(year_label)
        top.addWidget(self.year)
        top.addWidget(self.heading, 1)
        top.addWidget(self.export_button)
        self.communes = _table([])
        self.details = QTabWidget()
        self.missing = _table(
            [
                ("Mã", "Mã đảng bộ"),
                ("Đảng bộ", "Tên đảng bộ"),
                ("Báo cáo gần nhất", "Năm của báo cáo gần nhất tỉnh đã nhận"),
            ]
        )
        self.quota_rule = QLabel()
        self.quota_rule.setWordWrap(True)
        self.quota = _table(
            [
                ("Tổ chức cơ sở đảng", "Tổ chức được kiểm tra tỷ lệ"),
                ("Đảng bộ", "Đảng bộ xã"),
                ("Mức", "Mức bị giới hạn"),
                ("Số đã xếp", "Số đảng viên đã xếp mức đó"),
                ("Tối đa", "Số tối đa theo tỷ lệ"),
                ("Vượt", "Số vượt"),
                ("Cách tính", "Cách tính số tối đa"),
            ]
        )
        quota_page = QWidget()
        quota_layout = QVBoxLayout(quota_page)
        quota_layout.addWidget(self.quota_rule)
        quota_layout.addWidget(self.quota, 1)
        self.screening = _table(
            [
                ("Đảng viên", "Họ và tên"),
                ("Mã", "Mã đảng viên"),
                ("Chi bộ", "Chi bộ"),
                ("Đảng bộ", "Đảng bộ xã"),
                ("Năm trước", "Mức xếp loại năm trước"),
                ("Năm nay", "Mức xếp loại năm được chọn"),
            ]
        )
        self.details.addTab(self.missing, "Chưa báo cáo")
        self.details.addTab(quota_page, "Vượt tỷ lệ")
        self.details.addTab(self.screening, "Sàng lọc")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.communes, 3)
        layout.addWidget(self.details, 2)
        self.year.currentIndexChanged.connect(lambda _i: self.show_year())
        self.refresh()

    # ---- reading ---------------------------------------------------------------------
    def refresh(self) -> None:
        """Read the years again (after a report came in) and show the chosen one."""
        years = report_years(self.db)
        current = self.year.currentData()
        self.year.blockSignals(True)
        self.year.clear()
        for year in years:
            self.year.addItem(str(year), year)
        index = self.year.findData(current)
        self.year.setCurrentIndex(index if index >= 0 else 0)
        self.year.blockSignals(False)
        self.show_year()

    def show_year(self) -> None:
        year = self.year.currentData()
        if year is None:
            self.summary = None
            self.heading.setText("Tỉnh chưa nhận báo cáo nào (Tệp → Nhận báo cáo của xã…).")
            self.export_button.setEnabled(False)
            for table in (self.communes, self.missing, self.quota, self.screening):
                table.setRowCount(0)
            return
        self.summary = province_summary(self.db, int(year))
        self._show(self.summary)

    def _show(self, s: ProvinceSummary) -> None:
        self.export_button.setEnabled(True)
        heading = (
            f"Năm {s.year}: đã nhận báo cáo của {format_int(len(s.communes))} đảng bộ, "
            f"chưa báo cáo {format_int(len(s.not_reported))}; "
            f"{format_int(s.members.total)} đảng viên. {s.ratio.label}: {s.ratio.text}."
        )
        if s.other_rulesets:
            heading += " Báo cáo theo bộ quy tắc khác: " + "; ".join(s.other_rulesets) + "."
        self.heading.setText(heading)
        self._fill_communes(s)
        self._fill_lists(s)

    def _fill_communes(self, s: ProvinceSummary) -> None:
        headers: list[tuple[str, str]] = [("Mã", "Mã đảng bộ"), ("Đảng bộ", "Tên đảng bộ")]
        headers += [
            ("Đảng viên", "Tổng số đảng viên"),
            ("ĐV được XL", "Đảng viên được đánh giá, xếp loại (tỷ lệ của tổng số)"),
        ]
        headers += [
            (f"ĐV {lv.short}", f"Đảng viên {lv.name} (tỷ lệ của số được xếp loại)")
            for lv in s.member_levels
        ]
        headers += [
            ("ĐV không XL", "Đảng viên chưa, không đánh giá, xếp loại (tỷ lệ của tổng số)"),
            ("Tổ chức đảng", "Tổng số tổ chức đảng trực thuộc"),
            ("TC được XL", "Tổ chức đảng được đánh giá, xếp loại"),
        ]
        headers += [(f"TC {lv.short}", f"Tổ chức đảng {lv.name}") for lv in s.org_levels]
        headers += [
            ("TC không XL", "Tổ chức đảng chưa, không đánh giá, xếp loại"),
            ("Quyết định", "Số và ngày quyết định công nhận kết quả của đảng bộ"),
        ]
        table = self.communes
        table.clear()
        table.setColumnCount(len(headers))
        for column, (short, tip) in enumerate(headers):
            header = QTableWidgetItem(short)
            header.setToolTip(tip)
            table.setHorizontalHeaderItem(column, header)
        rows = [(c.code, c.name, c.members, c.organisations, _decision(c)) for c in s.communes]
        rows.append(("", TOTAL_LABEL, s.members, s.organisations, ""))
        table.setRowCount(len(rows))
        for row, (code, name, members, orgs, decision) in enumerate(rows):
            bold = name == TOTAL_LABEL and not code
            cells = [_item(code, bold=bold), _item(name, bold=bold)]
            cells += _group_cells(members, s.member_levels, bold, "đảng viên")
            cells += _group_cells(orgs, s.org_levels, bold, "tổ chức đảng")
            cells.append(_item(decision, bold=bold))
            for column, item in enumerate(cells):
                table.setItem(row, column, item)
        table.resizeColumnsToContents()
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)

    def _fill_lists(self, s: ProvinceSummary) -> None:
        self.missing.setRowCount(len(s.not_reported))
        for row, m in enumerate(s.not_reported):
            for column, item in enumerate(
                [_item(m.code), _item(m.name), _item(str(m.last_year), right=True)]
            ):
                self.missing.setItem(row, column, item)
        if not s.quota_rule:
            rule = "Bộ quy tắc của năm không giới hạn tỷ lệ này."
        elif s.quota_exceeded:
            rule = (
                f"{s.quota_rule}: đã kiểm tra {format_int(s.quota_checked)} tổ chức, "
                f"{format_int(len(s.quota_exceeded))} tổ chức vượt tỷ lệ."
            )
        else:
            rule = (
                f"{s.quota_rule}: đã kiểm tra {format_int(s.quota_checked)} tổ chức, "
                "không tổ chức nào vượt tỷ lệ."
            )
        self.quota_rule.setText(rule)
        self.quota.setRowCount(len(s.quota_exceeded))
        for row, q in enumerate(s.quota_exceeded):
            cells = [
                _item(q.org_name),
                _item(q.commune_name),
                _item(q.level),
                _item(format_int(q.used), right=True),
                _item(format_int(q.allowed), right=True),
                _item(format_int(q.over), right=True),
                _item(q.basis),
            ]
            for column, item in enumerate(cells):
                self.quota.setItem(row, column, item)
        self.screening.setRowCount(len(s.screening))
        for row, e in enumerate(s.screening):
            cells = [
                _item(e.full_name),
                _item(e.member_code),
                _item(e.cell_name),
                _item(e.commune_name),
                _item(e.previous_level.short, e.previous_level.name),
                _item(e.current_level.short, e.current_level.name),
            ]
            for column, item in enumerate(cells):
                self.screening.setItem(row, column, item)
        for table in (self.missing, self.quota, self.screening):
            table.resizeColumnsToContents()
        counts = (len(s.not_reported), len(s.quota_exceeded), len(s.screening))
        titles = ("Chưa báo cáo", "Vượt tỷ lệ", "Sàng lọc (thấp nhất hai năm liền)")
        for index, (title, count) in enumerate(zip(titles, counts, strict=True)):
            self.details.setTabText(index, f"{title} ({format_int(count)})")

    # ---- output ----------------------------------------------------------------------
    def export_workbook(self) -> None:
        s = self.summary
        if s is None:
            return
        window = self.ops.parent
        path = ask.save_file(
            window,
            "Xuất tổng hợp của tỉnh ra Excel",
            f"tong-hop-tinh-{s.year}.xlsx",
            ask.EXCEL_FILTER,
        )
        if path is None:
            return
        self.ops.in_background(
            "Đang xuất tổng hợp của tỉnh…",
            lambda _progress: province_output.write_workbook(s, path),
            lambda _result: ask.inform(
                window, "Đã xuất Excel", f"Đã ghi tổng hợp năm {s.year} ra {path}."
            ),
        )


def _decision(c: object) -> str:
    number = getattr(c, "decision_number", None) or ""
    day = getattr(c, "decided_on", None)
    return (number + (f" ngày {format_date(day)}" if day else "")).strip()


def _group_cells(
    group: GroupFigures, levels: tuple[LevelInfo, ...], bold: bool, what: str
) -> list[QTableWidgetItem]:
    """Total, evaluated (share), each level (share), not evaluated (share; reasons on hover)."""
    cells = [
        _item(format_int(group.total), f"{format_int(group.total)} {what}", True, bold),
        _item(
            _count_share(group.evaluated, group.evaluated_share),
            f"Được đánh giá, xếp loại: {format_int(group.evaluated)} {what}",
            True,
            bold,
        ),
    ]
    for lv in levels:
        figure = group.level(lv.code)
        count = figure.count if figure else 0
        share = figure.share if figure else ""
        tip = f"{lv.name}: {format_int(count)} {what}" + (
            f", {share} số được xếp loại" if share else ""
        )
        cells.append(_item(_count_share(count, share), tip, True, bold))
    reasons = "; ".join(f"{r.label} {format_int(r.count)}" for r in group.not_evaluated if r.count)
    tip = f"Chưa, không đánh giá, xếp loại: {format_int(group.not_evaluated_count)} {what}"
    cells.append(
        _item(
            _count_share(group.not_evaluated_count, group.not_evaluated_share),
            tip + (f" ({reasons})" if reasons else ""),
            True,
            bold,
        )
    )
    return cells
