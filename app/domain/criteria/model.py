"""A criteria set as frozen data: sheets (one per kind of subject, as QĐ 366's annexes are),
groups with their maximum points, and items with how each is scored.

Points are ``Fraction``s, read exactly from the TOML numbers (7.5 is 15/2), so that sums and
the 90/70/50 thresholds never meet a floating-point surprise. Nothing here reads files.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from typing import Literal

from app.domain.criteria.errors import SubjectError
from app.domain.formatting import format_decimal
from app.domain.vocabulary import FormCategory, OrgKind

Confidence = Literal["sure", "likely", "unsure"]
Part = Literal["general", "tasks"]

CONFIDENCE_LABELS: dict[str, str] = {
    "sure": "chắc chắn",
    "likely": "khá chắc",
    "unsure": "chưa chắc",
}
# The two parts of QĐ 366's 100 points; the rule set's score model has one maximum for each.
PART_LABELS: dict[str, str] = {
    "general": "tiêu chí chung",
    "tasks": "kết quả thực hiện nhiệm vụ",
}


def points_text(value: Fraction) -> str:
    """10 → "10"; 15/2 → "7,5"; 1/3 → "0,33" (Vietnamese decimals, up to two places)."""
    if value.denominator == 1:
        return format_decimal(value.numerator)
    return format_decimal(float(value), 2)


# Subjects, named as the rule sets name them: "member", "org" (an organisation) and
# "collective" (its leading collective: chi ủy, đảng ủy, ban thường vụ); a member's variant is
# the self-review form (Mẫu 2A/2B/2C), an organisation's its kind (chi_bo, dang_bo, …).
_COLLECTIVE_LABELS = {
    OrgKind.CELL: "Chi ủy (tập thể lãnh đạo chi bộ)",
    OrgKind.COMMITTEE: "Đảng ủy, ban thường vụ (tập thể lãnh đạo đảng bộ)",
    OrgKind.PARTIAL_COMMITTEE: "Đảng ủy bộ phận (tập thể lãnh đạo đảng bộ bộ phận)",
}
SUBJECTS: dict[str, str] = {
    **{f"member:{form.value}": f"Đảng viên ({form.label})" for form in FormCategory},
    **{f"org:{kind.value}": kind.label for kind in OrgKind},
    **{f"collective:{kind.value}": label for kind, label in _COLLECTIVE_LABELS.items()},
}
SUBJECT_KINDS: tuple[str, ...] = ("member", "org", "collective")


@dataclass(frozen=True, order=True)
class CriteriaSubject:
    """Who is scored: ``kind`` ("member", "org", "collective") and ``variant`` (the form for
    a member, the organisation kind for the others)."""

    kind: str
    variant: str

    def __post_init__(self) -> None:
        if self.code not in SUBJECTS:
            raise SubjectError(f"Không có đối tượng “{self.code}” (có: {', '.join(SUBJECTS)}).")

    @property
    def code(self) -> str:
        return f"{self.kind}:{self.variant}"

    @property
    def label(self) -> str:
        return SUBJECTS[self.code]

    @classmethod
    def parse(cls, code: str) -> CriteriaSubject:
        kind, _, variant = code.partition(":")
        return cls(kind, variant)

    @classmethod
    def member(cls, form: FormCategory | str) -> CriteriaSubject:
        return cls("member", str(form))

    @classmethod
    def org(cls, kind: OrgKind | str) -> CriteriaSubject:
        return cls("org", str(kind))

    @classmethod
    def collective(cls, kind: OrgKind | str) -> CriteriaSubject:
        return cls("collective", str(kind))


def expand_subject(code: str) -> tuple[str, ...]:
    """A subject code, or a bare kind ("member") standing for every variant of it; () if it
    names nothing."""
    if code in SUBJECTS:
        return (code,)
    if code in SUBJECT_KINDS:
        return tuple(c for c in SUBJECTS if c.startswith(code + ":"))
    return ()


# How an item is scored --------------------------------------------------------------------


@dataclass(frozen=True)
class MetScoring:
    """Met or not met: the item's full points or 0 (entered as true/false, or as the points)."""

    kind: Literal["met"] = "met"


