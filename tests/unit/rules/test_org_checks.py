"""R5–R10: caps on an organisation's level and on its leading collective."""

from __future__ import annotations

import pytest

from app.domain.rules import (
    OrgFacts,
    Subject,
    copy_ruleset,
    parameters,
    propose,
    validate,
)
from app.domain.vocabulary import DisciplineForm, OrgKind
from tests.unit.rules.helpers import (
    CELL,
    COMMUNE,
    RULESET_IDS,
    YEAR,
    blocking,
    c,
    cell,
    commune,
    disc,
    m,
    member,
    o,
    of_check,
    period,
    ruleset,
)

QD = ("qd132-2018", "qd124-2023", "qd366-2025")
LIKELY = "Theo cách làm phổ biến, chưa đối chiếu được toàn văn hướng dẫn; có thể điều chỉnh."


def cell_of(levels: list[str], org_level: str, rs_id: str, check: str, **cell_fields) -> list:
    """A cell whose members have *levels*, itself at *org_level*: the findings of *check*."""
    members = [member(i + 1) for i in range(len(levels))]
    p = period(members, [commune(), cell(CELL, "Chi bộ bản Na Tông", **cell_fields)], YEAR[rs_id])
    given: dict[Subject, str] = {m(i + 1): lv for i, lv in enumerate(levels)}
    given[o(CELL)] = org_level
    return of_check(validate(ruleset(rs_id), p, given), check)


# R5 --------------------------------------------------------------------------------------


@pytest.mark.parametrize("rs_id", QD)
def test_cell_httnv_needs_every_member_htnv_or_better(rs_id: str) -> None:
    levels = ["HTTNV"] * 8 + ["KHTNV"]
    findings = cell_of(levels, "HTTNV", rs_id, "org_members")
    assert [(f.subject, f.level) for f in findings] == [(o(CELL), "HTNV")]
    assert findings[0].message == (
        "Chi bộ bản Na Tông có 1 đảng viên xếp loại dưới mức Hoàn thành nhiệm vụ (Thào A Chứ), "
        "nên chỉ được xếp loại tối đa Hoàn thành nhiệm vụ."
    )
    assert cell_of(levels, "HTNV", rs_id, "org_members") == []
    assert (findings[0].confidence_note == LIKELY) is (rs_id != "qd132-2018")


@pytest.mark.parametrize("rs_id", QD)
def test_cell_httnv_needs_half_the_members_httnv_or_better(rs_id: str) -> None:
    findings = cell_of(["HTTNV"] * 4 + ["HTNV"] * 6, "HTXSNV", rs_id, "org_members")
    assert [f.level for f in findings] == ["HTNV"]
    assert findings[0].message == (
        "Chi bộ bản Na Tông chỉ có 4/10 đảng viên (40%) xếp loại từ Hoàn thành tốt nhiệm vụ trở "
        "lên, chưa đạt 50%, nên chỉ được xếp loại tối đa Hoàn thành nhiệm vụ."
    )
    assert cell_of(["HTXSNV"] + ["HTTNV"] * 4 + ["HTNV"] * 5, "HTTNV", rs_id, "org_members") == []


def test_committee_needs_its_subordinate_organisations() -> None:
    rs = ruleset("qd132-2018")
    orgs = [commune(government_lowest=True), *(cell(10 + i) for i in range(4))]
    p = period([member(1)], orgs, 2020)
    levels = {
        m(1): "HTTNV", o(COMMUNE): "HTTNV", o(10): "HTTNV", o(11): "HTNV", o(12): "HTNV",
        o(13): "KHTNV",
    }  # fmt: skip
    findings = of_check(validate(rs, p, levels), "org_members")
    assert [f.subject for f in findings] == [o(COMMUNE)] * 3
    assert findings[0].message.startswith(
        "Đảng bộ xã Na Tông có 1 tổ chức đảng trực thuộc xếp loại dưới mức Hoàn thành nhiệm vụ "
        "(Chi bộ bản 13)"
    )
    assert "chỉ có 1/4 tổ chức đảng trực thuộc (25%)" in findings[1].message
    assert findings[2].message.startswith("Chính quyền cùng cấp với Đảng bộ xã Na Tông")


