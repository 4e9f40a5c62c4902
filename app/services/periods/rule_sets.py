"""Rule sets: the shipped ones, the user's adjusted copies, and the one a period keeps.

Shipped rule sets live in ``resources/rulesets``; a copy adjusted for a province is written to
``rulesets/`` in the data folder. A period stores the exact text of the rule set it was
created with, so a later edit of a copy never changes how a past year was judged.
"""

from __future__ import annotations

import functools
from pathlib import Path

from app import paths
from app.domain.rules import (
    RuleSet,
    RuleSetError,
    discover_rulesets,
    load_ruleset_text,
    ruleset_to_toml,
    rulesets_for_year,
)
from app.services.common.atomic import write_bytes_atomically
from app.services.common.errors import ServiceError


def user_rulesets_dir() -> Path:
    path = paths.data_dir() / "rulesets"
    path.mkdir(parents=True, exist_ok=True)
    return path


def available() -> tuple[dict[str, RuleSet], list[RuleSetError]]:
    """Every rule set by id (shipped first, then copies) and the files that could not load."""
    return discover_rulesets(paths.rulesets_dir(), user_rulesets_dir())


def get(ruleset_id: str) -> RuleSet:
    found, _errors = available()
    if ruleset_id not in found:
        raise ServiceError(f"Không có bộ quy tắc “{ruleset_id}”")
    return found[ruleset_id]


def for_year(year: int) -> list[RuleSet]:
    """The rule sets that cover *year*, the regime of that year first."""
    found, _errors = available()
    return rulesets_for_year(found, year)


def default_for_year(year: int) -> RuleSet:
    choices = for_year(year)
    if not choices:
        raise ServiceError(f"Không có bộ quy tắc nào áp dụng cho năm {year}")
    return choices[0]


def snapshot(ruleset: RuleSet) -> str:
    """The text a period keeps: enough to rebuild the rule set exactly."""
    return ruleset_to_toml(ruleset)


@functools.lru_cache(maxsize=16)
def from_snapshot(text: str, year: int) -> RuleSet:
    """The rule set a period keeps (parsed once per text: it is read on every save)."""
    return load_ruleset_text(text, f"bộ quy tắc của kỳ đánh giá năm {year}")


def save_copy(ruleset: RuleSet) -> Path:
    """Write an adjusted copy; refuse an id a shipped rule set already uses."""
    if ruleset.id in shipped_ids():
        raise ServiceError(
            f"Mã “{ruleset.id}” là của bộ quy tắc có sẵn; hãy đặt mã khác cho bản sao"
        )
    path = user_rulesets_dir() / f"{ruleset.id}.toml"
    write_bytes_atomically(path, ruleset_to_toml(ruleset).encode("utf-8"))
    return path


def shipped_ids() -> set[str]:
    """The ids of the rule sets that come with the app (not the user's copies)."""
    found, _errors = discover_rulesets(paths.rulesets_dir())
    return set(found)
