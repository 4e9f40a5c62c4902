"""A province's Word template: its places filled from the document (also a place Word split
over several runs, in a table, in the footer), the body moved in at ``{{noi_dung}}`` and
standing on its own, each copy in a section of its own, drafts marked; a template that cannot
be used is refused with a message naming the file and what is wrong."""

from __future__ import annotations

import dataclasses
import io
import re

import docx
import pytest
from docx.oxml.ns import qn

from app.documents import DOCUMENT_KINDS
from app.documents.docx_template import PLACES, TemplateError, check_template, fill_template
from app.documents.render_docx import iter_text
from app.documents.self_review import self_reviews_document
from tests.documents import samples

NAME = "/du-lieu/templates/meeting-minutes.docx"


def template(*lines: str | tuple[str, ...], footer: str = "", table: str = "") -> bytes:
    """A .docx with one paragraph per line; a tuple is one paragraph in several runs (the
    first bold), as Word leaves a place it split."""
    word = docx.Document()
    for line in lines:
        paragraph = word.add_paragraph()
        pieces = (line,) if isinstance(line, str) else line
        for index, piece in enumerate(pieces):
            run = paragraph.add_run(piece)
            run.bold = index == 0 or None
    if table:
        word.add_table(rows=1, cols=2).cell(0, 1).paragraphs[0].add_run(table)
    if footer:
        word.sections[0].footer.paragraphs[0].text = footer
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def minutes(**changes: object):  # type: ignore[no-untyped-def]
    return DOCUMENT_KINDS["meeting-minutes"].build(samples.meeting_minutes(**changes))


def text_of(content: bytes) -> list[str]:
    return list(iter_text(docx.Document(io.BytesIO(content))))


def test_the_places_are_filled_even_where_word_split_them() -> None:
    document = minutes()
    content = template(
        ("{{co_quan_", "cap_", "tren}}"),
        ("Kính gửi: ", "{{co_quan_ban_hanh}}", " (để biết)"),
        "{{ ten_van_ban }}",
        "{{trich_yeu}}",
        "{{noi_dung}}",
        ("Năm {{n", "am}}, mã {{ma_doi_chieu}}"),
        table="{{so}} — {{dia_danh_ngay}}",
        footer="Mã đối chiếu {{ma_doi_chieu}}",
    )
    filled = fill_template(content, document, NAME, year=2025)
    word = docx.Document(io.BytesIO(filled))
    lines = text_of(filled)
    assert lines[0] == "ĐẢNG BỘ XÃ NA TÔNG"
    assert lines[1] == "Kính gửi: CHI BỘ BẢN NA TÔNG 1 (để biết)"
    assert lines[2] == "BIÊN BẢN"
    assert "kiểm điểm, đánh giá, xếp loại chất lượng" in lines[3]
    assert "Chi bộ bản Na Tông 1 tiến hành hội nghị" in lines[4]  # the body, in place
    assert f"Năm 2025, mã {document.fingerprint}" in lines
    assert "Số 07-BB/CB — Na Tông, ngày 15 tháng 12 năm 2025" in lines
    assert word.sections[0].footer.paragraphs[0].text == f"Mã đối chiếu {document.fingerprint}"
    assert not any("{{" in line or "}}" in line for line in lines)
    # The value takes the format of the run where the place began (the first, bold).
    assert word.paragraphs[0].runs[0].bold
    # The heading, form code and title are the template's: not printed twice.
    assert sum("ĐẢNG CỘNG SẢN VIỆT NAM" in line for line in lines) == 0
    assert sum(line == "BIÊN BẢN" for line in lines) == 1
    # The signatures come with the body.
    assert "THƯ KÝ" in lines and "CHỦ TRÌ" in lines


def test_the_body_stands_on_its_own_in_any_template() -> None:
    filled = fill_template(template("{{noi_dung}}"), minutes(), NAME)
    body = docx.Document(io.BytesIO(filled)).element.body
    assert body.findall(f".//{qn('w:tblStyle')}") == []  # no style the template may lack
    ruled = [
        t
        for t in body.iter(qn("w:tbl"))
        if t.find(f"{qn('w:tblPr')}/{qn('w:tblBorders')}") is not None
    ]
    assert ruled  # every table draws its own rules (the signatures' "none" among them)
    fonts = {
        r.find(f"{qn('w:rPr')}/{qn('w:rFonts')}").get(qn("w:ascii"))
        for r in body.iter(qn("w:r"))
        if r.find(f"{qn('w:rPr')}/{qn('w:rFonts')}") is not None
    }
    assert fonts == {"Times New Roman"}
    # python-docx's blank document is Letter with 1-inch margins: the tables are narrowed to
    # its 6 inches between the margins.
    widths = [
        int(t.find(f"{qn('w:tblPr')}/{qn('w:tblW')}").get(qn("w:w")))
        for t in body.iter(qn("w:tbl"))
    ]
    assert max(widths) <= 6 * 1440


