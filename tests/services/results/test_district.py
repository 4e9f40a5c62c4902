"""A results workbook for a district of 69 grassroots organisations and
6,185 members imports, and the summary's figures match figures computed here, straight from
the workbook's rows (not through the app's reading or summary code)."""

from __future__ import annotations

import random
import re
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from app.services.demo.commune import create_demo
from app.services.results import workbook as results_workbook
from app.services.summary import report as summary
from app.store.database import Database
from app.store.models import Member, Organization

YEAR = 2017
# The words a district office would type, several spellings for each level.
MEMBER_WORDS = {
    "HTXSNV": ["Hoàn thành xuất sắc nhiệm vụ", "HTXSNV", "htxsnv"],
    "HTTNV": ["Hoàn thành tốt nhiệm vụ", "HTTNV", "hoàn thành tốt nhiệm vụ "],
    "HTNV": ["Hoàn thành nhiệm vụ", "HTNV"],
    "KHTNV": ["Không hoàn thành nhiệm vụ", "KHTNV", "Không HTNV"],
}
MEMBER_RATES = {"HTXSNV": 14, "HTTNV": 77, "HTNV": 6, "KHTNV": 1}
REASONS = {  # words in the file → how the summary must label them
    "Miễn sinh hoạt": "Miễn sinh hoạt",
    "Mới kết nạp tháng 10/2017": "Mới kết nạp dưới 6 tháng",
    "Đình chỉ sinh hoạt đảng": "Đình chỉ sinh hoạt",
    "Chuyển sinh hoạt đi nơi khác": "Chuyển sinh hoạt",
}
ORG_WORDS = {
    "TSVM": ["Trong sạch, vững mạnh", "TSVM"],
    "TSVM_TB": ["TSVM tiêu biểu", "Trong sạch, vững mạnh tiêu biểu"],
    "HTTNV": ["Hoàn thành tốt nhiệm vụ"],
    "HTNV": ["HTNV"],
    "YK": ["Yếu kém"],
}
ORG_RATES = {"TSVM": 40, "TSVM_TB": 10, "HTTNV": 42, "HTNV": 6, "YK": 2}


@pytest.fixture(scope="module")
def district_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("district") / "district.sqlite"
    with Database.open(path, create=True) as db:
        create_demo(db, "district")
    return path


@pytest.fixture
def district(tmp_path: Path, district_template: Path) -> Iterator[Database]:
    path = tmp_path / "district.sqlite"
    shutil.copyfile(district_template, path)
    with Database.open(path) as db:
        yield db


def write_workbook(db: Database, path: Path) -> Path:
    """Every member and every organisation below the district, with a result for 2017."""
    rng = random.Random(17)
    with db.session() as session:
        people = session.execute(select(Member.code, Member.full_name).order_by(Member.id)).all()
        orgs = session.execute(
            select(Organization.code).where(Organization.parent_id.is_not(None))
        ).all()
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Đảng viên"
    sheet.append(["Năm", "Mã", "Họ và tên", "Xếp loại", "Lý do không xếp loại"])
    for code, name in people:
        if rng.random() < 0.04:
            sheet.append([YEAR, code, name, "Không xếp loại", rng.choice(list(REASONS))])
            continue
        level = rng.choices(list(MEMBER_RATES), list(MEMBER_RATES.values()))[0]
        sheet.append([YEAR, code, name, rng.choice(MEMBER_WORDS[level]), None])
    org_sheet = workbook.create_sheet("Tổ chức")
    org_sheet.append(["Năm", "Mã", "Xếp loại"])
    for (code,) in orgs:
        level = rng.choices(list(ORG_RATES), list(ORG_RATES.values()))[0]
        org_sheet.append([str(YEAR), code, rng.choice(ORG_WORDS[level])])
    workbook.save(path)
    return path


