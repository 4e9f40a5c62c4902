"""The shared party-document frame: A4, embedded fonts only, NFC text, the fingerprint."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata

from pypdf import PdfReader
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph

from app.documents.blocks import heading_block, signatures, title_block
from app.documents.data import Heading, Signer
from app.documents.layout import PartyDocument
from app.documents.styles import BODY, text
from app.documents.tables import data_table
from app.domain.fingerprint import fingerprint


def render(rows: int = 3, name: str = "Lò Văn Pọm") -> bytes:
    doc = PartyDocument("Thử", fingerprint({"rows": rows, "name": name}))
    heading = Heading("Đảng bộ xã Na Tông", "Chi bộ bản Na Tông 1", "Số 07-BB/CB", "Na Tông",
                      dt.date(2025, 12, 15))  # fmt: skip
    table = data_table(
        ["STT", "Họ và tên"], [[i + 1, name] for i in range(rows)], [15 * mm, 80 * mm]
    )
    story = [
        heading_block(heading, doc.width),
        *title_block("Biên bản thử", "năm 2025"),
        table,
        Paragraph(text(name), BODY),
        signatures(doc.width, Signer("Thư ký", "Lò Thị Ín"), Signer("Chủ trì", name)),
    ]
    return doc.build(story)


def fonts_of(pdf: bytes) -> set[tuple[str, bool]]:
    reader = PdfReader(io.BytesIO(pdf))
    found = set()
    for page in reader.pages:
        resources = page["/Resources"]
        for font in resources.get("/Font", {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            embedded = bool(descriptor and descriptor.get_object().get("/FontFile2"))
            found.add((str(font["/BaseFont"]), embedded))
    return found


def test_pages_are_a4_and_every_font_is_embedded() -> None:
    pdf = render(rows=80)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 2
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width), round(height)) == (595, 842)
    fonts = fonts_of(pdf)
    assert fonts and all(embedded for _, embedded in fonts)
    assert not any("Helvetica" in name for name, _ in fonts)


def test_heading_text_is_searchable_and_pages_are_numbered_from_two() -> None:
    pdf = render(rows=80)
    reader = PdfReader(io.BytesIO(pdf))
    first = reader.pages[0].extract_text()
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in first
    assert "ĐẢNG BỘ XÃ NA TÔNG" in first and "CHI BỘ BẢN NA TÔNG 1" in first
    assert "Na Tông, ngày 15 tháng 12 năm 2025" in first
    assert "BIÊN BẢN THỬ" in first
    second = reader.pages[1].extract_text()
    assert second.lstrip().startswith("2") or "\n2\n" in second


def test_decomposed_input_comes_out_composed() -> None:
    pdf = render(name=unicodedata.normalize("NFD", "Nguyễn Thị Ánh"))
    extracted = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Nguyễn Thị Ánh" in unicodedata.normalize("NFC", extracted)
    assert "Nguyễn Thị Ánh" in extracted


def test_the_footer_carries_the_fingerprint_of_the_content() -> None:
    pdf = render(name="Lò Văn Pọm")
    extracted = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    code = fingerprint({"rows": 3, "name": "Lò Văn Pọm"})
    assert f"Mã đối chiếu {code}" in extracted
    assert fingerprint({"rows": 3, "name": "Lò Văn Pom"}) != code
