"""``python -m tests.benchmarks``: every row measured side by side with its baseline.

Each measurement runs in a fresh process (``child``). For each row, the subject and its
baselines run one after the other, N times, in an order that turns round every repetition, so
that a machine busy with something else slows both sides alike; the table shows medians and
the ratio of the medians.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.benchmarks import concurrent
from tests.benchmarks.prepare import BenchData, prepare
from tests.benchmarks.province import prepare_province
from tests.benchmarks.table import Row, Target, machine, markdown

ROOT = Path(__file__).resolve().parents[2]
NO_LIBREOFFICE = "không có LibreOffice"


class BenchError(RuntimeError):
    pass


class Runner:
    def __init__(self, data_dir: Path, verbose: bool = True) -> None:
        self.env = dict(os.environ)
        self.env["QT_QPA_PLATFORM"] = "offscreen"
        self.env["DANHGIA_DATA_DIR"] = str(data_dir)
        self.verbose = verbose

    def run(self, task: str, args: dict[str, Any]) -> dict[str, Any]:
        if task in ("startup", "bare_window"):
            args = {**args, "t0": time.time()}  # the clock starts before the process exists
        process = subprocess.run(
            [sys.executable, "-m", "tests.benchmarks.child", task, json.dumps(args)],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=3600,
        )
        lines = process.stdout.strip().splitlines()
        if process.returncode != 0 or not lines:
            raise BenchError(f"{task} failed ({process.returncode}):\n{process.stderr[-3000:]}")
        result: dict[str, Any] = json.loads(lines[-1])
        if self.verbose:
            print(f"  {task}: {result['seconds']:.3f} s, {result['rss_mb']:.0f} MB", flush=True)
        return result

    def alone(self, task: str, args: dict[str, Any], times: int = 2) -> list[dict[str, Any]]:
        """A baseline on its own, before it runs beside its subject (see table.DRIFT)."""
        return [self.run(task, args) for _ in range(times)]

    def interleaved(
        self, tasks: list[tuple[str, dict[str, Any]]], repeat: int
    ) -> list[list[dict[str, Any]]]:
        """Each task *repeat* times; every repetition starts one task further along."""
        results: list[list[dict[str, Any]]] = [[] for _ in tasks]
        for round_number in range(repeat):
            for step in range(len(tasks)):
                index = (round_number + step) % len(tasks)
                task, args = tasks[index]
                results[index].append(self.run(task, args))
        return results


def _seconds(results: list[dict[str, Any]]) -> list[float]:
    return [r["seconds"] for r in results]


def _n(value: int) -> str:
    return f"{value:,}"


def measure(
    data: BenchData,
    runner: Runner,
    repeat: int,
    only: set[str] | None,
    quick: bool = False,
    server_db: str | None = None,
) -> list[Row]:
    rows: list[Row] = []
    wanted: Callable[[str], bool] = lambda key: only is None or key in only  # noqa: E731
    place = "commune demo (standing in)" if data.district == data.commune else "district demo"
    district = f"{place} ({_n(data.district_members)} members)"

    if wanted("start") or wanted("memory"):
        print("Khởi động đến khi cửa sổ hiện và dùng được", flush=True)
        alone = runner.alone("bare_window", {})
        subject, bare = runner.interleaved(
            [("startup", {"db": str(data.district)}), ("bare_window", {})], repeat
        )
        for result in subject:
            if result["rows"] != data.district_members or result["tree"] < 1:
                raise BenchError(f"the window was not filled: {result}")
        rows.append(
            Row(
                "start to main window shown and usable",
                district,
                "s",
                _seconds(subject),
                _seconds(bare),
                "bare PySide6 window",
                Target(4.0, True, "≤ 4× the bare window"),
                baseline_alone=_seconds(alone),
            )
        )
        rows.append(
            Row(
                "peak memory with the district open",
                district,
                "MB",
                [r["rss_mb"] for r in subject],
                [r["rss_mb"] for r in bare],
                "bare PySide6 window",
                Target(150, False, "≤ 150 MB"),
                baseline_alone=[r["rss_mb"] for r in alone],
            )
        )

    if wanted("demo"):
        print("Tạo dữ liệu mẫu của xã (lần đầu mở chương trình)", flush=True)
        results = [runner.run("demo", {"empty": str(data.empty)}) for _ in range(repeat)]
        for result in results:
            if result["members"] < 100:
                raise BenchError(f"the demo wrote {result['members']} members")
        rows.append(
            Row(
                "create the demo commune (the window's first start)",
                f"{_n(results[0]['members'])} members, 6 years",
                "s",
                _seconds(results),
                None,
                target=Target(5.0, False, "≤ 5 s"),
            )
        )

    if wanted("print"):
        rows.extend(_print_rows(data, runner, repeat))

    if wanted("preview"):
        print("Xem trước quyết định của đảng ủy xã", flush=True)
        args = {"db": str(data.commune), "year": data.commune_year}
        (subject,) = runner.interleaved([("first_preview", args)], repeat)
        for result in subject:
            if result["first_pages"] != 1 or result["pages"] < 2:
                raise BenchError(f"the preview did not show page 1 first: {result}")
        rows.append(
            Row(
                "first preview of the commune's decision (to page 1 shown)",
                f"commune demo, {data.commune_year}: {_n(subject[0]['pages'])} pages",
                "s",
                _seconds(subject),
                [r["full_seconds"] for r in subject],
                "the whole document, same runs",
                Target(0.5, False, "≤ 0.5 s"),
            )
        )

    if wanted("summary"):
        print("Tổng hợp kết quả một năm của huyện", flush=True)
        args = {"db": str(data.district), "year": data.district_year}
        subject, sql = runner.interleaved([("summary", args), ("sql_aggregate", args)], repeat)
        rows.append(
            Row(
                "summary of a district year",
                f"{district}, {data.district_year}",
                "s",
                _seconds(subject),
                _seconds(sql),
                "one SQL aggregate",
                Target(0.3, False, "≤ 0.3 s"),
            )
        )

    if wanted("import"):
        print(f"Nhập tệp Excel {_n(data.workbook_members)} đảng viên", flush=True)
        args = {"empty": str(data.empty), "workbook": str(data.workbook)}
        subject, alone = runner.interleaved([("import", args), ("openpyxl_read", args)], repeat)
        for result in subject:
            if result["members"] != data.workbook_members:
                raise BenchError(f"the import wrote {result['members']} members")
        rows.append(
            Row(
                f"import a {_n(data.workbook_members)}-member workbook",
                "generated",
                "s",
                _seconds(subject),
                _seconds(alone),
                "openpyxl reading it",
                Target(2.0, True, "≤ 2× openpyxl"),
            )
        )

    if wanted("filter"):
        print("Lọc bảng đảng viên theo từng phím gõ", flush=True)
        (subject,) = runner.interleaved([("filter", {"db": str(data.filter_db)})], repeat)
        rows.append(
            Row(
                "filter the member table per keystroke (slowest key)",
                f"{_n(data.filter_members)} members; their search forms made in "
                f"{statistics.median(r['settle_seconds'] for r in subject):.1f} s after the "
                "first paint",
                "ms",
                _seconds(subject),
                None,
                target=Target(0.05, False, "≤ 50 ms"),
            )
        )

    if wanted("province"):
        rows.extend(_province_rows(data, runner, repeat, quick))
    if wanted("concurrent"):
        rows.extend(_concurrent_rows(runner, repeat, quick, server_db))
    return rows


def _province_rows(data: BenchData, runner: Runner, repeat: int, quick: bool) -> list[Row]:
    """Issue 23: the province's summary of its communes' reports, and importing them."""
    print("Tỉnh: dữ liệu các xã báo cáo", flush=True)
    province = prepare_province(
        data.folder, data.commune, data.commune_year, data.empty, quick=quick
    )
    size = (
        f"{province.communes} communes' reports of {province.year}, "
        f"{_n(province.members)} members, {_n(province.organizations)} organisations"
    )
    print("Tổng hợp toàn tỉnh", flush=True)
    args = {"db": str(province.province), "year": province.year}
    subject, sql = runner.interleaved([("province_summary", args), ("sql_province", args)], repeat)
    for result in subject:
        if (result["communes"], result["members"]) != (province.communes, province.members):
            raise BenchError(f"the province summary counted {result}")
    for result in sql:
        if result["members"] != province.members:
            raise BenchError(f"the SQL baseline counted {result}")
    rows = [
        Row(
            "province summary of a year (province_summary)",
            size,
            "s",
            _seconds(subject),
            _seconds(sql),
            "SQL GROUP BY commune, level (members and organisations)",
        )
    ]
    print(f"Tỉnh nhập {province.communes} báo cáo của xã", flush=True)
    args = {
        "empty": str(province.empty),
        "reports": str(province.reports),
        "rows": str(province.rows),
    }
    subject, sql = runner.interleaved(
        [("import_reports", args), ("sql_insert_reports", args)], repeat
    )
    for result in [*subject, *sql]:
        if result["members"] != province.members:
            raise BenchError(f"the import wrote {result['members']} members")
    rows.append(
        Row(
            f"import {province.communes} commune report packages (read, preview, store)",
            size,
            "s",
            _seconds(subject),
            _seconds(sql),
            "the same rows by sqlite3 executemany, one transaction",
        )
    )
    return rows


def _concurrent_rows(runner: Runner, repeat: int, quick: bool, server_db: str | None) -> list[Row]:
    """Issue 23: two clients saving self-reviews of two cells of one server database at once,
    beside the same UPDATEs in plain SQL, and one client alone making both clients' saves."""
    print("Hai máy cùng lưu bản tự kiểm điểm của hai chi bộ (PostgreSQL)", flush=True)
    with concurrent.server_demo(quick=quick, given=server_db) as demo:
        with concurrent.environment(demo.environment, into=runner.env):
            pair, alone, sql_pair, sql_alone = runner.interleaved(
                [
                    ("app_saves", demo.args(2)),
                    ("app_saves", demo.args(1)),
                    ("sql_updates", demo.args(2)),
                    ("sql_updates", demo.args(1)),
                ],
                repeat,
            )
        problems = concurrent.verify_chain(demo)
    results = [*pair, *alone, *sql_pair, *sql_alone]
    saves = sum(r["saves"] for r in results)
    conflicts = sum(r["conflicts"] for r in results)
    lost = sum(r["lost"] for r in results)
    # One audit entry per save the app made (a refused save writes none).
    unlogged = sum(r["saves"] - r["conflicts"] - r["audit_entries"] for r in [*pair, *alone])
    print(f"  {_n(saves)} saves read back: conflicts: {conflicts}, lost: {lost}", flush=True)
    if lost or conflicts or unlogged or problems:
        raise BenchError(
            f"saves on different cells: {conflicts} conflicts, {lost} lost, {unlogged} "
            f"without their audit entry; audit chain: {problems or 'intact'}"
        )
    a, b = demo.cells
    n = demo.saves
    size = (
        f"commune demo on PostgreSQL, {demo.year}: {a.name} ({len(a.members)} members) and "
        f"{b.name} ({len(b.members)}); conflicts 0, lost 0"
    )
    return [
        Row(
            f"two clients saving self-reviews of two cells at once ({n} saves each)",
            size,
            "s",
            _seconds(pair),
            _seconds(sql_pair),
            "two processes, the same UPDATEs in plain SQL, one transaction each",
        ),
        Row(
            f"one client alone making both cells' {2 * n} saves",
            size,
            "s",
            _seconds(alone),
            _seconds(sql_alone),
            f"one process, the same {2 * n} UPDATEs in plain SQL",
        ),
        Row(
            f"two clients at once against one alone ({2 * n} saves in all)",
            size,
            "s",
            _seconds(pair),
            _seconds(alone),
            "one client alone, same runs",
        ),
    ]


