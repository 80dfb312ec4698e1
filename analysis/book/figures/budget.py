"""Figures of the budget chapters: the demand share by edition and the rebalancing path."""
from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns

from analysis.book.style import OKABE_ITO, add_source, chart_subtitle


def demand_share_by_edition(shares, labels: dict, breaks: dict, references: dict, title: str, source: str):
    """Demand share of the drug-control budget by fiscal year, one line per methodology edition.

    ``breaks`` maps fiscal years to scope-change notes (dashed verticals); ``references`` maps
    labels to shares drawn as dotted horizontals (e.g. a claimed baseline and a target).
    """
    figure, axis = plt.subplots(figsize=(9, 4.8))
    palette = sns.color_palette("colorblind", n_colors=len(labels))
    for color, (edition, label) in zip(palette, labels.items()):
        series = shares[shares["edition"] == edition].sort_values("fiscal_year")
        if series.empty:
            continue
        axis.plot(series["fiscal_year"], series["demand_share"], marker="o", markersize=4, linewidth=1.4,
                  color=color, label=label)
    for year, note in breaks.items():
        axis.axvline(year, color="#444444", linestyle="--", linewidth=0.9)
        axis.text(year + 0.2, 0.99, note, rotation=90, va="top", ha="left", fontsize=7, color="#444444",
                  transform=axis.get_xaxis_transform())
    for label, share in references.items():
        axis.axhline(share, color="#888888", linestyle=":", linewidth=1)
        axis.text(shares["fiscal_year"].min(), share + 0.006, label, fontsize=8, color="#555555")
    axis.set_ylim(0.25, 0.7)
    axis.yaxis.set_major_formatter(plt.matplotlib.ticker.PercentFormatter(1.0))
    axis.set_ylabel("Demand reduction, share of drug-control budget")
    axis.set_xlabel("Fiscal year")
    axis.set_title(title)
    axis.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2, frameon=False)
    figure.tight_layout()
    add_source(figure, source)
    return figure


def demand_share_chart(shares, labels: dict, breaks: dict, references: dict, title: str, source: str):
    """Interactive (Altair) version of demand_share_by_edition: hover for values, click the legend to
    isolate an edition; dashed rules at the scope changes, dotted rules at the reference shares."""
    import altair as alt

    data = shares[shares["edition"].isin(list(labels))].assign(edition_label=lambda f: f["edition"].map(labels))
    data = data[["fiscal_year", "edition", "edition_label", "demand_share"]].sort_values(["edition", "fiscal_year"])
    order = [labels[e] for e in labels if e in set(data["edition"])]
    pick = alt.selection_point(fields=["edition_label"], bind="legend")
    chart = (alt.Chart(data).mark_line(point=True)
             .encode(x=alt.X("fiscal_year:Q", title="Fiscal year", axis=alt.Axis(format="d")),
                     y=alt.Y("demand_share:Q", title="Demand reduction, share of drug-control budget",
                             axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0.25, 0.7])),
                     color=alt.Color("edition_label:N", title="Edition (click to isolate)", sort=order,
                                     scale=alt.Scale(domain=order, range=OKABE_ITO[:len(order)]),
                                     legend=alt.Legend(orient="bottom", columns=1, labelLimit=420)),
                     opacity=alt.condition(pick, alt.value(1.0), alt.value(0.15)),
                     tooltip=[alt.Tooltip("fiscal_year:Q", title="Fiscal year", format="d"),
                              alt.Tooltip("edition_label:N", title="Edition"),
                              alt.Tooltip("demand_share:Q", title="Demand share", format=".1%")])
             .add_params(pick))
    scope_changes = alt.Chart(pd.DataFrame({"fiscal_year": list(breaks), "note": list(breaks.values())})).mark_rule(
        strokeDash=[5, 3], color="#444444").encode(x="fiscal_year:Q", tooltip=[alt.Tooltip("note:N", title="Scope change")])
    reference_lines = alt.Chart(pd.DataFrame({"share": list(references.values()), "label": list(references)})).mark_rule(
        strokeDash=[1, 3], color="#555555").encode(y="share:Q", tooltip=[alt.Tooltip("label:N", title="Reference"),
                                                                          alt.Tooltip("share:Q", title="Share", format=".0%")])
    chart = alt.layer(chart, scope_changes, reference_lines).properties(
        width=470, height=280, title=alt.TitleParams(title, anchor="start", frame="bounds", subtitle=chart_subtitle(f"Source: {source}")))
    return chart, data


def rebalance_path_chart(path, title: str, source: str):
    """Stacked demand and supply dollars per year, with the demand had the start split been held."""
    figure, axis = plt.subplots(figsize=(8.5, 4.2))
    axis.bar(path["year"], path["demand"], color="#009E73", label="Demand reduction")
    axis.bar(path["year"], path["supply"], bottom=path["demand"], color="#E69F00", label="Supply reduction")
    axis.plot(path["year"], path["demand_at_start_split"], color="black", linestyle="--", marker=".",
              label="Demand at the starting split")
    axis.set_ylabel("USD billion")
    axis.set_xlabel("Fiscal year")
    axis.set_title(title)
    axis.legend(fontsize=8, loc="lower right")
    figure.tight_layout()
    add_source(figure, source)
    return figure
