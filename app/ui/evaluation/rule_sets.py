"""Seeing a rule set (levels, parameters, checks, citations) and adjusting a copy of it."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.rules import (
    Parameter,
    RuleSet,
    RuleSetError,
    adjust_ruleset,
    check_label,
    copy_ruleset,
    parameters,
)
from app.domain.text import clean, search_fold
from app.services.periods import rule_sets as rulesets

CONFIDENCE_TEXT = {"sure": "chắc chắn", "likely": "khá chắc", "unsure": "chưa chắc"}
SEVERITY_TEXT = {"blocking": "bắt buộc", "warning": "cảnh báo"}


@dataclass(frozen=True)
class Choice:
    """One entry of the rule-set list: a period's kept copy, a shipped set or a user copy."""

    label: str
    ruleset: RuleSet
    editable: bool  # a user copy can be edited again


def choices(period_rulesets: dict[int, RuleSet]) -> tuple[list[Choice], list[str]]:
    found, errors = rulesets.available()
    shipped = rulesets.shipped_ids()
    items = [
        Choice(f"Kỳ đánh giá năm {year}: {rs.name} (bản lưu cùng kỳ)", rs, False)
        for year, rs in sorted(period_rulesets.items(), reverse=True)
    ]
    for rs in sorted(found.values(), key=lambda r: (r.id not in shipped, -r.first_year)):
        kind = "có sẵn" if rs.id in shipped else f"bản điều chỉnh của {rs.based_on or '?'}"
        items.append(Choice(f"{rs.name} ({kind})", rs, rs.id not in shipped))
    return items, [str(e) for e in errors]


def _table(headers: list[str], rows: list[list[str]]) -> QTableWidget:
    table = QTableWidget(len(rows), len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.setWordWrap(True)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(value))
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    table.resizeRowsToContents()
    return table


