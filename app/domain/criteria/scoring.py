"""Scoring a subject item by item: each entry checked against its item's scoring, the group
and part sums (30 / 70) and the total (100), and an explanation in Vietnamese.

A missing item is never counted as 0: the score is then incomplete, ``total`` is None and the
explanation names what is missing. An entry the item's scoring does not allow is reported
(with the item named) and leaves the score incomplete too.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from app.domain.criteria.errors import EntryError, SubjectError
from app.domain.criteria.model import (
    PART_LABELS,
    CountScoring,
    CriteriaSet,
    CriteriaSubject,
    Group,
    Item,
    MetScoring,
    Sheet,
    points_text,
)

EntryValue = bool | int | float | Fraction | Decimal


@dataclass(frozen=True)
class ItemEntry:
    """What was entered for an item: true/false for a met/not-met item (its points, 0 or the
    maximum, are accepted too), points for a scale item, a number of units for a count item;
    and an optional note (why points were lost, the evidence…)."""

    value: EntryValue | None
    note: str = ""


@dataclass(frozen=True)
class ItemScore:
    """An item's points. ``entered`` is the value as read (a bool, points, or units);
    ``uncapped`` the count's units × points per unit when that exceeded the maximum."""

    item: Item
    points: Fraction
    entered: bool | Fraction
    note: str = ""
    uncapped: Fraction | None = None

    @property
    def lost(self) -> Fraction:
        return self.item.points - self.points

    @property
    def clipped(self) -> bool:
        return self.uncapped is not None


@dataclass(frozen=True)
class EntryProblem:
    """An entry that could not be used; ``message`` names the item and can be shown."""

    item_key: str
    message: str


@dataclass(frozen=True)
class GroupScore:
    group: Group
    items: tuple[ItemScore, ...]  # the items scored, in the group's order
    unscored: tuple[Item, ...]  # missing or with an entry that could not be used

    @property
    def complete(self) -> bool:
        return not self.unscored

    @property
    def points(self) -> Fraction:
        """The points of the items scored so far (the group's score once complete)."""
        return sum((s.points for s in self.items), Fraction(0))


@dataclass(frozen=True)
class SheetScore:
    """A subject's score on a sheet of a criteria set."""

    criteria_id: str
    sheet: Sheet
    subject: CriteriaSubject
    groups: tuple[GroupScore, ...]
    maximum: Fraction
    missing: tuple[Item, ...]
    problems: tuple[EntryProblem, ...]

    @property
    def items(self) -> tuple[ItemScore, ...]:
        return tuple(score for group in self.groups for score in group.items)

    def item(self, key: str) -> ItemScore | None:
        return next((score for score in self.items if score.item.key == key), None)

    @property
    def complete(self) -> bool:
        return not self.missing and not self.problems

    @property
    def scored(self) -> Fraction:
        """The points of the items scored so far."""
        return sum((group.points for group in self.groups), Fraction(0))

    @property
    def total(self) -> Fraction | None:
        """The score out of ``maximum``; None until every item has a usable entry."""
        return self.scored if self.complete else None

    def part(self, name: str) -> Fraction | None:
        """The points of a part ("general" = tiêu chí chung, "tasks" = kết quả thực hiện
        nhiệm vụ): what the rule set's score model reads. None while a group of it is
        incomplete, or if the sheet has no such part."""
        groups = [g for g in self.groups if g.group.part == name]
        if not groups or not all(g.complete for g in groups):
            return None
        return sum((g.points for g in groups), Fraction(0))

    @property
    def general(self) -> Fraction | None:
        return self.part("general")

    @property
    def tasks(self) -> Fraction | None:
        return self.part("tasks")

    @property
    def explanation(self) -> str:
        """The score in Vietnamese, a sentence a line (see ``explain``)."""
        return "\n".join(explain(self))


