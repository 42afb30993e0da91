"""The import graph of `pipelines/` and `assets/`: no cycle between modules, and stages import one way only.

Every import counts, also one inside a function: a lazy import hides a cycle from Python, not from a reader.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Top to bottom: a package may import itself and the packages below it, never one above. The data flow reads
# downwards from the entry points: history needs practices and text, text needs archive, and every stage runs on
# the shared runtime and loads the warehouse.
LAYERS = (
    "pipelines.cli",
    "pipelines.build",  # the one place in pipelines/ that materializes the Dagster assets (lazily)
    "assets",
    "pipelines.sample",
    "pipelines.history",
    "pipelines.practices",
    "pipelines.text",
    "pipelines.archive",
    "pipelines.runtime",
    "pipelines.warehouse",
)


def _modules() -> dict[str, Path]:
    found = {}
    for top in ("pipelines", "assets"):
        for path in (ROOT / top).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def _imports(path: Path, name: str, modules: dict[str, Path]) -> set[str]:
    """The project modules that this module imports anywhere in its body."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else [])
                )
            # `from pkg import mod` imports the module pkg.mod; `from mod import name` the module mod
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
        else:
            continue
        out.update(t for t in targets if t in modules and t != name)
    return out


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(path, name, modules) for name, path in modules.items()}


def _layer(module: str) -> int | None:
    for i, prefix in enumerate(LAYERS):
        if module == prefix or module.startswith(prefix + "."):
            return i
    return None


def test_the_graph_is_read() -> None:
    graph = _graph()
    # a sanity check of the walker itself: a top-level import and one inside a function are both seen
    assert "pipelines.warehouse.tables" in graph["pipelines.build"]
    assert "assets.definitions" in graph["pipelines.build"]


def test_no_module_imports_itself_back() -> None:
    graph = _graph()
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    cycles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for dep in sorted(graph[node]):
            if state.get(dep) == 1:
                cycles.append(path[path.index(dep) :] + [dep] if dep in path else [node, dep])
            elif dep not in state:
                visit(dep, [*path, dep])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


def test_stages_import_downwards_only() -> None:
    graph = _graph()
    upward = []
    for module, deps in graph.items():
        mine = _layer(module)
        for dep in deps:
            theirs = _layer(dep)
            if mine is not None and theirs is not None and theirs < mine:
                upward.append(f"{module} -> {dep}")
    assert not upward, "imports against the data flow: " + ", ".join(sorted(upward))


def test_every_module_has_a_layer() -> None:
    unplaced = [m for m in _graph() if _layer(m) is None and m not in ("pipelines", "assets")]
    assert not unplaced, f"modules outside every layer (add their package to LAYERS): {unplaced}"
