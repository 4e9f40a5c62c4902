"""The benchmark data, made once into a cache folder (build/bench/ by default).

Full size: the district demo (6,185 members, five decided years), the commune demo (every
year, the last full year decided), a generated 10,000-member workbook in the members-workbook
format, a 60,000-member database for the filter, and the text of every page the commune's
"print everything" writes (for the reportlab baseline and the .docx files of the LibreOffice
baseline). Quick size (the smoke test): the commune stands in for the district, one cell is
printed, the workbook and the filter use the commune's members.

The cache is kept while the schema (the list of migrations) and the size stay the same.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from pypdf import PdfReader

from app import paths
from app.domain.vocabulary import OrgKind
from app.services.common.progress import SILENT
from app.services.demo.commune import DemoGenerator, _write, create_demo, district_plan
from app.services.printing import documents as printing
from app.services.procedure import board as procedure_board
from app.services.roster import workbook as members_workbook
from app.store.database import Database
from app.store.models import Organization
from tests.benchmarks.docx import write_docx

WORKBOOK_MEMBERS = 10_000
FILTER_MEMBERS = 60_000
MANIFEST = "data.json"


@dataclass(frozen=True)
class BenchData:
    folder: Path
    district: Path
    district_year: int
    district_members: int
    commune: Path
    commune_year: int
    print_unit: int | None  # None: the whole commune; quick mode prints one cell
    print_files: int
    print_pages: int
    pages: Path  # JSON: one list of page texts per printed file
    docx: Path  # one .docx per printed file, same text
    empty: Path
    workbook: Path
    workbook_members: int
    filter_db: Path
    filter_members: int

    def to_json(self) -> str:
        return json.dumps(
            {k: str(v) if isinstance(v, Path) else v for k, v in asdict(self).items()}, indent=1
        )

    @classmethod
    def from_json(cls, text: str) -> BenchData:
        raw = json.loads(text)
        kinds = cls.__dataclass_fields__
        return cls(
            **{k: Path(v) if kinds[k].type == "Path" else v for k, v in raw.items() if k in kinds}
        )


def _stamp(quick: bool, commune: Path | None) -> str:
    versions = sorted(p.name for p in paths.migrations_dir().glob("versions/*.py"))
    return json.dumps({"quick": quick, "commune": str(commune or ""), "schema": versions})


def prepare(
    folder: Path, *, quick: bool, commune: Path | None = None, fresh: bool = False
) -> BenchData:
    """The data in *folder*, made now unless a cache of the same schema and size is there."""
    folder = folder.resolve()
    manifest = folder / MANIFEST
    stamp = _stamp(quick, commune)
    if not fresh and manifest.exists() and (folder / "stamp.json").read_text() == stamp:
        return BenchData.from_json(manifest.read_text())
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    data = _make(folder, quick, commune)
    manifest.write_text(data.to_json())
    (folder / "stamp.json").write_text(stamp)
    return data


def _log(text: str) -> None:
    print(f"  [dữ liệu] {text}", flush=True)


def _make(folder: Path, quick: bool, commune_source: Path | None) -> BenchData:
    commune = folder / "commune.sqlite"
    if commune_source is not None:
        shutil.copyfile(commune_source, commune)
    else:
        _log("xã mẫu")
        _demo(commune, "commune")
    if quick:
        district = commune
    else:
        district = folder / "district.sqlite"
        _log("huyện mẫu (6.185 đảng viên)")
        _demo(district, "district")
    empty = folder / "empty.sqlite"
    Database.open(empty, create=True).close()

    commune_year = _last_decided(commune)
    unit = _first_cell(commune, commune_year) if quick else None
    _log("in thử toàn bộ văn bản để lấy số trang")
    pages = _print_pages(commune, commune_year, unit, folder / "printed")
    (folder / "pages.json").write_text(json.dumps(pages, ensure_ascii=False))
    docx = folder / "docx"
    docx.mkdir()
    for index, texts in enumerate(pages, start=1):
        write_docx(docx / f"{index:03d}.docx", texts)

    workbook = folder / "members.xlsx"
    if quick:
        with _opened(commune) as db:
            workbook_members = members_workbook.export_members(db, workbook)
        filter_db, filter_members = commune, _count_members(commune)
    else:
        _log(f"tệp Excel {WORKBOOK_MEMBERS} đảng viên")
        scratch = folder / "workbook-source.sqlite"
        _scaled(scratch, WORKBOOK_MEMBERS, seed=11)
        with _opened(scratch) as db:
            workbook_members = members_workbook.export_members(db, workbook)
        for leftover in folder.glob("workbook-source.sqlite*"):
            leftover.unlink()
        _log(f"cơ sở dữ liệu {FILTER_MEMBERS} đảng viên")
        filter_db = folder / "members-60000.sqlite"
        _scaled(filter_db, FILTER_MEMBERS, seed=13)
        filter_members = _count_members(filter_db)
    return BenchData(
        folder=folder,
        district=district,
        district_year=_last_decided(district),
        district_members=_count_members(district),
        commune=commune,
        commune_year=commune_year,
        print_unit=unit,
        print_files=len(pages),
        print_pages=sum(len(p) for p in pages),
        pages=folder / "pages.json",
        docx=docx,
        empty=empty,
        workbook=workbook,
        workbook_members=workbook_members,
        filter_db=filter_db,
        filter_members=filter_members,
    )


class _opened:
    def __init__(self, path: Path, create: bool = False) -> None:
        self.db = Database.open(path, create=create)

    def __enter__(self) -> Database:
        return self.db

    def __exit__(self, *_exc: object) -> None:
        self.db.close()


def _demo(path: Path, size: str) -> None:
    with _opened(path, create=True) as db:
        create_demo(db, size)


def _scaled(path: Path, total: int, seed: int) -> None:
    """The district's organisations with *total* members spread over its cells like the demo."""
    gen = DemoGenerator(seed, dt.date.today())
    orgs = district_plan(gen)
    cells = [o for o in orgs if o.kind is OrgKind.CELL]
    factor = total / sum(c.size for c in cells)
    for cell in cells:
        cell.size = max(1, round(cell.size * factor))
    difference = total - sum(c.size for c in cells)
    index = 0
    while difference:
        step = 1 if difference > 0 else -1
        cell = cells[index % len(cells)]
        if cell.size + step >= 1:
            cell.size += step
            difference -= step
        index += 1
    people = [person for cell in cells for person in gen.staff_cell(cell)]
    gen.history(people)
    with _opened(path, create=True) as db:
        _write(db, orgs, people, SILENT)


