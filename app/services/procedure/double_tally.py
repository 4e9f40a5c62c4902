"""Two tellers: the tally of a secret ballot entered twice, by two named
people, each on their own; a difference view; the agreed counts taken as the vote; and the
tally minutes printed only when both entries agree.

Every row of an entry accounts for every ballot collected: the votes for each level plus the
ballots that do not count on that row ("invalid": no mark, two marks, a spoiled ballot) add
up to the ballots collected (số phiếu thu vào). Double entry is optional: a cell that never
uses it prints its minutes as before.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.domain import clock
from app.domain.formatting import format_int
from app.domain.member_checks import FieldProblem
from app.domain.rules import Subject
from app.domain.vocabulary import AuditAction
from app.services.common.errors import ServiceError, ValidationError
from app.services.periods import rule_sets as rulesets
from app.services.periods.lifecycle import find
from app.services.printing import view_memo as cell_view_memo
from app.services.procedure import steps as procedure_steps
from app.services.procedure.levels import evaluation_row
from app.services.procedure.view import latest_meeting
from app.services.safekeeping import audit
from app.store.database import Database
from app.store.models import Meeting, TallyEntry

INVALID = "invalid"  # the ballots that do not count on a row
INVALID_LABEL = "Không hợp lệ"
TELLERS = (1, 2)
NOT_AGREED = (
    "Hai người nhập kết quả kiểm phiếu chưa khớp nhau. Hãy đối chiếu lại với phiếu bầu và "
    "nhập lại cho khớp trước khi in biên bản kiểm phiếu."
)


@dataclass(frozen=True)
class TallyRow:
    subject: Subject
    name: str
    codes: tuple[str, ...]  # the level codes of the row's scale, then INVALID
    first: Mapping[str, int] | None  # teller 1's counts; None: not entered yet
    second: Mapping[str, int] | None

    @property
    def agreed(self) -> bool:
        return (
            self.first is not None
            and self.second is not None
            and all(self.first.get(c, 0) == self.second.get(c, 0) for c in self.codes)
        )

    def differing_codes(self) -> tuple[str, ...]:
        """The columns where the two entries differ (all of them while one is missing)."""
        if self.first is None or self.second is None:
            return self.codes
        return tuple(c for c in self.codes if self.first.get(c, 0) != self.second.get(c, 0))


@dataclass(frozen=True)
class DoubleEntry:
    cell_id: int
    used: bool  # someone has entered a count
    teller_names: tuple[str, str]
    ballots_collected: int | None
    labels: Mapping[str, str]  # code → the column header ("HTXSNV", "Không hợp lệ")
    rows: tuple[TallyRow, ...]

    @property
    def differences(self) -> tuple[TallyRow, ...]:
        return tuple(r for r in self.rows if not r.agreed)

    @property
    def agreed(self) -> bool:
        return self.used and bool(self.rows) and not self.differences


def _meeting(session: Session, year: int, cell_id: int) -> Meeting:
    period = find(session, year)
    cell = evaluation_row(session, period, Subject("org", cell_id))
    meeting = latest_meeting(session, cell)
    if meeting is None:
        raise ServiceError("Chi bộ chưa ghi thông tin hội nghị")
    return meeting


def double_entry(db: Database, year: int, cell_id: int) -> DoubleEntry:
    view = cell_view_memo.cell_view(db, year, cell_id)  # the printed minutes' view, if any
    rs = view.ruleset
    rows_in = [view.cell, *([view.collective] if view.collective else [])]
    rows_in += [m for m in view.members if m.evaluated]
    with db.session() as session:
        meeting = _meeting(session, year, cell_id)
        entries = list(
            session.scalars(select(TallyEntry).where(TallyEntry.meeting_id == meeting.id))
        )
        collected = meeting.ballots_returned
    by_key = {(e.teller, e.subject_kind, e.subject_id): e for e in entries}
    names = ["", ""]
    for e in entries:
        names[e.teller - 1] = names[e.teller - 1] or e.teller_name
    labels: dict[str, str] = {}
    rows = []
    for line in rows_in:
        subject = line.subject
        scale = rs.scale(subject.kind)
        codes = (*scale.codes, INVALID)
        for level in scale.levels:
            labels.setdefault(level.code, level.short)
        first = by_key.get((1, subject.kind, subject.id))
        second = by_key.get((2, subject.kind, subject.id))
        name = line.full_name if subject.kind == "member" else line.name
        rows.append(
            TallyRow(subject, name, codes, dict(first.counts) if first else None,
                     dict(second.counts) if second else None)
        )  # fmt: skip
    labels[INVALID] = INVALID_LABEL
    return DoubleEntry(cell_id, bool(entries), (names[0], names[1]), collected, labels, tuple(rows))


def save_entry(
    db: Database,
    year: int,
    cell_id: int,
    teller: int,
    teller_name: str,
    subject: Subject,
    counts: Mapping[str, int],
    actor: str = "",
) -> None:
    """One teller's count of one row: refused unless it adds up to the ballots collected."""
    if teller not in TELLERS:
        raise ServiceError("Chỉ có người nhập thứ nhất và người nhập thứ hai")
    name = " ".join(teller_name.split())
    if not name:
        raise ValidationError([FieldProblem("teller", "phải ghi tên người nhập", "Người nhập")])
    with db.session() as session:
        period = find(session, year)
        row = evaluation_row(session, period, subject)
        if row.org_id != cell_id:
            raise ServiceError("Dòng này không thuộc chi bộ")
        procedure_steps.editable_cell(session, period, cell_id)
        meeting = _meeting(session, year, cell_id)
        if not meeting.ballots_returned:
            raise ValidationError(
                [FieldProblem("ballots", "hãy lưu số phiếu thu vào trước", "Số phiếu")]
            )
        other = session.scalar(
            select(TallyEntry.teller_name).where(
                TallyEntry.meeting_id == meeting.id, TallyEntry.teller != teller
            )
        )
        if other and other.casefold() == name.casefold():
            raise ValidationError(
                [FieldProblem("teller", "hai lần nhập phải do hai người khác nhau", "Người nhập")]
            )
        rs = rulesets.from_snapshot(period.ruleset_snapshot, period.year)
        codes = (*rs.scale(subject.kind).codes, INVALID)
        unknown = [c for c in counts if c not in codes]
        if unknown:
            raise ServiceError(f"Mức “{unknown[0]}” không có trong {rs.name}")
        clean = {c: int(counts.get(c, 0)) for c in codes}
        total = sum(clean.values())
        label = procedure_steps.subject_name(session, subject)
        if any(v < 0 for v in clean.values()):
            raise ValidationError([FieldProblem("votes", f"{label}: số phiếu không được âm", "")])
        if total != meeting.ballots_returned:
            raise ValidationError(
                [
                    FieldProblem(
                        "votes",
                        f"{label}: cộng cả phiếu không hợp lệ được {format_int(total)} phiếu, "
                        f"phải bằng số phiếu thu vào ({format_int(meeting.ballots_returned)})",
                        "Kiểm phiếu",
                    )
                ]
            )
        entry = session.scalar(
            select(TallyEntry).where(
                TallyEntry.meeting_id == meeting.id,
                TallyEntry.teller == teller,
                TallyEntry.subject_kind == subject.kind,
                TallyEntry.subject_id == subject.id,
            )
        )
        before = dict(entry.counts) if entry else {}
        if entry is None:
            entry = TallyEntry(meeting_id=meeting.id, teller=teller, subject_kind=subject.kind,
                               subject_id=subject.id)  # fmt: skip
            session.add(entry)
        entry.teller_name = name
        entry.counts = clean
        entry.entered_at = clock.now().replace(microsecond=0)
        # The teller's name is the same on every row they entered.
        for mine in session.scalars(
            select(TallyEntry).where(
                TallyEntry.meeting_id == meeting.id, TallyEntry.teller == teller
            )
        ):
            mine.teller_name = name
        audit.record(
            session, actor=actor or name, action=AuditAction.ENTER_TALLY, entity="tally_entry",
            entity_id=meeting.id, period_id=period.id,
            summary=f"{label}: người nhập thứ {teller} ({name}) ghi kết quả kiểm phiếu",
            before=before, after=clean,
        )  # fmt: skip


