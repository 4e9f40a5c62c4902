"""The two tellers' tally in the exchange package (format version 2): the entries of the
cell's latest meeting read out of a database by row name, written back for an import, and
checked as the window checks each one (``procedure.double_tally.save_entry``).

The whole set of entries is one value of the merge (row "tally", field "tally_entries"): the
two entries are compared with each other and printed together, so they travel together.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.domain.formatting import format_int
from app.domain.rules import RuleSet
from app.services.exchange.fields import TallyData, tally_key
from app.services.exchange.rows import CellRows
from app.services.procedure.view import collective_title
from app.store.models import Meeting, TallyEntry

ROW = "tally"
FIELD = "tally_entries"
GROUP = "Kiểm phiếu do hai người nhập"
INVALID = "invalid"  # as double_tally.INVALID: the ballots that do not count on a row


def _row_names(rows: CellRows) -> dict[tuple[str, int], str]:
    names = {("org", rows.org.id): "org", ("collective", rows.org.id): "collective"}
    names.update({("member", m.id): f"member:{code}" for code, (m, _e) in rows.members.items()})
    return names


def read_tally(session: Session, rows: CellRows, meeting: Meeting | None) -> tuple[TallyData, ...]:
    """The entries at *meeting*, sorted by (teller, row); entries for a row not on the
    cell's roster here are left out (they cannot be named by code)."""
    if meeting is None:
        return ()
    names = _row_names(rows)
    found = [
        TallyData(
            e.teller,
            e.teller_name,
            names[(e.subject_kind, e.subject_id)],
            dict(e.counts or {}),
            e.entered_at,
        )
        for e in session.scalars(select(TallyEntry).where(TallyEntry.meeting_id == meeting.id))
        if (e.subject_kind, e.subject_id) in names
    ]
    return tuple(sorted(found, key=tally_key))


def write_tally(
    session: Session, rows: CellRows, meeting: Meeting, entries: tuple[TallyData, ...]
) -> list[str]:
    """Replace the entries at *meeting* with *entries*; a row naming a member not on the
    cell's roster here is a problem (and is not written)."""
    session.execute(delete(TallyEntry).where(TallyEntry.meeting_id == meeting.id))
    subjects = {name: key for key, name in _row_names(rows).items()}
    problems = []
    for entry in entries:
        if entry.row not in subjects:
            code = entry.row.removeprefix("member:")
            problems.append(
                f"{GROUP}: đảng viên mã {code} không có trong danh sách {rows.org.name} ở đây."
            )
            continue
        kind, subject_id = subjects[entry.row]
        session.add(
            TallyEntry(
                meeting_id=meeting.id, teller=entry.teller, teller_name=entry.teller_name,
                subject_kind=kind, subject_id=subject_id, counts=dict(entry.counts),
                entered_at=entry.entered_at,
            )
        )  # fmt: skip
    session.flush()
    return problems


def check_tally(
    rs: RuleSet,
    meeting: Meeting | None,
    entries: tuple[TallyData, ...],
    names: Mapping[str, str],
    cell_name: str,
) -> list[str]:
    """What the window refuses when a teller saves a row: a level outside the rule set, a row
    that does not add up to the ballots collected, one person entering twice."""
    if not entries:
        return []
    if meeting is None or not meeting.ballots_returned:
        return [f"{GROUP}: chưa có số phiếu thu vào của hội nghị."]
    problems = []
    collected = meeting.ballots_returned
    tellers = {e.teller: " ".join(e.teller_name.split()) for e in entries}
    if any(not name for name in tellers.values()):
        problems.append(f"{GROUP}: phải ghi tên người nhập.")
    if len(tellers) == 2 and tellers[1].casefold() == tellers[2].casefold():
        problems.append(f"{GROUP}: hai lần nhập phải do hai người khác nhau.")
    for entry in entries:
        kind = "member" if entry.row.startswith("member:") else entry.row
        code = entry.row.removeprefix("member:")
        label = {"member": names.get(code, code), "org": cell_name}.get(
            kind, collective_title(cell_name)
        )
        allowed = {*rs.scale(kind).codes, INVALID}
        unknown = [c for c in entry.counts if c not in allowed]
        if unknown:
            problems.append(f"{GROUP}: {label}: mức “{unknown[0]}” không có trong {rs.name}.")
        total = sum(entry.counts.values())
        if total != collected:
            problems.append(
                f"{GROUP}: {label} (người nhập thứ {entry.teller}): cộng cả phiếu không hợp lệ "
                f"được {format_int(total)} phiếu, phải bằng số phiếu thu vào "
                f"({format_int(collected)})."
            )
    return problems
