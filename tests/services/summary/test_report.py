"""The summary service: hd27 levels with "trong đó … tiêu biểu" and Yếu kém, reasons, shares
in Vietnamese format, HTXSNV of HTTNV, the screening list, year over year, drill-down."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from app.services.common.errors import NotFound
from app.services.periods import lifecycle as periods
from app.services.periods import rule_sets as rulesets
from app.services.summary import report as summary
from app.store.database import Database
from app.store.models import Member, MemberEvaluation, Organization, OrgEvaluation


def percent(part: int, whole: int) -> str:
    """The expected share as reports print it (two decimals, trailing zeros dropped), worked
    out here rather than with the app's formatter."""
    hundredths = (part * 10000 * 2 + whole) // (whole * 2)  # half up, in 1/100 of a percent
    whole_part, fraction = divmod(hundredths, 100)
    decimals = f"{fraction:02d}".rstrip("0")
    return f"{whole_part},{decimals}%" if decimals else f"{whole_part}%"


@dataclass
class Year:
    members: dict[int, str]  # member id → level
    orgs: dict[str, str]  # cell code → level


def _set(
    db: Database, year: int, members: dict[int, str], orgs: dict[str, str], stage: str = "decided"
) -> None:
    column = f"{stage}_level"
    with db.session() as session:
        period = periods.find(session, year)
        codes = dict(session.execute(select(Organization.code, Organization.id)).all())
        for row in session.scalars(
            select(MemberEvaluation).where(MemberEvaluation.period_id == period.id)
        ):
            if row.member_id in members:
                setattr(row, column, members[row.member_id])
        for row in session.scalars(
            select(OrgEvaluation).where(
                OrgEvaluation.period_id == period.id, OrgEvaluation.subject == "org"
            )
        ):
            for code, level in orgs.items():
                if codes[code] == row.org_id:
                    setattr(row, column, level)


def _evaluated(db: Database, year: int) -> list[int]:
    with db.session() as session:
        period = periods.find(session, year)
        return list(
            session.scalars(
                select(MemberEvaluation.member_id)
                .where(MemberEvaluation.period_id == period.id, MemberEvaluation.evaluated)
                .order_by(MemberEvaluation.member_id)
            )
        )


VILLAGES = [f"CB{n:02d}" for n in range(1, 28)]  # the demo's 27 village cells
ORGS_2017 = {
    **dict.fromkeys(VILLAGES[:3], "TSVM_TB"),
    **dict.fromkeys(VILLAGES[3:8], "TSVM"),
    **dict.fromkeys(VILLAGES[8:23], "HTTNV"),
    **dict.fromkeys(VILLAGES[23:26], "HTNV"),
    VILLAGES[26]: "YK",
}


@pytest.fixture
def history(any_db: Database) -> tuple[Database, Year, Year]:
    """2017 decided under hd27; 2018 proposed (not decided) under qd132."""
    found = []
    for year in (2017, 2018):
        periods.create_period(any_db, year, rulesets.default_for_year(year), dt.date(year, 12, 31))
    ids = _evaluated(any_db, 2017)
    levels_2017 = {}
    for index, member_id in enumerate(ids):
        levels_2017[member_id] = (
            "KHTNV"
            if index % 50 == 0
            else "HTXSNV"
            if index % 7 == 1
            else "HTNV"
            if index % 11 == 2
            else "HTTNV"
        )
    _set(any_db, 2017, levels_2017, ORGS_2017)
    found.append(Year(levels_2017, ORGS_2017))
    ids_2018 = _evaluated(any_db, 2018)
    khtnv_2017 = [m for m in ids if levels_2017[m] == "KHTNV" and m in ids_2018]
    levels_2018 = {}
    for index, member_id in enumerate(ids_2018):
        levels_2018[member_id] = "HTXSNV" if index % 4 == 0 else "HTTNV"
    levels_2018[khtnv_2017[0]] = "KHTNV"  # two years running: screening list
    levels_2018[khtnv_2017[1]] = "HTNV"  # better this year: not on it
    orgs_2018 = dict.fromkeys(VILLAGES[:10], "HTXSNV") | dict.fromkeys(VILLAGES[10:], "HTTNV")
    _set(any_db, 2018, levels_2018, orgs_2018, stage="proposed")
    found.append(Year(levels_2018, orgs_2018))
    return any_db, found[0], found[1]


