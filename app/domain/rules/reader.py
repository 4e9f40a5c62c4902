"""Walking a parsed TOML document with the path of every key, for precise error messages."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any, NoReturn

from app.domain.rules.schema import MISSING, Env, Spec


class Table:
    """One TOML table being read. Every key read is remembered; ``finish`` rejects the rest,
    so a misspelt key is an error rather than a silently ignored setting."""

    def __init__(self, data: Any, prefix: str, env: Env) -> None:
        if not isinstance(data, Mapping):
            env.fail(prefix, "phải là một bảng (các mục con dạng khóa = giá trị)")
        self.data: Mapping[str, Any] = data
        self.prefix = prefix
        self.env = env
        self._used: set[str] = set()

    def key(self, name: str) -> str:
        return f"{self.prefix}.{name}" if self.prefix else name

    def missing(self, name: str) -> NoReturn:
        """A required key is absent; a near spelling among the keys present is named."""
        spare = [key for key in self.data if key not in self._used]
        close = difflib.get_close_matches(name, spare, n=1, cutoff=0.75)
        hint = f" (“{close[0]}” có phải là viết sai của mục này?)" if close else ""
        self.env.fail(self.key(name), "bắt buộc phải có" + hint)

    def has(self, name: str) -> bool:
        return name in self.data

    def raw(self, name: str, default: Any = MISSING) -> Any:
        self._used.add(name)
        if name not in self.data:
            if default is MISSING:
                self.missing(name)
            return default
        return self.data[name]

    def get(self, name: str, spec: Spec, default: Any = MISSING) -> Any:
        """The value of *name* read by *spec*; *default* (as a stored value) when absent."""
        self._used.add(name)
        if name not in self.data:
            if default is MISSING:
                self.missing(name)
            return default
        return spec.read(self.data[name], self.key(name), self.env)

    def table(self, name: str, required: bool = True) -> Table | None:
        self._used.add(name)
        if name not in self.data:
            if required:
                self.missing(name)
            return None
        return Table(self.data[name], self.key(name), self.env)

    def tables(self, name: str, required: bool = True) -> list[Table]:
        """An array of tables (``[[name]]``); keys are numbered from 1: ``checks[2]``."""
        self._used.add(name)
        if name not in self.data:
            if required:
                self.missing(name)
            return []
        items = self.data[name]
        if not isinstance(items, list):
            self.env.fail(self.key(name), f"phải là danh sách các bảng [[{name}]]")
        return [
            Table(item, f"{self.key(name)}[{index}]", self.env)
            for index, item in enumerate(items, start=1)
        ]

    def finish(self) -> None:
        for name in self.data:
            if name not in self._used:
                self.env.fail(self.key(name), "không có mục này trong bộ quy tắc (viết sai tên?)")
