"""The exchange package carries, since format version 3, what the rules read besides the
year's records: members' periods of every kind and their discipline, and the cell's own
discipline. The commune sees each record in the preview, imports it with the audit log,
and never loses one it holds; a version-2 package is still read and leaves them alone."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.domain.procedure import CellStep
from app.domain.vocabulary import DisciplineForm, PeriodKind
from app.services.exchange import file_format as exchange_format
from app.services.exchange import package as exchange
from app.services.periods import lifecycle as periods
from app.services.procedure import board as procedure_board
from app.services.procedure import view as procedure_view
from app.services.roster import history
from app.services.roster.history import DisciplineRecord, PeriodRecord
from app.services.safekeeping import audit
from app.store.database import Database
from app.store.models import Discipline, Member, MemberPeriod, OrgDiscipline
from tests.services.conftest import CopyOf, Location

ACTOR = "Bí thư chi bộ"


@pytest.fixture
def two_copies(full_demo_path: Location, copy_of: CopyOf) -> Iterator[tuple[Database, Database]]:
    """(commune, cell's copy): the copy made from the commune's file before either is used."""
    copy_path = copy_of(full_demo_path, "ban-sao-chi-bo")
    commune, copy = Database.open(full_demo_path), Database.open(copy_path)
    yield commune, copy
    commune.close()
    copy.close()


def a_cell(db: Database) -> tuple[int, int, int, str]:
    """(year, a cell at its meeting, one of its members' id, their name)."""
    year = periods.list_periods(db)[-1].year
    cell = next(r.cell_id for r in procedure_board.board(db, year) if r.step is CellStep.MEETING)
    line = procedure_view.cell_view(db, year, cell).members[0]
    return year, cell, line.member_id, line.full_name


def records(db: Database, member_id: int, cell_id: int) -> dict[str, set[tuple[Any, ...]]]:
    """The member's periods and discipline and the cell's discipline, as plain values."""
    with db.session() as session:
        return {
            "periods": {
                (p.kind, p.start_on, p.end_on, p.note)
                for p in session.scalars(
                    select(MemberPeriod).where(MemberPeriod.member_id == member_id)
                )
            },
            "disciplines": {
                (
                    d.form,
                    d.decided_on,
                    d.decided_by,
                    d.reason,
                    d.self_detected_remedied,
                    d.erased_on,
                )
                for d in session.scalars(
                    select(Discipline).where(Discipline.member_id == member_id)
                )
            },
            "org_disciplines": {
                (o.of_collective, o.form, o.decided_on, o.decided_by, o.reason, o.erased_on)
                for o in session.scalars(
                    select(OrgDiscipline).where(OrgDiscipline.org_id == cell_id)
                )
            },
        }


def enter_at_the_cell(db: Database, year: int, member_id: int, cell_id: int) -> None:
    """A reprimand, a three-month sick leave, and the chi ủy warned — entered through the
    window's history service."""
    today = dt.date(year, 11, 25)
    history.save_discipline(
        db, member_id,
        DisciplineRecord(DisciplineForm.REPRIMAND, dt.date(year, 3, 10), "Chi bộ",
                         "Vi phạm quy định về sinh đẻ"),
        ACTOR, today,
    )  # fmt: skip
    history.save_period(
        db, member_id,
        PeriodRecord(PeriodKind.SICK_LEAVE, dt.date(year, 3, 1), dt.date(year, 6, 1),
                     "Điều trị tại bệnh viện tỉnh"),
        ACTOR, today,
    )  # fmt: skip
    history.save_org_discipline(
        db, cell_id,
        DisciplineRecord(DisciplineForm.WARNING, dt.date(year, 2, 1), "Ban Thường vụ Đảng ủy xã",
                         "Buông lỏng lãnh đạo", of_collective=True),
        ACTOR, today,
    )  # fmt: skip


def exported_content(copy: Database, tmp_path: Path) -> tuple[int, int, int, dict[str, Any]]:
    """(year, cell, member, the package's content) of a cell whose records were entered at the
    cell's copy and exported, for a test to edit the content and write another package."""
    year, cell, member_id, _name = a_cell(copy)
    enter_at_the_cell(copy, year, member_id, cell)
    info = exchange.export_package(copy, year, cell, tmp_path / "goi.dgx", actor=ACTOR)
    return year, cell, member_id, json.loads(info.path.read_text("utf-8"))["content"]


def test_periods_and_discipline_travel_to_the_commune(
    two_copies: tuple[Database, Database], tmp_path: Path
) -> None:
    commune, copy = two_copies
    year, cell, member_id, name = a_cell(copy)
    enter_at_the_cell(copy, year, member_id, cell)
    info = exchange.export_package(copy, year, cell, tmp_path / "goi.dgx", actor=ACTOR)
    assert json.loads(info.path.read_text("utf-8"))["format_version"] >= 3

    plan = exchange.plan_import(commune, exchange.read_package(info.path))
    assert not plan.blocked, plan.describe()
    text = plan.describe()
    assert (
        f"{name}: khoảng thời gian (trống) → nghỉ ốm từ 01/03/{year} đến 01/06/{year} "
        "(Điều trị tại bệnh viện tỉnh)"
    ) in text
    assert (
        f"{name}: kỷ luật (trống) → khiển trách ngày 10/03/{year}; Chi bộ; vi phạm: Vi phạm "
        "quy định về sinh đẻ"
    ) in text
    assert f"kỷ luật tổ chức (trống) → cảnh cáo cấp ủy ngày 01/02/{year}" in text
    assert len(plan.changes) == 3  # nothing else differs between the two copies

    exchange.apply_package(commune, plan, actor="Văn phòng Đảng ủy")
    assert records(commune, member_id, cell) == records(copy, member_id, cell)
    logged = {e.entity for e in audit.entries(commune) if e.action == "nhap_goi"}
    assert {"member_period", "discipline", "org_discipline"} <= logged
    assert audit.verify_chain(commune) == []
    # The same package again: nothing to change, nothing duplicated.
    again = exchange.plan_import(commune, exchange.read_package(info.path))
    assert again.changes == ()
    assert records(commune, member_id, cell) == records(copy, member_id, cell)


def test_a_record_changed_at_the_cell_is_updated_and_the_communes_own_are_kept(
    two_copies: tuple[Database, Database], tmp_path: Path
) -> None:
    commune, copy = two_copies
    year, cell, member_id, name = a_cell(copy)
    enter_at_the_cell(copy, year, member_id, cell)
    enter_at_the_cell(commune, year, member_id, cell)
    with copy.session() as session:  # the cell records the reprimand erased
        for d in session.scalars(select(Discipline).where(Discipline.member_id == member_id)):
            d.erased_on = dt.date(year, 9, 10)
    with commune.session() as session:  # the commune records a suspension of its own
        session.add(
            MemberPeriod(member_id=member_id, kind=PeriodKind.SUSPENDED,
                         start_on=dt.date(year, 7, 1), end_on=dt.date(year, 8, 1))
        )  # fmt: skip
    info = exchange.export_package(copy, year, cell, tmp_path / "goi.dgx", actor=ACTOR)
    plan = exchange.plan_import(commune, exchange.read_package(info.path))
    assert not plan.blocked, plan.describe()
    [change] = plan.changes
    assert str(change) == (
        f"{name}: kỷ luật khiển trách ngày 10/03/{year}; Chi bộ; vi phạm: Vi phạm quy định về "
        f"sinh đẻ → khiển trách ngày 10/03/{year}; Chi bộ; vi phạm: Vi phạm quy định về sinh "
        f"đẻ; xóa ngày 10/09/{year}"
    )
    assert (
        f"{name}: khoảng thời gian đình chỉ sinh hoạt từ 01/07/{year} đến 01/08/{year} có ở đây "
        "nhưng không có trong gói; giữ nguyên."
    ) in plan.notes
    exchange.apply_package(commune, plan, actor="Văn phòng Đảng ủy")
    after = records(commune, member_id, cell)
    assert [d[-1] for d in after["disciplines"]] == [dt.date(year, 9, 10)]
    assert len(after["disciplines"]) == 1
    assert (PeriodKind.SUSPENDED, dt.date(year, 7, 1), dt.date(year, 8, 1), "") in after["periods"]


def test_a_period_that_would_overlap_at_the_commune_blocks_the_import(
    two_copies: tuple[Database, Database], tmp_path: Path
) -> None:
    commune, copy = two_copies
    year, cell, member_id, name = a_cell(copy)
    enter_at_the_cell(copy, year, member_id, cell)
    with commune.session() as session:
        session.add(
            MemberPeriod(member_id=member_id, kind=PeriodKind.SICK_LEAVE,
                         start_on=dt.date(year, 4, 1), end_on=None)
        )  # fmt: skip
    info = exchange.export_package(copy, year, cell, tmp_path / "goi.dgx", actor=ACTOR)
    plan = exchange.plan_import(commune, exchange.read_package(info.path))
    assert plan.blocked
    assert any(name in m and "trùng thời gian" in m for m in plan.blocking), plan.describe()


def test_a_version_2_package_is_read_and_leaves_the_history_alone(
    two_copies: tuple[Database, Database], tmp_path: Path
) -> None:
    commune, copy = two_copies
    _year, cell, member_id, content = exported_content(copy, tmp_path)
    for m in content["members"]:
        del m["periods"], m["disciplines"]
    del content["cell"]["disciplines"]
    old = tmp_path / "v2.dgx"
    old.write_bytes(exchange_format.encode(content, 2))
    package = exchange.read_package(old)
    assert package.format_version == 2
    assert all(m.periods is None and m.disciplines is None for m in package.data.members)
    before = records(commune, member_id, cell)
    plan = exchange.plan_import(commune, package)
    assert not plan.blocked and plan.changes == (), plan.describe()
    exchange.apply_package(commune, plan)
    assert records(commune, member_id, cell) == before


def test_a_package_with_a_bad_record_is_refused(
    two_copies: tuple[Database, Database], tmp_path: Path
) -> None:
    _commune, copy = two_copies
    year, _cell, member_id, content = exported_content(copy, tmp_path)
    with copy.session() as session:
        code = session.get(Member, member_id).code  # type: ignore[union-attr]
    member = next(m for m in content["members"] if m["code"] == code)
    member["periods"][0]["end_on"] = f"{year - 1}-01-01"  # before it starts
    bad = tmp_path / "sai.dgx"
    bad.write_bytes(exchange_format.encode(content))
    with pytest.raises(exchange.PackageError, match="trước ngày bắt đầu"):
        exchange.read_package(bad)


def test_the_cells_facts_the_rules_read_travel_too(
    two_copies: tuple[Database, Database], tmp_path: Path
) -> None:
    """Issue 16: a member disciplined for degradation (hd27) and the share of late tasks
    (qd366), entered in the cell's "Căn cứ…", reach the commune."""
    from app.services.procedure import steps as procedure_steps

    commune, copy = two_copies
    year, cell, _member, _name = a_cell(copy)
    current = procedure_view.cell_view(copy, year, cell).cell
    procedure_steps.save_cell_self_assessment(
        copy, year, cell,
        procedure_steps.CellSelfAssessment(
            level=current.self_level, text=current.self_assessment,
            score_general=current.score_general, score_tasks=current.score_tasks,
            all_tasks_on_time=current.all_tasks_on_time,
            member_degradation_disciplined=True, tasks_late_share=0.25,
            facts_note="Kết luận số 7-KL/UBKT",
        ),
        ACTOR,
    )  # fmt: skip
    info = exchange.export_package(copy, year, cell, tmp_path / "goi.dgx", actor=ACTOR)
    plan = exchange.plan_import(commune, exchange.read_package(info.path))
    assert not plan.blocked, plan.describe()
    exchange.apply_package(commune, plan, actor="Văn phòng Đảng ủy")
    arrived = procedure_view.cell_view(commune, year, cell).cell
    assert (arrived.member_degradation_disciplined, arrived.tasks_late_share) == (True, 0.25)
    assert arrived.facts_note == "Kết luận số 7-KL/UBKT"


def test_codes_in_small_letters_from_another_copy_are_the_same_people(
    two_copies: tuple[Database, Database], tmp_path: Path
) -> None:
    """Issue 16, item 4: a copy that kept its codes in another case (an older version, a hand
    edit) still files its records under the commune's members and cell, never new ones."""
    commune, copy = two_copies
    _year, cell, member_id, content = exported_content(copy, tmp_path)
    for m in content["members"]:
        m["code"] = f" {m['code'].lower()} "
    content["cell"]["code"] = content["cell"]["code"].lower()
    lowered = tmp_path / "chu-thuong.dgx"
    lowered.write_bytes(exchange_format.encode(content))
    with commune.session() as session:
        people_before = session.query(Member).count()
    plan = exchange.plan_import(commune, exchange.read_package(lowered))
    assert not plan.blocked, plan.describe()
    exchange.apply_package(commune, plan, actor="Văn phòng Đảng ủy")
    with commune.session() as session:
        assert session.query(Member).count() == people_before
    assert records(commune, member_id, cell) == records(copy, member_id, cell)
