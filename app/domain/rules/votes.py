"""The level a cell's vote gives, with the sentence that explains it.

The vote is a proposal; the commune decides. A tally the caller must not send (more votes
than voters, a negative count, a level the rule set lacks) raises ``TallyError``: the entry
grid should refuse such input, and ``propose``/``validate`` turn it into a warning.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from app.domain.formatting import format_int, format_percent
from app.domain.rules.errors import TallyError
from app.domain.rules.facts import CellVoting, PeriodFacts, Subject, VoteTally
from app.domain.rules.frozen import FrozenMap
from app.domain.rules.model import RuleSet, Scale
from app.domain.rules.schema import ratio_text

DECIDER = "Đảng ủy xã xem xét, quyết định"


@dataclass(frozen=True)
class VoteOutcome:
    """``level`` is the best level that passes, or None. ``counts`` are the votes cast for
    each level; ``support`` adds the votes of better levels when the rule cascades."""

    level: str | None
    explanation: str
    denominator: int
    counts: Mapping[str, int] = field(default_factory=FrozenMap)
    support: Mapping[str, int] = field(default_factory=FrozenMap)

    def share(self, code: str) -> Fraction:
        """The votes cast for *code* itself over the denominator (0 with no voters)."""
        if self.denominator == 0:
            return Fraction(0)
        return Fraction(self.counts.get(code, 0), self.denominator)


def vote_denominator(rs: RuleSet, voting: CellVoting) -> int:
    if rs.vote.denominator == "present_official":
        return voting.present_official
    return voting.official_not_exempt


def voters_phrase(rs: RuleSet) -> str:
    if rs.vote.denominator == "present_official":
        return "đảng viên chính thức có mặt"
    return "đảng viên chính thức"


def read_tally(scale: Scale, tally: VoteTally, denominator: int, voters: str) -> dict[str, int]:
    """The counts of *tally* for every level of *scale*, or TallyError."""
    counts = {code: 0 for code in scale.codes}
    for code, value in tally.counts.items():
        if code not in scale:
            raise TallyError(f"Phiếu ghi mức “{code}” không có trong bộ quy tắc")
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise TallyError(f"Số phiếu mức {code} phải là số nguyên không âm")
        counts[code] = value
    total = sum(counts.values())
    if total > denominator:
        raise TallyError(
            f"Tổng số phiếu ({format_int(total)}) nhiều hơn số {voters} được tính "
            f"({format_int(denominator)}); cần kiểm tra lại"
        )
    return counts


def passes(rs: RuleSet, code: str, support: int, denominator: int) -> bool:
    """Whether *support* of *denominator* reaches *code*'s threshold, above it where the
    rule set wants that level strictly above."""
    threshold = rs.vote.thresholds[code]
    share = Fraction(support, denominator)
    return share > threshold if rs.vote.strict_for(code) else share >= threshold


def threshold_text(rs: RuleSet, code: str) -> str:
    """ "> 50%", "≥ 66,7%": the threshold of *code* with its sign."""
    sign = ">" if rs.vote.strict_for(code) else "≥"
    return f"{sign} {ratio_text(rs.vote.thresholds[code])}"


def vote_outcome(rs: RuleSet, tally: VoteTally, voting: CellVoting) -> VoteOutcome:
    """The level *tally* gives under *rs*, counted over the denominator of the rule set
    (official members not exempt, or those present), e.g. "HTXSNV: 5/9 phiếu (55,6%) > 50%".
    Raises TallyError for an impossible tally."""
    scale = rs.scale(tally.subject.kind)
    denominator = vote_denominator(rs, voting)
    voters = voters_phrase(rs)
    counts = read_tally(scale, tally, denominator, voters)
    support: dict[str, int] = {}
    running = 0
    for code in scale.codes:
        running += counts[code]
        support[code] = running if rs.vote.cascade else counts[code]
    if denominator == 0:
        return VoteOutcome(
            None,
            f"Không có {voters} để biểu quyết; {DECIDER}.",
            0,
            FrozenMap(counts),
            FrozenMap(support),
        )
    for level in scale.levels:
        code = level.code
        if passes(rs, code, support[code], denominator):
            higher = support[code] - counts[code]
            pct = format_percent(support[code], denominator)
            threshold = threshold_text(rs, code)
            if higher:
                text = (
                    f"{level.short}: {counts[code]} + {higher} phiếu mức cao hơn = "
                    f"{support[code]}/{denominator} ({pct}) {threshold}"
                )
            else:
                text = f"{level.short}: {support[code]}/{denominator} phiếu ({pct}) {threshold}"
            return VoteOutcome(code, text, denominator, FrozenMap(counts), FrozenMap(support))
    return VoteOutcome(
        None,
        _no_level_text(rs, scale, counts, denominator, voters),
        denominator,
        FrozenMap(counts),
        FrozenMap(support),
    )


def _no_level_text(
    rs: RuleSet, scale: Scale, counts: Mapping[str, int], denominator: int, voters: str
) -> str:
    thresholds = {(rs.vote.thresholds[c], rs.vote.strict_for(c)) for c in scale.codes}
    if len(thresholds) == 1:
        share, strict = next(iter(thresholds))
        need = f"{'quá' if strict else 'từ'} {ratio_text(share)}"
    else:
        need = (
            "đủ tỷ lệ cần thiết ("
            + "; ".join(f"{scale.get(c).short} {threshold_text(rs, c)}" for c in scale.codes)
            + ")"
        )
    text = f"Không mức nào được {need} của {format_int(denominator)} {voters}"
    best = max(scale.codes, key=lambda c: (counts[c], -scale.rank(c)))
    if counts[best]:
        text += (
            f"; nhiều phiếu nhất là {scale.get(best).short} "
            f"({counts[best]}/{denominator}, {format_percent(counts[best], denominator)})"
        )
    return f"{text}. {DECIDER}."


def period_outcomes(rs: RuleSet, period: PeriodFacts) -> dict[Subject, VoteOutcome]:
    """The outcome of every tally of *period* that can be read (a tally of a cell without
    its count of voters, or an impossible one, is left out): the vote shares the quota's
    trim order reads."""
    voting = {v.cell_id: v for v in period.voting}
    cell_of = {m.member_id: m.cell_id for m in period.members}
    found: dict[Subject, VoteOutcome] = {}
    for tally in period.votes:
        kind = tally.subject.kind
        cell = cell_of.get(tally.subject.id) if kind == "member" else tally.subject.id
        if cell in voting:
            try:
                found[tally.subject] = vote_outcome(rs, tally, voting[cell])
            except TallyError:
                continue
    return found
