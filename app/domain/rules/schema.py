"""Typed parameter specifications: how a TOML value is read, checked, written and shown.

One ``Spec`` per kind of value drives the loader (read and check, with a Vietnamese error
naming the key), the writer (``dump`` back to a TOML value), and the adjustment dialog
(``label``, ``text``, ``choices``). Using the same specs everywhere is what makes a copied
rule set validated exactly like a loaded one.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, NoReturn

from app.domain.formatting import format_decimal, format_int, format_percent
from app.domain.rules.errors import RuleSetError
from app.domain.rules.model import Scale

MISSING: Any = object()


@dataclass(frozen=True)
class Env:
    """Where values come from (for the message) and the scales level codes must belong to."""

    source: str
    member_scale: Scale | None = None
    org_scale: Scale | None = None

    def fail(self, key: str, problem: str) -> NoReturn:
        raise RuleSetError(self.source, problem, key=key)

    def scale(self, which: str) -> Scale:
        scale = self.member_scale if which == "member" else self.org_scale
        assert scale is not None, "levels are read before anything that refers to them"
        return scale


class Spec:
    """A parameter's type. Subclasses override ``read`` and, where needed, the rest."""

    kind = "value"

    def __init__(self, label: str) -> None:
        self.label = label

    def read(self, value: Any, key: str, env: Env) -> Any:
        raise NotImplementedError

    def dump(self, value: Any) -> Any:
        return value

    def text(self, value: Any, env: Env) -> str:
        return str(value)

    def choices(self, env: Env) -> tuple[tuple[str, str], ...]:
        return ()


class BoolSpec(Spec):
    kind = "bool"

    def read(self, value: Any, key: str, env: Env) -> bool:
        if not isinstance(value, bool):
            env.fail(key, "phải là true (có) hoặc false (không)")
        return value

    def text(self, value: Any, env: Env) -> str:
        return "có" if value else "không"


class IntSpec(Spec):
    kind = "int"

    def __init__(self, label: str, low: int, high: int, unit: str = "") -> None:
        super().__init__(label)
        self.low, self.high, self.unit = low, high, unit

    def read(self, value: Any, key: str, env: Env) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            env.fail(key, f"phải là số nguyên từ {self.low} đến {self.high}")
        if not self.low <= value <= self.high:
            env.fail(key, f"phải là số nguyên từ {self.low} đến {self.high}")
        return value

    def text(self, value: Any, env: Env) -> str:
        return format_int(value) + (f" {self.unit}" if self.unit else "")


class YearSpec(IntSpec):
    """A year: written without a thousands separator ("2025", never "2.025")."""

    def text(self, value: Any, env: Env) -> str:
        return str(value)


class NumberSpec(Spec):
    """A decimal number (points); stored as float, written as an integer when whole."""

    kind = "number"

    def __init__(self, label: str, low: float, high: float, unit: str = "") -> None:
        super().__init__(label)
        self.low, self.high, self.unit = low, high, unit

    def read(self, value: Any, key: str, env: Env) -> float:
        problem = f"phải là số từ {format_decimal(self.low)} đến {format_decimal(self.high)}"
        if isinstance(value, bool) or not isinstance(value, int | float):
            env.fail(key, problem)
        if not math.isfinite(value) or not self.low <= value <= self.high:
            env.fail(key, problem)
        return float(value)

    def dump(self, value: Any) -> Any:
        return int(value) if float(value).is_integer() else float(value)

    def text(self, value: Any, env: Env) -> str:
        return format_decimal(value, 2) + (f" {self.unit}" if self.unit else "")


def read_ratio(value: Any) -> Fraction | None:
    """A share between 0 and 1 from a number, a Fraction or a text like "2/3"; None if not."""
    try:
        if isinstance(value, bool):
            return None
        if isinstance(value, Fraction):
            ratio = value
        elif isinstance(value, int):
            ratio = Fraction(value)
        elif isinstance(value, float):
            if not math.isfinite(value):
                return None
            ratio = Fraction(repr(value))  # 0.2 is exactly 1/5, as the author meant
        elif isinstance(value, str):
            ratio = Fraction(value.strip())
        else:
            return None
    except (ValueError, ZeroDivisionError):
        return None
    return ratio if 0 <= ratio <= 1 else None


def dump_ratio(ratio: Fraction) -> float | str:
    """A decimal number when it reads back exactly (0.2), else a fraction text ("2/3")."""
    as_float = float(ratio)
    if Fraction(repr(as_float)) == ratio:
        return as_float
    return f"{ratio.numerator}/{ratio.denominator}"


