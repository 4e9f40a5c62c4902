"""Small drawn pieces of a printed form: ruled text, a short rule, lines to write on, a field
line and check boxes."""

from __future__ import annotations

import math
from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    Flowable,
)

from app.documents.fonts import (
    SERIF,
    SERIF_BOLD,
)
from app.domain.text import nfc


class RuledText(Flowable):
    """A centred line of text with a thin rule of the same length beneath it."""

    def __init__(self, line: str, font: str = SERIF_BOLD, size: float = 15) -> None:
        super().__init__()
        self.line = nfc(line)
        self.font = font
        self.size = size

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        return available_width, self.size + 6

    def draw(self) -> None:
        canvas = self.canv
        width = stringWidth(self.line, self.font, self.size)
        x = (self.width - width) / 2
        canvas.setFont(self.font, self.size)
        canvas.drawString(x, 7, self.line)  # baseline level with the 14 pt superior line
        canvas.setLineWidth(0.6)
        canvas.line(x, 2.5, x + width, 2.5)


class ShortRule(Flowable):
    """The short centred rule under a document's summary line (HD 36 "-----")."""

    def __init__(self, length: float = 30 * mm, space: float = 4) -> None:
        super().__init__()
        self.length = length
        self.space = space

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        return available_width, 2 * self.space

    def draw(self) -> None:
        x = (self.width - self.length) / 2
        self.canv.setLineWidth(0.6)
        self.canv.line(x, self.space, x + self.length, self.space)


class WritingLines(Flowable):
    """Dotted lines across the text width, to write on by hand; splits across pages."""

    def __init__(self, count: int, gap: float = 8 * mm) -> None:
        super().__init__()
        self.count = max(0, count)
        self.gap = gap

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        return available_width, self.count * self.gap

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        fits = int(available_height // self.gap)
        if fits <= 0 or fits >= self.count:
            return []
        return [WritingLines(fits, self.gap), WritingLines(self.count - fits, self.gap)]

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setLineWidth(0.5)
        canvas.setDash(0.8, 2.2)
        canvas.setStrokeGray(0.25)
        for index in range(self.count):
            y = self.count * self.gap - (index + 1) * self.gap + 1.5
            canvas.line(0, y, self.width, y)
        canvas.restoreState()


class FieldLine(Flowable):
    """ "Họ và tên: ……………" — a label followed by a dotted line to the right edge."""

    def __init__(self, label: str, size: float = 14, indent: float = 0) -> None:
        super().__init__()
        self.label = nfc(label)
        self.size = size
        self.indent = indent

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        return available_width, self.size * 1.25 + 3

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setFont(SERIF, self.size)
        canvas.drawString(self.indent, 4, self.label)
        start = self.indent + stringWidth(self.label, SERIF, self.size) + 4
        canvas.setLineWidth(0.5)
        canvas.setDash(0.8, 2.2)
        canvas.setStrokeGray(0.25)
        canvas.line(start, 3.5, self.width, 3.5)
        canvas.restoreState()


class CheckBoxes(Flowable):
    """Boxes with labels, as real text: "Đã khắc phục? □ Đã khắc phục □ Chưa khắc phục".

    The box is the font's "□" glyph set large enough to write in; a ticked box gets an X
    drawn across it. All options go on one line when they fit (one run of text, so it reads
    and searches as one line), else in a grid of *columns*.
    """

    BOX_GLYPH = "\u25a1"  # □
    BOX_SIZE = 18.0  # font size of the box glyph: a square of about 3.7 mm
    _INK = 0.59  # the glyph's square spans 0–0.59 em from its origin and the baseline
    _GAP = "\u00a0" * 4  # between packed options

    def __init__(
        self,
        options: Sequence[str],
        ticked: Sequence[int] = (),
        *,
        prefix: str = "",
        size: float = 13,
        columns: int | None = None,
        indent: float = 10 * mm,
    ) -> None:
        super().__init__()
        self.options = [nfc(o) for o in options]
        self.ticked = set(ticked)
        self.prefix = nfc(prefix)
        self.size = size
        self.wanted_columns = columns
        self.indent = indent
        self.row_height = max(self.BOX_SIZE * self._INK, size) + 7

    def _box_width(self) -> float:
        return stringWidth(self.BOX_GLYPH, SERIF, self.BOX_SIZE)

    def _option_width(self, option: str) -> float:
        return self._box_width() + stringWidth(f" {option}", SERIF, self.size)

    def _prefix_width(self) -> float:
        return stringWidth(f"{self.prefix} ", SERIF, self.size) if self.prefix else 0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        usable = available_width - self.indent - self._prefix_width()
        gap = stringWidth(self._GAP, SERIF, self.size)
        packed = sum(self._option_width(o) + gap for o in self.options)
        self.packed = self.wanted_columns is None and packed <= usable
        if self.packed:
            self.columns = max(1, len(self.options))
        else:
            widest = max((self._option_width(o) + gap for o in self.options), default=1)
            columns = self.wanted_columns or max(1, int(usable // widest))
            self.columns = max(1, min(columns, len(self.options) or 1))
            if self.columns > 1 and widest * self.columns > usable:
                self.columns = max(1, int(usable // widest))
        self.column_width = usable / self.columns
        rows = 1 if self.packed else math.ceil(len(self.options) / self.columns)
        self.height = max(1, rows) * self.row_height
        return available_width, self.height

    def _tick(self, x: float, baseline: float) -> None:
        side = self.BOX_SIZE * self._INK
        inset = side * 0.2
        bottom = baseline + self.BOX_SIZE * 0.01
        canvas = self.canv
        canvas.setLineWidth(1.1)
        canvas.line(x + inset, bottom + inset, x + side - inset, bottom + side - inset)
        canvas.line(x + inset, bottom + side - inset, x + side - inset, bottom + inset)

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        start = self.indent + self._prefix_width()
        ticks: list[tuple[float, float]] = []
        for row_start in range(0, len(self.options), self.columns):
            row = row_start // self.columns
            baseline = self.height - (row + 1) * self.row_height + (self.row_height - self.size) / 2
            chunk = list(enumerate(self.options))[row_start : row_start + self.columns]
            if self.packed:
                text_object = canvas.beginText(self.indent, baseline)
                x = self.indent
                if self.prefix:
                    text_object.setFont(SERIF, self.size)
                    text_object.textOut(f"{self.prefix} ")
                    x += self._prefix_width()
                for position, (index, option) in enumerate(chunk):
                    if index in self.ticked:
                        ticks.append((x, baseline))
                    text_object.setFont(SERIF, self.BOX_SIZE)
                    text_object.textOut(self.BOX_GLYPH)
                    text_object.setFont(SERIF, self.size)
                    tail = f" {option}" + (self._GAP if position < len(chunk) - 1 else "")
                    text_object.textOut(tail)
                    x += self._box_width() + stringWidth(tail, SERIF, self.size)
                canvas.drawText(text_object)
                continue
            if self.prefix and row == 0:
                canvas.setFont(SERIF, self.size)
                canvas.drawString(self.indent, baseline, self.prefix)
            for column, (index, option) in enumerate(chunk):
                x = start + column * self.column_width
                if index in self.ticked:
                    ticks.append((x, baseline))
                text_object = canvas.beginText(x, baseline)
                text_object.setFont(SERIF, self.BOX_SIZE)
                text_object.textOut(self.BOX_GLYPH)
                text_object.setFont(SERIF, self.size)
                text_object.textOut(f" {option}")
                canvas.drawText(text_object)
        for x, baseline in ticks:
            self._tick(x, baseline)
        canvas.restoreState()
