"""A full disk during a write (simulated with SQLite's max_page_count): a clear Vietnamese
message, the failed save leaves no trace, and everything saved before is still there."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import event, func, select

from app.domain import clock
from app.domain.member_checks import MemberFields
from app.domain.vocabulary import OrgKind
from app.services.roster import members as member_service
from app.services.roster import organizations as org_service
from app.services.roster.organizations import OrgNode
from app.store.backup import quick_check
from app.store.database import Database
from app.store.errors import DiskFull
from app.store.models import Member

TODAY = clock.today()  # the session's day (tests/conftest.py)


def fill_the_disk(db: Database, spare_pages: int) -> None:
    """From now on the database may grow by *spare_pages* pages only, as on a disk with a few
    kilobytes left."""

    def limit(connection: sqlite3.Connection, _record: object) -> None:
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        connection.execute(f"PRAGMA max_page_count = {pages + spare_pages}")

    db.engine.dispose()  # every connection from now on gets the limit
    event.listen(db.engine, "connect", limit)


def new_member(number: int) -> MemberFields:
    # Long posts (as long as their column holds) make each row big, so the limit is reached
    # after a handful of saves.
    return MemberFields(
        code=f"DF{number:05d}",
        full_name=f"Nguyễn Văn Đầy {number}",
        birth_date=dt.date(1980, 1, 1),
        admitted_on=dt.date(2005, 5, 19),
        official_on=dt.date(2006, 5, 19),
        party_post=("Phó Bí thư chi bộ kiêm Trưởng ban công tác Mặt trận " + "rất dài " * 30)[:200],
        other_post=("Trưởng ban công tác Mặt trận thôn " + "rất dài " * 30)[:200],
    )


@pytest.fixture
def full_db(demo_path: Path) -> Iterator[Database]:
    db = Database.open(demo_path)
    yield db
    db.close()


def cells_of(db: Database) -> list[OrgNode]:
    return [n for n in org_service.list_organizations(db).nodes if n.kind is OrgKind.CELL]


def count_members(path: Path) -> int:
    with closing(sqlite3.connect(path)) as connection:
        return connection.execute("SELECT count(*) FROM members").fetchone()[0]


def test_a_full_disk_refuses_the_save_and_keeps_what_was_saved(full_db: Database) -> None:
    cell = cells_of(full_db)[0]
    before = count_members(full_db.path)
    fill_the_disk(full_db, spare_pages=6)
    saved: list[str] = []
    with pytest.raises(DiskFull) as raised:
        for number in range(500):
            member_service.add_member(full_db, new_member(number), cell.id, TODAY)
            saved.append(f"DF{number:05d}")
    message = str(raised.value)
    assert "Ổ đĩa" in message and "đã đầy" in message and "vẫn nguyên vẹn" in message
    assert saved, "some saves fit before the disk filled"
    failed_code = f"DF{len(saved):05d}"
    full_db.close()

    # Opened again without the limit: whole, every acknowledged save there, the failed one not.
    assert quick_check(full_db.path, full=True) == "ok"
    with Database.open(full_db.path) as again, again.session() as session:
        codes = set(session.scalars(select(Member.code).where(Member.code.like("DF%"))))
        assert codes == set(saved)
        assert failed_code not in codes
        assert session.scalar(select(func.count(Member.id))) == before + len(saved)


def test_the_window_says_the_disk_is_full_and_keeps_the_dialog_open(
    qtbot: QtBot, full_db: Database
) -> None:
    from app.ui.common.widgets import DateField
    from app.ui.roster.member_dialog import MemberDialog
    from app.ui.shell.application import make_application

    make_application()
    cells = cells_of(full_db)
    dialog = MemberDialog(full_db, cells, TODAY, cell_id=cells[0].id)
    qtbot.addWidget(dialog)
    fill_the_disk(full_db, spare_pages=0)
    with pytest.raises(DiskFull):  # the last free bytes go to other saves first
        for number in range(1000, 1500):
            member_service.add_member(full_db, new_member(number), cells[0].id, TODAY)
    before = count_members(full_db.path)
    fields = new_member(1)
    dialog.fields["code"].setText(fields.code)
    dialog.fields["full_name"].setText(fields.full_name)
    dialog.fields["other_post"].setText(fields.other_post)
    for key, day in (
        ("birth_date", fields.birth_date),
        ("admitted_on", fields.admitted_on),
        ("official_on", fields.official_on),
    ):
        widget = dialog.fields[key]
        assert isinstance(widget, DateField)
        widget.setText(f"{day:%d/%m/%Y}")
    dialog.save()
    assert dialog.result() == 0  # not accepted: the dialog stays with what was typed
    assert "đã đầy" in dialog.errors.text()
    assert dialog.saved_id is None
    assert count_members(full_db.path) == before
