"""The first start: a database does not exist yet, so the user chooses how to begin."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QVBoxLayout, QWidget


class Choice(Enum):
    EMPTY = "empty"
    DEMO = "demo"


class FirstStartDialog(QDialog):
    def __init__(self, path: Path | object, parent: QWidget | None = None) -> None:
        """*path*: the database file to be made, or a server database (its address) that is
        still empty."""
        super().__init__(parent)
        self.choice: Choice | None = None
        self.setWindowTitle("Chào mừng đến với DanhGia")
        self.setMinimumWidth(560)
        title = QLabel("<h2>Chào mừng đến với DanhGia</h2>")
        on_server = not isinstance(path, Path)
        where_data = (
            "Dữ liệu được lưu trên máy chủ PostgreSQL; cơ sở dữ liệu ở đó còn trống"
            if on_server
            else "Mọi dữ liệu được lưu trên máy này, không cần mạng. Chưa có cơ sở dữ liệu"
        )
        intro = QLabel(
            "DanhGia giúp đảng ủy xã và các chi bộ kiểm điểm, đánh giá, xếp loại chất lượng "
            "tổ chức đảng và đảng viên hằng năm, và in biên bản, phiếu, quyết định.\n\n"
            f"{where_data}; hãy chọn cách bắt đầu:"
        )
        intro.setWordWrap(True)
        self.empty_button = QPushButton("Bắt đầu với dữ liệu trống\n(nhập đảng bộ xã của mình)")
        self.demo_button = QPushButton(
            "Dùng thử với dữ liệu mẫu\n(Đảng bộ xã Na Tông: 35 chi bộ, khoảng 600 đảng viên)"
        )
        for button in (self.empty_button, self.demo_button):
            button.setMinimumHeight(64)
        quit_button = QPushButton("Thoát")
        made = "Cơ sở dữ liệu trên máy chủ" if on_server else "Cơ sở dữ liệu sẽ được tạo tại"
        self.where = where = QLabel(f"{made}:\n{path}")
        where.setWordWrap(True)
        where.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addWidget(self.empty_button)
        layout.addWidget(self.demo_button)
        layout.addWidget(where)
        layout.addWidget(quit_button)
        self.empty_button.clicked.connect(lambda: self._choose(Choice.EMPTY))
        self.demo_button.clicked.connect(lambda: self._choose(Choice.DEMO))
        quit_button.clicked.connect(self.reject)
        self.empty_button.setFocus()

    def _choose(self, choice: Choice) -> None:
        self.choice = choice
        self.accept()
