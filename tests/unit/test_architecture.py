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
    """Import every module outside app/ui with PySide6 and app/ui made unimportable: only the
    entry point (app/__main__.py) may start the window or hand the self-test its window check."""
    outside_ui = [m for m in modules(APP) if not m.startswith("app.ui")]
    script = textwrap.dedent(
        f"""
        import importlib, sys

        class Block:
            def find_spec(self, name, path=None, target=None):
                if name == "PySide6" or name.startswith("PySide6."):
                    raise ImportError("PySide6 is blocked outside app/ui: " + name)
                if name == "app.ui" or name.startswith("app.ui."):
                    raise ImportError("the window is blocked outside app/ui: " + name)
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
    """ui, cli → services → {store, documents} → domain. Never backwards, and the window and
    the command line reach the data only through the services."""
    forbidden = {
        "domain": ("app.store", "app.services", "app.ui", "app.cli", "app.documents"),
        "store": ("app.services", "app.ui", "app.cli", "app.documents"),
        "documents": ("app.store", "app.services", "app.ui", "app.cli"),
        "services": ("app.ui", "app.cli", "app.selftest", "PySide6"),
        "ui": ("app.store", "app.documents", "app.cli", "app.selftest"),
        "cli": ("app.store", "app.documents", "app.ui", "app.selftest", "PySide6"),
    }
    for layer, banned in forbidden.items():
        sources = sorted((APP / layer).rglob("*.py"))
        assert sources, layer
        for path in sources:
            for name in imported_modules(path):
                assert not name.startswith(banned), f"{path.relative_to(APP)} imports {name}"


def import_graph() -> dict[str, set[str]]:
    """Every app module and the app modules it imports anywhere in its text: at the top, inside
    a function, or for type hints only (a circle through a type hint is still a circle)."""
    paths = {name: path for name, path in zip(modules(APP), sorted(APP.rglob("*.py")), strict=True)}
    graph: dict[str, set[str]] = {}
    for name, path in paths.items():
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names if alias.name in paths)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    submodule = f"{node.module}.{alias.name}"
                    if submodule in paths:
                        found.add(submodule)
                    elif node.module in paths:
                        found.add(node.module)
        graph[name] = found - {name}
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import each other, directly or around a loop (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in graph[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_circles_are_found() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert circles(graph) == [["a", "b", "c"]]
    assert circles({"a": {"b"}, "b": set()}) == []


def test_no_module_imports_itself_around_a_circle() -> None:
    graph = import_graph()
    assert len(graph) > 150 and "app.services.exchange.merge" in graph
    assert circles(graph) == []


def test_the_big_folders_are_split_by_feature() -> None:
    """A newcomer finds a feature by its package: only a few modules sit loose at the top."""
    for layer in ("services", "ui"):
        loose = [p.name for p in (APP / layer).glob("*.py") if p.name != "__init__.py"]
        packages = [p.name for p in (APP / layer).iterdir() if (p / "__init__.py").exists()]
        # About a dozen: services holds 13 packages and the database door (issue 23 added
        # ``reports``, the province's side, and ``access``, who may do what).
        assert len(loose) + len(packages) <= 14, (layer, loose, packages)
        for package in packages:
            assert (
                (APP / layer / package / "__init__.py")
                .read_text(encoding="utf-8")
                .startswith('"""')
            ), f"{layer}/{package} says what it holds"


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


def test_the_document_kinds_build_a_model_that_knows_no_renderer() -> None:
    """Each kind is a function from data to the neutral model: it reads the model, the format's
    numbers and the shared parts, never reportlab, python-docx or the PDF's own modules; only
    its PDF wrapper (``render_<kind>``) calls ``render_pdf``."""
    documents = APP / "documents"
    neutral = {"model", "format", "parts", "heading_text", "pages", "data"}
    kinds = [
        "ballot",
        "collective_report",
        "decision",
        "meeting_minutes",
        "proposal_list",
        "quarter_rating",
        "self_review",
        "summary_report",
        "tally_minutes",
    ]
    for name in [*neutral - {"data"}, *kinds]:
        for imported in imported_modules(documents / f"{name}.py"):
            top = imported.split(".")[0]
            assert top not in {"reportlab", "docx", "pypdf"}, f"{name}.py imports {imported}"
            if imported.startswith("app.documents."):
                inner = imported.removeprefix("app.documents.")
                allowed = neutral | ({"render_pdf"} if name in kinds else set())
                assert inner in allowed, f"{name}.py imports {imported}"
