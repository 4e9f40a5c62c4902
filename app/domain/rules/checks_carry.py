"""Last year's shortcomings carried over.

QĐ 366 lets a member be rated HTXSNV only when the shortcomings pointed out have been
remedied. Last year's shortcomings are on record; this check looks for a top-level proposal
whose remedy was never written down. Enabled by the rule sets that require it (qd366-2025).

``remedy_reminders`` is the self-review step's own reminder, in every regime: the form has a
section for the remedy of earlier shortcomings, so a member who had some should write it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from app.domain.rules.checkkit import cap, members_with_levels
from app.domain.rules.context import Context
from app.domain.rules.facts import MemberFacts, Subject
from app.domain.rules.findings import Finding, member_name
from app.domain.rules.model import CheckSpec
from app.domain.rules.registry import Param, at_tier, register
from app.domain.rules.schema import LevelSpec

EXCERPT = 60  # characters of last year's text quoted in a finding
REMINDER_CHECK = "remedy_missing"
REMINDER_CITATION = (
    "Mẫu bản kiểm điểm cá nhân, mục “Kết quả khắc phục hạn chế, khuyết điểm đã được cấp có "
    "thẩm quyền kết luận hoặc được chỉ ra ở các kỳ kiểm điểm trước”"
)


def excerpt(text: str) -> str:
    """The first line of *text*, cut to a readable length."""
    first = " ".join(text.split())
    return first if len(first) <= EXCERPT else first[: EXCERPT - 1].rstrip() + "…"


def unremedied(m: MemberFacts) -> bool:
    return bool(m.previous_shortcomings.strip()) and not m.remedy.strip()


@register(
    "carried_shortcomings",
    "Hạn chế năm trước chưa ghi kết quả khắc phục",
    {
        "level": Param(
            LevelSpec("Mức cần đã khắc phục hạn chế năm trước", "member"), at_tier("member", 1)
        ),
        "cap": Param(
            LevelSpec("Mức cao nhất khi chưa ghi khắc phục", "member"), at_tier("member", 2)
        ),
    },
)
def carried_shortcomings(spec: CheckSpec, ctx: Context) -> Iterator[Finding]:
    """A member at *level* (or better) whose shortcomings of last year have no remedy
    recorded this year: the level needs them remedied, so the finding names the cap."""
    scale = ctx.rs.member_levels
    needs = spec.params["level"]
    for m, level in members_with_levels(ctx):
        if not unremedied(m) or scale.is_above(needs, level):
            continue
        why = (
            f"{member_name(m)} được đề nghị {scale.get(level).name} nhưng hạn chế, khuyết "
            f"điểm được chỉ ra năm {ctx.year - 1} (“{excerpt(m.previous_shortcomings)}”) chưa "
            "được ghi kết quả khắc phục"
        )
        yield from cap(spec, ctx, Subject("member", m.member_id), level, spec.params["cap"], why)


def remedy_reminders(year: int, members: Iterable[MemberFacts]) -> list[Finding]:
    """A warning for each member with last year's shortcomings and no remedy written yet."""
    return [
        Finding(
            "warning",
            Subject("member", m.member_id),
            REMINDER_CHECK,
            None,
            f"{member_name(m)}: chưa ghi kết quả khắc phục hạn chế năm {year - 1} "
            f"(“{excerpt(m.previous_shortcomings)}”).",
            REMINDER_CITATION,
        )
        for m in members
        if unremedied(m)
    ]
