"""The quarterly self-rating form (issue 24, "Phiếu tự đánh giá, xếp loại chất lượng theo quý"):
one form per member the rule set rates by quarter, for one quarter — the party heading, "Quý III
năm 2026", the member's particulars, the score frame (every item of the member's criteria sheet
when the period scores by a set, else the two groups) with the quarter's stored totals, the
stored levels ticked, the superior's part; the fourth quarter's form with the four quarters and
the year drawn from them in words. PDF and Word copy; a cell nobody there is rated quarterly
gets a message; ``danhgia print quarter-rating`` from the command line."""

from __future__ import annotations

import dataclasses
import io
import re
from collections.abc import Iterator
from fractions import Fraction
from itertools import groupby
from pathlib import Path

import docx
import pytest
from sqlalchemy import delete, select

from app.__main__ import main
from app.documents import DOCUMENT_KINDS
from app.documents.data import QuarterRatingData
from app.documents.model import Block, CheckBoxes, KeepTogether
from app.documents.quarter_rating import render_quarter_rating
from app.documents.render_docx import TICKED, iter_text
from app.domain.criteria import points_text
from app.domain.quarters import QuarterRating
from app.services.common.errors import ServiceError
from app.services.printing import documents as printing
from app.services.printing import quarter_data
from app.services.procedure import item_scores, quarters
from app.services.procedure import view as procedure_view
from app.services.roster import organizations
from app.store.database import Database
from app.store.models import MemberEvaluation, PostHolding
from tests.documents import samples
from tests.services.procedure.criteria_support import YEAR, first_cell, open_period, post_holder

KIND = "quarter-rating"
HEADER = "Tiêu chí Điểm tối đa Tự chấm Cấp trên chấm"
# The page frame's text, read after the body: the footer's code, and from a form's second page
# on the page number before it.
FOOTER = re.compile(r"\s*Mã đối chiếu \w{4}-\w{4}$")
NUMBER_AND_FOOTER = re.compile(r"\s+\d+\s+Mã đối chiếu \w{4}-\w{4}$")
TITLE = "PHIẾU TỰ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG"
FOUR = [
    QuarterRating(1, self_score=95, self_level="HTXSNV", superior_score=92),
    QuarterRating(2, self_score=90, superior_score=88, superior_level="HTTNV"),
    QuarterRating(
        3,
        self_score=91,
        self_level="HTXSNV",
        superior_score=85.5,
        superior_level="HTTNV",
        note="Vắng 1 buổi họp giao ban",
    ),
    QuarterRating(4, self_score=92, superior_score=90),
]
DERIVED = "(92 + 88 + 85,5 + 90) : 4 = 88,88 điểm, đạt mức Hoàn thành tốt nhiệm vụ"


@dataclasses.dataclass(frozen=True)
class Rated:
    db: Database
    cell: int
    holder: procedure_view.MemberLine  # a post holder with the four quarters entered
    rated: list[int]  # the cell's members rated by quarter, in the forms' order


def rated_members(db: Database, cell: int) -> list[int]:
    view = procedure_view.cell_view(db, YEAR, cell)
    return [
        m.member_id
        for m in view.members
        if m.evaluated and quarters.quarter_sheet(db, YEAR, m.member_id).applies
    ]


def make_rated(db: Database, criteria: bool) -> Rated:
    open_period(db)
    if criteria:
        item_scores.choose_criteria(db, YEAR, "qd366-2025", actor="Lò Thị Hoa")
    cell = first_cell(db)
    holder = post_holder(db, cell)
    quarters.enter_quarters(db, YEAR, holder.member_id, FOUR, actor="Lò Thị Hoa")
    return Rated(db, cell, holder, rated_members(db, cell))


@pytest.fixture
def rated(demo_db: Database) -> Rated:
    """The first cell of the demo commune, its period scoring by the shipped QĐ 366 criteria
    set, one post holder with the four quarters entered."""
    return make_rated(demo_db, criteria=True)


