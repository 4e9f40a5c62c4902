"""Creating the commune committee on first start, and adding or editing organisations."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.vocabulary import OrgKind
from app.services.common.errors import ServiceError, ValidationError
from app.services.database import Database
from app.services.roster import organizations as org_service
from app.ui.common.form_dialog import GuardedDialog
from app.ui.common.widgets import DateField, mark_invalid


class OrgDialog(GuardedDialog):
    """Add an organisation under *parent* (``node`` None), or edit *node*; Escape with
    something typed asks first. The discipline tab saves each row itself: not watched."""

    def __init__(
        self,
        db: Database,
        parent_node: org_service.OrgNode | None,
        node: org_service.OrgNode | None = None,
        kind: OrgKind = OrgKind.CELL,
        parent: QWidget | None = None,
        history_part: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.node = node
        self.parent_node = parent_node
        self.saved: org_service.OrgNode | None = None
        is_root = (node is not None and node.parent_id is None) or (
            node is None and parent_node is None
        )
        if node is not None:
            title = f"Sửa thông tin — {node.name}"
        elif kind is OrgKind.CELL:
            title = "Thêm chi bộ"
        else:
            title = f"Thêm {kind.label.lower()}"
        self.setWindowTitle(title)
        self.setMinimumWidth(520)

        self.name = QLineEdit()
        self.code = QLineEdit()
        self.kind = QComboBox()
        for option in OrgKind:
            self.kind.addItem(option.label, option)
        self.kind.setCurrentIndex(self.kind.findData(node.kind if node else kind))
        self.place = QLineEdit()
        self.place.setPlaceholderText("In trước ngày tháng trên văn bản, ví dụ: Na Tông")
        self.superior = QLineEdit()
        self.superior.setPlaceholderText("Ví dụ: Đảng bộ tỉnh Điện Biên")
        self.established = DateField()

        form = QFormLayout()
        if parent_node is not None:
            form.addRow("Trực thuộc", QLabel(parent_node.name))
        form.addRow("Tên", self.name)
        form.addRow("Mã", self.code)
        form.addRow("Loại", self.kind)
        form.addRow("Địa danh", self.place)
        if is_root:
            form.addRow("Cấp trên", self.superior)
        form.addRow("Ngày thành lập", self.established)
        self.errors = QLabel()
        self.errors.setWordWrap(True)
        self.errors.setStyleSheet("color: #b71c1c;")
        self.errors.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setAutoDefault(False)
        save = buttons.addButton("Lưu", QDialogButtonBox.ButtonRole.AcceptRole)
        save.setDefault(True)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if history_part is None:
            layout.addLayout(form)
        else:  # an existing organisation: its discipline in a tab of its own
            tabs = QTabWidget()
            details = QWidget()
            details.setLayout(form)
            tabs.addTab(details, "&Thông tin")
            tabs.addTab(history_part, "&Kỷ luật")
            layout.addWidget(tabs)
        layout.addWidget(self.errors)
        layout.addWidget(buttons)

        if node is not None:
            self.name.setText(node.name)
            self.code.setText(node.code)
            self.place.setText(node.place_name)
            self.superior.setText(node.superior_line)
            self.established.setDate(node.established_on)
        else:
            prefix = "CB" if kind is OrgKind.CELL else "DB"
            self.code.setText(org_service.next_code(db, prefix))
            if parent_node is not None:
                self.place.setText(parent_node.place_name)
        self.watch((self.name, self.code, self.kind, self.place, self.superior, self.established))
        self.name.setFocus()

    def save(self) -> None:
        problem = self.established.problem()
        if problem:
            self._show([("established", problem)])
            return
        fields = org_service.OrgFields(
            code=self.code.text().strip(),
            name=self.name.text(),
            kind=self.kind.currentData(),
            parent_id=self.parent_node.id if self.parent_node else None,
            place_name=self.place.text(),
            superior_line=self.superior.text(),
            established_on=self.established.date(),
        )
        try:
            if self.node is None:
                self.saved = org_service.add_organization(self.db, fields)
            else:
                self.saved = org_service.update_organization(self.db, self.node.id, fields)
        except ValidationError as error:
            self._show([(p.field, p.message) for p in error.problems])
            return
        except ServiceError as error:
            self._show([("", str(error))])
            return
        self.accept()

    def _show(self, problems: list[tuple[str, str]]) -> None:
        widgets = {"name": self.name, "code": self.code, "kind": self.kind}
        bad = {field for field, _ in problems}
        for key, widget in widgets.items():
            mark_invalid(widget, key in bad)
        self.errors.setText("\n".join(f"• {message}" for _, message in problems))
        self.errors.show()


class CommuneDialog(GuardedDialog):
    """First start with an empty database: the commune committee this database is for."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Tạo đảng bộ xã")
        self.setMinimumWidth(540)
        intro = QLabel(
            "Nhập tên đảng bộ xã dùng cơ sở dữ liệu này. Các thông tin này được in ở đầu "
            "mọi văn bản và có thể sửa sau."
        )
        intro.setWordWrap(True)
        self.name = QLineEdit()
        self.name.setPlaceholderText("Ví dụ: Đảng bộ xã Na Tông")
        self.superior = QLineEdit()
        self.superior.setPlaceholderText("Ví dụ: Đảng bộ tỉnh Điện Biên")
        self.place = QLineEdit()
        self.place.setPlaceholderText("Ví dụ: Na Tông")
        form = QFormLayout()
        form.addRow("Tên đảng bộ", self.name)
        form.addRow("Cấp trên trực tiếp", self.superior)
        form.addRow("Địa danh", self.place)
        self.errors = QLabel()
        self.errors.setStyleSheet("color: #b71c1c;")
        self.errors.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setAutoDefault(False)
        create = buttons.addButton("Tạo", QDialogButtonBox.ButtonRole.AcceptRole)
        create.setDefault(True)
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.errors)
        layout.addWidget(buttons)
        self.watch((self.name, self.superior, self.place))

    def _check(self) -> None:
        missing = [
            label
            for label, field in (("tên đảng bộ", self.name), ("địa danh", self.place))
            if not field.text().strip()
        ]
        for field in (self.name, self.place):
            mark_invalid(field, not field.text().strip())
        if missing:
            self.errors.setText("Chưa nhập " + " và ".join(missing) + ".")
            self.errors.show()
            return
        self.accept()

    def fields(self) -> org_service.OrgFields:
        return org_service.OrgFields(
            code="DBXA",
            name=self.name.text(),
            kind=OrgKind.COMMITTEE,
            parent_id=None,
            place_name=self.place.text(),
            superior_line=self.superior.text(),
        )
