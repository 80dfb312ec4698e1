"""Figures that are interactive in the HTML book and static in the PDF, with their data downloadable.

``figure_with_data`` returns one notebook output carrying both an interactive Vega-Lite chart
(text/html, chosen by the HTML build) and the static matplotlib figure (image/png, chosen by the
PDF build), so a figure is numbered and captioned once. The plotted values are written to
``_build/figure-data/<name>.csv``; the build publishes them under ``_static/data/`` and the HTML
figure links to them. The Vega JavaScript is served from ``_static/vega-bundle.js`` (written by the
build, ``bookmachine.vega``), so the book works offline.
"""
from __future__ import annotations

import base64
import io
import json
import re
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from analysis import config


def figure_data_dir() -> Path:
    return config.BUILD_DIR / "figure-data"


class FigureWithData:
    """A notebook output: interactive chart for HTML, PNG for the PDF, and a link to the plotted data."""

    def __init__(self, html: str, png: bytes, title: str):
        self.html, self.png, self.title = html, png, title

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/html": self.html, "image/png": base64.b64encode(self.png).decode("ascii"),
                "text/plain": self.title}


def figure_with_data(figure, chart, name: str, data: pd.DataFrame, title: str, alt: str) -> FigureWithData:
    """Pair a matplotlib figure with an Altair chart of the same values, and save those values as CSV."""
    if not re.fullmatch(r"[a-z0-9-]+", name):
        raise ValueError("figure names are lower-case words joined by hyphens")
    figure_data_dir().mkdir(parents=True, exist_ok=True)
    data.to_csv(figure_data_dir() / f"{name}.csv", index=False, float_format="%.6g", date_format="%Y-%m")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=150, bbox_inches="tight", metadata={"Software": None})
    plt.close(figure)
    spec = json.dumps(chart.properties(description=alt).to_dict(), sort_keys=True)  # Vega's aria-label
    html = (f'<div class="vega-chart" id="chart-{name}" role="img" aria-label="{alt}"></div>\n'
            f'<script>vegaEmbed("#chart-{name}", {spec}, {{"actions": false}}).catch(console.error);</script>\n'
            f'<p class="chart-data"><a href="../_static/data/{name}.csv" download>Download the plotted data (CSV)</a></p>')
    return FigureWithData(html, buffer.getvalue(), title)
