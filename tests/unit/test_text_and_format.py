"""NFC normalisation, Vietnamese number and date formatting."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import pytest

from app.domain.formatting import (
    PERCENT_PLACES,
    DateFormatError,
    format_date,
    format_date_long,
    format_decimal,
    format_int,
    format_percent,
    format_place_date,
    parse_date,
    set_percent_places,
)
from app.domain.text import clean, fold, search_fold, strip_diacritics
from app.settings import Settings


def test_clean_turns_decomposed_text_into_precomposed() -> None:
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Ánh")
    assert decomposed != "Nguyễn Thị Ánh"
    assert clean(decomposed) == "Nguyễn Thị Ánh"


def test_clean_folds_spaces_and_drops_control_characters() -> None:
    assert clean("  Lò \t Văn\u200b  Pọm\x07 ") == "Lò Văn Pọm"
    assert clean(None) == ""


def test_fold_matches_headers_whatever_their_case_and_form() -> None:
    assert fold(" NGÀY SINH ") == fold(unicodedata.normalize("NFD", "ngày sinh"))


def test_strip_diacritics_handles_d_with_stroke() -> None:
    assert strip_diacritics("Bùi Văn Đức") == "Bui Van Duc"
    assert search_fold("ĐẢNG BỘ XÃ Na Tông") == "dang bo xa na tong"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (6185, "6.185"),
        (0, "0"),
        (999, "999"),
        (1000, "1.000"),
        (60000, "60.000"),
        (-1234, "-1.234"),
    ],
)
def test_format_int_uses_dot_for_thousands(value: int, text: str) -> None:
    assert format_int(value) == text


def test_format_percent_uses_decimal_comma() -> None:
    assert format_percent(0.775) == "77,5%"
    assert format_percent(31, 40) == "77,5%"
    assert format_percent(1, 3) == "33,33%"
    assert format_percent(9, 9) == "100%"
    assert format_percent(0, 0) == "0%"
    assert format_decimal(13.98, 2) == "13,98"
    assert format_decimal(1234.5) == "1.234,5"


def test_shares_print_as_reports_print_them_and_follow_the_options(tmp_path: Path) -> None:
    """Issue 16: two decimals, trailing zeros dropped; the options may choose another count."""
    assert [format_percent(1, 3), format_percent(31, 40), format_percent(2, 2)] == [
        "33,33%", "77,5%", "100%",
    ]  # fmt: skip
    assert format_percent(2, 3) == "66,67%" and format_percent(1, 8) == "12,5%"
    settings = Settings(tmp_path / "settings.json")
    settings.set("percent_places", 1)
    try:
        Settings(tmp_path / "settings.json").apply()
        assert format_percent(1, 3) == "33,3%" and format_percent(2, 3) == "66,7%"
        settings.set("percent_places", "nhiều")  # a damaged value falls back to the default
        Settings(tmp_path / "settings.json").apply()
        assert format_percent(1, 3) == "33,33%"
    finally:
        set_percent_places(PERCENT_PLACES)


def test_dates_in_fields_and_in_documents() -> None:
    day = dt.date(2026, 2, 5)
    assert format_date(day) == "05/02/2026"
    assert format_date_long(day) == "ngày 05 tháng 02 năm 2026"
    assert format_place_date("Na Tông", day) == "Na Tông, ngày 05 tháng 02 năm 2026"
    assert format_date(None) == ""


@pytest.mark.parametrize("text", ["05/02/2026", "5/2/2026", " 05.02.2026 ", "05-02-2026"])
def test_parse_date_accepts_day_month_year(text: str) -> None:
    assert parse_date(text) == dt.date(2026, 2, 5)


@pytest.mark.parametrize(
    ("text", "words"),
    [("31/02/2026", "không phải ngày có thật"), ("2026-02-05", "dd/mm/yyyy"), ("", "dd/mm/yyyy")],
)
def test_parse_date_explains_in_vietnamese(text: str, words: str) -> None:
    with pytest.raises(DateFormatError, match=words):
        parse_date(text)
