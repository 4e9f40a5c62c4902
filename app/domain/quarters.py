"""Quarterly ratings (đánh giá, xếp loại theo quý) and the year's result they give.

QĐ 366 and HD 02-HD/BTCTW (2026) move cadres holding posts to quarterly self-ratings whose
results feed the year; how the year is drawn from the quarters is not fixed centrally (domain.md
§11), so the rule set says it: the average of the quarters' points, or the lowest quarter's
level; from the superior's rating or the self-rating; and how many quarters must be known.
Everything here is pure: the ratings in, the derivation and its explanation in words out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from app.domain.formatting import format_decimal

if TYPE_CHECKING:
    from app.domain.rules.model import Scale

Derive = Literal["average", "lowest"]
Source = Literal["superior", "self"]
Holders = Literal["post_holders", "party_post_holders", "all"]

QUARTERS: tuple[int, ...] = (1, 2, 3, 4)
QUARTER_NAMES: dict[int, str] = {1: "Quý I", 2: "Quý II", 3: "Quý III", 4: "Quý IV"}

DERIVES: dict[str, str] = {
    "average": "điểm bình quân của các quý",
    "lowest": "mức xếp loại thấp nhất trong các quý",
}
SOURCES: dict[str, str] = {
    "superior": "kết quả cấp trên đánh giá (quý chưa có thì tạm lấy kết quả tự đánh giá)",
    "self": "kết quả tự đánh giá",
}
HOLDERS: dict[str, str] = {
    "post_holders": "đảng viên giữ chức vụ (đảng, chính quyền, đoàn thể)",
    "party_post_holders": "đảng viên giữ chức vụ trong Đảng",
    "all": "mọi đảng viên được xếp loại",
}


def quarter_name(quarter: int, year: int | None = None) -> str:
    """ "Quý III" or "Quý III/2026"."""
    name = QUARTER_NAMES[quarter]
    return f"{name}/{year}" if year is not None else name


@dataclass(frozen=True)
class QuarterRating:
    """One quarter of a member's ratings: the self-rating and the superior's, each a score
    (points out of the rule set's total) and/or a level code; None where not given."""

    quarter: int
    self_score: float | None = None
    self_level: str | None = None
    superior_score: float | None = None
    superior_level: str | None = None
    note: str = ""

    @property
    def empty(self) -> bool:
        return all(
            v is None
            for v in (self.self_score, self.self_level, self.superior_score, self.superior_level)
        )


@dataclass(frozen=True)
class QuarterRule:
    """How the year is drawn from the quarters (the rule set's ``quarterly`` check)."""

    derive: Derive = "average"
    source: Source = "superior"
    needed: int = 4  # quarters that must have a result before the year is derived
    holders: Holders = "post_holders"

    def words(self) -> str:
        """The rule in words: "điểm bình quân của các quý, theo kết quả cấp trên …"."""
        return f"{DERIVES[self.derive]}, theo {SOURCES[self.source]}; cần đủ {self.needed} quý"

    def applies(self, party_post: bool, other_post: bool) -> bool:
        """Whether a member holding these posts is rated quarterly."""
        if self.holders == "all":
            return True
        if self.holders == "party_post_holders":
            return party_post
        return party_post or other_post


@dataclass(frozen=True)
class QuarterResult:
    """One quarter's result as the derivation reads it, and whose rating it is."""

    quarter: int
    score: float | None
    level: str | None
    by_superior: bool


@dataclass(frozen=True)
class Derivation:
    """The year's result from the quarters: ``level`` (None when it cannot be derived yet),
    ``score`` (the average, for "average"), the quarters read, and ``words``: the whole
    reasoning as a sentence a clerk can read out."""

    level: str | None
    score: float | None
    results: tuple[QuarterResult, ...]
    words: str

    @property
    def complete(self) -> bool:
        return self.level is not None


def score_to_level(score: float, scale: Scale, thresholds: Mapping[str, float]) -> str:
    """The best level whose threshold *score* reaches; a level without a threshold needs that
    of the next worse level that has one; the lowest needs nothing."""
    codes = scale.codes
    for index, code in enumerate(codes):
        needed = next((thresholds[c] for c in codes[index:] if c in thresholds), 0.0)
        if score >= needed:
            return code
    return codes[-1]


def _threshold_words(level: str, scale: Scale, thresholds: Mapping[str, float]) -> str:
    codes = scale.codes
    needed = next((thresholds[c] for c in codes[codes.index(level) :] if c in thresholds), None)
    return f" (từ {points(needed)} điểm)" if needed else ""


def points(value: float) -> str:
    """88.75 → "88,75"; 90.0 → "90"."""
    return format_decimal(value, 2)


def _result(
    rating: QuarterRating, rule: QuarterRule, scale: Scale, thresholds: Mapping[str, float]
) -> QuarterResult | None:
    """The quarter's result by the rule's source (the superior's, else the self-rating while
    the superior has not rated); a score without a level is placed by the thresholds."""
    candidates = [(rating.self_score, rating.self_level, False)]
    if rule.source == "superior":
        candidates.insert(0, (rating.superior_score, rating.superior_level, True))
    for score, level, by_superior in candidates:
        if score is None and level is None:
            continue
        if level is None and score is not None and thresholds:
            level = score_to_level(score, scale, thresholds)
        return QuarterResult(rating.quarter, score, level, by_superior)
    return None


def derive_year(
    ratings: Sequence[QuarterRating],
    rule: QuarterRule,
    scale: Scale,
    thresholds: Mapping[str, float],
) -> Derivation:
    """The year's result from *ratings* under *rule*, with the reasoning in words."""
    by_quarter = {r.quarter: r for r in ratings}
    results = tuple(
        found
        for q in QUARTERS
        if q in by_quarter and (found := _result(by_quarter[q], rule, scale, thresholds))
    )
    head = f"Kết quả năm theo quý ({DERIVES[rule.derive]}, theo {_source_words(rule, results)})"
    if len(results) < rule.needed:
        have = ", ".join(QUARTER_NAMES[r.quarter] for r in results) or "chưa quý nào"
        words = (
            f"{head}: mới có kết quả {len(results)}/4 quý ({have}); cần đủ {rule.needed} quý "
            "mới tính được kết quả năm."
        )
        return Derivation(None, None, results, words)
    if rule.derive == "average":
        return _average(results, head, scale, thresholds)
    return _lowest(results, head, scale)


def _source_words(rule: QuarterRule, results: Sequence[QuarterResult]) -> str:
    if rule.source == "self":
        return "kết quả tự đánh giá"
    own = [QUARTER_NAMES[r.quarter] for r in results if not r.by_superior]
    if not own:
        return "kết quả cấp trên đánh giá"
    waiting = ", ".join(own)
    return f"kết quả cấp trên đánh giá; {waiting} cấp trên chưa đánh giá, tạm lấy tự đánh giá"


def _level_name(scale: Scale, code: str) -> str:
    return scale.get(code).name if code in scale else code


def _average(
    results: Sequence[QuarterResult], head: str, scale: Scale, thresholds: Mapping[str, float]
) -> Derivation:
    missing = [QUARTER_NAMES[r.quarter] for r in results if r.score is None]
    listed = "; ".join(
        f"{QUARTER_NAMES[r.quarter]} {points(r.score) if r.score is not None else 'chưa có điểm'}"
        for r in results
    )
    if missing:
        words = (
            f"{head}: {listed} — {', '.join(missing)} chỉ có mức xếp loại, chưa có điểm, nên "
            "chưa tính được điểm bình quân."
        )
        return Derivation(None, None, tuple(results), words)
    scores = [r.score for r in results if r.score is not None]
    average = sum(scores) / len(scores)
    sum_text = " + ".join(points(s) for s in scores)
    if not thresholds:
        words = (
            f"{head}: {listed} → ({sum_text}) : {len(scores)} = {points(average)} điểm; bộ quy "
            "tắc không có mức điểm cho từng mức xếp loại, nên chưa suy ra được mức."
        )
        return Derivation(None, average, tuple(results), words)
    level = score_to_level(average, scale, thresholds)
    words = (
        f"{head}: {listed} → ({sum_text}) : {len(scores)} = {points(average)} điểm, đạt mức "
        f"{_level_name(scale, level)}{_threshold_words(level, scale, thresholds)}."
    )
    return Derivation(level, average, tuple(results), words)


def _lowest(results: Sequence[QuarterResult], head: str, scale: Scale) -> Derivation:
    missing = [QUARTER_NAMES[r.quarter] for r in results if r.level is None]
    if missing:
        words = f"{head}: {', '.join(missing)} chưa có mức xếp loại, nên chưa tính được."
        return Derivation(None, None, tuple(results), words)
    listed = "; ".join(f"{QUARTER_NAMES[r.quarter]} {r.level}" for r in results)
    worst = max(results, key=lambda r: (scale.rank(r.level or ""), r.quarter))
    assert worst.level is not None
    at = ", ".join(QUARTER_NAMES[r.quarter] for r in results if r.level == worst.level)
    words = f"{head}: {listed} → mức thấp nhất là {_level_name(scale, worst.level)} ({at})."
    return Derivation(worst.level, None, tuple(results), words)
