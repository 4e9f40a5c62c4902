"""``clean`` and ``strip_diacritics`` take shortcuts (imports clean 200,000 cells; the member
table folds every name): they must give exactly what the plain definitions give."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.text import clean, strip_diacritics

_SPACES = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")


def plain_clean(text: str) -> str:
    """Control characters out, NFC, white space folded, trimmed: without the shortcut."""
    text = unicodedata.normalize("NFC", _CONTROL.sub("", text))
    return _SPACES.sub(" ", text).strip()


def plain_strip(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return bare.replace("đ", "d").replace("Đ", "D")


# Vietnamese letters in both forms, combining marks on their own, every kind of white space
# and control character, and anything else Unicode has.
VIETNAMESE = "Nguyễn Văn Đức Thị Hằng Phượng Lò Quàng Giàng Páo"
tricky = st.sampled_from(
    [*VIETNAMESE, *unicodedata.normalize("NFD", VIETNAMESE), " ", "  ", "\t", "\n", "\xa0",
     "\u2003", "\u200b", "\u2028", "\ufeff", "\x00", "\x85", "\x7f", "\u0301", "\u0323",
     "\u0f71", "\u1100", "\u1161", "\uac00", "Å", "\u212b"]
)  # fmt: skip
texts = st.lists(st.one_of(tricky, st.characters()), max_size=30).map("".join)


@settings(max_examples=800)
@given(texts)
def test_clean_is_the_plain_definition(text: str) -> None:
    assert clean(text) == plain_clean(text)


@settings(max_examples=800)
@given(texts)
def test_strip_diacritics_is_the_plain_definition(text: str) -> None:
    assert strip_diacritics(text) == plain_strip(text)


def test_every_character_between_a_letter_and_a_mark() -> None:
    for code in range(0x110000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        text = f"a{chr(code)}\u0301"
        assert clean(text) == plain_clean(text), hex(code)
        assert strip_diacritics(text) == plain_strip(text), hex(code)
