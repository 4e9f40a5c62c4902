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


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
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
