"""The Reproducibility page: a short page of how to rebuild, this build, and the downloads that list every
number, parameter, input and package.

The page's prose lives in ``chapters/reproducibility.md``; the build replaces the marker line
``<!-- generated -->`` with this build's summary, the list of downloads and a table of the data
sources. The key-by-key lists are files (CSV, and the numbers also as JSON) that the build writes into
the book's ``_static/data/`` (``downloads``), not pages: a reader looks a key up in a file, and the
PDF stays short.
"""

from __future__ import annotations

import io
import itertools
import json
import platform
import re
from pathlib import Path

import pandas as pd

from analysis import config
from analysis.book.downloads import links_markdown
from analysis.book.tables import list_table
from analysis.data import catalog
from bookmachine import changes

MARKER = "<!-- generated -->"
DATA_DIR = "_static/data"  # where the book publishes its downloads (from the book's root)
# The downloads this page lists: file name -> what it holds.
FILES = {
    "book-numbers.csv": "every number glued into the text: key, value and the page that computes it",
    "numbers.json": "the same numbers as one JSON object, key -> value (the book's _build/numbers.json)",
    "book-parameters.csv": "the parameters each page ran with: page, notebook, parameter, value",
    "book-reads.csv": "the files each page read when it last ran: page, kind (raw input or project file), file",
    "book-inputs.csv": "every raw input: dataset, file, coverage, vintage, publisher, official page, licence, sha256",
    "book-environment.csv": "the Python version and every pinned package",
    "book-data-sources.csv": "every dataset of the raw inputs: publisher, licence, number of files, official page",
}


def _cell(text) -> str:
    """Table-safe text: no pipes or line breaks."""
    return str(text).replace("|", "/").replace("\n", " ")


def _csv(frame: pd.DataFrame) -> str:
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue()


def _parameter(value) -> str:
    """A parameter value as shown: a path inside the project relative to it; everything else as written."""
    if isinstance(value, str) and value.startswith(str(config.PROJECT_ROOT) + "/"):
        return value.removeprefix(str(config.PROJECT_ROOT) + "/")
    return value if isinstance(value, str) else json.dumps(value)


def numbers_frame(numbers: dict, sources: dict) -> pd.DataFrame:
    """Every glued value, in key order, with the page (and so the notebook) that computes it."""
    return pd.DataFrame(
        {"key": list(numbers), "value": list(numbers.values()), "page": [sources[key] for key in numbers]}
    )


def parameters_frame(runs) -> pd.DataFrame:
    """One row per page and parameter; a page run with its notebook's defaults has one row saying so."""
    rows = []
    for run in runs:
        notebook = run.source.relative_to(config.PROJECT_ROOT).as_posix()
        items = run.parameters.items() or [("", "notebook defaults")]
        rows += [
            {"page": run.name, "notebook": notebook, "parameter": key, "value": _parameter(value)}
            for key, value in items
        ]
    return pd.DataFrame(rows, columns=["page", "notebook", "parameter", "value"])


def reads_frame(reads: dict[str, list]) -> pd.DataFrame:
    """Each page and the files it read when it last ran (recorded by the build, not declared): raw inputs by
    their file in data/raw, other files by their path in the project."""
    files = {entry["id"]: entry["file"] for entry in catalog.load_catalog()}
    rows = [
        {
            "page": page,
            "kind": "raw input" if kind == "catalog" else "project file",
            "file": files.get(name, name) if kind == "catalog" else name,
        }
        for page, pairs in reads.items()
        for kind, name in pairs
    ]
    return pd.DataFrame(rows, columns=["page", "kind", "file"])


def inputs_frame(entries: list[dict]) -> pd.DataFrame:
    """Every catalogued raw input with its provenance and full sha256."""
    return pd.DataFrame(
        [
            {
                "dataset": e["dataset"],
                "file": e["file"],
                "coverage": e.get("coverage", e["title"]),
                "vintage": e.get("vintage", ""),
                "publisher": e["publisher"],
                "official_page": e["url"],
                "licence": e["license"],
                "sha256": e["sha256"],
            }
            for e in entries
        ]
    )


def data_sources_frame(entries: list[dict]) -> pd.DataFrame:
    """One row per dataset: publisher, licence, how many files (vintages) the book holds, official page
    (the first file's)."""
    rows = []
    for dataset, group in itertools.groupby(sorted(entries, key=lambda e: e["dataset"]), key=lambda e: e["dataset"]):
        group = list(group)
        first = group[0]
        rows.append(
            {
                "dataset": dataset,
                "publisher": first["publisher"],
                "licence": first["license"],
                "files": len(group),
                "official_page": first["url"],
            }
        )
    return pd.DataFrame(rows, columns=["dataset", "publisher", "licence", "files", "official_page"])


