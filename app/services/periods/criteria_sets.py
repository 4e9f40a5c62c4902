"""Criteria sets: the shipped ones, the province's copies, and the one a period keeps.

Shipped sets live in ``resources/criteria``; a province's sets in ``criteria/`` of the data
folder (``paths.criteria_dir``), a copy of a shipped set standing in for it through
``based_on``. A period keeps the exact TOML text of the set it scores by, with its id, as it
keeps its rule set: a later edit of the file never changes a scored year, until the user
chooses the set again for that period (``procedure.item_scores.choose_criteria``).

A period without a criteria set works as before: the two sub-scores are typed in as totals.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from app import paths
from app.domain.criteria import (
    CONFIDENCE_LABELS,
    CriteriaCatalog,
    CriteriaError,
    CriteriaSet,
    discover_criteria,
    load_criteria_text,
    ruleset_mismatches,
)
from app.domain.rules import RuleSet
from app.services.common.errors import NotFound, ServiceError
from app.store.database import Database
from app.store.models import EvaluationPeriod


@dataclass(frozen=True, slots=True)
class CriteriaChoice:
    """A criteria set as the list to choose from shows it."""

    id: str
    name: str
    first_year: int
    last_year: int | None
    confidence: str  # "chắc chắn", "khá chắc", "chưa chắc"
    citation: str
    based_on: str | None
    province: bool  # the province's (in the data folder), not shipped with the app
    # Why it cannot feed the period's rule set (points that differ), one sentence each;
    # empty when it fits or when no rule set was given.
    mismatches: tuple[str, ...] = ()

    @property
    def usable(self) -> bool:
        return not self.mismatches


@dataclass(frozen=True, slots=True)
class CriteriaListing:
    choices: tuple[CriteriaChoice, ...]
    errors: tuple[str, ...]  # the files that could not be read, each with its message


@dataclass(frozen=True, slots=True)
class PeriodCriteria:
    """The criteria set a period keeps (its stored copy)."""

    year: int
    criteria: CriteriaSet


def catalog() -> CriteriaCatalog:
    """Every criteria set found: shipped, then the province's."""
    return discover_criteria(paths.shipped_criteria_dir(), paths.criteria_dir())


def _choice(found: CriteriaCatalog, cset: CriteriaSet, rs: RuleSet | None) -> CriteriaChoice:
    mismatches: tuple[str, ...] = ()
    if rs is not None:
        mismatches = tuple(fit_problems(cset, rs))
    return CriteriaChoice(
        id=cset.id, name=cset.name, first_year=cset.first_year, last_year=cset.last_year,
        confidence=CONFIDENCE_LABELS[cset.confidence], citation=cset.citation,
        based_on=cset.based_on, province=found.is_copy(cset.id), mismatches=mismatches,
    )  # fmt: skip


def available(year: int | None = None, ruleset: RuleSet | None = None) -> CriteriaListing:
    """The sets to choose from (for *year*, if given): the province's first, then the shipped
    sets no province copy stands in for; with *ruleset*, each says whether it fits it."""
    found = catalog()
    return CriteriaListing(
        tuple(_choice(found, cset, ruleset) for cset in found.offered(year)),
        tuple(str(error) for error in found.errors),
    )


def fit_problems(cset: CriteriaSet, rs: RuleSet) -> list[str]:
    """Why *cset*'s scores cannot feed *rs*'s thresholds (none when they can)."""
    model = rs.score
    if model is None or not model.enabled:
        return [
            f"Bộ quy tắc “{rs.name}” không xếp loại theo điểm, nên không chấm theo bộ tiêu chí."
        ]
    return ruleset_mismatches(cset, model)


def source(criteria_id: str) -> tuple[CriteriaSet, str]:
    """The set *criteria_id* and its file's exact text (what a period keeps), found as
    :func:`catalog` finds it: the shipped folder first, then the province's."""
    for folder in (paths.shipped_criteria_dir(), paths.criteria_dir()):
        for path in sorted(Path(folder).glob("*.toml")):
            try:
                content = path.read_text(encoding="utf-8")
                cset = load_criteria_text(content, path.name)
            except (OSError, UnicodeDecodeError, CriteriaError):
                continue  # reported by the listing
            if cset.id == criteria_id:
                return cset, content
    raise ServiceError(f"Không có bộ tiêu chí “{criteria_id}”")


@functools.lru_cache(maxsize=16)
def from_snapshot(text: str, year: int) -> CriteriaSet:
    """The criteria set a period keeps (parsed once per text: facts read it on every view)."""
    return load_criteria_text(text, f"bộ tiêu chí của kỳ đánh giá năm {year}")


def of_period(period: EvaluationPeriod) -> CriteriaSet | None:
    """The set *period* scores by, or None when its scores are typed in as totals."""
    if not period.criteria_snapshot:
        return None
    return from_snapshot(period.criteria_snapshot, period.year)


def period_criteria(db: Database, year: int) -> PeriodCriteria | None:
    """The criteria set the period of *year* keeps, or None (scores typed in as totals)."""
    with db.session() as session:
        period = session.scalar(select(EvaluationPeriod).where(EvaluationPeriod.year == year))
        if period is None:
            raise NotFound(f"Chưa có kỳ đánh giá năm {year}")
        cset = of_period(period)
        return PeriodCriteria(year, cset) if cset is not None else None
