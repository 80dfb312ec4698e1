"""Figures of the state-panel chapter: data coverage, the within-state view and the estimates.

Each function returns the figure a chapter cell shows (``interactive.book_figure``): the static
drawing for the PDF, its interactive twin where it has one, and the plotted data as CSV.
"""

from __future__ import annotations

import json
import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from analysis.book.downloads import Download
from analysis.book.interactive import book_figure, responsive, wrapped_labels
from analysis.book.style import OKABE_ITO, add_source, two_panels, within_panel

# In the estimates chart the labels sit in a left gutter, wrapped at this many characters (a third of a
# phone's width; no line of the plot crosses them); the axis title and the legend, under the plot, wrap
# at a few more (the plot's width on a phone).
GUTTER_CHARS = 22
# In the static drawing (the PDF, printed at about its own size), labels wrap at this many characters.
STATIC_LABEL_CHARS = 34


def coverage_heatmap(
    presence,
    total: int,
    title: str,
    source: str,
    marked_years: list[int] | None = None,
    marked_label: str = "",
    name: str = "state-coverage",
):
    """Variables x years: how many of the ``total`` jurisdictions have a value (blank = none), the
    count printed in each cell and keyed by the colour bar below the map. ``marked_years`` (e.g.
    provisional years) are framed and labelled ``marked_label``. The HTML also gets it drawn for a
    phone: years down, variables across, so that the cells and their counts stay legible."""
    data = presence.rename_axis(index="variable", columns="year").stack().rename("states_with_data").reset_index()
    about = Download(
        name,
        title,
        f"states_with_data: jurisdictions (of {total}: the states and DC) with a value for the variable in the year",
        source,
    )
    settings = {"total": total, "title": title, "source": source, "marked": marked_years or [], "label": marked_label}
    return book_figure(
        coverage_drawing(presence, narrow=False, **settings),
        about,
        "Heatmap of variables by year with the count of states holding data",
        data,
        narrow=coverage_drawing(presence, narrow=True, **settings),
    )


def coverage_drawing(presence, *, total: int, title: str, source: str, marked: list, label: str, narrow: bool):
    """One drawing of ``coverage_heatmap``: variables as rows and years as columns (wide), or transposed
    with the variables' names upright above their columns (narrow)."""
    shown = presence.where(presence > 0)
    if narrow:
        shown = shown.T
        shown.columns = [textwrap.fill(str(name), 18) for name in shown.columns]
        figure, axis = plt.subplots(figsize=(5.2, 0.2 * len(shown) + 3.4))
    else:
        shown.index = [textwrap.fill(str(name), 24) for name in shown.index]  # two-line labels leave the cells room
        figure, axis = plt.subplots(figsize=(10, 0.5 * len(shown) + 2.4))
    sns.heatmap(
        shown,
        ax=axis,
        cmap="viridis",
        vmin=0,
        vmax=total,
        annot=True,
        fmt=".0f",
        annot_kws={"fontsize": 8.5},
        linewidths=0.4,
        linecolor="white",
        cbar_kws={
            "orientation": "horizontal",
            "shrink": 0.6 if narrow else 0.35,
            "aspect": 30 if narrow else 40,
            "pad": 0.07 if narrow else 0.12,
            "anchor": (1.0, 1.0),
            "label": f"States with data (of {total})",
        },
    )
    years = list(presence.columns)
    rows = sorted(years.index(year) for year in marked if year in years)
    if rows:
        first, last = rows[0], rows[-1] + 1
        frame = (0, first, len(presence), last - first) if narrow else (first, 0, last - first, len(presence))
        axis.add_patch(
            plt.Rectangle(frame[:2], frame[2], frame[3], fill=False, edgecolor="#D55E00", linewidth=2.2, clip_on=False)
        )
        if narrow:  # under the frame, clear of the cells
            axis.text(0, last + 0.2, label, ha="left", va="top", fontsize=8.5, color="#D55E00")
        else:
            axis.text(last, -0.2, label, ha="right", va="bottom", fontsize=9, color="#D55E00")
    if narrow:
        axis.xaxis.tick_top()
        axis.tick_params(axis="x", labelsize=8, rotation=90)
        axis.tick_params(axis="y", labelsize=8.5, rotation=0)
        axis.set_xlabel("")
        axis.set_ylabel("Year")
        axis.set_title(f"{title}\n(cells: states with data, of {total})", pad=8, loc="left", fontsize=10)
    else:
        axis.tick_params(axis="x", labelsize=9)
        axis.tick_params(axis="y", labelsize=9.5)
        axis.set_xlabel("Year")
        axis.set_ylabel("")
        axis.set_title(f"{title} (cells: states with data, of {total})", pad=22, loc="left")
    figure.tight_layout()
    add_source(figure, source)
    return figure


