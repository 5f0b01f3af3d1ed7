"""The import graph of src/annotator read from the source (ast), never by importing it.

Every `import` and `from ... import` statement counts wherever it stands: at module level, in a
function or method, in a class body, in a try block. Relative imports are resolved against the
importing module's package; `from package import name` is an import of the submodule
`package.name` when that module exists, else of `package`. An import under `if TYPE_CHECKING:`
is kept, marked `type_checking` (it never runs).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
ROOT = "annotator"


@dataclass(frozen=True, slots=True)
class Import:
    """One import statement's target, as seen in the importing module's source."""

    importer: str
    imported: str
    """Our module's dotted name when the target is ours, else the name as written."""
    line: int
    type_checking: bool

    @property
    def is_ours(self) -> bool:
        """Whether the target is a module of src/annotator."""
        return self.imported == ROOT or self.imported.startswith(f"{ROOT}.")


def module_files(src: Path = SRC) -> dict[str, Path]:
    """Every module of src/annotator by dotted name (a package by its __init__.py)."""
    modules = {}
    for path in sorted((src / ROOT).rglob("*.py")):
        parts = path.relative_to(src).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join(parts)] = path
    return modules


def imports_of(name: str, path: Path, modules: Mapping[str, Path]) -> list[Import]:
    """Every import in one module's source, module-level and function-level alike."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node, type_checking in _walk(tree, type_checking=False):
        for target in _targets(node, package, modules):
            found.append(Import(name, target, node.lineno, type_checking))
    return found


def all_imports(modules: Mapping[str, Path] | None = None) -> list[Import]:
    """Every import of every module of src/annotator."""
    modules = module_files() if modules is None else modules
    return [found for name, path in modules.items() for found in imports_of(name, path, modules)]


def cycles(edges: Iterable[tuple[str, str]]) -> list[list[str]]:
    """One shortest cycle per strongly connected group of modules (a self-import included),
    each as [a, b, ..., a] starting at the group's first module by name; sorted."""
    graph: dict[str, set[str]] = {}
    for importer, imported in edges:
        graph.setdefault(importer, set()).add(imported)
        graph.setdefault(imported, set())
    found = []
    for group in _strongly_connected(graph):
        start = min(group)
        if len(group) > 1 or start in graph[start]:
            found.append(_shortest_cycle(graph, start, group))
    return sorted(found)


def _walk(
    node: ast.AST, *, type_checking: bool
) -> Iterable[tuple[ast.Import | ast.ImportFrom, bool]]:
    """Import nodes under `node`, each with whether it sits under `if TYPE_CHECKING:`."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.Import | ast.ImportFrom):
            yield child, type_checking
        elif isinstance(child, ast.If) and _is_type_checking(child.test):
            for statement in child.body:
                yield from _walk(ast.Module(body=[statement], type_ignores=[]), type_checking=True)
            for statement in child.orelse:
                yield from _walk(
                    ast.Module(body=[statement], type_ignores=[]), type_checking=type_checking
                )
        else:
            yield from _walk(child, type_checking=type_checking)


def _is_type_checking(test: ast.expr) -> bool:
    """`TYPE_CHECKING` or `typing.TYPE_CHECKING`."""
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _targets(
    node: ast.Import | ast.ImportFrom, package: str, modules: Mapping[str, Path]
) -> list[str]:
    """The modules one import statement loads (ours resolved to a module of `modules`)."""
    if isinstance(node, ast.Import):
        return [_ours_or_as_written(alias.name, modules) for alias in node.names]
    if node.level:
        base = package.split(".")[: len(package.split(".")) - node.level + 1]
        target = ".".join([*base, node.module] if node.module else base)
    else:
        target = node.module or ""
    targets = []
    for alias in node.names:
        submodule = f"{target}.{alias.name}"
        targets.append(submodule if submodule in modules else _ours_or_as_written(target, modules))
    return list(dict.fromkeys(targets))


def _ours_or_as_written(name: str, modules: Mapping[str, Path]) -> str:
    """`name` itself, or for a name inside one of our modules (a.b.attr) that module."""
    while name not in modules and "." in name and name.startswith(f"{ROOT}."):
        name = name.rpartition(".")[0]
    return name


def _strongly_connected(graph: Mapping[str, set[str]]) -> list[set[str]]:
    """Tarjan's strongly connected components, iteratively (no recursion limit)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = len(index)
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(sorted(graph[successor]))))
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.add(member)
                        if member == node:
                            break
                    groups.append(group)
    return groups


def _shortest_cycle(graph: Mapping[str, set[str]], start: str, group: set[str]) -> list[str]:
    """The shortest path start -> ... -> start inside `group` (breadth first, by name)."""
    came_from: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for successor in sorted(graph[node] & group):
                if successor == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(came_from[path[-1]])
                    return [*reversed(path), start]
                if successor not in came_from:
                    came_from[successor] = node
                    following.append(successor)
        frontier = following
    raise AssertionError(f"{start} is in a cycle group but on no cycle")  # cannot happen