@dataclass(frozen=True)
class ScaleScoring:
    """Points on a scale: one of ``steps`` (ascending, the last one the item's maximum), or,
    without steps, any number from 0 to the maximum."""

    steps: tuple[Fraction, ...] = ()
    kind: Literal["scale"] = "scale"


@dataclass(frozen=True)
class CountScoring:
    """A count of units (meetings attended, tasks done…) times ``per_unit`` points, clipped at
    the item's maximum; ``unit`` names the unit in the explanation ("lần", "nhiệm vụ")."""

    per_unit: Fraction
    unit: str = "lần"
    kind: Literal["count"] = "count"


Scoring = MetScoring | ScaleScoring | CountScoring
SCORING_KINDS: dict[str, str] = {
    "met": "đạt / không đạt (đủ điểm hoặc 0)",
    "scale": "chấm theo thang điểm",
    "count": "đếm số lần, mỗi lần một số điểm, không quá điểm tối đa",
}


# The set ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One criterion: ``key`` ("A.1") is how a score refers to it and how the explanation
    names it; ``points`` its maximum. ``citation`` is the item's own or, when the file gives
    none, its group's. ``guide`` says how to score it (may be empty)."""

    key: str
    text: str
    points: Fraction
    scoring: Scoring
    confidence: Confidence
    citation: str = ""
    guide: str = ""

    @property
    def label(self) -> str:
        """How the explanation names the item: ``Mục A.1 «Phẩm chất chính trị…»``."""
        return f"Mục {self.key} «{self.text}»"


@dataclass(frozen=True)
class Group:
    """A group of items (A "tiêu chí chung", B "kết quả thực hiện nhiệm vụ"); its items'
    maxima add up to ``points``. ``part`` says which part of the rule set's score it feeds."""

    key: str
    title: str
    part: Part
    points: Fraction
    items: tuple[Item, ...]
    citation: str = ""
    confidence: Confidence = "sure"


@dataclass(frozen=True)
class Sheet:
    """The criteria for some subjects (one of QĐ 366's annexes); its groups add up to the
    set's total. A subject is in at most one sheet of a set."""

    key: str
    title: str
    applies_to: tuple[str, ...]  # subject codes
    groups: tuple[Group, ...]
    citation: str = ""
    confidence: Confidence = "sure"

    @cached_property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for group in self.groups for item in group.items)

    def item(self, key: str) -> Item | None:
        return next((item for item in self.items if item.key == key), None)

    def group_of(self, key: str) -> Group | None:
        return next((g for g in self.groups if any(i.key == key for i in g.items)), None)

    def parts(self) -> dict[str, Fraction]:
        """The maximum points of each part ("general", "tasks") in this sheet."""
        sums: dict[str, Fraction] = {}
        for group in self.groups:
            sums[group.part] = sums.get(group.part, Fraction(0)) + group.points
        return sums


@dataclass(frozen=True)
class CriteriaSet:
    """A province's (or the shipped) criteria for the years ``first_year``–``last_year``.
    ``based_on`` names the set a copy was made from; the loader prefers a copy over it."""

    id: str
    name: str
    first_year: int
    last_year: int | None
    total: Fraction
    confidence: Confidence
    sheets: tuple[Sheet, ...]
    citation: str = ""
    description: str = ""
    based_on: str | None = None

    def covers(self, year: int) -> bool:
        return self.first_year <= year and (self.last_year is None or year <= self.last_year)

    def sheet_for(self, subject: CriteriaSubject | str) -> Sheet | None:
        code = subject if isinstance(subject, str) else subject.code
        return next((sheet for sheet in self.sheets if code in sheet.applies_to), None)

    def sheet(self, key: str) -> Sheet | None:
        return next((sheet for sheet in self.sheets if sheet.key == key), None)

    def subjects(self) -> Iterator[str]:
        for sheet in self.sheets:
            yield from sheet.applies_to
