"""Which reason explains a low or capped level: the text printed beside a level, which levels
must carry a reason, and the reason the rule engine finds for a capped member on its own."""

from __future__ import annotations

import dataclasses

from app.domain.rules import Finding
from app.domain.rules.low_reasons import (
    engine_reason,
    is_low,
    needs_reason,
    reason,
    reason_for_findings,
    reason_text,
)
from tests.unit.rules.helpers import disc, m, member, o, period, ruleset


def cap(subject, check: str, level: str | None) -> Finding:
    return Finding("blocking", subject, check, level, "bị giới hạn", "Quy định")


def test_a_reason_is_printed_with_its_code_and_label() -> None:
    rs = ruleset("qd366-2025")
    assert reason_text(rs, "R1") == "R1: Bị kỷ luật trong năm"
    assert reason_text(rs, "TYLE") == "TYLE: Vượt tỷ lệ hoàn thành xuất sắc nhiệm vụ, chuyển xuống"
    found = reason(rs, "R4")
    assert found is not None and found.label == "Nghỉ ốm dài ngày trong năm"
    # A code the rule set does not know (an older file, a typing slip) is printed bare.
    assert reason(rs, "R99") is None and reason_text(rs, "R99") == "R99"
    assert reason(rs, "") is None and reason_text(rs, "") == ""
    bare = dataclasses.replace(rs, low_levels=None)
    assert reason(bare, "R1") is None and reason_text(bare, "R1") == "R1"


def test_low_is_judged_on_the_subjects_own_scale() -> None:
    # The 2014 rules grade organisations on a scale of their own (TSVM … YK): a member's
    # HTNV is low; the same code asked of an organisation is not one of its levels.
    rs = ruleset("hd27-2014")
    assert is_low(rs, "member", "HTNV") and is_low(rs, "member", "KHTNV")
    assert not is_low(rs, "member", "YK")
    assert is_low(rs, "org", "YK")
    assert not is_low(rs, "org", "KHTNV") and not is_low(rs, "org", "TSVM")


def test_a_reason_is_required_for_the_listed_levels_of_the_subjects_scale() -> None:
    rs = ruleset("hd27-2014")  # required_for = KHTNV (members) and YK (organisations)
    assert needs_reason(rs, "member", "KHTNV")
    assert not needs_reason(rs, "member", "HTNV")
    assert not needs_reason(rs, "member", None)
    assert not needs_reason(rs, "member", "YK")  # an organisation's level, not a member's
    assert needs_reason(rs, "org", "YK")
    assert not needs_reason(rs, "org", "KHTNV")
    assert not needs_reason(dataclasses.replace(rs, low_levels=None), "member", "KHTNV")


def test_the_first_reason_whose_check_caps_the_subject_at_that_level() -> None:
    rs = ruleset("qd366-2025")
    one, other = m(1), m(2)
    findings = [
        cap(one, "sick_leave", "HTNV"),  # R4
        cap(one, "degradation", "KHTNV"),  # R2
        cap(other, "discipline", "KHTNV"),  # R1, but of another member
    ]
    assert reason_for_findings(rs, findings, one, "KHTNV") == "R2"
    assert reason_for_findings(rs, findings, one, "HTNV") == "R4"
    assert reason_for_findings(rs, findings, other, "KHTNV") == "R1"
    assert reason_for_findings(rs, findings, other, "HTNV") is None
    # Both reasons apply: the rule set's order decides (R1 before R2).
    both = [*findings, cap(one, "discipline", "KHTNV")]
    assert reason_for_findings(rs, both, one, "KHTNV") == "R1"
    # A member's check never gives an organisation's reason, nor the other way round.
    assert reason_for_findings(rs, [cap(o(10), "discipline", "KHTNV")], o(10), "KHTNV") is None
    assert reason_for_findings(rs, [cap(o(10), "org_discipline", "KHTNV")], o(10), "KHTNV") == "R7"
    assert reason_for_findings(rs, [cap(one, "org_discipline", "KHTNV")], one, "KHTNV") is None


def test_the_engine_names_the_reason_of_a_cap_it_checks() -> None:
    rs = ruleset("qd366-2025")
    facts = period([member(1, disciplines=(disc(2025),)), member(2)])
    levels = {m(1): "KHTNV", m(2): "HTTNV"}
    assert engine_reason(rs, facts, levels, m(1), "KHTNV") == "R1"
    # The cap is KHTNV: at another level the discipline is not what put the member there.
    assert engine_reason(rs, facts, levels, m(1), "HTNV") is None
    assert engine_reason(rs, facts, levels, m(2), "HTTNV") is None
    # A quota trim is a reason only when the proposal says it made one (``extra``).
    trim = cap(m(2), "member_quota", "HTTNV")
    assert engine_reason(rs, facts, levels, m(2), "HTTNV", extra=[trim]) == "TYLE"


def test_the_engine_alone_never_calls_a_level_a_quota_trim() -> None:
    # Six members proposed HTXSNV where the quota allows one: the engine's quota check
    # caps them, but which of them the commune trims is the proposal's choice, not a reason
    # the engine can give a member by itself.
    rs = ruleset("qd366-2025")
    facts = period([member(i) for i in range(1, 11)])
    levels = {m(i): ("HTXSNV" if i <= 6 else "HTTNV") for i in range(1, 11)}
    levels[m(6)] = "HTTNV"
    assert engine_reason(rs, facts, levels, m(6), "HTTNV") is None
    # The quota's own finding stands on the commune, at the limited level: still no reason.
    assert engine_reason(rs, facts, levels, o(1), "HTXSNV") is None


def test_the_engine_tries_the_subject_at_the_top_of_its_own_scale() -> None:
    # Under the 2014 rules a disciplined member is capped at HTNV; an organisation's top
    # level (TSVM_TB) is no member level, so trying the member there would find no cap.
    rs = ruleset("hd27-2014")
    facts = period([member(1, disciplines=(disc(2014),))], year=2014)
    assert engine_reason(rs, facts, {m(1): "HTNV"}, m(1), "HTNV") == "R1"
