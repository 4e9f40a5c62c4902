"""Vietnamese order of names and diacritic-insensitive search."""

from __future__ import annotations

import random
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from app.domain.collation import name_key, post_rank, roster_key, text_key
from app.domain.search import Query, SearchText


def test_the_order_from_the_issue() -> None:
    expected = ["Lê Thị Dung", "Trần Văn Dung", "Nguyễn Văn Dũng", "Bùi Văn Đức"]
    shuffled = expected[:]
    random.Random(1).shuffle(shuffled)
    assert sorted(shuffled, key=name_key) == expected


def test_letters_follow_the_vietnamese_alphabet() -> None:
    # a ă â … d đ … o ô ơ … u ư: the marked letters come after their base letter.
    given_names = ["Ơn", "Ân", "Ăn", "An", "Đào", "Dương", "Ôn", "On", "Ưng", "Ung"]
    ordered = sorted((f"Lò Văn {g}" for g in given_names), key=name_key)
    assert [n.split()[-1] for n in ordered] == [
        "An", "Ăn", "Ân", "Dương", "Đào", "On", "Ôn", "Ơn", "Ung", "Ưng"
    ]  # fmt: skip


def test_tones_follow_dictionary_order_after_letters() -> None:
    # no mark, huyền, hỏi, ngã, sắc, nặng
    tones = ["Ma", "Mà", "Mả", "Mã", "Má", "Mạ"]
    assert sorted(reversed(tones), key=text_key) == tones
    # Letters decide before tones: "Mạ" comes before "Man".
    assert text_key("Mạ") < text_key("Man")


def test_given_name_decides_before_family_name() -> None:
    assert name_key("Vàng A Páo") < name_key("Giàng A Sình")
    assert name_key("Giàng A Páo") < name_key("Vàng A Páo")


def test_shorter_name_first_when_one_is_a_prefix() -> None:
    assert text_key("Na Tông") < text_key("Na Tông 1")


def test_key_ignores_case_and_unicode_form() -> None:
    nfd = unicodedata.normalize("NFD", "nguyễn văn đức")
    assert name_key(nfd) == name_key("NGUYỄN VĂN ĐỨC")


def test_office_holders_come_first_on_a_roster() -> None:
    assert post_rank("Bí thư chi bộ") == 0
    assert post_rank("Phó Bí thư chi bộ") == 1
    assert post_rank("Chi ủy viên") == 2
    assert post_rank("") == 9
    people = [("", "Bùi Văn An"), ("Chi ủy viên", "Lò Văn Xôm"), ("Bí thư chi bộ", "Lò Văn Pọm")]
    ordered = sorted(people, key=lambda p: roster_key(*p))
    assert [name for _, name in ordered] == ["Lò Văn Pọm", "Lò Văn Xôm", "Bùi Văn An"]


def test_search_ignores_diacritics_and_case() -> None:
    target = SearchText.of("Nguyễn Văn Dũng", "DV00012")
    assert Query.parse("nguyen van dung").matches(target)
    assert Query.parse("NGUYEN").matches(target)
    assert Query.parse("dung nguyen").matches(target)
    assert Query.parse("dv00012").matches(target)
    assert not Query.parse("nguyen van duc").matches(target)


def test_a_word_typed_with_marks_is_taken_at_its_word() -> None:
    dung = SearchText.of("Trần Văn Dung")
    dũng = SearchText.of("Nguyễn Văn Dũng")
    assert Query.parse("dũng").matches(dũng)
    assert not Query.parse("dũng").matches(dung)
    assert Query.parse("dung").matches(dung) and Query.parse("dung").matches(dũng)


def test_decomposed_query_finds_precomposed_name() -> None:
    query = Query.parse(unicodedata.normalize("NFD", "Dũng"))
    assert query.matches(SearchText.of("Nguyễn Văn Dũng"))


