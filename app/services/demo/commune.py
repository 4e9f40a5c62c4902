"""A realistic demo database: a merged commune in Điện Biên, or a whole former district.

The data is fictional but shaped like the real thing: village cells of Thái and
H'Mông families, agency cells of the new commune, office-holders in every cell, a few
probationary and newly admitted members, elderly exempt members, one suspended, a few
discipline and leave records. The same seed always gives the same database.
"""

from __future__ import annotations

import datetime as dt
import gc
import random
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, insert, select

from app.domain import clock
from app.domain.collation import name_key
from app.domain.vocabulary import DisciplineForm, FormCategory, Gender, OrgKind, PeriodKind
from app.services.common.errors import ServiceError
from app.services.common.progress import SILENT, Progress
from app.services.demo import history as demo_history
from app.services.demo import names
from app.services.demo import procedure as demo_procedure
from app.store.build import fill_whole
from app.store.database import Database
from app.store.models import (
    CellMembership,
    Discipline,
    Member,
    MemberPeriod,
    Organization,
    PostHolding,
    PostKind,
)

SIZES = ("commune", "district")
DISTRICT_MEMBERS = 6185
DISTRICT_CELLS_UNDER_COMMITTEES = 584


@dataclass
class _Org:
    code: str
    name: str
    kind: OrgKind
    parent: str | None
    place: str = ""
    superior_line: str = ""
    established_on: dt.date | None = None
    style: str = "village"  # village (Thái), highland (H'Mông), agency, armed, school
    size: int = 0


@dataclass
class _Person:
    code: str
    full_name: str
    gender: Gender
    birth_date: dt.date
    admitted_on: dt.date
    official_on: dt.date | None
    cell: str
    form_category: FormCategory
    civil_servant: bool
    card_number: str
    party_post: str = ""
    other_post: str = ""
    periods: list[tuple[PeriodKind, dt.date, dt.date | None, str]] = field(default_factory=list)
    disciplines: list[tuple[dt.date, DisciplineForm, str, bool]] = field(default_factory=list)


def year_under_way(today: dt.date) -> int:
    """The year whose evaluation a commune is busy with on *today*: the meetings are held from
    October to December and the commune decides in January, so in January it is still last
    year's."""
    return today.year - 1 if today.month == 1 else today.year


