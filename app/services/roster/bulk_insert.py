"""Adding many new members at once (the workbook import): one INSERT per table for all of them.

Added as ORM objects one by one, each member cost the unit of work about a millisecond of
bookkeeping (history, cascades, foreign keys copied across), five times what openpyxl takes
to read the row. The inserts go to the tables (Core), not the mapped classes: the ORM's
bulk insert splits the rows by which values are None, hundreds of statements instead of one.
The rows written here are exactly those of ``members.apply_fields(new=True)``
plus the first cell membership: the member, the current party and other posts without a start
date, the exemption period when the member is exempt.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from app.domain.collation import name_key
from app.domain.member_checks import MemberFields
from app.domain.vocabulary import PeriodKind
from app.store.models import CellMembership, Member, MemberPeriod, PostHolding, PostKind


def add_members(session: Session, entries: Sequence[tuple[MemberFields, int]]) -> None:
    """Insert each (normalised fields, cell id) as a new member of that cell.

    The codes must be new (the import plan checked them against the database)."""
    if not entries:
        return
    session.execute(insert(Member.__table__), [_member_row(fields) for fields, _cell in entries])
    ids: dict[str, int] = {
        code: id_ for code, id_ in session.execute(select(Member.code, Member.id))
    }
    memberships: list[dict[str, Any]] = []
    posts: list[dict[str, Any]] = []
    periods: list[dict[str, Any]] = []
    for fields, cell_id in entries:
        member_id = ids[fields.code]
        memberships.append({"member_id": member_id, "org_id": cell_id, "start_on": None})
        for kind, title in (
            (PostKind.PARTY, fields.party_post),
            (PostKind.OTHER, fields.other_post),
        ):
            if title:
                posts.append(
                    {"member_id": member_id, "kind": kind, "title": title, "start_on": None}
                )
        if fields.exempt_since is not None:
            periods.append(
                {"member_id": member_id, "kind": PeriodKind.EXEMPT, "start_on": fields.exempt_since}
            )
    for model, rows in (
        (CellMembership, memberships),
        (PostHolding, posts),
        (MemberPeriod, periods),
    ):
        if rows:
            session.execute(insert(model.__table__), rows)


def _member_row(fields: MemberFields) -> dict[str, Any]:
    return {
        "code": fields.code,
        "full_name": fields.full_name,
        "name_key": name_key(fields.full_name),
        "birth_date": fields.birth_date,
        "gender": fields.gender,
        "admitted_on": fields.admitted_on,
        "official_on": fields.official_on,
        "form_category": fields.form_category,
        "is_civil_servant": fields.is_civil_servant,
        "card_number": fields.card_number,
    }
