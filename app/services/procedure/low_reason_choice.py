"""What the window asks before a low level is saved: whether a reason goes
with the level, whether the rule engine already knows it, and otherwise the rule set's
reasons the user may choose from (the ones no check of the engine stands behind).

Nothing is written here: the answer goes to ``procedure.steps.set_proposal(reason=)`` or
``appraisal.change_level(low_reason=)``, which resolve and store it (``low_reasons``).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.rules import Subject
from app.domain.rules.low_reasons import is_low, needs_reason, reason_label, reasons_for
from app.services.common.errors import ServiceError
from app.services.periods import rule_sets as rulesets
from app.services.periods.lifecycle import find
from app.services.procedure import low_reasons
from app.store.database import Database


@dataclass(frozen=True)
class ReasonChoice:
    code: str
    text: str  # "Còn hạn chế, khuyết điểm chưa khắc phục": the words a clerk reads (issue 19)
    citation: str


@dataclass(frozen=True)
class ReasonQuestion:
    """The reason that goes with *level*: ``automatic`` when the engine fills it (nothing to
    ask), else ``choices`` to pick from, ``required`` when the rule set refuses the level
    without one."""

    level: str
    level_name: str
    ruleset_name: str
    required: bool
    automatic: str  # the engine's code, "" when it knows none
    automatic_text: str  # its words ("Bị kỷ luật trong năm"), never the code
    choices: tuple[ReasonChoice, ...]
    engine_codes: tuple[str, ...]  # the codes the engine writes itself (R1…, DIEM, TYLE)
    engine_texts: tuple[str, ...] = ()  # the same reasons in words, for the window to show

    @property
    def asks(self) -> bool:
        return not self.automatic and bool(self.choices)


def question(db: Database, year: int, subject: Subject, level: str | None) -> ReasonQuestion | None:
    """None when no reason goes with *level* for *subject* (not HTNV or worse), else what to
    ask. Reads only."""
    if level is None:
        return None
    with db.session() as session:
        period = find(session, year)
        rs = rulesets.from_snapshot(period.ruleset_snapshot, period.year)
        kind = subject.kind
        if level not in rs.scale(kind) or not is_low(rs, kind, level):
            return None
        try:
            automatic = low_reasons.resolve(session, period, rs, subject, level, None)
        except ServiceError:  # ReasonMissing: the engine knows none and one is required
            automatic = ""
        listed = reasons_for(rs, kind)
        choices = tuple(
            ReasonChoice(r.code, reason_label(rs, r.code), r.citation)
            for r in listed
            if not r.checks
        )
        return ReasonQuestion(
            level=level,
            level_name=rs.scale(kind).get(level).name,
            ruleset_name=rs.name,
            required=needs_reason(rs, kind, level),
            automatic=automatic,
            automatic_text=reason_label(rs, automatic) if automatic else "",
            choices=choices,
            engine_codes=tuple(r.code for r in listed if r.checks),
            engine_texts=tuple(reason_label(rs, r.code) for r in listed if r.checks),
        )
