"""Downloads: the data of every figure and table as a CSV file, described for the book's Data page.

A chapter saves what it shows with ``save(frame, Download(...))``: the CSV goes to
``_build/figure-data/<name>.csv`` with a small JSON description beside it (title, units, source);
the build publishes both under ``_static/data/`` and lists every download on the Data page with the
book's version and licence. Tables do this through ``tables.markdown_table(..., download=...)`` and
figures through ``interactive.book_figure``; both put a link under what they show.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd

from analysis import config

NAME = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
# Every download this kernel has saved, by name: a second, different download under one name would
# overwrite the first one's file, so ``save`` refuses it (a page saving the same table again is fine).
SAVED: dict[str, Download] = {}
# Where a chapter page (chapters/<page>.html) finds the published files.
PUBLISHED_PATH = "../_static/data"


def downloads_dir() -> Path:
    """Where notebooks write downloads (the build copies them into the book's ``_static/data``)."""
    return config.BUILD_DIR / "figure-data"


@dataclass(frozen=True)
class Download:
    """What a downloadable file holds, in the words the Data page shows.

    ``name``: the file name without extension, lower-case words joined by hyphens (stable: it is
    the address readers cite); ``title``: what one row is; ``units``: the units of its numbers;
    ``source``: where the numbers come from.
    """

    name: str
    title: str
    units: str
    source: str

    def __post_init__(self):
        if not NAME.fullmatch(self.name):
            raise ValueError(f"download name {self.name!r}: use lower-case words joined by hyphens")
        for field in ("title", "units", "source"):
            if not str(getattr(self, field)).strip():
                raise ValueError(f"download {self.name!r} needs a {field} (the Data page shows it)")


def save(frame: pd.DataFrame, about: Download) -> str:
    """Write ``frame`` as ``<name>.csv`` and its description as ``<name>.json``; return the CSV's address
    as a chapter page links to it. Dates are written as YYYY-MM-DD, floats with 10 significant digits
    (enough for every count and weight the book holds; 6 would write 1,659,206 as 1.65921e+06)."""
    if frame.empty:
        raise ValueError(f"download {about.name!r}: the frame is empty; a download holds what the page shows")
    if SAVED.get(about.name, about) != about:
        raise ValueError(
            f"download name {about.name!r} is already used on this page by {SAVED[about.name].title!r}: "
            "give each table and figure its own name"
        )
    SAVED[about.name] = about
    directory = downloads_dir()
    directory.mkdir(parents=True, exist_ok=True)
    frame.to_csv(directory / f"{about.name}.csv", index=False, float_format="%.10g", date_format="%Y-%m-%d")
    description = {**asdict(about), "rows": len(frame), "columns": [str(column) for column in frame.columns]}
    (directory / f"{about.name}.json").write_text(
        json.dumps(description, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    return f"{PUBLISHED_PATH}/{about.name}.csv"


def links_html(links: dict[str, str]) -> str:
    """A line of download links under a figure or table: ``{'data (CSV)': address, ...}``.

    Raw HTML: the HTML book shows it; the PDF, which lists every download on its Data page, drops it."""
    anchors = " &middot; ".join(f'<a href="{address}" download>{label}</a>' for label, address in links.items())
    return f'<p class="data-links">Download: {anchors}</p>'


def links_markdown(links: dict[str, str]) -> str:
    """``links_html`` as a raw-HTML block of a MyST page (pages the build writes itself): the PDF leaves it out."""
    return "\n".join(["```{raw} html", links_html(links), "```"])


class HtmlOnly:
    """A download link for the HTML book; elsewhere (the PDF, which lists every download on its Data
    page, and plain-text views of the notebook) a line naming the file. Every form is given: without
    a plain one, IPython adds its default text/plain (``<...HtmlOnly at 0x...>``), which the PDF printed."""

    def __init__(self, html: str, text: str):
        self.html, self.text = html, text

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/html": self.html, "text/markdown": self.text, "text/plain": self.text}


def link(frame: pd.DataFrame, about: Download, label: str) -> HtmlOnly:
    """Save ``frame`` as a download (``save``) and return the link to it, for a cell to display."""
    address = save(frame, about)
    return HtmlOnly(links_html({label: address}), f"Download: {label}, `{about.name}.csv` (Data page).")
