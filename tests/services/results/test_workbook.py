"""The results workbook: spellings, reasons, former members, filling a period, conflicts,
all-or-nothing errors with sheet/row/column, and export then import into an empty copy."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import select, update

from app.domain.procedure import PeriodState
from app.services.common.progress import Cancelled, Progress
from app.services.common.workbook import WorkbookError
from app.services.demo.history import add_history
from app.services.periods import facts
from app.services.periods import lifecycle as periods
from app.services.periods import rule_sets as rulesets
from app.services.results import workbook as results_workbook
from app.services.results.workbook import ResultsConflict, YearsClosedToImport
from app.services.safekeeping import audit
from app.services.summary import report as summary
from app.store.database import Database
from app.store.models import (
    CellMembership,
    EvaluationPeriod,
    Member,
    MemberEvaluation,
    Organization,
    OrgEvaluation,
)
from tests.services.conftest import Location, NewDatabase

MEMBER_HEADER = ["Năm", "Mã", "Họ và tên", "Xếp loại", "Lý do không xếp loại", "Mã chi bộ"]
ORG_HEADER = ["Năm", "Mã", "Xếp loại"]


def write(
    path: Path,
    members: list[list[object]],
    orgs: list[list[object]] | None = None,
    member_header: list[str] = MEMBER_HEADER,
) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Đảng viên"
    sheet.append(member_header)
    for row in members:
        sheet.append(row)
    if orgs is not None:
        org_sheet = workbook.create_sheet("Tổ chức")
        org_sheet.append(ORG_HEADER)
        for row in orgs:
            org_sheet.append(row)
    workbook.save(path)
    return path


def people(db: Database, count: int, cell: str = "CB01") -> list[tuple[int, str, str]]:
    """(id, code, name) of the first members of a demo cell admitted before 2015."""
    with db.session() as session:
        rows = session.execute(
            select(Member.id, Member.code, Member.full_name)
            .join(CellMembership, CellMembership.member_id == Member.id)
            .join(Organization, Organization.id == CellMembership.org_id)
            .where(Organization.code == cell, Member.admitted_on < dt.date(2015, 1, 1))
            .order_by(Member.id)
            .limit(count)
        ).all()
    return [(i, c, n) for i, c, n in rows]


def result(db: Database, year: int, member_id: int) -> MemberEvaluation:
    with db.session() as session:
        row = session.scalar(
            select(MemberEvaluation)
            .join(EvaluationPeriod)
            .where(EvaluationPeriod.year == year, MemberEvaluation.member_id == member_id)
        )
        assert row is not None
        session.expunge(row)
        return row


def test_levels_in_any_spelling_and_reasons_recognised(demo_db: Database, tmp_path: Path) -> None:
    (a, ca, na), (b, cb, nb), (c, cc, nc), (d, cd, nd), (e, ce, ne), (f, cf, nf), (g, cg, ng) = (
        people(demo_db, 7)
    )
    path = write(
        tmp_path / "kq.xlsx",
        [
            [2017, ca, na, "htxsnv", None],
            [2017, cb, f" {nb.upper()} ", "Hoan thanh tot nhiem vu", None],  # capitals, spaces ok
            [2017, cc, nc, "Không HTNV", None],
            [2017, cd, nd, "Không xếp loại", "Miễn sinh hoạt"],
            [2017, ce, ne, None, "Mới kết nạp ngày 02/09/2017"],
            [2017, cf, nf, "không xếp loại", "Chuyển sinh hoạt"],
            [2017, cg, ng, "Không xếp loại", "Đi lao động ở Hàn Quốc"],
        ],
        [
            [2017, "CB01", "trong sach vung manh"],
            [2017, "CB02", "TSVM tiêu biểu"],
            [2017, "CB03", "Yếu kém"],
        ],
    )
    results_workbook.import_results(demo_db, path)
    assert result(demo_db, 2017, a).decided_level == "HTXSNV"
    assert result(demo_db, 2017, b).decided_level == "HTTNV"
    assert result(demo_db, 2017, c).decided_level == "KHTNV"
    stored = [result(demo_db, 2017, m) for m in (d, e, f, g)]
    assert [(r.evaluated, r.not_classified_reason, r.not_classified_note) for r in stored] == [
        (False, "exempt", ""),
        (False, "new_member", "Mới kết nạp ngày 02/09/2017"),
        (False, "other", "Chuyển sinh hoạt"),
        (False, "other", "Đi lao động ở Hàn Quốc"),
    ]
    s = summary.summarize(demo_db, 2017)
    assert {r.label for r in s.members.not_evaluated} == {
        "Miễn sinh hoạt",
        "Mới kết nạp dưới 6 tháng",
        "Chuyển sinh hoạt",
        "Đi lao động ở Hàn Quốc",
    }
    assert s.organisations is not None
    assert [(f.code, f.count) for f in s.organisations.levels] == [
        ("TSVM", 2),
        ("HTTNV", 0),
        ("HTNV", 0),
        ("YK", 1),
    ]
    with demo_db.session() as session:
        period = session.scalar(select(EvaluationPeriod).where(EvaluationPeriod.year == 2017))
        assert period is not None and period.ruleset_id == "hd27-2014" and period.state == "decided"
        # The period holds the file's rows and no one else.
        rows = session.scalars(
            select(MemberEvaluation.id).where(MemberEvaluation.period_id == period.id)
        ).all()
        assert len(rows) == 7


def test_every_error_is_listed_and_nothing_is_imported(demo_db: Database, tmp_path: Path) -> None:
    (_a, ca, na), (_b, cb, nb), (_c, cc, nc), (_d, cd, nd), (_e, ce, ne) = people(demo_db, 5)
    path = write(
        tmp_path / "loi.xlsx",
        [
            [2019, ca, na, "HTTNV", None],  # row 2: fine
            ["năm ngoái", cb, nb, "HTTNV", None],  # row 3: the year
            [2019, cc, nc, "HTTNV", None],  # row 4: fine
            [2019, ca, na, "HTNV", None],  # row 5: the same code twice
            [2019, "DV99999", "Lò Văn Mới", "HTNV", None],  # row 6: unknown, no cell
            [2019, cb, nb, "Giỏi", None],  # row 7: not a level
            [2019, cd, nd, "HTTNV", "Miễn sinh hoạt"],  # row 8: a level and a reason
            [2019, ce, ne, None, None],  # row 9: nothing
            [2030, cc, nc, "HTTNV", None],  # row 10: a year to come
        ],
        [
            [2019, "CB01", "Trong sạch, vững mạnh"],  # row 2: not a level in 2019
            [2019, "KHONGCO", "HTTNV"],
        ],
    )
    with pytest.raises(WorkbookError) as caught:
        results_workbook.plan_import(demo_db, path)
    found = {(p.sheet, p.row, p.column) for p in caught.value.problems}
    assert found == {
        ("Đảng viên", 3, "Năm"),
        ("Đảng viên", 5, "Mã"),
        ("Đảng viên", 6, "Mã chi bộ"),
        ("Đảng viên", 7, "Xếp loại"),
        ("Đảng viên", 8, "Lý do không xếp loại"),
        ("Đảng viên", 9, "Xếp loại"),
        ("Đảng viên", 10, "Năm"),
        ("Tổ chức", 2, "Xếp loại"),
        ("Tổ chức", 3, "Mã"),
    }
    message = str(caught.value)
    assert "có 9 lỗi, chưa nhập gì cả" in message
    assert (
        "Trang “Tổ chức”, dòng 2, cột “Xếp loại”: “Trong sạch, vững mạnh” không phải mức" in message
    )
    with demo_db.session() as session:
        assert session.scalar(select(EvaluationPeriod.id)) is None


def test_a_workbook_without_either_sheet(demo_db: Database, tmp_path: Path) -> None:
    workbook = Workbook()
    workbook.save(tmp_path / "trong.xlsx")
    with pytest.raises(WorkbookError, match="không có trang “Đảng viên” hay “Tổ chức”"):
        results_workbook.plan_import(demo_db, tmp_path / "trong.xlsx")


def test_a_member_who_has_left_is_added_with_an_ended_membership(
    demo_db: Database, tmp_path: Path
) -> None:
    path = write(
        tmp_path / "cu.xlsx",
        [
            [2016, "DV90001", "Lường Văn Xôm", "HTTNV", None, "CB02"],
            [2017, "DV90001", "Lường Văn Xôm", "KHTNV", None, "CB03"],
        ],
    )
    plan = results_workbook.plan_import(demo_db, path)
    assert [(m.code, m.cell_code, m.last_year) for m in plan.new_members] == [
        ("DV90001", "CB03", 2017)
    ]
    assert "Thêm 1 đảng viên không có trong danh sách hiện tại" in plan.describe()
    results_workbook.apply_import(demo_db, plan)
    with demo_db.session() as session:
        member = session.scalar(select(Member).where(Member.code == "DV90001"))
        assert member is not None and member.full_name == "Lường Văn Xôm"
        [membership] = member.memberships
        assert membership.end_on == dt.date(2018, 1, 1)
        today = facts.roster_at(session, dt.date(2026, 1, 1))
        assert member.id not in {m for m, _c in today}
    assert summary.summarize(demo_db, 2017, "CB03").members.count("KHTNV") == 1
    assert summary.summarize(demo_db, 2016, "CB02").members.count("HTTNV") == 1


def _decide(db: Database, year: int) -> None:
    """The period of *year* marked decided, as a commune's decision leaves it."""
    with db.session() as session:
        session.execute(
            update(EvaluationPeriod)
            .where(EvaluationPeriod.year == year)
            .values(state=PeriodState.DECIDED)
        )


