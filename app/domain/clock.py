"""Today's date and the time of day, read in one place.

Everything that depends on the date — the demo's years, the plan's due dates, a member's
standing, the date printed on a document, the audit log — asks here, not the system clock.
The date can be fixed: ``DANHGIA_TODAY=2026-12-31`` (ISO) makes the program live on that day
(the time of day still runs), which tests use to run the procedure at the turn of a year or on
29 February whatever the machine's calendar says, and a user can use to see the window as it
was. Subprocesses inherit it. Signatures keep the real time: a certificate's validity is not
the procedure's business.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager

ENV = "DANHGIA_TODAY"


def _fixed_day() -> dt.date | None:
    text = os.environ.get(ENV, "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"{ENV}={text!r} không phải ngày dạng năm-tháng-ngày (2026-12-31)"
        ) from None


def now() -> dt.datetime:
    """The present moment, on the fixed day if one is set."""
    real = dt.datetime.now()
    day = _fixed_day()
    return real if day is None else dt.datetime.combine(day, real.time())


def today() -> dt.date:
    return now().date()


@contextmanager
def fixed(day: dt.date) -> Iterator[None]:
    """Live on *day* inside the block (this process and the processes it starts)."""
    previous = os.environ.get(ENV)
    os.environ[ENV] = day.isoformat()
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(ENV, None)
        else:
            os.environ[ENV] = previous
