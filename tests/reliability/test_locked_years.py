"""A decided year is locked on every write path: the window's steps and appraisal, the
results workbook (service, command line, window), and an exchange package. A results file
writes a locked year only after an unlock that names its reason in the audit log, and the year
is locked again at once, with a new lock entry that seals what was written. The year under
way is never written by a results file, reason or not.

The full demo is used: last year decided and locked, this year under way.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from app.__main__ import main
from app.domain import clock
from app.domain.procedure import PeriodState
from app.services.periods import lifecycle as periods
from app.services.results import workbook as results_workbook
from app.services.safekeeping import audit, maintenance
from app.store.database import Database
from app.store.models import EvaluationPeriod, Member, MemberEvaluation, OrgEvaluation
from tests.db_state import state

DECIDED = clock.today().year - 1
UNDER_WAY = clock.today().year


def _results_file(db: Database, path: Path, year: int) -> tuple[Path, str, str]:
    """The year's results exported, with the first member's level changed: (file, code, new
    level)."""
    results_workbook.export_results(db, path, year)
    workbook = load_workbook(path)
    sheet = workbook["Đảng viên"]
    headers = [c.value for c in sheet[1]]
    level_col, code_col = headers.index("Xếp loại") + 1, headers.index("Mã") + 1
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, level_col).value)
    before = str(sheet.cell(r := row, level_col).value)
    after = "Hoàn thành xuất sắc nhiệm vụ" if "xuất sắc" not in before else "Hoàn thành nhiệm vụ"
    sheet.cell(r, level_col).value = after
    workbook.save(path)
    return path, str(sheet.cell(r, code_col).value), after


def _member_file(db: Database, path: Path, year: int) -> Path:
    """A results file for *year* listing the period's first member (a row to fill in)."""
    with db.session() as session:
        period = periods.find(session, year)
        member = session.scalar(
            select(Member)
            .join(MemberEvaluation, MemberEvaluation.member_id == Member.id)
            .where(MemberEvaluation.period_id == period.id, MemberEvaluation.evaluated)
            .limit(1)
        )
        assert member is not None
        code, name = member.code, member.full_name
    return _one_result(path, year, code, name)


