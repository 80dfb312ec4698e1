"""The Reproducibility page: data availability, environment, parameters and every in-text number.

The page's prose lives in ``chapters/reproducibility.md``; the build replaces the marker line
``<!-- generated -->`` with tables made from the catalog, the parameters and ``numbers.json``.
"""
from __future__ import annotations

import itertools
import platform
import re
from pathlib import Path

import pandas as pd

from analysis import config
from analysis.book.tables import list_table
from analysis.data import catalog

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
        parts.append(list_table(pd.DataFrame({
            "File (in data/raw)": [f"`{_cell(e['file'])}`" for e in group],
            "Coverage": [_cell(e.get("coverage", e["title"])) for e in group],
            "Vintage": [e.get("vintage", "") for e in group],
            "sha256 (first 16)": [f"`{e['sha256'][:16]}`" for e in group]})) + "\n")
    return "\n".join(parts)


def environment_table() -> str:
    """Python version and the pinned requirements."""
    pins = [line.strip() for line in (config.PROJECT_ROOT / "requirements.txt").read_text().splitlines()
            if line.strip() and not line.startswith("#")]
    rows = "\n".join(f"| `{_cell(pin)}` |" for pin in pins)
    return f"Python {platform.python_version()} on {platform.system()}.\n\n| Pinned requirement |\n|---|\n{rows}\n"


def _parameter(value) -> str:
    """A parameter value as shown: a sha256 by its first 12 digits, a path inside the project relative to it."""
    text = repr(value)
    if isinstance(value, str) and re.fullmatch(r"[0-9a-f]{64}", value):
        return repr(value[:12] + "...")
    if isinstance(value, str) and value.startswith(str(config.PROJECT_ROOT) + "/"):
        return repr(value.removeprefix(str(config.PROJECT_ROOT) + "/"))
    return text


def parameters_table(runs, params_file: Path) -> str:
    """Each rendered page, the notebook behind it, and the parameters it ran with."""
    shown = params_file.relative_to(config.PROJECT_ROOT) if params_file.is_relative_to(config.PROJECT_ROOT) else params_file
    table = pd.DataFrame({
        "Page": [run.name for run in runs],
        "Notebook": [f"`{run.source.relative_to(config.PROJECT_ROOT)}`" for run in runs],
        "Parameters": [_cell(", ".join(f"{k}={_parameter(v)}" for k, v in run.parameters.items()) or "notebook defaults")
                       for run in runs]})
    return f"Parameter file: `{shown}`.\n\n{list_table(table)}\n"


def inputs_read_table(reads: dict[str, list]) -> str:
    """Each page and the files it actually read when it last ran (recorded by the build, not declared)."""
    files = {entry["id"]: entry["file"] for entry in catalog.load_catalog()}
    pages = list(reads)
    raw = [", ".join(f"`{_cell(files.get(name, name))}`" for kind, name in reads[page] if kind == "catalog") or "none"
           for page in pages]
    other = [", ".join(f"`{_cell(name)}`" for kind, name in reads[page] if kind != "catalog") or "none"
             for page in pages]
    return list_table(pd.DataFrame({"Page": pages, "Raw files read (in data/raw)": raw, "Other files read": other})) + "\n"


def page_titles(runs) -> dict[str, str]:
    """Each rendered page's chapter title: the first '# ' heading of its notebook."""
    titles = {}
    for run in runs:
        headings = [line[2:].strip() for line in run.source.read_text(encoding="utf-8").splitlines()
                    if line.startswith("# ")]
        titles[run.name] = headings[0] if headings else run.name
    return titles


def numbers_table(numbers: dict, sources: dict, titles: dict | None = None) -> str:
    """Every glued value and the page (and so the notebook) that computes it.

    The HTML shows one table of all keys. The PDF shows one compact table per page, captioned
    with the page and its chapter title, so that a reader of the printed book finds each number's chapter.
    """
    titles = titles or {}

    def shown(value):
        return f"{value:.6g}" if isinstance(value, float) else _cell(value)

    def page_table(page: str) -> str:
        keys = [key for key in numbers if sources[key] == page]
        caption = f"Numbers computed on page {page}" + (f" ({_cell(titles[page])})" if page in titles else "")
        return list_table(pd.DataFrame({"Key": [f"`{key}`" for key in keys],
                                        "Value": [shown(numbers[key]) for key in keys]}), caption=caption)

    rows = "\n".join(f"| `{key}` | {shown(value)} | {sources[key]} |" for key, value in numbers.items())
    html = f"```{{only}} html\n| Key | Value | Page |\n|---|---|---|\n{rows}\n```\n"
    latex = "````{only} latex\n" + "\n\n".join(page_table(page) for page in sorted(set(sources.values()))) + "\n````\n"
    return html + "\n" + latex


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
        numbers_table(numbers, sources, page_titles(runs)),
    ])
    return template.replace(MARKER, generated)
