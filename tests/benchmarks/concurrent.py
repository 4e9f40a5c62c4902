"""Two clients saving different cells of one server database at once (issue 23, item 6).

The data: a private, throwaway PostgreSQL cluster (``tests.postgres.Cluster``, as the tests
start theirs) with one database holding the whole commune demo, made by the demo's own
``create_demo_database`` on the server's URL; the year under way, and its two largest cells at
the self-review step. Made anew at every run (1 s for the cluster, 4–5 s for the demo), and the
cluster stopped and deleted when the rows are measured. ``--server-db URL`` names a database
holding the demo already (the smoke test's, copied from its session's template; its password
in ``DANHGIA_DB_PASSWORD``): no cluster is started then, and the saves are written into it.

Each measurement (one ``child`` process) starts its clients as processes of their own
("spawn"), each with its own connection to the database: the app's ``Database`` (opened through
``services.database.open_database``) or a plain psycopg connection. A client reads first, off
the clock, what its window would show (the cell's view, with each row's version); then all
clients start together on a barrier and the clock runs until the last has finished. An app
client saves its members' self-reviews one after the other, round its cell's evaluated members,
through ``procedure.steps.save_self_review`` with the version it holds (the one it read, then
the one its own last save left: optimistic concurrency, a row changed by anyone else is
refused with a ConflictError, counted); only the text changes. The baseline client makes the
same changes with a plain ``UPDATE member_evaluations SET self_review = …, version = version +
1 WHERE id = … AND version = …``, one short transaction each (no row updated: a conflict).

After every measurement the rows are read back: each member's text must be the last one its
client wrote (a save lost: the run fails), and for the app, one audit entry per save. After the
rows, the audit chain is verified whole.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import time
import traceback
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, fields
from typing import Any

from tests.postgres import Cluster

SAVES = 200  # per client; the client alone makes twice as many
QUICK_SAVES = 4
DATABASE = "bench_concurrent"
WAIT_SECONDS = 300


@dataclass(frozen=True)
class Cell:
    id: int
    name: str
    members: tuple[int, ...]  # the evaluated members, whose self-reviews the client saves


@dataclass(frozen=True)
class ServerDemo:
    url: str  # without the password: the clients find it where the app looks (environment)
    year: int
    cells: tuple[Cell, Cell]
    saves: int  # per client of the pair
    password: str | None  # None: the database was given, its password already in place
    prepare_seconds: float

    @property
    def environment(self) -> dict[str, str]:
        return _environment_for(self.password)

    def plans(self, clients: int) -> list[list[tuple[int, int]]]:
        """(cell, member) of each save, per client: two clients take a cell each; one client
        alone makes both clients' saves, a save of each cell in turn."""
        each = [
            [(cell.id, cell.members[i % len(cell.members)]) for i in range(self.saves)]
            for cell in self.cells
        ]
        if clients == 2:
            return each
        return [[save for pair in zip(*each, strict=True) for save in pair]]

    def args(self, clients: int) -> dict[str, Any]:
        return {"url": self.url, "year": self.year, "plans": self.plans(clients)}


