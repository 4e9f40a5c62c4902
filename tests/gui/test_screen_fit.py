"""The window on a 1366×768 laptop (issue 19): every page and every dialog fits the screen, no
text is cut without "…" or a tooltip to read it whole, at the usual font and two steps larger;
zoom goes back to where it was, the dividers stay where the user left them, the tree says what
its marks mean and the board's progress means what it says.

Qt's offscreen screen is 800×800: the tests stand a 1366×768 screen in for it, less a 40 px
taskbar (what Windows leaves free), by replacing ``widgets.available_area``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QDesktopServices, QFont, QTextDocument
from PySide6.QtPrintSupport import QPageSetupDialog, QPrintDialog
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QInputDialog,
    QMessageBox,
    QPushButton,
    QWidget,
    QWizard,
)
from pytestqt.qtbot import QtBot

from app.domain.procedure import CellStep
from app.services.procedure import board as board_service
from app.services.roster import quick_read
from app.settings import Settings
from app.store.database import Database
from app.ui.common import ask, widgets
from app.ui.common.marks import MARK_MEANINGS
from app.ui.common.tasks import SyncRunner
from app.ui.shell.main_window import BASE_FONT_SIZE, MainWindow

from .conftest import AUTUMN_DAY
from .fit import clipping_problems, window_problems, words

SCREEN = QSize(1366, 768)
AREA = QRect(0, 0, 1366, 728)  # the screen less the taskbar
STEPS = ["① Chuẩn bị", "② Tự kiểm điểm", "③ Hội nghị", "④ Biểu quyết", "⑤ Biên bản và nộp"]


@pytest.fixture(autouse=True)
def laptop_screen(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A 1366×768 screen for every window, and the application's font put back afterwards
    (it is the whole application's, and the zoom changes it)."""
    monkeypatch.setattr(widgets, "available_area", lambda _widget=None: QRect(AREA))
    font = QFont(QApplication.font())
    yield
    QApplication.setFont(font)


def settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


def voting_cell(window: MainWindow) -> int:
    year = window.evaluation.year
    assert year is not None
    steps = quick_read.cell_steps(window.db, year)
    return next(cell for cell, step in steps.items() if step is CellStep.VOTING)


def commune_pages(window: MainWindow) -> Iterator[str]:
    """Each page of the commune's tabs in front in turn; yields its name."""
    window.select_root()
    window.show_tab(window.members)
    yield "Xã › Đảng viên"
    window.show_board()
    yield "Xã › Bảng theo dõi"
    window.show_appraisal()
    yield "Xã › Thẩm định"
    window.show_board()
    window.show_tab(window.summary_page)
    yield "Xã › Tổng hợp"
    window.show_tab(window.documents_page)
    yield "Xã › Văn bản"
    window.show_tab(window.mirror_page)
    yield "Xã › Bức tranh xếp loại"


def cell_pages(window: MainWindow) -> Iterator[str]:
    """A cell at the vote: its members, its five steps, its summary and its documents."""
    window.show_board()
    cell = voting_cell(window)
    window.tree.select_node(cell)
    window.show_tab(window.members)
    yield "Chi bộ › Đảng viên"
    window.open_cell(cell)
    procedure = window.evaluation.cell
    for number, title in enumerate(STEPS):
        procedure.show_page(number)
        yield f"Chi bộ › {title}"
    window.show_tab(window.summary_page)
    yield "Chi bộ › Tổng hợp"
    window.show_tab(window.documents_page)
    yield "Chi bộ › Văn bản"


def page_problems(window: MainWindow, pages: Callable[[MainWindow], Iterator[str]]) -> list[str]:
    problems: list[str] = []
    for name in pages(window):
        settle()
        problems += window_problems(AREA.size(), SCREEN)
        problems += clipping_problems(window, name)
    return problems


@pytest.mark.parametrize("step", [0, 2], ids=["base", "zoom+2"])
@pytest.mark.parametrize("pages", [commune_pages, cell_pages], ids=["commune", "cell"])
def test_every_page_fits_1366x768(
    full_window: MainWindow, pages: Callable[[MainWindow], Iterator[str]], step: int
) -> None:
    full_window.apply_font_size(BASE_FONT_SIZE + step)
    settle()
    problems = page_problems(full_window, pages)
    assert full_window.size() == SCREEN  # the zoom did not widen the window
    assert not problems, "\n" + words(problems)


# ---- dialogs ---------------------------------------------------------------------------


