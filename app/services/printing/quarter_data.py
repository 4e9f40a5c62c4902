"""The quarterly self-rating forms of a cell (issue 24): one form per member the rule set rates
by quarter, for one quarter of the year, pre-filled from the records the window shows — the
member's particulars, the score frame of the member's form (the period's criteria set item by
item, or the two groups), the quarter's stored points and levels, and on the fourth quarter's
form the four quarters with the year drawn from them (``procedure.quarters``)."""

from __future__ import annotations

from sqlalchemy import select

from app.documents import data as doc
from app.domain import clock
from app.domain.collation import heads_cell
from app.domain.quarters import HOLDERS, QUARTERS, QuarterRating
from app.domain.rules.checks_quarters import ruleset_quarter_rule
from app.domain.vocabulary import FormCategory
from app.services.common.errors import ServiceError
from app.services.periods import criteria_sets
from app.services.periods import lifecycle as periods
from app.services.printing import document_data
from app.services.printing import view_memo as cell_view_memo
from app.services.procedure import quarters
from app.store.database import Database
from app.store.models import Member, PostHolding, PostKind

# The form's title and code. HD 43-HD/BTCTW's appendix has an "individual self-rating form,
# quarterly or yearly" (the 7th in third parties' copies of its list), but its number and
# exact wording were NOT found (domain.md §11): UNSURE. The code stays empty, so the form
# prints none rather than a guessed one; set it here (e.g. "Mẫu 0X-HD KĐ.ĐG 2025") once the
# appendix is read, and the title too if it differs. Both are part of the form's data, so a
# change shows in the fingerprint of the forms printed after it.
FORM_TITLE = "Phiếu tự đánh giá, xếp loại chất lượng"
FORM_CODE = ""

YEAR_QUARTER = 4  # the quarter whose form also shows the four quarters and the year


def default_quarter(year: int) -> int:
    """The quarter printed when none is asked for: the present one (by the program's clock)
    in the year under way, the fourth of an earlier year (its year drawn), the first of a
    later one."""
    today = clock.today()
    if year == today.year:
        return (today.month - 1) // 3 + 1
    return YEAR_QUARTER if year < today.year else 1


def check_quarter(quarter: int) -> int:
    if quarter not in QUARTERS:
        raise ServiceError(f"Không có quý {quarter}: chọn quý 1, 2, 3 hoặc 4")
    return quarter


def _line(rating: QuarterRating) -> doc.QuarterLine:
    return doc.QuarterLine(
        rating.quarter,
        rating.self_score,
        rating.self_level,
        rating.superior_score,
        rating.superior_level,
    )


def _year(sheet: quarters.QuarterSheet) -> doc.QuarterYear:
    derived = sheet.derivation
    return doc.QuarterYear(
        quarters=tuple(_line(r) for r in sheet.ratings if not r.empty),
        level=derived.level if derived is not None else None,
        score=derived.score if derived is not None and derived.level else None,
        words=derived.words if derived is not None else "",
    )


def quarter_ratings(
    db: Database, year: int, cell_id: int, quarter: int
) -> list[doc.QuarterRatingData]:
    """One pre-filled form for *quarter* of *year* per member of the cell the rule set rates
    by quarter, in roster order. ServiceError, in words, when there is none."""
    check_quarter(quarter)
    view = cell_view_memo.cell_view(db, year, cell_id)
    rs = view.ruleset
    rule = ruleset_quarter_rule(rs)
    if rule is None:
        raise ServiceError(
            f"Bộ quy tắc của kỳ đánh giá năm {year} ({rs.name}) không đánh giá, xếp loại theo "
            "quý: không có phiếu tự đánh giá theo quý để in."
        )
    sheets = [quarters.quarter_sheet(db, year, m.member_id) for m in view.members if m.evaluated]
    sheets = [sheet for sheet in sheets if sheet.applies]
    if not sheets:
        raise ServiceError(
            f"{view.cell_name} không có đảng viên nào được đánh giá, xếp loại theo quý năm "
            f"{year}: bộ quy tắc chỉ đánh giá theo quý {HOLDERS[rule.holders]}."
        )
    ids = [sheet.member_id for sheet in sheets]
    with db.session() as session:
        u = document_data.unit(session, cell_id)
        records = {m.id: m for m in session.scalars(select(Member).where(Member.id.in_(ids)))}
        other_posts = {
            p.member_id: p.title
            for p in session.scalars(
                select(PostHolding).where(
                    PostHolding.member_id.in_(ids),
                    PostHolding.kind == PostKind.OTHER,
                    PostHolding.end_on.is_(None),
                )
            )
        }
        cset = criteria_sets.of_period(periods.find(session, year))
    secretary = next((m.full_name for m in view.members if heads_cell(m.party_post)), "")
    heading = doc.Heading(superior=u.superior, issuer=u.name, place=u.place)
    levels = document_data.levels(rs, "member")
    forms = []
    for sheet in sheets:
        member = records[sheet.member_id]
        line = view.member(sheet.member_id)
        variant = FormCategory(member.form_category).value
        rating = next(r for r in sheet.ratings if r.quarter == quarter)
        scores = document_data.score_frame(rs, cset, variant) if sheet.score_max else ()
        forms.append(
            doc.QuarterRatingData(
                heading=heading,
                year=year,
                quarter=quarter,
                full_name=member.full_name,  # the birth date beside it tells namesakes apart
                levels=levels,
                title=FORM_TITLE,
                form_code=FORM_CODE,
                birth_date=member.birth_date,
                party_post=line.party_post,
                other_post=other_posts.get(sheet.member_id, ""),
                cell=u.name,
                scores=scores,
                self_score=rating.self_score,
                superior_score=rating.superior_score,
                self_level=rating.self_level,
                superior_level=rating.superior_level,
                note=rating.note,
                superior_signer=doc.Signer("BÍ THƯ", secretary, "T/M CHI ỦY (CHI BỘ)"),
                year_result=_year(sheet) if quarter == YEAR_QUARTER else None,
            )
        )
    return forms
