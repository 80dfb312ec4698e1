"""What one chapter notebook depends on, so that the build re-runs it only when one of those changed.

A notebook's dependencies are its source, its parameters, the pinned requirements, the ``analysis``
modules it imports (found by reading the import statements of its code cells and, transitively, of
those modules), the inputs it read the last time it ran, and the numbers of other chapters it reads.

Inputs read are recorded while the notebook runs: ``analysis.config.record_read`` appends
``catalog <id>`` or ``file <path>`` lines to the file named by ``BOOK_READS_LOG``. A catalog file
counts as its whole dataset (every entry with the same ``dataset``), so a newly added vintage of a
file the notebook read re-runs it.

Each dependency is one named component with a hash; the cache key is the hash of all of them, and
comparing the components with those of the previous run says why a notebook runs again.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import json
import re
from pathlib import Path

from analysis import config
from analysis.data import catalog

PACKAGE = "analysis"
REMOVED = "removed from the catalog"


def digest(data: bytes | str) -> str:
    """Short sha256 of bytes or text (16 hex digits are plenty to detect a change)."""
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()[:16]


CODE_CELL = re.compile(r"^```\{code-cell\}[^\n]*\n(.*?)^```\s*$", flags=re.MULTILINE | re.DOTALL)


def code_cells(notebook: Path) -> list[str]:
    """The code cells of a MyST-markdown (or ipynb) notebook, without IPython magics or cell options."""
    if notebook.suffix == ".md":
        cells = [_without_options(cell) for cell in CODE_CELL.findall(notebook.read_text(encoding="utf-8"))]
    else:
        import jupytext

        cells = [cell.source for cell in jupytext.read(notebook).cells if cell.cell_type == "code"]
    return ["\n".join(line for line in cell.splitlines() if not line.lstrip().startswith(("%", "!"))) for cell in cells]


def imported_modules(code: str, package_dir: Path, module: str | None = None) -> set[str]:
    """Names of the modules of ``analysis`` that a piece of code imports (``analysis.x.y`` form).

    ``module`` is the dotted name of the module the code belongs to (None for a notebook cell); it
    resolves relative imports. Importing a module runs every parent package's ``__init__``, so the
    parents count too; ``from analysis.data import seizures`` counts ``analysis/data/seizures.py``
    (a module named in the import list), not only the package it comes from.
    """
    found = set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.split(".")[0] == PACKAGE}
        elif isinstance(node, ast.ImportFrom):
            base = _absolute_base(node, module, package_dir)
            if base is None or base.split(".")[0] != PACKAGE:
                continue
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names if alias.name != "*"}
    found |= {".".join(name.split(".")[:depth]) for name in found for depth in range(1, name.count(".") + 1)}
    return {name for name in found if module_file(name, package_dir).exists()}


def _absolute_base(node: ast.ImportFrom, module: str | None, package_dir: Path) -> str | None:
    """The absolute dotted name an ``ImportFrom`` imports from (relative imports resolved within ``module``)."""
    if not node.level:
        return node.module or None
    if module is None:  # a notebook cell has no package: a relative import there is not ours
        return None
    is_package = module_file(module, package_dir).name == "__init__.py"
    parts = module.split(".") if is_package else module.split(".")[:-1]
    parts = parts[: len(parts) - (node.level - 1)]
    if not parts:
        return None
    return ".".join(parts + ([node.module] if node.module else []))


def module_file(name: str, package_dir: Path) -> Path:
    """analysis -> analysis/__init__.py; analysis.x -> analysis/x.py, or analysis/x/__init__.py for a package."""
    parts = name.split(".")[1:]
    if not parts:
        return package_dir / "__init__.py"
    package = package_dir.joinpath(*parts) / "__init__.py"
    return package if package.exists() else package_dir.joinpath(*parts).with_suffix(".py")


def _without_options(cell: str) -> str:
    """A MyST code cell's code: without its ``---`` YAML block or ``:key: value`` option lines."""
    if cell.startswith("---\n") and "\n---\n" in cell[3:]:
        cell = cell[3:].split("\n---\n", 1)[1]
    return "\n".join(line for line in cell.splitlines() if not line.startswith(":"))


@functools.cache
def _module_imports(name: str, package_dir: Path, *, size: int, mtime: int) -> frozenset[str]:
    """The ``analysis`` imports of one module, parsed once per version of its file."""
    path = module_file(name, package_dir)
    return frozenset(imported_modules(path.read_text(encoding="utf-8"), package_dir, name))