def test_an_open_period_is_refused_and_a_different_decision_needs_replace_and_reopen(
    demo_db: Database, tmp_path: Path
) -> None:
    periods.create_period(demo_db, 2024, rulesets.default_for_year(2024), dt.date(2024, 12, 31))
    classified = {e.member_id for e in periods.roster(demo_db, 2024) if e.evaluated}
    (a, ca, na), (_b, cb, nb) = [p for p in people(demo_db, 20) if p[0] in classified][:2]
    first = write(tmp_path / "a.xlsx", [[2024, ca, na, "HTTNV"], [2024, cb, nb, "HTNV"]])
    # The period is under way: its results come from the procedure, not from a file.
    with pytest.raises(YearsClosedToImport, match="2024 đang đánh giá"):
        results_workbook.plan_import(demo_db, first)
    assert result(demo_db, 2024, a).decided_level is None

    # Decided and locked (a period made by an earlier import is): changing it takes a reason.
    _decide(demo_db, 2024)
    plan = results_workbook.plan_import(demo_db, first)
    [year] = plan.years
    assert (year.new_period, year.filled, year.added, year.conflicts) == (False, 2, 0, 0)
    assert plan.locked_years == (2024,)
    assert [(c.before, c.after) for c in plan.changes] == [
        ("(chưa có kết quả)", "Hoàn thành tốt nhiệm vụ"),
        ("(chưa có kết quả)", "Hoàn thành nhiệm vụ"),
    ]
    with pytest.raises(YearsClosedToImport, match="--reopen"):
        results_workbook.apply_import(demo_db, plan)
    results_workbook.apply_import(demo_db, plan, reopen="Bổ sung kết quả còn thiếu")
    roster = periods.roster(demo_db, 2024)
    assert len(roster) > 2  # the frozen roster is kept, not replaced by the file
    assert result(demo_db, 2024, a).decided_level == "HTTNV"

    second = write(tmp_path / "b.xlsx", [[2024, ca, na, "HTXSNV"], [2024, cb, nb, "HTNV"]])
    plan = results_workbook.plan_import(demo_db, second)
    [conflict] = plan.conflicts
    assert (conflict.row, conflict.code) == (2, ca)
    assert str(conflict).endswith("Hoàn thành tốt nhiệm vụ → Hoàn thành xuất sắc nhiệm vụ")
    with pytest.raises(ResultsConflict) as caught:
        results_workbook.apply_import(demo_db, plan, reopen="Sửa theo biên bản")
    assert "Trang “Đảng viên”, dòng 2, cột “Xếp loại”" in str(caught.value)
    assert "--replace" in str(caught.value)
    assert result(demo_db, 2024, a).decided_level == "HTTNV"

    done = results_workbook.apply_import(
        demo_db, plan, replace=True, reopen="Sửa theo biên bản", actor="Văn phòng"
    )
    assert done.replaced == 1
    assert result(demo_db, 2024, a).decided_level == "HTXSNV"
    [entry] = [e for e in audit.entries(demo_db) if e.action == "ghi_de_ket_qua"]
    assert entry.actor == "Văn phòng" and entry.before == {
        "evaluated": True,
        "decided_level": "HTTNV",
        "not_classified_reason": "",
    }
    assert audit.verify_chain(demo_db) == []


