"""Adding and editing a member, with every problem shown beside the form before saving."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.member_checks import FIELD_LABELS, FieldProblem, MemberFields, check_member
from app.domain.vocabulary import FormCategory, Gender
from app.services.common.errors import ValidationError
from app.services.database import Database, StoreError
from app.services.roster import members as member_service
from app.services.roster.organizations import OrgNode
from app.ui.common.form_dialog import GuardedDialog
from app.ui.common.widgets import DateField, mark_invalid
from app.ui.roster.history_part import MemberHistoryPart

PARTY_POSTS = ["", "Bí thư chi bộ", "Phó Bí thư chi bộ", "Chi ủy viên"]
FORM_CATEGORY_TEXT = {
    FormCategory.A: "2A — làm việc trong hệ thống chính trị",
    FormCategory.B: "2B — giữ chức vụ lãnh đạo, quản lý",
    FormCategory.C: "2C — không làm việc trong hệ thống chính trị",
}


class MemberDialog(GuardedDialog):
    """Add a member to a cell (``member`` None) or edit one; saves through the services.
    Escape with something typed asks before throwing it away (a half-typed new member too)."""

    def __init__(
        self,
        db: Database,
        cells: list[OrgNode],
        today: dt.date,
        member: member_service.MemberRow | None = None,
        cell_id: int | None = None,
        parent: QWidget | None = None,
        history_part: MemberHistoryPart | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.today = today
        self.member = member
        self.saved_id: int | None = None
        self.setWindowTitle("Sửa thông tin đảng viên" if member else "Thêm đảng viên")
        self.setMinimumWidth(560)

        self.code = QLineEdit()
        self.full_name = QLineEdit()
        self.full_name.setPlaceholderText("Ví dụ: Lò Văn Pọm")
        self.birth_date = DateField()
        self.gender = QComboBox()
        self.gender.addItem("—", None)
        for gender in Gender:
            self.gender.addItem(gender.label, gender)
        self.cell = QComboBox()
        for cell in cells:
            self.cell.addItem(cell.name, cell.id)
        self.admitted_on = DateField()
        self.official_on = DateField()
        self.official_on.setPlaceholderText("để trống nếu là đảng viên dự bị")
        self.party_post = QComboBox()
        self.party_post.setEditable(True)
        self.party_post.addItems(PARTY_POSTS)
        self.other_post = QLineEdit()
        self.other_post.setPlaceholderText("Ví dụ: Trưởng bản")
        self.form_category = QComboBox()
        for category, text in FORM_CATEGORY_TEXT.items():
            self.form_category.addItem(text, category)
        self.civil_servant = QCheckBox("Là cán bộ, công chức, viên chức")
        self.card_number = QLineEdit()
        self.exempt_since = DateField()
        self.exempt_since.setPlaceholderText("để trống nếu đang sinh hoạt")

        form = QFormLayout()
        self.fields: dict[str, QWidget] = {
            "code": self.code,
            "full_name": self.full_name,
            "birth_date": self.birth_date,
            "gender": self.gender,
            "cell": self.cell,
            "admitted_on": self.admitted_on,
            "official_on": self.official_on,
            "party_post": self.party_post,
            "other_post": self.other_post,
            "form_category": self.form_category,
            "is_civil_servant": self.civil_servant,
            "card_number": self.card_number,
            "exempt_since": self.exempt_since,
        }
        labels = dict(FIELD_LABELS, cell="Chi bộ", is_civil_servant="")
        for key, widget in self.fields.items():
            if key == "cell" and member is not None:
                continue  # moving between cells keeps history: "Chuyển chi bộ"
            form.addRow(labels[key], widget)
        self.errors = QLabel()
        self.errors.setWordWrap(True)
        self.errors.setStyleSheet("color: #b71c1c;")
        self.errors.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setAutoDefault(False)
        self.save_button = buttons.addButton("Lưu", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setDefault(True)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if history_part is None:
            layout.addLayout(form)
        else:  # an existing member: the dated records the rules read, in a tab of its own
            self.tabs = QTabWidget()
            details = QWidget()
            details.setLayout(form)
            self.tabs.addTab(details, "&Thông tin")
            self.tabs.addTab(history_part, "&Quá trình")
            history_part.changed = self._history_changed
            layout.addWidget(self.tabs)
            self.setMinimumWidth(660)  # the history's tables show their dates whole
        layout.addWidget(self.errors)
        layout.addWidget(buttons)

        if member is not None:
            self._fill(member)
        else:
            self.code.setText(member_service.next_member_code(db))
            self.form_category.setCurrentIndex(self.form_category.findData(FormCategory.C))
            if cell_id is not None:
                self.cell.setCurrentIndex(max(self.cell.findData(cell_id), 0))
        # What the form holds now (the record, or a new member's suggested code) is the
        # starting point; the history tab saves each row itself and is not watched.
        self.watch(self.fields.values())
        self.full_name.setFocus()

    def _fill(self, member: member_service.MemberRow) -> None:
        self.code.setText(member.code)
        self.full_name.setText(member.full_name)
        self.birth_date.setDate(member.birth_date)
        self.gender.setCurrentIndex(max(self.gender.findData(member.gender), 0))
        self.admitted_on.setDate(member.admitted_on)
        self.official_on.setDate(member.official_on)
        self.party_post.setCurrentText(member.party_post)
        self.other_post.setText(member.other_post)
        self.form_category.setCurrentIndex(self.form_category.findData(member.form_category))
        self.civil_servant.setChecked(member.is_civil_servant)
        self.card_number.setText(member.card_number)
        self.exempt_since.setDate(member.exempt_since)

    def _history_changed(self) -> None:
        """An exemption entered in the history shows in the form's own field, so saving the
        form afterwards keeps it."""
        assert self.member is not None
        current = member_service.get_member(self.db, self.member.id, self.today)
        self.exempt_since.setDate(current.exempt_since)
        self.mark_clean(self.exempt_since)  # saved already: nothing to lose on Escape

    def _read(self) -> tuple[MemberFields, list[FieldProblem]]:
        """The form as fields, and the dates that could not be read (left as None)."""
        problems: list[FieldProblem] = []
        dates: dict[str, dt.date | None] = {}
        for key in ("birth_date", "admitted_on", "official_on", "exempt_since"):
            field = self.fields[key]
            assert isinstance(field, DateField)
            message = field.problem()
            if message:
                problems.append(FieldProblem(key, message))
            dates[key] = None if message else field.date()
        fields = MemberFields(
            code=self.code.text(),
            full_name=self.full_name.text(),
            birth_date=dates["birth_date"],
            gender=self.gender.currentData(),
            admitted_on=dates["admitted_on"],
            official_on=dates["official_on"],
            party_post=self.party_post.currentText(),
            other_post=self.other_post.text(),
            form_category=self.form_category.currentData(),
            is_civil_servant=self.civil_servant.isChecked(),
            card_number=self.card_number.text(),
            exempt_since=dates["exempt_since"],
        )
        return fields, problems

    def save(self) -> None:
        fields, problems = self._read()
        if problems:
            # Show every problem at once: the other fields are checked too.
            unreadable = {p.field for p in problems}
            problems += [
                p
                for p in check_member(member_service.normalise(fields), self.today)
                if p.field not in unreadable
            ]
        else:
            try:
                if self.member is None:
                    self.saved_id = member_service.add_member(
                        self.db, fields, self.cell.currentData(), self.today
                    )
                else:
                    member_service.update_member(self.db, self.member.id, fields, self.today)
                    self.saved_id = self.member.id
            except ValidationError as error:
                problems = error.problems
            except StoreError as error:
                # A full disk: nothing was written; the dialog stays open with what was typed.
                self.show_problems([])
                self.errors.setText(str(error))
                self.errors.setVisible(True)
                return
        self.show_problems(problems)
        if not problems:
            self.accept()

    def show_problems(self, problems: list[FieldProblem]) -> None:
        bad = {p.field for p in problems}
        for key, widget in self.fields.items():
            mark_invalid(widget, key in bad)
        self.errors.setText("\n".join(f"• {p.label}: {p.message}" for p in problems))
        self.errors.setVisible(bool(problems))
