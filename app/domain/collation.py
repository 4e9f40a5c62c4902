"""Vietnamese order of people's names.

Lists of people are sorted by given name (the last word) first, then by family and middle
names; letters follow the Vietnamese alphabet (a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t
u ư v x y) and, within a syllable, the letters decide before the tone (no mark, huyền, hỏi,
ngã, sắc, nặng). Generic Unicode collation gets this wrong ("Đức" must come after every "D"),
so the key is built here, syllable by syllable.

The key is a plain ASCII string so that it sorts the same in Python and in SQLite.
"""

from __future__ import annotations

import functools
import unicodedata

from app.domain.text import clean

# The Vietnamese alphabet, with the Latin letters it lacks at their Latin place so that foreign
# or ethnic-minority spellings (f, j, w, z) still sort sensibly.
_ALPHABET = [
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m", "n",
    "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z",
]  # fmt: skip
_LETTER_RANK = {letter: index for index, letter in enumerate(_ALPHABET)}

# Combining marks that make a different letter (ă, â, ê, ô, ơ, ư) rather than a tone.
_VOWEL_MARKS = {"\u0306", "\u0302", "\u031b"}
# Tone marks in dictionary order; no mark is tone 0.
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}

_SYLLABLE_SEP = " "  # sorts below every tone and letter code: "Dung" < "Dung A"
_PART_SEP = "\x01"  # between the given name and the rest: sorts below everything


def _syllable_key(syllable: str) -> str:
    letters: list[str] = []
    tone = 0
    for char in syllable.lower():
        base, *marks = unicodedata.normalize("NFD", char)
        letter = base
        for mark in marks:
            if mark in _VOWEL_MARKS:
                letter = unicodedata.normalize("NFC", letter + mark)
            elif mark in _TONE_RANK:
                tone = _TONE_RANK[mark]
        if letter in _LETTER_RANK:
            letters.append(chr(0x40 + _LETTER_RANK[letter]))
        elif letter.isdigit():
            letters.append(letter)  # "0".."9" sort below the letter codes
        # Apostrophes, hyphens and dots do not take part in the order.
    return "".join(letters) + chr(0x21 + tone)


def _words_key(words: list[str]) -> str:
    return _SYLLABLE_SEP.join(_syllable_key(word) for word in words)


@functools.lru_cache(maxsize=65536)
def name_key(full_name: str) -> str:
    """Sort key of a person's full name: given name first, then the family and middle names."""
    words = clean(full_name).split(" ")
    if not words or words == [""]:
        return ""
    return _words_key(words[-1:]) + _PART_SEP + _words_key(words[:-1])


@functools.lru_cache(maxsize=65536)
def text_key(text: str) -> str:
    """Sort key of any other Vietnamese text (a place or a cell name): word by word."""
    words = clean(text).split(" ")
    return _words_key(words) if words != [""] else ""


def post_rank(party_post: str | None) -> int:
    """Where an office-holder stands when a document lists a cell: secretary first, then the
    deputy, then committee members, then everybody else."""
    post = clean(party_post).casefold()
    if not post:
        return 9
    if "phó bí thư" in post:
        return 1
    if "bí thư" in post:
        return 0
    if "ủy viên" in post or "uỷ viên" in post:
        return 2
    return 9


def roster_key(party_post: str | None, full_name: str) -> tuple[int, str]:
    """Order of a cell's roster in ballots and minutes: office-holders first, then by name."""
    return (post_rank(party_post), name_key(full_name))
