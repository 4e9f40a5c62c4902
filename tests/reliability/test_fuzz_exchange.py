"""Fuzzing the exchange-package importer: a cell's real package, its content mutated
by hypothesis — wrong types, missing and extra keys, NFD text and control characters,
10,000-character strings, duplicated or dropped members, other steps, levels, votes and
meeting rounds — and re-sealed with a correct checksum, as another installation or a careful
forger would; and the bytes of a package damaged without re-sealing. Every case is refused
with a Vietnamese message and the commune's database untouched, or imported cleanly: a
consistent database, an intact audit chain, clean text. The preview never writes.
"""

from __future__ import annotations

import copy
import json
import shutil
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given, note
from hypothesis import strategies as st

from app.domain.procedure import CellStep
from app.services.exchange import file_format as exchange_format
from app.services.exchange import package as exchange
from app.services.exchange.package import PackageError
from app.services.periods import lifecycle as periods
from app.services.procedure import steps as procedure_steps
from app.services.safekeeping import audit
from app.store.database import Database
from tests.reliability.fuzz_support import (
    assert_unchanged,
    assert_user_message,
    assert_user_text,
    dump,
    fresh_database,
    fuzz_settings,
    import_or_refuse,
)
from tests.reliability.workbook_fuzz import long_text, nasty_text
from tests.reliability.zip_fuzz import damaged_bytes
from tests.services.exchange.test_package import cells_at, hold_meeting

ACTOR = "Văn phòng Đảng ủy"
JsonPath = tuple[str | int, ...]


@pytest.fixture(scope="module")
def packages(full_demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> list[bytes]:
    """Two real packages for the commune's (pristine) database: a cell at the voting step as
    the commune has it, and a cell that held its meeting in its own copy since."""
    folder = tmp_path_factory.mktemp("packages")
    copy_path = shutil.copyfile(full_demo_template, folder / "ban-sao.sqlite")
    with Database.open(copy_path) as cell_copy:
        year = periods.list_periods(cell_copy)[-1].year
        voting = cells_at(cell_copy, year, CellStep.VOTING)[0]
        first = exchange.export_package(cell_copy, year, voting, folder / "a.dgx")
        meeting = cells_at(cell_copy, year, CellStep.MEETING)[0]
        hold_meeting(cell_copy, year, meeting)
        procedure_steps.advance(cell_copy, year, meeting)
        second = exchange.export_package(cell_copy, year, meeting, folder / "b.dgx")
    return [first.path.read_bytes(), second.path.read_bytes()]


# ---- mutating a package's content ----------------------------------------------------------


def json_values() -> st.SearchStrategy[Any]:
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(10**6), max_value=10**6),
        st.sampled_from([0, 1, 2, 100, 1000, 1001, 100_000, 10**30, -1]),
        st.floats(allow_nan=False, allow_infinity=False),
        nasty_text(),
        long_text(),
        st.sampled_from(["2026-12-15", "2026-02-30", "0001-01-01", "08:00:00", "25:61:00",
                         "2026-12-15T08:00:00", "HTTNV", "HTXSNV", "KHTNV", "XYZ", "bo_phieu_kin",
                         "gio_tay", "da_nop", "bieu_quyet", "hoi_nghi", "chuan_bi", ""]),
    )  # fmt: skip
    return st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4), st.dictionaries(nasty_text(), inner, max_size=3)
        ),
        max_leaves=8,
    )


def _paths(value: Any, prefix: JsonPath = ()) -> list[JsonPath]:
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value[:3]):  # the first few stand for all
            found += _paths(item, (*prefix, index))
    return found


def _parent(content: Any, path: JsonPath) -> Any:
    for key in path[:-1]:
        content = content[key]
    return content


def _strings(value: Any, change: Any) -> Any:
    if isinstance(value, str):
        return change(value)
    if isinstance(value, dict):
        return {key: _strings(item, change) for key, item in value.items()}
    if isinstance(value, list):
        return [_strings(item, change) for item in value]
    return value


