"""Every malformed criteria file is refused with a Vietnamese message naming the file and the
key of the item (or group, sheet) at fault."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.domain.criteria import CriteriaError, load_criteria
from tests.unit.criteria.helpers import PROVINCE, changed, write

B2 = 'key = "B.2"'
A2_MET = 'scoring = "met"'


def load_bad(tmp_path: Path, text: str) -> CriteriaError:
    path = write(tmp_path, "tinh-loi.toml", text)
    with pytest.raises(CriteriaError) as info:
        load_criteria(path)
    return info.value


def test_the_small_province_set_itself_is_valid(tmp_path: Path) -> None:
    cset = load_criteria(write(tmp_path, "tinh-thu-2025.toml", PROVINCE))
    assert [item.key for item in cset.sheets[0].items] == ["A.1", "A.2", "A.3", "B.1", "B.2"]


@pytest.mark.parametrize(
    ("replacements", "key", "problem"),
    [
        pytest.param(
            [(B2, B2 + '\nghi_chu = "x"')],
            "sheets[pl5].groups[B].items[B.2].ghi_chu",
            "không có mục này trong bộ tiêu chí (viết sai tên?)",
            id="unknown-key",
        ),
        pytest.param(
            [('scoring = "count"', 'scorng = "count"')],
            "sheets[pl5].groups[A].items[A.1].scoring",
            "bắt buộc phải có (“scorng” có phải là viết sai của mục này?)",
            id="misspelt-key",
        ),
        pytest.param(
            [(B2, 'key = "A.1"')],
            "sheets[pl5].groups[B].items[thứ 2].key",
            "mã mục “A.1” bị trùng (đã có ở nhóm A)",
            id="duplicate-item-key",
        ),
        pytest.param(
            [('key = "B"', 'key = "A"')],
            "sheets[pl5].groups[thứ 2].key",
            "mã nhóm “A” bị trùng (đã có một nhóm cùng mã ở trên)",
            id="duplicate-group-key",
        ),
        pytest.param(
            [("points = 40", "points = 45")],
            "sheets[pl5].groups[B].points",
            "các mục cộng lại 75 điểm, vượt điểm tối đa của nhóm (70 điểm): B.1 45, B.2 30",
            id="items-over-group",
        ),
        pytest.param(
            [("points = 40", "points = 35")],
            "sheets[pl5].groups[B].points",
            "các mục cộng lại 65 điểm, chưa bằng điểm tối đa của nhóm (70 điểm): B.1 35, B.2 30",
            id="items-under-group",
        ),
        pytest.param(
            [("points = 70", "points = 60"), ("points = 40", "points = 30")],
            "sheets[pl5].groups",
            "các nhóm cộng lại 90 điểm, khác tổng điểm của bộ tiêu chí (100 điểm): A 30, B 60",
            id="groups-not-total",
        ),
        pytest.param(
            [("steps = [0, 4, 6, 8]", "steps = [0, 4, 8, 9]")],
            "sheets[pl5].groups[A].items[A.3].steps[4]",
            "mức 9 vượt điểm tối đa của mục (8 điểm)",
            id="step-above-max",
        ),
        pytest.param(
            [("steps = [0, 4, 6, 8]", "steps = [0, 4, 6]")],
            "sheets[pl5].groups[A].items[A.3].steps",
            "mức cao nhất (6) phải bằng điểm tối đa của mục (8 điểm)",
            id="top-step-not-max",
        ),
        pytest.param(
            [("steps = [0, 4, 6, 8]", "steps = [0, 6, 4, 8]")],
            "sheets[pl5].groups[A].items[A.3].steps[3]",
            "các mức điểm phải tăng dần, không lặp lại",
            id="steps-not-ascending",
        ),
        pytest.param(
            [('"member:2C"', '"member:2D"')],
            "sheets[pl5].applies_to[1]",
            "không có đối tượng “member:2D” (có: member, org, collective; hoặc member:2A,",
            id="unknown-form",
        ),
        pytest.param(
            [('"member:2C"', '"org:thon"')],
            "sheets[pl5].applies_to[1]",
            "không có đối tượng “org:thon”",
            id="unknown-subject",
        ),
        pytest.param(
            [(A2_MET, 'scoring = "pass"')],
            "sheets[pl5].groups[A].items[A.2].scoring",
            "phải là một trong: “met”",
            id="unknown-scoring",
        ),
        pytest.param(
            [(A2_MET, A2_MET + "\nsteps = [0, 10]")],
            "sheets[pl5].groups[A].items[A.2].steps",
            "chỉ dùng khi scoring = “scale” (mục này là “met”)",
            id="steps-on-met-item",
        ),
        pytest.param(
            [("per_unit = 1", "per_unit = 13")],
            "sheets[pl5].groups[A].items[A.1].per_unit",
            "điểm mỗi lần (13) không được lớn hơn điểm tối đa của mục (12 điểm)",
            id="per-unit-over-max",
        ),
        pytest.param(
            [("per_unit = 1\n", "")],
            "sheets[pl5].groups[A].items[A.1].per_unit",
            "bắt buộc phải có",
            id="count-without-per-unit",
        ),
        pytest.param(
            [('confidence = "sure"', 'confidence = "maybe"')],
            "sheets[pl5].groups[A].items[A.1].confidence",
            "phải là một trong: “sure” (chắc chắn), “likely” (khá chắc), “unsure” (chưa chắc)",
            id="bad-confidence",
        ),
        pytest.param(
            [('confidence = "sure"\n', "")],
            "sheets[pl5].groups[A].items[A.1].confidence",
            "bắt buộc phải có",
            id="item-without-confidence",
        ),
        pytest.param(
            [("points = 10", 'points = "mười"')],
            "sheets[pl5].groups[A].items[A.2].points",
            "phải là số điểm lớn hơn 0 và không quá 1.000",
            id="points-not-a-number",
        ),
        pytest.param(
            [("format = 1", "format = 2")],
            "format",
            "phiên bản định dạng 2 chưa được hỗ trợ (cần 1)",
            id="format-version",
        ),
        pytest.param(
            [("first_year = 2025", "first_year = 2025\nlast_year = 2024")],
            "last_year",
            "không được trước năm bắt đầu (2025)",
            id="years-reversed",
        ),
        pytest.param(
            [('id = "tinh-thu-2025"', 'id = "Tỉnh thử"')],
            "id",
            "chỉ gồm chữ thường không dấu, chữ số và . _ - (tối đa 60 ký tự)",
            id="bad-id",
        ),
        pytest.param(
            [('part = "tasks"', 'part = "bonus"')],
            "sheets[pl5].groups[B].part",
            "phải là một trong: “general” (tiêu chí chung)",
            id="unknown-part",
        ),
    ],
)
def test_a_bad_file_names_the_file_and_the_key(
    tmp_path: Path, replacements: list[tuple[str, str]], key: str, problem: str
) -> None:
    error = load_bad(tmp_path, changed(PROVINCE, *replacements))
    assert error.source == "tinh-loi.toml"
    assert error.key == key
    assert str(error).startswith(f"Tệp bộ tiêu chí “tinh-loi.toml”, mục “{key}”: ")
    assert problem in error.problem


def test_a_subject_in_two_sheets_is_refused(tmp_path: Path) -> None:
    second = """
