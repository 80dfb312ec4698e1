"""A figure as the book shows it: interactive or static in the HTML, static in the PDF, data downloadable.

Each chapter's figure module (``analysis.book.figures.<chapter>``) draws a figure twice from the
same frame, a matplotlib figure and, where interaction helps, Altair panels, and returns
``book_figure(...)``: one notebook output that carries

* ``image/png``, the static figure, which the PDF build uses;
* ``text/html``, which the HTML build uses: the Altair panels as Vega-Lite specs (drawn by
  ``_static/charts.js`` with Vega-Embed, loaded only on pages with a chart), or else the same PNG
  as a file; then links to the plotted data (CSV) and the image (PNG).

The plotted data go through ``downloads.save``, so every figure is on the Data page. A figure is
numbered and captioned once (the cell's ``mystnb.figure`` metadata), and the caption describes
what both drawings show.
"""

from __future__ import annotations

import base64
import html
import io
import json
import textwrap
from dataclasses import dataclass, field

import matplotlib.pyplot as plt
import pandas as pd

from analysis.book import downloads
from analysis.book.downloads import Download

PNG_DPI = 150
NARROW_SCREEN = 640  # CSS pixels: up to this width a figure with a narrow drawing shows it
# Chart text a little larger than Vega's 10-11 px defaults, to sit beside the book's 16 px text.
VEGA_CONFIG = {
    "axis": {"labelFontSize": 12, "titleFontSize": 12},
    "legend": {"labelFontSize": 12, "titleFontSize": 12},
    "title": {"fontSize": 13},
}


@dataclass
class BookFigure:
    """One figure: the static drawing (PNG bytes), its interactive panels (Vega-Lite specs), its data."""

    about: Download
    alt: str
    png: bytes
    data: pd.DataFrame
    panels: list[dict] = field(default_factory=list)
    linked: tuple[str, ...] = ()
    size: tuple[int, int] = (0, 0)
    narrow_size: tuple[int, int] | None = None

    def html(self) -> str:
        """The HTML output: the title, the panels and the source (or the image, which shows the title, and
        the source again as text: the image's own source line is too small to read on a phone), then the
        download links."""
        address = f"{downloads.PUBLISHED_PATH}/{self.about.name}"
        alt = html.escape(self.alt)
        if self.panels:
            specs = "".join(
                f'<div class="vega-chart"><script type="application/json">{spec_json(spec)}</script></div>'
                for spec in self.panels
            )
            linked = f' data-linked="{" ".join(self.linked)}"' if self.linked else ""
            shown = (
                f'<p class="figure-title">{html.escape(self.about.title)}</p>\n'
                f'<div class="vega-figure" id="chart-{self.about.name}" role="img" aria-label="{alt}"{linked}>'
                f'{specs}</div>\n<p class="figure-source">Source: {html.escape(self.about.source)}</p>'
            )
        else:
            width, height = self.size
            shown = (
                f'<img class="book-figure" src="{address}.png" alt="{alt}" width="{width}" height="{height}" '
                f'loading="lazy" />'
            )
            if self.narrow_size:  # a phone gets the panels stacked, drawn for its width
                narrow_width, narrow_height = self.narrow_size
                shown = (
                    f'<picture><source media="(max-width: {NARROW_SCREEN}px)" srcset="{address}-narrow.png" '
                    f'width="{narrow_width}" height="{narrow_height}" />{shown}</picture>'
                )
            shown += f'\n<p class="figure-source">Source: {html.escape(self.about.source)}</p>'
        return shown + "\n" + downloads.links_html({"data (CSV)": f"{address}.csv", "image (PNG)": f"{address}.png"})

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {
            "text/html": self.html(),
            "image/png": base64.b64encode(self.png).decode("ascii"),
            "text/plain": self.about.title,
        }


def spec_json(spec: dict) -> str:
    """A Vega-Lite spec as JSON safe inside a <script> element ('</' cannot close it)."""
    return json.dumps(spec, sort_keys=True, separators=(",", ":")).replace("</", "<\\/")


def responsive(chart, height: int):
    """A single or layered Altair chart that fills its container's width, axes and legend included
    (Vega-Lite's "container" width, autosize ``fit-x`` with ``contains: padding``), with a plot
    ``height`` pixels tall (fitting the height too would squeeze the plot of a panel with a legend)."""
    return chart.properties(
        width="container", height=height, autosize={"type": "fit-x", "contains": "padding", "resize": True}
    )


def wrapped_labels(labels, chars: int) -> str:
    """A Vega ``labelExpr`` that shows each legend label on lines of at most ``chars`` characters
    (Vega does not wrap legend labels; a long one would be cut on a phone)."""
    lines = {label: textwrap.wrap(label, chars) for label in labels}
    return f"({json.dumps(lines)})[datum.label] || datum.label"


def book_figure(
    static, about: Download, alt: str, data: pd.DataFrame, panels=(), linked: tuple[str, ...] = (), narrow=None
) -> BookFigure:
    """The figure a chapter cell displays: ``static`` (a matplotlib figure, closed here), the Altair
    ``panels`` if any (each a single or layered chart; ``responsive`` sizes them), and ``data``, the
    values plotted, saved as the figure's CSV. ``linked`` names selections the panels share.
    ``narrow``, for a static figure without panels, is the same drawing laid out for a phone (panels
    stacked), which the HTML shows on screens up to NARROW_SCREEN pixels wide."""
    png = figure_png(static)
    downloads.save(data, about)
    (downloads.downloads_dir() / f"{about.name}.png").write_bytes(png)
    narrow_png = figure_png(narrow) if narrow is not None else None
    if narrow_png:
        (downloads.downloads_dir() / f"{about.name}-narrow.png").write_bytes(narrow_png)
    return BookFigure(
        about=about,
        alt=alt,
        png=png,
        data=data,
        panels=[{**panel.properties(description=alt).to_dict(), "config": VEGA_CONFIG} for panel in panels],
        linked=tuple(linked),
        size=png_size(png),
        narrow_size=png_size(narrow_png) if narrow_png else None,
    )


def figure_png(figure) -> bytes:
    """A matplotlib figure as a compact PNG (the figure is closed)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=PNG_DPI, bbox_inches="tight", metadata={"Software": None})
    plt.close(figure)
    return compact_png(buffer.getvalue())


def compact_png(png: bytes) -> bytes:
    """The PNG with at most 256 colours (no dithering): a chart's flat colours survive and the file is
    about a third of the size, which the HTML book's pages and the PDF both carry."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    buffer = io.BytesIO()
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
        buffer, format="PNG", optimize=True
    )
    return buffer.getvalue()


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height in pixels, read from the PNG header (the HTML reserves the space before loading)."""
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
