"""Writing a rule set back to TOML with a small serializer of our own.

``load_ruleset_text(ruleset_to_toml(rs)) == rs`` holds for every rule set: every value is
written in the form the loader reads back to the same value (a ratio that is not an exact
decimal, such as 2/3, is written as the text "2/3").
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from app.domain.rules.model import CheckSpec, QuotaRule, RuleSet, Scale, ScoreModel, Section
from app.domain.rules.registry import REGISTRY
from app.domain.rules.schema import dump_ratio
from app.domain.rules.sections import ELIGIBILITY, QUORUM, SCORE, VOTE, quota_specs

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
# Tables written on one line rather than as [sub.tables].
_INLINE = frozenset({"thresholds", "strict_levels", "conditions", "param_confidence"})


def _meta(section: Section | CheckSpec) -> dict[str, Any]:
    meta: dict[str, Any] = {"confidence": section.confidence, "citation": section.citation}
    if section.param_confidence:
        meta["param_confidence"] = dict(section.param_confidence)
    return meta


def _levels(scale: Scale) -> list[dict[str, Any]]:
    result = []
    for level in scale.levels:
        item: dict[str, Any] = {
            "code": level.code, "name": level.name, "short": level.short, "tier": level.tier,
        }  # fmt: skip
        if level.counts_as is not None:
            item["counts_as"] = level.counts_as
        result.append(item)
    return result


def _quota(rule: QuotaRule, kind: str) -> dict[str, Any]:
    specs = quota_specs(kind)
    return {key: spec.dump(getattr(rule, key)) for key, spec in specs.items()} | _meta(rule)


def _score(model: ScoreModel) -> dict[str, Any]:
    data: dict[str, Any] = {
        "enabled": model.enabled,
        "applies_to": list(model.applies_to),
        "parts": model.parts,
    }
    for key in ("general_max", "tasks_max", "total_max"):
        value = getattr(model, key)
        if value is not None:
            data[key] = SCORE[key].dump(value)
    data["thresholds"] = {code: SCORE["total_max"].dump(v) for code, v in model.thresholds.items()}
    data["exceeded_share"] = dump_ratio(model.exceeded_share)
    if model.conditions:
        data["conditions"] = {code: list(v) for code, v in model.conditions.items()}
    data["severity"] = model.severity
    return data | _meta(model)


def _check(spec: CheckSpec) -> dict[str, Any]:
    definition = REGISTRY[spec.name]
    data: dict[str, Any] = {"name": spec.name, "severity": spec.severity}
    if not spec.enabled:
        data["enabled"] = False
    data |= _meta(spec)
    if definition.params:
        data["params"] = {
            key: param.spec.dump(spec.params[key]) for key, param in definition.params.items()
        }
    return data


def ruleset_to_dict(rs: RuleSet) -> dict[str, Any]:
    """The rule set as the plain data a TOML file holds (the loader's input)."""
    data: dict[str, Any] = {"format": 1, "id": rs.id, "name": rs.name}
    if rs.based_on is not None:
        data["based_on"] = rs.based_on
    data["first_year"] = rs.first_year
    if rs.last_year is not None:
        data["last_year"] = rs.last_year
    if rs.description:
        data["description"] = rs.description
    if rs.legal_bases:
        data["legal_bases"] = list(rs.legal_bases)
    data["member_levels"] = _levels(rs.member_levels)
    data["org_levels"] = _levels(rs.org_levels)
    data["not_classified"] = [{"code": r.code, "label": r.label} for r in rs.reasons]
    data["eligibility"] = {
        key: spec.dump(getattr(rs.eligibility, key)) for key, spec in ELIGIBILITY.items()
    } | _meta(rs.eligibility)
    vote = {key: spec.dump(getattr(rs.vote, key)) for key, spec in VOTE.items()}
    vote["thresholds"] = {code: dump_ratio(v) for code, v in rs.vote.thresholds.items()}
    if rs.vote.strict_levels:
        vote["strict_levels"] = dict(rs.vote.strict_levels)
    vote["tellers_min"] = rs.vote.tellers_min
    data["vote"] = vote | _meta(rs.vote)
    data["quorum"] = {
        key: spec.dump(getattr(rs.quorum, key)) for key, spec in QUORUM.items()
    } | _meta(rs.quorum)
    for kind in ("member_quota", "org_quota", "exemplary_quota"):
        rule = getattr(rs, kind)
        if rule is not None:
            data[kind] = _quota(rule, kind)
    if rs.score is not None:
        data["score"] = _score(rs.score)
    data["checks"] = [_check(spec) for spec in rs.checks]
    if rs.low_levels is not None:
        data["low_levels"] = {
            "required_for": list(rs.low_levels.required_for),
            "reasons": [
                {
                    "code": r.code,
                    "label": r.label,
                    "subjects": list(r.subjects),
                    "checks": list(r.checks),
                    "citation": r.citation,
                }
                for r in rs.low_levels.reasons
            ],
        }
    return data


# The TOML serializer ----------------------------------------------------------------------


def _key(key: str) -> str:
    return key if _BARE_KEY.match(key) else _string(key)


def _string(text: str) -> str:
    out = ['"']
    for char in text:
        if char == '"':
            out.append('\\"')
        elif char == "\\":
            out.append("\\\\")
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("TOML cannot hold this number here")
        text = repr(value)
        return text if any(c in text for c in ".eE") else text + ".0"
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        if not value:
            return "{}"
        return "{ " + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"cannot write {type(value).__name__} to TOML")


def _is_table_array(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, Mapping) for v in value)


def _table(lines: list[str], header: str | None, path: str, data: Mapping[str, Any]) -> None:
    if header is not None:
        lines.append("")
        lines.append(header)
    subtables: list[tuple[str, Any]] = []
    for key, value in data.items():
        if (isinstance(value, Mapping) and key not in _INLINE) or _is_table_array(value):
            subtables.append((key, value))
        else:
            lines.append(f"{_key(key)} = {_value(value)}")
    for key, value in subtables:
        sub_path = f"{path}.{_key(key)}" if path else _key(key)
        if isinstance(value, Mapping):
            _table(lines, f"[{sub_path}]", sub_path, value)
        else:
            for item in value:
                _table(lines, f"[[{sub_path}]]", sub_path, item)


def dict_to_toml(data: Mapping[str, Any]) -> str:
    lines: list[str] = []
    _table(lines, None, "", data)
    return "\n".join(lines) + "\n"


def ruleset_to_toml(rs: RuleSet) -> str:
    """The TOML text of *rs*; loading it gives back an equal rule set."""
    header = f"# Bộ quy tắc “{rs.name}” — tạo bởi DanhGia.\n"
    return header + dict_to_toml(ruleset_to_dict(rs))
