"""Figure style shared by every chapter: colour-blind-safe palette, titles, units, source lines."""
from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

COMPONENT_COLORS = {"OFO": "#0072B2", "USBP": "#D55E00"}  # Okabe-Ito blue and vermillion
COMPONENT_LABELS = {"OFO": "At ports of entry (OFO)", "USBP": "Between ports (USBP)"}


def set_style() -> None:
    """Seaborn defaults with the colour-blind palette and a size that reads well in the PDF."""
    sns.set_theme(style="whitegrid", palette="colorblind", context="notebook")
    plt.rcParams.update({"figure.dpi": 110, "savefig.dpi": 150, "figure.figsize": (8, 4.5),
                         "axes.titleweight": "bold", "axes.titlesize": 12})


def add_source(figure, text: str) -> None:
    """Write a source line under the figure (left-aligned, small grey)."""
    figure.text(0.01, -0.03, f"Source: {text}", ha="left", va="top", fontsize=8, color="#555555", wrap=True)


def port_share_by_year(shares, title: str, source: str):
    """Lines of the share of pounds seized at ports, by fiscal year, one line per drug, one panel per scope.

    ``shares`` has columns scope, fy_label, drug, ofo_share, partial. Partial years get hollow markers.
    """
    scopes = list(dict.fromkeys(shares["scope"]))
    figure, axes = plt.subplots(1, len(scopes), figsize=(4.6 * len(scopes), 4.4), sharey=True, squeeze=False)
    palette = dict(zip(dict.fromkeys(shares["drug"]), sns.color_palette("colorblind")))
    for axis, scope in zip(axes[0], scopes):
        panel = shares[shares["scope"] == scope]
        order = list(dict.fromkeys(panel.sort_values("fy")["fy_label"]))
        for drug, lines in panel.groupby("drug", sort=False):
            lines = lines.set_index("fy_label").reindex(order)
            x = range(len(order))
            axis.plot(x, lines["ofo_share"], color=palette[drug], label=drug, linewidth=1.8)
            full = ~lines["partial"].astype(bool)
            axis.scatter([i for i, f in zip(x, full) if f], lines["ofo_share"][full], color=palette[drug], s=22)
            axis.scatter([i for i, f in zip(x, full) if not f], lines["ofo_share"][~full], facecolors="white",
                         edgecolors=palette[drug], s=30, zorder=3)
        axis.set_xticks(range(len(order)), [label.replace(" (partial)", "\n(partial)") for label in order],
                        rotation=0, fontsize=8)
        axis.set_title(scope)
        axis.set_ylim(0, 1.02)
        axis.yaxis.set_major_formatter(plt.matplotlib.ticker.PercentFormatter(1.0))
        axis.set_xlabel("Fiscal year")
    axes[0][0].set_ylabel("Share of pounds seized at ports of entry")
    handles, labels = axes[0][0].get_legend_handles_labels()
    figure.legend(handles, labels, loc="lower center", ncol=len(labels), fontsize=8, frameon=False,
                  bbox_to_anchor=(0.5, -0.01))
    figure.suptitle(title, fontweight="bold")
    figure.tight_layout(rect=(0, 0.06, 1, 1))
    add_source(figure, source)
    return figure


def monthly_by_component(monthly, drug: str, title: str, source: str):
    """Monthly pounds of one drug seized at and between ports (columns month, component, pounds)."""
    figure, axis = plt.subplots(figsize=(8.5, 4.0))
    for component, series in monthly.groupby("component"):
        axis.plot(series["month"], series["pounds"], color=COMPONENT_COLORS[component],
                  label=COMPONENT_LABELS[component], linewidth=1.6)
    axis.set_ylabel(f"{drug} seized (pounds per month)")
    axis.set_xlabel("Month")
    axis.set_title(title)
    axis.legend(fontsize=9)
    axis.yaxis.set_major_formatter(plt.matplotlib.ticker.StrMethodFormatter("{x:,.0f}"))
    figure.tight_layout()
    add_source(figure, source)
    return figure


