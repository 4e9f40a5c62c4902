"""Window measurements, each run in a fresh process by ``child``.

``startup``: from the moment the parent spawned the process to the first paint of the member
table (the window built, shown, the tree and the table filled, the event loop running): what
``run_window`` does, step by step, with a watch on the table. ``bare_window``: the same clock
for a bare PySide6 main window. ``filter``: the member table of a large database, a search
typed one key at a time, each keystroke timed until the table has repainted.
``first_preview``: the Văn bản tab on the commune, "Xem trước" of its decision, timed to the
image of the first page, and on to the whole document in the preview.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

from tests.benchmarks.child import report

# Typed into the search box, then erased key by key (erasing widens the list again).
SEARCH_TEXT = "lo van hu"
SETTLE_MS = 1500


class _FirstPaint(QObject):
    """Reports once, after the event loop has finished the first paint of *widget*."""

    def __init__(self, widget: QWidget, t0: float, extra: dict[str, Any]) -> None:
        super().__init__(widget)
        self.t0 = t0
        self.extra = extra
        self.seen = False
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self.seen:
            self.seen = True
            QTimer.singleShot(0, self._painted)
        return False

    def _painted(self) -> None:
        self.extra["seconds"] = time.time() - self.t0
        # The peak memory is read once the window has settled: what it loads just after its
        # first paint (ahead of the first click) counts too.
        QTimer.singleShot(SETTLE_MS, self._done)

    def _done(self) -> None:
        report(self.extra)


def startup(args: dict[str, Any]) -> None:
    from app.settings import Settings
    from app.ui.common.tasks import TaskRunner
    from app.ui.shell.application import make_application, open_database, setup_logging
    from app.ui.shell.main_window import MainWindow

    setup_logging()
    app = make_application()
    db = open_database(Path(args["db"]))
    if db is None:
        raise SystemExit(f"cannot open {args['db']}")
    window = MainWindow(db, Settings(), TaskRunner())
    rows = window.members.model.rowCount()
    tree_items = window.tree.topLevelItemCount()
    _FirstPaint(window.members.table.viewport(), args["t0"], {"rows": rows, "tree": tree_items})
    window.show()
    app.exec()


def bare_window(args: dict[str, Any]) -> None:
    app = QApplication([])
    window = QMainWindow()
    central = QWidget()
    window.setCentralWidget(central)
    window.resize(1280, 760)
    _FirstPaint(central, args["t0"], {"rows": 0, "tree": 0})
    window.show()
    app.exec()


def filter_keystrokes(args: dict[str, Any]) -> dict[str, Any]:
    from app.settings import Settings
    from app.store.database import Database
    from app.ui.common.tasks import SyncRunner
    from app.ui.shell.application import make_application
    from app.ui.shell.main_window import MainWindow

    app = make_application()
    db = Database.open(Path(args["db"]))
    window = MainWindow(db, Settings(), SyncRunner())
    window.show()
    # A clerk types once the window has settled: the rows' search forms are made just after
    # the first paint (the start-up row counts the time to that paint).
    settle = time.perf_counter()
    while not window.members.model.search_ready and time.perf_counter() - settle < 60:
        app.processEvents()
    settled = time.perf_counter() - settle
    search = window.members.search
    prefixes = [SEARCH_TEXT[:n] for n in range(1, len(SEARCH_TEXT) + 1)]
    prefixes += [SEARCH_TEXT[:n] for n in range(len(SEARCH_TEXT) - 1, -1, -1)]
    times: list[float] = []
    shown: list[int] = []
    for text in prefixes:
        start = time.perf_counter()
        search.setText(text)
        app.processEvents()
        times.append(time.perf_counter() - start)
        shown.append(window.members.model.rowCount())
    return {
        "seconds": max(times),
        "median_keystroke": statistics.median(times),
        "rows": window.members.model.total,
        "fewest_shown": min(shown),
        "settle_seconds": settled,
    }


def first_preview(args: dict[str, Any]) -> None:
    """From the click on "Xem trước" to the first page's image, in a process that has shown
    the Văn bản tab (which imports the documents) and done nothing else; the real background
    runner, its progress dialog and the event loop in between. ``full_seconds`` goes on until
    the whole document is in the preview: all the user waited for before a page appeared."""
    from PySide6.QtCore import QSize
    from PySide6.QtWidgets import QDialog

    from app.services.printing import documents as printing
    from app.services.roster.organizations import list_organizations
    from app.store.database import Database
    from app.ui.common.pdf_preview import PreviewDialog
    from app.ui.common.tasks import TaskRunner
    from app.ui.reports.documents import DocumentsTab
    from app.ui.shell.application import make_application

    app = make_application()
    db = Database.open(Path(args["db"]))
    commune = printing.commune_of(db)
    node = next(n for n in list_organizations(db).nodes if n.id == commune)
    result: dict[str, Any] = {}

    def run_dialog(dialog: QDialog) -> bool:
        assert isinstance(dialog, PreviewDialog)
        image = dialog.document.render(0, QSize(794, 1123))  # A4 at 96 dpi, as on screen
        assert not image.isNull()
        result.update(seconds=time.perf_counter() - start, first_pages=dialog.pages)
        if dialog.complete:
            finish(dialog)
        else:
            dialog.completed.connect(lambda: finish(dialog))
        return False

    def finish(dialog: PreviewDialog) -> None:
        report({**result, "full_seconds": time.perf_counter() - start, "pages": dialog.pages})

    tab = DocumentsTab(db, TaskRunner(), run_dialog)
    tab.resize(1000, 700)
    tab.show_node(node)
    tab.show()
    tab.year.setCurrentIndex(tab.year.findData(args["year"]))
    row = next(i for i in range(tab.kinds.count()) if tab.kinds.item(i).data(256) == "decision")
    tab.kinds.setCurrentRow(row)
    app.processEvents()
    start = time.perf_counter()
    tab.preview()
    app.exec()


TASKS = {
    "startup": startup,
    "bare_window": bare_window,
    "filter": filter_keystrokes,
    "first_preview": first_preview,
}
