"""Hypothesis profiles of the fuzz tests (tests/reliability/test_fuzz_*.py).

"fuzz", the default: a bounded, derandomized run (the same examples every time, so the
default suite never turns red by luck), well under a minute for the whole set.
"long": ``HYPOTHESIS_PROFILE=long`` (``make fuzz``), thousands of fresh random examples.

Each fuzz test copies its template database per example itself, so a function-scoped fixture
shared between examples (tmp_path) is fine: the health check about it is turned off.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings

_COMMON = {
    "deadline": None,
    "database": None,  # nothing written into the working tree
    "print_blob": True,  # a failure prints the @reproduce_failure line to replay it
    "suppress_health_check": [
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
}
settings.register_profile("fuzz", max_examples=30, derandomize=True, **_COMMON)
settings.register_profile("long", max_examples=2000, **_COMMON)
