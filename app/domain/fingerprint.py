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


_SCALARS = (str, int, float, bool, type(None))
_FIELDS: dict[type, tuple[str, ...]] = {}  # a dataclass → its fields' names, looked up once


def _field_names(kind: type) -> tuple[str, ...] | None:
    names = _FIELDS.get(kind)
    if names is None and dataclasses.is_dataclass(kind):
        names = _FIELDS.setdefault(kind, tuple(f.name for f in dataclasses.fields(kind)))
    return names


def _plain(value: Any) -> Any:
    # Scalars first and fields by type: a decision's annex is tens of thousands of values,
    # and the preview fingerprints it while the user waits.
    if isinstance(value, _SCALARS) and not isinstance(value, enum.Enum):
        return value
    names = _field_names(type(value))
    if names is not None:
        return {name: _plain(getattr(value, name)) for name in names}
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
