"""The command line speaks to a clerk: no library's deprecation notice in English on stderr."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_importing_the_signing_library_prints_no_warning() -> None:
    code = (
        "from app.__main__ import quiet_library_warnings\n"
        "quiet_library_warnings()\n"
        "import pyhanko.sign.signers.pdf_cms\n"
    )
    done = subprocess.run(
        [sys.executable, "-W", "default", "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "Warning" not in done.stderr, done.stderr