[[sheets]]
key = "khac"
title = "Bảng khác"
applies_to = ["member"]
citation = "Thử"

[[sheets.groups]]
key = "A"
title = "Tất cả"
part = "general"
points = 100
citation = "Thử"

[[sheets.groups.items]]
key = "A.1"
text = "Một mục"
points = 100
scoring = "scale"
confidence = "unsure"
"""
    error = load_bad(tmp_path, PROVINCE + second)
    assert error.key == "sheets[khac].applies_to"
    assert error.problem == (
        "đối tượng “member:2C” (Đảng viên (Mẫu 2C)) đã có ở bảng “pl5”; mỗi đối tượng chỉ chấm "
        "theo một bảng"
    )


def test_a_toml_syntax_error_names_the_file_and_line(tmp_path: Path) -> None:
    text = changed(PROVINCE, ("total = 100", "total = "))
    error = load_bad(tmp_path, text)
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if ln.startswith("total"))
    assert error.line == line
    assert str(error).startswith(f"Tệp bộ tiêu chí “tinh-loi.toml”, dòng {line}: sai cú pháp")


def test_a_file_that_is_not_utf8_is_named(tmp_path: Path) -> None:
    path = tmp_path / "latin.toml"
    path.write_bytes(PROVINCE.encode("utf-16"))
    with pytest.raises(CriteriaError) as info:
        load_criteria(path)
    assert str(info.value) == "Tệp bộ tiêu chí “latin.toml”: tệp không phải văn bản UTF-8"
