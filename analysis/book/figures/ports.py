"""Figures of the ports chapter: where drugs are seized, at or between ports of entry.

Each function returns the figure a chapter cell shows (``interactive.book_figure``): the static
drawing for the PDF, its interactive twin where it has one, and the plotted data as CSV.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from matplotlib.ticker import LogLocator, NullFormatter, PercentFormatter, StrMethodFormatter

from analysis.book.downloads import Download
from analysis.book.interactive import book_figure, responsive
from analysis.book.style import COMPONENT_COLORS, COMPONENT_LABELS, add_source, monthly_panel

SHARE_TITLE = "Share of seized drugs (by weight) caught at ports of entry"


def port_share(shares: pd.DataFrame, source: str):
    """The port share of seized pounds by fiscal year, one line per drug, one panel per scope
    (nationwide, then each region); partial fiscal years have hollow markers in both drawings.

    ``shares``: ``metrics.ports.shares_by_year`` (scope, fy, partial, fy_label, drug, pounds_ofo,
    pounds_usbp, ofo_share).
    """
    data = pd.DataFrame(
        {
            "scope": shares["scope"],
            "fiscal_year": shares["fy"],
            "partial_year": shares["partial"].astype(bool),
            "drug": shares["drug"].astype(str),
            "share_at_ports": shares["ofo_share"],
            "pounds_at_ports_ofo": shares["pounds_ofo"],
            "pounds_between_ports_usbp": shares["pounds_usbp"],
        }
    )
    drugs = list(dict.fromkeys(data["drug"]))
    scopes = list(dict.fromkeys(data["scope"]))
    colors = dict(zip(drugs, sns.color_palette("colorblind").as_hex(), strict=False))
    panels = [share_panel(data[data["scope"] == scope], scope, colors, legend=scope == scopes[-1]) for scope in scopes]
    about = Download(
        "ports-share",
        SHARE_TITLE,
        "share_at_ports: fraction of the pounds seized by OFO and USBP together that OFO seized (0-1); "
        "pounds: pounds seized in the fiscal year; partial_year: fewer than 12 months of data",
        source,
    )
    return book_figure(
        share_static(data, colors, source),
        about,
        "Port share of seized pounds by fiscal year and drug, nationwide and by region",
        data,
        panels=panels,
        linked=("pick",),
    )


def share_static(data: pd.DataFrame, colors: dict, source: str):
    """Matplotlib panels of ``port_share``: lines per drug, hollow markers for partial years."""
    scopes = list(dict.fromkeys(data["scope"]))
    figure, axes = plt.subplots(1, len(scopes), figsize=(4.6 * len(scopes), 4.4), sharey=True, squeeze=False)
    for axis, scope in zip(axes[0], scopes, strict=False):
        for drug, lines in data[data["scope"] == scope].groupby("drug", sort=False):
            lines = lines.sort_values("fiscal_year")
            partial = lines["partial_year"].to_numpy()
            axis.plot(lines["fiscal_year"], lines["share_at_ports"], color=colors[drug], label=drug, linewidth=1.8)
            axis.scatter(lines["fiscal_year"][~partial], lines["share_at_ports"][~partial], color=colors[drug], s=22)
            axis.scatter(
                lines["fiscal_year"][partial],
                lines["share_at_ports"][partial],
                facecolors="white",
                edgecolors=colors[drug],
                s=30,
                zorder=3,
            )
        years = sorted(data["fiscal_year"].unique())
        axis.set_xticks(years, [str(year) for year in years], fontsize=8)
        axis.set_title(scope)
        axis.set_ylim(0, 1.02)
        axis.yaxis.set_major_formatter(PercentFormatter(1.0))
        axis.set_xlabel("Fiscal year")
    axes[0][0].set_ylabel("Share of pounds seized at ports of entry")
    handles, labels = axes[0][0].get_legend_handles_labels()
    handles.append(plt.Line2D([], [], color="#555555", marker="o", markerfacecolor="white", linestyle=""))
    labels.append("partial fiscal year")
    figure.legend(
        handles, labels, loc="lower center", ncol=len(labels), fontsize=8, frameon=False, bbox_to_anchor=(0.5, -0.01)
    )
    figure.suptitle(SHARE_TITLE, fontweight="bold")
    figure.tight_layout(rect=(0, 0.06, 1, 1))
    add_source(figure, source)
    return figure


def share_panel(data: pd.DataFrame, scope: str, colors: dict, legend: bool):
    """One scope of ``port_share`` as an Altair chart: hover for values; click a legend entry to
    highlight a drug (the selection ``pick``, shared with the other panels)."""
    import altair as alt

    drugs = list(colors)
    scale = alt.Scale(domain=drugs, range=list(colors.values()))
    pick = alt.selection_point(name="pick", fields=["drug"], bind="legend")
    shown = (
        alt.Legend(orient="bottom", columns=2, title="Drug (click to highlight)", symbolType="stroke")
        if legend
        else None
    )
    base = alt.Chart(data).encode(
        x=alt.X("fiscal_year:O", title="Fiscal year", axis=alt.Axis(labelAngle=0, labelOverlap="parity")),
        y=alt.Y(
            "share_at_ports:Q", title="Share seized at ports", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])
        ),
        color=alt.Color("drug:N", sort=drugs, scale=scale, legend=shown),
        opacity=alt.condition(pick, alt.value(1.0), alt.value(0.15)),
        tooltip=[
            alt.Tooltip("scope:N", title="Scope"),
            alt.Tooltip("fiscal_year:O", title="Fiscal year"),
            alt.Tooltip("partial_year:N", title="Partial year"),
            alt.Tooltip("drug:N", title="Drug"),
            alt.Tooltip("share_at_ports:Q", title="At ports", format=".1%"),
            alt.Tooltip("pounds_at_ports_ofo:Q", title="Pounds at ports (OFO)", format=",.0f"),
            alt.Tooltip("pounds_between_ports_usbp:Q", title="Pounds between ports (USBP)", format=",.0f"),
        ],
    )
    lines = base.mark_line(strokeWidth=1.8).add_params(pick)
    points = base.mark_point(size=40, strokeWidth=1.6, filled=False).encode(
        fill=alt.condition(
            "datum.partial_year", alt.value("white"), alt.Color("drug:N", sort=drugs, scale=scale, legend=None)
        ),
        fillOpacity=alt.value(1.0),
    )
    return responsive(
        alt.layer(lines, points).properties(title=alt.TitleParams(scope, anchor="start", fontSize=12)), 220
    )


def seizure_size(sizes: pd.DataFrame, fiscal_year: int, source: str):
    """Average pounds per seizure event by drug, at and between ports, in one fiscal year (log scale,
    ticks at 1, 2 and 5 times each power of ten, every bar labelled with its value).

    ``sizes``: ``metrics.ports.pounds_per_event`` rows of that year (drug, component, pounds, events,
    lbs_per_event).
    """
    data = pd.DataFrame(
        {
            "fiscal_year": fiscal_year,
            "drug": sizes["drug"].astype(str),
            "component": sizes["component"],
            "pounds": sizes["pounds"],
            "events": sizes["events"],
            "pounds_per_event": sizes["lbs_per_event"],
        }
    )
    title = f"Average seizure size, FY{fiscal_year}"
    figure, axis = plt.subplots(figsize=(8.5, 4.2))
    sns.barplot(
        data=data,
        x="drug",
        y="pounds_per_event",
        hue="component",
        palette=COMPONENT_COLORS,
        hue_order=["OFO", "USBP"],
        ax=axis,
    )
    for bars in axis.containers:
        axis.bar_label(bars, fmt="{:,.1f}", fontsize=7, padding=2)
    axis.set_yscale("log")
    axis.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    axis.yaxis.set_major_formatter(
        StrMethodFormatter("{x:,.0f}" if data["pounds_per_event"].min() >= 1 else "{x:,.1f}")
    )
    axis.yaxis.set_minor_formatter(NullFormatter())
    axis.set_ylim(bottom=min(1.0, data["pounds_per_event"].min() / 2), top=data["pounds_per_event"].max() * 1.6)
    axis.set_ylabel("Average pounds per seizure event (log scale)")
    axis.set_xlabel("")
    axis.set_title(title)
    handles, labels = axis.get_legend_handles_labels()
    axis.legend(
        handles,
        [COMPONENT_LABELS[label] for label in labels],
        fontsize=8,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.08),
        ncol=2,
        frameon=False,
    )
    figure.tight_layout()
    add_source(figure, source)
    about = Download(
        "ports-size", title, "pounds: pounds seized; events: seizure events; pounds_per_event: pounds / events", source
    )
    return book_figure(
        figure,
        about,
        f"Bar chart of average pounds per seizure event at and between ports by drug, FY{fiscal_year}, log scale",
        data,
        panels=[size_panel(data)],
    )


def size_panel(data: pd.DataFrame):
    """Altair version of ``seizure_size``: grouped bars on a log scale from 1 pound, each labelled."""
    import altair as alt

    shown = data.assign(where=data["component"].map(COMPONENT_LABELS))
    order = [COMPONENT_LABELS[component] for component in COMPONENT_COLORS]
    bottom, top = min(1.0, float(data["pounds_per_event"].min()) / 2), float(data["pounds_per_event"].max()) * 1.6
    x = alt.X("drug:N", title=None, axis=alt.Axis(labelAngle=-30, labelLimit=0))
    y = alt.Y(
        "pounds_per_event:Q",
        title="Pounds per seizure event (log scale)",
        scale=alt.Scale(type="log", domain=[bottom, top]),
    )
    offset = alt.XOffset("where:N", sort=order)
    bars = (
        alt.Chart(shown)
        .mark_bar()
        .encode(
            x=x,
            xOffset=offset,
            y=y,
            y2=alt.datum(bottom),  # a bar on a log scale starts at the axis, not at 0
            color=alt.Color(
                "where:N",
                title=None,
                sort=order,
                scale=alt.Scale(domain=order, range=list(COMPONENT_COLORS.values())),
                legend=alt.Legend(orient="bottom", columns=1),
            ),
            tooltip=[
                alt.Tooltip("drug:N", title="Drug"),
                alt.Tooltip("where:N", title="Where"),
                alt.Tooltip("pounds_per_event:Q", title="Pounds per event", format=",.1f"),
                alt.Tooltip("events:Q", title="Events", format=","),
                alt.Tooltip("pounds:Q", title="Pounds", format=",.0f"),
            ],
        )
    )
    labels = (
        alt.Chart(shown)
        .mark_text(baseline="bottom", dy=-2, fontSize=10)
        .encode(x=x, xOffset=offset, y=y, text=alt.Text("pounds_per_event:Q", format=",.1f"))
    )
    return responsive(alt.layer(bars, labels), 240)


def monthly_pounds(monthly: pd.DataFrame, drug: str, source: str):
    """Pounds of one drug seized per month at and between ports (``monthly``: month, component, pounds)."""
    title = f"{drug} seized per month, nationwide"
    figure, axis = plt.subplots(figsize=(8.5, 4.0))
    for component, series in monthly.groupby("component"):
        axis.plot(
            series["month"],
            series["pounds"],
            color=COMPONENT_COLORS[component],
            label=COMPONENT_LABELS[component],
            linewidth=1.6,
        )
    axis.set_ylabel(f"{drug} seized (pounds per month)")
    axis.set_xlabel("Month")
    axis.set_title(title)
    axis.legend(fontsize=9)
    axis.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    figure.tight_layout()
    add_source(figure, source)
    data = monthly[["month", "component", "pounds"]].assign(drug=drug)
    about = Download(
        "ports-monthly", title, "pounds: pounds seized in the month (calendar month, first day shown)", source
    )
    shown = data.assign(where=data["component"].map(COMPONENT_LABELS))
    colors = {COMPONENT_LABELS[component]: color for component, color in COMPONENT_COLORS.items()}
    return book_figure(
        figure,
        about,
        f"Monthly line chart of {drug.lower()} pounds seized at ports of entry and by the Border Patrol",
        data,
        panels=[monthly_panel(shown, "pounds", "where", colors, "Pounds per month")],
    )
