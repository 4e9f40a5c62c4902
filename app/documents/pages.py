"""How much of a document to build: all of it, or its first pages for the preview's first
look. Read by the document kinds (the decision leaves out an annex that could only start
later) and by the PDF renderer (it stops after those pages); neutral, so the kinds stay free
of any renderer."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_page_limit: ContextVar[int | None] = ContextVar("page_limit", default=None)


@contextmanager
def first_pages(count: int) -> Iterator[None]:
    """Within the block, every document built stops after its first *count* pages.

    The preview shows page 1 of a long document (the decision and its annex) at once and lays
    out the rest in the background. The pages made are the same as the first pages of the
    whole document: a page's content never depends on what comes after it.
    """
    token = _page_limit.set(max(1, count))
    try:
        yield
    finally:
        _page_limit.reset(token)


def page_limit() -> int | None:
    """The page count :func:`first_pages` stops at, or None when whole documents are built.

    A renderer may leave out what can only start after that page (the decision's annex,
    after a page break) rather than build it for nothing."""
    return _page_limit.get()
