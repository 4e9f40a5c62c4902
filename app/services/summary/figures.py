"""The figures of a summary: subjects by level, not classified by reason, shares of those
classified, a ratio against its limit, and last year's figure beside each one.

Every share a summary shows is computed here, once, and read as it is by every consumer (the
window's table and chart, the text, the PDF, the workbook): none works one out of its own.
The share of a level is of those evaluated ("Được đánh giá, xếp loại", the base of the summary
tables of the guidance: "HTXSNV (n, % of evaluated)"). Those evaluated but still without a level
(a year under way: cells that have not proposed yet) are their own line, ``PENDING_LABEL``,
with their share of the same base, so that the level lines and it add up to the whole; they
never shrink the base. Evaluated and not evaluated are shares of the total.

Levels come from the year's rule set, best first. A level counted inside another one
(``counts_as``: hd27's "Trong sạch, vững mạnh tiêu biểu" inside "Trong sạch, vững mạnh") is
not a row of its own: it is added into that level and shown under it as "trong đó …", as
reports of the time do. Last year's figure is given only for a level its rule set also has,
so a year of a new regime is not compared level by level with the old one (totals still are).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from app.domain.formatting import format_int, format_percent
from app.domain.rules import RuleSet, Scale
from app.domain.rules.shares import level_share
from app.domain.text import clean, search_fold
from app.services.summary.load import Outcome

MINUS = "\u2212"
PENDING_LABEL = "Chưa có kết quả xếp loại"
MOVED_LABEL = "Chuyển sinh hoạt"
# Free-text reasons ("other", with the words the workbook gave) shown by name before the rest
# are gathered under the rule set's "Lý do khác": a report stays readable.
MAX_FREE_REASONS = 5


@dataclass(frozen=True)
class LevelInfo:
    code: str
    short: str  # "HTXSNV", "TSVM tiêu biểu"
    name: str  # "Hoàn thành xuất sắc nhiệm vụ"


@dataclass(frozen=True)
class LevelFigure:
    """Subjects at one level; ``evaluated`` is the base of the share: the group's subjects
    evaluated, those still without a level included (they are the group's ``pending`` line),
    so that a year under way is not shown as shares of the few levels entered so far."""

    code: str
    short: str
    name: str
    count: int
    evaluated: int
    previous: int | None = None
    previous_evaluated: int | None = None
    of_which: LevelFigure | None = None  # "trong đó: TSVM tiêu biểu"

    @property
    def share(self) -> str:
        return format_percent(self.count, self.evaluated)

    @property
    def previous_share(self) -> str:
        return _share(self.previous, self.previous_evaluated)

    @property
    def change(self) -> str:
        return change_text(self.count, self.previous)


@dataclass(frozen=True)
class ReasonFigure:
    label: str
    count: int
    previous: int | None = None

    @property
    def change(self) -> str:
        return change_text(self.count, self.previous)


@dataclass(frozen=True)
class GroupFigures:
    """Organisations or members of a node: total, classified, by level, not classified by
    reason. ``pending``: classified but without a level yet (the line ``PENDING_LABEL``);
    ``provisional``: levels that are still the cell's proposal, not the commune's decision.
    The ``*_share`` properties are the shares every consumer shows."""

    title: str
    total: int
    evaluated: int
    levels: tuple[LevelFigure, ...]
    not_evaluated: tuple[ReasonFigure, ...] = ()
    pending: int = 0
    provisional: int = 0
    previous_total: int | None = None
    previous_evaluated: int | None = None
    previous_pending: int | None = None

    @property
    def not_evaluated_count(self) -> int:
        return self.total - self.evaluated

    @property
    def previous_not_evaluated(self) -> int | None:
        if self.previous_total is None or self.previous_evaluated is None:
            return None
        return self.previous_total - self.previous_evaluated

    @property
    def evaluated_share(self) -> str:
        """Those evaluated, of the total."""
        return format_percent(self.evaluated, self.total)

    @property
    def previous_evaluated_share(self) -> str:
        return _share(self.previous_evaluated, self.previous_total)

    @property
    def not_evaluated_share(self) -> str:
        """Those not evaluated, of the total."""
        return format_percent(self.not_evaluated_count, self.total)

    @property
    def previous_not_evaluated_share(self) -> str:
        return _share(self.previous_not_evaluated, self.previous_total)

    @property
    def has_pending(self) -> bool:
        """Whether the ``PENDING_LABEL`` line is shown: someone evaluated has no level yet,
        this year or the year compared with."""
        return self.pending > 0 or bool(self.previous_pending)

    @property
    def pending_share(self) -> str:
        """Those evaluated without a level yet, of those evaluated (the base of the levels)."""
        return format_percent(self.pending, self.evaluated)

    @property
    def previous_pending_share(self) -> str:
        return _share(self.previous_pending, self.previous_evaluated)

    def level(self, code: str) -> LevelFigure | None:
        """The row of *code*, or the "trong đó" line inside a row."""
        for figure in self.levels:
            if figure.code == code:
                return figure
            if figure.of_which is not None and figure.of_which.code == code:
                return figure.of_which
        return None

    def count(self, code: str) -> int:
        figure = self.level(code)
        return figure.count if figure else 0


@dataclass(frozen=True)
class RatioFigure:
    """One level as a share of another (HTXSNV of HTTNV), with the rule set's limit."""

    label: str
    level: str
    base_level: str
    part: int
    whole: int
    limit_percent: float | None = None
    previous_part: int | None = None
    previous_whole: int | None = None

    @property
    def percent(self) -> str:
        return format_percent(self.part, self.whole)

    @property
    def previous_percent(self) -> str:
        return _share(self.previous_part, self.previous_whole)

    @property
    def exceeded(self) -> bool:
        return (
            self.limit_percent is not None
            and self.whole > 0
            and self.part * 100 > self.limit_percent * self.whole
        )

    @property
    def text(self) -> str:
        """ "832/4.611 (18%)" """
        return f"{format_int(self.part)}/{format_int(self.whole)} ({self.percent})"


def _share(part: int | None, whole: int | None) -> str:
    """A share, or "" when either figure is not known (no year to compare with)."""
    return "" if part is None or whole is None else format_percent(part, whole)


def change_text(current: int, previous: int | None) -> str:
    """ "+165", "−10", "0"; empty without a previous figure."""
    if previous is None:
        return ""
    change = current - previous
    if change > 0:
        return f"+{format_int(change)}"
    if change < 0:
        return f"{MINUS}{format_int(-change)}"
    return "0"


def levels_of(scale: Scale) -> tuple[LevelInfo, ...]:
    return tuple(LevelInfo(lv.code, lv.short, lv.name) for lv in scale.levels)


def reason_label(rs: RuleSet, code: str, note: str) -> str:
    """How a "not classified" reason reads in a summary: the rule set's label; for "other",
    the words given (a move, "Chuyển sinh hoạt", always reads the same)."""
    if code != "other" and any(r.code == code for r in rs.reasons):
        return rs.reason_label(code)
    words = clean(note)
    if search_fold(words).startswith("chuyen sinh hoat"):
        return MOVED_LABEL
    if words:
        return words[:1].upper() + words[1:]
    return rs.reason_label("other")


@dataclass(frozen=True)
class Counts:
    """Raw tallies of one group in one year, before they become figures."""

    total: int
    evaluated: int
    levels: Counter[str]
    reasons: Counter[str]  # by label
    reason_rank: dict[str, int]
    pending: int
    provisional: int


_MOVED_RANK, _FREE_RANK = 100, 200


def count(outcomes: Iterable[Outcome], rs: RuleSet) -> Counts:
    levels: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    rank: dict[str, int] = {}
    order = {r.code: i for i, r in enumerate(rs.reasons) if r.code != "other"}
    total = evaluated = pending = provisional = 0
    for o in outcomes:
        total += o.count
        if not o.evaluated:
            label = reason_label(rs, o.reason, o.note)
            reasons[label] += o.count
            free = _MOVED_RANK if label == MOVED_LABEL else _FREE_RANK
            rank[label] = order.get(o.reason, free)
            continue
        evaluated += o.count
        if o.level is None:
            pending += o.count
            continue
        levels[o.level] += o.count
        if not o.decided:
            provisional += o.count
    return Counts(total, evaluated, levels, reasons, rank, pending, provisional)


def _at(counts: Counts, scale: Scale, code: str) -> int:
    """Subjects at *code*, the levels counted inside it included."""
    return level_share(counts.levels, lambda c: c in scale and scale.counts(c, code)).part


def _previous_at(previous: Counts | None, scale: Scale | None, code: str) -> int | None:
    if previous is None or scale is None or code not in scale:
        return None
    return _at(previous, scale, code)


def group(
    title: str,
    counts: Counts,
    scale: Scale,
    previous: Counts | None = None,
    previous_scale: Scale | None = None,
) -> GroupFigures:
    rows = []
    for level in scale.levels:
        if level.counts_as is not None:
            continue
        inner = next((lv for lv in scale.levels if lv.counts_as == level.code), None)
        of_which = None
        if inner is not None:
            of_which = LevelFigure(
                inner.code,
                inner.short,
                inner.name,
                counts.levels[inner.code],
                counts.evaluated,
                _previous_at(previous, previous_scale, inner.code),
                previous.evaluated if previous else None,
            )
        rows.append(
            LevelFigure(
                level.code,
                level.short,
                level.name,
                _at(counts, scale, level.code),
                counts.evaluated,
                _previous_at(previous, previous_scale, level.code),
                previous.evaluated if previous else None,
                of_which,
            )
        )
    return GroupFigures(
        title=title,
        total=counts.total,
        evaluated=counts.evaluated,
        levels=tuple(rows),
        not_evaluated=_reasons(counts, previous),
        pending=counts.pending,
        provisional=counts.provisional,
        previous_total=previous.total if previous else None,
        previous_evaluated=previous.evaluated if previous else None,
        previous_pending=previous.pending if previous else None,
    )


def _reasons(counts: Counts, previous: Counts | None) -> tuple[ReasonFigure, ...]:
    labels = set(counts.reasons) | (set(previous.reasons) if previous else set())
    rank = {**(previous.reason_rank if previous else {}), **counts.reason_rank}
    ordered = sorted(labels, key=lambda lb: (rank.get(lb, _FREE_RANK), -counts.reasons[lb], lb))
    free = [lb for lb in ordered if rank.get(lb, _FREE_RANK) == _FREE_RANK]
    figures: list[ReasonFigure] = []
    rest_now = rest_before = 0
    for label in ordered:
        now = counts.reasons[label]
        before = previous.reasons[label] if previous else None
        if label in free[MAX_FREE_REASONS:]:
            rest_now += now
            rest_before += before or 0
            continue
        figures.append(ReasonFigure(label, now, before))
    if rest_now or rest_before:
        figures.append(ReasonFigure("Các lý do khác", rest_now, rest_before if previous else None))
    return tuple(figures)


def ratio(
    rs: RuleSet, counts: Counts, previous: Counts | None, previous_rs: RuleSet | None
) -> RatioFigure:
    """The quota's level as a share of its base (HTXSNV of HTTNV), whether or not the year's
    rule set enforces it (HD 27-2014 did not: the share is shown without a limit)."""
    scale = rs.member_levels
    rule = rs.member_quota
    level = rule.level if rule else scale.levels[0].code
    base = rule.base_level if rule else scale.levels[1].code
    or_better = rule is not None and rule.base == "httnv_or_better"

    def whole_of(found: Counts, sc: Scale) -> int:
        if not or_better:
            return _at(found, sc, base)
        # A level counted inside a better one is already in that one's figure.
        tops = [lv.code for lv in sc.levels if lv.counts_as is None]
        return sum(_at(found, sc, c) for c in tops if sc.rank(c) <= sc.rank(base))

    previous_part = previous_whole = None
    if previous is not None and previous_rs is not None:
        pscale = previous_rs.member_levels
        if level in pscale and base in pscale:
            previous_part, previous_whole = _at(previous, pscale, level), whole_of(previous, pscale)
    short, base_short = scale.get(level).short, scale.get(base).short
    return RatioFigure(
        label=f"Tỷ lệ đảng viên {short} so với số đảng viên {base_short}"
        + (" trở lên" if or_better else ""),
        level=level,
        base_level=base,
        part=_at(counts, scale, level),
        whole=whole_of(counts, scale),
        limit_percent=float(rule.rate * 100) if rule is not None and rule.enabled else None,
        previous_part=previous_part,
        previous_whole=previous_whole,
    )