# R6 --------------------------------------------------------------------------------------


@pytest.mark.parametrize("rs_id", QD)
def test_cell_with_3_of_9_khtnv_is_khtnv(rs_id: str) -> None:
    findings = cell_of(["HTTNV"] * 6 + ["KHTNV"] * 3, "HTNV", rs_id, "org_fail_share")
    assert [(f.severity, f.level) for f in findings] == [("blocking", "KHTNV")]
    assert findings[0].message == (
        "Chi bộ bản Na Tông có 3/9 đảng viên (33,33%) xếp loại Không hoàn thành nhiệm vụ, quá "
        "20%, nên phải xếp loại Không hoàn thành nhiệm vụ."
    )
    assert findings[0].confidence_note == LIKELY
    # Exactly 20% is not "more than 20%".
    assert cell_of(["HTTNV"] * 8 + ["KHTNV"] * 2, "HTNV", rs_id, "org_fail_share") == []


def test_fail_share_counts_only_classified_members() -> None:
    members = [member(1), member(2), member(3, exempt=True), member(4), member(5)]
    p = period(members, year=2020)
    levels = {m(1): "KHTNV", m(2): "HTTNV", m(4): "HTTNV", m(5): "HTTNV", o(CELL): "HTNV"}
    findings = of_check(validate(ruleset("qd132-2018"), p, levels), "org_fail_share")
    assert "có 1/4 đảng viên (25%)" in findings[0].message


@pytest.mark.parametrize("rs_id", QD)
def test_fail_share_leaves_out_members_without_a_level(rs_id: str) -> None:
    """domain.md §3.3 R6: "more than 20% of members KHTNV" counts over the members with a
    recorded level, the summary's base: a member recorded "Không xếp loại" (no level) is in
    neither part nor whole, so 1 KHTNV of 4 classified is 25%, over 20%."""
    members = [member(i + 1) for i in range(5)]
    p = period(members, year=YEAR[rs_id])
    levels = {m(1): "KHTNV", m(2): "HTTNV", m(3): "HTTNV", m(4): "HTTNV", o(CELL): "HTNV"}
    findings = of_check(validate(ruleset(rs_id), p, levels), "org_fail_share")
    assert [(f.subject, f.severity, f.level) for f in findings] == [(o(CELL), "blocking", "KHTNV")]
    assert findings[0].message == (
        "Chi bộ bản Na Tông có 1/4 đảng viên (25%) xếp loại Không hoàn thành nhiệm vụ, quá "
        "20%, nên phải xếp loại Không hoàn thành nhiệm vụ."
    )
    # The fifth member classified HTTNV: 1/5 is exactly 20%, not over it.
    levels[m(5)] = "HTTNV"
    assert of_check(validate(ruleset(rs_id), p, levels), "org_fail_share") == []


@pytest.mark.parametrize("rs_id", QD)
def test_good_share_leaves_out_members_without_a_level(rs_id: str) -> None:
    """domain.md §3.3 R5: "≥ 50% HTTNV or better" counts over the members with a recorded
    level: 2 HTTNV and 2 HTNV with two members not classified is 2/4 = 50%, enough."""
    members = [member(i + 1) for i in range(6)]
    p = period(members, year=YEAR[rs_id])
    levels = {m(1): "HTTNV", m(2): "HTTNV", m(3): "HTNV", m(4): "HTNV", o(CELL): "HTTNV"}
    assert of_check(validate(ruleset(rs_id), p, levels), "org_members") == []
    levels[m(5)] = "HTNV"  # 2/5 = 40%
    findings = of_check(validate(ruleset(rs_id), p, levels), "org_members")
    assert [f.level for f in findings] == ["HTNV"]
    assert "chỉ có 2/5 đảng viên (40%) xếp loại từ Hoàn thành tốt nhiệm vụ trở lên" in (
        findings[0].message
    )


