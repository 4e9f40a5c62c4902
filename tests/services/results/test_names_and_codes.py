"""A past year's results land on the right person: codes match whatever their case and
spacing, a name that is not the registry's for its code (diacritics count) is refused until
the user confirms the code's record (issue 16, item 4)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.domain.text import strip_diacritics
from app.domain.vocabulary import AuditAction
from app.services.results import workbook as results_workbook
from app.services.results.workbook import NamesDiffer
from app.store.database import Database
from app.store.models import AuditEntry, EvaluationPeriod, Member
from tests.services.results.test_workbook import people, result, write


def member_count(db: Database) -> int:
    with db.session() as session:
        return session.scalar(select(func.count(Member.id))) or 0


def test_a_code_in_small_letters_with_spaces_is_the_same_member(
    any_db: Database, tmp_path: Path
) -> None:
    (a, ca, na), (b, cb, nb) = people(any_db, 2)
    before = member_count(any_db)
    path = write(
        tmp_path / "kq.xlsx",
        [
            [2017, f"  {ca.lower()} ", na, "HTTNV", None, " cb01"],
            # The same name in capitals, with doubled spaces and decomposed: still the same.
            [2017, cb, unicodedata.normalize("NFD", nb.upper().replace(" ", "  ")), "HTNV"],
        ],
    )
    plan = results_workbook.plan_import(any_db, path)
    assert plan.name_mismatches == () and plan.new_members == ()
    results_workbook.apply_import(any_db, plan)
    assert member_count(any_db) == before  # nobody added for "dv…"
    assert result(any_db, 2017, a).decided_level == "HTTNV"
    assert result(any_db, 2017, b).decided_level == "HTNV"


def test_a_name_with_other_diacritics_is_refused_until_confirmed(
    any_db: Database, tmp_path: Path
) -> None:
    (a, ca, na), (b, cb, nb) = people(any_db, 2)
    bare = strip_diacritics(na)  # "Lo Van Pom" for "Lò Văn Pọm": only the marks differ
    assert bare != na
    path = write(
        tmp_path / "kq.xlsx",
        [[2017, ca, bare, "HTTNV", None], [2017, cb, nb, "HTNV", None]],
    )
    plan = results_workbook.plan_import(any_db, path)
    [mismatch] = plan.name_mismatches
    assert (mismatch.row, mismatch.code, mismatch.registry_name) == (2, ca, na)
    assert "1 dòng ghi họ tên khác với danh sách" in plan.describe()

    with pytest.raises(NamesDiffer) as refused:
        results_workbook.apply_import(any_db, plan)
    [problem] = refused.value.problems
    assert (problem.sheet, problem.row, problem.column) == ("Đảng viên", 2, "Họ và tên")
    assert f"mã {ca} trong danh sách là {na}, tệp ghi {bare}" in str(refused.value)
    assert "--accept-names" in str(refused.value)
    with any_db.session() as session:  # nothing written, not even the other row
        assert session.scalar(select(EvaluationPeriod).where(EvaluationPeriod.year == 2017)) is None

    done = results_workbook.apply_import(any_db, plan, accept_names=True, actor="Văn phòng")
    assert done.names_accepted == 1 and "như đã xác nhận" in done.describe()
    assert result(any_db, 2017, a).decided_level == "HTTNV"
    assert result(any_db, 2017, b).decided_level == "HTNV"
    with any_db.session() as session:
        member = session.get(Member, a)
        assert member is not None and member.full_name == na  # the registry keeps its name
        logged = session.scalars(
            select(AuditEntry.summary).where(
                AuditEntry.action == AuditAction.IMPORT_RESULTS, AuditEntry.entity == "member"
            )
        ).all()
    assert len(logged) == 1 and bare in logged[0] and na in logged[0]


def test_a_former_member_named_two_ways_is_an_error(any_db: Database, tmp_path: Path) -> None:
    path = write(
        tmp_path / "kq.xlsx",
        [
            [2016, "DV90001", "Lường Văn Xôm", "HTTNV", None, "CB02"],
            [2017, "dv90001", "Lường Văn Xom", "HTTNV", None, "CB02"],  # another diacritic
        ],
    )
    with pytest.raises(results_workbook.WorkbookError) as refused:
        results_workbook.plan_import(any_db, path)
    assert "ghi tên khác với dòng 2 (Lường Văn Xôm)" in str(refused.value)
