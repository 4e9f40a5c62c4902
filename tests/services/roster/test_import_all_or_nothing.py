"""The members workbook import is all or nothing: a failure or a cancel at any stage of the
writing — organisations, members updated, their posts and exemption periods, new members and
theirs — leaves the database exactly as it was, every table, row for row.

The database already holds a commune (three organisations, three members); the workbook
updates all of that (renames, a transfer, a new post, an exemption begun and one ended) and
adds two cells and 260 members, enough for the import to report its progress in the middle of
the members as well as before and after them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app.domain import clock
from app.services.common.progress import Cancelled, Progress
from app.services.roster import bulk_insert as members_bulk
from app.services.roster import members as member_service
from app.services.roster import workbook as members_workbook
from app.store.database import Database
from app.store.models import MemberPeriod, PostHolding
from tests.db_state import changed_tables, state
from tests.services.roster.test_workbook import ORGS, member, write

TODAY = clock.today()
A_MONTH_AGO = f"{TODAY - dt.timedelta(days=30):%d/%m/%Y}"
NEW_MEMBERS = 260
BASE_MEMBERS = [
    member("DV001", "Lò Văn Pọm", **{"Chức vụ Đảng": "Chi ủy viên"}),
    member("DV002", "Lò Thị Ín", "CB02"),
    member("DV003", "Cà Văn Xôm", **{"Miễn sinh hoạt từ": "01/01/2020"}),
]
UPDATED_ORGS = [
    ["XNT", "Đảng bộ xã Na Tông (mới)", "Đảng bộ", None, "Na Tông"],
    ["CB01", "Chi bộ bản Pá Có", "Chi bộ", "XNT", "Pá Có"],
    ["CB02", "Chi bộ bản Huổi Lóng", "Chi bộ", "XNT", "Huổi Lóng"],
    ["CB03", "Chi bộ bản Co Đứa", "Chi bộ", "XNT", None],
    ["CB04", "Chi bộ Trường học", "Chi bộ", "XNT", None],
]


def _new_member(number: int) -> list[object]:
    extra: dict[str, object] = {}
    if number % 7 == 0:
        extra["Chức vụ Đảng"] = "Chi ủy viên"
    if number % 5 == 0:
        extra["Chức vụ khác"] = "Trưởng bản"
    if number % 11 == 0:
        extra["Miễn sinh hoạt từ"] = "01/03/2024"
    cell = ("CB01", "CB02", "CB03", "CB04")[number % 4]
    return member(f"DV{number:04d}", f"Quàng Văn Số {number}", cell, **extra)


def _update_rows() -> list[list[object]]:
    new = [_new_member(number) for number in range(1000, 1000 + NEW_MEMBERS)]
    updated = [
        # transferred to another cell, with another post
        member("DV001", "Lò Văn Pọm", "CB03", **{"Chức vụ Đảng": "Bí thư chi bộ"}),
        # exempt from a month ago
        member("DV002", "Lò Thị Ín", "CB02", **{"Miễn sinh hoạt từ": A_MONTH_AGO}),
        # no longer exempt, and renamed
        member("DV003", "Cà Văn Xôm B"),
    ]
    # Updates both before and after the 200th row, where the import reports its progress.
    return [updated[0], *new[:150], updated[1], *new[150:230], updated[2], *new[230:]]


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the workbook of the commune as it is, the workbook that updates and extends it)."""
    folder = tmp_path_factory.mktemp("members-import")
    return (
        write(folder / "base.xlsx", BASE_MEMBERS, ORGS),
        write(folder / "update.xlsx", _update_rows(), UPDATED_ORGS),
    )


@pytest.fixture
def commune(db: Database, workbooks: tuple[Path, Path]) -> Database:
    """A database holding the commune, on each engine."""
    members_workbook.import_members(db, workbooks[0], TODAY)
    return db


@pytest.fixture
def workbook(workbooks: tuple[Path, Path]) -> Path:
    return workbooks[1]


def test_the_whole_import_writes_every_stage(commune: Database, workbook: Path) -> None:
    """What the failures below interrupt: the import really writes at every stage."""
    before = state(commune)
    result = members_workbook.import_members(commune, workbook, TODAY)
    assert (result.orgs_added, result.orgs_updated) == (2, 3)
    assert (result.members_added, result.members_updated) == (NEW_MEMBERS, 3)
    changed = {line.split(":")[0] for line in changed_tables(before, state(commune))}
    assert {
        "organizations", "members", "cell_memberships", "post_holdings", "member_periods",
    } <= changed  # fmt: skip


