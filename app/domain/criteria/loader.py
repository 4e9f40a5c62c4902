"""Reading a criteria set from TOML text or a file, checking every key on the way.

Anything wrong — TOML syntax, a missing, misspelt or duplicate key, a value of the wrong type,
items whose points do not add up to their group's, groups that do not add up to the set's
total, a scale step above the item's maximum, an unknown subject — is a ``CriteriaError``
naming the file and the key (``sheets[pl5].groups[A].items[A.2].steps``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from fractions import Fraction
from pathlib import Path
from typing import Any

from app.domain.criteria import reader as r
from app.domain.criteria.errors import CriteriaError
from app.domain.criteria.model import (
    PART_LABELS,
    SCORING_KINDS,
    SUBJECT_KINDS,
    SUBJECTS,
    CountScoring,
    CriteriaSet,
    Group,
    Item,
    MetScoring,
    ScaleScoring,
    Scoring,
    Sheet,
    expand_subject,
    points_text,
)
from app.domain.criteria.reader import Node, Source
from app.domain.data_file import parse_toml, read_text

FORMAT_VERSION = 1
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{0,59}$")
KEY_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,19}$")
# Keys only one scoring kind uses: met on a "scale" item, say, would be silently ignored.
_KIND_KEYS = {"steps": "scale", "per_unit": "count", "unit": "count"}


def load_criteria(path: str | Path) -> CriteriaSet:
    """The criteria set in the TOML file *path* (UTF-8)."""
    path = Path(path)
    content = read_text(path, CriteriaError)
    return load_criteria_text(content, path.name)


def load_criteria_text(content: str, source_name: str) -> CriteriaSet:
    """The criteria set in the TOML *content*; *source_name* names it in messages."""
    data = parse_toml(content, source_name, CriteriaError)
    return criteria_from_dict(data, source_name)


def criteria_from_dict(data: Mapping[str, Any], source_name: str) -> CriteriaSet:
    """The criteria set in parsed TOML *data*."""
    top = Node(data, "", Source(source_name))
    version = top.get("format", _format_version)
    if version != FORMAT_VERSION:
        top.fail("format", f"phiên bản định dạng {version} chưa được hỗ trợ (cần {FORMAT_VERSION})")
    set_id = top.get("id", r.required_text)
    if not ID_PATTERN.match(set_id):
        top.fail("id", "chỉ gồm chữ thường không dấu, chữ số và . _ - (tối đa 60 ký tự)")
    based_on = top.get("based_on", r.required_text, None)
    if based_on is not None and (based_on == set_id or not ID_PATTERN.match(based_on)):
        top.fail("based_on", "phải là mã của một bộ tiêu chí khác")
    first_year = top.get("first_year", r.year)
    last_year = top.get("last_year", r.year, None)
    if last_year is not None and last_year < first_year:
        top.fail("last_year", f"không được trước năm bắt đầu ({first_year})")
    total = top.get("total", r.points)
    confidence = top.get("confidence", r.confidence)
    name = top.get("name", r.required_text)
    citation = top.get("citation", r.required_text)
    description = top.get("description", r.text, "")
    sheets: list[Sheet] = []
    owner: dict[str, str] = {}  # subject code → the sheet that has it
    for node in top.tables("sheets"):
        taken = {s.key: "đã có một bảng cùng mã ở trên" for s in sheets}
        sheet = _sheet(node, taken, confidence, total)
        for code in sheet.applies_to:
            if code in owner:
                node.fail(
                    "applies_to",
                    f"đối tượng “{code}” ({SUBJECTS[code]}) đã có ở bảng “{owner[code]}”; "
                    "mỗi đối tượng chỉ chấm theo một bảng",
                )
            owner[code] = sheet.key
        sheets.append(sheet)
    top.finish()
    return CriteriaSet(
        id=set_id, name=name, first_year=first_year, last_year=last_year, total=total,
        confidence=confidence, sheets=tuple(sheets), citation=citation,
        description=description, based_on=based_on,
    )  # fmt: skip


def _format_version(value: Any, key: str, source: Source) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        source.fail(key, "phải là số nguyên dương")
    return value


def _key(node: Node, taken: Mapping[str, str], what: str) -> str:
    key = node.get("key", r.required_text)
    if not KEY_PATTERN.match(key):
        node.fail("key", f"mã {what} chỉ gồm chữ, số không dấu và . _ - (tối đa 20 ký tự)")
    if key in taken:
        node.fail("key", f"mã {what} “{key}” bị trùng ({taken[key]})")
    node.named(key)
    return key


def _subjects(value: Any, key: str, source: Source) -> tuple[str, ...]:
    listed = ", ".join(SUBJECT_KINDS) + "; hoặc " + ", ".join(SUBJECTS)
    if not isinstance(value, list) or not value:
        source.fail(key, f'phải là danh sách đối tượng, ví dụ ["member:2C"] (có: {listed})')
    codes: list[str] = []
    for index, item in enumerate(value, start=1):
        expanded = expand_subject(item) if isinstance(item, str) else ()
        if not expanded:
            source.fail(f"{key}[{index}]", f"không có đối tượng “{item}” (có: {listed})")
        for code in expanded:
            if code in codes:
                source.fail(f"{key}[{index}]", f"đối tượng “{code}” bị lặp lại")
            codes.append(code)
    return tuple(codes)


def _sheet(node: Node, taken: Mapping[str, str], set_confidence: str, total: Fraction) -> Sheet:
    key = _key(node, taken, "bảng")
    title = node.get("title", r.required_text)
    applies_to = node.get("applies_to", _subjects)
    citation = node.get("citation", r.required_text)
    confidence = node.get("confidence", r.confidence, set_confidence)
    groups: list[Group] = []
    item_owner: dict[str, str] = {}  # item key → "ở nhóm A"
    for group_node in node.tables("groups"):
        taken = {g.key: "đã có một nhóm cùng mã ở trên" for g in groups}
        groups.append(_group(group_node, taken, item_owner, confidence))
    node.finish()
    summed = sum((g.points for g in groups), Fraction(0))
    if summed != total:
        parts = ", ".join(f"{g.key} {points_text(g.points)}" for g in groups)
        node.fail(
            "groups",
            f"các nhóm cộng lại {points_text(summed)} điểm, khác tổng điểm của bộ tiêu chí "
            f"({points_text(total)} điểm): {parts}",
        )
    return Sheet(key, title, applies_to, tuple(groups), citation, confidence)


def _group(
    node: Node, taken: Mapping[str, str], item_owner: dict[str, str], sheet_confidence: str
) -> Group:
    key = _key(node, taken, "nhóm")
    title = node.get("title", r.required_text)
    part = node.get("part", r.choice(PART_LABELS))
    group_points = node.get("points", r.points)
    citation = node.get("citation", r.required_text)
    confidence = node.get("confidence", r.confidence, sheet_confidence)
    items: list[Item] = []
    for item_node in node.tables("items"):
        item = _item(item_node, item_owner, citation)
        item_owner[item.key] = f"đã có ở nhóm {key}"
        items.append(item)
    node.finish()
    summed = sum((item.points for item in items), Fraction(0))
    if summed != group_points:
        listed = ", ".join(f"{item.key} {points_text(item.points)}" for item in items)
        how = "vượt" if summed > group_points else "chưa bằng"
        node.fail(
            "points",
            f"các mục cộng lại {points_text(summed)} điểm, {how} điểm tối đa của nhóm "
            f"({points_text(group_points)} điểm): {listed}",
        )
    return Group(key, title, part, group_points, tuple(items), citation, confidence)


def _item(node: Node, taken: Mapping[str, str], group_citation: str) -> Item:
    key = _key(node, taken, "mục")
    item_text = node.get("text", r.required_text)
    item_points = node.get("points", r.points)
    kind = node.get("scoring", r.choice(SCORING_KINDS))
    for extra, owner in _KIND_KEYS.items():
        if node.has(extra) and kind != owner:
            node.fail(extra, f"chỉ dùng khi scoring = “{owner}” (mục này là “{kind}”)")
    scoring = _scoring(node, kind, item_points)
    item = Item(
        key=key, text=item_text, points=item_points, scoring=scoring,
        confidence=node.get("confidence", r.confidence),
        citation=node.get("citation", r.required_text, group_citation),
        guide=node.get("guide", r.text, ""),
    )  # fmt: skip
    node.finish()
    return item


def _scoring(node: Node, kind: str, maximum: Fraction) -> Scoring:
    if kind == "met":
        return MetScoring()
    if kind == "count":
        per_unit = node.get("per_unit", r.points)
        if per_unit > maximum:
            node.fail(
                "per_unit",
                f"điểm mỗi lần ({points_text(per_unit)}) không được lớn hơn điểm tối đa của mục "
                f"({points_text(maximum)} điểm)",
            )
        return CountScoring(per_unit, node.get("unit", r.required_text, "lần"))
    given = node.get("steps", r.steps, ())
    for index, step in enumerate(given, start=1):
        if step > maximum:
            node.fail(
                f"steps[{index}]",
                f"mức {points_text(step)} vượt điểm tối đa của mục ({points_text(maximum)} điểm)",
            )
    if given and given[-1] != maximum:
        node.fail(
            "steps",
            f"mức cao nhất ({points_text(given[-1])}) phải bằng điểm tối đa của mục "
            f"({points_text(maximum)} điểm)",
        )
    return ScaleScoring(given)
