"""Data files the user may edit (a rule set, a criteria set): reading and parsing them, and
the error whose Vietnamese message names the file, the key and the line."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any


class DataFileError(ValueError):
    """A file that cannot be used. ``FILE_KIND`` opens the message ("Tệp quy tắc");
    ``source``, ``key``, ``line`` and ``problem`` keep the parts for callers that lay them out
    themselves; ``detail`` keeps a parser's own (English) text for the log, if any."""

    FILE_KIND = "Tệp"

    def __init__(
        self,
        source: str,
        problem: str,
        *,
        key: str | None = None,
        line: int | None = None,
        detail: str = "",
    ) -> None:
        self.source = source
        self.problem = problem
        self.key = key
        self.line = line
        self.detail = detail
        where = f"{self.FILE_KIND} “{source}”"
        if key:
            where += f", mục “{key}”"
        if line is not None:
            where += f", dòng {line}"
        super().__init__(f"{where}: {problem}")


def read_text(path: Path, error: type[DataFileError]) -> str:
    """The UTF-8 text of *path*; *error* (naming the file) when it cannot be read as such."""
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise error(path.name, "tệp không phải văn bản UTF-8") from None
    except OSError as problem:
        raise error(path.name, f"không đọc được tệp ({problem.strerror})") from None


_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


def parse_toml(text: str, source_name: str, error: type[DataFileError]) -> dict[str, Any]:
    """*text* parsed as TOML; a syntax error becomes *error* with its line and column in
    Vietnamese (the parser's English text kept as ``detail`` for the log)."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as problem:
        match = _TOML_POSITION.search(str(problem))
        line = int(match.group(1)) if match else None
        column = f" (cột {match.group(2)})" if match else ""
        raise error(
            source_name, f"sai cú pháp TOML{column}", line=line, detail=str(problem)
        ) from None
