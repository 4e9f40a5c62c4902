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


class AuditAction(StrEnum):
    """What an audit log entry records. The values are stored in the log, so they never change."""

    CREATE_PERIOD = "tao_ky"  # a period created with its rule set and rosters
    REFREEZE_ROSTER = "chot_lai_danh_sach"  # a cell's roster frozen again
    PLAN = "ke_hoach"  # the commune's plan dates
    SELF_REVIEW = "tu_kiem_diem"  # a member's self-review
    COLLECTIVE_REVIEW = "tu_danh_gia_tap_the"  # the cell's own review as a collective
    RECORD_MEETING = "ghi_hoi_nghi"  # the meeting: when, where, who chaired
    ATTENDANCE = "diem_danh"  # who attended the meeting
    OPINIONS = "y_kien"  # opinions at the meeting
    BALLOT_COUNTS = "so_phieu"  # ballots issued, returned, valid
    VOTES = "kiem_phieu"  # the votes per level
    ENTER_TALLY = "kiem_phieu_hai_nguoi"  # one teller's entry of the tally
    CLEAR_TALLY = "xoa_kiem_phieu_hai_nguoi"  # the two tellers' entries cleared
    NEXT_STEP = "chuyen_buoc"  # a cell moved to its next step
    STEP_BACK = "quay_lai_buoc"  # a cell moved back a step
    RECORD_SELF_LEVEL = "ghi_self"  # the self-assessed level
    RECORD_PROPOSED_LEVEL = "ghi_proposed"  # the cell's proposed level
    RECORD_DECIDED_LEVEL = "ghi_decided"  # the commune's decided level
    RECORD_PROVINCE_LEVEL = "ghi_tinh"  # the superior's level for the commune itself
    LOW_LEVEL_REASON = "ly_do_muc_thap"  # why a level is low or capped
    RETURN_CELL = "tra_lai"  # the commune returned a cell's proposal
    DECIDE = "quyet_dinh"  # the commune's decision for the period
    UNLOCK = "mo_khoa"  # a decided period opened again
    EDIT_OWN_RECORD = "sua_ho_so_cua_chinh_minh"  # the operator changed their own record
    IMPORT_VALUES = "nhap_goi"  # values written by a cell's package
    IMPORT_PACKAGE = "nhap_goi_du_lieu"  # a cell's package imported
    IMPORT_RESULTS = "nhap_ket_qua"  # past years' results imported
    OVERWRITE_RESULTS = "ghi_de_ket_qua"  # past years' results replaced by an import
    SET_PASSWORD = "dat_mat_khau"  # the window's password set
    CHANGE_PASSWORD = "doi_mat_khau"  # the window's password changed
    REMOVE_PASSWORD = "bo_mat_khau"  # the window's password removed
    DEMO_DATA = "du_lieu_mau"  # the demo's data written
    RECORD_HISTORY = "ghi_qua_trinh"  # a member's period (exemption, leave …) added or changed
    RECORD_DISCIPLINE = "ghi_ky_luat"  # a discipline decision added or corrected
    DELETE_HISTORY = "xoa_qua_trinh"  # a period or a discipline decision removed
    CHOOSE_CRITERIA = "chon_bo_tieu_chi"  # the criteria set a period scores by
    ITEM_SCORES = "cham_diem_tung_muc"  # a subject's scores item by item at one stage
    QUARTER_RATINGS = "danh_gia_theo_quy"  # a member's quarterly ratings of the year
    IMPORT_REPORT = "nhap_bao_cao_tinh"  # a commune's report stored by the province
    REPLACE_REPORT = "thay_bao_cao_tinh"  # a commune's corrected report replaced the stored one
    REJECT_REPORT = "tu_choi_bao_cao_tinh"  # the province refused a commune's report
    ADD_USER = "them_nguoi_dung"  # a user of a shared database added, with role and communes
    DEACTIVATE_USER = "khoa_nguoi_dung"  # a user of a shared database deactivated
    SET_USER_PASSWORD = "dat_mat_khau_nguoi_dung"  # a user's sign-in password set (not logged)

    @classmethod
    def recording_level(cls, stage: str) -> AuditAction:
        """The action of a level recorded at *stage* (self, proposed, decided)."""
        return cls(f"ghi_{stage}")


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
        table[fold(member.label)] = member
    for spelling, member in extra.items():
        table[fold(spelling)] = member
    # Accept the same words typed without diacritics.
    table.update({search_fold(key): value for key, value in list(table.items())})
    accepted = ", ".join(m.label for m in enum)

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
read_period_kind = _reader(
    PeriodKind,
    {
        "miễn công tác và sinh hoạt đảng": PeriodKind.EXEMPT,
        "miễn sinh hoạt đảng": PeriodKind.EXEMPT,
        "đình chỉ": PeriodKind.SUSPENDED,
        "đình chỉ sinh hoạt đảng": PeriodKind.SUSPENDED,
        "ốm": PeriodKind.SICK_LEAVE,
        "thai sản": PeriodKind.MATERNITY_LEAVE,
        "sinh hoạt tạm thời ở nơi khác": PeriodKind.TEMPORARY,
    },
    "loại thời gian",
)