def mutate(content: dict[str, Any], data: st.DataObject) -> None:
    for _ in range(data.draw(st.integers(1, 4), label="how many")):
        how = data.draw(
            st.sampled_from(["replace", "replace", "replace", "delete", "add", "members",
                             "text", "step", "votes"]),
            label="mutation",
        )  # fmt: skip
        paths = _paths(content)
        path = data.draw(st.sampled_from(paths), label="path")
        parent = _parent(content, path)
        if how == "replace":
            parent[path[-1]] = data.draw(json_values(), label="value")
        elif how == "delete" and isinstance(parent, dict):
            del parent[path[-1]]
        elif how == "add" and isinstance(parent, dict):
            parent[data.draw(nasty_text(), label="key")] = data.draw(json_values(), label="v")
        elif how == "members" and content.get("members"):
            members = content["members"]
            index = data.draw(st.integers(0, len(members) - 1), label="member")
            what = data.draw(st.sampled_from(["duplicate", "drop", "reverse", "swap codes"]))
            if what == "duplicate":
                members.append(copy.deepcopy(members[index]))
            elif what == "drop":
                del members[index]
            elif what == "reverse":
                members.reverse()
            elif len(members) > 1:
                members[0]["code"], members[-1]["code"] = members[-1]["code"], members[0]["code"]
        elif how == "text":
            change = data.draw(st.sampled_from(["nfd", "controls", "long"]), label="text change")
            if change == "nfd":
                content.update(_strings(content, lambda t: unicodedata.normalize("NFD", t)))
            elif change == "controls":
                content.update(_strings(content, lambda t: f"\u202e{t}\x07\u200b\x85\t"))
            elif isinstance(parent, dict) and isinstance(parent.get(path[-1]), str):
                parent[path[-1]] = data.draw(long_text(), label="long")
        elif how == "step" and isinstance(content.get("cell"), dict):
            content["cell"]["step"] = data.draw(st.sampled_from([s.value for s in CellStep]))
        elif how == "votes" and content.get("members"):
            member = data.draw(st.sampled_from(content["members"]), label="voter")
            if isinstance(member, dict) and isinstance(member.get("stages"), dict):
                member["stages"]["vote_counts"] = data.draw(
                    st.dictionaries(
                        st.sampled_from(["HTXSNV", "HTTNV", "HTNV", "KHTNV", "XYZ"]),
                        st.integers(0, 40),
                        max_size=4,
                    )
                )
                member["stages"]["proposed_level"] = data.draw(
                    st.sampled_from([None, "HTXSNV", "HTTNV", "HTNV", "KHTNV"])
                )


def preview_then_import(db: Database, path: Path) -> exchange.ApplyResult:
    """What the window does: read, preview (which must not write), then import."""
    package = exchange.read_package(path)
    before = dump(db.path)
    plan = exchange.plan_import(db, package)
    assert_unchanged(before, dump(db.path))
    assert_user_text(plan.describe())
    result = exchange.apply_package(db, plan, actor=ACTOR)
    assert not plan.blocked
    assert result.describe()
    assert audit.verify_chain(db) == []
    return result


@given(data=st.data())
@fuzz_settings(share=0.7)
def test_fuzz_exchange_content(
    data: st.DataObject, packages: list[bytes], full_demo_template: Path, tmp_path: Path
) -> None:
    sealed = json.loads(data.draw(st.sampled_from(packages), label="package"))
    content = sealed["content"]
    mutate(content, data)
    path = tmp_path / "goi.dgx"
    path.write_bytes(exchange_format.encode(content))
    with fresh_database(full_demo_template, tmp_path / "db") as db:
        import_or_refuse(db, lambda: preview_then_import(db, path))


@given(data=st.data())
@fuzz_settings()
def test_fuzz_exchange_bytes(data: st.DataObject, packages: list[bytes], tmp_path: Path) -> None:
    """Damage without re-sealing: always refused, before any database is opened."""
    original = data.draw(st.sampled_from(packages), label="package")
    damaged, how = damaged_bytes(original, data)
    assume(damaged != original)  # junk written over the same bytes
    note(how)
    path = tmp_path / "hong.dgx"
    path.write_bytes(damaged)
    with pytest.raises(PackageError) as refused:
        exchange.read_package(path)
    assert_user_message(refused.value)


def test_the_packages_import_unmutated(
    packages: list[bytes], full_demo_template: Path, tmp_path: Path
) -> None:
    """The fuzzing starts from packages that import, one of them with real changes."""
    changes = []
    for index, sealed in enumerate(packages):
        path = tmp_path / f"goi-{index}.dgx"
        path.write_bytes(sealed)
        with fresh_database(full_demo_template, tmp_path / f"db-{index}") as db:
            result = import_or_refuse(db, lambda db=db, path=path: preview_then_import(db, path))
            assert result is not None
            changes.append(result.changes)
    assert changes[0] == 0 and changes[1] > 10
