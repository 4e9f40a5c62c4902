"""The Word copy of a document: the same model the PDF prints, laid out by python-docx, or
poured into the province's own template for its kind when the data folder has one
(``templates/<kind>.docx``, see ``app.documents.docx_template``).

The Word copy is for an office to reword and print; the PDF stays the signed record, and
nothing here touches it. A template that cannot be used is an error naming the file, never a
quiet fallback to the built-in layout.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app import paths
from app.documents import DOCUMENT_KINDS
from app.documents import docx_template as templates
from app.documents.model import Document
from app.documents.quarter_rating import quarter_ratings_document
from app.documents.render_docx import render_docx
from app.documents.self_review import self_reviews_document
from app.documents.tally_minutes import TallyNotAgreedError
from app.services.common.errors import ServiceError, describe_os_error


@dataclass(frozen=True)
class WordTemplate:
    """A template read from the data folder and checked: its file, its bytes."""

    kind: str
    path: str
    content: bytes


def template_path(kind: str) -> Path:
    """Where the template for *kind* would be: ``templates/<kind>.docx`` in the data folder."""
    return paths.templates_dir() / f"{kind}.docx"


def find_template(kind: str) -> WordTemplate | None:
    """The template for *kind*, read and checked; None when the data folder has none.
    Raises ServiceError naming the file when it is there but cannot be used."""
    path = template_path(kind)
    if not path.exists():
        return None
    try:
        content = path.read_bytes()
    except OSError as error:
        raise ServiceError(describe_os_error(error, path, "đọc")) from error
    try:
        templates.check_template(content, str(path))
    except templates.TemplateError as error:
        raise ServiceError(str(error)) from error
    return WordTemplate(kind, str(path), content)


def find_templates(kinds: Iterable[str]) -> dict[str, WordTemplate]:
    """The templates of *kinds* that exist, each checked (before anything is printed)."""
    found = {}
    for kind in dict.fromkeys(kinds):
        template = find_template(kind)
        if template is not None:
            found[kind] = template
    return found


def document_of(kind: str, data: Any) -> Document:
    """The neutral model of a document from its gathered data (every member's self-review
    or quarterly form in one document when *data* is a list of them)."""
    try:
        if isinstance(data, list):
            if not data:
                raise ServiceError("Không có đảng viên nào được xếp loại để in bản kiểm điểm")
            if kind == "self-review":
                return self_reviews_document(data)
            if kind == "quarter-rating":
                return quarter_ratings_document(data)
            raise ValueError(f"a list of data for {kind}")
        return DOCUMENT_KINDS[kind].build(data)
    except TallyNotAgreedError as error:
        raise ServiceError(str(error)) from error


def render_word(
    kind: str, data: Any, *, year: int | None = None, template: WordTemplate | None = None
) -> bytes:
    """The document as .docx bytes: in *template* when given, else in the built-in layout."""
    document = document_of(kind, data)
    if template is None:
        return render_docx(document)
    try:
        return templates.fill_template(template.content, document, template.path, year=year)
    except templates.TemplateError as error:
        raise ServiceError(str(error)) from error
