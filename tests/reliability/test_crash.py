"""Kill a writer 200 times: no integrity failure, no acknowledged write lost."""

from __future__ import annotations

import os
from pathlib import Path

from tests.reliability.crash_harness import run

KILLS = int(os.environ.get("DANHGIA_CRASH_KILLS", "200"))


def test_sigkill_at_random_moments_loses_nothing_acknowledged(full_demo_template: Path) -> None:
    campaign = run(full_demo_template, KILLS, seed=7)
    assert campaign.kills == KILLS
    # Each kill comes after at least one acknowledged save (crash_harness.run).
    assert campaign.acknowledged >= KILLS
    assert campaign.integrity_failures == []
    assert campaign.lost == []
