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
    text = str(text)
    # Most text is already clean: a printable string holds no control character and no white
    # space but the plain space, so the two substitutions below would leave it as it is.
    # (Checked first because a workbook import cleans some 200,000 cells.)
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return nfc(text)
    # Controls out before NFC: one removed from between a letter and its mark ("g\u200b\u0301")
    # would leave them to compose, and the text would no longer be NFC.
    text = nfc(_CONTROL.sub("", text))
    return _SPACES.sub(" ", text).strip()


def fold(text: str | None) -> str:
    """The form used to match headers and enumerated values: cleaned and case-folded."""
    return clean(text).casefold()


class _BareLetters(dict[int, str]):
    """``str.translate`` table: each character without its marks, worked out once per character.

    Character by character is the same as the whole text at once: decomposing a text is
    decomposing each character and reordering the marks, and the marks are all dropped."""

    def __missing__(self, code: int) -> str:
        decomposed = unicodedata.normalize("NFD", chr(code))
        bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
        self[code] = bare
        return bare


_BARE = _BareLetters({ord("đ"): "d", ord("Đ"): "D"})


def strip_diacritics(text: str) -> str:
    """Remove Vietnamese tone and vowel marks: "Nguyễn Văn Đức" → "Nguyen Van Duc"."""
    return text.translate(_BARE)


def search_fold(text: str | None) -> str:
    """Lower case without diacritics, for search that ignores both."""
    return strip_diacritics(clean(text)).casefold()


def has_diacritics(text: str) -> bool:
    return strip_diacritics(text) != text


def normal_code(code: str | None) -> str:
    """The one form member and organisation codes are kept and compared in: cleaned and in
    capitals, so " dv00419 " typed in a dialog, read from a workbook or given on the command
    line is the member stored as "DV00419", never a second person. (Codes are plain letters,
    digits and . _ / -, so capitals lose nothing.)"""
    return clean(code).upper()