def test_hd27_weak_cell_share_leaves_out_members_without_a_level() -> None:
    """domain.md §3.3 R10: hd27's "more than half the members KHTNV" counts over the members
    with a recorded level: 2 of 3 classified (the fourth without a level) is over half."""
    members = [member(i + 1) for i in range(4)]
    p = period(members, year=2017)
    levels = {m(1): "KHTNV", m(2): "KHTNV", m(3): "HTTNV", o(CELL): "HTNV"}
    findings = of_check(validate(ruleset("hd27-2014"), p, levels), "weak_org")
    assert [(f.subject, f.level) for f in findings] == [(o(CELL), "YK")]
    assert findings[0].message.startswith(
        "Chi bộ bản Na Tông có 2/3 đảng viên (66,67%) xếp loại Không hoàn thành nhiệm vụ, quá 50%"
    )


# R7 --------------------------------------------------------------------------------------


@pytest.mark.parametrize("rs_id", QD)
def test_disciplined_member_keeps_the_cell_from_htxsnv(rs_id: str) -> None:
    year = YEAR[rs_id]
    members = [member(1, disciplines=(disc(year),)), member(2)]
    p = period(members, year=year)
    given = {m(1): "KHTNV", m(2): "HTTNV", o(CELL): "HTXSNV"}
    findings = of_check(validate(ruleset(rs_id), p, given), "org_discipline")
    assert [(f.subject, f.level) for f in findings] == [(o(CELL), "HTTNV")]
    assert findings[0].message == (
        f"Chi bộ bản Na Tông có 1 đảng viên bị kỷ luật trong năm {year} (Lò Văn Pọm), nên chỉ "
        "được xếp loại tối đa Hoàn thành tốt nhiệm vụ."
    )
    # The third-child cell can still be HTNV: the cell itself was not disciplined (R7).
    assert of_check(validate(ruleset(rs_id), p, {**given, o(CELL): "HTNV"}), "org_discipline") == []


@pytest.mark.parametrize("rs_id", RULESET_IDS)
def test_disciplined_organisation_is_at_the_bottom(rs_id: str) -> None:
    rs, year = ruleset(rs_id), YEAR[rs_id]
    lowest = rs.org_levels.lowest
    p = period([member(1)], [commune(), cell(disciplines=(disc(year, 6, 1),))], year)
    findings = of_check(validate(rs, p, {o(CELL): "HTNV"}), "org_discipline")
    assert [f.level for f in findings] == [lowest.code]
    assert findings[0].message == (
        f"Chi bộ bản {CELL} bị kỷ luật khiển trách ngày 01/06/{year}, nên phải xếp loại "
        f"{lowest.name}."
    )


def test_hd27_disciplined_member_keeps_the_cell_from_tsvm() -> None:
    p = period([member(1, disciplines=(disc(2017),))], year=2017)
    for level in ("TSVM", "TSVM_TB"):
        findings = of_check(validate(ruleset("hd27-2014"), p, {o(CELL): level}), "org_discipline")
        assert [f.level for f in findings] == ["HTTNV"]
        assert findings[0].confidence_note is not None


def commune_discipline(rs_id: str, who: str) -> list:
    """The commune at its top level with *who* disciplined in the year: "member" (an
    ordinary member of a cell), "collective" (a member of the commune's leading collective)
    or "unit" (a cell): the org_discipline findings on the commune."""
    rs, year = ruleset(rs_id), YEAR[rs_id]
    top = rs.org_levels.highest.code
    punished = (disc(year, 5, 10),)
    members = [
        member(1, disciplines=punished if who == "member" else ()),
        member(2, collective_org_id=COMMUNE, disciplines=punished if who == "collective" else ()),
    ]
    cells = [cell(CELL, "Chi bộ bản Na Tông", disciplines=punished if who == "unit" else ())]
    p = period(members, [commune(), *cells], year)
    findings = of_check(validate(rs, p, {o(COMMUNE): top}), "org_discipline")
    return [f for f in findings if f.subject == o(COMMUNE)]


COMMITTEE_RULES = [
    # (rule set, parties that keep the commune from its top level)
    ("hd27-2014", {"member", "collective", "unit"}),
    ("qd132-2018", {"member", "collective", "unit"}),
    ("qd124-2023", {"member", "collective", "unit"}),
    ("qd366-2025", {"collective", "unit"}),
]


