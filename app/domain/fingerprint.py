"""A short content fingerprint printed in a document's footer, so a paper copy can be matched
to the record it came from: the same record always gives the same fingerprint, and any change
to it gives another."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
import json
from typing import Any


def plain(value: Any) -> Any:
    """The value as JSON-ready data: dataclasses, enums and dates made plain."""
    return _plain(value)


# A dataclass field added to data that was fingerprinted before it existed is marked
# ``field(default=…, metadata=ADDED_LATER)``: while it holds its default it is left out of the
# plain data, so the fingerprint of every record that does not use it stays what it was and a
# copy printed before the field existed still matches its record.
ADDED_LATER = {"fingerprint": "omit-when-default"}

_SCALARS = (str, int, float, bool, type(None))
# A dataclass → its fields' names, and the (name, default) of the fields left out while they
# hold their default; looked up once per class.
_FIELDS: dict[type, tuple[tuple[str, ...], tuple[tuple[str, Any], ...]]] = {}


def _fields(kind: type) -> tuple[tuple[str, ...], tuple[tuple[str, Any], ...]] | None:
    found = _FIELDS.get(kind)
    if found is None and dataclasses.is_dataclass(kind):
        fields = dataclasses.fields(kind)
        later = tuple(
            (f.name, f.default)
            for f in fields
            if f.metadata.get("fingerprint") == ADDED_LATER["fingerprint"]
            and f.default is not dataclasses.MISSING
        )
        found = _FIELDS.setdefault(kind, (tuple(f.name for f in fields), later))
    return found


def _plain(value: Any) -> Any:
    # Scalars first and fields by type: a decision's annex is tens of thousands of values,
    # and the preview fingerprints it while the user waits.
    if isinstance(value, _SCALARS) and not isinstance(value, enum.Enum):
        return value
    found = _fields(type(value))
    if found is not None:
        names, later = found
        if not later:
            return {name: _plain(getattr(value, name)) for name in names}
        left_out = {name for name, default in later if getattr(value, name) == default}
        return {name: _plain(getattr(value, name)) for name in names if name not in left_out}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [_plain(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, set | frozenset) else items
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    return value


def fingerprint(content: Any) -> str:
    """Eight hexadecimal digits in two groups, e.g. "3F9A-01C7"."""
    canonical = json.dumps(_plain(content), ensure_ascii=False, sort_keys=True, default=str)
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest().upper()
    return f"{digest[:4]}-{digest[4:8]}"
