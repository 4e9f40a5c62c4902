"""Vietnamese order of people's names (and of units: numbers in them in natural order).

Lists of people are sorted by given name (the last word) first, then by family and middle
names; letters follow the Vietnamese alphabet (a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t
u ư v x y) and, within a syllable, the letters decide before the tone (no mark, huyền, hỏi,
ngã, sắc, nặng). Generic Unicode collation gets this wrong ("Đức" must come after every "D"),
so the key is built here, syllable by syllable.

The key is a plain ASCII string so that it sorts the same in Python and in SQLite.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Hashable, Iterable
from typing import TypeVar

from app.domain.text import clean

K = TypeVar("K", bound=Hashable)

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

_DIGITS = re.compile(r"[0-9]+")
_NUMBER_WIDTH = 9  # house numbers, cell numbers: far below a billion

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
    # Numbers in their natural order ("Số 2" before "Số 10"): each run of digits is padded.
    key = _DIGITS.sub(lambda run: run.group().rjust(_NUMBER_WIDTH, "0"), "".join(letters))
    return key + chr(0x21 + tone)


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


def heads_committee(party_post: str | None) -> bool:
    """Whether the post is the secretary of a party committee above the cell ("Bí thư Đảng
    ủy xã"): the one who signs the commune's decisions, not the cell's secretary."""
    post = clean(party_post).casefold()
    return post.startswith("bí thư đảng ủy") or post.startswith("bí thư đảng uỷ")


def heads_cell(party_post: str | None) -> bool:
    """Whether the post is the cell's own secretary ("Bí thư chi bộ", or plain "Bí thư")."""
    post = clean(party_post).casefold()
    return post.startswith("bí thư") and not heads_committee(party_post)


def roster_key(party_post: str | None, full_name: str) -> tuple[int, str]:
    """Order of a cell's roster in ballots and minutes: office-holders first, then by name."""
    return (post_rank(party_post), name_key(full_name))


def distinct_names(people: Iterable[tuple[K, str, int | None, str]]) -> dict[K, str]:
    """Each person's name as a list prints it: *people* are (key, full name, year of birth,
    code). Two people of one list with the same name are told apart by the year of birth
    ("Mùa A Pó (sinh 1978)"), or by their code when the years do not differ."""
    people = list(people)
    by_name: dict[str, list[tuple[K, str, int | None, str]]] = {}
    for person in people:
        by_name.setdefault(name_key(person[1]), []).append(person)
    names: dict[K, str] = {}
    for group in by_name.values():
        years = [year for _, _, year, _ in group]
        by_year = len(group) == 1 or (None not in years and len(set(years)) == len(years))
        for key, name, year, code in group:
            if len(group) == 1:
                names[key] = name
            elif by_year:
                names[key] = f"{name} (sinh {year})"
            else:
                names[key] = f"{name} (mã {code})"
    return names
