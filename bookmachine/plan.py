"""What runs and why: the chapter renderings, and each one's cache state against what it last read.

A rendering is re-executed only when something it depends on changed: its source, its parameters,
the ``analysis`` modules it imports, the inputs it read, the numbers it reads, the pinned
requirements (the key itself is computed by ``bookmachine.deps``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from analysis import config
from analysis.errors import DataError
from bookmachine import deps


@dataclass
class Run:
    """One rendering of a chapter notebook: its source, the page it becomes, and its parameters."""

    name: str
    source: Path
    parameters: dict = field(default_factory=dict)


def is_notebook(path: Path) -> bool:
    """A chapter file is a notebook when its front matter declares a kernel (MyST notebook format)."""
    text = path.read_text(encoding="utf-8")
    return text.startswith("---") and "kernelspec:" in text.split("\n---", 1)[0]


def load_runs(params_file: Path, chapters_dir: Path = config.CHAPTERS_DIR) -> list[Run]:
    """Every notebook rendering: each chapter notebook once (defaults or its parameters), plus named runs.

    ``params/*.yml`` maps page names to ``parameters`` (or a ``parameters_file``) and, for a
    rendering of a notebook under another name, ``source`` (the notebook's file stem). A notebook
    that is the source of other pages is rendered only as those pages.
    """
    document = yaml.safe_load(params_file.read_text(encoding="utf-8")) or {}
    pages = document.get("chapters") or {}
    notebooks = {path.stem: path for path in sorted(chapters_dir.glob("*.md")) if is_notebook(path)}
    sourced_elsewhere = {
        spec.get("source") for name, spec in pages.items() if spec and spec.get("source", name) != name
    }
    runs = {stem: Run(stem, path) for stem, path in notebooks.items() if stem not in sourced_elsewhere}
    for name, spec in pages.items():
        spec = spec or {}
        source = spec.get("source", name)
        if source not in notebooks:
            raise DataError(
                params_file,
                f"page {name!r} names notebook {source!r}, which is not in chapters/",
                expected=f"one of {sorted(notebooks)}",
            )
        parameters = dict(spec.get("parameters") or {})
        if spec.get("parameters_file"):
            extra = config.PROJECT_ROOT / spec["parameters_file"]
            if not extra.exists():
                raise DataError(params_file, f"page {name!r}: parameters file {spec['parameters_file']!r} not found")
            parameters.update(yaml.safe_load(extra.read_text(encoding="utf-8")) or {})
        runs[name] = Run(name, notebooks[source], parameters)
    return list(runs.values())


def reads_numbers(run: Run) -> bool:
    """A notebook with a ``numbers_file`` parameter reads the other chapters' numbers: it runs last."""
    return any(line.startswith("numbers_file") for line in run.source.read_text(encoding="utf-8").splitlines())


@dataclass
class Plan:
    """One rendering's cache state: where its output goes, what it depends on, and why it must run (if it must)."""

    run: Run
    output: Path
    numbers_file: Path | None
    record: dict | None
    reasons: list[str]

    @property
    def record_file(self) -> Path:
        return self.output.with_suffix(".deps.json")

    @property
    def reads_log(self) -> Path:
        return self.output.with_suffix(".reads.log")

    @property
    def papermill_parameters(self) -> dict:
        return {**self.run.parameters, **({"numbers_file": str(self.numbers_file)} if self.numbers_file else {})}


def plan(run: Run, out_dir: Path, numbers_file: Path | None = None) -> Plan:
    """Compare a rendering's dependencies now with those recorded when it last ran."""
    output = out_dir / f"{run.name}.ipynb"
    record_file = output.with_suffix(".deps.json")
    record = json.loads(record_file.read_text()) if record_file.exists() and output.exists() else None
    reads = [tuple(pair) for pair in record["reads"]] if record else []
    current = deps.components(run.source, run.parameters, reads, numbers_file=numbers_file)
    reasons = deps.why(record and record["components"], current, record and record["datasets"])
    return Plan(run, output, numbers_file, record, reasons)


def finish(item: Plan, seconds: float) -> None:
    """After a run: record what it read and the dependencies its cache key covers."""
    reads = deps.read_log(item.reads_log)
    parts = deps.components(item.run.source, item.run.parameters, reads, numbers_file=item.numbers_file)
    record = {
        "key": deps.key(parts),
        "components": parts,
        "reads": reads,
        "datasets": deps.dataset_members(reads),
        "seconds": round(seconds, 1),
    }
    item.record_file.write_text(json.dumps(record, indent=1) + "\n")
    item.reads_log.unlink(missing_ok=True)
    item.record = record


def expected_seconds(item: Plan) -> float:
    """How long a rendering should take: its last run, else a guess from its size (about 1 s per kB of source)."""
    return (item.record or {}).get("seconds") or item.run.source.stat().st_size / 1000
