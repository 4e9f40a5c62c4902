"""Text normalisation for everything that enters the app.

Vietnamese text arrives in two Unicode forms: precomposed (NFC, what keyboards on Windows
produce) and decomposed (NFD, common from macOS and some web forms). Stored and compared text
is always NFC with single spaces, so "Nguyễn" typed either way is the same name.
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# Control characters (except the whitespace folded away above) never belong in a name.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")


def nfc(text: str) -> str:
    """Return *text* in Unicode NFC form."""
    return unicodedata.normalize("NFC", text)


def clean(text: str | None) -> str:
    """NFC, control characters removed, runs of white space folded to one space, trimmed."""
    if text is None:
        return ""
    text = _CONTROL.sub("", nfc(str(text)))
    return _SPACES.sub(" ", text).strip()


def fold(text: str | None) -> str:
    """The form used to match headers and enumerated values: cleaned and case-folded."""
    return clean(text).casefold()


def strip_diacritics(text: str) -> str:
    """Remove Vietnamese tone and vowel marks: "Nguyễn Văn Đức" → "Nguyen Van Duc"."""
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return bare.replace("đ", "d").replace("Đ", "D")


def search_fold(text: str | None) -> str:
    """Lower case without diacritics, for search that ignores both."""
    return strip_diacritics(clean(text)).casefold()


def has_diacritics(text: str) -> bool:
    return strip_diacritics(text) != text
