"""Progress reporting and cancellation for long work, without knowing who is watching."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


class Cancelled(Exception):
    """The user cancelled; whatever the work had started is rolled back."""


@dataclass
class Progress:
    """Passed into long-running services. The window shows it; the command line ignores it."""

    report: Callable[[int, int, str], None] | None = None
    is_cancelled: Callable[[], bool] = field(default=lambda: False)

    def step(self, done: int, total: int, text: str = "") -> None:
        """Say how far the work is; raise Cancelled if the user asked to stop."""
        if self.is_cancelled():
            raise Cancelled
        if self.report is not None:
            self.report(done, total, text)


SILENT = Progress()
