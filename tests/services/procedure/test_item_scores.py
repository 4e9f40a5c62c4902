"""Scores item by item (issue 24, second slice): the criteria sets to choose from, a period's
choice kept as text, a subject's entries at a stage stored and read back, a wrong value or a
locked cell refused with nothing written, the typed totals refused while items exist, the
chi ủy's assessment counting over the self-review, and the audit log."""

from __future__ import annotations

from fractions import Fraction

import pytest
from sqlalchemy import select

from app import paths
from app.domain.criteria import ItemEntry
from app.domain.procedure import CellStep
from app.domain.rules import Subject
from app.services.common.errors import LockedError, ServiceError, ValidationError
from app.services.periods import criteria_sets, item_sheets
from app.services.periods import lifecycle as periods
from app.services.periods import rule_sets as rulesets
from app.services.procedure import commune_review, item_scores
from app.services.procedure import steps as procedure_steps
from app.services.procedure import view as procedure_view
from app.services.safekeeping import audit
from app.store.database import Database
from app.store.models import ItemScore, OrgEvaluation
from tests.services.procedure.criteria_support import (
    EDITED,
    ENTRIES,
    MEMBERS,
    YEAR,
    first_cell,
    line,
    open_period,
    plain_member,
    write_copy,
)
from tests.unit.criteria.helpers import changed

A2 = "Mục A.2 «Chấp hành chủ trương, đường lối»"


@pytest.fixture
def period_db(any_db: Database) -> Database:
    return open_period(any_db)


@pytest.fixture
def scored_db(period_db: Database) -> Database:
    """The period scored by the province's copy."""
    write_copy()
    item_scores.choose_criteria(period_db, YEAR, "tinh-thu-2025")
    return period_db


def stored_rows(db: Database) -> list[tuple[str, int, str, str, str, str]]:
    with db.session() as session:
        return [
            (r.subject_kind, r.subject_id, r.stage, r.item_key, r.value, r.note)
            for r in session.scalars(select(ItemScore).order_by(ItemScore.id))
        ]


def set_cell(db: Database, cell_id: int, **values: object) -> None:
    with db.session() as session:
        row = session.scalar(
            select(OrgEvaluation).where(
                OrgEvaluation.org_id == cell_id, OrgEvaluation.subject == "org"
            )
        )
        assert row is not None
        for name, value in values.items():
            setattr(row, name, value)


def test_values_are_kept_exactly() -> None:
    for value, text in ((True, "true"), (False, "false"), (12, "12"), (7.5, "7.5"),
                        (Fraction(1, 3), "1/3"), (Fraction(1, 40), "0.025"), (0, "0")):  # fmt: skip
        assert item_sheets.value_text(value) == text
        assert item_sheets.read_value(text) == value


def test_the_sets_to_choose_are_the_shipped_and_the_provinces_copies() -> None:
    assert paths.criteria_dir() == paths.data_dir() / "criteria"
    rs = rulesets.get("qd366-2025")
    listing = criteria_sets.available(YEAR, rs)
    assert [(c.id, c.province, c.usable) for c in listing.choices] == [("qd366-2025", False, True)]
    write_copy()
    # A copy of the province's own that does not add up to the rule set's 30 + 70.
    other = changed(
        MEMBERS,
        ('id = "tinh-thu-2025"', 'id = "tinh-khac"'),
        ('based_on = "qd366-2025"\n', ""),
        ("total = 100", "total = 50"),
        ("points = 70", "points = 20"),
        ("points = 40", "points = 10"),
        ("points = 30\nscoring", "points = 10\nscoring"),
    )
    (paths.criteria_dir() / "khac.toml").write_text(other, encoding="utf-8")
    (paths.criteria_dir() / "hong.toml").write_text('format = 1\nid = "hong"\n', "utf-8")
    listing = criteria_sets.available(YEAR, rs)
    assert [(c.id, c.province, c.usable) for c in listing.choices] == [
        ("tinh-khac", True, False),
        ("tinh-thu-2025", True, True),
    ]
    assert "chấm trên 50 điểm" in listing.choices[0].mismatches[0]
    assert any("hong.toml" in error for error in listing.errors)
    # Without a year every set is listed, the shipped one too.
    assert "qd366-2025" not in {c.id for c in criteria_sets.available(None).choices}