def test_a_roster_in_vietnamese_order() -> None:
    """The rule of the module's docstring, written out by hand: the given name (last word)
    decides first, letter by letter in the Vietnamese alphabet (ă after a, đ after d), a name
    that is the start of another first, the tone only when the letters are the same; then the
    family name; then the middle names."""
    expected = [
        "Lò Văn An",
        "Bùi Anh",  # An < Anh: the shorter first
        "Bùi Văn Anh",  # the same given and family names: no middle name first
        "Cà Thị Ăn",  # ă after every a…
        "Lò Văn Ăn",  # …and then the family name: Cà < Lò
        "Cà Văn Dung",  # the family name before the middle name…
        "Lò Thị Dung",  # …which decides last: Thị < Văn
        "Lò Văn Dung",
        "Lò Văn Dũng",  # no mark < ngã < nặng
        "Cà Văn Dụng",
        "Cà Văn Đức",  # đ after every d
        "Lò Thị Mạ",  # letters before tones: Mạ < Man
        "Lò Văn Man",
        "Vàng A Páo",
        "Giàng A Sình",
        "Lường Thị Ưng",  # ư after u, before v
        "Vàng A Vừ",
    ]
    for seed in range(5):
        shuffled = expected[:]
        random.Random(seed).shuffle(shuffled)
        assert sorted(shuffled, key=name_key) == expected


# An independent statement of the order for the property test below: names are built from
# their parts (letters by their place in the alphabet, a tone by its place in the dictionary
# order), so the expected order is known from how each name was made, not from reading it.
ALPHABET = tuple("aăâbcdđeêghiklmnoôơpqrstuưvxy")  # each a single precomposed letter
VOWELS = [i for i, letter in enumerate(ALPHABET) if letter in "aăâeêioôơuưy"]
# Few letters, so that many names share their letters and the tones, the family and the middle
# names have to decide; the look-alike pairs (a ă â, d đ, o ô ơ, u ư) among them.
FEW = [ALPHABET.index(letter) for letter in "aăâdđnoôơuư"]
TONE_MARKS = ["", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"]  # none, huyền … nặng
Syllable = tuple[tuple[int, ...], int]  # (letters, tone)


@st.composite
def syllables(draw: st.DrawFn) -> Syllable:
    letters = draw(st.lists(st.sampled_from(FEW), min_size=0, max_size=2))
    vowel = draw(st.sampled_from([i for i in FEW if i in VOWELS]))
    letters.insert(draw(st.integers(0, len(letters))), vowel)  # a tone sits on a vowel
    return tuple(letters), draw(st.integers(0, len(TONE_MARKS) - 1))


def spelled(syllable: Syllable, capital: bool) -> str:
    letters, tone = syllable
    text = [ALPHABET[i] for i in letters]
    vowel_at = next(i for i, letter in enumerate(letters) if letter in VOWELS)
    text[vowel_at] += TONE_MARKS[tone]
    word = unicodedata.normalize("NFC", "".join(text))
    return word[:1].upper() + word[1:] if capital else word


@given(
    st.lists(
        st.tuples(st.lists(syllables(), min_size=1, max_size=3), st.booleans()),
        min_size=2,
        max_size=20,
    )
)
def test_any_names_sort_by_given_name_then_family_then_middle(
    people: list[tuple[list[Syllable], bool]],
) -> None:
    def expected_key(parts: list[Syllable]) -> tuple[Syllable, tuple[Syllable, ...]]:
        # Tuples compare as the rule says: letters, then tone; a prefix first.
        return parts[-1], tuple(parts[:-1])

    names = [(" ".join(spelled(p, capital) for p in parts), parts) for parts, capital in people]
    by_app = sorted(names, key=lambda pair: name_key(pair[0]))
    by_rule = sorted(names, key=lambda pair: expected_key(pair[1]))
    assert [name for name, _ in by_app] == [name for name, _ in by_rule]


def test_units_with_numbers_sort_in_natural_vietnamese_order() -> None:
    """Issue 16: …Số 2, Số 3 … Số 10, not Số 1, Số 10, Số 11 … Số 2; letters keep the
    Vietnamese alphabet around the numbers."""
    from app.domain.collation import text_key

    names = ["Chi bộ Số 10", "Chi bộ Số 2", "Chi bộ Đồi 1", "Chi bộ Số 1", "Chi bộ Số 11",
             "Chi bộ Dốc 12", "Chi bộ Số 3", "Chi bộ Dốc 9"]  # fmt: skip
    assert sorted(names, key=text_key) == [
        "Chi bộ Dốc 9", "Chi bộ Dốc 12", "Chi bộ Đồi 1", "Chi bộ Số 1", "Chi bộ Số 2",
        "Chi bộ Số 3", "Chi bộ Số 10", "Chi bộ Số 11",
    ]  # fmt: skip
