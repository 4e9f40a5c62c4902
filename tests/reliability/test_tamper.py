"""Locked records: a decided year cannot be changed through any service, only after a reopen
that names its reason and is written in the hash-chained audit log."""

from __future__ import annotations

import pytest

from app.services.common.errors import ServiceError
from app.services.procedure import appraisal
from app.services.procedure import steps as procedure_steps
from app.services.procedure.levels import LockedError
from app.services.safekeeping import audit
from app.store.database import Database

DECIDED_YEAR = 2025


def test_a_decided_year_is_locked_until_a_logged_reopen(any_full_demo_db: Database) -> None:
    view = appraisal.appraisal_view(any_full_demo_db, DECIDED_YEAR)
    row = next(r for r in view.rows if r.decided_level == "HTTNV" and r.subject.kind == "member")
    member_id = row.subject.id

    with pytest.raises(LockedError):
        appraisal.change_level(any_full_demo_db, DECIDED_YEAR, row.subject, "HTNV", "Sửa lén")
    with pytest.raises((LockedError, ServiceError)):
        procedure_steps.save_comments(any_full_demo_db, DECIDED_YEAR, member_id, "Góp ý sau", "")
    with pytest.raises(ServiceError, match="lý do"):
        appraisal.reopen(any_full_demo_db, DECIDED_YEAR, "  ", actor="văn phòng")
    unchanged = appraisal.appraisal_view(any_full_demo_db, DECIDED_YEAR)
    assert next(r for r in unchanged.rows if r.subject == row.subject).decided_level == "HTTNV"

    appraisal.reopen(
        any_full_demo_db, DECIDED_YEAR, "Sửa sai sót theo Công văn của Ủy ban Kiểm tra", actor="Lan"
    )
    appraisal.change_level(
        any_full_demo_db,
        DECIDED_YEAR,
        row.subject,
        "HTXSNV",
        "Bổ sung thành tích được khen thưởng sau khi quyết định",
    )
    after = appraisal.appraisal_view(any_full_demo_db, DECIDED_YEAR)
    assert next(r for r in after.rows if r.subject == row.subject).decided_level == "HTXSNV"

    log = audit.entries(any_full_demo_db)
    reopened = [e for e in log if e.action == "mo_khoa"]
    assert len(reopened) == 1
    assert reopened[0].actor == "Lan" and "Công văn của Ủy ban Kiểm tra" in reopened[0].summary
    changes = [
        e
        for e in log
        if e.id > reopened[0].id
        and e.entity == "member_evaluation"
        and "HTXSNV" in str(e.after)
        and "khen thưởng" in e.summary + str(e.after)
    ]
    assert changes, "the change after the reopen is logged with its reason"
    assert audit.verify_chain(any_full_demo_db) == []
