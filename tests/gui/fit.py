"""Does every text on screen fit its widget? A reusable check for layout tests.

:func:`clipping_problems` walks a widget and its visible children and lists, in words a
developer can act on, each text that is cut off: a label, button, check box, radio button or
group box title wider than its widget (or a wrapped label taller than it), a column header
wider than its section, a cell of a list, table or tree whose text does not fit. A text may be
cut when the user can still read it whole: a label that wraps or elides itself, or a tooltip
holding the full text (for a header or a cell: any tooltip of that column or cell).
:func:`window_problems` lists the top-level windows larger than the screen's free area.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from PySide6.QtCore import QModelIndex, QPoint, QRect, QSize
from PySide6.QtGui import QFontMetrics, Qt, QTextDocument  # QtGui's Qt has mightBeRichText
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QListView,
    QMainWindow,
    QPushButton,
    QRadioButton,
    QStyle,
    QStyleOptionButton,
    QStyleOptionGroupBox,
    QTableView,
    QTreeView,
    QWidget,
)

from app.ui.shell import qt_fixes

SLACK = 1  # a pixel of rounding is not a cut
CELLS_PER_COLUMN = 3  # cells named per column; the rest are counted
TOOLTIP = Qt.ItemDataRole.ToolTipRole
DISPLAY = Qt.ItemDataRole.DisplayRole


def _short(text: str, length: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"


def _plain(text: str, rich: bool) -> str:
    if not rich:
        return text
    document = QTextDocument()
    document.setHtml(text)
    return document.toPlainText()


def _is_rich(label: QLabel) -> bool:
    fmt = label.textFormat()
    if fmt == Qt.TextFormat.RichText:
        return True
    return fmt == Qt.TextFormat.AutoText and Qt.mightBeRichText(label.text())


def _same_words(text: str) -> str:
    return " ".join(text.replace("&&", "\0").replace("&", "").replace("\0", "&").split())


def _tooltip_holds(widget: QWidget, text: str) -> bool:
    tip = widget.toolTip()
    if not tip:
        return False
    tip_text = _same_words(_plain(tip, Qt.mightBeRichText(tip)))
    return _same_words(text) in tip_text


def _name(widget: QWidget) -> str:
    return type(widget).__name__


def _label_width(label: QLabel) -> int:
    """The width the label's text needs on one line (bold and other markup counted)."""
    document = QTextDocument()
    document.setDocumentMargin(0)
    document.setDefaultFont(label.font())
    text = label.text()
    if label.buddy() is not None:  # "&" marks the buddy's shortcut and is not shown
        text = _same_words(text)
    if _is_rich(label):
        document.setHtml(text)
    else:
        document.setPlainText(text)
    return int(document.idealWidth() + 0.999)


def _label_problem(label: QLabel, where: str) -> str | None:
    text = label.text()
    if not text.strip() or getattr(label, "elides", False):
        return None
    plain = _plain(text, _is_rich(label))
    shown = f"{where} › QLabel '{_short(plain)}'"
    if label.wordWrap():
        needed_height = label.heightForWidth(label.width())
        if needed_height > label.height() + SLACK and not _tooltip_holds(label, plain):
            return f"{shown} needs {needed_height} px of height, has {label.height()} px"
        return None
    indent = max(label.indent(), 0)
    available = label.contentsRect().width() - 2 * label.margin() - indent
    needed = _label_width(label)
    if needed > available + SLACK and not _tooltip_holds(label, plain):
        return f"{shown} needs {needed} px, has {available} px"
    return None


def _button_problem(button: QAbstractButton, where: str) -> str | None:
    text = button.text()
    if not text.strip():
        return None
    style = button.style()
    option = QStyleOptionButton()
    try:
        button.initStyleOption(option)  # type: ignore[attr-defined]
    except (AttributeError, TypeError):  # a button Qt made: its protected method is out of reach
        option.initFrom(button)
        option.text = text
    metrics = QFontMetrics(button.font())
    lines = text.split("\n")
    needed = max(metrics.size(Qt.TextFlag.TextShowMnemonic, line).width() for line in lines)
    if isinstance(button, QCheckBox):
        element = QStyle.SubElement.SE_CheckBoxContents
    elif isinstance(button, QRadioButton):
        element = QStyle.SubElement.SE_RadioButtonContents
    else:
        element = QStyle.SubElement.SE_PushButtonContents
    contents = style.subElementRect(element, option, button)
    available = contents.width()
    if not button.icon().isNull():
        available -= button.iconSize().width() + 4
    if isinstance(button, QPushButton) and button.menu() is not None:
        available -= style.pixelMetric(QStyle.PixelMetric.PM_MenuButtonIndicator, option, button)
    if needed > available + SLACK and not _tooltip_holds(button, text):
        shown = f"{where} › {_name(button)} '{_short(_same_words(text))}'"
        return f"{shown} needs {needed} px, has {available} px"
    return None


