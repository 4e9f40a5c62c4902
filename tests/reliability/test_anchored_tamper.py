"""Tampering the hash chain alone cannot show, and ``danhgia check`` now does: the newest
audit entries deleted, the log emptied, the chain rewritten and recomputed, a locked result
edited straight in the file. Each attack is plain SQL on the closed database, as someone with
the file and a SQLite tool would do it; the app's own use (new entries after a backup, a
restore, a reopen and a new decision) still checks good.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from app.__main__ import main
from app.domain import clock
from app.domain.rules import Subject
from app.services.procedure import appraisal
from app.services.safekeeping import audit, backups, maintenance
from app.store.database import Database

DECIDED = clock.today().year - 1


@pytest.fixture
def anchored(full_demo_path: Path) -> Iterator[Path]:
    """The demo with an automatic backup taken, and one change made after it."""
    with Database.open(full_demo_path) as db:
        backups.make_backup(db, "hang-ngay")
        appraisal.reopen(db, DECIDED, "Kiểm tra lại theo yêu cầu", actor="Lan")
    report = maintenance.check_database(full_demo_path)
    assert report.ok, report.problems
    yield full_demo_path


def _sql(path: Path, *statements: str) -> None:
    with closing(sqlite3.connect(path)) as connection:
        for statement in statements:
            connection.execute(statement)
        connection.commit()


def _problems(path: Path) -> str:
    report = maintenance.check_database(path)
    assert not report.ok, "check called a tampered database good"
    return " ".join(report.problems)


def test_the_newest_entries_deleted(anchored: Path) -> None:
    _sql(anchored, "DELETE FROM audit_log WHERE id > (SELECT max(id) - 5 FROM audit_log)")
    assert audit.verify_chain_file(anchored) == [], "the chain alone cannot see this"
    assert "các mục mới nhất đã bị xóa" in _problems(anchored)


def test_the_log_emptied(anchored: Path) -> None:
    _sql(anchored, "DELETE FROM audit_log")
    found = _problems(anchored)
    assert "xóa sạch" in found
    # And the locked results have lost their lock entry.
    assert "không có mục khóa" in found


def test_the_chain_rewritten_and_recomputed(anchored: Path) -> None:
    """An entry reworded and every hash after it computed again: a consistent chain."""
    with Database.open(anchored) as db:
        first = audit.entries(db)[0]
    _sql(anchored, f"UPDATE audit_log SET actor = 'Người khác' WHERE id = {first.id}")
    _rehash(anchored)
    assert audit.verify_chain_file(anchored) == [], "the rewrite is consistent on its own"
    assert "viết lại" in _problems(anchored)


def _rehash(path: Path) -> None:
    from app.store.models import AuditEntry

    with Database.open(path) as db, db.session() as session:
        previous = ""
        for entry in session.query(AuditEntry).order_by(AuditEntry.id):
            entry.previous_hash = previous
            entry.hash = audit._entry_hash(entry)
            previous = entry.hash


def test_a_locked_result_edited_in_the_file(full_demo_path: Path) -> None:
    with Database.open(full_demo_path) as db:
        view = appraisal.appraisal_view(db, DECIDED)
        row = next(r for r in view.rows if r.subject.kind == "member" and r.decided_level)
        other = "HTXSNV" if row.decided_level != "HTXSNV" else "HTNV"
    _sql(
        full_demo_path,
        f"UPDATE member_evaluations SET decided_level = '{other}' "
        f"WHERE member_id = {row.subject.id} AND period_id = "
        f"(SELECT id FROM evaluation_periods WHERE year = {DECIDED})",
    )
    assert audit.verify_chain_file(full_demo_path) == []
    found = _problems(full_demo_path)
    assert f"năm {DECIDED}" in found and "bị sửa trực tiếp" in found
    assert row.cell_name in found


def test_the_command_line_names_what_it_found(
    anchored: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _sql(anchored, "DELETE FROM audit_log WHERE id > (SELECT max(id) - 3 FROM audit_log)")
    assert main(["check", "--db", str(anchored)]) != 0
    out = capsys.readouterr().out
    assert "LỖI: Nhật ký thay đổi bị can thiệp" in out and "đã bị xóa" in out


def test_the_app_at_work_still_checks_good(anchored: Path, tmp_path: Path) -> None:
    """A reopen, a changed level and a new decision after the backup; then a restore of an
    older backup, which starts the chain again on purpose."""
    with Database.open(anchored) as db:
        view = appraisal.appraisal_view(db, DECIDED)
        row = next(r for r in view.rows if r.subject.kind == "member" and r.decided_level)
        subject = Subject("member", row.subject.id)
        level = "HTXSNV" if row.decided_level != "HTXSNV" else "HTTNV"
        appraisal.change_level(db, DECIDED, subject, level, "Bổ sung thành tích")
        appraisal.decide_and_lock(db, DECIDED, actor="Lan", backup=False)
    report = maintenance.check_database(anchored)
    assert report.ok, report.problems
    assert any("khớp với dấu niêm phong" in line for line in report.lines)

    older = tmp_path / "cu.sqlite"
    maintenance.backup_database(anchored, older)
    with Database.open(anchored) as db:
        appraisal.reopen(db, DECIDED, "Lần nữa", actor="Lan")
        backups.make_backup(db, "hang-ngay")  # newer than the file restored below
    maintenance.restore_database(anchored, older)
    report = maintenance.check_database(anchored)
    assert report.ok, report.problems


def test_packages_and_documents_carry_the_head(full_demo_path: Path, tmp_path: Path) -> None:
    from pypdf import PdfReader
    from sqlalchemy import select

    from app.domain.vocabulary import OrgKind
    from app.services.exchange import package as exchange
    from app.services.printing import documents
    from app.store.models import Organization, OrgEvaluation

    with Database.open(full_demo_path) as db:
        with db.session() as session:
            head = audit.head(session)
            cell_id = session.scalar(
                select(OrgEvaluation.org_id)
                .join(Organization, Organization.id == OrgEvaluation.org_id)
                .where(OrgEvaluation.locked, Organization.kind == OrgKind.CELL)
            )
        assert cell_id is not None
        path = tmp_path / "goi.dgx"
        exchange.export_package(db, DECIDED, cell_id, path)
        draft = documents.prepare_document(db, DECIDED, "meeting-minutes", cell_id)
        pdf = documents.render_draft(draft).pdf
    source = json.loads(path.read_text(encoding="utf-8"))["content"]["source"]
    assert source["history_count"] == head.count
    assert source["history_head"] == head.hash
    (tmp_path / "bien-ban.pdf").write_bytes(pdf)
    keywords = PdfReader(tmp_path / "bien-ban.pdf").metadata.get("/Keywords", "")
    assert f"{head.count}:{head.hash}" in keywords
