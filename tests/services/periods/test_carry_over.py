"""On the demo commune: last year's shortcomings come back in this year's
self-review step, the remedy is saved, the form prints both, and the rules notice an HTXSNV
proposal with no remedy written."""

from __future__ import annotations

from sqlalchemy import update

from app.documents.self_review import render_self_review
from app.domain import clock
from app.domain.procedure import CellStep
from app.domain.rules import Subject
from app.services.printing import document_data
from app.services.procedure import board as procedure_board
from app.services.procedure import steps as procedure_steps
from app.services.procedure import view as procedure_view
from app.services.safekeeping import audit
from app.store.database import Database
from app.store.models import EvaluationPeriod, MemberEvaluation
from tests.documents import samples

YEAR = clock.today().year  # the demo's year under way
LAST_YEAR = "Chưa mạnh dạn phê bình; vắng 3 buổi sinh hoạt chi bộ."
REMEDY = "Đã dự đủ các buổi sinh hoạt; góp ý thẳng thắn tại hội nghị."


def _cell_and_member(db: Database) -> tuple[int, int]:
    """A cell of this year still at its self-review, and one of its classified members, with
    last year's shortcomings recorded and no remedy yet."""
    cell_id = next(
        r.cell_id for r in procedure_board.board(db, YEAR) if r.step is CellStep.SELF_REVIEW
    )
    member_id = next(m.member_id for m in procedure_view.cell_view(db, YEAR, cell_id).members
                     if m.evaluated)  # fmt: skip
    with db.session() as session:
        ids = {p.year: p.id for p in session.query(EvaluationPeriod)}
        session.execute(
            update(MemberEvaluation)
            .where(MemberEvaluation.period_id == ids[YEAR - 1],
                   MemberEvaluation.member_id == member_id)
            .values(shortcomings=LAST_YEAR)
        )  # fmt: skip
        session.execute(
            update(MemberEvaluation)
            .where(MemberEvaluation.period_id == ids[YEAR],
                   MemberEvaluation.member_id == member_id)
            .values(remedy="")
        )  # fmt: skip
    return cell_id, member_id


def _reminders(view: procedure_view.CellView, member_id: int) -> list:
    return [
        f for f in view.findings_for(Subject("member", member_id)) if f.check == "remedy_missing"
    ]


def test_the_self_review_step_shows_last_years_shortcomings_and_asks_for_the_remedy(
    any_full_demo_db: Database,
) -> None:
    cell_id, member_id = _cell_and_member(any_full_demo_db)
    view = procedure_view.cell_view(any_full_demo_db, YEAR, cell_id)
    line = view.member(member_id)
    assert line.previous_shortcomings == LAST_YEAR and line.remedy == ""
    reminder = _reminders(view, member_id)
    assert len(reminder) == 1 and reminder[0].severity == "warning"
    assert "chưa ghi kết quả khắc phục" in reminder[0].message

    procedure_steps.save_self_review(
        any_full_demo_db, YEAR, member_id,
        procedure_steps.SelfReview(level="HTTNV", shortcomings="", remedy=REMEDY), actor="Thư",
    )  # fmt: skip
    view = procedure_view.cell_view(any_full_demo_db, YEAR, cell_id)
    assert view.member(member_id).remedy == REMEDY
    assert _reminders(view, member_id) == []
    logged = audit.entries(any_full_demo_db, entity="member_evaluation")[-1]
    assert logged.action == "tu_kiem_diem" and logged.after["remedy"] == REMEDY


def test_an_htxsnv_proposal_without_the_remedy_is_a_finding_until_it_is_written(
    any_full_demo_db: Database,
) -> None:
    cell_id, member_id = _cell_and_member(any_full_demo_db)
    subject = Subject("member", member_id)
    procedure_steps.set_proposal(any_full_demo_db, YEAR, subject, "HTXSNV")
    found = [
        f for f in procedure_view.cell_view(any_full_demo_db, YEAR, cell_id).findings_for(subject)
        if f.check == "carried_shortcomings"
    ]  # fmt: skip
    assert [(f.severity, f.level) for f in found] == [("warning", "HTTNV")]
    assert "chưa được ghi kết quả khắc phục" in found[0].message

    procedure_steps.save_self_review(
        any_full_demo_db, YEAR, member_id, procedure_steps.SelfReview(remedy=REMEDY)
    )
    after = procedure_view.cell_view(any_full_demo_db, YEAR, cell_id).findings_for(subject)
    assert [f for f in after if f.check == "carried_shortcomings"] == []


def test_the_pre_filled_form_prints_last_years_shortcomings_and_the_remedy(
    any_full_demo_db: Database,
) -> None:
    cell_id, member_id = _cell_and_member(any_full_demo_db)
    name = procedure_view.cell_view(any_full_demo_db, YEAR, cell_id).member(member_id).full_name

    def form_text() -> str:
        forms = document_data.self_reviews(any_full_demo_db, YEAR, cell_id)
        form = next(f for f in forms if f.full_name == name)
        return samples.flat(render_self_review(form))

    text = form_text()
    assert f"Hạn chế, khuyết điểm được chỉ ra năm {YEAR - 1}:" in text
    assert LAST_YEAR in text
    assert "Đã khắc phục? □ Đã khắc phục □ Chưa khắc phục" in text
    assert REMEDY not in text

    procedure_steps.save_self_review(
        any_full_demo_db, YEAR, member_id, procedure_steps.SelfReview(remedy=REMEDY)
    )
    text = form_text()
    assert "Kết quả khắc phục cụ thể: " + REMEDY in text
