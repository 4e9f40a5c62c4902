"""The layout fixes one can measure: aligned signature names, the date level with the number,
level codes that never break mid-word, writing lines that split across pages."""

from __future__ import annotations

import datetime as dt
import io

from pypdf import PdfReader
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph

from app.documents.blocks import heading_block, signature_grid, signatures, title_block
from app.documents.data import Heading, Signer
from app.documents.flowables import WritingLines
from app.documents.layout import PartyDocument
from app.documents.styles import BODY, CELL_HEAD
from app.documents.tables import data_table, fitted
from app.domain.formatting import format_date_long
from tests.documents import samples


def positions(pdf: bytes) -> dict[str, list[tuple[float, float]]]:
    """Every run of text on the first page with where it starts (x, y)."""
    found: dict[str, list[tuple[float, float]]] = {}
    page = PdfReader(io.BytesIO(pdf)).pages[0]

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if text.strip():
            x = tm[4] * cm[0] + cm[4]
            y = tm[5] * cm[3] + cm[5]
            found.setdefault(text.strip(), []).append((round(x, 1), round(y, 1)))

    page.extract_text(visitor_text=visit)
    return found


def build(story_of) -> bytes:
    doc = PartyDocument("Thử", "0000-0000")
    return doc.build(story_of(doc))


def test_signature_names_line_up_when_one_block_has_an_authority_line() -> None:
    pdf = build(
        lambda doc: [
            Paragraph("Biên bản thử.", BODY),
            signatures(
                doc.width,
                Signer("Thư ký", "Lò Thị Ín"),
                Signer("Bí thư", "Lò Văn Pọm", "T/M Chi bộ"),
            ),
        ]
    )
    found = positions(pdf)
    (left,) = found["Lò Thị Ín"]
    (right,) = found["Lò Văn Pọm"]
    assert left[1] == right[1]
    assert found["THƯ KÝ"][0][1] == found["T/M CHI BỘ"][0][1]  # both blocks start level


def test_a_tally_committee_signs_in_one_row_with_names_level() -> None:
    names = ["Quàng Văn Hặc", "Lường Thị Ín", "Tòng Thị Xuân"]
    pdf = build(
        lambda doc: [
            signature_grid(
                doc.width,
                [Signer("Tổ trưởng", names[0]), *[Signer("Thành viên", n) for n in names[1:]]],
            )
        ]
    )
    found = positions(pdf)
    assert len({found[name][0][1] for name in names}) == 1


def test_the_date_line_is_level_with_the_number_line() -> None:
    heading = Heading("Đảng bộ xã Na Tông", "Chi bộ bản Na Tông 1", "Số 07-BB/CB", "Na Tông",
                      dt.date(2025, 2, 5))  # fmt: skip
    pdf = build(lambda doc: [heading_block(heading, doc.width), *title_block("Biên bản")])
    found = positions(pdf)
    date = f"Na Tông, {format_date_long(dt.date(2025, 2, 5))}"
    assert date == "Na Tông, ngày 05 tháng 02 năm 2025"
    assert found["Số 07-BB/CB"][0][1] == found[date][0][1]
    # Left block: superior above issuer above "*" above the number, all centred on one axis.
    superior, issuer = found["ĐẢNG BỘ XÃ NA TÔNG"][0], found["CHI BỘ BẢN NA TÔNG 1"][0]
    star, number = found["*"][0], found["Số 07-BB/CB"][0]
    assert superior[1] > issuer[1] > star[1] > number[1]
    assert found["ĐẢNG CỘNG SẢN VIỆT NAM"][0][1] == superior[1]


def test_narrow_level_columns_shrink_the_header_instead_of_breaking_the_code() -> None:
    style = fitted("HTXSNV", CELL_HEAD, 12 * mm)
    assert style.fontSize < CELL_HEAD.fontSize
    assert fitted("HTTNV", CELL_HEAD, 30 * mm) is CELL_HEAD
    codes = ["HTXSNV", "HTTNV", "HTNV", "KHTNV"]
    pdf = build(
        lambda doc: [
            data_table(
                ["STT", "Họ và tên", *codes],
                [[1, "Lò Văn Pọm", "", "", "", ""]],
                [10 * mm, 60 * mm, 14 * mm, 14 * mm, 14 * mm, 12 * mm],
            )
        ]
    )
    text = samples.pages(pdf)[0]
    for code in codes:
        assert code in text.split(), code


def test_writing_lines_split_across_pages() -> None:
    pdf = build(lambda doc: [Paragraph("Nhận xét:", BODY), WritingLines(60)])
    assert len(samples.pages(pdf)) == 2
    lines = WritingLines(10)
    first, rest = lines.split(400, 5 * 8 * mm + 1)
    assert (first.count, rest.count) == (5, 5)
