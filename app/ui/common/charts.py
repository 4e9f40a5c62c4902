"""Two small charts drawn with QPainter: the levels of one year, and the levels over years.

Drawn by hand on purpose: QtCharts comes only with PySide6-Addons (about 200 MB more in the
installer) and matplotlib brings NumPy (about 40 MB); two bar charts are a few dozen lines.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.domain.formatting import format_int

# Best level first: dark green, green, amber, red (the same order in every regime).
PALETTE = [QColor("#2e7d32"), QColor("#7cb342"), QColor("#ffb300"), QColor("#c62828")]
GREY = QColor("#9e9e9e")
NO_LEVEL = QColor("#cfd8dc")  # evaluated but without a level yet: not a level's colour
NO_LEVEL_LABEL = "Chưa có kết quả"


def colour(rank: int) -> QColor:
    return PALETTE[min(rank, len(PALETTE) - 1)]


@dataclass(frozen=True)
class Bar:
    """One bar: its count and its share as the caller's service computed it. The chart writes
    that share as given and never works one out, so it shows the table's number."""

    label: str  # "HTXSNV"
    count: int
    share: str  # "4,97%"
    previous: int | None = None
    no_level: bool = False  # "Chưa có kết quả": evaluated, no level yet (drawn pale)


class LevelChart(QWidget):
    """One horizontal bar per level: this year's share, last year's as a thin grey bar.
    ``total`` is the base of the shares: a bar's length is its part of it."""

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

    def lines(self) -> list[tuple[str, str]]:
        """What is written beside each bar: (label, "28 (4,97%)")."""
        return [(bar.label, f"{format_int(bar.count)} ({bar.share})") for bar in self.bars]

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
        value_width = metrics.horizontalAdvance("9.999 (99,99%)") + 12
        area = self.width() - label_width - value_width
        top = line * 2
        # Two lines a bar, closer when the chart is shorter than that (a fifth bar, "Chưa có
        # kết quả", at 1366×768), never closer than one line.
        room = self.height() - top - (line * 1.2 if self.previous_total else 0)
        row = max(line * 1.1, min(line * 2.0, room / len(self.bars)))
        for rank, (bar, value) in enumerate(zip(self.bars, self.lines(), strict=True)):
            y = top + rank * row
            painter.setPen(self.palette().text().color())
            painter.drawText(0, int(y + line * 0.9), bar.label)
            width = area * bar.count / self.total
            fill = NO_LEVEL if bar.no_level else colour(rank)
            painter.fillRect(QRectF(label_width, y, max(width, 1), row * 0.52), fill)
            if bar.previous is not None and self.previous_total:
                previous = area * bar.previous / self.previous_total
                painter.fillRect(
                    QRectF(label_width, y + row * 0.57, max(previous, 1), row * 0.17), GREY
                )
            painter.drawText(int(label_width + area + 6), int(y + line * 0.9), value[1])
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
    no_level: int = 0  # evaluated, no level yet (a year under way): a pale part on top

    @property
    def total(self) -> int:
        return sum(self.counts) + self.no_level


class TrendChart(QWidget):
    """One stacked column per year: the shares of the levels, best at the top (and above them
    the part still without a level, in a year under way)."""

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
        legend = [(label, colour(rank)) for rank, label in enumerate(self.labels)]
        if any(column.no_level for column in self.columns):
            legend.append((NO_LEVEL_LABEL, NO_LEVEL))
        legend_width = max(metrics.horizontalAdvance(label) for label, _fill in legend) + 30
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
            if column.no_level and column.total:
                part = height * column.no_level / column.total
                painter.fillRect(QRectF(x, y - part, width, part), NO_LEVEL)
            painter.setPen(QPen(self.palette().text().color()))
            painter.drawText(
                QRectF(x - 10, bottom + 2, width + 20, line),
                Qt.AlignmentFlag.AlignHCenter,
                str(column.year),
            )
        x0 = self.width() - legend_width + 10
        for rank, (label, fill) in enumerate(legend):
            y = top + rank * line * 1.4
            painter.fillRect(QRectF(x0, y + 2, 12, line - 4), fill)
            painter.drawText(int(x0 + 18), int(y + line * 0.8), label)
