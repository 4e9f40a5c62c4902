"""Checks of a member's own fields, shared by the edit dialog and the workbook importer.

Each problem names the field by the label users see (the same words as the workbook's column
headers), so a message reads the same wherever it appears.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from app.domain.formatting import format_date
from app.domain.text import clean, normal_code
from app.domain.vocabulary import FormCategory, Gender

PARTY_FOUNDED = dt.date(1930, 2, 3)
MIN_ADMISSION_AGE = 18  # Điều lệ Đảng, Điều 1
CODE_PATTERN = re.compile(r"^[0-9A-Za-z._/\-]{1,40}$")

FIELD_LABELS = {
    "code": "Mã",
    "full_name": "Họ và tên",
    "birth_date": "Ngày sinh",
    "gender": "Giới tính",
    "cell": "Mã chi bộ",
    "admitted_on": "Ngày vào Đảng",
    "official_on": "Ngày chính thức",
    "party_post": "Chức vụ Đảng",
    "other_post": "Chức vụ khác",
    "form_category": "Đối tượng",
    "exempt_since": "Miễn sinh hoạt từ",
    "card_number": "Số thẻ",
    "is_civil_servant": "Công chức",
}


@dataclass(frozen=True, slots=True)
class MemberFields:
    """A member's own data as entered; text already cleaned to NFC."""

    code: str
    full_name: str
    birth_date: dt.date | None = None
    gender: Gender | None = None
    admitted_on: dt.date | None = None
    official_on: dt.date | None = None
    party_post: str = ""
    other_post: str = ""
    form_category: FormCategory = FormCategory.C
    is_civil_servant: bool = False
    card_number: str = ""
    exempt_since: dt.date | None = None

    def __post_init__(self) -> None:
        # However the code arrived (dialog, workbook, command line), it is kept in one form.
        object.__setattr__(self, "code", normal_code(self.code))


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """A problem with one field: its key, the message, and the label users see for it."""

    field: str
    message: str
    field_label: str = ""

    @property
    def label(self) -> str:
        return self.field_label or FIELD_LABELS.get(self.field, self.field)


def check_code(code: str) -> str | None:
    """The problem with a member or organisation code, or None."""
    if not code:
        return "chưa có mã"
    if not CODE_PATTERN.match(code):
        return (
            f"mã “{code}” chỉ được gồm chữ không dấu, chữ số và các dấu . _ / - (tối đa 40 ký tự)"
        )
    return None


def check_member(fields: MemberFields, today: dt.date) -> list[FieldProblem]:
    """Every problem with *fields* on *today*; an empty list means the record can be saved."""
    problems: list[FieldProblem] = []

    def problem(field: str, message: str) -> None:
        problems.append(FieldProblem(field, message))

    code_problem = check_code(fields.code)
    if code_problem:
        problem("code", code_problem)

    name = clean(fields.full_name)
    if not name:
        problem("full_name", "chưa nhập họ và tên")
    elif len(name.split(" ")) < 2:
        problem("full_name", f"“{name}” cần có cả họ và tên")
    elif len(name) > 120:
        problem("full_name", "họ và tên dài quá 120 ký tự")

    for field, day in (
        ("birth_date", fields.birth_date),
        ("admitted_on", fields.admitted_on),
        ("official_on", fields.official_on),
        ("exempt_since", fields.exempt_since),
    ):
        if day is not None and day > today:
            problem(field, f"ngày {format_date(day)} chưa tới (hôm nay là {format_date(today)})")

    if fields.admitted_on is None:
        problem("admitted_on", "chưa có ngày vào Đảng")
    elif fields.admitted_on < PARTY_FOUNDED:
        problem("admitted_on", f"ngày {format_date(fields.admitted_on)} trước ngày thành lập Đảng")
    elif fields.birth_date is not None and fields.admitted_on < fields.birth_date:
        # An age at joining would come out negative ("khi mới -6 tuổi"): one of the
        # two dates is wrong, and the message says which two disagree.
        problem(
            "admitted_on",
            f"ngày vào Đảng {format_date(fields.admitted_on)} không thể trước ngày sinh "
            f"{format_date(fields.birth_date)}: kiểm tra lại ngày sinh hoặc ngày vào Đảng",
        )
    elif fields.birth_date is not None:
        age = _age_on(fields.birth_date, fields.admitted_on)
        if age < MIN_ADMISSION_AGE:
            problem(
                "admitted_on",
                f"vào Đảng ngày {format_date(fields.admitted_on)} khi mới {age} tuổi "
                f"(cần đủ {MIN_ADMISSION_AGE} tuổi): kiểm tra lại ngày sinh hoặc ngày vào Đảng",
            )

    admitted = fields.admitted_on
    if fields.official_on is not None and admitted is not None and fields.official_on < admitted:
        problem(
            "official_on",
            f"ngày chính thức {format_date(fields.official_on)} trước ngày vào Đảng "
            f"{format_date(admitted)}",
        )
    if fields.exempt_since is not None and admitted is not None and fields.exempt_since < admitted:
        problem("exempt_since", "ngày miễn sinh hoạt trước ngày vào Đảng")
    if len(fields.card_number) > 40:
        problem("card_number", "số thẻ dài quá 40 ký tự")
    return problems


def _age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
