"""The province's rows (issue 23): its data, made once, and the measurements, each run in a
fresh process by ``child``.

The data (in ``<bench folder>/province/``, kept while the schema, the size and the commune
stay the same): the commune's last decided year exported once as a real report package, then
cloned into one ``.dgr`` per commune of a generated province — each commune its own code and
name, its members renamed ``<commune>-<number>`` and repeated round the commune's list up to
the size wanted, its figures counted again from its lists, the file encoded as the export
writes it — and a province database with every report stored through the import service.
Full size: 120 communes of 2,500 members (300,000); quick size (the smoke test): 10 communes
of the commune's own members.

For the import's baseline, the rows those imports wrote (reports, organisations, members,
audit entries) are kept too, to be inserted again with plain ``executemany``.
"""

from __future__ import annotations

import itertools
import json
import pickle
import shutil
import sqlite3
import tempfile
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from app import paths

COMMUNES = 120
MEMBERS = 300_000
QUICK_COMMUNES = 10
ACTOR = "btc-tinh"
MANIFEST = "province.json"
# The tables an import writes, in the order their foreign keys need.
TABLES = ("commune_reports", "reported_organizations", "reported_members", "audit_log")


@dataclass(frozen=True)
class ProvinceData:
    folder: Path
    year: int
    communes: int
    members: int  # across the province
    organizations: int
    reports: Path  # the folder of .dgr files, one per commune
    province: Path  # every report stored
    empty: Path  # migrated, empty: where the import rows write
    rows: Path  # pickle: table → (columns, rows) the imports wrote
    prepare_seconds: float

    def to_json(self) -> str:
        return json.dumps(
            {k: str(v) if isinstance(v, Path) else v for k, v in asdict(self).items()}, indent=1
        )

    @classmethod
    def from_json(cls, text: str) -> ProvinceData:
        raw = json.loads(text)
        kinds = cls.__dataclass_fields__
        return cls(**{k: Path(v) if kinds[k].type == "Path" else v for k, v in raw.items()})


def _log(text: str) -> None:
    print(f"  [dữ liệu tỉnh] {text}", flush=True)


def prepare_province(
    bench_folder: Path, commune: Path, year: int, empty: Path, *, quick: bool
) -> ProvinceData:
    """The province's data under *bench_folder*, made now unless already there."""
    folder = bench_folder / "province"
    communes = QUICK_COMMUNES if quick else COMMUNES
    per_commune = None if quick else MEMBERS // COMMUNES  # None: the commune's own members
    versions = sorted(p.name for p in paths.migrations_dir().glob("versions/*.py"))
    stamp = json.dumps(
        {
            "communes": communes,
            "per_commune": per_commune,
            "commune": str(commune),
            "commune_size": commune.stat().st_size,
            "year": year,
            "schema": versions,
        }
    )
    manifest = folder / MANIFEST
    if manifest.exists() and (folder / "stamp.json").read_text() == stamp:
        return ProvinceData.from_json(manifest.read_text())
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    start = time.perf_counter()
    reports = folder / "reports"
    reports.mkdir()
    _log(f"{communes} báo cáo xã ({'mỗi xã ' + str(per_commune) if per_commune else 'như xã mẫu'})")
    members, organizations = _clone_reports(commune, year, reports, communes, per_commune)
    province = folder / "province.sqlite"
    shutil.copyfile(empty, province)
    _log("tỉnh nhập mọi báo cáo qua dịch vụ nhập")
    stored = _store_all(province, sorted(reports.glob("*.dgr")))
    if stored != members:
        raise SystemExit(f"the province stored {stored} members, not {members}")
    rows = folder / "rows.pickle"
    rows.write_bytes(pickle.dumps(_written_rows(province, empty)))
    data = ProvinceData(
        folder=folder,
        year=year,
        communes=communes,
        members=members,
        organizations=organizations,
        reports=reports,
        province=province,
        empty=empty,
        rows=rows,
        prepare_seconds=time.perf_counter() - start,
    )
    _log(f"xong trong {data.prepare_seconds:.0f} s")
    manifest.write_text(data.to_json())
    (folder / "stamp.json").write_text(stamp)
    return data


def _clone_reports(
    commune: Path, year: int, out: Path, communes: int, per_commune: int | None
) -> tuple[int, int]:
    """One real export of *commune*'s *year*, cloned into *communes* files; the members and
    organisations written in all."""
    from app.services.reports.export import export_report
    from app.services.reports.file_format import content_json, encode
    from app.services.reports.importer import read_report_file
    from app.services.reports.records import computed_figures
    from app.store.database import Database

    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "commune.sqlite"
        shutil.copyfile(commune, copy)
        with Database.open(copy) as db:
            exported = export_report(db, year, Path(scratch) / "base.dgr", actor="bench").path
        base = read_report_file(exported)
    d, rs = base.data, base.ruleset
    top = d.commune.code
    size = per_commune or len(d.members)
    members_written = organizations_written = 0
    for number in range(1, communes + 1):
        code = f"X{number:03d}"

        def renamed(org_code: str | None, code: str = code) -> str | None:
            return code if org_code == top else org_code

        orgs = tuple(
            replace(o, code=renamed(o.code), parent=renamed(o.parent)) for o in d.organizations
        )
        members = tuple(
            replace(m, code=f"{code}-{index:05d}", cell=renamed(m.cell))
            for index, m in zip(range(1, size + 1), itertools.cycle(d.members))
        )
        place = f"Mẫu {number:03d}"
        data = replace(
            d,
            commune=replace(d.commune, code=code, name=f"Đảng bộ xã {place}", place=place),
            organizations=orgs,
            members=members,
        )
        data = replace(data, figures=computed_figures(data, rs))
        content = content_json(
            data,
            app_version=base.app_version,
            exported_at=base.exported_at,
            exported_by=base.exported_by,
        )
        (out / f"bao-cao-{code}-{year}.dgr").write_bytes(encode(content))
        members_written += len(members)
        organizations_written += len(orgs)
    return members_written, organizations_written


