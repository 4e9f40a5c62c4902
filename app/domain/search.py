"""Search that ignores diacritics and case, as users type on keyboards without Vietnamese input.

"nguyen van dung" finds "Nguyễn Văn Dũng". A word typed *with* marks is taken at its word:
"dũng" finds "Dũng" but not "Dung", so a user who can type the marks narrows the list.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.text import clean, has_diacritics, search_fold


@dataclass(frozen=True, slots=True)
class SearchText:
    """The two forms a searchable text is matched in, computed once per record."""

    exact: str  # NFC, lower case
    folded: str  # lower case without diacritics

    @classmethod
    def of(cls, *parts: str | None) -> SearchText:
        text = " ".join(clean(part) for part in parts if part)
        return cls(exact=text.casefold(), folded=search_fold(text))


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed search query: every word must occur somewhere in the record's text."""

    exact_words: tuple[str, ...]
    folded_words: tuple[str, ...]

    @classmethod
    def parse(cls, text: str) -> Query:
        exact: list[str] = []
        folded: list[str] = []
        for word in clean(text).casefold().split(" "):
            if not word:
                continue
            (exact if has_diacritics(word) else folded).append(word)
        return cls(tuple(exact), tuple(folded))

    @property
    def empty(self) -> bool:
        return not self.exact_words and not self.folded_words

    def matches(self, target: SearchText) -> bool:
        return all(w in target.exact for w in self.exact_words) and all(
            w in target.folded for w in self.folded_words
        )
