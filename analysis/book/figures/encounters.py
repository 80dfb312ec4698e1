"""Figures of the encounters chapter: Border Patrol and CBP encounters by year and month.

Each function returns the figure a chapter cell shows (``interactive.book_figure``): the static
drawing for the PDF, its interactive twin where it has one, and the plotted data as CSV.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.ticker import StrMethodFormatter

from analysis.book.downloads import Download
from analysis.book.interactive import book_figure, responsive
from analysis.book.style import COMPONENT_COLORS, COMPONENT_LABELS, OKABE_ITO, add_source, monthly_panel

FULL, PARTIAL = "#0072B2", "#bbbbbb"


def annual_encounters(annual: pd.DataFrame, source: str):
    """Southwest Border Patrol encounters per fiscal year; a partial year is a grey bar labelled
    'partial' in both drawings (``annual``: fy, partial, months, encounters)."""
    title = "Southwest Border Patrol encounters per fiscal year"
    data = pd.DataFrame(
        {
            "fiscal_year": annual["fy"],
            "encounters": annual["encounters"],
            "months_of_data": annual["months"],
            "partial_year": annual["partial"].astype(bool),
        }
    )
    figure, axis = plt.subplots(figsize=(9, 4.2))
    bars = axis.bar(
        data["fiscal_year"], data["encounters"], color=[PARTIAL if p else FULL for p in data["partial_year"]]
    )
    for bar, partial in zip(bars, data["partial_year"], strict=True):
        if partial:
            axis.annotate(
                "partial", (bar.get_x() + bar.get_width() / 2, bar.get_height()), ha="center", va="bottom", fontsize=7
            )
    axis.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    axis.set_ylabel("Encounters")
    axis.set_xlabel("Fiscal year")
    axis.set_title(title)
    figure.tight_layout()
    add_source(figure, source)
    about = Download(
        "encounters-annual",
        title,
        "encounters: Border Patrol encounters at the Southwest land border in the "
        "fiscal year (October-September); months_of_data: months the year has so far",
        source,
    )
    return book_figure(
        figure,
        about,
        "Bar chart of Southwest Border Patrol encounters per fiscal year; the last, partial year is grey",
        data,
        panels=[annual_panel(data)],
    )


def annual_panel(data: pd.DataFrame):
    """Altair version of ``annual_encounters``: hover a bar for its value."""
    import altair as alt

    data = data.assign(status=data["partial_year"].map({True: "partial", False: ""}))
    x = alt.X("fiscal_year:O", title="Fiscal year", axis=alt.Axis(labelAngle=-90, labelOverlap="parity"))
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=x,
            y=alt.Y(
                "encounters:Q",
                title="Encounters",
                axis=alt.Axis(labelExpr="datum.value ? format(datum.value, '~s') : '0'"),
            ),
            color=alt.condition("datum.partial_year", alt.value(PARTIAL), alt.value(FULL)),
            tooltip=[
                alt.Tooltip("fiscal_year:O", title="Fiscal year"),
                alt.Tooltip("encounters:Q", title="Encounters", format=","),
                alt.Tooltip("months_of_data:Q", title="Months of data"),
            ],
        )
    )
    labels = (  # read upwards from the top of its bar, so that it stays inside the plot at the right edge
        alt.Chart(data)
        .mark_text(angle=270, align="left", baseline="middle", dx=4, fontSize=10)
        .encode(x=x, y="encounters:Q", text="status:N")
    )
    return responsive(alt.layer(bars, labels), 240)


def monthly_lines(
    frame: pd.DataFrame, group: str, title: str, ylabel: str, source: str, name: str, colors: dict, shade=None
):
    """Monthly encounters, one line per value of ``group`` in ``colors`` (``frame``: month, <group>,
    encounters); ``shade`` = (start, end, label) marks a period; the figure's CSV is ``name``."""
    figure, axis = plt.subplots(figsize=(9, 4.2))
    for label, series in frame.groupby(group, sort=False):
        axis.plot(series["month"], series["encounters"], label=label, linewidth=1.6, color=colors[label])
    if shade:
        start, end, label = shade
        axis.axvspan(start, end, color="#999999", alpha=0.18, label=label)
    axis.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    axis.set_ylabel(ylabel)
    axis.set_xlabel("Month")
    axis.set_title(title)
    axis.legend(fontsize=8)
    figure.tight_layout()
    add_source(figure, source)
    about = Download(name, title, "encounters: encounters in the month (first day of the month shown)", source)
    data = frame[["month", group, "encounters"]]
    return book_figure(
        figure,
        about,
        f"Monthly line chart: {title.lower()}",
        data,
        panels=[monthly_panel(data, "encounters", group, colors, ylabel, shade)],
    )


def by_component(monthly: pd.DataFrame, source: str):
    """Southwest border encounters per month, at ports (OFO) and between them (USBP)."""
    frame = monthly.assign(component=monthly["component"].map(COMPONENT_LABELS))
    return monthly_lines(
        frame,
        "component",
        "Southwest border encounters by component",
        "Encounters per month",
        source,
        "encounters-component",
        {COMPONENT_LABELS[k]: v for k, v in COMPONENT_COLORS.items()},
    )


def by_title(monthly: pd.DataFrame, title42: tuple, source: str):
    """Nationwide encounters per month under Title 8 and Title 42; ``title42`` = (first, last month)
    with Title 42 encounters, shaded."""
    authorities = list(dict.fromkeys(monthly["title_of_authority"]))
    return monthly_lines(
        monthly,
        "title_of_authority",
        "Nationwide encounters by legal authority",
        "Encounters per month",
        source,
        "encounters-title",
        dict(zip(authorities, OKABE_ITO, strict=False)),
        shade=(*title42, "Title 42 in force"),
    )
