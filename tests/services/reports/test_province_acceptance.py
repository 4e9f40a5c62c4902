"""Issue 23's acceptance: the demo commune's decided year and the reports of other communes,
imported into a fresh province database, give a province summary whose figures are the sum
of the communes' own summaries, per level and per reason, for members and organisations."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from app.domain.procedure import PeriodState
from app.services.periods.lifecycle import get_period
from app.services.reports.province import province_summary
from app.services.summary import report as summary_report
from app.services.summary.report import Summary
from app.store.database import Database
from tests.services.reports.helpers import export, figures_of, store


def _own_summaries(commune_paths: dict[str, Path], year: int) -> dict[str, Summary]:
    found = {}
    for code, path in commune_paths.items():
        with Database.open(path) as db:
            assert PeriodState(get_period(db, year).state).is_decided, (code, year)
            found[code] = summary_report.report(db, year).summary
            assert found[code].unit.code == code
    return found


def _summed_levels(groups: list, codes: list[str]) -> dict[str, int]:
    return {code: sum(g.count(code) for g in groups) for code in codes}


def _summed_reasons(groups: list) -> Counter[str]:
    total: Counter[str] = Counter()
    for group in groups:
        total.update({r.label: r.count for r in group.not_evaluated if r.count})
    return total


def test_the_province_summary_is_the_sum_of_the_communes_own_summaries(
    commune_paths: dict[str, Path], province_db: Database, decided_year: int, tmp_path: Path
) -> None:
    year = decided_year
    own = _own_summaries(commune_paths, year)
    assert len({s.unit.name for s in own.values()}) == len(own) == 4
    files = []
    for code, path in commune_paths.items():
        # The year before too: the screening list needs two years of the same commune.
        files.append(export(path, year - 1, tmp_path / f"{code}-{year - 1}.dgr"))
        files.append(export(path, year, tmp_path / f"{code}-{year}.dgr"))
    for file in files:
        store(province_db, file)

    found = province_summary(province_db, year)

    assert [c.code for c in found.communes] == sorted(own, key=lambda c: own[c].unit.name)
    for commune in found.communes:
        mine = own[commune.code]
        assert commune.name == mine.unit.name
        assert figures_of(commune.members) == figures_of(mine.members), commune.code
        assert figures_of(commune.organisations) == figures_of(mine.organisations), commune.code
        assert (commune.ratio.part, commune.ratio.whole) == (mine.ratio.part, mine.ratio.whole)

    summaries = list(own.values())
    member_codes = [lv.code for lv in found.member_levels]
    org_codes = [lv.code for lv in found.org_levels]
    members = [s.members for s in summaries]
    orgs = [s.organisations for s in summaries]
    assert found.members.total == sum(g.total for g in members) > 2000
    assert found.members.evaluated == sum(g.evaluated for g in members)
    assert _summed_levels([found.members], member_codes) == _summed_levels(members, member_codes)
    assert _summed_reasons([found.members]) == _summed_reasons(members)
    assert len(_summed_reasons(members)) >= 2  # the demo has members not evaluated, for reasons
    assert found.organisations.total == sum(g.total for g in orgs if g) > 100
    assert found.organisations.evaluated == sum(g.evaluated for g in orgs if g)
    assert _summed_levels([found.organisations], org_codes) == _summed_levels(
        [g for g in orgs if g], org_codes
    )
    assert _summed_reasons([found.organisations]) == _summed_reasons([g for g in orgs if g])
    assert (found.ratio.part, found.ratio.whole) == (
        sum(s.ratio.part for s in summaries),
        sum(s.ratio.whole for s in summaries),
    )

    # The quota, checked in each commune (a grassroots committee): as each commune's own
    # summary judges its ratio against the rule set's limit.
    assert found.quota_checked == 4
    assert {q.commune_code for q in found.quota_exceeded} == {
        code for code, s in own.items() if s.ratio.exceeded
    }
    # Every commune reported: none missing. The screening list: each commune's own.
    assert found.not_reported == ()
    assert found.screening
    assert {(e.commune_code, e.member_code) for e in found.screening} == {
        (code, m.code) for code, s in own.items() for m in s.screening
    }
    assert found.other_rulesets == ()
