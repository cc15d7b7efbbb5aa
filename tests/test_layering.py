"""The layering of ``pipeline/`` (issue 11), checked on the source: every import, at the top,
inside a function or under ``TYPE_CHECKING``, goes one way.

* a stage imports only earlier stages and the shared leaves;
* the shared leaves import only other leaves;
* no module imports itself back through others (no cycles);
* only ``flows/`` imports prefect.

The checks run on a graph built from the files, so the same functions are also tried on a
made-up package that breaks each rule, to show the test can fail.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

#: Shared leaves: any stage may import them; they import only each other.
LEAVES = (
    "pipeline.errors",
    "pipeline.types",
    "pipeline.text",
    "pipeline.languages",
    "pipeline.config",
    "pipeline.storage",
    "pipeline.models.locate",
    "pipeline.models.tiny",
    "pipeline.once",
)

#: The stages in data-flow order: each may import the ones before it. Quality (the per-source
#: flags) comes before synthesis, which lists the flags in its groups.
STAGES = (
    "pipeline.sources",
    "pipeline.documents",
    "pipeline.translation",
    "pipeline.summaries",
    "pipeline.models.loaded",  # the per-process cache of loaded engines (translators, summariser)
    "pipeline.quality",
    "pipeline.synthesis",
    "pipeline.assemble",
    "pipeline.render",
    "pipeline.evaluation",
    "pipeline.run",  # the whole run, every stage in order (engines are its arguments)
)


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, name: str) -> set[str]:
    """Every module ``path`` imports, wherever the import statement is."""
    found: set[str] = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            # ``from pipeline.models import loaded`` imports the module pipeline.models.loaded
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def import_graph(root: Path, packages: tuple[str, ...]) -> dict[str, set[str]]:
    """Module -> the modules of ``packages`` it imports (and third-party top-level names)."""
    modules = {
        module_name(path, root): path
        for package in packages
        for path in root.glob(f"{package}/**/*.py")
    }
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets: set[str] = set()
        for imported in imports_of(path, name):
            if imported in modules:
                targets.add(imported)
            elif imported.split(".")[0] not in packages:
                targets.add(imported.split(".")[0])
        targets.discard(name)
        graph[name] = targets
    return graph


def _within(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def rank(module: str, leaves: tuple[str, ...], stages: tuple[str, ...]) -> int | None:
    """-1 for a leaf, the stage's position for a stage (the longest prefix wins), None for a
    package marker or a module outside both."""
    if any(_within(module, leaf) for leaf in leaves):
        return -1
    best: tuple[int, int] | None = None
    for position, stage in enumerate(stages):
        if _within(module, stage) and (best is None or len(stage) > best[1]):
            best = (position, len(stage))
    return None if best is None else best[0]


def layer_violations(
    graph: dict[str, set[str]], leaves: tuple[str, ...], stages: tuple[str, ...]
) -> list[str]:
    """``a -> b`` for each import of a later stage, or of any stage by a leaf."""
    found = []
    for module, targets in sorted(graph.items()):
        mine = rank(module, leaves, stages)
        for target in sorted(targets):
            theirs = rank(target, leaves, stages)
            if mine is None or theirs is None or target not in graph:
                continue
            if theirs > mine or (mine == -1 and theirs != -1):
                found.append(f"{module} -> {target}")
    return found


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each import cycle once (Tarjan's strongly connected components of two or more)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in graph:
                continue
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
    return found


def prefect_importers(graph: dict[str, set[str]], allowed: str = "flows") -> list[str]:
    return sorted(
        m for m, targets in graph.items() if "prefect" in targets and not _within(m, allowed)
    )


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    return import_graph(REPO, ("pipeline", "flows"))


def test_every_pipeline_module_is_in_a_stage_or_a_leaf(graph: dict[str, set[str]]) -> None:
    unplaced = [
        m
        for m in graph
        if _within(m, "pipeline")
        and rank(m, LEAVES, STAGES) is None
        and not (REPO / m.replace(".", "/") / "__init__.py").exists()
        and m not in ("pipeline",)
    ]
    assert unplaced == []


def test_stages_import_only_earlier_stages_and_leaves(graph: dict[str, set[str]]) -> None:
    assert layer_violations(graph, LEAVES, STAGES) == []


def test_there_are_no_import_cycles(graph: dict[str, set[str]]) -> None:
    assert cycles(graph) == []


def test_only_flows_imports_prefect(graph: dict[str, set[str]]) -> None:
    assert prefect_importers(graph) == []
    assert any("prefect" in targets for m, targets in graph.items() if _within(m, "flows"))


def _package(root: Path, files: dict[str, str]) -> dict[str, set[str]]:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return import_graph(root, ("pipeline", "flows"))


def test_a_stage_importing_a_later_one_is_caught(tmp_path: Path) -> None:
    graph = _package(
        tmp_path,
        {
            "pipeline/__init__.py": "",
            "pipeline/types.py": "",
            "pipeline/sources/__init__.py": "",
            "pipeline/sources/read.py": "def read():\n    from pipeline.render.render import x\n",
            "pipeline/render/__init__.py": "",
            "pipeline/render/render.py": "from pipeline.types import Source\n",
        },
    )
    assert layer_violations(graph, LEAVES, STAGES) == [
        "pipeline.sources.read -> pipeline.render.render"
    ]


def test_a_leaf_importing_a_stage_is_caught(tmp_path: Path) -> None:
    graph = _package(
        tmp_path,
        {
            "pipeline/types.py": "from typing import TYPE_CHECKING\n"
            "if TYPE_CHECKING:\n    from pipeline.synthesis.synthesize import Synthesis\n",
            "pipeline/synthesis/synthesize.py": "from pipeline import types\n",
        },
    )
    assert layer_violations(graph, LEAVES, STAGES) == [
        "pipeline.types -> pipeline.synthesis.synthesize"
    ]
    assert cycles(graph) == [["pipeline.synthesis.synthesize", "pipeline.types"]]


def test_prefect_outside_flows_is_caught(tmp_path: Path) -> None:
    graph = _package(
        tmp_path,
        {
            "pipeline/documents/clean.py": "import prefect\n",
            "flows/briefing_flow.py": "from prefect import flow\n",
        },
    )
    assert prefect_importers(graph) == ["pipeline.documents.clean"]
