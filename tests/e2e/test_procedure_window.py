"""One cell of the demo commune carried through the whole procedure in the window, with
Vietnamese typed in: returned by the commune, evaluated again, decided and locked."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from app.domain.procedure import CellStep, PeriodState
from app.services.periods import lifecycle as periods
from app.services.procedure import view as procedure_view
from app.services.safekeeping import audit
from app.settings import Settings
from app.store.database import Database
from app.ui.common import ask
from app.ui.common.tasks import SyncRunner
from app.ui.evaluation.appraisal import LevelDialog
from app.ui.evaluation.wizard import NewPeriodWizard
from app.ui.shell.main_window import MainWindow
from tests.gui.keyboard import clear_and_type, type_text

from .conftest import TODAY

CELL = "Chi bộ bản Pá Có"


def create_period(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    def run(dialog: QDialog) -> bool:
        assert isinstance(dialog, NewPeriodWizard)
        assert dialog.settings_page.year.value() == TODAY.year
        assert "366" in dialog.settings_page.ruleset.currentText()
        dialog.restart()
        dialog.next()
        assert "được xếp loại" in dialog.roster_page.summary.text()
        dialog.accept()
        return dialog.created is not None

    monkeypatch.setattr(window, "run_dialog", run)
    window.new_period()
    monkeypatch.undo()


def open_cell(window: MainWindow) -> int:
    assert window.listing is not None
    cell = next(n for n in window.listing.nodes if n.name == CELL)
    window.open_cell(cell.id)
    assert window.evaluation.currentWidget() is window.evaluation.cell
    return cell.id


def cell_item(page):  # type: ignore[no-untyped-def]
    """The appraisal tree's row of the cell under test."""
    tree = page.tree
    return next(
        tree.topLevelItem(i)
        for i in range(tree.topLevelItemCount())
        if tree.topLevelItem(i).text(0).startswith(CELL)
    )


def grid_set(grid, row: int, column: int, value: object) -> None:  # type: ignore[no-untyped-def]
    """What the grid's editor does when the user picks or types a value and moves on."""
    index = grid.grid_model.index(row, column)
    grid.setCurrentIndex(index)
    assert (
        grid.grid_model.setData(index, value)
        or grid.grid_model.data(index, Qt.ItemDataRole.EditRole) == value
    )


def do_self_review(window: MainWindow, qtbot: QtBot) -> None:
    page = window.evaluation.cell.self_review
    view = window.evaluation.cell.view
    assert view is not None
    rows = page.grid.grid_model.rows
    assert rows
    for number, line in enumerate(rows):
        if not line.evaluated:
            continue
        grid_set(page.grid, number, 1, "HTTNV")
        # Scores typed with the keyboard: a digit starts the editor, Tab moves on.
        page.grid.setCurrentIndex(page.grid.grid_model.index(number, 2))
        qtbot.keyClicks(page.grid, "2")  # the first key opens the editor…
        qtbot.keyClicks(page.grid.focusWidget(), "6")  # …which then has the focus
        qtbot.keyClick(page.grid.focusWidget(), Qt.Key.Key_Tab)
        assert page.grid.grid_model.rows[number].self_score_general == 26
        grid_set(page.grid, number, 3, 58)
    # The first member's own review, typed in Vietnamese in the side form.
    page.grid.setCurrentIndex(page.grid.grid_model.index(0, 0))
    page._show_member()
    page.on_time.setCheckState(Qt.CheckState.Checked)
    type_text(page.text, "Chấp hành tốt chủ trương của Đảng; gương mẫu nơi cư trú.")
    type_text(page.shortcomings, "Đôi khi chưa mạnh dạn phê bình đồng chí mình.")
    buttons = page.member_box.findChildren(type(window.evaluation.cell.next_button))
    next(b for b in buttons if b.text() == "Lưu thông tin đảng viên").click()
    page.cell_level.setCurrentIndex(page.cell_level.findData("HTTNV"))
    type_text(page.cell_text, "Chi bộ lãnh đạo nhân dân làm 2 km đường bê tông nội bản.")
    page.save_cell_button.click()
    if view.collective is not None:  # the chi ủy reviews itself too
        assert page.collective_part.isVisible()
        page.collective_level.setCurrentIndex(page.collective_level.findData("HTTNV"))
        type_text(page.collective_text, "Chi ủy đoàn kết, họp định kỳ hằng tháng.")
        page.save_collective.click()
        chi_uy = window.evaluation.cell.view.collective
        assert chi_uy is not None and chi_uy.self_level == "HTTNV"
        assert chi_uy.self_assessment == "Chi ủy đoàn kết, họp định kỳ hằng tháng."


