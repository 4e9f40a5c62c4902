"""The Word copy of every document: it opens with python-docx, says what the PDF says (every
word of the PDF's text is in it, the page numbers and footer aside), keeps its tables as real
Word tables with repeated header rows and its signature blocks, is A4 with the PDF's margins in
Times New Roman; and LibreOffice lays it out on as many pages as reportlab, within one."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document as open_docx
from docx.oxml.ns import qn

from app.documents import DOCUMENT_KINDS
from app.documents.render_docx import iter_text, render_docx
from app.documents.render_pdf import render_pdf
from tests.documents import samples

SAMPLES: dict[str, Callable[..., object]] = samples.BY_KIND
KINDS = sorted(SAMPLES)


def _word(kind: str) -> tuple[object, bytes, bytes]:
    data = SAMPLES[kind]()
    document = DOCUMENT_KINDS[kind].build(data)
    return data, render_docx(document), render_pdf(document)


def _words(text: str) -> set[str]:
    return set(re.findall(r"[\wÀ-ỹ/%,.()-]+", text.replace("\u00a0", " ")))


def _docx_text(content: bytes) -> str:
    return "\n".join(iter_text(open_docx(io.BytesIO(content))))


@pytest.mark.parametrize("kind", KINDS)
def test_the_word_copy_says_every_word_the_pdf_says(kind: str) -> None:
    _data, word, pdf = _word(kind)
    pdf_text = " ".join(samples.pages(pdf))
    # What only the PDF's page frame prints: page numbers, the footer's code, the draft mark.
    frame = re.compile(r"^(\d+|Mã|đối|chiếu|\w{4}-\w{4}|DỰ|THẢO)$")
    missing = {w for w in _words(pdf_text) - _words(_docx_text(word)) if not frame.match(w)}
    # A word the PDF wraps inside a table cell may be split at its hyphen or slash.
    missing = {w for w in missing if not any(w in x for x in _words(_docx_text(word)))}
    assert not missing, f"{kind}: words of the PDF missing from the .docx: {sorted(missing)}"


@pytest.mark.parametrize("kind", KINDS)
def test_the_word_copy_is_a4_with_the_format_margins_in_times(kind: str) -> None:
    _data, word, _pdf = _word(kind)
    opened = open_docx(io.BytesIO(word))
    for section in opened.sections:
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
        assert round(section.left_margin.mm) == 30 and round(section.right_margin.mm) == 15
        assert round(section.top_margin.mm) == 20 and round(section.bottom_margin.mm) == 20
    normal = opened.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size.pt == 14
    assert "Mã đối chiếu" in opened.sections[0].first_page_footer.paragraphs[0].text
    fields = [e.text for e in opened.sections[0].header._element.iter(qn("w:instrText"))]
    assert any("PAGE" in f for f in fields), "page numbers are a Word field"


def _header_rows(table) -> int:
    return sum(
        1
        for row in table._tbl.tr_lst
        if row.trPr is not None and row.trPr.find(qn("w:tblHeader")) is not None
    )


def test_the_proposal_list_is_a_word_table_with_its_header_repeated() -> None:
    data, word, _pdf = _word("proposal-list")
    opened = open_docx(io.BytesIO(word))
    ruled = [t for t in opened.tables if t.style is not None and t.style.name == "Table Grid"]
    assert ruled, "the list is a real Word table"
    roster = ruled[0]
    assert _header_rows(roster) >= 1
    header = " ".join(cell.text for cell in roster.rows[0].cells)
    assert "Họ và tên" in header
    names = " ".join(cell.text for row in roster.rows for cell in row.cells)
    for row in data.members:  # type: ignore[attr-defined]
        assert row.name in names


def test_the_meeting_minutes_sign_side_by_side_with_the_names_printed() -> None:
    data, word, _pdf = _word("meeting-minutes")
    opened = open_docx(io.BytesIO(word))
    signing = [t for t in opened.tables if "THƯ KÝ" in t.rows[0].cells[0].text]
    assert signing, "secretary and chair sign in a two-column block"
    block = signing[-1]
    assert "CHỦ TRÌ" in block.rows[0].cells[1].text
    names = [block.rows[2].cells[0].text, block.rows[2].cells[1].text]
    assert data.secretary.name in names[0] and data.chair.name in names[1]  # type: ignore[attr-defined]


def test_the_decision_names_its_recipients_beside_the_signature() -> None:
    data, word, _pdf = _word("decision")
    text = _docx_text(word)
    assert "Nơi nhận:" in text
    for recipient in data.recipients:  # type: ignore[attr-defined]
        assert f"- {recipient}" in text
    assert "QUYẾT ĐỊNH" in text and "ĐẢNG CỘNG SẢN VIỆT NAM" in text


def test_a_ballot_of_three_copies_numbers_each_copy_from_one() -> None:
    document = DOCUMENT_KINDS["ballot"].build(samples.ballot(copies=3))
    opened = open_docx(io.BytesIO(render_docx(document)))
    assert len(opened.sections) == 3
    for section in opened.sections:
        start = section._sectPr.find(qn("w:pgNumType"))
        assert start is not None and start.get(qn("w:start")) == "1"


def test_a_draft_carries_the_draft_mark() -> None:
    document = DOCUMENT_KINDS["decision"].build(samples.decision(draft=True))
    opened = open_docx(io.BytesIO(render_docx(document)))
    header = opened.sections[0].first_page_header._element.xml
    assert "DỰ THẢO" in header


def test_a_self_review_ticks_the_chosen_level() -> None:
    data, word, _pdf = _word("self-review")
    text = _docx_text(word)
    assert "\u2612" in text and "\u25a1" in text  # ☒ the chosen level, □ the others
    assert data.full_name in text  # type: ignore[attr-defined]


# --- LibreOffice lays the .docx out as reportlab does -----------------------------------------

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def test_libreoffice_prints_each_kind_on_as_many_pages_as_the_pdf(tmp_path: Path) -> None:
    # A test package of the README's line, as softhsm2 is for the signing tests: missing, the
    # test fails and says what to install, rather than pass unseen.
    assert SOFFICE is not None, (
        "LibreOffice is missing: sudo apt-get install libreoffice-writer-nogui fonts-liberation2"
    )
    expected: dict[str, int] = {}
    for kind in KINDS:
        _data, word, pdf = _word(kind)
        (tmp_path / f"{kind}.docx").write_bytes(word)
        expected[kind] = len(samples.pages(pdf))
    profile = tmp_path / "profile"
    subprocess.run(
        [
            str(SOFFICE),
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "out"),
            *[str(tmp_path / f"{kind}.docx") for kind in KINDS],
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    counts = {
        kind: len(samples.pages((tmp_path / "out" / f"{kind}.pdf").read_bytes())) for kind in KINDS
    }
    far = {k: (counts[k], expected[k]) for k in KINDS if abs(counts[k] - expected[k]) > 1}
    assert not far, f"pages in LibreOffice vs reportlab: {far}"
