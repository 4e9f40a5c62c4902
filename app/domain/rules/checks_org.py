"""Checks of an organisation's level and of its leading collective: R5–R10
(the rule set's check codes).

"Members of an organisation" are the members of the cells at or below it; its "subordinate
organisations" are the organisations directly under it. Shares are counted over the
evaluated members (or organisations) with a recorded level (``shares.level_share``, the base
the summary uses too): a member recorded "Không xếp loại" or still without a level is outside
both the part and the whole.
"""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction

from app.domain.formatting import format_percent
from app.domain.rules.checkkit import (
    cap,
    disciplines_text,
    names,
    orgs_with_levels,
    units,
)
from app.domain.rules.context import Context
from app.domain.rules.facts import Subject
from app.domain.rules.findings import Finding, collective_name, member_name
from app.domain.rules.model import CheckSpec
from app.domain.rules.registry import Param, at_tier, lowest, register
from app.domain.rules.schema import (
    BoolSpec,
    ChoiceListSpec,
    ChoiceSpec,
    IntSpec,
    LevelSpec,
    RatioSpec,
    ratio_text,
)
from app.domain.rules.shares import Share, level_share, tally
from app.domain.vocabulary import DisciplineForm, OrgKind


@register(
    "org_members",
    "Tổ chức đảng HTTNV trở lên cần đủ tỷ lệ đảng viên, tổ chức trực thuộc (R5)",
    {
        "from_level": Param(LevelSpec("Áp dụng cho mức từ", "org"), at_tier("org", 2)),
        "cap": Param(LevelSpec("Mức cao nhất khi không đạt", "org"), at_tier("org", 3)),
        "good_share": Param(RatioSpec("Tỷ lệ tối thiểu xếp loại HTTNV trở lên"), Fraction(1, 2)),
        "include_mass_orgs": Param(
            BoolSpec("Đảng bộ: chính quyền, Mặt trận, đoàn thể cùng cấp phải HTNV trở lên"), True
        ),
    },
)
def org_members(spec: CheckSpec, ctx: Context) -> Iterator[Finding]:
    """A cell at ``from_level`` or better needs every evaluated member at the cap's tier or
    better and at least ``good_share`` of them at ``from_level``'s tier or better; a
    committee the same of its subordinate organisations (and of the same-level government and
    mass organisations, as flags)."""
    org_scale, member_scale = ctx.rs.org_levels, ctx.rs.member_levels
    from_level, allowed = spec.params["from_level"], spec.params["cap"]
    good_tier, floor_tier = org_scale.tier_of(from_level), org_scale.tier_of(allowed)
    share = spec.params["good_share"]
    for o, level in orgs_with_levels(ctx):
        if org_scale.is_above(from_level, level):
            continue
        subject = Subject("org", o.org_id)
        if o.kind is OrgKind.CELL:
            scale, noun = member_scale, "đảng viên"
            unit_levels = [
                (m.full_name, ctx.level(Subject("member", m.member_id)))
                for m in ctx.evaluated_members_in(o.org_id)
            ]
        else:
            scale, noun = org_scale, "tổ chức đảng trực thuộc"
            unit_levels = [
                (c.name, ctx.level(Subject("org", c.org_id)))
                for c in ctx.evaluated_children(o.org_id)
            ]
        low = [
            name for name, lv in unit_levels if lv is not None and scale.tier_of(lv) > floor_tier
        ]
        if low:
            floor_name = scale.best_at_tier(floor_tier).name
            why = f"{o.name} có {len(low)} {noun} xếp loại dưới mức {floor_name} ({names(low)})"
            yield from cap(spec, ctx, subject, level, allowed, why)
        good = level_share(
            tally(lv for _, lv in unit_levels),
            lambda lv, scale=scale: scale.tier_of(lv) <= good_tier,
        )
        if good.under(share):
            why = (
                f"{o.name} chỉ có {good.part}/{good.whole} {noun} "
                f"({format_percent(good.part, good.whole)}) xếp loại "
                f"từ {scale.best_at_tier(good_tier).name} trở lên, chưa đạt {ratio_text(share)}"
            )
            yield from cap(spec, ctx, subject, level, allowed, why)
        if o.kind is not OrgKind.CELL and spec.params["include_mass_orgs"]:
            if o.government_lowest:
                why = f"Chính quyền cùng cấp với {o.name} bị xếp loại mức thấp nhất"
                yield from cap(spec, ctx, subject, level, allowed, why)
            if o.mass_orgs_lowest > 0:
                why = (
                    f"{o.name} có {o.mass_orgs_lowest} đoàn thể cùng cấp bị xếp loại mức thấp nhất"
                )
                yield from cap(spec, ctx, subject, level, allowed, why)