def percent(part: int, whole: int) -> str:
    # Two decimals, rounded half up, trailing zeros dropped: 78,84%; 77,5%; 100%.
    hundredths = (part * 20000 + whole) // (whole * 2)
    whole_part, fraction = divmod(hundredths, 100)
    decimals = f"{fraction:02d}".rstrip("0")
    return f"{whole_part},{decimals}%" if decimals else f"{whole_part}%"


def thousands(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def figures_from_file(path: Path) -> dict[str, Counter[str]]:
    """Counts read straight from the rows: members by level and by reason, grassroots
    organisations (codes DBnn, CSnn) and the cells under them (DBnn-mm) by level."""
    back = {word.strip().casefold(): code for code, words in MEMBER_WORDS.items() for word in words}
    org_back = {word.casefold(): code for code, words in ORG_WORDS.items() for word in words}
    workbook = load_workbook(path, read_only=True)
    found: dict[str, Counter[str]] = {
        "members": Counter(),
        "reasons": Counter(),
        "grassroots": Counter(),
        "cells": Counter(),
    }
    for row in list(workbook["Đảng viên"].iter_rows(values_only=True))[1:]:
        level, reason = row[3], row[4]
        if level == "Không xếp loại":
            found["reasons"][REASONS[reason]] += 1
        else:
            found["members"][back[level.strip().casefold()]] += 1
    for row in list(workbook["Tổ chức"].iter_rows(values_only=True))[1:]:
        group = "cells" if re.fullmatch(r"DB\d\d-\d\d", row[1]) else "grassroots"
        found[group][org_back[row[2].casefold()]] += 1
    workbook.close()
    return found


@pytest.mark.engine_independent  # a district's workbook; the import on both: test_workbook
def test_a_district_workbook_imports_and_the_summary_matches_it(
    district: Database, tmp_path: Path
) -> None:
    path = write_workbook(district, tmp_path / "ket-qua-2017.xlsx")
    plan = results_workbook.plan_import(district, path)
    assert [(y.year, y.new_period, y.members, y.orgs) for y in plan.years] == [
        (YEAR, True, 6185, 69 + 584)
    ]
    result = results_workbook.apply_import(district, plan)
    assert (result.members_written, result.periods_created) == (6185, 1)

    # How fast is the benchmarks' business (tests/benchmarks, the "summary" row).
    s = summary.summarize(district, YEAR)
    expected = figures_from_file(path)
    assert sorted(expected["members"]) == ["HTNV", "HTTNV", "HTXSNV", "KHTNV"]

    members = s.members
    evaluated = sum(expected["members"].values())
    assert (members.total, members.evaluated) == (6185, evaluated)
    for code, count in expected["members"].items():
        figure = members.level(code)
        assert figure is not None
        assert (figure.count, figure.share) == (count, percent(count, evaluated)), code
    assert sorted(expected["reasons"]) == sorted(REASONS.values())
    assert {r.label: r.count for r in members.not_evaluated} == dict(expected["reasons"])
    assert s.ratio.text == (
        f"{thousands(expected['members']['HTXSNV'])}/{thousands(expected['members']['HTTNV'])}"
        f" ({percent(expected['members']['HTXSNV'], expected['members']['HTTNV'])})"
    )

    for group, counts in (
        (s.organisations, expected["grassroots"]),
        (s.subordinate, expected["cells"]),
    ):
        assert group is not None
        total = sum(counts.values())
        assert group.total == group.evaluated == total
        tsvm = group.level("TSVM")
        assert tsvm is not None and tsvm.of_which is not None
        both = counts["TSVM"] + counts["TSVM_TB"]
        assert (tsvm.count, tsvm.share) == (both, percent(both, total))
        assert (tsvm.of_which.count, tsvm.of_which.share) == (
            counts["TSVM_TB"],
            percent(counts["TSVM_TB"], total),
        )
        for code in ("HTTNV", "HTNV", "YK"):
            figure = group.level(code)
            assert figure is not None
            assert (figure.count, figure.share) == (counts[code], percent(counts[code], total))
    assert s.organisations is not None and s.organisations.total == 69
    assert s.subordinate is not None and s.subordinate.total == 584
