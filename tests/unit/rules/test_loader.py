"""Loading, writing, copying and discovering rule sets."""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

import pytest

from app.domain.rules import (
    RuleSetError,
    copy_ruleset,
    discover_rulesets,
    load_ruleset,
    load_ruleset_text,
    parameters,
    ruleset_to_toml,
    rulesets_for_year,
)
from app.paths import rulesets_dir
from tests.unit.rules.helpers import RULESET_IDS, ruleset

QD132 = rulesets_dir() / "qd132-2018.toml"


def qd132_text() -> str:
    return QD132.read_text(encoding="utf-8")


def load_changed(old: str, new: str, name: str = "qd132-2018.toml") -> None:
    text = qd132_text()
    assert old in text, old
    load_ruleset_text(text.replace(old, new, 1), name)


def test_every_shipped_rule_set_loads_without_errors() -> None:
    found, errors = discover_rulesets(rulesets_dir())
    assert errors == []
    assert sorted(found) == sorted(RULESET_IDS)


@pytest.mark.parametrize("rs_id", RULESET_IDS)
def test_file_name_matches_id(rs_id: str) -> None:
    assert ruleset(rs_id).id == rs_id


def test_years_cover_2014_onward_without_gaps() -> None:
    spans = sorted((ruleset(i).first_year, ruleset(i).last_year) for i in RULESET_IDS)
    assert spans == [(2014, 2017), (2018, 2022), (2023, 2024), (2025, None)]
    found, _ = discover_rulesets(rulesets_dir())
    assert [rs.id for rs in rulesets_for_year(found, 2017)] == ["hd27-2014"]
    assert [rs.id for rs in rulesets_for_year(found, 2031)] == ["qd366-2025"]


@pytest.mark.parametrize("rs_id", RULESET_IDS)
def test_dump_and_load_round_trip(rs_id: str) -> None:
    rs = ruleset(rs_id)
    text = ruleset_to_toml(rs)
    assert load_ruleset_text(text, "x.toml") == rs
    # Writing again gives the same text: the serializer is stable.
    assert ruleset_to_toml(load_ruleset_text(text, "x.toml")) == text


def test_hd27_levels() -> None:
    rs = ruleset("hd27-2014")
    assert rs.org_levels.codes == ("TSVM_TB", "TSVM", "HTTNV", "HTNV", "YK")
    exemplary = rs.org_levels.get("TSVM_TB")
    assert (exemplary.name, exemplary.tier, exemplary.counts_as) == (
        "Trong sạch, vững mạnh tiêu biểu", 1, "TSVM",
    )  # fmt: skip
    assert rs.org_levels.get("YK").name == "Yếu kém"
    assert rs.member_levels.codes == ("HTXSNV", "HTTNV", "HTNV", "KHTNV")
    assert rs.member_quota is not None and not rs.member_quota.enabled
    assert rs.exemplary_quota is not None and rs.exemplary_quota.severity == "warning"
    assert rs.exemplary_quota.rate == Fraction(1, 5)
    assert rs.org_quota is None


def test_qd366_score_model() -> None:
    score = ruleset("qd366-2025").score
    assert score is not None and score.enabled
    assert (score.general_max, score.tasks_max, score.total_max) == (30, 70, 100)
    assert dict(score.thresholds) == {"HTXSNV": 90, "HTTNV": 70, "HTNV": 50}
    assert score.exceeded_share == Fraction(3, 10)
    for rs_id in ("qd132-2018", "qd124-2023"):
        assert ruleset(rs_id).score is None


def test_reason_labels_follow_the_months_parameter() -> None:
    rs = ruleset("qd132-2018")
    assert rs.reason_label("new_member") == "Mới kết nạp dưới 6 tháng"
    changed = copy_ruleset(rs, "tinh-2020", "Bản sao", {"eligibility.new_member_months": 3})
    assert changed.reason_label("new_member") == "Mới kết nạp dưới 3 tháng"
    assert changed.reason_label("exempt") == "Miễn sinh hoạt"


# Malformed files -----------------------------------------------------------------------------


