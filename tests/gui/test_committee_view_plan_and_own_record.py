"""On the demo commune: the mirror tab, the plan on
the board, the remedy in the self-review step, and the operator's own record."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.domain import clock
from app.domain.procedure import CellStep
from app.services.procedure import board as procedure_board
from app.services.procedure import plan_dates as plan
from app.services.procedure import steps as procedure_steps
from app.services.procedure import view as procedure_view
from app.services.roster import own_record
from app.services.safekeeping import audit
from app.settings import Settings
from app.store.database import Database
from app.store.models import EvaluationPeriod, MemberEvaluation
from app.ui.common import ask
from app.ui.common.tasks import SyncRunner
from app.ui.evaluation.plan import PlanDialog
from app.ui.roster.own_record import OperatorDialog
from app.ui.shell.main_window import MainWindow

YEAR = clock.today().year  # the demo's year under way
TODAY = dt.date(YEAR, 11, 25)  # five days after the demo's self-review date


@pytest.fixture
def full_window(qtbot: QtBot, full_demo_db: Database, settings: Settings) -> Iterator[MainWindow]:
    main = MainWindow(full_demo_db, settings, SyncRunner(), today=lambda: TODAY)
    qtbot.addWidget(main)
    main.resize(1366, 768)
    main.show()
    qtbot.waitExposed(main)
    yield main


def test_the_mirror_tab_shows_the_weak_cell_of_good_members(
    full_window: MainWindow, tmp_path: Path
) -> None:
    full_window.show_tab(full_window.mirror_page)
    tab = full_window.mirror
    assert tab.mirror is not None and tab.mirror.year == YEAR - 1
    weak = [c for c in tab.mirror.cells if c.weak_despite_good]
    assert weak  # the demo has one: every member HTTNV or better, the cell HTNV
    notes = [tab.notes.item(i).text() for i in range(tab.notes.count())]
    assert notes[0].startswith(f"⚠ {weak[0].name} được xếp HTNV nhưng cả")
    names = [tab.cells.item(r, 0).text() for r in range(tab.cells.rowCount())]
    row = names.index(weak[0].name)
    assert tab.cells.item(row, 10).text().startswith("mọi đảng viên HTTNV trở lên nhưng")
    assert tab.cells.item(row, 0).background().color().name() == "#fdecea"
    assert tab.streaks.rowCount() == len(tab.mirror.streaks) > 0
    # Another year from the selector.
    tab.year.setCurrentIndex(tab.year.findData(YEAR - 2))
    assert tab.mirror.year == YEAR - 2 and tab.title.text().startswith(
        f"Bức tranh xếp loại năm {YEAR - 2}"
    )
    full_window.grab().save(str(tmp_path / "danhgia-mirror.png"))


def test_the_board_shows_each_cell_against_the_plan(
    full_window: MainWindow, tmp_path: Path
) -> None:
    full_window.show_board()
    board = full_window.evaluation.board
    model = board.model
    texts = {
        r.cell_id: (
            model.data(model.index(i, 4)),
            model.data(model.index(i, 4), Qt.ItemDataRole.ForegroundRole),
        )
        for i, r in enumerate(model.rows)
    }
    steps = {r.cell_id: r.step for r in model.rows}
    late = [c for c, s in steps.items() if s in (CellStep.PREPARATION, CellStep.SELF_REVIEW)]
    assert late
    for cell_id in late:
        text, colour = texts[cell_id]
        assert text == "trễ 5 ngày: tự kiểm điểm"
        assert colour.name() == "#b71c1c"
    assert f"theo kế hoạch: {len(late)} chậm" in board.counts.text()
    full_window.grab().save(str(tmp_path / "danhgia-board-plan.png"))


def test_the_plan_dialog_from_the_board_saves_the_dates(
    full_window: MainWindow, full_demo_db: Database
) -> None:
    full_window.show_board()

    def fill(dialog: QDialog) -> bool:
        assert isinstance(dialog, PlanDialog)
        dialog.fields["meeting_due"].setText(f"05/12/{YEAR}")
        dialog.fields["self_review_due"].setText(f"10/12/{YEAR}")  # after the meeting: refused
        dialog.save()
        assert not dialog.saved and "sớm hơn hạn" in dialog.problem.text()
        dialog.fields["self_review_due"].setText(f"01/12/{YEAR}")
        dialog.save()
        return dialog.saved

    full_window.evaluation.run_dialog = fill
    full_window.evaluation.board.plan_button.click()
    stored = plan.get_plan(full_demo_db, YEAR)
    assert stored.self_review_due == dt.date(YEAR, 12, 1)
    assert stored.meeting_due == dt.date(YEAR, 12, 5)
    # Nobody is late on 25/11 any more; those still to finish their review are due soon.
    counts = full_window.evaluation.board.counts.text()
    assert "chậm" not in counts and "sắp đến hạn" in counts


def _self_review_cell(db: Database) -> tuple[int, int]:
    cell_id = next(
        r.cell_id for r in procedure_board.board(db, YEAR) if r.step is CellStep.SELF_REVIEW
    )
    view = procedure_view.cell_view(db, YEAR, cell_id)
    return cell_id, next(m.member_id for m in view.members if m.evaluated)


def test_the_remedy_box_shows_last_years_shortcomings(
    full_window: MainWindow, full_demo_db: Database, tmp_path: Path
) -> None:
    cell_id, member_id = _self_review_cell(full_demo_db)
    with full_demo_db.session() as session:
        last = session.scalar(
            select(MemberEvaluation)
            .join(EvaluationPeriod, EvaluationPeriod.id == MemberEvaluation.period_id)
            .where(EvaluationPeriod.year == YEAR - 1, MemberEvaluation.member_id == member_id)
        )
        assert last is not None
        last.shortcomings = "Chưa mạnh dạn phê bình."
        now = session.scalar(
            select(MemberEvaluation)
            .join(EvaluationPeriod, EvaluationPeriod.id == MemberEvaluation.period_id)
            .where(EvaluationPeriod.year == YEAR, MemberEvaluation.member_id == member_id)
        )
        assert now is not None
        now.remedy = ""
    line = procedure_view.cell_view(full_demo_db, YEAR, cell_id).member(member_id)
    full_window.open_cell(cell_id)
    page = full_window.evaluation.cell.self_review
    full_window.evaluation.cell.show_page(1)
    row = [m.member_id for m in page.grid.grid_model.rows].index(line.member_id)
    page.grid.setCurrentIndex(page.grid.grid_model.index(row, 0))
    page._show_member()
    assert page.carry.isVisible()
    assert page.carry.title() == f"Hạn chế năm {YEAR - 1} — đã khắc phục?"
    assert page.carry.previous.toolTip() == "Chưa mạnh dạn phê bình."
    assert page.carry.previous.text() == "Chưa mạnh dạn phê bình."
    assert page.carry.remedy.styleSheet()  # marked: still to be written
    page.carry.remedy.setText("Đã dự đủ các buổi sinh hoạt chi bộ.")
    page._save_member()
    assert (
        procedure_view.cell_view(full_demo_db, YEAR, cell_id).member(line.member_id).remedy
        == "Đã dự đủ các buổi sinh hoạt chi bộ."
    )
    QApplication.processEvents()  # lay the shown box out before drawing
    full_window.grab().save(str(tmp_path / "danhgia-remedy.png"))


def test_editing_ones_own_record_warns_and_is_logged(
    full_window: MainWindow, full_demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    cell_id, member_id = _self_review_cell(full_demo_db)

    def choose(dialog: QDialog) -> bool:
        assert isinstance(dialog, OperatorDialog)
        dialog.combo.setCurrentIndex(dialog.combo.findData(member_id))
        dialog._accept()
        return True

    full_window.run_dialog = choose  # type: ignore[method-assign]
    full_window.choose_own_member()
    assert full_window.settings.get("operator_member_id") == member_id

    full_window.open_cell(cell_id)
    page = full_window.evaluation.cell.self_review
    line = procedure_view.cell_view(full_demo_db, YEAR, cell_id).member(member_id)
    questions: list[str] = []

    def answer(value: bool):  # type: ignore[no-untyped-def]
        def confirm(_parent, _title, text, _action="Đồng ý") -> bool:  # type: ignore[no-untyped-def]
            questions.append(text)
            return value

        return confirm

    monkeypatch.setattr(ask, "confirm", answer(False))
    page._save_field(line, level="HTXSNV")
    assert len(questions) == 1 and "của chính mình" in questions[0]
    assert procedure_view.cell_view(full_demo_db, YEAR, cell_id).member(member_id).self_level == (
        line.self_level
    )
    assert full_window.evaluation.cell.banner.text().startswith("Chưa lưu")

    monkeypatch.setattr(ask, "confirm", answer(True))
    page._save_field(line, level="HTXSNV")
    assert procedure_view.cell_view(full_demo_db, YEAR, cell_id).member(member_id).self_level == (
        "HTXSNV"
    )
    own = [e for e in audit.entries(full_demo_db) if e.action == own_record.ACTION]
    assert len(own) == 1 and "bản tự kiểm điểm" in own[0].summary

    # Somebody else's record asks nothing.
    other = next(
        m
        for m in procedure_view.cell_view(full_demo_db, YEAR, cell_id).members
        if m.evaluated and m.member_id != member_id
    )
    page._save_field(other, level="HTTNV")
    assert len(questions) == 2
    assert len([e for e in audit.entries(full_demo_db) if e.action == own_record.ACTION]) == 1


def test_typing_the_votes_on_ones_own_record_asks_first(
    full_window: MainWindow, full_demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    cell_id = next(
        r.cell_id for r in procedure_board.board(full_demo_db, YEAR) if r.step is CellStep.VOTING
    )
    line = next(m for m in procedure_view.cell_view(full_demo_db, YEAR, cell_id).members if m.votes)
    full_window.settings.set("operator_member_id", line.member_id)
    full_window.open_cell(cell_id)
    page = full_window.evaluation.cell.voting
    code = next(iter(line.vote_counts))
    asked: list[str] = []

    def refuse(_parent, _title, text, _action="Đồng ý") -> bool:  # type: ignore[no-untyped-def]
        asked.append(text)
        return False

    monkeypatch.setattr(ask, "confirm", refuse)
    page._save_vote(line, code, line.vote_counts[code] - 1)
    assert asked and "kết quả biểu quyết" in asked[0]
    after = procedure_view.cell_view(full_demo_db, YEAR, cell_id).member(line.member_id)
    assert after.vote_counts == line.vote_counts
    assert full_window.evaluation.cell.banner.text().startswith("Chưa lưu")


def test_taking_the_votes_levels_in_bulk_asks_for_ones_own_record_last(
    full_window: MainWindow, full_demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    cell_id = next(
        r.cell_id for r in procedure_board.board(full_demo_db, YEAR) if r.step is CellStep.VOTING
    )
    view = procedure_view.cell_view(full_demo_db, YEAR, cell_id)
    chosen = [m for m in view.members if m.votes and m.suggested_level in ("HTTNV", "HTXSNV")]
    for line in chosen[:3]:  # three proposals not taken yet
        procedure_steps.set_proposal(full_demo_db, YEAR, line.subject, None)
    view = procedure_view.cell_view(full_demo_db, YEAR, cell_id)
    pending = [m for m in view.members if m.votes and m.proposed_level is None]
    assert len(pending) == 3
    me = pending[0]
    full_window.settings.set("operator_member_id", me.member_id)
    full_window.open_cell(cell_id)
    asked: list[str] = []

    def refuse(_parent, _title, text, _action="Đồng ý") -> bool:  # type: ignore[no-untyped-def]
        asked.append(text)
        return False

    monkeypatch.setattr(ask, "confirm", refuse)
    full_window.evaluation.cell.voting._take_suggestions()
    assert len(asked) == 1 and "mức đề xuất" in asked[0]
    after = procedure_view.cell_view(full_demo_db, YEAR, cell_id)
    assert after.member(me.member_id).proposed_level is None  # declined: not saved
    others = [after.member(m.member_id) for m in pending[1:]]
    assert all(m.proposed_level == m.suggested_level for m in others)  # the rest were taken
    assert full_window.evaluation.cell.banner.text().startswith("Chưa lưu")
