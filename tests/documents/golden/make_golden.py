"""Write the golden files: ``python -m tests.documents.golden.make_golden [CASE-PREFIX …]``.

One JSON per case of ``cases.cases()`` in ``tests/documents/golden/data/`` ("/" in the name
made "__"): ``{"pages": [text of each page], "streams": [SHA-256 of each page's decoded
content stream]}``. With prefixes, only the cases whose names start with one of them are
written ("sample/decision", "demo/2026/"); without, every case, and golden files of cases that
no longer exist are removed.

Run it only when a document's wording or layout changes on purpose, and read the diff of the
JSON before committing it.
"""

from __future__ import annotations

import json
import sys
import time

from tests.documents.golden.cases import DATA, cases, file_name, record


def dump(golden: dict[str, list[str]]) -> str:
    """The golden file's text: stable, readable in a diff (one page, one hash a line)."""
    return json.dumps(golden, ensure_ascii=False, indent=1) + "\n"


def main(argv: list[str]) -> int:
    every = cases()
    chosen = [name for name in every if not argv or any(name.startswith(p) for p in argv)]
    if not chosen:
        print(f"Không có trường hợp nào bắt đầu bằng {' '.join(argv)}", file=sys.stderr)
        return 2
    DATA.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    for name in chosen:
        golden = record(every[name]())
        (DATA / file_name(name)).write_text(dump(golden), encoding="utf-8")
        print(f"{name}: {len(golden['pages'])} trang")
    if not argv:
        wanted = {file_name(name) for name in every}
        for stale in sorted(DATA.glob("*.json")):
            if stale.name not in wanted:
                stale.unlink()
                print(f"đã xóa {stale.name}")
    print(f"{len(chosen)} tệp trong {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
