"""Leave counted in calendar months (R4: sick leave "từ 3 tháng trở lên" in the year).

A span is a first and a last day, both included (as a member's period is recorded). A span
covers *n* whole months when it reaches the day before the same day *n* months after its
first day (1/2–30/4 is three months; 1/2–29/4 is two months and 29 days); a first day the
later month lacks (31/1 + 1 month) moves to the first day of the month after, so 31/1–28/2 is
one month. Overlapping or touching spans are joined first; the whole months of separate spans
are added up, and so are their remaining days, every 30 of which count as one more month.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from app.domain.formatting import format_date

DAYS_PER_MONTH = 30  # only for remainders of separate spans


@dataclass(frozen=True, order=True)
class LeaveSpan:
    """A leave from ``start`` to ``end``, both days included."""

    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class LeaveLength:
    months: int
    days: int  # fewer than 30 once the remainders are folded into months

    @property
    def text(self) -> str:
        """ "3 tháng", "2 tháng 29 ngày", "15 ngày"."""
        if self.months and self.days:
            return f"{self.months} tháng {self.days} ngày"
        if self.months:
            return f"{self.months} tháng"
        return f"{self.days} ngày"


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day *months* later; when that month lacks the day, the first day of the
    month after it."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    if day.day <= calendar.monthrange(year, month)[1]:
        return dt.date(year, month, day.day)
    year, month = divmod(index + 1, 12)
    return dt.date(year, month + 1, 1)


def joined(spans: Iterable[LeaveSpan]) -> list[LeaveSpan]:
    """*spans* in order, overlapping or touching ones joined; empty ones dropped."""
    result: list[LeaveSpan] = []
    for span in sorted(s for s in spans if s.start <= s.end):
        if result and span.start <= result[-1].end + dt.timedelta(days=1):
            last = result[-1]
            result[-1] = LeaveSpan(last.start, max(last.end, span.end))
        else:
            result.append(span)
    return result


def span_length(span: LeaveSpan) -> LeaveLength:
    """Whole calendar months from the first day, and the days left over."""
    after = span.end + dt.timedelta(days=1)
    months = 0
    while add_months(span.start, months + 1) <= after:
        months += 1
    return LeaveLength(months, (after - add_months(span.start, months)).days)


def leave_length(spans: Iterable[LeaveSpan]) -> LeaveLength:
    """The total length of *spans* (see the module docstring)."""
    months = days = 0
    for span in joined(spans):
        length = span_length(span)
        months += length.months
        days += length.days
    extra, days = divmod(days, DAYS_PER_MONTH)
    return LeaveLength(months + extra, days)


def spans_text(spans: Iterable[LeaveSpan]) -> str:
    """ "từ 01/02/2025 đến 30/04/2025; từ 01/06/2025 đến 15/06/2025"."""
    return "; ".join(f"từ {format_date(s.start)} đến {format_date(s.end)}" for s in joined(spans))