def test_a_period_keeps_the_chosen_text_and_refuses_a_set_that_does_not_fit(
    period_db: Database,
) -> None:
    db = period_db
    assert criteria_sets.period_criteria(db, YEAR) is None
    with pytest.raises(ServiceError, match="Không có bộ tiêu chí “tinh-thu-2025”"):
        item_scores.choose_criteria(db, YEAR, "tinh-thu-2025")
    path = write_copy(changed(MEMBERS, ("first_year = 2025", "first_year = 2027")))
    with pytest.raises(ServiceError, match="không áp dụng cho năm 2026"):
        item_scores.choose_criteria(db, YEAR, "tinh-thu-2025")
    path.write_text(MEMBERS, encoding="utf-8")
    chosen = item_scores.choose_criteria(db, YEAR, "tinh-thu-2025", actor="Lò Thị Hoa")
    assert chosen is not None and chosen.criteria.name == "Bộ tiêu chí thử của tỉnh"
    path.unlink()  # the period does not need the file any more
    kept = criteria_sets.period_criteria(db, YEAR)
    assert kept is not None and kept.criteria.id == "tinh-thu-2025"
    [entry] = [e for e in audit.entries(db, entity="period") if e.action == "chon_bo_tieu_chi"]
    assert entry.actor == "Lò Thị Hoa"
    assert entry.summary == "Kỳ đánh giá năm 2026 chấm điểm theo: Bộ tiêu chí thử của tỉnh"
    assert entry.before == {"criteria_id": None, "text": ""}
    # Back to typed totals: nothing is scored item by item yet, so it may.
    assert item_scores.choose_criteria(db, YEAR, None) is None
    assert criteria_sets.period_criteria(db, YEAR) is None


def test_without_a_criteria_set_totals_are_typed_and_items_refused(period_db: Database) -> None:
    db = period_db
    cell = first_cell(db)
    member = plain_member(db, cell)
    with pytest.raises(ServiceError, match="chưa chọn bộ tiêu chí chấm điểm"):
        item_scores.enter_item_scores(db, YEAR, member.subject, "self", ENTRIES)
    procedure_steps.save_self_review(
        db, YEAR, member.member_id, procedure_steps.SelfReview(score_general=26, score_tasks=58)
    )
    typed = line(db, cell, member.member_id)
    assert (typed.self_score_general, typed.self_score_tasks) == (26, 58)
    assert item_scores.subject_score(db, YEAR, member.subject).stage is None


def test_entries_round_trip_replace_and_are_logged(scored_db: Database) -> None:
    db = scored_db
    cell = first_cell(db)
    member = plain_member(db, cell)
    subject = member.subject
    item_scores.enter_item_scores(db, YEAR, subject, "self", ENTRIES, actor="Lò Thị Hoa")
    sheet = item_scores.item_sheet(db, YEAR, subject, "self")
    assert sheet.criteria_id == "tinh-thu-2025" and sheet.complete and sheet.entered == 5
    assert [(x.key, x.value, x.points, x.note) for x in sheet.lines] == [
        ("A.1", 12, 12, "dự đủ 12 kỳ sinh hoạt"),
        ("A.2", False, 0, ""),
        ("A.3", 8, 8, ""),
        ("B.1", 40, 40, ""),
        ("B.2", 30, 30, ""),
    ]
    assert (sheet.general, sheet.tasks, sheet.total, sheet.maximum) == (20, 70, 90, 100)
    assert f"{A2}: không đạt, 0/10 điểm." in sheet.explanation.splitlines()
    [entry] = [e for e in audit.entries(db, entity="member_evaluation") if e.action ==
               "cham_diem_tung_muc"]  # fmt: skip
    assert entry.actor == "Lò Thị Hoa" and entry.entity_id is not None
    assert entry.summary == (
        f"{member.full_name}: tự chấm từng mục theo “Bộ tiêu chí thử của tỉnh” — 90/100 điểm"
    )
    assert entry.before == {"items": {}, "self_score_general": None, "self_score_tasks": None}
    assert entry.after["items"]["A.1"] == {"value": "12", "note": "dự đủ 12 kỳ sinh hoạt"}
    assert entry.after["self_score_general"] == 20

    # Replaced by part of it: the general part is complete, the tasks part is not.
    part = {key: ENTRIES[key] for key in ("A.1", "A.2", "A.3", "B.1")}
    sheet = item_scores.enter_item_scores(db, YEAR, subject, "self", {**part, "B.2": None})
    assert (sheet.general, sheet.tasks, sheet.total) == (20, None, None)
    assert [x.key for x in sheet.lines if x.value is None] == ["B.2"]
    now = line(db, cell, member.member_id)
    assert (now.self_score_general, now.self_score_tasks) == (20, None)
    assert len(stored_rows(db)) == 4
    # Nothing changed, nothing logged.
    count = len(audit.entries(db))
    item_scores.enter_item_scores(db, YEAR, subject, "self", part)
    assert len(audit.entries(db)) == count


