"""The leading collectives in the window (issue 16): the commune enters its own review and its
standing committee's on the appraisal page."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog

from app.domain.rules import Subject
from app.services.periods import lifecycle as periods
from app.services.procedure import commune_review, stages
from app.ui.evaluation.appraisal import COLUMNS, SUBJECT_ROLE
from app.ui.evaluation.commune_review import CommuneReviewDialog
from app.ui.shell.main_window import MainWindow
from tests.gui.keyboard import type_text


def test_the_standing_committee_reviews_itself_on_the_appraisal_page(
    full_window: MainWindow,
) -> None:
    db = full_window.db
    year = periods.list_periods(db)[-1].year
    full_window.show_appraisal()
    page = full_window.evaluation.appraisal
    standing = page.tree.topLevelItem(1)
    assert standing.text(0).startswith("Ban Thường vụ Đảng ủy xã Na Tông")
    assert standing.data(0, SUBJECT_ROLE).kind == "collective"
    page.tree.setCurrentItem(standing)
    messages: list[str] = []

    def fill(dialog: QDialog) -> bool:
        assert isinstance(dialog, CommuneReviewDialog)
        assert dialog.facts.isHidden()  # the đảng bộ's facts are not the committee's
        dialog.level.setCurrentIndex(dialog.level.findData("HTTNV"))
        type_text(dialog.text, "Ban Thường vụ đoàn kết, lãnh đạo toàn diện.")
        dialog.voters_total.setValue(15)
        dialog.voters_present.setValue(14)
        dialog.votes["HTTNV"].setValue(15)  # more votes than members present
        dialog._accept()
        messages.append(dialog.message.text())
        dialog.votes["HTTNV"].setValue(14)
        dialog.proposed.setCurrentIndex(dialog.proposed.findData("HTTNV"))
        dialog._accept()
        return dialog.result() == QDialog.DialogCode.Accepted

    page.run_dialog = fill  # type: ignore[method-assign]
    page.review_commune()
    assert messages == ["Chưa lưu được: Biểu quyết: tổng số phiếu vượt 14 người biểu quyết"]
    standing = page.tree.topLevelItem(1)
    assert standing.text(COLUMNS.index("Tự nhận")) == "HTTNV"
    assert standing.text(COLUMNS.index("Biểu quyết")).startswith("HTTNV 14/15")
    assert standing.text(COLUMNS.index("Chi bộ đề xuất")) == "HTTNV"
    saved = commune_review.load(db, year)[1].review
    assert saved.text == "Ban Thường vụ đoàn kết, lãnh đạo toàn diện."
    commune = standing.data(0, SUBJECT_ROLE).id
    row = next(
        r for r in stages.stage_rows(db, year) if r.subject == Subject("collective", commune)
    )
    assert row.level("self") == "HTTNV" and row.level("proposed") == "HTTNV"


def test_the_cells_facts_are_entered_with_their_grounds_and_kept_by_a_later_save(
    full_window: MainWindow,
) -> None:
    from app.domain.procedure import CellStep
    from app.services.procedure import board as procedure_board
    from app.services.procedure import view as procedure_view
    from app.ui.evaluation.org_facts import OrgFactsDialog

    db = full_window.db
    year = periods.list_periods(db)[-1].year
    cell = next(
        r.cell_id
        for r in procedure_board.board(db, year)
        if r.step is CellStep.SELF_REVIEW
        and procedure_view.cell_view(db, year, r.cell_id).collective is not None
    )
    full_window.open_cell(cell)
    procedure = full_window.evaluation.cell
    procedure.show_page(1)
    page = procedure.self_review
    page.collective_level.setCurrentIndex(page.collective_level.findData("HTTNV"))
    page.save_collective.click()
    assert procedure.view.collective is not None
    assert procedure.view.collective.self_level == "HTTNV"

    def fill(dialog: QDialog) -> bool:
        assert isinstance(dialog, OrgFactsDialog)
        assert dialog.facts.government.isHidden()  # a cell has no government of its own
        dialog.facts.disunity.setChecked(True)
        dialog.facts.late.setValue(30)
        type_text(dialog.facts.note, "Kết luận số 12-KL/UBKT")
        return True

    procedure.run_dialog = fill  # type: ignore[method-assign]
    page._edit_facts()
    saved = procedure.view.cell
    assert (saved.disunity, saved.tasks_late_share, saved.facts_note) == (
        True, 0.3, "Kết luận số 12-KL/UBKT",
    )  # fmt: skip
    # Saving the level afterwards keeps the facts (it used to reset them).
    page.cell_level.setCurrentIndex(page.cell_level.findData("HTNV"))
    page._save_cell()
    saved = procedure.view.cell
    assert saved.self_level == "HTNV" and saved.disunity and saved.tasks_late_share == 0.3
    # Opened again, the dialog shows what was saved.
    shown: list[OrgFactsDialog] = []

    def look(dialog: QDialog) -> bool:
        assert isinstance(dialog, OrgFactsDialog)
        shown.append(dialog)
        return False

    procedure.run_dialog = look  # type: ignore[method-assign]
    page._edit_facts()
    facts = shown[0].facts
    assert facts.disunity.isChecked() and facts.late.value() == 30
    assert facts.note.text() == "Kết luận số 12-KL/UBKT"


def test_the_commune_scores_itself_item_by_item_from_its_review(
    full_window: MainWindow,
) -> None:
    """Issue 24: where the period has a criteria set, the commune's own review opens its
    checklist ("Chấm từng mục…"); saved, the two scores are the items' sums, read-only, and the
    review saved after it keeps them."""
    from fractions import Fraction

    from app.services.procedure import item_scores
    from app.ui.evaluation.cell.item_checklist import ItemChecklistDialog
    from app.ui.evaluation.cell.item_scoring import FROM_ITEMS_TIP

    db = full_window.db
    year = periods.list_periods(db)[-1].year
    item_scores.choose_criteria(db, year, "qd366-2025", actor="Lò Thị Hoa")
    full_window.show_appraisal()
    page = full_window.evaluation.appraisal
    commune_item = page.tree.topLevelItem(0)
    assert commune_item.data(0, SUBJECT_ROLE).kind == "org"
    page.tree.setCurrentItem(commune_item)
    commune = commune_item.data(0, SUBJECT_ROLE).id
    seen: list[str] = []

    def checklist(dialog: ItemChecklistDialog) -> bool:
        seen.append(dialog.windowTitle())
        assert [line.key for line in dialog.lines if line.item is not None] == ["A.1", "B.1"]
        dialog.values.update({"A.1": Fraction(26), "B.1": Fraction(125, 2)})
        dialog.save()
        return dialog.result() == QDialog.DialogCode.Accepted

    def review(dialog: QDialog) -> bool:
        if isinstance(dialog, ItemChecklistDialog):
            return checklist(dialog)
        assert isinstance(dialog, CommuneReviewDialog)
        assert dialog.items_button.isVisibleTo(dialog)
        assert not dialog.general.isReadOnly()
        dialog.items_button.click()
        assert (dialog.general.value(), dialog.tasks.value()) == (26, 62.5)
        assert dialog.general.isReadOnly() and dialog.tasks.toolTip() == FROM_ITEMS_TIP
        dialog.level.setCurrentIndex(dialog.level.findData("HTTNV"))
        dialog._accept()
        return dialog.result() == QDialog.DialogCode.Accepted

    page.run_dialog = review  # type: ignore[method-assign]
    page.review_commune()
    assert seen == ["Chấm từng mục — Đảng bộ xã Na Tông"]
    saved = commune_review.load(db, year)[0].review
    assert (saved.score_general, saved.score_tasks, saved.level) == (26, 62.5, "HTTNV")
    sheet = item_scores.item_sheet(db, year, Subject("org", commune))
    assert (sheet.general, sheet.tasks) == (26, Fraction(125, 2))