def forms_of(pdf: bytes) -> list[str]:
    """Each member's form of a cell's PDF, its pages' text flattened, without what the page
    frame prints (the page number, the footer's code) nor the table's header repeated on a
    later page."""
    forms: list[list[str]] = []
    for page in samples.pages(pdf):
        first = TITLE in page or not forms
        if first:
            forms.append([])
        body = (FOOTER if first else NUMBER_AND_FOOTER).sub("", " ".join(page.split()))
        if forms[-1] and body.startswith(HEADER):
            body = body.removeprefix(HEADER)
        forms[-1].append(body)
    return [" ".join(" ".join(pages).split()) for pages in forms]


def form_of(rated: Rated, pdf: bytes, member_id: int) -> str:
    forms = forms_of(pdf)
    assert len(forms) == len(rated.rated)
    return forms[rated.rated.index(member_id)]


def item_rows(sheet: item_scores.ItemSheet, totals: str) -> str:
    """The item table's text as the member's sheet lists it: the group captions, every item
    with its maximum, each group's subtotal line, and the total with *totals*."""
    rows = [HEADER]
    for (key, title), grouped in groupby(
        sheet.lines, lambda line: (line.group_key, line.group_title)
    ):
        lines = list(grouped)
        rows.append(f"{key}. {title}")
        rows += [f"{line.key} {line.text} {points_text(line.maximum)}" for line in lines]
        rows.append(f"Cộng {key} {points_text(sum((line.maximum for line in lines), Fraction(0)))}")
    rows.append(f"Tổng cộng {points_text(sheet.maximum)} {totals}".strip())
    return " ".join(rows)


def boxes(blocks: tuple[Block, ...]) -> Iterator[CheckBoxes]:
    for block in blocks:
        if isinstance(block, KeepTogether):
            yield from boxes(block.blocks)
        elif isinstance(block, CheckBoxes):
            yield block


def ticked(data: QuarterRatingData) -> list[list[str]]:
    """The options ticked in each group of level boxes of the form's model: the self-rating's,
    then the superior's."""
    document = DOCUMENT_KINDS[KIND].build(data)
    return [[b.options[i] for i in sorted(b.ticked)] for b in boxes(document.blocks)]


# ---- through the printing service -------------------------------------------------------------


def test_the_third_quarters_form_has_the_heading_the_member_every_item_and_the_quarter(
    rated: Rated,
) -> None:
    pdf = printing.render_document(rated.db, YEAR, KIND, rated.cell, quarter=3).pdf
    form = form_of(rated, pdf, rated.holder.member_id)
    view = procedure_view.cell_view(rated.db, YEAR, rated.cell)
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in form
    assert view.cell_name.upper() in form and "ĐẢNG BỘ XÃ" in form
    assert f"{TITLE} Quý III năm {YEAR}" in form
    assert f"Họ và tên: {rated.holder.full_name}" in form
    assert f"Chức vụ Đảng: {rated.holder.party_post}" in form
    assert f"Chi bộ: {view.cell_name}" in form
    # Every item of the member's sheet, blank to score by hand, the stored totals at the foot.
    sheet = item_scores.item_sheet(rated.db, YEAR, rated.holder.subject)
    assert len(sheet.lines) >= 4
    assert item_rows(sheet, "91 85,5") in form
    assert "NGƯỜI TỰ ĐÁNH GIÁ" in form and "T/M CHI ỦY (CHI BỘ)" in form
    assert "Ghi chú: Vắng 1 buổi họp giao ban" in form
    # Only the fourth quarter's form draws the year.
    assert "KẾT QUẢ CÁC QUÝ" not in form and DERIVED not in form
    # Every form of the cell is a member rated by quarter; each lists its own sheet.
    for member_id, text in zip(rated.rated, forms_of(pdf), strict=True):
        subject = procedure_view.cell_view(rated.db, YEAR, rated.cell).member(member_id).subject
        own = item_scores.item_sheet(rated.db, YEAR, subject)
        totals = "91 85,5" if member_id == rated.holder.member_id else ""
        assert item_rows(own, totals) in text


def test_the_stored_levels_are_ticked(rated: Rated) -> None:
    forms = quarter_data.quarter_ratings(rated.db, YEAR, rated.cell, 3)
    form = forms[rated.rated.index(rated.holder.member_id)]
    assert (form.self_level, form.superior_level) == ("HTXSNV", "HTTNV")
    assert ticked(form) == [["Hoàn thành xuất sắc nhiệm vụ"], ["Hoàn thành tốt nhiệm vụ"]]
    # A quarter with the self-rating's points alone ticks nothing.
    fourth = quarter_data.quarter_ratings(rated.db, YEAR, rated.cell, 4)
    assert ticked(fourth[rated.rated.index(rated.holder.member_id)]) == [[], []]


