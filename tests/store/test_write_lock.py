"""Writers of a server database take one lock before their first write (app/store/write_lock):
a unit of work that changes a row holds it from that first write to its end, so that two
windows' saves can never lock the row and the audit chain in opposite orders (a deadlock
PostgreSQL would break with a raw error). Reading takes nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select, text, update

from app.store import write_lock
from app.store.database import Database
from app.store.models import Member

PgUrl = Callable[[str], str]


def _free(other: Database) -> bool:
    """Whether another client could take the writers' lock now (and lets it go at once)."""
    with other.session() as session:
        taken = session.scalar(
            text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": write_lock.WRITE_LOCK_KEY}
        )
    return bool(taken)


def test_the_first_write_takes_the_lock_until_the_end(pg_url: PgUrl) -> None:
    url = pg_url("demo")
    with Database.open(url) as mine, Database.open(url) as theirs:
        with mine.session() as session:
            member = session.scalars(select(Member).limit(1)).one()
            assert _free(theirs)  # reading took nothing
            member.note = "Ghi chú mới"
            session.flush()  # the UPDATE: the lock first
            assert not _free(theirs)
        assert _free(theirs)  # committed: released

        with mine.session() as session:
            session.execute(update(Member).where(Member.id == member.id).values(note=""))
            assert not _free(theirs)  # an UPDATE statement through the ORM too
        assert _free(theirs)


def test_a_sqlite_file_takes_no_server_lock(demo_path: Path) -> None:
    with Database.open(demo_path) as db:
        with db.session() as session:
            member = session.scalars(select(Member).limit(1)).one()
            member.note = "Ghi chú mới"
            session.flush()  # nothing to take: one writer at a time already
        with db.session() as session:
            assert session.get(Member, member.id).note == "Ghi chú mới"


def test_a_row_changed_between_reading_and_writing_is_said_in_words(pg_url: PgUrl) -> None:
    """Two clients read the same evaluation; the later UPDATE finds it at another version:
    nothing of that unit of work is written, and the store says why in Vietnamese instead of
    SQLAlchemy's StaleDataError."""
    from app.store.errors import ChangedMeanwhile
    from app.store.models import MemberEvaluation

    url = pg_url("full-demo")
    refused = pytest.raises(ChangedMeanwhile, match="người khác vừa thay đổi đúng bản ghi này")
    with Database.open(url) as mine, Database.open(url) as theirs:
        with refused, mine.session() as session:
            row = session.scalars(select(MemberEvaluation).limit(1)).one()
            row_id = row.id
            with theirs.session() as other:
                other.get(MemberEvaluation, row_id).self_review = "Bản của người kia"
            row.self_review = "Bản của tôi"
        with theirs.session() as session:
            assert session.get(MemberEvaluation, row_id).self_review == "Bản của người kia"
