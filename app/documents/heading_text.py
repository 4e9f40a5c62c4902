"""The words of the heading blocks that both renderers print: the number line ("Số 07-BB/CB",
or room to write it) and the place-and-date line ("Na Tông, ngày 15 tháng 12 năm 2025")."""

from __future__ import annotations

import datetime as dt

from app.documents.data import Heading
from app.domain.formatting import format_date_long
from app.domain.text import nfc


def date_line(place: str, day: dt.date | None, gap: str = "……") -> str:
    """ "Na Tông, ngày 15 tháng 12 năm 2025"; with no date, blanks (*gap*) to fill in by hand."""
    if day is None:
        blank = f"ngày {gap} tháng {gap} năm 20{gap}"
        return f"{place}, {blank}" if place else f"{gap}, {blank}"
    return f"{place}, {format_date_long(day)}" if place else format_date_long(day).capitalize()


def _issuer_symbol(issuer: str) -> str:
    """The issuer's abbreviation in a document number: "CB" for a cell, "ĐU" for a committee."""
    name = nfc(issuer).casefold()
    if name.startswith("chi ủy") or name.startswith("chi uỷ"):
        return "CU"
    if name.startswith("chi bộ"):
        return "CB"
    if name.startswith("đảng ủy") or name.startswith("đảng uỷ"):
        return "ĐU"
    return ""


def number_line(heading: Heading, kind: str = "") -> str:
    """The given number, or "Số      -BB/CB" with room to write the number by hand."""
    if heading.number:
        return heading.number
    gap = "\u00a0" * 8
    if kind:
        return f"Số{gap}-{kind}/{_issuer_symbol(heading.issuer) or gap}"
    return f"Số{gap}-{gap}/{gap}"