def hold_meeting(window: MainWindow, absent_name: str | None = None) -> None:
    page = window.evaluation.cell.meeting
    rows = page.attendance.grid_model.rows
    for number, line in enumerate(rows):
        grid_set(page.attendance, number, 1, line.full_name != absent_name)
    if absent_name:
        number = next(i for i, r in enumerate(page.attendance.grid_model.rows)
                      if r.full_name == absent_name)  # fmt: skip
        grid_set(page.attendance, number, 2, "Đi làm nương xa")
    clear_and_type(page.held_on, f"{TODAY:%d/%m/%Y}")
    clear_and_type(page.place, "Nhà văn hóa bản Pá Có")
    type_text(page.upper, "Lường Văn Chiến")
    type_text(page.upper_post, "Đảng ủy viên, phụ trách chi bộ")
    page.chair.setCurrentIndex(1)
    page.secretary.setCurrentIndex(2)
    page.tally.item(3).setCheckState(Qt.CheckState.Checked)
    page.tally.item(4).setCheckState(Qt.CheckState.Checked)
    page.meeting_box.findChildren(type(window.evaluation.cell.next_button))[-1].click()


def vote(window: MainWindow) -> None:
    cell = window.evaluation.cell
    assert cell.view is not None
    present = cell.view.voters_present
    page = cell.voting
    page.issued.setValue(present)
    page.returned.setValue(present)
    page.valid.setValue(present)
    page.ballots_box.findChildren(type(cell.next_button))[0].click()
    htxsnv, httnv = 1, 2  # the grid's count columns
    for number in range(len(page.grid.grid_model.rows)):
        column = htxsnv if number == 3 else httnv
        grid_set(page.grid, number, column, present)
    page.take_all.click()


