"""The audit log's hash chain names any entry edited behind the app's back, whatever field of
it was edited, and the place where an entry was deleted — read through the open database
(``verify_chain``) and from the file alone (``verify_chain_file``, as ``danhgia check`` and a
backup's check read it).

Each case writes a short chain with the app's two writers (one entry at a time, as the window
logs, and many at once, as the demo and the imports log), edits one stored field of the middle
entry with plain SQL, and expects exactly the sentences that name that entry.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from app.services.safekeeping import audit
from app.store.database import Database
from app.store.models import AuditEntry

ENTRIES = 5
MIDDLE = 3  # the edited entry: it has entries before and after it


def _entry(number: int) -> audit.NewEntry:
    return audit.NewEntry(
        at=dt.datetime(2026, 11, 20, 8, 0) + dt.timedelta(minutes=number),
        actor=f"Lò Thị Ín {number}",
        action="ghi_decided",
        entity="member_evaluation",
        entity_id=100 + number,
        period_id=7,
        summary=f"Đảng viên số {number}: mức quyết định HTTNV → HTXSNV",
        before={"decided_level": "HTTNV", "decision_reason": ""},
        after={"decided_level": "HTXSNV", "decision_reason": f"Lý do {number}"},
    )


def _one_at_a_time(db: Database) -> None:
    for number in range(1, ENTRIES + 1):
        item = _entry(number)
        with db.session() as session:
            audit.record(
                session, actor=item.actor, action=item.action, entity=item.entity,
                entity_id=item.entity_id, summary=item.summary, period_id=item.period_id,
                before=item.before, after=item.after, at=item.at,
            )  # fmt: skip


def _all_at_once(db: Database) -> None:
    with db.session() as session:
        audit.record_many(session, [_entry(number) for number in range(1, ENTRIES + 1)])


WRITERS: dict[str, Callable[[Database], None]] = {
    "one at a time": _one_at_a_time,
    "all at once": _all_at_once,
}


@pytest.fixture(params=sorted(WRITERS))
def chain(request: pytest.FixtureRequest, db: Database) -> Database:
    """An intact chain of five entries, ids 1 to 5."""
    WRITERS[request.param](db)
    assert [e.id for e in audit.entries(db)] == list(range(1, ENTRIES + 1))
    assert audit.verify_chain(db) == []
    assert audit.verify_chain_file(db.path) == []
    return db


def _edit(path: Path, sql: str, parameters: tuple[object, ...] = ()) -> None:
    with closing(sqlite3.connect(path)) as connection:
        changed = connection.execute(sql, parameters).rowcount
        connection.commit()
    assert changed == 1, f"the edit touched {changed} rows: {sql}"


def _problems(db: Database) -> list[str]:
    """What both checks report; they must agree."""
    found = audit.verify_chain(db)
    assert audit.verify_chain_file(db.path) == found
    return found


EDITED = f"mục số {MIDDLE} của nhật ký thay đổi đã bị sửa"

# Each field of an entry, and a change of it as someone with the file and a SQLite tool would
# make it. The JSON fields are edited inside (one value, one key), emptied, and set when empty.
FIELD_EDITS: dict[str, str] = {
    "at, one second later": "UPDATE audit_log SET at = datetime(at, '+1 second') WHERE id = ?",
    "at, another day": "UPDATE audit_log SET at = datetime(at, '-1 day') WHERE id = ?",
    "actor": "UPDATE audit_log SET actor = 'Người khác' WHERE id = ?",
    "actor emptied": "UPDATE audit_log SET actor = '' WHERE id = ?",
    "action": "UPDATE audit_log SET action = 'ghi_proposed' WHERE id = ?",
    "entity": "UPDATE audit_log SET entity = 'org_evaluation' WHERE id = ?",
    "entity_id": "UPDATE audit_log SET entity_id = entity_id + 1 WHERE id = ?",
    "entity_id removed": "UPDATE audit_log SET entity_id = NULL WHERE id = ?",
    "period_id": "UPDATE audit_log SET period_id = period_id + 1 WHERE id = ?",
    "period_id removed": "UPDATE audit_log SET period_id = NULL WHERE id = ?",
    "summary": "UPDATE audit_log SET summary = replace(summary, 'HTXSNV', 'HTTNV') WHERE id = ?",
    "before, a value": (
        "UPDATE audit_log SET before = json_set(before, '$.decided_level', 'KHTNV') WHERE id = ?"
    ),
    "before, a key added": (
        "UPDATE audit_log SET before = json_set(before, '$.note', 'thêm') WHERE id = ?"
    ),
    "before removed": "UPDATE audit_log SET before = NULL WHERE id = ?",
    "after, a value": (
        "UPDATE audit_log SET after = json_set(after, '$.decided_level', 'HTNV') WHERE id = ?"
    ),
    "after, a key removed": (
        "UPDATE audit_log SET after = json_remove(after, '$.decision_reason') WHERE id = ?"
    ),
    "after removed": "UPDATE audit_log SET after = NULL WHERE id = ?",
}


@pytest.mark.parametrize("edit", sorted(FIELD_EDITS))
def test_an_edited_field_names_its_entry(chain: Database, edit: str) -> None:
    _edit(chain.path, FIELD_EDITS[edit], (MIDDLE,))
    assert _problems(chain) == [EDITED]


def test_json_written_again_in_another_layout_is_not_an_edit(chain: Database) -> None:
    """The hash covers the values, not the spelling of the JSON: a tool that rewrites the
    text with other spacing and key order changes nothing."""
    _edit(
        chain.path,
        "UPDATE audit_log SET after = json_object("
        "'decision_reason', json_extract(after, '$.decision_reason'), "
        "'decided_level', json_extract(after, '$.decided_level')) WHERE id = ?",
        (MIDDLE,),
    )
    assert _problems(chain) == []


def test_an_edit_of_before_or_after_is_caught_with_the_hash_written_again(
    chain: Database,
) -> None:
    """Someone who edits `after` and then recomputes that entry's hash with the published
    formula still breaks the link to the next entry."""
    with chain.session() as session:
        entry = session.get(AuditEntry, MIDDLE)
        assert entry is not None
        entry.after = {"decided_level": "KHTNV", "decision_reason": "sửa"}
        entry.hash = audit._entry_hash(entry)
    assert _problems(chain) == [f"nhật ký thay đổi bị xóa hoặc chèn trước mục số {MIDDLE + 1}"]


def test_an_edited_previous_hash_names_its_entry(chain: Database) -> None:
    _edit(
        chain.path,
        "UPDATE audit_log SET previous_hash = 'ab' || previous_hash WHERE id = ?",
        (MIDDLE,),
    )
    assert _problems(chain) == [
        f"nhật ký thay đổi bị xóa hoặc chèn trước mục số {MIDDLE}",
        EDITED,
    ]


def test_an_edited_hash_names_its_entry_and_breaks_the_next_link(chain: Database) -> None:
    _edit(chain.path, "UPDATE audit_log SET hash = upper(hash) WHERE id = ?", (MIDDLE,))
    assert _problems(chain) == [
        EDITED,
        f"nhật ký thay đổi bị xóa hoặc chèn trước mục số {MIDDLE + 1}",
    ]


def test_a_deleted_entry_in_the_middle_is_named_where_it_was(chain: Database) -> None:
    _edit(chain.path, "DELETE FROM audit_log WHERE id = ?", (MIDDLE,))
    assert _problems(chain) == [f"nhật ký thay đổi bị xóa hoặc chèn trước mục số {MIDDLE + 1}"]


def test_a_deleted_first_entry_is_named(chain: Database) -> None:
    _edit(chain.path, "DELETE FROM audit_log WHERE id = ?", (1,))
    assert _problems(chain) == ["nhật ký thay đổi bị xóa hoặc chèn trước mục số 2"]


def test_an_entry_copied_into_the_middle_is_named(chain: Database) -> None:
    """A copy of an earlier entry slipped in between two others (its own hash is right)."""
    _edit(chain.path, "DELETE FROM audit_log WHERE id = ?", (MIDDLE,))
    _edit(
        chain.path,
        "INSERT INTO audit_log (id, at, actor, action, entity, entity_id, period_id, summary, "
        "before, after, previous_hash, hash) SELECT ?, at, actor, action, entity, entity_id, "
        "period_id, summary, before, after, previous_hash, hash FROM audit_log WHERE id = 1",
        (MIDDLE,),
    )
    assert _problems(chain) == [
        f"nhật ký thay đổi bị xóa hoặc chèn trước mục số {MIDDLE}",
        f"nhật ký thay đổi bị xóa hoặc chèn trước mục số {MIDDLE + 1}",
    ]
