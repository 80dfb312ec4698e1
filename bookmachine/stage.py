"""Assembling the book source in ``_build/src``: the numbers the notebooks glued, the book's config,
the pages, the executed notebooks, the figures' data and the generated pages.

Files are written only when their bytes change, so that Sphinx's incremental build sees nothing new.
"""
from __future__ import annotations

import ast
import json
from pathlib import Path

import yaml

from analysis import config
from analysis.errors import DataError
from bookmachine import changes, version
from bookmachine.outputs import FIGURE_DATA_DIR, STAGE_DIR
from bookmachine.plan import is_notebook

BOOK_FILES = ("_config.yml", "_toc.yml", "references.bib")


def glued_values(notebook_path: Path) -> dict:
    """Every value a notebook glued, decoded from its text/plain display (plain Python literals)."""
    notebook = json.loads(notebook_path.read_text(encoding="utf-8"))
    values = {}
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            scrap = output.get("metadata", {}).get("scrapbook")
            if not scrap:
                continue
            text = output["data"].get(scrap.get("mime_prefix", "") + "text/plain")
            text = "".join(text) if isinstance(text, list) else text
            try:
                values[scrap["name"]] = ast.literal_eval(text)
            except (ValueError, SyntaxError):
                values[scrap["name"]] = text
    return values


def collect_numbers(executed: dict[str, Path]) -> tuple[dict, dict]:
    """All glued keys of all pages -> value, and key -> page; a key glued by two pages is an error."""
    numbers, sources = {}, {}
    for name, path in executed.items():
        for key, value in glued_values(path).items():
            if key in numbers:
                raise DataError(path, f"glue key {key!r} is also produced by page {sources[key]!r}")
            numbers[key], sources[key] = value, name
    return dict(sorted(numbers.items())), dict(sorted(sources.items()))


def write_if_changed(path: Path, content: bytes) -> None:
    """Write only when the bytes differ, so that Sphinx's incremental build sees nothing new."""
    if path.exists() and path.read_bytes() == content:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


def book_config(book_version: str) -> bytes:
    """The repository's _config.yml with the version (and its commit date) written in."""
    settings = yaml.safe_load((config.PROJECT_ROOT / "_config.yml").read_text(encoding="utf-8"))
    date = version.commit_date() or "uncommitted"
    sphinx_config = settings.setdefault("sphinx", {}).setdefault("config", {})
    sphinx_config["version"] = sphinx_config["release"] = book_version
    html = settings.setdefault("html", {})
    html["extra_footer"] = (f"<p>Version {book_version}, source dated {date}. Every number is computed from "
                            f"the data at build time.</p>")
    remote = version.repository_url()
    if remote:
        settings["repository"] = {"url": remote, "branch": version.git_branch() or "main"}
    return yaml.safe_dump(settings, sort_keys=False, allow_unicode=True).encode()


def generated_pages(runs: list, numbers: dict, sources: dict, params_file: Path, book_version: str,
                    reads: dict) -> dict[str, str]:
    """The pages and files the build writes itself (path in the book -> text): Reproducibility and What
    changed, and the Reproducibility page's downloads."""
    from bookmachine import provenance
    return {"chapters/reproducibility.md": provenance.reproducibility_page(
        runs, numbers, sources, params_file, book_version, reads),
        "chapters/changes.md": changes.changes_page(version.cff_version(), numbers),
        **provenance.downloads(runs, numbers, sources, reads)}


def stage(executed: dict[str, Path], generated: dict[str, str], book_version: str) -> None:
    """Assemble the book source in _build/src: config, toc, pages, executed notebooks, generated pages."""
    wanted: dict[Path, bytes] = {STAGE_DIR / "_config.yml": book_config(book_version)}
    for name in BOOK_FILES[1:]:
        source = config.PROJECT_ROOT / name
        if source.exists():
            wanted[STAGE_DIR / name] = source.read_bytes()
    for path in sorted(config.CHAPTERS_DIR.glob("*.md")):
        if not is_notebook(path):
            wanted[STAGE_DIR / "chapters" / path.name] = path.read_bytes()
    for static in sorted([*(config.PROJECT_ROOT / "_static").rglob("*"), *(config.PROJECT_ROOT / "_templates").rglob("*")]):
        if static.is_file():
            wanted[STAGE_DIR / static.relative_to(config.PROJECT_ROOT)] = static.read_bytes()
    for name, path in executed.items():
        wanted[STAGE_DIR / "chapters" / f"{name}.ipynb"] = path.read_bytes()
    for csv in sorted(FIGURE_DATA_DIR.glob("*.csv")):
        wanted[STAGE_DIR / "_static" / "data" / csv.name] = csv.read_bytes()
    bundle = STAGE_DIR / "_static" / "vega-bundle.js"
    if not bundle.exists():  # vl-convert is imported only to write it once
        from bookmachine import vega
        bundle = vega.write_vega_bundle(STAGE_DIR / "_static")
    wanted[bundle] = bundle.read_bytes()
    for relative, text in generated.items():
        wanted[STAGE_DIR / relative] = text.encode()
    for path, content in wanted.items():
        write_if_changed(path, content)
    for stale in [p for p in STAGE_DIR.rglob("*") if p.is_file() and p not in wanted]:
        stale.unlink()
