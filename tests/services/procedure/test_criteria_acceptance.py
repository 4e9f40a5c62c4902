"""Issue 24's acceptance through the services: a province's copy of the criteria set, written
into the data folder's criteria/ (``based_on`` the shipped set), with one item's points
changed, chosen for a period of the demo commune, changes a member's computed score and the
level the rule set's checks allow (the cell's suggestion, the appraisal's findings), and the
explanation names that item. The period keeps the text it was given: editing the file alone
changes nothing until the set is chosen again."""

from __future__ import annotations

import pytest

from app import paths
from app.domain.rules import Subject
from app.services.periods import criteria_sets
from app.services.periods import rule_sets as rulesets
from app.services.procedure import appraisal, item_scores
from app.services.procedure import steps as procedure_steps
from app.store.database import Database
from tests.services.procedure.criteria_support import (
    EDITED,
    ENTRIES,
    YEAR,
    first_cell,
    line,
    open_period,
    plain_member,
    write_copy,
)

A1 = "Mục A.1 «Dự sinh hoạt chi bộ»"


@pytest.fixture
def period_db(any_db: Database) -> Database:
    return open_period(any_db)


def score_findings(db: Database, subject: Subject) -> list[str]:
    view = appraisal.appraisal_view(db, YEAR)
    return [f.message for f in view.findings_for(subject) if f.check == "score"]


def test_a_province_copy_with_one_items_points_changed_changes_score_level_and_names_it(
    period_db: Database,
) -> None:
    db = period_db
    path = write_copy()
    assert path.parent == paths.data_dir() / "criteria"
    offered = criteria_sets.available(YEAR, rulesets.get("qd366-2025")).choices
    # The province's copy stands in for the shipped set it is based on, and fits the rules.
    assert [(c.id, c.based_on, c.province, c.usable) for c in offered] == [
        ("tinh-thu-2025", "qd366-2025", True, True)
    ]
    item_scores.choose_criteria(db, YEAR, "tinh-thu-2025", actor="Lò Thị Hoa")

    cell = first_cell(db)
    member = plain_member(db, cell)
    subject = member.subject
    # What the score alone does not decide: tasks on time, 50% exceeded, shortcomings remedied.
    procedure_steps.save_self_review(
        db, YEAR, member.member_id,
        procedure_steps.SelfReview(all_tasks_on_time=True, tasks_exceeded_share=0.5,
                                   shortcomings_remedied=True),
    )  # fmt: skip
    sheet = item_scores.enter_item_scores(db, YEAR, subject, "self", ENTRIES, actor="Lò Thị Hoa")
    assert (sheet.general, sheet.tasks, sheet.total) == (20, 70, 90)
    before = line(db, cell, member.member_id)
    assert (before.self_score_general, before.self_score_tasks) == (20, 70)
    assert before.suggested_level == "HTXSNV"
    assert before.suggestion_reason.startswith("Theo điểm: 90 điểm → Hoàn thành xuất sắc")
    assert A1 not in before.suggestion_reason  # full marks: nothing to say about it
    procedure_steps.set_proposal(db, YEAR, subject, "HTXSNV")
    assert score_findings(db, subject) == []

    # The province edits its copy. The period keeps the text it chose: nothing moves.
    proposed = line(db, cell, member.member_id)
    write_copy(EDITED)
    assert line(db, cell, member.member_id) == proposed
    assert item_scores.item_sheet(db, YEAR, subject).total == 90

    # Chosen again, the edited copy scores the same entries: 18 + 70 = 88.
    item_scores.choose_criteria(db, YEAR, "tinh-thu-2025", actor="Lò Thị Hoa")
    sheet = item_scores.item_sheet(db, YEAR, subject)
    assert (sheet.general, sheet.tasks, sheet.total) == (18, 70, 88)
    after = line(db, cell, member.member_id)
    assert (after.self_score_general, after.self_score_tasks) == (18, 70)
    # The same rule checks the app runs now allow HTTNV at most, and say why, naming A.1.
    assert after.suggested_level == "HTTNV"
    assert after.suggestion_reason.startswith("Theo điểm: 88 điểm → Hoàn thành tốt nhiệm vụ.")
    a1_sentence = (
        f"{A1}: 12 buổi × 1 điểm = 12 điểm, tính tối đa 10/10 điểm. Ghi chú: dự đủ 12 kỳ sinh hoạt."
    )
    assert a1_sentence in after.suggestion_reason
    [finding] = score_findings(db, subject)
    assert "đạt 88 điểm, dưới 90 điểm cần cho mức Hoàn thành xuất sắc nhiệm vụ" in finding
    assert "chỉ được xếp loại tối đa Hoàn thành tốt nhiệm vụ" in finding
    assert a1_sentence in finding
    assert item_scores.subject_score(db, YEAR, subject).total == 88
