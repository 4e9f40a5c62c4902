"""One helper for the window's service calls: a form asked, work run (at once or on the
background worker with a progress dialog), a refusal shown in the services' own words, and the
window told that something was saved so it reads again what changed.

Dialogs and menu actions get an ``Operations`` instead of the main window, so they need not
know the window's insides (and the window's module need not be imported to type them).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QDialog, QWidget

from app.services.common.errors import ServiceError, describe_os_error
from app.services.common.progress import Cancelled, Progress
from app.services.database import StoreError
from app.ui.common import ask
from app.ui.common.tasks import SyncRunner, TaskRunner


class Operations:
    def __init__(
        self,
        parent: QWidget,
        runner: TaskRunner | SyncRunner,
        run_dialog: Callable[[QDialog], bool],
        saved: Callable[[], None],
    ) -> None:
        self.parent = parent
        self.runner = runner
        self._run_dialog = run_dialog
        self._saved = saved

    def ask(self, dialog: QDialog) -> bool:
        """Show a form modally; True when the user accepted it. Tests answer forms here."""
        return self._run_dialog(dialog)

    def failed(self, error: BaseException) -> None:
        """Show why a call did not happen; nothing was changed. A bug is raised, not hidden."""
        if isinstance(error, Cancelled):
            ask.inform(self.parent, "Đã hủy", "Đã dừng theo yêu cầu; dữ liệu không thay đổi.")
        elif isinstance(error, ServiceError | StoreError):
            ask.warn(self.parent, "Không thực hiện được", str(error).split("\n", 1)[0], str(error))
        elif isinstance(error, OSError):  # a file the user chose cannot be read or written
            ask.warn(self.parent, "Không thực hiện được", describe_os_error(error))
        else:
            raise error

    def in_background(
        self,
        title: str,
        work: Callable[[Progress], Any],
        done: Callable[[Any], None],
        failed: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Run *work* on the worker with a progress dialog titled *title*; *done* gets its
        result on the UI thread, a failure goes to *failed* (``self.failed`` by default)."""
        self.runner.run(self.parent, title, work, done, failed or self.failed)

    def saved(self) -> None:
        """Something was written: the window reads again what it shows and says "Đã lưu"."""
        self._saved()
