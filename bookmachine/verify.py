"""``make verify``: build twice from scratch and check that the results are bit-identical.

The two builds run in separate directories; the second with another time zone and hash seed, and
with new kernels instead of the fork server's warm ones (``bookmachine.forkserver``).
``numbers.json`` must be byte-identical, and every executed notebook's outputs equal apart
from execution counts, timestamps and the path of the interim numbers file.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from analysis import config

VARIANTS = ({}, {"TZ": "Pacific/Auckland", "PYTHONHASHSEED": "12345", "LC_ALL": "C", "BOOK_WARM_KERNELS": "0"})


def build_into(directory: Path, params: Path, environment: dict) -> Path:
    """Run the notebook stage into ``directory/_build``; returns that _build."""
    build_dir = directory / "_build"
    env = dict(os.environ, BOOK_BUILD_DIR=str(build_dir), **environment)
    subprocess.run(
        [sys.executable, "-m", "bookmachine.build", "notebooks", "--params", str(params)],
        cwd=config.PROJECT_ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return build_dir


def comparable_outputs(notebook_path: Path) -> list:
    """Cell sources and outputs without execution counts, timing metadata or injected parameters."""
    notebook = json.loads(notebook_path.read_text(encoding="utf-8"))
    cells = []
    for cell in notebook["cells"]:
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            continue
        outputs = [
            {key: value for key, value in output.items() if key not in ("execution_count", "metadata")}
            for output in cell.get("outputs", [])
        ]
        cells.append({"source": cell["source"], "outputs": outputs})
    return cells


def compare(first: Path, second: Path) -> tuple[int, int, list[str]]:
    """(keys compared, notebooks compared, differences) between two builds."""
    differences = []
    numbers_a, numbers_b = (build / "numbers.json" for build in (first, second))
    if numbers_a.read_bytes() != numbers_b.read_bytes():
        a, b = json.loads(numbers_a.read_text()), json.loads(numbers_b.read_text())
        differences += [
            f"numbers.json: {key}: {a.get(key)!r} != {b.get(key)!r}"
            for key in sorted(set(a) | set(b))
            if a.get(key) != b.get(key)
        ]
    keys = len(json.loads(numbers_a.read_text()))
    notebooks = sorted((first / "executed" / "chapters").glob("*.ipynb"))
    for notebook in notebooks:
        twin = second / "executed" / "chapters" / notebook.name
        if not twin.exists() or comparable_outputs(notebook) != comparable_outputs(twin):
            differences.append(f"executed notebook differs: {notebook.name}")
    return keys, len(notebooks), differences


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bookmachine.verify")
    parser.add_argument("--params", type=Path, default=config.PARAMS_DIR / "default.yml")
    arguments = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="verify-") as scratch:
        builds = []
        for number, environment in enumerate(VARIANTS, 1):
            print(f"[verify] build {number} of 2 from scratch {environment or ''} ...", flush=True)
            builds.append(build_into(Path(scratch) / f"run{number}", arguments.params.resolve(), environment))
        keys, notebooks, differences = compare(*builds)
    if differences:
        print(f"[verify] FAILED: {len(differences)} differences\n  " + "\n  ".join(differences[:50]), file=sys.stderr)
        return 1
    print(
        f"[verify] identical: {keys} keys of numbers.json compared exactly; outputs of {notebooks} executed "
        "notebooks equal (apart from execution counts and timestamps)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
