"""Figure style shared by every chapter: colour-blind-safe palette, titles, units, source lines."""

from __future__ import annotations

import matplotlib.pyplot as plt
import seaborn as sns

COMPONENT_COLORS = {"OFO": "#0072B2", "USBP": "#D55E00"}  # Okabe-Ito blue and vermillion
COMPONENT_LABELS = {"OFO": "At ports of entry (OFO)", "USBP": "Between ports (USBP)"}

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]


def set_style() -> None:
    """Seaborn defaults with the colour-blind palette and a size that reads well in the PDF."""
    sns.set_theme(style="whitegrid", palette="colorblind", context="notebook")
    plt.rcParams.update(
        {
            "figure.dpi": 110,
            "savefig.dpi": 150,
            "figure.figsize": (8, 4.5),
            "axes.titleweight": "bold",
            "axes.titlesize": 12,
        }
    )


def add_source(figure, text: str) -> None:
    """Write a source line under the figure (left-aligned, small grey)."""
    figure.text(0.01, -0.03, f"Source: {text}", ha="left", va="top", fontsize=8, color="#555555", wrap=True)


def two_panels(stacked: bool):
    """A figure of two panels (figure, axes): side by side for the PDF and wide screens, or stacked
    for a phone's column (the same drawing, text the same size, so it reads at 360 pixels)."""
    return plt.subplots(2, 1, figsize=(5.2, 8.6)) if stacked else plt.subplots(1, 2, figsize=(10, 4.3))


def within_panel(axis, within_x, within_y, color: str, xlabel: str, ylabel: str, title: str) -> None:
    """A scatter of two variables after fixed effects are removed, with zero lines (the within view)."""
    axis.scatter(within_x, within_y, s=10, alpha=0.5, color=color)
    axis.axhline(0, color="#888888", linewidth=0.8)
    axis.axvline(0, color="#888888", linewidth=0.8)
    axis.set_xlabel(xlabel)
    axis.set_ylabel(ylabel)
    axis.set_title(title)


def monthly_panel(data, value: str, series: str, colors: dict, ylabel: str, shade: tuple | None = None):
    """An Altair chart of monthly lines (``data``: month, ``series``, ``value``), one colour per series
    in ``colors``' order with the legend below; ``shade`` = (first month, last month, label) marks a
    period with a grey band, labelled in the legend like the lines. Hover for a month's values."""
    import altair as alt
    import pandas as pd

    from analysis.book.interactive import responsive

    order = list(colors)
    x = alt.X("month:T", title="Month", axis=alt.Axis(format="%Y", tickCount="year"))
    lines = (
        alt.Chart(data)
        .mark_line(strokeWidth=1.6)
        .encode(
            x=x,
            y=alt.Y(
                f"{value}:Q",
                title=ylabel,
                axis=alt.Axis(labelExpr="datum.value >= 1000 ? format(datum.value, '~s') : format(datum.value, ',')"),
            ),
            color=alt.Color(
                f"{series}:N",
                title=None,
                sort=order,
                scale=alt.Scale(domain=order, range=list(colors.values())),
                legend=alt.Legend(orient="bottom", columns=1, labelLimit=0),
            ),
            tooltip=[
                alt.Tooltip("month:T", title="Month", format="%B %Y"),
                alt.Tooltip(f"{series}:N", title=""),
                alt.Tooltip(f"{value}:Q", title=ylabel, format=",.0f"),
            ],
        )
    )
    layers = [lines]
    if shade:
        start, end, label = shade
        band = pd.DataFrame({"start": [pd.Timestamp(start)], "end": [pd.Timestamp(end)], "period": [label]})
        layers.insert(
            0,
            alt.Chart(band)
            .mark_rect()
            .encode(
                x="start:T",
                x2="end:T",
                fill=alt.Fill(
                    "period:N",
                    title=None,
                    scale=alt.Scale(range=["#e3e3e3"]),
                    legend=alt.Legend(orient="bottom", symbolType="square"),
                ),
            ),
        )
    return responsive(alt.layer(*layers), 240)
