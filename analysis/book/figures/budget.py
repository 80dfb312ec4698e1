"""Figures of the budget chapters: the demand share by edition and the rebalancing path.

Each function returns the figure a chapter cell shows (``interactive.book_figure``): the static
drawing for the PDF, its interactive twin where it has one, and the plotted data as CSV.
"""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import PercentFormatter

from analysis.book.downloads import Download
from analysis.book.interactive import book_figure, responsive, wrapped_labels
from analysis.book.style import OKABE_ITO, add_source

SHARE_TITLE = "Demand reduction's share of the federal drug-control budget"
SHARE_LIMITS = (0.25, 0.7)
# Legend labels wrap at this many characters: the longest line fits a phone's column (about 300 px at 12 px).
LEGEND_CHARS = 34


# A reference line's label (two lines, at most REFERENCE_CHARS characters each) takes this much of the
# share axis above its line, and this many fiscal years: about 75 px of a phone's plot of some 30 years.
REFERENCE_CHARS = 14
LABEL_BAND = 0.055
LABEL_YEARS = 8.5


def label_year(data: pd.DataFrame, share: float, band: float = LABEL_BAND, years: float = LABEL_YEARS) -> float:
    """Where along the years a reference line at ``share`` can carry its label, right-aligned, with the
    fewest points of the lines of ``data`` (fiscal_year, edition, demand_share; each edition's line
    interpolated every quarter year) in the label's box: ``years`` wide, from ``share`` to ``share + band``.
    The latest right end wins a tie, so a line that crosses nothing keeps its label at the right."""
    first, last = float(data["fiscal_year"].min()), float(data["fiscal_year"].max())
    points = []
    for _, series in data.sort_values("fiscal_year").groupby("edition"):
        grid = np.arange(series["fiscal_year"].min(), series["fiscal_year"].max() + 0.01, 0.25)
        points.append(pd.DataFrame({"x": grid, "y": np.interp(grid, series["fiscal_year"], series["demand_share"])}))
    inside = pd.concat(points).query("@share <= y <= @share + @band")["x"].to_numpy()
    ends = np.arange(last, first + years - 0.01, -0.25)
    crossed = [int(((inside >= end - years) & (inside <= end)).sum()) for end in ends]
    return float(ends[int(np.argmin(crossed))]) if len(ends) else last


def demand_share(shares: pd.DataFrame, labels: dict, breaks: dict, references: dict, source: str):
    """Demand share of the drug-control budget by fiscal year, one line per methodology edition.

    ``labels`` maps editions to legend labels (their order is the legend's); ``breaks`` maps fiscal
    years to scope-change notes, drawn as dashed verticals; ``references`` maps labels to shares
    drawn as dotted horizontals (the document's baseline and target). Both drawings label the lines.
    """
    data = shares[shares["edition"].isin(list(labels))].sort_values(["edition", "fiscal_year"])
    data = pd.DataFrame(
        {
            "fiscal_year": data["fiscal_year"],
            "edition": data["edition"],
            "edition_label": data["edition"].map(labels),
            "demand_share": data["demand_share"],
        }
    )
    editions = [edition for edition in labels if edition in set(data["edition"])]
    colors = dict(zip(editions, OKABE_ITO, strict=False))
    about = Download(
        "budget-demand-share",
        SHARE_TITLE,
        "demand_share: demand reduction's fraction of the federal "
        "drug-control budget (0-1), as each edition of ONDCP's tables reports it",
        source,
    )
    return book_figure(
        share_static(data, labels, colors, breaks, references, source),
        about,
        "Line chart of the demand-reduction share of the federal drug budget by fiscal year, one line per "
        "ONDCP edition, with the scope changes and the document's baseline and target marked",
        data,
        panels=[share_panel(data, labels, colors, breaks, references)],
    )


def share_static(data, labels: dict, colors: dict, breaks: dict, references: dict, source: str):
    """Matplotlib version of ``demand_share``."""
    figure, axis = plt.subplots(figsize=(9, 4.8))
    for edition, color in colors.items():
        series = data[data["edition"] == edition]
        axis.plot(
            series["fiscal_year"],
            series["demand_share"],
            marker="o",
            markersize=4,
            linewidth=1.4,
            color=color,
            label=labels[edition],
        )
    for year, note in breaks.items():
        axis.axvline(year, color="#444444", linestyle="--", linewidth=0.9)
        axis.text(
            year + 0.2,
            0.99,
            note,
            rotation=90,
            va="top",
            ha="left",
            fontsize=7,
            color="#444444",
            transform=axis.get_xaxis_transform(),
        )
    for label, share in references.items():
        axis.axhline(share, color="#888888", linestyle=":", linewidth=1)
        axis.text(  # where no line crosses the label (``label_year``)
            label_year(data, share),
            share + 0.006,
            f"{label} ({share:.0%})",
            fontsize=8,
            color="#555555",
            ha="right",
        )
    axis.set_ylim(*SHARE_LIMITS)
    axis.yaxis.set_major_formatter(PercentFormatter(1.0))
    axis.set_ylabel("Demand reduction, share of drug-control budget")
    axis.set_xlabel("Fiscal year")
    axis.set_title(SHARE_TITLE)
    axis.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2, frameon=False)
    figure.tight_layout()
    add_source(figure, source)
    return figure