def test_toml_syntax_error_names_the_file_and_line() -> None:
    text = qd132_text().replace("first_year = 2018", "first_year = ", 1)
    with pytest.raises(RuleSetError) as info:
        load_ruleset_text(text, "qd132-2018.toml")
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if ln.startswith("first_year"))
    assert info.value.line == line
    assert str(info.value).startswith(f"Tệp quy tắc “qd132-2018.toml”, dòng {line}: sai cú pháp")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'name = "discipline"', 'name = "disciplin"',
            "Tệp quy tắc “qd132-2018.toml”, mục “checks[1].name”: không có quy tắc kiểm tra "
            "“disciplin”",
        ),
        (
            "good_share = 0.5", "good_share = 1.5",
            "Tệp quy tắc “qd132-2018.toml”, mục “checks[5].params.good_share”: phải là số từ 0 "
            "đến 1",
        ),
        (
            "months = 3", 'months = "ba"',
            "Tệp quy tắc “qd132-2018.toml”, mục “checks[4].params.months”: phải là số nguyên từ "
            "1 đến 12",
        ),
        (
            'cap = "HTNV"', 'cap = "HTNVV"',
            "Tệp quy tắc “qd132-2018.toml”, mục “checks[4].params.cap”: mức “HTNVV” không có "
            "trong các mức xếp loại đảng viên",
        ),
        (
            "rate = 0.2", "rate = -0.2",
            "Tệp quy tắc “qd132-2018.toml”, mục “member_quota.rate”: phải là số từ 0 đến 1",
        ),
        (
            'code = "HTTNV"', 'code = "HTXSNV"',
            "Tệp quy tắc “qd132-2018.toml”, mục “member_levels[2].code”: mã mức “HTXSNV” bị trùng",
        ),
        (
            "HTNV = 0.5, KHTNV", "HTNVX = 0.5, KHTNV",
            "Tệp quy tắc “qd132-2018.toml”, mục “vote.thresholds.HTNVX”: mức “HTNVX” không có",
        ),
        (
            "new_member_months = 6\n", "",
            "Tệp quy tắc “qd132-2018.toml”, mục “eligibility.new_member_months”: bắt buộc phải có",
        ),
        (
            "strict = true", "strickt = true",
            "Tệp quy tắc “qd132-2018.toml”, mục “vote.strict”: bắt buộc phải có (“strickt” có "
            "phải là viết sai của mục này?)",
        ),
        (
            "self_remedied_exception = false", "self_remedied_exception = false\nfoo = 1",
            "Tệp quy tắc “qd132-2018.toml”, mục “checks[1].params.foo”: quy tắc “discipline” "
            "không có tham số này",
        ),
        (
            'name = "screening"\nseverity = "warning"', 'name = "screening"\nseverity = "blocking"',
            "mục “checks[10].severity”: quy tắc này chỉ được là cảnh báo",
        ),
        (
            'denominator = "official_not_exempt"', 'denominator = "all"',
            "mục “vote.denominator”: phải là một trong: “official_not_exempt”, "
            "“present_official”",
        ),
        (
            'base_level = "HTTNV"', 'base_level = "HTXSNV"',
            "mục “member_quota.level”: mức bị giới hạn phải cao hơn mức “HTXSNV”",
        ),
        (
            'code = "other"', 'code = "exempt"',
            "mục “not_classified[5].code”: mã lý do “exempt” bị trùng",
        ),
        ('last_year = 2022', 'last_year = 2010', "mục “last_year”: không được trước năm bắt đầu"),
        ("format = 1", "format = 2", "mục “format”: phiên bản định dạng 2 chưa được hỗ trợ"),
        (
            'confidence = "likely"', 'confidence = "maybe"',
            "mục “vote.confidence”: phải là một trong",
        ),
    ],
)  # fmt: skip
def test_malformed_file_names_file_and_key(old: str, new: str, message: str) -> None:
    with pytest.raises(RuleSetError) as info:
        load_changed(old, new)
    assert message in str(info.value)
    assert "Traceback" not in str(info.value)


def test_unknown_key_is_refused() -> None:
    with pytest.raises(RuleSetError, match=re.escape("mục “quorum.ghi_chu”: không có mục này")):
        load_changed("share = 0.5\n", 'share = 0.5\nghi_chu = "x"\n')


def test_duplicate_check_is_refused() -> None:
    text = qd132_text() + '\n[[checks]]\nname = "discipline"\nseverity = "blocking"\n'
    with pytest.raises(
        RuleSetError, match=re.escape("mục “checks[11].name”: quy tắc “discipline”")
    ):
        load_ruleset_text(text, "qd132-2018.toml")


