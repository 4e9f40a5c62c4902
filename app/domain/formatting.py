"""Vietnamese number and date formatting: 6.185; 77,5%; ngày 05 tháng 02 năm 2026."""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal


def format_int(value: int) -> str:
    """Thousands separated by a dot: 6185 → "6.185"."""
    sign = "-" if value < 0 else ""
    return sign + f"{abs(int(value)):,}".replace(",", ".")


def format_decimal(value: float | Decimal, places: int = 1) -> str:
    """A decimal with a comma: 77.5 → "77,5"; trailing zero places are dropped (80.0 → "80")."""
    quantum = Decimal(1).scaleb(-places)
    rounded = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    whole, _, frac = f"{abs(rounded):f}".partition(".")
    frac = frac.rstrip("0")
    sign = "-" if rounded < 0 else ""
    text = sign + format_int(int(whole))
    return f"{text},{frac}" if frac else text


def format_percent(part: int | float, whole: int | float | None = None, places: int = 1) -> str:
    """A percentage: format_percent(0.775) → "77,5%"; format_percent(31, 40) → "77,5%".

    With *whole*, the share part/whole; a zero *whole* gives "0%" rather than an error, since
    an empty cell has no share of anything.
    """
    if whole is not None:
        ratio = 0.0 if whole == 0 else part / whole
    else:
        ratio = float(part)
    return format_decimal(ratio * 100, places) + "%"


def format_date(day: dt.date | None) -> str:
    """The short form used in fields and tables: "05/02/2026"; empty for no date."""
    return "" if day is None else f"{day.day:02d}/{day.month:02d}/{day.year}"


def format_date_long(day: dt.date) -> str:
    """The form used in documents: "ngày 05 tháng 02 năm 2026"."""
    return f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def format_place_date(place: str, day: dt.date) -> str:
    """The italic line under the party heading: "Na Tông, ngày 15 tháng 12 năm 2025"."""
    return f"{place}, {format_date_long(day)}" if place else format_date_long(day).capitalize()


_DATE = re.compile(r"^\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\s*$")


class DateFormatError(ValueError):
    """Raised with a Vietnamese message when a text is not a valid dd/mm/yyyy date."""


def parse_date(text: str) -> dt.date:
    """Parse "dd/mm/yyyy" (also with "." or "-"); raise DateFormatError in Vietnamese."""
    match = _DATE.match(text or "")
    if not match:
        raise DateFormatError(f"“{text}” không phải ngày theo dạng ngày/tháng/năm (dd/mm/yyyy)")
    day, month, year = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise DateFormatError(f"“{text}” không phải ngày có thật") from None