def test_a_wrong_value_is_refused_naming_the_item_and_nothing_is_written(
    scored_db: Database,
) -> None:
    db = scored_db
    subject = plain_member(db, first_cell(db)).subject
    item_scores.enter_item_scores(db, YEAR, subject, "self", ENTRIES)
    rows, log = stored_rows(db), len(audit.entries(db))
    wrong = {**ENTRIES, "A.1": 3, "A.2": 7, "A.3": 5, "Z.9": 1}
    with pytest.raises(ValidationError) as caught:
        item_scores.enter_item_scores(db, YEAR, subject, "self", wrong)
    message = str(caught.value)
    assert f"{A2}: chấm đạt (10 điểm) hoặc không đạt (0 điểm), không chấm 7" in message
    assert "Mục A.3 «Tự phê bình và phê bình»: chỉ chấm một trong các mức 0; 4; 6; 8" in message
    assert "Mục Z.9: không có trong bảng" in message
    assert [p.field for p in caught.value.problems] == ["A.2", "A.3", "Z.9"]
    assert stored_rows(db) == rows and len(audit.entries(db)) == log
    with pytest.raises(ValidationError, match="số buổi"):
        item_scores.enter_item_scores(db, YEAR, subject, "self", {"A.1": -1})
    assert stored_rows(db) == rows


def test_typed_totals_are_refused_while_items_exist(scored_db: Database) -> None:
    db = scored_db
    cell = first_cell(db)
    member = plain_member(db, cell)
    item_scores.enter_item_scores(db, YEAR, member.subject, "self", ENTRIES)
    with pytest.raises(ValidationError, match="Điểm tiêu chí chung: đã chấm từng mục") as caught:
        procedure_steps.save_self_review(
            db, YEAR, member.member_id, procedure_steps.SelfReview(score_general=25, score_tasks=70)
        )
    assert [p.field for p in caught.value.problems] == ["score_general"]
    # The other fields of the self-review save as before; empty totals keep the items' sums.
    procedure_steps.save_self_review(
        db, YEAR, member.member_id, procedure_steps.SelfReview(level="HTXSNV", text="Tốt")
    )
    kept = line(db, cell, member.member_id)
    assert (kept.self_level, kept.self_score_general, kept.self_score_tasks) == ("HTXSNV", 20, 70)
    # Cleared, the totals are typed in again.
    item_scores.clear_item_scores(db, YEAR, member.subject, "self")
    assert (line(db, cell, member.member_id).self_score_general) is None
    procedure_steps.save_self_review(
        db, YEAR, member.member_id, procedure_steps.SelfReview(score_general=25, score_tasks=70)
    )
    assert line(db, cell, member.member_id).self_score_general == 25


def test_a_submitted_or_decided_cell_refuses(scored_db: Database) -> None:
    db = scored_db
    cell = first_cell(db)
    subject = plain_member(db, cell).subject
    item_scores.enter_item_scores(db, YEAR, subject, "self", ENTRIES)
    rows = stored_rows(db)
    set_cell(db, cell, step=CellStep.SUBMITTED)
    with pytest.raises(LockedError, match="đã nộp kết quả"):
        item_scores.enter_item_scores(db, YEAR, subject, "self", {"A.1": 1})
    with pytest.raises(LockedError, match="đã nộp kết quả"):
        item_scores.enter_item_scores(db, YEAR, subject, "chi_uy", ENTRIES)
    # Choosing the edited copy again would score this cell's entries anew: refused too.
    write_copy(EDITED)
    with pytest.raises(ValidationError, match="đã nộp kết quả"):
        item_scores.choose_criteria(db, YEAR, "tinh-thu-2025")
    set_cell(db, cell, step=CellStep.DECIDED, locked=True)
    with pytest.raises(LockedError, match="đã được quyết định và khóa"):
        item_scores.clear_item_scores(db, YEAR, subject, "self")
    assert stored_rows(db) == rows
    assert item_scores.item_sheet(db, YEAR, subject).total == 90  # the old text still


