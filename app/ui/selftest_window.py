"""The self-test's window check (``danhgia --self-test``): the main window built offscreen on
the scratch database, with the bundled font, every Vietnamese letter present, and drawn."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFontInfo, QFontMetrics
from PySide6.QtWidgets import QApplication

from app.settings import Settings
from app.store.database import Database
from app.ui.application import make_application
from app.ui.fonts import UI_FAMILY
from app.ui.main_window import MainWindow
from app.ui.tasks import SyncRunner


class WindowProblem(Exception):
    """What is wrong with the window, in Vietnamese."""


def check_main_window(
    database: Path,
    settings_file: Path,
    cell_id: int,
    title_part: str,
    sample: str,
    screenshot: Path | None,
) -> list[str]:
    """Build, show and draw the main window; the lines say what was checked."""
    app = make_application()
    if QApplication.platformName() != "offscreen":
        raise WindowProblem(f"Qt dùng nền tảng {QApplication.platformName()}, không phải offscreen")
    resolved = QFontInfo(app.font()).family()
    if resolved != UI_FAMILY:
        raise WindowProblem(f"phông giao diện là “{resolved}”, không phải {UI_FAMILY}")
    metrics = QFontMetrics(app.font())
    absent = sorted({c for c in sample if not c.isspace() and not metrics.inFontUcs4(ord(c))})
    if absent:
        raise WindowProblem(f"phông giao diện thiếu chữ: {' '.join(absent)}")
    lines = [f"nền tảng Qt: offscreen; phông giao diện: {resolved}, đủ chữ tiếng Việt"]
    with Database.open(database) as db:
        window = MainWindow(db, Settings(settings_file), SyncRunner())
        try:
            window.resize(1280, 760)
            window.show()
            window.tree.select_node(cell_id)
            app.processEvents()
            if title_part not in window.windowTitle():
                raise WindowProblem(f"tiêu đề cửa sổ không đúng: “{window.windowTitle()}”")
            image = window.grab().toImage()
            if image.isNull() or image.width() < 200 or image.height() < 200:
                raise WindowProblem("không vẽ được cửa sổ chính")
            colours = {
                image.pixel(x, y)
                for x in range(0, image.width(), 7)
                for y in range(0, image.height(), 7)
            }
            if len(colours) < 4:
                raise WindowProblem("cửa sổ chính vẽ ra trống trơn")
            lines.append(
                f"cửa sổ chính “{window.windowTitle()}” vẽ được {image.width()}×{image.height()}"
            )
            if screenshot is not None:
                screenshot.parent.mkdir(parents=True, exist_ok=True)
                if not image.save(str(screenshot), "PNG"):
                    raise WindowProblem(f"không ghi được ảnh chụp {screenshot}")
                lines.append(f"ảnh chụp cửa sổ: {screenshot}")
        finally:
            window.close()
            window.deleteLater()
            app.processEvents()
    return lines
