"""The plain inputs of the engine, filled by the services from the database.

Everything a check reads is here; a fact the records do not hold (disunity, degradation, task
completion) is a flag the user entered with a note, never a guess. Scores and task conditions
are ``None`` when unknown, and an unknown fact never counts for or against anybody.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from app.domain.rules.frozen import FrozenMap
from app.domain.rules.leave import LeaveSpan
from app.domain.vocabulary import DisciplineForm, OrgKind

if TYPE_CHECKING:
    from app.domain.quarters import QuarterRating


@dataclass(frozen=True, order=True)
class Subject:
    """Who is classified. ``collective`` is an organisation's leading collective (chi ủy,
    ban thường vụ); its ``id`` is the organisation's id."""

    kind: Literal["member", "org", "collective"]
    id: int


def member(member_id: int) -> Subject:
    return Subject("member", member_id)


def org(org_id: int) -> Subject:
    return Subject("org", org_id)


def collective(org_id: int) -> Subject:
    return Subject("collective", org_id)


@dataclass(frozen=True)
class DisciplineFact:
    decided_on: dt.date
    form: DisciplineForm
    # QĐ 124 / QĐ 366: a violation the person found and fully remedied themselves.
    self_detected_remedied: bool = False


@dataclass(frozen=True)
class MemberFacts:
    member_id: int
    full_name: str
    cell_id: int
    admitted_on: dt.date | None
    official_on: dt.date | None  # None or after the reference date → probationary
    exempt: bool = False  # on the reference date
    suspended: bool = False  # on the reference date
    disciplines: tuple[DisciplineFact, ...] = ()  # all of them; checks pick the year's
    # Leave within the evaluated year (cut at its ends), first and last days included; the
    # rule counts calendar months (see ``leave``).
    sick_leave: tuple[LeaveSpan, ...] = ()
    maternity_leave: tuple[LeaveSpan, ...] = ()
    is_civil_servant: bool = False
    state_level: str | None = None  # civil-service rating code, if known
    degradation: bool = False
    tasks_below_half: bool = False
    heads_org_id: int | None = None  # the organisation this member heads (bí thư)
    self_level: str | None = None
    score_general: float | None = None
    score_tasks: float | None = None
    all_tasks_on_time: bool | None = None
    tasks_exceeded_share: float | None = None
    shortcomings_remedied: bool | None = None
    previous_level: str | None = None  # the decided level of the previous year (R11)
    # The organisation whose leading collective (chi ủy, ban thường vụ) the member sits on;
    # the head sits on it too (``heads_org_id``) without repeating it here.
    collective_org_id: int | None = None
    # Last year's shortcomings recorded for the member, and how they were remedied this year
    # (written in the self-review); "" = none recorded.
    previous_shortcomings: str = ""
    remedy: str = ""
    # Where the score came from when it was scored item by item: the criteria set and the
    # items that lost points, in Vietnamese ("" = typed in as two totals, or nothing lost).
    # The score check and the level's explanation repeat it.
    score_detail: str = ""
    # Posts held on the reference date (who is rated quarterly), and the quarterly ratings of
    # the year entered for the member (issue 24); empty where the commune does not rate
    # quarterly.
    holds_party_post: bool = False
    holds_other_post: bool = False
    quarters: tuple[QuarterRating, ...] = ()


@dataclass(frozen=True)
class OrgFacts:
    org_id: int
    name: str
    kind: OrgKind
    parent_id: int | None
    established_on: dt.date | None
    is_grassroots: bool
    disciplines: tuple[DisciplineFact, ...] = ()  # against the organisation itself
    collective_disciplines: tuple[DisciplineFact, ...] = ()  # against its leading collective
    disunity: bool = False
    tasks_below_half: bool = False
    government_lowest: bool = False  # the same-level government rated lowest
    mass_orgs_lowest: int = 0  # same-level mass organisations rated lowest
    score_general: float | None = None
    score_tasks: float | None = None
    score: float | None = None  # a one-figure total (hd27's 100 points) if used
    all_tasks_on_time: bool | None = None
    tasks_exceeded_share: float | None = None
    shortcomings_remedied: bool | None = None
    previous_level: str | None = None
    self_level: str | None = None
    # hd27: corruption or degradation that led to a member being disciplined (a flag).
    member_degradation_disciplined: bool = False
    # qd366: the share (0–1) of the organisation's tasks behind schedule; None = unknown.
    tasks_late_share: float | None = None
    score_detail: str = ""  # as MemberFacts.score_detail


@dataclass(frozen=True)
class VoteTally:
    subject: Subject
    counts: Mapping[str, int] = field(default_factory=FrozenMap)  # level code → votes


@dataclass(frozen=True)
class CellVoting:
    """Who could vote at a cell's meeting: the official members not exempt, and how many of
    them were present."""

    cell_id: int
    official_not_exempt: int
    present_official: int


@dataclass(frozen=True)
class PeriodFacts:
    year: int
    reference_date: dt.date
    members: tuple[MemberFacts, ...]
    organizations: tuple[OrgFacts, ...]
    votes: tuple[VoteTally, ...] = ()
    voting: tuple[CellVoting, ...] = ()
