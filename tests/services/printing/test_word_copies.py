"""The Word copy of a document from the records (issue 20): the same number, fingerprint and
draft mark as its PDF, written where the PDF would go with the ending .docx; the province's
template for its kind used when the data folder has one, checked before anything is printed,
and never touching the PDF."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from app import paths
from app.documents.render_docx import iter_text
from app.domain import clock
from app.domain.procedure import CellStep
from app.services.common.errors import ServiceError
from app.services.printing import documents as printing
from app.services.procedure import board as procedure_board
from app.store.database import Database

THIS_YEAR = clock.today().year  # the demo's year under way
LAST_YEAR = THIS_YEAR - 1  # decided


def word_text(content: bytes) -> str:
    return "\n".join(iter_text(docx.Document(io.BytesIO(content))))


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def cell_at(db: Database, year: int, step: CellStep) -> tuple[int, str]:
    row = next(r for r in procedure_board.board(db, year) if r.step is step)
    return row.cell_id, row.cell_name


def put_template(kind: str, *lines: str) -> Path:
    word = docx.Document()
    for line in lines:
        word.add_paragraph(line)
    word.sections[0].footer.paragraphs[0].text = "Mã đối chiếu {{ma_doi_chieu}}"
    folder = paths.templates_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{kind}.docx"
    word.save(str(path))
    return path


def test_the_word_copy_says_what_the_pdf_says(full_demo_db: Database) -> None:
    db = full_demo_db
    cell, name = cell_at(db, LAST_YEAR, CellStep.DECIDED)
    pdf = printing.render_document(db, LAST_YEAR, "meeting-minutes", cell, issue=True)
    word = printing.render_document(
        db, LAST_YEAR, "meeting-minutes", cell, issue=True, format="docx"
    )
    assert word.format == "docx" and word.file_name == pdf.file_name.replace(".pdf", ".docx")
    assert (word.number, word.fingerprint) == (pdf.number, pdf.fingerprint)
    text = word_text(word.content)
    assert name.upper() in text and "BIÊN BẢN" in text and word.number in text
    with pytest.raises(ValueError):
        _ = word.pdf  # a Word copy is never taken for the record


def test_a_draft_word_copy_is_marked_and_takes_no_number(full_demo_db: Database) -> None:
    cell, _name = cell_at(full_demo_db, THIS_YEAR, CellStep.VOTING)
    word = printing.render_document(
        full_demo_db, THIS_YEAR, "meeting-minutes", cell, issue=True, format="docx"
    )
    assert word.number == ""
    header = docx.Document(io.BytesIO(word.content)).sections[0].header._element.xml
    assert 'string="DỰ THẢO"' in header


def test_the_province_template_is_used_for_word_and_never_for_the_pdf(
    full_demo_db: Database,
) -> None:
    db = full_demo_db
    cell, name = cell_at(db, LAST_YEAR, CellStep.DECIDED)
    before = printing.render_document(db, LAST_YEAR, "proposal-list", cell, issue=True)
    put_template(
        "proposal-list",
        "{{co_quan_cap_tren}} | {{co_quan_ban_hanh}} | {{so}}",
        "TỈNH ỦY MẪU — {{ten_van_ban}} năm {{nam}}",
        "{{noi_dung}}",
    )
    word = printing.render_document(db, LAST_YEAR, "proposal-list", cell, issue=True, format="docx")
    lines = list(iter_text(docx.Document(io.BytesIO(word.content))))
    assert lines[0] == f"ĐẢNG BỘ XÃ NA TÔNG | {name.upper()} | {before.number}"
    assert lines[1] == f"TỈNH ỦY MẪU — DANH SÁCH ĐỀ NGHỊ năm {LAST_YEAR}"
    footer = docx.Document(io.BytesIO(word.content)).sections[0].footer.paragraphs[0].text
    assert footer == f"Mã đối chiếu {word.fingerprint}"
    after = printing.render_document(db, LAST_YEAR, "proposal-list", cell, issue=True)
    assert pdf_text(after.pdf) == pdf_text(before.pdf)  # the PDF ignores templates
    assert "TỈNH ỦY MẪU" not in pdf_text(after.pdf)


def test_a_bad_template_stops_the_word_print_naming_the_file(
    full_demo_db: Database, tmp_path: Path
) -> None:
    db = full_demo_db
    cell, _name = cell_at(db, LAST_YEAR, CellStep.DECIDED)
    path = put_template("ballot", "{{ten_van_ban}}", "Không có chỗ nội dung")
    with pytest.raises(ServiceError) as raised:
        printing.render_document(db, LAST_YEAR, "ballot", cell, format="docx")
    assert str(path) in str(raised.value) and "{{noi_dung}}" in str(raised.value)
    # Print everything checks the templates first: nothing is written, not even the folder.
    out = tmp_path / "van-ban"
    with pytest.raises(ServiceError, match=r"ballot\.docx"):
        printing.print_all(db, LAST_YEAR, out, cell, format="docx")
    assert not out.exists()
    # The PDF does not care.
    assert printing.render_document(db, LAST_YEAR, "ballot", cell).pdf.startswith(b"%PDF")


def test_print_all_as_word_writes_docx_where_the_pdfs_go(
    full_demo_db: Database, tmp_path: Path
) -> None:
    db = full_demo_db
    cell, name = cell_at(db, LAST_YEAR, CellStep.DECIDED)
    put_template("self-review", "{{ten_van_ban}}", "{{noi_dung}}")
    pdfs = printing.print_all(db, LAST_YEAR, tmp_path / "pdf", cell, workers=1)
    words = printing.print_all(db, LAST_YEAR, tmp_path / "word", cell, workers=1, format="docx")
    assert [p.relative_to(tmp_path / "word").with_suffix(".pdf") for p in words.written] == [
        p.relative_to(tmp_path / "pdf") for p in pdfs.written
    ]
    assert len(words.written) == 6 and all(p.suffix == ".docx" for p in words.written)
    forms = next(p for p in words.written if p.name == "ban-kiem-diem-ca-nhan.docx")
    assert word_text(forms.read_bytes()).startswith("BẢN KIỂM ĐIỂM CÁ NHÂN")  # the template's
    minutes = next(p for p in words.written if p.name == "bien-ban-hoi-nghi.docx")
    assert name.upper() in word_text(minutes.read_bytes())


def test_an_unknown_format_is_refused(full_demo_db: Database) -> None:
    cell, _name = cell_at(full_demo_db, LAST_YEAR, CellStep.DECIDED)
    with pytest.raises(ServiceError, match="định dạng"):
        printing.render_document(full_demo_db, LAST_YEAR, "ballot", cell, format="odt")


def test_write_new_never_replaces_a_copy(tmp_path: Path) -> None:
    first = printing.write_new(tmp_path / "w", "bien-ban-2025.docx", b"1")
    second = printing.write_new(tmp_path / "w", "bien-ban-2025.docx", b"2")
    assert first.name == "bien-ban-2025.docx" and second.name == "bien-ban-2025-2.docx"
    assert first.read_bytes() == b"1" and second.read_bytes() == b"2"
