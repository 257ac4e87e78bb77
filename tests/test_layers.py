"""The package's layering, as docs/architecture.md states it, read from the code with `ast`:
every import (module level, inside functions, under TYPE_CHECKING), no circle, no import of
a higher layer or a later build stage, findings made only through the catalogue."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ETL = Path(__file__).resolve().parents[1] / "etl"

#: What each layer may import (besides itself). Layers are etl's subpackages and top modules.
ALLOWED = {
    "report": set(),
    "tableschema": {"report"},
    "text": set(),
    "build": {"report", "tableschema", "text"},
    "export": {"report", "tableschema"},
    "cli_common": {"report"},
    "cli": {"report", "tableschema", "build", "cli_common", "cli_export", "cli_draft"},
    "cli_export": {"report", "tableschema", "export", "cli_common"},
    "cli_draft": {"report", "build", "cli_common"},
    "__main__": {"cli"},
    "__init__": set(),
}
#: The build's modules in stage order: each may import only those before it.
BUILD_ORDER = [
    "etl.build.settings",
    "etl.build.tables",
    "etl.build.load",
    "etl.build.provenance",
    "etl.build.cite",
    "etl.build.partner_tables",
    "etl.build.derive",
    "etl.build.observations",
    "etl.build.citations",
    "etl.build.transform",
    "etl.build.checks.model",
    "etl.build.checks.kinds",
    "etl.build.checks.series",
    "etl.build.checks.declarations",
    "etl.build.checks.run",
    "etl.build.workbook",
    "etl.build.citation",
    "etl.build.readme",
    "etl.build.page_charts",
    "etl.build.page_figures",
    "etl.build.page",
    "etl.build.package",
    "etl.build.publish",
    "etl.build.pipeline",
    "etl.build.release",
    "etl.build.draft_units",
    "etl.build.draft_words",
    "etl.build.draft_text",
    "etl.build.draft_indicators",
    "etl.build.draft_events",
    "etl.build.draft",
    "etl.build.draft_accept",
]


def module_name(path: Path) -> str:
    """etl.x.y for etl/x/y.py (etl.x for etl/x/__init__.py)."""
    parts = list(path.relative_to(ETL.parent).with_suffix("").parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(ETL.rglob("*.py"))}


def imports(path: Path) -> set[str]:
    """Every etl module the file imports, wherever the import stands."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                child = f"{node.module}.{alias.name}"
                found.add(child if child in MODULES else node.module)
    return {name for name in found if name == "etl" or name.startswith("etl.")}


GRAPH = {name: imports(path) - {name} for name, path in MODULES.items()}


def layer(module: str) -> str:
    """The layer of an etl module: its first name below etl."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def test_the_graph_is_read() -> None:
    """The walk sees the imports it must see (a walk that found nothing would pass all)."""
    assert "etl.report.findings" in GRAPH["etl.report.render"]
    assert "etl.build.checks.kinds" in GRAPH["etl.build.checks.declarations"]
    assert "etl.tableschema.engine" in GRAPH["etl.cli"]  # imported inside a function


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_imports_respect_the_layers(module: str) -> None:
    """A module imports only its own layer and the layers below it."""
    allowed = ALLOWED[layer(module)] | {layer(module)}
    wrong = sorted(m for m in GRAPH[module] if layer(m) not in allowed)
    assert wrong == [], f"{module} imports {wrong} across the layering"


@pytest.mark.parametrize("module", [m for m in sorted(GRAPH) if layer(m) == "build"])
def test_no_stage_imports_a_later_stage(module: str) -> None:
    """Data flows one way through the build: a stage imports only the stages before it."""
    if module in ("etl.build", "etl.build.checks"):
        assert GRAPH[module] == set()
        return
    assert module in BUILD_ORDER, f"{module} is missing from BUILD_ORDER (and the docs)"
    later = set(BUILD_ORDER[BUILD_ORDER.index(module) :])
    assert sorted(GRAPH[module] & later) == []


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every chain of imports that leads from a module back to itself, found by a walk."""
    state: dict[str, int] = {}
    found: list[list[str]] = []

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(graph.get(module, ())):
            if state.get(target) == 1:
                found.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target, [*path, target])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    return found


def test_no_import_circle() -> None:
    """No chain of imports leads from a module back to itself."""
    assert circles(GRAPH) == []


def test_a_circle_would_be_found() -> None:
    """The same search finds a circle planted in a copy of the graph, naming its modules."""
    planted = {**GRAPH, "etl.report.findings": {"etl.report.render"}}
    assert circles(planted) == [["etl.report.findings", "etl.report.render", "etl.report.findings"]]


@pytest.mark.parametrize("module", sorted(MODULES))
def test_modules_are_small(module: str) -> None:
    """No module is much over 400 lines."""
    assert len(MODULES[module].read_text(encoding="utf-8").splitlines()) <= 430


@pytest.mark.parametrize("layer_name", ["report", "tableschema", "text", "build"])
def test_each_layer_says_what_it_may_import(layer_name: str) -> None:
    """Each layer's docstring names what it holds and what it may import."""
    doc = ast.get_docstring(ast.parse((ETL / layer_name / "__init__.py").read_text())) or ""
    assert "import" in doc.lower()


def test_findings_are_made_only_through_the_catalogue() -> None:
    """`Finding(...)` is called in etl/report/catalogue.py alone: code names kinds, not strings."""
    callers = []
    for name, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                func = node.func
                called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
                if called == "Finding":
                    callers.append(name)
    assert sorted(set(callers)) == ["etl.report.catalogue"]
