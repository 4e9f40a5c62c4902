"""The exchange package in the window (menu "Kỳ đánh giá"): a cell exports its period to one
file, with an optional password; the commune opens a package, sees every change, conflict and
blocking reason, and imports it or not."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.domain.formatting import format_int
from app.domain.vocabulary import OrgKind
from app.services.exchange import package as exchange
from app.ui.common import ask
from app.ui.common.operations import Operations
from app.ui.files.password_dialogs import NewPasswordDialog
from app.ui.files.protected_file import read_protected

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from app.services.database import Database
    from app.services.roster.quick_read import OrgNode

PACKAGE_FILTER = f"Gói dữ liệu DanhGia (*{exchange.EXTENSION});;Mọi tệp (*)"
RED, AMBER, GREY = "#b71c1c", "#8a5a00", "#555555"
PASSWORD_TEXT = (
    "Gói dữ liệu sẽ rời khỏi máy này (USB, thư điện tử). Nên đặt mật khẩu: không có mật khẩu "
    "thì không ai đọc được gói, kể cả tên đảng viên. Hãy báo mật khẩu cho đảng ủy qua điện "
    "thoại hoặc gặp trực tiếp, không gửi kèm tệp."
)


# ---- export ------------------------------------------------------------------------------------


def export_cell_package(
    ops: Operations, db: Database, node: OrgNode | None, year: int | None, actor: str
) -> None:
    """Kỳ đánh giá → Xuất gói dữ liệu của chi bộ… (the cell selected in the tree)."""
    window = ops.parent
    if node is None or node.kind is not OrgKind.CELL:
        ask.inform(
            window,
            "Chưa chọn chi bộ",
            "Hãy chọn một chi bộ trong cây tổ chức, rồi xuất gói dữ liệu của chi bộ đó.",
        )
        return
    if year is None:
        ask.inform(window, "Chưa có kỳ đánh giá", "Chưa có kỳ đánh giá nào để xuất.")
        return
    path = ask.save_file(
        window,
        f"Xuất gói dữ liệu năm {year} của {node.name}",
        f"goi-{node.code}-{year}{exchange.EXTENSION}",
        PACKAGE_FILTER,
    )
    if path is None:
        return
    if path.suffix.lower() != exchange.EXTENSION:
        path = path.with_name(path.name + exchange.EXTENSION)
    form = NewPasswordDialog(
        "Đặt mật khẩu cho gói dữ liệu",
        PASSWORD_TEXT,
        accept_text="Đặt mật khẩu và xuất",
        skip_text="Xuất không mật khẩu",
        parent=window,
    )
    if not ops.ask(form):
        return
    password = form.password() or None
    cell_id = node.id

    def done(info: exchange.PackageInfo) -> None:
        text = info.describe()
        if password:
            text += "\n\nGói đã được đặt mật khẩu: hãy báo mật khẩu cho người nhận riêng."
        ask.inform(window, "Đã xuất gói dữ liệu", text)

    ops.in_background(
        "Đang xuất gói dữ liệu…",
        lambda _progress: exchange.export_package(
            db, year, cell_id, path, actor=actor, password=password
        ),
        done,
    )


# ---- import ------------------------------------------------------------------------------------


def import_package(ops: Operations, db: Database, actor: Callable[[], str]) -> None:
    """Kỳ đánh giá → Nhập gói dữ liệu từ chi bộ…: open, preview, then import or not."""
    window = ops.parent
    path = ask.open_file(window, "Nhập gói dữ liệu từ chi bộ", PACKAGE_FILTER)
    if path is None:
        return
    package = open_package(ops, path)
    if package is None:
        return

    def show(plan: exchange.ImportPlan) -> None:
        preview = ImportPreview(plan, path, window)
        if not ops.ask(preview):
            return
        ops.in_background(
            "Đang nhập gói dữ liệu…",
            lambda _progress: exchange.apply_package(db, plan, actor=actor()),
            imported,
        )

    def imported(result: exchange.ApplyResult) -> None:
        ops.saved()
        ask.inform(window, "Đã nhập gói dữ liệu", result.describe())

    ops.in_background(
        "Đang so sánh gói với dữ liệu đang có…",
        lambda _progress: exchange.plan_import(db, package),
        show,
    )


def open_package(ops: Operations, path: Path) -> exchange.Package | None:
    """Read the package, asking for its password while it is encrypted and the user goes on."""
    return read_protected(
        ops, path, exchange.read_package, "Gói dữ liệu có mật khẩu",
        f"Gói “{path.name}” được đặt mật khẩu. Hãy nhập mật khẩu chi bộ đã báo.",
    )  # fmt: skip


class ImportPreview(QDialog):
    """Everything the import would do, before it does it: blocking reasons and warnings first,
    conflicts in red, then every change and what stays as the commune has it."""

    def __init__(self, plan: exchange.ImportPlan, path: Path, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.plan = plan
        self.setWindowTitle(f"Nhập gói dữ liệu — {path.name}")
        self.resize(900, 620)
        self.summary = QLabel(_summary(plan))
        self.summary.setWordWrap(True)
        if plan.blocked:
            self.summary.setStyleSheet(f"color: {RED}; font-weight: bold;")
        self.text = QTextBrowser()
        self.text.setHtml(preview_html(plan))
        buttons = QDialogButtonBox()
        self.import_button = buttons.addButton("Nhập", QDialogButtonBox.ButtonRole.AcceptRole)
        self.reject_button = buttons.addButton("Không nhập", QDialogButtonBox.ButtonRole.RejectRole)
        self.import_button.setEnabled(not plan.blocked and bool(plan.changes))
        self.reject_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)


def _summary(plan: exchange.ImportPlan) -> str:
    if plan.blocked:
        return f"Không nhập được gói của {plan.cell_name}: xem lý do màu đỏ bên dưới."
    if not plan.changes:
        return f"Không có gì thay đổi: {plan.cell_name} đã có đúng như trong gói."
    text = f"Nhập gói sẽ thay đổi {format_int(len(plan.changes))} giá trị của {plan.cell_name}"
    if plan.conflicts:
        text += (
            f", trong đó {format_int(len(plan.conflicts))} xung đột (màu đỏ: đảng ủy cũng đã "
            "sửa; nhập gói sẽ lấy giá trị của chi bộ)"
        )
    return text + ". Xem kỹ rồi chọn “Nhập” hoặc “Không nhập”."


def _list(items: list[str], color: str = "", bold: bool = False) -> str:
    style = (f"color: {color};" if color else "") + ("font-weight: bold;" if bold else "")
    return "<ul>" + "".join(f'<li style="{style}">{html.escape(i)}</li>' for i in items) + "</ul>"


def preview_html(plan: exchange.ImportPlan) -> str:
    """plan.lines(), with what matters coloured: blocking reasons and conflicts red, warnings
    amber, values kept as they are grey."""
    first = html.escape(plan.lines()[0])
    parts = [f"<p>{first}</p>"]
    if plan.blocked:
        parts.append(f'<p style="color: {RED};"><b>KHÔNG NHẬP ĐƯỢC — cần giải quyết trước:</b></p>')
        parts.append(_list(list(plan.blocking), RED, bold=True))
    if plan.warnings:
        parts.append(f'<p style="color: {AMBER};"><b>Cần lưu ý:</b></p>')
        parts.append(_list(list(plan.warnings), AMBER))
    parts += [f"<p>Ghi chú: {html.escape(note)}</p>" for note in plan.notes]
    if plan.changes:
        heading = "Gói muốn thay đổi" if plan.blocked else "Sẽ thay đổi"
        parts.append(f"<p><b>{heading} ({format_int(len(plan.changes))}):</b></p><ul>")
        for change in plan.changes:
            text = html.escape(str(change))
            if change.conflict:
                text = f'<b style="color: {RED};">{text}</b>'
            parts.append(f"<li>{text}</li>")
        parts.append("</ul>")
    elif not plan.blocked:
        parts.append("<p>Không có gì thay đổi: cơ sở dữ liệu đã có đúng như trong gói.</p>")
    if plan.kept:
        parts.append(
            f"<p><b>Giữ nguyên vì chỉ đảng ủy sửa, chi bộ không sửa "
            f"({format_int(len(plan.kept))}):</b></p>"
        )
        parts.append(_list([c.kept_text() for c in plan.kept], GREY))
    return "".join(parts)
