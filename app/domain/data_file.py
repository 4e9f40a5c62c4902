"""The error of a data file the user may edit (a rule set, a criteria set): a Vietnamese
message that names the file, the key and the line, with the parts kept for callers."""

from __future__ import annotations


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