class Dialogs:
    """Stands in for the user before every dialog: shows it without waiting, checks it, and
    closes it as "Hủy" would. Message boxes Qt builds itself and text questions go through
    ``ask``, replaced here by the same check."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.seen: list[str] = []
        self.problems: list[str] = []
        for kind in (QDialog, QPrintDialog, QPageSetupDialog):  # those Qt's exec is their own
            monkeypatch.setattr(kind, "exec", lambda dialog: self.check(dialog))
        monkeypatch.setattr(ask, "inform", self.inform)
        monkeypatch.setattr(ask, "text", self.text)
        # Nothing may leave for a browser or a file manager during the test.
        monkeypatch.setattr(QDesktopServices, "openUrl", lambda _url: True)

    def check(self, dialog: QDialog) -> int:
        dialog.show()
        settle()
        pages = 0
        while True:
            name = f"Hộp thoại '{dialog.windowTitle()}'"
            if isinstance(dialog, QWizard):
                name += f" › trang {pages + 1}"
            self.seen.append(name)
            self.problems += window_problems(AREA.size(), SCREEN)
            self.problems += clipping_problems(dialog, name)
            if not isinstance(dialog, QWizard) or pages > 6:
                break
            before = dialog.currentId()
            dialog.next()  # each page of a wizard in turn, as far as its answers let it go
            settle()
            pages += 1
            if dialog.currentId() == before:
                break
        dialog.reject()
        dialog.hide()
        return QDialog.DialogCode.Rejected.value

    def inform(self, parent: QWidget | None, title: str, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, title, text, parent=parent)
        self.check(box)

    def text(self, parent: QWidget | None, title: str, label: str) -> str:
        dialog = QInputDialog(parent)
        dialog.setWindowTitle(title)
        dialog.setLabelText(label)
        self.check(dialog)
        return ""


def click_dialog_buttons(page: QWidget) -> None:
    """Every enabled button of *page* that opens a dialog ("…" ends its words)."""
    for button in page.findChildren(QPushButton):
        if button.isVisible() and button.isEnabled() and button.text().endswith("…"):
            button.click()
            settle()


def test_every_menu_dialog_fits(full_window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    dialogs = Dialogs(monkeypatch)
    full_window.restore_requested = lambda _path: None  # "Khôi phục" offers its dialog
    full_window.show_board()
    cell = voting_cell(full_window)
    for node in (None, cell):  # the menus with the commune, then with a cell selected
        for menu in full_window.menuBar().actions():
            for action in menu.menu().actions():
                if node is None:
                    full_window.select_root()
                else:
                    full_window.tree.select_node(node)
                full_window.members.table.selectRow(0)  # the member menu acts on a member
                if action.isSeparator() or not action.isEnabled() or action.text() == "Thoát":
                    continue
                action.trigger()
                settle()
    assert len(dialogs.seen) >= 20, dialogs.seen
    assert not dialogs.problems, "\n" + words(dialogs.problems)


def test_every_page_dialog_fits(full_window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    """The dialogs the pages' buttons open: the plan, the appraisal's, a cell's steps', the
    documents' (the preview among them)."""
    dialogs = Dialogs(monkeypatch)
    full_window.show_board()
    click_dialog_buttons(full_window.evaluation.board)
    full_window.show_appraisal()
    appraisal = full_window.evaluation.appraisal
    click_dialog_buttons(appraisal)
    # …again with a cell, then with one of its members chosen (what most of them act on).
    cell_row = next(
        appraisal.tree.topLevelItem(i)
        for i in range(appraisal.tree.topLevelItemCount())
        if appraisal.tree.topLevelItem(i).childCount()
    )
    for row in (cell_row, cell_row.child(cell_row.childCount() - 1)):
        appraisal.tree.setCurrentItem(row)
        click_dialog_buttons(appraisal)
    full_window.open_cell(voting_cell(full_window))
    procedure = full_window.evaluation.cell
    for number in range(len(STEPS)):
        procedure.show_page(number)
        settle()
        click_dialog_buttons(procedure.pages.currentWidget())
    full_window.show_documents()
    settle()
    full_window.documents.preview()
    click_dialog_buttons(full_window.documents)
    assert any("Xem trước" in name for name in dialogs.seen), dialogs.seen
    assert not dialogs.problems, "\n" + words(dialogs.problems)


