"""Seeing a PDF before printing it, sending it to a printer through the system dialog, and
opening a file (a Word copy) with the program the system associates with it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, QSize, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from app.ui.common.widgets import ElidedLabel, window_room

PREVIEW_WIDTH = 900  # a page read at ease on a large monitor; never wider than the screen
WORD_BUTTON = "Mở bằng Word…"


def word_tip(folder: Path | str) -> str:
    """The Word button's tooltip: where the copy goes, and that the PDF stays the record."""
    return (
        f"Ghi bản Word (.docx) của văn bản vào thư mục {folder} rồi mở bằng Word (hoặc "
        "chương trình soạn thảo văn bản của máy) để sửa chữ. Bản PDF vẫn là bản lưu chính "
        "thức, bản được ký số."
    )


def open_with_system(path: Path) -> bool:
    """Open *path* with the program the system associates with its kind (Word for .docx);
    False when none could be started."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def load(pdf: bytes, parent: QWidget | None = None) -> tuple[QPdfDocument, QBuffer]:
    """A QPdfDocument reading from memory (the buffer must live as long as the document)."""
    document = QPdfDocument(parent)
    buffer = QBuffer(parent)
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    return document, buffer


def print_pdf(pdf: bytes, title: str, parent: QWidget | None = None) -> bool:
    """Ask for a printer with the system's dialog and print every page; False if cancelled."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(f"In — {title}")
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    send_to_printer(pdf, printer)
    return True


def send_to_printer(pdf: bytes, printer: QPrinter) -> int:
    """Paint every page of *pdf* on *printer* at its resolution; returns the pages printed."""
    document, _buffer = load(pdf)
    painter = QPainter(printer)
    try:
        pages = document.pageCount()
        for page in range(pages):
            if page:
                printer.newPage()
            area = printer.pageRect(QPrinter.Unit.DevicePixel).toRect()
            size = document.pagePointSize(page)
            scale = min(area.width() / size.width(), area.height() / size.height())
            target = QSize(round(size.width() * scale), round(size.height() * scale))
            image = document.render(page, target)
            painter.drawImage(QRect(0, 0, target.width(), target.height()), image)
    finally:
        painter.end()
    return pages


class PreviewDialog(QDialog):
    """The document as it will print, page after page, with Print and Save beside it.

    Made with the whole PDF, or (*complete* False) with its first page only while the rest is
    laid out in the background: the info line then says so, and Print and Save stay disabled
    until :meth:`show_complete` brings the whole document, which replaces the first page.
    """

    PENDING = "Đang tạo các trang tiếp theo…"

    completed = Signal()  # the whole document is shown

    def __init__(
        self,
        pdf: bytes,
        title: str,
        note: str = "",
        parent: QWidget | None = None,
        *,
        complete: bool = True,
        open_in_word: Callable[[QWidget], None] | None = None,
        word_folder: Path | str = "",
    ):
        """*open_in_word*, when given, adds "Mở bằng Word…", which calls it with the dialog
        (the parent of its messages); *word_folder* is named in its tooltip."""
        super().__init__(parent)
        self.setWindowTitle(f"Xem trước — {title}")
        # A page is tall: the preview takes the screen's whole free height (its buttons stay
        # on screen, even on a 1366×768 laptop with its taskbar).
        room = window_room(self)
        self.resize(min(PREVIEW_WIDTH, room.width()), room.height())
        self.pdf = pdf
        self.title = title
        self.note = note
        self.complete = complete
        self.document, self._buffer = load(pdf, self)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        # A failure's sentence may be long: cut, whole on hover, never widening the dialog.
        self.info = ElidedLabel(self._info_text() if complete else self.PENDING)
        self.print_button = QPushButton("In…")
        self.save_button = QPushButton("Lưu PDF…")
        close = QPushButton("Đóng")
        close.clicked.connect(self.accept)
        self.print_button.clicked.connect(lambda: print_pdf(self.pdf, self.title, self))
        for button in (self.print_button, self.save_button):
            button.setEnabled(complete)  # they act on the whole document only
        self.word_button: QPushButton | None = None
        buttons = QHBoxLayout()
        buttons.addWidget(self.info, 1)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.save_button)
        if open_in_word is not None:
            # Made from the records anew, not from this PDF: ready at once.
            self.word_button = QPushButton(WORD_BUTTON)
            self.word_button.setToolTip(word_tip(word_folder))
            self.word_button.clicked.connect(lambda: open_in_word(self))
            buttons.addWidget(self.word_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)

    def _info_text(self) -> str:
        return self.note or f"{self.document.pageCount()} trang"

    def show_complete(self, pdf: bytes) -> None:
        """The whole document, in place of the first page; Print and Save now act on it."""
        old = self._buffer
        self.document.close()
        self.pdf = pdf
        self._buffer = QBuffer(self)
        self._buffer.setData(QByteArray(pdf))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(self._buffer)
        old.close()
        old.deleteLater()
        self.complete = True
        self.info.setText(self._info_text())
        self.print_button.setEnabled(True)
        self.save_button.setEnabled(True)
        self.completed.emit()

    def show_failure(self, message: str) -> None:
        """The rest could not be made: say why; Print and Save stay disabled."""
        self.info.setText(f"Không tạo được các trang tiếp theo: {message}")

    @property
    def pages(self) -> int:
        return self.document.pageCount()
