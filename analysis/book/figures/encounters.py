"""Figures of the encounters chapter: Border Patrol and CBP encounters by year and month."""
from __future__ import annotations

import matplotlib.pyplot as plt

from analysis.book.style import add_source, chart_subtitle


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
