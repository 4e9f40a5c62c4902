"""Two tellers, reasons for low levels and every stage side by side, on the demo commune."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from app.domain import clock
from app.domain.procedure import CellStep
from app.domain.rules import Subject
from app.services.common.errors import ServiceError, ValidationError
from app.services.printing import document_data
from app.services.printing import documents as printing
from app.services.procedure import appraisal, stages
from app.services.procedure import board as procedure_board
from app.services.procedure import double_tally as tally_double
from app.services.procedure import steps as procedure_steps
from app.services.procedure import view as procedure_view
from app.services.procedure.low_reasons import ReasonMissing
from app.store.database import Database
from app.store.models import Organization

YEAR = clock.today().year  # the demo's year under way


def voting_cell(db: Database) -> int:
    for row in procedure_board.board(db, YEAR):
        view = procedure_view.cell_view(db, YEAR, row.cell_id)
        if row.step is CellStep.VOTING and view.meeting and view.meeting.ballots_returned:
            return row.cell_id
    raise AssertionError("the demo has a cell at its vote")


def enter_both(db: Database, cell: int, change: Subject | None = None) -> None:
    """Both tellers enter the recorded vote; the second miscounts *change*'s row by one."""
    entry = tally_double.double_entry(db, YEAR, cell)
    view = procedure_view.cell_view(db, YEAR, cell)
    recorded = {m.subject: m.vote_counts for m in view.members}
    recorded[view.cell.subject] = view.cell.vote_counts
    if view.collective is not None:
        recorded[view.collective.subject] = view.collective.vote_counts
    collected = entry.ballots_collected or 0
    for row in entry.rows:
        counts = dict(recorded.get(row.subject, {}))
        counts[tally_double.INVALID] = collected - sum(counts.values())
        tally_double.save_entry(db, YEAR, cell, 1, "Lò Văn Pọm", row.subject, counts)
        if row.subject == change:
            # One ballot read as another level: a vote moves between two columns.
            source = next(c for c in row.codes if counts.get(c, 0) > 0)
            target = row.codes[1] if source == row.codes[0] else row.codes[0]
            counts = {**counts, source: counts[source] - 1, target: counts.get(target, 0) + 1}
        tally_double.save_entry(db, YEAR, cell, 2, "Quàng Thị Ín", row.subject, counts)


def test_disagreeing_tellers_block_the_tally_minutes(any_full_demo_db: Database) -> None:
    db = any_full_demo_db
    cell = voting_cell(db)
    view = procedure_view.cell_view(db, YEAR, cell)
    someone = next(m for m in view.members if m.evaluated and m.vote_counts)
    # Printable before anyone uses double entry.
    assert document_data.tally_minutes(db, YEAR, cell).double_entry_agreed is None
    printing.render_document(db, YEAR, "tally-minutes", cell)

    enter_both(db, cell, change=someone.subject)
    entry = tally_double.double_entry(db, YEAR, cell)
    assert [r.subject for r in entry.differences] == [someone.subject]
    assert entry.differences[0].name == someone.full_name
    assert entry.teller_names == ("Lò Văn Pọm", "Quàng Thị Ín")
    assert document_data.tally_minutes(db, YEAR, cell).double_entry_agreed is False
    with pytest.raises(ServiceError, match="chưa khớp nhau"):
        printing.render_document(db, YEAR, "tally-minutes", cell)
    with pytest.raises(ServiceError, match="chưa khớp"):
        tally_double.take_agreed(db, YEAR, cell)

    enter_both(db, cell)  # the second teller corrects the row
    assert tally_double.double_entry(db, YEAR, cell).agreed
    tally_double.take_agreed(db, YEAR, cell)
    assert document_data.tally_minutes(db, YEAR, cell).double_entry_agreed is True
    assert printing.render_document(db, YEAR, "tally-minutes", cell).pdf.startswith(b"%PDF")


def test_every_row_adds_up_to_the_ballots_collected(any_full_demo_db: Database) -> None:
    db = any_full_demo_db
    cell = voting_cell(db)
    entry = tally_double.double_entry(db, YEAR, cell)
    row = entry.rows[-1]
    collected = entry.ballots_collected or 0
    with pytest.raises(ValidationError, match="phải bằng số phiếu thu vào"):
        tally_double.save_entry(
            db, YEAR, cell, 1, "Lò Văn Pọm", row.subject, {row.codes[0]: collected - 1}
        )
    tally_double.save_entry(db, YEAR, cell, 1, "Lò Văn Pọm", row.subject, {row.codes[0]: collected})
    with pytest.raises(ValidationError, match="hai người khác nhau"):
        tally_double.save_entry(
            db, YEAR, cell, 2, "lò văn pọm", row.subject, {row.codes[0]: collected}
        )


