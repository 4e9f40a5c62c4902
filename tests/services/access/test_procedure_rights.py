"""A commune's own procedure on a shared database: with users in it, only an administrator or
a clerk of that commune may write its records. The check sits where every write is logged,
so the window, the command line and any service go through it; a refused write leaves
nothing behind. On each engine."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from app.__main__ import main
from app.services.access import permissions, users
from app.services.access.permissions import PermissionDenied, own_commune
from app.services.periods import lifecycle as periods
from app.services.periods import rule_sets as rulesets
from app.services.procedure import board as procedure_board
from app.services.procedure import steps as procedure_steps
from app.services.procedure import view as procedure_view
from app.services.roster import members as roster
from app.store.database import Database
from app.store.models import AuditEntry, CellMembership, Member

YEAR = 2026


def _commune(db: Database) -> str:
    with db.session() as session:
        return own_commune(session)


def _office(db: Database) -> str:
    """The users of a shared database; the demo commune's code."""
    code = _commune(db)
    users.add_user(db, "admin1", "admin")
    users.add_user(db, "clerk_here", "clerk", communes=[code], actor="admin1")
    users.add_user(db, "clerk_other", "clerk", communes=["XKHAC"], actor="admin1")
    users.add_user(db, "thanhtra", "inspector", actor="admin1")
    return code


def _line(db: Database) -> procedure_view.MemberLine:
    cell = procedure_board.board(db, YEAR)[0].cell_id
    return next(m for m in procedure_view.cell_view(db, YEAR, cell).members if m.evaluated)


def _save(db: Database, member_id: int, text: str, actor: str) -> None:
    review = procedure_steps.SelfReview(level="HTTNV", score_general=26, score_tasks=58, text=text)
    procedure_steps.save_self_review(db, YEAR, member_id, review, actor)


def _entries(db: Database) -> list[tuple[str, str]]:
    with db.session() as session:
        rows = session.execute(
            select(AuditEntry.actor, AuditEntry.summary).order_by(AuditEntry.id)
        ).all()
    return [(r[0], r[1]) for r in rows]


def test_only_the_communes_clerk_writes_its_procedure(any_db: Database) -> None:
    code = _office(any_db)
    assert code  # the demo's commune: the top of its organisation tree
    with pytest.raises(PermissionDenied, match=r"--user"):
        periods.create_period(any_db, YEAR, rulesets.get("qd366-2025"), dt.date(YEAR, 12, 31))
    periods.create_period(
        any_db, YEAR, rulesets.get("qd366-2025"), dt.date(YEAR, 12, 31), actor="admin1"
    )
    member = _line(any_db).member_id

    _save(any_db, member, "Bản của chuyên viên phụ trách xã.", "clerk_here")
    before = _entries(any_db)
    with pytest.raises(PermissionDenied, match=rf"phụ trách XKHAC: không được ghi .* mã {code}"):
        _save(any_db, member, "Bản của người không phụ trách.", "clerk_other")
    with pytest.raises(PermissionDenied, match="chỉ được xem"):
        _save(any_db, member, "Bản của thanh tra.", "thanhtra")
    with pytest.raises(PermissionDenied, match="Không có người dùng “ai_do”"):
        _save(any_db, member, "Bản của người lạ.", "ai_do")

    assert _entries(any_db) == before  # nothing written, not even a log line
    assert _line(any_db).self_review == "Bản của chuyên viên phụ trách xã."
    assert before[-1][0] == "clerk_here"  # the audit entry names the user


def test_the_command_line_is_checked_too(
    demo_path: object, capsys: pytest.CaptureFixture[str]
) -> None:
    with Database.open(demo_path) as db:  # type: ignore[arg-type]
        _office(db)
        periods.create_period(
            db, YEAR, rulesets.get("qd366-2025"), dt.date(YEAR, 12, 31), actor="admin1"
        )
        before = _entries(db)
    where = ("--db", str(demo_path))
    choose = ("criteria", "choose", "--year", str(YEAR), "qd366-2025", *where)
    assert main([*choose, "--user", "clerk_other"]) != 0
    said = capsys.readouterr()
    assert "không được ghi" in said.err + said.out
    assert main([*choose, "--user", "thanhtra"]) != 0
    with Database.open(demo_path) as db:  # type: ignore[arg-type]
        assert _entries(db) == before
    assert main([*choose, "--user", "clerk_here"]) == 0
    with Database.open(demo_path) as db:  # type: ignore[arg-type]
        assert _entries(db)[-1][0] == "clerk_here"
        with db.session() as session:
            assert session.scalar(select(func.count()).select_from(AuditEntry)) == len(before) + 1


def _cells(db: Database) -> tuple[int, int, int]:
    """A member, his cell and another cell."""
    with db.session() as session:
        membership = session.scalars(
            select(CellMembership).where(CellMembership.end_on.is_(None)).limit(1)
        ).one()
        other = session.scalar(
            select(CellMembership.org_id).where(CellMembership.org_id != membership.org_id)
        )
        return membership.member_id, membership.org_id, other


def test_the_roster_is_checked_for_the_user_the_database_acts_as(any_db: Database) -> None:
    """The roster's changes are not in the audit log: the user the window signed in as (the
    command line's --user) is asked before the first write of every unit of work instead."""
    _office(any_db)
    member, _cell, other_cell = _cells(any_db)
    on = dt.date(YEAR, 6, 1)
    assert permissions.act_as(any_db, "clerk_other") == "clerk_other"
    with pytest.raises(PermissionDenied, match="phụ trách XKHAC: không được ghi"):
        roster.move_member(any_db, member, other_cell, on)
    with any_db.session() as session:
        assert session.scalar(select(func.count()).select_from(Member)) > 0  # reading: free
    assert _cells(any_db)[0] == member  # not moved

    other = Database.open(any_db.location) if any_db.is_server else Database(any_db.location, None)
    try:
        permissions.act_as(other, "clerk_here")
        roster.move_member(other, member, other_cell, on)
    finally:
        other.close()
    with any_db.session() as session:
        moved = session.scalar(
            select(CellMembership.org_id).where(
                CellMembership.member_id == member, CellMembership.end_on.is_(None)
            )
        )
    assert moved == other_cell
