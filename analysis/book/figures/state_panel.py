"""Figures of the state-panel chapter: data coverage, the within-state view and the estimates."""
from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from analysis.book.style import OKABE_ITO, add_source, chart_subtitle, within_panel


def coverage_heatmap(presence, total: int, title: str, source: str, marked_years: list[int] | None = None,
                     marked_label: str = ""):
    """Variables x years: how many of the ``total`` jurisdictions have a value (blank = none), with a
    colour key under the map. ``marked_years`` (e.g. provisional years) are framed and labelled
    ``marked_label`` above the map."""
    # the key lies flat under the map, so its width does not come out of the cells, whose labels stay
    # legible (about 6 pt) when the figure is scaled to the PDF's text width
    height = 0.5 * len(presence) + 2.6
    figure, axis = plt.subplots(figsize=(10, height))
    shown = presence.where(presence > 0)
    shown.index = [textwrap.fill(str(label), 24) for label in shown.index]  # two-line labels leave the cells room
    sns.heatmap(shown, ax=axis, cmap="viridis", vmin=0, vmax=total, annot=True, fmt=".0f", annot_kws={"fontsize": 8.5},
                linewidths=0.4, linecolor="white", cbar=False)
    if marked_years:
        columns = [list(presence.columns).index(year) for year in marked_years if year in presence.columns]
        if columns:
            left, right = min(columns), max(columns) + 1
            axis.add_patch(plt.Rectangle((left, 0), right - left, len(presence), fill=False, edgecolor="#D55E00",
                                         linewidth=2.2, clip_on=False))
            axis.text(right, -0.2, marked_label, ha="right", va="bottom", fontsize=9, color="#D55E00")
    axis.tick_params(axis="x", labelsize=9)
    axis.tick_params(axis="y", labelsize=9.5)
    axis.set_xlabel("Year")
    axis.set_ylabel("")
    axis.set_title(f"{title} (cells: states with data, of {total})", pad=22, loc="left")
    band = 1.0 / height                                     # one inch at the bottom holds the key
    figure.tight_layout(rect=(0, band, 1, 1))
    box = axis.get_position()
    key = figure.add_axes((box.x0 + 0.3 * box.width, 0.45 * band, 0.4 * box.width, 0.12 * band))
    figure.colorbar(axis.collections[0], cax=key, orientation="horizontal")
    key.set_title(f"Colour key: states with data, of {total} (blank: none)", fontsize=9)
    key.tick_params(labelsize=8.5)
    add_source(figure, source)
    return figure


def within_state_scatter(sample, x: str, y: str, within_x, within_y, xlabel: str, ylabel: str, slope: float,
                         title: str, source: str):
    """State-years as observed (one colour per Census region) beside the same after state and year
    effects are removed, with the fixed-effects slope drawn through the second."""
    figure, axes = plt.subplots(1, 2, figsize=(10, 4.3))
    regions = sorted(sample["region"].unique())
    for color, region in zip(OKABE_ITO, regions):
        rows = sample["region"] == region
        axes[0].scatter(sample.loc[rows, x], sample.loc[rows, y], s=12, alpha=0.6, color=color, label=region)
    axes[0].legend(fontsize=7, title="Census region", title_fontsize=7)
    axes[0].set_xlabel(xlabel)
    axes[0].set_ylabel(ylabel)
    axes[0].set_title("As observed (state-years)")
    within_panel(axes[1], within_x, within_y, "#0072B2", "Share, within state and year (points)",
                 "Rate, within state and year", "After state and year effects")
    line_x = pd.Series([min(within_x), max(within_x)])
    axes[1].plot(line_x, slope * line_x, color="#D55E00", linewidth=2, label=f"slope {slope:+.2f}")
    axes[1].legend(fontsize=8)
    figure.suptitle(title, fontweight="bold")
    figure.tight_layout()
    add_source(figure, source)
    return figure