def _member_share(ctx: Context, org_id: int, code: str) -> Share:
    """The evaluated members of *org_id* at *code* over those with a recorded level."""
    levels = (ctx.level(Subject("member", m.member_id)) for m in ctx.evaluated_members_in(org_id))
    return level_share(tally(levels), lambda lv: lv == code)


ORG_KINDS = {kind.value: kind.label for kind in OrgKind}


@register(
    "org_fail_share",
    "Quá tỷ lệ đảng viên không hoàn thành nhiệm vụ (R6)",
    {
        "share": Param(RatioSpec("Tỷ lệ đảng viên KHTNV tối đa"), Fraction(1, 5)),
        "strict": Param(BoolSpec("Chỉ tính khi “quá” tỷ lệ (bằng đúng thì không)"), True),
        "cap": Param(LevelSpec("Mức phải xếp", "org"), lowest("org")),
        "org_kinds": Param(ChoiceListSpec("Áp dụng cho", ORG_KINDS), ("chi_bo",)),
    },
)
def org_fail_share(spec: CheckSpec, ctx: Context) -> Iterator[Finding]:
    """More than ``share`` of the evaluated members at the lowest member level caps the
    organisation (by default cells only, as the source says)."""
    lowest_member = ctx.rs.member_levels.lowest
    share, strict = spec.params["share"], spec.params["strict"]
    for o, level in orgs_with_levels(ctx):
        if o.kind.value not in spec.params["org_kinds"]:
            continue
        failed = _member_share(ctx, o.org_id, lowest_member.code)
        if failed.over(share, strict):
            why = (
                f"{o.name} có {failed.part}/{failed.whole} đảng viên "
                f"({format_percent(failed.part, failed.whole)}) xếp loại {lowest_member.name}, "
                f"{'quá' if strict else 'từ'} {ratio_text(share)}"
            )
            yield from cap(spec, ctx, Subject("org", o.org_id), level, spec.params["cap"], why)


COMMITTEE_PARTIES = {
    "subordinate_units": "tổ chức đảng trực thuộc",
    "collective_members": "ủy viên tập thể lãnh đạo (cấp ủy)",
    "any_member": "bất kỳ đảng viên nào của đảng bộ",
}


@register(
    "org_discipline",
    "Tổ chức đảng hoặc đảng viên bị kỷ luật trong năm (R7)",
    {
        "member_cap": Param(
            LevelSpec("Mức cao nhất khi có đảng viên bị kỷ luật", "org"), at_tier("org", 2)
        ),
        "org_cap": Param(LevelSpec("Mức phải xếp khi tổ chức bị kỷ luật", "org"), lowest("org")),
        "committee_parties": Param(
            ChoiceListSpec(
                "Đảng bộ (xã) không được mức cao nhất khi bị kỷ luật trong năm",
                COMMITTEE_PARTIES,
            ),
            ("subordinate_units", "any_member"),
        ),
    },
)
def org_discipline(spec: CheckSpec, ctx: Context) -> Iterator[Finding]:
    """A cell with a member disciplined in the year is kept from the top level (capped at
    ``member_cap``); a committee (the commune's đảng bộ) is when one of the parties listed
    in ``committee_parties`` was disciplined: a subordinate organisation, a member of its
    leading collective (QĐ 366: "no subordinate unit, no member of the leading collective
    disciplined"), or any member under it. The organisation itself disciplined is capped at
    ``org_cap``. Every discipline counts here, remedied or not."""
    parties = spec.params["committee_parties"]
    for o, level in orgs_with_levels(ctx):
        subject = Subject("org", o.org_id)
        own = ctx.in_year(o.disciplines)
        if own:
            why = f"{o.name} bị kỷ luật {disciplines_text(own)}"
            yield from cap(spec, ctx, subject, level, spec.params["org_cap"], why)
        committee = o.kind is not OrgKind.CELL
        if not committee or "any_member" in parties:
            punished = [m.full_name for m in ctx.members_in(o.org_id) if ctx.in_year(m.disciplines)]
            if punished:
                why = (
                    f"{o.name} có {len(punished)} đảng viên bị kỷ luật trong năm {ctx.year} "
                    f"({names(punished)})"
                )
                yield from cap(spec, ctx, subject, level, spec.params["member_cap"], why)
        if committee and "collective_members" in parties:
            seated = [
                m.full_name
                for m in ctx.collective_members.get(o.org_id, [])
                if ctx.in_year(m.disciplines)
            ]
            if seated:
                why = (
                    f"{collective_name(o)} có ủy viên bị kỷ luật trong năm {ctx.year} "
                    f"({names(seated)})"
                )
                yield from cap(spec, ctx, subject, level, spec.params["member_cap"], why)
        if committee and "subordinate_units" in parties:
            below = [c.name for c in ctx.children(o.org_id) if ctx.in_year(c.disciplines)]
            if below:
                why = (
                    f"{o.name} có tổ chức đảng trực thuộc bị kỷ luật trong năm {ctx.year} "
                    f"({units(below)})"
                )
                yield from cap(spec, ctx, subject, level, spec.params["member_cap"], why)


