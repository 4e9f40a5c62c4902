"""QĐ 366: the 100-point score and the conditions of each level; hd27's score, off by default."""

from __future__ import annotations

import pytest

from app.domain.rules import copy_ruleset, propose, validate
from tests.unit.rules.helpers import CELL, cell, commune, m, member, o, of_check, period, ruleset

QD366 = "qd366-2025"
ALL_MET = {"all_tasks_on_time": True, "tasks_exceeded_share": 0.35, "shortcomings_remedied": True}


def score_findings(level: str, general: float | None, tasks: float | None, **fields) -> list:
    p = period([member(1, score_general=general, score_tasks=tasks, **fields)])
    return of_check(validate(ruleset(QD366), p, {m(1): level}), "score")


def test_top_score_with_all_conditions_allows_htxsnv() -> None:
    assert score_findings("HTXSNV", 28, 67, **ALL_MET) == []


@pytest.mark.parametrize(
    ("general", "tasks", "level", "cap", "message"),
    [
        (25, 60, "HTXSNV", "HTTNV",
         "Đồng chí Lò Văn Pọm đạt 85 điểm, dưới 90 điểm cần cho mức Hoàn thành xuất sắc nhiệm "
         "vụ, nên chỉ được xếp loại tối đa Hoàn thành tốt nhiệm vụ."),
        (20, 40, "HTTNV", "HTNV",
         "Đồng chí Lò Văn Pọm đạt 60 điểm, dưới 70 điểm cần cho mức Hoàn thành tốt nhiệm vụ, nên "
         "chỉ được xếp loại tối đa Hoàn thành nhiệm vụ."),
        (20, 29.5, "HTNV", "KHTNV",
         "Đồng chí Lò Văn Pọm đạt 49,5 điểm, dưới 50 điểm cần cho mức Hoàn thành nhiệm vụ, nên "
         "phải xếp loại Không hoàn thành nhiệm vụ."),
    ],
)  # fmt: skip
def test_score_thresholds(general: float, tasks: float, level: str, cap: str, message: str) -> None:
    findings = score_findings(level, general, tasks, **ALL_MET)
    assert [(f.severity, f.level, f.message) for f in findings] == [("blocking", cap, message)]
    assert findings[0].citation == "Quy định 366-QĐ/TW ngày 30/8/2025, Điều 11"
    assert findings[0].confidence_note is None


def test_exactly_at_the_threshold_is_enough() -> None:
    assert score_findings("HTXSNV", 30, 60, **ALL_MET) == []
    assert score_findings("HTTNV", 20, 50, **ALL_MET) == []
    assert score_findings("HTNV", 20, 30, **ALL_MET) == []


def test_htxsnv_needs_thirty_percent_of_tasks_exceeded() -> None:
    findings = score_findings("HTXSNV", 30, 65, **(ALL_MET | {"tasks_exceeded_share": 0.29}))
    assert [f.level for f in findings] == ["HTTNV"]
    assert findings[0].message == (
        "Đồng chí Lò Văn Pọm đạt 95 điểm nhưng chưa có tỷ lệ nhiệm vụ vượt yêu cầu đủ mức quy "
        "định, nên chỉ được xếp loại tối đa Hoàn thành tốt nhiệm vụ."
    )
    assert score_findings("HTXSNV", 30, 65, **(ALL_MET | {"tasks_exceeded_share": 0.3})) == []


def test_httnv_and_htxsnv_need_every_task_on_time() -> None:
    late = ALL_MET | {"all_tasks_on_time": False}
    findings = score_findings("HTXSNV", 30, 65, **late)
    assert [f.level for f in findings] == ["HTNV"]
    assert "chưa 100% nhiệm vụ hoàn thành đúng tiến độ" in findings[0].message
    assert [f.level for f in score_findings("HTTNV", 25, 55, **late)] == ["HTNV"]


def test_shortcomings_not_remedied() -> None:
    findings = score_findings("HTXSNV", 30, 65, **(ALL_MET | {"shortcomings_remedied": False}))
    assert [f.level for f in findings] == ["HTTNV"]


def test_missing_score_is_a_warning_not_a_guess() -> None:
    findings = score_findings("HTTNV", None, 60)
    assert [(f.severity, f.level) for f in findings] == [("warning", None)]
    assert findings[0].message == (
        "Đồng chí Lò Văn Pọm: chưa có điểm chấm, nên chưa đối chiếu được mức Hoàn thành tốt "
        "nhiệm vụ."
    )
    # The lowest level needs no score.
    assert score_findings("KHTNV", None, None) == []


