"""Every document prints the same text, page for page, and draws the same pages, byte for byte,
as when its golden file was written (``tests/documents/golden/data/``; the cases are in
``cases.py``: the sample data of every document kind with its variants, and the commune demo
printed as ``danhgia print all`` prints it, on the fixed day 2026-11-25).

Regenerate with ``python -m tests.documents.golden.make_golden`` only when a document's wording
or layout changes on purpose, and read the diff of the JSON before committing it. A change of
reportlab or pypdf may also change the streams or the extracted text: check the PDFs, then
regenerate.
"""

from __future__ import annotations

import difflib
import functools
import json

import pytest

from tests.documents.golden.cases import DATA, cases, file_name, record

CASES = cases()
NAMES = list(CASES)
MAX_PAGES_SHOWN = 3  # differing pages whose diff is printed; the others are only counted


@functools.cache
def now(name: str) -> dict[str, list[str]]:
    """What *name* prints now (rendered once for both tests)."""
    return record(CASES[name]())


def golden(name: str) -> dict[str, list[str]]:
    path = DATA / file_name(name)
    if not path.exists():
        pytest.fail(
            f"{name}: no golden file {path.name}; write it with "
            f"python -m tests.documents.golden.make_golden {name}",
            pytrace=False,
        )
    return json.loads(path.read_text(encoding="utf-8"))


def test_every_case_has_a_golden_file_and_every_golden_file_a_case() -> None:
    files = {path.name for path in DATA.glob("*.json")}
    wanted = {file_name(name) for name in NAMES}
    assert sorted(wanted - files) == [], "cases without a golden file (run make_golden)"
    assert sorted(files - wanted) == [], "golden files of no case (run make_golden)"


@pytest.mark.parametrize("name", NAMES)
def test_the_text_of_every_page_is_the_same(name: str) -> None:
    want = golden(name)["pages"]
    got = now(name)["pages"]
    problems = []
    if len(got) != len(want):
        problems.append(f"{name}: {len(got)} pages now, {len(want)} in the golden file")
    differing = [i for i, (w, g) in enumerate(zip(want, got, strict=False)) if w != g]
    for index in differing[:MAX_PAGES_SHOWN]:
        diff = difflib.unified_diff(
            want[index].splitlines(),
            got[index].splitlines(),
            f"golden page {index + 1}",
            f"now page {index + 1}",
            lineterm="",
        )
        problems.append(f"{name}, page {index + 1}:\n" + "\n".join(diff))
    if len(differing) > MAX_PAGES_SHOWN:
        more = ", ".join(str(i + 1) for i in differing[MAX_PAGES_SHOWN:])
        problems.append(f"{name}: the text of pages {more} differs too")
    if problems:
        pytest.fail("\n\n".join(problems), pytrace=False)


@pytest.mark.parametrize("name", NAMES)
def test_every_page_draws_the_same(name: str) -> None:
    """The content stream of every page, byte for byte: the look is unchanged (positions,
    fonts, sizes, rules, the draft mark), not only the words."""
    want = golden(name)["streams"]
    got = now(name)["streams"]
    if len(got) != len(want):
        pytest.fail(f"{name}: {len(got)} pages now, {len(want)} in the golden file", pytrace=False)
    differing = [i + 1 for i, (w, g) in enumerate(zip(want, got, strict=True)) if w != g]
    if differing:
        pages = ", ".join(map(str, differing))
        pytest.fail(f"{name}: page(s) {pages} draw differently from the golden file", pytrace=False)
