"""Reuse: the book's licences, "Cite this book" text and BibTeX, and the Data page of every download.

The citation comes from CITATION.cff, the single source of the version, title, authors and addresses
(``analysis.book.citation``); the build writes it into
``chapters/_cite-this-book.md``, which the landing page includes (so it is in the HTML and the PDF).
The Data page (``chapters/data.md``, its prose; the build fills in the marker line) lists every
CSV that a figure or table of the executed notebooks links to (``analysis.book.downloads``), with
what it holds, its units, its source, the page that shows it, the version and the licence; the
build publishes each file under ``_static/data/`` with a metadata file beside it.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pandas as pd

from analysis import config
from analysis.book import citation as book_citation
from analysis.book import downloads
from analysis.book.tables import list_table

MARKER = "<!-- generated -->"
CITE_PAGE = "chapters/_cite-this-book.md"
TEXT_LICENCE = "CC BY 4.0"
TEXT_LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
CODE_LICENCE = "MIT"
LICENCE_SENTENCE = (
    f"The book's text, figures, tables and downloadable data are licensed under [{TEXT_LICENCE}]"
    f"({TEXT_LICENCE_URL}) (cite the book); its code is under the {CODE_LICENCE} licence (LICENSE "
    "in the repository). The raw data keep their publishers' terms: most are U.S. Government works "
    "in the public domain; Pew Research Center, the Center for Migration Studies and ICPSR ask to be "
    "cited (each file's terms are on the Reproducibility page)."
)
LINKED_DOWNLOAD = re.compile(r"_static/data/([a-z0-9]+(?:-[a-z0-9]+)*)\.csv")


citation = book_citation.citation  # CITATION.cff as a dict: one reader for the book and its pages
author_names = book_citation.author_names
NO_ADDRESS = (
    "This version has no public web address yet; cite it by its title and version. (CITATION.cff's `url` gives "
    "the book's address once it has one, and the citation, the BibTeX and every claim's link then carry it.)"
)


def address(cff: dict) -> str | None:
    """Where a reader finds the cited book: its public address (``url``), else its source (``repository-code``)."""
    return book_citation.book_url(cff) or book_citation.repository(cff)


def cite_text(cff: dict) -> str:
    """One-line citation in author-date style: 'Authors (year). Title (Version x). Address.'"""
    year = str(cff.get("date-released", ""))[:4] or "n.d."
    where = address(cff)
    return f"{' & '.join(author_names(cff))} ({year}). *{cff['title']}* (Version {cff['version']})." + (
        f" <{where}>" if where else ""
    )


SOURCE_MARKER = "<!-- source -->"  # chapters/reproducibility.md: where the rebuild instructions go


def rebuild_markdown(cff: dict) -> str:
    """How to rebuild, for the Reproducibility page: clone the source from its public address, or, while it has
    none, say so rather than print a placeholder."""
    source = book_citation.repository(cff)
    where = (
        "On a Debian machine with Python 3.11:"
        if source
        else "In a copy of the book's source, on a Debian machine with Python 3.11 (the source has no public "
        "address yet; CITATION.cff's `repository-code` gives it once it has one, and the header then links to it):"
    )
    clone = [f"git clone {source} book && cd book"] if source else []
    commands = [
        *clone,
        "make book      # virtualenv, system packages, verified data, notebooks, HTML + PDF",
        "make test      # the test suite",
    ]
    return "\n".join([where, "", "```bash", *commands, "```"])


def bibtex(cff: dict) -> str:
    """A BibTeX ``@misc`` entry (as cffconvert writes one), the version in ``note``."""
    year = str(cff.get("date-released", ""))[:4]
    key = re.sub(r"[^a-z0-9]+", "_", cff["title"].lower().split(":")[0]).strip("_")[:40] + (f"_{year}" if year else "")
    fields = [
        ("author", " and ".join("{" + name + "}" if "," not in name else name for name in author_names(cff))),
        ("title", "{" + cff["title"] + "}"),
        ("year", year),
        ("note", f"Version {cff['version']}"),
        ("url", address(cff) or ""),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
    return f"@misc{{{key},\n{body}\n}}"


def cite_markdown(cff: dict) -> str:
    """The 'Cite this book' block the landing page includes: the citation, BibTeX, where the book is (or that
    it has no public address yet), the licences."""
    missing = "" if address(cff) else f"{NO_ADDRESS}\n\n"
    return f"{cite_text(cff)}\n\n```bibtex\n{bibtex(cff)}\n```\n\n{missing}{LICENCE_SENTENCE}\n"


def linked_downloads(executed: dict[str, Path]) -> dict[str, str]:
    """Download name -> the page that links to it, from the executed notebooks' outputs (first page wins)."""
    pages: dict[str, str] = {}
    for page, notebook in executed.items():
        for name in LINKED_DOWNLOAD.findall(notebook.read_text(encoding="utf-8")):
            pages.setdefault(name, page)
    return pages


