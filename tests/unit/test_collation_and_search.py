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


@given(st.lists(st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạ ", min_size=1), min_size=2))
def test_sorting_is_consistent_and_total(names: list[str]) -> None:
    once = sorted(names, key=name_key)
    assert sorted(once, key=name_key) == once
    keys = [name_key(n) for n in once]
    assert keys == sorted(keys)