def test_counts_as_must_name_a_level_of_the_same_tier() -> None:
    text = (rulesets_dir() / "hd27-2014.toml").read_text(encoding="utf-8")
    with pytest.raises(RuleSetError, match=re.escape("mục “org_levels[1].counts_as”")):
        load_ruleset_text(text.replace('counts_as = "TSVM"', 'counts_as = "HTTNV"'), "hd27.toml")
    with pytest.raises(RuleSetError, match=re.escape("mức “ABC” không có trong org_levels")):
        load_ruleset_text(text.replace('counts_as = "TSVM"', 'counts_as = "ABC"'), "hd27.toml")


def test_missing_required_reason() -> None:
    text = qd132_text().replace('code = "suspended"', 'code = "dinh_chi"')
    with pytest.raises(RuleSetError, match="mục “not_classified”: thiếu lý do “suspended”"):
        load_ruleset_text(text, "qd132-2018.toml")


def test_missing_vote_threshold_for_an_org_level() -> None:
    text = (rulesets_dir() / "hd27-2014.toml").read_text(encoding="utf-8")
    with pytest.raises(RuleSetError, match="thiếu tỷ lệ phiếu cho mức “YK”"):
        load_ruleset_text(text.replace(", YK = 0.5", ""), "hd27.toml")


def test_score_thresholds_must_fall_with_the_levels() -> None:
    text = (rulesets_dir() / "qd366-2025.toml").read_text(encoding="utf-8")
    with pytest.raises(RuleSetError, match=re.escape("mục “score.thresholds.HTTNV”")):
        load_ruleset_text(text.replace("HTTNV = 70", "HTTNV = 95"), "qd366-2025.toml")
    with pytest.raises(RuleSetError, match="phải bằng tổng điểm tối đa của hai phần"):
        load_ruleset_text(text.replace("total_max = 100", "total_max = 90"), "qd366-2025.toml")


def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "hong.toml"
    path.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(RuleSetError) as info:
        load_ruleset(path)
    assert str(info.value) == "Tệp quy tắc “hong.toml”: tệp không phải văn bản UTF-8"


def test_fraction_thresholds_are_exact() -> None:
    rs = load_ruleset_text(
        qd132_text().replace("{ HTXSNV = 0.5,", '{ HTXSNV = "2/3",', 1), "qd132-2018.toml"
    )
    assert rs.vote.thresholds["HTXSNV"] == Fraction(2, 3)
    assert 'HTXSNV = "2/3"' in ruleset_to_toml(rs)
    assert load_ruleset_text(ruleset_to_toml(rs), "x") == rs


# Copies and parameters -----------------------------------------------------------------------


def test_copy_with_changes() -> None:
    rs = ruleset("qd366-2025")
    copy = copy_ruleset(
        rs, "dien-bien-2025", "Điện Biên 2025",
        {
            "vote.thresholds.HTXSNV": "2/3",
            "eligibility.new_member_months": 3,
            "member_quota.rate": 0.15,
            "checks.sick_leave.params.months": 6,
            "checks.head_not_above_unit.severity": "blocking",
            "last_year": 2026,
        },
    )  # fmt: skip
    assert (copy.id, copy.name, copy.based_on) == ("dien-bien-2025", "Điện Biên 2025", rs.id)
    assert copy.vote.thresholds["HTXSNV"] == Fraction(2, 3)
    assert copy.eligibility.new_member_months == 3
    assert copy.member_quota is not None and copy.member_quota.rate == Fraction(15, 100)
    assert copy.check("sick_leave").params["months"] == 6
    assert copy.check("head_not_above_unit").severity == "blocking"
    assert copy.last_year == 2026
    assert load_ruleset_text(ruleset_to_toml(copy), "x") == copy
    # Nothing else changed.
    assert copy.check("discipline") == rs.check("discipline")
    assert copy_ruleset(copy, "b", "B", {"last_year": None}).last_year is None


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("member_quota.rate", 1.2, "mục “member_quota.rate”: phải là số từ 0 đến 1"),
        ("checks.sick_leave.params.months", 0, "mục “checks.sick_leave.params.months”: phải là số"),
        ("checks.sick_leave.params.days", 5, "mục “checks.sick_leave.params.days”: quy tắc"),
        ("checks.weak_org.params.cap", "YK", "bộ quy tắc không có quy tắc “weak_org”"),
        ("vote.thresholds.TSVM", 0.5, "mục “vote.thresholds.TSVM”: mức “TSVM” không có"),
        ("vote.quorum", 0.5, "mục “vote.quorum”: không có mục này"),
        ("org_levels.x", 1, "không điều chỉnh được"),
        ("checks.screening.severity", "blocking", "chỉ được là cảnh báo"),
        ("eligibility.suspended_not_classified", "có", "phải là true (có) hoặc false (không)"),
    ],
)
def test_copy_changes_are_validated_like_the_loader(path: str, value: object, message: str) -> None:
    with pytest.raises(RuleSetError) as info:
        copy_ruleset(ruleset("qd132-2018"), "ban-sao", "Bản sao", {path: value})
    assert message in str(info.value)
    assert str(info.value).startswith("Tệp quy tắc “ban-sao.toml”")