def test_hd27_counts_the_exemplary_inside_tsvm_and_shows_yeu_kem(
    history: tuple[Database, Year, Year],
) -> None:
    db, year_2017, _ = history
    s = summary.summarize(db, 2017)
    assert s.unit.code == "XNT" and s.ruleset_id == "hd27-2014" and s.subordinate is None
    orgs = s.organisations
    assert orgs is not None and orgs.title == "Tổ chức đảng trực thuộc"
    assert (orgs.total, orgs.evaluated) == (35, 34)  # the party office's cell: formed 2025
    assert [f.code for f in orgs.levels] == ["TSVM", "HTTNV", "HTNV", "YK"]
    tsvm = orgs.levels[0]
    # The shares' base: those evaluated; those still without a level are a line of their own
    # with a share of the same base, not left out of it.
    assert orgs.pending > 0 and tsvm.evaluated == orgs.evaluated
    assert (tsvm.count, tsvm.share) == (8, percent(8, orgs.evaluated))
    assert tsvm.of_which is not None and tsvm.of_which.short == "TSVM tiêu biểu"
    assert (tsvm.of_which.count, tsvm.of_which.share) == (3, percent(3, orgs.evaluated))
    assert orgs.has_pending and orgs.pending_share == percent(orgs.pending, orgs.evaluated)
    assert sum(f.count for f in orgs.levels) + orgs.pending == orgs.evaluated
    weak = orgs.level("YK")
    assert weak is not None and weak.name == "Yếu kém" and weak.count == 1
    assert [(r.label, r.count) for r in orgs.not_evaluated] == [("Mới thành lập dưới 6 tháng", 1)]
    counts = Counter(year_2017.members.values())
    members = s.members
    assert members.evaluated == len(year_2017.members)
    for code in ("HTXSNV", "HTTNV", "HTNV", "KHTNV"):
        figure = members.level(code)
        assert figure is not None
        assert figure.count == counts[code]
        assert figure.share == percent(counts[code], members.evaluated)
    assert s.ratio.limit_percent is None  # HD 27 set no 20% limit
    assert (s.ratio.part, s.ratio.whole) == (counts["HTXSNV"], counts["HTTNV"])


def test_shares_and_counts_read_the_vietnamese_way() -> None:
    figure = summary.LevelFigure(
        "HTTNV", "HTTNV", "Hoàn thành tốt nhiệm vụ", 4611, 5950, 4500, 5800
    )
    assert (figure.share, figure.previous_share, figure.change) == ("77,5%", "77,59%", "+111")
    ratio = summary.RatioFigure("Tỷ lệ", "HTXSNV", "HTTNV", 1250, 6185, 20.0)
    assert ratio.text == "1.250/6.185 (20,21%)" and ratio.exceeded
    assert summary.change_text(6020, 6185) == "−165"


def test_year_over_year_across_a_change_of_regime(history: tuple[Database, Year, Year]) -> None:
    db, year_2017, year_2018 = history
    s = summary.summarize(db, 2018)
    assert s.previous_year == 2017 and s.ruleset_id == "qd132-2018"
    members = s.members
    assert members.previous_evaluated == len(year_2017.members)
    httnv = members.level("HTTNV")
    assert httnv is not None
    before = Counter(year_2017.members.values())["HTTNV"]
    now = Counter(year_2018.members.values())["HTTNV"]
    assert (httnv.count, httnv.previous) == (now, before)
    assert httnv.previous_share == percent(before, len(year_2017.members))
    sign = "+" if now > before else "−"
    assert httnv.change == (f"{sign}{abs(now - before)}" if now != before else "0")
    orgs = s.organisations
    assert orgs is not None
    # HTTNV exists in both regimes; HTXSNV of organisations did not exist under HD 27.
    assert orgs.level("HTTNV").previous == 15  # type: ignore[union-attr]
    assert orgs.level("HTXSNV").previous is None  # type: ignore[union-attr]
    # 2018 is still a proposal: the summary says so.
    assert members.provisional == members.evaluated
    assert s.ratio.limit_percent == 20.0
    assert s.ratio.previous_part == Counter(year_2017.members.values())["HTXSNV"]


