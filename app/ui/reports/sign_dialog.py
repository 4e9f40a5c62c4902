"""Signing a document digitally: a certificate file (.p12) or a USB token, and checking a
signed PDF."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.services.common.errors import ServiceError
from app.services.signing import sign as signing
from app.ui.common import ask


class SignDialog(QDialog):
    """Choose how to sign; on success ``signed`` holds the signed PDF."""

    def __init__(self, pdf: bytes, title: str, location: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"Ký số — {title}")
        self.setMinimumWidth(560)
        self.pdf = pdf
        self.signed: bytes | None = None
        self.use_file = QRadioButton("Chứng thư số dạng tệp (.p12, .pfx)")
        self.use_token = QRadioButton("USB token")
        self.use_file.setChecked(True)
        self.p12 = QLineEdit()
        browse = QPushButton("Chọn tệp…")
        browse.clicked.connect(self._browse)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.module = QLineEdit()
        self.module.setPlaceholderText(
            "Trình điều khiển của token, ví dụ C:\\Windows\\System32\\…dll"
        )
        self.token = QComboBox()
        find = QPushButton("Tìm token")
        find.clicked.connect(self._find_tokens)
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.reason = QLineEdit("Xác nhận nội dung văn bản")
        self.location = QLineEdit(location)
        self.errors = QLabel()
        self.errors.setWordWrap(True)
        self.errors.setStyleSheet("color: #b71c1c;")
        self.errors.hide()
        file_row = QHBoxLayout()
        file_row.addWidget(self.p12, 1)
        file_row.addWidget(browse)
        token_row = QHBoxLayout()
        token_row.addWidget(self.token, 1)
        token_row.addWidget(find)
        form = QFormLayout()
        form.addRow(self.use_file)
        form.addRow("Tệp chứng thư", file_row)
        form.addRow("Mật khẩu", self.password)
        form.addRow(self.use_token)
        form.addRow("Trình điều khiển", self.module)
        form.addRow("Token", token_row)
        form.addRow("Mã PIN", self.pin)
        form.addRow("Lý do ký", self.reason)
        form.addRow("Nơi ký", self.location)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton("Ký", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.sign)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.errors)
        layout.addWidget(buttons)

    def _browse(self) -> None:
        path = ask.open_file(self, "Chọn chứng thư số", "Chứng thư số (*.p12 *.pfx)")
        if path is not None:
            self.p12.setText(str(path))

    def _find_tokens(self) -> None:
        self.token.clear()
        try:
            tokens = signing.list_tokens(self.module.text().strip())
        except ServiceError as error:
            self._show(str(error))
            return
        for token in tokens:
            self.token.addItem(f"{token.label} ({token.manufacturer})", token.slot)
        if not tokens:
            self._show("Không thấy token nào: hãy cắm USB token rồi thử lại.")

    def source(self) -> signing.SignerSource:
        if self.use_file.isChecked():
            return signing.Pkcs12File(Path(self.p12.text().strip()), self.password.text())
        return signing.Pkcs11Token(
            self.module.text().strip(), self.pin.text(), slot=self.token.currentData()
        )

    def sign(self) -> None:
        try:
            self.signed = signing.sign_pdf(
                self.pdf,
                self.source(),
                reason=self.reason.text().strip(),
                location=self.location.text().strip(),
            )
        except ServiceError as error:
            self._show(str(error))
            return
        self.accept()

    def _show(self, message: str) -> None:
        self.errors.setText(message)
        self.errors.show()


def verification_text(pdf: bytes) -> str:
    """What the window says about a PDF's signatures."""
    return "\n".join(signing.verification_lines(signing.verify_pdf(pdf)))
