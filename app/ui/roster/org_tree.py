"""The organisation tree on the left: the navigator. Selecting a node filters the right side.

Each node shows its name and member count; a cell's step mark (○ ◐ ● ↺ ✓) stands in a narrow
column of its own at the right, so a long name is cut in its middle (the count stays) and the
mark never is. The legend of the marks is under the tree and in its tooltip."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHeaderView, QLabel, QTreeWidget, QTreeWidgetItem, QWidget

from app.domain.formatting import format_int
from app.services.roster.quick_read import OrgListing, OrgNode
from app.ui.common.marks import MARK_MEANINGS
from app.ui.common.widgets import MarkDelegate
from app.ui.shell.fonts import SYMBOL_FAMILY

ID_ROLE = Qt.ItemDataRole.UserRole
NAME, MARK = 0, 1
LEGEND_TIP = "Dấu bên phải tên chi bộ là bước của chi bộ trong kỳ đánh giá đang xem:\n" + "\n".join(
    f"{mark}  {meaning}" for mark, meaning in MARK_MEANINGS.items()
)


class OrgTreeWidget(QTreeWidget):
    node_selected = Signal(object)  # OrgNode | None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setColumnCount(2)
        self.setHeaderHidden(True)
        self.setUniformRowHeights(True)
        # Long names are cut in the middle: "Chi bộ Cơ quan Mặt…các đoàn thể (24)" keeps the
        # count; the whole name is the row's tooltip.
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(MARK, QHeaderView.ResizeMode.ResizeToContents)
        self.setItemDelegateForColumn(MARK, MarkDelegate(self))
        self.setMinimumWidth(180)
        self.setToolTip(LEGEND_TIP)
        self._nodes: dict[int, OrgNode] = {}
        self._items: dict[int, QTreeWidgetItem] = {}
        self.currentItemChanged.connect(self._on_current)

    def set_marks(self, marks: dict[int, str]) -> None:
        """Put each cell's step mark (○ ◐ ● ✓ ↺) beside its name; no marks, an empty column."""
        for node_id, item in self._items.items():
            mark = marks.get(node_id, "")
            item.setText(MARK, mark)
            item.setToolTip(MARK, f"{mark} {MARK_MEANINGS[mark]}" if mark in MARK_MEANINGS else "")

    def set_listing(self, listing: OrgListing, member_counts: dict[int, int]) -> None:
        """Rebuild the tree; keeps the current node selected when it still exists."""
        current = self.current_node()
        self.blockSignals(True)
        self.clear()
        self._nodes = listing.by_id()
        self._items = {}
        totals = {
            node.id: sum(member_counts.get(c, 0) for c in listing.tree.cells(node.id))
            for node in listing.nodes
        }
        for node in listing.nodes:
            text = f"{node.name} ({format_int(totals[node.id])})"
            item = QTreeWidgetItem([text, ""])
            item.setData(NAME, ID_ROLE, node.id)
            item.setToolTip(NAME, f"{text}\n{node.kind.label} · mã {node.code}")
            item.setTextAlignment(MARK, Qt.AlignmentFlag.AlignCenter)
            parent = self._items.get(node.parent_id) if node.parent_id is not None else None
            if parent is None:
                self.addTopLevelItem(item)
            else:
                parent.addChild(item)
            self._items[node.id] = item
        for index in range(self.topLevelItemCount()):
            self.topLevelItem(index).setExpanded(True)
        self.blockSignals(False)
        target = current.id if current and current.id in self._items else None
        if target is None and self.topLevelItemCount():
            target = self.topLevelItem(0).data(NAME, ID_ROLE)
        if target is not None:
            self.select_node(target)

    def select_node(self, node_id: int) -> None:
        item = self._items.get(node_id)
        if item is not None:
            self.setCurrentItem(item)
            self.scrollToItem(item)

    def current_node(self) -> OrgNode | None:
        item = self.currentItem()
        return self._nodes.get(item.data(NAME, ID_ROLE)) if item is not None else None

    def _on_current(self, item: QTreeWidgetItem | None, _previous: object) -> None:
        self.node_selected.emit(self._nodes.get(item.data(NAME, ID_ROLE)) if item else None)


def marks_legend() -> QLabel:
    """The line under the tree saying what the marks mean (it wraps in a narrow pane, between
    one mark's words and the next), the marks drawn as the tree draws them."""
    entries = [
        f"<span style=\"font-family: '{SYMBOL_FAMILY}'\">{mark}</span>&nbsp;"
        + meaning.replace(" ", "&nbsp;")
        for mark, meaning in MARK_MEANINGS.items()
    ]
    label = QLabel(" · ".join(entries))
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setWordWrap(True)
    label.setToolTip(LEGEND_TIP)
    label.setStyleSheet("color: #555; padding: 2px 4px;")
    return label
