"""Writing a criteria set back to TOML, in the loader's format (issue 24: a province's copy
edited in the window).

``load_criteria_text(criteria_to_toml(cset), …) == cset`` holds for every set the loader
gives, and for an edited copy whose values the loader accepts. Points are written exactly as
the loader reads them: a whole number as an integer (30), any other as the decimal whose
float the loader turns back into the same ``Fraction`` (15/2 → 7.5, 1/10 → 0.1). A number TOML
cannot hold exactly (1/3) is a ``CriteriaError`` naming the key, as the loader would name it.

What the loader fills in from the table above (an item's citation from its group's, a group's
or sheet's confidence from the one above it) is left out when it is the same, so a copy reads
like the shipped file; a subject list that names every variant of a kind is written as that
kind ("org" for the three kinds of organisation).
"""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction
from typing import Any

from app.domain.criteria.errors import CriteriaError
from app.domain.criteria.loader import FORMAT_VERSION
from app.domain.criteria.model import (
    SUBJECT_KINDS,
    CountScoring,
    CriteriaSet,
    Group,
    Item,
    MetScoring,
    Sheet,
    expand_subject,
    points_text,
)
from app.domain.rules.writer import dict_to_toml


def decimal_text(value: Fraction) -> str | None:
    """*value* as a finite decimal ("7.5"), or None when it has none (1/3)."""
    denominator = value.denominator
    twos = fives = 0
    while denominator % 2 == 0:
        denominator //= 2
        twos += 1
    while denominator % 5 == 0:
        denominator //= 5
        fives += 1
    if denominator != 1:
        return None
    places = max(twos, fives)
    digits = str(abs(value.numerator) * 10**places // value.denominator).rjust(places + 1, "0")
    sign = "-" if value < 0 else ""
    return f"{sign}{digits[:-places]}.{digits[-places:]}"


def toml_number(value: Fraction, source: str, key: str) -> int | float:
    """*value* as the TOML number the loader reads back to it; CriteriaError naming *key*
    when there is none."""
    if value.denominator == 1:
        return value.numerator
    text = decimal_text(value)
    if text is not None:
        number = float(text)
        if Fraction(repr(number)) == value:
            return number
    raise CriteriaError(
        source,
        f"số {points_text(value)} không ghi được chính xác vào tệp; hãy dùng số thập phân "
        "(ví dụ 7,5 hoặc 0,25)",
        key=key,
    )


def subject_list(codes: tuple[str, ...]) -> list[str]:
    """The subject codes as the file lists them: a run of every variant of a kind, in the
    loader's order, written as the kind."""
    written: list[str] = []
    place = 0
    while place < len(codes):
        for kind in SUBJECT_KINDS:
            whole = expand_subject(kind)
            if codes[place : place + len(whole)] == whole:
                written.append(kind)
                place += len(whole)
                break
        else:
            written.append(codes[place])
            place += 1
    return written


def _item(item: Item, group: Group, source: str, path: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "key": item.key,
        "text": item.text,
        "points": toml_number(item.points, source, f"{path}.points"),
        "scoring": item.scoring.kind,
    }
    scoring = item.scoring
    if isinstance(scoring, CountScoring):
        data["per_unit"] = toml_number(scoring.per_unit, source, f"{path}.per_unit")
        data["unit"] = scoring.unit
    elif not isinstance(scoring, MetScoring) and scoring.steps:
        data["steps"] = [
            toml_number(step, source, f"{path}.steps[{number}]")
            for number, step in enumerate(scoring.steps, start=1)
        ]
    data["confidence"] = item.confidence
    if item.citation != group.citation:
        data["citation"] = item.citation
    if item.guide:
        data["guide"] = item.guide
    return data


def _group(group: Group, sheet: Sheet, source: str, path: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "key": group.key,
        "title": group.title,
        "part": group.part,
        "points": toml_number(group.points, source, f"{path}.points"),
        "citation": group.citation,
    }
    if group.confidence != sheet.confidence:
        data["confidence"] = group.confidence
    data["items"] = [
        _item(item, group, source, f"{path}.items[{item.key}]") for item in group.items
    ]
    return data


def _sheet(sheet: Sheet, cset: CriteriaSet, source: str) -> dict[str, Any]:
    path = f"sheets[{sheet.key}]"
    data: dict[str, Any] = {
        "key": sheet.key,
        "title": sheet.title,
        "applies_to": subject_list(sheet.applies_to),
        "citation": sheet.citation,
    }
    if sheet.confidence != cset.confidence:
        data["confidence"] = sheet.confidence
    data["groups"] = [
        _group(group, sheet, source, f"{path}.groups[{group.key}]") for group in sheet.groups
    ]
    return data


def criteria_to_dict(cset: CriteriaSet) -> dict[str, Any]:
    """The set as the plain data a TOML file holds (the loader's input)."""
    source = f"{cset.id}.toml"
    data: dict[str, Any] = {"format": FORMAT_VERSION, "id": cset.id, "name": cset.name}
    if cset.based_on is not None:
        data["based_on"] = cset.based_on
    data["first_year"] = cset.first_year
    if cset.last_year is not None:
        data["last_year"] = cset.last_year
    data["total"] = toml_number(cset.total, source, "total")
    data["confidence"] = cset.confidence
    data["citation"] = cset.citation
    if cset.description:
        data["description"] = cset.description
    data["sheets"] = [_sheet(sheet, cset, source) for sheet in cset.sheets]
    return data


def _header(cset: CriteriaSet) -> Iterator[str]:
    yield f"# Bộ tiêu chí “{cset.name}” — tạo bởi DanhGia."
    if cset.based_on:
        yield f"# Bản của tỉnh, dùng thay cho bộ “{cset.based_on}”."
    yield "# Sửa trong chương trình: bảng theo dõi → Bộ tiêu chí… → Sửa…; các kỳ đánh giá"
    yield "# đã chọn bộ này giữ nội dung đã lưu cùng kỳ cho đến khi chọn lại bộ này."


def criteria_to_toml(cset: CriteriaSet) -> str:
    """The TOML text of *cset*; loading it gives back an equal set."""
    return "\n".join(_header(cset)) + "\n\n" + dict_to_toml(criteria_to_dict(cset))
