"""Assembling the book source in ``_build/src``: the numbers the notebooks glued, the book's config,
the pages, the executed notebooks, the downloads of figures and tables (with the Data page) and the
generated pages.

Files are written only when their bytes change, so that Sphinx's incremental build sees nothing new.
"""

from __future__ import annotations

import ast
import json
import multiprocessing
import os
import re
from pathlib import Path

import yaml

from analysis import config
from analysis.book import citation as book_citation
from analysis.errors import DataError
from bookmachine import changes, icons, reuse, vega, version
from bookmachine.outputs import FIGURE_DATA_DIR, LATEX_STAGE_DIR, STAGE_DIR
from bookmachine.plan import is_notebook

VEGA_BUNDLE = STAGE_DIR / "_static" / vega.BUNDLE_NAME

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
    """The repository's _config.yml with the version (and its commit date) written in.

    The title and the author are CITATION.cff's, as in the cite text. The version is shown by the HTML
    theme (its context) and on the PDF's title page, never in a page's text, so it goes there and not
    in Sphinx's ``version`` and ``release``: those are environment settings, and a new version (every
    commit, every ``make add-data``) would make Sphinx read every page again instead of only the
    changed ones.
    """
    from sphinx.util import texescape

    settings = yaml.safe_load((config.PROJECT_ROOT / "_config.yml").read_text(encoding="utf-8"))
    cff = reuse.citation()
    settings["title"] = cff["title"]  # one title and one author everywhere: CITATION.cff's
    settings["author"] = " & ".join(reuse.author_names(cff))
    date = version.commit_date() or "uncommitted"
    sphinx_config = settings.setdefault("sphinx", {}).setdefault("config", {})
    sphinx_config["html_context"] = {
        **sphinx_config.get("html_context", {}),
        "version": book_version,
        "release": book_version,
    }
    texescape.init()
    latex = sphinx_config.setdefault("latex_elements", {})
    latex["releasename"] = "Release"
    latex["maketitle"] = f"\\release{{{texescape.escape(book_version, 'xelatex')}}}" + latex.get(
        "maketitle", "\\sphinxmaketitle"
    )
    html = settings.setdefault("html", {})
    html["extra_footer"] = (
        f"<p>Version {book_version}, source dated {date}. Every number is computed from the data at build time.</p>"
    )
    remote = book_citation.repository(cff) or version.repository_url()
    if remote:  # the header's "Code" link (_templates/article-header-buttons.html)
        settings["repository"] = {"url": remote, "branch": version.git_branch() or "main"}
        sphinx_config.setdefault("html_context", {})["book_repository"] = remote
    return yaml.safe_dump(settings, sort_keys=False, allow_unicode=True).encode()


def generated_pages(
    runs: list, numbers: dict, sources: dict, params_file: Path, book_version: str, reads: dict
) -> dict[str, str]:
    """The pages and files the build writes itself (path in the book -> text): Reproducibility and its
    downloads, What changed and the landing page's "Cite this book" block (the Data page is staged with
    the downloads)."""
    from bookmachine import provenance

    return {
        "chapters/reproducibility.md": provenance.reproducibility_page(
            runs, numbers, sources, params_file, book_version, reads
        ).replace(reuse.SOURCE_MARKER, reuse.rebuild_markdown(reuse.citation())),
        "chapters/changes.md": changes.changes_page(version.cff_version(), numbers, sources=sources),
        reuse.CITE_PAGE: reuse.cite_markdown(reuse.citation()),
        **provenance.downloads(runs, numbers, sources, reads),
        **changes.downloads(version.cff_version(), numbers, sources=sources),
    }


def download_files(executed: dict[str, Path], book_version: str, generated_rows: list[dict]) -> dict[Path, bytes]:
    """Every download a page links to, under ``_static/data`` (paths relative to the staged source): its
    CSV, the figure's PNG, and a JSON description with the version and licence; and the Data page
    listing them. Files of figures or tables no page shows any more are left out. ``generated_rows``
    describe downloads the build writes itself (the Reproducibility page's, already among the
    generated files)."""
    rows = reuse.download_descriptions(reuse.linked_downloads(executed), FIGURE_DATA_DIR) + generated_rows
    files = reuse.data_page_files(rows, book_version)
    for row in rows:
        target = Path("_static") / "data" / row["name"]
        for suffix in (".csv", ".png", "-narrow.png"):  # a figure's drawing for phones: <name>-narrow.png
            source = FIGURE_DATA_DIR / f"{row['name']}{suffix}"
            if source.exists():
                files[target.parent / source.name] = source.read_bytes()
        metadata = reuse.published_metadata(row, book_version)
        files[target.with_suffix(".json")] = (json.dumps(metadata, indent=1, sort_keys=True) + "\n").encode()
    return files


def _write_vega_bundle_whole() -> None:
    """Write the bundle beside its place and move it there, so that no half-written file looks done."""
    scratch = VEGA_BUNDLE.parent / f".vega-{os.getpid()}"
    os.replace(vega.write_vega_bundle(scratch), VEGA_BUNDLE)
    scratch.rmdir()


def start_vega_bundle() -> multiprocessing.Process | None:
    """Start writing the Vega bundle into the staged source, when it is missing, in a background process.

    vl-convert takes seconds to produce it (always the same bytes for one vl-convert version); the
    build starts it before the notebooks and ``stage`` waits for it, so it costs no time of its own.
    """
    if VEGA_BUNDLE.exists():
        return None
    VEGA_BUNDLE.parent.mkdir(parents=True, exist_ok=True)
    writer = multiprocessing.get_context("fork").Process(target=_write_vega_bundle_whole, daemon=True)
    writer.start()
    return writer


