"""The enumerated values of the records, with their Vietnamese labels and how to read them back.

Values typed by users or found in workbooks are matched after NFC, trimming and case-folding,
and a few common spellings are accepted ("Nu" for "Nữ", "ĐBBP" for "Đảng bộ bộ phận").
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import TypeVar

from app.domain.text import fold, search_fold


class PostKind(StrEnum):
    PARTY = "dang"  # chức vụ Đảng: bí thư, phó bí thư, chi ủy viên …
    OTHER = "khac"  # chính quyền, Mặt trận, đoàn thể, cơ quan


class OrgKind(StrEnum):
    COMMITTEE = "dang_bo"  # đảng bộ (grassroots or above)
    PARTIAL_COMMITTEE = "dang_bo_bo_phan"  # đảng bộ bộ phận
    CELL = "chi_bo"  # chi bộ

    @property
    def label(self) -> str:
        return _ORG_KIND_LABELS[self]


_ORG_KIND_LABELS = {
    OrgKind.COMMITTEE: "Đảng bộ",
    OrgKind.PARTIAL_COMMITTEE: "Đảng bộ bộ phận",
    OrgKind.CELL: "Chi bộ",
}


class Gender(StrEnum):
    MALE = "nam"
    FEMALE = "nu"

    @property
    def label(self) -> str:
        return "Nam" if self is Gender.MALE else "Nữ"


class FormCategory(StrEnum):
    """Which self-review form a member writes (HD 43-2025: Mẫu 2A, 2B, 2C)."""

    A = "2A"  # works in the political system, no leadership post
    B = "2B"  # holds a leadership or management post
    C = "2C"  # does not work in the political system (farmers, retirees, private sector)

    @property
    def label(self) -> str:
        return f"Mẫu {self.value}"


class PeriodKind(StrEnum):
    """Periods in a member's history that later rules read."""

    EXEMPT = "mien_sinh_hoat"  # miễn công tác và sinh hoạt đảng
    SUSPENDED = "dinh_chi"  # đình chỉ sinh hoạt đảng
    SICK_LEAVE = "nghi_om"  # nghỉ ốm
    MATERNITY_LEAVE = "nghi_thai_san"  # nghỉ thai sản
    TEMPORARY = "sinh_hoat_tam_thoi"  # sinh hoạt tạm thời ở nơi khác

    @property
    def label(self) -> str:
        return _PERIOD_LABELS[self]


_PERIOD_LABELS = {
    PeriodKind.EXEMPT: "Miễn sinh hoạt",
    PeriodKind.SUSPENDED: "Đình chỉ sinh hoạt",
    PeriodKind.SICK_LEAVE: "Nghỉ ốm",
    PeriodKind.MATERNITY_LEAVE: "Nghỉ thai sản",
    PeriodKind.TEMPORARY: "Sinh hoạt tạm thời",
}


class DisciplineForm(StrEnum):
    """Forms of party discipline (QĐ 69-QĐ/TW 2022), mildest first."""

    REPRIMAND = "khien_trach"
    WARNING = "canh_cao"
    DISMISSAL = "cach_chuc"
    EXPULSION = "khai_tru"

    @property
    def label(self) -> str:
        return _DISCIPLINE_LABELS[self]

    @property
    def severity(self) -> int:
        return list(DisciplineForm).index(self)


_DISCIPLINE_LABELS = {
    DisciplineForm.REPRIMAND: "Khiển trách",
    DisciplineForm.WARNING: "Cảnh cáo",
    DisciplineForm.DISMISSAL: "Cách chức",
    DisciplineForm.EXPULSION: "Khai trừ",
}


class VocabularyError(ValueError):
    """A value that is not one of the accepted words; the message lists what is accepted."""


E = TypeVar("E", bound=StrEnum)


def _reader(enum: type[E], extra: dict[str, E], what: str) -> Callable[[str], E]:
    table: dict[str, E] = {}
    for member in enum:
        table[fold(member.value)] = member
        table[fold(member.label)] = member  # type: ignore[attr-defined]
    for spelling, member in extra.items():
        table[fold(spelling)] = member
    # Accept the same words typed without diacritics.
    table.update({search_fold(key): value for key, value in list(table.items())})
    accepted = ", ".join(m.label for m in enum)  # type: ignore[attr-defined]

    def read(text: str) -> E:
        key = fold(text)
        found = table.get(key) or table.get(search_fold(key))
        if found is None:
            raise VocabularyError(f"“{text}” không phải {what} hợp lệ (chấp nhận: {accepted})")
        return found

    return read


read_org_kind = _reader(
    OrgKind,
    {
        "đảng ủy": OrgKind.COMMITTEE,
        "đảng bộ cơ sở": OrgKind.COMMITTEE,
        "đbbp": OrgKind.PARTIAL_COMMITTEE,
        "chi bộ cơ sở": OrgKind.CELL,
        "chi bộ trực thuộc": OrgKind.CELL,
    },
    "loại tổ chức",
)
read_gender = _reader(Gender, {"nam giới": Gender.MALE, "nữ giới": Gender.FEMALE}, "giới tính")
read_form_category = _reader(
    FormCategory,
    {"a": FormCategory.A, "b": FormCategory.B, "c": FormCategory.C,
     "02a": FormCategory.A, "02b": FormCategory.B, "02c": FormCategory.C},
    "đối tượng (2A/2B/2C)",
)  # fmt: skip
read_discipline_form = _reader(DisciplineForm, {}, "hình thức kỷ luật")
