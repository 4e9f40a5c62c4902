"""The report tests' communes and province, reused: a clerk's rights are tried on them."""

from __future__ import annotations

from tests.services.reports.conftest import (  # noqa: F401 (fixtures)
    commune_paths,
    decided_year,
    other_commune_templates,
    province_db,
    province_path,
)