def module_closure(code_blocks: list[str], package_dir: Path = config.PROJECT_ROOT / PACKAGE) -> list[Path]:
    """Every ``analysis`` module file the code imports, directly or through other ``analysis`` modules."""
    pending = set().union(*(imported_modules(code, package_dir) for code in code_blocks)) | {PACKAGE}
    seen: set[str] = set()
    while pending:
        name = pending.pop()
        seen.add(name)
        path = module_file(name, package_dir)
        pending |= _module_imports(name, package_dir, size=path.stat().st_size, mtime=path.stat().st_mtime_ns) - seen
    return sorted(module_file(name, package_dir) for name in seen)


def read_log(path: Path) -> list[tuple[str, str]]:
    """The (kind, name) pairs a run recorded, in first-read order, without repeats."""
    if not path.exists():
        return []
    pairs = [tuple(line.split("\t", 1)) for line in path.read_text(encoding="utf-8").splitlines() if "\t" in line]
    return list(dict.fromkeys(pairs))


def _relative(path: Path) -> str:
    return path.relative_to(config.PROJECT_ROOT).as_posix() if path.is_relative_to(config.PROJECT_ROOT) else str(path)


def components(
    source: Path, parameters: dict, reads: list[tuple[str, str]], *, numbers_file: Path | None = None
) -> dict:
    """Every dependency of one rendering, as {component name: hash}; the cache key hashes them all."""
    result = {
        f"notebook {_relative(source)}": digest(source.read_bytes()),
        "parameters": digest(json.dumps(parameters, sort_keys=True, default=str)),
        "requirements.txt": digest((config.PROJECT_ROOT / "requirements.txt").read_bytes()),
    }
    for module in module_closure(code_cells(source)):
        result[f"module {_relative(module)}"] = digest(module.read_bytes())
    entries = catalog.load_catalog()
    by_id = {entry["id"]: entry for entry in entries}
    for kind, name in reads:
        if kind == "catalog" and name in by_id:
            dataset = by_id[name]["dataset"]
            members = sorted((e for e in entries if e["dataset"] == dataset), key=lambda e: e["id"])
            result[f"dataset {dataset}"] = digest(json.dumps(members, sort_keys=True, default=str))
        elif kind == "catalog":
            result[f"catalog {name}"] = REMOVED
        else:
            path = config.PROJECT_ROOT / name
            result[f"file {name}"] = digest(path.read_bytes()) if path.exists() else "missing"
    if numbers_file is not None:
        result["numbers read"] = digest(numbers_file.read_bytes())
    return dict(sorted(result.items()))


def key(parts: dict) -> str:
    """The cache key: one hash of every component."""
    return digest(json.dumps(parts, sort_keys=True))


def dataset_members(reads: list[tuple[str, str]]) -> dict[str, list[str]]:
    """Dataset -> ids of its catalog entries, for the datasets a run read (to say what a change added)."""
    entries = catalog.load_catalog()
    datasets = {e["dataset"] for e in entries if ("catalog", e["id"]) in set(reads)}
    return {d: sorted(e["id"] for e in entries if e["dataset"] == d) for d in sorted(datasets)}


def why(previous: dict | None, current: dict, members_before: dict | None = None) -> list[str]:
    """Plain reasons a rendering must run again (empty when its cached result is current)."""
    if previous is None:
        return ["no cached result"]
    reasons = []
    for name in sorted(set(previous) | set(current)):
        if name not in previous:
            reasons.append(f"{name} was {REMOVED}" if current[name] == REMOVED else f"{name} is new")
        elif name not in current:
            reasons.append(f"{name} is no longer used")
        elif previous[name] != current[name]:
            reasons.append(f"{name} changed{_added_entries(name, members_before)}")
    return reasons


def _added_entries(component: str, members_before: dict | None) -> str:
    """' (new entry x)' when a dataset component changed because the catalog gained an entry."""
    if not component.startswith("dataset ") or members_before is None:
        return ""
    dataset = component.removeprefix("dataset ")
    now = {e["id"] for e in catalog.entries_for(dataset)}
    added = sorted(now - set(members_before.get(dataset, [])))
    return f" (new entry {', '.join(added)})" if added else ""
