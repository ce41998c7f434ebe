"""The layers hold: the core is pure (no Textual, no sound, no face, no adapter), adapters
serve the faces without knowing them, faces do not reach into each other, and the import
graph of the package has no cycle. Imports inside functions count: a late import is still
an import, only a slower one."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from pathlib import Path

import mobility_coach

PACKAGE = Path(mobility_coach.__file__).parent
FORBIDDEN = ("textual", "rich", "playsound3")
FACES = ("mobility_coach.cli", "mobility_coach.tui", "mobility_coach.remind", "mobility_coach.serve")
ADAPTERS = "mobility_coach.adapters"
# The command line is the entry point: it opens the app, runs the reminder and serves the
# browser tab, from this one module and nowhere else in the CLI.
LAUNCHER = "mobility_coach.cli.launch"


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def import_graph(root: Path, package: str) -> dict[str, set[str]]:
    """Each module of ``package`` under ``root`` (the folder holding the package), and the
    modules of the package it imports: ``from a import b`` is an edge to ``a.b`` when that
    is a module, else to ``a``; relative imports are resolved."""
    paths = {module_name(path, root): path for path in sorted((root / package).rglob("*.py"))}
    graph: dict[str, set[str]] = {}
    for name, path in paths.items():
        here = name if path.name == "__init__.py" else name.rpartition(".")[0]
        edges: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                edges |= {alias.name for alias in node.names if alias.name.split(".")[0] == package}
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parents = here.split(".")[: len(here.split(".")) - (node.level - 1)]
                    base = ".".join([*parents, base] if base else parents)
                if base.split(".")[0] != package:
                    continue
                edges |= {f"{base}.{a.name}" if f"{base}.{a.name}" in paths else base for a in node.names}
        graph[name] = edges
    return graph


def find_cycle(graph: Mapping[str, Iterable[str]]) -> list[str] | None:
    """One cycle of the graph as ``[a, b, ..., a]``, or None."""
    state: dict[str, str] = {}
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = "open"
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        state[node] = "done"
        path.pop()
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start)):
            return found
    return None


def within(module: str, *packages: str) -> bool:
    return any(module == p or module.startswith(p + ".") for p in packages)


def face_of(module: str) -> str | None:
    return next((face for face in FACES if within(module, face)), None)


GRAPH = import_graph(PACKAGE.parent, "mobility_coach")


def imports_of(*packages: str) -> dict[str, set[str]]:
    return {module: edges for module, edges in GRAPH.items() if within(module, *packages)}


def test_core_never_imports_ui_or_sound_libraries() -> None:
    files = sorted((PACKAGE / "core").rglob("*.py"))
    assert len(files) > 5
    offenders = {f.name: imported_modules(f) & set(FORBIDDEN) for f in files}
    assert {name: found for name, found in offenders.items() if found} == {}


def test_the_checker_sees_imports(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("import textual.app\nfrom rich import print\n", encoding="utf-8")
    assert imported_modules(sample) == {"textual", "rich"}


def test_the_app_talks_to_the_reminder_only_through_its_protocol() -> None:
    """The TUI is a client of the headless reminder, never a host of its face."""
    for path in sorted((PACKAGE / "tui").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        modules = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        modules |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
        modules |= {
            f"{node.module}.{alias.name}"
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom)
            for alias in node.names
        }
        assert "mobility_coach.remind" not in modules, path.name


def test_the_core_imports_no_face_and_no_adapter() -> None:
    core = imports_of("mobility_coach.core")
    assert len(core) > 20
    wrong = {m: sorted(e for e in edges if within(e, *FACES, ADAPTERS)) for m, edges in core.items()}
    assert {m: e for m, e in wrong.items() if e} == {}


def test_adapters_import_no_face() -> None:
    adapters = imports_of(ADAPTERS)
    assert len(adapters) > 3
    wrong = {m: sorted(e for e in edges if within(e, *FACES)) for m, edges in adapters.items()}
    assert {m: e for m, e in wrong.items() if e} == {}


def test_screens_do_not_import_the_app_module() -> None:
    screens = imports_of("mobility_coach.tui.screens", "mobility_coach.tui.widgets")
    assert len(screens) > 8
    assert {m: sorted(edges) for m, edges in screens.items() if "mobility_coach.tui.app" in edges} == {}


def test_no_face_imports_another_face() -> None:
    crossings = {
        f"{module} -> {target}"
        for module, edges in GRAPH.items()
        for target in edges
        if face_of(module) is not None and face_of(target) not in (None, face_of(module))
    }
    # The launcher opens the app (through its preflight and factory, holding the garbage
    # collector for the app's start), runs the reminder and the browser tab's server;
    # nothing else in any face may. The server starts the app as a process (`python -m
    # mobility_coach`), never by importing it.
    assert crossings == {
        f"{LAUNCHER} -> mobility_coach.tui.collector",
        f"{LAUNCHER} -> mobility_coach.tui.preflight",
        f"{LAUNCHER} -> mobility_coach.tui.factory",
        f"{LAUNCHER} -> mobility_coach.remind",
        f"{LAUNCHER} -> mobility_coach.serve.command",
    }


def test_the_import_graph_has_no_cycle() -> None:
    assert len(GRAPH) > 50 and sum(map(len, GRAPH.values())) > 100
    assert find_cycle(GRAPH) is None


def test_the_cycle_finder_finds_a_cycle_through_a_late_relative_import(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "sub" / "__init__.py").write_text("", encoding="utf-8")
    (package / "a.py").write_text("from pkg.sub import b\n", encoding="utf-8")
    (package / "sub" / "b.py").write_text("from . import c\n", encoding="utf-8")
    (package / "sub" / "c.py").write_text("def late():\n    from ..a import x\n", encoding="utf-8")
    graph = import_graph(tmp_path, "pkg")
    assert graph["pkg.a"] == {"pkg.sub.b"} and graph["pkg.sub.b"] == {"pkg.sub.c"} and graph["pkg.sub.c"] == {"pkg.a"}
    assert find_cycle(graph) == ["pkg.a", "pkg.sub.b", "pkg.sub.c", "pkg.a"]
    (package / "sub" / "c.py").write_text("import os\n", encoding="utf-8")
    assert find_cycle(import_graph(tmp_path, "pkg")) is None


def test_benchmarks_read_no_private_attribute_of_the_package() -> None:
    """A benchmark that reaches into a class's private state (``player._began``) breaks
    unseen when that state changes; they read what the public API reports."""
    bench = Path(__file__).resolve().parents[2] / "bench"
    reaching = []
    for path in sorted(bench.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Attribute)
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
                and isinstance(node.value, ast.Name)
                and node.value.id != "self"
            ):
                reaching.append(f"{path.name}:{node.lineno}: {node.value.id}.{node.attr}")
    assert reaching == []
