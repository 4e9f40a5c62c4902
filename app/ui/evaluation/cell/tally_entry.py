"""Two tellers enter the tally: a grid per teller, each row checked against
the ballots collected as it is typed, and the difference view that lists every row where the
two entries differ. The agreed count becomes the vote with one button."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.formatting import format_int
from app.services.common.errors import ServiceError
from app.services.database import Database
from app.services.procedure import double_tally as tally_double
from app.services.procedure.double_tally import DoubleEntry

OK_COLOUR = QColor("#e8f5e9")
BAD_COLOUR = QColor("#fdecea")

if TYPE_CHECKING:
    from app.ui.evaluation.cell.host import CellHost


class TallyEntryDialog(QDialog):
    def __init__(
        self,
        db: Database,
        year: int,
        cell_id: int,
        actor: Callable[[], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Kiểm phiếu do hai người nhập")
        self.resize(920, 620)
        self.db, self.year, self.cell_id, self.actor = db, year, cell_id, actor
        self.entry: DoubleEntry = tally_double.double_entry(db, year, cell_id)
        self.codes: list[str] = list(self.entry.labels)
        self.teller = QComboBox()
        self.teller.addItem("Người nhập thứ nhất", 1)
        self.teller.addItem("Người nhập thứ hai", 2)
        self.teller.currentIndexChanged.connect(lambda _i: self.load_teller())
        self.name = QLineEdit()
        self.name.setPlaceholderText("Họ và tên người nhập")
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.grid = QTableWidget(0, len(self.codes) + 2)
        self.grid.setHorizontalHeaderLabels(
            ["Họ và tên / tổ chức", *self.entry.labels.values(), "Cộng"]
        )
        self.grid.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.grid.verticalHeader().hide()
        self.save_button = QPushButton("Lưu phần nhập của người này")
        self.save_button.clicked.connect(self.save)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #8e0000;")
        entry_page = QWidget()
        top = QHBoxLayout()
        top.addWidget(self.teller)
        top.addWidget(self.name, 1)
        entry_layout = QVBoxLayout(entry_page)
        entry_layout.addLayout(top)
        entry_layout.addWidget(self.hint)
        entry_layout.addWidget(self.grid, 1)
        row = QHBoxLayout()
        row.addWidget(self.message, 1)
        row.addWidget(self.save_button)
        entry_layout.addLayout(row)

        self.diff_state = QLabel()
        self.diff_state.setWordWrap(True)
        self.diff = QTableWidget(0, 3)
        self.diff.setHorizontalHeaderLabels(["Dòng", "Người nhập thứ nhất", "Người nhập thứ hai"])
        self.diff.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.diff.verticalHeader().hide()
        self.diff.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.take_button = QPushButton("Lấy kết quả đã khớp làm kết quả biểu quyết")
        self.take_button.clicked.connect(self.take)
        diff_page = QWidget()
        diff_layout = QVBoxLayout(diff_page)
        diff_layout.addWidget(self.diff_state)
        diff_layout.addWidget(self.diff, 1)
        take_row = QHBoxLayout()
        take_row.addStretch(1)
        take_row.addWidget(self.take_button)
        diff_layout.addLayout(take_row)

        self.tabs = QTabWidget()
        self.tabs.addTab(entry_page, "Nhập kết quả")
        self.tabs.addTab(diff_page, "Đối chiếu hai lần nhập")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
        self.load_teller()
        self.show_differences()

    # ---- one teller's grid -------------------------------------------------------------
    def load_teller(self) -> None:
        teller = self.teller.currentData()
        self.name.setText(self.entry.teller_names[teller - 1])
        collected = self.entry.ballots_collected or 0
        self.hint.setText(
            f"Mỗi dòng: số phiếu cho từng mức cộng số phiếu không hợp lệ ở dòng đó phải bằng "
            f"{format_int(collected)} phiếu thu vào. Hai người nhập riêng, không xem phần của nhau."
        )
        self.grid.setRowCount(len(self.entry.rows))
        for index, row in enumerate(self.entry.rows):
            counts = row.first if teller == 1 else row.second
            name = QTableWidgetItem(row.name)
            name.setFlags(name.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.grid.setItem(index, 0, name)
            for column, code in enumerate(self.codes, start=1):
                spin = QSpinBox()
                spin.setRange(0, 999)
                spin.setEnabled(code in row.codes)
                spin.setValue((counts or {}).get(code, 0))
                spin.valueChanged.connect(lambda _v, i=index: self.check_row(i))
                self.grid.setCellWidget(index, column, spin)
            self.check_row(index)

    def counts(self, index: int) -> dict[str, int]:
        row = self.entry.rows[index]
        result = {}
        for column, code in enumerate(self.codes, start=1):
            spin = self.grid.cellWidget(index, column)
            if code in row.codes and isinstance(spin, QSpinBox):
                result[code] = spin.value()
        return result

    def check_row(self, index: int) -> bool:
        total = sum(self.counts(index).values())
        good = total == (self.entry.ballots_collected or 0)
        item = QTableWidgetItem(format_int(total))
        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
        item.setBackground(OK_COLOUR if good else BAD_COLOUR)
        self.grid.setItem(index, len(self.codes) + 1, item)
        return good

    def save(self) -> bool:
        teller = self.teller.currentData()
        try:
            for index, row in enumerate(self.entry.rows):
                tally_double.save_entry(
                    self.db, self.year, self.cell_id, teller, self.name.text(), row.subject,
                    self.counts(index), self.actor(),
                )  # fmt: skip
        except ServiceError as error:
            self.message.setText(str(error))
            return False
        self.message.setText("")
        self.entry = tally_double.double_entry(self.db, self.year, self.cell_id)
        self.show_differences()
        return True

    # ---- the difference view -----------------------------------------------------------
    def _counts_text(self, counts: dict[str, int] | None, codes: tuple[str, ...]) -> str:
        if counts is None:
            return "(chưa nhập)"
        return ", ".join(f"{self.entry.labels[c]} {counts.get(c, 0)}" for c in codes)

    def show_differences(self) -> None:
        entry = self.entry
        # A row is red only where both have entered and they differ: a row the second teller
        # has not reached yet is waiting, not wrong; before anyone enters nothing is listed.
        rows = entry.differences if entry.used else ()
        differ = [r for r in rows if r.first is not None and r.second is not None]
        waiting = len(rows) - len(differ)
        if not entry.used:
            self.diff_state.setText("Chưa ai nhập. Hai người lần lượt nhập ở trang “Nhập kết quả”.")
        elif not rows:
            self.diff_state.setText(
                f"Hai lần nhập của {entry.teller_names[0]} và {entry.teller_names[1]} khớp nhau ở "
                f"tất cả {format_int(len(entry.rows))} dòng. Có thể in biên bản kiểm phiếu."
            )
        elif differ:
            self.diff_state.setText(
                f"{format_int(len(differ))} dòng chưa khớp: hãy đối chiếu với phiếu và nhập lại. "
                + (f"{format_int(waiting)} dòng mới có một người nhập. " if waiting else "")
                + "Biên bản kiểm phiếu chưa in được cho đến khi hai lần nhập khớp nhau."
            )
        else:
            self.diff_state.setText(
                f"{format_int(waiting)} dòng mới có một người nhập: khi người còn lại nhập xong, "
                "hai lần nhập được đối chiếu ở đây."
            )
        self.diff.setRowCount(len(rows))
        for index, row in enumerate(rows):
            codes = row.differing_codes()
            values = [
                row.name,
                self._counts_text(row.first, codes),
                self._counts_text(row.second, codes),
            ]
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)  # a long count list is elided in its column
                if row in differ:
                    item.setBackground(BAD_COLOUR)
                self.diff.setItem(index, column, item)
        self.take_button.setEnabled(entry.agreed)

    def take(self) -> None:
        try:
            tally_double.take_agreed(self.db, self.year, self.cell_id, self.actor())
        except ServiceError as error:
            self.diff_state.setText(str(error))
            return
        self.diff_state.setText("Đã lấy kết quả đã khớp làm kết quả biểu quyết của chi bộ.")


def open_tally_entry(host: CellHost, parent: QWidget, year: int, cell_id: int) -> None:
    """Open the two tellers' entry from a cell's vote step; the step refreshes after."""
    dialog = TallyEntryDialog(host.db, year, cell_id, host.actor, parent)
    dialog.exec()
    host.refresh()