def _one_result(path: Path, year: int, code: str, name: str) -> Path:
    """A results file with one member's result: HTTNV in *year*."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Đảng viên"
    sheet.append(["Năm", "Mã", "Họ và tên", "Xếp loại", "Lý do không xếp loại", "Mã chi bộ"])
    sheet.append([year, code, name, "Hoàn thành tốt nhiệm vụ", None, None])
    workbook.save(path)
    return path


def _locked(db: Database, year: int) -> set[tuple[int, str]]:
    with db.session() as session:
        period = periods.find(session, year)
        return set(
            session.execute(
                select(OrgEvaluation.org_id, OrgEvaluation.subject).where(
                    OrgEvaluation.period_id == period.id, OrgEvaluation.locked
                )
            ).all()
        )


def test_a_locked_year_is_written_only_after_a_logged_reopen_and_locked_again(
    full_demo_path: Path, tmp_path: Path
) -> None:
    with Database.open(full_demo_path) as db:
        path, code, _after = _results_file(db, tmp_path / "ket-qua.xlsx", DECIDED)
        locked_before = _locked(db, DECIDED)
    assert locked_before
    before = state(full_demo_path)

    with Database.open(full_demo_path) as db:
        plan = results_workbook.plan_import(db, path)
        assert plan.locked_years == (DECIDED,)
        # Overwriting decided results is not enough: the year is locked.
        with pytest.raises(results_workbook.YearsClosedToImport, match="--reopen"):
            results_workbook.apply_import(db, plan, replace=True)
        with pytest.raises(results_workbook.YearsClosedToImport):
            results_workbook.apply_import(db, plan, replace=True, reopen="   ")
    assert state(full_demo_path) == before, "a refused import wrote something"

    with Database.open(full_demo_path) as db:
        result = results_workbook.apply_import(
            db, plan, replace=True, reopen="Sửa theo Công văn 12-CV/BTC", actor="Lan"
        )
        assert result.reopened == (DECIDED,)
        assert "mở khóa" in result.describe()
        log = audit.entries(db)
        period = periods.get_period(db, DECIDED)
        assert period.state.is_decided
        assert _locked(db, DECIDED) == locked_before, "not every cell locked again"
        with db.session() as session:
            period_id = periods.find(session, DECIDED).id
    unlock = [e for e in log if e.action == "mo_khoa" and e.period_id == period_id]
    assert len(unlock) == 1
    assert "Công văn 12-CV/BTC" in unlock[0].summary and unlock[0].actor == "Lan"
    # The overwrite comes after the unlock, and a new lock entry after both.
    overwrite = next(e for e in log if e.action == "ghi_de_ket_qua" and code in e.summary)
    relock = log[-1]
    assert unlock[0].id < overwrite.id < relock.id
    assert "khóa lại" in relock.summary and relock.after and "niem_phong" in relock.after
    assert maintenance.check_database(full_demo_path).ok


def test_a_new_result_in_a_locked_year_needs_the_reopen_too(
    full_demo_path: Path, tmp_path: Path
) -> None:
    with Database.open(full_demo_path) as db:
        with db.session() as session:
            period = periods.find(session, DECIDED)
            # A member's result of the decided year missing: filling it in is a write.
            row = session.scalar(
                select(MemberEvaluation).where(
                    MemberEvaluation.period_id == period.id,
                    MemberEvaluation.decided_level.is_not(None),
                )
            )
            assert row is not None
            member_id = row.member_id
            session.delete(row)
        # (the deletion itself is tampering; check says so — see test_anchored_tamper)
        with db.session() as session:
            member = session.get(Member, member_id)
            assert member is not None
            code, name = member.code, member.full_name
    path = _one_result(tmp_path / "them.xlsx", DECIDED, code, name)
    before = state(full_demo_path)
    with (
        Database.open(full_demo_path) as db,
        pytest.raises(results_workbook.YearsClosedToImport, match=str(DECIDED)),
    ):
        results_workbook.import_results(db, path)
    assert state(full_demo_path) == before


def test_the_year_under_way_is_never_written_by_a_file(
    full_demo_path: Path, tmp_path: Path
) -> None:
    with Database.open(full_demo_path) as db:
        path = _member_file(db, tmp_path / "nam-nay.xlsx", UNDER_WAY)
    before = state(full_demo_path)
    with Database.open(full_demo_path) as db:
        with pytest.raises(results_workbook.YearsClosedToImport, match="đang đánh giá"):
            results_workbook.plan_import(db, path)
        with pytest.raises(results_workbook.YearsClosedToImport, match="đang đánh giá"):
            results_workbook.import_results(db, path, replace=True, reopen="Nhập cho nhanh")
        with db.session() as session:
            assert (
                session.scalar(
                    select(EvaluationPeriod.state).where(EvaluationPeriod.year == UNDER_WAY)
                )
                != PeriodState.DECIDED
            )
    assert state(full_demo_path) == before


def test_the_command_line_asks_for_a_reason(
    full_demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Database.open(full_demo_path) as db:
        path, _code, _after = _results_file(db, tmp_path / "ket-qua.xlsx", DECIDED)
    before = state(full_demo_path)
    db_arg = ("--db", str(full_demo_path))
    assert main(["import", "results", str(path), "--replace", *db_arg]) != 0
    said = capsys.readouterr()
    assert "--reopen" in said.out + said.err and "Traceback" not in said.err
    assert state(full_demo_path) == before
    reason = "Sửa sai sót phát hiện khi kiểm tra"
    assert main(["import", "results", str(path), "--replace", "--reopen", reason, *db_arg]) == 0
    assert "khóa lại" in capsys.readouterr().out
    with Database.open(full_demo_path) as db:
        assert any(reason in e.summary for e in audit.entries(db) if e.action == "mo_khoa")
    assert main(["check", *db_arg]) == 0


def test_the_window_imports_a_locked_year_only_with_a_reason(
    full_demo_path: Path, tmp_path: Path, qtbot: object
) -> None:
    from app.ui.reports.results_dialog import ResultsPreview

    with Database.open(full_demo_path) as db:
        path, _code, _after = _results_file(db, tmp_path / "ket-qua.xlsx", DECIDED)
        plan = results_workbook.plan_import(db, path)
    dialog = ResultsPreview(plan)
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    dialog.replace.setChecked(True)
    assert not dialog.import_button.isEnabled(), "a locked year imported without a reason"
    assert dialog.reopen.isVisibleTo(dialog)
    dialog.reopen.setText("Theo kết luận kiểm tra")
    assert dialog.import_button.isEnabled()


def test_a_package_cannot_write_a_locked_year(full_demo_path: Path, tmp_path: Path) -> None:
    """The cell's package of the decided year, brought back to the commune: refused whole."""
    from app.services.exchange import package as exchange

    with Database.open(full_demo_path) as db:
        with db.session() as session:
            period = periods.find(session, DECIDED)
            cell_id = session.scalar(
                select(OrgEvaluation.org_id).where(
                    OrgEvaluation.period_id == period.id, OrgEvaluation.locked
                )
            )
        assert cell_id is not None
    # The cell's copy of the file says something else about one of its members.
    copy = tmp_path / "ban-sao-chi-bo.sqlite"
    shutil.copyfile(full_demo_path, copy)
    with Database.open(copy) as db:
        with db.session() as session:
            period = periods.find(session, DECIDED)
            row = session.scalar(
                select(MemberEvaluation).where(
                    MemberEvaluation.period_id == period.id, MemberEvaluation.org_id == cell_id
                )
            )
            assert row is not None
            row.comments = "Ý kiến thêm sau khi đã quyết định"
        package = tmp_path / "goi.dgx"
        exchange.export_package(db, DECIDED, cell_id, package)
    before = state(full_demo_path)
    with Database.open(full_demo_path) as db:
        plan = exchange.plan_import(db, exchange.read_package(package))
        assert plan.blocked
        with pytest.raises(exchange.ImportBlocked):
            exchange.apply_package(db, plan)
    assert state(full_demo_path) == before
