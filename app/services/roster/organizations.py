"""The organisation tree: reading it, creating the commune committee, adding and editing nodes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.member_checks import FieldProblem, check_code
from app.domain.text import clean, normal_code
from app.domain.vocabulary import OrgKind
from app.services.common.errors import NotFound, ValidationError

# The tree is read with plain SQL at the window's first paint; the names stay importable here.
from app.services.roster.quick_read import OrgListing as OrgListing
from app.services.roster.quick_read import OrgNode as OrgNode
from app.services.roster.quick_read import display_order as display_order
from app.services.roster.quick_read import list_organizations as list_organizations
from app.store.database import Database
from app.store.models import CellMembership, Organization


@dataclass(frozen=True, slots=True)
class OrgFields:
    code: str
    name: str
    kind: OrgKind
    parent_id: int | None
    place_name: str = ""
    superior_line: str = ""
    established_on: dt.date | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "code", normal_code(self.code))  # see MemberFields


def _node(org: Organization) -> OrgNode:
    return OrgNode(
        id=org.id,
        code=org.code,
        name=org.name,
        kind=OrgKind(org.kind),
        parent_id=org.parent_id,
        place_name=org.place_name,
        superior_line=org.superior_line,
        established_on=org.established_on,
        position=org.position,
    )


def find_unit(session: Session, unit: str | int) -> Organization:
    """An organisation by its code (Mã) or its number in the database."""
    org = session.scalar(select(Organization).where(Organization.code == normal_code(str(unit))))
    if org is None and str(unit).strip().isdigit():
        org = session.get(Organization, int(unit))
    if org is None:
        raise NotFound(f"Không có tổ chức mã “{unit}”")
    return org


def find_by_code(db: Database, code: str) -> OrgNode:
    """An organisation by its code (Mã) or its number in the database; NotFound otherwise."""
    with db.session() as session:
        return _node(find_unit(session, code))


def check_org(fields: OrgFields) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    code_problem = check_code(fields.code)
    if code_problem:
        problems.append(FieldProblem("code", code_problem))
    if not clean(fields.name):
        problems.append(FieldProblem("name", "chưa nhập tên tổ chức"))
    return problems


def add_organization(db: Database, fields: OrgFields) -> OrgNode:
    problems = check_org(fields)
    with db.session() as session:
        if session.scalar(select(Organization.id).where(Organization.code == fields.code)):
            problems.append(FieldProblem("code", f"mã “{fields.code}” đã có tổ chức khác dùng"))
        if fields.parent_id is not None:
            parent = session.get(Organization, fields.parent_id)
            if parent is None:
                raise NotFound("Không tìm thấy tổ chức cấp trên")
            if parent.kind == OrgKind.CELL:
                problems.append(FieldProblem("parent", "chi bộ không có tổ chức trực thuộc"))
        if problems:
            raise ValidationError(problems)
        org = Organization(
            code=fields.code,
            name=clean(fields.name),
            kind=fields.kind,
            parent_id=fields.parent_id,
            place_name=clean(fields.place_name),
            superior_line=clean(fields.superior_line),
            established_on=fields.established_on,
        )
        session.add(org)
        session.flush()
        return _node(org)


def update_organization(db: Database, org_id: int, fields: OrgFields) -> OrgNode:
    problems = check_org(fields)
    with db.session() as session:
        org = session.get(Organization, org_id)
        if org is None:
            raise NotFound("Không tìm thấy tổ chức")
        clash = session.scalar(
            select(Organization.id).where(
                Organization.code == fields.code, Organization.id != org_id
            )
        )
        if clash:
            problems.append(FieldProblem("code", f"mã “{fields.code}” đã có tổ chức khác dùng"))
        if org.kind == OrgKind.CELL and fields.kind != OrgKind.CELL:
            has_members = session.scalar(
                select(func.count(CellMembership.id)).where(CellMembership.org_id == org_id)
            )
            if has_members:
                problems.append(
                    FieldProblem("kind", "chi bộ đang có đảng viên nên không đổi loại được")
                )
        if problems:
            raise ValidationError(problems)
        org.code = fields.code
        org.name = clean(fields.name)
        org.kind = fields.kind
        org.place_name = clean(fields.place_name)
        org.superior_line = clean(fields.superior_line)
        org.established_on = fields.established_on
        session.flush()
        return _node(org)


def next_code(db: Database, prefix: str) -> str:
    """A free code such as "CB036" for a new node, following the existing numbering."""
    with db.session() as session:
        codes = set(session.scalars(select(Organization.code)))
    number = sum(1 for code in codes if code.startswith(prefix)) + 1
    while f"{prefix}{number:03d}" in codes:
        number += 1
    return f"{prefix}{number:03d}"
