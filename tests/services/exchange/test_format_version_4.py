"""The exchange package carries, since format version 4, the scores item by item (issue 24):
the period's criteria set (id, name, checksum of its text) and every sheet of the cell's
subjects. The commune takes them only on the very same criteria set, through the item scores'
service, and a subject scored item by item keeps the items' sums whatever totals a package
types; a version-3 package is still read."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.domain.criteria import ItemEntry
from app.services.exchange import file_format as exchange_format
from app.services.exchange import package as exchange
from app.services.periods import criteria_sets
from app.services.procedure import item_scores
from app.services.procedure import steps as procedure_steps
from app.services.safekeeping import audit
from app.store.database import Database
from app.store.models import ItemScore
from tests.services.conftest import CopyOf, Location
from tests.services.procedure.criteria_support import (
    EDITED,
    ENTRIES,
    YEAR,
    first_cell,
    line,
    open_period,
    plain_member,
    write_copy,
)

ACTOR = "Bí thư chi bộ"
A2 = "Mục A.2 «Chấp hành chủ trương, đường lối»"
A3 = "Mục A.3 «Tự phê bình và phê bình»"


@pytest.fixture
def two_copies(demo_path: Location, copy_of: CopyOf) -> Iterator[tuple[Database, Database]]:
    """(commune, cell's copy): the 2026 period scored by the province's copy of the criteria
    set, then the commune's file copied for the cell before either is used."""
    write_copy()
    db = open_period(Database.open(demo_path))
    item_scores.choose_criteria(db, YEAR, "tinh-thu-2025")
    db.close()
    copy_path = copy_of(demo_path, "ban-sao-chi-bo")
    commune, copy = Database.open(demo_path), Database.open(copy_path)
    yield commune, copy
    commune.close()
    copy.close()


def stored(db: Database) -> list[tuple[str, int, str, str, str, str]]:
    with db.session() as session:
        return [
            (r.subject_kind, r.subject_id, r.stage, r.item_key, r.value, r.note)
            for r in session.scalars(
                select(ItemScore).order_by(ItemScore.item_key, ItemScore.stage)
            )
        ]


def scored_at_the_cell(copy: Database) -> tuple[int, Any]:
    """(cell, member) with the member's self-review scored item by item at the cell."""
    cell = first_cell(copy)
    member = plain_member(copy, cell)
    item_scores.enter_item_scores(copy, YEAR, member.subject, "self", ENTRIES, actor=ACTOR)
    return cell, member


def export(copy: Database, cell: int, path: Path) -> Path:
    return exchange.export_package(copy, YEAR, cell, path, actor=ACTOR).path


def test_item_scores_travel_to_the_commune(
    two_copies: tuple[Database, Database], tmp_path: Path
) -> None:
    commune, copy = two_copies
    cell, member = scored_at_the_cell(copy)
    chi_uy = {**ENTRIES, "A.3": ItemEntry(6, "chưa tự phê bình")}
    item_scores.enter_item_scores(copy, YEAR, member.subject, "chi_uy", chi_uy, actor=ACTOR)
    path = export(copy, cell, tmp_path / "goi.dgx")
    document = json.loads(path.read_text("utf-8"))
    assert document["format_version"] >= 4
    criteria = document["content"]["period"]["criteria"]
    assert (criteria["id"], criteria["name"]) == ("tinh-thu-2025", "Bộ tiêu chí thử của tỉnh")
    assert criteria["checksum"].startswith("sha256:")
    sheets = {(s["row"], s["stage"]): s["entries"] for s in document["content"]["item_scores"]}
    assert len(sheets) == 2
    [self_sheet] = [v for (row, stage), v in sheets.items() if stage == "self"]
    assert self_sheet[0] == {"key": "A.1", "value": "12", "note": "dự đủ 12 kỳ sinh hoạt"}
    assert self_sheet[1] == {"key": "A.2", "value": "false", "note": ""}

    plan = exchange.plan_import(commune, exchange.read_package(path))
    assert not plan.blocked, plan.describe()
    text = plan.describe()
    name = member.full_name
    assert f"{name}: {A2} (tự chấm): (chưa chấm) → không đạt" in text
    assert f"{name}: {A3} (chi ủy chấm): (chưa chấm) → 6 (ghi chú: chưa tự phê bình)" in text
    assert len(plan.changes) == 10  # five items at each of the two stages, nothing else
    exchange.apply_package(commune, plan, actor="Văn phòng Đảng ủy")

    assert stored(commune) == stored(copy)
    here, there = line(commune, cell, member.member_id), line(copy, cell, member.member_id)
    assert (here.self_score_general, here.self_score_tasks) == (20, 70)
    score = item_scores.subject_score(commune, YEAR, member.subject)
    assert (score.stage, score.total) == ("chi_uy", 88)
    assert here.suggested_level == there.suggested_level
    assert here.suggestion_reason == there.suggestion_reason
    assert A3 in here.suggestion_reason  # the level's explanation names the item
    logged = [e for e in audit.entries(commune, entity="member_evaluation")
              if e.action == "nhap_goi" and "từng mục" in e.summary]  # fmt: skip
    assert len(logged) == 2 and all("(nhập gói của" in e.summary for e in logged)
    assert audit.verify_chain(commune) == []

    # The cell changes one item: the next package brings that one change, no conflict.
    item_scores.enter_item_scores(copy, YEAR, member.subject, "self", {**ENTRIES, "A.3": 6})
    again = exchange.plan_import(commune, exchange.read_package(export(copy, cell, path)))
    assert not again.blocked and not again.conflicts, again.describe()
    assert [str(c) for c in again.changes] == [f"{name}: {A3} (tự chấm): 8 → 6"]
    exchange.apply_package(commune, again)
    assert line(commune, cell, member.member_id).self_score_general == 18
    assert stored(commune) == stored(copy)


def test_a_commune_on_another_criteria_set_refuses(
    two_copies: tuple[Database, Database], tmp_path: Path
) -> None:
    commune, copy = two_copies
    cell, _member = scored_at_the_cell(copy)
    path = export(copy, cell, tmp_path / "goi.dgx")
    item_scores.choose_criteria(commune, YEAR, "qd366-2025")
    shipped = criteria_sets.period_criteria(commune, YEAR)
    assert shipped is not None
    plan = exchange.plan_import(commune, exchange.read_package(path))
    assert plan.blocked
    [message] = plan.blocking
    assert "Gói chấm điểm từng mục theo bộ tiêu chí “Bộ tiêu chí thử của tỉnh”" in message
    assert f"ở đây chấm theo bộ tiêu chí “{shipped.criteria.name}” (mã qd366-2025)" in message
    with pytest.raises(exchange.ImportBlocked):
        exchange.apply_package(commune, plan)
    assert stored(commune) == []

    # The same id, but the province's copy edited at the commune since: refused too.
    write_copy(EDITED)
    item_scores.choose_criteria(commune, YEAR, "tinh-thu-2025")
    plan = exchange.plan_import(commune, exchange.read_package(path))
    [message] = plan.blocking
    assert "nội dung bộ tiêu chí hai bên khác nhau" in message

    # A commune that scores by totals typed in.
    item_scores.choose_criteria(commune, YEAR, None)
    [message] = exchange.plan_import(commune, exchange.read_package(path)).blocking
    assert "ở đây chưa chọn bộ tiêu chí" in message


def test_a_version_3_package_still_imports(
    two_copies: tuple[Database, Database], tmp_path: Path
) -> None:
    commune, copy = two_copies
    cell, member = scored_at_the_cell(copy)
    content = json.loads(export(copy, cell, tmp_path / "goi.dgx").read_text("utf-8"))["content"]
    del content["period"]["criteria"], content["item_scores"]
    old = tmp_path / "v3.dgx"
    old.write_bytes(exchange_format.encode(content, 3))
    package = exchange.read_package(old)
    assert package.format_version == 3
    assert package.data.item_scores is None and package.data.criteria is None
    plan = exchange.plan_import(commune, package)
    assert not plan.blocked, plan.describe()
    exchange.apply_package(commune, plan)
    # The totals it carries are taken as typed totals; no items come with them.
    here = line(commune, cell, member.member_id)
    assert (here.self_score_general, here.self_score_tasks) == (20, 70)
    assert stored(commune) == []


def test_a_packages_typed_totals_never_overwrite_item_scores(
    two_copies: tuple[Database, Database], tmp_path: Path
) -> None:
    commune, copy = two_copies
    cell = first_cell(copy)
    member = plain_member(copy, cell)
    name = member.full_name
    # The cell typed totals; the commune scored the member item by item.
    procedure_steps.save_self_review(
        copy, YEAR, member.member_id, procedure_steps.SelfReview(score_general=25, score_tasks=60)
    )
    item_scores.enter_item_scores(commune, YEAR, member.subject, "self", ENTRIES)
    items = stored(commune)
    path = export(copy, cell, tmp_path / "goi.dgx")
    plan = exchange.plan_import(commune, exchange.read_package(path))
    assert not plan.blocked, plan.describe()
    assert not [c for c in plan.changes if c.field.startswith("self_score")], plan.describe()
    assert any(
        n.startswith(f"{name}: điểm tự chấm tiêu chí chung trong gói là 25")
        and "lấy điểm theo các mục" in n
        for n in plan.notes
    ), plan.describe()
    exchange.apply_package(commune, plan)
    here = line(commune, cell, member.member_id)
    assert (here.self_score_general, here.self_score_tasks) == (20, 70)
    assert stored(commune) == items

    # A package whose items and typed totals disagree: the items' sums are what is kept.
    item_scores.enter_item_scores(copy, YEAR, member.subject, "self", ENTRIES)
    content = json.loads(export(copy, cell, path).read_text("utf-8"))["content"]
    [entry] = [m for m in content["members"] if m["full_name"] == name]
    entry["stages"]["self_score_tasks"] = 50.0
    edited = tmp_path / "sua.dgx"
    edited.write_bytes(exchange_format.encode(content))
    plan = exchange.plan_import(commune, exchange.read_package(edited))
    assert not plan.blocked, plan.describe()
    assert any(
        n.startswith(f"{name}: điểm tự chấm kết quả nhiệm vụ trong gói là 50") for n in plan.notes
    ), plan.describe()
    exchange.apply_package(commune, plan)
    assert line(commune, cell, member.member_id).self_score_tasks == 70
    assert stored(commune) == items
