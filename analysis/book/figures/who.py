"""Figures of the who-traffics chapter: shares of U.S. citizens beside the claims.

Each function returns the figure a chapter cell shows (``interactive.book_figure``): the static
drawing for the PDF, its interactive twin, and the plotted data as CSV.
"""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.ticker import PercentFormatter

from analysis.book.downloads import Download
from analysis.book.interactive import book_figure, responsive
from analysis.book.style import add_source

SOURCE_KIND_STYLE = {"primary": ("#0072B2", "o"), "secondary": ("#56B4E9", "s"), "unsourced claim": ("#D55E00", "D")}
SOURCE_KIND_LABELS = {
    "primary": "official figure (primary)",
    "secondary": "official data restated (secondary)",
    "unsourced claim": "claim in a source document",
}
# Row labels wrap at this many characters: two lines fit a phone's column (about 330 px at 11 px).
LABEL_CHARS = 48
TITLE = "Who are the drug traffickers? Share of U.S. citizens"


def citizen_shares(rows: pd.DataFrame, source: str):
    """Dot chart: each row a count (label, share, source_kind), official figures and the documents'
    claims side by side. Markers: circle = primary, square = secondary, diamond = claim, in both drawings.
    In the HTML each row's label sits above its dot, so the chart reads on a phone."""
    data = rows[["label", "share", "source_kind"]].reset_index(drop=True)
    about = Download(
        "who-citizen-shares",
        TITLE,
        "share: fraction of the people counted who are U.S. citizens (0-1); "
        "source_kind: primary, secondary or unsourced claim",
        source,
    )
    return book_figure(
        citizens_static(data, source),
        about,
        "Dot chart of the share of U.S. citizens among drug trafficking offenders and people caught with "
        "drugs, official figures beside the documents' claims",
        data,
        panels=[citizens_panel(data)],
    )


def citizens_static(data: pd.DataFrame, source: str):
    """Matplotlib version of ``citizen_shares``: one row per count, its share as a labelled dot."""
    figure, axis = plt.subplots(figsize=(8.5, 0.42 * len(data) + 1.8))
    for position, row in enumerate(data.itertuples()):
        color, marker = SOURCE_KIND_STYLE[row.source_kind]
        axis.plot([0, row.share], [position, position], color="#dddddd", linewidth=1, zorder=1)
        axis.scatter(row.share, position, color=color, marker=marker, s=60, zorder=2)
        axis.text(row.share + 0.015, position, f"{row.share:.0%}", va="center", fontsize=8)
    axis.set_yticks(range(len(data)), list(data["label"]), fontsize=8)
    axis.invert_yaxis()
    axis.set_xlim(0, 1.08)
    axis.xaxis.set_major_formatter(PercentFormatter(1.0))
    axis.set_xlabel("Share who are U.S. citizens")
    axis.set_title(TITLE)
    handles = [
        plt.Line2D([], [], color=color, marker=marker, linestyle="", label=SOURCE_KIND_LABELS[kind])
        for kind, (color, marker) in SOURCE_KIND_STYLE.items()
    ]
    axis.legend(handles=handles, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=3, frameon=False)
    figure.tight_layout()
    add_source(figure, source)
    return figure


def citizens_panel(data: pd.DataFrame):
    """Altair version of ``citizen_shares``: rows of label (above), line from 0 and dot at the share."""
    import altair as alt

    kinds = list(SOURCE_KIND_STYLE)
    shapes = {"o": "circle", "s": "square", "D": "diamond"}
    data = data.assign(
        kind=data["source_kind"].map(SOURCE_KIND_LABELS),
        row=range(len(data)),
        zero=0.0,
        lines=[textwrap.fill(label, LABEL_CHARS) for label in data["label"]],
    )
    order = [SOURCE_KIND_LABELS[kind] for kind in kinds]
    y = alt.Y("row:O", axis=None, scale=alt.Scale(paddingInner=0.0, paddingOuter=0.1))
    x = alt.X("share:Q", title="Share who are U.S. citizens", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1]))
    tooltip = [
        alt.Tooltip("label:N", title="Count"),
        alt.Tooltip("share:Q", title="U.S. citizens", format=".1%"),
        alt.Tooltip("kind:N", title="Figure"),
    ]
    base = alt.Chart(data)
    rules = base.mark_rule(color="#dddddd", yOffset=6).encode(x=x, x2="zero:Q", y=y)
    dots = base.mark_point(filled=True, size=90, yOffset=6).encode(
        x=x,
        y=y,
        tooltip=tooltip,
        color=alt.Color(
            "kind:N",
            title="Figure",
            sort=order,
            scale=alt.Scale(domain=order, range=[SOURCE_KIND_STYLE[k][0] for k in kinds]),
            legend=alt.Legend(orient="bottom", columns=1, labelLimit=0),
        ),
        shape=alt.Shape(
            "kind:N", sort=order, scale=alt.Scale(domain=order, range=[shapes[SOURCE_KIND_STYLE[k][1]] for k in kinds])
        ),
    )
    labels = base.mark_text(align="left", baseline="bottom", yOffset=-2, fontSize=12, lineBreak="\n").encode(
        x=alt.value(0), y=y, text="lines:N"
    )
    values = base.mark_text(align="left", dx=8, yOffset=6, fontSize=11).encode(
        x=x, y=y, text=alt.Text("share:Q", format=".0%")
    )
    return responsive(alt.layer(rules, dots, labels, values), 52 * len(data))
