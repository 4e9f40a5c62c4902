"""Who is classified and who votes, at the period's reference date.

"At least N months" counts calendar months inclusively: a cell established on 01/07/2025 has
its six months on 31/12/2025. The N months are complete on the day before
the same day N months later; when that day does not exist (31/08 + 6 months), the months are
complete on the last day of that month (28/02 or 29/02).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from app.domain.rules.facts import MemberFacts, OrgFacts, PeriodFacts
from app.domain.rules.model import RuleSet


@dataclass(frozen=True)
class Eligibility:
    """``evaluated``: gets a level; ``votes``: may vote at the cell's meeting (official members
    only). ``reason`` is a not-classified code of the rule set ("exempt", "suspended",
    "new_member", "new_org") with its Vietnamese ``reason_label``."""

    evaluated: bool
    votes: bool
    reason: str | None = None
    reason_label: str | None = None
    probationary: bool = False


def months_complete_on(start: dt.date, months: int) -> dt.date:
    """The day on which *months* calendar months counted from *start* (inclusive) are done."""
    if months <= 0:
        return start - dt.timedelta(days=1)
    index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last_day = calendar.monthrange(year, month)[1]
    if start.day > last_day:
        return dt.date(year, month, last_day)
    return dt.date(year, month, start.day) - dt.timedelta(days=1)


def has_months(start: dt.date, months: int, on: dt.date) -> bool:
    """Whether at least *months* months have passed from *start* by *on*, inclusively."""
    return on >= months_complete_on(start, months)


def is_probationary(member: MemberFacts, reference_date: dt.date) -> bool:
    return member.official_on is None or member.official_on > reference_date


def eligibility(rs: RuleSet, period: PeriodFacts, member: MemberFacts) -> Eligibility:
    """Exempt → not classified, not a voter; suspended → not classified when the rule set
    says so; admitted fewer than N months before the reference date → not classified;
    probationary → classified but does not vote."""
    ref = period.reference_date
    probationary = is_probationary(member, ref)
    rule = rs.eligibility

    def out(code: str) -> Eligibility:
        return Eligibility(False, False, code, rs.reason_label(code), probationary)

    if member.exempt:
        return out("exempt")
    if member.suspended and rule.suspended_not_classified:
        return out("suspended")
    if member.admitted_on is not None and not has_months(
        member.admitted_on, rule.new_member_months, ref
    ):
        return out("new_member")
    # A suspended member still classified (a rule set that says so) cannot vote all the same.
    return Eligibility(True, not probationary and not member.suspended, probationary=probationary)


def org_eligibility(rs: RuleSet, period: PeriodFacts, org: OrgFacts) -> Eligibility:
    """An organisation established fewer than N months before the reference date is not
    classified; its leading collective follows it. ``votes`` is always False."""
    if org.established_on is not None and not has_months(
        org.established_on, rs.eligibility.new_org_months, period.reference_date
    ):
        return Eligibility(False, False, "new_org", rs.reason_label("new_org"))
    return Eligibility(True, False)
