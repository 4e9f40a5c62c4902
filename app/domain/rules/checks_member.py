"""Checks of a member's level: R1–R4 and R11 (the rule set's check codes)."""

from __future__ import annotations

from collections.abc import Iterator

from app.domain.rules.checkkit import cap, disciplines_text, finding, members_with_levels
from app.domain.rules.context import Context
from app.domain.rules.facts import MemberFacts, Subject
from app.domain.rules.findings import Finding, member_name
from app.domain.rules.leave import leave_length, spans_text
from app.domain.rules.model import CheckSpec
from app.domain.rules.registry import Param, at_tier, lowest, register
from app.domain.rules.schema import BoolSpec, IntSpec, LevelSpec


@register(
    "discipline",
    "Bị kỷ luật trong năm (R1)",
    {
        "cap": Param(
            LevelSpec("Mức cao nhất khi bị kỷ luật trong năm", "member"), lowest("member")
        ),
        "self_remedied_exception": Param(
            BoolSpec("Trừ trường hợp tự phát hiện và đã khắc phục xong hậu quả"), False
        ),
    },
)
def discipline(spec: CheckSpec, ctx: Context) -> Iterator[Finding]:
    """A member disciplined in the year is capped (KHTNV; hd27: HTNV), unless the rule set
    excepts violations self-detected and fully remedied (QĐ 124, QĐ 366)."""
    except_remedied = spec.params["self_remedied_exception"]
    for m, level in members_with_levels(ctx):
        counted = [
            d
            for d in ctx.in_year(m.disciplines)
            if not (except_remedied and d.self_detected_remedied)
        ]
        if counted:
            why = f"{member_name(m)} bị kỷ luật {disciplines_text(counted)}"
            yield from cap(
                spec, ctx, Subject("member", m.member_id), level, spec.params["cap"], why
            )


@register(
    "degradation",
    "Suy thoái hoặc hoàn thành dưới 50% nhiệm vụ (R2)",
    {"cap": Param(LevelSpec("Mức cao nhất", "member"), lowest("member"))},
)
def degradation(spec: CheckSpec, ctx: Context) -> Iterator[Finding]:
    """Flags entered by the user: concluded to show degradation, or < 50% of tasks done."""
    for m, level in members_with_levels(ctx):
        subject = Subject("member", m.member_id)
        if m.degradation:
            why = (
                f"{member_name(m)} bị kết luận suy thoái về tư tưởng chính trị, đạo đức, "
                "lối sống, “tự diễn biến”, “tự chuyển hóa”"
            )
            yield from cap(spec, ctx, subject, level, spec.params["cap"], why)
        if m.tasks_below_half:
            why = f"{member_name(m)} hoàn thành dưới 50% chỉ tiêu, nhiệm vụ được giao"
            yield from cap(spec, ctx, subject, level, spec.params["cap"], why)


@register(
    "civil_servant",
    "Đảng viên là cán bộ, công chức, viên chức (R3)",
    {
        "cap_if_state_fails": Param(
            LevelSpec("Mức cao nhất khi xếp loại công chức ở mức thấp nhất", "member"),
            lowest("member"),
        )
    },
)
def civil_servant(spec: CheckSpec, ctx: Context) -> Iterator[Finding]:
    """The state rating bounds the party rating: the top level needs the top state level; the
    lowest state level caps the member. A top level with no state rating known only warns."""
    scale = ctx.rs.member_levels
    top = scale.highest
    for m, level in members_with_levels(ctx):
        if not m.is_civil_servant:
            continue
        subject = Subject("member", m.member_id)
        state = m.state_level if m.state_level in scale else None
        if state is None:
            if scale.tier_of(level) == top.tier:
                known = f"“{m.state_level}” không đọc được" if m.state_level else "chưa có"
                message = (
                    f"{member_name(m)} là cán bộ, công chức, viên chức nhưng kết quả xếp loại "
                    f"công chức năm {ctx.year} {known}; cần được xếp loại công chức "
                    f"{top.name} mới được xếp loại {scale.get(level).name}."
                )
                yield finding(spec, subject, None, message, severity="warning")
            continue
        state_level = scale.get(state)
        why = f"{member_name(m)} được xếp loại công chức năm {ctx.year} là {state_level.name}"
        if state_level.tier == scale.lowest.tier:
            yield from cap(spec, ctx, subject, level, spec.params["cap_if_state_fails"], why)
        elif state_level.tier > top.tier:
            allowed = scale.best_at_tier(top.tier + 1).code
            yield from cap(spec, ctx, subject, level, allowed, why)


@register(
    "sick_leave",
    "Nghỉ ốm dài ngày (R4)",
    {
        "months": Param(IntSpec("Nghỉ ốm từ bao nhiêu tháng trong năm", 1, 12, "tháng"), 3),
        "cap": Param(
            LevelSpec("Mức cao nhất khi nghỉ ốm dài ngày", "member"), at_tier("member", 3)
        ),
    },
)
def sick_leave(spec: CheckSpec, ctx: Context) -> Iterator[Finding]:
    """Sick leave of N calendar months or more in the year, separate leaves added up
    (``leave.leave_length``), caps the member. Maternity leave is not sick leave: the member
    is judged on the time worked, so it produces no finding."""
    months = spec.params["months"]
    for m, level in members_with_levels(ctx):
        if not m.sick_leave:
            continue
        length = leave_length(m.sick_leave)
        if length.months >= months:
            why = (
                f"{member_name(m)} nghỉ ốm {length.text} trong năm {ctx.year} "
                f"({spans_text(m.sick_leave)}), từ {months} tháng trở lên"
            )
            subject = Subject("member", m.member_id)
            yield from cap(spec, ctx, subject, level, spec.params["cap"], why)


@register(
    "screening",
    "Hai năm liền không hoàn thành nhiệm vụ (R11)",
    {"level": Param(LevelSpec("Mức xét", "member"), lowest("member"))},
    severities=("warning",),
)
def screening(spec: CheckSpec, ctx: Context) -> Iterator[Finding]:
    """A member at the lowest level last year and again now goes on the screening list
    (HD 02-HD/BTCTW 2021). A warning only: no level resolves it, the cell must act."""
    code = spec.params["level"]
    name = ctx.rs.member_levels.get(code).name
    for m in screening_members(ctx, code):
        message = (
            f"{member_name(m)} năm {ctx.year - 1} và năm {ctx.year} đều xếp loại {name}: "
            "chi bộ xem xét đưa vào danh sách đảng viên cần giáo dục, giúp đỡ, sàng lọc "
            "(bỏ phiếu kín, cần ít nhất 2/3 đảng viên chính thức tán thành)."
        )
        yield finding(spec, Subject("member", m.member_id), code, message)


def screening_members(ctx: Context, code: str) -> list[MemberFacts]:
    """Evaluated members at *code* now and in the previous year, in name order."""
    return [
        m for m, level in members_with_levels(ctx) if level == code and m.previous_level == code
    ]
