"""A view's width shared among its columns (issue 19), for the entry grid and the trees alike.

Each column is measured once for its header and content in the current font: its *natural*
width. When the columns together are wider than the view, those whose text stays readable in
less room (a sentence that wraps, a text elided with its whole words on hover) give up width,
the widest first, down to their *floor*; names, levels and counts keep theirs. Only when even
the floors do not fit does the view scroll sideways.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QTimer
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem, QTreeView

Index = QModelIndex | QPersistentModelIndex

# The widest a column grows for its content, in average characters; longer text is elided
# (with the whole text as tooltip) or, in a column of sentences, wrapped.
CONTENT_CAP_CHARS = 34
# The narrowest a column that wraps or elides into its tooltip is made to fit its view.
FLOOR_CHARS = 10


def share(natural: Sequence[int], floors: Sequence[int], available: int) -> list[int]:
    """The widths of columns measured at *natural* within *available* pixels: unchanged when
    they fit; otherwise every column wider than a common level is brought down to it, but
    never below its floor (a floor equal to the natural width: the column gives nothing).
    The level is the widest at which the columns fit; at the floors they may still not."""
    columns = [(width, min(floor, width)) for width, floor in zip(natural, floors, strict=True)]
    if sum(natural) <= available:
        return list(natural)

    def widths(level: int) -> list[int]:
        return [max(floor, min(width, level)) for width, floor in columns]

    low, high = 0, max(natural, default=0)
    while low < high:  # the widest level at which the columns fit
        middle = (low + high + 1) // 2
        if sum(widths(middle)) <= available:
            low = middle
        else:
            high = middle - 1
    return widths(low)


class WrappingDelegate(QStyledItemDelegate):
    """For a tree whose *wrap* columns hold sentences: their text wraps and their rows grow to
    show it whole, the other columns stay on one line (elided). QTreeView asks an item's
    height without saying its column's width, and keeps row heights when a column is
    resized: the delegate gives the width, and lays the rows out again after a resize."""

    def __init__(self, view: QTreeView, wrap: Collection[int]) -> None:
        super().__init__(view)
        self.view = view
        self.wrap = frozenset(wrap)
        self._later = QTimer(self)  # a drag resizes many times: one layout after it
        self._later.setSingleShot(True)
        self._later.setInterval(0)
        self._later.timeout.connect(self.relayout)
        view.header().sectionResized.connect(self._resized)

    def initStyleOption(self, option: QStyleOptionViewItem, index: Index) -> None:
        super().initStyleOption(option, index)
        wrap = QStyleOptionViewItem.ViewItemFeature.WrapText
        wraps = index.column() in self.wrap
        option.features = (option.features | wrap) if wraps else (option.features & ~wrap)

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> object:
        if index.column() in self.wrap:
            option = QStyleOptionViewItem(option)
            option.rect = QRect(0, 0, max(self.view.columnWidth(index.column()), 1), 1)
        return super().sizeHint(option, index)

    def _resized(self, column: int, _old: int, _new: int) -> None:
        if column in self.wrap:
            self._later.start()

    def relayout(self) -> None:
        """The rows' heights measured again for the columns' widths, now."""
        self._later.stop()
        self.view.doItemsLayout()
