"""One cell's period read out of a database in the exchange's terms (codes, not row ids).

Export and import read a database through the same functions, so a value in a package and
the same value in the commune's database compare equal. The audit log is read too: each entry
that touched the cell's records becomes a (row, field) list under its chain hash, which is how
the import tells what each side changed since they parted (see ``exchange.merge``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import platform
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.collation import roster_key
from app.domain.procedure import CellStep
from app.domain.quarters import QUARTER_NAMES
from app.domain.vocabulary import AuditAction, PeriodKind
from app.services.exchange import history_records
from app.services.exchange.fields import (
    ATTENDANCE_FIELDS,
    MEETING_FIELDS,
    MEMBER_FIELDS,
    ORG_FIELDS,
    CellData,
    CriteriaRef,
    HistoryEntry,
    ItemSheetData,
    MemberData,
    QuarterData,
    SourceInfo,
    Value,
)
from app.services.exchange.rows import CellRows
from app.services.exchange.tally import FIELD as TALLY_FIELD
from app.services.exchange.tally import ROW as TALLY_ROW
from app.services.exchange.tally import read_tally
from app.services.periods import criteria_sets
from app.services.periods.facts import quarter_ratings
from app.services.safekeeping import audit
from app.store.models import (
    AuditEntry,
    EvaluationPeriod,
    ItemScore,
    Meeting,
    Member,
    MemberPeriod,
    PostHolding,
    PostKind,
)

# Audit actions written by an import: the values they wrote came from a cell, not from the
# commune's own hand.
IMPORT_ACTION = AuditAction.IMPORT_VALUES
PACKAGE_ACTION = AuditAction.IMPORT_PACKAGE
_ENTITIES = (
    "member_evaluation",
    "org_evaluation",
    "collective_evaluation",
    "meeting",
    "attendance",
    "tally_entry",  # the two tellers' entries, logged by meeting
)
# Audit entries name a few things differently from the exchange's fields.
_MEETING_KEYS = {
    "chair_id": "chair",
    "secretary_id": "secretary",
    "issued": "ballots_issued",
    "returned": "ballots_returned",
    "valid": "ballots_valid",
}
# The window logs attendance as present/reason; an import logs it under its own field names.
_ATTENDANCE_KEYS = {
    "present": "present",
    "reason": "absence_reason",
    "absence_reason": "absence_reason",
}
# A meeting nothing has been entered for (what a new Meeting row holds).
EMPTY_MEETING: dict[str, Value] = {
    "held_on": None, "starts_at": None, "ends_at": None, "place": "", "chair": None,
    "secretary": None, "upper_attendee": "", "upper_attendee_post": "",
    "voting_method": "bo_phieu_kin", "tally_committee": (), "ballots_issued": None,
    "ballots_returned": None, "ballots_valid": None, "report_summary": "", "upper_remarks": "",
    "conclusion": "", "approval_agree": None, "approval_total": None,
}  # fmt: skip


def _values(row: Any, kinds: Iterable[str]) -> dict[str, Value]:
    values = {}
    for key in kinds:
        value = getattr(row, key)
        if key == "vote_counts":
            value = dict(value or {})
        values[key] = value
    return values


def _posts(session: Session, day: dt.date, ids: set[int]) -> dict[tuple[int, PostKind], str]:
    posts: dict[tuple[int, PostKind], str] = {}
    for post in session.scalars(select(PostHolding).where(PostHolding.member_id.in_(ids))):
        if (post.start_on is None or post.start_on <= day) and (
            post.end_on is None or post.end_on > day
        ):
            posts[(post.member_id, PostKind(post.kind))] = post.title
    return posts


def _exemptions(session: Session, day: dt.date, ids: set[int]) -> dict[int, dt.date]:
    found: dict[int, dt.date] = {}
    for p in session.scalars(
        select(MemberPeriod).where(
            MemberPeriod.member_id.in_(ids), MemberPeriod.kind == PeriodKind.EXEMPT
        )
    ):
        if p.start_on <= day and (p.end_on is None or p.end_on > day):
            found[p.member_id] = p.start_on
    return found


def meeting_values(session: Session, meeting: Meeting) -> dict[str, Value]:
    """The meeting record with its people by member code."""
    ids = {meeting.chair_id, meeting.secretary_id, *(meeting.tally_committee or ())} - {None}
    codes = dict(session.execute(select(Member.id, Member.code).where(Member.id.in_(ids))).all())
    values = _values(meeting, [k for k in MEETING_FIELDS if k in Meeting.__table__.columns])
    values["chair"] = codes.get(meeting.chair_id) if meeting.chair_id else None
    values["secretary"] = codes.get(meeting.secretary_id) if meeting.secretary_id else None
    values["tally_committee"] = tuple(codes.get(i, "?") for i in meeting.tally_committee or ())
    return {key: values[key] for key in MEETING_FIELDS}


def criteria_ref(period: EvaluationPeriod) -> CriteriaRef | None:
    """The criteria set *period* scores by, as a package names it (None: totals typed in)."""
    cset = criteria_sets.of_period(period)
    if cset is None:
        return None
    text = period.criteria_snapshot or ""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return CriteriaRef(cset.id, cset.name, f"sha256:{digest}")


def item_rows(rows: CellRows) -> dict[tuple[str, int], str]:
    """The cell's subjects scored item by item, (kind, id) → the row the exchange names."""
    named = {("member", m.id): f"member:{code}" for code, (m, _e) in rows.members.items()}
    named[("org", rows.org.id)] = "org"
    if rows.collective is not None:
        named[("collective", rows.org.id)] = "collective"
    return named


