"""The marks beside the cells in the tree: each cell's step, as the board shows it."""

from __future__ import annotations

import pytest

from app.services.common.errors import NotFound
from app.services.periods import lifecycle as periods
from app.services.procedure import board as procedure_board
from app.services.procedure import cell_marks
from app.store.database import Database


def test_every_cell_has_the_step_the_board_shows(any_full_demo_db: Database) -> None:
    years = periods.list_periods(any_full_demo_db)
    assert len(years) == 6  # 2021–2025 decided, the year under way
    for period in years:
        board = {
            row.cell_id: row.step for row in procedure_board.board(any_full_demo_db, period.year)
        }
        assert board, period.year
        assert cell_marks.cell_steps(any_full_demo_db, period.year) == board


def test_a_year_without_a_period_is_not_found(any_full_demo_db: Database) -> None:
    with pytest.raises(NotFound):
        cell_marks.cell_steps(any_full_demo_db, 1999)