def test_copy_needs_a_new_valid_id() -> None:
    with pytest.raises(RuleSetError, match="mã khác"):
        copy_ruleset(ruleset("qd132-2018"), "qd132-2018", "x", {})
    with pytest.raises(RuleSetError, match="chữ thường"):
        copy_ruleset(ruleset("qd132-2018"), "Bản sao", "x", {})


@pytest.mark.parametrize("rs_id", RULESET_IDS)
def test_every_parameter_can_be_set_back_to_its_value(rs_id: str) -> None:
    rs = ruleset(rs_id)
    params = parameters(rs)
    assert params
    assert len({p.path for p in params}) == len(params)
    changes = {p.path: p.value for p in params}
    copy = copy_ruleset(rs, "ban-sao", "Bản sao", changes)
    assert parameters(copy) == params
    for p in params:
        assert p.label and p.group and p.confidence in ("sure", "likely", "unsure")


def test_parameters_show_vietnamese_labels_values_and_confidence() -> None:
    params = {p.path: p for p in parameters(ruleset("qd366-2025"))}
    months = params["eligibility.new_member_months"]
    assert months.text == "6 tháng"
    assert months.confidence == "unsure"
    assert params["member_quota.rate"].text == "20%"
    assert params["member_quota.rate"].confidence == "likely"
    assert params["vote.cascade"].confidence == "unsure"
    assert params["vote.thresholds.HTXSNV"].text == "50%"
    assert params["score.thresholds.HTXSNV"].text == "90 điểm"
    assert params["checks.discipline.params.cap"].text == "Không hoàn thành nhiệm vụ"
    assert params["checks.discipline.params.cap"].choices[0] == (
        "HTXSNV", "Hoàn thành xuất sắc nhiệm vụ",
    )  # fmt: skip
    assert params["member_quota.rounding"].text == "làm tròn xuống"
    hd27 = {p.path: p for p in parameters(ruleset("hd27-2014"))}
    assert hd27["member_quota.enabled"].value is False
    assert hd27["checks.discipline.params.cap"].confidence == "unsure"


# Discovery -----------------------------------------------------------------------------------


def test_discover_collects_broken_user_files(tmp_path: Path) -> None:
    good = copy_ruleset(ruleset("qd366-2025"), "tinh-2025", "Tỉnh 2025", {"quorum.share": "2/3"})
    (tmp_path / "tinh-2025.toml").write_text(ruleset_to_toml(good), encoding="utf-8")
    (tmp_path / "hong.toml").write_text("id = \n", encoding="utf-8")
    (tmp_path / "trung.toml").write_text(qd132_text(), encoding="utf-8")
    (tmp_path / "ghi-chu.txt").write_text("không phải quy tắc", encoding="utf-8")
    found, errors = discover_rulesets(rulesets_dir(), tmp_path, tmp_path / "khong-co")
    assert sorted(found) == sorted([*RULESET_IDS, "tinh-2025"])
    assert found["tinh-2025"] == good
    assert found["qd132-2018"].based_on is None
    assert sorted(e.source for e in errors) == ["hong.toml", "trung.toml"]
    assert any("trùng với bộ quy tắc đã có" in str(e) for e in errors)
    found_year = rulesets_for_year(found, 2025)
    assert [rs.id for rs in found_year] == ["qd366-2025", "tinh-2025"]
