"""Quarterly ratings through the services (issue 24): a post holder's four quarters stored
and read back, the year drawn from them shown on the cell's page with its rule in words, the
check's warning when the year's level is above it, refusals that name the quarter and write
nothing, members the rule set does not rate by quarter, the cell's locks and the audit log."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from app.domain.procedure import CellStep
from app.domain.quarters import QuarterRating
from app.services.common.errors import LockedError, ServiceError, ValidationError
from app.services.procedure import quarters
from app.services.procedure import steps as procedure_steps
from app.services.procedure import view as procedure_view
from app.services.safekeeping import audit
from app.store.database import Database
from app.store.models import OrgEvaluation, QuarterRecord
from tests.services.procedure.criteria_support import (
    YEAR,
    first_cell,
    open_period,
    plain_member,
    post_holder,
)

FOUR = [
    QuarterRating(1, self_score=95, superior_score=92),
    QuarterRating(2, self_score=90, superior_score=88, note="vắng 1 buổi họp giao ban"),
    QuarterRating(3, self_score=88, superior_score=85),
    QuarterRating(4, self_score=92, superior_score=90),
]
DERIVED = "(92 + 88 + 85 + 90) : 4 = 88,75 điểm, đạt mức Hoàn thành tốt nhiệm vụ"


@pytest.fixture
def period_db(any_db: Database) -> Database:
    return open_period(any_db)


def stored(db: Database) -> list[tuple]:
    with db.session() as session:
        return [
            (r.member_id, r.quarter, r.self_score, r.superior_score, r.note)
            for r in session.scalars(select(QuarterRecord).order_by(QuarterRecord.id))
        ]


def test_four_quarters_give_the_year_shown_on_the_cells_page_in_words(period_db: Database) -> None:
    db = period_db
    cell = first_cell(db)
    holder = post_holder(db, cell)
    sheet = quarters.quarter_sheet(db, YEAR, holder.member_id)
    assert sheet.applies and sheet.entered == 0 and sheet.score_max == 100
    assert [r.quarter for r in sheet.ratings] == [1, 2, 3, 4]

    sheet = quarters.enter_quarters(db, YEAR, holder.member_id, FOUR, actor="Lò Thị Hoa")
    assert sheet.entered == 4
    assert sheet.ratings[1].note == "vắng 1 buổi họp giao ban"
    derived = sheet.derivation
    assert derived is not None and derived.level == "HTTNV"
    assert DERIVED in derived.words

    line = procedure_view.cell_view(db, YEAR, cell).member(holder.member_id)
    assert line.quarterly_level == "HTTNV"
    assert line.quarterly.startswith("Kết quả năm theo quý (điểm bình quân của các quý")
    assert DERIVED in line.quarterly

    # A proposal above what the quarters give is a warning on the page, explained.
    procedure_steps.set_proposal(db, YEAR, holder.subject, "HTXSNV")
    view = procedure_view.cell_view(db, YEAR, cell)
    [finding] = [f for f in view.findings_for(holder.subject) if f.check == "quarterly"]
    assert finding.severity == "warning" and finding.level == "HTTNV"
    assert DERIVED in finding.message

    [entry] = [e for e in audit.entries(db) if e.action == "danh_gia_theo_quy"]
    assert entry.actor == "Lò Thị Hoa"
    assert entry.summary.startswith(f"{holder.full_name}: đánh giá theo quý năm {YEAR} — ")
    assert entry.before == {}
    assert entry.after["Quý II"] == {
        "tự chấm": 90, "cấp trên chấm": 88, "ghi chú": "vắng 1 buổi họp giao ban"
    }  # fmt: skip

    # Entering the same again logs nothing; clearing removes the rows and the words.
    quarters.enter_quarters(db, YEAR, holder.member_id, FOUR)
    assert len([e for e in audit.entries(db) if e.action == "danh_gia_theo_quy"]) == 1
    quarters.enter_quarters(db, YEAR, holder.member_id, [])
    assert stored(db) == []
    assert procedure_view.cell_view(db, YEAR, cell).member(holder.member_id).quarterly == ""


def test_a_wrong_value_refuses_the_whole_year_naming_the_quarter(period_db: Database) -> None:
    db = period_db
    holder = post_holder(db, first_cell(db))
    quarters.enter_quarters(db, YEAR, holder.member_id, FOUR)
    before = stored(db)
    wrong = [*FOUR[:2], QuarterRating(3, superior_score=120), QuarterRating(4, self_level="XYZ")]
    with pytest.raises(ValidationError) as caught:
        quarters.enter_quarters(db, YEAR, holder.member_id, wrong)
    assert str(caught.value) == (
        "Quý III, cấp trên chấm: điểm phải từ 0 đến 100; Quý IV, tự chấm: không có mức “XYZ”"
    )
    assert stored(db) == before


def test_a_member_without_a_post_is_not_rated_by_quarter(period_db: Database) -> None:
    db = period_db
    plain = plain_member(db, first_cell(db))
    sheet = quarters.quarter_sheet(db, YEAR, plain.member_id)
    assert not sheet.applies
    assert "không giữ chức vụ" in sheet.not_applied_reason
    with pytest.raises(ServiceError, match="không giữ chức vụ"):
        quarters.enter_quarters(db, YEAR, plain.member_id, FOUR)
    assert stored(db) == []


def test_a_submitted_or_decided_cell_refuses(period_db: Database) -> None:
    db = period_db
    cell = first_cell(db)
    holder = post_holder(db, cell)
    quarters.enter_quarters(db, YEAR, holder.member_id, FOUR)
    before = stored(db)
    for step, locked, words in (
        (CellStep.SUBMITTED, False, "đã nộp kết quả"),
        (CellStep.DECIDED, True, "đã được quyết định và khóa"),
    ):
        with db.session() as session:
            session.execute(
                update(OrgEvaluation)
                .where(OrgEvaluation.org_id == cell)
                .values(step=step, locked=locked)
            )
        with pytest.raises(LockedError, match=words):
            quarters.enter_quarters(db, YEAR, holder.member_id, FOUR[:2])
        assert stored(db) == before
