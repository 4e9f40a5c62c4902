"""Documents filled from the records: the numbering register, the fingerprint, print all."""

from __future__ import annotations

import io
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.documents.decision import render_decision
from app.domain import clock
from app.domain.procedure import CellStep
from app.services.common.progress import Cancelled, Progress
from app.services.printing import document_data
from app.services.printing import documents as printing
from app.services.procedure import board as procedure_board
from app.services.procedure import steps as procedure_steps
from app.services.procedure import view as procedure_view
from app.services.procedure.appraisal import AppraisalRow, appraisal_view
from app.store.database import Database
from app.store.models import IssuedDocument
from tests.services.conftest import CopyOf, Location

THIS_YEAR = clock.today().year  # the demo's year under way
LAST_YEAR = THIS_YEAR - 1  # its last decided year


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def cell_at(db: Database, year: int, step: CellStep) -> int:
    return next(r.cell_id for r in procedure_board.board(db, year) if r.step is step)


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


PDF_TIME = re.compile(rb"/(CreationDate|ModDate) \((?:\\.|[^\\)])*\)")
PDF_ID = re.compile(rb"/ID\s*\[\s*<[0-9a-fA-F]*>\s*<[0-9a-fA-F]*>\s*\]")


def without_time_stamps(pdf: bytes) -> bytes:
    """*pdf* without what two prints of the same data differ in: the creation and modification
    time, and the document ID reportlab derives from them. (reportlab's invariant mode would
    make them equal, but by dating every document 1 January 2000.)"""
    return PDF_ID.sub(b"/ID [<><>]", PDF_TIME.sub(rb"/\1 ()", pdf))


def register(db: Database) -> list[tuple[object, ...]]:
    with db.session() as session:
        rows = session.scalars(select(IssuedDocument).order_by(IssuedDocument.id))
        return [
            (d.id, d.issuer_id, d.kind, d.year, d.subject_id, d.symbol, d.term, d.number,
             d.issued_on, d.fingerprint, d.title)
            for d in rows
        ]  # fmt: skip


@dataclass(frozen=True)
class PrintRun:
    report: printing.PrintReport
    folder: Path
    files: dict[str, bytes]  # relative path → the PDF without its time stamps
    register: list[tuple[object, ...]]
    cells: int


