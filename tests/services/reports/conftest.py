"""Fixtures of the report tests: the communes that report, and the province that stores them.

Every province database these tests write reports into comes from ``province_path`` (opened
by ``province_db``): on each engine, a SQLite file and a database on the PostgreSQL server the
tests run (issue 23: the province's office works on a server). The communes stay SQLite files,
as a commune's office keeps them.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.domain import clock
from app.domain.vocabulary import OrgKind
from app.services.demo.commune import create_demo_database
from app.services.roster import organizations
from app.store.database import Database

# Other communes of the province: the demo built with another seed, its top renamed, so that
# each is a commune of its own (code, name, members) beside the demo's Na Tông (XNT).
OTHER_COMMUNES = (
    (11, "XMP", "Đảng bộ xã Mường Phăng", "Mường Phăng"),
    (12, "XTL", "Đảng bộ xã Thanh Luông", "Thanh Luông"),
    (13, "XNU", "Đảng bộ xã Na Ư", "Na Ư"),
)
PROVINCE = "Đảng bộ tỉnh Điện Biên"


@pytest.fixture
def province_path(
    request: pytest.FixtureRequest, engine_name: str, tmp_path: Path, empty_template: Path
) -> Path | str:
    """The province's database, migrated and empty: where every test stores reports. A file,
    or the URL of a server database (``--db`` takes either)."""
    if engine_name == "postgresql":
        return str(request.getfixturevalue("pg_url")("empty"))
    path = tmp_path / "tinh.sqlite"
    shutil.copyfile(empty_template, path)
    return path


@pytest.fixture
def province_db(province_path: Path | str) -> Iterator[Database]:
    database = Database.open(province_path)
    yield database
    database.close()


@pytest.fixture
def decided_year() -> int:
    """The demo's decided year: the year before the one under way (never written out)."""
    return clock.today().year - 1


def _build_commune(path: Path, seed: int, code: str, name: str, place: str) -> None:
    db, _orgs, _members = create_demo_database(path, seed=seed)
    try:
        top = organizations.find_by_code(db, "XNT")
        fields = organizations.OrgFields(
            code, name, OrgKind.COMMITTEE, None, place_name=place, superior_line=PROVINCE
        )
        organizations.update_organization(db, top.id, fields)
    finally:
        db.close()


@pytest.fixture(scope="session")
def other_commune_templates(template_dir: Path) -> dict[str, Path]:
    """The other communes' databases, built once per session (a few seconds each)."""
    found = {}
    for seed, code, name, place in OTHER_COMMUNES:
        path = template_dir / f"commune-{code}.sqlite"
        if not path.exists():
            _build_commune(path, seed, code, name, place)
        found[code] = path
    return found


@pytest.fixture
def commune_paths(
    tmp_path: Path, full_demo_template: Path, other_commune_templates: dict[str, Path]
) -> dict[str, Path]:
    """A copy of each commune's database, by the commune's code: the demo's first."""
    folder = tmp_path / "communes"
    folder.mkdir()
    found = {"XNT": folder / "XNT.sqlite"}
    shutil.copyfile(full_demo_template, found["XNT"])
    for code, template in other_commune_templates.items():
        found[code] = folder / f"{code}.sqlite"
        shutil.copyfile(template, found[code])
    return found
