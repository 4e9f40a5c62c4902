"""What a new password must be: the one rule the window's dialogs and the file encryption
share."""

from __future__ import annotations

import unicodedata

MIN_PASSWORD = 8  # characters, counted in NFC


def weakness(password: str) -> str | None:
    """Why *password* is too weak to set, in Vietnamese; None when it will do."""
    if len(unicodedata.normalize("NFC", password)) < MIN_PASSWORD:
        return f"Mật khẩu cần ít nhất {MIN_PASSWORD} ký tự."
    return None