class Broken(Exception):
    """The failure injected into the import (a disk error, a bug)."""


def _failing_on(call: int, original: Callable[..., Any]) -> Callable[..., Any]:
    """*original*, except that its *call*-th call raises instead of running."""
    calls = 0

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == call:
            raise Broken(f"{original.__name__}, call {call}")
        return original(*args, **kwargs)

    return wrapper


def _failing_after(original: Callable[..., Any]) -> Callable[..., Any]:
    """*original* runs to its end, then the failure comes."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        original(*args, **kwargs)
        raise Broken(f"after {original.__name__}")

    return wrapper


def _failing_insert_of(table: Any) -> Callable[..., Any]:
    """The bulk insert of new members fails when it comes to *table*."""
    original = members_bulk.insert

    def wrapper(target: Any) -> Any:
        if target is table:
            raise Broken(f"insert into {table.name}")
        return original(target)

    return wrapper


# Where the failure strikes, in the order the import gets there; each is a function the
# import calls, replaced by one that raises.
FAILURES: dict[str, tuple[Any, str, Callable[[], Callable[..., Any]]]] = {
    "reading the members": (
        members_workbook, "_read_members", lambda: _failing_on(1, members_workbook._read_members)
    ),
    "the organisations written, the first member next": (
        member_service, "normalise", lambda: _failing_on(1, member_service.normalise)
    ),
    "one member updated, the next one failing": (
        member_service, "apply_fields", lambda: _failing_on(2, member_service.apply_fields)
    ),
    "a post of an updated member": (
        member_service, "_set_post", lambda: _failing_on(3, member_service._set_post)
    ),
    "an exemption of an updated member": (
        member_service, "_set_exemption", lambda: _failing_on(2, member_service._set_exemption)
    ),
    "the new members' posts": (
        members_bulk, "insert", lambda: _failing_insert_of(PostHolding.__table__)
    ),
    "the new members' exemptions": (
        members_bulk, "insert", lambda: _failing_insert_of(MemberPeriod.__table__)
    ),
    "everything written, nothing committed yet": (
        members_workbook, "add_members", lambda: _failing_after(members_workbook.add_members)
    ),
}  # fmt: skip


@pytest.mark.parametrize("where", list(FAILURES))
def test_a_failure_at_any_stage_leaves_the_database_as_it_was(
    where: str, commune: Database, workbook: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    module, name, make = FAILURES[where]
    before = state(commune)
    monkeypatch.setattr(module, name, make())
    with pytest.raises(Broken):
        members_workbook.import_members(commune, workbook, TODAY)
    assert changed_tables(before, state(commune)) == []


def test_a_cancel_at_any_progress_step_leaves_the_database_as_it_was(
    commune: Database, workbook: Path
) -> None:
    """The user presses Cancel while the import reports its first step, then its second…
    until the import runs to its end without being asked again."""
    before = state(commune)
    cancelled_at: list[str] = []
    for cancel_at in range(1, 20):
        asked = 0
        last_step = ""

        def is_cancelled(cancel_at: int = cancel_at) -> bool:
            nonlocal asked
            asked += 1
            return asked == cancel_at

        def report(done: int, total: int, text: str) -> None:
            nonlocal last_step
            last_step = f"{text} ({done}/{total})"

        try:
            members_workbook.import_members(
                commune, workbook, TODAY, Progress(report=report, is_cancelled=is_cancelled)
            )
        except Cancelled:
            cancelled_at.append(f"after “{last_step}”" if last_step else "at the start")
            assert changed_tables(before, state(commune)) == [], cancelled_at[-1]
        else:
            break
    # Checking, before the organisations, among the members (at the 200th), before saving.
    assert cancelled_at == [
        "at the start",
        "after “Đang kiểm tra danh sách tổ chức (1/3)”",
        "after “Đang kiểm tra danh sách đảng viên (2/3)”",
        f"after “Đang ghi danh sách đảng viên (0/{NEW_MEMBERS + 3})”",
        f"after “Đang ghi danh sách đảng viên (200/{NEW_MEMBERS + 3})”",
    ]
    assert changed_tables(before, state(commune)) != []  # the last run went through
