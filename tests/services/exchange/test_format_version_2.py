"""The exchange package carries what a cell enters since format version 2: the
reason of a low level and the two tellers' tally; a version-1 package is still read, and
leaves the commune's values of the fields it does not carry as they are."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.domain.procedure import CellStep
from app.domain.rules import Subject
from app.services.exchange import file_format as exchange_format
from app.services.exchange import package as exchange
from app.services.periods import lifecycle as periods
from app.services.procedure import board as procedure_board
from app.services.procedure import double_tally as tally_double
from app.services.procedure import low_reason_choice, stages
from app.services.procedure import steps as procedure_steps
from app.services.procedure import view as procedure_view
from app.store.database import Database
from app.store.models import MemberEvaluation
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


def year_of(db: Database) -> int:
    return periods.list_periods(db)[-1].year


def voting_cell(db: Database, year: int) -> int:
    for row in procedure_board.board(db, year):
        view = procedure_view.cell_view(db, year, row.cell_id)
        if row.step is CellStep.VOTING and view.meeting and view.meeting.ballots_returned:
            return row.cell_id
    raise AssertionError("the demo has a cell at its vote")


def enter_both(db: Database, year: int, cell: int) -> None:
    """Both tellers enter the recorded vote, the ballots that do not count as invalid."""
    entry = tally_double.double_entry(db, year, cell)
    view = procedure_view.cell_view(db, year, cell)
    recorded = {m.subject: m.vote_counts for m in view.members}
    recorded[view.cell.subject] = view.cell.vote_counts
    if view.collective is not None:
        recorded[view.collective.subject] = view.collective.vote_counts
    collected = entry.ballots_collected or 0
    for row in entry.rows:
        counts = dict(recorded.get(row.subject, {}))
        counts[tally_double.INVALID] = collected - sum(counts.values())
        tally_double.save_entry(db, year, cell, 1, "Lò Văn Pọm", row.subject, counts, ACTOR)
        tally_double.save_entry(db, year, cell, 2, "Quàng Thị Ín", row.subject, counts, ACTOR)


def prepared(copy: Database) -> tuple[int, int, Subject]:
    """In the cell's copy: a member proposed KHTNV for a reason the user picked (NV), and the
    tally entered by two tellers. Returns (year, cell, the member)."""
    year = year_of(copy)
    cell = voting_cell(copy, year)
    view = procedure_view.cell_view(copy, year, cell)
    member = next(
        m.subject
        for m in view.members
        if m.evaluated
        and (q := low_reason_choice.question(copy, year, m.subject, "KHTNV")) is not None
        and q.asks
    )
    procedure_steps.set_proposal(copy, year, member, "KHTNV", actor=ACTOR, reason="NV")
    enter_both(copy, year, cell)
    return year, cell, member


def reason_of(db: Database, year: int, cell: int, subject: Subject) -> str:
    return next(r for r in stages.stage_rows(db, year, cell) if r.subject == subject).low_reason


def rewrite(path: Path, edit: Any, version: int) -> Path:
    content = json.loads(path.read_text("utf-8"))["content"]
    edit(content)
    out = path.with_name(f"v{version}-{path.name}")
    out.write_bytes(exchange_format.encode(content, version))
    return out


def test_the_reason_and_the_two_tellers_travel_to_the_commune(
    two_copies: tuple[Database, Database], tmp_path: Path
) -> None:
    commune, copy = two_copies
    year, cell, member = prepared(copy)
    info = exchange.export_package(copy, year, cell, tmp_path / "goi.dgx", actor=ACTOR)
    document = json.loads(info.path.read_text("utf-8"))
    assert document["format_version"] == exchange_format.FORMAT_VERSION >= 2
    package = exchange.read_package(info.path)
    code = next(m.code for m in package.data.members if m.stages["low_level_reason"] == "NV")
    entry = tally_double.double_entry(copy, year, cell)
    assert package.data.tally is not None and len(package.data.tally) == 2 * len(entry.rows)
    assert {t.teller_name for t in package.data.tally} == {"Lò Văn Pọm", "Quàng Thị Ín"}

    plan = exchange.plan_import(commune, package)
    assert not plan.blocked and not plan.conflicts, plan.describe()
    fields = {(c.row, c.field) for c in plan.changes}
    assert (f"member:{code}", "low_level_reason") in fields
    assert ("tally", "tally_entries") in fields
    text = plan.describe()
    assert "lý do mức thấp (trống) → “NV”" in text
    assert (
        "Kiểm phiếu do hai người nhập: kết quả kiểm phiếu hai người nhập (trống) → người nhập "
        f"thứ 1 (Lò Văn Pọm): {len(entry.rows)} dòng; người nhập thứ 2 (Quàng Thị Ín)"
    ) in text

    exchange.apply_package(commune, plan, actor="Văn phòng Đảng ủy")
    assert reason_of(commune, year, cell, member) == "NV"
    assert tally_double.double_entry(commune, year, cell) == entry
    assert tally_double.agreed_state(commune, year, cell) is True
    # The same package again changes nothing.
    again = exchange.plan_import(commune, exchange.read_package(info.path))
    assert not again.blocked and again.changes == ()


def test_a_version_1_package_is_read_and_leaves_what_it_does_not_carry(
    two_copies: tuple[Database, Database], tmp_path: Path
) -> None:
    commune, copy = two_copies
    year, cell, member = prepared(copy)
    info = exchange.export_package(copy, year, cell, tmp_path / "goi.dgx")

    def as_version_1(content: dict[str, Any]) -> None:
        del content["tally"]
        for record in (content["cell"]["evaluation"], content["cell"]["collective"]):
            if record is not None:
                del record["low_level_reason"]
        for m in content["members"]:
            del m["stages"]["low_level_reason"]

    old = exchange.read_package(rewrite(info.path, as_version_1, 1))
    assert old.format_version == 1 and old.data.tally is None
    plan = exchange.plan_import(commune, old)
    assert not plan.blocked, plan.describe()
    assert not [c for c in plan.changes if c.field in ("low_level_reason", "tally_entries")]
    assert any("KHTNV phải ghi lý do" in w for w in plan.warnings)  # told, not refused
    exchange.apply_package(commune, plan)
    view = procedure_view.cell_view(commune, year, cell)
    assert view.member(member.id).proposed_level == "KHTNV"
    assert reason_of(commune, year, cell, member) == ""
    assert not tally_double.double_entry(commune, year, cell).used


def test_a_package_the_window_would_refuse_is_blocked(
    two_copies: tuple[Database, Database], tmp_path: Path
) -> None:
    commune, copy = two_copies
    year, cell, member = prepared(copy)
    info = exchange.export_package(copy, year, cell, tmp_path / "goi.dgx")
    version = exchange_format.FORMAT_VERSION

    def reason(value: str) -> Any:
        def edit(content: dict[str, Any]) -> None:
            for m in content["members"]:
                if m["stages"]["low_level_reason"] == "NV":
                    m["stages"]["low_level_reason"] = value

        return edit

    plan = exchange.plan_import(
        commune, exchange.read_package(rewrite(info.path, reason(""), version))
    )
    assert plan.blocked
    assert any("KHTNV phải ghi lý do" in m and "gói không có lý do" in m for m in plan.blocking)
    plan = exchange.plan_import(
        commune, exchange.read_package(rewrite(info.path, reason("R99"), version))
    )
    assert any("lý do mức thấp “R99” không có trong" in m for m in plan.blocking)

    def miscount(content: dict[str, Any]) -> None:
        content["tally"][0]["counts"]["invalid"] += 1

    plan = exchange.plan_import(
        commune, exchange.read_package(rewrite(info.path, miscount, version))
    )
    assert any("phải bằng số phiếu thu vào" in m for m in plan.blocking), plan.describe()

    def same_person(content: dict[str, Any]) -> None:
        for entry in content["tally"]:
            entry["teller_name"] = "Lò Văn Pọm"

    plan = exchange.plan_import(
        commune, exchange.read_package(rewrite(info.path, same_person, version))
    )
    assert any("hai người khác nhau" in m for m in plan.blocking)

    def bad_row(content: dict[str, Any]) -> None:
        content["tally"][0]["row"] = "ballot"

    with pytest.raises(exchange.PackageError, match="dòng kiểm phiếu"):
        exchange.read_package(rewrite(info.path, bad_row, version))
    assert reason_of(commune, year, cell, member) == ""  # nothing was written


def test_the_remedy_of_last_years_shortcomings_travels_to_the_commune(
    two_copies: tuple[Database, Database], tmp_path: Path
) -> None:
    commune, copy = two_copies
    year = year_of(copy)
    cell = next(
        row.cell_id for row in procedure_board.board(copy, year) if row.step is CellStep.SELF_REVIEW
    )
    member = next(m for m in procedure_view.cell_view(copy, year, cell).members if m.evaluated)
    remedy = "Đã hoàn thành việc học Nghị quyết; tham gia sinh hoạt đầy đủ cả năm"
    review = procedure_steps.SelfReview(level="HTTNV", remedy=remedy)
    procedure_steps.save_self_review(copy, year, member.member_id, review, actor=ACTOR)

    info = exchange.export_package(copy, year, cell, tmp_path / "goi.dgx", actor=ACTOR)
    plan = exchange.plan_import(commune, exchange.read_package(info.path))
    assert not plan.blocked, plan.describe()
    line = next(x for x in plan.lines() if "kết quả khắc phục hạn chế năm trước" in x)
    assert "→ “Đã hoàn thành việc học Nghị quyết" in line
    exchange.apply_package(commune, plan, actor="Văn phòng Đảng ủy")
    with commune.session() as session:
        period = periods.find(session, year)
        saved = session.scalar(
            select(MemberEvaluation.remedy).where(
                MemberEvaluation.period_id == period.id,
                MemberEvaluation.member_id == member.member_id,
            )
        )
    assert saved == remedy
