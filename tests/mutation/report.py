"""``make mutate``'s verdict: the mutation score of the last ``mutmut run`` and its survivors.

Reads mutmut's results (``mutants/**/*.meta``), prints the score (killed or timed out, of the
mutants tested) and each survivor with its diff, and compares the survivors with the accepted
ones listed in ``tests/mutation/accepted.toml``: ``[equivalent]`` mutants change nothing the
program does (each with the reason), ``[open]`` ones are real gaps no test closes yet (each with
what it changes), to be killed. Exits 1 when a survivor is listed in neither or the score fell
below the floor recorded there, so that a weaker suite shows.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ACCEPTED = Path(__file__).with_name("accepted.toml")


def _results() -> dict[str, str]:
    from mutmut.stats import status_by_exit_code

    found: dict[str, str] = {}
    for meta in sorted((ROOT / "mutants").rglob("*.meta")):
        data = json.loads(meta.read_text(encoding="utf-8"))
        for name, code in data.get("exit_code_by_key", {}).items():
            found[name] = status_by_exit_code[code]
    return found


def _diff(name: str) -> str:
    shown = subprocess.run(
        [sys.executable, "-m", "mutmut", "show", name],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    lines = [line for line in shown.stdout.splitlines() if line.startswith(("-", "+"))]
    return "\n".join(f"      {line}" for line in lines if not line.startswith(("---", "+++")))


def main() -> int:
    results = _results()
    if not results:
        print("Chưa có kết quả: chạy `make mutate` trước.")
        return 2
    accepted_file = tomllib.loads(ACCEPTED.read_text(encoding="utf-8"))
    equivalent: dict[str, str] = accepted_file.get("equivalent", {})
    known_open: dict[str, str] = accepted_file.get("open", {})
    accepted = {**equivalent, **known_open}
    floor = float(accepted_file.get("floor", 0))
    counts = Counter(results.values())
    tested = sum(n for status, n in counts.items() if status not in ("not checked", "skipped"))
    killed = counts["killed"] + counts["timeout"]
    if not tested:
        print("Không đột biến nào được chạy: xem lỗi của `mutmut run` ở trên.")
        return 2
    score = killed / tested
    print(f"Mutants: {len(results)}; tested {tested}; " + ", ".join(
        f"{status} {n}" for status, n in sorted(counts.items())
    ))  # fmt: skip
    print(f"Score: {killed}/{tested} = {score:.1%} (floor {floor:.1%})")
    # A mutant no test reaches is not killed either: it counts with the survivors.
    survivors = sorted(n for n, status in results.items() if status in ("survived", "no tests"))
    new = [name for name in survivors if name not in accepted]
    for name in survivors:
        mark = "equivalent" if name in equivalent else "open" if name in known_open else "NEW"
        print(f"  survived [{mark}] {name}" + (f" — {accepted[name]}" if name in accepted else ""))
        if name not in accepted:
            print(_diff(name))
    # A listed mutant that was not run this time says nothing either way.
    stale = sorted(n for n in set(accepted) - set(survivors) if results.get(n) != "not checked")
    if stale:
        print("Listed but no longer surviving (remove from accepted.toml):", ", ".join(stale))
    if new:
        print(f"{len(new)} survivor(s) not listed: kill them with a test, or list them in "
              "accepted.toml with the reason they change nothing.")  # fmt: skip
    if score + 1e-9 < floor:
        print(f"The score {score:.1%} fell below the floor {floor:.1%}.")
    unfinished = counts["not checked"]
    if unfinished:
        print(f"{unfinished} mutant(s) not run yet (the run was stopped): the score covers only "
              "those run. `make mutate` again carries on where it stopped.")  # fmt: skip
    return 1 if new or unfinished or score + 1e-9 < floor else 0


if __name__ == "__main__":
    sys.exit(main())
