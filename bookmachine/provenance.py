"""The Reproducibility page: data availability, environment, parameters and every in-text number.

The page's prose lives in ``chapters/reproducibility.md``; the build replaces the marker line
``<!-- generated -->`` with tables made from the catalog, the parameters and ``numbers.json``.
"""
from __future__ import annotations

import itertools
import platform
from pathlib import Path

from analysis import catalog, config

MARKER = "<!-- generated -->"


def _cell(text) -> str:
    """Table-safe text: no pipes or line breaks."""
    return str(text).replace("|", "/").replace("\n", " ")


def data_availability(entries: list[dict]) -> str:
    """One section per dataset: publisher, official page, license, quirks, and each file's hash."""
    parts = []
    for dataset, group in itertools.groupby(sorted(entries, key=lambda e: e["dataset"]), key=lambda e: e["dataset"]):
        group = list(group)
        first = group[0]
        quirks = sorted({e["quirks"] for e in group if e.get("quirks")})
        parts.append(f"### {dataset}\n\n- Publisher: {first['publisher']}\n- Official page: <{first['url']}>\n"
                     f"- License: {first['license']}\n" + "".join(f"- Known quirk: {q}\n" for q in quirks))
        rows = [f"| `{_cell(e['file'])}` | {_cell(e.get('coverage', e['title']))} | {e.get('vintage', '')} "
                f"| `{e['sha256'][:16]}` |" for e in group]
        parts.append("| File (in data/raw) | Coverage | Vintage | sha256 (first 16) |\n|---|---|---|---|\n"
                     + "\n".join(rows) + "\n")
    return "\n".join(parts)


def environment_table() -> str:
    """Python version and the pinned requirements."""
    pins = [line.strip() for line in (config.PROJECT_ROOT / "requirements.txt").read_text().splitlines()
            if line.strip() and not line.startswith("#")]
    rows = "\n".join(f"| `{_cell(pin)}` |" for pin in pins)
    return f"Python {platform.python_version()} on {platform.system()}.\n\n| Pinned requirement |\n|---|\n{rows}\n"


def parameters_table(runs, params_file: Path) -> str:
    """Each rendered page, the notebook behind it, and the parameters it ran with."""
    shown = params_file.relative_to(config.PROJECT_ROOT) if params_file.is_relative_to(config.PROJECT_ROOT) else params_file
    rows = "\n".join(f"| {run.name} | `{run.source.relative_to(config.PROJECT_ROOT)}` | "
                     f"{_cell(', '.join(f'{k}={v!r}' for k, v in run.parameters.items()) or 'notebook defaults')} |"
                     for run in runs)
    return f"Parameter file: `{shown}`.\n\n| Page | Notebook | Parameters |\n|---|---|---|\n{rows}\n"


def inputs_read_table(reads: dict[str, list]) -> str:
    """Each page and the files it actually read when it last ran (recorded by the build, not declared)."""
    files = {entry["id"]: entry["file"] for entry in catalog.load_catalog()}
    rows = []
    for page, pairs in reads.items():
        raw = [f"`{_cell(files.get(name, name))}`" for kind, name in pairs if kind == "catalog"]
        other = [f"`{_cell(name)}`" for kind, name in pairs if kind != "catalog"]
        rows.append(f"| {page} | {', '.join(raw) or 'none'} | {', '.join(other) or 'none'} |")
    return ("| Page | Raw files read (in data/raw) | Other files read |\n|---|---|---|\n" + "\n".join(rows) + "\n")


def numbers_table(numbers: dict, sources: dict) -> str:
    """Every glued value, the page (and so the notebook) that computes it."""
    def shown(value):
        return f"{value:.6g}" if isinstance(value, float) else _cell(value)
    rows = "\n".join(f"| `{key}` | {shown(value)} | {sources[key]} |" for key, value in numbers.items())
    return f"| Key | Value | Page |\n|---|---|---|\n{rows}\n"


def reproducibility_page(runs, numbers: dict, sources: dict, params_file: Path, book_version: str,
                         reads: dict[str, list] | None = None) -> str:
    """The template with its generated sections filled in."""
    template = (config.CHAPTERS_DIR / "reproducibility.md").read_text(encoding="utf-8")
    if MARKER not in template:
        raise ValueError(f"chapters/reproducibility.md lacks the marker {MARKER}")
    released = sorted(p.name.removeprefix("numbers-").removesuffix(".json")
                      for p in (config.PROJECT_ROOT / "releases").glob("numbers-*.json"))
    generated = "\n".join([
        f"## This build\n\nBook version {book_version}. Released versions: "
        f"{', '.join(released) if released else 'none yet'}.\n",
        "## Parameters\n", parameters_table(runs, params_file),
        "## Files each page read\n",
        "Recorded while each notebook ran; a page is executed again when one of these files, or another "
        "vintage of the same dataset, changes.\n",
        inputs_read_table(reads or {}),
        "## Environment\n", environment_table(),
        "## Data availability\n", data_availability(catalog.load_catalog()),
        "## Every number in the text\n",
        f"All {len(numbers)} values glued into the text, as written to `_build/numbers.json`.\n",
        numbers_table(numbers, sources),
    ])
    return template.replace(MARKER, generated)