def _sql(path: Path, query: str, *args: object) -> list[tuple]:
    connection = sqlite3.connect(path)
    try:
        return connection.execute(query, args).fetchall()
    finally:
        connection.close()


def _last_decided(path: Path) -> int:
    rows = _sql(path, "SELECT max(year) FROM evaluation_periods WHERE state = 'decided'")
    if not rows or rows[0][0] is None:
        raise SystemExit(f"{path}: không có năm nào đã quyết định kết quả")
    return int(rows[0][0])


def _count_members(path: Path) -> int:
    query = "SELECT count(*) FROM cell_memberships WHERE end_on IS NULL"
    return int(_sql(path, query)[0][0])


def _first_cell(path: Path, year: int) -> int:
    with _opened(path) as db:
        rows = procedure_board.board(db, year)
        with db.session() as session:
            for row in rows:
                org = session.get(Organization, row.cell_id)
                if org is not None and org.kind == OrgKind.CELL:
                    return row.cell_id
    raise SystemExit("không có chi bộ để in")


def _print_pages(commune: Path, year: int, unit: int | None, out: Path) -> list[list[str]]:
    """Print once (on a copy) and keep the text of every page of every file written."""
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "commune.sqlite"
        shutil.copyfile(commune, copy)
        with _opened(copy) as db:
            report = printing.print_all(db, year, out, unit)
    pages = [
        [page.extract_text() or "" for page in PdfReader(path).pages] for path in report.written
    ]
    shutil.rmtree(out)
    return pages
