"""The organisation tree: children, descendants, and which node is a grassroots organisation.

A database may hold one commune, a former district, or a province's archive. The kind stored
for a node is what the workbook says (đảng bộ, đảng bộ bộ phận, chi bộ); whether a đảng bộ is
grassroots (tổ chức cơ sở đảng) or above it is read from its place in the tree: a đảng bộ with
a đảng bộ below it is a superior committee (huyện, tỉnh), and a chi bộ directly under a
superior committee is itself grassroots (chi bộ cơ sở).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from app.domain.vocabulary import OrgKind


@dataclass(frozen=True, slots=True)
class TreeNode:
    id: int
    parent_id: int | None
    kind: OrgKind


class OrgTree:
    def __init__(self, nodes: Iterable[TreeNode]) -> None:
        self._nodes = {node.id: node for node in nodes}
        self._children: dict[int | None, list[int]] = {}
        for node in self._nodes.values():
            self._children.setdefault(node.parent_id, []).append(node.id)

    def __contains__(self, node_id: object) -> bool:
        return node_id in self._nodes

    def node(self, node_id: int) -> TreeNode:
        return self._nodes[node_id]

    def roots(self) -> list[int]:
        return list(self._children.get(None, []))

    def children(self, node_id: int) -> list[int]:
        return list(self._children.get(node_id, []))

    def descendants(self, node_id: int) -> Iterator[int]:
        """Every node below *node_id*, depth first (not the node itself)."""
        stack = list(reversed(self._children.get(node_id, [])))
        while stack:
            current = stack.pop()
            yield current
            stack.extend(reversed(self._children.get(current, [])))

    def subtree(self, node_id: int) -> set[int]:
        return {node_id, *self.descendants(node_id)}

    def ancestors(self, node_id: int) -> list[int]:
        """From the parent up to the root."""
        result: list[int] = []
        current = self._nodes[node_id].parent_id
        while current is not None and current in self._nodes:
            result.append(current)
            current = self._nodes[current].parent_id
        return result

    def is_superior(self, node_id: int) -> bool:
        """A committee above grassroots level (a former district, a province)."""
        node = self._nodes[node_id]
        if node.kind is not OrgKind.COMMITTEE:
            return False
        return any(self._nodes[c].kind is OrgKind.COMMITTEE for c in self.children(node_id))

    def is_grassroots(self, node_id: int) -> bool:
        """A tổ chức cơ sở đảng: a grassroots đảng bộ, or a chi bộ cơ sở."""
        node = self._nodes[node_id]
        if node.kind is OrgKind.COMMITTEE:
            return not self.is_superior(node_id)
        if node.kind is OrgKind.CELL:
            parent = node.parent_id
            return parent is None or self.is_superior(parent)
        return False

    def grassroots_of(self, node_id: int) -> int | None:
        """The grassroots organisation a node belongs to (itself if it is one)."""
        for candidate in [node_id, *self.ancestors(node_id)]:
            if self.is_grassroots(candidate):
                return candidate
        return None

    def cells(self, node_id: int | None = None) -> list[int]:
        """The chi bộ at or below *node_id* (the whole tree when None)."""
        ids = self._nodes.keys() if node_id is None else self.subtree(node_id)
        return [i for i in ids if self._nodes[i].kind is OrgKind.CELL]
