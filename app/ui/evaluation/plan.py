"""The commune's plan for a period: a due date per step."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from app.domain.formatting import DateFormatError
from app.domain.plan import LABELS, MILESTONES, Plan, suggested
from app.services.common.errors import ValidationError
from app.services.database import Database
from app.services.procedure import plan_dates as plan_service
from app.ui.common.widgets import DateField, mark_invalid


class PlanDialog(QDialog):
    def __init__(
        self, db: Database, year: int, actor: Callable[[], str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.db, self.year, self.actor = db, year, actor
        self.saved = False
        self.setWindowTitle(f"Kế hoạch đánh giá năm {year}")
        current = plan_service.get_plan(db, year)
        shown = suggested(year, current.deadline) if current.empty else current
        intro = QLabel(
            "Ngày phải xong từng bước. Bảng theo dõi so từng chi bộ với các ngày này: quá hạn "
            "(đỏ), sắp đến hạn trong 7 ngày (vàng), đúng tiến độ. Để trống bước nào thì bước "
            "đó không theo dõi."
            + ("\nChưa có kế hoạch: các ngày dưới đây là gợi ý, hãy sửa theo kế hoạch của "
               "đảng ủy." if current.empty else "")
        )  # fmt: skip
        intro.setWordWrap(True)
        self.fields: dict[str, DateField] = {}
        form = QFormLayout()
        for m in MILESTONES:
            field = DateField()
            field.setDate(shown.due(m.key))
            self.fields[m.key] = field
            form.addRow(LABELS[m.key], field)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b71c1c;")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.resize(480, 320)

    def plan(self) -> Plan:
        """The dates typed; raises DateFormatError (marking the field) for a bad one."""
        values = {}
        for key, field in self.fields.items():
            mark_invalid(field, False)
            try:
                values[key] = field.date()
            except DateFormatError:
                mark_invalid(field, True)
                raise
        return Plan(**values)

    def save(self) -> None:
        try:
            plan = self.plan()
            plan_service.save_plan(self.db, self.year, plan, self.actor())
        except DateFormatError as error:
            self.problem.setText(f"Ngày không đúng: {error}")
            return
        except ValidationError as error:
            for p in error.problems:
                mark_invalid(self.fields[p.field], True)
            self.problem.setText(str(error))
            return
        self.saved = True
        self.accept()
