"""The layering rules of architecture.md, checked rather than hoped for."""

from __future__ import annotations

import ast
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[2] / "app"


def modules(root: Path) -> list[str]:
    names = []
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(APP.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names.append(".".join(parts))
    return names


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_nothing_outside_the_ui_imports_pyside6() -> None:
    """Import every module outside app/ui with PySide6 made unimportable."""
    outside_ui = [m for m in modules(APP) if not m.startswith("app.ui")]
    script = textwrap.dedent(
        f"""
        import importlib, sys

        class Block:
            def find_spec(self, name, path=None, target=None):
                if name == "PySide6" or name.startswith("PySide6."):
                    raise ImportError("PySide6 is blocked outside app/ui: " + name)
                return None

        sys.meta_path.insert(0, Block())
        for name in {outside_ui!r}:
            if name == "app.__main__":
                continue
            importlib.import_module(name)
        print("ok", len({outside_ui!r}))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=APP.parent, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok")


def test_domain_imports_only_the_standard_library() -> None:
    stdlib = set(sys.stdlib_module_names) | {"__future__"}
    sources = sorted((APP / "domain").rglob("*.py"))
    assert len(sources) > 10
    for path in sources:
        for name in imported_modules(path):
            top = name.split(".")[0]
            assert top in stdlib or name.startswith("app.domain"), f"{path.name} imports {name}"


def test_imports_point_one_way() -> None:
    """ui → services → {store, documents} → domain; cli → services. Never backwards."""
    forbidden = {
        "domain": ("app.store", "app.services", "app.ui", "app.cli", "app.documents"),
        "store": ("app.services", "app.ui", "app.cli", "app.documents"),
        "documents": ("app.store", "app.services", "app.ui", "app.cli"),
        "services": ("app.ui", "app.cli"),
    }
    for layer, banned in forbidden.items():
        sources = sorted((APP / layer).rglob("*.py"))
        assert sources, layer
        for path in sources:
            for name in imported_modules(path):
                assert not name.startswith(banned), f"{layer}/{path.name} imports {name}"


def test_the_app_has_no_networking_code() -> None:
    network = ("socket", "urllib", "http", "requests", "ftplib", "smtplib", "ssl", "QtNetwork")
    sources = sorted(APP.rglob("*.py"))
    assert len(sources) > 50
    for path in sources:
        for name in imported_modules(path):
            assert not any(part in network for part in name.split(".")), f"{path} uses {name}"


@pytest.mark.network_probe
def test_the_suite_fails_on_any_network_connection() -> None:
    """The guard in conftest.py is live: a connect anywhere in the suite raises."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        with pytest.raises(AssertionError, match="network connection attempted"):
            probe.connect(("127.0.0.1", 9))
    finally:
        probe.close()
