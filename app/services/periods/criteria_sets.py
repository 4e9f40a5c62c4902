"""Criteria sets: the shipped ones, the province's copies, and the one a period keeps.

Shipped sets live in ``resources/criteria``; a province's sets in ``criteria/`` of the data
folder (``paths.criteria_dir``), a copy of a shipped set standing in for it through
``based_on``. A period keeps the exact TOML text of the set it scores by, with its id, as it
keeps its rule set: a later edit of the file never changes a scored year, until the user
chooses the set again for that period (``procedure.item_scores.choose_criteria``).

A period without a criteria set works as before: the two sub-scores are typed in as totals.

A province's copy is made and edited in the window too (``copy_of``, ``save_copy``): the copy
is written back in the loader's format, loaded again before it replaces anything, and a
refusal names the sheet, group and item in the user's words.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace
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
from app.domain.criteria.writer import criteria_to_toml
from app.domain.rules import RuleSet
from app.services.common.atomic import write_bytes_atomically
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


# A province's copy, made and edited in the window ----------------------------------------

# What the loader's keys name, in the user's words.
_FIELDS = {
    "id": "mã", "name": "tên", "based_on": "bộ gốc", "first_year": "năm bắt đầu",
    "last_year": "năm kết thúc", "total": "tổng điểm", "citation": "căn cứ",
    "confidence": "độ tin cậy", "description": "mô tả", "title": "tên", "points": "điểm",
    "text": "nội dung", "scoring": "cách chấm", "steps": "các mức của thang điểm",
    "per_unit": "điểm mỗi lần", "unit": "đơn vị đếm", "guide": "hướng dẫn chấm",
    "applies_to": "đối tượng", "part": "phần điểm", "groups": "các nhóm", "items": "các mục",
    "key": "mã",
}  # fmt: skip
_PLACE = re.compile(
    r"^sheets\[(?P<sheet>[^\]]+)\]"
    r"(?:\.groups\[(?P<group>[^\]]+)\]"
    r"(?:\.items\[(?P<item>[^\]]+)\])?)?"
    r"(?:\.(?P<field>[a-z_]+)(?:\[\d+\])?)?$"
)


class CopyRefused(ServiceError):
    """A copy that cannot be saved. The message names the place as the user sees it ("Bảng
    “…” · Mục A.1 «…», điểm: …"); ``sheet_key``, ``group_key`` and ``item_key`` say where it
    is (None when the problem is the set's own: its id, its name), ``field`` which of its
    values (the file's key: "points", "steps", "text"…), when one is to blame."""

    def __init__(
        self,
        message: str,
        *,
        sheet_key: str | None = None,
        group_key: str | None = None,
        item_key: str | None = None,
        field: str | None = None,
    ) -> None:
        super().__init__(message)
        self.sheet_key, self.group_key, self.item_key = sheet_key, group_key, item_key
        self.field = field


def shipped_ids() -> frozenset[str]:
    """The ids of the sets that come with the app (a province's copy needs its own)."""
    return discover_criteria(paths.shipped_criteria_dir()).shipped


def province_file(criteria_id: str) -> Path | None:
    """The file in the data folder's criteria/ that holds the set *criteria_id*, if any."""
    for path in sorted(paths.criteria_dir().glob("*.toml")):
        try:
            if load_criteria_text(path.read_text(encoding="utf-8"), path.name).id == criteria_id:
                return path
        except (OSError, UnicodeDecodeError, CriteriaError):
            continue
    return None


def base_of(cset: CriteriaSet) -> str:
    """The set a copy of *cset* stands in for: *cset* itself, or, when *cset* is a
    province's copy already, the set that copy stands in for (the shipped one)."""
    return cset.id if cset.id in shipped_ids() or not cset.based_on else cset.based_on


def copy_of(cset: CriteriaSet, new_id: str, name: str) -> CriteriaSet:
    """A copy of *cset* named *new_id* / *name*, ``based_on`` :func:`base_of` *cset*: chosen
    in its place from then on."""
    return replace(cset, id=new_id.strip(), name=name.strip(), based_on=base_of(cset))


def refusal(cset: CriteriaSet, error: CriteriaError) -> CopyRefused:
    """*error* (the loader's, naming a key such as ``sheets[pl5].groups[A].items[A.1].points``)
    told with the sheet's title, the group's and the item's names instead of the key."""
    key = error.key or ""
    match = _PLACE.match(key)
    if match is None:
        field = key.partition("[")[0]
        what = f"Bộ tiêu chí, {_FIELDS.get(field, field)}" if field else "Bộ tiêu chí"
        return CopyRefused(f"{what}: {error.problem}", field=field or None)
    sheet_key, group_key, item_key = match.group("sheet", "group", "item")
    sheet = cset.sheet(sheet_key)
    parts = [f"Bảng “{sheet.title}”" if sheet is not None else f"Bảng {sheet_key}"]
    group = next((g for g in sheet.groups if g.key == group_key), None) if sheet else None
    item = sheet.item(item_key) if sheet is not None and item_key else None
    if item_key:
        parts.append(item.label if item is not None and item.text else f"Mục {item_key}")
    elif group_key:
        parts.append(f"Nhóm {group_key} «{group.title}»" if group else f"Nhóm {group_key}")
    place = " · ".join(parts)
    field = match.group("field")
    if field and not (group_key and not item_key and field == "points"):
        place += f", {_FIELDS.get(field, field)}"
    return CopyRefused(
        f"{place}: {error.problem}",
        sheet_key=sheet_key, group_key=group_key, item_key=item_key, field=field,
    )  # fmt: skip


def save_copy(cset: CriteriaSet, *, new: bool = False) -> Path:
    """Write the province's set *cset* to the data folder's criteria/ and return its file.

    Refused (CopyRefused, nothing written, an old file left as it was) for an id a shipped
    set uses; for a *new* copy, for an id another set already uses; and for a set the loader
    would refuse: the text is written, loaded back and only then put in place, atomically.
    Periods that chose the set before keep the text they stored."""
    if cset.id in shipped_ids():
        raise CopyRefused(
            f"Mã “{cset.id}” là của bộ tiêu chí có sẵn; hãy đặt mã khác cho bản của tỉnh."
        )
    path = province_file(cset.id)
    if new:
        taken = catalog().get(cset.id)
        if path is not None or taken is not None:
            name = taken.name if taken is not None else cset.id
            raise CopyRefused(
                f"Mã “{cset.id}” đã là của bộ tiêu chí “{name}”; hãy đặt mã khác cho bản sao."
            )
    if path is None:
        path = paths.criteria_dir() / f"{cset.id}.toml"
        if path.exists():
            raise CopyRefused(
                f"Thư mục bộ tiêu chí đã có tệp “{path.name}” (một bộ khác, hoặc tệp không đọc "
                "được); hãy đặt mã khác cho bản sao."
            )
    try:
        text = criteria_to_toml(cset)
        load_criteria_text(text, path.name)
    except CriteriaError as error:
        raise refusal(cset, error) from None
    write_bytes_atomically(path, text.encode("utf-8"))
    return path
