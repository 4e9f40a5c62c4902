"""The "Văn bản" tab: preview, save, print, sign, print everything, verify, look up a code."""

from __future__ import annotations

import errno
import io
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader
from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from app.documents.render_docx import iter_text
from app.services.signing.sign import make_test_certificate
from app.settings import Settings
from app.store.database import Database
from app.ui.common import ask
from app.ui.common.pdf_preview import PreviewDialog, send_to_printer
from app.ui.common.tasks import Done, Failed, SyncRunner, TaskRunner, Work
from app.ui.reports import documents as documents_tab
from app.ui.reports.sign_dialog import SignDialog
from app.ui.shell.main_window import MainWindow

from .conftest import TODAY
from .keyboard import type_text

LAST_YEAR = TODAY.year - 1


@pytest.fixture
def full_window(qtbot: QtBot, full_demo_db: Database, settings: Settings) -> MainWindow:
    window = MainWindow(full_demo_db, settings, SyncRunner(), today=lambda: TODAY)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    return window


def open_documents(window: MainWindow, cell_name: str) -> documents_tab.DocumentsTab:
    assert window.listing is not None
    cell = next(n for n in window.listing.nodes if n.name == cell_name)
    window.tree.select_node(cell.id)
    window.show_documents()
    tab = window.documents
    tab.year.setCurrentIndex(tab.year.findData(LAST_YEAR))
    return tab


def select_kind(tab: documents_tab.DocumentsTab, kind: str) -> None:
    row = next(i for i in range(tab.kinds.count()) if tab.kinds.item(i).data(256) == kind)
    tab.kinds.setCurrentRow(row)


def test_the_commune_offers_its_decision_and_its_summary_report(full_window: MainWindow) -> None:
    tab = open_documents(full_window, "Đảng bộ xã Na Tông")
    kinds = [tab.kinds.item(i).data(256) for i in range(tab.kinds.count())]
    assert kinds == ["decision", "summary"]
    assert tab.kinds.item(1).text().startswith("Biểu tổng hợp kết quả đánh giá, xếp loại")


