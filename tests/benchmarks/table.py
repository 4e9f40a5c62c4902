"""The result table, printed as Markdown so it can be pasted into docs/performance.md."""

from __future__ import annotations

import os
import platform
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path

HEADER = (
    "what", "data", "median (min–max)", "baseline median (min–max)", "ratio", "target",
    "đạt/không đạt",
)  # fmt: skip
# A baseline measured beside the subject may drift from the same baseline measured alone (a
# machine busy with something else, a cache warmed by the subject); past this factor the row's
# ratio is not trusted and the row is refused rather than printed as a pass or a fail.
DRIFT = 1.5


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
    baseline_alone: list[float] | None = None  # the baseline measured on its own, before

    @property
    def drifted(self) -> bool:
        """Whether the baseline beside the subject strayed too far from the baseline alone."""
        if not self.baseline or not self.baseline_alone:
            return False
        beside, alone = statistics.median(self.baseline), statistics.median(self.baseline_alone)
        if alone <= 0 or beside <= 0:
            return True
        return max(beside / alone, alone / beside) > DRIFT

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
        if self.target is None or self.drifted:
            return None
        value = self.ratio if self.target.on_ratio else self.median
        return None if value is None else value <= self.target.limit


def _value(value: float, unit: str) -> str:
    if unit == "ms":
        return f"{value * 1000:.1f} ms"
    if unit == "MB":
        return f"{value:.0f} MB"
    return f"{value:.3f} s" if value < 1 else f"{value:.2f} s"


def _spread(values: list[float], unit: str) -> str:
    """The median with the lowest and highest run beside it."""
    text = _value(statistics.median(values), unit)
    if len(values) > 1:
        text += f" ({_value(min(values), unit)}–{_value(max(values), unit)})"
    return text


def cells(row: Row) -> tuple[str, ...]:
    base = row.baseline_median
    if row.missing:
        base_text, ratio_text = row.missing, "—"
    elif base is None or not row.baseline:
        base_text, ratio_text = "—", "—"
    else:
        base_text = f"{_spread(row.baseline, row.unit)}, {row.baseline_name}"
        ratio_text = f"{row.ratio:.2f}×"
    passed = row.passed()
    verdict = "—" if passed is None else ("đạt" if passed else "không đạt")
    if row.drifted:
        assert row.baseline_alone is not None
        alone = _value(statistics.median(row.baseline_alone), row.unit)
        verdict = f"đo lại: nền đo riêng {alone}, lệch quá {DRIFT:g}×"
    return (
        row.what,
        row.data,
        _spread(row.subject, row.unit),
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
