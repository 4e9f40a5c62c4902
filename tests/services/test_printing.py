"""Documents filled from the records: the numbering register, the fingerprint, print all."""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader

from app.domain import clock
from app.domain.procedure import CellStep
from app.services import printing, procedure_steps, procedure_view
from app.store.database import Database

THIS_YEAR = clock.today().year  # the demo's year under way
LAST_YEAR = THIS_YEAR - 1  # its last decided year


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def cell_at(db: Database, year: int, step: CellStep) -> int:
    return next(r.cell_id for r in procedure_view.board(db, year) if r.step is step)


def test_minutes_carry_the_meeting_and_keep_their_number(full_demo_db: Database) -> None:
    cell = cell_at(full_demo_db, LAST_YEAR, CellStep.DECIDED)
    view = procedure_view.cell_view(full_demo_db, LAST_YEAR, cell)
    first = printing.render_document(full_demo_db, LAST_YEAR, "meeting-minutes", cell, issue=True)
    again = printing.render_document(full_demo_db, LAST_YEAR, "meeting-minutes", cell, issue=True)
    assert first.number == again.number and first.number.endswith("-BB/CB")
    assert first.fingerprint == again.fingerprint
    text = text_of(first.pdf)
    assert first.number in text and view.cell_name.upper() in text
    assert view.meeting is not None and view.meeting.place in text
    chair = next(m for m in view.members if m.member_id == view.meeting.chair_id)
    assert chair.full_name in text
    tally = printing.render_document(full_demo_db, LAST_YEAR, "tally-minutes", cell, issue=True)
    assert tally.number != first.number  # same symbol, the next number in the register
    assert printing.find_fingerprint(full_demo_db, first.fingerprint)[0].number == first.number


def test_the_fingerprint_follows_the_record(full_demo_db: Database) -> None:
    cell = cell_at(full_demo_db, THIS_YEAR, CellStep.VOTING)
    before = printing.render_document(full_demo_db, THIS_YEAR, "meeting-minutes", cell)
    assert (
        printing.render_document(full_demo_db, THIS_YEAR, "meeting-minutes", cell).fingerprint
        == before.fingerprint
    )
    member = procedure_view.cell_view(full_demo_db, THIS_YEAR, cell).members[0]
    procedure_steps.save_comments(
        full_demo_db, THIS_YEAR, member.member_id, "Đ/c Lò Văn Hặc: cần gương mẫu hơn", ""
    )
    after = printing.render_document(full_demo_db, THIS_YEAR, "meeting-minutes", cell)
    assert after.fingerprint != before.fingerprint
    assert f"Mã đối chiếu {after.fingerprint}" in text_of(after.pdf)
    assert "cần gương mẫu hơn" in text_of(after.pdf)


def test_print_all_of_the_decided_year(full_demo_db: Database, tmp_path: Path) -> None:
    """Every document of every cell of the last full year, and the commune's decision."""
    out = tmp_path / "van-ban"
    report = printing.print_all(full_demo_db, LAST_YEAR, out)
    cells = procedure_view.board(full_demo_db, LAST_YEAR)
    assert len(cells) == 35
    assert report.skipped == ()
    assert len(report.written) == len(cells) * len(printing.CELL_KINDS) + 1
    folders = sorted(p for p in out.iterdir() if p.is_dir())
    assert len(folders) == len(cells)
    for folder in folders:
        names = sorted(p.name for p in folder.iterdir())
        assert names == sorted(f"{printing.FILE_NAMES[k]}.pdf" for k in printing.CELL_KINDS)
    decision = out / f"quyet-dinh-cong-nhan-{LAST_YEAR}.pdf"
    text = text_of(decision.read_bytes())
    assert "QUYẾT ĐỊNH" in text and "Số 01-QĐ/ĐU" in text
    assert f"ngày 15 tháng 01 năm {LAST_YEAR + 1}" in text  # decided the January after
    for row in cells[:3]:
        assert row.cell_name in text  # every cell in the annex