def test_preview_save_and_print_the_minutes(
    full_window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tab = open_documents(full_window, "Chi bộ bản Pá Có")
    # The six papers of the year, then the quarterly form, one line per quarter.
    kinds = [tab.kinds.item(i).data(256) for i in range(tab.kinds.count())]
    assert len(kinds) == 6 + 4 and kinds[6:] == ["quarter-rating"] * 4
    select_kind(tab, "meeting-minutes")
    shown: list[PreviewDialog] = []
    monkeypatch.setattr(tab, "run_dialog", lambda d: shown.append(d) or False)
    tab.preview()
    [preview] = shown
    assert preview.pages >= 2 and preview.windowTitle() == "Xem trước — Biên bản hội nghị chi bộ"
    assert preview.info.text().startswith("Mã đối chiếu ")

    target = tmp_path / "bien-ban.pdf"
    monkeypatch.setattr(ask, "save_file", lambda *_a: target)
    messages: list[str] = []
    monkeypatch.setattr(ask, "inform", lambda _p, _t, text: messages.append(text))
    tab.save_selected()
    text = PdfReader(target).pages[0].extract_text()
    assert "CHI BỘ BẢN PÁ CÓ" in text and "-BB/CB" in text
    assert messages[-1].startswith("Đã lưu “Biên bản hội nghị chi bộ”")

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printed = tmp_path / "may-in.pdf"
    printer.setOutputFileName(str(printed))
    assert send_to_printer(target.read_bytes(), printer) == len(PdfReader(target).pages)
    assert len(PdfReader(printed).pages) == len(PdfReader(target).pages)


def test_the_quarterly_form_of_a_chosen_quarter(
    full_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    tab = open_documents(full_window, "Chi bộ bản Pá Có")
    quarter_lines = [
        i for i in range(tab.kinds.count()) if tab.kinds.item(i).data(256) == "quarter-rating"
    ]
    assert [tab.kinds.item(i).data(257) for i in quarter_lines] == [1, 2, 3, 4]
    tab.kinds.setCurrentRow(quarter_lines[2])
    assert f"Quý III/{LAST_YEAR}" in tab.kinds.currentItem().text()
    shown: list[PreviewDialog] = []
    monkeypatch.setattr(tab, "run_dialog", lambda d: shown.append(d) or False)
    tab.preview()
    [preview] = shown
    assert preview.windowTitle().startswith("Xem trước — Phiếu tự đánh giá")
    assert f"Quý III/{LAST_YEAR}" in preview.windowTitle()


def test_sign_then_verify_in_the_window(
    full_window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tab = open_documents(full_window, "Chi bộ bản Pá Có")
    select_kind(tab, "proposal-list")
    cert = tmp_path / "bi-thu.p12"
    make_test_certificate("Lò Văn Pọm", cert, "matkhau")

    def sign(dialog: QDialog) -> bool:
        assert isinstance(dialog, SignDialog)
        dialog.p12.setText(str(cert))
        type_text(dialog.password, "sai")
        dialog.sign()
        assert "mật khẩu" in dialog.errors.text().lower()
        dialog.password.clear()
        type_text(dialog.password, "matkhau")
        dialog.sign()
        return dialog.signed is not None

    monkeypatch.setattr(tab, "run_dialog", sign)
    signed = tmp_path / "de-nghi-da-ky.pdf"
    monkeypatch.setattr(ask, "save_file", lambda *_a: signed)
    messages: list[str] = []
    monkeypatch.setattr(ask, "inform", lambda _p, _t, text: messages.append(text))
    tab.sign_selected()
    assert signed.exists()
    monkeypatch.setattr(ask, "open_file", lambda *_a: signed)
    tab.verify_file()
    assert "Lò Văn Pọm" in messages[-1]


def test_print_everything_of_a_cell(
    full_window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tab = open_documents(full_window, "Chi bộ bản Pá Có")
    monkeypatch.setattr(documents_tab, "choose_folder", lambda *_a: tmp_path)
    messages: list[str] = []
    monkeypatch.setattr(ask, "inform", lambda _p, _t, text: messages.append(text))
    tab.print_everything()
    assert messages[-1].startswith("Đã ghi 6 văn bản vào")
    written = list(tmp_path.rglob("*.pdf"))
    assert len(written) == 6


def test_the_window_stays_responsive_while_a_cell_is_printed(
    qtbot: QtBot,
    full_demo_db: Database,
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With the window's real runner, printing runs off the window's thread: the window's
    event loop goes on (a timer keeps ticking) until the "Đã in xong" message."""
    window = MainWindow(full_demo_db, settings, TaskRunner(), today=lambda: TODAY)
    qtbot.addWidget(window)
    window.show()
    tab = open_documents(window, "Chi bộ bản Pá Có")
    monkeypatch.setattr(documents_tab, "choose_folder", lambda *_a: tmp_path)
    messages: list[str] = []
    monkeypatch.setattr(ask, "inform", lambda _p, _t, text: messages.append(text))
    ticks: list[int] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(len(messages)))
    timer.start(10)
    tab.print_everything()
    assert messages == []  # the click came back before the documents were made
    qtbot.waitUntil(lambda: bool(messages), timeout=180_000)
    timer.stop()
    assert messages[0].startswith("Đã ghi 6 văn bản vào")
    # The window handled its events while the cell was printed. How often the timer got its
    # turn depends on the machine's load (a loaded 2-core CI box gave it one), so: at least once.
    assert ticks.count(0) >= 1
    assert len(list(tmp_path.rglob("*.pdf"))) == 6


def test_look_up_a_fingerprint(
    full_window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tab = open_documents(full_window, "Chi bộ bản Pá Có")
    select_kind(tab, "meeting-minutes")
    target = tmp_path / "bb.pdf"
    monkeypatch.setattr(ask, "save_file", lambda *_a: target)
    messages: list[str] = []
    monkeypatch.setattr(ask, "inform", lambda _p, _t, text: messages.append(text))
    tab.save_selected()
    footer = PdfReader(target).pages[0].extract_text().split("Mã đối chiếu ")[1][:9]
    monkeypatch.setattr(ask, "text", lambda *_a: footer.lower())
    tab.lookup()
    assert "Biên bản hội nghị chi bộ Số" in messages[-1] and "Chi bộ bản Pá Có" in messages[-1]
    monkeypatch.setattr(ask, "text", lambda *_a: "0000-0000")
    tab.lookup()
    assert "Không có văn bản nào mang mã 0000-0000" in messages[-1]


class HeldRunner(SyncRunner):
    """Runs work with a progress dialog at once, like SyncRunner, but holds background work
    until the test releases it: the moment between the first page and the whole document."""

    def __init__(self) -> None:
        self.held: list[tuple[Work, Done, Failed]] = []

    def run_in_background(self, work: Work, on_done: Done, on_failed: Failed) -> None:
        self.held.append((work, on_done, on_failed))

    def release(self) -> None:
        held, self.held = self.held, []
        for work, on_done, on_failed in held:
            self.run(None, "", work, on_done, on_failed)


def test_the_decision_preview_shows_page_1_before_the_whole_document(
    qtbot: QtBot,
    full_demo_db: Database,
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    runner = HeldRunner()
    window = MainWindow(full_demo_db, settings, runner, today=lambda: TODAY)
    qtbot.addWidget(window)
    window.show()
    tab = open_documents(window, "Đảng bộ xã Na Tông")
    select_kind(tab, "decision")
    shown: list[PreviewDialog] = []
    monkeypatch.setattr(tab, "run_dialog", lambda d: shown.append(d) or False)
    tab.preview()

    [preview] = shown  # shown with the first page, the rest still being laid out
    assert preview.pages == 1 and len(runner.held) == 1
    assert not preview.document.render(0, QSize(210, 297)).isNull()
    assert "QUYẾT ĐỊNH" in PdfReader(io.BytesIO(preview.pdf)).pages[0].extract_text()
    assert preview.info.text() == "Đang tạo các trang tiếp theo…"
    assert not preview.print_button.isEnabled() and not preview.save_button.isEnabled()

    completed: list[bool] = []
    preview.completed.connect(lambda: completed.append(True))
    runner.release()
    assert completed == [True]
    whole = PdfReader(io.BytesIO(preview.pdf))
    assert preview.pages == len(whole.pages) > 5  # the annex, cell by cell
    # The annex starts on a page of its own, after the decision's signature.
    texts = [page.extract_text() for page in whole.pages]
    annex = next(i for i, t in enumerate(texts) if "PHỤ LỤC" in t)
    assert 1 <= annex <= 2 and "T/M BAN THƯỜNG VỤ" in texts[annex - 1]
    assert preview.info.text().startswith("Mã đối chiếu ")
    assert preview.print_button.isEnabled() and preview.save_button.isEnabled()

    target = tmp_path / "quyet-dinh.pdf"
    monkeypatch.setattr(ask, "save_file", lambda *_a: target)
    monkeypatch.setattr(ask, "inform", lambda *_a: None)
    preview.save_button.click()
    assert target.read_bytes() == preview.pdf  # Save acts on the whole document


def word_text(path: Path) -> str:
    return "\n".join(iter_text(docx.Document(str(path))))


def test_open_a_word_copy_from_the_tab_and_from_the_preview(
    qtbot: QtBot, full_window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tab = open_documents(full_window, "Chi bộ bản Pá Có")
    select_kind(tab, "proposal-list")
    opened: list[Path] = []
    tab.open_file = lambda path: opened.append(path) or True
    tab.word_folder = lambda: tmp_path / "ban-word"
    button = tab.word_button
    assert button.text() == "Mở bằng Word…" and button.isEnabled()
    assert "Bản PDF vẫn là bản lưu chính thức" in button.toolTip()
    # Reached with Tab from the button before it, pressed with the space bar.
    tab.sign_button.setFocus()
    qtbot.keyClick(tab.sign_button, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is button
    qtbot.keyClick(button, Qt.Key.Key_Space)
    [first] = opened
    assert first.parent == tmp_path / "ban-word"
    assert first.name == f"danh-sach-de-nghi-chi-bo-ban-pa-co-{LAST_YEAR}.docx"
    text = word_text(first)
    assert "CHI BỘ BẢN PÁ CÓ" in text and "DANH SÁCH ĐỀ NGHỊ" in text and "-DS/CB" in text

    shown: list[PreviewDialog] = []
    monkeypatch.setattr(tab, "run_dialog", lambda d: shown.append(d) or False)
    tab.preview()
    [preview] = shown
    assert preview.word_button is not None and preview.word_button.isEnabled()
    assert "Bản PDF vẫn là bản lưu chính thức" in preview.word_button.toolTip()
    preview.word_button.click()
    # A second copy beside the first: a copy reworded in Word is never replaced.
    assert opened[1] == tmp_path / "ban-word" / first.name.replace(".docx", "-2.docx")
    assert opened[1].read_bytes() != b"" and first.exists()


def test_a_word_copy_that_cannot_be_opened_or_written_says_why(
    full_window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tab = open_documents(full_window, "Chi bộ bản Pá Có")
    select_kind(tab, "meeting-minutes")
    folder = tmp_path / "ban-word"
    tab.word_folder = lambda: folder
    warnings: list[str] = []
    monkeypatch.setattr(ask, "warn", lambda _p, _t, text, _d="": warnings.append(text))

    tab.open_file = lambda _path: False  # no program knows .docx on this machine
    tab.open_in_word()
    [written] = folder.iterdir()
    assert "chưa có chương trình mở được tệp .docx" in warnings[-1] and str(written) in warnings[-1]

    # The disk fills up half-way: a message, and no file left behind, whole or half.
    def full_disk(path: Path, data: bytes) -> int:
        with path.open("wb") as out:
            out.write(data[: len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    opened: list[Path] = []
    tab.open_file = lambda path: opened.append(path) or True
    monkeypatch.setattr(Path, "write_bytes", full_disk)
    tab.open_in_word()
    monkeypatch.undo()
    assert "ổ đĩa đã đầy" in warnings[-1] and "Không ghi được" in warnings[-1]
    assert list(folder.iterdir()) == [written] and opened == []

    # A folder that cannot be made (a file stands in its place).
    blocked = tmp_path / "tep"
    blocked.write_text("")
    tab.word_folder = lambda: blocked / "ban-word"
    monkeypatch.setattr(ask, "warn", lambda _p, _t, text, _d="": warnings.append(text))
    tab.open_in_word()
    assert warnings[-1].startswith("Không ghi được") and opened == []
