"""Finding the rule sets in folders: the shipped ones first, then the user's copies."""

from __future__ import annotations

from pathlib import Path

from app.domain.rules.errors import RuleSetError
from app.domain.rules.loader import load_ruleset
from app.domain.rules.model import RuleSet


def discover_rulesets(
    *folders: str | Path,
) -> tuple[dict[str, RuleSet], list[RuleSetError]]:
    """Every ``*.toml`` rule set in *folders*, by id, in the order given (pass the shipped
    folder first). A file that cannot be loaded, or whose id an earlier file already took,
    is reported in the error list and skipped; a missing folder is simply empty."""
    found: dict[str, RuleSet] = {}
    errors: list[RuleSetError] = []
    for folder in folders:
        folder = Path(folder)
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.toml")):
            try:
                rs = load_ruleset(path)
            except RuleSetError as error:
                errors.append(error)
                continue
            if rs.id in found:
                errors.append(
                    RuleSetError(path.name, f"mã “{rs.id}” trùng với bộ quy tắc đã có", key="id")
                )
                continue
            found[rs.id] = rs
    return found, errors


def rulesets_for_year(rulesets: dict[str, RuleSet], year: int) -> list[RuleSet]:
    """The rule sets that cover *year*: originals (not copies) first, then by id."""
    return sorted(
        (rs for rs in rulesets.values() if rs.covers(year)),
        key=lambda rs: (rs.based_on is not None, rs.id),
    )
