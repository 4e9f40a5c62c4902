"""What a step page of a cell's procedure may ask of the procedure that holds it.

The pages (steps, meeting, votes) know their host only through this ``Protocol``, so they do
not import the procedure module and the procedure can be tested with a stand-in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from PySide6.QtWidgets import QDialog

from app.services.database import Database

if TYPE_CHECKING:
    from app.ui.roster.own_record import OwnRecordGuard


class CellHost(Protocol):
    db: Database
    year: int | None
    cell_id: int | None
    # Set by the window: asks again before the operator changes their own record.
    own_guard: OwnRecordGuard | None
    run_dialog: Callable[[QDialog], bool]

    def actor(self) -> str:
        """Who is saving, for the audit log."""
        ...

    def run(
        self,
        action: Callable[[], object],
        undo: Callable[[], object] | None = None,
        label: str = "",
        overwrite: Callable[[], object] | None = None,
    ) -> bool:
        """Do one save; a refusal is shown in the host's banner. True when it was saved.
        *undo* saves the state from before, for Ctrl+Z; *label* says what changed;
        *overwrite* is the save without its version check, offered when someone else changed
        the record since it was read."""
        ...

    def tell(self, problem: str) -> None:
        """Show a problem found before anything was saved."""
        ...

    def advance(self) -> None:
        """Move the cell to its next step."""
        ...

    def refresh(self, follow_step: bool = False) -> None:
        """Read the cell again and show every page afresh."""
        ...