def environment_frame() -> pd.DataFrame:
    """The Python version, then each pinned requirement (requirements.txt) as package and version."""
    pins = [
        line.strip()
        for line in (config.PROJECT_ROOT / "requirements.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    packages = [re.split(r"==", pin, maxsplit=1) + [""] for pin in pins]
    return pd.DataFrame(
        [{"package": "python", "version": platform.python_version()}]
        + [{"package": name.strip(), "version": version.strip()} for name, version, *_ in packages]
    )


def downloads(runs, numbers: dict, sources: dict, reads: dict[str, list]) -> dict[str, str]:
    """The page's downloads: path in the book -> text (``FILES``)."""
    texts = {
        "book-numbers.csv": _csv(numbers_frame(numbers, sources)),
        "numbers.json": json.dumps(numbers, indent=1, sort_keys=True) + "\n",
        "book-parameters.csv": _csv(parameters_frame(runs)),
        "book-reads.csv": _csv(reads_frame(reads)),
        "book-inputs.csv": _csv(inputs_frame(catalog.load_catalog())),
        "book-environment.csv": _csv(environment_frame()),
        "book-data-sources.csv": _csv(data_sources_frame(catalog.load_catalog())),
    }
    return {f"{DATA_DIR}/{name}": texts[name] for name in FILES}


def download_rows(files: dict[str, str]) -> list[dict]:
    """The Data page's description of the CSV downloads the build writes itself (this page's, ``downloads``,
    and What changed's, ``changes.downloads``, as far as ``files`` holds them): what each holds, its
    columns and rows, as ``analysis.book.downloads`` describes a figure's or a table's data."""
    described = {
        **{name: (what, "reproducibility") for name, what in FILES.items()},
        **{name: (what, "changes") for name, what in changes.FILES.items()},
    }
    rows = []
    for name, (what, page) in described.items():
        if name.endswith(".csv") and f"{DATA_DIR}/{name}" in files:
            frame = pd.read_csv(io.StringIO(files[f"{DATA_DIR}/{name}"]), dtype=str, keep_default_na=False)
            rows.append(
                {
                    "name": name.removesuffix(".csv"),
                    "title": what,
                    "page": page,
                    "units": "as each column states (values as the book computes them)",
                    "source": "this build of the book",
                    "columns": list(frame.columns),
                    "rows": len(frame),
                }
            )
    return rows


def downloads_list(counts: dict[str, int]) -> str:
    """The list of downloads: a link in the HTML book, the file's name in the PDF, what it holds and its rows."""
    items = []
    for name, what in FILES.items():
        rows = f" ({counts[name]:,} rows)" if name in counts else ""
        items.append((name, f"{what}{rows}"))
    html = "\n".join(f'<li><a href="../{DATA_DIR}/{name}" download>{name}</a>: {what}</li>' for name, what in items)
    latex = "\n".join(f"- `{name}`: {what}" for name, what in items)
    return (
        f'```{{raw}} html\n<ul class="book-downloads">\n{html}\n</ul>\n```\n\n'
        f"````{{only}} latex\nIn the HTML book, under `{DATA_DIR}/`:\n\n{latex}\n````\n"
    )


def data_sources_table(entries: list[dict]) -> str:
    """One row per dataset (``data_sources_frame``): the dataset linked to its official page, publisher,
    licence, how many files (vintages) the book holds; in the HTML its CSV linked under it."""
    frame = data_sources_frame(entries)
    shown = pd.DataFrame(
        {
            "Dataset": [
                f"[{_cell(d)}]({url})" for d, url in zip(frame["dataset"], frame["official_page"], strict=True)
            ],
            "Publisher": frame["publisher"].map(_cell),
            "Licence": frame["licence"].map(_cell),
            "Files": frame["files"],
        }
    )
    link = links_markdown({"table (CSV)": f"../{DATA_DIR}/book-data-sources.csv"})
    return list_table(shown, widths=[34, 36, 20, 10]) + "\n\n" + link + "\n"


def reproducibility_page(
    runs, numbers: dict, sources: dict, params_file: Path, book_version: str, reads: dict[str, list] | None = None
) -> str:
    """The template with its generated sections filled in (the downloads themselves: ``downloads``)."""
    template = (config.CHAPTERS_DIR / "reproducibility.md").read_text(encoding="utf-8")
    if MARKER not in template:
        raise ValueError(f"chapters/reproducibility.md lacks the marker {MARKER}")
    released = sorted(
        p.name.removeprefix("numbers-").removesuffix(".json")
        for p in (config.PROJECT_ROOT / "releases").glob("numbers-*.json")
    )
    shown = (
        params_file.relative_to(config.PROJECT_ROOT) if params_file.is_relative_to(config.PROJECT_ROOT) else params_file
    )
    entries = catalog.load_catalog()
    counts = {
        "book-numbers.csv": len(numbers),
        "book-inputs.csv": len(entries),
        "book-reads.csv": len(reads_frame(reads or {})),
        "book-parameters.csv": len(parameters_frame(runs)),
    }
    generated = "\n".join(
        [
            "## This build\n",
            f"Book version {book_version}; released versions: {', '.join(released) if released else 'none yet'}. "
            f"Parameter file `{shown}`, which rendered {len(runs)} pages ({', '.join(run.name for run in runs)}). "
            f"Python {platform.python_version()} on {platform.system()}, with the packages pinned in "
            f"`requirements.txt`. The text glues {len(numbers):,} computed values; each page's parameters, the "
            f"files it read and every value with its page are in the downloads below.\n",
            "## Downloads\n",
            downloads_list(counts),
            "## Data sources\n",
            f"The book reads {len(entries)} raw files from these official sources; the list of files with their "
            f"sha256 is `book-inputs.csv`.\n",
            data_sources_table(entries),
        ]
    )
    return template.replace(MARKER, generated)
