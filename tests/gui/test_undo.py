"""Ctrl+Z takes back the last edits of a cell's page (issue 19): every cell of a grid saves at
once, so a wrong keystroke must be undoable — through the same services (a locked cell refuses
the undo as it refuses any edit) and written to the audit log like any edit."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.domain.procedure import CellStep
from app.services.procedure import steps as procedure_steps
from app.store.models import AuditEntry, EvaluationPeriod, OrgEvaluation
from app.ui.shell.main_window import MainWindow
from tests.gui.test_keyboard_walk import (
    CTRL,
    Walk,
    a_cell_in_preparation,
    enter_procedure,
    open_step,
    press,
    type_into_cell,
)


def audit_entries(walk: Walk) -> int:
    with walk.window.db.session() as session:
        return int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0)


def column_of(grid, title: str) -> int:  # type: ignore[no-untyped-def]
    return next(n for n, c in enumerate(grid.grid_model.columns) if c.title.startswith(title))


def a_cell_at_self_review(window: MainWindow, qtbot: QtBot) -> Walk:
    """The keyboard walk's cell, moved on to self-review and open in the window."""
    walk = a_cell_in_preparation(window, qtbot)
    procedure_steps.advance(window.db, walk.year, walk.cell_id, "thư ký")
    window.open_cell(walk.cell_id)
    return walk


def test_ctrl_z_takes_back_the_last_edits_through_the_services(
    full_window: MainWindow, qtbot: QtBot
) -> None:
    walk = a_cell_at_self_review(full_window, qtbot)
    procedure = walk.procedure
    full_window.tree.setFocus()
    enter_procedure(qtbot, procedure)
    open_step(qtbot, procedure, 2)
    grid = procedure.self_review.grid
    first = grid.current_row()
    assert first is not None and first.self_level is None

    # A level typed by keyboard, then taken back by keyboard.
    type_into_cell(qtbot, grid, "HTTNV")
    assert walk.saved().member(first.member_id).self_level == "HTTNV"
    logged = audit_entries(walk)
    # Tab opened the next cell's editor; Ctrl+Z there, before typing, undoes the saved edit.
    assert grid.state() == grid.State.EditingState
    press(qtbot, Qt.Key.Key_Z, CTRL)
    assert walk.saved().member(first.member_id).self_level is None
    # The score's editor Tab opened and nothing was typed into: nothing saved, not a 0.
    assert walk.saved().member(first.member_id).self_score_general is None
    assert audit_entries(walk) == logged + 1  # the undo is an edit of its own in the log
    assert "Đã hoàn tác" in procedure.saved.text() and first.full_name in procedure.saved.text()

    # Twenty-two edits of one member's score, then twenty-two undos: back to where it began.
    general = column_of(grid, "Điểm chung")
    row = next(n for n, line in enumerate(grid.grid_model.rows) if line.evaluated)
    member = grid.grid_model.rows[row].member_id
    before = walk.saved().member(member).self_score_general
    for value in range(1, 23):
        grid.grid_model.setData(grid.grid_model.index(row, general), value)
    assert walk.saved().member(member).self_score_general == 22
    grid.setFocus()
    for expected in range(21, 0, -1):
        press(qtbot, Qt.Key.Key_Z, CTRL)
        assert walk.saved().member(member).self_score_general == expected
    press(qtbot, Qt.Key.Key_Z, CTRL)
    assert walk.saved().member(member).self_score_general == before
    press(qtbot, Qt.Key.Key_Z, CTRL)  # nothing left: said so, nothing written
    assert "Không còn thao tác nào" in procedure.saved.text()


def test_an_undo_the_services_refuse_is_shown_and_kept(
    full_window: MainWindow, qtbot: QtBot
) -> None:
    walk = a_cell_at_self_review(full_window, qtbot)
    procedure = walk.procedure
    procedure.show_page(1)
    grid = procedure.self_review.grid
    level = column_of(grid, "Tự xếp loại")
    row = next(n for n, line in enumerate(grid.grid_model.rows) if line.evaluated)
    grid.grid_model.setData(grid.grid_model.index(row, level), "HTTNV")
    # Meanwhile the cell's results reach the commune (another window submitted them): the
    # undo is refused in the services' words, not forced, and stays there to retry.
    with full_window.db.session() as session:
        cell = session.scalars(
            select(OrgEvaluation)
            .join(EvaluationPeriod, EvaluationPeriod.id == OrgEvaluation.period_id)
            .where(OrgEvaluation.org_id == walk.cell_id, OrgEvaluation.subject == "org",
                   EvaluationPeriod.year == walk.year)
        ).one()  # fmt: skip
        cell.step = CellStep.SUBMITTED
    procedure.refresh()
    procedure.undo_last()
    assert procedure.banner.isVisibleTo(procedure)
    assert "đã nộp kết quả" in procedure.banner.text()
    assert walk.saved().member(grid.grid_model.rows[row].member_id).self_level == "HTTNV"
    assert len(procedure.history) == 1  # still there to retry
