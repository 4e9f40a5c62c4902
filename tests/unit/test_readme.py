"""The README's promises about the machine stay true: its apt-get line is what `.ci/run`
installs (CI proves the line works), and `packaging/linux/check-fresh-machine.sh` finds it."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _readme_packages() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"^sudo apt-get install (.*?)^```", text, re.MULTILINE | re.DOTALL)
    assert block, "README.md has no 'sudo apt-get install' block"
    return block.group(1).replace("\\", " ").split()


def _ci_packages() -> set[str]:
    text = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    install = re.search(
        r"apt-get install -y -qq --no-install-recommends \\\n(.*?)\n\n", text, re.DOTALL
    )
    assert install, ".ci/run installs nothing with apt-get"
    return set(install.group(1).replace("\\", " ").split())


def test_ci_installs_exactly_what_the_readme_lists_and_the_bundle_needs() -> None:
    readme = _readme_packages()
    assert "libxcb-cursor0" in readme  # Qt ≥ 6.5's xcb plugin will not start without it
    assert {"python3", "python3-venv", "make"} <= set(readme)
    assert _ci_packages() - set(readme) == {"binutils", "libgssapi-krb5-2", "git", "faketime"}
    assert set(readme) <= _ci_packages()


def test_the_readme_is_a_short_front_door_whose_links_lead_somewhere() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(text.encode("utf-8")) < 10_000
    assert text.startswith("# DanhGia\n\n```\nmake run ")
    links = re.findall(r"\]\(([^)#]+)\)", text)
    assert "docs/huong-dan-su-dung.md" in links and "docs/architecture.md" in links
    for link in links:
        assert (ROOT / link).is_file(), link