def test_the_screening_list_names_members_khtnv_two_years_running(
    history: tuple[Database, Year, Year],
) -> None:
    db, _, year_2018 = history
    s = summary.summarize(db, 2018)
    both = [m for m, lv in year_2018.members.items() if lv == "KHTNV"]
    assert [m.member_id for m in s.screening] == both
    entry = s.screening[0]
    with db.session() as session:
        member = session.get(Member, entry.member_id)
        assert member is not None and entry.full_name == member.full_name
    assert entry.previous_level.code == entry.current_level.code == "KHTNV"
    assert entry.cell_name.startswith("Chi bộ")
    assert summary.summarize(db, 2017).screening == ()  # no 2016 to compare with
    cell = summary.summarize(db, 2018, entry.cell_id)
    assert [m.member_id for m in cell.screening] == both


def test_not_classified_by_reason(history: tuple[Database, Year, Year]) -> None:
    db, _, _ = history
    ids = _evaluated(db, 2017)[:5]
    notes = [
        ("exempt", ""),
        ("suspended", ""),
        ("other", "Chuyển sinh hoạt đến xã Mường Phăng"),
        ("other", "chuyển sinh hoạt tạm thời"),
        ("other", "Đi lao động ở Hàn Quốc"),
    ]
    with db.session() as session:
        period = periods.find(session, 2017)
        for member_id, (reason, note) in zip(ids, notes, strict=True):
            row = session.scalar(
                select(MemberEvaluation).where(
                    MemberEvaluation.period_id == period.id,
                    MemberEvaluation.member_id == member_id,
                )
            )
            assert row is not None
            row.evaluated, row.not_classified_reason, row.not_classified_note = False, reason, note
            row.decided_level = None
    s = summary.summarize(db, 2017)
    reasons = {r.label: r.count for r in s.members.not_evaluated}
    assert reasons["Miễn sinh hoạt"] == 1 and reasons["Đình chỉ sinh hoạt"] == 1
    assert reasons["Chuyển sinh hoạt"] == 2 and reasons["Đi lao động ở Hàn Quốc"] == 1
    assert reasons["Mới kết nạp dưới 6 tháng"] >= 1
    labels = [r.label for r in s.members.not_evaluated]
    assert labels.index("Miễn sinh hoạt") < labels.index("Chuyển sinh hoạt")
    assert s.members.not_evaluated_count == sum(reasons.values())
    assert s.members.total == s.members.evaluated + s.members.not_evaluated_count


def test_drill_down_to_cells_and_members(history: tuple[Database, Year, Year]) -> None:
    db, year_2017, year_2018 = history
    report = summary.report(db, 2018, "XNT")
    assert len(report.children) == 35
    assert sum(c.members.total for c in report.children) == report.summary.members.total
    first = report.children[0]
    assert first.unit.is_cell and first.organisations is None
    cell = next(c for c in report.children if c.unit.code == VILLAGES[0])
    assert cell.own_level is not None and cell.own_level.code == "HTXSNV"
    assert not cell.own_level_decided
    assert summary.summarize_children(db, 2018) == report.children
    rows = summary.cell_members(db, 2018, VILLAGES[0])
    assert rows and all(r.cell_name == cell.unit.name for r in rows)
    assert rows[0].party_post == "Bí thư chi bộ"
    classified = [r for r in rows if r.evaluated]
    assert classified
    assert all(r.level and r.level.code == year_2018.members[r.member_id] for r in classified)
    assert all(not r.decided for r in classified)
    with_history = [r for r in classified if r.member_id in year_2017.members]
    assert with_history and all(
        r.previous_level and r.previous_level.code == year_2017.members[r.member_id]
        for r in with_history
    )


def test_trend_has_every_year(history: tuple[Database, Year, Year]) -> None:
    db, year_2017, year_2018 = history
    years = summary.trend(db)
    assert [s.year for s in years] == [2017, 2018]
    assert [s.members.evaluated for s in years] == [len(year_2017.members), len(year_2018.members)]


def test_a_year_without_a_period_and_an_unknown_unit(any_db: Database) -> None:
    with pytest.raises(NotFound, match="Chưa có kỳ đánh giá năm 2019"):
        summary.summarize(any_db, 2019)
    periods.create_period(any_db, 2019, rulesets.default_for_year(2019), dt.date(2019, 12, 31))
    with pytest.raises(NotFound, match="Không có tổ chức mã “ZZZ”"):
        summary.summarize(any_db, 2019, "ZZZ")
    empty = summary.summarize(any_db, 2019)
    assert empty.members.pending == empty.members.evaluated > 0
    assert len(empty.members.levels) == 4
    assert all(f.count == 0 for f in empty.members.levels)