def _print_rows(data: BenchData, runner: Runner, repeat: int) -> list[Row]:
    what = "print everything for a commune" + (" (one cell)" if data.print_unit else "")
    print("In toàn bộ văn bản", flush=True)
    amount = f"commune demo, {data.commune_year}: {_n(data.print_files)} files, "
    amount += f"{_n(data.print_pages)} pages"
    pdf_args = {"db": str(data.commune), "year": data.commune_year, "unit": data.print_unit}
    tasks = [
        ("print", pdf_args),
        ("reportlab_pages", {"pages": str(data.pages)}),
        ("print", {**pdf_args, "format": "docx"}),
    ]
    soffice = shutil.which("soffice")
    if soffice:
        profile = data.folder / "libreoffice-profile"
        soffice_args = {"docx": str(data.docx), "soffice": soffice, "profile": str(profile)}
        runner.run("soffice", soffice_args)  # its first start makes the profile: not measured
        tasks.append(("soffice", soffice_args))
    results = runner.interleaved(tasks, repeat)
    for result in [*results[0], *results[2]]:
        if result["files"] != data.print_files:
            raise BenchError(f"print wrote {result['files']} files, not {data.print_files}")
    rows = [
        Row(
            what,
            amount,
            "s",
            _seconds(results[0]),
            _seconds(results[1]),
            "reportlab alone",
            Target(1.0, True, "≤ 1× reportlab"),
        )
    ]
    rows.append(
        Row(
            what,
            amount + " (as .docx)",
            "s",
            _seconds(results[0]),
            _seconds(results[3]) if soffice else None,
            "soffice --convert-to pdf",
            missing="" if soffice else NO_LIBREOFFICE,
        )
    )
    rows.append(
        Row(
            f"{what} as Word copies (print all --format docx)",
            amount,
            "s",
            _seconds(results[2]),
            _seconds(results[0]),
            "the same print as PDFs",
        )
    )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks", description=__doc__)
    parser.add_argument("--repeat", "-n", type=int, help="runs of each side (default 5; quick 1)")
    parser.add_argument("--quick", action="store_true", help="tiny data, for the smoke test")
    parser.add_argument("--cache", type=Path, help="data folder (default build/bench[-quick])")
    parser.add_argument("--commune-db", type=Path, help="use this commune database")
    parser.add_argument("--fresh", action="store_true", help="make the data again")
    parser.add_argument(
        "--server-db",
        help="a PostgreSQL database holding the commune demo, for the concurrent rows (its "
        "password in DANHGIA_DB_PASSWORD; default: a cluster of their own)",
    )
    parser.add_argument(
        "--only",
        help="rows: start,memory,demo,print,preview,summary,import,filter,province,concurrent",
    )
    parser.add_argument("--output", type=Path, help="also write the table to this file")
    options = parser.parse_args(argv)
    repeat = options.repeat or (1 if options.quick else 5)
    cache = options.cache or ROOT / "build" / ("bench-quick" if options.quick else "bench")
    only = set(options.only.split(",")) if options.only else None

    print(f"Chuẩn bị dữ liệu trong {cache}", flush=True)
    data = prepare(cache, quick=options.quick, commune=options.commune_db, fresh=options.fresh)
    with tempfile.TemporaryDirectory(prefix="danhgia-bench-data-") as data_dir:
        try:
            rows = measure(
                data, Runner(Path(data_dir)), repeat, only, options.quick, options.server_db
            )
        except BenchError as error:
            print(f"Lỗi khi đo: {error}", file=sys.stderr)
            return 2
    heading = (
        f"Machine: {machine()}. {dt.date.today():%d/%m/%Y}, median of {repeat} "
        f"run{'s' if repeat > 1 else ''} each, baselines interleaved in the same run."
    )
    text = f"{heading}\n\n{markdown(rows)}\n"
    print()
    print(text)
    if options.output:
        options.output.write_text(text, encoding="utf-8")
    return 0