@pytest.fixture(scope="module")
def printed(
    full_demo_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[int, PrintRun]:
    """The decided year printed from two copies of the same database: by one process, and by
    two worker processes. A SQLite file alone: printing the whole year twice takes most of a
    minute, and what its tests look at (every document's pages, the split between workers)
    does not depend on the engine; print_all runs on both in the tests below."""
    runs = {}
    for workers in (1, 2):
        folder = tmp_path_factory.mktemp(f"workers-{workers}")
        path = Path(shutil.copyfile(full_demo_template, folder / "demo.sqlite"))
        with Database.open(path) as db:
            report = printing.print_all(db, LAST_YEAR, folder / "van-ban", workers=workers)
            files = {
                str(p.relative_to(folder / "van-ban")): without_time_stamps(p.read_bytes())
                for p in (folder / "van-ban").rglob("*")
                if p.is_file()
            }
            cells = len(procedure_board.board(db, LAST_YEAR))
            runs[workers] = PrintRun(report, folder / "van-ban", files, register(db), cells)
    return runs


@pytest.mark.engine_independent  # the layout of every document: on SQLite alone
def test_print_all_of_the_decided_year(printed: dict[int, PrintRun]) -> None:
    """Every document of every cell of the last full year, and the commune's decision."""
    run = printed[2]
    out, report = run.folder, run.report
    assert run.cells == 35
    assert report.skipped == ()
    assert len(report.written) == run.cells * len(printing.CELL_KINDS) + 2  # decision, summary
    folders = sorted(p for p in out.iterdir() if p.is_dir())
    assert len(folders) == run.cells
    for folder in folders:
        names = sorted(p.name for p in folder.iterdir())
        assert names == sorted(f"{printing.FILE_NAMES[k]}.pdf" for k in printing.CELL_KINDS)
    decision = out / f"quyet-dinh-cong-nhan-{LAST_YEAR}.pdf"
    text = text_of(decision.read_bytes())
    assert "QUYẾT ĐỊNH" in text and "Số 01-QĐ/ĐU" in text
    assert f"ngày 15 tháng 01 năm {LAST_YEAR + 1}" in text  # decided the January after
    assert "Chi bộ bản Pá Có" in text  # the cells in the annex
    # The summary is filed as the commune's report: numbered, dated with the decision, signed.
    report_text = text_of((out / f"bao-cao-tong-hop-{LAST_YEAR}.pdf").read_bytes())
    assert "Số 01-BC/ĐU" in report_text and f"ngày 15 tháng 01 năm {LAST_YEAR + 1}" in report_text
    assert "Nơi nhận:" in report_text and "T/M BAN THƯỜNG VỤ" in report_text
    assert "DỰ THẢO" not in report_text


@pytest.mark.engine_independent  # the layout of every document: on SQLite alone
def test_no_printed_page_shows_the_rule_set_s_internal_codes(printed: dict[int, PrintRun]) -> None:
    """Issue 17: proposal lists and the decision's annex printed "R5:", "R2:", "DIEM:" before
    the reason for a low level. A reader gets the words; the codes stay in the program."""
    run = printed[1]
    decision = run.folder / f"quyet-dinh-cong-nhan-{LAST_YEAR}.pdf"
    lists = sorted(run.folder.rglob(f"{printing.FILE_NAMES['proposal-list']}.pdf"))
    texts = {p.name: text_of(p.read_bytes()) for p in (decision, *lists)}
    codes = re.compile(r"\b(?:R\d{1,2}|DIEM|TYLE|NV|KL):")
    found = {name: codes.findall(text) for name, text in texts.items() if codes.search(text)}
    assert found == {}
    assert any("Ghi chú" in text for text in texts.values())  # low reasons are printed, in words


@pytest.mark.engine_independent  # workers on a server database: test_cancelling_the_workers…
def test_print_all_in_two_processes_prints_what_one_prints(printed: dict[int, PrintRun]) -> None:
    """The same files, byte for byte but for their time stamps, in the same order, and the
    same register rows: same numbers, fingerprints, dates, even the same row ids."""
    one, two = printed[1], printed[2]
    assert [p.relative_to(one.folder) for p in one.report.written] == [
        p.relative_to(two.folder) for p in two.report.written
    ]
    assert sorted(one.files) == sorted(two.files)
    assert [name for name in one.files if one.files[name] != two.files[name]] == []
    assert one.register == two.register
    assert len(one.register) == sum(Path(name).name in NUMBERED for name in one.files) > 100


NUMBERED = {f"{printing.FILE_NAMES[kind]}.pdf" for kind in printing.SYMBOLS} | {
    f"{printing.FILE_NAMES[kind]}-{LAST_YEAR}.pdf" for kind in printing.COMMUNE_KINDS
}


def footer_code(path: Path) -> str:
    return text_of(path.read_bytes()).split("Mã đối chiếu ")[1][:9]


def test_print_all_numbers_as_one_document_at_a_time(
    full_demo_path: Location, copy_of: CopyOf, tmp_path: Path
) -> None:
    """A cell printed whole gets the numbers and the files it gets printed one document at a
    time from the window, in the same order (the two minutes share "BB/CB")."""
    copies = [full_demo_path, copy_of(full_demo_path, "b")]
    with Database.open(copies[0]) as db:
        cell = cell_at(db, LAST_YEAR, CellStep.DECIDED)
        report = printing.print_all(db, LAST_YEAR, tmp_path / "all", cell)
        whole = register(db)
    with Database.open(copies[1]) as db:
        singles = [
            printing.render_document(db, LAST_YEAR, kind, cell, issue=True)
            for kind in printing.CELL_KINDS
        ]
        one_by_one = register(db)
    assert whole == one_by_one and [row[7] for row in whole] == [1, 1, 2, 1]
    for path, single in zip(report.written, singles, strict=True):
        assert without_time_stamps(path.read_bytes()) == without_time_stamps(single.pdf)


def test_cancelling_the_workers_keeps_whole_files_and_their_numbers_only(
    full_demo_db: Database, tmp_path: Path
) -> None:
    """Cancel once the first cell is back: the workers stop at their next document, nothing
    half-written is left, and the register holds the numbered files written, no others."""
    out = tmp_path / "van-ban"
    stop = False

    def report(_done: int, _total: int, text: str) -> None:
        nonlocal stop
        stop = stop or text.startswith("Đã in xong")

    progress = Progress(report=report, is_cancelled=lambda: stop)
    with pytest.raises(Cancelled):
        printing.print_all(full_demo_db, LAST_YEAR, out, progress=progress, workers=2)
    written = [p for p in out.rglob("*") if p.is_file()]
    assert all(p.suffix == ".pdf" and not p.name.startswith(".") for p in written)
    cells = len(procedure_board.board(full_demo_db, LAST_YEAR))
    assert 0 < len(written) < cells * len(printing.CELL_KINDS)
    assert all(text_of(p.read_bytes()) for p in written)  # every file whole
    numbered = sorted(footer_code(p) for p in written if p.name in NUMBERED)
    assert sorted(row[9] for row in register(full_demo_db)) == numbered != []


def test_cancelling_one_by_one_writes_nothing_of_the_cell_under_way(
    full_demo_db: Database, tmp_path: Path
) -> None:
    out = tmp_path / "van-ban"
    cell = cell_at(full_demo_db, LAST_YEAR, CellStep.DECIDED)
    steps: list[int] = []
    progress = Progress(
        report=lambda done, _t, _x: steps.append(done), is_cancelled=lambda: len(steps) >= 3
    )
    with pytest.raises(Cancelled):
        printing.print_all(full_demo_db, LAST_YEAR, out, cell, progress)
    assert steps == [0, 1, 2]
    assert [p for p in out.rglob("*") if p.is_file()] == []
    assert register(full_demo_db) == []


BORN = re.compile(r" \(sinh \d{4}\)$")


def test_the_decision_annex_is_what_the_appraisal_page_decided(full_demo_db: Database) -> None:
    """The decision's data is read from the stages alone; it must say what the commune's
    appraisal page shows, in the same order: cells by name, members office-holders first."""
    view = appraisal_view(full_demo_db, LAST_YEAR)
    data = document_data.decision(full_demo_db, LAST_YEAR)
    changed = [r for r in view.rows if r.changed]
    assert changed, "the demo's decision changes some proposals"

    def reason(row: AppraisalRow) -> str:
        return row.decision_reason if row.changed else ""

    orgs = [r for r in view.rows if r.subject.kind == "org"]
    assert [(o.name, o.level, o.proposed, o.reason, o.self_level) for o in data.organisations] == [
        (r.name, r.decided_level, r.proposed_level, reason(r), r.self_level) for r in orgs
    ]
    cells: dict[str, list[tuple[object, ...]]] = {}
    for r in view.rows:
        if r.subject.kind == "member":
            cells.setdefault(r.cell_name, []).append(
                (r.name, r.post, r.decided_level, r.proposed_level, reason(r), r.self_level)
            )
    assert [c.cell for c in data.cells] == list(cells)
    told_apart = 0
    for cell in data.cells:
        # Two members of one cell with the same name are told apart by their year of birth.
        assert len({m.name for m in cell.members}) == len(cell.members), cell.cell
        told_apart += sum(1 for m in cell.members if BORN.search(m.name))
        assert sorted((BORN.sub("", m.name), m.post, m.level, m.proposed, m.reason, m.self_level)
                      for m in cell.members) == sorted(cells[cell.cell])  # fmt: skip
    assert told_apart, "the demo has namesakes in one cell"


def test_the_decision_recognises_each_chi_uy_as_the_appraisal_page_shows_it(
    full_demo_db: Database,
) -> None:
    """Issue 16: the cells' chi ủy go through every step of the demo's decided year and the
    decision's Article 1 and annex recognise them beside the cells and the members."""
    view = appraisal_view(full_demo_db, LAST_YEAR)
    chi_uy = [r for r in view.rows if r.subject.kind == "collective"]
    assert chi_uy and all(
        r.self_level and r.vote_counts and r.proposed_level and r.decided_level for r in chi_uy
    )
    data = document_data.decision(full_demo_db, LAST_YEAR)
    assert [(c.name, c.level, c.self_level) for c in data.collectives] == [
        (r.name, r.decided_level, r.self_level) for r in chi_uy
    ]
    text = " ".join(text_of(render_decision(data)).split())
    assert f"{len(chi_uy)} tập thể chi ủy" in text
    assert "- Tập thể chi ủy: Hoàn thành xuất sắc nhiệm vụ:" in text
    assert "II. TẬP THỂ CHI ỦY" in text and "III. ĐẢNG VIÊN" in text
    assert chi_uy[0].name in text