@pytest.mark.parametrize(("rs_id", "parties"), COMMITTEE_RULES)
def test_commune_kept_from_the_top_level_by_the_parties_of_its_rule_set(
    rs_id: str, parties: set[str]
) -> None:
    """domain.md §3.1 (QĐ 366: HTXSNV needs no subordinate unit and no member of the leading
    collective disciplined) and §3.3 R7: which disciplined parties cap the commune is the
    parameter ``committee_parties``; qd366 lists the subordinate units and the collective's
    members, the older rule sets keep any member and the subordinate units."""
    year = YEAR[rs_id]
    cap = ruleset(rs_id).org_levels.best_at_tier(2)
    for who in ("member", "collective", "unit"):
        findings = commune_discipline(rs_id, who)
        if who not in parties:
            assert findings == [], who
            continue
        assert [(f.severity, f.level) for f in findings] == [("blocking", cap.code)], who
        why = {
            "member": f"Đảng bộ xã Na Tông có 1 đảng viên bị kỷ luật trong năm {year} (Lò Văn Pọm)",
            "collective": f"Ban Thường vụ Đảng ủy xã Na Tông có ủy viên bị kỷ luật trong năm "
            f"{year} (Giàng A Páo)",
            "unit": f"Đảng bộ xã Na Tông có tổ chức đảng trực thuộc bị kỷ luật trong năm {year} "
            "(Chi bộ bản Na Tông)",
        }[who]
        if who == "collective" and "member" in parties:
            # Any member counts as well: the collective's member is named as a member.
            assert findings[0].message.startswith(
                f"Đảng bộ xã Na Tông có 1 đảng viên bị kỷ luật trong năm {year} (Giàng A Páo)"
            )
            continue
        assert findings[0].message == f"{why}, nên chỉ được xếp loại tối đa {cap.name}."


def test_committee_parties_parameter_is_listed_with_its_citation() -> None:
    """domain.md §3.1: the parties are a rule-set parameter, with a Vietnamese label,
    the check's citation and its confidence (sure in qd366, unsure before)."""
    found = {
        rs_id: next(
            p
            for p in parameters(ruleset(rs_id))
            if p.path == "checks.org_discipline.params.committee_parties"
        )
        for rs_id in RULESET_IDS
    }
    qd366 = found["qd366-2025"]
    assert qd366.label == "Đảng bộ (xã) không được mức cao nhất khi bị kỷ luật trong năm"
    assert qd366.value == ("subordinate_units", "collective_members")
    assert qd366.text == "tổ chức đảng trực thuộc, ủy viên tập thể lãnh đạo (cấp ủy)"
    assert (qd366.confidence, qd366.citation) == (
        "sure",
        "Quy định 366-QĐ/TW ngày 30/8/2025, Điều 11",
    )
    for rs_id in ("hd27-2014", "qd132-2018", "qd124-2023"):
        assert found[rs_id].value == ("subordinate_units", "any_member")
        assert found[rs_id].confidence == "unsure"


def test_committee_parties_adjusted_in_a_copy() -> None:
    """domain.md §3.3 R7: a province that reads QĐ 366 more broadly adds any member."""
    rs = copy_ruleset(
        ruleset("qd366-2025"),
        "tinh",
        "Tỉnh",
        {"checks.org_discipline.params.committee_parties": ("any_member",)},
    )
    p = period([member(1, disciplines=(disc(2025),))], year=2025)
    findings = of_check(validate(rs, p, {o(COMMUNE): "HTXSNV"}), "org_discipline")
    assert [(f.subject, f.level) for f in findings] == [(o(COMMUNE), "HTTNV")]


# R8 --------------------------------------------------------------------------------------


def collective_findings(rs_id: str, org: OrgFacts, members, children=()) -> list:
    p = period(members, [commune(), org, *children], YEAR[rs_id])
    return of_check(validate(ruleset(rs_id), p, {c(org.org_id): "HTTNV"}), "leading_collective")


