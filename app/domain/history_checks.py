"""Checks of a member's history records (periods and discipline), shared by the members
workbook and the exchange package: what the window would refuse to save.

A period runs from its first day; its end is the day the member is back (``end_on`` is not
part of it, as the roster reads it), and no end means it still runs. Two periods of the same
kind of one member may touch but not overlap.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TypeVar

from app.domain.formatting import format_date

T = TypeVar("T")


def end_problem(start: dt.date, end: dt.date | None, what: str = "ngày kết thúc") -> str | None:
    """The problem with an end (or erasure) date before its start, or None."""
    if end is not None and end < start:
        return f"{what} {format_date(end)} trước ngày bắt đầu {format_date(start)}"
    return None


def overlaps(a: tuple[dt.date, dt.date | None], b: tuple[dt.date, dt.date | None]) -> bool:
    """Whether two periods [start, end) share a day; an open end runs on."""
    (a_start, a_end), (b_start, b_end) = a, b
    return (b_end is None or a_start < b_end) and (a_end is None or b_start < a_end)


def first_overlap(
    span: tuple[dt.date, dt.date | None], others: Iterable[tuple[T, tuple[dt.date, dt.date | None]]]
) -> T | None:
    """The label of the first of *others* that overlaps *span*, or None."""
    return next((label for label, other in others if overlaps(span, other)), None)


def span_text(start: dt.date, end: dt.date | None) -> str:
    """ "từ 01/03/2025 đến 01/06/2025" or "từ 01/03/2025" (still running)."""
    text = f"từ {format_date(start)}"
    return text + (f" đến {format_date(end)}" if end is not None else "")