def test_a_low_level_needs_a_reason_and_the_engine_fills_the_ones_it_knows(
    any_full_demo_db: Database,
) -> None:
    db = any_full_demo_db
    cell = voting_cell(db)
    view = procedure_view.cell_view(db, YEAR, cell)
    plain = next(
        m for m in view.members if m.evaluated and not m.tasks_below_half and not m.degradation
    )
    with pytest.raises(ReasonMissing, match="phải ghi lý do"):
        procedure_steps.set_proposal(db, YEAR, plain.subject, "KHTNV")
    with pytest.raises(ServiceError, match="không có trong"):
        procedure_steps.set_proposal(db, YEAR, plain.subject, "KHTNV", reason="R99")
    procedure_steps.set_proposal(db, YEAR, plain.subject, "KHTNV", reason="NV")
    row = next(r for r in stages.stage_rows(db, YEAR, cell) if r.subject == plain.subject)
    assert row.low_reason == "NV"
    assert row.low_reason_text.startswith("Chưa hoàn thành")  # words, not the code
    # A member found to complete under half of the tasks: the engine knows the reason (R2),
    # whatever the user picked.
    procedure_steps.save_self_review(
        db, YEAR, plain.member_id,
        procedure_steps.SelfReview(level="HTTNV", tasks_below_half=True, facts_note="biên bản"),
    )  # fmt: skip
    procedure_steps.set_proposal(db, YEAR, plain.subject, "KHTNV", reason="KHAC")
    row = next(r for r in stages.stage_rows(db, YEAR, cell) if r.subject == plain.subject)
    assert row.low_reason == "R2"
    # A good level carries no reason.
    procedure_steps.set_proposal(db, YEAR, plain.subject, "HTTNV")
    row = next(r for r in stages.stage_rows(db, YEAR, cell) if r.subject == plain.subject)
    assert row.low_reason == ""


def _commune(db: Database, cell: int) -> int:
    with db.session() as session:
        found = session.get(Organization, cell)
        assert found is not None and found.parent_id is not None
        return found.parent_id


def _pdf_text(data: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return re.sub(r"\s+", " ", text)


def test_a_member_whose_levels_differ_at_every_stage(any_full_demo_db: Database) -> None:
    db = any_full_demo_db
    cell = voting_cell(db)
    view = procedure_view.cell_view(db, YEAR, cell)
    voters = view.voters
    member = next(m for m in view.members if m.evaluated and m.votes)
    procedure_steps.save_self_review(
        db, YEAR, member.member_id,
        procedure_steps.SelfReview(level="HTXSNV", score_general=29, score_tasks=66,
                                   all_tasks_on_time=True, tasks_exceeded_share=0.4,
                                   shortcomings_remedied=True),
    )  # fmt: skip
    procedure_steps.save_votes(db, YEAR, member.subject, {"HTTNV": view.voters_present})
    procedure_steps.set_proposal(db, YEAR, member.subject, "HTNV", "Chưa gương mẫu", reason="HC")
    procedure_steps.advance(db, YEAR, cell)  # submitted
    appraisal.accept_proposals(db, YEAR, [cell])
    appraisal.change_level(db, YEAR, member.subject, "KHTNV", "Vi phạm chính sách dân số",
                           low_reason="KHAC")  # fmt: skip
    row = next(r for r in stages.stage_rows(db, YEAR, cell) if r.subject == member.subject)
    assert [row.level(k) for k in ("self", "vote", "proposed", "decided")] == [
        "HTXSNV", "HTTNV", "HTNV", "KHTNV",
    ]  # fmt: skip
    assert row.stage("vote").detail.startswith(f"{view.voters_present}/{voters}")
    assert row.stage("decided").detail == "Vi phạm chính sách dân số"
    assert row.low_reason == "KHAC"
    # The window's appraisal rows carry every stage too.
    appraisal_row = next(
        r for r in appraisal.appraisal_view(db, YEAR).rows if r.subject == member.subject
    )
    assert (appraisal_row.self_level, appraisal_row.proposed_level,
            appraisal_row.decided_level) == ("HTXSNV", "HTNV", "KHTNV")  # fmt: skip
    # The proposal list prints the cell's stages and its note on the proposal; the commune's
    # later decision and its reason are not on it (they are in the decision's annex).
    text = _pdf_text(printing.render_document(db, YEAR, "proposal-list", cell).pdf)
    name_at = text.index(member.full_name)
    line = text[name_at : name_at + 120]
    for piece in ("HTXSNV", "HTTNV: ", "HTNV", "Chưa gương mẫu"):
        assert piece in line, (piece, line)
    assert "KHTNV" not in line and "Lý do khác" not in line
    # The decision's annex gives the commune's level and its reason, in words: no "KHAC".
    annex = _pdf_text(printing.render_document(db, YEAR, "decision", _commune(db, cell)).pdf)
    name_at = annex.index(member.full_name)
    entry = annex[name_at : name_at + 200]
    for piece in ("HTXSNV", "HTTNV: ", "HTNV", "KHTNV", "Lý do khác"):
        assert piece in entry, (piece, entry)
    assert "KHAC" not in entry