def test_each_copy_repeats_the_template_in_a_section_of_its_own() -> None:
    forms = [samples.self_review(), samples.self_review(full_name="Lò Thị Bình")]
    document = self_reviews_document(forms)
    filled = fill_template(
        template(
            "{{ma_mau}}",
            "{{ten_van_ban}}",
            "{{noi_dung}}",
            "Mã {{ma_doi_chieu}}",
            footer="Chân trang {{ma_doi_chieu}}",
        ),
        document,
        NAME,
    )
    word = docx.Document(io.BytesIO(filled))
    assert len(word.sections) == 2
    codes = [p.text for p in word.paragraphs if p.text.startswith("Mã ")]
    copies = [b for b in document.blocks if type(b).__name__ == "NewCopy"]
    assert codes == [f"Mã {document.fingerprint}", f"Mã {copies[0].fingerprint}"]
    # Each form's pages carry its own code in the footer, as in the PDF.
    footers = [section.footer.paragraphs[0].text for section in word.sections]
    assert footers == [f"Chân trang {document.fingerprint}", f"Chân trang {copies[0].fingerprint}"]
    lines = text_of(filled)
    assert sum(line == "BẢN KIỂM ĐIỂM CÁ NHÂN" for line in lines) == 2
    assert any("Lò Thị Bình" in line for line in lines)
    numbering = word.element.body.findall(f".//{qn('w:pgNumType')}")
    assert len(numbering) == 2 and all(n.get(qn("w:start")) == "1" for n in numbering)

    ballots = DOCUMENT_KINDS["ballot"].build(samples.ballot(copies=3))
    filled = fill_template(template("{{noi_dung}}"), ballots, NAME)
    assert len(docx.Document(io.BytesIO(filled)).sections) == 3


def test_a_draft_says_so_across_its_pages() -> None:
    document = dataclasses.replace(minutes(), draft=True)
    filled = fill_template(template("{{noi_dung}}"), document, NAME)
    header = docx.Document(io.BytesIO(filled)).sections[0].header._element.xml
    assert 'string="DỰ THẢO"' in header
    final = fill_template(template("{{noi_dung}}"), minutes(), NAME)
    assert "DỰ THẢO" not in docx.Document(io.BytesIO(final)).sections[0].header._element.xml


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"PK\x03\x04 not really", "không phải tệp Word (.docx)"),
        (b"%PDF-1.7", "không phải tệp Word (.docx)"),
        (template("{{ten_van_ban}}", "Nội dung"), "không có chỗ điền {{noi_dung}}"),
        (template("{{noi_dung}}", "{{ten}}", "{{so_van_ban}}"), "{{ten}}, {{so_van_ban}}"),
        (template("Xem {{noi_dung}}"), "đứng riêng một đoạn"),
        (template("{{noi_dung}}", "{{noi_dung}}"), "nhiều lần"),
        (template("x", table="{{noi_dung}}"), "trong bảng"),
        (template("{{noi_dung}}", footer="{{noi_dung}}"), "nhiều lần"),
        (template("{{noi_dung}}", "{{so"), "“{{”"),
    ],
)
def test_a_template_that_cannot_be_used_is_refused_naming_the_file(
    content: bytes, problem: str
) -> None:
    with pytest.raises(TemplateError) as raised:
        check_template(content, NAME)
    message = str(raised.value)
    assert message.startswith(f"Mẫu văn bản Word “{NAME}” ")
    assert problem in message
    with pytest.raises(TemplateError):
        fill_template(content, minutes(), NAME)


def test_every_place_is_known_and_ascii() -> None:
    assert all(re.fullmatch(r"[a-z_]+", name) for name in PLACES)
    assert "noi_dung" in PLACES and "ma_doi_chieu" in PLACES