def as_number(value: object) -> Fraction | None:
    """An entered number as an exact Fraction (7.5 → 15/2); None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | Fraction):
        return Fraction(value)
    if isinstance(value, float) and math.isfinite(value):
        return Fraction(repr(value))
    if isinstance(value, Decimal) and value.is_finite():
        return Fraction(value)
    return None


def item_points(item: Item, entry: ItemEntry | EntryValue) -> ItemScore:
    """The points *entry* gives *item*, or ``EntryError`` naming the item when its scoring
    does not allow the value."""
    if not isinstance(entry, ItemEntry):
        entry = ItemEntry(entry)
    value, note = entry.value, entry.note.strip()
    number = as_number(value)
    top = points_text(item.points)
    shown = points_text(number) if number is not None else repr(value)
    scoring = item.scoring
    if isinstance(scoring, MetScoring):
        if isinstance(value, bool):
            return ItemScore(item, item.points if value else Fraction(0), value, note)
        if number in (0, item.points):
            return ItemScore(item, Fraction(number), number == item.points, note)
        raise EntryError(
            item.key,
            f"{item.label}: chấm đạt ({top} điểm) hoặc không đạt (0 điểm), không chấm {shown}.",
        )
    if isinstance(scoring, CountScoring):
        if number is None or number < 0 or number.denominator != 1:
            raise EntryError(
                item.key,
                f"{item.label}: nhập số {scoring.unit} (số nguyên từ 0 trở lên), "
                f"không nhập {shown}.",
            )
        raw = number * scoring.per_unit
        if raw > item.points:
            return ItemScore(item, item.points, number, note, uncapped=raw)
        return ItemScore(item, raw, number, note)
    if number is None:
        raise EntryError(item.key, f"{item.label}: phải nhập số điểm, không nhập {shown}.")
    if scoring.steps:
        if number not in scoring.steps:
            allowed = "; ".join(points_text(step) for step in scoring.steps)
            raise EntryError(
                item.key,
                f"{item.label}: chỉ chấm một trong các mức {allowed} điểm, không chấm {shown}.",
            )
    elif not 0 <= number <= item.points:
        raise EntryError(item.key, f"{item.label}: điểm phải từ 0 đến {top}, không chấm {shown}.")
    return ItemScore(item, number, number, note)


def score_entries(
    cset: CriteriaSet,
    subject: CriteriaSubject | str,
    entries: Mapping[str, ItemEntry | EntryValue | None],
) -> SheetScore:
    """*subject*'s score on its sheet of *cset* from *entries* (item key → entry). An entry
    whose value is None counts as not entered. ``SubjectError`` if no sheet applies."""
    if isinstance(subject, str):
        subject = CriteriaSubject.parse(subject)
    sheet = cset.sheet_for(subject)
    if sheet is None:
        raise SubjectError(
            f"Bộ tiêu chí “{cset.name}” không có bảng chấm điểm cho {_lower_first(subject.label)}."
        )
    problems: list[EntryProblem] = []
    for key in entries:
        if sheet.item(key) is None:
            problems.append(EntryProblem(key, f"Mục “{key}” không có trong bảng «{sheet.title}»."))
    missing: list[Item] = []
    groups: list[GroupScore] = []
    for group in sheet.groups:
        scored: list[ItemScore] = []
        unscored: list[Item] = []
        for item in group.items:
            entry = entries.get(item.key)
            value = entry.value if isinstance(entry, ItemEntry) else entry
            if value is None:
                missing.append(item)
                unscored.append(item)
                continue
            assert entry is not None
            try:
                scored.append(item_points(item, entry))
            except EntryError as error:
                problems.append(EntryProblem(item.key, str(error)))
                unscored.append(item)
        groups.append(GroupScore(group, tuple(scored), tuple(unscored)))
    return SheetScore(
        cset.id, sheet, subject, tuple(groups), cset.total, tuple(missing), tuple(problems)
    )


# The explanation ------------------------------------------------------------------------------


def explain(score: SheetScore) -> list[str]:
    """The score in Vietnamese sentences: the total and its parts (or why there is none yet),
    then each group with its points and every item that lost points or was capped, with its
    note: ``Mục A.1 «Phẩm chất chính trị…»: 8/10 điểm.``"""
    lines = [_headline(score)]
    if score.missing:
        listed = "; ".join(f"{item.key} «{item.text}»" for item in score.missing)
        lines.append(f"Còn thiếu điểm của {len(score.missing)} mục: {listed}.")
    lines += [problem.message for problem in score.problems]
    for group in score.groups:
        shown = f"{points_text(group.points)}/{points_text(group.group.points)} điểm"
        if not group.complete:
            shown = f"đã chấm {shown}, chưa đủ các mục"
        lines.append(f"Nhóm {group.group.key} «{group.group.title}»: {shown}.")
        lines += [item_line(s) for s in group.items if s.lost or s.clipped]
    if score.complete and not any(s.lost for s in score.items):
        lines.append("Tất cả các mục đạt điểm tối đa.")
    return lines


def _headline(score: SheetScore) -> str:
    top = points_text(score.maximum)
    if score.total is None:
        return (
            f"Chưa tính được tổng điểm của {_lower_first(score.subject.label)}: mới chấm "
            f"{points_text(score.scored)}/{top} điểm."
        )
    parts = []
    for name, label in PART_LABELS.items():
        value = score.part(name)
        if value is not None:
            maximum = score.sheet.parts()[name]
            parts.append(f"{label} {points_text(value)}/{points_text(maximum)}")
    detail = f" ({'; '.join(parts)})" if parts else ""
    return f"Tổng điểm: {points_text(score.total)}/{top}{detail}."


def lost_lines(score: SheetScore) -> list[str]:
    """The sentence of every item that lost points or was capped, in the sheet's order (what
    the explanation of a level repeats); the items not scored yet are named by ``explain``."""
    return [item_line(s) for s in score.items if s.lost or s.clipped]


def item_line(score: ItemScore) -> str:
    """An item's points in a sentence: ``Mục A.2 «…»: không đạt, 0/10 điểm.`` (with its
    note)."""
    item = score.item
    of = f"{points_text(score.points)}/{points_text(item.points)} điểm"
    scoring = item.scoring
    if isinstance(scoring, MetScoring):
        text = f"{item.label}: {'đạt' if score.points else 'không đạt'}, {of}."
    elif isinstance(scoring, CountScoring):
        units = f"{points_text(Fraction(score.entered))} {scoring.unit}"
        each = f"{points_text(scoring.per_unit)} điểm"
        if score.uncapped is not None:
            text = (
                f"{item.label}: {units} × {each} = {points_text(score.uncapped)} điểm, "
                f"tính tối đa {of}."
            )
        else:
            text = f"{item.label}: {units} × {each} = {of}."
    else:
        text = f"{item.label}: {of}."
    if not score.note:
        return text
    note = score.note if score.note[-1] in ".!?…" else score.note + "."
    return f"{text} Ghi chú: {note}"


def _lower_first(text: str) -> str:
    """A label inside a sentence: "Đảng viên (Mẫu 2C)" → "đảng viên (Mẫu 2C)"."""
    return text[:1].lower() + text[1:]
