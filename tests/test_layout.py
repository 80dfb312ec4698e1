"""Two packages, two audiences: analysis/ holds the science and never imports the book machinery.

Inside analysis/, imports run one way between the subpackages (data and models at the bottom,
metrics above them, book on top; config and errors below everything), and no module imports
itself through others (no import cycle, function-level imports included).
"""

from __future__ import annotations

import ast

from analysis import config
from bookmachine import deps

MACHINERY = {"papermill", "sphinx", "jupyter_book", "myst_nb", "bookmachine", "nbclient", "jupyter_client"}


def imported_top_level(path) -> set[str]:
    """Top-level names of every module a file imports (anywhere in it, including inside functions)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_no_analysis_module_imports_the_book_machinery():
    package = config.PROJECT_ROOT / "analysis"
    modules = sorted(package.rglob("*.py"))
    assert len(modules) > 10
    offenders = {path.relative_to(package).as_posix(): sorted(imported_top_level(path) & MACHINERY) for path in modules}
    assert {name: found for name, found in offenders.items() if found} == {}


def test_the_import_scan_finds_a_forbidden_import(tmp_path):
    planted = tmp_path / "bad.py"
    planted.write_text("def f():\n    import papermill.engines\n    from sphinx.util import logging\n")
    assert imported_top_level(planted) >= {"papermill", "sphinx"}


# Which parts of analysis/ each part may import ("top" = config and errors). Within a part, anything
# goes as long as there is no cycle.
MAY_IMPORT = {
    "top": {"top"},
    "data": {"top", "data"},
    "models": {"top", "models"},
    "metrics": {"top", "data", "models", "metrics"},
    "book": {"top", "data", "models", "metrics", "book"},
}
# Import edges that close a known cycle, each with who removes it. An entry that no longer exists fails
# the test, so that the exception goes with the cycle.
KNOWN_CYCLE_EDGES: dict[tuple[str, str], str] = {}


def module_name(path, package_dir) -> str:
    """analysis/data/seizures.py -> analysis.data.seizures; analysis/data/__init__.py -> analysis.data."""
    parts = path.relative_to(package_dir).with_suffix("").parts
    return ".".join((package_dir.name, *(parts[:-1] if parts[-1] == "__init__" else parts)))


def import_graph(package_dir) -> dict[str, set[str]]:
    """Module -> the modules of the package it imports anywhere in its code (package __init__s left out:
    they hold a docstring only, see ``test_package_inits_hold_a_docstring_only``)."""
    modules = {module_name(path, package_dir): path for path in sorted(package_dir.rglob("*.py"))}
    packages = {name for name, path in modules.items() if path.name == "__init__.py"}
    return {
        name: deps.imported_modules(path.read_text(encoding="utf-8"), package_dir, name) - packages - {name}
        for name, path in modules.items()
        if name not in packages
    }


def part(module: str) -> str:
    """analysis.data.x -> data; analysis.book.figures.x -> book; analysis.config -> top."""
    parts = module.split(".")
    return parts[1] if len(parts) > 2 else "top"


def wrong_way_imports(graph: dict[str, set[str]]) -> list[str]:
    """'a -> b' for every import of a part that its part may not import."""
    return sorted(
        f"{module} -> {target}"
        for module, targets in graph.items()
        for target in targets
        if part(target) not in MAY_IMPORT[part(module)]
    )


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The modules of each import cycle (strongly connected components of more than one module)."""
    index, low, stack, on_stack, cycles = {}, {}, [], set(), []

    def visit(module):
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in sorted(graph.get(module, ())):
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            component = []
            while not component or component[-1] != module:
                component.append(stack.pop())
                on_stack.discard(component[-1])
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return sorted(cycles)


def test_imports_run_one_way_between_the_subpackages():
    graph = import_graph(config.PROJECT_ROOT / "analysis")
    assert {part(module) for module in graph} == set(MAY_IMPORT)
    assert wrong_way_imports(graph) == []


def test_no_import_cycle_inside_analysis():
    graph = import_graph(config.PROJECT_ROOT / "analysis")
    for (module, target), owner in KNOWN_CYCLE_EDGES.items():
        assert target in graph[module], f"{module} -> {target} is gone: remove it from KNOWN_CYCLE_EDGES ({owner})"
        graph[module] = graph[module] - {target}
    assert import_cycles(graph) == []


def test_package_inits_hold_a_docstring_only():
    """An import in an __init__ would run for every module of the package and widen every notebook's cache key."""
    package = config.PROJECT_ROOT / "analysis"
    inits = sorted(package.rglob("__init__.py"))
    assert len(inits) >= 6
    trees = {path.relative_to(package).as_posix(): ast.parse(path.read_text(encoding="utf-8")) for path in inits}
    more = [name for name, tree in trees.items() if len(tree.body) != 1 or ast.get_docstring(tree) is None]
    assert more == []