def _group_problem(box: QGroupBox, where: str) -> str | None:
    title = box.title()
    if not title.strip():
        return None
    option = QStyleOptionGroupBox()
    try:
        box.initStyleOption(option)  # type: ignore[attr-defined]
    except (AttributeError, TypeError):
        return None
    style = box.style()
    label = style.subControlRect(
        QStyle.ComplexControl.CC_GroupBox, option, QStyle.SubControl.SC_GroupBoxLabel, box
    )
    needed = QFontMetrics(box.font()).size(Qt.TextFlag.TextShowMnemonic, title).width()
    available = min(label.width(), box.width() - label.left())
    if needed > available + SLACK and not _tooltip_holds(box, title):
        shown = f"{where} › QGroupBox title '{_short(_same_words(title))}'"
        return f"{shown} needs {needed} px, has {available} px"
    return None


def _header_problems(header: QHeaderView, where: str) -> list[str]:
    model = header.model()
    if model is None or header.orientation() != Qt.Orientation.Horizontal:
        return []
    problems = []
    metrics = QFontMetrics(header.font())
    margin = header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
    for section in range(header.count()):
        if header.isSectionHidden(section) or header.sectionSize(section) <= 0:
            continue
        text = model.headerData(section, Qt.Orientation.Horizontal, DISPLAY)
        if not isinstance(text, str) or not text.strip():
            continue
        lines = text.split("\n")
        needed = max(metrics.horizontalAdvance(line) for line in lines) + 2 * margin
        if header.isSortIndicatorShown() and header.sortIndicatorSection() == section:
            needed += header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize, None, header)
        height = len(lines) * metrics.height() + 2 * margin
        tip = model.headerData(section, Qt.Orientation.Horizontal, TOOLTIP)
        if isinstance(tip, str) and tip.strip():
            continue
        name = f"{where} › column header '{_short(' / '.join(lines))}'"
        if needed > header.sectionSize(section) + SLACK:
            problems.append(f"{name} needs {needed} px, has {header.sectionSize(section)} px")
        elif height > header.height() + SLACK:
            problems.append(f"{name} needs {height} px of height, has {header.height()} px")
    return problems


def _visible_indexes(view: QAbstractItemView) -> Iterable[QModelIndex]:
    """The indexes in the view's viewport, row after row."""
    model = view.model()
    viewport = view.viewport().rect()
    if isinstance(view, QTreeView):
        index = view.indexAt(QPoint(viewport.left() + 1, viewport.top() + 1))
        while index.isValid() and view.visualRect(index).top() < viewport.bottom():
            row = index.siblingAtColumn(0)
            for column in range(model.columnCount(row.parent())):
                if not view.isColumnHidden(column):
                    yield row.siblingAtColumn(column)
            index = view.indexBelow(row)
        return
    if isinstance(view, QTableView):
        first, last = view.rowAt(viewport.top()), view.rowAt(viewport.bottom())
        if first < 0:
            return
        last = model.rowCount() - 1 if last < 0 else last
        for row in range(first, last + 1):
            if view.isRowHidden(row):
                continue
            for column in range(model.columnCount()):
                if not view.isColumnHidden(column):
                    yield model.index(row, column)
        return
    if isinstance(view, QListView):
        for row in range(model.rowCount()):
            index = model.index(row, view.modelColumn())
            if view.isRowHidden(row):
                continue
            if view.visualRect(index).intersects(viewport):
                yield index


