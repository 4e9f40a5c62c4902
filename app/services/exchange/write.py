"""Writing an accepted package: every change into the session, then the audit log.

The changes are written even when only planning (the session is then rolled back), so the
checks see the records exactly as the import would leave them. Each row's changes make one
audit entry under the same entity the window logs, with the action ``nhap_goi``, so a later
import can tell values a package brought from values typed at the commune.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import clock
from app.domain.formatting import format_date
from app.domain.procedure import CellStep
from app.services.exchange import history_records
from app.services.exchange.fields import CellData, Value
from app.services.exchange.preview import Change, ImportPlan
from app.services.exchange.records import IMPORT_ACTION, PACKAGE_ACTION
from app.services.exchange.rows import CellRows
from app.services.exchange.tally import ROW as TALLY_ROW
from app.services.exchange.tally import write_tally
from app.services.safekeeping import audit
from app.store.models import Attendance, Meeting


def write_changes(
    session: Session, rows: CellRows, data: CellData, changes: tuple[Change, ...] | list[Change],
    names: Mapping[str, str],
) -> tuple[Meeting | None, list[str]]:  # fmt: skip
    """Write *changes*; return the meeting written to and any person the meeting names who is
    not on the cell's roster here."""
    problems: list[str] = []
    people = {code: m.id for code, (m, _e) in rows.members.items()}
    meeting = rows.meeting
    new_round = data.meeting_round is not None and (
        meeting is None or meeting.round < data.meeting_round
    )
    touched = any(
        c.row in ("meeting", TALLY_ROW) or c.row.startswith("attendance:") for c in changes
    )
    if new_round and touched:
        meeting = Meeting(org_evaluation_id=rows.cell.id, round=data.meeting_round)
        session.add(meeting)
        session.flush()
    for c in changes:
        if c.written_apart:
            continue  # written and logged by the merge through the procedure's own service
        if c.row == "cell":
            rows.cell.step = c.after
            if c.after is CellStep.SUBMITTED:
                now = clock.now().replace(microsecond=0)
                rows.cell.submitted_at = data.submitted_at or now
        elif c.row in ("org", "collective"):
            setattr(rows.cell if c.row == "org" else rows.collective, c.field, _stored(c.after))
        elif c.row.startswith("member:"):
            _member, evaluation = rows.members[c.row.removeprefix("member:")]
            setattr(evaluation, c.field, _stored(c.after))
        elif c.row == "meeting":
            assert meeting is not None
            problems += _write_meeting(meeting, c, people, names, rows.org.name)
        elif c.field in history_records.FIELDS.values():
            history_records.write(session, _owner(rows, c.row), c.before, c.after)
        elif c.row == TALLY_ROW:
            if meeting is None:
                problems.append(f"{c.group}: gói không có hội nghị của chi bộ.")
            else:
                problems += write_tally(session, rows, meeting, c.after)
        else:
            assert meeting is not None
            member_id = people[c.row.removeprefix("attendance:")]
            entry = session.scalar(
                select(Attendance).where(
                    Attendance.meeting_id == meeting.id, Attendance.member_id == member_id
                )
            )
            if entry is None:
                entry = Attendance(meeting_id=meeting.id, member_id=member_id)
                session.add(entry)
            setattr(entry, c.field, c.after)
    session.flush()
    return meeting, problems


def _write_meeting(
    meeting: Meeting, c: Change, people: Mapping[str, int], names: Mapping[str, str],
    cell_name: str,
) -> list[str]:  # fmt: skip
    """The meeting names people by code; here they are rows of this database."""
    strangers = [
        f"Hội nghị: {c.label} {names.get(code, code)} (mã {code}) không có trong danh sách "
        f"{cell_name} ở đây."
        for code in ([c.after] if c.field in ("chair", "secretary") else [])
        + (list(c.after) if c.field == "tally_committee" else [])
        if code and code not in people
    ]
    if c.field in ("chair", "secretary"):
        setattr(meeting, f"{c.field}_id", people.get(c.after) if c.after else None)
    elif c.field == "tally_committee":
        meeting.tally_committee = [people[code] for code in c.after if code in people]
    else:
        setattr(meeting, c.field, c.after)
    return strangers