def test_a_cell_through_every_step_returned_and_decided(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    create_period(window, monkeypatch)
    cell_id = open_cell(window)
    procedure = window.evaluation.cell
    assert procedure.view is not None and procedure.view.step is CellStep.PREPARATION

    procedure.next_button.click()
    do_self_review(window, qtbot)
    assert not procedure.banner.isVisible(), procedure.banner.text()
    procedure.next_button.click()
    assert procedure.view.step is CellStep.MEETING, procedure.banner.text()

    absent = procedure.view.members[-1].full_name
    # A meeting dated outside the period is refused, naming the field.
    meeting = procedure.meeting
    clear_and_type(meeting.held_on, f"15/06/{TODAY.year}")
    clear_and_type(meeting.place, "Nhà văn hóa bản Pá Có")
    meeting.meeting_box.findChildren(type(procedure.next_button))[-1].click()
    assert procedure.banner.isVisible()
    assert (
        f"Ngày họp: ngày 15/06/{TODAY.year} nằm ngoài thời gian của kỳ đánh giá"
        in procedure.banner.text()
    )
    hold_meeting(window, absent)
    assert not procedure.banner.isVisible(), procedure.banner.text()
    procedure.next_button.click()
    assert procedure.view.step is CellStep.VOTING, procedure.banner.text()

    # More votes than voters is refused, naming the field.
    grid_set(procedure.voting.grid, 2, 2, 999)
    assert procedure.banner.isVisible() and "Số phiếu" in procedure.banner.text()
    assert "nhiều hơn số đảng viên chính thức có mặt" in procedure.banner.text()
    vote(window)
    assert not procedure.banner.isVisible(), procedure.banner.text()
    procedure.next_button.click()
    assert procedure.view.step is CellStep.SUBMITTED, procedure.banner.text()
    assert not procedure.next_button.isEnabled()

    # The commune returns the cell with a reason typed in Vietnamese.
    window.show_appraisal()
    page = window.evaluation.appraisal
    page.tree.setCurrentItem(cell_item(page))
    monkeypatch.setattr(ask, "text", lambda *_a: "Chưa lấy ý kiến nhận xét nơi cư trú")
    page.return_selected()
    window.open_cell(cell_id)
    assert procedure.view.step is CellStep.RETURNED
    assert "Chưa lấy ý kiến nhận xét nơi cư trú" in procedure.status.text()

    hold_meeting(window)
    assert procedure.view.meeting is not None and procedure.view.meeting.round == 2
    procedure.next_button.click()
    vote(window)
    procedure.next_button.click()
    assert procedure.view.step is CellStep.SUBMITTED, procedure.banner.text()

    # The commune accepts the proposals, changes one with a reason, decides and locks.
    window.show_appraisal()
    page.tree.setCurrentItem(cell_item(page))
    page.accept_selected()
    parent = cell_item(page)
    member_item = next(
        parent.child(i) for i in range(parent.childCount())
        if parent.child(i).data(0, Qt.ItemDataRole.UserRole).kind == "member"
        and parent.child(i).text(3) == "HTTNV"  # the proposal column
    )  # fmt: skip
    page.tree.setCurrentItem(member_item)
    changed_subject = member_item.data(0, Qt.ItemDataRole.UserRole)

    def decide_level(dialog: QDialog) -> bool:
        assert isinstance(dialog, LevelDialog)
        dialog.level.setCurrentIndex(dialog.level.findData("HTNV"))
        type_text(dialog.reason, "Chưa gương mẫu trong vận động gia đình làm đường")
        return True

    page.run_dialog = decide_level  # type: ignore[method-assign]
    page.change_selected()
    page.tree.setCurrentItem(cell_item(page))
    monkeypatch.setattr(ask, "confirm", lambda *_a: True)
    warnings: list[str] = []
    monkeypatch.setattr(ask, "warn", lambda _p, _t, text, _d="": warnings.append(text))
    page.decide()
    assert warnings == []

    view = procedure_view.cell_view(window.db, TODAY.year, cell_id)
    assert view.step is CellStep.DECIDED and view.locked
    decided = {m.member_id: m.decided_level for m in view.members if m.evaluated}
    assert decided[changed_subject.id] == "HTNV"
    assert view.member(changed_subject.id).proposed_level != "HTNV"
    assert view.member(changed_subject.id).decision_reason.startswith("Chưa gương mẫu")
    assert all(decided.values())
    assert view.cell.decided_level == view.cell.proposed_level
    info = periods.get_period(window.db, TODAY.year)
    assert info.state is PeriodState.APPRAISAL  # the other cells have not been decided
    actions = [(e.action, e.summary) for e in audit.entries(window.db, info.id)]
    names = [a for a, _ in actions]
    for expected in (
        "tao_ky",
        "tu_kiem_diem",
        "diem_danh",
        "ghi_hoi_nghi",
        "kiem_phieu",
        "ghi_proposed",
        "chuyen_buoc",
        "tra_lai",
        "ghi_decided",
        "quyet_dinh",
    ):
        assert expected in names, expected  # fmt: skip
    assert any("Chưa lấy ý kiến nhận xét nơi cư trú" in s for a, s in actions if a == "tra_lai")
    assert audit.verify_chain(window.db) == []
    # Locked: the window refuses edits and says why.
    window.open_cell(cell_id)
    assert not procedure.next_button.isEnabled()
    procedure.meeting._save_comments()
    assert not procedure.meeting.comment_box.isEnabled()


def test_quitting_half_way_resumes_at_the_same_step(
    qtbot: QtBot, demo_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(tmp_path / "settings.json")
    db = Database.open(demo_path)
    first = MainWindow(db, settings, SyncRunner(), today=lambda: TODAY)
    qtbot.addWidget(first)
    create_period(first, monkeypatch)
    cell_id = open_cell(first)
    first.evaluation.cell.next_button.click()
    page = first.evaluation.cell.self_review
    grid_set(page.grid, 0, 1, "HTXSNV")
    grid_set(page.grid, 1, 1, "HTNV")
    page.grid.setCurrentIndex(page.grid.grid_model.index(0, 0))
    page._show_member()
    type_text(page.text, "Hoàn thành xuất sắc việc vận động trồng cây mắc ca.")
    page.member_box.findChildren(type(first.evaluation.cell.next_button))[0].click()
    first.close()
    db.close()

    again = Database.open(demo_path)
    second = MainWindow(again, settings, SyncRunner(), today=lambda: TODAY)
    qtbot.addWidget(second)
    try:
        second.open_cell(cell_id)
        view = second.evaluation.cell.view
        assert view is not None and view.step is CellStep.SELF_REVIEW
        assert second.evaluation.cell.pages.currentWidget() is second.evaluation.cell.self_review
        lines = second.evaluation.cell.self_review.grid.grid_model.rows
        assert (lines[0].self_level, lines[1].self_level) == ("HTXSNV", "HTNV")
        assert lines[0].self_review == "Hoàn thành xuất sắc việc vận động trồng cây mắc ca."
    finally:
        second.close()
        again.close()