def test_the_chi_uys_assessment_counts_over_the_self_review(scored_db: Database) -> None:
    db = scored_db
    cell = first_cell(db)
    member = plain_member(db, cell)
    subject = member.subject
    procedure_steps.save_self_review(
        db, YEAR, member.member_id,
        procedure_steps.SelfReview(all_tasks_on_time=True, tasks_exceeded_share=0.5,
                                   shortcomings_remedied=True),
    )  # fmt: skip
    item_scores.enter_item_scores(db, YEAR, subject, "self", ENTRIES)
    # The chi ủy's assessment, not finished: the self-review still counts.
    item_scores.enter_item_scores(db, YEAR, subject, "chi_uy", {"A.1": 12, "A.2": False})
    assert item_scores.subject_score(db, YEAR, subject).stage == "self"
    assert line(db, cell, member.member_id).suggested_level == "HTXSNV"
    chi_uy = {**ENTRIES, "B.1": ItemEntry(35, "chậm hai việc")}
    item_scores.enter_item_scores(db, YEAR, subject, "chi_uy", chi_uy)
    score = item_scores.subject_score(db, YEAR, subject)
    assert (score.stage, score.general, score.tasks, score.total) == ("chi_uy", 20, 65, 85)
    assert "chi ủy chấm" in score.detail and "Ghi chú: chậm hai việc." in score.detail
    now = line(db, cell, member.member_id)
    # The self-review's own totals stay what the member scored.
    assert (now.self_score_general, now.self_score_tasks) == (20, 70)
    assert now.suggested_level == "HTTNV"
    assert "Mục B.1 «Nhiệm vụ chi bộ phân công»: 35/40 điểm." in now.suggestion_reason
    # An organisation is not assessed by the chi ủy item by item; only by itself.
    with pytest.raises(ServiceError, match="Chi ủy chấm điểm đảng viên"):
        item_scores.enter_item_scores(db, YEAR, Subject("org", cell), "chi_uy", {})


def test_a_cell_and_the_commune_score_themselves_on_the_shipped_set(
    period_db: Database,
) -> None:
    db = period_db
    item_scores.choose_criteria(db, YEAR, "qd366-2025")
    cell = first_cell(db)
    sheet = item_scores.enter_item_scores(db, YEAR, Subject("org", cell), "self",
                                          {"A.1": 26, "B.1": 60.5})  # fmt: skip
    assert (sheet.sheet_key, sheet.total) == ("pl1", Fraction(173, 2))
    view = procedure_view.cell_view(db, YEAR, cell)
    assert (view.cell.score_general, view.cell.score_tasks) == (26, 60.5)
    with pytest.raises(ValidationError, match="đã chấm từng mục theo"):
        procedure_steps.save_cell_self_assessment(
            db, YEAR, cell, procedure_steps.CellSelfAssessment(level="HTTNV", score_general=30)
        )
    procedure_steps.save_cell_self_assessment(
        db, YEAR, cell, procedure_steps.CellSelfAssessment(level="HTTNV", text="Tốt")
    )
    view = procedure_view.cell_view(db, YEAR, cell)
    assert (view.cell.self_level, view.cell.score_general, view.cell.score_tasks) == (
        "HTTNV", 26, 60.5,
    )  # fmt: skip
    # Points above the item's maximum are refused, naming the item.
    with pytest.raises(ValidationError, match=r"Mục B\.1 «Kết quả thực hiện nhiệm vụ được giao"):
        item_scores.enter_item_scores(db, YEAR, Subject("org", cell), "self", {"B.1": 71})

    [commune] = [s for s in commune_review.load(db, YEAR) if s.kind == "org"]
    subject = Subject("org", commune.org_id)
    item_scores.enter_item_scores(db, YEAR, subject, "self", {"A.1": 28, "B.1": 65})
    with pytest.raises(ValidationError, match="Điểm kết quả nhiệm vụ: đã chấm từng mục"):
        commune_review.save(db, YEAR, "org", commune_review.CommuneReview(score_tasks=60))
    commune_review.save(db, YEAR, "org", commune_review.CommuneReview(level="HTTNV"))
    [commune] = [s for s in commune_review.load(db, YEAR) if s.kind == "org"]
    assert (commune.review.score_general, commune.review.score_tasks) == (28, 65)


def test_freezing_a_cells_roster_again_clears_its_members_item_scores(
    scored_db: Database,
) -> None:
    db = scored_db
    cell = first_cell(db)
    member = plain_member(db, cell)
    item_scores.enter_item_scores(db, YEAR, member.subject, "self", ENTRIES)
    item_scores.enter_item_scores(db, YEAR, member.subject, "chi_uy", ENTRIES)
    periods.refreeze_cell(db, YEAR, cell)
    # As the rest of the self-review: the roster frozen again starts the cell afresh.
    assert stored_rows(db) == []
    assert line(db, cell, member.member_id).self_score_general is None
    assert item_scores.item_sheet(db, YEAR, member.subject).entered == 0