class DemoGenerator:
    def __init__(self, seed: int, today: dt.date) -> None:
        self.random = random.Random(seed)
        self.today = today
        self.year = year_under_way(today)
        self._member_number = 0

    def _past(self, day: dt.date) -> dt.date:
        """*day*, or a few days before today if *day* has not come yet: the demo's records are
        of things that happened."""
        return min(day, self.today - dt.timedelta(days=3))

    # ---- people -----------------------------------------------------------------------
    def _pick(self, weighted: list[tuple[str, int]]) -> str:
        return self.random.choices([n for n, _ in weighted], [w for _, w in weighted])[0]

    def name(self, style: str, gender: Gender) -> str:
        r = self.random
        male = gender is Gender.MALE
        ethnic = style
        if style in ("agency", "armed", "school"):
            ethnic = r.choices(["kinh", "village", "highland"], [60, 30, 10])[0]
        elif style == "village":
            ethnic = r.choices(["village", "kinh"], [88, 12])[0]
        elif style == "highland":
            ethnic = r.choices(["highland", "village", "kinh"], [90, 5, 5])[0]
        if ethnic == "village":
            middle = "Văn" if male else "Thị"
            given = r.choice(names.THAI_GIVEN_MALE if male else names.THAI_GIVEN_FEMALE)
            return f"{self._pick(names.THAI_FAMILY)} {middle} {given}"
        if ethnic == "highland":
            middle = "A" if male else "Thị"
            given = r.choice(names.HMONG_GIVEN_MALE if male else names.HMONG_GIVEN_FEMALE)
            return f"{self._pick(names.HMONG_FAMILY)} {middle} {given}"
        middle = r.choice(names.KINH_MIDDLE_MALE if male else names.KINH_MIDDLE_FEMALE)
        given = r.choice(names.KINH_GIVEN_MALE if male else names.KINH_GIVEN_FEMALE)
        return f"{self._pick(names.KINH_FAMILY)} {middle} {given}"

    def _date_between(self, start: dt.date, end: dt.date) -> dt.date:
        span = max((end - start).days, 0)
        return start + dt.timedelta(days=self.random.randint(0, span))

    def person(self, cell: _Org, *, probationary: bool = False, elderly: bool = False) -> _Person:
        r = self.random
        self._member_number += 1
        women = 0.45 if cell.style in ("school", "agency") else 0.3
        gender = Gender.FEMALE if r.random() < women else Gender.MALE
        today = self.today
        if elderly:
            birth = self._date_between(dt.date(1938, 1, 1), dt.date(1952, 12, 31))
        elif cell.style in ("agency", "armed", "school"):
            birth = self._date_between(
                dt.date(today.year - 58, 1, 1), dt.date(today.year - 24, 1, 1)
            )
        else:
            birth = self._date_between(
                dt.date(today.year - 78, 1, 1), dt.date(today.year - 22, 1, 1)
            )
        adult = (
            birth.replace(year=birth.year + 18)
            if birth.month != 2 or birth.day != 29
            else (dt.date(birth.year + 18, 3, 1))
        )
        if probationary:
            admitted = self._date_between(
                today - dt.timedelta(days=330), today - dt.timedelta(days=20)
            )
            admitted = max(admitted, adult)
            official = None
        else:
            latest = min(today - dt.timedelta(days=400), adult.replace(year=adult.year + 30))
            admitted = self._date_between(adult, max(adult, latest))
            official = admitted + dt.timedelta(days=365 + r.randint(0, 40))
            if official > today:
                official = None
        if cell.style in ("agency", "school") or cell.style == "armed":
            category = FormCategory.A
        else:
            category = FormCategory.C
        return _Person(
            code=f"DV{self._member_number:05d}",
            full_name=self.name(cell.style, gender),
            gender=gender,
            birth_date=birth,
            admitted_on=admitted,
            official_on=official,
            cell=cell.code,
            form_category=category,
            civil_servant=cell.style in ("agency", "school"),
            card_number=""
            if r.random() < 0.08
            else f"{r.randint(1, 99):02d}.{r.randint(0, 999999):06d}",
        )

    def staff_cell(self, cell: _Org) -> list[_Person]:
        r = self.random
        people: list[_Person] = []
        for _ in range(cell.size):
            probationary = r.random() < 0.05
            elderly = cell.style in ("village", "highland") and r.random() < 0.035
            people.append(
                self.person(cell, probationary=probationary and not elderly, elderly=elderly)
            )
        # Office-holders: officials, not exempt, not the eldest.
        candidates = [p for p in people if p.official_on is not None and p.birth_date.year > 1955]
        # Cells elect experienced members: draw the office-holders from the senior half.
        candidates.sort(key=lambda p: p.admitted_on)
        senior = candidates[: max(4, len(candidates) // 2)]
        r.shuffle(senior)
        candidates = senior + candidates[len(senior) :]
        official_count = sum(1 for p in people if p.official_on is not None)
        posts = ["Bí thư chi bộ"]
        if cell.size >= 5:
            posts.append("Phó Bí thư chi bộ")
        if official_count >= 9:
            posts.extend(["Chi ủy viên"] * (1 if official_count < 15 else 3))
        for holder, post in zip(candidates, posts, strict=False):
            holder.party_post = post
            if post.startswith(("Bí thư", "Phó Bí thư")):
                holder.form_category = FormCategory.B
        if cell.name == names.COMMITTEE_OFFICE_CELL:
            # The commune committee's secretary belongs to the committee's own office cell;
            # they sign the commune's decision.
            leader = next((p for p in candidates if not p.party_post), None)
            if leader is not None:
                leader.party_post = "Bí thư Đảng ủy xã"
                leader.form_category = FormCategory.B
        other_posts = (
            names.VILLAGE_OTHER_POSTS
            if cell.style in ("village", "highland")
            else names.AGENCY_OTHER_POSTS.get(cell.name, ["Chuyên viên", "Nhân viên"])
        )
        working = (p for p in people if p.official_on is not None and p.birth_date.year > 1955)
        for index, person in enumerate(working):
            if index < len(other_posts) and r.random() < 0.8:
                person.other_post = other_posts[index]
                if index < 2 and cell.style not in ("village", "highland"):
                    person.form_category = FormCategory.B
        return people

    def history(self, people: list[_Person]) -> None:
        """Exemptions for the elderly, and a handful of the rarer records a commune has."""
        r = self.random
        year = self.year
        past = self._past
        for person in people:
            if person.birth_date.year <= 1952 and not person.party_post and r.random() < 0.45:
                earliest = max(dt.date(year - 6, 1, 1), person.official_on or person.admitted_on)
                since = self._date_between(earliest, max(earliest, dt.date(year - 1, 6, 30)))
                person.periods.append((PeriodKind.EXEMPT, since, None, "Tuổi cao, sức yếu"))
        ordinary = [
            p for p in people if p.official_on is not None and not p.periods and not p.party_post
        ]
        r.shuffle(ordinary)
        picks = iter(ordinary)
        share = max(1, len(people) // 600)
        for _ in range(share):
            p = next(picks)
            p.disciplines.append(
                (past(dt.date(year, 5, 12)), DisciplineForm.REPRIMAND, "Sinh con thứ ba", False)
            )
            p = next(picks)
            p.disciplines.append(
                (
                    dt.date(year - 1, 9, 3),
                    DisciplineForm.WARNING,
                    "Vi phạm quy định về quản lý đất đai",
                    False,
                )
            )
            p = next(picks)
            p.disciplines.append(
                (
                    past(dt.date(year, 3, 20)),
                    DisciplineForm.REPRIMAND,
                    "Chậm nộp đảng phí; tự phát hiện, đã khắc phục",
                    True,
                )
            )
            p = next(picks)
            p.periods.append(
                (PeriodKind.SUSPENDED, past(dt.date(year, 8, 1)), None, "Đang bị xem xét kỷ luật")
            )
            for _ in range(2):
                p = next(picks)
                start = past(dt.date(year, 2, 10))
                p.periods.append(
                    (
                        PeriodKind.SICK_LEAVE,
                        start,
                        start + dt.timedelta(days=120),
                        "Điều trị dài ngày",
                    )
                )
            women = [
                q for q in ordinary if q.gender is Gender.FEMALE and q.birth_date.year > year - 40
            ]
            if women:
                p = women[0]
                p.periods.append(
                    (
                        PeriodKind.MATERNITY_LEAVE,
                        past(dt.date(year, 1, 15)),
                        dt.date(year, 7, 15),
                        "",
                    )
                )
            p = next(picks)
            p.periods.append(
                (
                    PeriodKind.TEMPORARY,
                    dt.date(year - 1, 10, 1),
                    None,
                    "Sinh hoạt tạm thời tại Chi bộ Công ty Cao su Điện Biên",
                )
            )
        # One or two members admitted less than six months ago.
        young = [p for p in people if p.official_on is None]
        for person in young[: 2 * share]:
            person.admitted_on = self.today - dt.timedelta(days=r.randint(30, 150))


def commune_plan(gen: DemoGenerator) -> list[_Org]:
    r = gen.random
    root = _Org(
        "XNT",
        "Đảng bộ xã Na Tông",
        OrgKind.COMMITTEE,
        None,
        place="Na Tông",
        superior_line="Đảng bộ tỉnh Điện Biên",
        established_on=dt.date(1962, 3, 1),
    )
    orgs = [root]
    villages = [(v, "village") for v in names.THAI_VILLAGES] + [
        (v, "highland") for v in names.HMONG_VILLAGES
    ]
    number = 0
    for village, style in villages:
        number += 1
        size = max(8, min(30, round(r.gauss(17.5, 5))))
        orgs.append(
            _Org(
                f"CB{number:02d}",
                f"Chi bộ bản {village}",
                OrgKind.CELL,
                "XNT",
                place="Na Tông",
                established_on=dt.date(r.randint(1965, 2005), r.randint(1, 12), 1),
                style=style,
                size=size,
            )
        )
    for cell_name, style in names.AGENCY_CELLS:
        number += 1
        size = max(5, min(25, round(r.gauss(15, 5))))
        orgs.append(
            _Org(
                f"CB{number:02d}",
                cell_name,
                OrgKind.CELL,
                "XNT",
                place="Na Tông",
                # The party office's cell was formed when the communes merged (1/7/2025).
                established_on=dt.date(2025, 7, 1)
                if cell_name == "Chi bộ Cơ quan Đảng ủy"
                else dt.date(r.randint(1985, 2010), r.randint(1, 12), 1),
                style=style,
                size=size,
            )
        )
    return orgs


def district_plan(gen: DemoGenerator) -> list[_Org]:
    """69 grassroots organisations: 28 đảng bộ with 584 cells, and 41 chi bộ cơ sở; 6,185
    members in all (the Điện Biên district of 2017)."""
    r = gen.random
    root = _Org(
        "HDB",
        "Đảng bộ huyện Điện Biên",
        OrgKind.COMMITTEE,
        None,
        place="Điện Biên",
        superior_line="Đảng bộ tỉnh Điện Biên",
        established_on=dt.date(1950, 1, 1),
    )
    orgs = [root]
    committees = [(f"Đảng bộ xã {c}", c, "village") for c in names.DISTRICT_COMMUNES] + [
        (c, "Điện Biên", "agency") for c in names.DISTRICT_AGENCY_COMMITTEES
    ]
    cells_left = DISTRICT_CELLS_UNDER_COMMITTEES
    for index, (committee, place, style) in enumerate(committees, start=1):
        code = f"DB{index:02d}"
        orgs.append(
            _Org(
                code,
                committee,
                OrgKind.COMMITTEE,
                "HDB",
                place=place,
                established_on=dt.date(1960, 1, 1),
                style=style,
            )
        )
        remaining = len(committees) - index
        count = cells_left if remaining == 0 else max(8, min(35, round(r.gauss(21, 6))))
        count = min(count, cells_left - 8 * remaining)
        cells_left -= count
        for number in range(1, count + 1):
            if style == "village":
                village_style = r.choice(["village", "village", "highland"])
                cell_name = f"Chi bộ bản {number}, xã {place}"
            else:
                village_style, cell_name = "agency", f"Chi bộ {number}, {committee}"
            orgs.append(
                _Org(
                    f"{code}-{number:02d}",
                    cell_name,
                    OrgKind.CELL,
                    code,
                    place=place,
                    established_on=dt.date(1975, 1, 1),
                    style=village_style,
                )
            )
    for index, cell_name in enumerate(names.DISTRICT_BASE_CELLS, start=1):
        orgs.append(
            _Org(
                f"CS{index:02d}",
                cell_name,
                OrgKind.CELL,
                "HDB",
                place="Điện Biên",
                established_on=dt.date(1980, 1, 1),
                style="agency",
            )
        )
    cells = [o for o in orgs if o.kind is OrgKind.CELL]
    sizes = [max(4, min(30, round(r.gauss(9.9, 3.5)))) for _ in cells]
    difference = DISTRICT_MEMBERS - sum(sizes)
    while difference:
        index = r.randrange(len(sizes))
        step = 1 if difference > 0 else -1
        if 4 <= sizes[index] + step <= 30:
            sizes[index] += step
            difference -= step
    for cell, size in zip(cells, sizes, strict=True):
        cell.size = size
    return orgs


def create_demo_database(
    path: Path | str,
    size: str = "commune",
    year: int | None = None,
    seed: int = 2025,
    progress: Progress = SILENT,
) -> tuple[Database, int, int]:
    """The demo in the database file *path*, made whole or not at all; return the open
    database (the caller closes it) and the organisations and members written.

    A new file is built beside *path* and renamed into place once complete, and an existing
    (empty) database is filled in one transaction (see ``store.build``): a demo killed or
    cancelled part-way leaves *path* as it was, never a half-built database. *path* may be a
    server database's URL: an empty one is migrated and filled in one transaction."""
    if size not in SIZES:  # before any file is made
        raise ServiceError(f"Cỡ dữ liệu mẫu “{size}” không có; chọn commune hoặc district")
    db, (orgs, members) = fill_whole(path, lambda db: create_demo(db, size, year, seed, progress))
    return db, orgs, members


def create_demo(
    db: Database,
    size: str = "commune",
    year: int | None = None,
    seed: int = 2025,
    progress: Progress = SILENT,
    with_periods: bool = True,
) -> tuple[int, int]:
    """Fill an empty database with demo data; return (organisations, members) written.

    The commune also gets its evaluation periods (unless *with_periods* is False): the last
    full year carried through every step and decided, and the current year under way."""
    # Building the demo allocates a great many short-lived objects; the cyclic collector
    # would run over them hundreds of times for nothing (a twentieth of the time). What
    # cycles there are, it collects once the demo is written.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _create(db, size, year, seed, progress, with_periods)
    finally:
        if collecting:
            gc.enable()


def _create(
    db: Database,
    size: str,
    year: int | None,
    seed: int,
    progress: Progress,
    with_periods: bool,
) -> tuple[int, int]:
    if size not in SIZES:
        raise ServiceError(f"Cỡ dữ liệu mẫu “{size}” không có; chọn commune hoặc district")
    today = clock.today()
    if year is not None and year != today.year:
        today = min(today, dt.date(year, 11, 20))
    with db.session() as session:
        if session.scalar(select(func.count(Organization.id))):
            raise ServiceError(
                "Cơ sở dữ liệu này đã có dữ liệu; dữ liệu mẫu chỉ tạo trong cơ sở dữ liệu trống"
            )
    gen = DemoGenerator(seed, today)
    orgs = commune_plan(gen) if size == "commune" else district_plan(gen)
    people: list[_Person] = []
    cells = [o for o in orgs if o.kind is OrgKind.CELL]
    for index, cell in enumerate(cells):
        people.extend(gen.staff_cell(cell))
        if index % 50 == 0:
            progress.step(index, len(cells) * 2, "Đang tạo danh sách đảng viên")
    gen.history(people)
    _write(db, orgs, people, progress)
    current = gen.year
    if with_periods:
        # Years of decided results first, so the screening list and the trends have history.
        history = list(range(current - 5, current - 1 if size == "commune" else current))
        demo_history.add_history(db, history, seed + 3, progress)
    if with_periods and size == "commune":
        demo_procedure.decided_year(db, current - 1, seed + 1, progress)
        demo_procedure.current_year(db, current, seed + 2, progress, today)
    return len(orgs), len(people)


def _write(db: Database, orgs: list[_Org], people: list[_Person], progress: Progress) -> None:
    with db.session() as session:
        ids: dict[str, int] = {}
        for position, org in enumerate(orgs):
            row = Organization(
                code=org.code,
                name=org.name,
                kind=org.kind,
                parent_id=ids[org.parent] if org.parent else None,
                place_name=org.place,
                superior_line=org.superior_line,
                established_on=org.established_on,
                position=position if org.kind is not OrgKind.CELL else 0,
            )
            session.add(row)
            session.flush()
            ids[org.code] = row.id
        progress.step(len(people) // 2, len(people), "Đang ghi đảng viên")
        member_ids = session.scalars(
            insert(Member).returning(Member.id, sort_by_parameter_order=True),
            [
                {
                    "code": p.code,
                    "full_name": p.full_name,
                    "name_key": name_key(p.full_name),
                    "birth_date": p.birth_date,
                    "gender": p.gender,
                    "card_number": p.card_number,
                    "admitted_on": p.admitted_on,
                    "official_on": p.official_on,
                    "form_category": p.form_category,
                    "is_civil_servant": p.civil_servant,
                }
                for p in people
            ],
        ).all()
        memberships, posts, periods, disciplines = [], [], [], []
        for member_id, p in zip(member_ids, people, strict=True):
            memberships.append({"member_id": member_id, "org_id": ids[p.cell]})
            for kind, title in ((PostKind.PARTY, p.party_post), (PostKind.OTHER, p.other_post)):
                if title:
                    posts.append({"member_id": member_id, "kind": kind, "title": title})
            for kind, start, end, note in p.periods:
                periods.append(
                    {
                        "member_id": member_id,
                        "kind": kind,
                        "start_on": start,
                        "end_on": end,
                        "note": note,
                    }
                )
            for decided, form, reason, remedied in p.disciplines:
                disciplines.append(
                    {
                        "member_id": member_id,
                        "decided_on": decided,
                        "form": form,
                        "reason": reason,
                        "self_detected_remedied": remedied,
                    }
                )
        for model, rows in (
            (CellMembership, memberships),
            (PostHolding, posts),
            (MemberPeriod, periods),
            (Discipline, disciplines),
        ):
            if rows:
                session.execute(insert(model), rows)
        progress.step(len(people), len(people), "Đang lưu")