def pounds_per_event_chart(sizes, title: str, source: str):
    """Bars of average pounds per seizure event by drug and component, on a log scale."""
    figure, axis = plt.subplots(figsize=(8.5, 4.0))
    sns.barplot(data=sizes, x="drug", y="lbs_per_event", hue="component", palette=COMPONENT_COLORS,
                hue_order=["OFO", "USBP"], ax=axis)
    axis.set_yscale("log")
    axis.yaxis.set_major_formatter(plt.matplotlib.ticker.StrMethodFormatter("{x:,.0f}"))
    axis.yaxis.set_minor_formatter(plt.matplotlib.ticker.NullFormatter())
    axis.set_ylabel("Average pounds per seizure event (log scale)")
    axis.set_xlabel("")
    axis.set_title(title)
    handles, labels = axis.get_legend_handles_labels()
    axis.legend(handles, [COMPONENT_LABELS[label] for label in labels], fontsize=9)
    figure.tight_layout()
    add_source(figure, source)
    return figure


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


SOURCE_KIND_STYLE = {"primary": ("#0072B2", "o"), "secondary": ("#56B4E9", "s"), "unsourced claim": ("#D55E00", "D")}


def shares_beside_claims(rows, title: str, source: str):
    """Dot chart: each row a figure (label, share, source_kind); claims and official figures side by side."""
    figure, axis = plt.subplots(figsize=(8.5, 0.42 * len(rows) + 1.6))
    labels = list(rows["label"])
    for position, row in enumerate(rows.itertuples()):
        color, marker = SOURCE_KIND_STYLE[row.source_kind]
        axis.plot([0, row.share], [position, position], color="#dddddd", linewidth=1, zorder=1)
        axis.scatter(row.share, position, color=color, marker=marker, s=60, zorder=2)
        axis.text(row.share + 0.015, position, f"{row.share:.0%}", va="center", fontsize=8)
    axis.set_yticks(range(len(labels)), labels, fontsize=8)
    axis.invert_yaxis()
    axis.set_xlim(0, 1.08)
    axis.xaxis.set_major_formatter(plt.matplotlib.ticker.PercentFormatter(1.0))
    axis.set_xlabel("Share who are U.S. citizens")
    axis.set_title(title)
    handles = [plt.Line2D([], [], color=c, marker=m, linestyle="", label=k) for k, (c, m) in SOURCE_KIND_STYLE.items()]
    axis.legend(handles=handles, fontsize=8, loc="lower left", title="Figure", title_fontsize=8)
    figure.tight_layout()
    add_source(figure, source)
    return figure


def annual_bars(table, value: str, title: str, ylabel: str, source: str):
    """Bars per fiscal year; partial years hatched and labelled (columns fy, partial, <value>)."""
    figure, axis = plt.subplots(figsize=(9, 4.2))
    colors = ["#cccccc" if partial else "#0072B2" for partial in table["partial"]]
    bars = axis.bar(table["fy"], table[value], color=colors)
    for bar, partial in zip(bars, table["partial"]):
        if partial:
            bar.set_hatch("//")
            axis.annotate("partial", (bar.get_x() + bar.get_width() / 2, bar.get_height()), ha="center",
                          va="bottom", fontsize=7)
    axis.yaxis.set_major_formatter(plt.matplotlib.ticker.StrMethodFormatter("{x:,.0f}"))
    axis.set_ylabel(ylabel)
    axis.set_xlabel("Fiscal year")
    axis.set_title(title)
    figure.tight_layout()
    add_source(figure, source)
    return figure


def monthly_lines(frame, group: str, title: str, ylabel: str, source: str, shade=None, colors=None):
    """Monthly lines, one per value of ``group``; ``shade`` = (start, end, label) marks a period."""
    figure, axis = plt.subplots(figsize=(9, 4.2))
    for name, series in frame.groupby(group, sort=False):
        axis.plot(series["month"], series["encounters"], label=name, linewidth=1.6,
                  color=(colors or {}).get(name))
    if shade:
        start, end, label = shade
        axis.axvspan(start, end, color="#999999", alpha=0.18, label=label)
    axis.yaxis.set_major_formatter(plt.matplotlib.ticker.StrMethodFormatter("{x:,.0f}"))
    axis.set_ylabel(ylabel)
    axis.set_xlabel("Month")
    axis.set_title(title)
    axis.legend(fontsize=8)
    figure.tight_layout()
    add_source(figure, source)
    return figure


