"""The exchange package: a cell working in its own copy of the app sends its period to the
commune in one file; the commune sees what would change, and any conflict, before accepting.

- :func:`export_package` writes one ``.dgx`` file for a cell's period, at any step;
- :func:`read_package` verifies and parses one (every problem a :class:`PackageError`);
- :func:`plan_import` shows what importing it would change, and what conflicts;
- :func:`apply_package` writes it, all or nothing, in one transaction, audited.

Where the rest lives: the fields a package carries in ``fields``, the file format (and why it
is JSON) in ``file_format``, reading a database in the exchange's terms in ``rows`` and
``records``, the merge — what counts as a conflict and what blocks — in ``merge``, with its
checks in ``checks``, its writing and audit entries in ``write``, and the preview's text in
``preview``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from app import __version__
from app.domain import clock
from app.domain.procedure import CellStep
from app.domain.vocabulary import OrgKind
from app.services.common.atomic import write_bytes_atomically
from app.services.common.errors import NotFound, ServiceError
from app.services.exchange.fields import Package
from app.services.exchange.file_format import (
    EXTENSION,
    MAX_BYTES,
    PACKAGE_KIND,
    PackageError,
    PackageNeedsPassword,
    content_json,
    decode,
    encode,
    read_signed_file,
)
from app.services.exchange.merge import merge
from app.services.exchange.preview import Change, ImportPlan
from app.services.exchange.records import read_cell, source_info
from app.services.exchange.rows import load_rows
from app.services.periods.lifecycle import find
from app.services.safekeeping.secure_file import (
    Kind,
    encrypt_bytes,
)
from app.store.database import Database
from app.store.models import Organization

__all__ = [
    "EXTENSION",
    "ApplyResult",
    "Change",
    "ImportBlocked",
    "ImportPlan",
    "Package",
    "PackageError",
    "PackageInfo",
    "PackageNeedsPassword",
    "apply_package",
    "export_package",
    "plan_import",
    "read_package",
]


@dataclass(frozen=True)
class PackageInfo:
    """What was exported, for the message shown to the user."""

    path: Path
    checksum: str
    year: int
    cell_code: str
    cell_name: str
    step: CellStep
    members: int
    size: int
    exported_at: dt.datetime

    def describe(self) -> str:
        return (
            f"Đã xuất gói dữ liệu năm {self.year} của {self.cell_name} ({self.members} đảng "
            f"viên, bước “{self.step.label}”) ra {self.path}."
        )


@dataclass(frozen=True)
class ApplyResult:
    cell_name: str
    changes: int
    conflicts: int  # of those, values the commune had changed too
    step: CellStep | None

    def describe(self) -> str:
        if not self.changes:
            return f"Không có gì thay đổi: {self.cell_name} đã có đúng như trong gói; không ghi gì."
        text = f"Đã nhập gói của {self.cell_name}: {self.changes} thay đổi"
        if self.conflicts:
            text += f" (trong đó {self.conflicts} giá trị đảng ủy cũng đã sửa, nay theo chi bộ)"
        if self.step is not None:
            text += f"; chi bộ ở bước “{self.step.label}”"
        return text + "."


class ImportBlocked(ServiceError):
    """The package cannot be imported; ``problems`` says why, one sentence each."""

    def __init__(self, problems: tuple[str, ...]) -> None:
        self.problems = problems
        super().__init__("Không nhập được gói dữ liệu:\n" + "\n".join(f"- {p}" for p in problems))


def export_package(
    db: Database,
    year: int,
    cell_id: int,
    path: Path,
    *,
    actor: str = "",
    password: str | None = None,
) -> PackageInfo:
    """Write the cell's period of *year* to one file at *path*. Reads only: exporting
    changes nothing in the database, so a cell may export at any step, as often as it likes.

    With a *password* the file is the same package encrypted (``secure_file``): nothing in
    it, not even a name, can be read without the password."""
    path = Path(path)
    with db.session() as session:
        period = find(session, year)
        org = session.get(Organization, cell_id)
        if org is None or org.kind != OrgKind.CELL:
            raise NotFound("Chỉ xuất được gói dữ liệu của một chi bộ")
        rows = load_rows(session, period, org)
        if rows is None:
            raise NotFound(f"{org.name} không có trong kỳ đánh giá năm {year}")
        data = read_cell(session, rows)
        source = source_info(session, db.short_name)
    exported_at = clock.now().replace(microsecond=0)
    content = content_json(
        data, app_version=__version__, exported_at=exported_at, exported_by=actor, source=source
    )
    payload = encode(content)
    if password:
        payload = encrypt_bytes(payload, password, Kind.PACKAGE)
    write_bytes_atomically(path, payload)
    # Read back what was written, so a fault in writing shows here, not at the commune.
    checksum = read_package(path, password or None).checksum
    return PackageInfo(
        path=path,
        checksum=checksum,
        year=year,
        cell_code=data.cell_code,
        cell_name=data.cell_name,
        step=data.step,
        members=len(data.members),
        size=len(payload),
        exported_at=exported_at,
    )


def read_package(path: Path, password: str | None = None) -> Package:
    """Read and verify the package at *path*: a PackageError (Vietnamese) for a file that is
    missing, too large, not a package, damaged, changed after export, or from a newer app.

    An encrypted package needs its *password*: without one, PackageNeedsPassword; with a
    wrong one (or a changed file), secure_file.WrongPassword."""
    path = Path(path)
    return decode(read_signed_file(path, password, PACKAGE_KIND, MAX_BYTES, Kind.PACKAGE), path)


def plan_import(db: Database, package: Package) -> ImportPlan:
    """What importing *package* would change here, with every conflict; writes nothing.

    The merge runs for real inside a savepoint that is then rolled back, so the checks that
    need the merged records (a step's requirements, a tally against the attendance) see
    exactly what :func:`apply_package` would leave."""
    with db.session() as session:
        savepoint = session.begin_nested()
        try:
            return merge(session, package, apply=False)
        finally:
            savepoint.rollback()


def apply_package(db: Database, plan: ImportPlan, *, actor: str = "") -> ApplyResult:
    """Import the planned package in one transaction: every change written and audited, or
    nothing (a blocked plan, a failed check, or records changed since the plan was made)."""
    if plan.blocked:
        raise ImportBlocked(plan.blocking)
    with db.session() as session:
        done = merge(session, plan.package, apply=True, actor=actor)
        if done.blocked:
            raise ImportBlocked(done.blocking)
        if done.changes != plan.changes or done.step_after != plan.step_after:
            raise ServiceError(
                "Dữ liệu ở đây đã thay đổi từ lúc xem trước gói; hãy xem lại gói trước khi nhập."
            )
    return ApplyResult(
        cell_name=done.cell_name,
        changes=len(done.changes),
        conflicts=len(done.conflicts),
        step=done.step_after,
    )