def clear(db: Database, year: int, cell_id: int, actor: str = "") -> None:
    """Drop both entries (to start the double entry again, or to stop using it)."""
    with db.session() as session:
        period = find(session, year)
        procedure_steps.editable_cell(session, period, cell_id)
        meeting = _meeting(session, year, cell_id)
        session.execute(delete(TallyEntry).where(TallyEntry.meeting_id == meeting.id))
        audit.record(session, actor=actor, action=AuditAction.CLEAR_TALLY,
                     entity="tally_entry", entity_id=meeting.id, period_id=period.id,
                     summary="Xóa kết quả nhập kiểm phiếu của hai người")  # fmt: skip


def take_agreed(db: Database, year: int, cell_id: int, actor: str = "") -> int:
    """Write the agreed counts as the cell's vote; refused while the entries differ."""
    entry = double_entry(db, year, cell_id)
    if not entry.agreed:
        raise ServiceError(NOT_AGREED)
    for row in entry.rows:
        assert row.first is not None
        votes = {c: v for c, v in row.first.items() if c != INVALID}
        procedure_steps.save_votes(db, year, row.subject, votes, actor)
    return len(entry.rows)


def agreed_state(db: Database, year: int, cell_id: int) -> bool | None:
    """None when the cell did not use double entry, else whether both entries agree and the
    vote recorded is theirs (the tally minutes print only then)."""
    entry = double_entry(db, year, cell_id)
    if not entry.used:
        return None
    if not entry.agreed:
        return False
    view = cell_view_memo.cell_view(db, year, cell_id)
    recorded = {m.subject: m.vote_counts for m in view.members}
    recorded[view.cell.subject] = view.cell.vote_counts
    if view.collective is not None:
        recorded[view.collective.subject] = view.collective.vote_counts
    for row in entry.rows:
        assert row.first is not None
        votes = {c: v for c, v in row.first.items() if c != INVALID and v}
        if {c: v for c, v in recorded.get(row.subject, {}).items() if v} != votes:
            return False
    return True
