"""Tệp → Báo cáo lên tỉnh…: the commune writes its decided year to one report file (.dgr),
with the signed decision PDF if it has one, and an optional password; the file is then carried
to the province (USB, e-mail)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.periods import lifecycle as periods
from app.services.reports import export as report_export
from app.ui.common import ask
from app.ui.files.password_dialogs import NewPasswordDialog

if TYPE_CHECKING:
    from app.services.database import Database
    from app.services.periods.lifecycle import PeriodInfo
    from app.ui.common.operations import Operations

EXTENSION = ".dgr"
REPORT_FILTER = f"Báo cáo DanhGia (*{EXTENSION});;Mọi tệp (*)"
PDF_FILTER = "Tệp PDF (*.pdf)"
RED = "#b71c1c"
PASSWORD_TEXT = (
    "Báo cáo sẽ rời khỏi máy này (USB, thư điện tử) và mang tên, mức xếp loại của từng đảng "
    "viên. Nên đặt mật khẩu, rồi báo mật khẩu cho Ban Tổ chức Tỉnh ủy qua điện thoại hoặc gặp "
    "trực tiếp, không gửi kèm tệp."
)
NOT_DECIDED = (
    "Năm {year} chưa được quyết định (kỳ đánh giá đang ở bước “{state}”). Chỉ báo cáo lên tỉnh "
    "được năm đã quyết định: hãy hoàn thành “Thẩm định và quyết định” của năm đó trước."
)


class ReportExportForm(QDialog):
    """Which year, and the signed decision PDF to send with it (optional)."""

    def __init__(self, years: list[PeriodInfo], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Báo cáo lên tỉnh")
        self.years = years
        self.year = QComboBox()
        for info in years:
            self.year.addItem(f"Năm {info.year} — {info.state.label}", info.year)
        decided = [i for i, info in enumerate(years) if info.state.is_decided]
        self.year.setCurrentIndex(decided[-1] if decided else len(years) - 1)
        self.pdf = QLineEdit()
        self.pdf.setPlaceholderText("Không gửi kèm")
        self.pdf.setToolTip("Bản quyết định công nhận kết quả đã ký (PDF), nếu có")
        self.choose = QPushButton("Chọn tệp…")
        self.choose.clicked.connect(self._choose_pdf)
        pdf_row = QHBoxLayout()
        pdf_row.addWidget(self.pdf, 1)
        pdf_row.addWidget(self.choose)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(f"color: {RED};")
        buttons = QDialogButtonBox()
        self.accept_button = buttons.addButton("Tiếp tục…", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Hủy", QDialogButtonBox.ButtonRole.RejectRole)
        self.accept_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        intro = QLabel(
            "Xuất kết quả đánh giá, xếp loại của năm đã quyết định ra một tệp báo cáo (.dgr) "
            "để gửi Ban Tổ chức Tỉnh ủy: các tổ chức đảng, mức xếp loại của từng đảng viên, "
            "số liệu tổng hợp, số và ngày quyết định."
        )
        intro.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Năm báo cáo:", self.year)
        form.addRow("Quyết định đã ký (PDF):", pdf_row)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)
        self.year.currentIndexChanged.connect(self._check)
        self._check()
        self.year.setFocus()

    def chosen(self) -> PeriodInfo:
        return self.years[self.year.currentIndex()]

    def pdf_path(self) -> Path | None:
        text = self.pdf.text().strip()
        return Path(text) if text else None

    def _choose_pdf(self) -> None:
        path = ask.open_file(self, "Chọn bản quyết định đã ký", PDF_FILTER)
        if path is not None:
            self.pdf.setText(str(path))

    def _check(self) -> None:
        info = self.chosen()
        problem = (
            ""
            if info.state.is_decided
            else NOT_DECIDED.format(year=info.year, state=info.state.label)
        )
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))
        self.accept_button.setEnabled(not problem)


def export_report(ops: Operations, db: Database, actor: str) -> None:
    """Tệp → Báo cáo lên tỉnh…: the year and the PDF, where to save, a password, then write."""
    window = ops.parent
    years = periods.list_periods(db)
    if not any(info.state.is_decided for info in years):
        ask.inform(
            window,
            "Chưa có năm đã quyết định",
            "Chưa có năm nào được quyết định, nên chưa có gì để báo cáo lên tỉnh. Báo cáo được "
            "sau khi Đảng ủy quyết định công nhận kết quả của năm (menu Kỳ đánh giá → Thẩm định "
            "và quyết định).",
        )
        return
    form = ReportExportForm(years, window)
    if not ops.ask(form):
        return
    info = form.chosen()
    if not info.state.is_decided:  # the form refuses it; said again for a form answered early
        ask.inform(
            window,
            "Năm chưa quyết định",
            NOT_DECIDED.format(year=info.year, state=info.state.label),
        )
        return
    year, pdf = info.year, form.pdf_path()
    code = _commune_code(db)
    path = ask.save_file(
        window,
        f"Báo cáo năm {year} lên tỉnh — lưu tệp",
        report_export.default_file_name(code, year),
        REPORT_FILTER,
    )
    if path is None:
        return
    if path.suffix.lower() != EXTENSION:
        path = path.with_name(path.name + EXTENSION)
    password_form = NewPasswordDialog(
        "Đặt mật khẩu cho báo cáo",
        PASSWORD_TEXT,
        accept_text="Đặt mật khẩu và xuất",
        skip_text="Xuất không mật khẩu",
        parent=window,
    )
    if not ops.ask(password_form):
        return
    password = password_form.password() or None

    def done(result: report_export.ExportInfo) -> None:
        text = result.describe()
        if password:
            text += "\n\nBáo cáo đã được đặt mật khẩu: hãy báo mật khẩu cho tỉnh riêng."
        ask.inform(window, "Đã xuất báo cáo lên tỉnh", text)

    ops.in_background(
        "Đang xuất báo cáo lên tỉnh…",
        lambda _progress: report_export.export_report(
            db, year, path, actor=actor, password=password, decision_pdf=pdf
        ),
        done,
    )


def _commune_code(db: Database) -> str:
    """The top organisation's code, for the file's suggested name."""
    rows = db.read("SELECT code FROM organizations WHERE parent_id IS NULL ORDER BY id LIMIT 1")
    return str(rows[0][0]) if rows else "xa"
