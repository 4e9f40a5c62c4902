"""A small province criteria set for the tests, and writing variants of it into a folder."""

from __future__ import annotations

from pathlib import Path

from app.domain.criteria import CriteriaSet, load_criteria
from app.paths import resources_dir

SHIPPED = resources_dir() / "criteria"

# A province's copy of the shipped set with its own items for members outside the political
# system (Mẫu 2C): one item of each scoring kind.
PROVINCE = """\
format = 1
id = "tinh-thu-2025"
name = "Bộ tiêu chí thử của tỉnh"
based_on = "qd366-2025"
first_year = 2025
total = 100
confidence = "likely"
citation = "Hướng dẫn của Ban Thường vụ Tỉnh ủy (thử)"

[[sheets]]
key = "pl5"
title = "Đảng viên không làm việc trong hệ thống chính trị"
applies_to = ["member:2C"]
citation = "Quy định 366-QĐ/TW, Phụ lục 5"

[[sheets.groups]]
key = "A"
title = "Tiêu chí chung"
part = "general"
points = 30
citation = "Phụ lục 5, phần A"

[[sheets.groups.items]]
key = "A.1"
text = "Dự sinh hoạt chi bộ"
points = 12
scoring = "count"
per_unit = 1
unit = "buổi"
confidence = "sure"

[[sheets.groups.items]]
key = "A.2"
text = "Chấp hành chủ trương, đường lối"
points = 10
scoring = "met"
confidence = "sure"

[[sheets.groups.items]]
key = "A.3"
text = "Tự phê bình và phê bình"
points = 8
scoring = "scale"
steps = [0, 4, 6, 8]
confidence = "likely"

[[sheets.groups]]
key = "B"
title = "Kết quả thực hiện nhiệm vụ"
part = "tasks"
points = 70
citation = "Phụ lục 5, phần B"

[[sheets.groups.items]]
key = "B.1"
text = "Nhiệm vụ chi bộ phân công"
points = 40
scoring = "scale"
confidence = "unsure"

[[sheets.groups.items]]
key = "B.2"
text = "Phát triển kinh tế gia đình"
points = 30
scoring = "scale"
confidence = "unsure"
"""


def changed(text: str, *replacements: tuple[str, str]) -> str:
    """*text* with each (old, new) replaced once; old must be there."""
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def province_set(tmp_path: Path, *replacements: tuple[str, str]) -> CriteriaSet:
    return load_criteria(write(tmp_path, "tinh-thu-2025.toml", changed(PROVINCE, *replacements)))