def within_panel(axis, within_x, within_y, color: str, xlabel: str, ylabel: str, title: str) -> None:
    """A scatter of two variables after fixed effects are removed, with zero lines (the within view)."""
    axis.scatter(within_x, within_y, s=10, alpha=0.5, color=color)
    axis.axhline(0, color="#888888", linewidth=0.8)
    axis.axvline(0, color="#888888", linewidth=0.8)
    axis.set_xlabel(xlabel)
    axis.set_ylabel(ylabel)
    axis.set_title(title)


def raw_and_within_scatter(raw_x, raw_y, within_x, within_y, drug: str, title: str, source: str,
                           slope: float | None = None, slope_label: str = ""):
    """Two scatters side by side: sector-months as observed, and after removing sector and month effects.

    ``slope``, when given, is drawn through the origin of the within panel: by Frisch-Waugh-Lovell
    the two-way fixed-effects slope is exactly the least-squares line of the within scatter.
    """
    figure, axes = plt.subplots(1, 2, figsize=(10, 4.2))
    axes[0].scatter(raw_x, raw_y, s=10, alpha=0.5, color="#0072B2")
    axes[0].set_xlabel("Border Patrol encounters (thousands)")
    axes[0].set_ylabel(f"{drug} seized by the Border Patrol (pounds)")
    axes[0].set_title("As observed (sector-months)")
    within_panel(axes[1], within_x, within_y, "#D55E00", "Encounters, within sector and month (thousands)",
                 "Pounds, within sector and month", "After sector and month effects")
    if slope is not None:
        span = [float(min(within_x)), float(max(within_x))]
        axes[1].plot(span, [slope * value for value in span], color="#000000", linewidth=1.6, label=slope_label or None)
        if slope_label:
            axes[1].legend(fontsize=8, loc="upper left")
    figure.suptitle(title, fontweight="bold")
    figure.tight_layout()
    add_source(figure, source)
    return figure


def national_series(frame, title: str, source: str):
    """Two stacked panels sharing the month axis: encounters, and pounds seized at and between ports."""
    figure, (top, bottom) = plt.subplots(2, 1, figsize=(9, 5.6), sharex=True)
    top.plot(frame["month"], frame["encounters"], color="#444444", linewidth=1.6)
    top.set_ylabel("SW Border Patrol\nencounters")
    top.yaxis.set_major_formatter(plt.matplotlib.ticker.StrMethodFormatter("{x:,.0f}"))
    for component in ("OFO", "USBP"):
        bottom.plot(frame["month"], frame[f"pounds_{component.lower()}"], color=COMPONENT_COLORS[component],
                    label=COMPONENT_LABELS[component], linewidth=1.6)
    bottom.set_ylabel("Fentanyl seized\n(pounds per month)")
    bottom.yaxis.set_major_formatter(plt.matplotlib.ticker.StrMethodFormatter("{x:,.0f}"))
    bottom.legend(fontsize=8)
    bottom.set_xlabel("Month")
    top.set_title(title)
    figure.tight_layout()
    add_source(figure, source)
    return figure


def chart_subtitle(text: str, width: int = 75) -> list[str]:
    """A chart subtitle as lines short enough for the book's text column (Vega does not wrap titles)."""
    return textwrap.wrap(text, width)


OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]


def port_share_chart(shares, title: str, source: str):
    """Interactive (Altair) version of port_share_by_year: hover for values, click the legend to isolate a drug."""
    import altair as alt

    data = shares.assign(drug=shares["drug"].astype(str), share=shares["ofo_share"],
                         pounds_ofo=shares["pounds_ofo"].round(1), pounds_usbp=shares["pounds_usbp"].round(1))
    data = data[["scope", "fy_label", "drug", "share", "pounds_ofo", "pounds_usbp", "partial"]]
    pick = alt.selection_point(fields=["drug"], bind="legend")
    chart = (alt.Chart(data).mark_line(point=True)
             .encode(x=alt.X("fy_label:O", title="Fiscal year", sort=None),
                     y=alt.Y("share:Q", title="Share of pounds seized at ports of entry", axis=alt.Axis(format="%"),
                             scale=alt.Scale(domain=[0, 1])),
                     color=alt.Color("drug:N", title="Drug", sort=list(dict.fromkeys(data["drug"])),
                                     scale=alt.Scale(domain=list(dict.fromkeys(data["drug"])),
                                                     range=[str(c) for c in sns.color_palette("colorblind").as_hex()])),
                     opacity=alt.condition(pick, alt.value(1.0), alt.value(0.15)),
                     tooltip=[alt.Tooltip("scope:N", title="Scope"), alt.Tooltip("fy_label:O", title="Fiscal year"),
                              alt.Tooltip("drug:N", title="Drug"), alt.Tooltip("share:Q", title="At ports", format=".1%"),
                              alt.Tooltip("pounds_ofo:Q", title="Pounds at ports (OFO)", format=",.1f"),
                              alt.Tooltip("pounds_usbp:Q", title="Pounds between ports (USBP)", format=",.1f")])
             .add_params(pick).properties(width=260, height=240)
             .facet(column=alt.Column("scope:N", title=None))
             .properties(title=alt.TitleParams(title, anchor="start", frame="bounds",
                                               subtitle=chart_subtitle(f"Source: {source}. Click the legend to isolate a drug."))))
    return chart, data


