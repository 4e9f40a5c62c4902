"""Errors of the criteria package, with Vietnamese messages that say where the problem is."""

from __future__ import annotations

from app.domain.data_file import DataFileError


class CriteriaError(DataFileError):
    """A criteria set that cannot be used: bad TOML, an unknown or duplicate key, points that
    do not add up, a scale step above the item's maximum, an unknown subject…

    The message names the file and the key, e.g. ``Tệp bộ tiêu chí “qd366-2025.toml”, mục
    “sheets[pl5].groups[A].items[A.2].steps”: mức 12 vượt điểm tối đa của mục (10 điểm)``.
    Tables are named by their ``key`` once it is read (``items[A.2]``), before that by their
    place (``items[thứ 3]``). ``source``, ``key``, ``line`` and ``problem`` keep the parts;
    ``detail`` keeps the TOML parser's own (English) text for the log.
    """

    FILE_KIND = "Tệp bộ tiêu chí"


class EntryError(ValueError):
    """A score entered for an item that its scoring does not allow (7 for a met/not-met item
    of 10 points, a step the scale does not have, a negative count). The message names the
    item ("Mục A.1 «…»: …") and can be shown as it is; ``item_key`` keeps the key."""

    def __init__(self, item_key: str, message: str) -> None:
        self.item_key = item_key
        super().__init__(message)


class SubjectError(ValueError):
    """A subject the criteria set has no sheet for, or a subject code that does not exist.
    The message is Vietnamese and can be shown as it is."""
