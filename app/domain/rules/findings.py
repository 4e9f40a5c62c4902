"""What a check reports, and the plain words used to name people, units and levels."""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.rules.facts import MemberFacts, OrgFacts, Subject
from app.domain.rules.model import Confidence, Scale, Severity
from app.domain.vocabulary import OrgKind

# Shown under a finding that rests on a source the rule set marks as not sure.
CONFIDENCE_NOTES: dict[str, str] = {
    "likely": "Theo cách làm phổ biến, chưa đối chiếu được toàn văn hướng dẫn; có thể điều chỉnh.",
    "unsure": "Theo thực tiễn địa phương, chưa chắc chắn; có thể điều chỉnh.",
}


def confidence_note(confidence: Confidence) -> str | None:
    return CONFIDENCE_NOTES.get(confidence)


@dataclass(frozen=True)
class Finding:
    """One problem with a level. ``level`` is the level the finding concerns: for a cap, the
    highest level allowed; for a quota, the limited level; None when the subject must not be
    classified at all or the finding is about something else (a meeting, a missing fact).
    A blocking finding with a level is one ``propose`` resolves by lowering to that level."""

    severity: Severity
    subject: Subject
    check: str
    level: str | None
    message: str
    citation: str
    confidence_note: str | None = None

    @property
    def blocking(self) -> bool:
        return self.severity == "blocking"


def member_name(member: MemberFacts) -> str:
    return f"Đồng chí {member.full_name}"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text


def collective_name(org: OrgFacts) -> str:
    """The leading collective of *org*: "Chi ủy chi bộ Bản Mường", "Ban Thường vụ Đảng ủy…"."""
    return leading_collective_title(org.name, org.kind)


def leading_collective_title(name: str, kind: OrgKind) -> str:
    """The leading collective of the organisation called *name*: a cell's chi ủy ("Chi bộ bản
    Pá Có" → "Chi ủy chi bộ bản Pá Có"), a partial committee's đảng ủy, a grassroots
    committee's standing committee ("Đảng bộ xã Na Tông" → "Ban Thường vụ Đảng ủy xã Na
    Tông")."""
    committee = "Đảng ủy" + name[len("Đảng bộ") :] if name.startswith("Đảng bộ") else name
    if kind is OrgKind.CELL:
        return "Chi ủy " + (_lower_first(name) if name.startswith("Chi bộ") else name)
    if kind is OrgKind.PARTIAL_COMMITTEE:
        return committee if name.startswith("Đảng bộ") else "Đảng ủy " + name
    return "Ban Thường vụ " + committee


def cap_phrase(scale: Scale, code: str) -> str:
    """How a cap reads: "phải xếp loại Không hoàn thành nhiệm vụ" at the bottom of the scale,
    else "chỉ được xếp loại tối đa Hoàn thành nhiệm vụ"."""
    level = scale.get(code)
    if code == scale.lowest.code:
        return f"phải xếp loại {level.name}"
    return f"chỉ được xếp loại tối đa {level.name}"
