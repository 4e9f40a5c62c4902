"""The exchange package carries, since format version 5, the members' quarterly ratings
(issue 24). The commune sees each quarter that changes in words, takes them through the
quarters' service (its checks naming the quarter, its rule that only some members are rated
by quarter, the cell's lock) in the import's one transaction, logged as the import's; a
version-4 package is still read and leaves the commune's quarterly ratings alone."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from app.domain.procedure import CellStep
from app.domain.quarters import QuarterRating
from app.services.exchange import file_format as exchange_format
from app.services.exchange import package as exchange
from app.services.procedure import quarters
from app.services.procedure import steps as procedure_steps
from app.services.safekeeping import audit
from app.store.database import Database
from app.store.models import OrgEvaluation, QuarterRecord
from tests.services.conftest import CopyOf, Location
from tests.services.procedure.criteria_support import (
    YEAR,
    first_cell,
    line,
    open_period,
    plain_member,
    post_holder,
)

ACTOR = "Bí thư chi bộ"
FOUR = [
    QuarterRating(1, self_score=95, superior_score=92),
    QuarterRating(2, self_score=90, superior_score=88, note="vắng 1 buổi họp giao ban"),
    QuarterRating(3, self_score=88, superior_score=85),
    QuarterRating(4, self_score=92, superior_score=90),
]
DERIVED = "(92 + 88 + 85 + 90) : 4 = 88,75 điểm, đạt mức Hoàn thành tốt nhiệm vụ"
RATED = "đánh giá theo quý"


@pytest.fixture
def two_copies(demo_path: Location, copy_of: CopyOf) -> Iterator[tuple[Database, Database]]:
    """(commune, cell's copy): the 2026 period opened, then the commune's file copied for the
    cell before either is used."""
    open_period(Database.open(demo_path)).close()
    copy_path = copy_of(demo_path, "ban-sao-chi-bo")
    commune, copy = Database.open(demo_path), Database.open(copy_path)
    yield commune, copy
    commune.close()
    copy.close()


def stored(db: Database) -> list[tuple[Any, ...]]:
    with db.session() as session:
        return [
            (r.member_id, r.quarter, r.self_score, r.self_level, r.superior_score,
             r.superior_level, r.note)
            for r in session.scalars(
                select(QuarterRecord).order_by(QuarterRecord.member_id, QuarterRecord.quarter)
            )
        ]  # fmt: skip


def export(db: Database, cell: int, path: Path) -> Path:
    return exchange.export_package(db, YEAR, cell, path, actor=ACTOR).path


def rewrite(path: Path, edit: Callable[[dict[str, Any]], None], version: int = 5) -> Path:
    """The package at *path* with *edit* made to its content, checksum and all."""
    content = json.loads(path.read_text("utf-8"))["content"]
    edit(content)
    out = path.with_name(f"sua-v{version}-{path.name}")
    out.write_bytes(exchange_format.encode(content, version))
    return out


def imports(db: Database) -> list[audit.AuditRecord]:
    """The audit entries an import wrote for quarterly ratings."""
    return [
        e for e in audit.entries(db, entity="member_evaluation")
        if e.action == "nhap_goi" and RATED in e.summary
    ]  # fmt: skip


def words(db: Database, member_id: int) -> str:
    derived = quarters.quarter_sheet(db, YEAR, member_id).derivation
    assert derived is not None
    return derived.words


def test_quarterly_ratings_travel_to_the_commune(
    two_copies: tuple[Database, Database], tmp_path: Path
) -> None:
    commune, copy = two_copies
    cell = first_cell(copy)
    holder = post_holder(copy, cell)
    name = holder.full_name
    quarters.enter_quarters(copy, YEAR, holder.member_id, FOUR, actor=ACTOR)
    path = export(copy, cell, tmp_path / "goi.dgx")
    document = json.loads(path.read_text("utf-8"))
    assert document["format_version"] == exchange_format.FORMAT_VERSION == 5
    content = document["content"]
    [code] = [m["code"] for m in content["members"] if m["full_name"] == name]
    [carried] = content["quarters"]
    assert carried["row"] == f"member:{code}"  # members keyed as the item scores key them
    assert carried["ratings"][1] == {
        "quarter": 2, "self_score": 90.0, "self_level": None, "superior_score": 88.0,
        "superior_level": None, "note": "vắng 1 buổi họp giao ban",
    }  # fmt: skip

    package = exchange.read_package(path)
    assert package.data.quarter_ratings(f"member:{code}") == tuple(FOUR)
    plan = exchange.plan_import(commune, package)
    assert not plan.blocked and not plan.conflicts, plan.describe()
    assert [str(c) for c in plan.changes] == [
        f"{name}: {RATED} — Quý I: (chưa đánh giá) → tự chấm 95, cấp trên 92",
        f"{name}: {RATED} — Quý II: (chưa đánh giá) → tự chấm 90, cấp trên 88, ghi chú: vắng 1 "
        "buổi họp giao ban",
        f"{name}: {RATED} — Quý III: (chưa đánh giá) → tự chấm 88, cấp trên 85",
        f"{name}: {RATED} — Quý IV: (chưa đánh giá) → tự chấm 92, cấp trên 90",
    ]
    assert stored(commune) == []  # previewing wrote nothing

    result = exchange.apply_package(commune, plan, actor="Văn phòng Đảng ủy")
    assert result.changes == 4
    assert stored(commune) == stored(copy) and len(stored(commune)) == 4
    assert words(commune, holder.member_id) == words(copy, holder.member_id)
    assert DERIVED in words(commune, holder.member_id)
    assert line(commune, cell, holder.member_id).quarterly_level == "HTTNV"
    [entry] = imports(commune)
    assert entry.actor == "Văn phòng Đảng ủy"
    assert entry.summary.startswith(f"{name}: {RATED} năm {YEAR} (nhập gói của ")
    assert DERIVED in entry.summary
    assert entry.before == {} and entry.after["Quý II"] == {
        "tự chấm": 90, "cấp trên chấm": 88, "ghi chú": "vắng 1 buổi họp giao ban"
    }  # fmt: skip
    assert audit.verify_chain(commune) == []

    # The cell changes one quarter: the next package brings that one change, no conflict
    # (the import's own entry does not count as the commune's edit).
    changed = [*FOUR[:3], QuarterRating(4, self_score=92, superior_score=91)]
    quarters.enter_quarters(copy, YEAR, holder.member_id, changed, actor=ACTOR)
    again = exchange.plan_import(commune, exchange.read_package(export(copy, cell, path)))
    assert not again.blocked and not again.conflicts, again.describe()
    assert [str(c) for c in again.changes] == [
        f"{name}: {RATED} — Quý IV: tự chấm 92, cấp trên 90 → tự chấm 92, cấp trên 91"
    ]
    exchange.apply_package(commune, again)
    assert stored(commune) == stored(copy)
    assert len(imports(commune)) == 2


def test_re_importing_the_same_package_changes_nothing_and_logs_nothing(
    two_copies: tuple[Database, Database], tmp_path: Path
) -> None:
    commune, copy = two_copies
    cell = first_cell(copy)
    holder = post_holder(copy, cell)
    quarters.enter_quarters(copy, YEAR, holder.member_id, FOUR, actor=ACTOR)
    path = export(copy, cell, tmp_path / "goi.dgx")
    exchange.apply_package(commune, exchange.plan_import(commune, exchange.read_package(path)))
    rows, logged = stored(commune), len(audit.entries(commune))

    plan = exchange.plan_import(commune, exchange.read_package(path))
    assert not plan.blocked and plan.changes == () and plan.kept == (), plan.describe()
    assert "Không có gì thay đổi" in plan.describe()
    assert exchange.apply_package(commune, plan).changes == 0
    assert stored(commune) == rows
    assert len(audit.entries(commune)) == logged


def test_the_communes_own_quarterly_ratings_stay_when_the_cell_did_not_touch_them(
    two_copies: tuple[Database, Database], tmp_path: Path
) -> None:
    commune, copy = two_copies
    cell = first_cell(copy)
    holder = post_holder(copy, cell)
    quarters.enter_quarters(commune, YEAR, holder.member_id, FOUR, actor="Văn phòng Đảng ủy")
    rows = stored(commune)
    path = export(copy, cell, tmp_path / "goi.dgx")  # carries no quarterly ratings
    plan = exchange.plan_import(commune, exchange.read_package(path))
    assert not plan.blocked and plan.changes == (), plan.describe()
    assert len(plan.kept) == 4
    assert plan.kept[0].kept_text() == (
        f"{holder.full_name}: {RATED} — Quý I: giữ tự chấm 95, cấp trên 92 (gói ghi (chưa đánh "
        "giá))"
    )
    exchange.apply_package(commune, plan)
    assert stored(commune) == rows


def test_a_version_4_package_still_imports_and_leaves_quarterly_ratings_alone(
    two_copies: tuple[Database, Database], tmp_path: Path
) -> None:
    commune, copy = two_copies
    cell = first_cell(copy)
    holder = post_holder(copy, cell)
    quarters.enter_quarters(commune, YEAR, holder.member_id, FOUR)
    rows = stored(commune)
    # The cell rates the quarters otherwise and types its self-review's points.
    quarters.enter_quarters(copy, YEAR, holder.member_id, FOUR[:2])
    procedure_steps.save_self_review(
        copy, YEAR, holder.member_id, procedure_steps.SelfReview(score_general=25, score_tasks=60)
    )

    def older(content: dict[str, Any]) -> None:
        del content["quarters"]

    path = rewrite(export(copy, cell, tmp_path / "goi.dgx"), older, version=4)
    package = exchange.read_package(path)
    assert package.format_version == 4 and package.data.quarters is None
    plan = exchange.plan_import(commune, package)
    assert not plan.blocked, plan.describe()
    assert plan.changes and not [c for c in plan.changes if c.is_quarter], plan.describe()
    assert RATED not in plan.describe()
    exchange.apply_package(commune, plan)
    here = line(commune, cell, holder.member_id)
    assert (here.self_score_general, here.self_score_tasks) == (25, 60)
    assert stored(commune) == rows
    assert imports(commune) == []


def test_a_submitted_or_decided_cell_refuses(
    two_copies: tuple[Database, Database], tmp_path: Path
) -> None:
    commune, copy = two_copies
    cell = first_cell(copy)
    holder = post_holder(copy, cell)
    quarters.enter_quarters(copy, YEAR, holder.member_id, FOUR)
    path = export(copy, cell, tmp_path / "goi.dgx")
    for step, locked, words_ in (
        (CellStep.SUBMITTED, False, "đã nộp kết quả ở đây"),
        (CellStep.DECIDED, True, "đã quyết định và khóa kết quả"),
    ):
        with commune.session() as session:
            session.execute(
                update(OrgEvaluation)
                .where(OrgEvaluation.org_id == cell, OrgEvaluation.subject == "org")
                .values(step=step, locked=locked)
            )
        plan = exchange.plan_import(commune, exchange.read_package(path))
        assert plan.blocked
        assert any(words_ in m for m in plan.blocking), plan.describe()
        with pytest.raises(exchange.ImportBlocked):
            exchange.apply_package(commune, plan)
        assert stored(commune) == []


def test_a_bad_value_is_refused_naming_the_quarter_and_nothing_is_written(
    two_copies: tuple[Database, Database], tmp_path: Path
) -> None:
    commune, copy = two_copies
    cell = first_cell(copy)
    holder = post_holder(copy, cell)
    quarters.enter_quarters(copy, YEAR, holder.member_id, FOUR)
    procedure_steps.save_self_review(
        copy, YEAR, holder.member_id, procedure_steps.SelfReview(score_general=25, score_tasks=60)
    )
    good = export(copy, cell, tmp_path / "goi.dgx")
    untouched = line(commune, cell, holder.member_id)
    logged = len(audit.entries(commune))

    def score_150(content: dict[str, Any]) -> None:
        content["quarters"][0]["ratings"][2]["superior_score"] = 150

    bad = exchange.read_package(rewrite(good, score_150))
    plan = exchange.plan_import(commune, bad)
    assert plan.blocking == (
        f"{holder.full_name}: {RATED} trong gói không nhập được — Quý III, cấp trên chấm: điểm "
        "phải từ 0 đến 100",
    )
    with pytest.raises(exchange.ImportBlocked):
        exchange.apply_package(commune, plan)

    # Refused while applying too (the plan looked fine): the whole import is one transaction,
    # so neither the self-review nor any quarter is written, nor anything logged.
    fine = exchange.plan_import(commune, exchange.read_package(good))
    assert not fine.blocked, fine.describe()
    with pytest.raises(exchange.ImportBlocked, match="Quý III"):
        exchange.apply_package(commune, dataclasses.replace(fine, package=bad))
    assert stored(commune) == []
    assert line(commune, cell, holder.member_id) == untouched
    assert len(audit.entries(commune)) == logged


def test_a_member_not_rated_by_quarter_is_refused_and_nothing_is_written(
    two_copies: tuple[Database, Database], tmp_path: Path
) -> None:
    commune, copy = two_copies
    cell = first_cell(copy)
    holder = post_holder(copy, cell)
    plain = plain_member(copy, cell)
    quarters.enter_quarters(copy, YEAR, holder.member_id, FOUR)
    good = export(copy, cell, tmp_path / "goi.dgx")
    logged = len(audit.entries(commune))

    def also_plain(content: dict[str, Any]) -> None:
        [code] = [m["code"] for m in content["members"] if m["full_name"] == plain.full_name]
        content["quarters"].append({**content["quarters"][0], "row": f"member:{code}"})

    bad = exchange.read_package(rewrite(good, also_plain))
    plan = exchange.plan_import(commune, bad)
    [message] = plan.blocking
    assert message.startswith(f"{plain.full_name}: {RATED} trong gói không nhập được — ")
    assert "không giữ chức vụ vào ngày chốt danh sách" in message
    assert "bộ quy tắc chỉ đánh giá theo quý đảng viên giữ chức vụ" in message

    # The holder's quarters (written first) go back with the refusal.
    fine = exchange.plan_import(commune, exchange.read_package(good))
    with pytest.raises(exchange.ImportBlocked, match="không giữ chức vụ"):
        exchange.apply_package(commune, dataclasses.replace(fine, package=bad))
    assert stored(commune) == []
    assert len(audit.entries(commune)) == logged


def test_both_sides_changing_a_members_quarters_is_a_conflict_resolved_for_the_cell(
    two_copies: tuple[Database, Database], tmp_path: Path
) -> None:
    commune, copy = two_copies
    cell = first_cell(copy)
    holder = post_holder(copy, cell)
    quarters.enter_quarters(copy, YEAR, holder.member_id, FOUR)
    quarters.enter_quarters(commune, YEAR, holder.member_id, [*FOUR[:1], QuarterRating(2)])
    plan = exchange.plan_import(commune, exchange.read_package(export(copy, cell, tmp_path / "g")))
    assert not plan.blocked, plan.describe()
    assert [c.field for c in plan.conflicts] == ["quarters:2", "quarters:3", "quarters:4"]
    assert plan.warnings == (
        f"Xung đột — {holder.full_name}: {RATED}: đảng ủy đã sửa, chi bộ cũng sửa; nhập gói sẽ "
        "lấy đánh giá theo quý của chi bộ.",
    )
    exchange.apply_package(commune, plan)
    assert stored(commune) == stored(copy)
