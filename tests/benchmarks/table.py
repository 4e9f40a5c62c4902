"""The result table, printed as Markdown so it can be pasted into the README."""

from __future__ import annotations

import os
import platform
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path

HEADER = ("what", "data", "median", "baseline median", "ratio", "target", "đạt/không đạt")


@dataclass(frozen=True)
class Target:
    limit: float
    on_ratio: bool  # True: the ratio to the baseline; False: the subject's own median
    text: str


@dataclass(frozen=True)
class Row:
    what: str
    data: str
    unit: str  # "s", "ms" or "MB"
    subject: list[float]
    baseline: list[float] | None  # None: no baseline for this row
    baseline_name: str = ""
    target: Target | None = None
    missing: str = ""  # why the baseline did not run ("không có LibreOffice")

    @property
    def median(self) -> float:
        return statistics.median(self.subject)

    @property
    def baseline_median(self) -> float | None:
        return statistics.median(self.baseline) if self.baseline else None

    @property
    def ratio(self) -> float | None:
        base = self.baseline_median
        return self.median / base if base else None

    def passed(self) -> bool | None:
        if self.target is None:
            return None
        value = self.ratio if self.target.on_ratio else self.median
        return None if value is None else value <= self.target.limit


def _value(value: float, unit: str) -> str:
    if unit == "ms":
        return f"{value * 1000:.1f} ms"
    if unit == "MB":
        return f"{value:.0f} MB"
    return f"{value:.3f} s" if value < 1 else f"{value:.2f} s"


def cells(row: Row) -> tuple[str, ...]:
    base = row.baseline_median
    if row.missing:
        base_text, ratio_text = row.missing, "—"
    elif base is None:
        base_text, ratio_text = "—", "—"
    else:
        base_text = f"{_value(base, row.unit)} ({row.baseline_name})"
        ratio_text = f"{row.ratio:.2f}×"
    passed = row.passed()
    verdict = "—" if passed is None else ("đạt" if passed else "không đạt")
    return (
        row.what,
        row.data,
        _value(row.median, row.unit),
        base_text,
        ratio_text,
        row.target.text if row.target else "—",
        verdict,
    )


def markdown(rows: list[Row]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + " --- |" * len(HEADER)]
    lines += ["| " + " | ".join(cells(row)) + " |" for row in rows]
    return "\n".join(lines)


def machine() -> str:
    """Cores, memory, CPU model and Python: the line printed above the table."""
    model = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kib = int(meminfo.read_text().split("MemTotal:", 1)[1].split()[0])
        memory = f", {kib / 1024 / 1024:.1f} GiB RAM"
    return (
        f"{model}, {os.cpu_count()} cores{memory}, {platform.system()} {platform.release()}, "
        f"Python {sys.version.split()[0]}"
    )