@pytest.mark.parametrize("rs_id", QD)
def test_leading_collective(rs_id: str) -> None:
    year = YEAR[rs_id]
    plain = [member(1, heads_org_id=CELL), member(2, collective_org_id=CELL), member(3)]
    assert collective_findings(rs_id, cell(), plain) == []
    findings = collective_findings(rs_id, cell(collective_disciplines=(disc(year),)), plain)
    assert [(f.subject, f.level) for f in findings] == [(c(CELL), "KHTNV")]
    assert findings[0].message == (
        f"Chi ủy chi bộ bản {CELL} bị kỷ luật khiển trách ngày 05/03/{year}, nên phải xếp loại "
        "Không hoàn thành nhiệm vụ."
    )
    # A committee member reprimanded: not enough; warned: the collective is KHTNV.
    reprimanded = [member(2, collective_org_id=CELL, disciplines=(disc(year),))]
    assert collective_findings(rs_id, cell(), reprimanded) == []
    warned = [
        member(2, collective_org_id=CELL, disciplines=(disc(year, form=DisciplineForm.WARNING),))
    ]
    findings = collective_findings(rs_id, cell(), warned)
    assert findings[0].message.startswith(
        f"Chi ủy chi bộ bản {CELL} có Đồng chí Giàng A Páo bị kỷ luật cảnh cáo"
    )
    head_warned = [
        member(1, heads_org_id=CELL, disciplines=(disc(year, form=DisciplineForm.DISMISSAL),))
    ]
    assert len(collective_findings(rs_id, cell(), head_warned)) == 1
    findings = collective_findings(rs_id, cell(disunity=True, tasks_below_half=True), plain)
    assert [f.message.split(",")[0] for f in findings] == [
        f"Chi bộ bản {CELL} được kết luận mất đoàn kết nội bộ",
        f"Chi bộ bản {CELL} hoàn thành dưới 50% chỉ tiêu",
    ]


@pytest.mark.parametrize(
    ("rs_id", "applies"), [("qd132-2018", False), ("qd124-2023", True), ("qd366-2025", True)]
)
def test_collective_with_many_disciplined_subordinates(rs_id: str, applies: bool) -> None:
    year = YEAR[rs_id]
    children = [cell(20 + i, disciplines=(disc(year),) if i < 2 else ()) for i in range(9)]
    findings = collective_findings(rs_id, commune(), [member(1, cell=20)], children)
    assert bool(findings) is applies
    if applies:
        assert findings[0].subject == c(COMMUNE)
        assert findings[0].message == (
            "Đảng bộ xã Na Tông có 2/9 tổ chức đảng trực thuộc (22,22%) bị kỷ luật trong năm "
            f"{year}, quá 20%, nên phải xếp loại Không hoàn thành nhiệm vụ."
        )
        assert c(COMMUNE) == findings[0].subject
    # 1 of 5 is exactly 20%: not more.
    children = [cell(20 + i, disciplines=(disc(year),) if i < 1 else ()) for i in range(5)]
    assert collective_findings(rs_id, commune(), [member(1, cell=20)], children) == []


def test_collective_names() -> None:
    p = period([member(1)], [commune(collective_disciplines=(disc(2020),)), cell()], 2020)
    findings = validate(ruleset("qd132-2018"), p, {c(COMMUNE): "HTNV"})
    assert findings[0].message.startswith("Ban Thường vụ Đảng ủy xã Na Tông bị kỷ luật")
    partial = cell(30, "Đảng bộ bộ phận Trường học", kind=OrgKind.PARTIAL_COMMITTEE, disunity=True)
    p = period([member(1)], [commune(), cell(), partial], 2020)
    findings = validate(ruleset("qd132-2018"), p, {c(30): "HTNV"})
    assert findings[0].message.startswith("Đảng bộ bộ phận Trường học được kết luận mất đoàn kết")


# R9 --------------------------------------------------------------------------------------


