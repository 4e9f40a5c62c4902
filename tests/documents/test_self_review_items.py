"""The self-review form's part B item by item: when the period scores by a criteria set, section
VII lists every item of the member's sheet (Mẫu 2A/2B/2C) under its group, with its maximum,
the self-review's points where entered (blank to write by hand otherwise), each group's
subtotal and the total; without a set the form keeps the two groups' totals. The PDF and the
Word copy come from the same model; a form that lists no items keeps its fingerprint."""

from __future__ import annotations

import dataclasses
import io
import re
from collections.abc import Mapping
from fractions import Fraction
from itertools import groupby
from typing import cast

import docx
import pytest
from sqlalchemy import event

from app.documents.data import ScoreGroup, ScoreItem
from app.documents.render_docx import iter_text
from app.documents.self_review import render_self_review
from app.domain.criteria import points_text
from app.domain.fingerprint import fingerprint
from app.services.printing import document_data
from app.services.printing import documents as printing
from app.services.procedure import item_scores
from app.services.procedure import steps as procedure_steps
from app.services.procedure import view as procedure_view
from app.services.procedure.item_scores import ItemSheet
from app.store.database import Database
from tests.documents import samples
from tests.services.procedure.criteria_support import YEAR, first_cell, open_period

CRITERIA = "qd366-2025"  # the shipped set: a sheet for each of Mẫu 2A, 2B, 2C
HEADER = "Tiêu chí Điểm tối đa Điểm tự chấm"
# The self-review's points of the scored member: 7,5 + 10 + 8 = 25,5 and 62; 87,5 in all.
POINTS = {"A.1": Fraction(15, 2), "A.2": 10, "A.3": 8, "B.1": 62}
FORM_START = "BẢN KIỂM ĐIỂM CÁ NHÂN"


# ---- the table as a reader finds it ------------------------------------------------------


def expected_table(
    sheet: ItemSheet, points: Mapping[str, int | Fraction], totals: Mapping[str, str]
) -> str:
    """The item table's text, row by row, from the member's sheet as the service lists it:
    each group's caption, its items (code and text, maximum, points or nothing), "Cộng <group>
    <maximum> <subtotal>", and "Tổng cộng 100 <total>" (*totals* by group key and "total")."""
    rows = [HEADER]
    for (key, title), grouped in groupby(
        sheet.lines, lambda line: (line.group_key, line.group_title)
    ):
        lines = list(grouped)
        rows.append(f"{key}. {title}")
        for line in lines:
            given = points.get(line.key)
            shown = points_text(Fraction(given)) if given is not None else ""
            rows.append(f"{line.key} {line.text} {points_text(line.maximum)} {shown}".strip())
        maximum = points_text(sum((line.maximum for line in lines), Fraction(0)))
        rows.append(f"Cộng {key} {maximum} {totals.get(key, '')}".strip())
    rows.append(f"Tổng cộng {points_text(sheet.maximum)} {totals.get('total', '')}".strip())
    return " ".join(rows)


def forms_of(pdf: bytes) -> list[str]:
    """Each member's form of a cell's PDF, its pages' text flattened."""
    forms: list[list[str]] = []
    for page in samples.pages(pdf):
        if FORM_START in page or not forms:
            forms.append([])
        forms[-1].append(page)
    return [re.sub(r"\s+", " ", " ".join(pages)) for pages in forms]


def evaluated(db: Database, cell: int) -> list[procedure_view.MemberLine]:
    """The cell's members with a form, in the forms' order."""
    return [m for m in procedure_view.cell_view(db, YEAR, cell).members if m.evaluated]


def form_of(forms: list[str], members: list[procedure_view.MemberLine], member_id: int) -> str:
    index = next(i for i, m in enumerate(members) if m.member_id == member_id)
    form = forms[index]
    assert f"Họ và tên: {members[index].full_name}" in form
    return form


@dataclasses.dataclass(frozen=True)
class Scored:
    db: Database
    cell: int
    members: list[procedure_view.MemberLine]
    scored: procedure_view.MemberLine  # self-review scored item by item (POINTS)
    blank: procedure_view.MemberLine  # nothing entered, of another form than *scored*


@pytest.fixture
def scored(demo_db: Database) -> Scored:
    """A period of the demo commune scoring by the shipped QĐ 366 set, one member of the first
    cell with the self-review's item points entered, another of another form with none."""
    db = open_period(demo_db)
    item_scores.choose_criteria(db, YEAR, CRITERIA, actor="Lò Thị Hoa")
    cell = first_cell(db)
    members = evaluated(db, cell)
    first = members[0]
    item_scores.enter_item_scores(db, YEAR, first.subject, "self", POINTS, actor="Lò Thị Hoa")
    sheet_of = {m.member_id: item_scores.item_sheet(db, YEAR, m.subject).sheet_key for m in members}
    blank = next(m for m in members if sheet_of[m.member_id] != sheet_of[first.member_id])
    return Scored(db, cell, members, first, blank)


SCORED_TOTALS = {"A": "25,5", "B": "62", "total": "87,5"}