@pytest.fixture
def with_history(demo_path: Location) -> Location:
    with Database.open(demo_path) as db:
        add_history(db, [2016, 2017, 2018], seed=3)
    return demo_path


def test_export_then_import_into_an_empty_copy_gives_the_same_summaries(
    with_history: Location, new_database: NewDatabase, tmp_path: Path
) -> None:
    exported = tmp_path / "ket-qua.xlsx"
    with Database.open(with_history) as source:
        written = results_workbook.export_results(source, exported)
        assert written.years == (2016, 2017, 2018) and written.skipped == 0
        before = {
            (year, unit): summary.report(source, year, unit)
            for year in written.years
            for unit in (None, "CB05", "CB30")
        }
    with Database.open(new_database("demo", "copy")) as target:
        result_ = results_workbook.import_results(target, exported)
        assert result_.periods_created == 3
        after = {key: summary.report(target, *key) for key in before}
        assert after == before
        again = results_workbook.plan_import(target, exported)
        assert len(again.years) == 3
        assert all(y.unchanged == y.members + y.orgs for y in again.years)
        assert again.changes == ()
    workbook = load_workbook(exported, read_only=True)
    header = next(workbook["Đảng viên"].iter_rows(values_only=True))
    assert header[:5] == ("Năm", "Mã", "Họ và tên", "Xếp loại", "Lý do không xếp loại")
    org_values = {row[3] for row in list(workbook["Tổ chức"].iter_rows(values_only=True))[1:]}
    assert {"Trong sạch, vững mạnh", "Không xếp loại"} <= org_values


