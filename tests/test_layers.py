"""Layers point down: the core (``observatory``) never imports the collectors or the dashboard, and no two
first-party modules import each other, even indirectly or inside a function (docs/architecture.md)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("observatory", "collectors", "dashboards")
# None left: the HTTP client declares what it needs of the archive (``http.ArchiveStore``) instead of importing it.
ALLOWED_CYCLES: set[frozenset[str]] = set()


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


def import_graph() -> dict[str, set[str]]:
    """Module -> first-party modules it imports anywhere in its body (``from package import module`` counts
    as importing that module, as in grimp)."""
    modules = _modules()

    def resolve(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {m: set() for m in modules}
    for module, path in modules.items():
        is_package = path.name == "__init__.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = module.split(".") if is_package else module.split(".")[:-1]
                    parts = parts[: len(parts) - (node.level - 1)]
                    base = ".".join(parts + ([node.module] if node.module else []))
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
            for target in targets:
                found = resolve(target)
                if found and found != module:
                    graph[module].add(found)
    return graph


def test_the_core_never_imports_the_collectors_or_the_dashboard() -> None:
    upward = sorted(f"{a} -> {b}" for a, targets in import_graph().items() if a.startswith("observatory.")
                    for b in targets if b.split(".")[0] in {"collectors", "dashboards"})
    assert upward == []


def import_cycles(graph: dict[str, set[str]]) -> set[frozenset[str]]:
    """Groups of modules that reach each other through imports (strongly connected, two or more)."""
    def reach(start: str) -> set[str]:
        seen: set[str] = set()
        stack = [start]
        while stack:
            for nxt in graph[stack.pop()]:
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        return seen

    reachable = {m: reach(m) for m in graph}
    return {frozenset({m} | {o for o in reachable[m] if m in reachable[o]}) for m in graph if m in reachable[m]}


def test_no_import_cycles() -> None:
    assert import_cycles(import_graph()) - ALLOWED_CYCLES == set()


def test_control_the_graph_sees_function_level_imports() -> None:
    """Control: the report builder imports its sections and the runner the collector contract; a graph that
    missed either would let the cycles this guards against come back unseen."""
    graph = import_graph()
    assert "observatory.reports.sections" in graph["observatory.reports.model"]
    assert "observatory.collector" in graph["observatory.runs"]
    assert "observatory.pb.rules.mes" in graph["observatory.pb.rules.declared"]
    looped = {**graph, "observatory.reports.document": graph["observatory.reports.document"] | {"observatory.reports.model"}}
    pair = {"observatory.reports.document", "observatory.reports.model"}
    assert any(pair <= cycle for cycle in import_cycles(looped))   # one import back would be caught
