"""A cell's self-review forms printed as one PDF: the same pages as each form alone, in order,
each starting on its own page numbered as a first page, with its own code in the footer."""

from __future__ import annotations

import datetime as dt

import pytest

from app.documents.model import NewCopy, PageBreak
from app.documents.self_review import (
    render_self_review,
    render_self_reviews,
    self_review_document,
    self_reviews_document,
)
from app.domain.fingerprint import fingerprint
from tests.documents import samples

FORMS = [
    samples.self_review(),
    samples.self_review(full_name="Lò Thị Mai", birth_date=dt.date(1990, 7, 1)),
    samples.self_review(full_name="Quàng Văn Sơn", variant="2A", form_code="Mẫu 2A-HD KĐ.ĐG 2025"),
]


def test_the_forms_together_are_the_forms_one_after_the_other() -> None:
    alone = [render_self_review(form) for form in FORMS]
    together = render_self_reviews(FORMS)
    assert samples.pages(together) == [page for pdf in alone for page in samples.pages(pdf)]
    assert samples.page_numbers(together) == [
        number for pdf in alone for number in samples.page_numbers(pdf)
    ]
    assert samples.footer_codes(together) == [
        code for pdf in alone for code in samples.footer_codes(pdf)
    ]


def test_each_form_carries_its_own_code_and_starts_at_page_one() -> None:
    together = render_self_reviews(FORMS)
    codes = samples.footer_codes(together)
    numbers = samples.page_numbers(together)
    starts = [i for i, text in enumerate(samples.pages(together)) if "Họ và tên:" in text]
    assert len(starts) == len(FORMS)
    for form, start, end in zip(FORMS, starts, [*starts[1:], len(codes)], strict=True):
        assert set(codes[start:end]) == {fingerprint(form)}
        assert numbers[start] == ""  # a first page has no number
        assert numbers[start + 1 : end] == [str(n) for n in range(2, end - start + 1)]


def test_the_document_is_the_forms_blocks_with_a_new_copy_between() -> None:
    together = self_reviews_document(FORMS)
    expected: list[object] = []
    for index, form in enumerate(FORMS):
        if index:
            expected += [PageBreak(), NewCopy(fingerprint(form))]
        expected += self_review_document(form).blocks
    assert list(together.blocks) == expected
    assert together.fingerprint == fingerprint(FORMS[0])


def test_nothing_to_print_is_refused() -> None:
    with pytest.raises(ValueError):
        render_self_reviews([])
    with pytest.raises(ValueError):
        self_reviews_document([])
