"""The model container's imports run one way and never in a circle.

Layers, top to bottom: the entry points (serve, scripts/) → app/ (the HTTP layer: parse, dispatch, format) →
runtime/ (the model code behind the SpeechRuntime Protocol) → settings.py. A module may import its own layer and
those below it. Imports are read with `ast` from the source, so imports inside functions and under TYPE_CHECKING
count too: a cycle of types is still a cycle of meaning.
"""
from __future__ import annotations

import ast
from pathlib import Path
from typing import Dict, List, Set

ROOT = Path(__file__).resolve().parents[1]

# Top first. The first element of a module's dotted name (or the script's name) decides its layer.
LAYERS: List[Set[str]] = [{"serve", "scripts"}, {"app"}, {"runtime"}, {"settings"}]


def layer_of(module: str) -> int:
    head = module.split(".")[0]
    for rank, names in enumerate(LAYERS):
        if head in names:
            return rank
    raise AssertionError(f"{module} belongs to no layer: add its package to LAYERS in {Path(__file__).name}")


def package_modules(root: Path) -> Dict[str, Path]:
    """Dotted name → file, for every Python source of the package (tests excluded)."""
    modules: Dict[str, Path] = {}
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if relative.parts[0].startswith("tests") or any(part.startswith(".") for part in relative.parts):
            continue
        parts = list(relative.with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        if parts:
            modules[".".join(parts)] = path
    serve = root / "serve"
    if serve.is_file():
        modules["serve"] = serve
    return modules


def imports_of(name: str, path: Path, modules: Dict[str, Path]) -> Set[str]:
    """The package's own modules that `name` imports, wherever in the file the import sits."""
    found: Set[str] = set()
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = name.split(".")
                anchor = anchor[: len(anchor) - node.level + (1 if is_package else 0)]
                base = ".".join(anchor + ([base] if base else []))
            candidates = [base] + [f"{base}.{alias.name}" if base else alias.name for alias in node.names]
        else:
            continue
        for candidate in candidates:
            # `import runtime.protocol` names runtime.protocol; `from runtime import protocol` names it too.
            while candidate and candidate not in modules:
                candidate = candidate.rpartition(".")[0]
            if candidate and candidate != name:
                found.add(candidate)
    return found


def import_graph(root: Path) -> Dict[str, Set[str]]:
    modules = package_modules(root)
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def cycles(graph: Dict[str, Set[str]]) -> List[List[str]]:
    """Strongly connected components with more than one module (Tarjan), each sorted."""
    index: Dict[str, int] = {}
    low: Dict[str, int] = {}
    stack: List[str] = []
    on_stack: Set[str] = set()
    found: List[List[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
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

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def upward_imports(graph: Dict[str, Set[str]]) -> List[str]:
    return sorted(
        f"{source} -> {target}"
        for source, targets in graph.items()
        for target in targets
        if layer_of(target) < layer_of(source)
    )


# ---- the package as it is ---------------------------------------------------------------------

def test_the_model_container_has_no_import_cycle():
    assert cycles(import_graph(ROOT)) == []


def test_no_import_runs_up_a_layer():
    assert upward_imports(import_graph(ROOT)) == []


def test_the_graph_sees_the_package():
    graph = import_graph(ROOT)
    assert "runtime.transformers_alignment" in graph["runtime.transformers_runtime"]
    assert "app.server" in graph["serve"]  # an import inside a function counts
    assert "settings" in graph["runtime.factory"]


# ---- the checks fire ---------------------------------------------------------------------------

def _write(root: Path, files: Dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_a_cycle_through_a_type_checking_import_is_reported(tmp_path):
    graph = import_graph(
        _write(
            tmp_path,
            {
                "runtime/__init__.py": "",
                "runtime/aligner.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from runtime.model import Model\n",
                "runtime/model.py": "from runtime.aligner import Aligner\n",
                "runtime/protocol.py": "",
            },
        )
    )
    assert cycles(graph) == [["runtime.aligner", "runtime.model"]]


def test_a_relative_cycle_is_reported(tmp_path):
    graph = import_graph(
        _write(tmp_path, {"app/__init__.py": "", "app/a.py": "from . import b\n", "app/b.py": "from .a import thing\n"})
    )
    assert cycles(graph) == [["app.a", "app.b"]]


def test_an_upward_import_is_reported(tmp_path):
    graph = import_graph(
        _write(
            tmp_path,
            {
                "app/__init__.py": "",
                "app/errors.py": "",
                "runtime/__init__.py": "",
                "runtime/model.py": "def load():\n    from app.errors import ProblemError\n",
                "settings.py": "import runtime.model\n",
            },
        )
    )
    assert upward_imports(graph) == ["runtime.model -> app.errors", "settings -> runtime.model"]
