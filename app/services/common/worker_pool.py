"""Work spread over helper processes that read the database and write nothing.

Laying out PDFs is pure Python: one process uses one core however many threads it runs.
:func:`run` starts *workers* processes with the "spawn" method — a fresh interpreter, the same
on Linux and Windows, never a copy of a process that runs Qt — and each opens the database
with :meth:`Database.open_read_only`: it takes no instance lock (the calling process holds it)
and cannot write. The items' results come back to the calling thread, which alone writes
files and the database.

A worker imports only what the work function's module imports (app.services, app.documents,
the store): nothing outside app/ui imports Qt, and a test keeps it so.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.synchronize import Event
from typing import Any

from app import paths
from app.services.common.errors import ServiceError
from app.services.common.progress import Cancelled
from app.store.database import Database, Location

Work = Callable[[Database, Any, Callable[[], bool]], Any]
"""``work(db, item, stopped)``: a module-level function (it is sent to the workers by name),
given the worker's read-only database, one item, and a function that says whether to stop
(it may then raise Cancelled)."""

POLL_SECONDS = 0.1  # how often the caller looks at its Cancel button while workers run

_db: Database | None = None
_stop: Event | None = None


def _start_worker(database: Location, data_dir: str, stop: Event) -> None:
    """In each worker, once: the caller's data folder (user rule sets live there) and the
    database, read-only (a server database's address comes with its password, through the
    pool's pipe, never on a command line)."""
    global _db, _stop
    paths.set_data_dir(data_dir)
    _db = Database.open_read_only(database)
    _stop = stop


def _stopped() -> bool:
    return _stop is not None and _stop.is_set()


def _run_item(work: Work, item: Any) -> Any:
    if _stopped():
        raise Cancelled
    assert _db is not None, "the worker was not started by worker_pool.run"
    return work(_db, item, _stopped)


def run(
    db: Database,
    work: Work,
    items: Sequence[tuple[int, Any]],
    workers: int,
    on_result: Callable[[int, Any], None],
    cancelled: Callable[[], bool],
) -> None:
    """Run ``work(db, item, stopped)`` for every ``(key, item)`` of *items* in *workers*
    processes, handed out in the order given; call ``on_result(key, result)`` in this thread
    as each finishes, in whatever order they finish.

    Returns when every item is done. If *cancelled* becomes true (it is polled every
    POLL_SECONDS), if *on_result* raises, or if an item raises, no more items are handed out,
    the workers are ended at once, and the error (Cancelled when cancelled) is raised here
    once they have exited; the items under way are lost. A worker that dies (killed, out of
    memory) raises ServiceError.
    """
    context = multiprocessing.get_context("spawn")
    stop = context.Event()
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=_start_worker,
        initargs=(db.location, str(paths.data_dir()), stop),
    )
    try:
        keys: dict[Future[Any], int] = {
            pool.submit(_run_item, work, item): key for key, item in items
        }
        pending = set(keys)
        while pending:
            if cancelled():
                raise Cancelled
            finished, pending = wait(pending, timeout=POLL_SECONDS, return_when=FIRST_COMPLETED)
            for future in sorted(finished, key=keys.__getitem__):
                on_result(keys[future], future.result())
    except BrokenProcessPool as error:
        _stop_workers(pool, stop)
        raise ServiceError(
            "Một tiến trình phụ đã dừng đột ngột (có thể do thiếu bộ nhớ); hãy thử in lại."
        ) from error
    except BaseException:
        _stop_workers(pool, stop)
        raise
    pool.shutdown(wait=True)


def _stop_workers(pool: ProcessPoolExecutor, stop: Event) -> None:
    """Hand out nothing more and end the workers now, not after the document each is laying
    out (the decision takes seconds): they only read, so killing one loses nothing and leaves
    no lock behind. Returns once they have exited."""
    stop.set()  # a worker between two items stops by itself
    terminate = getattr(pool, "terminate_workers", None)  # public from Python 3.14
    if terminate is not None:
        terminate()
        return
    # Before 3.14, the same by hand: end each worker, then let shutdown() collect them (it
    # sees them gone, fails what was pending and joins them).
    for process in list((pool._processes or {}).values()):
        process.terminate()
    pool.shutdown(wait=True, cancel_futures=True)
