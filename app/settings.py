"""User preferences kept as JSON in the data folder (so a portable copy keeps them too)."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

from app import paths
from app.domain import formatting

log = logging.getLogger(__name__)

LOCK_AFTER_MINUTES = 10


class Settings:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or paths.settings_file()
        self._values: dict[str, Any] = {}
        try:
            loaded = json.loads(self.path.read_text(encoding="utf-8"))
            if isinstance(loaded, dict):
                self._values = loaded
        except FileNotFoundError:
            pass
        except (OSError, ValueError) as error:
            # A damaged settings file must never stop the app; defaults are fine.
            log.warning("ignoring unreadable settings %s: %s", self.path, error)

    def get(self, key: str, default: Any = None) -> Any:
        return self._values.get(key, default)

    @property
    def lock_after_minutes(self) -> int:
        """Minutes without input before a window with a password locks itself; 0: never."""
        value = self.get("lock_after_minutes", LOCK_AFTER_MINUTES)
        return value if isinstance(value, int) and value >= 0 else LOCK_AFTER_MINUTES

    @property
    def percent_places(self) -> int:
        """Decimals of the shares in reports and on screen (0–3; reports print 33,33%)."""
        value = self.get("percent_places", formatting.PERCENT_PLACES)
        ok = isinstance(value, int) and 0 <= value <= 3
        return value if ok else formatting.PERCENT_PLACES

    def apply(self) -> None:
        """Make the preferences that shape printed figures take effect in this process."""
        formatting.set_percent_places(self.percent_places)

    def set(self, key: str, value: Any) -> None:
        self._values[key] = value
        self._save()

    def _save(self) -> None:
        partial = self.path.with_name(self.path.name + ".partial")
        try:
            partial.write_text(json.dumps(self._values, ensure_ascii=False, indent=1), "utf-8")
            os.replace(partial, self.path)
        except OSError as error:
            log.warning("could not save settings %s: %s", self.path, error)
