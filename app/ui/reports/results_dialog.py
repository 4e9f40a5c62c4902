"""What an import of past years' results will change, shown before anything is written."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.formatting import format_int

if TYPE_CHECKING:  # only a type here; importing it loads openpyxl at every start
    from app.services.results.workbook import ImportPlan

SHOWN_CHANGES = 2000  # a preview, not an archive: the rest is counted


class ResultsPreview(QDialog):
    """The plan year by year, every change to a recorded result, and the conflicts; the user
    imports, or not. Conflicts are only overwritten when the box says so."""

    def __init__(self, plan: ImportPlan, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan = plan
        self.setWindowTitle(f"Nhập kết quả — {plan.path.name}")
        self.resize(900, 600)
        summary = QLabel(plan.describe() or "Tệp không có kết quả nào để nhập.")
        summary.setWordWrap(True)
        changes = plan.changes[:SHOWN_CHANGES]
        table = QTableWidget(len(changes), 6)
        table.setHorizontalHeaderLabels(
            ["Năm", "Mã", "Họ và tên / tổ chức", "Đang ghi", "Theo tệp", "Dòng"]
        )
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        for r, change in enumerate(changes):
            values = [
                str(change.year),
                change.code,
                change.name,
                change.before,
                change.after,
                f"{change.sheet}, dòng {change.row}",
            ]
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                if change.conflict:
                    item.setForeground(QColor("#b71c1c"))
                table.setItem(r, c, item)
        table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        table.setVisible(bool(changes))
        more = len(plan.changes) - len(changes)
        changes_label = QLabel(
            f"Kết quả đã ghi sẽ thay đổi: {format_int(len(plan.changes))}"
            + (f" (hiện {format_int(len(changes))}, còn {format_int(more)})" if more else "")
            + (
                f"; màu đỏ: {format_int(len(plan.conflicts))} khác với kết quả đã quyết định"
                if plan.conflicts
                else ""
            )
        )
        changes_label.setVisible(bool(plan.changes))
        self.replace = QCheckBox(
            f"Ghi đè {format_int(len(plan.conflicts))} kết quả đã quyết định bằng kết quả "
            "trong tệp (mỗi thay đổi được ghi vào nhật ký)"
        )
        self.replace.setVisible(bool(plan.conflicts))
        names = QLabel(_mismatch_text(plan))
        names.setWordWrap(True)
        names.setStyleSheet("color: #b71c1c")
        names.setVisible(bool(plan.name_mismatches))
        self.accept_names = QCheckBox(
            f"Đúng là người mang mã ấy: ghi {format_int(len(plan.name_mismatches))} kết quả "
            "này cho họ, giữ họ tên trong danh sách (mỗi dòng được ghi vào nhật ký)"
        )
        self.accept_names.setVisible(bool(plan.name_mismatches))
        # A decided year is locked: writing it takes an unlock with a reason, logged.
        locked = ", ".join(str(y) for y in plan.locked_years)
        reopen_label = QLabel(
            f"Năm {locked} đã quyết định và khóa. Tệp thay đổi kết quả của năm ấy: muốn nhập, "
            "ghi lý do mở khóa (được ghi vào nhật ký; nhập xong năm ấy được khóa lại)."
        )
        reopen_label.setWordWrap(True)
        reopen_label.setStyleSheet("color: #b71c1c")
        self.reopen = QLineEdit()
        self.reopen.setPlaceholderText("Lý do mở khóa, ví dụ: theo Công văn … của Ban Tổ chức")
        reopen_label.setBuddy(self.reopen)
        for widget in (reopen_label, self.reopen):
            widget.setVisible(bool(plan.locked_years))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = buttons.addButton("Nhập", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.replace.toggled.connect(self._enable_import)
        self.accept_names.toggled.connect(self._enable_import)
        self.reopen.textChanged.connect(self._enable_import)
        self._enable_import()
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(changes_label)
        layout.addWidget(table, 1)
        layout.addWidget(self.replace)
        layout.addWidget(names)
        layout.addWidget(self.accept_names)
        layout.addWidget(reopen_label)
        layout.addWidget(self.reopen)
        layout.addWidget(buttons)

    def _enable_import(self) -> None:
        # Import only what the user has seen and agreed to: overwritten decisions, other names.
        conflicts_ok = not self.plan.conflicts or self.replace.isChecked()
        names_ok = not self.plan.name_mismatches or self.accept_names.isChecked()
        reason_ok = not self.plan.locked_years or bool(self.reopen.text().strip())
        self.import_button.setEnabled(conflicts_ok and names_ok and reason_ok)


SHOWN_MISMATCHES = 15


def _mismatch_text(plan: ImportPlan) -> str:
    """The rows whose name is not the registry's for their code, listed for the user."""
    mismatches = plan.name_mismatches
    if not mismatches:
        return ""
    lines = [
        f"{format_int(len(mismatches))} dòng ghi họ tên khác với danh sách đảng viên (khác "
        "chữ hoặc dấu). Kiểm tra từng dòng: một mã gõ nhầm sẽ ghi kết quả cho người khác."
    ]
    lines += [f"• {m}" for m in mismatches[:SHOWN_MISMATCHES]]
    if len(mismatches) > SHOWN_MISMATCHES:
        lines.append(f"… và {format_int(len(mismatches) - SHOWN_MISMATCHES)} dòng khác")
    return "\n".join(lines)
