"""The "Quá trình" part of the member dialog and the "Kỷ luật" part of the organisation
dialog: the dated records the rules read, as rows to add, edit, end and delete. Each change is
saved at once through ``roster.history`` (checked, logged, refused in a decided year)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.formatting import format_date
from app.domain.vocabulary import DisciplineForm, PeriodKind
from app.services.common.errors import ServiceError
from app.services.database import Database, StoreError
from app.services.roster import history
from app.services.roster.history import DisciplineRecord, PeriodRecord
from app.ui.common import ask
from app.ui.common.form_dialog import GuardedDialog
from app.ui.common.widgets import DateField

RunDialog = Callable[[QDialog], bool]


def _date(day: dt.date | None) -> str:
    return format_date(day) if day else ""


class _RecordForm(GuardedDialog):
    """A small form whose *save* may refuse: the message stays in the form, naming the field.
    Escape after a change asks first (each form watches its fields once they are filled)."""

    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b71c1c;")
        self.save: Callable[[], object] = lambda: None
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton("&Lưu", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.setMinimumWidth(480)

    @staticmethod
    def dates(fields: dict[str, DateField]) -> dict[str, dt.date | None]:
        """The dates typed; a date that cannot be read is refused, naming its field."""
        problems = [f"{label}: {field.problem()}" for label, field in fields.items()
                    if field.problem()]  # fmt: skip
        if problems:
            raise ServiceError("; ".join(problems))
        return {label: field.date() for label, field in fields.items()}

    def _accept(self) -> None:
        try:
            self.save()
        except (ServiceError, StoreError) as error:
            self.message.setText(f"Chưa lưu được: {error}")
            return
        self.accept()


class PeriodForm(_RecordForm):
    def __init__(self, record: PeriodRecord | None, parent: QWidget | None = None) -> None:
        super().__init__("Sửa thời gian" if record else "Thêm thời gian", parent)
        self.kind = QComboBox()
        for kind in PeriodKind:
            self.kind.addItem(kind.label, kind)
        self.start_on = DateField()
        self.end_on = DateField()
        self.end_on.setPlaceholderText("ngày trở lại sinh hoạt; để trống nếu chưa hết")
        self.note = QLineEdit()
        self.note.setPlaceholderText("Căn cứ: số quyết định, giấy nghỉ ốm …")
        self.form.addRow("&Loại", self.kind)
        self.form.addRow("&Từ ngày", self.start_on)
        self.form.addRow("Đế&n ngày", self.end_on)
        self.form.addRow("&Ghi chú", self.note)
        self.record_id = record.id if record else None
        if record is not None:
            self.kind.setCurrentIndex(self.kind.findData(record.kind))
            self.start_on.setDate(record.start_on)
            self.end_on.setDate(record.end_on)
            self.note.setText(record.note)
        self.watch((self.kind, self.start_on, self.end_on, self.note))

    def record(self) -> PeriodRecord:
        dates = self.dates({"Từ ngày": self.start_on, "Đến ngày": self.end_on})
        start = dates["Từ ngày"]
        if start is None:
            raise ServiceError("Từ ngày: chưa nhập")
        return PeriodRecord(self.kind.currentData(), start, dates["Đến ngày"], self.note.text(),
                            self.record_id)  # fmt: skip


class DisciplineEntryForm(_RecordForm):
    """A discipline decision: against a member, or (*for_org*) an organisation or its cấp ủy."""

    def __init__(
        self, record: DisciplineRecord | None, for_org: bool, parent: QWidget | None = None
    ) -> None:
        super().__init__("Sửa kỷ luật" if record else "Thêm kỷ luật", parent)
        self.whom = QComboBox()
        self.whom.addItem("Tổ chức đảng", False)
        self.whom.addItem("Cấp ủy (tập thể lãnh đạo)", True)
        self.form_box = QComboBox()
        for form in DisciplineForm:
            self.form_box.addItem(form.label, form)
        self.decided_on = DateField()
        self.decided_by = QLineEdit()
        self.decided_by.setPlaceholderText("Ví dụ: Ủy ban Kiểm tra Đảng ủy xã")
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("Nội dung vi phạm, tóm tắt")
        self.remedied = QCheckBox("Tự phát hiện, tự khắc phục hậu quả")
        self.erased_on = DateField()
        self.erased_on.setPlaceholderText("để trống nếu còn hiệu lực")
        if for_org:
            self.form.addRow("Đối &với", self.whom)
        self.form.addRow("&Hình thức", self.form_box)
        self.form.addRow("Ngày &quyết định", self.decided_on)
        self.form.addRow("&Cấp quyết định", self.decided_by)
        self.form.addRow("&Nội dung vi phạm", self.reason)
        if not for_org:
            self.form.addRow(self.remedied)
        self.form.addRow("Ngày &xóa/hết hiệu lực", self.erased_on)
        self.record_id = record.id if record else None
        if record is not None:
            self.whom.setCurrentIndex(self.whom.findData(record.of_collective))
            self.form_box.setCurrentIndex(self.form_box.findData(record.form))
            self.decided_on.setDate(record.decided_on)
            self.decided_by.setText(record.decided_by)
            self.reason.setText(record.reason)
            self.reason.setCursorPosition(0)
            self.remedied.setChecked(record.self_detected_remedied)
            self.erased_on.setDate(record.erased_on)
        self.watch(
            (self.whom, self.form_box, self.decided_on, self.decided_by, self.reason,
             self.remedied, self.erased_on)
        )  # fmt: skip

    def record(self) -> DisciplineRecord:
        dates = self.dates({"Ngày quyết định": self.decided_on, "Ngày xóa": self.erased_on})
        decided = dates["Ngày quyết định"]
        if decided is None:
            raise ServiceError("Ngày quyết định: chưa nhập")
        return DisciplineRecord(
            form=self.form_box.currentData(),
            decided_on=decided,
            decided_by=self.decided_by.text(),
            reason=self.reason.text(),
            self_detected_remedied=self.remedied.isChecked(),
            erased_on=dates["Ngày xóa"],
            of_collective=bool(self.whom.currentData()),
            id=self.record_id,
        )


class RecordTable(QGroupBox):
    """Dated rows with Thêm / Sửa / Kết thúc / Xóa buttons; *actions* do the saving."""

    def __init__(
        self, title: str, headers: Sequence[str], end_label: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(title, parent)
        self.table = QTableWidget(0, len(headers))
        self.table.setHorizontalHeaderLabels(list(headers))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(
            len(headers) - 1, QHeaderView.ResizeMode.Stretch
        )
        self.table.setMaximumHeight(130)
        self.add_button = QPushButton("Thêm…")
        self.edit_button = QPushButton("Sửa…")
        self.end_button = QPushButton(end_label)
        self.delete_button = QPushButton("Xóa")
        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.end_button, self.delete_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.table.doubleClicked.connect(lambda _i: self.edit_button.click())

    def set_rows(self, rows: Sequence[Sequence[str]]) -> None:
        self.table.setRowCount(len(rows))
        for number, row in enumerate(rows):
            for column, value in enumerate(row):
                self.table.setItem(number, column, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()

    def current(self) -> int | None:
        row = self.table.currentRow()
        return row if 0 <= row < self.table.rowCount() else None


class DisciplineList(RecordTable):
    """Discipline decisions, each saved at once by *save* / *delete* (a member's, or an
    organisation's with the choice of its cấp ủy: *for_org*)."""

    def __init__(
        self,
        title: str,
        for_org: bool,
        load: Callable[[], Sequence[DisciplineRecord]],
        save: Callable[[DisciplineRecord], object],
        delete: Callable[[int], object],
        today: dt.date,
        run_dialog: RunDialog,
    ) -> None:
        headers = ["Hình thức", "Ngày quyết định", "Cấp quyết định", "Xóa/hết hiệu lực",
                   "Nội dung"]  # fmt: skip
        super().__init__(title, (["Đối với"] if for_org else []) + headers, "Xóa kỷ l&uật…")
        self.for_org, self.load, self.save, self.delete = for_org, load, save, delete
        self.today, self.run_dialog = today, run_dialog
        self.changed: Callable[[], None] = lambda: None
        self.add_button.clicked.connect(lambda: self.edit(None))
        self.edit_button.clicked.connect(self._edit_selected)
        self.end_button.clicked.connect(self.erase)
        self.delete_button.clicked.connect(self.remove)
        self.refresh()

    def refresh(self) -> None:
        self.records = tuple(self.load())
        rows = []
        for d in self.records:
            reason = d.reason + (" (tự phát hiện, khắc phục)" if d.self_detected_remedied else "")
            row = [d.form.label, _date(d.decided_on), d.decided_by, _date(d.erased_on), reason]
            rows.append((["Cấp ủy" if d.of_collective else "Tổ chức"] if self.for_org else [])
                        + row)  # fmt: skip
        self.set_rows(rows)

    def selected(self) -> DisciplineRecord | None:
        row = self.current()
        return self.records[row] if row is not None else None

    def _edit_selected(self) -> None:
        record = self.selected()
        if record is not None:
            self.edit(record)

    def edit(self, record: DisciplineRecord | None) -> None:
        form = DisciplineEntryForm(record, for_org=self.for_org, parent=self)
        form.save = lambda: self.save(form.record())
        if self.run_dialog(form):
            self.refresh()
            self.changed()

    def erase(self) -> None:
        record = self.selected()
        if record is None or record.erased_on is not None:
            ask.inform(self, "Chọn một kỷ luật còn hiệu lực", "Hãy chọn một dòng chưa được xóa.")
            return
        self.edit(dataclasses.replace(record, erased_on=self.today))

    def remove(self) -> None:
        record = self.selected()
        if record is None or record.id is None:
            return
        question = (
            f"Xóa kỷ luật {record.form.label.lower()} ngày {_date(record.decided_on)}? (Chỉ xóa "
            "khi nhập nhầm; kỷ luật đã hết hiệu lực thì ghi ngày xóa.)"
        )
        if ask.confirm(self, "Xóa quyết định kỷ luật", question) and _done(
            self, lambda: self.delete(record.id or 0)
        ):
            self.refresh()
            self.changed()


def _done(parent: QWidget, action: Callable[[], object]) -> bool:
    """Run *action*; a refusal is shown, and False returned."""
    try:
        action()
    except (ServiceError, StoreError) as error:
        ask.warn(parent, "Chưa làm được", str(error))
        return False
    return True


class MemberHistoryPart(QWidget):
    """A member's periods and disciplines, each change saved at once."""

    def __init__(
        self, db: Database, member_id: int, today: dt.date, actor: str,
        run_dialog: RunDialog | None = None, parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.db, self.member_id, self.today, self.actor = db, member_id, today, actor
        self.run_dialog: RunDialog = run_dialog or (lambda d: bool(d.exec()))
        self.changed: Callable[[], None] = lambda: None  # the dialog refreshes its fields
        self.periods = RecordTable(
            "Thời gian miễn, đình chỉ, nghỉ, sinh hoạt tạm thời",
            ["Loại", "Từ ngày", "Đến ngày", "Ghi chú"], "&Kết thúc…",
        )  # fmt: skip
        self.disciplines = DisciplineList(
            "Kỷ luật", False,
            lambda: history.member_history(db, member_id).disciplines,
            lambda record: history.save_discipline(db, member_id, record, actor, today),
            lambda record_id: history.delete_discipline(db, member_id, record_id, actor),
            today, self.run_dialog,
        )  # fmt: skip
        self.disciplines.changed = lambda: self.changed()
        hint = QLabel("Mỗi dòng quá trình được lưu ngay khi bấm Lưu trong ô nhập của dòng đó.")
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(hint)
        layout.addWidget(self.periods)
        layout.addWidget(self.disciplines)
        self.periods.add_button.clicked.connect(lambda: self.edit_period(None))
        self.periods.edit_button.clicked.connect(self._edit_selected)
        self.periods.end_button.clicked.connect(self.end_period)
        self.periods.delete_button.clicked.connect(self.delete_period)
        self.refresh()

    def refresh(self) -> None:
        self.records = history.member_history(self.db, self.member_id).periods
        self.periods.set_rows(
            [(p.kind.label, _date(p.start_on), _date(p.end_on), p.note) for p in self.records]
        )

    def _period(self) -> PeriodRecord | None:
        row = self.periods.current()
        return self.records[row] if row is not None else None

    def _edit_selected(self) -> None:
        record = self._period()
        if record is not None:
            self.edit_period(record)

    def _saved(self) -> None:
        self.refresh()
        self.changed()

    def edit_period(self, record: PeriodRecord | None) -> None:
        form = PeriodForm(record, self)
        form.save = lambda: history.save_period(
            self.db, self.member_id, form.record(), self.actor, self.today
        )
        if self.run_dialog(form):
            self._saved()

    def end_period(self) -> None:
        record = self._period()
        if record is None or record.end_on is not None:
            ask.inform(
                self, "Chọn một dòng đang diễn ra", "Hãy chọn một dòng chưa có ngày kết thúc."
            )
            return
        self.edit_period(dataclasses.replace(record, end_on=self.today))

    def delete_period(self) -> None:
        record = self._period()
        if record is None or record.id is None:
            return
        question = f"Xóa {record.kind.label.lower()} từ {_date(record.start_on)}?"
        if ask.confirm(self, "Xóa dòng quá trình", question) and _done(
            self, lambda: history.delete_period(self.db, self.member_id, record.id or 0, self.actor)
        ):
            self._saved()


def org_discipline_part(
    db: Database, org_id: int, today: dt.date, actor: str, run_dialog: RunDialog
) -> DisciplineList:
    """An organisation's discipline decisions and its cấp ủy's, each saved at once."""
    return DisciplineList(
        "Kỷ luật tổ chức đảng và cấp ủy", True,
        lambda: history.org_disciplines(db, org_id),
        lambda record: history.save_org_discipline(db, org_id, record, actor, today),
        lambda record_id: history.delete_org_discipline(db, org_id, record_id, actor),
        today, run_dialog,
    )  # fmt: skip