def ratio_text(ratio: Fraction) -> str:
    """20% → "20%"; 2/3 → "66,7%"."""
    return format_percent(float(ratio))


class RatioSpec(Spec):
    kind = "ratio"

    def read(self, value: Any, key: str, env: Env) -> Fraction:
        ratio = read_ratio(value)
        if ratio is None:
            env.fail(key, 'phải là số từ 0 đến 1 (ví dụ 0.2 là 20%) hoặc phân số như "2/3"')
        return ratio

    def dump(self, value: Any) -> Any:
        return dump_ratio(value)

    def text(self, value: Any, env: Env) -> str:
        return ratio_text(value)


class TextSpec(Spec):
    kind = "text"

    def __init__(self, label: str, required: bool = False) -> None:
        super().__init__(label)
        self.required = required

    def read(self, value: Any, key: str, env: Env) -> str:
        if not isinstance(value, str):
            env.fail(key, "phải là chữ, đặt trong dấu ngoặc kép")
        if self.required and not value.strip():
            env.fail(key, "không được để trống")
        return value


class TextListSpec(Spec):
    """A list of non-empty texts (a TOML array of strings), e.g. the legal bases."""

    kind = "texts"

    def read(self, value: Any, key: str, env: Env) -> tuple[str, ...]:
        if not isinstance(value, list | tuple):
            env.fail(key, 'phải là danh sách, ví dụ ["…", "…"]')
        items: list[str] = []
        for index, item in enumerate(value, start=1):
            if not isinstance(item, str) or not item.strip():
                env.fail(f"{key}[{index}]", "phải là chữ, không để trống")
            items.append(item.strip())
        return tuple(items)

    def dump(self, value: Any) -> Any:
        return list(value)

    def text(self, value: Any, env: Env) -> str:
        return "; ".join(value) or "(không có)"


class ChoiceSpec(Spec):
    kind = "choice"

    def __init__(self, label: str, options: Mapping[str, str]) -> None:
        super().__init__(label)
        self.options = dict(options)

    def read(self, value: Any, key: str, env: Env) -> str:
        if not isinstance(value, str) or value not in self.options:
            env.fail(key, "phải là một trong: " + ", ".join(f"“{o}”" for o in self.options))
        return value

    def text(self, value: Any, env: Env) -> str:
        return self.options.get(value, str(value))

    def choices(self, env: Env) -> tuple[tuple[str, str], ...]:
        return tuple(self.options.items())


class ChoiceListSpec(ChoiceSpec):
    """A list of distinct choices (written as a TOML array)."""

    kind = "choices"

    def read(self, value: Any, key: str, env: Env) -> tuple[str, ...]:
        if not isinstance(value, list | tuple):
            env.fail(key, 'phải là danh sách, ví dụ ["' + next(iter(self.options)) + '"]')
        items: list[str] = []
        for index, item in enumerate(value, start=1):
            items.append(super().read(item, f"{key}[{index}]", env))
        if len(set(items)) != len(items):
            env.fail(key, "có giá trị bị lặp lại")
        return tuple(items)

    def dump(self, value: Any) -> Any:
        return list(value)

    def text(self, value: Any, env: Env) -> str:
        return ", ".join(self.options.get(v, v) for v in value) or "(không có)"


class LevelSpec(Spec):
    """A level code of the member scale or the organisation scale."""

    kind = "level"

    def __init__(self, label: str, scale: str) -> None:
        super().__init__(label)
        self.scale = scale

    def read(self, value: Any, key: str, env: Env) -> str:
        scale = env.scale(self.scale)
        if not isinstance(value, str) or value not in scale:
            whose = "đảng viên" if self.scale == "member" else "tổ chức đảng"
            env.fail(
                key,
                f"mức “{value}” không có trong các mức xếp loại {whose} của bộ quy tắc "
                f"({', '.join(scale.codes)})",
            )
        return value

    def text(self, value: Any, env: Env) -> str:
        return env.scale(self.scale).get(value).name

    def choices(self, env: Env) -> tuple[tuple[str, str], ...]:
        return tuple((level.code, level.name) for level in env.scale(self.scale).levels)


CONFIDENCE_SPEC = ChoiceSpec(
    "Mức chắc chắn của căn cứ",
    {"sure": "chắc chắn", "likely": "khá chắc", "unsure": "chưa chắc"},
)
SEVERITY_SPEC = ChoiceSpec("Mức độ", {"blocking": "bắt buộc (chặn)", "warning": "cảnh báo"})
CITATION_SPEC = TextSpec("Căn cứ")
