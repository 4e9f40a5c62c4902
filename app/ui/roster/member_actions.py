"""Moving a member to another cell, and exempting them from activities (or ending it)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.formatting import format_date
from app.services.common.errors import ServiceError
from app.services.database import Database
from app.services.roster import members as member_service
from app.services.roster.organizations import OrgNode
from app.ui.common.form_dialog import GuardedDialog
from app.ui.common.widgets import DateField


class _ActionDialog(GuardedDialog):
    """A short form with a red line for problems and one button that names the action;
    Escape after a change asks first (each form watches its fields once they are filled)."""

    def __init__(self, title: str, action: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(480)
        self.form = QFormLayout()
        self.errors = QLabel()
        self.errors.setWordWrap(True)
        self.errors.setStyleSheet("color: #b71c1c;")
        self.errors.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setAutoDefault(False)
        self.ok_button = buttons.addButton(action, QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setDefault(True)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.errors)
        layout.addWidget(buttons)

    def apply(self) -> None:
        raise NotImplementedError

    def _accept(self) -> None:
        try:
            self.apply()
        except (ServiceError, ValueError) as error:
            self.errors.setText(str(error))
            self.errors.show()
            return
        self.accept()


class MoveDialog(_ActionDialog):
    """Transfer to another cell from a date; the old cell stays in the member's history."""

    def __init__(
        self,
        db: Database,
        member: member_service.MemberRow,
        cells: list[OrgNode],
        today: dt.date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(f"Chuyển sinh hoạt — {member.full_name}", "Chuyển", parent)
        self.db = db
        self.member = member
        self.cell = QComboBox()
        for cell in cells:
            if cell.id != member.cell_id:
                self.cell.addItem(cell.name, cell.id)
        self.on = DateField()
        self.on.setDate(today)
        self.note = QLineEdit()
        self.note.setPlaceholderText("Ví dụ: theo Quyết định số …")
        self.form.addRow("Đang ở", QLabel(member.cell_name))
        self.form.addRow("Chuyển đến", self.cell)
        self.form.addRow("Từ ngày", self.on)
        self.form.addRow("Ghi chú", self.note)
        self.watch((self.cell, self.on, self.note))

    def apply(self) -> None:
        on = self.on.date()
        if on is None:
            raise ValueError("Chưa nhập ngày chuyển")
        member_service.move_member(
            self.db, self.member.id, self.cell.currentData(), on, self.note.text()
        )


class ExemptionDialog(_ActionDialog):
    """Start an exemption (miễn công tác và sinh hoạt đảng) or end the current one."""

    def __init__(
        self,
        db: Database,
        member: member_service.MemberRow,
        today: dt.date,
        parent: QWidget | None = None,
    ) -> None:
        ending = member.is_exempt
        super().__init__(
            f"{'Thôi miễn' if ending else 'Miễn'} sinh hoạt — {member.full_name}",
            "Thôi miễn sinh hoạt" if ending else "Miễn sinh hoạt",
            parent,
        )
        self.db = db
        self.member = member
        self.ending = ending
        self.on = DateField()
        self.on.setDate(today)
        self.note = QLineEdit()
        if ending:
            self.form.addRow("Đang miễn từ", QLabel(format_date(member.exempt_since)))
            self.form.addRow("Sinh hoạt lại từ ngày", self.on)
        else:
            self.note.setPlaceholderText("Ví dụ: tuổi cao, sức yếu; theo nghị quyết chi bộ …")
            explain = QLabel(
                "Đảng viên được miễn công tác và sinh hoạt đảng không được đánh giá, xếp loại "
                "và không tính vào số đảng viên biểu quyết."
            )
            explain.setWordWrap(True)
            self.form.addRow(explain)
            self.form.addRow("Miễn từ ngày", self.on)
            self.form.addRow("Lý do", self.note)
        self.watch((self.on, self.note))

    def apply(self) -> None:
        on = self.on.date()
        if on is None:
            raise ValueError("Chưa nhập ngày")
        if self.ending:
            member_service.end_exemption(self.db, self.member.id, on)
        else:
            member_service.set_exemption(self.db, self.member.id, on, self.note.text())
