"""Long work off the UI thread, with a progress dialog and Cancel.

The work function receives a Progress (app.services.common.progress) and must not touch widgets; its
result comes back to the main thread through a queued signal. Tests pass a SyncRunner that
runs the work at once on the calling thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from app.services.common.progress import Progress

log = logging.getLogger(__name__)

Work = Callable[[Progress], Any]
Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


class _Bridge(QObject):
    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, work: Work, bridge: _Bridge, cancel: threading.Event) -> None:
        super().__init__()
        self.work = work
        self.bridge = bridge
        self.cancel = cancel

    def run(self) -> None:
        progress = Progress(
            report=lambda done, total, text: self.bridge.progress.emit(done, total, text),
            is_cancelled=self.cancel.is_set,
        )
        try:
            result = self.work(progress)
        except BaseException as error:  # reported to the main thread, never lost
            log.debug("background work failed", exc_info=True)
            self.bridge.failed.emit(error)
        else:
            self.bridge.finished.emit(result)


class TaskRunner:
    """Runs one long job at a time on a single worker thread (so writes never overlap)."""

    def __init__(self) -> None:
        self.pool = QThreadPool()
        self.pool.setMaxThreadCount(1)
        # Every object a job shares with the main thread is released on the main thread. The
        # worker thread may drop its references last; had it then destroyed a bridge, or an
        # object whose bound method is connected to a signal, Qt would lock the connections
        # while PySide wanted the interpreter lock the main thread held closing the progress
        # dialog: the two threads waited on each other for ever. So the bridges belong to a
        # QObject of the main thread and are deleted with deleteLater, and Cancel is
        # connected through a lambda that the dialog owns.
        self._owner = QObject()

    def run(
        self, parent: QWidget | None, title: str, work: Work, on_done: Done, on_failed: Failed
    ) -> None:
        cancel = threading.Event()
        dialog = QProgressDialog(title, "Hủy", 0, 0, parent)
        dialog.setWindowTitle("DanhGia")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(lambda: cancel.set())
        bridge = _Bridge(self._owner)

        def on_progress(done: int, total: int, text: str) -> None:
            dialog.setMaximum(max(total, 1))
            dialog.setValue(min(done, max(total, 1)))
            if text:
                dialog.setLabelText(text)

        def finish() -> None:
            dialog.close()
            dialog.deleteLater()
            bridge.deleteLater()

        def done(result: object) -> None:
            finish()
            on_done(result)

        def failed(error: object) -> None:
            finish()
            on_failed(error if isinstance(error, BaseException) else RuntimeError(str(error)))

        bridge.progress.connect(on_progress)
        bridge.finished.connect(done)
        bridge.failed.connect(failed)
        self.pool.start(_Job(work, bridge, cancel))

    def run_in_background(self, work: Work, on_done: Done, on_failed: Failed) -> None:
        """Like :meth:`run` without the progress dialog and its Cancel, for work the user
        goes on without (the preview's remaining pages): nothing blocks the window while it
        runs, and *on_done* or *on_failed* is called on the main thread when it ends. It
        queues behind the job running, if any, on the same worker thread."""
        bridge = _Bridge(self._owner)

        def done(result: object) -> None:
            bridge.deleteLater()
            on_done(result)

        def failed(error: object) -> None:
            bridge.deleteLater()
            on_failed(error if isinstance(error, BaseException) else RuntimeError(str(error)))

        bridge.finished.connect(done)
        bridge.failed.connect(failed)
        self.pool.start(_Job(work, bridge, threading.Event()))

    def wait(self) -> None:
        self.pool.waitForDone()


class SyncRunner:
    """Runs the work at once on the calling thread: for tests and for tiny jobs."""

    def run(
        self, parent: QWidget | None, title: str, work: Work, on_done: Done, on_failed: Failed
    ) -> None:
        try:
            result = work(Progress())
        except Exception as error:
            on_failed(error)
        else:
            on_done(result)

    def run_in_background(self, work: Work, on_done: Done, on_failed: Failed) -> None:
        self.run(None, "", work, on_done, on_failed)

    def wait(self) -> None:
        pass