def test_export_of_one_year_and_of_an_empty_database(demo_db: Database, tmp_path: Path) -> None:
    empty = results_workbook.export_results(demo_db, tmp_path / "trong.xlsx")
    assert empty.years == () and "tệp mẫu trống" in empty.describe(tmp_path / "trong.xlsx")
    workbook = load_workbook(tmp_path / "trong.xlsx", read_only=True)
    assert workbook.sheetnames == ["Đảng viên", "Tổ chức", "Hướng dẫn"]
    periods.create_period(demo_db, 2024, rulesets.default_for_year(2024), dt.date(2024, 12, 31))
    classified = {e.member_id for e in periods.roster(demo_db, 2024) if e.evaluated}
    _a, ca, na = next(p for p in people(demo_db, 20) if p[0] in classified)
    _decide(demo_db, 2024)  # a year under way is never written from a file
    results_workbook.import_results(
        demo_db, write(tmp_path / "a.xlsx", [[2024, ca, na, "HTNV"]]), reopen="Bổ sung"
    )
    one = results_workbook.export_results(demo_db, tmp_path / "2024.xlsx", 2024)
    # Classified members without a decision are not results yet.
    assert one.skipped > 0 and one.members >= 1
    rows = list(load_workbook(tmp_path / "2024.xlsx")["Đảng viên"].iter_rows(values_only=True))
    assert [2024, ca, na, "Hoàn thành nhiệm vụ", None, "CB01"] in [list(r) for r in rows]
    with demo_db.session() as session:
        orgs = session.scalars(select(OrgEvaluation.decided_level)).all()
        assert not any(orgs)


def test_a_cancelled_import_writes_nothing(demo_db: Database, tmp_path: Path) -> None:
    path = write(tmp_path / "cu.xlsx", [[2016, "DV90001", "Lường Văn Xôm", "HTTNV", None, "CB02"]])
    plan = results_workbook.plan_import(demo_db, path)
    with pytest.raises(Cancelled):
        results_workbook.apply_import(demo_db, plan, progress=Progress(is_cancelled=lambda: True))
    with demo_db.session() as session:
        assert session.scalar(select(EvaluationPeriod.id)) is None
        assert session.scalar(select(Member.id).where(Member.code == "DV90001")) is None
