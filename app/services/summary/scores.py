"""The score distribution of a summary (issue 24): how many of those evaluated reached each
band of the rule set's 100 points — "Từ 90 điểm trở lên", "Từ 70 đến dưới 90 điểm", … — and how
many have no score yet.

The bands are the rule set's own thresholds (QĐ 366: 90, 70, 50), so a province that moves a
threshold sees its bands move. The score counted is the self-assessment's total as stored
(general + tasks: the sum of the items where it was scored item by item), the figure the
self-review form's part B and the cell's report carry. Counted in SQL per cell and band, as the
rest of the summary, never one row per member.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session

from app.domain.formatting import format_decimal, format_percent
from app.domain.rules import RuleSet
from app.store.models import MemberEvaluation, OrgEvaluation

UNSCORED_LABEL = "Chưa có điểm"
Band = tuple[float, float | None]  # [low, high): high None for the top band


@dataclass(frozen=True)
class BandFigure:
    label: str
    count: int
    share: str  # of those evaluated


@dataclass(frozen=True)
class ScoreDistribution:
    """Subjects evaluated, by score band (best first), and those without a score."""

    title: str  # "Đảng viên (điểm tự chấm)"
    evaluated: int
    bands: tuple[BandFigure, ...]
    unscored: BandFigure

    @property
    def rows(self) -> tuple[BandFigure, ...]:
        return (*self.bands, self.unscored)


def bands_of(rs: RuleSet, kind: str) -> tuple[Band, ...]:
    """The rule set's bands for *kind* ("member", "org"), best first; none when it does not
    score that kind."""
    model = rs.score
    if model is None or not model.enabled or kind not in model.applies_to:
        return ()
    scale = rs.scale(kind)
    lows = sorted({float(model.thresholds[c]) for c in scale.codes if c in model.thresholds})
    lows = [low for low in lows if low > 0]
    edges = [0.0, *lows]
    return tuple(
        (low, edges[i + 1] if i + 1 < len(edges) else None) for i, low in enumerate(edges)
    )[::-1]


def band_label(band: Band) -> str:
    low, high = band
    if high is None:
        return f"Từ {format_decimal(low, 2)} điểm trở lên"
    if low <= 0:
        return f"Dưới {format_decimal(high, 2)} điểm"
    return f"Từ {format_decimal(low, 2)} đến dưới {format_decimal(high, 2)} điểm"


def _band_index(total: ColumnElement[float], bands: tuple[Band, ...]) -> ColumnElement[int]:
    """SQL: the index of the band *total* falls in; len(bands) for no score."""
    whens = [(total.is_(None), len(bands))]
    whens += [(total >= low, index) for index, (low, _high) in enumerate(bands)]
    return case(*whens, else_=len(bands) - 1)


def member_bands(session: Session, period_id: int, rs: RuleSet) -> dict[int, Counter[int]]:
    """Per cell: evaluated members by band index (len(bands): no score)."""
    bands = bands_of(rs, "member")
    if not bands:
        return {}
    total = MemberEvaluation.self_score_general + MemberEvaluation.self_score_tasks
    index = _band_index(total, bands)
    found: dict[int, Counter[int]] = {}
    query = (
        select(MemberEvaluation.org_id, index, func.count())
        .where(MemberEvaluation.period_id == period_id, MemberEvaluation.evaluated.is_(True))
        .group_by(MemberEvaluation.org_id, index)
    )
    for cell_id, band, count in session.execute(query):
        found.setdefault(cell_id, Counter())[band] += count
    return found


def org_bands(session: Session, period_id: int, rs: RuleSet) -> dict[int, int]:
    """Per evaluated organisation: its band index (len(bands): no score)."""
    bands = bands_of(rs, "org")
    if not bands:
        return {}
    total = OrgEvaluation.score_general + OrgEvaluation.score_tasks
    query = select(OrgEvaluation.org_id, _band_index(total, bands)).where(
        OrgEvaluation.period_id == period_id,
        OrgEvaluation.subject == "org",
        OrgEvaluation.evaluated.is_(True),
    )
    return {org_id: band for org_id, band in session.execute(query)}


def distribution(
    title: str, rs: RuleSet, kind: str, counts: Mapping[int, int]
) -> ScoreDistribution | None:
    """The distribution of *counts* (band index → subjects); None when *rs* does not score
    *kind*."""
    bands = bands_of(rs, kind)
    if not bands:
        return None
    evaluated = sum(counts.values())

    def figure(label: str, count: int) -> BandFigure:
        return BandFigure(label, count, format_percent(count, evaluated))

    return ScoreDistribution(
        title=title,
        evaluated=evaluated,
        bands=tuple(figure(band_label(b), counts.get(i, 0)) for i, b in enumerate(bands)),
        unscored=figure(UNSCORED_LABEL, counts.get(len(bands), 0)),
    )


def summed(counters: Iterable[Mapping[int, int]]) -> Counter[int]:
    total: Counter[int] = Counter()
    for counter in counters:
        total.update(counter)
    return total
