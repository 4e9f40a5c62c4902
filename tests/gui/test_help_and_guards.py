"""Issue 19, items 5, 7 and 8: forms that ask before throwing away what was typed, the wizard's
free year, no negative age, the guide inside the app (F1 at the page in front, its pictures),
and file dialogs that open in the user's folders and speak Vietnamese."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer, QUrl
from PySide6.QtGui import QImage, QKeySequence, Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QLabel,
    QMenu,
    QPushButton,
    QToolButton,
    QTreeView,
)
from pytestqt.qtbot import QtBot

from app.domain.member_checks import MemberFields, check_member
from app.services.periods import lifecycle as periods
from app.services.periods import rule_sets
from app.services.procedure import board as procedure_board
from app.settings import Settings
from app.ui.common import ask
from app.ui.common.form_dialog import DISCARD_TITLE
from app.ui.evaluation.wizard import NewPeriodWizard, first_free_year
from app.ui.roster.history_part import PeriodForm
from app.ui.roster.member_actions import MoveDialog
from app.ui.roster.member_dialog import MemberDialog
from app.ui.roster.org_dialog import OrgDialog
from app.ui.shell import help as guide
from app.ui.shell.main_window import MainWindow
from tests.gui.conftest import AUTUMN_DAY, TODAY
from tests.gui.keyboard import type_text

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "resources" / "guide" / guide.GUIDE_FILE


class Questions:
    """ask.confirm answered with *answer*; every question's title is kept."""

    def __init__(self, answer: bool) -> None:
        self.answer = answer
        self.titles: list[str] = []

    def __call__(self, _parent: object, title: str, _text: str, _action: str = "") -> bool:
        self.titles.append(title)
        return self.answer


def _cell(window: MainWindow) -> int:
    assert window.listing is not None
    return next(n.id for n in window.listing.nodes if n.kind.value == "chi_bo")


# ---- Escape on a form ----------------------------------------------------------------------