def coverage_heatmap(presence, total: int, title: str, source: str, marked_years: list[int] | None = None,
                     marked_label: str = ""):
    """Variables x years: how many of the ``total`` jurisdictions have a value (blank = none).
    ``marked_years`` (e.g. provisional years) are framed and labelled ``marked_label`` above the map."""
    # the numbers are printed in the cells, so no colour bar: its width goes to the cells, whose
    # labels stay legible (about 6 pt) when the figure is scaled to the PDF's text width
    figure, axis = plt.subplots(figsize=(10, 0.5 * len(presence) + 1.8))
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
    figure.tight_layout()
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


def annual_bars_chart(table, value: str, title: str, ylabel: str, source: str):
    """Interactive (Altair) version of annual_bars: hover a bar for its value; partial years are grey."""
    import altair as alt

    data = table[["fy", value, "partial"]].assign(year_status=table["partial"].map({True: "partial year", False: "full year"}))
    chart = (alt.Chart(data).mark_bar()
             .encode(x=alt.X("fy:O", title="Fiscal year"),
                     y=alt.Y(f"{value}:Q", title=ylabel, axis=alt.Axis(format=",.0f")),
                     color=alt.Color("year_status:N", title=None,
                                     scale=alt.Scale(domain=["full year", "partial year"], range=["#0072B2", "#cccccc"])),
                     tooltip=[alt.Tooltip("fy:O", title="Fiscal year"), alt.Tooltip(f"{value}:Q", title=ylabel, format=",.0f"),
                              alt.Tooltip("year_status:N", title="Year")])
             .properties(width=470, height=260, title=alt.TitleParams(title, anchor="start", frame="bounds", subtitle=chart_subtitle(f"Source: {source}")))
             .configure_legend(orient="bottom"))
    return chart, data


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


def shares_beside_claims_chart(rows, title: str, source: str):
    """Interactive (Altair) version of shares_beside_claims: hover a dot for its figure and source kind."""
    import altair as alt

    data = rows[["label", "share", "source_kind"]].copy()
    kinds = list(SOURCE_KIND_STYLE)
    shapes = {"o": "circle", "s": "square", "D": "diamond"}
    chart = (alt.Chart(data).mark_point(filled=True, size=90)
             .encode(x=alt.X("share:Q", title="Share who are U.S. citizens", axis=alt.Axis(format="%"),
                             scale=alt.Scale(domain=[0, 1])),
                     y=alt.Y("label:N", sort=list(data["label"]), title=None, axis=alt.Axis(labelLimit=280)),
                     color=alt.Color("source_kind:N", title="Figure", sort=kinds,
                                     scale=alt.Scale(domain=kinds, range=[SOURCE_KIND_STYLE[k][0] for k in kinds]),
                                     legend=alt.Legend(orient="bottom")),
                     shape=alt.Shape("source_kind:N", sort=kinds,
                                     scale=alt.Scale(domain=kinds, range=[shapes[SOURCE_KIND_STYLE[k][1]] for k in kinds])),
                     tooltip=[alt.Tooltip("label:N", title="Figure"), alt.Tooltip("share:Q", title="U.S. citizens", format=".1%"),
                              alt.Tooltip("source_kind:N", title="Source")])
             .properties(width=250, height=26 * len(data),
                         title=alt.TitleParams(title, anchor="start", frame="bounds", subtitle=chart_subtitle(f"Source: {source}"))))
    return chart, data