class RuleSetDialog(QDialog):
    """Menu Kỳ đánh giá → Bộ quy tắc: every rule set, and the one each period keeps."""

    def __init__(self, period_rulesets: dict[int, RuleSet], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Bộ quy tắc đánh giá, xếp loại")
        self.resize(1000, 680)
        self.period_rulesets = period_rulesets
        self.picker = QComboBox()
        self.errors = QLabel()
        self.errors.setWordWrap(True)
        self.errors.setStyleSheet("background: #fff4ce; padding: 6px;")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.tabs = QTabWidget()
        self.copy_button = QPushButton("Sao chép và điều chỉnh…")
        self.edit_button = QPushButton("Sửa bản điều chỉnh…")
        close = QPushButton("Đóng")
        self.copy_button.clicked.connect(self.copy_current)
        self.edit_button.clicked.connect(self.edit_current)
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.edit_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(QLabel("Bộ quy tắc:"))
        row.addWidget(self.picker, 1)
        layout.addLayout(row)
        layout.addWidget(self.errors)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(buttons)
        self.picker.currentIndexChanged.connect(self._show)
        self.reload()

    def reload(self, select_id: str | None = None) -> None:
        self.items, errors = choices(self.period_rulesets)
        self.errors.setText("Không đọc được một số tệp quy tắc (đã bỏ qua):\n" + "\n".join(errors))
        self.errors.setVisible(bool(errors))
        self.picker.blockSignals(True)
        self.picker.clear()
        for item in self.items:
            self.picker.addItem(item.label)
        self.picker.blockSignals(False)
        index = 0
        if select_id is not None:
            index = next(
                (i for i, c in enumerate(self.items) if c.ruleset.id == select_id and c.editable),
                0,
            )
        self.picker.setCurrentIndex(index)
        self._show()

    def current(self) -> Choice:
        return self.items[self.picker.currentIndex()]

    def _show(self) -> None:
        choice = self.current()
        rs = choice.ruleset
        years = f"từ năm {rs.first_year}" + (f" đến năm {rs.last_year}" if rs.last_year else "")
        based = f" · điều chỉnh từ “{rs.based_on}”" if rs.based_on else ""
        self.summary.setText(
            f"<b>{rs.name}</b> (mã {rs.id}) · áp dụng {years}{based}<br>{rs.description}"
        )
        self.edit_button.setEnabled(choice.editable)
        self.tabs.clear()
        self.tabs.addTab(self._levels(rs), "Các mức xếp loại")
        self.tabs.addTab(self._parameters(rs), "Tham số")
        self.tabs.addTab(self._checks(rs), "Các quy tắc kiểm tra")

    def _levels(self, rs: RuleSet) -> QWidget:
        rows = [["Đảng viên", lvl.name, lvl.short] for lvl in rs.member_levels.levels]
        rows += [["Tổ chức đảng", lvl.name, lvl.short] for lvl in rs.org_levels.levels]
        rows += [["Không xếp loại", rs.reason_label(r.code), ""] for r in rs.reasons]
        return _table(["Áp dụng cho", "Mức", "Viết tắt"], rows)

    def _parameters(self, rs: RuleSet) -> QWidget:
        tree = QTreeWidget()
        tree.setHeaderLabels(["Tham số", "Giá trị", "Độ tin cậy", "Căn cứ"])
        groups: dict[str, QTreeWidgetItem] = {}
        for p in parameters(rs):
            group = groups.get(p.group)
            if group is None:
                group = groups[p.group] = QTreeWidgetItem(tree, [p.group])
                group.setFirstColumnSpanned(True)
                group.setExpanded(True)
            item = QTreeWidgetItem(
                group, [p.label, p.text, CONFIDENCE_TEXT.get(p.confidence, p.confidence),
                        p.citation]
            )  # fmt: skip
            item.setToolTip(0, p.label)
            item.setToolTip(3, p.citation)
        tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        tree.setColumnWidth(0, 420)
        tree.setColumnWidth(1, 260)
        tree.setColumnWidth(2, 90)
        return tree

    def _checks(self, rs: RuleSet) -> QWidget:
        rows = [
            [
                check_label(spec.name),
                SEVERITY_TEXT[spec.severity] if spec.enabled else "đã tắt",
                CONFIDENCE_TEXT.get(spec.confidence, spec.confidence),
                spec.citation,
            ]
            for spec in rs.checks
        ]
        return _table(["Quy tắc", "Mức độ", "Độ tin cậy", "Căn cứ"], rows)

    def copy_current(self) -> None:
        dialog = AdjustDialog(self.current().ruleset, copy=True, parent=self)
        if self.run(dialog) and dialog.saved is not None:
            self.reload(dialog.saved.id)

    def edit_current(self) -> None:
        dialog = AdjustDialog(self.current().ruleset, copy=False, parent=self)
        if self.run(dialog) and dialog.saved is not None:
            self.reload(dialog.saved.id)

    def run(self, dialog: QDialog) -> bool:
        """Show a form modally (tests replace this to fill it in)."""
        return bool(dialog.exec())


def parse_ratio(text: str) -> Fraction | None:
    """ "20%", "20", "0,2", "0.2" or "2/3" → the ratio; None if it is not one."""
    value = clean(text).replace(" ", "")
    try:
        if value.endswith("%"):
            return Fraction(value[:-1].replace(",", ".")) / 100
        if "/" in value:
            return Fraction(value)
        number = Fraction(value.replace(",", "."))
        return number / 100 if number > 1 else number
    except (ValueError, ZeroDivisionError):
        return None


class AdjustDialog(QDialog):
    """Copy a rule set with parameters changed for a province (or edit such a copy again)."""

    def __init__(self, rs: RuleSet, *, copy: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rs = rs
        self.copy = copy
        self.saved: RuleSet | None = None
        self.setWindowTitle("Sao chép và điều chỉnh bộ quy tắc" if copy else "Sửa bộ quy tắc")
        self.resize(980, 700)
        self.new_id = QLineEdit(f"{rs.id}-tinh" if copy else rs.id)
        self.new_id.setEnabled(copy)
        self.new_name = QLineEdit(f"{rs.name} — điều chỉnh của tỉnh" if copy else rs.name)
        form = QFormLayout()
        form.addRow("Mã (chữ không dấu)", self.new_id)
        form.addRow("Tên", self.new_name)
        note = QLabel(
            "Chỉ sửa những tham số mà hướng dẫn của tỉnh quy định khác. Các kỳ đánh giá đã "
            "tạo vẫn giữ nguyên bộ quy tắc đã dùng."
        )
        note.setWordWrap(True)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Lọc tham số…")
        self.filter.textChanged.connect(self._filter)
        self.params = [p for p in parameters(rs) if p.kind != "choices"]
        self.table = QTableWidget(len(self.params), 3)
        self.table.setHorizontalHeaderLabels(["Tham số", "Giá trị", "Độ tin cậy"])
        self.table.verticalHeader().setVisible(False)
        self.editors: list[QWidget] = []
        for row, p in enumerate(self.params):
            label = QTableWidgetItem(f"{p.group}: {p.label}")
            label.setFlags(label.flags() & ~Qt.ItemFlag.ItemIsEditable)
            label.setToolTip(p.citation)
            self.table.setItem(row, 0, label)
            editor = self._editor(p)
            self.editors.append(editor)
            self.table.setCellWidget(row, 1, editor)
            sure = QTableWidgetItem(CONFIDENCE_TEXT.get(p.confidence, p.confidence))
            sure.setFlags(sure.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.table.setItem(row, 2, sure)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(1, 280)
        self.table.setColumnWidth(2, 100)
        self.errors = QLabel()
        self.errors.setWordWrap(True)
        self.errors.setStyleSheet("color: #b71c1c;")
        self.errors.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setAutoDefault(False)
        self.save_button = buttons.addButton("Lưu", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.filter)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.errors)
        layout.addWidget(buttons)

    def _editor(self, p: Parameter) -> QWidget:
        if p.kind == "bool":
            box = QCheckBox()
            box.setChecked(bool(p.value))
            return box
        if p.kind in ("choice", "level"):
            combo = QComboBox()
            for value, label in p.choices:
                combo.addItem(label, value)
            combo.setCurrentIndex(max(combo.findData(p.value), 0))
            return combo
        if p.kind == "int":
            spin = QSpinBox()
            spin.setRange(0, 3000)
            spin.setSpecialValueText("(không đặt)")
            spin.setValue(int(p.value) if p.value is not None else 0)
            return spin
        if p.kind == "number":
            double = QDoubleSpinBox()
            double.setRange(0, 1000)
            double.setDecimals(1)
            double.setValue(float(p.value) if p.value is not None else 0.0)
            return double
        line = QLineEdit(p.text if p.value is not None else "")
        line.setPlaceholderText("ví dụ 20% hoặc 2/3")
        return line

    def _value(self, p: Parameter, editor: QWidget) -> object:
        if isinstance(editor, QCheckBox):
            return editor.isChecked()
        if isinstance(editor, QComboBox):
            return editor.currentData()
        if isinstance(editor, QSpinBox):
            return None if editor.value() == 0 and p.value is None else editor.value()
        if isinstance(editor, QDoubleSpinBox):
            return editor.value()
        assert isinstance(editor, QLineEdit)
        if p.kind == "ratio":
            ratio = parse_ratio(editor.text())
            if ratio is None:
                raise ValueError(f"{p.label}: “{editor.text()}” không phải tỷ lệ (ví dụ 20%)")
            return ratio
        return editor.text()

    def changes(self) -> dict[str, object]:
        changed: dict[str, object] = {}
        for p, editor in zip(self.params, self.editors, strict=True):
            if isinstance(editor, QLineEdit) and editor.text() == p.text:
                continue  # "66,7%" shown for 2/3 must not become 667/1000 unasked
            value = self._value(p, editor)
            same = value == p.value or (
                isinstance(p.value, float) and isinstance(value, float)
                and abs(p.value - value) < 1e-9
            )  # fmt: skip
            if not same:
                changed[p.path] = value
        return changed

    def _filter(self, text: str) -> None:
        wanted = search_fold(text)
        for row, p in enumerate(self.params):
            shown = not wanted or wanted in search_fold(f"{p.group} {p.label}")
            self.table.setRowHidden(row, not shown)

    def save(self) -> None:
        labels = {p.path: p.label for p in self.params}
        try:
            changes = self.changes()
            if self.copy:
                new_id, new_name = clean(self.new_id.text()), clean(self.new_name.text())
                result = copy_ruleset(self.rs, new_id, new_name, changes)
            else:
                result = adjust_ruleset(self.rs, changes, clean(self.new_name.text()))
            rulesets.save_copy(result)
        except RuleSetError as error:
            where = labels.get(error.key or "", error.key or "")
            self._show(f"{where}: {error.problem}" if where else str(error))
            return
        except (ValueError, OSError) as error:
            self._show(str(error))
            return
        self.saved = result
        self.accept()

    def _show(self, message: str) -> None:
        self.errors.setText(message)
        self.errors.show()