def _owner(rows: CellRows, row: str) -> int:
    """The member (by "periods:<code>", "disciplines:<code>") or the cell whose record it is."""
    if row == history_records.ORG_DISCIPLINES:
        return rows.org.id
    return rows.members[row.partition(":")[2]][0].id


_HISTORY_ENTITIES = {"period": "member_period", "discipline": "discipline",
                     "org_discipline": "org_discipline"}  # fmt: skip


def _stored(value: Value) -> Value:
    """A value as its column holds it (a JSON column wants a fresh dict)."""
    return dict(value) if isinstance(value, dict) else value


def log_import(
    session: Session, actor: str, rows: CellRows, meeting: Meeting | None, plan: ImportPlan
) -> None:
    """One audit entry per row changed, then one for the package itself (its checksum and
    export time, which later imports compare against)."""
    period_id = rows.period.id
    grouped: dict[str, list[Change]] = {}
    for c in plan.changes:
        if c.written_apart:
            continue  # logged as each sheet or member's quarters was written
        grouped.setdefault("org" if c.row == "cell" else c.row, []).append(c)
    for row, changes in grouped.items():
        entity_id: int | None
        if changes[0].field in _HISTORY_ENTITIES:
            # Records, not values: the entry lists each record before (None: added) and after.
            field = changes[0].field
            audit.record(
                session, actor=actor, action=IMPORT_ACTION, entity=_HISTORY_ENTITIES[field],
                entity_id=_owner(rows, row), period_id=period_id,
                summary=f"Nhập gói của {rows.org.name}: {changes[0].group}: "
                + "; ".join(f"{c.label} {c.shown_after}" for c in changes),
                before={field: [c.before for c in changes]},
                after={field: [c.after for c in changes]},
            )  # fmt: skip
            continue
        if row in ("org", "collective"):
            entity = f"{row}_evaluation"
            evaluation = rows.cell if row == "org" else rows.collective
            entity_id = evaluation.id if evaluation is not None else None
        elif row == "meeting":
            entity, entity_id = "meeting", meeting.id if meeting is not None else None
        elif row == TALLY_ROW:  # logged by meeting, as the window logs each teller's entry
            entity, entity_id = "tally_entry", meeting.id if meeting is not None else None
        elif row.startswith("member:"):
            entity = "member_evaluation"
            entity_id = rows.members[row.removeprefix("member:")][1].id
        else:
            entity = "attendance"  # by member id, as the window logs attendance
            entity_id = rows.members[row.removeprefix("attendance:")][0].id
        audit.record(
            session, actor=actor, action=IMPORT_ACTION, entity=entity, entity_id=entity_id,
            period_id=period_id,
            summary=f"Nhập gói của {rows.org.name}: {changes[0].group}: "
            + ", ".join(c.label for c in changes),
            before={c.field: c.before for c in changes},
            after={c.field: c.after for c in changes},
        )  # fmt: skip
    p = plan.package
    audit.record(
        session, actor=actor, action=PACKAGE_ACTION, entity="org_evaluation",
        entity_id=rows.cell.id, period_id=period_id,
        summary=f"Nhập gói dữ liệu của {rows.org.name} (tệp {p.path.name}, xuất lúc "
        f"{format_date(p.exported_at.date())} {p.exported_at:%H:%M}): "
        f"{len(plan.changes)} thay đổi, {len(plan.kept)} giá trị giữ nguyên",
        after={
            "checksum": p.checksum, "exported_at": p.exported_at.isoformat(),
            "cell": p.data.cell_code, "lineage": p.source.lineage,
            "machine": p.source.machine, "file": p.path.name,
        },
    )  # fmt: skip