def read_item_scores(session: Session, rows: CellRows) -> tuple[ItemSheetData, ...]:
    """Every sheet of the cell's subjects scored item by item, values exactly as stored."""
    named = item_rows(rows)
    found: dict[tuple[str, str], list[tuple[str, str, str]]] = {}
    for r in session.scalars(select(ItemScore).where(ItemScore.period_id == rows.period.id)):
        row = named.get((r.subject_kind, r.subject_id))
        if row is not None:
            found.setdefault((row, r.stage), []).append((r.item_key, r.value, r.note or ""))
    return tuple(
        ItemSheetData(row, stage, tuple(sorted(entries)))
        for (row, stage), entries in sorted(found.items())
    )


# Quarterly ratings (format 5): a member's four quarters merge as one value, under this field.
QUARTERS_FIELD = "quarters"
# The audit log keeps a member's quarterly ratings by quarter name ("Quý I" …), for the window
# and for an import alike: an entry with such keys touched them.
_QUARTER_KEYS = frozenset(QUARTER_NAMES.values())


def read_quarters(session: Session, rows: CellRows) -> tuple[QuarterData, ...]:
    """The quarterly ratings of the cell's members, by row, a member with none left out."""
    found = quarter_ratings(session, rows.period.id)
    return tuple(
        sorted(
            (
                QuarterData(f"member:{code}", found[m.id])
                for code, (m, _e) in rows.members.items()
                if found.get(m.id)
            ),
            key=lambda q: q.row,
        )
    )


def read_cell(session: Session, rows: CellRows) -> CellData:
    """The cell's period as a package would carry it."""
    period = rows.period
    ref = period.reference_date
    ids = {m.id for m, _e in rows.members.values()}
    posts = _posts(session, ref, ids)
    exempt = _exemptions(session, ref, ids)
    periods, disciplines = history_records.read_members(session, ids)
    members = []
    for member, evaluation in rows.members.values():
        entry = rows.attendance.get(member.id)
        members.append(
            MemberData(
                code=member.code,
                full_name=member.full_name,
                birth_date=member.birth_date,
                admitted_on=member.admitted_on,
                official_on=member.official_on,
                party_post=posts.get((member.id, PostKind.PARTY), ""),
                other_post=posts.get((member.id, PostKind.OTHER), ""),
                exempt_since=exempt.get(member.id),
                evaluated=evaluation.evaluated,
                votes=evaluation.votes,
                not_classified_reason=evaluation.not_classified_reason,
                not_classified_note=evaluation.not_classified_note,
                stages=_values(evaluation, MEMBER_FIELDS),
                attendance={
                    "present": entry.present if entry else None,
                    "absence_reason": entry.absence_reason if entry else "",
                },
                periods=periods[member.id],
                disciplines=disciplines[member.id],
            )
        )
    members.sort(key=lambda m: (*roster_key(m.party_post, m.full_name), m.code))
    meeting = rows.meeting
    return CellData(
        year=period.year,
        ruleset_id=period.ruleset_id,
        reference_date=ref,
        cell_code=rows.org.code,
        cell_name=rows.org.name,
        step=CellStep(rows.cell.step),
        submitted_at=rows.cell.submitted_at,
        org=_values(rows.cell, ORG_FIELDS),
        collective=_values(rows.collective, ORG_FIELDS) if rows.collective else None,
        members=tuple(members),
        meeting_round=meeting.round if meeting else None,
        meeting=meeting_values(session, meeting) if meeting else None,
        history=history(session, rows),
        tally=read_tally(session, rows, meeting),
        org_disciplines=history_records.read_org(session, rows.org.id),
        criteria=criteria_ref(period),
        item_scores=read_item_scores(session, rows),
        quarters=read_quarters(session, rows),
    )