FENCE = re.compile(r" {0,3}(`{3,}|~{3,}|:{3,})(.*)")
ONLY = re.compile(r"\{only\}\s+(html|latex)\s*")


def for_format(text: str, output_format: str) -> str:
    """A MyST page as one builder reads it: without its top-level ``{only} html`` blocks for the LaTeX
    build, or ``{only} latex`` blocks for the HTML build.

    Sphinx parses ``{only}`` content for every builder and drops it only when writing; the
    Reproducibility page lists every number twice (a table for each format), so each build read
    both and kept half. A block is found as CommonMark finds a fence: it ends at the first line of
    the same fence character, at least as long, with nothing after it.
    """
    lines = text.splitlines(keepends=True)
    kept, position = [], 0
    while position < len(lines):
        opening = FENCE.fullmatch(lines[position].rstrip("\n"))
        if not opening:
            kept.append(lines[position])
            position += 1
            continue
        fence, info = opening.groups()
        closing = re.compile(r" {0,3}" + re.escape(fence[0]) + "{" + str(len(fence)) + r",}\s*")
        end = position + 1
        while end < len(lines) and not closing.fullmatch(lines[end].rstrip("\n")):
            end += 1
        only = ONLY.fullmatch(info.strip())
        if not only or only.group(1) == output_format:
            kept.extend(lines[position : end + 1])
        position = end + 1
    return "".join(kept)


def toc_titles(toc: Path | None = None) -> dict[str, str]:
    """Page -> the title the table of contents gives it (``title:`` beside ``file:`` in _toc.yml), for the
    pages one notebook renders with different parameters (the budget scenarios)."""
    document = yaml.safe_load((toc or config.PROJECT_ROOT / "_toc.yml").read_text(encoding="utf-8"))
    titles: dict[str, str] = {}

    def walk(entries):
        for entry in entries or []:
            if entry.get("file") and entry.get("title"):
                titles[entry["file"]] = entry["title"]
            walk(entry.get("sections"))
            walk(entry.get("chapters"))
            for part in entry.get("parts") or []:
                walk(part.get("chapters"))

    walk(document.get("chapters"))
    for part in document.get("parts") or []:
        walk(part.get("chapters"))
    return titles


def titled(notebook: bytes, title: str | None) -> bytes:
    """An executed notebook whose page title (its first '# ' heading) is ``title``: two pages rendered from
    one notebook would otherwise share one heading in the PDF's contents and in each other's links."""
    if not title:
        return notebook
    document = json.loads(notebook)
    for cell in document["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        lines = "".join(cell["source"]).split("\n")
        for index, line in enumerate(lines):
            if line.startswith("# "):
                lines[index] = f"# {title}"
                cell["source"] = "\n".join(lines)
                return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode()
    raise ValueError(f"no '# ' title to replace with {title!r} in the notebook")


def write_tree(root: Path, files: dict[Path, bytes]) -> None:
    """Make ``root`` hold exactly ``files`` (relative path -> bytes), touching only what changed."""
    for relative, content in files.items():
        write_if_changed(root / relative, content)
    for stale in [p for p in root.rglob("*") if p.is_file() and p.relative_to(root) not in files]:
        stale.unlink()


def stage(
    executed: dict[str, Path],
    generated: dict[str, str],
    book_version: str,
    bundle_writer: multiprocessing.Process | None = None,
) -> None:
    """Assemble the book source: config, toc, pages, executed notebooks, generated pages (and the Vega
    bundle ``bundle_writer`` was writing, once it is done); in _build/src for the HTML build and in
    _build/pdflatex/src for the LaTeX build, each page without the other format's ``{only}`` blocks."""
    wanted: dict[Path, bytes] = {Path("_config.yml"): book_config(book_version)}
    for name in BOOK_FILES[1:]:
        source = config.PROJECT_ROOT / name
        if source.exists():
            wanted[Path(name)] = source.read_bytes()
    for path in sorted(config.CHAPTERS_DIR.glob("*.md")):
        if not is_notebook(path):
            wanted[Path("chapters") / path.name] = path.read_bytes()
    for static in sorted(
        [*(config.PROJECT_ROOT / "_static").rglob("*"), *(config.PROJECT_ROOT / "_templates").rglob("*")]
    ):
        if static.is_file():
            wanted[static.relative_to(config.PROJECT_ROOT)] = static.read_bytes()
    titles = toc_titles()
    for name, path in executed.items():
        wanted[Path("chapters") / f"{name}.ipynb"] = titled(path.read_bytes(), titles.get(f"chapters/{name}"))
    from bookmachine import provenance

    wanted.update(download_files(executed, book_version, provenance.download_rows(generated)))
    if bundle_writer is not None:
        bundle_writer.join()
    if not VEGA_BUNDLE.exists():  # not started, or it failed: written here, where an error shows
        vega.write_vega_bundle(VEGA_BUNDLE.parent)
    wanted[VEGA_BUNDLE.relative_to(STAGE_DIR)] = VEGA_BUNDLE.read_bytes()
    wanted.update({Path("_static") / name: content for name, content in icons.icon_files().items()})
    for relative, text in generated.items():
        wanted[Path(relative)] = text.encode()
    for root, output_format in ((STAGE_DIR, "html"), (LATEX_STAGE_DIR, "latex")):
        write_tree(
            root,
            {
                relative: for_format(content.decode(), output_format).encode() if relative.suffix == ".md" else content
                for relative, content in wanted.items()
            },
        )
