"""Two small charts drawn with QPainter: the levels of one year, and the levels over years.

Drawn by hand on purpose: QtCharts comes only with PySide6-Addons (about 200 MB more in the
installer) and matplotlib brings NumPy (about 40 MB); two bar charts are a few dozen lines.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.domain.formatting import format_int, format_percent

# Best level first: dark green, green, amber, red (the same order in every regime).
PALETTE = [QColor("#2e7d32"), QColor("#7cb342"), QColor("#ffb300"), QColor("#c62828")]
GREY = QColor("#9e9e9e")


def colour(rank: int) -> QColor:
    return PALETTE[min(rank, len(PALETTE) - 1)]


@dataclass(frozen=True)
class Bar:
    label: str  # "HTXSNV"
    count: int
    previous: int | None = None


class LevelChart(QWidget):
    """One horizontal bar per level: this year's share, last year's as a thin grey bar."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = ""
        self.bars: list[Bar] = []
        self.total = 0
        self.previous_total: int | None = None
        self.setMinimumSize(QSize(320, 160))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def set_data(self, title: str, bars: list[Bar], total: int, previous_total: int | None) -> None:
        self.title, self.bars, self.total, self.previous_total = title, bars, total, previous_total
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = painter.fontMetrics()
        line = metrics.height()
        painter.drawText(0, line, self.title)
        if not self.bars or not self.total:
            painter.drawText(0, line * 3, "Chưa có kết quả xếp loại.")
            return
        label_width = max(metrics.horizontalAdvance(b.label) for b in self.bars) + 12
        value_width = metrics.horizontalAdvance("9.999 (100%)") + 12
        area = self.width() - label_width - value_width
        top = line * 2
        row = line * 2
        for rank, bar in enumerate(self.bars):
            y = top + rank * row
            painter.setPen(self.palette().text().color())
            painter.drawText(0, int(y + line * 0.9), bar.label)
            width = area * bar.count / self.total
            painter.fillRect(QRectF(label_width, y, max(width, 1), line * 1.05), colour(rank))
            if bar.previous is not None and self.previous_total:
                previous = area * bar.previous / self.previous_total
                painter.fillRect(
                    QRectF(label_width, y + line * 1.15, max(previous, 1), line * 0.35), GREY
                )
            painter.drawText(
                int(label_width + area + 6),
                int(y + line * 0.9),
                f"{format_int(bar.count)} ({format_percent(bar.count, self.total)})",
            )
        if self.previous_total:
            y = top + len(self.bars) * row
            painter.fillRect(QRectF(0, y + line * 0.3, 18, line * 0.35), GREY)
            painter.drawText(24, int(y + line * 0.7), "năm trước")

    def sizeHint(self) -> QSize:
        line = self.fontMetrics().height()
        return QSize(420, line * (3 + 2 * max(len(self.bars), 4)))


@dataclass(frozen=True)
class YearColumn:
    year: int
    counts: tuple[int, ...]  # per level, best first

    @property
    def total(self) -> int:
        return sum(self.counts)


class TrendChart(QWidget):
    """One stacked column per year: the shares of the levels, best at the top."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = ""
        self.columns: list[YearColumn] = []
        self.labels: list[str] = []
        self.setMinimumSize(QSize(320, 180))

    def set_data(self, title: str, labels: list[str], columns: list[YearColumn]) -> None:
        self.title, self.labels, self.columns = title, labels, columns
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        metrics = painter.fontMetrics()
        line = metrics.height()
        painter.drawText(0, line, self.title)
        if not self.columns:
            painter.drawText(0, line * 3, "Chưa có năm nào có kết quả.")
            return
        legend_width = max(metrics.horizontalAdvance(label) for label in self.labels) + 30
        top, bottom = line * 2, self.height() - line * 1.6
        height = bottom - top
        room = (self.width() - legend_width) / len(self.columns)
        width = min(room * 0.6, 60)
        for index, column in enumerate(self.columns):
            x = index * room + (room - width) / 2
            y = bottom
            for rank, count in enumerate(column.counts):
                part = height * count / column.total if column.total else 0
                y -= part
                painter.fillRect(QRectF(x, y, width, part), colour(rank))
            painter.setPen(QPen(self.palette().text().color()))
            painter.drawText(
                QRectF(x - 10, bottom + 2, width + 20, line),
                Qt.AlignmentFlag.AlignHCenter,
                str(column.year),
            )
        x0 = self.width() - legend_width + 10
        for rank, label in enumerate(self.labels):
            y = top + rank * line * 1.4
            painter.fillRect(QRectF(x0, y + 2, 12, line - 4), colour(rank))
            painter.drawText(int(x0 + 18), int(y + line * 0.8), label)
