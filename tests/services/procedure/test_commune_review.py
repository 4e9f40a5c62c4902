"""The leading collectives as subjects of the procedure (issue 16, item 2): a cell's chi ủy
assesses itself, is voted on and proposed with its cell; the commune's own đảng bộ and its
standing committee assess themselves, are voted on at the đảng ủy's conference and proposed to
the province, which decides."""

from __future__ import annotations

import datetime as dt

import pytest

from app.domain.procedure import CellStep
from app.domain.rules import Subject
from app.services.common.errors import ValidationError
from app.services.periods import lifecycle as periods
from app.services.periods import rule_sets as rulesets
from app.services.periods import validation
from app.services.procedure import board as procedure_board
from app.services.procedure import commune_review, stages
from app.services.procedure import steps as procedure_steps
from app.services.procedure import view as procedure_view
from app.services.procedure.commune_review import CommuneReview
from app.services.procedure.levels import LockedError
from app.services.safekeeping import audit
from app.store.database import Database

YEAR = 2026


@pytest.fixture
def period_db(any_db: Database) -> Database:
    periods.create_period(any_db, YEAR, rulesets.get("qd366-2025"), dt.date(YEAR, 12, 31))
    return any_db


def cell_with_chi_uy(db: Database) -> int:
    for row in procedure_board.board(db, YEAR):
        if procedure_view.cell_view(db, YEAR, row.cell_id).collective is not None:
            return row.cell_id
    raise AssertionError("the demo has no cell with a chi ủy")


def test_a_cell_cannot_leave_self_review_before_its_chi_uy_has_assessed_itself(
    period_db: Database,
) -> None:
    db = period_db
    cell = cell_with_chi_uy(db)
    procedure_steps.advance(db, YEAR, cell)
    view = procedure_view.cell_view(db, YEAR, cell)
    for line in view.members:
        if line.evaluated:
            procedure_steps.save_self_review(
                db, YEAR, line.member_id,
                procedure_steps.SelfReview(level="HTTNV", score_general=26, score_tasks=58),
            )  # fmt: skip
    procedure_steps.save_cell_self_assessment(
        db, YEAR, cell, procedure_steps.CellSelfAssessment(level="HTTNV", text="Tốt")
    )
    with pytest.raises(procedure_steps.StepBlocked, match="chi ủy chưa tự đánh giá"):
        procedure_steps.advance(db, YEAR, cell)

    procedure_steps.save_cell_self_assessment(
        db, YEAR, cell,
        procedure_steps.CellSelfAssessment(level="HTXSNV", text="Chi ủy đoàn kết, sâu sát."),
        "Bí thư", kind="collective",
    )  # fmt: skip
    assert procedure_steps.advance(db, YEAR, cell) is CellStep.MEETING
    chi_uy = procedure_view.cell_view(db, YEAR, cell).collective
    assert chi_uy is not None
    assert (chi_uy.self_level, chi_uy.self_assessment) == ("HTXSNV", "Chi ủy đoàn kết, sâu sát.")
    # The cell's own assessment is untouched, and the log names the chi ủy.
    assert procedure_view.cell_view(db, YEAR, cell).cell.self_level == "HTTNV"
    entries = audit.entries(db)
    assert any(e.summary == "Chi ủy tự đánh giá tập thể" for e in entries)


def test_the_voting_step_waits_for_the_chi_uy_vote_and_proposal() -> None:
    """The messages the cell's page shows while the chi ủy has no vote or proposal."""
    from app.domain.procedure import CellProgress, missing_for

    waiting = CellProgress(
        evaluated=0, cell_votes_recorded=True, cell_proposal=True,
        collective_votes_recorded=False, collective_proposal=False,
    )  # fmt: skip
    assert missing_for(CellStep.VOTING, waiting) == [
        "chưa nhập kết quả biểu quyết xếp loại chi ủy",
        "chưa có mức đề xuất cho chi ủy",
    ]


def review(**changes: object) -> CommuneReview:
    values: dict[str, object] = {
        "level": "HTTNV", "text": "Đảng bộ lãnh đạo hoàn thành nhiệm vụ chính trị.",
        "score_general": 26.0, "score_tasks": 60.0, "all_tasks_on_time": True,
        "voters_total": 15, "voters_present": 14, "vote_counts": {"HTTNV": 12, "HTXSNV": 2},
        "proposed_level": "HTTNV",
    }  # fmt: skip
    values.update(changes)
    return CommuneReview(**values)  # type: ignore[arg-type]


