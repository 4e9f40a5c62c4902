"""On the demo commune: the reason chooser when a low
level is proposed in the vote step or decided on the appraisal page, a member's stages side
by side, and the superior's decision on the commune's own level."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QTreeWidgetItem

from app.domain import clock
from app.domain.procedure import CellStep
from app.domain.rules import Subject
from app.services.periods import lifecycle as periods
from app.services.procedure import appraisal, low_reason_choice, stages
from app.services.procedure import board as procedure_board
from app.services.procedure import steps as procedure_steps
from app.services.procedure import view as procedure_view
from app.services.safekeeping import audit
from app.store.database import Database
from app.ui.common import ask
from app.ui.evaluation.appraisal import COLUMNS, LevelDialog
from app.ui.evaluation.low_reason_dialog import NO_REASON, LowReasonDialog
from app.ui.evaluation.stage_actions import ProvinceDecisionDialog
from app.ui.evaluation.stage_history import StageHistoryDialog
from app.ui.shell.main_window import MainWindow
from tests.gui.keyboard import type_text

SUBJECT = Qt.ItemDataRole.UserRole


def year_of(db: Database) -> int:
    return periods.list_periods(db)[-1].year


def cell_at(db: Database, year: int, step: CellStep) -> int:
    for row in procedure_board.board(db, year):
        view = procedure_view.cell_view(db, year, row.cell_id)
        if row.step is step and (step is not CellStep.VOTING or view.voters_present):
            return row.cell_id
    raise AssertionError(f"the demo has a cell at {step}")


def unexplained(db: Database, year: int, subjects: list[Subject], level: str) -> list[Subject]:
    """Members for whom the engine knows no reason for *level*: the user must say why."""
    return [
        s
        for s in subjects
        if (q := low_reason_choice.question(db, year, s, level)) is not None and q.asks
    ]


def grid_column(page, title: str) -> int:  # type: ignore[no-untyped-def]
    columns = page.grid.grid_model.columns
    return next(i for i, c in enumerate(columns) if c.title == title)


def grid_row(page, subject: Subject) -> int:  # type: ignore[no-untyped-def]
    return next(i for i, r in enumerate(page.grid.grid_model.rows) if r.subject == subject)


def test_proposing_khtnv_in_the_vote_grid_asks_the_reason(
    full_window: MainWindow, tmp_path: Path
) -> None:
    db = full_window.db
    year = year_of(db)
    cell = cell_at(db, year, CellStep.VOTING)
    full_window.open_cell(cell)
    procedure = full_window.evaluation.cell
    page = procedure.voting
    procedure.show_page(3)
    members = [m.subject for m in procedure.view.members if m.evaluated]
    first, second = unexplained(db, year, members, "KHTNV")[:2]
    model = page.grid.grid_model
    proposal, reason = grid_column(page, "Đề xuất"), grid_column(page, "Lý do")

    asked: list[QDialog] = []

    def pick_nv(dialog: QDialog) -> bool:
        assert isinstance(dialog, LowReasonDialog)
        asked.append(dialog)
        combo = dialog.picker.combo
        items = [combo.itemData(i) for i in range(combo.count())]
        assert items == ["HC", "NV", "KHAC"]  # KHTNV: a reason is required, no "none"
        assert "yêu cầu ghi lý do" in dialog.picker.heading.text()
        dialog.choose("NV")
        assert dialog.picker.citation.text().startswith("Căn cứ: Quy định 366-QĐ/TW")
        dialog.show()
        dialog.grab().save(str(tmp_path / "danhgia-low-reason-chooser.png"))
        return True

    procedure.run_dialog = pick_nv
    model.setData(model.index(grid_row(page, first), proposal), "KHTNV")
    assert len(asked) == 1
    assert not procedure.banner.isVisible(), procedure.banner.text()
    line = procedure.view.member(first.id)
    assert (line.proposed_level, line.low_reason) == ("KHTNV", "NV")
    shown = model.index(grid_row(page, first), reason)
    assert model.data(shown).startswith("Chưa hoàn thành đầy đủ chức trách")  # words, not "NV"
    tip = model.data(shown, Qt.ItemDataRole.ToolTipRole)
    assert "NV: Chưa hoàn thành đầy đủ chức trách" in tip and "Căn cứ:" in tip

    # Cancelled: nothing saved, nothing logged, the grid shows the old level.
    before = procedure.view.member(second.id).proposed_level
    entries = len(audit.entries(db))
    procedure.run_dialog = lambda dialog: False
    model.setData(model.index(grid_row(page, second), proposal), "KHTNV")
    assert procedure.view.member(second.id).proposed_level == before
    assert len(audit.entries(db)) == entries
    assert model.data(model.index(grid_row(page, second), proposal)) == (before or "—")

    # HTNV: the reason is offered but may be left out.
    optional = unexplained(db, year, [second], "HTNV")
    assert optional == [second]

    def leave_out(dialog: QDialog) -> bool:
        assert isinstance(dialog, LowReasonDialog)
        assert dialog.picker.combo.itemText(0) == NO_REASON
        assert "không bắt buộc" in dialog.picker.heading.text()
        dialog.picker.combo.setCurrentIndex(0)
        return True

    procedure.run_dialog = leave_out
    model.setData(model.index(grid_row(page, second), proposal), "HTNV")
    line = procedure.view.member(second.id)
    assert (line.proposed_level, line.low_reason) == ("HTNV", "")


def member_item(page, subject: Subject) -> QTreeWidgetItem:  # type: ignore[no-untyped-def]
    tree = page.tree
    for i in range(tree.topLevelItemCount()):
        top = tree.topLevelItem(i)
        for j in range(top.childCount()):
            if top.child(j).data(0, SUBJECT) == subject:
                return top.child(j)
    raise AssertionError(subject)


def test_deciding_a_low_level_on_the_appraisal_page_asks_the_reason(
    full_window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    db = full_window.db
    year = year_of(db)
    cell = cell_at(db, year, CellStep.SUBMITTED)
    view = procedure_view.cell_view(db, year, cell)
    members = [m.subject for m in view.members if m.evaluated and m.proposed_level != "KHTNV"]
    first, second = unexplained(db, year, members, "KHTNV")[:2]
    full_window.show_appraisal()
    page = full_window.evaluation.appraisal
    warnings: list[str] = []
    monkeypatch.setattr(ask, "warn", lambda _p, _t, text, _d="": warnings.append(text))

    def decide(dialog: QDialog) -> bool:
        assert isinstance(dialog, LevelDialog)
        dialog.level.setCurrentIndex(dialog.level.findData("KHTNV"))
        picker = dialog.low_reason
        assert not picker.isHidden()
        codes = [picker.combo.itemData(i) for i in range(picker.combo.count())]
        assert codes == ["HC", "NV", "KHAC"]
        dialog.choose_reason("HC")
        type_text(dialog.reason, "Không khắc phục khuyết điểm đã được chỉ ra năm trước")
        # HTNV offers the reason as optional; a good level hides it.
        dialog.level.setCurrentIndex(dialog.level.findData("HTNV"))
        assert picker.combo.itemText(0) == NO_REASON
        dialog.level.setCurrentIndex(dialog.level.findData("HTTNV"))
        assert picker.isHidden()
        dialog.level.setCurrentIndex(dialog.level.findData("KHTNV"))
        dialog.choose_reason("HC")
        dialog.show()
        dialog.grab().save(str(tmp_path / "danhgia-low-reason-decision.png"))
        return True

    page.tree.setCurrentItem(member_item(page, first))
    page.run_dialog = decide  # type: ignore[method-assign]
    page.change_selected()
    assert warnings == []
    row = next(r for r in stages.stage_rows(db, year, cell) if r.subject == first)
    assert (row.level("decided"), row.low_reason) == ("KHTNV", "HC")
    item = member_item(page, first)
    column = COLUMNS.index("Lý do")
    assert item.text(column) == "Còn hạn chế, khuyết điểm chưa khắc phục"  # words, not "HC"
    assert "HC: Còn hạn chế, khuyết điểm chưa khắc phục" in item.toolTip(column)
    assert item.text(COLUMNS.index("Đảng ủy quyết định")).startswith("KHTNV")

    # Cancelled: the decision stays as it was.
    before = next(r for r in stages.stage_rows(db, year, cell) if r.subject == second)
    page.tree.setCurrentItem(member_item(page, second))
    page.run_dialog = lambda dialog: False  # type: ignore[method-assign]
    page.change_selected()
    after = next(r for r in stages.stage_rows(db, year, cell) if r.subject == second)
    assert after == before


def test_the_history_shows_every_stage_of_a_member(
    full_window: MainWindow, full_demo_db: Database, tmp_path: Path
) -> None:
    db = full_demo_db
    year = year_of(db)
    cell = cell_at(db, year, CellStep.VOTING)
    view = procedure_view.cell_view(db, year, cell)
    member = next(m for m in view.members if m.evaluated and m.votes)
    procedure_steps.save_self_review(
        db, year, member.member_id,
        procedure_steps.SelfReview(level="HTXSNV", score_general=29, score_tasks=66,
                                   all_tasks_on_time=True, tasks_exceeded_share=0.4,
                                   shortcomings_remedied=True),
        "Bí thư chi bộ",
    )  # fmt: skip
    procedure_steps.save_votes(db, year, member.subject, {"HTTNV": view.voters_present}, "Tổ KP")
    procedure_steps.set_proposal(db, year, member.subject, "HTNV", "Chưa gương mẫu",
                                 actor="Bí thư chi bộ", reason="HC")  # fmt: skip
    procedure_steps.advance(db, year, cell, "Bí thư chi bộ")
    appraisal.accept_proposals(db, year, [cell], "Văn phòng Đảng ủy")
    appraisal.change_level(db, year, member.subject, "KHTNV", "Vi phạm chính sách dân số",
                           "Văn phòng Đảng ủy", low_reason="KHAC")  # fmt: skip

    full_window.show_appraisal()
    page = full_window.evaluation.appraisal
    page.tree.setCurrentItem(member_item(page, member.subject))
    shown: list[StageHistoryDialog] = []

    def look(dialog: QDialog) -> bool:
        assert isinstance(dialog, StageHistoryDialog)
        shown.append(dialog)
        dialog.show()
        dialog.grab().save(str(tmp_path / "danhgia-stage-history.png"))
        return False

    page.run_dialog = look  # type: ignore[method-assign]
    page.show_history()
    [dialog] = shown
    assert member.full_name in dialog.windowTitle()
    texts = dialog.stage_texts(year)
    assert texts["Tự xếp loại"][1:2] == ("HTXSNV",)
    vote = texts["Kết quả biểu quyết"]
    assert vote[1] == "HTTNV"
    assert vote[2].startswith(f"{view.voters_present}/{view.voters} phiếu (")
    assert texts["Chi bộ đề xuất"][1:4] == ("HTNV", "Chưa gương mẫu", "Bí thư chi bộ")
    decided = texts["Đảng ủy quyết định"]
    assert decided[1:4] == ("KHTNV", "Vi phạm chính sách dân số", "Văn phòng Đảng ủy")
    assert decided[4].endswith(clock.today().strftime("%d/%m/%Y"))
    assert texts["Lý do mức thấp"][1:3] == ("", "Lý do khác (ghi rõ trong ghi chú)")  # no code
    # Earlier years are there too, each under its own rule set.
    assert len(dialog.years) > 1 and dialog.years[1].year < year


def test_the_superiors_decision_on_the_commune_is_a_stage_of_its_own(
    full_window: MainWindow,
) -> None:
    db = full_window.db
    year = year_of(db)
    full_window.show_appraisal()
    page = full_window.evaluation.appraisal
    top = page.tree.topLevelItem(0)
    assert top.text(0).endswith("— cấp trên quyết định")
    commune = top.data(0, SUBJECT)
    column = COLUMNS.index("Tỉnh ủy quyết định")
    assert top.text(column) == ""

    def fill(dialog: QDialog) -> bool:
        assert isinstance(dialog, ProvinceDecisionDialog)
        dialog.level.setCurrentIndex(dialog.level.findData("HTTNV"))
        dialog.decided_on.setText(f"20/01/{year + 1}")
        type_text(dialog.note, "Quyết định số 125-QĐ/TU của Ban Thường vụ Tỉnh ủy")
        return True

    page.run_dialog = fill  # type: ignore[method-assign]
    page.record_province()
    top = page.tree.topLevelItem(0)
    assert top.data(0, SUBJECT) == commune and top.text(column) == "HTTNV"
    assert "125-QĐ/TU" in top.toolTip(column)
    decision = stages.province_decision(db, year, commune.id)
    assert decision.level == "HTTNV" and decision.decided_on == dt.date(year + 1, 1, 20)
    row = next(r for r in stages.stage_rows(db, year, commune.id) if r.subject == commune)
    assert row.level("province") == "HTTNV" and row.level("decided") is None  # not overwritten

    # A date that is not one is refused in the form, nothing recorded.
    def bad_date(dialog: QDialog) -> bool:
        assert isinstance(dialog, ProvinceDecisionDialog)
        dialog.decided_on.setText("31/02/2027")
        dialog._accept()
        assert "Ngày quyết định" in dialog.message.text()
        return False

    page.run_dialog = bad_date  # type: ignore[method-assign]
    page.record_province()
    assert stages.province_decision(db, year, commune.id) == decision
