"""Vietnamese number and date formatting: 6.185; 33,33%; ngày 05 tháng 02 năm 2026."""

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


PERCENT_PLACES = 2  # reports print 33,33%; 77,5%; 100% (the options may say otherwise)
_percent_places = PERCENT_PLACES


def set_percent_places(places: int) -> None:
    """How many decimals shares are printed with, everywhere (0–3; from the options)."""
    global _percent_places
    _percent_places = places if isinstance(places, int) and 0 <= places <= 3 else PERCENT_PLACES


def format_percent(
    part: int | float, whole: int | float | None = None, places: int | None = None
) -> str:
    """A percentage as reports print it, trailing zeros dropped: format_percent(1, 3) →
    "33,33%"; format_percent(31, 40) → "77,5%"; format_percent(2, 2) → "100%".

    With *whole*, the share part/whole; a zero *whole* gives "0%" rather than an error, since
    an empty cell has no share of anything. *places* defaults to the options' setting.
    """
    if whole is not None:
        ratio = Decimal(0) if whole == 0 else _exact(part) / _exact(whole)
    else:
        ratio = _exact(part)
    shown = _percent_places if places is None else places
    return format_decimal(ratio * 100, shown) + "%"


def _exact(value: object) -> Decimal:
    """A number as a Decimal without a binary detour where it is exact (int, Fraction)."""
    if isinstance(value, Decimal):
        return value
    numerator, denominator = getattr(value, "numerator", None), getattr(value, "denominator", None)
    if isinstance(numerator, int) and isinstance(denominator, int):
        return Decimal(numerator) / Decimal(denominator)
    return Decimal(str(value))


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