def within_state_scatter(
    sample,
    x: str,
    y: str,
    within_x,
    within_y,
    xlabel: str,
    ylabel: str,
    slope: float,
    title: str,
    source: str,
    name: str = "state-scatter",
):
    """State-years as observed (one colour per Census region) beside the same after state and year
    effects are removed, with the fixed-effects slope drawn through the second."""

    def draw(stacked: bool):
        figure, axes = two_panels(stacked)
        for color, region in zip(OKABE_ITO, sorted(sample["region"].unique()), strict=False):
            rows = sample["region"] == region
            axes[0].scatter(sample.loc[rows, x], sample.loc[rows, y], s=12, alpha=0.6, color=color, label=region)
        axes[0].legend(fontsize=7, title="Census region", title_fontsize=7)
        axes[0].set_xlabel(xlabel)
        axes[0].set_ylabel(ylabel)
        axes[0].set_title("As observed (state-years)")
        within_panel(
            axes[1],
            within_x,
            within_y,
            "#0072B2",
            "Share, within state and year (points)",
            "Rate, within state and year",
            "After state and year effects",
        )
        line_x = pd.Series([min(within_x), max(within_x)])
        axes[1].plot(line_x, slope * line_x, color="#D55E00", linewidth=2, label=f"slope {slope:+.2f}")
        axes[1].legend(fontsize=8)
        figure.suptitle(title, fontweight="bold")
        figure.tight_layout()
        add_source(figure, source)
        return figure

    data = pd.DataFrame(
        {
            "state": sample["state"].to_numpy(),
            "year": sample["year"].to_numpy(),
            "region": sample["region"].to_numpy(),
            x: sample[x].to_numpy(),
            y: sample[y].to_numpy(),
            f"{x}_within": np.asarray(within_x),
            f"{y}_within": np.asarray(within_y),
        }
    )
    about = Download(
        name,
        title,
        f"{x}: {xlabel}; {y}: {ylabel}; *_within: the same after removing state and year means (two-way fixed effects)",
        source,
    )
    return book_figure(
        draw(stacked=False),
        about,
        "Two scatter plots of state-years, as observed and after removing "
        "state and year effects, with the fixed-effects slope",
        data,
        narrow=draw(stacked=True),
    )


def estimates(
    estimates: pd.DataFrame,
    reference: float | None,
    reference_label: str,
    xlabel: str,
    title: str,
    source: str,
    threshold: float | None = None,
    decisive: tuple[str, ...] = (),
    name: str = "state-drug-arrest-estimates",
):
    """One row per specification: the coefficient and its 95% interval, with a dashed line at zero,
    a solid line at the verdict's ``threshold`` and a dotted line at a published magnitude
    (``reference``), all named in the legend. Rows whose ``key`` is in ``decisive`` have filled
    markers and bold labels, the others open markers, in both drawings; a row whose years differ from
    the first row's (the title's) names them in its label.

    ``estimates``: key, label, coef, ci_low, ci_high, n_obs, n_states, years.
    """
    data = estimates[["key", "label", "coef", "ci_low", "ci_high", "n_obs", "n_states", "years"]].reset_index(drop=True)
    data["label"] = [
        label if years == data["years"].iloc[0] else f"{label} ({years})"
        for label, years in zip(data["label"], data["years"], strict=True)
    ]
    data = data.assign(decisive=data["key"].isin(decisive))
    lines = reference_lines(reference, reference_label, threshold)
    about = Download(
        name,
        title,
        f"coef, ci_low, ci_high: {xlabel.lower()} (estimate and 95% interval); n_obs: "
        "state-years; n_states: states; decisive: one of the specifications that decide the verdict",
        source,
    )
    return book_figure(
        estimates_static(data, lines, xlabel, title, source),
        about,
        "Interval plot of the estimate with its 95% interval for each specification, with lines at zero, "
        "at the verdict's threshold and at the published magnitude",
        data,
        panels=[estimates_panel(data, lines, xlabel)],
    )


def reference_lines(reference: float | None, reference_label: str, threshold: float | None) -> pd.DataFrame:
    """The vertical lines of ``estimates``: zero, the threshold and the published value, with their
    legend labels, colours and dash patterns (matplotlib style, Vega dash array)."""
    rows = [("zero", 0.0, "#444444", "--", [4, 4])]
    if threshold is not None:
        rows.append((f"threshold: smallest rise that counts ({threshold:+.1f})", threshold, "#009E73", "-", []))
    if reference is not None:
        rows.append((reference_label, reference, "#D55E00", ":", [2, 2]))
    return pd.DataFrame(rows, columns=["line", "x", "color", "style", "dash"])


