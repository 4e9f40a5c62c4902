"""Driving the main window on the demo commune: search, filter, add, edit, move, exempt, zoom."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from app.services.roster import members as member_service
from app.ui.common import ask
from app.ui.roster.member_actions import ExemptionDialog, MoveDialog
from app.ui.roster.member_dialog import MemberDialog
from app.ui.roster.member_table import Activity, Standing
from app.ui.shell.main_window import MainWindow

from .conftest import TODAY
from .keyboard import clear_and_type, type_text


def visible(window: MainWindow) -> list[member_service.MemberRow]:
    return window.members.model.visible_rows()


def select_cell(window: MainWindow, name: str) -> int:
    assert window.listing is not None
    node = next(n for n in window.listing.nodes if n.name == name)
    window.tree.select_node(node.id)
    return node.id


def test_the_window_shows_the_commune(window: MainWindow) -> None:
    assert window.windowTitle() == "DanhGia — Đảng bộ xã Na Tông"
    total = window.members.model.rowCount()
    assert 550 <= total <= 650
    status = window.counts_label.text()
    assert status.startswith("35 chi bộ · ") and "chính thức" in status and "dự bị" in status
    names = [r.name_key for r in visible(window)]
    assert names == sorted(names)  # Vietnamese order


def test_search_with_vietnamese_text_typed(window: MainWindow) -> None:
    target = next(r for r in window.rows if r.full_name.startswith("Nguyễn"))
    type_text(window.members.search, target.full_name)
    assert window.members.search.text() == target.full_name
    rows = visible(window)
    assert target in rows
    assert all(r.full_name == target.full_name for r in rows)


def test_search_without_diacritics_finds_the_same_people(window: MainWindow) -> None:
    type_text(window.members.search, "Lường Thị")
    with_marks = {r.id for r in visible(window)}
    clear_and_type(window.members.search, "luong thi")
    without_marks = {r.id for r in visible(window)}
    assert with_marks and with_marks <= without_marks
    assert all(r.full_name.startswith("Lường Thị") for r in visible(window) if r.id in with_marks)


def test_selecting_a_cell_filters_and_offers_the_rest(window: MainWindow) -> None:
    cell_id = select_cell(window, "Chi bộ bản Na Tông 1")
    rows = visible(window)
    assert rows and all(r.cell_id == cell_id for r in rows)
    outsider = next(r for r in window.rows if r.cell_id != cell_id)
    type_text(window.members.search, outsider.full_name)
    assert outsider not in visible(window)
    assert not window.members.elsewhere.isHidden()
    window.members.elsewhere.click()
    assert outsider in visible(window)


def test_standing_and_activity_filters(window: MainWindow) -> None:
    panel = window.members
    panel.standing.setCurrentIndex(panel.standing.findData(Standing.PROBATIONARY))
    probationary = visible(window)
    assert probationary and all(r.is_probationary(TODAY) for r in probationary)
    panel.standing.setCurrentIndex(panel.standing.findData(Standing.ANY))
    panel.activity.setCurrentIndex(panel.activity.findData(Activity.EXEMPT))
    exempt = visible(window)
    assert exempt and all(r.is_exempt for r in exempt)
    assert panel.shown.text().startswith(f"Đang hiện {len(exempt)} / ")


def test_add_a_member_with_a_vietnamese_name(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    cell_id = select_cell(window, "Chi bộ bản Pá Có")

    def fill(dialog: QDialog) -> bool:
        assert isinstance(dialog, MemberDialog)
        assert dialog.cell.currentData() == cell_id
        type_text(dialog.full_name, "Quàng Thị Hiên")
        qtbot.keyClicks(dialog.birth_date, "12/08/1990")
        qtbot.keyClicks(dialog.admitted_on, "03/02/2015")
        qtbot.keyClicks(dialog.official_on, "03/02/2016")
        type_text(dialog.other_post, "Chi hội trưởng Hội Phụ nữ")
        dialog.gender.setCurrentIndex(2)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        return dialog.result() == QDialog.DialogCode.Accepted

    monkeypatch.setattr(window, "run_dialog", fill)
    before = len(window.rows)
    qtbot.mouseClick(window.members.add_button, Qt.MouseButton.LeftButton)
    assert len(window.rows) == before + 1
    added = window.members.selected()
    assert added is not None and added.full_name == "Quàng Thị Hiên"
    assert added.cell_id == cell_id and added.gender is not None and added.gender.label == "Nữ"
    stored = member_service.get_member(window.db, added.id, TODAY)
    assert stored.other_post == "Chi hội trưởng Hội Phụ nữ"
    assert stored.admitted_on == dt.date(2015, 2, 3)


def test_a_bad_form_stays_open_and_says_why(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []

    def fill(dialog: QDialog) -> bool:
        assert isinstance(dialog, MemberDialog)
        type_text(dialog.full_name, "Pọm")
        qtbot.keyClicks(dialog.admitted_on, "31/02/2015")
        dialog.save()
        seen.append(dialog.errors.text())
        return dialog.result() == QDialog.DialogCode.Accepted

    monkeypatch.setattr(window, "run_dialog", fill)
    before = len(window.rows)
    window.add_member()
    assert len(window.rows) == before
    assert "Ngày vào Đảng: “31/02/2015” không phải ngày có thật" in seen[0]
    assert "Họ và tên: “Pọm” cần có cả họ và tên" in seen[0]


def test_edit_a_member(window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    target = visible(window)[3]
    window.members.select_member(target.id)

    def fill(dialog: QDialog) -> bool:
        assert isinstance(dialog, MemberDialog)
        assert dialog.full_name.text() == target.full_name
        clear_and_type(dialog.other_post, "Trưởng bản")
        dialog.party_post.setCurrentText("Chi ủy viên")
        dialog.save()
        return dialog.result() == QDialog.DialogCode.Accepted

    monkeypatch.setattr(window, "run_dialog", fill)
    qtbot.mouseClick(window.members.edit_button, Qt.MouseButton.LeftButton)
    edited = member_service.get_member(window.db, target.id, TODAY)
    assert (edited.other_post, edited.party_post) == ("Trưởng bản", "Chi ủy viên")
    assert window.members.selected() == edited


def test_move_a_member_to_another_cell(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    cell_id = select_cell(window, "Chi bộ bản Na Tông 1")
    target = visible(window)[0]
    window.members.select_member(target.id)

    def fill(dialog: QDialog) -> bool:
        assert isinstance(dialog, MoveDialog)
        dialog.cell.setCurrentIndex(dialog.cell.findText("Chi bộ bản Na Tông 2"))
        type_text(dialog.note, "Chuyển về ở với con")
        dialog.ok_button.click()
        return dialog.result() == QDialog.DialogCode.Accepted

    monkeypatch.setattr(window, "run_dialog", fill)
    window.members.move_button.click()
    moved = member_service.get_member(window.db, target.id, TODAY)
    assert moved.cell_name == "Chi bộ bản Na Tông 2"
    assert window.members.selected() == moved  # still shown, though it left the cell
    select_cell(window, "Chi bộ bản Na Tông 1")
    rows = visible(window)
    assert rows and all(r.cell_id == cell_id for r in rows)
    assert moved not in visible(window)


def test_mark_a_member_exempt(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    target = next(r for r in visible(window) if not r.is_exempt)
    window.members.select_member(target.id)
    assert window.members.exempt_button.text() == "Miễn sinh hoạt…"

    def fill(dialog: QDialog) -> bool:
        assert isinstance(dialog, ExemptionDialog)
        clear_and_type(dialog.on, "01/10/2026")
        type_text(dialog.note, "Tuổi cao, sức yếu")
        dialog.ok_button.click()
        return dialog.result() == QDialog.DialogCode.Accepted

    monkeypatch.setattr(window, "run_dialog", fill)
    window.members.exempt_button.click()
    row = member_service.get_member(window.db, target.id, TODAY)
    assert row.exempt_since == dt.date(2026, 10, 1)
    assert window.members.exempt_button.text() == "Thôi miễn sinh hoạt…"
    assert "miễn sinh hoạt" in window.counts_label.text()


def test_zoom_with_the_keyboard_is_remembered(window: MainWindow, qtbot: QtBot) -> None:
    start = QApplication.font().pointSize()
    assert start >= 11
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.font().pointSize() == start + 2
    assert window.settings.get("font_size") == start + 2
    qtbot.keyClick(window, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.font().pointSize() == start + 1
    window.apply_font_size(11)


def test_import_and_export_from_the_menu(
    window: MainWindow,
    tmp_path,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    target = tmp_path / "ds.xlsx"
    messages: list[str] = []
    monkeypatch.setattr(ask, "save_file", lambda *a: target)
    monkeypatch.setattr(ask, "open_file", lambda *a: target)
    monkeypatch.setattr(ask, "inform", lambda _p, _t, text: messages.append(text))
    monkeypatch.setattr(ask, "confirm", lambda _p, _t, text, _a="": messages.append(text) or True)
    window.export_members()
    assert target.exists() and "Đã ghi" in messages[-1]
    window.import_members()
    assert "hợp lệ" in messages[-2]
    assert messages[-1].startswith("Đã nhập: thêm 0 tổ chức")
