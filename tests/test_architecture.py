"""The layout's promises: no import cycles, a light engine.api, the engine never imports the front end."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("engine", "game")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")}


def _resolve(mod: str, is_pkg: bool, level: int, name: str | None) -> str:
    if level == 0:
        return name or ""
    base = mod.split(".") if is_pkg else mod.split(".")[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join(base + ([name] if name else []))


def import_graph() -> nx.DiGraph:
    """Every import between project modules, module- or function-level, as a directed graph."""
    mods = _modules()
    g = nx.DiGraph()
    g.add_nodes_from(mods)
    for mod, path in mods.items():
        is_pkg = path.name == "__init__.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = _resolve(mod, is_pkg, node.level, node.module)
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in mods else base for a in node.names]
            for t in targets:
                while t and t not in mods:  # import of a name inside a module -> the module
                    t = t.rpartition(".")[0]
                if t and t != mod:
                    g.add_edge(mod, t)
    return g


def test_no_import_cycles_among_project_modules():
    cycles = list(nx.simple_cycles(import_graph()))
    assert cycles == [], f"import cycles: {cycles[:5]}"


def test_the_engine_never_imports_the_front_end():
    g = import_graph()
    back = [(a, b) for a, b in g.edges if a.startswith("engine") and b.startswith("game")]
    assert back == []


def test_importing_engine_api_loads_no_heavy_front_end_library():
    code = ("import sys, engine.api; heavy = ('pygame', 'pygame_gui', 'matplotlib', 'rich', 'dask');"
            "print(sorted({m.split('.')[0] for m in sys.modules} & set(heavy)))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_importing_engine_api_loads_no_scipy_or_networkx():
    """Both load where first used (shortest paths, the operational graph): a process that never
    needs them, e.g. ``xuefeng check``, does not pay for them."""
    code = ("import sys, engine.api; lazy = ('scipy', 'networkx');"
            "print(sorted({m.split('.')[0] for m in sys.modules} & set(lazy)))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_import_graph_sees_a_planted_cycle(tmp_path, monkeypatch):
    """The cycle check itself can fail: two modules importing each other are caught."""
    pkg = tmp_path / "engine"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("def f():\n    from . import b\n")
    (pkg / "b.py").write_text("from .a import f\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    monkeypatch.setattr(sys.modules[__name__], "PACKAGES", ("engine",))
    assert ["engine.a", "engine.b"] in [sorted(c) for c in nx.simple_cycles(import_graph())]


#: The only ways into the engine from game/ besides ``engine.api``, with the reason for each.
FRONT_END_EXCEPTIONS = {
    # the ``xuefeng`` command dispatches to the engine's own tools (imported lazily, inside main())
    "game.cli": {"engine.map.render", "engine.map.opgraph_render", "engine.map.build", "engine.analysis.sim",
                 "engine.analysis.validate", "engine.analysis.sensitivity", "engine.analysis.bench",
                 "engine.scenario.jsonschema"},
    # the fonts live in the repository's assets folder, which the engine's paths module locates
    "game.fonts": {"engine.paths"},
    # the editor's Test button plays the same campaigns as ``xuefeng sim``
    "game.editor.testrun": {"engine.analysis.sim"},
}


def engine_imports_of_front_end() -> dict[str, set[str]]:
    """Engine modules each game/ module imports (module- or function-level), by absolute name."""
    out: dict[str, set[str]] = {}
    for mod, path in _modules().items():
        if not mod.startswith("game"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            out.setdefault(mod, set()).update(n for n in names if n == "engine" or n.startswith("engine."))
    return out


def test_the_front_end_reaches_the_engine_only_through_engine_api():
    wrong = {mod: sorted(used - {"engine.api"} - FRONT_END_EXCEPTIONS.get(mod, set()))
             for mod, used in engine_imports_of_front_end().items()}
    assert {m: w for m, w in wrong.items() if w} == {}


def test_the_front_end_check_sees_a_planted_deep_import(tmp_path, monkeypatch):
    pkg = tmp_path / "game"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "sneaky.py").write_text("def f():\n    from engine.rules.combat import resolve\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    monkeypatch.setattr(sys.modules[__name__], "PACKAGES", ("game",))
    assert engine_imports_of_front_end()["game.sneaky"] == {"engine.rules.combat"}