def test_the_commune_and_its_standing_committee_are_subjects_of_the_period(
    period_db: Database,
) -> None:
    subjects = commune_review.load(period_db, YEAR)
    assert [(s.kind, s.title) for s in subjects] == [
        ("org", "Đảng bộ xã Na Tông"),
        ("collective", "Ban Thường vụ Đảng ủy xã Na Tông"),
    ]
    assert all(s.review == CommuneReview() and not s.closed for s in subjects)


def test_the_communes_own_review_is_recorded_voted_and_proposed(period_db: Database) -> None:
    db = period_db
    commune_review.save(db, YEAR, "org", review(government_lowest=True), "Văn phòng")
    commune_review.save(
        db, YEAR, "collective", review(vote_counts={"HTTNV": 14}, proposed_level="HTTNV")
    )
    org, standing = commune_review.load(db, YEAR)
    assert org.review.level == "HTTNV" and org.review.government_lowest
    assert dict(org.review.vote_counts) == {"HTTNV": 12, "HTXSNV": 2}
    assert standing.review.proposed_level == "HTTNV"
    # The stages read the vote against the đảng ủy members recorded as voting.
    rows = {r.subject: r for r in stages.stage_rows(db, YEAR)}
    vote = rows[Subject("org", org.org_id)].stage("vote")
    assert vote is not None and vote.level == "HTTNV"
    assert "14/15" in vote.detail  # HTTNV or better: 12 + 2 of 15
    assert rows[Subject("collective", org.org_id)].level("proposed") == "HTTNV"
    summaries = [e.summary for e in audit.entries(db)]
    assert "Đảng bộ xã Na Tông tự đánh giá, biểu quyết" in summaries
    # The rule the commune broke is found against it: its government was rated lowest.
    findings = validation.validate_period(db, YEAR).findings
    assert any(
        f.subject == Subject("org", org.org_id) and "chính quyền" in f.message.lower()
        for f in findings
    )


def test_a_bad_review_is_refused_naming_each_field(period_db: Database) -> None:
    with pytest.raises(ValidationError) as refused:
        commune_review.save(
            period_db, YEAR, "org",
            review(level="TOT", voters_present=16, vote_counts={"HTTNV": 17}),
        )  # fmt: skip
    fields = {p.field for p in refused.value.problems}
    assert fields == {"level", "voters_present", "vote_counts"}
    assert "Tự xếp loại: mức “TOT” không có" in str(refused.value)
    assert commune_review.load(period_db, YEAR)[0].review == CommuneReview()


def test_votes_without_the_number_who_vote_are_refused(period_db: Database) -> None:
    with pytest.raises(ValidationError, match="Số được biểu quyết: cần để tính tỷ lệ"):
        commune_review.save(period_db, YEAR, "org", review(voters_total=None, voters_present=None))


def test_the_review_closes_once_the_province_has_decided(period_db: Database) -> None:
    db = period_db
    commune_review.save(db, YEAR, "collective", review())
    commune = commune_review.load(db, YEAR)[1]
    stages.record_province_decision(
        db, YEAR, commune.org_id, "HTTNV", "125-QĐ/TU", dt.date(YEAR + 1, 2, 10), kind="collective"
    )
    standing = commune_review.load(db, YEAR)[1]
    assert standing.closed.startswith("Cấp trên đã quyết định")
    with pytest.raises(LockedError, match="Cấp trên đã quyết định"):
        commune_review.save(db, YEAR, "collective", review(level="HTXSNV"))
    assert stages.province_decision(db, YEAR, commune.org_id, "collective").level == "HTTNV"
    # The đảng bộ's own review is still open: the province decided only the committee.
    assert not commune_review.load(db, YEAR)[0].closed


def test_the_facts_the_commune_records_reach_the_rules(period_db: Database) -> None:
    from app.services.periods import facts
    from app.services.periods.lifecycle import find

    commune_review.save(
        period_db, YEAR, "org",
        review(member_degradation_disciplined=True, mass_orgs_lowest=2, disunity=True),
    )  # fmt: skip
    commune = commune_review.load(period_db, YEAR)[0].org_id
    with period_db.session() as session:
        records = facts.build(session, find(session, YEAR))
    org = next(o for o in records.facts.organizations if o.org_id == commune)
    assert (org.member_degradation_disciplined, org.mass_orgs_lowest, org.disunity) == (
        True, 2, True,
    )  # fmt: skip