def test_unknown_conditions_are_a_warning() -> None:
    findings = score_findings("HTXSNV", 30, 65, all_tasks_on_time=True)
    assert [(f.severity, f.level) for f in findings] == [("warning", None)]
    assert findings[0].message == (
        "Chưa có thông tin “có tỷ lệ nhiệm vụ vượt yêu cầu đủ mức quy định”, “khắc phục xong "
        "hạn chế, khuyết điểm đã chỉ ra” (từ 30%) của đồng chí Lò Văn Pọm để xác nhận mức Hoàn "
        "thành xuất sắc nhiệm vụ."
    )


def test_score_out_of_range_is_a_warning() -> None:
    findings = score_findings("HTTNV", 35, 60)
    assert [f.severity for f in findings] == ["warning"]
    assert "điểm phần tiêu chí chung (35) ngoài khoảng 0–30" in findings[0].message


def test_organisations_are_scored_too() -> None:
    orgs = [commune(), cell(CELL, "Chi bộ bản Na Tông", score_general=20, score_tasks=45)]
    p = period([member(1)], orgs)
    findings = of_check(validate(ruleset(QD366), p, {o(CELL): "HTTNV"}), "score")
    assert [(f.subject, f.level) for f in findings] == [(o(CELL), "HTNV")]
    assert findings[0].message.startswith("Chi bộ bản Na Tông đạt 65 điểm, dưới 70 điểm")


@pytest.mark.parametrize("rs_id", ["hd27-2014", "qd132-2018", "qd124-2023"])
def test_other_regimes_do_not_use_a_score(rs_id: str) -> None:
    p = period([member(1, score_general=1, score_tasks=1)], year=2020)
    assert of_check(validate(ruleset(rs_id), p, {m(1): "HTTNV"}), "score") == []


def test_hd27_score_below_50_is_weak_when_turned_on() -> None:
    on = copy_ruleset(ruleset("hd27-2014"), "x", "x", {"score.enabled": True})
    weak = [commune(), cell(CELL, "Chi bộ bản Na Tông", score=45)]
    p = period([member(1)], weak, 2017)
    findings = of_check(validate(on, p, {o(CELL): "TSVM"}), "score")
    assert [f.level for f in findings] == ["YK"]
    assert findings[0].message == (
        "Chi bộ bản Na Tông đạt 45 điểm, dưới 50 điểm cần cho mức Trong sạch, vững mạnh, nên "
        "phải xếp loại Yếu kém."
    )
    assert of_check(validate(ruleset("hd27-2014"), p, {o(CELL): "TSVM"}), "score") == []
    fine = period([member(1)], [commune(), cell(CELL, score=55)], 2017)
    assert of_check(validate(on, fine, {o(CELL): "TSVM_TB"}), "score") == []
    # Members are not scored in hd27.
    assert of_check(validate(on, fine, {m(1): "HTXSNV"}), "score") == []


def test_the_items_behind_a_score_follow_the_cap_and_the_levels_reason() -> None:
    """Scored item by item, the score's finding and the level's reason repeat which items lost
    points (``score_detail``, filled by the services from the criteria set)."""
    detail = "Chấm từng mục (tự chấm theo “Bộ thử”, 88/100 điểm): Mục A.2 «Chấp hành»: 0/12 điểm."
    [finding] = score_findings("HTXSNV", 18, 70, score_detail=detail, **ALL_MET)
    assert finding.message == (
        "Đồng chí Lò Văn Pọm đạt 88 điểm, dưới 90 điểm cần cho mức Hoàn thành xuất sắc nhiệm "
        f"vụ, nên chỉ được xếp loại tối đa Hoàn thành tốt nhiệm vụ. {detail}"
    )
    [missing] = score_findings("HTTNV", 18, None, score_detail="Còn thiếu B.1.", **ALL_MET)
    assert missing.message.endswith(
        "chưa đối chiếu được mức Hoàn thành tốt nhiệm vụ. Còn thiếu B.1."
    )
    p = period([member(1, score_general=18, score_tasks=70, score_detail=detail, **ALL_MET)])
    reason = propose(ruleset(QD366), p).reasons[m(1)]
    assert reason == f"Theo điểm: 88 điểm → Hoàn thành tốt nhiệm vụ. {detail}"
