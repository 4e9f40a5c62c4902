"""The "new period" wizard: year, rule set, reference date, then a review of who is
classified and who votes, before anything is written."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHeaderView,
    QLabel,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app.domain.formatting import format_date, format_int
from app.domain.rules import RuleSet
from app.services.common.errors import ServiceError
from app.services.database import Database
from app.services.periods import criteria_sets
from app.services.periods import lifecycle as periods
from app.services.periods import rule_sets as rulesets
from app.services.procedure import item_scores
from app.ui.common import ask
from app.ui.evaluation import criteria_choice


def _date_edit(day: dt.date) -> QDateEdit:
    edit = QDateEdit(QDate(day.year, day.month, day.day))
    edit.setDisplayFormat("dd/MM/yyyy")
    edit.setCalendarPopup(True)
    return edit


def _value(edit: QDateEdit) -> dt.date:
    q = edit.date()
    return dt.date(q.year(), q.month(), q.day())


def first_free_year(today: dt.date, taken: set[int]) -> int:
    """The year a new period is most likely for: this year, or when it already has its
    period, the next year that has none (a year with a period cannot get a second one)."""
    year = today.year
    while year in taken:
        year += 1
    return year


class SettingsPage(QWizardPage):
    def __init__(self, today: dt.date, taken: set[int] | None = None) -> None:
        super().__init__()
        self.taken = taken or set()
        self.setTitle("Kỳ đánh giá mới")
        self.setSubTitle(
            "Chọn năm đánh giá và bộ quy tắc của năm đó. Danh sách đảng viên được chốt theo "
            "ngày chốt danh sách."
        )
        self.year = QSpinBox()
        self.year.setRange(2010, 2100)
        self.year.setValue(first_free_year(today, self.taken))
        self.ruleset = QComboBox()
        # The criteria set the period scores by item by item (issue 24); none: totals typed.
        self.criteria = QComboBox()
        self.criteria_listing = criteria_sets.CriteriaListing((), ())
        self.reference = _date_edit(dt.date(self.year.value(), 12, 31))
        self.deadline = _date_edit(dt.date(self.year.value(), 12, 20))
        self.explain = QLabel()
        self.explain.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow("Năm đánh giá", self.year)
        form.addRow("Bộ quy tắc", self.ruleset)
        form.addRow("Bộ tiêu chí chấm điểm", self.criteria)
        form.addRow("Ngày chốt danh sách", self.reference)
        form.addRow("Hạn chi bộ nộp kết quả", self.deadline)
        form.addRow(self.explain)
        self.year.valueChanged.connect(self._year_changed)
        self.ruleset.currentIndexChanged.connect(self._describe)
        self.criteria.currentIndexChanged.connect(
            lambda _i: self.criteria.setToolTip(
                criteria_choice.choice_description(
                    criteria_choice.chosen(self.criteria, self.criteria_listing)
                )
            )
        )
        self._year_changed(self.year.value())

    def _year_changed(self, year: int) -> None:
        self.ruleset.clear()
        for rs in rulesets.for_year(year):
            self.ruleset.addItem(rs.name, rs.id)
        self.reference.setDate(QDate(year, 12, 31))
        self.deadline.setDate(QDate(year, 12, 20))
        self._describe()
        self.completeChanged.emit()

    def _describe(self) -> None:
        year = self.year.value()
        if year in self.taken:
            self.explain.setText(
                f"<span style='color:#b71c1c'>Năm {year} đã có kỳ đánh giá; mỗi năm chỉ có một "
                "kỳ. Chọn năm khác, hoặc mở kỳ năm đó trên bảng theo dõi.</span>"
            )
            return
        rs = self.chosen()
        self._list_criteria(rs)
        self.explain.setText(rs.description if rs else "Không có bộ quy tắc nào cho năm này.")

    def _list_criteria(self, rs: RuleSet | None) -> None:
        kept = self.criteria.currentData()
        self.criteria_listing = (
            criteria_sets.available(self.year.value(), rs)
            if rs is not None
            else criteria_sets.CriteriaListing((), ())
        )
        listed = any(c.id == kept for c in self.criteria_listing.choices)
        criteria_choice.fill(self.criteria, self.criteria_listing, kept if listed else None)
        self.criteria.setToolTip(
            criteria_choice.choice_description(
                criteria_choice.chosen(self.criteria, self.criteria_listing)
            )
        )

    def chosen(self) -> RuleSet | None:
        ruleset_id = self.ruleset.currentData()
        return rulesets.get(ruleset_id) if ruleset_id else None

    def isComplete(self) -> bool:
        return self.ruleset.count() > 0 and self.year.value() not in self.taken


class RosterPage(QWizardPage):
    def __init__(self, db: Database, settings: SettingsPage) -> None:
        super().__init__()
        self.db = db
        self.settings = settings
        self.setTitle("Rà soát danh sách đảng viên")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(
            ["Chi bộ", "Họ và tên", "Được xếp loại", "Biểu quyết", "Lý do không xếp loại"]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table)

    def initializePage(self) -> None:
        rs = self.settings.chosen()
        if rs is None:
            return
        reference = _value(self.settings.reference)
        entries = periods.preview_roster(self.db, self.settings.year.value(), rs, reference)
        # Those not classified first: they are what the commune checks.
        entries.sort(key=lambda e: (e.evaluated, e.cell_name))
        self.table.setRowCount(len(entries))
        for row, e in enumerate(entries):
            values = [
                e.cell_name,
                e.full_name,
                "có" if e.evaluated else "không",
                "có" if e.votes else "không",
                e.reason_label or ("đảng viên dự bị" if e.probationary else ""),
            ]
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
        evaluated = sum(1 for e in entries if e.evaluated)
        voters = sum(1 for e in entries if e.votes)
        self.summary.setText(
            f"Ngày chốt danh sách {format_date(reference)}: {format_int(len(entries))} đảng "
            f"viên; {format_int(evaluated)} được xếp loại, {format_int(len(entries) - evaluated)}"
            f" không xếp loại (xem lý do ở đầu bảng); {format_int(voters)} đảng viên chính thức "
            "được biểu quyết. Bấm “Hoàn tất” để tạo kỳ đánh giá và chốt danh sách này."
        )


class NewPeriodWizard(QWizard):
    def __init__(
        self, db: Database, today: dt.date, actor: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.actor = actor
        self.created: periods.PeriodInfo | None = None
        self.setWindowTitle("Tạo kỳ đánh giá")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.resize(900, 620)
        taken = {p.year for p in periods.list_periods(db)}
        self.settings_page = SettingsPage(today, taken)
        self.roster_page = RosterPage(db, self.settings_page)
        self.addPage(self.settings_page)
        self.addPage(self.roster_page)
        self.error = QLabel()

    def accept(self) -> None:
        rs = self.settings_page.chosen()
        if rs is None:
            return
        try:
            self.created = periods.create_period(
                self.db,
                self.settings_page.year.value(),
                rs,
                _value(self.settings_page.reference),
                deadline=_value(self.settings_page.deadline),
                actor=self.actor,
            )
        except ServiceError as error:
            self.roster_page.summary.setText(f"<span style='color:#b71c1c'>{error}</span>")
            return
        criteria_id = self.settings_page.criteria.currentData()
        if criteria_id is not None:
            try:
                item_scores.choose_criteria(self.db, self.created.year, criteria_id, self.actor)
            except ServiceError as error:
                ask.warn(
                    self,
                    "Chưa chọn được bộ tiêu chí chấm điểm",
                    f"Kỳ đánh giá năm {self.created.year} đã được tạo, nhưng chưa chọn được bộ "
                    f"tiêu chí: {error}\n\nChọn lại ở bảng theo dõi (nút “Bộ tiêu chí…”).",
                )
        super().accept()
