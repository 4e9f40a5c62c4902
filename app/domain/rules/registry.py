"""The registry of checks a rule set may name in its ``[[checks]]`` list.

A check is a function ``(spec, ctx) -> iterable of Finding`` registered under a name with
its Vietnamese label and its parameters (spec and default). The loader refuses names and
parameters that are not registered, so a typo in a rule-set file fails at load time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from app.domain.rules.schema import Env, Spec

if TYPE_CHECKING:
    from app.domain.rules.context import Context
    from app.domain.rules.findings import Finding
    from app.domain.rules.model import CheckSpec

CheckFn = Callable[["CheckSpec", "Context"], Iterable["Finding"]]
# A default is a stored value, or a function of the scales (e.g. "the lowest member level").
Default = Any | Callable[[Env], Any]


@dataclass(frozen=True)
class Param:
    spec: Spec
    default: Default

    def default_for(self, env: Env) -> Any:
        return self.default(env) if callable(self.default) else self.default


@dataclass(frozen=True)
class CheckDef:
    name: str
    label: str
    fn: CheckFn
    params: Mapping[str, Param] = field(default_factory=dict)
    # A check whose findings no change of level can resolve (a meeting without quorum)
    # may only warn; none of the registered list checks is such yet, but the loader asks.
    severities: tuple[str, ...] = ("blocking", "warning")


REGISTRY: dict[str, CheckDef] = {}


def register(
    name: str,
    label: str,
    params: Mapping[str, Param] | None = None,
    severities: tuple[str, ...] = ("blocking", "warning"),
) -> Callable[[CheckFn], CheckFn]:
    """Register the decorated function as check *name*."""

    def decorate(fn: CheckFn) -> CheckFn:
        if name in REGISTRY:
            raise RuntimeError(f"check {name!r} registered twice")
        REGISTRY[name] = CheckDef(name, label, fn, dict(params or {}), severities)
        return fn

    return decorate


def lowest(scale: str) -> Callable[[Env], str]:
    """Default: the worst level of the member or organisation scale."""
    return lambda env: env.scale(scale).lowest.code


def at_tier(scale: str, tier: int) -> Callable[[Env], str]:
    """Default: the best level of *scale* no better than *tier*."""
    return lambda env: env.scale(scale).best_at_tier(tier).code


# The checks every rule set runs from its sections rather than its [[checks]] list.
BUILTIN_LABELS = {
    "eligibility": "Đối tượng không xếp loại",
    "score": "Thang điểm và điều kiện của từng mức",
    "member_quota": "Tỷ lệ đảng viên hoàn thành xuất sắc nhiệm vụ",
    "org_quota": "Tỷ lệ tổ chức hoàn thành xuất sắc nhiệm vụ",
    "exemplary_quota": "Tỷ lệ tổ chức trong sạch, vững mạnh tiêu biểu",
    "quorum": "Số đảng viên dự hội nghị",
    "vote": "Kết quả biểu quyết",
    "remedy_missing": "Kết quả khắc phục hạn chế năm trước",
}


def check_label(name: str) -> str:
    """The Vietnamese name of a check, registered or built in."""
    if name in REGISTRY:
        return REGISTRY[name].label
    return BUILTIN_LABELS.get(name, name)
