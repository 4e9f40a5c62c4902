"""Reading a rule set from TOML text or a file, checking every key on the way.

Anything wrong — TOML syntax, a missing or misspelt key, an unknown check or parameter, a
value of the wrong type or out of range, an unknown or duplicate level code — is a
``RuleSetError`` naming the file and the key (numbered from 1 in arrays: ``checks[2]``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from app.domain.data_file import parse_toml, read_text
from app.domain.rules import (  # noqa: F401  (registers)
    checks_carry,
    checks_member,
    checks_org,
    checks_quarters,
)
from app.domain.rules.errors import RuleSetError
from app.domain.rules.frozen import FrozenMap, freeze
from app.domain.rules.model import (
    REQUIRED_REASONS,
    CheckSpec,
    EligibilityRule,
    Level,
    LowLevels,
    LowReason,
    QuorumRule,
    QuotaRule,
    Reason,
    RuleSet,
    Scale,
    ScoreModel,
    Section,
    VoteRule,
)
from app.domain.rules.reader import Table
from app.domain.rules.registry import BUILTIN_LABELS, REGISTRY
from app.domain.rules.schema import (
    CITATION_SPEC,
    CONFIDENCE_SPEC,
    MISSING,
    SEVERITY_SPEC,
    BoolSpec,
    ChoiceListSpec,
    Env,
    IntSpec,
    Spec,
    TextListSpec,
    TextSpec,
)
from app.domain.rules.sections import (
    ELIGIBILITY,
    QUORUM,
    SCORE,
    SUBJECT_KINDS,
    TELLERS_MIN,
    VOTE,
    quota_specs,
    score_conditions_spec,
    score_threshold_spec,
    vote_strict_spec,
    vote_threshold_spec,
)

FORMAT_VERSION = 1
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{0,59}$")
LEVEL_CODE = re.compile(r"^[A-Z][A-Z0-9_]{0,11}$")  # fits the database's 12 characters
REASON_CODE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")

S = TypeVar("S", bound=Section)


def load_ruleset(path: str | Path) -> RuleSet:
    """The rule set in the TOML file *path* (UTF-8)."""
    path = Path(path)
    text = read_text(path, RuleSetError)
    return load_ruleset_text(text, path.name)


def load_ruleset_text(text: str, source_name: str) -> RuleSet:
    """The rule set in the TOML *text*; *source_name* names it in error messages (a file
    name, or the period whose stored text it is)."""
    data = parse_toml(text, source_name, RuleSetError)
    return ruleset_from_dict(data, source_name)


def ruleset_from_dict(data: Mapping[str, Any], source_name: str) -> RuleSet:
    """The rule set in parsed TOML *data* (also how an adjusted copy is re-checked)."""
    env = Env(source_name)
    top = Table(data, "", env)
    version = top.get("format", IntSpec("Phiên bản định dạng", 1, 10**6))
    if version != FORMAT_VERSION:
        env.fail("format", f"phiên bản định dạng {version} chưa được hỗ trợ (cần {FORMAT_VERSION})")
    rs_id = top.get("id", TextSpec("Mã", required=True))
    if not ID_PATTERN.match(rs_id):
        env.fail("id", "chỉ gồm chữ thường không dấu, chữ số và . _ - (tối đa 60 ký tự)")
    name = top.get("name", TextSpec("Tên", required=True))
    years = IntSpec("Năm", 1990, 2200)
    first_year = top.get("first_year", years)
    last_year = top.get("last_year", years, None)
    if last_year is not None and last_year < first_year:
        env.fail("last_year", f"không được trước năm bắt đầu ({first_year})")
    based_on = top.get("based_on", TextSpec("Sao từ"), None)
    description = top.get("description", TextSpec("Mô tả"), "")
    legal_bases = top.get("legal_bases", TextListSpec("Văn bản làm căn cứ"), ())

    member_scale = _levels(top, "member_levels")
    org_scale = _levels(top, "org_levels")
    env = Env(source_name, member_scale, org_scale)
    top.env = env
    reasons = _reasons(top)
    eligibility = _section(top.table("eligibility"), ELIGIBILITY, EligibilityRule)
    vote = _vote(top.table("vote"))
    quorum = _section(top.table("quorum"), QUORUM, QuorumRule)
    quotas = {kind: _quota(top, kind) for kind in ("member_quota", "org_quota", "exemplary_quota")}
    score = _score(top.table("score", required=False))
    checks = _checks(top)
    low_levels = _low_levels(top.table("low_levels", required=False), checks)
    top.finish()
    return RuleSet(
        id=rs_id, name=name, first_year=first_year, last_year=last_year,
        member_levels=member_scale, org_levels=org_scale, reasons=reasons,
        eligibility=eligibility, vote=vote, quorum=quorum, checks=checks,
        member_quota=quotas["member_quota"], org_quota=quotas["org_quota"],
        exemplary_quota=quotas["exemplary_quota"], score=score, based_on=based_on,
        description=description, low_levels=low_levels, legal_bases=legal_bases,
    )  # fmt: skip


def _levels(top: Table, key: str) -> Scale:
    levels: list[Level] = []
    items = top.tables(key)
    if len(items) < 2:
        top.env.fail(key, "cần ít nhất hai mức xếp loại")
    for item in items:
        code = item.get("code", TextSpec("Mã mức", required=True))
        if not LEVEL_CODE.match(code):
            item.env.fail(
                item.key("code"),
                "mã mức chỉ gồm chữ in hoa không dấu, chữ số và _ (tối đa 12 ký tự)",
            )
        if any(level.code == code for level in levels):
            item.env.fail(item.key("code"), f"mã mức “{code}” bị trùng")
        tier = item.get("tier", IntSpec("Bậc", 1, 4))
        if levels and tier < levels[-1].tier:
            item.env.fail(
                item.key("tier"), "các mức phải xếp từ tốt nhất đến kém nhất (bậc không được giảm)"
            )
        levels.append(
            Level(
                code=code,
                name=item.get("name", TextSpec("Tên mức", required=True)),
                short=item.get("short", TextSpec("Tên viết tắt", required=True)),
                tier=tier,
                counts_as=item.get("counts_as", TextSpec("Được tính là"), None),
            )
        )
        item.finish()
    for index, level in enumerate(levels):
        if level.counts_as is None:
            continue
        target = next((lv for lv in levels if lv.code == level.counts_as), None)
        where = f"{key}[{index + 1}].counts_as"
        if target is None or target.code == level.code:
            top.env.fail(where, f"mức “{level.counts_as}” không có trong {key}")
        if target.counts_as is not None or target.tier != level.tier:
            top.env.fail(where, f"mức “{target.code}” phải cùng bậc và không được tính là mức khác")
    return Scale(tuple(levels))


def _reasons(top: Table) -> tuple[Reason, ...]:
    reasons: list[Reason] = []
    for item in top.tables("not_classified"):
        code = item.get("code", TextSpec("Mã lý do", required=True))
        if not REASON_CODE.match(code):
            item.env.fail(item.key("code"), "mã lý do chỉ gồm chữ thường không dấu, chữ số và _")
        if any(r.code == code for r in reasons):
            item.env.fail(item.key("code"), f"mã lý do “{code}” bị trùng")
        label = item.get("label", TextSpec("Tên lý do", required=True))
        if re.search(r"\{(?!months\})[^}]*\}", label):
            item.env.fail(item.key("label"), "chỉ được dùng chỗ trống {months}")
        reasons.append(Reason(code, label))
        item.finish()
    missing = [code for code in REQUIRED_REASONS if not any(r.code == code for r in reasons)]
    if missing:
        top.env.fail("not_classified", f"thiếu lý do “{missing[0]}”")
    return tuple(reasons)


def _meta(table: Table, params: Mapping[str, Any]) -> dict[str, Any]:
    """``citation``, ``confidence`` and ``param_confidence`` of a section or a check."""
    meta = {
        "citation": table.get("citation", CITATION_SPEC, ""),
        "confidence": table.get("confidence", CONFIDENCE_SPEC, "sure"),
    }
    per_param: dict[str, str] = {}
    sub = table.table("param_confidence", required=False)
    if sub is not None:
        for key in sub.data:
            if key not in params:
                sub.env.fail(sub.key(key), "không có tham số này")
            per_param[key] = sub.get(key, CONFIDENCE_SPEC)
        sub.finish()
    meta["param_confidence"] = FrozenMap(per_param)
    return meta


def _section(
    table: Table | None,
    specs: Mapping[str, Spec],
    cls: Callable[..., S],
    extra: Mapping[str, Any] | None = None,
) -> S:
    assert table is not None
    values = {key: table.get(key, spec) for key, spec in specs.items()}
    values.update(extra or {})
    meta = _meta(table, {**specs, **(extra or {})})
    table.finish()
    return cls(**values, **meta)


def _level_map(
    table: Table | None, codes: tuple[str, ...], spec_for: Callable[[str], Spec]
) -> dict[str, Any]:
    result: dict[str, Any] = {}
    if table is None:
        return result
    for code in table.data:
        if code not in codes:
            table.env.fail(table.key(code), f"mức “{code}” không có trong bộ quy tắc")
        result[code] = table.get(code, spec_for(code))
    table.finish()
    # Keep the order of the scales, whatever the order in the file.
    return {code: result[code] for code in codes if code in result}


def _all_codes(env: Env, kinds: tuple[str, ...] = ("member", "org")) -> tuple[str, ...]:
    codes: list[str] = []
    for kind in kinds:
        codes += [c for c in env.scale(kind).codes if c not in codes]
    return tuple(codes)


def _vote(table: Table | None) -> VoteRule:
    assert table is not None
    codes = _all_codes(table.env)
    thresholds = _level_map(table.table("thresholds"), codes, vote_threshold_spec)
    for code in codes:
        if code not in thresholds:
            table.env.fail(table.key("thresholds"), f"thiếu tỷ lệ phiếu cho mức “{code}”")
    strict_levels = _level_map(
        table.table("strict_levels", required=False), codes, vote_strict_spec
    )
    tellers = table.get("tellers_min", TELLERS_MIN, 2)  # optional: older rule sets lack it
    extra = {"thresholds": FrozenMap(thresholds), "strict_levels": FrozenMap(strict_levels)}
    return _section(table, VOTE, VoteRule, extra | {"tellers_min": tellers})


def _quota(top: Table, kind: str) -> QuotaRule | None:
    table = top.table(kind, required=False)
    if table is None:
        return None
    rule = _section(table, quota_specs(kind), QuotaRule)
    scale = table.env.scale("member" if kind == "member_quota" else "org")
    if not scale.is_above(rule.level, rule.base_level):
        table.env.fail(table.key("level"), f"mức bị giới hạn phải cao hơn mức “{rule.base_level}”")
    return rule


def _score(table: Table | None) -> ScoreModel | None:
    if table is None:
        return None
    env = table.env
    applies_to = table.get("applies_to", SCORE["applies_to"])
    if not applies_to:
        env.fail(table.key("applies_to"), "cần ít nhất một đối tượng")
    parts = table.get("parts", SCORE["parts"])
    general = table.get("general_max", SCORE["general_max"], MISSING if parts else None)
    tasks = table.get("tasks_max", SCORE["tasks_max"], MISSING if parts else None)
    total = table.get("total_max", SCORE["total_max"], general + tasks if parts else MISSING)
    if parts and total != general + tasks:
        env.fail(table.key("total_max"), "phải bằng tổng điểm tối đa của hai phần")
    codes = _all_codes(env, applies_to)
    thresholds = _level_map(table.table("thresholds"), codes, score_threshold_spec)
    conditions = _level_map(table.table("conditions", required=False), codes, score_conditions_spec)
    for kind in applies_to:
        scale = env.scale(kind)
        for name, table_codes in (("thresholds", thresholds), ("conditions", conditions)):
            for code in table_codes:
                if code not in scale:
                    env.fail(
                        table.key(f"{name}.{code}"),
                        f"mức “{code}” không có trong các mức của {SUBJECT_KINDS[kind]}",
                    )
        previous = None
        for code in scale.codes:
            if code not in thresholds:
                continue
            if thresholds[code] > total:
                env.fail(table.key(f"thresholds.{code}"), "không được lớn hơn tổng điểm tối đa")
            if previous is not None and thresholds[code] > previous:
                env.fail(
                    table.key(f"thresholds.{code}"), "mức thấp hơn không được cần nhiều điểm hơn"
                )
            previous = thresholds[code]
    specs = {
        k: v
        for k, v in SCORE.items()
        if k not in ("applies_to", "parts", "general_max", "tasks_max", "total_max")
    }
    extra = {
        "applies_to": applies_to, "parts": parts, "general_max": general, "tasks_max": tasks,
        "total_max": total, "thresholds": FrozenMap(thresholds), "conditions": freeze(conditions),
    }  # fmt: skip
    return _section(table, specs, ScoreModel, extra)


def _checks(top: Table) -> tuple[CheckSpec, ...]:
    checks: list[CheckSpec] = []
    for item in top.tables("checks", required=False):
        name = item.get("name", TextSpec("Tên quy tắc", required=True))
        definition = REGISTRY.get(name)
        if definition is None:
            item.env.fail(
                item.key("name"),
                f"không có quy tắc kiểm tra “{name}” (có: {', '.join(sorted(REGISTRY))})",
            )
        if any(c.name == name for c in checks):
            item.env.fail(item.key("name"), f"quy tắc “{name}” đã có ở trên")
        severity = item.get("severity", SEVERITY_SPEC)
        if severity not in definition.severities:
            item.env.fail(item.key("severity"), "quy tắc này chỉ được là cảnh báo (“warning”)")
        enabled = item.get("enabled", BoolSpec("Áp dụng"), True)
        params: dict[str, Any] = {}
        given = item.table("params", required=False)
        if given is not None:
            for key in given.data:
                if key not in definition.params:
                    given.env.fail(given.key(key), f"quy tắc “{name}” không có tham số này")
        for key, param in definition.params.items():
            if given is not None and given.has(key):
                params[key] = given.get(key, param.spec)
            else:
                params[key] = param.default_for(item.env)
        if given is not None:
            given.finish()
        meta = _meta(item, definition.params)
        item.finish()
        checks.append(CheckSpec(name, severity, FrozenMap(params), enabled=enabled, **meta))
    return tuple(checks)


_REASON_SUBJECTS = ChoiceListSpec("Dùng cho", SUBJECT_KINDS)


def _low_levels(table: Table | None, checks: tuple[CheckSpec, ...]) -> LowLevels | None:
    """``[low_levels]``: the levels that need a reason and ``[[low_levels.reasons]]``."""
    if table is None:
        return None
    env = table.env
    codes = _all_codes(env)
    required = table.get(
        "required_for", ChoiceListSpec("Mức phải ghi lý do", dict.fromkeys(codes, "")), ()
    )
    known_checks = {c.name for c in checks} | set(BUILTIN_LABELS)
    reasons: list[LowReason] = []
    for item in table.tables("reasons"):
        code = item.get("code", TextSpec("Mã lý do", required=True))
        if not LEVEL_CODE.match(code):
            item.env.fail(item.key("code"), "mã lý do chỉ gồm chữ in hoa không dấu, chữ số và _")
        if any(r.code == code for r in reasons):
            item.env.fail(item.key("code"), f"mã lý do “{code}” bị trùng")
        names = item.get("checks", ChoiceListSpec("Quy tắc", dict.fromkeys(known_checks, "")), ())
        reasons.append(
            LowReason(
                code=code,
                label=item.get("label", TextSpec("Tên lý do", required=True)),
                subjects=item.get("subjects", _REASON_SUBJECTS, ("member",)),
                checks=tuple(names),
                citation=item.get("citation", CITATION_SPEC, ""),
            )
        )
        item.finish()
    table.finish()
    return LowLevels(tuple(required), tuple(reasons))
