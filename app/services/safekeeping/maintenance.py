"""Checking, backing up and restoring a database file.

A database on a PostgreSQL server is checked too (its schema, the audit log's chain, the
sealed results, the codes: :func:`check_server_database`), but not backed up or restored: that
is its administrator's work with the server's own tools (pg_dump, pg_restore), and asking for
it here raises ServerKeepsItsOwnBackups, a message that says so."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from app import paths
from app.services.safekeeping import anchors, audit, seal
from app.services.safekeeping import backups as backups_service
from app.store import migrations
from app.store.backup import (
    backup_name,
    copy_database,
    looks_like_sqlite,
    quick_check,
    restore_into,
)
from app.store.database import Database, lock_for_writing, server_backups_refused
from app.store.errors import DatabaseMissing, StoreError
from app.store.server import ServerTarget

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


@dataclass
class CheckReport:
    path: Path | ServerTarget
    lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_database(path: Path | ServerTarget, backups: Path | None = None) -> CheckReport:
    """Verify a database file without changing it: integrity, references, schema version,
    the audit log's hash chain, and the newest automatic backup. A server database: see
    :func:`check_server_database`."""
    if isinstance(path, ServerTarget):
        return check_server_database(path)
    path = Path(path)
    report = CheckReport(path)
    if not path.exists():
        raise DatabaseMissing(path)
    report.lines.append(f"Cơ sở dữ liệu: {path}")
    if not looks_like_sqlite(path):
        report.problems.append("Tệp không phải cơ sở dữ liệu SQLite")
        return report
    integrity = quick_check(path, full=True)
    if integrity == "ok":
        report.lines.append("Kiểm tra toàn vẹn (integrity_check): tốt")
    else:
        report.problems.append(f"Kiểm tra toàn vẹn báo lỗi: {integrity}")
        return report
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
        dangling = connection.execute("PRAGMA foreign_key_check").fetchall()
        tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
        revision = None
        if "alembic_version" in tables:
            revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        counts = {}
        for table in ("organizations", "members"):
            if table in tables:
                counts[table] = connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        cells = 0
        if "organizations" in tables:
            cells = connection.execute(
                "SELECT count(*) FROM organizations WHERE kind = 'chi_bo'"
            ).fetchone()[0]
    if dangling:
        report.problems.append(f"Có {len(dangling)} tham chiếu hỏng giữa các bảng")
    else:
        report.lines.append("Tham chiếu giữa các bảng: tốt")
    head = migrations.head_revision()
    if revision is None:
        report.problems.append("Tệp không do DanhGia tạo ra (không có phiên bản lược đồ)")
    elif revision[0] == head:
        report.lines.append(f"Phiên bản lược đồ: {head} (mới nhất)")
    elif revision[0] in migrations.known_revisions():
        report.lines.append(
            f"Phiên bản lược đồ: {revision[0]} (sẽ nâng cấp lên {head} khi mở, có sao lưu trước)"
        )
    else:
        report.problems.append(
            f"Lược đồ {revision[0]} do phiên bản DanhGia mới hơn tạo ra; hãy cài bản mới"
        )
    if counts:
        report.lines.append(
            f"Tổ chức: {counts.get('organizations', 0)} ({cells} chi bộ) · "
            f"Đảng viên: {counts.get('members', 0)}"
        )
    if revision is not None and revision[0] == head:
        _check_codes(path, report)
        _check_audit_chain(path, report)
        _check_anchor(path, backups, report)
        _check_seals(path, report)
    _check_latest_backup(path, backups, report)
    return report


def check_server_database(target: ServerTarget) -> CheckReport:
    """Verify a server database without changing it: the schema version, then, at the newest,
    the codes, the audit log's chain and the sealed results, through a read-only connection.
    The server keeps its own files whole (no integrity_check) and its administrator keeps its
    backups (so there is no backup here to anchor the chain to, nor one to check)."""
    from app.store import server_schema

    target = target.resolved()
    report = CheckReport(target)
    report.lines.append(f"Cơ sở dữ liệu trên máy chủ: {target}")
    state = server_schema.state(target)  # a server that does not answer: its StoreError
    head = migrations.head_revision()
    revision = state.revision
    if revision is None:
        if state.user_tables:
            report.problems.append("Cơ sở dữ liệu không do DanhGia tạo ra (không có phiên bản "
                                   "lược đồ)")  # fmt: skip
        else:
            report.problems.append("Cơ sở dữ liệu còn trống, chưa có dữ liệu DanhGia")
        return report
    if revision == head:
        report.lines.append(f"Phiên bản lược đồ: {head} (mới nhất)")
    elif revision in migrations.known_revisions():
        report.lines.append(f"Phiên bản lược đồ: {revision} (sẽ nâng cấp lên {head} khi mở)")
        return report
    else:
        report.problems.append(
            f"Lược đồ {revision} do phiên bản DanhGia mới hơn tạo ra; hãy cài bản mới"
        )
        return report
    report.lines.append(
        "Toàn vẹn tệp dữ liệu và tham chiếu giữa các bảng: do máy chủ PostgreSQL bảo đảm"
    )
    with Database.open_read_only(target) as db:
        _server_collation(db, report)
    with Database.open_read_only(target) as db, db.session() as session:
        _server_counts(session, report)
        _server_codes(session, report)
        _report_chain(audit.chain_problems(session), report)
        _report_seals(*seal.problems(session), report)
    report.lines.append(
        "Bản sao lưu: cơ sở dữ liệu trên máy chủ do người quản trị máy chủ sao lưu (pg_dump)"
    )
    return report


# Collations that order text byte by byte, as SQLite does: the name keys the app sorts people
# by (app/domain/collation.py) are plain ASCII made for that order.
_BYTE_ORDER = {"C", "POSIX", "C.UTF-8", "C.utf8", "ucs_basic"}


def _server_collation(db: Database, report: CheckReport) -> None:
    (collation,) = db.read("SELECT datcollate FROM pg_database WHERE datname = current_database()")[
        0
    ]
    if collation in _BYTE_ORDER:
        report.lines.append(f"Thứ tự sắp xếp chữ của cơ sở dữ liệu: {collation} (đúng)")
        return
    report.problems.append(
        f"Cơ sở dữ liệu sắp xếp chữ theo “{collation}”, nên danh sách đảng viên có thể sắp sai "
        "thứ tự tên; người quản trị máy chủ tạo lại nó với createdb --locale=C.UTF-8 "
        "--template=template0 rồi chép dữ liệu sang (pg_dump, pg_restore)"
    )


def _server_counts(session: Session, report: CheckReport) -> None:
    from sqlalchemy import func, select

    from app.store.models import Member, Organization

    orgs = session.scalar(select(func.count(Organization.id))) or 0
    cells = session.scalar(select(func.count(Organization.id)).where(Organization.kind == "chi_bo"))
    members = session.scalar(select(func.count(Member.id))) or 0
    report.lines.append(f"Tổ chức: {orgs} ({cells or 0} chi bộ) · Đảng viên: {members}")


def _server_codes(session: Session, report: CheckReport) -> None:
    from sqlalchemy import func, select

    from app.store.models import Member, Organization

    odd: list[str] = []
    for model, what in ((Member, "đảng viên"), (Organization, "tổ chức")):
        odd += [
            f"“{code}” ({what})"
            for code in session.scalars(
                select(model.code)
                .where(model.code != func.upper(func.trim(model.code)))
                .order_by(model.code)
            )
        ]
    _report_codes(odd, report)


def _check_codes(path: Path, report: CheckReport) -> None:
    """Codes kept in another form than capitals without spaces: left so by the 0009 upgrade
    because they collide with another code once case and spaces are set aside."""
    odd: list[str] = []
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
        for table, what in (("members", "đảng viên"), ("organizations", "tổ chức")):
            rows = connection.execute(
                f"SELECT code FROM {table} WHERE code != upper(trim(code)) ORDER BY code"
            ).fetchall()
            odd += [f"“{code}” ({what})" for (code,) in rows]
    _report_codes(odd, report)


def _report_codes(odd: list[str], report: CheckReport) -> None:
    if odd:
        shown = ", ".join(odd[:10]) + (f" và {len(odd) - 10} mã khác" if len(odd) > 10 else "")
        report.problems.append(
            f"Mã trùng với một mã khác nếu không kể chữ hoa, chữ thường: {shown}; sửa một trong "
            "hai mã trong hộp thoại của người hay tổ chức đó"
        )
    else:
        report.lines.append("Mã đảng viên và tổ chức: không trùng")


def _check_audit_chain(path: Path, report: CheckReport) -> None:
    _report_chain(audit.verify_chain_file(path), report)


def _report_chain(broken: list[str], report: CheckReport) -> None:
    if broken:
        shown = "; ".join(broken[:5]) + (
            f" (và {len(broken) - 5} chỗ khác)" if len(broken) > 5 else ""
        )
        report.problems.append(f"Nhật ký thay đổi bị can thiệp: {shown}")
    else:
        report.lines.append("Nhật ký thay đổi (chuỗi mã băm): nguyên vẹn")


def _check_anchor(path: Path, backups: Path | None, report: CheckReport) -> None:
    """Entries cut from the end, an emptied log, a chain written anew: the newest backup (or
    the last restore) still holds the chain as it was."""
    found = anchors.check(path, backups)
    if found is None:
        report.lines.append("Nhật ký thay đổi: chưa có bản sao lưu để đối chiếu phần cuối")
    elif found.problem:
        report.problems.append(f"Nhật ký thay đổi bị can thiệp: {found.problem}")
    else:
        report.lines.append(found.line)


def _check_seals(path: Path, report: CheckReport) -> None:
    """Locked results still as their lock entry sealed them."""
    with audit.read_only(path) as session:
        _report_seals(*seal.problems(session), report)


def _report_seals(problems: list[str], notes: list[str], report: CheckReport) -> None:
    report.lines += notes
    if problems:
        shown = "; ".join(problems[:10]) + (
            f" (và {len(problems) - 10} chỗ khác)" if len(problems) > 10 else ""
        )
        report.problems.append(f"Kết quả đã khóa bị thay đổi ngoài chương trình: {shown}")
    else:
        report.lines.append("Kết quả đã khóa: khớp với dấu niêm phong lúc khóa")


def _check_latest_backup(path: Path, folder: Path | None, report: CheckReport) -> None:
    found = backups_service.list_backups(path, folder)
    if not found:
        report.lines.append("Bản sao lưu tự động: chưa có bản nào")
        return
    latest = found[0]
    problem = quick_check(latest.path, full=True)
    if problem != "ok":
        report.problems.append(f"Bản sao lưu gần nhất ({latest.label}) bị hỏng: {problem}")
        return
    report.lines.append(
        f"Bản sao lưu gần nhất: {latest.label} — đọc được, toàn vẹn "
        f"({len(found)} bản, trong {latest.path.parent})"
    )


def backup_database(path: Path | ServerTarget, target: Path) -> Path:
    """Copy the database to *target* with the online backup API (safe while it is open).
    A server database: ServerKeepsItsOwnBackups."""
    if isinstance(path, ServerTarget):
        raise server_backups_refused(path)
    path = Path(path)
    if not path.exists():
        raise DatabaseMissing(path)
    target = Path(target)
    if target.resolve() == path.resolve():
        raise StoreError("Tệp sao lưu phải khác tệp cơ sở dữ liệu")
    copy_database(path, target)
    return target


def restore_database(
    path: Path | ServerTarget, backup: Path, backups: Path | None = None
) -> Path | None:
    """Replace the database at *path* with *backup*; the current contents are backed up first.

    Returns where the pre-restore copy went (None when there was no database yet). A server
    database: ServerKeepsItsOwnBackups.
    """
    if isinstance(path, ServerTarget):
        raise server_backups_refused(path)
    path, backup = Path(path), Path(backup)
    if not backup.exists():
        raise DatabaseMissing(backup)
    problem = quick_check(backup)
    if problem != "ok":
        raise StoreError(f"Tệp “{backup}” không dùng được để khôi phục: {problem}")
    with closing(sqlite3.connect(f"file:{backup}?mode=ro", uri=True)) as connection:
        tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
        revision = (
            connection.execute("SELECT version_num FROM alembic_version").fetchone()
            if "alembic_version" in tables
            else None
        )
    if revision is None:
        raise StoreError(f"Tệp “{backup}” không phải bản sao lưu của DanhGia")
    if revision[0] not in migrations.known_revisions():
        raise StoreError(
            f"Bản sao lưu “{backup}” do phiên bản DanhGia mới hơn tạo ra; hãy cài bản mới"
        )
    lock = lock_for_writing(path)  # a read-only file or folder: refused in words
    try:
        saved = None
        if path.exists() and path.stat().st_size > 0:
            saved = (backups or paths.backups_dir()) / backup_name(path, "truoc-khoi-phuc")
            copy_database(path, saved)
        restore_into(backup, path)
        # The chain now is the backup's: anchors taken before the restore no longer apply.
        anchors.write_baseline(path, f"khôi phục từ “{backup.name}”", backups)
        return saved
    finally:
        lock.release()
