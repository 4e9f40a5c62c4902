"""The member registry services: add, edit, move, exempt — with history kept."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from app.domain import clock
from app.domain.member_checks import MemberFields
from app.domain.vocabulary import FormCategory, Gender, OrgKind, PeriodKind
from app.services.common.errors import ValidationError
from app.services.roster import members as member_service
from app.services.roster.organizations import OrgFields, add_organization, list_organizations
from app.store.database import Database
from app.store.models import CellMembership, MemberPeriod, PostHolding
from tests.services.conftest import NewDatabase

TODAY = clock.today()  # the session's day (tests/conftest.py)


@pytest.fixture
def db(any_empty_db: Database) -> Database:
    """Each test here runs on a SQLite file and on a PostgreSQL server (tests/conftest.py)."""
    return any_empty_db


@pytest.fixture
def commune(db: Database) -> dict[str, int]:
    root = add_organization(
        db, OrgFields("XNT", "Đảng bộ xã Na Tông", OrgKind.COMMITTEE, None, "Na Tông")
    )
    a = add_organization(db, OrgFields("CB01", "Chi bộ bản Pá Có", OrgKind.CELL, root.id))
    b = add_organization(db, OrgFields("CB02", "Chi bộ bản Huổi Lóng", OrgKind.CELL, root.id))
    return {"root": root.id, "a": a.id, "b": b.id}


def fields(**changes: object) -> MemberFields:
    values: dict[str, object] = {
        "code": "DV001",
        "full_name": "Lò Văn Pọm",
        "birth_date": dt.date(1975, 3, 2),
        "gender": Gender.MALE,
        "admitted_on": dt.date(2000, 5, 19),
        "official_on": dt.date(2001, 5, 19),
        "party_post": "Bí thư chi bộ",
        "form_category": FormCategory.B,
    }
    values.update(changes)
    return MemberFields(**values)  # type: ignore[arg-type]


def test_add_member_lists_them_in_their_cell(db: Database, commune: dict[str, int]) -> None:
    member_id = member_service.add_member(db, fields(), commune["a"], TODAY)
    [row] = member_service.list_members(db, TODAY)
    assert row.id == member_id
    assert row.full_name == "Lò Văn Pọm"
    assert row.cell_name == "Chi bộ bản Pá Có"
    assert row.party_post == "Bí thư chi bộ"
    assert not row.is_probationary(TODAY)


def test_names_are_stored_nfc_and_sorted_the_vietnamese_way(
    db: Database, commune: dict[str, int]
) -> None:
    import unicodedata

    names = ["Bùi Văn Đức", "Nguyễn Văn Dũng", "Trần Văn Dung", "Lê Thị Dung"]
    for number, name in enumerate(names):
        member_service.add_member(
            db,
            fields(code=f"DV{number}", full_name=unicodedata.normalize("NFD", name), party_post=""),
            commune["a"],
            TODAY,
        )
    rows = member_service.list_members(db, TODAY)
    assert [r.full_name for r in rows] == [
        "Lê Thị Dung", "Trần Văn Dung", "Nguyễn Văn Dũng", "Bùi Văn Đức"
    ]  # fmt: skip
    assert all(unicodedata.is_normalized("NFC", r.full_name) for r in rows)


def test_every_problem_is_reported_at_once(db: Database, commune: dict[str, int]) -> None:
    member_service.add_member(db, fields(), commune["a"], TODAY)
    bad = fields(
        full_name="Pọm",
        admitted_on=dt.date(2027, 1, 1),
        official_on=dt.date(1999, 1, 1),
    )
    with pytest.raises(ValidationError) as caught:
        member_service.add_member(db, bad, commune["a"], TODAY)
    problems = {p.field: p.message for p in caught.value.problems}
    assert "cần có cả họ và tên" in problems["full_name"]
    assert "chưa tới" in problems["admitted_on"]
    assert "trước ngày vào Đảng" in problems["official_on"]
    assert "đã có người khác dùng" in problems["code"]
    assert len(member_service.list_members(db, TODAY)) == 1


def test_member_admitted_before_eighteen_is_questioned(
    db: Database, commune: dict[str, int]
) -> None:
    with pytest.raises(ValidationError, match="cần đủ 18 tuổi"):
        member_service.add_member(
            db, fields(birth_date=dt.date(1990, 1, 1), admitted_on=dt.date(2005, 1, 1)),
            commune["a"], TODAY,
        )  # fmt: skip


def test_changing_a_post_keeps_the_old_one_in_history(
    db: Database, commune: dict[str, int]
) -> None:
    member_id = member_service.add_member(db, fields(), commune["a"], TODAY)
    member_service.update_member(db, member_id, fields(party_post="Chi ủy viên"), TODAY)
    assert member_service.get_member(db, member_id, TODAY).party_post == "Chi ủy viên"
    with db.session() as session:
        posts = session.scalars(select(PostHolding).order_by(PostHolding.id)).all()
        assert [(p.title, p.end_on) for p in posts] == [
            ("Bí thư chi bộ", TODAY), ("Chi ủy viên", None)
        ]  # fmt: skip


def test_moving_a_member_closes_the_old_membership(db: Database, commune: dict[str, int]) -> None:
    member_id = member_service.add_member(db, fields(), commune["a"], TODAY - dt.timedelta(days=30))
    member_service.move_member(db, member_id, commune["b"], TODAY, "Chuyển nơi cư trú")
    row = member_service.get_member(db, member_id, TODAY)
    assert row.cell_name == "Chi bộ bản Huổi Lóng"
    with db.session() as session:
        history = session.scalars(select(CellMembership).order_by(CellMembership.id)).all()
        assert [(m.org_id, m.end_on) for m in history] == [
            (commune["a"], TODAY), (commune["b"], None)
        ]  # fmt: skip
    with pytest.raises(ValidationError, match="đã ở chi bộ này"):
        member_service.move_member(db, member_id, commune["b"], TODAY)


def test_a_member_cannot_be_placed_in_a_committee(db: Database, commune: dict[str, int]) -> None:
    with pytest.raises(ValidationError, match="phải thuộc một chi bộ"):
        member_service.add_member(db, fields(), commune["root"], TODAY)


def test_exemption_is_a_dated_period(db: Database, commune: dict[str, int]) -> None:
    member_id = member_service.add_member(db, fields(party_post=""), commune["a"], TODAY)
    member_service.set_exemption(db, member_id, dt.date(2026, 3, 1), "Tuổi cao, sức yếu")
    assert member_service.get_member(db, member_id, TODAY).exempt_since == dt.date(2026, 3, 1)
    with pytest.raises(ValidationError, match="đang được miễn sinh hoạt rồi"):
        member_service.set_exemption(db, member_id, dt.date(2026, 4, 1))
    member_service.end_exemption(db, member_id, dt.date(2026, 10, 1))
    assert member_service.get_member(db, member_id, TODAY).exempt_since is None
    with db.session() as session:
        period = session.scalars(select(MemberPeriod)).one()
        assert (period.kind, period.start_on, period.end_on) == (
            PeriodKind.EXEMPT, dt.date(2026, 3, 1), dt.date(2026, 10, 1)
        )  # fmt: skip


def test_organisation_tree_order_and_grassroots(db: Database, commune: dict[str, int]) -> None:
    listing = list_organizations(db)
    assert [n.name for n in listing.nodes] == [
        "Đảng bộ xã Na Tông", "Chi bộ bản Huổi Lóng", "Chi bộ bản Pá Có"
    ]  # fmt: skip
    assert listing.tree.is_grassroots(commune["root"])
    assert not listing.tree.is_grassroots(commune["a"])
    assert listing.tree.grassroots_of(commune["a"]) == commune["root"]


@pytest.mark.engine_independent  # the district demo's shape (the demo on a server: tests/store)
def test_district_tree_has_69_grassroots_organisations(new_database: NewDatabase) -> None:
    from app.services.demo.commune import create_demo

    with Database.open(new_database("none", "district"), create=True) as db:
        _, members = create_demo(db, "district")
        listing = list_organizations(db)
        tree = listing.tree
        grassroots = [n for n in listing.nodes if tree.is_grassroots(n.id)]
        committees = [n for n in grassroots if n.kind is OrgKind.COMMITTEE]
        cells_under = sum(len(tree.cells(c.id)) for c in committees)
        assert (len(grassroots), len(committees), cells_under, members) == (69, 28, 584, 6185)
        assert len(member_service.list_members(db)) == 6185