def test_the_fourth_quarters_form_shows_the_four_quarters_and_the_year_in_words(
    rated: Rated,
) -> None:
    pdf = printing.render_document(rated.db, YEAR, KIND, rated.cell, quarter=4).pdf
    form = form_of(rated, pdf, rated.holder.member_id)
    assert f"Quý IV năm {YEAR}" in form
    derived = quarters.quarter_sheet(rated.db, YEAR, rated.holder.member_id).derivation
    assert derived is not None and derived.level == "HTTNV" and DERIVED in derived.words
    assert f"KẾT QUẢ CÁC QUÝ VÀ KẾT QUẢ NĂM {YEAR}" in form
    assert (
        "Quý I 95 HTXSNV 92 Quý II 90 88 HTTNV Quý III 91 HTXSNV 85,5 HTTNV Quý IV 92 90"
    ) in form
    assert f"Kết quả năm {YEAR} theo các quý: 88,88 điểm, Hoàn thành tốt nhiệm vụ" in form
    assert " ".join(derived.words.split()) in form
    # A member with nothing entered: the table's quarters blank, the words say why.
    others = [m for m in rated.rated if m != rated.holder.member_id]
    if others:
        blank = form_of(rated, pdf, others[0])
        assert "Quý I Quý II Quý III Quý IV" in blank
        assert "chưa có kết quả năm" not in blank
        assert "mới có kết quả 0/4 quý" in blank


def test_the_word_copy_says_the_same(rated: Rated) -> None:
    word = printing.render_document(rated.db, YEAR, KIND, rated.cell, quarter=3, format="docx")
    assert word.format == "docx" and word.file_name.endswith(".docx")
    lines = [line.strip() for line in iter_text(docx.Document(io.BytesIO(word.content)))]
    text = " ".join(line for line in lines if line)
    assert TITLE in text and f"Quý III năm {YEAR}" in text
    assert f"Họ và tên: {rated.holder.full_name}" in text
    sheet = item_scores.item_sheet(rated.db, YEAR, rated.holder.subject)
    assert item_rows(sheet, "91 85,5") in text
    assert f"{TICKED} Hoàn thành xuất sắc nhiệm vụ" in text  # the self-rating
    assert text.count(TICKED) == 2  # and the superior's


def test_without_a_criteria_set_the_form_has_the_two_groups(demo_db: Database) -> None:
    rated = make_rated(demo_db, criteria=False)
    pdf = printing.render_document(rated.db, YEAR, KIND, rated.cell, quarter=3).pdf
    form = form_of(rated, pdf, rated.holder.member_id)
    assert (
        "Nhóm tiêu chí Điểm tối đa Tự chấm Cấp trên chấm A. Tiêu chí chung 30 "
        "B. Kết quả thực hiện nhiệm vụ 70 Tổng cộng 100 91 85,5"
    ) in form
    assert "A.1 " not in form and "Cộng A" not in form


def test_the_quarter_is_in_the_title_and_file_name_and_defaults_to_the_present_one(
    rated: Rated,
) -> None:
    # The tests live on 25 November 2026: the fourth quarter of the year under way.
    assert quarter_data.default_quarter(YEAR) == 4
    assert quarter_data.default_quarter(YEAR - 1) == 4
    assert quarter_data.default_quarter(YEAR + 1) == 1
    draft = printing.prepare_document(rated.db, YEAR, KIND, rated.cell)
    assert draft.title.endswith(f"– Quý IV/{YEAR}")
    assert draft.file_name.startswith(f"phieu-tu-danh-gia-theo-quy-quy-4-{YEAR}-")
    assert all(form.quarter == 4 for form in draft.data)
    with pytest.raises(ServiceError, match="không in theo quý"):
        printing.prepare_document(rated.db, YEAR, "ballot", rated.cell, quarter=3)
    with pytest.raises(ServiceError, match="Không có quý 5"):
        printing.prepare_document(rated.db, YEAR, KIND, rated.cell, quarter=5)