def _environment_for(password: str | None) -> dict[str, str]:
    """What the measuring processes need: the password where the app looks for one, and no
    keyring (the user's own is neither read nor waited for)."""
    values = {"PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}
    if password is not None:
        values["DANHGIA_DB_PASSWORD"] = password
    return values


def _log(text: str) -> None:
    print(f"  [máy chủ] {text}", flush=True)


@contextlib.contextmanager
def environment(values: dict[str, str], into: Any = os.environ) -> Iterator[None]:
    """*values* set in the environment *into* (this process's, or a runner's for its children)
    for the block's time."""
    before = {name: into.get(name) for name in values}
    into.update(values)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                into.pop(name, None)
            else:
                into[name] = value


@contextlib.contextmanager
def server_demo(*, quick: bool, given: str | None = None) -> Iterator[ServerDemo]:
    """A cluster of its own with the commune demo in one database, for the rows' time; or
    the database *given* (a URL), holding the demo already."""
    from app.services.database import open_database
    from app.services.demo.commune import create_demo_database

    start = time.perf_counter()
    cluster = None
    if given is None:
        _log("khởi động PostgreSQL riêng")
        cluster = Cluster.start()
    try:
        password = cluster.password if cluster else None
        with environment(_environment_for(password)):
            if cluster is None:
                url = str(given)
                db = open_database(url)
            else:
                url = cluster.url(cluster.create(DATABASE))
                _log("xã mẫu trên máy chủ")
                db, _orgs, _members = create_demo_database(url)
            try:
                year, cells = _two_cells(db)
            finally:
                db.close()
        demo = ServerDemo(
            url=url,
            year=year,
            cells=cells,
            saves=QUICK_SAVES if quick else SAVES,
            password=password,
            prepare_seconds=time.perf_counter() - start,
        )
        _log(
            f"xong trong {demo.prepare_seconds:.0f} s: năm {year}, "
            + ", ".join(f"{c.name} ({len(c.members)} đảng viên)" for c in cells)
        )
        yield demo
    finally:
        if cluster is not None:
            cluster.stop()


def _two_cells(db: Any) -> tuple[int, tuple[Cell, Cell]]:
    """The year under way and its two cells at the self-review step with the most members."""
    from app.domain.procedure import CellStep
    from app.services.procedure import board, view

    (year,) = db.read("SELECT max(year) FROM evaluation_periods WHERE state = 'open'")[0]
    if year is None:
        raise RuntimeError("the demo has no year under way")
    found = []
    for row in board.board(db, year):
        if row.step == CellStep.SELF_REVIEW:
            members = view.cell_view(db, year, row.cell_id).members
            evaluated = tuple(m.member_id for m in members if m.evaluated)
            if evaluated:
                found.append(Cell(row.cell_id, row.cell_name, evaluated))
    found.sort(key=lambda cell: -len(cell.members))
    if len(found) < 2:
        raise RuntimeError(f"{len(found)} cells of {year} at the self-review step, not 2")
    return year, (found[0], found[1])


def verify_chain(demo: ServerDemo) -> list[str]:
    """The audit chain's problems once every save is in (empty: intact)."""
    from app.services.database import open_database
    from app.services.safekeeping import audit

    with environment(demo.environment), open_database(demo.url) as db:
        return audit.verify_chain(db)


# ---- measurements (in the child process, and its clients) ------------------------------------


def _text(token: str, client: int, number: int) -> str:
    return f"Bản tự kiểm điểm {token}: máy {client + 1}, lần lưu {number + 1}"


# SelfReview's fields that the cell's view (MemberLine) names otherwise.
_LINE_NAMES = {
    "level": "self_level",
    "score_general": "self_score_general",
    "score_tasks": "self_score_tasks",
    "text": "self_review",
}


def _review_of(line: Any) -> Any:
    """The self-review as the window holds it for the member's line, before any edit."""
    from app.services.procedure.steps import SelfReview

    values = {f.name: getattr(line, _LINE_NAMES.get(f.name, f.name)) for f in fields(SelfReview)}
    return SelfReview(**values)


def _app_client(
    url: str, year: int, plan: list[tuple[int, int]], token: str, client: int, barrier: Any
) -> dict[str, Any]:
    from dataclasses import replace

    from app.services.database import open_database
    from app.services.procedure import steps, view
    from app.services.procedure.conflicts import ConflictError

    db = open_database(url)
    try:
        # What the window shows before anyone types: the cell's members with their versions.
        lines = {
            line.member_id: line
            for cell in dict.fromkeys(cell for cell, _member in plan)
            for line in view.cell_view(db, year, cell).members
        }
        reviews = {member: _review_of(lines[member]) for _cell, member in plan}
        versions = {member: lines[member].version for _cell, member in plan}
        conflicts = 0
        barrier.wait(WAIT_SECONDS)
        start = time.perf_counter()
        for number, (cell, member) in enumerate(plan):
            review = replace(reviews[member], text=_text(token, client, number))
            try:
                steps.save_self_review(
                    db, year, member, review, actor=f"may-{client + 1}",
                    expected_version=versions[member],
                )  # fmt: skip
                versions[member] += 1
            except ConflictError:
                conflicts += 1
                reloaded = view.cell_view(db, year, cell).members  # as the window would
                versions[member] = next(m.version for m in reloaded if m.member_id == member)
        return {"seconds": time.perf_counter() - start, "conflicts": conflicts}
    finally:
        db.close()


_ROWS = """
SELECT e.member_id, e.id, e.version, e.self_review FROM member_evaluations AS e
JOIN evaluation_periods AS p ON p.id = e.period_id
WHERE p.year = %s AND e.member_id = ANY(%s)
"""
_UPDATE = """
UPDATE member_evaluations SET self_review = %s, version = version + 1
WHERE id = %s AND version = %s
"""


def _sql_client(
    url: str, year: int, plan: list[tuple[int, int]], token: str, client: int, barrier: Any
) -> dict[str, Any]:
    from app.store import server
    from app.store.database import location_of

    connection = server.connect(location_of(url).resolved())
    try:
        members = sorted({member for _cell, member in plan})
        rows = connection.execute(_ROWS, (year, members)).fetchall()
        ids = {member: row_id for member, row_id, _version, _text in rows}
        versions = {member: version for member, _row_id, version, _text in rows}
        conflicts = 0
        barrier.wait(WAIT_SECONDS)
        start = time.perf_counter()
        for number, (_cell, member) in enumerate(plan):
            with connection.transaction():
                cursor = connection.execute(
                    _UPDATE, (_text(token, client, number), ids[member], versions[member])
                )
            if cursor.rowcount == 1:
                versions[member] += 1
            else:
                conflicts += 1
                read = connection.execute(
                    "SELECT version FROM member_evaluations WHERE id = %s", (ids[member],)
                )
                versions[member] = read.fetchone()[0]
        return {"seconds": time.perf_counter() - start, "conflicts": conflicts}
    finally:
        connection.close()


_CLIENTS = {"app": _app_client, "sql": _sql_client}


def _client(
    way: str,
    url: str,
    year: int,
    plan: list[tuple[int, int]],
    token: str,
    client: int,
    barrier: Any,
    results: Any,
) -> None:
    """One client process: its result, or what went wrong, on *results*."""
    try:
        result = _CLIENTS[way](url, year, plan, token, client, barrier)
        results.put({"client": client, **result})
    except BaseException:
        barrier.abort()  # the others do not wait for a client that will never come
        results.put({"client": client, "error": traceback.format_exc()})


def _run_clients(way: str, args: dict[str, Any]) -> dict[str, Any]:
    """The clients of *args*' plans at once: the time from their common start to the last
    one's end, the conflicts they met, and what the database holds afterwards."""
    from app.store import server
    from app.store.database import location_of

    url, year = args["url"], args["year"]
    plans = [[(cell, member) for cell, member in plan] for plan in args["plans"]]
    token = uuid.uuid4().hex[:8]
    target = location_of(url).resolved()
    with server.connect(target) as check:
        entries_before = check.execute("SELECT coalesce(max(id), 0) FROM audit_log").fetchone()[0]
        context = multiprocessing.get_context("spawn")
        barrier = context.Barrier(len(plans) + 1)
        results = context.Queue()
        processes = [
            context.Process(
                target=_client, args=(way, url, year, plan, token, number, barrier, results)
            )
            for number, plan in enumerate(plans)
        ]
        for process in processes:
            process.start()
        with contextlib.suppress(Exception):  # a client that failed: its error is on results
            barrier.wait(WAIT_SECONDS)
        start = time.perf_counter()
        done = [results.get(timeout=WAIT_SECONDS) for _ in processes]
        seconds = time.perf_counter() - start
        for process in processes:
            process.join(WAIT_SECONDS)
        failed = [r["error"] for r in done if "error" in r]
        if failed:
            raise RuntimeError("a client failed:\n" + "\n".join(failed))
        # Every save landed: each member's text is the last one its client wrote.
        last = {
            member: _text(token, number, index)
            for number, plan in enumerate(plans)
            for index, (_cell, member) in enumerate(plan)
        }
        rows = check.execute(_ROWS, (year, sorted(last))).fetchall()
        held = {member: text for member, _row_id, _version, text in rows}
        entries = check.execute(
            "SELECT count(*) FROM audit_log WHERE id > %s", (entries_before,)
        ).fetchone()[0]
    saves = sum(len(plan) for plan in plans)
    conflicts = sum(r["conflicts"] for r in done)
    return {
        "seconds": seconds,
        "clients": len(plans),
        "saves": saves,
        "conflicts": conflicts,
        "lost": sum(held.get(member) != text for member, text in last.items()),
        "audit_entries": entries,
        "client_seconds": sorted(r["seconds"] for r in done),
    }


def app_saves(args: dict[str, Any]) -> dict[str, Any]:
    return _run_clients("app", args)


def sql_updates(args: dict[str, Any]) -> dict[str, Any]:
    return _run_clients("sql", args)


TASKS = {"app_saves": app_saves, "sql_updates": sql_updates}
