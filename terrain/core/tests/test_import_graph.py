"""The house has floors: no import cycle between modules, and ``terrain.core`` imports no domain app.

The graph is read from the source (``ast``), imports inside functions
included: a lazy import hides a cycle from Python, not from a reader.
Tests and migrations are left out (a test may import anything).
"""

from __future__ import annotations

import ast
from pathlib import Path

import terrain

ROOT = Path(terrain.__file__).parent
#: Below every domain app: ``core`` may import these and itself only.
CORE_MAY_IMPORT = ("terrain.core", "terrain.lib")


def _modules() -> dict[str, Path]:
    modules = {}
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT.parent).with_suffix("").parts
        if "tests" in parts or "migrations" in parts or parts[-1] == "conftest":
            continue
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        modules[name] = path
    return modules


def import_graph() -> dict[str, set[str]]:
    """Each module of the project, with the project modules it imports (anywhere in its code)."""
    modules = _modules()

    def owner(name: str) -> str:
        # ``terrain.accounts.models.User`` is the module ``terrain.accounts.models``.
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name

    graph = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets = set()
        tree = ast.parse(path.read_text(), str(path))
        # Imports under ``if TYPE_CHECKING:`` are for annotations only: they never run.
        typing_only = {
            id(inner)
            for block in ast.walk(tree)
            if isinstance(block, ast.If) and ast.unparse(block.test) in {"TYPE_CHECKING", "typing.TYPE_CHECKING"}
            for statement in block.body
            for inner in ast.walk(statement)
        }
        for node in ast.walk(tree):
            if id(node) in typing_only:
                continue
            elif isinstance(node, ast.Import):
                targets |= {owner(alias.name) for alias in node.names if alias.name.startswith("terrain.")}
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    base = ".".join(
                        [*package.split(".")[: len(package.split(".")) - node.level + 1], *filter(None, [base])]
                    )
                if base.split(".")[0] != "terrain":
                    continue
                targets |= {owner(f"{base}.{alias.name}") for alias in node.names}
        graph[name] = targets - {name, ""}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_graph_sees_the_project():
    graph = import_graph()
    assert "terrain.cooperatives.models" in graph["terrain.cooperatives.services"]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycle_between_modules():
    assert cycles(import_graph()) == []


def test_core_imports_no_domain_app():
    wrong = {
        module: sorted(target for target in targets if not target.startswith(CORE_MAY_IMPORT))
        for module, targets in import_graph().items()
        if module.startswith("terrain.core")
    }
    assert {module: targets for module, targets in wrong.items() if targets} == {}
