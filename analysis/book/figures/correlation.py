"""Figures of the correlation chapter: encounters and seizures, as observed and within sector and month.

Each function returns the figure a chapter cell shows (``interactive.book_figure``): the static
drawing (the HTML and the PDF show it) and the plotted data as CSV.
"""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import pandas as pd

from analysis.book.downloads import Download
from analysis.book.interactive import book_figure
from analysis.book.style import COMPONENT_COLORS, COMPONENT_LABELS, add_source, two_panels, within_panel


def raw_and_within_scatter(
    raw_x,
    raw_y,
    within_x,
    within_y,
    drug: str,
    title: str,
    source: str,
    slope: float | None = None,
    slope_label: str = "",
    name: str = "correlation-scatter",
):
    """Two scatters side by side: sector-months as observed, and after removing sector and month effects.

    ``slope``, when given, is drawn through the origin of the within panel: by Frisch-Waugh-Lovell
    the two-way fixed-effects slope is exactly the least-squares line of the within scatter.
    """

    def draw(stacked: bool):
        figure, axes = two_panels(stacked)
        axes[0].scatter(raw_x, raw_y, s=10, alpha=0.5, color="#0072B2")
        axes[0].set_xlabel("Border Patrol encounters (thousands)")
        axes[0].set_ylabel(f"{drug} seized by the Border Patrol (pounds)")
        axes[0].set_title("As observed (sector-months)")
        within_panel(
            axes[1],
            within_x,
            within_y,
            "#D55E00",
            "Encounters, within sector and month (thousands)",
            "Pounds, within sector and month",
            "After sector and month effects",
        )
        if slope is not None:
            span = [float(min(within_x)), float(max(within_x))]
            axes[1].plot(
                span, [slope * value for value in span], color="#000000", linewidth=1.6, label=slope_label or None
            )
            if slope_label:
                axes[1].legend(fontsize=8, loc="upper left")
        figure.suptitle(title, fontweight="bold")
        figure.tight_layout()
        add_source(figure, source)
        return figure

    data = pd.DataFrame(
        {"encounters_thousands": raw_x, "pounds": raw_y, "encounters_within": within_x, "pounds_within": within_y}
    ).reset_index(drop=True)
    about = Download(
        name,
        title,
        f"encounters_thousands: Border Patrol encounters in the sector-month (thousands); "
        f"pounds: {drug.lower()} pounds the Border Patrol seized; *_within: the same after removing sector "
        f"and month means (two-way fixed effects)",
        source,
    )
    return book_figure(
        draw(stacked=False),
        about,
        f"Two scatter plots of {drug.lower()} pounds against encounters per "
        "sector-month, as observed and after removing sector and month effects",
        data,
        narrow=draw(stacked=True),
    )


def national_series(frame, title: str, source: str, name: str = "correlation-national"):
    """Two stacked panels sharing the month axis: encounters, and pounds seized at and between ports
    (drawn again at a phone's width for the HTML)."""

    def draw(size: tuple[float, float]):
        figure, (top, bottom) = plt.subplots(2, 1, figsize=size, sharex=True)
        chars = int(size[0] * 8)  # the title wraps inside a narrow drawing (about 8 characters per inch)
        top.plot(frame["month"], frame["encounters"], color="#444444", linewidth=1.6)
        top.set_ylabel("SW Border Patrol\nencounters")
        top.yaxis.set_major_formatter(plt.matplotlib.ticker.StrMethodFormatter("{x:,.0f}"))
        for component in ("OFO", "USBP"):
            bottom.plot(
                frame["month"],
                frame[f"pounds_{component.lower()}"],
                color=COMPONENT_COLORS[component],
                label=COMPONENT_LABELS[component],
                linewidth=1.6,
            )
        bottom.set_ylabel("Fentanyl seized\n(pounds per month)")
        bottom.yaxis.set_major_formatter(plt.matplotlib.ticker.StrMethodFormatter("{x:,.0f}"))
        bottom.legend(fontsize=8)
        bottom.set_xlabel("Month")
        top.set_title("\n".join(textwrap.wrap(title, chars)))
        figure.tight_layout()
        add_source(figure, source)
        return figure

    about = Download(
        name,
        title,
        "encounters: Southwest Border Patrol encounters in the month; pounds_ofo, pounds_usbp: "
        "fentanyl pounds seized at ports (OFO) and between them (USBP), nationwide",
        source,
    )
    return book_figure(
        draw((9, 5.6)),
        about,
        "Two stacked monthly line charts, encounters on top and fentanyl pounds seized by OFO and USBP below",
        frame[["month", "encounters", "pounds_ofo", "pounds_usbp"]],
        narrow=draw((5.2, 6.4)),
    )
