"""Taking back the last edits of a page (Ctrl+Z).

Every cell of a grid saves at once, so a wrong keystroke is already in the database. Each save
that can be taken back leaves an ``Edit`` here: the words for what changed and the save that
puts the earlier state back. Undoing runs that save through the same services as any other,
so it is checked (a locked year refuses it) and written to the audit log like any edit.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

LIMIT = 50  # the issue asks for at least 20; a clerk's burst of typing fits in 50


@dataclass(frozen=True)
class Edit:
    label: str  # what was changed, for the status line: "tự xếp loại của Lầu Thị Pà"
    restore: Callable[[], object]  # saves the state before the edit


class EditHistory:
    """The edits of one page, newest last; the oldest are forgotten past ``limit``."""

    def __init__(self, limit: int = LIMIT) -> None:
        self._edits: deque[Edit] = deque(maxlen=limit)

    def record(self, label: str, restore: Callable[[], object]) -> None:
        self._edits.append(Edit(label, restore))

    def take_last(self) -> Edit | None:
        """The newest edit, removed from the history; None when there is nothing to undo."""
        return self._edits.pop() if self._edits else None

    def put_back(self, edit: Edit) -> None:
        """An undo that was refused stays undoable (the user may fix the cause and retry)."""
        self._edits.append(edit)

    def clear(self) -> None:
        self._edits.clear()

    def __len__(self) -> int:
        return len(self._edits)
