"""Automatic backups (at every decision, before every migration, once a day on close), the
list of backups with a preview of what each holds, and keeping only the last N.

Backups are whole SQLite files made with the online backup API (``app.store.backup``), named
after the database, the reason and the time: ``danhgia-hang-ngay-20261125-173000.sqlite``.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from app import paths
from app.domain import clock
from app.domain.procedure import PeriodState
from app.settings import Settings
from app.store.backup import backup_name, copy_database, quick_check
from app.store.database import Database, lock_for_writing
from app.store.errors import DatabaseDamaged

log = logging.getLogger(__name__)

DEFAULT_KEPT = 30
REASONS = {
    "hang-ngay": "Sao lưu hằng ngày",
    "quyet-dinh": "Trước khi quyết định kết quả",
    "truoc-nang-cap": "Trước khi nâng cấp lược đồ",
    "truoc-khoi-phuc": "Trước khi khôi phục",
    "thu-cong": "Sao lưu thủ công",
}
_STAMP = re.compile(r"-(\d{8}-\d{6})\.sqlite$")


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: dt.datetime
    size: int
    reason: str  # Vietnamese

    @property
    def label(self) -> str:
        return f"{self.taken_at:%d/%m/%Y %H:%M} — {self.reason}"


def _info(path: Path, database: Path) -> BackupInfo | None:
    match = _STAMP.search(path.name)
    if not match or not path.name.startswith(database.stem + "-"):
        return None
    taken = dt.datetime.strptime(match.group(1), "%Y%m%d-%H%M%S")
    slug = path.name[len(database.stem) + 1 : match.start()]
    key = next((key for key in REASONS if slug.startswith(key)), None)
    reason = slug if key is None else REASONS[key]
    detail = slug[len(key) :].strip("-") if key else ""
    if detail:  # the year decided, the schema revision migrated from
        reason = f"{reason} ({detail})"
    return BackupInfo(path, taken, path.stat().st_size, reason)


def list_backups(database: Path, folder: Path | None = None) -> list[BackupInfo]:
    """The automatic backups of *database*, newest first."""
    folder = folder or paths.backups_dir()
    found = [info for p in folder.glob("*.sqlite") if (info := _info(p, database))]
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


def kept() -> int:
    """How many automatic backups to keep (the setting "backups_kept", at least 3)."""
    try:
        return max(3, int(Settings().get("backups_kept", DEFAULT_KEPT)))
    except (TypeError, ValueError):
        return DEFAULT_KEPT


def prune(database: Path, keep: int | None = None, folder: Path | None = None) -> int:
    """Delete all but the newest *keep* backups of *database*; return how many went."""
    old = list_backups(database, folder)[max(keep or kept(), 1) :]
    for info in old:
        info.path.unlink(missing_ok=True)
    return len(old)


def make_backup(
    db: Database, reason: str, *, keep: int | None = None, when: dt.datetime | None = None
) -> Path | None:
    """Back the open database up now into the backups folder, then prune old backups.

    A database on a server is not copied to this PC (None): the server's administrator backs
    it up with the server's own tools, and a clerk's PC is no place for the province's data."""
    if db.is_server:
        log.info("no automatic backup (%s) of the server database %s", reason, db.name)
        return None
    target = paths.backups_dir() / backup_name(db.path, reason, when)
    db.backup_to(target)
    prune(db.path, keep)
    return target


def daily_backup(db: Database, today: dt.date, keep: int | None = None) -> Path | None:
    """The once-a-day backup on close: made unless one was already made today (never of a
    server database: see ``make_backup``)."""
    if db.is_server:
        return None
    if any(b.taken_at.date() == today for b in list_backups(db.path)):
        return None
    return make_backup(db, "hang-ngay", keep=keep)


@dataclass(frozen=True)
class BackupPreview:
    """What a backup holds, read without opening it for writing."""

    info: BackupInfo
    healthy: bool
    problem: str
    organisations: int
    members: int
    periods: tuple[str, ...]  # "2025 (đã quyết định)"
    last_change: str  # the newest audit-log entry

    def lines(self) -> list[str]:
        if not self.healthy:
            return [f"Bản sao lưu này bị hỏng: {self.problem}"]
        return [
            f"Lập lúc: {self.info.label}",
            f"{self.organisations} tổ chức, {self.members} đảng viên",
            "Kỳ đánh giá: " + (", ".join(self.periods) if self.periods else "chưa có"),
            f"Thay đổi cuối cùng: {self.last_change or 'không rõ'}",
        ]


def preview(info: BackupInfo) -> BackupPreview:
    problem = quick_check(info.path)
    if problem != "ok":
        return BackupPreview(info, False, problem, 0, 0, (), "")
    with closing(sqlite3.connect(f"file:{info.path}?mode=ro", uri=True)) as connection:
        tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}

        def count(table: str) -> int:
            if table not in tables:
                return 0
            return connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]

        periods: tuple[str, ...] = ()
        if "evaluation_periods" in tables:
            periods = tuple(
                f"{year} ({PeriodState(state).label.lower()})"
                for year, state in connection.execute(
                    "SELECT year, state FROM evaluation_periods ORDER BY year"
                )
            )
        last = ""
        if "audit_log" in tables:
            row = connection.execute(
                "SELECT at, summary FROM audit_log ORDER BY id DESC LIMIT 1"
            ).fetchone()
            if row:
                last = f"{row[0][:16]} — {row[1]}"
        return BackupPreview(
            info, True, "", count("organizations"), count("members"), periods, last
        )


def latest_good(database: Path, folder: Path | None = None) -> BackupPreview | None:
    """The newest automatic backup that reads back whole, with what it holds."""
    for info in list_backups(database, folder):
        shown = preview(info)
        if shown.healthy:
            return shown
    return None


def recover(database: Path, backup: Path, when: dt.datetime | None = None) -> Path:
    """Put a damaged database aside (never deleted: someone may still rescue something from it)
    and copy *backup* into its place. Returns where the damaged file went.

    The caller has checked the backup (``preview``); no program has the database open.
    """
    problem = quick_check(backup, full=True)
    if problem != "ok":
        raise DatabaseDamaged(backup, problem)
    stamp = f"{when or clock.now():%Y%m%d-%H%M%S}"
    aside = database.with_name(f"{database.stem}-hong-{stamp}{database.suffix}")
    lock = lock_for_writing(database)  # a read-only file or folder: refused in words
    try:
        for suffix in ("", "-wal", "-shm", "-journal"):
            part = Path(f"{database}{suffix}")
            if part.exists():
                os.replace(part, Path(f"{aside}{suffix}"))
        copy_database(backup, database)
    finally:
        lock.release()
    return aside
