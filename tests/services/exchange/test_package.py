"""The exchange package: a cell works in a copy of the commune's database, exports its period
to one file, and the commune previews and imports it.

The commune's database is the full demo (last year decided, this year with cells at every
step); the cell's copy is a copy of that file, in which the cell carries on with the same
services the window uses.
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.domain import clock
from app.domain.procedure import CellStep
from app.services.common.errors import ServiceError
from app.services.exchange import file_format as exchange_format
from app.services.exchange import package as exchange
from app.services.exchange.package import PackageError
from app.services.periods import lifecycle as periods
from app.services.procedure import appraisal
from app.services.procedure import board as procedure_board
from app.services.procedure import steps as procedure_steps
from app.services.procedure import view as procedure_view
from app.services.roster import members
from app.services.safekeeping import audit
from app.store.database import Database
from app.store.models import Member, Organization
from tests.services.conftest import CopyOf, Location

ACTOR = "Bí thư chi bộ"


# ---- driving a cell through its steps, as the window does ----------------------------------


def current_year(db: Database) -> int:
    return periods.list_periods(db)[-1].year


def cells_at(db: Database, year: int, step: CellStep) -> list[int]:
    return [row.cell_id for row in procedure_board.board(db, year) if row.step is step]


def code_of(db: Database, cell_id: int) -> str:
    with db.session() as session:
        org = session.get(Organization, cell_id)
        assert org is not None
        return org.code


def self_review(db: Database, year: int, cell: int) -> None:
    view = procedure_view.cell_view(db, year, cell)
    for line in view.members:
        if line.evaluated:
            procedure_steps.save_self_review(
                db, year, line.member_id,
                procedure_steps.SelfReview(
                    level="HTTNV", score_general=25, score_tasks=55, all_tasks_on_time=True,
                    text="Tôi tự nhận thấy đã hoàn thành tốt nhiệm vụ được giao.",
                ),
                ACTOR,
            )  # fmt: skip
    procedure_steps.save_cell_self_assessment(
        db, year, cell,
        procedure_steps.CellSelfAssessment(
            level="HTTNV", text="Chi bộ lãnh đạo bản hoàn thành các chỉ tiêu.",
            score_general=26, score_tasks=60, all_tasks_on_time=True,
        ),
        ACTOR,
    )  # fmt: skip
    if view.collective is not None:
        procedure_steps.save_cell_self_assessment(
            db, year, cell,
            procedure_steps.CellSelfAssessment(level="HTTNV", text="Chi ủy đoàn kết."),
            ACTOR, kind="collective",
        )  # fmt: skip


def hold_meeting(db: Database, year: int, cell: int) -> None:
    view = procedure_view.cell_view(db, year, cell)
    for line in view.members:
        procedure_steps.save_attendance(
            db, year, cell, line.member_id, line.evaluated, "Tuổi cao, sức yếu", ACTOR
        )
    view = procedure_view.cell_view(db, year, cell)
    here = [m.member_id for m in view.members if m.present and m.votes]
    procedure_steps.save_meeting(
        db, year, cell,
        procedure_steps.MeetingInput(
            held_on=clock.today(), starts_at=dt.time(8), ends_at=dt.time(11, 30),
            place="Nhà văn hóa bản", chair_id=here[0], secretary_id=here[1],
            upper_attendee="Lường Văn Chiến", upper_attendee_post="Đảng ủy viên",
            tally_committee=(here[2], here[3]),
            conclusion="Hội nghị nhất trí đề xuất như biên bản.",
            approval_agree=len(here), approval_total=len(here),
        ),
        ACTOR,
    )  # fmt: skip


def vote_and_propose(db: Database, year: int, cell: int) -> None:
    view = procedure_view.cell_view(db, year, cell)
    voters = view.voters_present
    procedure_steps.save_ballots(db, year, cell, voters, voters, voters, ACTOR)
    rows = [view.cell, *([view.collective] if view.collective else [])]
    rows += [m for m in view.members if m.evaluated]
    for row in rows:
        procedure_steps.save_votes(db, year, row.subject, {"HTTNV": voters}, ACTOR)
    view = procedure_view.cell_view(db, year, cell)
    rows = [view.cell, *([view.collective] if view.collective else [])]
    rows += [m for m in view.members if m.evaluated]
    for row in rows:
        procedure_steps.set_proposal(db, year, row.subject, row.suggested_level, actor=ACTOR)


# ---- fixtures --------------------------------------------------------------------------------


@pytest.fixture
def two_copies(full_demo_path: Location, copy_of: CopyOf) -> Iterator[tuple[Database, Database]]:
    """(commune, cell's copy): the copy made from the commune's file before either is used."""
    copy_path = copy_of(full_demo_path, "ban-sao-chi-bo")
    commune, copy = Database.open(full_demo_path), Database.open(copy_path)
    yield commune, copy
    commune.close()
    copy.close()


def rewrite(
    path: Path, edit: Callable[[dict[str, Any]], None],
    version: int = exchange_format.FORMAT_VERSION,
) -> Path:  # fmt: skip
    """A package with *edit* made to its content and a correct checksum: what another
    installation, or a careful forger, would write."""
    content = json.loads(path.read_text("utf-8"))["content"]
    edit(content)
    out = path.with_name("sua-" + path.name)
    out.write_bytes(exchange_format.encode(content, version))
    return out


def audit_count(db: Database) -> int:
    return len(audit.entries(db))


# ---- the acceptance ------------------------------------------------------------------------


def test_a_package_from_the_cells_copy_reproduces_its_records(
    two_copies: tuple[Database, Database], tmp_path: Path
) -> None:
    commune, copy = two_copies
    year = current_year(copy)
    cell = cells_at(copy, year, CellStep.MEETING)[0]
    untouched = procedure_view.cell_view(commune, year, cell)

    hold_meeting(copy, year, cell)
    view = procedure_view.cell_view(copy, year, cell)
    someone = next(m for m in view.members if m.evaluated)
    procedure_steps.save_comments(
        copy, year, someone.member_id, "Đề nghị đồng chí gương mẫu hơn ở khu dân cư.",
        "Xin tiếp thu.", ACTOR,
    )  # fmt: skip
    assert procedure_steps.advance(copy, year, cell, ACTOR) is CellStep.VOTING
    vote_and_propose(copy, year, cell)
    assert procedure_steps.advance(copy, year, cell, ACTOR) is CellStep.SUBMITTED

    info = exchange.export_package(copy, year, cell, tmp_path / "goi.dgx", actor=ACTOR)
    assert info.path.read_bytes().startswith(b'{\n "format": "danhgia-goi-du-lieu"')
    package = exchange.read_package(info.path)
    assert package.data.cell_code == code_of(copy, cell) and package.exported_by == ACTOR

    plan = exchange.plan_import(commune, package)
    assert not plan.blocked and not plan.conflicts, plan.describe()
    text = plan.describe()
    assert f"{untouched.cell_name}: bước “Hội nghị” → “Đã nộp”" in text
    assert f"{someone.full_name}: mức đề xuất (trống) → {someone.suggested_level}" in text
    assert f"{someone.full_name}: ý kiến góp ý" in text
    assert "Hội nghị: ngày họp" in text and "Hội nghị: số phiếu hợp lệ (trống) →" in text
    # Previewing wrote nothing.
    assert procedure_view.cell_view(commune, year, cell) == untouched

    result = exchange.apply_package(commune, plan, actor="Văn phòng Đảng ủy")
    assert result.changes == len(plan.changes) and result.step is CellStep.SUBMITTED
    imported = procedure_view.cell_view(commune, year, cell)
    assert imported == procedure_view.cell_view(copy, year, cell)
    assert imported.step is CellStep.SUBMITTED and imported.meeting is not None
    assert any(m.evaluated for m in imported.members)
    assert all(m.proposed_level for m in imported.members if m.evaluated)
    assert audit.verify_chain(commune) == []
    actions = [e.action for e in audit.entries(commune, periods.get_period(commune, year).id)]
    assert actions.count("nhap_goi_du_lieu") == 1 and "nhap_goi" in actions

    # Importing the same package again changes nothing and writes nothing.
    before = audit_count(commune)
    again = exchange.plan_import(commune, exchange.read_package(info.path))
    assert not again.blocked and again.changes == ()
    assert "đã được nhập lúc" in again.describe()
    assert exchange.apply_package(commune, again).changes == 0
    assert audit_count(commune) == before
    assert procedure_view.cell_view(commune, year, cell) == imported


def test_a_cell_still_in_preparation_at_the_commune(
    two_copies: tuple[Database, Database], tmp_path: Path
) -> None:
    commune, copy = two_copies
    year = current_year(copy)
    cell = cells_at(copy, year, CellStep.PREPARATION)[0]
    procedure_steps.advance(copy, year, cell, ACTOR)
    self_review(copy, year, cell)
    procedure_steps.advance(copy, year, cell, ACTOR)
    hold_meeting(copy, year, cell)
    procedure_steps.advance(copy, year, cell, ACTOR)
    vote_and_propose(copy, year, cell)  # not submitted yet: a cell may export at any step

    info = exchange.export_package(copy, year, cell, tmp_path / "goi.dgx")
    plan = exchange.plan_import(commune, exchange.read_package(info.path))
    assert not plan.blocked, plan.describe()
    assert (plan.step_before, plan.step_after) == (CellStep.PREPARATION, CellStep.VOTING)
    exchange.apply_package(commune, plan)
    assert procedure_view.cell_view(commune, year, cell) == procedure_view.cell_view(
        copy, year, cell
    )


def test_what_both_sides_changed_is_a_conflict_and_the_communes_own_edits_stay(
    two_copies: tuple[Database, Database], tmp_path: Path
) -> None:
    commune, copy = two_copies
    year = current_year(copy)
    cell = cells_at(copy, year, CellStep.VOTING)[0]
    a, b, c = [m for m in procedure_view.cell_view(copy, year, cell).members if m.evaluated][:3]
    # After the copy was made, each side edits the meeting's comments on its own.
    procedure_steps.save_comments(commune, year, a.member_id, "Bản của đảng ủy", "")
    procedure_steps.save_comments(commune, year, c.member_id, "Đảng ủy bổ sung", "")
    procedure_steps.save_comments(copy, year, a.member_id, "Bản của chi bộ", "")
    procedure_steps.save_comments(copy, year, b.member_id, "Chi bộ bổ sung", "")

    info = exchange.export_package(copy, year, cell, tmp_path / "goi.dgx")
    plan = exchange.plan_import(commune, exchange.read_package(info.path))
    assert not plan.blocked
    [conflict] = plan.conflicts
    assert (conflict.group, conflict.field) == (a.full_name, "comments")
    assert conflict.before == "Bản của đảng ủy" and conflict.after == "Bản của chi bộ"
    assert any("Xung đột" in w and a.full_name in w for w in plan.warnings)
    assert [(k.group, k.after) for k in plan.kept if k.field == "comments"] == [
        (c.full_name, c.comments)
    ]
    exchange.apply_package(commune, plan)
    view = procedure_view.cell_view(commune, year, cell)
    assert view.member(a.member_id).comments == "Bản của chi bộ"  # the cell's record wins
    assert view.member(b.member_id).comments == "Chi bộ bổ sung"
    assert view.member(c.member_id).comments == "Đảng ủy bổ sung"  # only the commune changed it


def test_a_package_from_a_separate_installation_shares_no_past(
    two_copies: tuple[Database, Database], tmp_path: Path
) -> None:
    """Without a common history every value both sides entered that differs is a conflict."""
    commune, copy = two_copies
    year = current_year(copy)
    cell = cells_at(copy, year, CellStep.VOTING)[0]
    someone = next(m for m in procedure_view.cell_view(copy, year, cell).members if m.evaluated)
    procedure_steps.set_proposal(copy, year, someone.subject, someone.proposed_level, "Theo phiếu")
    info = exchange.export_package(copy, year, cell, tmp_path / "goi.dgx")

    plan = exchange.plan_import(commune, exchange.read_package(info.path))
    assert [(c.group, c.field, c.conflict) for c in plan.changes] == [
        (someone.full_name, "proposal_note", False)
    ]

    def foreign(content: dict[str, Any]) -> None:
        for entry in content["history"]:
            entry["hash"] = entry["hash"][::-1]  # entries the commune has never seen

    plan = exchange.plan_import(commune, exchange.read_package(rewrite(info.path, foreign)))
    assert [(c.group, c.field, c.conflict) for c in plan.changes] == [
        (someone.full_name, "proposal_note", True)
    ]
    assert not plan.blocked and len(plan.warnings) == 1


# ---- refused files -------------------------------------------------------------------------


@pytest.fixture
def package_file(full_demo_db: Database, tmp_path: Path) -> Path:
    year = current_year(full_demo_db)
    cell = cells_at(full_demo_db, year, CellStep.VOTING)[0]
    return exchange.export_package(full_demo_db, year, cell, tmp_path / "goi.dgx").path


def test_a_package_altered_by_one_byte_is_refused(package_file: Path, tmp_path: Path) -> None:
    data = package_file.read_bytes()
    exchange.read_package(package_file)  # intact: accepted
    positions = {0, 1, 5, 20, 40, 60, 90, 120, len(data) - 2, len(data) - 1}
    positions |= set(range(0, len(data), 89))
    broken = tmp_path / "hong.dgx"
    for position in sorted(positions):
        for change in (lambda byte: byte ^ 0x01, lambda byte: 0x20 if byte != 0x20 else 0x0A):
            altered = bytearray(data)
            altered[position] = change(altered[position])
            broken.write_bytes(bytes(altered))
            with pytest.raises(PackageError):
                exchange.read_package(broken)
    # A changed digit keeps the file valid JSON: only the checksum tells.
    at = data.index(b'"reference_date": "') + len(b'"reference_date": "') + 3
    altered = bytearray(data)
    altered[at] = ord("7") if altered[at] != ord("7") else ord("8")
    broken.write_bytes(bytes(altered))
    with pytest.raises(PackageError, match=r"đã bị thay đổi sau khi xuất \(sai mã kiểm tra\)"):
        exchange.read_package(broken)


def test_truncated_empty_foreign_and_oversized_files_are_refused(
    package_file: Path, tmp_path: Path
) -> None:
    data = package_file.read_bytes()
    cut = tmp_path / "cut.dgx"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(PackageError, match="không trọn vẹn"):
        exchange.read_package(cut)
    for name, content in (
        ("empty.dgx", b""),
        ("notes.dgx", "Kết quả chi bộ".encode()),
        ("zip.dgx", b"PK\x03\x04" + bytes(200)),
        ("other.json", b'{"format": "khac", "format_version": 1}'),
    ):
        path = tmp_path / name
        path.write_bytes(content)
        with pytest.raises(PackageError, match="không phải gói dữ liệu DanhGia"):
            exchange.read_package(path)
    huge = tmp_path / "huge.dgx"
    with huge.open("wb") as file:
        file.truncate(exchange_format.MAX_BYTES + 1)  # sparse: nothing is really written
    with pytest.raises(PackageError, match="quá lớn"):
        exchange.read_package(huge)
    with pytest.raises(PackageError, match="Không tìm thấy"):
        exchange.read_package(tmp_path / "khong-co.dgx")
    with pytest.raises(PackageError, match="Không đọc được"):
        exchange.read_package(tmp_path)


def test_a_package_of_a_newer_version_is_refused(package_file: Path) -> None:
    newer = rewrite(package_file, lambda content: None, version=exchange_format.FORMAT_VERSION + 1)
    with pytest.raises(PackageError, match="phiên bản DanhGia mới hơn"):
        exchange.read_package(newer)


def test_hostile_content_is_refused_or_cleaned(package_file: Path, tmp_path: Path) -> None:
    def first_member(content: dict[str, Any]) -> dict[str, Any]:
        return content["members"][0]  # type: ignore[no-any-return]

    wrong_type = rewrite(
        package_file, lambda c: first_member(c)["stages"].update(vote_counts={"HTTNV": "13"})
    )
    with pytest.raises(PackageError, match=r"không hợp lệ: đảng viên .*vote_counts"):
        exchange.read_package(wrong_type)
    missing = rewrite(package_file, lambda c: c["cell"].pop("step"))
    with pytest.raises(PackageError, match="thiếu mục “step”"):
        exchange.read_package(missing)
    extra = rewrite(package_file, lambda c: first_member(c)["stages"].update(mass_orgs_lowest=1))
    exchange.read_package(extra)  # a member has no such field: ignored, not an error
    for bad in (True, -1, 10**6, "3"):
        path = rewrite(package_file, lambda c, bad=bad: c["cell"]["evaluation"].update(
            mass_orgs_lowest=bad))  # fmt: skip
        with pytest.raises(PackageError, match="mass_orgs_lowest"):
            exchange.read_package(path)

    decomposed = unicodedata.normalize("NFD", "Lò  Văn\u200b Pọm\x07")
    messy = rewrite(package_file, lambda c: first_member(c).update(full_name=decomposed))
    member = exchange.read_package(messy).data.members[0]
    assert member.full_name == "Lò Văn Pọm"

    # Malformed JSON behind a correct beginning: refused as damaged, never a crash.
    for tail in (b"[" * 100_000, b'"x": NaN}', b"\xff\xfe"):
        path = tmp_path / "xau.dgx"
        path.write_bytes(b'{\n "format": "danhgia-goi-du-lieu",' + tail)
        with pytest.raises(PackageError, match="bị hỏng"):
            exchange.read_package(path)
    # A repeated key parses as JSON, but is not the form the app writes.
    text = package_file.read_text("utf-8")
    doubled = tmp_path / "lap.dgx"
    doubled.write_text(text.replace('"app_version":', '"app_version": "9", "app_version":', 1))
    with pytest.raises(PackageError, match="đã bị thay đổi"):
        exchange.read_package(doubled)


# ---- conflicts that block ---------------------------------------------------------------------


def test_a_period_or_a_cell_the_commune_lacks(
    package_file: Path, demo_db: Database, full_demo_db: Database
) -> None:
    package = exchange.read_package(package_file)
    before = audit_count(demo_db)
    plan = exchange.plan_import(demo_db, package)  # members and cells, no periods
    assert plan.blocked and "chưa có kỳ đánh giá năm" in plan.blocking[0]
    with pytest.raises(exchange.ImportBlocked):
        exchange.apply_package(demo_db, plan)
    assert audit_count(demo_db) == before

    other_cell = rewrite(package_file, lambda c: c["cell"].update(code="CB999"))
    plan = exchange.plan_import(full_demo_db, exchange.read_package(other_cell))
    assert plan.blocked and "không có chi bộ mã CB999" in plan.describe()

    other_rules = rewrite(package_file, lambda c: c["period"].update(ruleset_id="qd124-2023"))
    plan = exchange.plan_import(full_demo_db, exchange.read_package(other_rules))
    assert any("bộ quy tắc" in m for m in plan.blocking)


def test_a_cell_the_commune_has_already_decided(
    two_copies: tuple[Database, Database], tmp_path: Path
) -> None:
    commune, copy = two_copies
    year = current_year(copy)
    cell = cells_at(copy, year, CellStep.VOTING)[0]
    someone = next(m for m in procedure_view.cell_view(copy, year, cell).members if m.evaluated)
    procedure_steps.set_proposal(
        copy, year, someone.subject, someone.proposed_level, "Theo kết quả biểu quyết"
    )
    procedure_steps.advance(copy, year, cell)
    # Meanwhile the commune received the cell's results on paper and decided them.
    procedure_steps.advance(commune, year, cell)
    appraisal.accept_proposals(commune, year, [cell])
    appraisal.decide_and_lock(commune, year, [cell], backup=False)
    decided = procedure_view.cell_view(commune, year, cell)

    info = exchange.export_package(copy, year, cell, tmp_path / "goi.dgx")
    plan = exchange.plan_import(commune, exchange.read_package(info.path))
    assert plan.blocked
    assert any("đã quyết định và khóa" in m for m in plan.blocking)
    with pytest.raises(exchange.ImportBlocked, match="đã quyết định"):
        exchange.apply_package(commune, plan)
    assert procedure_view.cell_view(commune, year, cell) == decided


def test_a_member_unknown_to_the_commune_or_in_another_cell(
    two_copies: tuple[Database, Database], tmp_path: Path
) -> None:
    commune, copy = two_copies
    year = current_year(copy)
    cell, other = cells_at(copy, year, CellStep.PREPARATION)[:2]
    newcomer = members.add_member(
        copy,
        members.MemberFields(
            code="DV90001", full_name="Lò Thị Mới", birth_date=dt.date(1995, 3, 2),
            admitted_on=dt.date(2019, 5, 19), official_on=dt.date(2020, 5, 19),
        ),
        cell,
        today=dt.date(year, 1, 10),
    )  # fmt: skip
    periods.refreeze_cell(copy, year, cell)
    assert newcomer in {m.member_id for m in procedure_view.cell_view(copy, year, cell).members}

    info = exchange.export_package(copy, year, cell, tmp_path / "goi.dgx")
    plan = exchange.plan_import(commune, exchange.read_package(info.path))
    assert plan.blocked
    assert any(
        "Lò Thị Mới (mã DV90001) không có trong cơ sở dữ liệu này" in m for m in plan.blocking
    )

    elsewhere = procedure_view.cell_view(commune, year, other).members[0]
    with commune.session() as session:
        stranger = session.scalar(select(Member.code).where(Member.id == elsewhere.member_id))

    def move_in(content: dict[str, Any]) -> None:
        content["members"][0].update(code=stranger, full_name=elsewhere.full_name)

    plan = exchange.plan_import(commune, exchange.read_package(rewrite(info.path, move_in)))
    assert any(f"mã {stranger}) thuộc" in m for m in plan.blocking)


def test_a_cell_returned_after_its_meeting_and_an_older_package(
    two_copies: tuple[Database, Database], tmp_path: Path
) -> None:
    commune, copy = two_copies
    year = current_year(copy)
    [returned, submitted] = [
        cells_at(copy, year, CellStep.RETURNED)[0],
        cells_at(copy, year, CellStep.SUBMITTED)[0],
    ]
    appraisal.return_cell(commune, year, submitted, "Biên bản thiếu chữ ký thư ký")
    info = exchange.export_package(copy, year, submitted, tmp_path / "goi.dgx")
    plan = exchange.plan_import(commune, exchange.read_package(info.path))
    assert any("đã trả lại chi bộ để họp lại" in m for m in plan.blocking)

    # A returned cell meets again in its copy and sends two packages; the older one must not
    # overwrite the newer.
    hold_meeting(copy, year, returned)
    first = exchange.export_package(copy, year, returned, tmp_path / "lan-1.dgx")
    yesterday = clock.now().replace(microsecond=0) - dt.timedelta(days=1)
    older = rewrite(first.path, lambda c: c.update(exported_at=yesterday.isoformat()))
    procedure_steps.advance(copy, year, returned)
    vote_and_propose(copy, year, returned)
    second = exchange.export_package(copy, year, returned, tmp_path / "lan-2.dgx")
    exchange.apply_package(
        commune, exchange.plan_import(commune, exchange.read_package(second.path))
    )
    plan = exchange.plan_import(commune, exchange.read_package(older))
    assert any("cũ hơn gói của chi bộ đã nhập" in m for m in plan.blocking)


def test_entries_the_window_would_refuse_block_the_import(
    package_file: Path, full_demo_db: Database
) -> None:
    def unknown_level(content: dict[str, Any]) -> None:
        content["cell"]["evaluation"]["proposed_level"] = "XYZ"

    plan = exchange.plan_import(
        full_demo_db, exchange.read_package(rewrite(package_file, unknown_level))
    )
    assert any("mức đề xuất “XYZ” không có" in m for m in plan.blocking)

    def too_many_votes(content: dict[str, Any]) -> None:
        member = next(m for m in content["members"] if m["evaluated"])
        member["stages"]["vote_counts"] = {"HTTNV": 999}

    plan = exchange.plan_import(
        full_demo_db, exchange.read_package(rewrite(package_file, too_many_votes))
    )
    assert any("tổng 999 phiếu nhiều hơn" in m for m in plan.blocking)

    def ahead_of_itself(content: dict[str, Any]) -> None:
        for member in content["members"]:
            member["stages"]["proposed_level"] = None
        content["cell"]["step"] = "da_nop"

    plan = exchange.plan_import(
        full_demo_db, exchange.read_package(rewrite(package_file, ahead_of_itself))
    )
    assert any("Chưa xong bước “Biểu quyết”" in m for m in plan.blocking)

    def held_next_month(content: dict[str, Any]) -> None:
        content["meeting"]["held_on"] = (clock.today() + dt.timedelta(days=30)).isoformat()

    # The window refuses a meeting recorded as held after today; a package may not bring one.
    plan = exchange.plan_import(
        full_demo_db, exchange.read_package(rewrite(package_file, held_next_month))
    )
    assert any("Hội nghị: Ngày họp:" in m and "chưa đến" in m for m in plan.blocking)


def test_a_plan_made_before_the_commune_changed_something_is_not_applied(
    two_copies: tuple[Database, Database], tmp_path: Path
) -> None:
    commune, copy = two_copies
    year = current_year(copy)
    cell = cells_at(copy, year, CellStep.VOTING)[0]
    someone = next(m for m in procedure_view.cell_view(copy, year, cell).members if m.evaluated)
    procedure_steps.save_comments(copy, year, someone.member_id, "Ý kiến mới", "")
    plan = exchange.plan_import(
        commune,
        exchange.read_package(exchange.export_package(copy, year, cell, tmp_path / "g.dgx").path),
    )
    procedure_steps.save_comments(commune, year, someone.member_id, "Đảng ủy sửa sau", "")
    before = audit_count(commune)
    with pytest.raises(ServiceError, match="đã thay đổi từ lúc xem trước"):
        exchange.apply_package(commune, plan)
    assert audit_count(commune) == before
    view = procedure_view.cell_view(commune, year, cell)
    assert view.member(someone.member_id).comments == "Đảng ủy sửa sau"


def test_exporting_needs_a_cell_of_the_period(full_demo_db: Database, tmp_path: Path) -> None:
    year = current_year(full_demo_db)
    with full_demo_db.session() as session:
        commune = session.scalar(select(Organization.id).where(Organization.parent_id.is_(None)))
    assert commune is not None
    with pytest.raises(ServiceError, match="một chi bộ"):
        exchange.export_package(full_demo_db, year, commune, tmp_path / "x.dgx")
    with pytest.raises(ServiceError, match="Chưa có kỳ đánh giá năm 1990"):
        exchange.export_package(full_demo_db, 1990, commune, tmp_path / "x.dgx")
    assert not (tmp_path / "x.dgx").exists()
