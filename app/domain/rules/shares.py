"""The base of the rule checks' shares of levels: the subjects with a recorded level.

A subject recorded "Không xếp loại" (for any reason) or still without a level is outside
both the part and the whole. The organisation caps (R5, R6, R10) count through these
functions. A summary reports to a reader instead: its shares are of those evaluated, and
those still without a level are a line of their own (``services.summary.figures``); a decided
year has a level for every subject evaluated, and there the two bases are the same.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction


@dataclass(frozen=True)
class Share:
    part: int
    whole: int

    @property
    def ratio(self) -> Fraction:
        return Fraction(self.part, self.whole) if self.whole else Fraction(0)

    def over(self, limit: Fraction, strict: bool = True) -> bool:
        """More than *limit* (``strict``) or at least it; never with an empty base."""
        if self.whole == 0:
            return False
        return self.ratio > limit if strict else self.ratio >= limit

    def under(self, limit: Fraction) -> bool:
        """Below *limit*; never with an empty base."""
        return self.whole > 0 and self.ratio < limit


def tally(levels: Iterable[str | None]) -> Counter[str]:
    """Subjects by level code; those without a level are left out."""
    return Counter(code for code in levels if code is not None)


def share_base(counts: Mapping[str | None, int]) -> int:
    """How many subjects of *counts* (level code → number) have a recorded level."""
    return sum(n for code, n in counts.items() if code is not None)


def level_share(counts: Mapping[str | None, int], counted: Callable[[str], bool]) -> Share:
    """The subjects at a level *counted* accepts over those with a level."""
    part = sum(n for code, n in counts.items() if code is not None and counted(code))
    return Share(part, share_base(counts))
