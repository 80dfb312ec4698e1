"""Figures of the ports chapter: where drugs are seized, at or between ports of entry."""
from __future__ import annotations

import matplotlib.pyplot as plt
import seaborn as sns

from analysis.book.style import COMPONENT_COLORS, COMPONENT_LABELS, add_source, chart_subtitle


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
