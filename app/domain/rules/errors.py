"""Errors of the rules package, with messages in Vietnamese that name where the problem is."""

from __future__ import annotations

from app.domain.data_file import DataFileError


class RuleSetError(DataFileError):
    """A rule set that cannot be used: bad TOML, an unknown check, a parameter out of range…

    The message names the file and the key (or the line, for a TOML syntax error), e.g.
    ``Tệp quy tắc “qd366-2025.toml”, mục “checks[2].params.rate”: phải là số từ 0 đến 1``.
    ``source``, ``key``, ``line`` and ``problem`` keep the parts for callers that lay them out
    themselves; ``detail`` keeps the parser's own (English) text for the log, if any.
    """

    FILE_KIND = "Tệp quy tắc"


class TallyError(ValueError):
    """A vote tally that cannot be read: more votes than voters, a negative count, a level the
    rule set does not have. The message is Vietnamese and can be shown as it is."""