@register(
    "tasks_late",
    "Tỷ lệ nhiệm vụ chậm tiến độ (Quy định 366)",
    {
        "share": Param(RatioSpec("Tỷ lệ nhiệm vụ chậm tiến độ tối đa"), Fraction(1, 5)),
        "level": Param(LevelSpec("Điều kiện của mức", "org"), at_tier("org", 3)),
    },
)
def tasks_late(spec: CheckSpec, ctx: Context) -> Iterator[Finding]:
    """QĐ 366: an organisation is HTNV (``level``) only with at most ``share`` of its tasks
    behind schedule; a known share above it keeps the organisation below that level (and so
    below every better one). An unknown share never counts."""
    scale = ctx.rs.org_levels
    level_code, share = spec.params["level"], spec.params["share"]
    if scale.tier_of(level_code) >= scale.lowest.tier:
        return  # nothing is below the lowest level
    allowed = scale.best_at_tier(scale.tier_of(level_code) + 1).code
    for o, level in orgs_with_levels(ctx):
        late = o.tasks_late_share
        if late is None or Fraction(repr(float(late))) <= share:
            continue
        why = (
            f"{o.name} có {format_percent(float(late))} nhiệm vụ chậm tiến độ, quá "
            f"{ratio_text(share)} (điều kiện của mức {scale.get(level_code).name})"
        )
        yield from cap(spec, ctx, Subject("org", o.org_id), level, allowed, why)


FORMS = {form.value: form.label for form in DisciplineForm}


@register(
    "leading_collective",
    "Tập thể lãnh đạo (chi ủy, ban thường vụ) không hoàn thành nhiệm vụ (R8)",
    {
        "cap": Param(LevelSpec("Mức phải xếp", "org"), lowest("org")),
        "min_form": Param(
            ChoiceSpec("Ủy viên bị kỷ luật từ hình thức", FORMS), DisciplineForm.WARNING.value
        ),
        "subordinate_share_enabled": Param(
            BoolSpec("Tính tỷ lệ tổ chức đảng trực thuộc bị kỷ luật"), False
        ),
        "subordinate_share": Param(
            RatioSpec("Tỷ lệ tổ chức đảng trực thuộc bị kỷ luật tối đa"), Fraction(1, 5)
        ),
    },
)
def leading_collective(spec: CheckSpec, ctx: Context) -> Iterator[Finding]:
    """The collective is capped when it was disciplined, when one of its members was
    disciplined at ``min_form`` or above, when the organisation's disunity or < 50% of tasks
    is concluded (flags), or (QĐ 124) when more than ``subordinate_share`` of the subordinate
    organisations were disciplined in the year."""
    allowed = spec.params["cap"]
    min_rank = DisciplineForm(spec.params["min_form"]).severity
    for o, level in orgs_with_levels(ctx, "collective"):
        subject = Subject("collective", o.org_id)
        who = collective_name(o)

        def capped(why: str, level: str = level, subject: Subject = subject) -> list[Finding]:
            return cap(spec, ctx, subject, level, allowed, why)

        own = ctx.in_year(o.collective_disciplines)
        if own:
            yield from capped(f"{who} bị kỷ luật {disciplines_text(own)}")
        for m in ctx.collective_members.get(o.org_id, []):
            heavy = [d for d in ctx.in_year(m.disciplines) if d.form.severity >= min_rank]
            if heavy:
                yield from capped(f"{who} có {member_name(m)} bị kỷ luật {disciplines_text(heavy)}")
        if o.disunity:
            yield from capped(f"{o.name} được kết luận mất đoàn kết nội bộ")
        if o.tasks_below_half:
            yield from capped(f"{o.name} hoàn thành dưới 50% chỉ tiêu, nhiệm vụ được giao")
        if spec.params["subordinate_share_enabled"]:
            below = ctx.children(o.org_id)
            punished = [c for c in below if ctx.in_year(c.disciplines)]
            if Share(len(punished), len(below)).over(spec.params["subordinate_share"]):
                yield from capped(
                    f"{o.name} có {len(punished)}/{len(below)} tổ chức đảng trực thuộc "
                    f"({format_percent(len(punished), len(below))}) bị kỷ luật trong năm "
                    f"{ctx.year}, quá {ratio_text(spec.params['subordinate_share'])}"
                )