# ---- through the printing service ---------------------------------------------------------


def test_every_item_of_the_members_sheet_is_printed_with_its_maximum_and_points(
    scored: Scored,
) -> None:
    pdf = printing.render_document(scored.db, YEAR, "self-review", scored.cell).pdf
    form = form_of(forms_of(pdf), scored.members, scored.scored.member_id)
    sheet = item_scores.item_sheet(scored.db, YEAR, scored.scored.subject)
    assert sheet.total == Fraction(175, 2)
    assert len(sheet.lines) >= 4
    # Every item, in the sheet's order under its group, with its maximum and the points
    # entered (7,5 printed the Vietnamese way), the subtotals and the total.
    assert expected_table(sheet, POINTS, SCORED_TOTALS) in form
    assert "A.1 Phẩm chất chính trị, đạo đức, lối sống; trách nhiệm nêu gương 10 7,5" in form
    assert "Cộng A 30 25,5" in form and "Tổng cộng 100 87,5" in form
    assert "Nhóm tiêu chí" not in form  # not the two groups' table besides


def test_a_member_without_entries_gets_every_item_with_blank_points(scored: Scored) -> None:
    pdf = printing.render_document(scored.db, YEAR, "self-review", scored.cell).pdf
    forms = forms_of(pdf)
    assert len(forms) == len(scored.members)
    form = form_of(forms, scored.members, scored.blank.member_id)
    sheet = item_scores.item_sheet(scored.db, YEAR, scored.blank.subject)
    assert sheet.entered == 0
    assert expected_table(sheet, {}, {}) in form
    # Every form lists the items of its own member's sheet, none the two groups' table.
    for member, text in zip(scored.members, forms, strict=True):
        own = item_scores.item_sheet(scored.db, YEAR, member.subject)
        points = POINTS if member.member_id == scored.scored.member_id else {}
        totals = SCORED_TOTALS if points else {}
        assert expected_table(own, points, totals) in text, member.full_name


def test_the_word_copy_has_the_item_table_too(scored: Scored) -> None:
    word = printing.render_document(scored.db, YEAR, "self-review", scored.cell, format="docx")
    lines = [line.strip() for line in iter_text(docx.Document(io.BytesIO(word.content)))]
    sheet = item_scores.item_sheet(scored.db, YEAR, scored.scored.subject)
    # The cells of the scored member's table, in reading order, as in the PDF.
    first = lines.index(f"{sheet.lines[0].key} {sheet.lines[0].text}")
    assert lines[first - 2 : first + 3] == [
        "Điểm tự chấm", "A. Tiêu chí chung", f"{sheet.lines[0].key} {sheet.lines[0].text}", "10",
        "7,5",
    ]  # fmt: skip
    cells = " ".join(line for line in lines if line)
    assert expected_table(sheet, POINTS, SCORED_TOTALS) in cells
    blank = item_scores.item_sheet(scored.db, YEAR, scored.blank.subject)
    assert expected_table(blank, {}, {}) in cells


def test_without_a_criteria_set_the_form_keeps_the_two_groups_totals(demo_db: Database) -> None:
    db = open_period(demo_db)
    cell = first_cell(db)
    members = evaluated(db, cell)
    procedure_steps.save_self_review(
        db, YEAR, members[0].member_id,
        procedure_steps.SelfReview(score_general=27.5, score_tasks=62),
    )  # fmt: skip
    forms = document_data.self_reviews(db, YEAR, cell)
    assert all(not group.items for form in forms for group in form.scores)
    pdf = printing.render_document(db, YEAR, "self-review", cell).pdf
    text = samples.flat(pdf)
    assert "Nhóm tiêu chí Điểm tối đa Điểm tự chấm" in text
    assert "A. Tiêu chí chung 30 27,5 B. Kết quả thực hiện nhiệm vụ 70 62 Tổng cộng 100 89,5" in (
        form_of(forms_of(pdf), members, members[0].member_id)
    )
    assert "A.1 " not in text and "Cộng A" not in text and HEADER not in text


# ---- the data ------------------------------------------------------------------------------


