"""A member's history and an organisation's discipline entered one record at a time (issue 16,
item 1): checked field by field, logged, refused in a decided year, and read by the rules."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from app.domain.rules.leave import LeaveSpan
from app.domain.vocabulary import DisciplineForm, PeriodKind
from app.services.common.errors import LockedError, ValidationError
from app.services.periods import facts
from app.services.periods import lifecycle as periods
from app.services.procedure import board as procedure_board
from app.services.procedure import view as procedure_view
from app.services.roster import history
from app.services.roster.history import DisciplineRecord, PeriodRecord
from app.services.safekeeping import audit
from app.store.database import Database

ACTOR = "Văn phòng Đảng ủy"


def open_year(db: Database) -> int:
    return periods.list_periods(db)[-1].year


def a_member(db: Database, year: int) -> tuple[int, int, str]:
    """(cell, member, name): an evaluated member of the first cell of the open year."""
    cell = procedure_board.board(db, year)[0].cell_id
    line = next(m for m in procedure_view.cell_view(db, year, cell).members if m.evaluated)
    return cell, line.member_id, line.full_name


def test_records_are_saved_listed_and_logged(any_full_demo_db: Database) -> None:
    db = any_full_demo_db
    year = open_year(db)
    today = dt.date(year, 11, 25)
    _cell, member, name = a_member(db, year)
    sick = PeriodRecord(PeriodKind.SICK_LEAVE, dt.date(year, 2, 1), dt.date(year, 5, 1), "Viện")
    period_id = history.save_period(db, member, sick, ACTOR, today)
    reprimand = DisciplineRecord(
        DisciplineForm.REPRIMAND, dt.date(year, 3, 10), "UBKT Đảng ủy xã", "Vi phạm đảng phí"
    )
    discipline_id = history.save_discipline(db, member, reprimand, ACTOR, today)
    saved = history.member_history(db, member)
    assert dataclasses.replace(sick, id=period_id) in saved.periods
    assert saved.disciplines[0] == dataclasses.replace(reprimand, id=discipline_id)
    summaries = [e.summary for e in audit.entries(db, entity="member_period")]
    assert summaries[-1] == f"{name}: nghỉ ốm từ 01/02/{year} đến 01/05/{year}"
    logged = audit.entries(db, entity="discipline", entity_id=discipline_id)
    assert logged[-1].actor == ACTOR and logged[-1].before is None
    assert logged[-1].summary == f"{name}: kỷ luật khiển trách ngày 10/03/{year}"
    # Erased later: the change is logged with what it was before.
    erased = dataclasses.replace(reprimand, id=discipline_id, erased_on=dt.date(year, 9, 10))
    history.save_discipline(db, member, erased, ACTOR, today)
    last = audit.entries(db, entity="discipline", entity_id=discipline_id)[-1]
    assert (last.before or {})["erased_on"] == "" and (last.after or {})["erased_on"] == (
        f"{year}-09-10"
    )
    history.delete_period(db, member, period_id, ACTOR)
    assert all(p.id != period_id for p in history.member_history(db, member).periods)
    assert audit.verify_chain(db) == []


def test_a_bad_record_is_refused_naming_each_field(any_full_demo_db: Database) -> None:
    db = any_full_demo_db
    year = open_year(db)
    today = dt.date(year, 11, 25)
    _cell, member, _name = a_member(db, year)
    with pytest.raises(ValidationError) as refused:
        history.save_period(
            db, member,
            PeriodRecord(PeriodKind.SUSPENDED, dt.date(year, 12, 20), dt.date(year, 12, 1)),
            today=today,
        )  # fmt: skip
    assert str(refused.value) == (
        f"Từ ngày: 20/12/{year} là ngày trong tương lai; Đến ngày: ngày kết thúc 01/12/{year} "
        f"trước ngày bắt đầu 20/12/{year}"
    )
    history.save_period(
        db, member, PeriodRecord(PeriodKind.SICK_LEAVE, dt.date(year, 2, 1), dt.date(year, 3, 1)),
        today=today,
    )  # fmt: skip
    with pytest.raises(ValidationError, match="Từ ngày: trùng với thời gian nghỉ ốm từ 01/02"):
        history.save_period(
            db, member, PeriodRecord(PeriodKind.SICK_LEAVE, dt.date(year, 2, 15)), today=today
        )
    with pytest.raises(ValidationError, match="Ngày quyết định: trước ngày vào Đảng"):
        history.save_discipline(
            db, member, DisciplineRecord(DisciplineForm.WARNING, dt.date(1950, 1, 1)), today=today
        )
    with pytest.raises(ValidationError, match="Ngày xóa/hết hiệu lực: ngày xóa kỷ luật"):
        history.save_discipline(
            db, member,
            DisciplineRecord(DisciplineForm.WARNING, dt.date(year, 5, 1),
                             erased_on=dt.date(year, 4, 1)),
            today=today,
        )  # fmt: skip


def test_a_decided_year_is_not_changed_without_reopening_it(any_full_demo_db: Database) -> None:
    """A record inside the last decided year would change what its rules read."""
    db = any_full_demo_db
    year = open_year(db)
    decided = year - 1
    today = dt.date(year, 11, 25)
    cell, member, _name = a_member(db, year)
    before = history.member_history(db, member)
    with pytest.raises(LockedError, match=f"năm {decided}, năm đã quyết định và khóa"):
        history.save_discipline(
            db, member, DisciplineRecord(DisciplineForm.WARNING, dt.date(decided, 6, 1)),
            today=today,
        )  # fmt: skip
    with pytest.raises(LockedError):
        history.save_org_discipline(
            db, cell, DisciplineRecord(DisciplineForm.REPRIMAND, dt.date(decided, 6, 1)),
            today=today,
        )  # fmt: skip
    assert history.member_history(db, member) == before
    # A leave that started in the decided year cannot be moved, but one of this year can, and
    # an exemption running since then can be ended today: the decided year reads the same.
    since = history.save_period(
        db, member, PeriodRecord(PeriodKind.EXEMPT, dt.date(year, 1, 10)), today=today
    )
    history.save_period(
        db, member, PeriodRecord(PeriodKind.EXEMPT, dt.date(year, 1, 10), today, id=since),
        today=today,
    )  # fmt: skip
    with pytest.raises(LockedError):
        history.save_period(
            db, member, PeriodRecord(PeriodKind.EXEMPT, dt.date(decided, 12, 1), id=since),
            today=today,
        )  # fmt: skip


def test_the_rules_read_what_was_entered(any_full_demo_db: Database) -> None:
    db = any_full_demo_db
    year = open_year(db)
    today = dt.date(year, 11, 25)
    cell, member, _name = a_member(db, year)
    history.save_period(
        db, member, PeriodRecord(PeriodKind.SICK_LEAVE, dt.date(year, 2, 1), dt.date(year, 5, 1)),
        today=today,
    )  # fmt: skip
    history.save_discipline(
        db, member, DisciplineRecord(DisciplineForm.REPRIMAND, dt.date(year, 3, 10),
                                     self_detected_remedied=True), today=today,
    )  # fmt: skip
    history.save_org_discipline(
        db, cell,
        DisciplineRecord(DisciplineForm.WARNING, dt.date(year, 4, 2), of_collective=True),
        today=today,
    )  # fmt: skip
    with db.session() as session:
        read = facts.build(session, periods.find(session, year)).facts
    member_facts = next(m for m in read.members if m.member_id == member)
    assert (DisciplineForm.REPRIMAND, dt.date(year, 3, 10), True) in [
        (d.form, d.decided_on, d.self_detected_remedied) for d in member_facts.disciplines
    ]
    assert LeaveSpan(dt.date(year, 2, 1), dt.date(year, 5, 1)) in member_facts.sick_leave
    org = next(o for o in read.organizations if o.org_id == cell)
    assert (DisciplineForm.WARNING, dt.date(year, 4, 2)) in [
        (d.form, d.decided_on) for d in org.collective_disciplines
    ]