def test_the_preview_fits_the_laptop_with_its_buttons(
    full_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[QDialog] = []
    full_window.show_documents()
    monkeypatch.setattr(full_window.documents, "run_dialog", lambda d: shown.append(d) or False)
    full_window.documents.preview()
    [preview] = shown
    preview.show()
    settle()
    # Qt centres a dialog on its parent within the real screen (here Qt's own 800×800); the
    # top of the laptop's screen is where the tallest dialog must still fit.
    preview.move(AREA.topLeft())
    settle()
    frame = preview.frameGeometry()
    assert AREA.contains(frame), frame
    for button in preview.findChildren(QPushButton):
        corner = button.mapToGlobal(button.rect().bottomRight())
        assert AREA.contains(corner), (button.text(), corner)
    # It takes the room there is: the height of the free area, less its frame.
    assert preview.height() >= AREA.height() - 60
    preview.close()


# ---- zoom --------------------------------------------------------------------------------


def test_zoom_keeps_the_window_on_screen_and_ctrl_0_brings_it_back(
    full_window: MainWindow, qtbot: QtBot
) -> None:
    window = full_window
    window.show_board()
    window.resize(1200, 700)
    window.move(40, 10)
    settle()
    before = (window.geometry(), window.splitter.sizes())
    for _ in range(6):
        qtbot.keyClick(window, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
        settle()
        assert window.frameGeometry().width() <= SCREEN.width()
        assert window.minimumWidth() <= AREA.width()
        assert window.minimumHeight() <= AREA.height()
    assert QApplication.font().pointSize() == BASE_FONT_SIZE + 6
    assert window.size() == QSize(1200, 700)  # the larger font did not grow the window
    window.open_cell(voting_cell(window))  # a wide page shown at the large font: still not
    settle()
    assert window.size() == QSize(1200, 700)
    # The user moves things while zoomed; Ctrl+0 puts font, window and divider back.
    window.resize(1000, 600)
    window.splitter.setSizes([500, 500])
    qtbot.keyClick(window, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    settle()
    assert QApplication.font().pointSize() == BASE_FONT_SIZE
    assert window.settings.get("font_size") == BASE_FONT_SIZE
    assert (window.geometry(), window.splitter.sizes()) == before


# ---- dividers ----------------------------------------------------------------------------


def test_dividers_stay_where_the_user_left_them(
    qtbot: QtBot, full_demo_db: Database, settings: Settings
) -> None:
    def open_window() -> MainWindow:
        window = MainWindow(full_demo_db, settings, SyncRunner(), today=lambda: AUTUMN_DAY)
        qtbot.addWidget(window)
        window.resize(SCREEN)
        window.show()
        qtbot.waitExposed(window)
        window.show_tab(window.mirror_page)
        settle()
        return window

    first = open_window()
    first.splitter.moveSplitter(430, 1)  # as a drag of the handle does
    lower = first.mirror.lower
    lower.moveSplitter(lower.sizes()[0] + 90, 1)
    qtbot.waitUntil(lambda: bool(settings.get("splitter_main") and settings.get("splitter_mirror")))
    sizes = (first.splitter.sizes(), lower.sizes())
    assert sizes[0][0] == 430
    first.close()

    again = open_window()
    assert (again.splitter.sizes(), again.mirror.lower.sizes()) == sizes
    # …and from the settings file itself, as at the next start.
    assert Settings(Path(settings.path)).get("splitter_main") == settings.get("splitter_main")


# ---- the tree and the board ----------------------------------------------------------------


def test_the_tree_cuts_long_names_in_the_middle_and_explains_its_marks(
    full_window: MainWindow,
) -> None:
    window = full_window
    window.show_board()
    settle()
    assert window.legend.isVisible()
    legend = QTextDocument()
    legend.setHtml(window.legend.text())
    for mark, meaning in MARK_MEANINGS.items():
        assert f"{mark} {meaning}" in " ".join(legend.toPlainText().split())
        assert f"{mark}  {meaning}" in window.tree.toolTip()
    assert window.tree.textElideMode() == Qt.TextElideMode.ElideMiddle
    window.splitter.setSizes([200, SCREEN.width() - 200])  # a narrow tree
    settle()
    root = window.tree.topLevelItem(0)
    items = [root.child(i) for i in range(root.childCount())]
    longest = max(items, key=lambda item: len(item.text(0)))
    assert longest.text(0) in longest.toolTip(0)  # the whole name on hover
    marked = [item for item in items if item.text(1)]
    assert marked and all(item.text(1) in MARK_MEANINGS for item in marked)
    for item in marked:
        assert MARK_MEANINGS[item.text(1)] in item.toolTip(1)
        mark_rect = window.tree.visualItemRect(item)
        assert mark_rect.right() <= window.tree.viewport().width()
    # The mark column is as wide as the widest mark: never cut.
    widest = max(window.tree.fontMetrics().horizontalAdvance(m) for m in MARK_MEANINGS)
    assert window.tree.columnWidth(1) >= widest
    assert not clipping_problems(window.tree, "Cây tổ chức")


def test_a_submitted_cell_has_done_all_of_its_part(full_window: MainWindow) -> None:
    year = full_window.evaluation.year
    assert year is not None
    rows = board_service.board(full_window.db, year, AUTUMN_DAY)
    shares = {row.step: row.share for row in rows}
    assert shares[CellStep.SUBMITTED] == 1.0
    assert all(row.share < 1.0 for row in rows if row.step is CellStep.VOTING)
    full_window.show_board()
    model = full_window.evaluation.board.model
    submitted = next(i for i, r in enumerate(model.rows) if r.step is CellStep.SUBMITTED)
    assert model.index(submitted, 2).data() == "100%"