def _import_files(db: Any, files: list[Path]) -> int:
    """Read, preview and store each report through the services; the members stored."""
    from app.services.reports import importer, preview

    members = 0
    for file in files:
        plan = preview.plan_import(db, importer.read_report_file(file))
        members += importer.apply_import(db, plan, actor=ACTOR).members
    return members


def _store_all(province: Path, files: list[Path]) -> int:
    from app.store.database import Database

    with Database.open(province) as db:
        return _import_files(db, files)


def _written_rows(province: Path, empty: Path) -> dict[str, tuple[list[str], list[tuple]]]:
    """The rows the imports added to each table (those past the empty database's last id)."""
    before = sqlite3.connect(empty)
    after = sqlite3.connect(province)
    try:
        found = {}
        for table in TABLES:
            last = before.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0]
            cursor = after.execute(f"SELECT * FROM {table} WHERE id > ? ORDER BY id", (last,))
            found[table] = ([c[0] for c in cursor.description], cursor.fetchall())
        return found
    finally:
        before.close()
        after.close()


# ---- measurements (in the child process) -----------------------------------------------------


def province_summary(args: dict[str, Any]) -> dict[str, Any]:
    """The province's summary of the year (``province.province_summary``)."""
    from app.services.reports import province
    from app.store.database import Database

    db = Database.open(Path(args["db"]))
    start = time.perf_counter()
    result = province.province_summary(db, args["year"])
    seconds = time.perf_counter() - start
    db.close()
    return {
        "seconds": seconds,
        "communes": len(result.communes),
        "members": result.members.total,
    }


# Members and organisations per commune and level of the year: what the summary tallies.
_MEMBERS_BY_LEVEL = """
SELECT r.commune_code, m.evaluated, m.level, m.not_classified_reason, count(*)
FROM reported_members AS m JOIN commune_reports AS r ON r.id = m.report_id
WHERE r.year = ? AND r.status = 'accepted'
GROUP BY 1, 2, 3, 4
"""
_ORGS_BY_LEVEL = """
SELECT r.commune_code, o.evaluated, o.level, o.not_classified_reason, count(*)
FROM reported_organizations AS o JOIN commune_reports AS r ON r.id = o.report_id
WHERE r.year = ? AND r.status = 'accepted' AND o.in_period AND o.summary_group = 'main'
GROUP BY 1, 2, 3, 4
"""


def sql_province(args: dict[str, Any]) -> dict[str, Any]:
    connection = sqlite3.connect(args["db"])
    start = time.perf_counter()
    members = connection.execute(_MEMBERS_BY_LEVEL, (args["year"],)).fetchall()
    orgs = connection.execute(_ORGS_BY_LEVEL, (args["year"],)).fetchall()
    seconds = time.perf_counter() - start
    connection.close()
    return {"seconds": seconds, "members": sum(row[-1] for row in members), "groups": len(orgs)}


def import_reports(args: dict[str, Any]) -> dict[str, Any]:
    """Every report package read, previewed and stored through the services, into a copy of
    the empty database."""
    from app.store.database import Database

    folder = Path(tempfile.mkdtemp(prefix="danhgia-bench-"))
    copy = folder / "province.sqlite"
    shutil.copyfile(args["empty"], copy)
    files = sorted(Path(args["reports"]).glob("*.dgr"))
    db = Database.open(copy)
    start = time.perf_counter()
    members = _import_files(db, files)
    seconds = time.perf_counter() - start
    db.close()
    shutil.rmtree(folder)
    return {"seconds": seconds, "files": len(files), "members": members}


def sql_insert_reports(args: dict[str, Any]) -> dict[str, Any]:
    """The same rows inserted with plain executemany, in one transaction (the rows are loaded
    before the clock), with the pragmas the app's connections use."""
    folder = Path(tempfile.mkdtemp(prefix="danhgia-bench-"))
    copy = folder / "province.sqlite"
    shutil.copyfile(args["empty"], copy)
    tables = pickle.loads(Path(args["rows"]).read_bytes())
    connection = sqlite3.connect(copy, isolation_level=None)
    for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON"):
        connection.execute(f"PRAGMA {pragma}")
    start = time.perf_counter()
    connection.execute("BEGIN")
    for table, (columns, rows) in tables.items():
        marks = ", ".join("?" * len(columns))
        connection.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)
    connection.execute("COMMIT")
    seconds = time.perf_counter() - start
    members = connection.execute("SELECT count(*) FROM reported_members").fetchone()[0]
    connection.close()
    shutil.rmtree(folder)
    return {"seconds": seconds, "members": members}


TASKS = {
    "province_summary": province_summary,
    "sql_province": sql_province,
    "import_reports": import_reports,
    "sql_insert_reports": sql_insert_reports,
}
