"""The audit log read back as it was written: every field of every entry, in the order the
changes were made, filtered by period, by kind of record and by record; entries written in
bulk chain on from those written one by one, and the chain checks whole."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest

from app.domain.vocabulary import AuditAction
from app.services.safekeeping import audit
from app.store.database import Database
from app.store.models import AuditEntry

AT = dt.datetime(2026, 11, 20, 8, 30, 15, 123456)


@pytest.fixture
def db(any_empty_db: Database) -> Database:
    """Each test here runs on a SQLite file and on a PostgreSQL server (tests/conftest.py)."""
    return any_empty_db


def _write(db: Database) -> None:
    with db.session() as session:
        for n, (entity, entity_id, period_id) in enumerate(
            [("meeting", 7, 1), ("member_evaluation", 7, 1), ("member_evaluation", 8, 2),
             ("period", None, 2)],
            start=1,
        ):  # fmt: skip
            audit.record(
                session, actor=f"Người {n}", action=AuditAction.PLAN, entity=entity,
                entity_id=entity_id, period_id=period_id, summary=f"Thay đổi {n}",
                before={"n": n - 1}, after={"n": n}, at=AT + dt.timedelta(minutes=n),
            )  # fmt: skip


def test_every_field_comes_back_as_written(db: Database) -> None:
    _write(db)
    first = audit.entries(db)[0]
    assert first.at == dt.datetime(2026, 11, 20, 8, 31, 15)  # whole seconds, as hashed
    assert (first.actor, first.action, first.entity, first.entity_id, first.period_id) == (
        "Người 1", "ke_hoach", "meeting", 7, 1,
    )  # fmt: skip
    assert (first.summary, first.before, first.after) == ("Thay đổi 1", {"n": 0}, {"n": 1})


def test_the_log_is_filtered_by_period_kind_and_record(db: Database) -> None:
    _write(db)

    def summaries(**where: object) -> list[str]:
        return [e.summary for e in audit.entries(db, **where)]

    assert summaries() == ["Thay đổi 1", "Thay đổi 2", "Thay đổi 3", "Thay đổi 4"]
    assert summaries(period_id=2) == ["Thay đổi 3", "Thay đổi 4"]
    assert summaries(entity="member_evaluation") == ["Thay đổi 2", "Thay đổi 3"]
    assert summaries(entity_id=7) == ["Thay đổi 1", "Thay đổi 2"]
    assert summaries(entity="member_evaluation", entity_id=7) == ["Thay đổi 2"]
    assert summaries(period_id=1, entity="period") == []


def test_bulk_entries_chain_on_and_are_read_back_whole(db: Database) -> None:
    _write(db)
    bulk = [
        audit.NewEntry(AT, "Máy", AuditAction.DEMO_DATA, "member_evaluation", 9, "Hàng loạt 1",
                       period_id=3, before=None, after={"level": "HTTNV"}),
        audit.NewEntry(AT, "Máy", AuditAction.DEMO_DATA, "member_evaluation", 10, "Hàng loạt 2",
                       period_id=3, before={"level": "HTNV"}, after=None),
    ]  # fmt: skip
    with db.session() as session:
        audit.record(session, actor="Trước", action=AuditAction.PLAN, entity="period",
                     entity_id=None, summary="Ngay trước", at=AT)  # fmt: skip
        audit.record_many(session, bulk)
        audit.record(session, actor="Sau", action=AuditAction.PLAN, entity="period",
                     entity_id=None, summary="Ngay sau", at=AT)  # fmt: skip
    log = audit.entries(db)
    assert [e.summary for e in log[-4:]] == ["Ngay trước", "Hàng loạt 1", "Hàng loạt 2", "Ngay sau"]
    one, two = log[-3], log[-2]
    assert one.at == two.at == dt.datetime(2026, 11, 20, 8, 30, 15)
    assert (one.actor, one.action, one.entity_id, one.period_id) == ("Máy", "du_lieu_mau", 9, 3)
    assert (one.before, one.after) == (None, {"level": "HTTNV"})
    assert (two.before, two.after) == ({"level": "HTNV"}, None)
    assert audit.verify_chain(db) == []


def test_each_hash_is_the_documented_digest_so_older_logs_keep_verifying(db: Database) -> None:
    # The digest is part of the file format: a database written by this version must verify
    # in the next. SHA-256 of the entry as JSON (keys sorted, UTF-8 as is, the time in ISO
    # form) with the previous entry's hash; computed here independently of the app's code.
    _write(db)
    with db.session() as session:
        rows = session.query(AuditEntry).order_by(AuditEntry.id).all()
        previous = ""
        for row in rows:
            payload = {
                "at": row.at.isoformat(), "actor": row.actor, "action": row.action,
                "entity": row.entity, "entity_id": row.entity_id, "period_id": row.period_id,
                "summary": row.summary, "before": row.before, "after": row.after,
                "previous": previous,
            }  # fmt: skip
            text = json.dumps(payload, ensure_ascii=False, sort_keys=True)
            assert row.previous_hash == previous
            assert row.hash == hashlib.sha256(text.encode("utf-8")).hexdigest()
            previous = row.hash
    assert rows[0].hash == "4005f0ef8bccb6df36c8e89291884145dcd92a116ff3b84b23c8f810e254b8ac"
