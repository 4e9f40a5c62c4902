"""Pages ③ Hội nghị, ④ Biểu quyết and ⑤ Biên bản và nộp on the demo commune: no level before
the ballots that produce it, side panels that follow the grid's current row by keyboard, one
button per action, and meeting days that have been (a late one asks)."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from app.domain import clock
from app.domain.plan import Plan
from app.domain.procedure import CellStep
from app.services.periods import lifecycle as periods
from app.services.procedure import board as procedure_board
from app.services.procedure import plan_dates as plan
from app.services.procedure import view as procedure_view
from app.services.procedure.view import CellView, MemberLine
from app.store.database import Database
from app.ui.common import ask
from app.ui.evaluation.cell.procedure import CellProcedure
from app.ui.shell.main_window import MainWindow

MEETING, VOTING, SUBMIT = 2, 3, 4  # the pages' places in the step bar


def year_of(db: Database) -> int:
    return periods.list_periods(db)[-1].year


def meeting_cell(db: Database, year: int) -> int:
    """A cell at the meeting step: its meeting recorded, voters present, no ballot counted."""
    for row in procedure_board.board(db, year):
        view = procedure_view.cell_view(db, year, row.cell_id)
        met = row.step is CellStep.MEETING and view.meeting and view.meeting.held_on
        if met and view.voters_present and not any(m.vote_counts for m in view.members):
            return row.cell_id
    raise AssertionError("the demo has a cell met but not voted")


def opened(window: MainWindow, cell: int, page: int) -> CellProcedure:
    window.open_cell(cell)
    procedure = window.evaluation.cell
    procedure.show_page(page)
    return procedure


def column(grid, title: str) -> int:  # type: ignore[no-untyped-def]
    return next(i for i, c in enumerate(grid.grid_model.columns) if c.title == title)


def shown(grid, title: str) -> list[str]:  # type: ignore[no-untyped-def]
    model, number = grid.grid_model, column(grid, title)
    return [model.data(model.index(r, number)) for r in range(model.rowCount())]


def level_codes(view: CellView) -> set[str]:
    rs = view.ruleset
    return {level.code for scale in (rs.scale("member"), rs.scale("org")) for level in scale.levels}


def test_no_level_is_shown_before_the_ballots_are_counted(full_window: MainWindow) -> None:
    db = full_window.db
    year = year_of(db)
    cell = meeting_cell(db, year)
    procedure = opened(full_window, cell, VOTING)
    page, view = procedure.voting, procedure.view
    assert view is not None
    levels = level_codes(view)
    # Before: the rules would give each row its self-assessed level; none is shown as voted.
    results = shown(page.grid, "Kết quả")
    assert not levels & set(results), results
    assert "chưa kiểm phiếu" in results
    assert not levels & set(shown(page.grid, "Đề xuất"))
    assert not page.take_all.isEnabled()  # nothing counted, nothing to take
    page.grid.setCurrentIndex(page.grid.grid_model.index(2, 0))
    assert "Chưa kiểm phiếu" in page.explanation.text()
    assert not levels & set(page.explanation.text().replace(":", " ").split())
    procedure.show_page(SUBMIT)
    assert not levels & set(shown(procedure.submit.grid, "Biểu quyết"))

    # Once a row is counted, its result and the reason for it appear, said once.
    procedure.show_page(VOTING)
    row = 2
    line = page.grid.grid_model.rows[row]
    assert isinstance(line, MemberLine) and line.evaluated
    model = page.grid.grid_model
    model.setData(model.index(row, column(page.grid, "HTTNV")), view.voters_present)
    assert not procedure.banner.isVisible(), procedure.banner.text()
    assert shown(page.grid, "Kết quả")[row] == "HTTNV"
    assert page.take_all.isEnabled()
    page.grid.setCurrentIndex(model.index(row, 0))
    text = page.explanation.text()
    vote = procedure.view.member(line.member_id).vote_explanation
    assert vote and text.count(vote) == 1, text
    assert text.startswith(line.full_name + ": ")


def test_the_side_panels_follow_the_current_row_by_keyboard(
    full_window: MainWindow, qtbot: QtBot
) -> None:
    db = full_window.db
    year = year_of(db)
    cell = meeting_cell(db, year)
    procedure = opened(full_window, cell, MEETING)
    page = procedure.meeting
    grid = page.attendance
    rows = grid.grid_model.rows

    def title() -> str:
        return page.comment_box.title()

    grid.setFocus()
    grid.setCurrentIndex(grid.grid_model.index(0, 0))
    assert title() == f"Ý kiến về đồng chí {rows[0].full_name}"
    qtbot.keyClick(grid, Qt.Key.Key_Down)
    assert title() == f"Ý kiến về đồng chí {rows[1].full_name}"
    qtbot.keyClick(grid, Qt.Key.Key_Return)  # Enter goes down a row
    assert grid.currentIndex().row() == 2
    assert title() == f"Ý kiến về đồng chí {rows[2].full_name}"
    qtbot.keyClick(grid, Qt.Key.Key_Tab)  # along the row: the same member
    assert grid.currentIndex().row() == 2
    assert title() == f"Ý kiến về đồng chí {rows[2].full_name}"
    qtbot.keyClick(grid, Qt.Key.Key_Up)
    third, second = rows[2], rows[1]
    assert title() == f"Ý kiến về đồng chí {second.full_name}"

    # Comments typed for one member and the cursor moved on: they are kept for that member.
    page.comments.setPlainText("Đ/c Bí thư: cần gương mẫu hơn trong sinh hoạt.")
    qtbot.keyClick(grid, Qt.Key.Key_Down)
    assert title() == f"Ý kiến về đồng chí {third.full_name}"
    fresh = procedure_view.cell_view(db, year, cell)
    assert fresh.member(second.member_id).comments == (
        "Đ/c Bí thư: cần gương mẫu hơn trong sinh hoạt."
    )
    assert fresh.member(third.member_id).comments == third.comments
    assert page.comments.toPlainText() == third.comments

    # After a save and the refresh it brings, the panel still names the current row.
    page.response.setPlainText("Xin tiếp thu.")
    page._save_comments()
    assert grid.currentIndex().row() == 2
    assert title() == f"Ý kiến về đồng chí {third.full_name}"
    assert procedure_view.cell_view(db, year, cell).member(third.member_id).response == (
        "Xin tiếp thu."
    )

    # The vote page's explanation follows its grid the same way.
    procedure.show_page(VOTING)
    votes = procedure.voting.grid
    votes.setFocus()
    votes.setCurrentIndex(votes.grid_model.index(2, 0))
    name = votes.grid_model.rows[2].full_name
    assert procedure.voting.explanation.text().startswith(name + ": ")
    qtbot.keyClick(votes, Qt.Key.Key_Down)
    below = votes.grid_model.rows[3].full_name
    assert procedure.voting.explanation.text().startswith(below + ": ")


def test_a_meeting_dated_after_today_is_refused_beside_the_field(
    full_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = full_window.db
    year = year_of(db)
    cell = meeting_cell(db, year)
    procedure = opened(full_window, cell, MEETING)
    page = procedure.meeting
    before = procedure.view.meeting.held_on
    asked: list[str] = []
    monkeypatch.setattr(ask, "confirm", lambda *a, **k: asked.append(a[2]) or True)
    tomorrow = clock.today() + dt.timedelta(days=1)
    page.held_on.setText(f"{tomorrow:%d/%m/%Y}")
    page.place.setText("Hội trường nhà văn hóa bản")
    page._save_meeting()
    message = (
        f"Ngày họp: ngày {tomorrow:%d/%m/%Y} chưa đến (hôm nay là {clock.today():%d/%m/%Y}): "
        "chỉ ghi hội nghị đã họp"
    )
    assert procedure.banner.isVisible() and message in procedure.banner.text()
    assert page.problems.isVisible() and message in page.problems.text()
    assert "border" in page.held_on.styleSheet() and message == page.held_on.toolTip()
    assert asked == []  # a day still to come is refused, not asked about
    # Nothing saved, and what was typed is still there to correct, after other saves too.
    assert procedure_view.cell_view(db, year, cell).meeting.held_on == before
    for _ in range(2):
        assert page.held_on.text() == f"{tomorrow:%d/%m/%Y}"
        assert page.place.text() == "Hội trường nhà văn hóa bản"
        procedure.refresh()
    # Corrected: saved, the marks go.
    page.held_on.setText(f"{clock.today():%d/%m/%Y}")
    page._save_meeting()
    assert not procedure.banner.isVisible(), procedure.banner.text()
    assert not page.problems.isVisible() and page.held_on.styleSheet() == ""
    meeting = procedure_view.cell_view(db, year, cell).meeting
    assert (meeting.held_on, meeting.place) == (clock.today(), "Hội trường nhà văn hóa bản")


def test_a_meeting_dated_after_the_deadline_asks_first(
    full_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = full_window.db
    year = year_of(db)
    cell = meeting_cell(db, year)
    today = clock.today()
    deadline = today - dt.timedelta(days=5)
    plan.save_plan(db, year, Plan(deadline=deadline))
    procedure = opened(full_window, cell, MEETING)
    page = procedure.meeting
    before = procedure.view.meeting.held_on
    assert before is not None and before <= deadline
    late = today - dt.timedelta(days=1)
    questions: list[str] = []
    answer = [False]

    def confirm(_parent, title: str, text: str, action: str = "") -> bool:  # type: ignore[no-untyped-def]
        questions.append(f"{title}|{text}|{action}")
        return answer[0]

    monkeypatch.setattr(ask, "confirm", confirm)
    page.held_on.setText(f"{late:%d/%m/%Y}")
    page._save_meeting()
    [question] = questions
    assert question.startswith("Ngày họp sau hạn nộp|")
    assert f"{late:%d/%m/%Y}" in question and f"({deadline:%d/%m/%Y})" in question
    assert procedure_view.cell_view(db, year, cell).meeting.held_on == before  # declined
    assert page.held_on.text() == f"{late:%d/%m/%Y}"

    answer[0] = True
    page._save_meeting()
    assert len(questions) == 2
    assert not procedure.banner.isVisible(), procedure.banner.text()
    assert procedure_view.cell_view(db, year, cell).meeting.held_on == late
    page._save_meeting()  # the same day again: already confirmed
    assert len(questions) == 2


def test_page_five_leaves_the_submission_to_the_one_button(full_window: MainWindow) -> None:
    db = full_window.db
    year = year_of(db)
    cell = next(r.cell_id for r in procedure_board.board(db, year) if r.step is CellStep.VOTING)
    procedure = opened(full_window, cell, SUBMIT)
    page = procedure.submit
    assert not [b for b in page.findChildren(QPushButton) if "Nộp" in b.text()]
    words = procedure.next_button.text().rstrip(" ▸")
    assert words == "Nộp kết quả lên đảng ủy"
    assert f"“{words}”" in page.summary.text()