def share_panel(data, labels: dict, colors: dict, breaks: dict, references: dict):
    """Altair version of ``demand_share``: hover for values; click a legend entry to highlight an
    edition; the scope changes and reference shares are labelled rules."""
    import altair as alt

    order = [labels[edition] for edition in colors]
    pick = alt.selection_point(name="pick", fields=["edition_label"], bind="legend")
    x = alt.X("fiscal_year:Q", title="Fiscal year", axis=alt.Axis(format="d"), scale=alt.Scale(zero=False, nice=False))
    lines = (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=x,
            y=alt.Y(
                "demand_share:Q",
                title="Demand share of the budget",
                axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=list(SHARE_LIMITS)),
            ),
            color=alt.Color(
                "edition_label:N",
                title="Edition (click to highlight)",
                sort=order,
                scale=alt.Scale(domain=order, range=list(colors.values())),
                legend=alt.Legend(
                    orient="bottom", columns=1, labelExpr=wrapped_labels(order, LEGEND_CHARS), labelLimit=0
                ),
            ),
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.15)),
            tooltip=[
                alt.Tooltip("fiscal_year:Q", title="Fiscal year", format="d"),
                alt.Tooltip("edition_label:N", title="Edition"),
                alt.Tooltip("demand_share:Q", title="Demand share", format=".1%"),
            ],
        )
        .add_params(pick)
    )
    scope = pd.DataFrame({"fiscal_year": list(breaks), "note": list(breaks.values()), "label": "scope change"})
    scope_rules = (
        alt.Chart(scope)
        .mark_rule(strokeDash=[5, 3], color="#444444")
        .encode(x="fiscal_year:Q", tooltip=[alt.Tooltip("note:N", title="Scope change")])
    )
    scope_labels = (
        alt.Chart(scope)
        .mark_text(align="left", baseline="top", dx=3, y=2, fontSize=10, color="#444444")
        .encode(x="fiscal_year:Q", text="label:N")
    )
    reference = pd.DataFrame(  # the label on two lines above its rule: narrow enough for a phone's plot
        {
            "share": list(references.values()),
            "label": [
                "\n".join(textwrap.wrap(f"{label} ({share:.0%})", REFERENCE_CHARS))
                for label, share in references.items()
            ],
            "fiscal_year": [label_year(data, share) for share in references.values()],
        }
    )
    reference_rules = alt.Chart(reference).mark_rule(strokeDash=[1, 3], color="#555555").encode(y="share:Q")
    reference_labels = (  # where no line crosses the label (``label_year``)
        alt.Chart(reference)
        .mark_text(align="right", baseline="bottom", lineBreak="\n", dx=-3, dy=-2, fontSize=10, color="#555555")
        .encode(x=x, y="share:Q", text="label:N")
    )
    return responsive(alt.layer(lines, scope_rules, scope_labels, reference_rules, reference_labels), 260)


def rebalance_path(path: pd.DataFrame, title: str, source: str, name: str):
    """Stacked demand and supply dollars per year along a rebalancing path (``metrics.budget.rebalance``),
    with the demand had the starting split been held (dashed); the legend sits below the bars. The HTML
    also gets it drawn for a phone's width (legend in one column)."""

    def draw(size: tuple[float, float], legend_columns: int):
        figure, axis = plt.subplots(figsize=size)
        axis.bar(path["year"], path["demand"], color="#009E73", label="Demand reduction")
        axis.bar(path["year"], path["supply"], bottom=path["demand"], color="#E69F00", label="Supply reduction")
        axis.plot(
            path["year"],
            path["demand_at_start_split"],
            color="black",
            linestyle="--",
            marker=".",
            label="Demand at the starting split",
        )
        axis.set_ylabel("USD billion")
        axis.set_xlabel("Fiscal year")
        axis.set_title("\n".join(textwrap.wrap(title, 48 if legend_columns == 1 else 90)))
        axis.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=legend_columns, frameon=False)
        figure.tight_layout()
        add_source(figure, source)
        return figure

    data = path[
        [
            "year",
            "total",
            "demand_share",
            "demand",
            "supply",
            "demand_at_start_split",
            "extra_demand",
            "cumulative_extra",
        ]
    ].rename(columns={"year": "fiscal_year"})
    about = Download(name, title, "demand_share: fraction (0-1); every other column: USD billion", source)
    return book_figure(
        draw((8.5, 4.4), 3),
        about,
        "Stacked bars of demand and supply reduction dollars per year, with "
        "a dashed line for demand at the starting split",
        data,
        narrow=draw((5.2, 5.2), 1),
    )
