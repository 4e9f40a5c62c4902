"""Adjusting a rule set: the list of its parameters for the dialog, and an adjusted copy.

A copy is checked exactly like a loaded file: the rule set is turned into its TOML data, the
changes are put in at their dotted paths, and the result goes through the loader again.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from app.domain.rules.errors import RuleSetError
from app.domain.rules.loader import ID_PATTERN, ruleset_from_dict
from app.domain.rules.model import RuleSet, Section
from app.domain.rules.registry import REGISTRY
from app.domain.rules.schema import (
    SEVERITY_SPEC,
    BoolSpec,
    Env,
    Spec,
    YearSpec,
)
from app.domain.rules.sections import (
    ELIGIBILITY,
    QUORUM,
    SCORE,
    SECTION_LABELS,
    VOTE,
    quota_specs,
    score_conditions_spec,
    score_threshold_spec,
    vote_strict_spec,
    vote_threshold_spec,
)
from app.domain.rules.writer import ruleset_to_dict


@dataclass(frozen=True)
class Parameter:
    """One adjustable parameter. ``path`` is what ``copy_ruleset`` takes; ``value`` is the
    stored value (bool, int, float, Fraction, str, tuple or None), ``text`` its Vietnamese
    display; ``choices`` lists (value, label) pairs where the value is one of a few."""

    path: str
    group: str
    label: str
    kind: str
    value: Any
    text: str
    confidence: str
    citation: str
    choices: tuple[tuple[str, str], ...] = ()


def _env(rs: RuleSet) -> Env:
    return Env(f"{rs.id}.toml", rs.member_levels, rs.org_levels)


def _param(
    path: str, group: str, spec: Spec, value: Any, section: Any, key: str, env: Env
) -> Parameter:
    text = "(không đặt)" if value is None else spec.text(value, env)
    return Parameter(
        path, group, spec.label, spec.kind, value, text, section.confidence_of(key),
        section.citation, spec.choices(env),
    )  # fmt: skip


def parameters(rs: RuleSet) -> list[Parameter]:
    """Every adjustable parameter of *rs*, section by section, then check by check."""
    env = _env(rs)
    result: list[Parameter] = []
    years = Section(citation="", confidence="sure")
    year_spec = YearSpec("Áp dụng từ năm", 1990, 2200)
    result.append(
        _param("first_year", "Thời gian áp dụng", year_spec, rs.first_year, years, "", env)
    )
    last_spec = YearSpec("Áp dụng đến năm (để trống: chưa hết hiệu lực)", 1990, 2200)
    result.append(_param("last_year", "Thời gian áp dụng", last_spec, rs.last_year, years, "", env))

    def section(name: str, specs: Mapping[str, Spec], obj: Section) -> None:
        for key, spec in specs.items():
            value = getattr(obj, key)
            result.append(_param(f"{name}.{key}", SECTION_LABELS[name], spec, value, obj, key, env))

    section("eligibility", ELIGIBILITY, rs.eligibility)
    section("vote", VOTE, rs.vote)
    for code, ratio in rs.vote.thresholds.items():
        spec = vote_threshold_spec(code)
        group = SECTION_LABELS["vote"]
        result.append(
            _param(f"vote.thresholds.{code}", group, spec, ratio, rs.vote, "thresholds", env)
        )
        strict = vote_strict_spec(code)
        result.append(
            _param(
                f"vote.strict_levels.{code}", group, strict, rs.vote.strict_for(code), rs.vote,
                "strict_levels", env,
            )
        )  # fmt: skip
    section("quorum", QUORUM, rs.quorum)
    for kind in ("member_quota", "org_quota", "exemplary_quota"):
        rule = getattr(rs, kind)
        if rule is not None:
            section(kind, quota_specs(kind), rule)
    model = rs.score
    if model is not None:
        section("score", SCORE, model)
        scale = rs.scale(model.applies_to[0])
        group = SECTION_LABELS["score"]
        for code in scale.codes[:-1]:
            value = model.thresholds.get(code)
            spec = score_threshold_spec(code)
            result.append(
                _param(f"score.thresholds.{code}", group, spec, value, model, "thresholds", env)
            )
        for code in scale.codes[:-1]:
            value = model.conditions.get(code, ())
            spec = score_conditions_spec(code)
            result.append(
                _param(f"score.conditions.{code}", group, spec, value, model, "conditions", env)
            )
    for check in rs.checks:
        definition = REGISTRY[check.name]
        base = f"checks.{check.name}"
        enabled = BoolSpec("Áp dụng quy tắc này")
        result.append(
            _param(f"{base}.enabled", definition.label, enabled, check.enabled, check, "", env)
        )
        if len(definition.severities) > 1:
            result.append(
                _param(
                    f"{base}.severity",
                    definition.label,
                    SEVERITY_SPEC,
                    check.severity,
                    check,
                    "",
                    env,
                )
            )
        for key, param in definition.params.items():
            result.append(
                _param(
                    f"{base}.params.{key}",
                    definition.label,
                    param.spec,
                    check.params[key],
                    check,
                    key,
                    env,
                )
            )
    return result


def _locate(data: dict[str, Any], path: str, source: str) -> tuple[dict[str, Any], str, str]:
    """The table holding the key at the dotted *path*, the key, and the key as the loader
    names it (``checks[3].params.months`` for ``checks.sick_leave.params.months``)."""
    parts = path.split(".")
    if not path or any(not p for p in parts):
        raise RuleSetError(source, "đường dẫn tham số không hợp lệ", key=path)
    if parts[0] in {
        "format",
        "id",
        "name",
        "based_on",
        "member_levels",
        "org_levels",
        "not_classified",
    }:
        raise RuleSetError(source, "mục này không điều chỉnh được bằng tham số", key=path)
    table: Any = data
    loader_path: list[str] = []
    index = 0
    if parts[0] == "checks":
        if len(parts) < 3:
            raise RuleSetError(source, "cần dạng checks.<tên quy tắc>.<mục>", key=path)
        for number, item in enumerate(data.get("checks", []), start=1):
            if item.get("name") == parts[1]:
                table, index = item, 2
                loader_path = [f"checks[{number}]"]
                break
        else:
            raise RuleSetError(source, f"bộ quy tắc không có quy tắc “{parts[1]}”", key=path)
        if parts[index] == "name":
            raise RuleSetError(source, "mục này không điều chỉnh được bằng tham số", key=path)
    for part in parts[index:-1]:
        if not isinstance(table, dict):
            raise RuleSetError(source, "bộ quy tắc không có mục này", key=path)
        if part not in table:
            if part in {"params", "param_confidence", "conditions", "strict_levels"}:
                table[part] = {}
            else:
                raise RuleSetError(source, "bộ quy tắc không có mục này", key=path)
        table = table[part]
        loader_path.append(part)
    if not isinstance(table, dict):
        raise RuleSetError(source, "bộ quy tắc không có mục này", key=path)
    return table, parts[-1], ".".join([*loader_path, parts[-1]])


def _plain(value: Any) -> Any:
    """A change value in the form the loader reads (tuples as lists, Fractions as text)."""
    if isinstance(value, Fraction):
        return f"{value.numerator}/{value.denominator}"
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


def copy_ruleset(
    rs: RuleSet, new_id: str, new_name: str, changes: Mapping[str, object] | None = None
) -> RuleSet:
    """A copy of *rs* named *new_id* / *new_name*, ``based_on`` *rs*, with *changes* (dotted
    parameter paths as ``parameters`` lists them → new values; None removes an optional
    key such as ``last_year``). Raises RuleSetError, naming the changed path, for a path that
    does not exist or a value the loader would refuse."""
    source = f"{new_id}.toml"
    if not ID_PATTERN.match(new_id):
        raise RuleSetError(
            source, "chỉ gồm chữ thường không dấu, chữ số và . _ - (tối đa 60 ký tự)", key="id"
        )
    if new_id == rs.id:
        raise RuleSetError(source, "bản sao phải có mã khác bộ quy tắc gốc", key="id")
    data = copy.deepcopy(ruleset_to_dict(rs))
    data["id"], data["name"], data["based_on"] = new_id, new_name, rs.id
    return _apply(data, changes, source)


def adjust_ruleset(
    rs: RuleSet, changes: Mapping[str, object], new_name: str | None = None
) -> RuleSet:
    """*rs* itself (same id, same ``based_on``) with *changes*: how a province edits its own
    copy again. Validated exactly like :func:`copy_ruleset`."""
    data = copy.deepcopy(ruleset_to_dict(rs))
    if new_name is not None:
        data["name"] = new_name
    return _apply(data, changes, f"{rs.id}.toml")


def _apply(data: dict[str, Any], changes: Mapping[str, object] | None, source: str) -> RuleSet:
    renamed: dict[str, str] = {}
    for path, value in (changes or {}).items():
        table, key, loader_key = _locate(data, path, source)
        if value is None:
            table.pop(key, None)
        else:
            table[key] = _plain(value)
        renamed[loader_key] = path
    try:
        return ruleset_from_dict(data, source)
    except RuleSetError as error:
        if error.key in renamed:
            raise RuleSetError(source, error.problem, key=renamed[error.key]) from None
        raise
