"""What every document owes the reader: A4, embedded fonts only, NFC text, the fingerprint of
its data in the footer of every page, and a place in the registry."""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader

import app.documents
from app.documents import DOCUMENT_KINDS, render
from app.documents.data import CellDecision, DecidedMember
from app.documents.pages import first_pages
from app.domain.fingerprint import fingerprint
from tests.documents import samples

SAMPLES: dict[str, Callable[..., object]] = samples.BY_KIND

# One text field per kind, to check that NFD input comes out NFC and changes the fingerprint.
NAME_FIELD = {
    "self-review": "full_name",
    "collective-report": "collective",
    "ballot": "collective",
    "tally-minutes": "cell",
    "meeting-minutes": "cell",
    "proposal-list": "cell",
    "decision": "deciding_body",
    "summary": "node",
    "quarter-rating": "full_name",
}
NAME_VALUE = {
    "self-review": "Nguyễn Thị Ánh",
    "collective-report": "Chi bộ bản Huổi Hẹ",
    "ballot": "Chi bộ bản Huổi Hẹ",
    "tally-minutes": "Chi bộ bản Huổi Hẹ",
    "meeting-minutes": "Chi bộ bản Huổi Hẹ",
    "proposal-list": "Chi bộ bản Huổi Hẹ",
    "decision": "Ban Thường vụ Đảng ủy xã Mường Phăng",
    "summary": "Đảng bộ xã Mường Phăng",
    "quarter-rating": "Nguyễn Thị Ánh",
}

KINDS = sorted(SAMPLES)


def test_the_registry_lists_every_kind_with_a_vietnamese_title() -> None:
    assert set(DOCUMENT_KINDS) == set(SAMPLES)
    for name, kind in DOCUMENT_KINDS.items():
        assert kind.kind == name
        assert kind.title and kind.title[0].isupper()
        assert isinstance(SAMPLES[name](), kind.data_type)


@pytest.fixture(scope="module")
def rendered() -> dict[str, bytes]:
    return {name: DOCUMENT_KINDS[name].render(SAMPLES[name]()) for name in KINDS}


@pytest.mark.parametrize("kind", KINDS)
def test_pages_are_a4_and_every_font_is_embedded(kind: str, rendered: dict[str, bytes]) -> None:
    pdf = rendered[kind]
    assert pdf.startswith(b"%PDF")
    sizes = samples.page_sizes(pdf)
    assert sizes and all(size == (595, 842) for size in sizes)
    fonts = samples.fonts_of(pdf)
    assert fonts and all(embedded for _, embedded in fonts)
    assert not any("Helvetica" in name or "Times-" in name for name, _ in fonts)
    assert all("LiberationSerif" in name for name, _ in fonts)


@pytest.mark.parametrize("kind", KINDS)
def test_the_party_heading_is_on_the_first_page(kind: str, rendered: dict[str, bytes]) -> None:
    first = samples.pages(rendered[kind])[0]
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in first
    data = SAMPLES[kind]()
    assert data.heading.issuer.upper() in first
    assert data.heading.superior.upper() in first
    assert "năm 20" in first


@pytest.mark.parametrize("kind", KINDS)
def test_every_page_carries_the_fingerprint_of_the_data(
    kind: str, rendered: dict[str, bytes]
) -> None:
    data = SAMPLES[kind]()
    codes = samples.footer_codes(rendered[kind])
    assert codes and all(code == fingerprint(data) for code in codes)


def page_drawing(pdf: bytes, index: int) -> bytes:
    """What page *index* draws: its content stream, uncompressed."""
    return PdfReader(io.BytesIO(pdf)).pages[index].get_contents().get_data()


@pytest.mark.parametrize("kind", KINDS)
def test_the_first_page_alone_is_the_first_page_of_the_whole(
    kind: str, rendered: dict[str, bytes]
) -> None:
    """What the preview shows while the rest is laid out is what the whole document holds."""
    with first_pages(1):
        first = DOCUMENT_KINDS[kind].render(SAMPLES[kind]())
    assert len(PdfReader(io.BytesIO(first)).pages) == 1
    assert page_drawing(first, 0) == page_drawing(rendered[kind], 0)


def test_the_first_page_of_a_long_decision_leaves_the_annex_out() -> None:
    names = samples.big_names(20 * 15)
    cells = tuple(
        CellDecision(
            f"Chi bộ bản số {c + 1}",
            tuple(DecidedMember(n, "HTTNV") for n in names[c * 15 : c * 15 + 15]),
        )
        for c in range(20)
    )
    data = samples.decision(cells=cells)
    whole = render(data)
    with first_pages(1):
        first = render(data)
    assert len(PdfReader(io.BytesIO(whole)).pages) > 5
    assert samples.pages(first) == samples.pages(whole)[:1]
    assert page_drawing(first, 0) == page_drawing(whole, 0)


@pytest.mark.parametrize("kind", KINDS)
def test_changing_one_field_changes_the_fingerprint(kind: str) -> None:
    data = SAMPLES[kind]()
    changed = dataclasses.replace(data, **{NAME_FIELD[kind]: NAME_VALUE[kind]})
    assert fingerprint(changed) != fingerprint(data)
    codes = samples.footer_codes(render(changed))
    assert set(codes) == {fingerprint(changed)}


@pytest.mark.parametrize("kind", KINDS)
def test_decomposed_input_comes_out_composed(kind: str) -> None:
    value = NAME_VALUE[kind]
    data = SAMPLES[kind](**{NAME_FIELD[kind]: samples.nfd(value)})
    text = samples.flat(render(data))
    assert value in text
    assert samples.nfd(value) not in text


def test_render_refuses_an_unknown_data_type() -> None:
    with pytest.raises(TypeError, match="Không có mẫu văn bản"):
        render(object())


def test_documents_import_neither_the_database_nor_qt() -> None:
    folder = Path(app.documents.__file__).parent
    sources = sorted(folder.glob("*.py"))
    assert len(sources) > 5
    for path in sources:
        code = path.read_text(encoding="utf-8")
        for banned in ("app.store", "app.services", "app.ui", "app.cli", "PySide6"):
            assert f"import {banned}" not in code, path.name
            assert f"from {banned}" not in code, path.name
