"""One measurement in a fresh process: ``python -m tests.benchmarks.child TASK ARGS_JSON``.

Prints one JSON line: what the task returned (at least ``seconds``) and the process's peak
resident memory in MB. Imports nothing heavy before the task starts, so that a start-up task
measures the whole start of the program."""

from __future__ import annotations

import json
import os
import resource
import sys
from collections.abc import Callable
from typing import Any


def peak_rss_mb() -> float:
    # ru_maxrss is in KiB on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def report(result: dict[str, Any]) -> None:
    """Print the result and leave at once (a start-up task must not wait for Qt's teardown)."""
    result["rss_mb"] = peak_rss_mb()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    result["cpu_s"] = usage.ru_utime + usage.ru_stime  # less swayed by a busy machine
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()
    os._exit(0)


def _tasks() -> dict[str, Callable[[dict[str, Any]], dict[str, Any]]]:
    from tests.benchmarks import concurrent, province, tasks_window, tasks_work

    return {**tasks_window.TASKS, **tasks_work.TASKS, **province.TASKS, **concurrent.TASKS}


def main(argv: list[str]) -> None:
    task, args = argv[0], json.loads(argv[1])
    if task in ("startup", "bare_window", "first_preview"):
        # Imported here, not through _tasks(), so nothing else is loaded before the clock runs.
        from tests.benchmarks import tasks_window

        tasks_window.TASKS[task](args)  # reports itself from inside the event loop
        raise SystemExit("the window task returned without reporting")
    report(_tasks()[task](args))


if __name__ == "__main__":
    main(sys.argv[1:])