def history(session: Session, rows: CellRows) -> tuple[HistoryEntry, ...]:
    """Every audit entry of the period that touched the cell's records, oldest first."""
    member_rows = {e.id: code for code, (_m, e) in rows.members.items()}
    member_ids = {m.id: code for code, (m, _e) in rows.members.items()}
    meetings = set(
        session.scalars(select(Meeting.id).where(Meeting.org_evaluation_id == rows.cell.id))
    )
    collective = rows.collective.id if rows.collective else None
    found = []
    for h, action, entity, entity_id, before, after in session.execute(
        select(
            AuditEntry.hash, AuditEntry.action, AuditEntry.entity, AuditEntry.entity_id,
            AuditEntry.before, AuditEntry.after,
        )
        .where(AuditEntry.period_id == rows.period.id, AuditEntry.entity.in_(_ENTITIES))
        .order_by(AuditEntry.id)
    ):  # fmt: skip
        keys = set(before or {}) | set(after or {})
        touches: list[tuple[str, str]] = []
        if entity == "member_evaluation" and entity_id in member_rows:
            row = f"member:{member_rows[entity_id]}"
            touches = [(row, k) for k in MEMBER_FIELDS if k in keys]
            if "items" in keys:  # scores item by item: the self-review's carry its sums
                stage = "self" if "self_score_general" in keys else "chi_uy"
                touches.append((row, f"items:{stage}"))
            if keys & _QUARTER_KEYS:  # quarterly ratings, as the window and an import log them
                touches.append((row, QUARTERS_FIELD))
        elif entity in ("org_evaluation", "collective_evaluation") and entity_id in (
            rows.cell.id,
            collective,
        ):
            row = "org" if entity_id == rows.cell.id else "collective"
            touches = [(row, k) for k in ORG_FIELDS if k in keys]
            if "items" in keys:
                touches.append((row, "items:self"))
            if row == "org" and "step" in keys:
                touches.append(("cell", "step"))
        elif entity == "meeting" and entity_id in meetings:
            named = {_MEETING_KEYS.get(k, k) for k in keys}
            touches = [("meeting", k) for k in MEETING_FIELDS if k in named]
        elif entity == "tally_entry" and entity_id in meetings:
            touches = [(TALLY_ROW, TALLY_FIELD)]
        elif entity == "attendance" and entity_id in member_ids:
            row = f"attendance:{member_ids[entity_id]}"
            named = {_ATTENDANCE_KEYS[k] for k in keys if k in _ATTENDANCE_KEYS}
            touches = [(row, k) for k in ATTENDANCE_FIELDS if k in named]
        if touches:
            found.append(HistoryEntry(h, action, tuple(touches)))
    return tuple(found)


def source_info(session: Session, name: str) -> SourceInfo:
    """Where a package comes from; *name*: the database's file name (a server database's
    name and host: ``Database.short_name``)."""
    first = session.scalar(select(AuditEntry.hash).order_by(AuditEntry.id).limit(1))
    head = audit.head(session)
    return SourceInfo(
        lineage=first or "",
        history_head=head.hash,
        machine=platform.node()[:100],
        file_name=name[:200],
        history_count=head.count,
    )