def download_descriptions(pages: dict[str, str], directory: Path) -> list[dict]:
    """The description each linked download was saved with (``<name>.json``), plus its page; a link
    without its files is an error naming the page."""
    rows = []
    for name, page in sorted(pages.items()):
        described = directory / f"{name}.json"
        if not described.exists() or not (directory / f"{name}.csv").exists():
            raise FileNotFoundError(
                f"page {page!r} links to download {name!r}, but {directory} has no {name}.csv with "
                f"its description {name}.json: save it with analysis.book.downloads.save(frame, "
                f"Download(...)) (or markdown_table(..., download=...)), then run the page again"
            )
        rows.append({**json.loads(described.read_text(encoding="utf-8")), "page": page})
    return rows


def published_metadata(row: dict, version: str) -> dict:
    """What ``_static/data/<name>.json`` says about a download: the description, version and licence."""
    return {
        "name": row["name"],
        "title": row["title"],
        "units": row["units"],
        "source": row["source"],
        "columns": row["columns"],
        "rows": row["rows"],
        "page": f"chapters/{row['page']}.html",
        "book_version": version,
        "licence": TEXT_LICENCE,
        "licence_url": TEXT_LICENCE_URL,
    }


INDEX = "book-downloads"  # the Data page's own table, as CSV: every download with its description


def index_row(rows: list[dict]) -> dict:
    """The Data page's description of its own table's CSV (``INDEX``), which lists ``rows`` and itself."""
    return {
        "name": INDEX,
        "title": "every file of the book's data: name, what it holds, units, source, the page that shows it, rows",
        "units": "rows: count of a file's rows; columns: its column names, separated by semicolons",
        "source": "this build of the book (each file's description)",
        "columns": ["name", "title", "units", "source", "page", "rows", "columns"],
        "rows": len(rows) + 1,
        "page": "data",
    }


def index_csv(rows: list[dict]) -> str:
    """The Data page's table as CSV: one row per download (``rows``, then ``index_row``)."""
    frame = pd.DataFrame(
        [{**row, "columns": "; ".join(row["columns"])} for row in rows],
        columns=index_row(rows)["columns"],
    )
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue()


def data_page_files(rows: list[dict], version: str) -> dict[Path, bytes]:
    """The Data page (``data_page``, listing ``rows`` and its own table's CSV) and that CSV with its
    description (paths relative to the staged source)."""
    listed = [*rows, index_row(rows)]
    data = Path("_static") / "data"
    return {
        Path("chapters") / "data.md": data_page(listed, version, book_citation.book_url(citation())).encode(),
        data / f"{INDEX}.csv": index_csv(listed).encode(),
        data / f"{INDEX}.json": (
            json.dumps(published_metadata(listed[-1], version), indent=1, sort_keys=True) + "\n"
        ).encode(),
    }


def files_address(book_url: str | None) -> str:
    """Where the PDF says the files are: in the HTML book's folder ``_static/data/``, at the book's public
    address when it has one."""
    folder = "`_static/data/`"
    if book_url:
        return f"The files are in the HTML book's folder {folder}, at <{book_url}/_static/data/> (add the file's name)."
    return (
        f"The files are in the HTML book's folder {folder}, beside its pages; the book has no public web address yet "
        "(CITATION.cff's `url` gives it once it has one)."
    )


def pdf_summary(rows: list[dict]) -> str:
    """The Data page's part in the PDF: how many files each page offers, in the order the pages first
    appear, and where the full list is (ten printed pages of file names would help no reader of paper)."""
    counts = pd.Series([row["page"] for row in rows]).value_counts(sort=False)
    table = list_table(pd.DataFrame({"Page": [f"{{doc}}`{page}`" for page in counts.index], "Files": counts.to_list()}))
    return (
        f"The full list, with each file's units and source, is in the HTML book and in `{INDEX}.csv`; "
        f"here, how many files each page offers.\n\n{table}"
    )


def data_page(rows: list[dict], version: str, book_url: str | None = None) -> str:
    """chapters/data.md with its generated part filled in: one row per download. The HTML table
    links the files; the PDF says where they are (it cannot link to files beside the HTML;
    ``files_address``) and counts them per page (``pdf_summary``)."""
    template = (config.CHAPTERS_DIR / "data.md").read_text(encoding="utf-8")
    intro = (
        f"Version {version} of the book; every file is licensed under [{TEXT_LICENCE}]({TEXT_LICENCE_URL}). "
        f"{len(rows)} files.\n"
    )

    def table() -> str:
        files = [
            f'<a href="../_static/data/{row["name"]}.csv" download>{row["name"]}.csv</a> '
            f'(<a href="../_static/data/{row["name"]}.json">about</a>)'
            f", shown in {{doc}}`{row['page']}`"
            for row in rows
        ]
        return list_table(
            pd.DataFrame(
                {
                    "File": files,
                    "What it holds": [f"{row['title']}. Units: {row['units']}" for row in rows],
                    "Source": [row["source"] for row in rows],
                }
            )
        )

    link = downloads.links_markdown({"table (CSV)": f"{downloads.PUBLISHED_PATH}/{INDEX}.csv"})
    generated = "\n".join(
        [
            intro,
            "````{only} html",
            table(),
            "",
            link,
            "````",
            "",
            "````{only} latex",
            files_address(book_url),
            "",
            pdf_summary(rows),
            "````",
            "",
        ]
    )
    return template.replace(MARKER, generated)
