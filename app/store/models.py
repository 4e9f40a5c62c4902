"""The database schema as SQLAlchemy 2 typed models.

History that rules read later is kept as dated rows rather than flags on the member: which
cell a member belonged to when, which posts they held, their exemption, suspension and leave
periods, and their discipline. A period's evaluation can then be judged at its own reference
date, years later.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    Time,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from app.domain.vocabulary import (
    DisciplineForm,
    FormCategory,
    Gender,
    OrgKind,
    PeriodKind,
    PostKind,
)

__all__ = ["PostKind"]  # kept here too: the services name it beside the models

# Constraint names must be stable for SQLite batch migrations (Alembic recreates tables).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _enum(kind: type[StrEnum]) -> Enum:
    # Stored as the enum's value, without a CHECK constraint, so that adding a value later does
    # not need a table rebuild; the services validate values on the way in.
    return Enum(
        kind,
        native_enum=False,
        create_constraint=False,
        length=24,
        values_callable=lambda members: [m.value for m in members],
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Organization(Base):
    """A node of the organisation tree: a committee (đảng bộ), a partial committee or a cell."""

    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[OrgKind] = mapped_column(_enum(OrgKind))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    # Printed in document headers: the place before the date, and the superior body's line.
    place_name: Mapped[str] = mapped_column(String(100), default="", server_default="")
    superior_line: Mapped[str] = mapped_column(String(200), default="", server_default="")
    established_on: Mapped[dt.date | None] = mapped_column(Date)
    dissolved_on: Mapped[dt.date | None] = mapped_column(Date)
    position: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    parent: Mapped[Organization | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Organization]] = relationship(back_populates="parent")


class Member(Base):
    """A party member (đảng viên). The name is stored NFC with its Vietnamese sort key."""

    __tablename__ = "members"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    name_key: Mapped[str] = mapped_column(String(240), index=True)
    birth_date: Mapped[dt.date | None] = mapped_column(Date)
    gender: Mapped[Gender | None] = mapped_column(_enum(Gender))
    card_number: Mapped[str] = mapped_column(String(40), default="", server_default="")
    admitted_on: Mapped[dt.date | None] = mapped_column(Date)  # ngày vào Đảng
    official_on: Mapped[dt.date | None] = mapped_column(Date)  # ngày chính thức; None: dự bị
    form_category: Mapped[FormCategory] = mapped_column(
        _enum(FormCategory), default=FormCategory.C, server_default=FormCategory.C.value
    )
    is_civil_servant: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime, server_default=func.current_timestamp(), onupdate=func.current_timestamp()
    )

    memberships: Mapped[list[CellMembership]] = relationship(
        back_populates="member", cascade="all, delete-orphan", order_by="CellMembership.start_on"
    )
    posts: Mapped[list[PostHolding]] = relationship(
        back_populates="member", cascade="all, delete-orphan"
    )
    periods: Mapped[list[MemberPeriod]] = relationship(
        back_populates="member", cascade="all, delete-orphan"
    )
    disciplines: Mapped[list[Discipline]] = relationship(
        back_populates="member", cascade="all, delete-orphan"
    )


class CellMembership(Base):
    """Which cell a member belonged to from when to when; an open end is the current cell."""

    __tablename__ = "cell_memberships"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    org_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    start_on: Mapped[dt.date | None] = mapped_column(Date)
    end_on: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(200), default="", server_default="")

    member: Mapped[Member] = relationship(back_populates="memberships")
    organization: Mapped[Organization] = relationship()


class PostHolding(Base):
    """A post a member held, with dates; an open end is a current post."""

    __tablename__ = "post_holdings"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    kind: Mapped[PostKind] = mapped_column(_enum(PostKind))
    title: Mapped[str] = mapped_column(String(200))
    start_on: Mapped[dt.date | None] = mapped_column(Date)
    end_on: Mapped[dt.date | None] = mapped_column(Date)

    member: Mapped[Member] = relationship(back_populates="posts")


class MemberPeriod(Base):
    """An exemption, suspension, leave or temporary-activity period of a member."""

    __tablename__ = "member_periods"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    kind: Mapped[PeriodKind] = mapped_column(_enum(PeriodKind))
    start_on: Mapped[dt.date] = mapped_column(Date)
    end_on: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(300), default="", server_default="")

    member: Mapped[Member] = relationship(back_populates="periods")


class Discipline(Base):
    """A discipline decision against a member (QĐ 69-QĐ/TW forms)."""

    __tablename__ = "disciplines"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    decided_on: Mapped[dt.date] = mapped_column(Date)
    form: Mapped[DisciplineForm] = mapped_column(_enum(DisciplineForm))
    reason: Mapped[str] = mapped_column(Text, default="", server_default="")  # the violation
    # QĐ 124-2023: a violation the member found and fully remedied does not force KHTNV.
    self_detected_remedied: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    decided_by: Mapped[str] = mapped_column(String(200), default="", server_default="")
    # The day the discipline was erased or ran out (xóa kỷ luật, hết hiệu lực); None: in force.
    erased_on: Mapped[dt.date | None] = mapped_column(Date)

    member: Mapped[Member] = relationship(back_populates="disciplines")


class OrgDiscipline(Base):
    """A discipline decision against an organisation or its leading collective."""

    __tablename__ = "org_disciplines"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    decided_on: Mapped[dt.date] = mapped_column(Date)
    form: Mapped[DisciplineForm] = mapped_column(_enum(DisciplineForm))
    reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Against the leading collective (chi ủy, standing committee) rather than the organisation.
    of_collective: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    decided_by: Mapped[str] = mapped_column(String(200), default="", server_default="")
    erased_on: Mapped[dt.date | None] = mapped_column(Date)  # xóa kỷ luật / hết hiệu lực


class EvaluationPeriod(Base):
    """One year's evaluation (kỳ đánh giá), bound to the rule set it is judged by."""

    __tablename__ = "evaluation_periods"
    __table_args__ = (UniqueConstraint("year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    ruleset_id: Mapped[str] = mapped_column(String(60))
    # The exact rule-set text the period was judged by, so a later edit of a copied rule set
    # never changes a past evaluation.
    ruleset_snapshot: Mapped[str] = mapped_column(Text, default="", server_default="")
    reference_date: Mapped[dt.date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(20), default="open", server_default="open")
    deadline: Mapped[dt.date | None] = mapped_column(Date)  # hạn nộp of the cells' results
    # The window in which the period's meetings may be held (checked on every meeting date).
    opens_on: Mapped[dt.date | None] = mapped_column(Date)
    closes_on: Mapped[dt.date | None] = mapped_column(Date)
    # The commune's plan: the date each step is due (submission is ``deadline``), so the
    # board can say which cell is late; None = no date planned for that step.
    self_review_due: Mapped[dt.date | None] = mapped_column(Date)
    meeting_due: Mapped[dt.date | None] = mapped_column(Date)
    appraisal_due: Mapped[dt.date | None] = mapped_column(Date)
    decision_due: Mapped[dt.date | None] = mapped_column(Date)
    # The criteria set the period scores item by item (QĐ 366's 30 + 70 points), kept as the
    # file's exact TOML text like the rule set, so a later edit of a province's copy never
    # changes a scored year; None / "": no criteria set, the two sub-scores are typed in.
    criteria_id: Mapped[str | None] = mapped_column(String(60))
    criteria_snapshot: Mapped[str] = mapped_column(Text, default="", server_default="")


class OrgEvaluation(Base):
    """An organisation's evaluation in a period: as a whole (``subject`` "org") or its leading
    collective, the chi ủy or standing committee (``subject`` "collective").

    Every stage is kept side by side and never overwritten by the next: the self-assessed
    level, the level the votes give, the cell's proposal, the commune's decision.
    """

    __tablename__ = "org_evaluations"
    __table_args__ = (UniqueConstraint("period_id", "org_id", "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(
        ForeignKey("evaluation_periods.id", ondelete="CASCADE"), index=True
    )
    org_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    subject: Mapped[str] = mapped_column(String(12), default="org", server_default="org")
    step: Mapped[str] = mapped_column(String(20), default="chuan_bi", server_default="chuan_bi")
    evaluated: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    not_classified_reason: Mapped[str] = mapped_column(String(40), default="", server_default="")
    # Facts the records do not hold, entered with a note (never guessed).
    disunity: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    tasks_below_half: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    government_lowest: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    mass_orgs_lowest: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # hd27: a member disciplined for corruption or degradation in the year (a flag with a note).
    member_degradation_disciplined: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default="0"
    )
    # qd366: the share of the year's tasks completed behind schedule (0–1); None: not recorded.
    tasks_late_share: Mapped[float | None] = mapped_column()
    # The commune's own rows: the đảng ủy members who vote on them (official, not exempt) and
    # those present at the conference (a cell's come from its roster and attendance instead).
    voters_total: Mapped[int | None] = mapped_column(Integer)
    voters_present: Mapped[int | None] = mapped_column(Integer)
    facts_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    score_general: Mapped[float | None] = mapped_column()
    score_tasks: Mapped[float | None] = mapped_column()
    score: Mapped[float | None] = mapped_column()
    all_tasks_on_time: Mapped[bool | None] = mapped_column(Boolean)
    tasks_exceeded_share: Mapped[float | None] = mapped_column()
    shortcomings_remedied: Mapped[bool | None] = mapped_column(Boolean)
    self_level: Mapped[str | None] = mapped_column(String(12))
    self_assessment: Mapped[str] = mapped_column(Text, default="", server_default="")
    vote_counts: Mapped[dict[str, int]] = mapped_column(JSON, default=dict, server_default="{}")
    vote_level: Mapped[str | None] = mapped_column(String(12))
    proposed_level: Mapped[str | None] = mapped_column(String(12))
    proposal_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    decided_level: Mapped[str | None] = mapped_column(String(12))
    decision_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    low_level_reason: Mapped[str] = mapped_column(String(40), default="", server_default="")
    returned_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    locked: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # The province's decision where it decides (the commune committee's own level): a stage
    # of its own beside the commune's, recorded when the province's decision arrives.
    province_level: Mapped[str | None] = mapped_column(String(12))
    province_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    province_decided_on: Mapped[dt.date | None] = mapped_column(Date)
    # Counted up by every save (SQLAlchemy's version_id_col): a save made from an old reading
    # of the row is refused (StaleDataError) instead of overwriting a colleague's change.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class MemberEvaluation(Base):
    """A member's evaluation in a period, every stage kept side by side."""

    __tablename__ = "member_evaluations"
    __table_args__ = (UniqueConstraint("period_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(
        ForeignKey("evaluation_periods.id", ondelete="CASCADE"), index=True
    )
    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="RESTRICT"), index=True
    )
    # The cell the member belonged to at the reference date: the roster is frozen there.
    org_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    evaluated: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    votes: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    not_classified_reason: Mapped[str] = mapped_column(String(40), default="", server_default="")
    not_classified_note: Mapped[str] = mapped_column(String(300), default="", server_default="")
    self_level: Mapped[str | None] = mapped_column(String(12))
    self_score_general: Mapped[float | None] = mapped_column()
    self_score_tasks: Mapped[float | None] = mapped_column()
    self_review: Mapped[str] = mapped_column(Text, default="", server_default="")
    degradation: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    tasks_below_half: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    state_level: Mapped[str | None] = mapped_column(String(12))
    all_tasks_on_time: Mapped[bool | None] = mapped_column(Boolean)
    tasks_exceeded_share: Mapped[float | None] = mapped_column()
    shortcomings_remedied: Mapped[bool | None] = mapped_column(Boolean)
    facts_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    shortcomings: Mapped[str] = mapped_column(Text, default="", server_default="")
    # How the member remedied last year's shortcomings (carried into this year's review).
    remedy: Mapped[str] = mapped_column(Text, default="", server_default="")
    comments: Mapped[str] = mapped_column(Text, default="", server_default="")
    response: Mapped[str] = mapped_column(Text, default="", server_default="")
    vote_counts: Mapped[dict[str, int]] = mapped_column(JSON, default=dict, server_default="{}")
    vote_level: Mapped[str | None] = mapped_column(String(12))
    proposed_level: Mapped[str | None] = mapped_column(String(12))
    proposal_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    decided_level: Mapped[str | None] = mapped_column(String(12))
    decision_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    low_level_reason: Mapped[str] = mapped_column(String(40), default="", server_default="")
    # Counted up by every save (SQLAlchemy's version_id_col): a save made from an old reading
    # of the row is refused (StaleDataError) instead of overwriting a colleague's change.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class ItemScore(Base):
    """One item of the period's criteria set as scored for a subject at a stage: ``subject_kind``
    "member", "org" or "collective" and ``subject_id`` (the member's or the organisation's id,
    as ``Subject`` names them); ``stage`` "self" (the self-review, or an organisation's own
    assessment) or "chi_uy" (the chi ủy's assessment of a member). ``value`` is what was
    entered, exactly: "true" / "false" for a met / not-met item, else a decimal ("7.5") or a
    fraction ("1/3"); the points follow from the period's criteria set."""

    __tablename__ = "item_scores"
    __table_args__ = (
        UniqueConstraint("period_id", "subject_kind", "subject_id", "stage", "item_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(
        ForeignKey("evaluation_periods.id", ondelete="CASCADE"), index=True
    )
    subject_kind: Mapped[str] = mapped_column(String(12))
    subject_id: Mapped[int] = mapped_column(Integer)
    stage: Mapped[str] = mapped_column(String(12))
    item_key: Mapped[str] = mapped_column(String(20))
    value: Mapped[str] = mapped_column(String(40))
    note: Mapped[str] = mapped_column(Text, default="", server_default="")


class QuarterRecord(Base):
    """A member's rating for one quarter of the period's year (đánh giá, xếp loại theo quý):
    the self-rating and the superior's, each points and/or a level code (None: not given).
    The rule set's ``quarterly`` check draws the year from them (``app.domain.quarters``)."""

    __tablename__ = "quarter_ratings"
    __table_args__ = (UniqueConstraint("period_id", "member_id", "quarter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(
        ForeignKey("evaluation_periods.id", ondelete="CASCADE"), index=True
    )
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    quarter: Mapped[int] = mapped_column(Integer)  # 1..4
    self_score: Mapped[float | None] = mapped_column(Float)
    self_level: Mapped[str | None] = mapped_column(String(12))
    superior_score: Mapped[float | None] = mapped_column(Float)
    superior_level: Mapped[str | None] = mapped_column(String(12))
    note: Mapped[str] = mapped_column(Text, default="", server_default="")


class Meeting(Base):
    """The cell's review meeting (hội nghị). A returned cell meets again: a new round, the
    first meeting's record kept."""

    __tablename__ = "meetings"
    __table_args__ = (UniqueConstraint("org_evaluation_id", "round"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_evaluation_id: Mapped[int] = mapped_column(
        ForeignKey("org_evaluations.id", ondelete="CASCADE"), index=True
    )
    round: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    held_on: Mapped[dt.date | None] = mapped_column(Date)
    starts_at: Mapped[dt.time | None] = mapped_column(Time)
    ends_at: Mapped[dt.time | None] = mapped_column(Time)
    place: Mapped[str] = mapped_column(String(200), default="", server_default="")
    chair_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    secretary_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    upper_attendee: Mapped[str] = mapped_column(String(120), default="", server_default="")
    upper_attendee_post: Mapped[str] = mapped_column(String(200), default="", server_default="")
    voting_method: Mapped[str] = mapped_column(
        String(20), default="bo_phieu_kin", server_default="bo_phieu_kin"
    )
    tally_committee: Mapped[list[int]] = mapped_column(JSON, default=list, server_default="[]")
    ballots_issued: Mapped[int | None] = mapped_column(Integer)
    ballots_returned: Mapped[int | None] = mapped_column(Integer)
    ballots_valid: Mapped[int | None] = mapped_column(Integer)
    report_summary: Mapped[str] = mapped_column(Text, default="", server_default="")
    upper_remarks: Mapped[str] = mapped_column(Text, default="", server_default="")
    conclusion: Mapped[str] = mapped_column(Text, default="", server_default="")
    approval_agree: Mapped[int | None] = mapped_column(Integer)
    approval_total: Mapped[int | None] = mapped_column(Integer)


class TallyEntry(Base):
    """One teller's count of one row of the tally (kiểm phiếu) when two tellers enter it
    independently: the votes per level code plus "invalid" for ballots that do not count on
    this row. ``subject_kind`` "member", "org" or "collective"; ``teller`` 1 or 2."""

    __tablename__ = "tally_entries"
    __table_args__ = (UniqueConstraint("meeting_id", "teller", "subject_kind", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    teller: Mapped[int] = mapped_column(Integer)
    teller_name: Mapped[str] = mapped_column(String(120), default="", server_default="")
    subject_kind: Mapped[str] = mapped_column(String(12))
    subject_id: Mapped[int] = mapped_column(Integer)
    counts: Mapped[dict[str, int]] = mapped_column(JSON, default=dict, server_default="{}")
    entered_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class Attendance(Base):
    """Who was at a meeting; an absence carries its reason."""

    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("meeting_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    present: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    absence_reason: Mapped[str] = mapped_column(String(200), default="", server_default="")


class AuditEntry(Base):
    """One change: who, when, what, before and after. The entries form a hash chain, so a
    changed or removed entry shows."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(120), default="", server_default="")
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    period_id: Mapped[int | None] = mapped_column(Integer, index=True)
    summary: Mapped[str] = mapped_column(Text, default="", server_default="")
    before: Mapped[dict[str, object] | None] = mapped_column(JSON)
    after: Mapped[dict[str, object] | None] = mapped_column(JSON)
    previous_hash: Mapped[str] = mapped_column(String(64), default="", server_default="")
    hash: Mapped[str] = mapped_column(String(64), default="", server_default="")


class IssuedDocument(Base):
    """The numbering register: a document issued for a record, with its number and the
    fingerprint printed in its footer, so a paper copy can be traced back."""

    __tablename__ = "issued_documents"
    __table_args__ = (UniqueConstraint("issuer_id", "kind", "year", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    issuer_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    kind: Mapped[str] = mapped_column(String(30))  # "meeting-minutes", "decision" …
    year: Mapped[int] = mapped_column(Integer)  # the evaluation year it belongs to
    subject_id: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    symbol: Mapped[str] = mapped_column(String(20))  # "BB/CB", "QĐ/ĐU"
    term: Mapped[int] = mapped_column(Integer)  # first year of the committee's term
    number: Mapped[int] = mapped_column(Integer)
    issued_on: Mapped[dt.date] = mapped_column(Date)
    fingerprint: Mapped[str] = mapped_column(String(12), index=True)
    title: Mapped[str] = mapped_column(String(300), default="", server_default="")


class AccessControl(Base):
    """The window's optional password (one row, id 1): an Argon2id hash, kept in the database
    so it travels with the file. Access control for the window only: the file is not encrypted."""

    __tablename__ = "access_control"

    id: Mapped[int] = mapped_column(primary_key=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    set_at: Mapped[dt.datetime] = mapped_column(DateTime)
    set_by: Mapped[str] = mapped_column(String(100), default="", server_default="")


# ---- the province's store of the communes' reports (issue 23) ---------------------------------


class CommuneReport(Base):
    """A commune's decided year as the province received it (``danhgia report import``): who
    the commune is, the rule set and the decision, the audit chain's head at export, the
    figures the commune's own summary states, and the report's rows (``ReportedOrganization``,
    ``ReportedMember``). One per commune and year: a corrected report replaces the rows and
    keeps this row, its ``revision`` counted up and the reason in ``replaced_reason`` (every
    import, replacement and rejection is in the audit log). ``status`` "accepted" is counted in
    the province's summary; "rejected" marks a report the province refused (no rows)."""

    __tablename__ = "commune_reports"
    __table_args__ = (UniqueConstraint("commune_code", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_code: Mapped[str] = mapped_column(String(40))
    commune_name: Mapped[str] = mapped_column(String(200))
    place_name: Mapped[str] = mapped_column(String(100), default="", server_default="")
    superior_line: Mapped[str] = mapped_column(String(200), default="", server_default="")
    year: Mapped[int] = mapped_column(Integer, index=True)
    ruleset_id: Mapped[str] = mapped_column(String(60))
    # The exact rule-set text the commune judged the year by (as a period keeps it).
    ruleset_snapshot: Mapped[str] = mapped_column(Text, default="", server_default="")
    reference_date: Mapped[dt.date | None] = mapped_column(Date)
    # The standing committee's decision: its number as printed ("03-QĐ/ĐU"; None when the
    # commune's register has none), the day it was issued, and the day the commune decided.
    decision_number: Mapped[str | None] = mapped_column(String(40))
    decision_issued_on: Mapped[dt.date | None] = mapped_column(Date)
    decided_on: Mapped[dt.date | None] = mapped_column(Date)
    decision_pdf: Mapped[bytes | None] = mapped_column(LargeBinary)  # the signed PDF, if sent
    audit_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    audit_head: Mapped[str] = mapped_column(String(64), default="", server_default="")
    # The commune's own summary as the report states it (checked against the rows on import).
    figures: Mapped[dict[str, object]] = mapped_column(JSON, default=dict, server_default="{}")
    checksum: Mapped[str] = mapped_column(String(80))
    format_version: Mapped[int] = mapped_column(Integer)
    app_version: Mapped[str] = mapped_column(String(40), default="", server_default="")
    exported_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    exported_by: Mapped[str] = mapped_column(String(120), default="", server_default="")
    status: Mapped[str] = mapped_column(String(20), default="accepted", server_default="accepted")
    status_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    revision: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime)
    imported_by: Mapped[str] = mapped_column(String(120), default="", server_default="")
    replaced_reason: Mapped[str] = mapped_column(Text, default="", server_default="")


class ReportedOrganization(Base):
    """An organisation of a commune's report: the tree by codes, and its decided level.
    ``in_period`` False: in the tree but not evaluated that year (no evaluation row).
    ``summary_group`` is where the commune's summary counts it: "top" (the commune itself,
    decided by the province), "main" (the organisations its summary counts), "under" (cells
    under a grassroots committee, when the top is above grassroots); computed on import."""

    __tablename__ = "reported_organizations"
    __table_args__ = (UniqueConstraint("report_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("commune_reports.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[OrgKind] = mapped_column(_enum(OrgKind))
    parent_code: Mapped[str | None] = mapped_column(String(40))
    grassroots_code: Mapped[str | None] = mapped_column(String(40))
    summary_group: Mapped[str] = mapped_column(String(12), default="", server_default="")
    in_period: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    evaluated: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    level: Mapped[str | None] = mapped_column(String(12))
    not_classified_reason: Mapped[str] = mapped_column(String(40), default="", server_default="")
    low_level_reason: Mapped[str] = mapped_column(String(40), default="", server_default="")
    collective_level: Mapped[str | None] = mapped_column(String(12))  # its leading collective


class ReportedMember(Base):
    """A member of a commune's report: code, name, cell, and the decided level or the reason
    not classified. ``grassroots_code``: the grassroots organisation of the member's cell,
    computed on import (the scope of the HTXSNV quota)."""

    __tablename__ = "reported_members"
    __table_args__ = (UniqueConstraint("report_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("commune_reports.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(40))
    full_name: Mapped[str] = mapped_column(String(120))
    cell_code: Mapped[str] = mapped_column(String(40))
    grassroots_code: Mapped[str | None] = mapped_column(String(40))
    evaluated: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    level: Mapped[str | None] = mapped_column(String(12))
    not_classified_reason: Mapped[str] = mapped_column(String(40), default="", server_default="")
    not_classified_note: Mapped[str] = mapped_column(String(300), default="", server_default="")
    low_level_reason: Mapped[str] = mapped_column(String(40), default="", server_default="")
    # The score parts the rules read and the year drawn from the quarters (issue 24).
    score_general: Mapped[float | None] = mapped_column(Float)
    score_tasks: Mapped[float | None] = mapped_column(Float)
    quarterly_level: Mapped[str | None] = mapped_column(String(12))
    quarterly: Mapped[str] = mapped_column(Text, default="", server_default="")


# ---- who may do what where several people share one database (issue 23) ----------------------


class User(Base):
    """A person who works on a shared database (the province's office): ``role`` "admin"
    (quản trị tỉnh: everything, and the users), "clerk" (chuyên viên: writes the communes of
    ``communes`` only) or "inspector" (thanh tra: reads only). A user is never deleted, only
    made inactive, so the audit log's names keep meaning someone. No user at all: the
    single-user program, nothing checked."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(60), unique=True)
    full_name: Mapped[str] = mapped_column(String(120), default="", server_default="")
    role: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    password_hash: Mapped[str | None] = mapped_column(String(200))  # Argon2id; None: none set
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(120), default="", server_default="")

    communes: Mapped[list[UserCommune]] = relationship(
        back_populates="user", cascade="all, delete-orphan", order_by="UserCommune.commune_code"
    )


class UserCommune(Base):
    """A commune (by its code, as its reports name it) a clerk may write."""

    __tablename__ = "user_communes"
    __table_args__ = (UniqueConstraint("user_id", "commune_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    commune_code: Mapped[str] = mapped_column(String(40))

    user: Mapped[User] = relationship(back_populates="communes")
