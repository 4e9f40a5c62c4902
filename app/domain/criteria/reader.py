"""Walking a parsed TOML criteria set with the path of every key, for precise messages.

Every key read is remembered and ``finish`` rejects the rest, so a misspelt key is an error
rather than a silently ignored setting. Values are read by small functions that name the key
in their Vietnamese message.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, NoReturn, TypeVar

from app.domain.criteria.errors import CriteriaError
from app.domain.criteria.model import CONFIDENCE_LABELS

MISSING: Any = object()
T = TypeVar("T")


@dataclass(frozen=True)
class Source:
    """Where the values come from, for the message."""

    name: str

    def fail(self, key: str, problem: str) -> NoReturn:
        raise CriteriaError(self.name, problem, key=key)


class Node:
    """One TOML table being read; ``path`` names it in messages."""

    def __init__(self, data: Any, path: str, source: Source, array_path: str = "") -> None:
        if not isinstance(data, Mapping):
            source.fail(path, "phải là một bảng (các mục con dạng khóa = giá trị)")
        self.data: Mapping[str, Any] = data
        self.path = path
        self.source = source
        self._array_path = array_path
        self._used: set[str] = set()

    def key(self, name: str) -> str:
        return f"{self.path}.{name}" if self.path else name

    def fail(self, name: str | None, problem: str) -> NoReturn:
        self.source.fail(self.key(name) if name else self.path, problem)

    def named(self, key: str) -> None:
        """From now on the table is named by its key (``items[A.2]``), not its place."""
        if self._array_path:
            self.path = f"{self._array_path}[{key}]"

    def has(self, name: str) -> bool:
        return name in self.data

    def get(self, name: str, read: Callable[[Any, str, Source], T], default: Any = MISSING) -> T:
        """The value of *name* read by *read*; *default* (as it is) when absent."""
        self._used.add(name)
        if name not in self.data:
            if default is MISSING:
                self._missing(name)
            return default
        return read(self.data[name], self.key(name), self.source)

    def tables(self, name: str) -> list[Node]:
        """The array of tables ``[[name]]``, at least one; each named ``name[thứ n]`` until its
        key is read."""
        self._used.add(name)
        if name not in self.data:
            self._missing(name)
        items = self.data[name]
        if not isinstance(items, list) or not items:
            self.fail(name, f"phải là danh sách có ít nhất một bảng [[{name}]]")
        where = self.key(name)
        return [
            Node(item, f"{where}[thứ {index}]", self.source, array_path=where)
            for index, item in enumerate(items, start=1)
        ]

    def finish(self) -> None:
        for name in self.data:
            if name not in self._used:
                self.fail(name, "không có mục này trong bộ tiêu chí (viết sai tên?)")

    def _missing(self, name: str) -> NoReturn:
        spare = [key for key in self.data if key not in self._used]
        close = difflib.get_close_matches(name, spare, n=1, cutoff=0.75)
        hint = f" (“{close[0]}” có phải là viết sai của mục này?)" if close else ""
        self.fail(name, "bắt buộc phải có" + hint)


# Value readers: (value, key, source) -> value -------------------------------------------------


def text(value: Any, key: str, source: Source) -> str:
    if not isinstance(value, str):
        source.fail(key, "phải là chữ, đặt trong dấu ngoặc kép")
    return value.strip()


def required_text(value: Any, key: str, source: Source) -> str:
    result = text(value, key, source)
    if not result:
        source.fail(key, "không được để trống")
    return result


def text_list(value: Any, key: str, source: Source) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        source.fail(key, 'phải là danh sách, ví dụ ["…", "…"], không để trống')
    return tuple(required_text(item, f"{key}[{i}]", source) for i, item in enumerate(value, 1))


def year(value: Any, key: str, source: Source) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1990 <= value <= 2200:
        source.fail(key, "phải là năm, số nguyên từ 1990 đến 2200")
    return value


def exact(value: Any) -> Fraction | None:
    """A TOML number as an exact Fraction (7.5 → 15/2, 0.1 → 1/10); None if not a number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float) and math.isfinite(value):
        return Fraction(repr(value))
    return None


def points(value: Any, key: str, source: Source) -> Fraction:
    """Points: a number above 0 and at most 1000."""
    result = exact(value)
    if result is None or not 0 < result <= 1000:
        source.fail(key, "phải là số điểm lớn hơn 0 và không quá 1.000")
    return result


def steps(value: Any, key: str, source: Source) -> tuple[Fraction, ...]:
    """The steps of a scale: numbers from 0 up, ascending (checked against the maximum by the
    loader, which knows it)."""
    if not isinstance(value, list) or len(value) < 2:
        source.fail(key, "phải là danh sách ít nhất hai mức điểm tăng dần, ví dụ [0, 5, 10]")
    result: list[Fraction] = []
    for index, item in enumerate(value, start=1):
        step = exact(item)
        if step is None or step < 0:
            source.fail(f"{key}[{index}]", "phải là số điểm từ 0 trở lên")
        if result and step <= result[-1]:
            source.fail(f"{key}[{index}]", "các mức điểm phải tăng dần, không lặp lại")
        result.append(step)
    return tuple(result)


def choice(options: Mapping[str, str]) -> Callable[[Any, str, Source], str]:
    def read(value: Any, key: str, source: Source) -> str:
        if not isinstance(value, str) or value not in options:
            listed = ", ".join(f"“{code}” ({label})" for code, label in options.items())
            source.fail(key, f"phải là một trong: {listed}")
        return value

    return read


confidence = choice(CONFIDENCE_LABELS)