def test_the_items_of_a_cell_are_read_in_one_query(scored: Scored) -> None:
    statements: list[str] = []

    def seen(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(statement)

    engine = scored.db.engine
    event.listen(engine, "before_cursor_execute", seen)
    try:
        forms = document_data.self_reviews(scored.db, YEAR, scored.cell)
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    read = [s for s in statements if "FROM item_scores" in s]
    # One query for the cell's members (besides the cell view's own), none member by member.
    assert sum(1 for s in read if "item_scores.subject_id IN" in s) == 1
    assert not any("item_scores.subject_id = " in s for s in read)
    by_name = {form.full_name: form for form in forms}
    first = by_name[scored.scored.full_name]
    assert [(g.code, g.maximum, g.points) for g in first.scores] == [("A", 30, 25.5), ("B", 70, 62)]
    assert [(i.code, i.maximum, i.points) for g in first.scores for i in g.items] == [
        ("A.1", 10, 7.5), ("A.2", 10, 10), ("A.3", 10, 8), ("B.1", 70, 62),
    ]  # fmt: skip
    blank = by_name[scored.blank.full_name]
    assert all(i.points is None for g in blank.scores for i in g.items)
    assert all(g.points is None for g in blank.scores)


def test_typed_totals_stay_on_the_groups_of_a_member_who_scored_no_item(scored: Scored) -> None:
    procedure_steps.save_self_review(
        scored.db, YEAR, scored.blank.member_id,
        procedure_steps.SelfReview(score_general=27, score_tasks=60),
    )  # fmt: skip
    forms = {f.full_name: f for f in document_data.self_reviews(scored.db, YEAR, scored.cell)}
    groups = forms[scored.blank.full_name].scores
    assert [(g.code, g.points) for g in groups] == [("A", 27), ("B", 60)]
    assert all(i.points is None for g in groups for i in g.items)


# ---- the document alone ------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ScoreGroupBefore:
    """ScoreGroup as it was before it had items: what earlier forms were fingerprinted as."""

    code: str
    name: str
    maximum: float
    points: float | None = None


def test_a_group_without_items_keeps_the_fingerprint_it_had() -> None:
    before = ScoreGroupBefore("A", "Tiêu chí chung", 30, 27.5)
    assert fingerprint(ScoreGroup("A", "Tiêu chí chung", 30, 27.5)) == fingerprint(before)
    form = samples.self_review()
    assert form.scores and not any(group.items for group in form.scores)
    older = dataclasses.replace(
        form,
        scores=tuple(
            cast(ScoreGroup, ScoreGroupBefore(g.code, g.name, g.maximum, g.points))
            for g in form.scores
        ),
    )
    assert fingerprint(form) == fingerprint(older)
    # The items count once there are any: another list is another record.
    itemised = ScoreGroup("A", "Tiêu chí chung", 30, 27.5, (ScoreItem("A.1", "Dự họp", 30, 27.5),))
    assert fingerprint(itemised) != fingerprint(before)


def long_sheet(items: int) -> tuple[ScoreGroup, ...]:
    """A province's long sheet: *items* items in each group, long texts, some points given."""

    def group(code: str, name: str, maximum: float) -> ScoreGroup:
        each = maximum / items
        listed = tuple(
            ScoreItem(
                f"{code}.{n}",
                f"Nội dung tiêu chí số {n} của nhóm {code}: thực hiện đầy đủ, đúng tiến độ và "
                "bảo đảm chất lượng các nhiệm vụ được giao trong năm",
                each,
                each if n % 2 else None,
            )
            for n in range(1, items + 1)
        )
        return ScoreGroup(code, name, maximum, None, listed)

    return (group("A", "Tiêu chí chung", 30), group("B", "Kết quả thực hiện nhiệm vụ", 70))


def test_a_long_table_repeats_its_header_on_the_next_page_and_keeps_rows_whole() -> None:
    pdf = render_self_review(samples.self_review(scores=long_sheet(15)))
    pages = [re.sub(r"\s+", " ", page) for page in samples.pages(pdf)]
    with_table = [page for page in pages if re.search(r"[AB]\.\d+ Nội dung", page)]
    assert len(with_table) >= 2
    assert all(HEADER in page for page in with_table)  # the header on every page of it
    for code in ("A", "B"):
        for n in range(1, 16):
            row = (
                f"{code}.{n} Nội dung tiêu chí số {n} của nhóm {code}: thực hiện đầy đủ, đúng "
                "tiến độ và bảo đảm chất lượng các nhiệm vụ được giao trong năm"
            )
            assert sum(page.count(row) for page in pages) == 1, row  # whole on one page
    assert "Cộng A 30" in " ".join(pages) and "Tổng cộng 100" in " ".join(pages)


def test_points_print_exactly_the_vietnamese_way() -> None:
    third = float(Fraction(1, 3))
    groups = (
        ScoreGroup("A", "Tiêu chí chung", 30, 25.5, (
            ScoreItem("A.1", "Dự sinh hoạt chi bộ", 10, 7.5),
            ScoreItem("A.2", "Chấp hành", 10, 10),
            ScoreItem("A.3", "Tự phê bình", 10, 8),
        )),
        ScoreGroup("B", "Kết quả thực hiện nhiệm vụ", 70, None, (
            ScoreItem("B.1", "Nhiệm vụ một phần ba", 1, third),
            ScoreItem("B.2", "Nhiệm vụ còn lại", 69, None),
        )),
    )  # fmt: skip
    text = samples.flat(render_self_review(samples.self_review(scores=groups)))
    assert (
        "A. Tiêu chí chung A.1 Dự sinh hoạt chi bộ 10 7,5 A.2 Chấp hành 10 10 "
        "A.3 Tự phê bình 10 8 Cộng A 30 25,5"
    ) in text
    assert "B.1 Nhiệm vụ một phần ba 1 0,33 B.2 Nhiệm vụ còn lại 69 Cộng B 70 Tổng cộng 100" in text
    assert "Nhóm tiêu chí" not in text