def test_a_cell_nobody_in_which_is_rated_by_quarter_gets_a_message(rated: Rated) -> None:
    db = rated.db
    with db.session() as session:
        ids = list(
            session.scalars(
                select(MemberEvaluation.member_id).where(MemberEvaluation.org_id == rated.cell)
            )
        )
        session.execute(delete(PostHolding).where(PostHolding.member_id.in_(ids)))
    assert rated_members(db, rated.cell) == []
    with pytest.raises(ServiceError, match="không có đảng viên nào được đánh giá, xếp loại theo"):
        printing.render_document(db, YEAR, KIND, rated.cell, quarter=3)


# ---- the document alone ---------------------------------------------------------------------


def test_the_sample_form_prints_its_parts() -> None:
    data = samples.quarter_rating()
    text = samples.flat(render_quarter_rating(data))
    assert "Quý IV năm 2026" in text and "Họ và tên: Lò Văn Pọm" in text
    for group in data.scores:
        for item in group.items:
            assert f"{item.code} {item.name} {points_text(Fraction(item.maximum))}" in text
    assert "Tổng cộng 100 92 90" in text
    assert "Kết quả năm 2026 theo các quý: 88,75 điểm, Hoàn thành tốt nhiệm vụ" in text
    assert " ".join(samples.YEAR_WORDS.split()) in text
    # No form code is printed while the form's number in HD 43 is unknown; one given is.
    assert "Mẫu" not in text
    coded = samples.flat(render_quarter_rating(samples.quarter_rating(form_code="Mẫu 07-HD")))
    assert coded.startswith("Mẫu 07-HD") or "Mẫu 07-HD" in coded


def test_a_form_of_a_rule_set_without_points_has_no_score_section() -> None:
    data = samples.quarter_rating(scores=(), self_score=None, superior_score=None)
    text = samples.flat(render_quarter_rating(data))
    assert "CHẤM ĐIỂM" not in text and "Tổng cộng" not in text
    assert "II. TỰ XẾP LOẠI" in text and "III. NHẬN XÉT" in text and "IV. KẾT QUẢ CÁC QUÝ" in text
    assert "Quý Tự xếp loại Cấp trên xếp loại Quý I HTXSNV HTXSNV" in text


# ---- the command line -------------------------------------------------------------------------


def test_print_quarter_rating_from_the_command_line(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = Database.open(demo_path)
    try:
        rated = make_rated(db, criteria=True)
        with db.session() as session:
            code = organizations.find_unit(session, rated.cell).code
    finally:
        db.close()
    out = tmp_path / "quy.pdf"
    assert main(["print", KIND, "--year", str(YEAR), "--unit", code, "--quarter", "3",
                 "-o", str(out), "--db", str(demo_path)]) == 0  # fmt: skip
    said = capsys.readouterr().out
    assert f"Phiếu tự đánh giá, xếp loại chất lượng theo quý – Quý III/{YEAR}" in said
    assert "mã đối chiếu" in said
    assert f"Quý III năm {YEAR}" in samples.flat(out.read_bytes())
    # Without --quarter, the present quarter; into a folder, named after it.
    assert main(["print", KIND, "--year", str(YEAR), "--unit", code, "-o", str(tmp_path),
                 "--db", str(demo_path)]) == 0  # fmt: skip
    [written] = tmp_path.glob("phieu-tu-danh-gia-theo-quy-quy-4-*.pdf")
    assert f"Quý IV năm {YEAR}" in samples.flat(written.read_bytes())
    # --quarter belongs to this kind alone; the cell is needed.
    assert main(["print", "ballot", "--year", str(YEAR), "--unit", code, "--quarter", "3",
                 "-o", str(tmp_path / "x.pdf"), "--db", str(demo_path)]) == 2  # fmt: skip
    assert "--quarter chỉ dùng với quarter-rating" in capsys.readouterr().err
    assert main(["print", KIND, "--year", str(YEAR), "-o", str(tmp_path / "y.pdf"),
                 "--db", str(demo_path)]) == 2  # fmt: skip
    assert "Cần --unit" in capsys.readouterr().err
