"""Take the user guide's pictures again from the real window: ``make guide-pictures``, or
``python -m app.ui.shell.guide_pictures [FOLDER]`` (default: resources/guide).

The demo commune is made in a scratch folder and shown at 1366×768 (the screen the guide is
written for) without a display (Qt's offscreen platform), on a fixed day when its cells stand
at every step; each page the guide shows is brought to the front as a user would, and the
window is grabbed. Nothing is written outside the scratch folder and FOLDER.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtGui import QImage

    from app.ui.shell.main_window import MainWindow

SIZE = (1366, 768)
# Late November: last year decided, this year's cells at every step (the demo's design).
GUIDE_DAY = "2026-11-25"


def _settle() -> None:
    from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer

    for _ in range(3):
        loop = QEventLoop()
        QTimer.singleShot(60, loop.quit)
        loop.exec()
        QCoreApplication.processEvents()


def _cell_at(window: MainWindow, step: str) -> int:
    """A cell of the period under way that stands at *step* (a CellStep value)."""
    from app.services.procedure import board

    year = window.evaluation.year
    assert year is not None, "the demo has no period"
    rows = board.board(window.db, year, window.today())
    return next(row.cell_id for row in rows if row.step.value == step)


def _members(window: MainWindow) -> None:
    window.select_root()
    window.show_tab(window.members)


def _board(window: MainWindow) -> None:
    window.show_board()


def _step(number: int, at: str) -> Callable[[MainWindow], None]:
    def bring(window: MainWindow) -> None:
        window.open_cell(_cell_at(window, at))
        window.evaluation.cell.show_page(number - 1)

    return bring


def _appraisal(window: MainWindow) -> None:
    window.show_appraisal()


def _summary(window: MainWindow) -> None:
    window.select_root()
    window.show_tab(window.summary_page)


def _documents(window: MainWindow) -> None:
    window.tree.select_node(_cell_at(window, "da_nop"))
    window.show_tab(window.documents_page)


# Picture → how to bring its page to the front, and the page it is (help.current_page).
SHOTS: list[tuple[str, Callable[[MainWindow], None], str]] = [
    ("cua-so-chinh.png", _members, "members"),
    ("bang-theo-doi.png", _board, "board"),
    ("buoc-1-chuan-bi.png", _step(1, "chuan_bi"), "step-1"),
    ("buoc-2-tu-kiem-diem.png", _step(2, "tu_kiem_diem"), "step-2"),
    ("buoc-3-hoi-nghi.png", _step(3, "hoi_nghi"), "step-3"),
    ("buoc-4-bieu-quyet.png", _step(4, "bieu_quyet"), "step-4"),
    ("buoc-5-bien-ban-va-nop.png", _step(5, "da_nop"), "step-5"),
    ("tham-dinh.png", _appraisal, "appraisal"),
    ("tong-hop.png", _summary, "summary"),
    ("van-ban.png", _documents, "documents"),
]


def _small(image: QImage) -> QImage:
    """256 colours without dithering: a screen of flat colours and text keeps its look at a
    fifth of the size (the bundle carries every picture). Quality 0 when saving: the
    tightest PNG compression, still lossless."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage

    flags = Qt.ImageConversionFlag.ThresholdDither | Qt.ImageConversionFlag.AvoidDither
    return image.convertToFormat(QImage.Format.Format_Indexed8, flags)


def take(window: MainWindow, folder: Path) -> list[Path]:
    """Grab every picture of SHOTS from *window* into *folder*."""
    from app.ui.shell import help as guide

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, bring, page in SHOTS:
        bring(window)
        _settle()
        shown = guide.current_page(window)
        if shown != page:
            raise RuntimeError(f"{name}: the window shows {shown!r}, not {page!r}")
        target = folder / name
        if not _small(window.grab().toImage()).save(str(target), "PNG", 0):
            raise OSError(f"could not write {target}")
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=None)
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("DANHGIA_TODAY", GUIDE_DAY)

    from app import paths

    folder = (args.folder or paths.resources_dir() / "guide").resolve()
    with tempfile.TemporaryDirectory(prefix="danhgia-guide-") as scratch_name:
        scratch = Path(scratch_name)
        # The scratch folder takes the data, the settings and the libraries' caches.
        paths.set_data_dir(scratch / "data")
        previous = paths.contain_caches(scratch / "home")
        try:
            written = _run(folder, scratch)
        finally:
            paths.restore_environment(previous)
            paths.set_data_dir(None)
    for path in written:
        print(path)
    return 0


def _run(folder: Path, scratch: Path) -> list[Path]:
    from app.services.demo.commune import create_demo_database
    from app.settings import Settings
    from app.ui.common.tasks import SyncRunner
    from app.ui.shell.application import make_application
    from app.ui.shell.main_window import MainWindow

    app = make_application()
    db, _orgs, _members = create_demo_database(scratch / "demo.sqlite", "commune")
    try:
        window = MainWindow(db, Settings(scratch / "settings.json"), SyncRunner())
        window.resize(*SIZE)
        window.show()
        _settle()
        written = take(window, folder)
        window.runner.wait()
        window.hide()
        window.deleteLater()
        app.processEvents()
    finally:
        db.close()
    return written


if __name__ == "__main__":
    sys.exit(main())
