"""Errors of the rules package, with messages in Vietnamese that name where the problem is."""

from __future__ import annotations


class RuleSetError(ValueError):
    """A rule set that cannot be used: bad TOML, an unknown check, a parameter out of range…

    The message names the file and the key (or the line, for a TOML syntax error), e.g.
    ``Tệp quy tắc “qd366-2025.toml”, mục “checks[2].params.rate”: phải là số từ 0 đến 1``.
    ``source``, ``key``, ``line`` and ``problem`` keep the parts for callers that lay them out
    themselves; ``detail`` keeps the parser's own (English) text for the log, if any.
    """

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
        where = f"Tệp quy tắc “{source}”"
        if key:
            where += f", mục “{key}”"
        if line is not None:
            where += f", dòng {line}"
        super().__init__(f"{where}: {problem}")


class TallyError(ValueError):
    """A vote tally that cannot be read: more votes than voters, a negative count, a level the
    rule set does not have. The message is Vietnamese and can be shown as it is."""