@register("head_not_above_unit", "Người đứng đầu không xếp cao hơn tổ chức mình lãnh đạo (R9)")
def head_not_above_unit(spec: CheckSpec, ctx: Context) -> Iterator[Finding]:
    """The head's level may not be above the level of the unit he or she leads (compared by
    tier, since members and organisations may have different scales)."""
    member_scale = ctx.rs.member_levels
    for o, org_level in orgs_with_levels(ctx):
        head = ctx.heads.get(o.org_id)
        if head is None:
            continue
        subject = Subject("member", head.member_id)
        level = ctx.level(subject)
        if level is None or not ctx.member_eligibility(head).evaluated:
            continue
        org_tier = ctx.rs.org_levels.tier_of(org_level)
        allowed = member_scale.best_at_tier(org_tier).code
        why = (
            f"{member_name(head)} là người đứng đầu {o.name}, mà {o.name} xếp loại "
            f"{ctx.rs.org_levels.get(org_level).name}"
        )
        yield from cap(spec, ctx, subject, level, allowed, why)


@register(
    "weak_org",
    "Tổ chức đảng yếu kém (R10, Hướng dẫn 27)",
    {
        "cap": Param(LevelSpec("Mức phải xếp", "org"), lowest("org")),
        "member_share": Param(RatioSpec("Chi bộ: tỷ lệ đảng viên KHTNV quá"), Fraction(1, 2)),
        "subordinate_share": Param(
            RatioSpec("Đảng bộ: tỷ lệ tổ chức trực thuộc yếu kém quá"), Fraction(1, 3)
        ),
        "mass_orgs_min": Param(IntSpec("Số đoàn thể cùng cấp xếp thấp nhất từ", 1, 20), 2),
    },
)
def weak_org(spec: CheckSpec, ctx: Context) -> Iterator[Finding]:
    """hd27 "Yếu kém": a cell with more than half its members at the lowest level; a committee
    with more than a third of its subordinate organisations weak; and the flags (disunity,
    a member disciplined for corruption or degradation, the government or two mass
    organisations rated lowest). A score below 50 is the score section's cap."""
    allowed = spec.params["cap"]
    lowest_member = ctx.rs.member_levels.lowest
    for o, level in orgs_with_levels(ctx):
        subject = Subject("org", o.org_id)

        def capped(why: str, level: str = level, subject: Subject = subject) -> list[Finding]:
            return cap(spec, ctx, subject, level, allowed, why)

        if o.kind is OrgKind.CELL:
            failed = _member_share(ctx, o.org_id, lowest_member.code)
            if failed.over(spec.params["member_share"]):
                yield from capped(
                    f"{o.name} có {failed.part}/{failed.whole} đảng viên "
                    f"({format_percent(failed.part, failed.whole)}) xếp loại "
                    f"{lowest_member.name}, quá {ratio_text(spec.params['member_share'])}"
                )
        else:
            weak = level_share(
                tally(
                    ctx.level(Subject("org", c.org_id)) for c in ctx.evaluated_children(o.org_id)
                ),
                lambda lv: lv == allowed,
            )
            if weak.over(spec.params["subordinate_share"]):
                yield from capped(
                    f"{o.name} có {weak.part}/{weak.whole} tổ chức đảng trực thuộc "
                    f"({format_percent(weak.part, weak.whole)}) xếp loại "
                    f"{ctx.rs.org_levels.get(allowed).name}, "
                    f"quá {ratio_text(spec.params['subordinate_share'])}"
                )
        if o.disunity:
            yield from capped(f"{o.name} được kết luận mất đoàn kết nội bộ")
        if o.member_degradation_disciplined:
            yield from capped(f"{o.name} có đảng viên bị kỷ luật do tham nhũng, suy thoái")
        if o.government_lowest:
            yield from capped(f"Chính quyền cùng cấp với {o.name} bị xếp loại mức thấp nhất")
        if o.mass_orgs_lowest >= spec.params["mass_orgs_min"]:
            yield from capped(
                f"{o.name} có {o.mass_orgs_lowest} đoàn thể cùng cấp bị xếp loại mức thấp nhất"
            )
