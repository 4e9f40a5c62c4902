"""The quota simulator and the two tellers' entry as a user sees them on the demo commune."""

from __future__ import annotations

import os

from PySide6.QtWidgets import QSpinBox

from app.domain import clock
from app.domain.procedure import CellStep
from app.services.procedure import board as procedure_board
from app.services.procedure import double_tally as tally_double
from app.services.procedure import quota_simulator
from app.services.procedure import view as procedure_view
from app.store.database import Database
from app.ui.evaluation.cell.tally_entry import TallyEntryDialog
from app.ui.evaluation.quota_dialog import QuotaDialog

YEAR = clock.today().year  # the demo's year under way
SHOTS = os.environ.get("DANHGIA_SHOTS")  # a folder: save screenshots there to look at them


def _shot(widget: object, name: str) -> None:
    if SHOTS:
        widget.grab().save(os.path.join(SHOTS, name))  # type: ignore[attr-defined]


def test_the_simulator_states_the_limit_and_shows_a_change(full_demo_db: Database) -> None:
    source = quota_simulator.commune_input(full_demo_db, YEAR)
    dialog = QuotaDialog(source, "Đảng bộ xã Na Tông")
    dialog.resize(1000, 640)
    assert "làm tròn xuống" in dialog.limit.text() and "căn cứ:" in dialog.limit.text()
    assert dialog.table.rowCount() == len(dialog.base.candidates) > 0
    dialog.table.selectRow(0)
    dialog.lower_selected()
    assert dialog.current.used == dialog.base.used - 1
    assert dialog.effect.text().startswith("Nếu thay đổi") or "không làm thay đổi" in (
        dialog.effect.text()
    )
    _shot(dialog, "quota-simulator.png")
    dialog.reset()
    assert dialog.current.used == dialog.base.used


def _cell_at_vote(db: Database) -> int:
    for row in procedure_board.board(db, YEAR):
        view = procedure_view.cell_view(db, YEAR, row.cell_id)
        if row.step is CellStep.VOTING and view.meeting and view.meeting.ballots_returned:
            return row.cell_id
    raise AssertionError("no cell at its vote")


def _type_entry(dialog: TallyEntryDialog, teller: int, name: str, bump_first: bool) -> None:
    dialog.teller.setCurrentIndex(teller - 1)
    dialog.name.setText(name)
    collected = dialog.entry.ballots_collected or 0
    for index in range(len(dialog.entry.rows)):
        spins = [dialog.grid.cellWidget(index, c) for c in range(1, len(dialog.codes) + 1)]
        boxes = [s for s in spins if isinstance(s, QSpinBox) and s.isEnabled()]
        for box in boxes:
            box.setValue(0)
        top, invalid = boxes[0], boxes[-1]
        if bump_first and index == len(dialog.entry.rows) - 1:
            top.setValue(collected - 1)
            invalid.setValue(1)
        else:
            top.setValue(collected)
        assert dialog.check_row(index)
    assert dialog.save(), dialog.message.text()


def test_two_tellers_and_the_difference_view(full_demo_db: Database) -> None:
    cell = _cell_at_vote(full_demo_db)
    dialog = TallyEntryDialog(full_demo_db, YEAR, cell, lambda: "Thư ký")
    dialog.resize(1000, 640)
    # A row that does not add up is shown red and refused.
    first = dialog.grid.cellWidget(0, 1)
    assert isinstance(first, QSpinBox)
    first.setValue(999)
    assert not dialog.check_row(0)
    _type_entry(dialog, 1, "Lò Văn Pọm", bump_first=False)
    _type_entry(dialog, 2, "Quàng Thị Ín", bump_first=True)
    assert dialog.diff.rowCount() == 1
    assert dialog.diff.item(0, 0).text() == dialog.entry.rows[-1].name
    assert "1 dòng chưa khớp" in dialog.diff_state.text()
    assert not dialog.take_button.isEnabled()
    dialog.tabs.setCurrentIndex(1)
    _shot(dialog, "tally-differences.png")
    assert tally_double.agreed_state(full_demo_db, YEAR, cell) is False
