"""The audit chain anchored outside the database.

A hash chain shows an entry changed in the middle, but not entries cut from the end, nor a
log emptied, nor a chain recomputed from scratch by someone who can write the file. So the
chain's head (how many entries, the last one's hash) is kept elsewhere too: every automatic
backup holds the chain as it was, every exchange package names its source's head, every
printed document carries it in its metadata. ``danhgia check`` compares the database with the
newest automatic backup: the database must hold the backup's entries unchanged.

A restore, a recovery from a backup or a new database made under an old name starts the chain
again on purpose. Those write a *baseline* beside the backups (``<name>-moc-nhat-ky.json``):
backups older than the baseline belong to the database as it was before, and the check compares
with the baseline instead.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from app import paths
from app.domain import clock
from app.services.common.atomic import write_atomically
from app.services.safekeeping import audit
from app.services.safekeeping import backups as backups_service
from app.store.backup import quick_check


@dataclass(frozen=True)
class Baseline:
    at: dt.datetime
    reason: str
    head: audit.ChainHead


def _baseline_path(database: Path, folder: Path | None) -> Path:
    return (folder or paths.backups_dir()) / f"{Path(database).stem}-moc-nhat-ky.json"


def head_of_file(path: Path) -> audit.ChainHead | None:
    """The chain's head in the database file at *path*; None when it has no audit log."""
    try:
        with audit.read_only(path) as session:
            return audit.head(session)
    except Exception:  # an old or foreign file: nothing to anchor to
        return None


def write_baseline(
    database: Path, reason: str, folder: Path | None = None, at: dt.datetime | None = None
) -> None:
    """Record that the chain of *database* starts again from what it holds now."""
    head = head_of_file(database) or audit.ChainHead(0, "")
    record = {
        "at": (at or clock.now()).replace(microsecond=0).isoformat(),
        "reason": reason,
        "count": head.count,
        "hash": head.hash,
    }
    target = _baseline_path(database, folder)
    target.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(record, ensure_ascii=False, indent=1)
    write_atomically(target, lambda partial: partial.write_text(text, encoding="utf-8"))


def read_baseline(database: Path, folder: Path | None = None) -> Baseline | None:
    try:
        record = json.loads(_baseline_path(database, folder).read_text(encoding="utf-8"))
        return Baseline(
            dt.datetime.fromisoformat(record["at"]),
            str(record["reason"]),
            audit.ChainHead(int(record["count"]), str(record["hash"])),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


@dataclass(frozen=True)
class AnchorCheck:
    line: str  # what was compared with, for the report
    problem: str | None


def check(database: Path, folder: Path | None = None) -> AnchorCheck | None:
    """The database's chain against the newest healthy automatic backup, or the baseline
    when that is newer; None when there is nothing to compare with."""
    newest = next(
        (b for b in backups_service.list_backups(database, folder) if quick_check(b.path) == "ok"),
        None,
    )
    baseline = read_baseline(database, folder)
    if baseline is not None and (newest is None or baseline.at >= newest.taken_at):
        anchor, where = baseline.head, f"mốc ngày {baseline.at:%d/%m/%Y %H:%M} ({baseline.reason})"
    elif newest is not None:
        head = head_of_file(newest.path)
        if head is None:
            return None
        anchor, where = head, f"bản sao lưu {newest.label}"
    else:
        return None
    with audit.read_only(database) as session:
        problem = audit.head_problem(session, anchor, where)
    return AnchorCheck(f"Nhật ký thay đổi so với {where}: giữ nguyên {anchor.count} mục", problem)
