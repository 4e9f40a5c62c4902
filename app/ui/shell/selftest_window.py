"""The self-test's window check (``danhgia --self-test``): the main window built offscreen on
the scratch database, with the bundled font, every Vietnamese letter present, and drawn; Qt's
Vietnamese collation; and the self-test's PDF shown by QtPdf and printed to a PDF file."""

from __future__ import annotations

import functools
from pathlib import Path

from PySide6.QtCore import QCollator, QLocale, QSize
from PySide6.QtGui import QFontInfo, QFontMetrics, QImage
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication

from app.services.database import open_database
from app.settings import Settings
from app.ui.common.pdf_preview import load, send_to_printer
from app.ui.common.tasks import SyncRunner
from app.ui.shell.application import make_application
from app.ui.shell.fonts import UI_FAMILY
from app.ui.shell.main_window import MainWindow

# In Vietnamese order ă follows a, đ follows d and ư follows u as letters of their own; ICU's
# root collation (what is left when the Vietnamese tailoring is missing from the bundle's ICU
# data) puts "Ăn" before "Anh" and "Đức" before "Dung" instead. QCollator is what Qt's own file
# dialog and completers sort with.
VIETNAMESE_ORDER = ("Anh", "Ăn", "Dung", "Đức", "Uyên", "Ước")


class WindowProblem(Exception):
    """What is wrong with the window, in Vietnamese."""


def check_main_window(
    database: Path,
    settings_file: Path,
    cell_id: int,
    title_part: str,
    sample: str,
    screenshot: Path | None,
    pdf: bytes | None = None,
    scratch: Path | None = None,
) -> list[str]:
    """Build, show and draw the main window; sort Vietnamese words with QCollator; show *pdf*
    with QtPdf and print it to a file in *scratch*. The lines say what was checked."""
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
    with open_database(database) as db:
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
    lines.append(_collation())
    if pdf is not None and scratch is not None:
        lines.append(_preview_and_print(pdf, scratch / "in-thu.pdf"))
    return lines


def _collation() -> str:
    collator = QCollator(QLocale("vi_VN"))
    ordered = sorted(reversed(VIETNAMESE_ORDER), key=functools.cmp_to_key(collator.compare))
    if tuple(ordered) != VIETNAMESE_ORDER:
        raise WindowProblem(f"Qt sắp xếp sai thứ tự tiếng Việt: {' < '.join(ordered)}")
    return f"sắp xếp tiếng Việt (QCollator): {' < '.join(ordered)}"


def _non_blank(image: QImage) -> bool:
    colours = {
        image.pixel(x, y) for x in range(0, image.width(), 5) for y in range(0, image.height(), 5)
    }
    return len(colours) >= 2


def _preview_and_print(pdf: bytes, target: Path) -> str:
    """The preview's QtPdf renders the first page; printing goes to a PDF file (no printer and
    no CUPS needed) the way the print button sends pages to a real printer."""
    document, _buffer = load(pdf)
    pages = document.pageCount()
    if pages < 1:
        raise WindowProblem(f"QtPdf không mở được văn bản PDF (trạng thái {document.status()})")
    size = document.pagePointSize(0).toSize()
    image = document.render(0, QSize(size.width(), size.height()))
    if image.isNull() or not _non_blank(image):
        raise WindowProblem("QtPdf không vẽ được trang đầu của văn bản")
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(target))
    printed = send_to_printer(pdf, printer)
    if printed != pages or not target.is_file() or target.read_bytes()[:5] != b"%PDF-":
        raise WindowProblem("không in được văn bản ra tệp PDF")
    return (
        f"xem trước văn bản PDF (QtPdf): {pages} trang, trang đầu {image.width()}×"
        f"{image.height()}; in ra tệp: {printed} trang"
    )
