"""The benchmarks (tests/benchmarks, not collected) keep working: a quick run on the demo
commune prints a table with every row measured (the concurrent saves: a handful, on a copy of
the session's PostgreSQL full-demo template)."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ROWS = [
    "start to main window shown and usable",
    "peak memory with the district open",
    "create the demo commune",
    "print everything for a commune (one cell)",
    "first preview of the commune's decision",
    "summary of a district year",
    "workbook",
    "filter the member table per keystroke",
    "province summary of a year",
    "commune report packages",
    "two clients saving self-reviews of two cells at once",
    "one client alone making both cells'",
    "two clients at once against one alone",
]
NUMBER = re.compile(r"^\d+(\.\d+)? (s|ms|MB)")


def _table(output: str) -> list[list[str]]:
    lines = [line for line in output.splitlines() if line.startswith("| ")]
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in lines]


@pytest.mark.slow
def test_a_quick_benchmark_run_prints_every_row_with_numbers(
    tmp_path: Path, full_demo_path: Path, pg_url: Callable[[str], str]
) -> None:
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.benchmarks",
            "--quick",
            "--cache",
            str(tmp_path / "bench"),
            "--commune-db",
            str(full_demo_path),
            "--server-db",
            pg_url("full-demo"),
            "--output",
            str(tmp_path / "table.md"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    header, _rule, *rows = _table(run.stdout)
    assert header == [
        "what",
        "data",
        "median (min–max)",
        "baseline median (min–max)",
        "ratio",
        "target",
        "đạt/không đạt",
    ]
    for name in ROWS:
        assert any(name in row[0] for row in rows), f"no row for {name}"
    for what, _data, median, baseline, ratio, target, verdict in rows:
        assert NUMBER.match(median), (what, median)
        if "as .docx" in _data:
            # LibreOffice is optional: measured when installed, said so when not.
            assert baseline == "không có LibreOffice" or NUMBER.match(baseline), baseline
        elif "filter" in what or "demo" in what:
            assert (baseline, ratio) == ("—", "—")
        else:
            assert NUMBER.match(baseline), (what, baseline)
            assert re.fullmatch(r"\d+\.\d\d×", ratio), (what, ratio)
        if target != "—":
            # A row whose baseline strayed from the baseline measured alone is refused.
            assert verdict in ("đạt", "không đạt") or verdict.startswith("đo lại"), verdict
    # Two clients on different cells of a server database: no conflict, no save lost.
    assert "conflicts: 0, lost: 0" in run.stdout
    # --output keeps the same table for docs/performance.md.
    assert _table((tmp_path / "table.md").read_text(encoding="utf-8")) == _table(run.stdout)