def estimates_forest(estimates, reference: float | None, reference_label: str, xlabel: str, title: str, source: str,
                     threshold: float | None = None, decisive: tuple[str, ...] = ()):
    """One row per specification: the coefficient and its 95% interval; a dashed line at zero,
    (optionally) a dotted line at a published magnitude and a solid line at the verdict's
    threshold. Rows whose ``key`` is in ``decisive`` get filled markers and bold labels."""
    figure, axis = plt.subplots(figsize=(8.5, 0.42 * len(estimates) + 1.6))
    rows = list(range(len(estimates)))[::-1]
    axis.hlines(rows, estimates["ci_low"], estimates["ci_high"], color="#0072B2", linewidth=2)
    is_decisive = estimates["key"].isin(decisive).to_numpy() if decisive else np.zeros(len(estimates), bool)
    for row, coef, filled in zip(rows, estimates["coef"], is_decisive):
        axis.plot(coef, row, "o", color="#0072B2", markerfacecolor="#0072B2" if filled else "white", markersize=7)
    axis.axvline(0, color="#444444", linestyle="--", linewidth=1)
    if threshold is not None:
        axis.axvline(threshold, color="#009E73", linestyle="-", linewidth=1.6, label=f"Threshold for 'supported' ({threshold:+.1f})")
    if reference is not None:
        axis.axvline(reference, color="#D55E00", linestyle=":", linewidth=1.6, label=reference_label)
    if reference is not None or threshold is not None:
        axis.set_ylim(-1.6, len(estimates) - 0.5)  # an empty band at the bottom holds the legend
        axis.legend(fontsize=8, loc="lower right")
    axis.set_yticks(rows)
    axis.set_yticklabels(estimates["label"], fontsize=9)
    for label, filled in zip(axis.get_yticklabels(), is_decisive):
        label.set_fontweight("bold" if filled else "normal")
    axis.set_xlabel(xlabel)
    axis.set_title(title)
    figure.tight_layout()
    add_source(figure, source)
    return figure


def estimates_chart(estimates, reference: float | None, xlabel: str, title: str, source: str,
                    threshold: float | None = None):
    """Interactive (Altair) version of estimates_forest: hover a row for its numbers and sample;
    ``threshold`` adds a solid line at the verdict's threshold."""
    import altair as alt

    data = estimates[["label", "coef", "ci_low", "ci_high", "n_obs", "n_states", "years"]].copy()
    order = list(data["label"])
    y = alt.Y("label:N", sort=order, title=None)
    tooltip = [alt.Tooltip("label:N", title="Specification"), alt.Tooltip("coef:Q", title="Estimate", format="+.2f"),
               alt.Tooltip("ci_low:Q", title="95% low", format="+.2f"), alt.Tooltip("ci_high:Q", title="95% high", format="+.2f"),
               alt.Tooltip("n_obs:Q", title="State-years"), alt.Tooltip("n_states:Q", title="States"),
               alt.Tooltip("years:N", title="Years")]
    base = alt.Chart(data)
    layers = [base.mark_rule(strokeWidth=2, color="#0072B2").encode(x=alt.X("ci_low:Q", title=xlabel), x2="ci_high:Q", y=y, tooltip=tooltip),
              base.mark_point(filled=True, size=60, color="#0072B2").encode(x="coef:Q", y=y, tooltip=tooltip),
              alt.Chart(pd.DataFrame({"x": [0.0]})).mark_rule(strokeDash=[4, 4], color="#444444").encode(x="x:Q")]
    if reference is not None:
        layers.append(alt.Chart(pd.DataFrame({"x": [reference]})).mark_rule(strokeDash=[2, 2], color="#D55E00").encode(x="x:Q"))
    if threshold is not None:
        layers.append(alt.Chart(pd.DataFrame({"x": [threshold]})).mark_rule(color="#009E73").encode(x="x:Q"))
    chart = alt.layer(*layers).properties(width=300, height=28 * len(data),
                                          title=alt.TitleParams(title, anchor="start", frame="bounds", subtitle=chart_subtitle(f"Source: {source}")))
    return chart, data
