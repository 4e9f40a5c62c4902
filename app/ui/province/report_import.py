"""Tệp → Nhận báo cáo của xã…: the province opens a commune's report (.dgr), sees what it
brings (a new commune-year, or what changes against the report it holds), and receives it
("Nhận") or refuses it ("Không nhận", logged with its reason). The same look and flow as the
exchange package's import (app/ui/files/exchange.py); a refusal by the services is shown in
the dialog, which stays open, and nothing is written."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.services.common.errors import ServiceError
from app.services.reports import importer, preview
from app.ui.common import ask
from app.ui.files.protected_file import read_protected
from app.ui.province.report_export import REPORT_FILTER

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from app.services.database import Database
    from app.services.reports.records import ReportPackage
    from app.ui.common.operations import Operations

RED, AMBER = "#b71c1c", "#8a5a00"


def receive_report(ops: Operations, db: Database, actor: Callable[[], str]) -> None:
    """Open a report, preview it, then receive or refuse it in the dialog."""
    window = ops.parent
    path = ask.open_file(window, "Nhận báo cáo của xã", REPORT_FILTER)
    if path is None:
        return
    package = open_report(ops, path)
    if package is None:
        return

    def show(plan: preview.ImportPreview) -> None:
        dialog = ReceiveReportDialog(plan, db, actor, path, window)
        if ops.ask(dialog) and dialog.outcome:
            ops.saved()
            ask.inform(window, "Báo cáo của xã", dialog.outcome)

    ops.in_background(
        "Đang so sánh báo cáo với dữ liệu của tỉnh…",
        lambda _progress: importer.plan_import(db, package),
        show,
    )


def open_report(ops: Operations, path: Path) -> ReportPackage | None:
    """Read the report, asking for its password while it is encrypted and the user goes on."""
    return read_protected(
        ops, path, importer.read_report_file, "Báo cáo có mật khẩu",
        f"Báo cáo “{path.name}” được đặt mật khẩu. Hãy nhập mật khẩu đảng bộ xã đã báo.",
    )  # fmt: skip


class ReceiveReportDialog(QDialog):
    """The preview in words, a reason, and "Nhận" / "Không nhận" / "Đóng". The dialog does
    the storing or the refusing itself, so that a refusal (no reason, the store changed since
    the preview) is shown here, in red, and the user can answer it."""

    def __init__(
        self,
        plan: preview.ImportPreview,
        db: Database,
        actor: Callable[[], str],
        path: Path,
        parent: QWidget | None,
    ) -> None:
        super().__init__(parent)
        self.plan, self.db, self.actor = plan, db, actor
        self.outcome = ""  # what was done, for the message after the dialog
        self.setWindowTitle(f"Nhận báo cáo của xã — {path.name}")
        self.resize(900, 600)
        self.summary = QLabel(_summary(plan))
        self.summary.setWordWrap(True)
        if plan.needs_reason:
            self.summary.setStyleSheet(f"color: {RED}; font-weight: bold;")
        self.text = QTextBrowser()
        self.text.setHtml(preview_html(plan))
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(
            "Bắt buộc khi thay thế báo cáo đã nhận, và khi không nhận"
            if plan.needs_reason
            else "Bắt buộc khi không nhận"
        )
        reason_label = QLabel("&Lý do (ghi vào nhật ký):")
        reason_label.setBuddy(self.reason)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(f"color: {RED}; font-weight: bold;")
        self.problem.hide()
        buttons = QDialogButtonBox()
        self.receive_button = buttons.addButton("Nhận", QDialogButtonBox.ButtonRole.ActionRole)
        self.refuse_button = buttons.addButton("Không nhận", QDialogButtonBox.ButtonRole.ActionRole)
        self.close_button = buttons.addButton("Đóng", QDialogButtonBox.ButtonRole.RejectRole)
        self.receive_button.setEnabled(plan.changes)
        self.receive_button.setToolTip(
            "Lưu báo cáo vào dữ liệu của tỉnh" if plan.changes else "Tỉnh đã có đúng báo cáo này"
        )
        self.close_button.setDefault(True)
        self.receive_button.clicked.connect(self.receive)
        self.refuse_button.clicked.connect(self.refuse)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.text, 1)
        layout.addWidget(reason_label)
        layout.addWidget(self.reason)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.reason.setFocus()

    def _refused(self, error: ServiceError) -> None:
        self.problem.setText(f"Không thực hiện được: {error}")
        self.problem.show()
        self.reason.setFocus()

    def receive(self) -> None:
        """Nhận: store the report (a replacement needs the reason)."""
        reason = self.reason.text().strip()
        if self.plan.needs_reason and not reason:
            self._refused(
                ServiceError(
                    "báo cáo này thay thế báo cáo tỉnh đã nhận: hãy ghi lý do thay thế (ví dụ "
                    "“xã sửa kết quả sau khi mở khóa”)."
                )
            )
            return
        try:
            result = importer.apply_import(self.db, self.plan, actor=self.actor(), reason=reason)
        except ServiceError as error:
            self._refused(error)
            return
        self.outcome = result.describe()
        self.accept()

    def refuse(self) -> None:
        """Không nhận: the refusal and its reason go into the log."""
        reason = self.reason.text().strip()
        if not reason:
            self._refused(ServiceError("hãy ghi lý do không nhận báo cáo (ghi vào nhật ký)."))
            return
        try:
            self.outcome = importer.reject_report(
                self.db, self.plan.package, reason, actor=self.actor()
            )
        except ServiceError as error:
            self._refused(error)
            return
        self.accept()


def _summary(plan: preview.ImportPreview) -> str:
    if plan.kind is preview.ImportKind.SAME:
        return f"{plan.title}: tỉnh đã có đúng báo cáo này, không có gì thay đổi."
    if plan.needs_reason:
        return (
            f"{plan.title}: báo cáo này sẽ THAY THẾ báo cáo tỉnh đã nhận. Ghi lý do rồi chọn "
            "“Nhận”, hoặc “Không nhận”."
        )
    return f"{plan.title}: báo cáo mới. Xem kỹ rồi chọn “Nhận” hoặc “Không nhận”."


def preview_html(plan: preview.ImportPreview) -> str:
    """plan.lines(), with what matters coloured: a replacement red, warnings amber; the
    indented lines (changes, members) as lists."""
    parts: list[str] = []
    items: list[str] = []

    def flush() -> None:
        if items:
            parts.append("<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>")
            items.clear()

    for line in plan.lines():
        text = html.escape(line.strip().removeprefix("- "))
        if line.startswith("  "):
            items.append(text)
            continue
        flush()
        if line.startswith("Lưu ý:"):
            parts.append(f'<p style="color: {AMBER};"><b>{text}</b></p>')
        elif "THAY THẾ" in line:
            parts.append(f'<p style="color: {RED};"><b>{text}</b></p>')
        else:
            parts.append(f"<p>{text}</p>")
    flush()
    return "".join(parts)
