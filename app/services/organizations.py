"""The organisation tree: reading it, creating the commune committee, adding and editing nodes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from app.domain.collation import text_key
from app.domain.member_checks import FieldProblem, check_code
from app.domain.text import clean
from app.domain.tree import OrgTree, TreeNode
from app.domain.vocabulary import OrgKind
from app.services.errors import NotFound, ValidationError
from app.store.database import Database
from app.store.models import CellMembership, Organization


@dataclass(frozen=True, slots=True)
class OrgNode:
    id: int
    code: str
    name: str
    kind: OrgKind
    parent_id: int | None
    place_name: str
    superior_line: str
    established_on: dt.date | None
    position: int


@dataclass(frozen=True, slots=True)
class OrgFields:
    code: str
    name: str
    kind: OrgKind
    parent_id: int | None
    place_name: str = ""
    superior_line: str = ""
    established_on: dt.date | None = None


@dataclass(frozen=True)
class OrgListing:
    """The whole tree, ordered for display, with its structure."""

    nodes: list[OrgNode]
    tree: OrgTree

    def by_id(self) -> dict[int, OrgNode]:
        return {node.id: node for node in self.nodes}


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


def display_order(nodes: list[OrgNode]) -> list[OrgNode]:
    """Parents before children; siblings by position, then committees before cells, then name."""
    kind_rank = {OrgKind.COMMITTEE: 0, OrgKind.PARTIAL_COMMITTEE: 1, OrgKind.CELL: 2}
    children: dict[int | None, list[OrgNode]] = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node)
    ids = {node.id for node in nodes}
    ordered: list[OrgNode] = []

    def visit(parent: int | None) -> None:
        siblings = sorted(
            children.get(parent, []),
            key=lambda n: (n.position, kind_rank[n.kind], text_key(n.name), n.code),
        )
        for node in siblings:
            ordered.append(node)
            visit(node.id)

    visit(None)
    # Nodes whose parent is missing would be lost; show them at the top level instead.
    for node in nodes:
        if node.parent_id is not None and node.parent_id not in ids:
            ordered.append(node)
            visit(node.id)
    return ordered


def list_organizations(db: Database) -> OrgListing:
    with db.session() as session:
        nodes = [_node(org) for org in session.scalars(select(Organization))]
    ordered = display_order(nodes)
    tree = OrgTree(TreeNode(n.id, n.parent_id, n.kind) for n in ordered)
    return OrgListing(ordered, tree)


def is_empty(db: Database) -> bool:
    with db.session() as session:
        return session.scalar(select(func.count(Organization.id))) == 0


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
