"""Small widgets shared by the dialogs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import (
    QByteArray,
    QMargins,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    QTimer,
)
from PySide6.QtGui import (
    QFont,
    QFontMetrics,
    QGuiApplication,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.formatting import DateFormatError, format_date, parse_date
from app.ui.common.marks import MARK_MEANINGS
from app.ui.shell.fonts import SYMBOL_FAMILY


class DateField(QLineEdit):
    """A date typed as dd/mm/yyyy (the way users write dates), or left empty."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("ngày/tháng/năm")
        self.setMaxLength(10)

    def date(self) -> dt.date | None:
        """The date typed, or None when empty; raises DateFormatError for anything else."""
        text = self.text().strip()
        return parse_date(text) if text else None

    def setDate(self, value: dt.date | None) -> None:
        self.setText(format_date(value))

    def problem(self) -> str | None:
        try:
            self.date()
        except DateFormatError as error:
            return str(error)
        return None


def mark_invalid(widget: QWidget, invalid: bool) -> None:
    """A red frame on a field with a problem; the message is shown beside the form."""
    widget.setStyleSheet("border: 2px solid #c62828;" if invalid else "")


class LazyTab(QWidget):
    """A tab page whose content is built the first time it is shown or asked for, so that a
    window with several heavy tabs starts with only the one in front."""

    def __init__(self, build: Callable[[], QWidget], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._build = build
        self._content: QWidget | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

    @property
    def built(self) -> bool:
        return self._content is not None

    @property
    def content(self) -> QWidget:
        if self._content is None:
            self._content = self._build()
            self.layout().addWidget(self._content)
            self._content.show()  # a child added to a page already on screen stays hidden
        return self._content

    def showEvent(self, event: QShowEvent) -> None:
        self.content  # noqa: B018 (built on first show)
        super().showEvent(event)


def set_tri_state(box: QCheckBox, value: bool | None) -> None:
    """A yes/no fact that may be unknown: checked, unchecked, or half-checked for "chưa rõ"."""
    box.setTristate(True)
    states = {True: box.checkState().Checked, False: box.checkState().Unchecked}
    box.setCheckState(states.get(value, box.checkState().PartiallyChecked))


def tri_state_value(box: QCheckBox) -> bool | None:
    state = box.checkState()
    if state == state.PartiallyChecked:
        return None
    return state == state.Checked


# ---- fitting the screen -------------------------------------------------------------------

# A window's frame before it is first shown (Windows 10 and 11 at 100%: the title bar and the
# borders); once shown, the real frame is measured instead.
FRAME_GUESS = QMargins(8, 31, 8, 8)


def available_area(widget: QWidget | None = None) -> QRect:
    """The part of the widget's screen (else the primary screen) a window may use: without
    the taskbar. Tests replace it to stand for a 1366×768 screen."""
    screen = widget.screen() if widget is not None else None
    screen = screen or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def window_room(window: QWidget) -> QSize:
    """The largest size of *window*'s inside that keeps its frame within the free area."""
    area = available_area(window)
    frame, inner = window.frameGeometry(), window.geometry()
    if frame != inner:
        margins = QMargins(
            inner.left() - frame.left(),
            inner.top() - frame.top(),
            frame.right() - inner.right(),
            frame.bottom() - inner.bottom(),
        )
    else:
        margins = FRAME_GUESS
    return area.size().shrunkBy(margins)


def fit_to_screen(window: QWidget) -> None:
    """Shrink a top-level window to the screen's free area, as far as its minimum size allows,
    and move it back inside when it stands out. A dialog Qt places itself (centred on its
    parent, within the screen) keeps that placing."""
    room = window_room(window)
    size = window.size().boundedTo(room).expandedTo(window.minimumSize())
    if size != window.size():
        window.resize(size)
    if isinstance(window, QDialog) and not window.testAttribute(Qt.WidgetAttribute.WA_Moved):
        return
    area = available_area(window)
    frame = window.frameGeometry()
    x = max(area.left(), min(frame.left(), area.right() + 1 - frame.width()))
    y = max(area.top(), min(frame.top(), area.bottom() + 1 - frame.height()))
    if (x, y) != (frame.left(), frame.top()):
        window.move(x, y)


class ElidedLabel(QLabel):
    """One line of plain text that shows what fits and "…" for the rest, with the whole text
    as its tooltip while it is cut. A long name or a sentence in a status line then never
    widens the window; ``text()`` stays the whole text."""

    elides = True  # tests/gui/fit.py: the label shows its cut itself

    def __init__(
        self,
        text: str = "",
        parent: QWidget | None = None,
        mode: Qt.TextElideMode = Qt.TextElideMode.ElideRight,
    ) -> None:
        super().__init__(text, parent)
        self._mode = mode
        self._tip = ""  # the tooltip this label set itself (one set by the caller stays)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()  # the whole text: shrinking is what this label is for
        least = self.fontMetrics().horizontalAdvance("…") * 6
        return QSize(min(hint.width(), least), hint.height())

    def setText(self, text: str) -> None:
        super().setText(text)
        self._update_tip()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._update_tip()

    def _room(self) -> QRect:
        return self.contentsRect().marginsRemoved(QMargins(*[self.margin()] * 4))

    def _shown_text(self) -> str:
        whole = " ".join(self.text().split("\n"))
        return self.fontMetrics().elidedText(whole, self._mode, self._room().width())

    def _update_tip(self) -> None:
        cut = self._shown_text() != " ".join(self.text().split("\n"))
        if self.toolTip() not in ("", self._tip):
            return
        self._tip = self.text() if cut else ""
        self.setToolTip(self._tip)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        self.style().drawItemText(
            painter,
            self._room(),
            int(self.alignment()),
            self.palette(),
            self.isEnabled(),
            self._shown_text(),
            self.foregroundRole(),
        )


class Remembered(Protocol):
    """Where a widget's state is kept: the app's Settings."""

    def get(self, key: str, default: Any = None) -> Any: ...

    def set(self, key: str, value: Any) -> None: ...


def remember_splitter(splitter: QSplitter, settings: Remembered | None, key: str) -> None:
    """Give *splitter* back the place the user left it at (kept under *key* in *settings*)
    and keep each new place, written once the user has stopped dragging."""
    if settings is None:
        return
    saved = settings.get(key)
    if isinstance(saved, str) and saved:
        splitter.restoreState(QByteArray.fromBase64(saved.encode("ascii")))
    timer = QTimer(splitter)
    timer.setSingleShot(True)
    timer.setInterval(300)  # a drag moves the handle many times a second: write the last one

    def save() -> None:
        state = bytes(splitter.saveState().toBase64().data()).decode("ascii")
        if settings.get(key) != state:
            settings.set(key, state)

    timer.timeout.connect(save)
    splitter.splitterMoved.connect(lambda _pos, _index: timer.start())


def symbol_font(font: QFont) -> QFont:
    """*font* in the symbol family: the interface font's ◐ loses its right half at 11 pt and
    reads as ◖; DejaVu Sans draws all the step marks whole."""
    symbols = QFont(font)
    symbols.setFamilies([SYMBOL_FAMILY, *font.families()])
    return symbols


class MarkDelegate(QStyledItemDelegate):
    """Draws a cell's leading step mark (○ ◐ ● ↺ ✓) in the symbol font and the rest of the
    text, cut with "…" if need be, in the view's font."""

    def _parts(self, index: QModelIndex | QPersistentModelIndex) -> tuple[str, str] | None:
        text = index.data(Qt.ItemDataRole.DisplayRole)
        if not isinstance(text, str) or not text or text[0] not in MARK_MEANINGS:
            return None
        return text[0], text[1:]

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        hint = super().sizeHint(option, index)
        parts = self._parts(index)
        if parts is None:
            return hint
        mark = parts[0]
        extra = QFontMetrics(symbol_font(option.font)).horizontalAdvance(mark)
        extra -= QFontMetrics(option.font).horizontalAdvance(mark)
        return QSize(hint.width() + max(extra, 0), hint.height())

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        parts = self._parts(index)
        if parts is None:
            super().paint(painter, option, index)
            return
        mark, rest = parts
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        widget = item.widget
        style = widget.style() if widget is not None else QApplication.style()
        item.text = ""  # the background, the selection and the focus: as any cell
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, item, painter, widget)
        area = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, item, widget)
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, widget) + 1
        area = area.adjusted(margin, 0, -margin, 0)
        selected = bool(item.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.save()
        painter.setPen(item.palette.color(role))
        symbols = symbol_font(item.font)
        painter.setFont(symbols)
        vertical = Qt.AlignmentFlag.AlignVCenter
        if not rest:  # a column of marks only: where the column puts its text
            painter.drawText(area, int(item.displayAlignment), mark)
            painter.restore()
            return
        painter.drawText(area, int(Qt.AlignmentFlag.AlignLeft | vertical), mark)
        area.setLeft(area.left() + QFontMetrics(symbols).horizontalAdvance(mark))
        painter.setFont(item.font)
        shown = QFontMetrics(item.font).elidedText(rest, item.textElideMode, area.width())
        painter.drawText(area, int(Qt.AlignmentFlag.AlignLeft | vertical), shown)
        painter.restore()