@pytest.mark.parametrize("rs_id", RULESET_IDS)
def test_head_not_above_the_unit(rs_id: str) -> None:
    rs = ruleset(rs_id)
    p = period([member(1, heads_org_id=CELL)], year=YEAR[rs_id])
    top_org = rs.org_levels.highest.code
    findings = of_check(validate(rs, p, {m(1): "HTXSNV", o(CELL): "HTTNV"}), "head_not_above_unit")
    assert [(f.subject, f.severity, f.level) for f in findings] == [(m(1), "warning", "HTTNV")]
    assert findings[0].message == (
        "Đồng chí Lò Văn Pọm là người đứng đầu Chi bộ bản Na Tông, mà Chi bộ bản Na Tông xếp "
        "loại Hoàn thành tốt nhiệm vụ, nên chỉ được xếp loại tối đa Hoàn thành tốt nhiệm vụ."
    )
    assert findings[0].confidence_note == LIKELY
    assert (
        of_check(validate(rs, p, {m(1): "HTXSNV", o(CELL): top_org}), "head_not_above_unit") == []
    )


# R10 -------------------------------------------------------------------------------------


def test_hd27_weak_cell_with_more_than_half_khtnv() -> None:
    findings = cell_of(["KHTNV"] * 6 + ["HTNV"] * 4, "HTNV", "hd27-2014", "weak_org")
    assert [(f.level, f.confidence_note) for f in findings] == [("YK", None)]
    assert findings[0].message == (
        "Chi bộ bản Na Tông có 6/10 đảng viên (60%) xếp loại Không hoàn thành nhiệm vụ, quá 50%, "
        "nên phải xếp loại Yếu kém."
    )
    assert cell_of(["KHTNV"] * 5 + ["HTNV"] * 5, "HTNV", "hd27-2014", "weak_org") == []


def test_hd27_weak_committee_with_more_than_a_third_weak_cells() -> None:
    rs = ruleset("hd27-2014")
    p = period([member(1)], [commune(), *(cell(10 + i) for i in range(6))], 2017)
    levels = {o(10 + i): lv for i, lv in enumerate(["YK", "YK", "HTNV", "HTNV", "TSVM", "HTTNV"])}
    assert of_check(validate(rs, p, {**levels, o(COMMUNE): "HTNV"}), "weak_org") == []
    levels[o(12)] = "YK"
    findings = of_check(validate(rs, p, {**levels, o(COMMUNE): "HTNV"}), "weak_org")
    assert [(f.subject, f.level) for f in findings] == [(o(COMMUNE), "YK")]
    assert (
        "có 3/6 tổ chức đảng trực thuộc (50%) xếp loại Yếu kém, quá 33,33%" in findings[0].message
    )


def test_hd27_weak_flags() -> None:
    findings = cell_of(
        ["HTTNV"], "TSVM", "hd27-2014", "weak_org",
        disunity=True, member_degradation_disciplined=True, government_lowest=True,
        mass_orgs_lowest=2,
    )  # fmt: skip
    assert len(findings) == 4
    assert all(f.level == "YK" for f in findings)
    assert findings[1].message == (
        "Chi bộ bản Na Tông có đảng viên bị kỷ luật do tham nhũng, suy thoái, nên phải xếp loại "
        "Yếu kém."
    )
    assert cell_of(["HTTNV"], "TSVM", "hd27-2014", "weak_org", mass_orgs_lowest=1) == []


# QĐ 366: tasks behind schedule --------------------------------------------------------------


@pytest.mark.parametrize("given", ["HTXSNV", "HTTNV", "HTNV"])
def test_qd366_more_than_a_fifth_of_tasks_late_is_below_htnv(given: str) -> None:
    """domain.md §3.1 (QĐ 366 level table, collective HTNV: tasks behind schedule ≤ 20%):
    a cell with a known 25% of tasks late cannot be HTNV or better, so it is KHTNV."""
    findings = cell_of(["HTTNV"] * 3, given, "qd366-2025", "tasks_late", tasks_late_share=0.25)
    assert [(f.subject, f.severity, f.level) for f in findings] == [(o(CELL), "blocking", "KHTNV")]
    assert findings[0].message == (
        "Chi bộ bản Na Tông có 25% nhiệm vụ chậm tiến độ, quá 20% (điều kiện của mức Hoàn "
        "thành nhiệm vụ), nên phải xếp loại Không hoàn thành nhiệm vụ."
    )
    assert findings[0].citation == (
        "Quy định 366-QĐ/TW ngày 30/8/2025, Điều 11 (điều kiện xếp loại tập thể Hoàn thành "
        "nhiệm vụ)"
    )
    assert findings[0].confidence_note is None


