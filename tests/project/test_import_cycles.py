"""No module of the engines or of the web layer imports itself back through others.

Every import counts, also one inside a function or under TYPE_CHECKING: such a cycle works only
while one side imports late, and the order modules load in then decides whether a name exists
yet. The graph is read from the source, so the test imports nothing.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"
WEB = SRC / "keepitlocal" / "web"


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    """module -> the package's modules it imports when it loads."""
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets: set[str] = set()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in (n for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom)):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
                continue
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                targets.add(submodule if submodule in modules else base)
        graph[name] = {t for t in targets if t in modules and t != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def web_modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(WEB.rglob("*.py")) if "migrations" not in p.parts}


def engine_modules() -> dict[str, Path]:
    """Every module of `keepitlocal` outside the web layer: the engines, registers, geo."""
    package = SRC / "keepitlocal"
    return {module_name(p): p for p in sorted(package.rglob("*.py"))
            if p.relative_to(package).parts[0] != "web"}


def test_the_web_layer_has_no_import_cycle() -> None:
    assert cycles(import_graph(web_modules())) == []


def test_the_engines_have_no_import_cycle() -> None:
    """spend.districts <-> spend.model and spend.columns -> io -> ledger -> columns were cycles
    held up by late imports; the shared pieces now sit in model and periods."""
    assert len(engine_modules()) > 50
    assert cycles(import_graph(engine_modules())) == []


def test_the_check_finds_a_cycle_through_a_late_and_a_type_only_import(
        tmp_path: Path) -> None:
    files = {
        "a.py": "from pkg import b\n",
        "b.py": "import pkg.c\n",
        "c.py": "from . import a\n",
        "d.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg import e\n",
        "e.py": "def later():\n    from pkg.d import name\n",
        "f.py": "from pkg import a\n",
    }
    modules = {}
    for file, text in files.items():
        (tmp_path / file).write_text(text, encoding="utf-8")
        modules[f"pkg.{file[:-3]}"] = tmp_path / file
    assert cycles(import_graph(modules)) == [["pkg.a", "pkg.b", "pkg.c"], ["pkg.d", "pkg.e"]]
