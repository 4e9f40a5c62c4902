"""The organisation tree a members workbook would leave behind, checked before anything is
written.

A workbook need not list every organisation: those it leaves out keep their place and their
kind. So the tree after an import is the database's tree with the file's rows laid over it,
and that merged tree is what is checked: every parent exists, nothing sits under a cell, no
organisation is its own ancestor (through the database's rows too), and a cell that anyone has
been a member of stays a cell (the edit dialog's rule).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from app.domain.vocabulary import OrgKind
from app.services.common.workbook import WorkbookProblem
from app.store.models import CellMembership, Organization


class Entry(Protocol):
    """An organisation row of the workbook (``roster.workbook.OrgEntry``)."""

    @property
    def row(self) -> int: ...
    @property
    def code(self) -> str: ...
    @property
    def kind(self) -> OrgKind: ...
    @property
    def parent_code(self) -> str: ...


@dataclass(frozen=True)
class Registry:
    """The database's organisations by code."""

    kinds: dict[str, OrgKind]
    parents: dict[str, str]  # "" at the top
    with_members: frozenset[str]  # anyone has ever been a member of these


def load_registry(session: Session) -> Registry:
    parent = aliased(Organization)
    rows = session.execute(
        select(Organization.code, Organization.kind, parent.code).outerjoin(
            parent, parent.id == Organization.parent_id
        )
    ).all()
    members = session.scalars(
        select(Organization.code)
        .join(CellMembership, CellMembership.org_id == Organization.id)
        .distinct()
    )
    return Registry(
        kinds={code: OrgKind(kind) for code, kind, _parent in rows},
        parents={code: parent_code or "" for code, _kind, parent_code in rows},
        with_members=frozenset(members),
    )


def check_tree(
    sheet: str,
    headers: tuple[str, str],
    entries: Sequence[Entry],
    registry: Registry,
    problems: list[WorkbookProblem],
) -> None:
    """Every problem of the merged tree, at the row of the file that causes it; *headers* are
    the sheet's "Mã cấp trên" and "Loại" columns."""
    parent_header, kind_header = headers
    kinds = dict(registry.kinds)
    kinds.update({e.code: e.kind for e in entries})
    parents = dict(registry.parents)
    parents.update({e.code: e.parent_code for e in entries})

    def problem(entry: Entry, header: str, message: str) -> None:
        problems.append(WorkbookProblem(sheet, entry.row, header, message))

    for entry in entries:
        parent = entry.parent_code
        if parent == entry.code:
            problem(entry, parent_header, "tự làm cấp trên")
        elif parent and parent not in kinds:
            problem(
                entry,
                parent_header,
                f"không có tổ chức mã “{parent}” trong tệp hay trong dữ liệu",
            )
        elif parent and kinds[parent] is OrgKind.CELL:
            problem(entry, parent_header, f"“{parent}” là chi bộ, không thể có tổ chức trực thuộc")
        elif parent and _has_cycle(entry.code, parents):
            problem(entry, parent_header, "các tổ chức làm cấp trên của nhau")
    in_file = {e.code for e in entries}
    for entry in entries:
        was = registry.kinds.get(entry.code)
        if entry.kind is OrgKind.CELL:
            # Children listed in the file are reported at their own rows, above.
            kept = sorted(c for c, p in parents.items() if p == entry.code and c not in in_file)
            if kept:
                problem(
                    entry,
                    kind_header,
                    f"“{entry.code}” còn có tổ chức trực thuộc ({', '.join(kept[:5])}) nên không "
                    "thể là chi bộ",
                )
        elif was is OrgKind.CELL and entry.code in registry.with_members:
            problem(entry, kind_header, "chi bộ đang có đảng viên nên không đổi loại được")


def _has_cycle(code: str, parents: dict[str, str]) -> bool:
    seen = {code}
    current = parents.get(code, "")
    while current:
        if current in seen:
            return True
        seen.add(current)
        current = parents.get(current, "")
    return False
