"""The seal on locked results: what the lock entry remembers, and the check that recomputes it.

Every entry that locks results (the commune's decision, a results import, the demo's decided
years) stores in its ``after`` a digest of each locked cell's results: who, in which cell,
classified or not and why, and the decided level. ``danhgia check`` recomputes the digests from
the tables and names every cell whose locked results no longer match the period's last lock
entry. A level edited straight in the database file therefore shows, unless whoever edited it
also rewrote the audit log (see ``anchors`` for what catches that, and the user guide for what
none of this can prove).

What is covered: in a decided period every result of the period; in a period still under
appraisal, the results of the cells already locked. The commune's own organisation is decided
by the province after the commune's decision, so it is not under the commune's lock.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.procedure import PeriodState
from app.domain.vocabulary import AuditAction
from app.services.safekeeping import audit
from app.store.models import (
    AuditEntry,
    EvaluationPeriod,
    MemberEvaluation,
    Organization,
    OrgEvaluation,
)

SEAL_KEY = "niem_phong"  # in a lock entry's ``after``: {cell id: digest}
# Entries that change what is locked: the last of them for a period is the one to match.
_LOCK_ACTIONS = (AuditAction.DECIDE, AuditAction.UNLOCK)


def _locked_cells(session: Session, period: EvaluationPeriod) -> set[int]:
    return set(
        session.scalars(
            select(OrgEvaluation.org_id).where(
                OrgEvaluation.period_id == period.id, OrgEvaluation.locked.is_(True)
            )
        )
    )


def digests(session: Session, period: EvaluationPeriod) -> dict[str, str]:
    """Cell id (as text, the way JSON keeps it) → digest of that cell's locked results."""
    decided = PeriodState(period.state).is_decided
    locked = _locked_cells(session, period)
    rows: dict[int, list[tuple[object, ...]]] = defaultdict(list)
    for e in session.scalars(
        select(MemberEvaluation).where(MemberEvaluation.period_id == period.id)
    ):
        if decided or e.org_id in locked:
            rows[e.org_id].append(
                ("dv", e.member_id, e.evaluated, e.not_classified_reason, e.decided_level)
            )
    for o in session.scalars(
        select(OrgEvaluation).where(
            OrgEvaluation.period_id == period.id, OrgEvaluation.locked.is_(True)
        )
    ):
        rows[o.org_id].append(
            (o.subject, o.org_id, o.evaluated, o.not_classified_reason, o.decided_level)
        )
    return {str(cell): _digest(found) for cell, found in rows.items()}


def _digest(rows: Iterable[tuple[object, ...]]) -> str:
    text = json.dumps(sorted(rows, key=repr), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def record_lock(
    session: Session,
    period: EvaluationPeriod,
    *,
    actor: str,
    summary: str,
    action: str = AuditAction.DECIDE,
    after: dict[str, object] | None = None,
    at: dt.datetime | None = None,
) -> None:
    """The lock entry of *period*, in the caller's unit of work, sealing what is locked now.
    Call it after the rows are written and marked locked."""
    session.flush()
    audit.record(
        session, actor=actor, action=action, entity="period", entity_id=period.id,
        period_id=period.id, summary=summary,
        after={**(after or {}), SEAL_KEY: digests(session, period)},
        at=at,
    )  # fmt: skip


def problems(session: Session) -> tuple[list[str], list[str]]:
    """(problems, notes): every period whose locked results differ from its last lock entry,
    and the periods locked before seals existed (nothing to compare them with)."""
    found: list[str] = []
    notes: list[str] = []
    names = dict(session.execute(select(Organization.id, Organization.name)).all())
    for period in session.scalars(select(EvaluationPeriod).order_by(EvaluationPeriod.year)):
        locked = _locked_cells(session, period)
        last = _last_lock_entry(session, period.id)
        sealed = None
        if last is not None and isinstance(last.after, dict):
            sealed = last.after.get(SEAL_KEY)
        if not isinstance(sealed, dict):
            if locked or PeriodState(period.state).is_decided:
                if last is not None and last.action == AuditAction.DECIDE:
                    notes.append(
                        f"Năm {period.year}: khóa bằng phiên bản chưa có dấu niêm phong, "
                        "chưa đối chiếu được"
                    )
                else:
                    found.append(
                        f"năm {period.year} có kết quả đã khóa nhưng nhật ký không có mục "
                        "khóa nào cho chúng (khóa ngoài chương trình, hoặc mục khóa đã bị xóa)"
                    )
            continue
        now = digests(session, period)
        for cell in sorted(set(sealed) | set(now), key=lambda c: names.get(int(c), c)):
            name = names.get(int(cell), f"tổ chức số {cell}")
            if cell not in now:
                found.append(
                    f"năm {period.year}, {name}: kết quả đã khóa (mục nhật ký số {last.id}) "
                    "nay không còn khóa, mà nhật ký không ghi việc mở khóa"
                )
            elif cell not in sealed:
                found.append(
                    f"năm {period.year}, {name}: kết quả bị khóa ngoài chương trình (không có "
                    "trong mục khóa cuối cùng của nhật ký)"
                )
            elif sealed[cell] != now[cell]:
                found.append(
                    f"năm {period.year}, {name}: kết quả đã khóa bị sửa trực tiếp trong cơ sở "
                    f"dữ liệu (khác với lúc khóa, mục nhật ký số {last.id})"
                )
    return found, notes


def _last_lock_entry(session: Session, period_id: int) -> AuditEntry | None:
    """The period's newest entry that locked or unlocked it (a demo's or an import's lock
    entry counts by its seal)."""
    for entry in session.scalars(
        select(AuditEntry)
        .where(AuditEntry.period_id == period_id, AuditEntry.entity == "period")
        .order_by(AuditEntry.id.desc())
    ):
        if entry.action in _LOCK_ACTIONS:
            return entry
        if isinstance(entry.after, dict) and SEAL_KEY in entry.after:
            return entry
    return None
