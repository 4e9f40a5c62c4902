"""Issue 19: every document that is not final says so. The commune's papers of a year not
decided and a cell's records before it has submitted print "DỰ THẢO" on every page and take no
number; the decision of a year with nothing decided prints no figure posing as its result.
Read from the PDF's text, as a reader would."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader
from sqlalchemy import select

from app.documents.decision import render_decision
from app.domain import clock
from app.domain.procedure import CellStep
from app.services.printing import documents as printing
from app.services.printing.pdf_text import read_pdf
from app.services.procedure import board as procedure_board
from app.services.summary import export as summary_export
from app.services.summary import report as summary_report
from app.store.database import Database
from app.store.models import Organization
from tests.documents import samples

THIS_YEAR = clock.today().year  # the demo's year under way
LAST_YEAR = THIS_YEAR - 1  # decided


def pages(pdf: bytes) -> list[str]:
    return [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages]


def cell_at(db: Database, year: int, *steps: CellStep) -> int:
    return next(r.cell_id for r in procedure_board.board(db, year) if r.step in steps)


def commune(db: Database) -> int:
    with db.session() as session:
        found = session.scalar(select(Organization.id).where(Organization.parent_id.is_(None)))
    assert found is not None
    return found


def test_a_cell_s_records_are_drafts_until_it_submits(full_demo_db: Database) -> None:
    db = full_demo_db
    voting = cell_at(db, THIS_YEAR, CellStep.VOTING)
    submitted = cell_at(db, THIS_YEAR, CellStep.SUBMITTED)
    for kind in printing.CELL_RECORD_KINDS:
        draft = printing.render_document(db, THIS_YEAR, kind, voting, issue=True)
        assert all("DỰ THẢO" in page for page in pages(draft.pdf)), kind
        assert draft.number == "", kind  # a draft takes no number from the register
        assert printing.is_draft(db, THIS_YEAR, kind, voting)
        final = printing.render_document(db, THIS_YEAR, kind, submitted, issue=True)
        assert not any("DỰ THẢO" in page for page in pages(final.pdf)), kind
        assert final.number, kind
    # The blank forms filled in by hand at the meeting are never drafts.
    for kind in ("self-review", "ballot"):
        assert not printing.is_draft(db, THIS_YEAR, kind, voting)
        text = " ".join(pages(printing.render_document(db, THIS_YEAR, kind, voting).pdf))
        assert "DỰ THẢO" not in text, kind


def test_the_decided_year_has_no_draft(full_demo_db: Database) -> None:
    db = full_demo_db
    cell = cell_at(db, LAST_YEAR, CellStep.DECIDED)
    for kind in (*printing.CELL_RECORD_KINDS, *printing.COMMUNE_KINDS):
        unit = commune(db) if kind in printing.COMMUNE_KINDS else cell
        assert not printing.is_draft(db, LAST_YEAR, kind, unit), kind


def test_the_summary_of_a_year_not_decided_is_provisional(full_demo_db: Database) -> None:
    text = " ".join(
        pages(
            printing.render_document(full_demo_db, THIS_YEAR, "summary", commune(full_demo_db)).pdf
        )
    )
    assert "DỰ THẢO" in text
    assert f"Năm {THIS_YEAR} (tạm thời)" in text
    assert f"Số liệu năm {THIS_YEAR} là số liệu tạm thời" in text
    # A cell with no level yet: "chưa có" in the breakdown, not a row of zeros.
    breakdown = text.split("CHI TIẾT THEO TỔ CHỨC ĐẢNG TRỰC THUỘC", 1)[1]
    assert "chưa có chưa có chưa có chưa có" in breakdown


def test_the_summary_exported_on_its_own_is_a_draft_too(full_demo_db: Database) -> None:
    """The window's "Xuất PDF…" and ``danhgia summary --format pdf`` go through the summary
    service's own PDF: the undecided year is a draft there as well, the decided one is not."""
    now = summary_report.report(full_demo_db, THIS_YEAR)
    before = summary_report.report(full_demo_db, LAST_YEAR)
    assert now.provisional and not before.provisional
    assert "DỰ THẢO" in " ".join(pages(summary_export.render_pdf(now)))
    assert "DỰ THẢO" not in " ".join(pages(summary_export.render_pdf(before)))


def test_a_draft_decision_counts_the_undecided_as_not_decided() -> None:
    """Some levels decided, some not: the figures are the decided ones, and the rest are
    "chưa quyết định", never "không xếp loại"."""
    final = samples.flat(render_decision(samples.decision()))
    assert "không xếp loại: 1 tổ chức" in final
    draft = samples.flat(render_decision(samples.decision(draft=True)))
    article1 = draft.split("Điều 1.", 1)[1].split("Điều 2.", 1)[0]
    assert "chưa quyết định: 1 tổ chức" in article1 and "không xếp loại" not in article1
    assert "Hoàn thành xuất sắc nhiệm vụ: 3 đồng chí (10%)" in article1
    assert "DỰ THẢO" in draft


def test_a_draft_decision_with_nothing_decided_prints_no_figure() -> None:
    data = samples.decision(draft=True)
    nothing = samples.replace(
        data,
        organisations=tuple(samples.replace(o, level=None) for o in data.organisations),
        cells=tuple(
            samples.replace(c, members=tuple(samples.replace(m, level=None) for m in c.members))
            for c in data.cells
        ),
    )
    text = samples.flat(render_decision(nothing))
    article1 = text.split("Điều 1.", 1)[1].split("Điều 2.", 1)[0]
    assert not re.search(r"\b0 (?:tổ chức|đồng chí) \(0%\)", article1), article1
    assert "chưa có mức xếp loại được quyết định" in article1
    annex = text.split("PHỤ LỤC", 1)[1]
    assert "Không xếp loại" not in annex and "Chưa quyết định" in annex


def test_a_reader_of_the_columns_leaves_the_draft_mark_out(full_demo_db: Database) -> None:
    """The diagonal "DỰ THẢO" is a watermark artifact: the plain text says it on every page,
    the columns of the vote tables are read without it (it used to push counts out of their
    column)."""
    voting = cell_at(full_demo_db, THIS_YEAR, CellStep.VOTING)
    pdf = printing.render_document(full_demo_db, THIS_YEAR, "tally-minutes", voting).pdf
    printed = read_pdf(pdf, "Biên bản kiểm phiếu")
    assert all("DỰ THẢO" in page for page in printed.plain)
    assert not any("DỰ THẢO" in page for page in printed.layout)
    assert "DỰ THẢO" not in printed.prose()