def test_escape_on_a_half_typed_new_member_asks_and_no_keeps_the_form(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.tree.select_node(_cell(window))
    keep, discard = Questions(False), Questions(True)
    seen: list[bool] = []

    def fill(dialog: QDialog) -> bool:
        assert isinstance(dialog, MemberDialog)
        dialog.show()
        type_text(dialog.full_name, "Lò Thị Ón")
        monkeypatch.setattr(ask, "confirm", keep)
        qtbot.keyClick(dialog.full_name, Qt.Key.Key_Escape)
        seen.append(dialog.isVisible())  # "Hủy" in the question: still open, name kept
        assert dialog.full_name.text() == "Lò Thị Ón"
        dialog.close()  # the window's close button asks the same
        seen.append(dialog.isVisible())
        monkeypatch.setattr(ask, "confirm", discard)
        qtbot.keyClick(dialog.full_name, Qt.Key.Key_Escape)
        seen.append(dialog.isVisible())
        return dialog.result() == QDialog.DialogCode.Accepted

    monkeypatch.setattr(window, "run_dialog", fill)
    before = len(window.rows)
    window.add_member()
    assert seen == [True, True, False]
    assert keep.titles == [DISCARD_TITLE, DISCARD_TITLE] and discard.titles == [DISCARD_TITLE]
    assert len(window.rows) == before  # nothing was saved


def test_escape_on_an_untouched_form_closes_at_once(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = Questions(False)
    monkeypatch.setattr(ask, "confirm", asked)
    closed: list[str] = []

    def escape(dialog: QDialog) -> bool:
        dialog.show()
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        assert not dialog.isVisible()
        closed.append(type(dialog).__name__)
        return False

    monkeypatch.setattr(window, "run_dialog", escape)
    window.tree.select_node(_cell(window))
    window.add_member()  # a new member's suggested code is no change of the user's
    window.edit_org()
    window.members.table.selectRow(0)
    member = window.members.selected()
    assert member is not None
    window.edit_member(member)
    window.move_member(member)
    window.toggle_exemption(member)
    assert closed == [
        "MemberDialog", "OrgDialog", "MemberDialog", "MoveDialog", "ExemptionDialog",
    ]  # fmt: skip
    assert asked.titles == []


def test_the_org_form_the_move_form_and_a_history_row_ask_too(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    keep = Questions(False)
    monkeypatch.setattr(ask, "confirm", keep)
    still_open: list[str] = []

    def change_then_cancel(dialog: QDialog) -> bool:
        dialog.show()
        if isinstance(dialog, OrgDialog):
            type_text(dialog.place, " Mới")
        elif isinstance(dialog, MoveDialog):
            type_text(dialog.note, "Theo Quyết định số 12")
        cancel = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Hủy")
        qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
        if dialog.isVisible():
            still_open.append(type(dialog).__name__)
        dialog.done(QDialog.DialogCode.Rejected)  # the test leaves without asking again
        return False

    monkeypatch.setattr(window, "run_dialog", change_then_cancel)
    window.tree.select_node(_cell(window))
    window.edit_org()
    window.members.table.selectRow(0)
    member = window.members.selected()
    assert member is not None
    window.move_member(member)
    form = PeriodForm(None)
    qtbot.addWidget(form)
    form.show()
    type_text(form.note, "Giấy nghỉ ốm số 3")
    qtbot.keyClick(form.note, Qt.Key.Key_Escape)
    assert form.isVisible()
    assert still_open == ["OrgDialog", "MoveDialog"]
    assert keep.titles == [DISCARD_TITLE] * 3


# ---- the wizard's year, the age at joining ---------------------------------------------


def test_the_new_period_wizard_fills_in_a_year_without_a_period(
    full_window: MainWindow, qtbot: QtBot
) -> None:
    taken = {p.year for p in periods.list_periods(full_window.db)}
    assert AUTUMN_DAY.year in taken  # the demo's year under way
    wizard = NewPeriodWizard(full_window.db, AUTUMN_DAY, "Văn phòng", full_window)
    qtbot.addWidget(wizard)
    page = wizard.settings_page
    assert page.year.value() not in taken and page.year.value() == first_free_year(
        AUTUMN_DAY, taken
    )
    assert page.year.value() > AUTUMN_DAY.year and page.isComplete()
    page.year.setValue(AUTUMN_DAY.year)  # typed over: refused in words, "Tiếp tục" disabled
    assert not page.isComplete()
    assert f"Năm {AUTUMN_DAY.year} đã có kỳ đánh giá" in page.explain.text()
    assert first_free_year(dt.date(2026, 3, 1), {2024, 2026, 2027}) == 2028
    assert first_free_year(dt.date(2026, 3, 1), {2025}) == 2026


def test_a_date_of_joining_before_birth_is_named_not_a_negative_age(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []

    def fill(dialog: QDialog) -> bool:
        assert isinstance(dialog, MemberDialog)
        type_text(dialog.full_name, "Vàng A Dính")
        qtbot.keyClicks(dialog.birth_date, "01/05/2000")
        qtbot.keyClicks(dialog.admitted_on, "02/03/1994")
        dialog.save()
        seen.append(dialog.errors.text())
        return dialog.result() == QDialog.DialogCode.Accepted

    monkeypatch.setattr(window, "run_dialog", fill)
    window.tree.select_node(_cell(window))
    before = len(window.rows)
    window.add_member()
    assert len(window.rows) == before
    (message,) = seen
    assert "trước ngày sinh 01/05/2000" in message and "Ngày vào Đảng" in message
    assert not re.search(r"-\d+ tuổi", message)
    for birth_year in range(1990, 2011):
        fields = MemberFields("A1", "Lò Văn Pọm", dt.date(birth_year, 6, 1), None,
                              dt.date(2000, 3, 1))  # fmt: skip
        for problem in check_member(fields, TODAY):
            assert not re.search(r"-\d+ tuổi", problem.message), problem.message


# ---- the guide -----------------------------------------------------------------------------


def test_f1_on_a_cell_s_self_review_opens_the_guide_there(
    full_window: MainWindow, qtbot: QtBot
) -> None:
    year = full_window.evaluation.year
    assert year is not None
    row = next(r for r in procedure_board.board(full_window.db, year, AUTUMN_DAY)
               if r.step.value == "tu_kiem_diem")  # fmt: skip
    full_window.open_cell(row.cell_id)
    full_window.evaluation.cell.show_page(1)
    assert guide.current_page(full_window) == "step-2"
    full_window.activateWindow()
    qtbot.waitActive(full_window)
    qtbot.keyClick(full_window.evaluation.cell, Qt.Key.Key_F1)
    shown = full_window.findChild(guide.GuideWindow)
    assert shown is not None and shown.isVisible()
    assert shown.part_at_top() == "2-tu-kiem-diem"
    top = shown.browser.cursorForPosition(shown.browser.viewport().rect().topLeft()).block()
    assert "Tự kiểm điểm" in top.text()
    # The guide is one window: F1 on the board brings it to the board's part.
    full_window.show_board()
    full_window.show_help()
    assert full_window.findChildren(guide.GuideWindow) == [shown]
    assert shown.part_at_top() == "bang-theo-doi-cac-chi-bo"
    room = shown.screen().availableGeometry()
    assert shown.width() <= room.width() and shown.height() <= room.height()
    shown.close()


def test_the_help_menu_names_the_guide_and_f1(window: MainWindow) -> None:
    help_menu = next(m for m in window.menuBar().findChildren(QMenu) if m.title() == "Trợ &giúp")
    actions = {a.text(): a for a in help_menu.actions()}
    assert actions["Hướng dẫn sử dụng"].shortcut() == QKeySequence("F1")
    actions["Các dấu, các bước và phím tắt"].trigger()
    shown = window.findChild(guide.GuideWindow)
    assert shown is not None and shown.part_at_top() == guide.MARKS_PART
    shown.close()


def test_every_page_has_its_part_and_the_guide_explains_marks_keys_and_reasons(
    qtbot: QtBot,
) -> None:
    assert guide.guide_path() == GUIDE  # the file the bundle carries (packaging/danhgia.spec)
    shown = guide.GuideWindow()
    qtbot.addWidget(shown)
    anchors = shown.anchors()
    for page, anchor in guide.PARTS.items():
        assert anchor in anchors, page
    assert guide.MARKS_PART in anchors
    text = GUIDE.read_text(encoding="utf-8")
    for mark in "○◐●↺✓①②③④⑤":
        assert mark in text
    for keys in ("Alt+1", "Alt+5", "Ctrl+Enter", "Ctrl+Tab", "Ctrl+Z", "F1", "Ctrl+=",
                 "Ctrl+-", "Ctrl+0"):  # fmt: skip
        assert f"**{keys}**" in text, keys
    ruleset = rule_sets.get("qd366-2025")
    for reason in ruleset.low_levels.reasons:
        assert reason.label in text, reason.label
    # One source: the repository's docs page only points at the bundled file.
    pointer = (ROOT / "docs" / "huong-dan-su-dung.md").read_text(encoding="utf-8")
    assert "../resources/guide/huong-dan-su-dung.md" in pointer and len(pointer) < 1000


def test_the_guide_s_pictures_exist_load_and_show(qtbot: QtBot) -> None:
    names = guide.picture_names(GUIDE.read_text(encoding="utf-8"))
    assert len(names) >= 10 and len(set(names)) == len(names)
    on_disk = {p.name for p in GUIDE.parent.glob("*.png")}
    assert on_disk == set(names)  # none missing, none left over
    for name in names:
        image = QImage(str(GUIDE.parent / name))
        assert not image.isNull(), name
        assert (image.width(), image.height()) == (1366, 768), name
    shown = guide.GuideWindow()
    qtbot.addWidget(shown)
    shown.resize(900, 700)
    shown.show()
    assert set(shown.browser.images) == set(names)
    assert all(not image.isNull() for image in shown.browser.images.values())
    # …shrunk to the window's width, never wider.
    document = shown.browser.document()
    widths = []
    block = document.begin()
    while block.isValid():
        fragments = block.begin()
        while not fragments.atEnd():
            image_format = fragments.fragment().charFormat().toImageFormat()
            if image_format.isValid():
                widths.append(image_format.width())
            fragments += 1
        block = block.next()
    assert len(widths) == len(names)
    assert all(0 < w <= shown.browser.viewport().width() for w in widths)
    # A click on a picture shows it at its real size, in a window no larger than the screen.
    shown.follow(QUrl(names[0]))
    (picture,) = shown.findChildren(guide.PictureWindow)
    label = picture.findChild(QLabel)
    assert label is not None and label.pixmap().width() == 1366
    room = picture.screen().availableGeometry()
    assert picture.width() <= room.width() and picture.height() <= room.height()
    picture.close()
    shown.follow(QUrl("#van-ban"))  # a link to a part of the guide
    assert shown.part_at_top() == "van-ban"


def test_make_guide_pictures_brings_every_page_and_grabs_it(
    full_window: MainWindow, tmp_path: Path
) -> None:
    """What `make guide-pictures` does, on the test's window: each page is reached as a user
    would, is the page the guide's picture names (help.current_page), and is grabbed whole."""
    from app.ui.shell import guide_pictures

    written = guide_pictures.take(full_window, tmp_path)
    assert sorted(p.name for p in written) == sorted(guide.picture_names(GUIDE.read_text("utf-8")))
    for path in written:
        image = QImage(str(path))
        assert (image.width(), image.height()) == (1366, 768), path.name


def test_the_window_s_pages_map_to_their_parts(full_window: MainWindow) -> None:
    full_window.show_tab(full_window.members)
    assert guide.current_page(full_window) == "members"
    full_window.show_board()
    assert guide.current_page(full_window) == "board"
    full_window.show_appraisal()
    assert guide.current_page(full_window) == "appraisal"
    full_window.show_tab(full_window.summary_page)
    assert guide.current_page(full_window) == "summary"
    full_window.show_tab(full_window.documents_page)
    assert guide.current_page(full_window) == "documents"
    full_window.show_tab(full_window.mirror_page)
    assert guide.current_page(full_window) == "mirror"


# ---- file dialogs --------------------------------------------------------------------------


@pytest.fixture
def documents_home() -> Path:
    """The (test run's own) home gets a Documents folder, as a user's has."""
    folder = Path.home() / "Documents"
    folder.mkdir(exist_ok=True)
    return folder


def _answer_file_dialog(path: Path) -> list[str]:
    """When the next modal file dialog opens: remember where it opened, choose *path*."""
    opened: list[str] = []

    def choose() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QFileDialog):
            QTimer.singleShot(20, choose)
            return
        opened.append(dialog.directory().absolutePath())
        dialog.selectFile(str(path))
        dialog.accept()

    QTimer.singleShot(0, choose)
    return opened


def test_file_dialogs_start_in_documents_then_in_the_last_folder(
    qtbot: QtBot, tmp_path: Path, documents_home: Path
) -> None:
    settings = Settings(tmp_path / "settings.json")
    ask.remember_folders_in(settings)
    try:
        assert ask.start_folder() == documents_home
        assert Path(ask.file_dialog(None, "Mở", ask.EXCEL_FILTER).directory().absolutePath()) \
            == documents_home  # fmt: skip
        usb = tmp_path / "usb"
        usb.mkdir()
        workbook = usb / "danh-sach.xlsx"
        workbook.write_bytes(b"")
        opened = _answer_file_dialog(workbook)
        assert ask.open_file(None, "Nhập danh sách", ask.EXCEL_FILTER) == workbook
        assert opened == [str(documents_home)]
        assert settings.get(ask.LAST_FOLDER) == str(usb)
        assert Settings(tmp_path / "settings.json").get(ask.LAST_FOLDER) == str(usb)  # kept
        opened = _answer_file_dialog(usb / "ket-qua")
        assert ask.save_file(None, "Xuất", "ket-qua.xlsx", ask.EXCEL_FILTER) == (
            usb / "ket-qua.xlsx"
        )
        assert opened == [str(usb)]  # where the user was last, not the program's folder
        assert Path(opened[0]) != Path.cwd()
        # A folder that has gone (a USB stick taken out): Documents again.
        settings.set(ask.LAST_FOLDER, str(tmp_path / "gone"))
        assert ask.start_folder() == documents_home
        folder = ask.file_dialog(None, "Chọn thư mục", "", QFileDialog.FileMode.Directory)
        assert folder.testOption(QFileDialog.Option.ShowDirsOnly)
    finally:
        ask.remember_folders_in(None)


def test_the_documents_tab_chooses_its_folder_through_ask(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from app.ui.reports import documents

    monkeypatch.setattr(ask, "choose_folder", lambda _parent, _title: tmp_path)
    assert documents.choose_folder(None, "Chọn thư mục") == tmp_path


ENGLISH = re.compile(
    r"Look in|Files of|File name|Save As|Find Directory|Choose|Open|Cancel|Back|Forward|"
    r"Parent|New Folder|List View|Detail View|Name|Size|Type|Date Modified|Directories|"
    r"All files|Sidebar|Show "
)


@pytest.mark.skipif(QApplication.platformName() == "windows", reason="the native dialog")
@pytest.mark.parametrize("mode", ["open", "save", "folder"])
def test_the_file_dialog_speaks_vietnamese(qtbot: QtBot, mode: str, documents_home: Path) -> None:
    if mode == "open":
        dialog = ask.file_dialog(None, "Chọn tệp", ask.EXCEL_FILTER)
    elif mode == "save":
        dialog = ask.file_dialog(None, "", "Tệp PDF (*.pdf)", QFileDialog.FileMode.AnyFile, True)
    else:
        dialog = ask.file_dialog(None, "", "", QFileDialog.FileMode.Directory)
    qtbot.addWidget(dialog)
    assert dialog.testOption(QFileDialog.Option.DontUseNativeDialog)  # Qt's own, translated
    dialog.setViewMode(QFileDialog.ViewMode.Detail)
    dialog.show()  # not modal: the test reads it while it is open
    qtbot.waitExposed(dialog)
    words = [dialog.windowTitle()]
    words += [w.text() for w in dialog.findChildren(QLabel) if w.isVisible()]
    words += [w.text() for w in dialog.findChildren(QPushButton) if w.isVisible()]
    words += [w.toolTip() for w in dialog.findChildren(QToolButton) if w.isVisible()]
    words += [w.accessibleName() for w in dialog.findChildren(QToolButton) if w.isVisible()]
    for view in dialog.findChildren(QTreeView):
        model = view.model()
        words += [
            str(model.headerData(c, Qt.Orientation.Horizontal)) for c in range(model.columnCount())
        ]
    english = [w for w in words if w and ENGLISH.search(w)]
    assert english == [], english
    labels = {w.text() for w in dialog.findChildren(QLabel) if w.isVisible()}
    assert "Thư &mục:" in labels
    if mode != "folder":
        assert {"&Loại tệp:", "Tên &tệp:"} <= labels
    assert {"open": "&Mở", "save": "&Lưu", "folder": "&Chọn"}[mode] in words
    dialog.close()


def test_no_window_setting_needed_for_the_first_dialog(documents_home: Path) -> None:
    """Before any window hands its settings over (the first start's restore), the dialogs
    still open in Documents and remember the folder for the run."""
    ask.remember_folders_in(None)
    assert ask.start_folder() == documents_home
