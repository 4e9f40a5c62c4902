"""Conflicting saves: two clients on one database edit the same member's row. The second
save, made from an older reading, is refused with a Vietnamese message naming who changed
what and when; nothing is lost. On each engine (a SQLite file, a PostgreSQL server database):
two separate Database objects, as two windows on two PCs would have."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from app.domain.rules import Subject
from app.services.periods import lifecycle as periods
from app.services.periods import rule_sets as rulesets
from app.services.procedure import board as procedure_board
from app.services.procedure import conflicts
from app.services.procedure import steps as procedure_steps
from app.services.procedure import view as procedure_view
from app.services.procedure.conflicts import ConflictError
from app.store.database import Database
from app.store.models import AuditEntry, MemberEvaluation

YEAR = 2026


@pytest.fixture
def clients(any_db: Database) -> Iterator[tuple[Database, Database]]:
    """Two clients of one database: the fixture's, and a second Database object on it."""
    periods.create_period(any_db, YEAR, rulesets.get("qd366-2025"), dt.date(YEAR, 12, 31))
    if any_db.is_server:
        other = Database.open(any_db.location)
    else:  # the instance lock keeps a second window off one file: the test opens it beside
        other = Database(any_db.location, None)
    yield any_db, other
    other.close()


def _first_member(db: Database) -> procedure_view.MemberLine:
    cell = procedure_board.board(db, YEAR)[0].cell_id
    return next(m for m in procedure_view.cell_view(db, YEAR, cell).members if m.evaluated)


def _line(db: Database, member_id: int) -> procedure_view.MemberLine:
    cell = procedure_board.board(db, YEAR)[0].cell_id
    return next(m for m in procedure_view.cell_view(db, YEAR, cell).members
                if m.member_id == member_id)  # fmt: skip


def _review(text: str) -> procedure_steps.SelfReview:
    return procedure_steps.SelfReview(
        level="HTTNV", score_general=26, score_tasks=58, all_tasks_on_time=True, text=text
    )


def _entries(db: Database) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(AuditEntry)) or 0


def test_the_second_save_of_the_same_cell_is_refused_naming_who_changed_what(
    clients: tuple[Database, Database],
) -> None:
    first, second = clients
    read_by_a = _first_member(first)
    read_by_b = _line(second, read_by_a.member_id)
    assert read_by_a.version == read_by_b.version == 1

    procedure_steps.save_self_review(
        first, YEAR, read_by_a.member_id, _review("Bản của chị Lan"), actor="lan",
        expected_version=read_by_a.version,
    )  # fmt: skip
    entries = _entries(first)
    with pytest.raises(ConflictError) as refused:
        procedure_steps.save_self_review(
            second, YEAR, read_by_b.member_id, _review("Bản của anh Minh"), actor="minh",
            expected_version=read_by_b.version,
        )  # fmt: skip
    message = str(refused.value)
    assert message.startswith("Không lưu được: trong lúc anh/chị sửa, lan đã thay đổi “")
    assert f"{read_by_a.full_name}: tự kiểm điểm" in message and " lúc " in message
    assert "Chưa ghi gì" in message
    # Nothing lost: the first save stands, nothing of the second was written or logged.
    now = _line(second, read_by_a.member_id)
    assert now.self_review == "Bản của chị Lan" and now.version == 2
    assert _entries(second) == entries
    # Reloaded, the second client saves over it knowingly.
    procedure_steps.save_self_review(
        second, YEAR, now.member_id, _review("Bản của anh Minh"), actor="minh",
        expected_version=now.version,
    )  # fmt: skip
    assert _line(first, now.member_id).self_review == "Bản của anh Minh"


def test_a_proposal_from_an_old_reading_is_refused(clients: tuple[Database, Database]) -> None:
    first, second = clients
    line = _first_member(first)
    procedure_steps.save_self_review(first, YEAR, line.member_id, _review("Tự kiểm"), actor="lan")
    subject = Subject("member", line.member_id)
    with pytest.raises(ConflictError, match="lan đã thay đổi"):
        procedure_steps.set_proposal(second, YEAR, subject, "HTTNV", actor="minh",
                                     expected_version=line.version)  # fmt: skip
    assert _line(first, line.member_id).proposed_level is None
    procedure_steps.set_proposal(second, YEAR, subject, "HTTNV", actor="minh",
                                 expected_version=line.version + 1)  # fmt: skip
    assert _line(first, line.member_id).proposed_level == "HTTNV"


def test_without_a_version_a_save_works_as_before(clients: tuple[Database, Database]) -> None:
    first, second = clients
    line = _first_member(first)
    procedure_steps.save_self_review(first, YEAR, line.member_id, _review("Một"), actor="lan")
    procedure_steps.save_self_review(second, YEAR, line.member_id, _review("Hai"), actor="minh")
    assert _line(first, line.member_id).version == 3


def test_a_change_between_reading_and_writing_is_the_same_refusal(
    clients: tuple[Database, Database], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The other client saves after this save has read the row and checked its version: the
    UPDATE finds the row at another version (StaleDataError), which becomes a ConflictError."""
    first, second = clients
    line = _first_member(first)
    real = procedure_steps.editable_cell
    done: list[bool] = []

    def meanwhile(*args: object) -> None:
        if not done:
            done.append(True)
            procedure_steps.save_self_review(
                first, YEAR, line.member_id, _review("Chen ngang"), actor="lan"
            )
        real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(procedure_steps, "editable_cell", meanwhile)
    # SQLite lets one writer at a time and refuses a write from a reading older than the last
    # commit itself ("database is locked"); a server runs the UPDATE, which finds no row at
    # the version read.
    refusal = ConflictError if second.is_server else OperationalError
    with pytest.raises(refusal, match="lan đã thay đổi" if second.is_server else "locked"):
        procedure_steps.save_self_review(second, YEAR, line.member_id, _review("Muộn"),
                                         actor="minh", expected_version=line.version)  # fmt: skip
    assert _line(first, line.member_id).self_review == "Chen ngang"
    with first.session() as session:
        assert (
            session.scalar(
                select(MemberEvaluation.version).where(MemberEvaluation.member_id == line.member_id)
            )
            == 2
        )
    assert conflicts.ConflictError is ConflictError
