"""The log file: where technical detail goes (library messages in English, tracebacks), so that
the screen shows only the Vietnamese message. Shared by the window and the command line."""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

from app import paths

_HANDLER_NAME = "danhgia-log-file"


def log_to_file() -> Path | None:
    """Send log records of INFO and above to ``danhgia.log`` in the data folder; return its
    path, or None when the folder cannot be written (the records are then dropped).

    Without a handler Python prints warnings on the terminal (``logging.lastResort``), which
    would put English text before the command line's Vietnamese message. Calling it again is
    harmless: the handler is replaced only when the data folder has changed."""
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    path: Path | None
    try:
        path = paths.logs_dir() / "danhgia.log"
    except OSError:
        path = None
    for old in list(root.handlers):
        if old.get_name() == _HANDLER_NAME:
            if path is not None and getattr(old, "baseFilename", None) == str(path):
                return path
            root.removeHandler(old)
            old.close()
    handler: logging.Handler = logging.NullHandler()
    if path is not None:
        try:
            handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
        except OSError:
            path = None
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    return path
