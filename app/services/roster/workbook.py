"""The members workbook: organisations and members, in and out.

Import is all or nothing: the whole file is read and checked first, every problem is reported
with its sheet, row and column, and only a clean file is written, in one transaction. Records
are matched by their code (Mã): a known code updates the record, a new code adds one, and
nobody is deleted because they are missing from the file.

Beyond the required columns, the workbook carries three optional columns the rules
need and a roster would otherwise lose: "Dòng cấp trên" and "Ngày thành lập" for
organisations, "Công chức" for members; and three optional sheets of history — members'
periods, their discipline, organisations' discipline (``roster.history_sheets``, which says
how a record is matched). Exemptions are written in the periods sheet only; the members
sheet's old column "Miễn sinh hoạt từ" is still read from files that have it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.domain import clock
from app.domain.collation import roster_key
from app.domain.member_checks import MemberFields, check_code, check_member
from app.domain.vocabulary import (
    FormCategory,
    OrgKind,
    read_form_category,
    read_gender,
    read_org_kind,
)
from app.services.common.progress import SILENT, Progress
from app.services.common.workbook import (
    Column,
    SheetRow,
    SheetSpec,
    WorkbookError,
    WorkbookProblem,
    new_workbook,
    read_rows,
    reading,
    save_workbook,
    write_notes,
    write_sheet,
)
from app.services.roster import members as member_service
from app.services.roster.bulk_insert import add_members
from app.services.roster.history_sheets import (
    DISCIPLINE_SHEET,
    EMPTY,
    ORG_DISCIPLINE_SHEET,
    PERIOD_SHEET,
    HistoryPlan,
    HistoryValues,
    Known,
    apply_history,
    check_history,
    export_values,
    load_existing,
    read_history_rows,
)
from app.services.roster.history_sheets import NOTES as HISTORY_NOTES
from app.services.roster.organizations import list_organizations
from app.services.roster.tree_checks import Registry, check_tree, load_registry
from app.store.database import Database
from app.store.models import CellMembership, Member, Organization

ORG_SHEET = SheetSpec(
    "Tổ chức",
    (
        Column("code", "Mã", required=True, width=12),
        Column("name", "Tên", required=True, width=40, max_length=200),
        Column("kind", "Loại", required=True, width=18),
        Column("parent", "Mã cấp trên", width=14),
        Column("place", "Địa danh", width=18, max_length=100),
        Column("superior_line", "Dòng cấp trên", width=30, max_length=200),
        Column("established_on", "Ngày thành lập", width=15, is_date=True),
    ),
)

MEMBER_SHEET = SheetSpec(
    "Đảng viên",
    (
        Column("code", "Mã", required=True, width=12),
        Column("full_name", "Họ và tên", required=True, width=28),
        Column("birth_date", "Ngày sinh", width=13, is_date=True),
        Column("gender", "Giới tính", width=10),
        Column("cell", "Mã chi bộ", required=True, width=12),
        Column("admitted_on", "Ngày vào Đảng", width=15, is_date=True),
        Column("official_on", "Ngày chính thức", width=15, is_date=True),
        Column("party_post", "Chức vụ Đảng", width=22, max_length=200),
        Column("other_post", "Chức vụ khác", width=26, max_length=200),
        Column("form_category", "Đối tượng", width=11),
        Column("card_number", "Số thẻ", width=14),
        Column("is_civil_servant", "Công chức", width=11),
        # Read from files written before the "Thời gian" sheet; never written now.
        Column("exempt_since", "Miễn sinh hoạt từ", width=16, is_date=True),
    ),
)
# The members sheet as written: without the old exemption column.
MEMBER_SHEET_WRITTEN = dataclasses.replace(
    MEMBER_SHEET, columns=tuple(c for c in MEMBER_SHEET.columns if c.key != "exempt_since")
)

NOTES = [
    "Tệp danh sách tổ chức đảng và đảng viên của DanhGia.",
    "",
    "Trang “Tổ chức”: mỗi dòng một tổ chức. Mã: duy nhất, chữ không dấu và số.",
    "  Loại: Đảng bộ / Đảng bộ bộ phận / Chi bộ. Mã cấp trên: để trống với tổ chức cao nhất.",
    "  Địa danh: in trước ngày tháng trên văn bản (ví dụ: Na Tông).",
    "  Dòng cấp trên (không bắt buộc): dòng in phía trên tên tổ chức ở đầu văn bản,",
    "  dùng khi cấp trên không có trong tệp (ví dụ: ĐẢNG BỘ TỈNH ĐIỆN BIÊN).",
    "",
    "Trang “Đảng viên”: mỗi dòng một đảng viên. Mã: duy nhất. Mã chi bộ: mã một chi bộ.",
    "  Ngày: kiểu ngày của Excel hoặc chữ dạng ngày/tháng/năm (05/02/1980).",
    "  Giới tính: Nam / Nữ. Ngày chính thức để trống nếu là đảng viên dự bị.",
    "  Đối tượng: 2A (làm việc trong hệ thống chính trị), 2B (giữ chức vụ lãnh đạo, quản lý),",
    "  2C (không làm việc trong hệ thống chính trị).",
    "  Công chức (không bắt buộc): ghi “x” nếu là cán bộ, công chức, viên chức.",
    "  Cột “Miễn sinh hoạt từ” của tệp cũ vẫn đọc được: nếu trang “Thời gian” không có dòng",
    "  miễn sinh hoạt nào của đảng viên, cột này đặt (hoặc, để trống, kết thúc) việc miễn.",
    "",
    *HISTORY_NOTES,
    "",
    "Khi nhập: mã đã có thì cập nhật, mã mới thì thêm; tệp có bất kỳ lỗi nào thì không nhập gì.",
]


@dataclass(frozen=True)
class OrgEntry:
    row: int
    code: str
    name: str
    kind: OrgKind
    parent_code: str
    place: str
    superior_line: str
    established_on: dt.date | None


@dataclass(frozen=True)
class MemberEntry:
    row: int
    fields: MemberFields
    cell_code: str
    # The row's "Miễn sinh hoạt từ" sets the member's exemption (an older file's way); False
    # when the file has no such column or lists the member's exemptions in "Thời gian".
    exemption_column: bool = False


@dataclass(frozen=True)
class ImportPlan:
    """A checked workbook, ready to write, with what it will change."""

    path: Path
    organizations: list[OrgEntry]
    members: list[MemberEntry]
    orgs_new: int
    orgs_existing: int
    members_new: int
    members_existing: int
    history: HistoryPlan = field(default_factory=HistoryPlan)

    def describe(self) -> str:
        text = (
            f"{len(self.organizations)} tổ chức ({self.orgs_new} mới, "
            f"{self.orgs_existing} đã có) và {len(self.members)} đảng viên "
            f"({self.members_new} mới, {self.members_existing} đã có)"
        )
        h = self.history
        if h.count:
            text += (
                f"; {len(h.periods)} khoảng thời gian, {len(h.disciplines)} kỷ luật đảng viên, "
                f"{len(h.org_disciplines)} kỷ luật tổ chức ({h.new} mới, {h.existing} đã có)"
            )
        return text


@dataclass(frozen=True)
class ImportResult:
    orgs_added: int
    orgs_updated: int
    members_added: int
    members_updated: int
    history_added: int = 0  # periods and discipline records
    history_updated: int = 0

    def describe(self) -> str:
        text = (
            f"Đã nhập: thêm {self.orgs_added} tổ chức, cập nhật {self.orgs_updated}; "
            f"thêm {self.members_added} đảng viên, cập nhật {self.members_updated}"
        )
        if self.history_added or self.history_updated:
            text += (
                f"; thêm {self.history_added} bản ghi thời gian và kỷ luật, "
                f"cập nhật {self.history_updated}"
            )
        return text + "."


def plan_import(
    db: Database, path: Path, today: dt.date | None = None, progress: Progress = SILENT
) -> ImportPlan:
    """Read and check the whole workbook; raise WorkbookError listing every problem."""
    today = today or clock.today()
    path = Path(path)
    problems: list[WorkbookProblem] = []
    with reading(path) as workbook:
        org_rows = list(read_rows(workbook, ORG_SHEET, problems))
        member_rows = list(read_rows(workbook, MEMBER_SHEET, problems))
        history_rows = read_history_rows(workbook, problems)
    progress.step(1, 3, "Đang kiểm tra danh sách tổ chức")

    with db.session() as session:
        registry = load_registry(session)
        # The database's members by code, with their admission date (history rows check it).
        existing_members = dict(session.execute(select(Member.code, Member.admitted_on)).all())
        existing_history = load_existing(session)
    existing_orgs = registry.kinds

    orgs = _read_orgs(org_rows, registry, problems)
    kinds = dict(existing_orgs)
    kinds.update({org.code: org.kind for org in orgs})
    progress.step(2, 3, "Đang kiểm tra danh sách đảng viên")
    members = _read_members(member_rows, kinds, today, problems)
    admitted = dict(existing_members)
    admitted.update({m.fields.code: m.fields.admitted_on for m in members if m.fields.code})
    history = check_history(history_rows, Known(admitted, kinds), existing_history, today, problems)
    members = _exemptions(members, history, problems)
    if problems:
        raise WorkbookError(path, problems)
    return ImportPlan(
        path=path,
        organizations=orgs,
        members=members,
        orgs_new=sum(1 for o in orgs if o.code not in existing_orgs),
        orgs_existing=sum(1 for o in orgs if o.code in existing_orgs),
        members_new=sum(1 for m in members if m.fields.code not in existing_members),
        members_existing=sum(1 for m in members if m.fields.code in existing_members),
        history=history,
    )


def _exemptions(
    entries: list[MemberEntry], history: HistoryPlan, problems: list[WorkbookProblem]
) -> list[MemberEntry]:
    """One source for each member's exemption: the "Thời gian" sheet when it lists any for
    them (an old column's date must then be one of them), else the old column if the file
    has it, else nothing changes."""
    header = MEMBER_SHEET.column("exempt_since").header
    out = []
    for entry in entries:
        since = entry.fields.exempt_since
        starts = history.exempt_starts(entry.fields.code)
        if entry.exemption_column and starts is None:
            out.append(entry)
            continue
        if since is not None and starts is not None and since not in starts:
            problems.append(
                WorkbookProblem(
                    MEMBER_SHEET.name,
                    entry.row,
                    header,
                    f"miễn sinh hoạt từ {since:%d/%m/%Y} không khớp với trang "
                    f"“{PERIOD_SHEET.name}”: ghi việc miễn ở một nơi thôi",
                )
            )
        fields = dataclasses.replace(entry.fields, exempt_since=None)
        out.append(dataclasses.replace(entry, fields=fields, exemption_column=False))
    return out


def _read_orgs(
    rows: list[SheetRow], registry: Registry, problems: list[WorkbookProblem]
) -> list[OrgEntry]:
    entries: list[OrgEntry] = []
    first_row: dict[str, int] = {}
    for row in rows:
        code = row.code("code")
        code_problem = check_code(code)
        if code_problem:
            row.problem("code", code_problem)
        elif code in first_row:
            row.problem("code", f"mã “{code}” trùng với dòng {first_row[code]}")
        else:
            first_row[code] = row.number
        name = row.text("name")
        if not name:
            row.problem("name", "chưa có tên tổ chức")
        kind = row.enum("kind", read_org_kind)
        if kind is None and not row.text("kind"):
            row.problem("kind", "chưa ghi loại tổ chức")
        established = row.date("established_on")
        if code_problem or kind is None or not name:
            continue
        entries.append(
            OrgEntry(
                row=row.number,
                code=code,
                name=name,
                kind=kind,
                parent_code=row.code("parent"),
                place=row.text("place"),
                superior_line=row.text("superior_line"),
                established_on=established,
            )
        )
    headers = (ORG_SHEET.column("parent").header, ORG_SHEET.column("kind").header)
    check_tree(ORG_SHEET.name, headers, entries, registry, problems)
    return entries


def _read_members(
    rows: list[SheetRow],
    org_kinds: dict[str, OrgKind],
    today: dt.date,
    problems: list[WorkbookProblem],
) -> list[MemberEntry]:
    entries: list[MemberEntry] = []
    first_row: dict[str, int] = {}
    for row in rows:
        before = len(problems)
        code = row.code("code")
        if code and code in first_row:
            row.problem("code", f"mã “{code}” trùng với dòng {first_row[code]}")
        elif code:
            first_row[code] = row.number
        cell_code = row.code("cell")
        if not cell_code:
            row.problem("cell", "chưa ghi mã chi bộ")
        elif cell_code not in org_kinds:
            row.problem("cell", f"không có chi bộ mã “{cell_code}” trong tệp hay trong dữ liệu")
        elif org_kinds[cell_code] is not OrgKind.CELL:
            row.problem("cell", f"“{cell_code}” không phải chi bộ")
        fields = MemberFields(
            code=code,
            full_name=row.text("full_name"),
            birth_date=row.date("birth_date"),
            gender=row.enum("gender", read_gender),
            admitted_on=row.date("admitted_on"),
            official_on=row.date("official_on"),
            party_post=row.text("party_post"),
            other_post=row.text("other_post"),
            form_category=row.enum("form_category", read_form_category) or FormCategory.C,
            is_civil_servant=row.flag("is_civil_servant"),
            card_number=row.text("card_number"),
            exempt_since=row.date("exempt_since"),
        )
        # Date cells that failed to parse were reported already; don't also call them missing.
        reported = {p.column for p in problems[before:]}
        for problem in check_member(fields, today):
            if problem.label not in reported:
                row.problem(problem.field, problem.message)
        entries.append(MemberEntry(row.number, fields, cell_code, "exempt_since" in row.values))
    return entries


def apply_import(
    db: Database, plan: ImportPlan, today: dt.date | None = None, progress: Progress = SILENT
) -> ImportResult:
    """Write a checked plan in one transaction; a failure or a cancel writes nothing."""
    today = today or clock.today()
    orgs_added = orgs_updated = members_added = members_updated = 0
    with db.session() as session:
        by_code = {org.code: org for org in session.scalars(select(Organization))}
        for entry in _parents_first(plan.organizations):
            org = by_code.get(entry.code)
            if org is None:
                org = Organization(code=entry.code, name=entry.name, kind=entry.kind)
                session.add(org)
                by_code[entry.code] = org
                orgs_added += 1
            else:
                orgs_updated += 1
            org.name = entry.name
            org.kind = entry.kind
            org.parent = by_code[entry.parent_code] if entry.parent_code else None
            org.place_name = entry.place
            org.superior_line = entry.superior_line
            org.established_on = entry.established_on
        session.flush()

        # Posts and periods loaded with the members: updating each must not query twice.
        known = select(Member).options(selectinload(Member.posts), selectinload(Member.periods))
        members = {m.code: m for m in session.scalars(known)}
        open_cells = {
            membership.member_id: membership
            for membership in session.scalars(
                select(CellMembership).where(CellMembership.end_on.is_(None))
            )
        }
        total = len(plan.members)
        new_members: list[tuple[MemberFields, int]] = []  # written together at the end
        for index, entry in enumerate(plan.members):
            if index % 200 == 0:
                progress.step(index, total, "Đang ghi danh sách đảng viên")
            fields = member_service.normalise(entry.fields)
            cell = by_code[entry.cell_code]
            member = members.get(fields.code)
            if member is None:
                new_members.append((fields, cell.id))
                members_added += 1
                continue
            members_updated += 1
            member_service.apply_fields(
                session, member, fields, today, new=False, exemption=entry.exemption_column
            )
            current = open_cells.get(member.id)
            if current is None or current.org_id != cell.id:
                if current is not None:
                    current.end_on = today
                member.memberships.append(CellMembership(organization=cell, start_on=today))
        progress.step(total, total, "Đang lưu")
        add_members(session, new_members)
        history_added, history_updated = apply_history(session, plan.history)
    return ImportResult(
        orgs_added, orgs_updated, members_added, members_updated, history_added, history_updated
    )


def _parents_first(entries: list[OrgEntry]) -> list[OrgEntry]:
    codes = {e.code: e for e in entries}
    ordered: list[OrgEntry] = []
    placed: set[str] = set()

    def place(entry: OrgEntry) -> None:
        if entry.code in placed:
            return
        parent = codes.get(entry.parent_code)
        if parent is not None:
            place(parent)
        placed.add(entry.code)
        ordered.append(entry)

    for entry in entries:
        place(entry)
    return ordered


def import_members(
    db: Database, path: Path, today: dt.date | None = None, progress: Progress = SILENT
) -> ImportResult:
    plan = plan_import(db, path, today, progress)
    return apply_import(db, plan, today, progress)


def export_members(
    db: Database, path: Path, today: dt.date | None = None, progress: Progress = SILENT
) -> int:
    """Write every organisation and current member; on an empty database, the template.

    Returns the number of members written.
    """
    today = today or clock.today()
    listing = list_organizations(db)
    nodes = listing.by_id()
    order = {node.id: index for index, node in enumerate(listing.nodes)}
    rows = member_service.list_members(db, today)
    rows.sort(key=lambda r: (order.get(r.cell_id, 0), *roster_key(r.party_post, r.full_name)))
    with db.session() as session:
        history = export_values(
            session,
            {r.code: index for index, r in enumerate(rows)},
            {node.code: index for index, node in enumerate(listing.nodes)},
        )
    progress.step(1, 2, "Đang ghi tệp Excel")

    org_values = [
        [
            node.code,
            node.name,
            node.kind.label,
            nodes[node.parent_id].code if node.parent_id in nodes else None,
            node.place_name or None,
            node.superior_line or None,
            node.established_on,
        ]
        for node in listing.nodes
    ]
    member_values = [
        [
            r.code,
            r.full_name,
            r.birth_date,
            r.gender.label if r.gender else None,
            nodes[r.cell_id].code,
            r.admitted_on,
            r.official_on,
            r.party_post or None,
            r.other_post or None,
            r.form_category.value,
            r.card_number or None,
            "x" if r.is_civil_servant else None,
        ]
        for r in rows
    ]
    _write(Path(path), org_values, member_values, history)
    progress.step(2, 2, "Xong")
    return len(rows)


def write_template(path: Path) -> None:
    """The empty workbook a commune fills in: headers and the notes sheet."""
    _write(Path(path), [], [], EMPTY)


def _write(
    path: Path, org_values: list[list[Any]], member_values: list[list[Any]],
    history: HistoryValues,
) -> None:  # fmt: skip
    workbook = new_workbook()
    write_sheet(workbook, ORG_SHEET, org_values)
    write_sheet(workbook, MEMBER_SHEET_WRITTEN, member_values)
    write_sheet(workbook, PERIOD_SHEET, history.periods)
    write_sheet(workbook, DISCIPLINE_SHEET, history.disciplines)
    write_sheet(workbook, ORG_DISCIPLINE_SHEET, history.org_disciplines)
    write_notes(workbook, "Hướng dẫn", NOTES)
    save_workbook(workbook, path)
