"""A text longer than its column holds is refused in words before anything is written.

A ``String(n)`` column is a limit PostgreSQL enforces — after the statement ran, with its own
English error ("value too long for type character varying(n)") — and SQLite ignores: it keeps
any length. The services check the fields they read where they read them (a member's name,
the workbooks' ``max_length``, a package's fields); this is the net under all of them, so that
a text too long gets the same Vietnamese refusal on a file and on a server: every unit of
work's flush (new objects, and the columns changed on loaded ones) and its INSERT or UPDATE
statements with rows (``session.execute(insert(table), rows)``) are checked first. The unit
of work then rolls back whole: nothing of it is written.

A value already stored longer than its column (a SQLite file written before the check) is
never refused for being there: only what a unit of work writes is checked.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

from sqlalchemy import Enum, String, Table, event, inspect
from sqlalchemy.orm import Mapper, ORMExecuteState, Session, sessionmaker

from app.store.errors import TextTooLong

# What the user calls the columns one can type into; any other: "Một nội dung".
LABELS = {
    "organizations.code": "Mã tổ chức",
    "organizations.name": "Tên tổ chức",
    "organizations.place_name": "Địa danh",
    "organizations.superior_line": "Dòng cấp trên",
    "members.code": "Mã đảng viên",
    "members.full_name": "Họ và tên",
    "members.card_number": "Số thẻ",
    "cell_memberships.note": "Ghi chú",
    "post_holdings.title": "Chức vụ",
    "member_periods.note": "Ghi chú",
    "disciplines.decided_by": "Cấp quyết định",
    "org_disciplines.decided_by": "Cấp quyết định",
    "member_evaluations.not_classified_note": "Ghi chú lý do không xếp loại",
    "meetings.place": "Địa điểm họp",
    "meetings.upper_attendee": "Đại biểu cấp trên",
    "meetings.upper_attendee_post": "Chức vụ của đại biểu cấp trên",
    "attendance.absence_reason": "Lý do vắng mặt",
    "tally_entries.teller_name": "Tên người kiểm phiếu",
    "issued_documents.title": "Tên văn bản",
    "audit_log.actor": "Tên người thực hiện",
    "access_control.set_by": "Tên người đặt mật khẩu",
    "users.login": "Tên đăng nhập",
    "users.full_name": "Họ và tên",
    "users.created_by": "Tên người tạo",
    "user_communes.commune_code": "Mã xã",
    "commune_reports.decision_number": "Số quyết định",
    "commune_reports.exported_by": "Tên người gửi báo cáo",
    "commune_reports.imported_by": "Tên người nhập báo cáo",
}


@cache
def _table_limits(table: Table) -> Mapping[str, int]:
    """The columns of *table* with a length (an Enum's values are the program's own)."""
    return {
        column.key: column.type.length
        for column in table.columns
        if isinstance(column.type, String)
        and not isinstance(column.type, Enum)
        and column.type.length
    }


@cache
def _mapper_limits(mapper: Mapper[Any]) -> Mapping[str, tuple[str, int]]:
    """A model's attributes kept in a column with a length: key → ("table.column", length)."""
    found = {}
    for prop in mapper.column_attrs:
        column = prop.columns[0]
        table = column.table
        if isinstance(table, Table):
            limit = _table_limits(table).get(column.key)
            if limit:
                found[prop.key] = (f"{table.name}.{column.key}", limit)
    return found


def check(where: str, limit: int, value: object) -> None:
    """Raise TextTooLong when *value*, written to the column *where* ("table.column") of
    length *limit*, is a text longer than that."""
    if isinstance(value, str) and len(value) > limit:
        raise TextTooLong(LABELS.get(where, "Một nội dung"), limit, value)


def _check_objects(session: Session, _context: object, _instances: object) -> None:
    for obj, new in [(o, True) for o in session.new] + [(o, False) for o in session.dirty]:
        state = inspect(obj)
        limits = _mapper_limits(state.mapper)
        if not limits:
            continue
        # A new object: all it holds; a loaded one: only the columns changed.
        keys: Iterable[str] = state.dict if new else state.committed_state
        for key in keys:
            if key in limits:
                check(*limits[key], state.dict.get(key))


def _check_statement(execution: ORMExecuteState) -> None:
    if not (execution.is_insert or execution.is_update):
        return
    table = getattr(execution.statement, "table", None)
    rows = execution.parameters
    if not isinstance(table, Table) or not rows:
        return
    limits = _table_limits(table)
    for row in [rows] if isinstance(rows, Mapping) else rows:
        for key, value in row.items():
            limit = limits.get(key)
            if limit:
                check(f"{table.name}.{key}", limit, value)


def install(sessions: sessionmaker[Session]) -> None:
    """Check what every unit of work of *sessions* writes (both engines)."""
    event.listen(sessions, "before_flush", _check_objects)
    event.listen(sessions, "do_orm_execute", _check_statement)
