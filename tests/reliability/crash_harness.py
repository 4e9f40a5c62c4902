"""A writer killed with SIGKILL at random moments, again and again.

The writer (a forked child) saves procedure records through the services, one unit of work
at a time, and acknowledges each save on a pipe only after the service call has returned.
The parent kills it at a random moment, then checks the database: ``integrity_check`` must
pass and every acknowledged save must be there. Run directly for a longer campaign:

    .venv/bin/python -m tests.reliability.crash_harness --kills 2000
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from app.domain import clock
from app.store.backup import quick_check
from app.store.database import Database

YEAR = clock.today().year  # the demo's year under way


@dataclass
class Campaign:
    kills: int = 0
    acknowledged: int = 0
    integrity_failures: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)


def _writer(path: Path, members: list[int], seed: int, start: int, ack_fd: int) -> None:
    """The child: save comments "ghi lần N" round the members until killed. N keeps rising
    from *start*, so a stale value from an earlier round can never hide a lost save."""
    from app.services.procedure import steps as procedure_steps

    rng = random.Random(seed)
    db = Database.open(path)
    counter = start
    while True:
        counter += 1
        member = rng.choice(members)
        procedure_steps.save_comments(db, YEAR, member, f"ghi lần {counter}", f"đáp {counter}")
        os.write(ack_fd, f"{member} {counter}\n".encode())


def _first_line(fd: int) -> bytes:
    """What the writer sent up to its first whole acknowledgement (empty if it died first)."""
    data = b""
    while b"\n" not in data:
        chunk = os.read(fd, 65536)
        if not chunk:
            break
        data += chunk
    return data


def _read_acks(fd: int, data: bytes = b"") -> list[tuple[int, int]]:
    while True:
        chunk = os.read(fd, 65536)
        if not chunk:
            break
        data += chunk
    acks = []
    for line in data.decode().splitlines():
        parts = line.split()
        if len(parts) == 2:  # a line cut by the kill was never a whole acknowledgement
            acks.append((int(parts[0]), int(parts[1])))
    return acks


def _stored(path: Path, members: list[int]) -> dict[int, int]:
    from app.services.procedure import view as procedure_view

    found: dict[int, int] = {}
    with Database.open(path) as db:
        for cell in _cells_of(db, members):
            for line in procedure_view.cell_view(db, YEAR, cell).members:
                if line.member_id in members and line.comments.startswith("ghi lần "):
                    found[line.member_id] = int(line.comments.removeprefix("ghi lần "))
    return found


def _cells_of(db: Database, members: list[int]) -> set[int]:
    from sqlalchemy import select

    from app.store.models import MemberEvaluation

    with db.session() as session:
        return set(
            session.scalars(
                select(MemberEvaluation.org_id).where(MemberEvaluation.member_id.in_(members))
            )
        )


def run(template: Path, kills: int, seed: int = 1, max_delay: float = 0.25) -> Campaign:
    """*kills* rounds of write-and-kill on a copy of *template* (a database with a period of
    YEAR whose cells are still being worked on)."""
    rng = random.Random(seed)
    campaign = Campaign()
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "crash.sqlite"
        shutil.copyfile(template, path)
        members = _editable_members(path)
        for round_number in range(kills):
            read_fd, write_fd = os.pipe()
            pid = os.fork()
            if pid == 0:  # the child: write until killed
                os.close(read_fd)
                try:
                    _writer(
                        path,
                        members,
                        seed * 100_000 + round_number,
                        round_number * 1_000_000,
                        write_fd,
                    )
                finally:
                    os._exit(1)
            os.close(write_fd)
            # The kill comes at a random moment after the writer's first acknowledged save, so
            # every round tests something however slow the machine is.
            first = _first_line(read_fd)
            time.sleep(rng.uniform(0.0, max_delay))
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            acks = _read_acks(read_fd, first)
            os.close(read_fd)
            campaign.kills += 1
            campaign.acknowledged += len(acks)
            result = quick_check(path, full=True)
            if result != "ok":
                campaign.integrity_failures.append(f"vòng {round_number}: {result}")
                break
            # What this round acknowledged last, per member, must be stored (a later save that
            # committed but was killed before its acknowledgement only raises the number).
            acknowledged: dict[int, int] = {}
            for member, counter in acks:
                acknowledged[member] = max(counter, acknowledged.get(member, 0))
            stored = _stored(path, list(acknowledged))
            for member, counter in acknowledged.items():
                if stored.get(member, -1) < counter:
                    campaign.lost.append(
                        f"vòng {round_number}: đảng viên {member} đã xác nhận lần {counter}, "
                        f"còn lưu {stored.get(member)}"
                    )
    return campaign


def _editable_members(path: Path) -> list[int]:
    from app.domain.procedure import CellStep
    from app.services.procedure import board as procedure_board
    from app.services.procedure import view as procedure_view

    with Database.open(path) as db:
        editable = [
            row.cell_id
            for row in procedure_board.board(db, YEAR)
            if row.step in (CellStep.SELF_REVIEW, CellStep.MEETING, CellStep.VOTING)
        ]
        members: list[int] = []
        for cell in editable[:4]:
            members += [m.member_id for m in procedure_view.cell_view(db, YEAR, cell).members]
    return members


def main() -> int:
    parser = argparse.ArgumentParser(description="Giết tiến trình ghi dữ liệu nhiều lần")
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--db", type=Path, help="cơ sở dữ liệu mẫu (mặc định: tạo mới)")
    args = parser.parse_args()
    template = args.db
    if template is None:
        from app.services.demo.commune import create_demo

        template = Path(tempfile.mkdtemp()) / "demo.sqlite"
        with Database.open(template, create=True) as db:
            create_demo(db, "commune", year=clock.today().year)
    started = time.monotonic()
    campaign = run(template, args.kills, args.seed)
    print(
        f"{campaign.kills} lần giết, {campaign.acknowledged} lần ghi đã xác nhận, "
        f"{len(campaign.integrity_failures)} lỗi toàn vẹn, {len(campaign.lost)} lần ghi bị mất "
        f"({time.monotonic() - started:.0f} giây)"
    )
    for problem in campaign.integrity_failures + campaign.lost:
        print(problem)
    return 0 if not campaign.integrity_failures and not campaign.lost else 1


if __name__ == "__main__":
    sys.exit(main())
