"""The organisation tree on the left: the navigator. Selecting a node filters the right side."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QWidget

from app.domain.formatting import format_int
from app.services.roster.quick_read import OrgListing, OrgNode

ID_ROLE = Qt.ItemDataRole.UserRole
TEXT_ROLE = Qt.ItemDataRole.UserRole + 1


class OrgTreeWidget(QTreeWidget):
    node_selected = Signal(object)  # OrgNode | None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setUniformRowHeights(True)
        self.setMinimumWidth(260)
        self._nodes: dict[int, OrgNode] = {}
        self._items: dict[int, QTreeWidgetItem] = {}
        self.currentItemChanged.connect(self._on_current)

    def set_marks(self, marks: dict[int, str]) -> None:
        """Put each cell's step mark (○ ◐ ● ✓ ↺) before its name; no marks, no prefix."""
        for node_id, item in self._items.items():
            base = item.data(0, TEXT_ROLE)
            mark = marks.get(node_id)
            item.setText(0, f"{mark} {base}" if mark else base)

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
            item = QTreeWidgetItem([text])
            item.setData(0, ID_ROLE, node.id)
            item.setData(0, TEXT_ROLE, text)
            item.setToolTip(0, f"{node.kind.label} · mã {node.code}")
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
            target = self.topLevelItem(0).data(0, ID_ROLE)
        if target is not None:
            self.select_node(target)

    def select_node(self, node_id: int) -> None:
        item = self._items.get(node_id)
        if item is not None:
            self.setCurrentItem(item)
            self.scrollToItem(item)

    def current_node(self) -> OrgNode | None:
        item = self.currentItem()
        return self._nodes.get(item.data(0, ID_ROLE)) if item is not None else None

    def _on_current(self, item: QTreeWidgetItem | None, _previous: object) -> None:
        self.node_selected.emit(self._nodes.get(item.data(0, ID_ROLE)) if item else None)
