"""The member registry: listing, adding, editing, moving between cells, exemption."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain import clock
from app.domain.collation import name_key
from app.domain.member_checks import FieldProblem, MemberFields, check_member
from app.domain.text import clean
from app.domain.vocabulary import OrgKind, PeriodKind
from app.services.common.errors import NotFound, ValidationError

# The member table's rows are read with plain SQL at the window's first paint; the names stay
# importable from here.
from app.services.roster.quick_read import MemberRow as MemberRow
from app.services.roster.quick_read import RegistryCounts as RegistryCounts
from app.services.roster.quick_read import counts as counts
from app.services.roster.quick_read import list_members as list_members
from app.store.database import Database
from app.store.models import (
    CellMembership,
    Member,
    MemberPeriod,
    Organization,
    PostHolding,
    PostKind,
)


def get_member(db: Database, member_id: int, today: dt.date | None = None) -> MemberRow:
    for row in list_members(db, today):
        if row.id == member_id:
            return row
    raise NotFound("Không tìm thấy đảng viên")


def next_member_code(db: Database) -> str:
    """A free code "DV00001"-style for a member added in the window."""
    with db.session() as session:
        codes = set(session.scalars(select(Member.code).where(Member.code.like("DV%"))))
        count = session.scalar(select(func.count(Member.id))) or 0
    number = count + 1
    while f"DV{number:05d}" in codes:
        number += 1
    return f"DV{number:05d}"


def _cell_problem(session: Session, cell_id: int) -> FieldProblem | None:
    cell = session.get(Organization, cell_id)
    if cell is None or cell.kind != OrgKind.CELL:
        return FieldProblem("cell", "đảng viên phải thuộc một chi bộ")
    return None


def _code_taken(session: Session, code: str, member_id: int | None) -> bool:
    query = select(Member.id).where(Member.code == code)
    if member_id is not None:
        query = query.where(Member.id != member_id)
    return session.scalar(query) is not None


def add_member(
    db: Database, fields: MemberFields, cell_id: int, today: dt.date | None = None
) -> int:
    """Add a member to a cell; raise ValidationError naming every problem."""
    today = today or clock.today()
    fields = normalise(fields)
    problems = check_member(fields, today)
    with db.session() as session:
        cell_problem = _cell_problem(session, cell_id)
        if cell_problem:
            problems.append(cell_problem)
        if _code_taken(session, fields.code, None):
            problems.append(FieldProblem("code", f"mã “{fields.code}” đã có người khác dùng"))
        if problems:
            raise ValidationError(problems)
        member = Member(code=fields.code, full_name=fields.full_name, name_key="")
        session.add(member)
        apply_fields(session, member, fields, today, new=True)
        session.add(CellMembership(member=member, org_id=cell_id, start_on=today))
        session.flush()
        return member.id


def update_member(
    db: Database, member_id: int, fields: MemberFields, today: dt.date | None = None
) -> None:
    today = today or clock.today()
    fields = normalise(fields)
    problems = check_member(fields, today)
    with db.session() as session:
        member = session.get(Member, member_id)
        if member is None:
            raise NotFound("Không tìm thấy đảng viên")
        if _code_taken(session, fields.code, member_id):
            problems.append(FieldProblem("code", f"mã “{fields.code}” đã có người khác dùng"))
        if problems:
            raise ValidationError(problems)
        apply_fields(session, member, fields, today, new=False)


def move_member(db: Database, member_id: int, cell_id: int, on: dt.date, note: str = "") -> None:
    """Transfer a member to another cell from *on*; the history keeps the old cell."""
    with db.session() as session:
        member = session.get(Member, member_id)
        if member is None:
            raise NotFound("Không tìm thấy đảng viên")
        problem = _cell_problem(session, cell_id)
        if problem:
            raise ValidationError([problem])
        current = _open_membership(session, member_id)
        if current is not None:
            if current.org_id == cell_id:
                raise ValidationError([FieldProblem("cell", "đảng viên đã ở chi bộ này")])
            if current.start_on is not None and on < current.start_on:
                raise ValidationError(
                    [FieldProblem("date", "ngày chuyển trước ngày vào chi bộ hiện tại")]
                )
            current.end_on = on
        session.add(
            CellMembership(member_id=member_id, org_id=cell_id, start_on=on, note=clean(note))
        )


def _open_membership(session: Session, member_id: int) -> CellMembership | None:
    return session.scalar(
        select(CellMembership).where(
            CellMembership.member_id == member_id, CellMembership.end_on.is_(None)
        )
    )


def normalise(fields: MemberFields) -> MemberFields:
    return MemberFields(
        code=clean(fields.code),
        full_name=clean(fields.full_name),
        birth_date=fields.birth_date,
        gender=fields.gender,
        admitted_on=fields.admitted_on,
        official_on=fields.official_on,
        party_post=clean(fields.party_post),
        other_post=clean(fields.other_post),
        form_category=fields.form_category,
        is_civil_servant=fields.is_civil_servant,
        card_number=clean(fields.card_number),
        exempt_since=fields.exempt_since,
    )


def apply_fields(
    session: Session, member: Member, fields: MemberFields, today: dt.date, *, new: bool,
    exemption: bool = True,
) -> None:  # fmt: skip
    """Write *fields* onto *member*, keeping history: a changed post closes the old one today,
    and the exemption becomes a dated period (unless *exemption* is False: the importer's
    file then says nothing of it, or says it in its "Thời gian" sheet). Shared by the window
    and the importer."""
    member.code = fields.code
    member.full_name = fields.full_name
    member.name_key = name_key(fields.full_name)
    member.birth_date = fields.birth_date
    member.gender = fields.gender
    member.admitted_on = fields.admitted_on
    member.official_on = fields.official_on
    member.form_category = fields.form_category
    member.is_civil_servant = fields.is_civil_servant
    member.card_number = fields.card_number
    start = None if new else today
    _set_post(session, member, PostKind.PARTY, fields.party_post, start, today)
    _set_post(session, member, PostKind.OTHER, fields.other_post, start, today)
    if exemption:
        _set_exemption(session, member, fields.exempt_since, today)


def _set_post(
    session: Session,
    member: Member,
    kind: PostKind,
    title: str,
    start: dt.date | None,
    today: dt.date,
) -> None:
    current = [p for p in member.posts if p.kind == kind and p.end_on is None]
    if [p.title for p in current] == ([title] if title else []):
        return
    for post in current:
        post.end_on = today
    if title:
        member.posts.append(PostHolding(kind=kind, title=title, start_on=start))


def _set_exemption(session: Session, member: Member, since: dt.date | None, today: dt.date) -> None:
    current = [p for p in member.periods if p.kind == PeriodKind.EXEMPT and p.end_on is None]
    if since is None:
        for period in current:
            period.end_on = max(today, period.start_on)
        return
    if current:
        current[0].start_on = since
        for extra in current[1:]:
            extra.end_on = max(today, extra.start_on)
    else:
        member.periods.append(MemberPeriod(kind=PeriodKind.EXEMPT, start_on=since))


def set_exemption(db: Database, member_id: int, since: dt.date, note: str = "") -> None:
    """Exempt a member from party work and activities (miễn công tác và sinh hoạt) from *since*."""
    with db.session() as session:
        member = session.get(Member, member_id)
        if member is None:
            raise NotFound("Không tìm thấy đảng viên")
        if member.admitted_on and since < member.admitted_on:
            raise ValidationError(
                [FieldProblem("exempt_since", "ngày miễn sinh hoạt trước ngày vào Đảng")]
            )
        if any(p.kind == PeriodKind.EXEMPT and p.end_on is None for p in member.periods):
            raise ValidationError(
                [FieldProblem("exempt_since", "đảng viên đang được miễn sinh hoạt rồi")]
            )
        member.periods.append(MemberPeriod(kind=PeriodKind.EXEMPT, start_on=since, note=note))


def end_exemption(db: Database, member_id: int, on: dt.date) -> None:
    """The member takes up party activities again from *on*."""
    with db.session() as session:
        periods = session.scalars(
            select(MemberPeriod).where(
                MemberPeriod.member_id == member_id,
                MemberPeriod.kind == PeriodKind.EXEMPT,
                MemberPeriod.end_on.is_(None),
            )
        ).all()
        if not periods:
            raise ValidationError(
                [FieldProblem("exempt_since", "đảng viên không đang được miễn sinh hoạt")]
            )
        for period in periods:
            if on < period.start_on:
                raise ValidationError(
                    [FieldProblem("exempt_since", "ngày thôi miễn trước ngày bắt đầu miễn")]
                )
            period.end_on = on
