"""A save to the operator's own record is logged with its own action, in the
same unit of work as the save."""

from __future__ import annotations

import datetime as dt

import pytest

from app.services.common.errors import ValidationError
from app.services.periods import lifecycle as periods
from app.services.periods import rule_sets as rulesets
from app.services.procedure import board as procedure_board
from app.services.procedure import steps as procedure_steps
from app.services.procedure import view as procedure_view
from app.services.roster import own_record
from app.services.safekeeping import audit
from app.store.database import Database

YEAR = 2026


@pytest.fixture
def period_db(any_db: Database) -> Database:
    periods.create_period(any_db, YEAR, rulesets.get("qd366-2025"), dt.date(YEAR, 12, 31))
    return any_db


def _member(db: Database) -> tuple[int, str]:
    cell_id = procedure_board.board(db, YEAR)[0].cell_id
    line = next(m for m in procedure_view.cell_view(db, YEAR, cell_id).members if m.evaluated)
    return line.member_id, line.full_name


def test_the_save_and_its_own_log_entry_are_written_together(period_db: Database) -> None:
    member_id, name = _member(period_db)
    own_record.save_own(
        period_db, YEAR, member_id, "bản tự kiểm điểm",
        lambda: procedure_steps.save_self_review(
            period_db, YEAR, member_id, procedure_steps.SelfReview(level="HTXSNV"), "Lò Văn Pọm"
        ),
        actor="Lò Văn Pọm",
    )  # fmt: skip
    entries = audit.entries(period_db, entity="member_evaluation")
    assert [e.action for e in entries[-2:]] == ["tu_kiem_diem", own_record.ACTION]
    assert entries[-1].summary == (
        f"{name} tự sửa bản tự kiểm điểm trong hồ sơ đánh giá của chính mình"
    )
    assert entries[-1].actor == "Lò Văn Pọm"
    assert audit.verify_chain(period_db) == []


def test_a_refused_save_logs_nothing(period_db: Database) -> None:
    member_id, _ = _member(period_db)
    before = len(audit.entries(period_db))
    with pytest.raises(ValidationError):
        own_record.save_own(
            period_db, YEAR, member_id, "bản tự kiểm điểm",
            lambda: procedure_steps.save_self_review(
                period_db, YEAR, member_id, procedure_steps.SelfReview(level="XYZ")
            ),
        )  # fmt: skip
    assert len(audit.entries(period_db)) == before
    assert own_record.member_name(period_db, member_id) is not None
    assert own_record.member_name(period_db, None) is None
