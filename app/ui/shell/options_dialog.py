"""Tùy chọn: the few preferences a user may want to change, kept in settings.json."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app import paths
from app.services.safekeeping import backups
from app.settings import Settings


class OptionsDialog(QDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Tùy chọn")
        self.settings = settings
        self.kept = QSpinBox()
        self.kept.setRange(3, 365)
        self.kept.setSuffix(" bản")
        self.kept.setValue(int(settings.get("backups_kept", backups.DEFAULT_KEPT)))
        where = QLabel(
            "Chương trình tự sao lưu mỗi ngày khi đóng, trước mỗi lần quyết định kết quả và "
            f"trước mỗi lần nâng cấp, vào thư mục “{paths.backups_dir()}”. Chỉ giữ lại số bản "
            "mới nhất ở trên; các bản cũ hơn được xóa."
        )
        where.setWordWrap(True)
        self.lock_minutes = QSpinBox()
        self.lock_minutes.setRange(0, 240)
        self.lock_minutes.setSuffix(" phút")
        self.lock_minutes.setSpecialValueText("không khóa")
        self.lock_minutes.setValue(settings.lock_after_minutes)
        lock_note = QLabel(
            "Khi đã đặt mật khẩu (Tệp → Đặt / đổi / bỏ mật khẩu…), cửa sổ tự khóa sau chừng ấy "
            "phút không dùng và hỏi lại mật khẩu."
        )
        lock_note.setWordWrap(True)
        self.percent_places = QSpinBox()
        self.percent_places.setRange(0, 3)
        self.percent_places.setSuffix(" chữ số")
        self.percent_places.setValue(settings.percent_places)
        percent_note = QLabel(
            "Tỷ lệ phần trăm trong báo cáo, bảng tổng hợp và trên màn hình được làm tròn đến "
            "chừng ấy chữ số thập phân, bỏ số 0 ở cuối (với 2 chữ số: 33,33%; 77,5%; 100%)."
        )
        percent_note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        backups_form = QFormLayout()
        backups_form.addRow("Số bản sao lưu tự động giữ lại:", self.kept)
        lock_form = QFormLayout()
        lock_form.addRow("Tự khóa cửa sổ sau:", self.lock_minutes)
        percent_form = QFormLayout()
        percent_form.addRow("Số chữ số thập phân của tỷ lệ %:", self.percent_places)
        layout = QVBoxLayout(self)
        layout.addLayout(backups_form)
        layout.addWidget(where)
        layout.addSpacing(12)
        layout.addLayout(lock_form)
        layout.addWidget(lock_note)
        layout.addSpacing(12)
        layout.addLayout(percent_form)
        layout.addWidget(percent_note)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.setMinimumWidth(600)

    def save(self) -> None:
        self.settings.set("backups_kept", self.kept.value())
        self.settings.set("lock_after_minutes", self.lock_minutes.value())
        self.settings.set("percent_places", self.percent_places.value())
        self.settings.apply()
        self.accept()