def _cell_problems(view: QAbstractItemView, where: str) -> list[str]:
    model = view.model()
    if model is None:
        return []
    style = view.style()
    margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1
    wraps = bool(view.wordWrap()) if hasattr(view, "wordWrap") else False
    problems: list[str] = []
    named: dict[int, int] = {}
    more: dict[int, int] = {}
    for index in _visible_indexes(view):
        column = index.column()
        if view.indexWidget(index) is not None or view.itemDelegateForColumn(column) is not None:
            continue
        text = index.data(DISPLAY)
        if not isinstance(text, str) or not text.strip():
            continue
        rect = view.visualRect(index)
        if rect.width() <= 0:
            continue
        available = rect.width() - 2 * margin
        if index.data(Qt.ItemDataRole.DecorationRole) is not None:
            icon = view.iconSize()
            available -= (icon.width() if icon.isValid() else 16) + 4
        if index.data(Qt.ItemDataRole.CheckStateRole) is not None:
            available -= style.pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth) + 4
        font = index.data(Qt.ItemDataRole.FontRole)
        metrics = QFontMetrics(font) if font is not None else QFontMetrics(view.font())
        lines = text.split("\n")
        needed = max(metrics.horizontalAdvance(line) for line in lines)
        tall = len(lines) * metrics.height()
        fits = needed <= available + SLACK and tall <= rect.height() + SLACK
        if not fits and wraps:
            bound = metrics.boundingRect(
                QRect(0, 0, max(available, 1), 100_000), Qt.TextFlag.TextWordWrap, text
            )
            tall = bound.height()
            fits = bound.width() <= available + SLACK and tall <= rect.height() + SLACK
        if fits:
            continue
        tip = index.data(TOOLTIP)
        if isinstance(tip, str) and tip.strip():
            continue
        if named.get(column, 0) >= CELLS_PER_COLUMN:
            more[column] = more.get(column, 0) + 1
            continue
        named[column] = named.get(column, 0) + 1
        if needed > available + SLACK and not wraps:
            size = f"needs {needed} px, has {available} px"
        else:
            size = f"needs {tall} px of height, has {rect.height()} px"
        problems.append(
            f"{where} › {_name(view)}{_column(model, column)} cell '{_short(text)}' {size}, "
            "no tooltip"
        )
    for column, count in more.items():
        problems.append(f"{where} › {_name(view)}{_column(model, column)}: {count} more cells cut")
    return problems


def _column(model: object, column: int) -> str:
    header = model.headerData(column, Qt.Orientation.Horizontal, DISPLAY)  # type: ignore[attr-defined]
    return f" column '{_short(header, 24)}'" if isinstance(header, str) and header else ""


def _shown(widget: QWidget) -> bool:
    return widget.isVisible() and widget.width() > 0 and widget.height() > 0


def clipping_problems(root: QWidget, where: str) -> list[str]:
    """Every text of *root* and its visible children that is cut off without a way to read it
    whole, one sentence each ("Board › QLabel 'Còn thiếu…' needs 240 px, has 180 px")."""
    qt_fixes.top_up()  # the checks ask Qt for many empty values (see qt_fixes)
    problems: list[str] = []
    widgets = [root, *root.findChildren(QWidget)]
    for widget in widgets:
        if not _shown(widget) or (widget is not root and widget.window() is not root.window()):
            continue
        problem: str | None = None
        if isinstance(widget, QLabel):
            problem = _label_problem(widget, where)
        elif isinstance(widget, QAbstractButton) and isinstance(
            widget, QPushButton | QCheckBox | QRadioButton
        ):
            problem = _button_problem(widget, where)
        elif isinstance(widget, QGroupBox):
            problem = _group_problem(widget, where)
        elif isinstance(widget, QHeaderView):
            problems.extend(_header_problems(widget, where))
        elif isinstance(widget, QAbstractItemView):
            problems.extend(_cell_problems(widget, where))
        if problem:
            problems.append(problem)
    return problems


def window_problems(area: QSize, main: QSize) -> list[str]:
    """Every visible top-level window larger than *area* (a main window: than *main*)."""
    problems = []
    for widget in QApplication.topLevelWidgets():
        if not widget.isVisible() or widget.windowType() in (
            Qt.WindowType.Popup,
            Qt.WindowType.ToolTip,
        ):
            continue
        # The main window is sized by the test (its inside); a dialog by the app (its frame).
        is_main = isinstance(widget, QMainWindow)
        limit = main if is_main else area
        frame = widget.size() if is_main else widget.frameGeometry().size()
        if frame.width() > limit.width() or frame.height() > limit.height():
            title = widget.windowTitle() or _name(widget)
            problems.append(
                f"window '{_short(title)}' is {frame.width()}×{frame.height()}, "
                f"larger than {limit.width()}×{limit.height()}"
            )
    return problems


def words(problems: list[str]) -> str:
    """The problems, one a line, for an assertion message."""
    return "\n".join(re.sub(r"\s+", " ", p) for p in problems)
