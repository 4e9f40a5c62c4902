"""Whether a criteria set fits a rule set's score model: the same total and, where the model
has two parts, the same maximum for "tiêu chí chung" and "kết quả thực hiện nhiệm vụ"."""

from __future__ import annotations

from fractions import Fraction

from app.domain.criteria.model import PART_LABELS, CriteriaSet, points_text
from app.domain.rules.model import ScoreModel


def _exact(value: float) -> Fraction:
    return Fraction(repr(float(value)))


def ruleset_mismatches(cset: CriteriaSet, model: ScoreModel) -> list[str]:
    """What keeps *cset*'s scores from feeding *model*'s thresholds, one Vietnamese sentence
    each (empty when it fits). Sheets only for leading collectives are not checked: the
    score model applies to members and organisations."""
    problems: list[str] = []
    if cset.total != _exact(model.total_max):
        problems.append(
            f"Bộ tiêu chí “{cset.name}” chấm trên {points_text(cset.total)} điểm, bộ quy tắc "
            f"tính trên {points_text(_exact(model.total_max))} điểm."
        )
    if not model.parts:
        return problems
    wanted = {"general": model.general_max, "tasks": model.tasks_max}
    for sheet in cset.sheets:
        if not any(code.split(":")[0] in model.applies_to for code in sheet.applies_to):
            continue
        parts = sheet.parts()
        for name, label in PART_LABELS.items():
            need = wanted[name]
            have = parts.get(name, Fraction(0))
            if need is not None and have != _exact(need):
                problems.append(
                    f"Bảng “{sheet.key}” («{sheet.title}»): phần {label} "
                    f"{points_text(have)} điểm, bộ quy tắc cần {points_text(_exact(need))} điểm."
                )
    return problems