def estimates_static(data: pd.DataFrame, lines: pd.DataFrame, xlabel: str, title: str, source: str):
    """Matplotlib version of ``estimates``: labels left of the rows, legend below the plot, its text
    the size of the labels (the PDF prints the figure at about two thirds of its size)."""
    labels = [textwrap.fill(label, STATIC_LABEL_CHARS) for label in data["label"]]
    lines_per_row = max(label.count("\n") + 1 for label in labels)
    figure, axis = plt.subplots(figsize=(6.5, 0.22 * lines_per_row * len(data) + 1.8))
    rows = list(range(len(data)))[::-1]
    axis.hlines(rows, data["ci_low"], data["ci_high"], color="#0072B2", linewidth=2)
    for row, coef, filled in zip(rows, data["coef"], data["decisive"], strict=True):
        axis.plot(coef, row, "o", color="#0072B2", markerfacecolor="#0072B2" if filled else "white", markersize=7)
    for line in lines.itertuples():
        axis.axvline(
            line.x, color=line.color, linestyle=line.style, linewidth=1.6 if line.style != "--" else 1, label=line.line
        )
    marker_handles = [
        plt.Line2D([], [], color="#0072B2", marker="o", markerfacecolor=fill, linestyle="", label=label)
        for fill, label in (("#0072B2", "decides the verdict"), ("white", "other specification"))
    ]
    handles = axis.get_legend_handles_labels()[0] + marker_handles
    axis.legend(
        handles=handles,
        fontsize=10,
        loc="upper right",
        bbox_to_anchor=(1.0, -0.1 - 0.6 / (len(data) + 4)),
        ncol=1,
        frameon=False,
    )
    axis.set_yticks(rows)
    axis.set_yticklabels(labels, fontsize=10)
    for label, filled in zip(axis.get_yticklabels(), data["decisive"], strict=True):
        label.set_fontweight("bold" if filled else "normal")
    axis.set_xlabel(xlabel)
    axis.set_title(title)
    figure.tight_layout()
    add_source(figure, source)
    return figure


def estimates_panel(data: pd.DataFrame, lines: pd.DataFrame, xlabel: str):
    """Altair version of ``estimates``: each row's label in a left gutter, wrapped (no line of the plot
    crosses it, on a phone too), bold for the decisive rows; hover a row for its numbers and sample."""
    import altair as alt

    data = data.assign(row=range(len(data)))
    wrapped = {
        str(row): textwrap.wrap(label, GUTTER_CHARS) for row, label in zip(data["row"], data["label"], strict=True)
    }
    decisive_rows = [int(row) for row in data.loc[data["decisive"], "row"]]
    y = alt.Y(
        "row:O",
        title=None,
        axis=alt.Axis(
            labelExpr=f"({json.dumps(wrapped)})[datum.value]",
            labelLimit=0,
            labelFontSize=11,
            labelLineHeight=13,
            labelPadding=6,
            ticks=False,
            domain=False,
            labelFontWeight={
                "condition": {"test": f"indexof({json.dumps(decisive_rows)}, datum.value) >= 0", "value": "bold"},
                "value": "normal",
            },
        ),
    )
    x = alt.X("ci_low:Q", title=textwrap.wrap(xlabel, GUTTER_CHARS + 4))
    tooltip = [
        alt.Tooltip("label:N", title="Specification"),
        alt.Tooltip("coef:Q", title="Estimate", format="+.2f"),
        alt.Tooltip("ci_low:Q", title="95% low", format="+.2f"),
        alt.Tooltip("ci_high:Q", title="95% high", format="+.2f"),
        alt.Tooltip("n_obs:Q", title="State-years"),
        alt.Tooltip("n_states:Q", title="States"),
        alt.Tooltip("years:N", title="Years"),
    ]
    base = alt.Chart(data)
    intervals = base.mark_rule(strokeWidth=2, color="#0072B2").encode(x=x, x2="ci_high:Q", y=y, tooltip=tooltip)
    points = base.mark_point(size=60, strokeWidth=2, color="#0072B2").encode(
        x="coef:Q",
        y=y,
        tooltip=tooltip,
        fill=alt.condition("datum.decisive", alt.value("#0072B2"), alt.value("white")),
        fillOpacity=alt.value(1.0),
    )
    order = list(lines["line"])
    rules = (
        alt.Chart(lines.drop(columns=["style"]))
        .mark_rule(strokeWidth=1.6)
        .encode(
            x="x:Q",
            color=alt.Color(
                "line:N",
                sort=order,
                title=None,
                scale=alt.Scale(domain=order, range=list(lines["color"])),
                legend=alt.Legend(
                    orient="bottom", columns=1, labelExpr=wrapped_labels(order, GUTTER_CHARS + 4), labelLimit=0
                ),
            ),
            strokeDash=alt.StrokeDash(
                "line:N", sort=order, scale=alt.Scale(domain=order, range=list(lines["dash"])), legend=None
            ),
        )
    )
    lines_per_row = max(len(lines) for lines in wrapped.values())
    return responsive(alt.layer(rules, intervals, points), max(36, 14 * lines_per_row + 8) * len(data))