def test_the_layout_checks_find_a_wrong_way_import_and_a_cycle(tmp_path):
    package = tmp_path / "analysis"
    for directory in (package, package / "data", package / "models", package / "book"):
        directory.mkdir()
        (directory / "__init__.py").write_text('"""A package."""\n')
    (package / "config.py").write_text("")
    (package / "data" / "a.py").write_text("from analysis import config\ndef f():\n    from analysis.models import m\n")
    (package / "models" / "m.py").write_text("from . import n\n")
    (package / "models" / "n.py").write_text("def g():\n    from analysis.models import m\n")
    (package / "book" / "show.py").write_text("from analysis.data import a\nfrom analysis.models import m\n")
    graph = import_graph(package)
    assert graph["analysis.data.a"] == {"analysis.config", "analysis.models.m"}
    assert wrong_way_imports(graph) == ["analysis.data.a -> analysis.models.m"]
    assert import_cycles(graph) == [["analysis.models.m", "analysis.models.n"]]


# Chapters ask loaders for data by name; these still name a catalogued file, each with who removes it.
KNOWN_FILE_READS: dict[tuple[str, str], str] = {}


def catalog_paths_called(code: str) -> list[str]:
    """The first argument (or its source text) of every ``catalog.path(...)`` call in some code."""
    return [
        ast.unparse(node.args[0]) if not isinstance(node.args[0], ast.Constant) else node.args[0].value
        for node in ast.walk(ast.parse(code))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "path"
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "catalog"
        and node.args
    ]


def test_chapters_ask_loaders_for_data_by_name_not_for_files():
    found = {
        (chapter.name, file_id)
        for chapter in sorted(config.CHAPTERS_DIR.glob("*.md"))
        for code in deps.code_cells(chapter)
        for file_id in catalog_paths_called(code)
    }
    stale = {read: owner for read, owner in KNOWN_FILE_READS.items() if read not in found}
    assert stale == {}, "no longer read this way: remove from KNOWN_FILE_READS"
    assert found - set(KNOWN_FILE_READS) == set()


def test_the_file_read_scan_finds_a_catalog_path_call():
    code = 'import x\nframe = loader.read(catalog.path("some-file"))\nother = catalog.path(name)\ncatalog.entry("x")\n'
    assert sorted(catalog_paths_called(code)) == ["name", "some-file"]


def chapter_code_problems(code: str) -> list[str]:
    """What a chapter's code does that belongs in ``analysis/``: a function, lambda or class defined in it,
    and a glue key that is not written out (``publish`` with a computed key, or a dict given to
    ``publish_all`` with one): a section's numbers come from one tested function with literal keys."""
    problems = []
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            problems.append((node.lineno, f"defines {type(node).__name__}"))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args:
            key, dicts = node.args[0], [node.args[0]]
            if node.func.id == "publish" and not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
                problems.append((node.lineno, "publish with a computed key"))
            if node.func.id == "publish_all":
                dicts = [inner for inner in ast.walk(node.args[0]) if isinstance(inner, (ast.Dict, ast.DictComp))]
                for inner in dicts:
                    keys = [inner.key] if isinstance(inner, ast.DictComp) else inner.keys
                    if any(not (isinstance(k, ast.Constant) and isinstance(k.value, str)) for k in keys if k):
                        problems.append((node.lineno, "publish_all with a computed key"))
    return [f"line {line}: {what}" for line, what in sorted(problems)]


def test_chapters_are_prose_plus_calls():
    """No chapter defines a function, lambda or class, and every glue key a chapter writes itself is a
    literal string (other keys come from the section functions in ``analysis/book/sections``)."""
    found = {
        chapter.name: problems
        for chapter in sorted(config.CHAPTERS_DIR.glob("*.md"))
        for problems in [[p for code in deps.code_cells(chapter) for p in chapter_code_problems(code)]]
        if problems
    }
    assert found == {}


def test_the_chapter_code_scan_finds_definitions_and_computed_keys():
    code = (
        "def cell(x):\n    return x\n"
        "f = lambda y: y\n"
        'publish("ports.a", 1)\n'
        'publish(f"ports.{name}", 1)\n'
        'publish_all({"ports.b": 2, **sections.numbers(x)})\n'
        'publish_all({f"ports.{k}": v for k, v in items})\n'
        'publish_all({"ports." + name: 3})\n'
    )
    assert chapter_code_problems(code) == [
        "line 1: defines FunctionDef",
        "line 3: defines Lambda",
        "line 5: publish with a computed key",
        "line 7: publish_all with a computed key",
        "line 8: publish_all with a computed key",
    ]


def test_the_linter_and_the_formatter_find_nothing():
    """ruff's rules (pyproject.toml: line length 120; E, F, W, I, B, UP) hold everywhere, and the code is as
    ruff formats it, so that a change is reviewed for what it does, not for its layout."""
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    places = ["analysis", "bookmachine", "tests"]
    checked = subprocess.run([ruff, "check", *places], cwd=config.PROJECT_ROOT, capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout[-3000:]
    formatted = subprocess.run(
        [ruff, "format", "--check", *places], cwd=config.PROJECT_ROOT, capture_output=True, text=True
    )
    assert formatted.returncode == 0, formatted.stdout[-3000:]
