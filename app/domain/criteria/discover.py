"""Finding the criteria sets: the shipped ones, then a province's copies in the data folder.

As with rule sets, every set has its own id (a stored score keeps the id of the set it was
given under, so an id never changes meaning); a province's copy names the set it was made
from in ``based_on`` and then stands in for it: it is offered instead, and it is the default
for the years it covers. A province's set without ``based_on`` simply adds a choice.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from app.domain.criteria.errors import CriteriaError
from app.domain.criteria.loader import load_criteria
from app.domain.criteria.model import CriteriaSet


@dataclass(frozen=True)
class CriteriaCatalog:
    """The sets found, by id; ``shipped`` the ids that came with the app; ``errors`` the
    files that could not be used, each with its Vietnamese message."""

    sets: Mapping[str, CriteriaSet]
    shipped: frozenset[str]
    errors: tuple[CriteriaError, ...] = ()

    def get(self, set_id: str) -> CriteriaSet | None:
        return self.sets.get(set_id)

    def is_copy(self, set_id: str) -> bool:
        """Whether *set_id* is the province's (not shipped with the app)."""
        return set_id in self.sets and set_id not in self.shipped

    def offered(self, year: int | None = None) -> list[CriteriaSet]:
        """The sets to choose from (for *year*, if given): the province's first, then the
        shipped sets no province copy covering that year stands in for; by id within each."""
        covering = [s for s in self.sets.values() if year is None or s.covers(year)]
        replaced = {s.based_on for s in covering if self.is_copy(s.id) and s.based_on}
        return sorted(
            (s for s in covering if s.id not in replaced),
            key=lambda s: (not self.is_copy(s.id), s.id),
        )

    def default(self, year: int) -> CriteriaSet | None:
        """The set a new period of *year* uses unless the user picks another."""
        offered = self.offered(year)
        return offered[0] if offered else None


def discover_criteria(shipped: str | Path, province: str | Path | None = None) -> CriteriaCatalog:
    """Every ``*.toml`` criteria set in the *shipped* folder (the app's ``resources/criteria``)
    and in the *province* folder (the data folder's ``criteria/``). A file that cannot be
    loaded, or whose id an earlier file already took, is reported in ``errors`` and skipped;
    a missing folder is simply empty."""
    found: dict[str, CriteriaSet] = {}
    errors: list[CriteriaError] = []
    shipped_ids: set[str] = set()
    for folder, is_shipped in ((shipped, True), (province, False)):
        if folder is None or not Path(folder).is_dir():
            continue
        for path in sorted(Path(folder).glob("*.toml")):
            try:
                cset = load_criteria(path)
            except CriteriaError as error:
                errors.append(error)
                continue
            if cset.id in found:
                problem = f"mã “{cset.id}” trùng với một bộ tiêu chí đã có"
                if cset.id in shipped_ids:
                    problem = (
                        f"mã “{cset.id}” trùng với bộ tiêu chí có sẵn; bản của tỉnh cần mã "
                        f'riêng và ghi based_on = "{cset.id}" để dùng thay bộ đó'
                    )
                errors.append(CriteriaError(path.name, problem, key="id"))
                continue
            found[cset.id] = cset
            if is_shipped:
                shipped_ids.add(cset.id)
    return CriteriaCatalog(found, frozenset(shipped_ids), tuple(errors))
