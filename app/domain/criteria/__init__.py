"""Criteria sets as data: the items a self-review and the chi ủy's assessment score, with their
maximum points, how each is scored, whom they apply to and where they come from; and scoring a
subject item by item into QĐ 366's 30 + 70 = 100 points. Pure Python, standard library only.

Public API::

    load_criteria(path) / load_criteria_text(text, source_name) -> CriteriaSet
    discover_criteria(shipped_dir, province_dir) -> CriteriaCatalog (sets, errors, offered(year))
    score_entries(cset, subject, {item key: ItemEntry | value}) -> SheetScore
        (.total, .general, .tasks, .missing, .problems, .explanation)
    item_points(item, entry) -> ItemScore (or EntryError naming the item)
    lost_lines(score) -> the sentences of the items that lost points
    ruleset_mismatches(cset, score_model) -> list[str]
"""

from app.domain.criteria.discover import CriteriaCatalog, discover_criteria
from app.domain.criteria.errors import CriteriaError, EntryError, SubjectError
from app.domain.criteria.fit import ruleset_mismatches
from app.domain.criteria.loader import criteria_from_dict, load_criteria, load_criteria_text
from app.domain.criteria.model import (
    CONFIDENCE_LABELS,
    PART_LABELS,
    SCORING_KINDS,
    SUBJECTS,
    CountScoring,
    CriteriaSet,
    CriteriaSubject,
    Group,
    Item,
    MetScoring,
    ScaleScoring,
    Scoring,
    Sheet,
    points_text,
)
from app.domain.criteria.scoring import (
    EntryProblem,
    GroupScore,
    ItemEntry,
    ItemScore,
    SheetScore,
    explain,
    item_line,
    item_points,
    lost_lines,
    score_entries,
)

__all__ = [
    "CONFIDENCE_LABELS",
    "PART_LABELS",
    "SCORING_KINDS",
    "SUBJECTS",
    "CountScoring",
    "CriteriaCatalog",
    "CriteriaError",
    "CriteriaSet",
    "CriteriaSubject",
    "EntryError",
    "EntryProblem",
    "Group",
    "GroupScore",
    "Item",
    "ItemEntry",
    "ItemScore",
    "MetScoring",
    "ScaleScoring",
    "Scoring",
    "Sheet",
    "SheetScore",
    "SubjectError",
    "criteria_from_dict",
    "discover_criteria",
    "explain",
    "item_line",
    "item_points",
    "load_criteria",
    "load_criteria_text",
    "lost_lines",
    "points_text",
    "ruleset_mismatches",
    "score_entries",
]
