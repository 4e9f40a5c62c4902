"""Demo history: past years decided under their own rule sets, within the rules, with names on
the screening list."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.domain.procedure import PeriodState
from app.services.common.errors import ServiceError
from app.services.demo.history import add_history
from app.services.periods import lifecycle as periods
from app.services.periods import validation
from app.services.summary import report as summary
from app.store.database import Database
from app.store.models import MemberEvaluation, OrgEvaluation
from tests.services.conftest import CopyOf, Location

YEARS = [2016, 2017, 2018, 2019]


def test_past_years_are_decided_within_the_rules(demo_db: Database) -> None:
    done = add_history(demo_db, YEARS, seed=11)
    assert [(h.year, h.ruleset_id) for h in done] == [
        (2016, "hd27-2014"),
        (2017, "hd27-2014"),
        (2018, "qd132-2018"),
        (2019, "qd132-2018"),
    ]
    for year in YEARS:
        info = periods.get_period(demo_db, year)
        assert info.state is PeriodState.DECIDED
        report = validation.validate_period(demo_db, year)
        assert report.blocking == [], [f.message for f in report.blocking]
        with demo_db.session() as session:
            period = periods.find(session, year)
            rows = session.execute(
                select(MemberEvaluation.evaluated, MemberEvaluation.decided_level).where(
                    MemberEvaluation.period_id == period.id
                )
            ).all()
            # Every classified member has a decision, nobody else has one.
            assert rows
            assert all((level is not None) == evaluated for evaluated, level in rows)
            cells = session.execute(
                select(
                    OrgEvaluation.evaluated, OrgEvaluation.decided_level, OrgEvaluation.locked
                ).where(OrgEvaluation.period_id == period.id, OrgEvaluation.subject == "org")
            ).all()
            assert len(cells) == 35 + 1  # the cells and the commune
            assert all((lv is not None) == evaluated and locked for evaluated, lv, locked in cells)
    orgs = summary.summarize(demo_db, 2017).organisations
    assert orgs is not None and orgs.levels[0].code == "TSVM" and orgs.levels[0].of_which
    # The quota of QĐ 132 holds in the decided levels: at most 20% HTXSNV of HTTNV.
    s2018 = summary.summarize(demo_db, 2018)
    assert s2018.ratio.part * 5 <= s2018.ratio.whole


def test_the_screening_list_has_names_every_year_after_the_first(demo_db: Database) -> None:
    done = add_history(demo_db, YEARS, seed=11)
    assert done[0].screening == 0
    for entry in done[1:]:
        s = summary.summarize(demo_db, entry.year)
        assert len(s.screening) == entry.screening >= 1
        assert all(m.full_name and m.cell_name for m in s.screening)


def test_a_year_that_already_has_a_period_is_refused(demo_db: Database) -> None:
    add_history(demo_db, [2018], seed=1)
    with pytest.raises(ServiceError, match="Đã có kỳ đánh giá năm 2018"):
        add_history(demo_db, [2017, 2018], seed=1)
    assert [p.year for p in periods.list_periods(demo_db)] == [2018]


def test_the_same_seed_gives_the_same_history(demo_path: Location, copy_of: CopyOf) -> None:
    other = copy_of(demo_path, "other")
    found = []
    for path in (demo_path, other):
        with Database.open(path) as db:
            add_history(db, [2017, 2018], seed=5)
            found.append(summary.report(db, 2018))
    assert found[0] == found[1]
