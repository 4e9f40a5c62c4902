"""The adjustable parameters of each section of a rule set, with their Vietnamese labels.

The loader reads these keys, the writer writes them, and ``parameters()`` lists them; the
per-level maps (vote thresholds, score thresholds and conditions) are handled by name in those
modules because their keys are the rule set's own level codes.
"""

from __future__ import annotations

from app.domain.rules.schema import (
    BoolSpec,
    ChoiceListSpec,
    ChoiceSpec,
    IntSpec,
    LevelSpec,
    NumberSpec,
    RatioSpec,
    Spec,
)

SECTION_LABELS = {
    "eligibility": "Đối tượng xếp loại",
    "vote": "Biểu quyết của chi bộ",
    "quorum": "Số đảng viên dự hội nghị",
    "member_quota": "Tỷ lệ đảng viên Hoàn thành xuất sắc nhiệm vụ",
    "org_quota": "Tỷ lệ tổ chức đảng Hoàn thành xuất sắc nhiệm vụ",
    "exemplary_quota": "Tỷ lệ tổ chức “Trong sạch, vững mạnh tiêu biểu”",
    "score": "Chấm điểm",
}

ELIGIBILITY: dict[str, Spec] = {
    "new_member_months": IntSpec(
        "Đảng viên mới kết nạp chưa đủ bao nhiêu tháng thì không xếp loại", 0, 60, "tháng"
    ),
    "new_org_months": IntSpec(
        "Tổ chức đảng mới thành lập chưa đủ bao nhiêu tháng thì không xếp loại", 0, 60, "tháng"
    ),
    "suspended_not_classified": BoolSpec("Đảng viên bị đình chỉ sinh hoạt thì không xếp loại"),
}

DENOMINATORS = {
    "official_not_exempt": "tổng số đảng viên chính thức (trừ người miễn sinh hoạt)",
    "present_official": "số đảng viên chính thức có mặt",
}

VOTE: dict[str, Spec] = {
    "denominator": ChoiceSpec("Tỷ lệ phiếu tính trên", DENOMINATORS),
    "strict": BoolSpec(
        "Phải “trên” tỷ lệ (không tính trường hợp bằng đúng), cho mức không ghi riêng"
    ),
    "cascade": BoolSpec("Phiếu cho mức cao hơn được cộng vào các mức thấp hơn"),
}


TELLERS_MIN = IntSpec("Số người tối thiểu của tổ kiểm phiếu", 1, 9)


def vote_threshold_spec(code: str) -> RatioSpec:
    return RatioSpec(f"Tỷ lệ phiếu cần có để đề xuất mức {code}")


def vote_strict_spec(code: str) -> BoolSpec:
    return BoolSpec(f"Mức {code}: phải “trên” tỷ lệ phiếu (không tính trường hợp bằng đúng)")


QUORUM: dict[str, Spec] = {
    "share": RatioSpec("Tỷ lệ đảng viên chính thức phải có mặt"),
    "strict": BoolSpec("Phải “trên” tỷ lệ này (không tính trường hợp bằng đúng)"),
}

ROUNDINGS = {"floor": "làm tròn xuống", "half_up": "làm tròn", "ceil": "làm tròn lên"}
BASES = {
    "httnv": "chỉ tính số xếp mức làm căn cứ (Hoàn thành tốt nhiệm vụ)",
    "httnv_or_better": "tính số xếp mức làm căn cứ trở lên",
}
MEMBER_SCOPES = {"grassroots": "trong từng tổ chức cơ sở đảng", "cell": "trong từng chi bộ"}
ORG_SCOPES = {"siblings": "trong các tổ chức đảng cùng cấp trên trực tiếp"}
SEVERITIES = {"blocking": "bắt buộc (chặn)", "warning": "cảnh báo"}


def quota_specs(kind: str) -> dict[str, Spec]:
    """The parameters of ``member_quota``, ``org_quota`` or ``exemplary_quota``."""
    scale = "member" if kind == "member_quota" else "org"
    scopes = MEMBER_SCOPES if kind == "member_quota" else ORG_SCOPES
    return {
        "enabled": BoolSpec("Áp dụng giới hạn tỷ lệ"),
        "level": LevelSpec("Mức bị giới hạn", scale),
        "base_level": LevelSpec("Mức làm căn cứ tính tỷ lệ", scale),
        "rate": RatioSpec("Tỷ lệ tối đa"),
        "scope": ChoiceSpec("Phạm vi tính", scopes),
        "rounding": ChoiceSpec("Cách làm tròn", ROUNDINGS),
        "base": ChoiceSpec("Cách đếm số làm căn cứ", BASES),
        "severity": ChoiceSpec("Khi vượt tỷ lệ", SEVERITIES),
    }


SUBJECT_KINDS = {"member": "đảng viên", "org": "tổ chức đảng"}
CONDITIONS = {
    "all_tasks_on_time": "100% nhiệm vụ hoàn thành đúng tiến độ",
    "tasks_exceeded": "có tỷ lệ nhiệm vụ vượt yêu cầu đủ mức quy định",
    "shortcomings_remedied": "khắc phục xong hạn chế, khuyết điểm đã chỉ ra",
}

SCORE: dict[str, Spec] = {
    "enabled": BoolSpec("Dùng điểm để giới hạn mức xếp loại"),
    "applies_to": ChoiceListSpec("Chấm điểm cho", SUBJECT_KINDS),
    "parts": BoolSpec("Điểm gồm hai phần: tiêu chí chung và kết quả thực hiện nhiệm vụ"),
    "general_max": NumberSpec("Điểm tối đa phần tiêu chí chung", 0, 1000, "điểm"),
    "tasks_max": NumberSpec("Điểm tối đa phần kết quả thực hiện nhiệm vụ", 0, 1000, "điểm"),
    "total_max": NumberSpec("Tổng điểm tối đa", 0, 1000, "điểm"),
    "exceeded_share": RatioSpec("Tỷ lệ nhiệm vụ vượt yêu cầu cần có"),
    "severity": ChoiceSpec("Khi mức cao hơn mức theo điểm", SEVERITIES),
}


def score_threshold_spec(code: str) -> NumberSpec:
    return NumberSpec(f"Số điểm tối thiểu cho mức {code}", 0, 1000, "điểm")


def score_conditions_spec(code: str) -> ChoiceListSpec:
    return ChoiceListSpec(f"Điều kiện thêm cho mức {code}", CONDITIONS)