@pytest.mark.parametrize("late", [None, 0.0, 0.2])
def test_qd366_late_share_at_most_a_fifth_or_unknown_does_not_count(late: float | None) -> None:
    """domain.md §3.1: exactly 20% late meets "≤ 20%"; an unknown share never counts."""
    assert cell_of(["HTTNV"] * 3, "HTNV", "qd366-2025", "tasks_late", tasks_late_share=late) == []


def test_qd366_late_share_threshold_is_a_parameter() -> None:
    """domain.md §3.1: the 20% is a rule-set parameter with the check's citation."""
    rs = ruleset("qd366-2025")
    listed = {p.path: p for p in parameters(rs)}
    share = listed["checks.tasks_late.params.share"]
    assert (share.label, share.text, share.confidence) == (
        "Tỷ lệ nhiệm vụ chậm tiến độ tối đa",
        "20%",
        "sure",
    )
    looser = copy_ruleset(rs, "x", "x", {"checks.tasks_late.params.share": 0.3})
    p = period([member(1)], [commune(), cell(tasks_late_share=0.25)], 2025)
    assert of_check(validate(looser, p, {o(CELL): "HTNV"}), "tasks_late") == []
    assert [f.level for f in of_check(validate(rs, p, {o(CELL): "HTNV"}), "tasks_late")] == [
        "KHTNV"
    ]


def test_qd366_late_share_caps_the_proposal() -> None:
    """domain.md §3.1: the engine's proposal moves a cell voted HTNV with 40% of tasks late
    down to KHTNV. The reason code NV stays the user's own choice (a member's tasks not
    completed), so it is not tied to the check and the reason choosers keep offering it."""
    rs = ruleset("qd366-2025")
    p = period([member(1)], [commune(), cell(tasks_late_share=0.4, self_level="HTNV")], 2025)
    proposal = propose(rs, p)
    assert proposal.levels[o(CELL)] == "KHTNV"
    assert [f.check for f in proposal.findings if f.subject == o(CELL)][:1] == ["tasks_late"]
    assert any(r.code == "NV" and not r.checks for r in rs.low_levels.reasons)


# Which regime has which check --------------------------------------------------------------


@pytest.mark.parametrize(
    ("check", "regimes"),
    [
        ("org_members", QD),
        ("org_fail_share", QD),
        ("leading_collective", QD),
        ("weak_org", ("hd27-2014",)),
        ("org_discipline", RULESET_IDS),
        ("tasks_late", ("qd366-2025",)),
        ("head_not_above_unit", RULESET_IDS),
        ("discipline", RULESET_IDS),
        ("degradation", RULESET_IDS),
        ("civil_servant", RULESET_IDS),
        ("sick_leave", RULESET_IDS),
        ("screening", RULESET_IDS),
    ],
)
def test_which_regime_has_which_check(check: str, regimes: tuple[str, ...]) -> None:
    for rs_id in RULESET_IDS:
        assert (ruleset(rs_id).check(check) is not None) is (rs_id in regimes), rs_id


def test_hd27_has_no_r5_r6_caps() -> None:
    """In hd27 a cell with 3/9 KHTNV members is not capped by R6 (only > 1/2 makes it YK)."""
    findings = cell_of(["HTTNV"] * 6 + ["KHTNV"] * 3, "TSVM", "hd27-2014", "weak_org")
    assert findings == []
    members = [member(i + 1) for i in range(9)]
    p = period(members, year=2017)
    given = {m(i + 1): "HTTNV" for i in range(6)} | {m(i + 7): "KHTNV" for i in range(3)}
    assert blocking(validate(ruleset("hd27-2014"), p, {**given, o(CELL): "TSVM"})) == []
