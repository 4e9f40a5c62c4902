"""Issue 16's acceptance in the window: a clerk records a reprimand for one member and a
three-month sick leave for another in the member dialog's "Quá trình"; the cell's rule findings
change; the records survive the members workbook and an exchange package."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from app.domain import clock
from app.domain.procedure import CellStep
from app.domain.vocabulary import DisciplineForm, PeriodKind
from app.services.exchange import package as exchange
from app.services.periods import lifecycle as periods
from app.services.procedure import board as procedure_board
from app.services.procedure import view as procedure_view
from app.services.roster import history, members, workbook
from app.settings import Settings
from app.store.database import Database
from app.ui.common.tasks import SyncRunner
from app.ui.roster.history_part import DisciplineEntryForm, PeriodForm
from app.ui.roster.member_dialog import MemberDialog
from app.ui.shell.main_window import MainWindow
from tests.gui.keyboard import type_text

TODAY = dt.date(clock.today().year, 11, 25)


@pytest.fixture
def commune_and_window(
    qtbot: QtBot, full_demo_template: Path, tmp_path: Path, settings: Settings
) -> Iterator[tuple[Database, MainWindow]]:
    """The commune's database, and a window on the cell's copy made from it beforehand."""
    commune_path, copy_path = tmp_path / "xa.sqlite", tmp_path / "chi-bo.sqlite"
    shutil.copyfile(full_demo_template, commune_path)
    shutil.copyfile(full_demo_template, copy_path)
    commune, copy = Database.open(commune_path), Database.open(copy_path)
    main = MainWindow(copy, settings, SyncRunner(), today=lambda: TODAY)
    qtbot.addWidget(main)
    main.resize(1366, 768)
    main.show()
    qtbot.waitExposed(main)
    yield commune, main
    commune.close()
    copy.close()


def record_in_the_dialog(window: MainWindow, member_id: int, entry: str, year: int) -> None:
    """Open the member dialog, add one history row in its "Quá trình" tab, close the dialog."""

    def answer(dialog: QDialog) -> bool:
        if isinstance(dialog, MemberDialog):
            dialog.tabs.setCurrentIndex(1)
            part = dialog.tabs.widget(1)
            table = part.disciplines if entry == "reprimand" else part.periods
            table.add_button.click()
            return False  # the rows are saved on their own; the form is left as it was
        if isinstance(dialog, DisciplineEntryForm):
            dialog.form_box.setCurrentIndex(dialog.form_box.findData(DisciplineForm.REPRIMAND))
            dialog.decided_on.setText(f"10/03/{year}")
            type_text(dialog.decided_by, "Ủy ban Kiểm tra Đảng ủy xã")
            type_text(dialog.reason, "Không đóng đảng phí 4 tháng")
        else:
            assert isinstance(dialog, PeriodForm)
            dialog.kind.setCurrentIndex(dialog.kind.findData(PeriodKind.SICK_LEAVE))
            dialog.start_on.setText(f"01/02/{year}")
            dialog.end_on.setText(f"01/05/{year}")
            type_text(dialog.note, "Giấy ra viện của Bệnh viện tỉnh")
        dialog._accept()
        assert dialog.message.text() == ""
        return dialog.result() == QDialog.DialogCode.Accepted

    window.run_dialog = answer  # type: ignore[method-assign]
    window.edit_member(members.get_member(window.db, member_id, TODAY))


def findings_about(window: MainWindow, year: int, cell: int, member_id: int) -> list[str]:
    view = procedure_view.cell_view(window.db, year, cell)
    return [f.message for f in view.findings if f.subject.id == member_id]


def test_history_entered_in_the_window_changes_the_findings_and_travels(
    commune_and_window: tuple[Database, MainWindow], tmp_path: Path, db: Database
) -> None:
    commune, window = commune_and_window
    year = periods.list_periods(window.db)[-1].year
    cell = next(
        r.cell_id
        for r in procedure_board.board(window.db, year)
        if r.step is CellStep.VOTING
        and sum(1 for m in procedure_view.cell_view(window.db, year, r.cell_id).members
                if m.proposed_level in ("HTTNV", "HTXSNV")) >= 2
    )  # fmt: skip
    good = [
        m
        for m in procedure_view.cell_view(window.db, year, cell).members
        if m.proposed_level in ("HTTNV", "HTXSNV")
    ]
    disciplined, sick = good[0], good[1]
    assert not [f for f in findings_about(window, year, cell, disciplined.member_id)
                if "kỷ luật" in f]  # fmt: skip
    assert not [f for f in findings_about(window, year, cell, sick.member_id) if "nghỉ ốm" in f]

    record_in_the_dialog(window, disciplined.member_id, "reprimand", year)
    record_in_the_dialog(window, sick.member_id, "sick leave", year)

    window.open_cell(cell)
    page_findings = [f.message for f in window.evaluation.cell.view.findings]
    assert any(disciplined.full_name in f and "khiển trách" in f for f in page_findings), (
        page_findings
    )
    assert any(sick.full_name in f and "nghỉ ốm" in f for f in page_findings), page_findings

    # The members workbook: exported, then imported into an empty database, the same records.
    book = tmp_path / "dang-vien.xlsx"
    workbook.export_members(window.db, book, TODAY)
    workbook.import_members(db, book, TODAY)

    def by_code(source: Database, member_id: int) -> history.MemberHistory:
        code = members.get_member(source, member_id, TODAY).code
        found = next(m for m in members.list_members(db, TODAY) if m.code == code)
        return history.member_history(db, found.id)

    def plain(records: history.MemberHistory) -> tuple[set[object], set[object]]:
        return (
            {(p.kind, p.start_on, p.end_on, p.note) for p in records.periods},
            {(d.form, d.decided_on, d.decided_by, d.reason, d.erased_on)
             for d in records.disciplines},
        )  # fmt: skip

    for person in (disciplined, sick):
        assert plain(by_code(window.db, person.member_id)) == plain(
            history.member_history(window.db, person.member_id)
        )

    # The exchange package: the cell's copy (voting still) to the commune.
    info = exchange.export_package(window.db, year, cell, tmp_path / "goi.dgx", actor="Bí thư")
    plan = exchange.plan_import(commune, exchange.read_package(info.path))
    assert not plan.blocked, plan.describe()
    exchange.apply_package(commune, plan, actor="Văn phòng Đảng ủy")
    for person in (disciplined, sick):
        assert plain(history.member_history(commune, person.member_id)) == plain(
            history.member_history(window.db, person.member_id)
        )


def test_a_cells_chi_uy_is_disciplined_in_the_organisation_dialog(
    qtbot: QtBot, full_demo_db: Database
) -> None:
    from app.ui.roster.history_part import org_discipline_part

    year = periods.list_periods(full_demo_db)[-1].year
    cell = procedure_board.board(full_demo_db, year)[0].cell_id
    answers: list[str] = []

    def answer(dialog: QDialog) -> bool:
        assert isinstance(dialog, DisciplineEntryForm)
        dialog.whom.setCurrentIndex(dialog.whom.findData(True))
        dialog.form_box.setCurrentIndex(dialog.form_box.findData(DisciplineForm.WARNING))
        dialog.decided_on.setText(f"31/02/{year}")  # no such day: refused in the form
        dialog._accept()
        answers.append(dialog.message.text())
        dialog.decided_on.setText(f"02/04/{year}")
        type_text(dialog.reason, "Buông lỏng lãnh đạo")
        dialog._accept()
        return dialog.result() == QDialog.DialogCode.Accepted

    part = org_discipline_part(full_demo_db, cell, TODAY, "Văn phòng", answer)
    qtbot.addWidget(part)
    part.add_button.click()
    assert answers[0].startswith("Chưa lưu được: Ngày quyết định:")
    assert part.table.item(0, 0).text() == "Cấp ủy"
    assert part.table.item(0, 1).text() == "Cảnh cáo"
    saved = history.org_disciplines(full_demo_db, cell)
    assert (saved[0].of_collective, saved[0].reason) == (True, "Buông lỏng lãnh đạo")
