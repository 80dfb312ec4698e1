"""The chapter of other checks, section by section: the glue keys its text reads and its tables with their
downloads."""

from __future__ import annotations

import pandas as pd
from IPython.display import Markdown

from analysis.book.downloads import Download
from analysis.book.tables import markdown_table

SUPPLEMENT = "ONDCP National Drug Control Strategy Data Supplement"
# The treatment table shows the latest years only; its download holds every year.
TREATMENT_YEARS_SHOWN = 6


def treatment_gap_markdown(gap: pd.DataFrame) -> Markdown:
    """The latest ``TREATMENT_YEARS_SHOWN`` years of the treatment gap (``checks.treatment_gap``, indexed by
    year): needed and received in thousands, the gap in percent; every year as CSV."""
    data = gap.reset_index()
    latest = data.tail(TREATMENT_YEARS_SHOWN)
    shown = pd.DataFrame(
        {
            "Year": latest["year"],
            "Needed (thousands)": latest["needed"].map("{:,.0f}".format),
            "Received (thousands)": latest["received"].map("{:,.0f}".format),
            "Gap": latest["gap"].map("{:.1%}".format),
        }
    )
    return markdown_table(
        shown,
        widths=[15, 30, 30, 25],
        download=Download(
            "checks-treatment-gap",
            "People who needed and who received treatment for illicit drug use, by year",
            "needed, received: thousands of people; gap: fraction not treated (0-1)",
            f"{SUPPLEMENT}, Table 67 (from NSDUH)",
        ),
        data=data,
    )


def injury_deaths_markdown(deaths: pd.DataFrame, year: int) -> Markdown:
    """Deaths by injury cause in ``year`` (a row of ONDCP's Table 43, indexed by year); every year as CSV."""
    shown = pd.DataFrame({"Cause": deaths.columns, f"Deaths {year}": deaths.loc[year].map("{:,.0f}".format).to_list()})
    return markdown_table(
        shown,
        widths=[60, 40],
        download=Download(
            "checks-injury-deaths",
            "Injury deaths by cause and year",
            "deaths",
            f"{SUPPLEMENT}, Table 43 (from NCHS)",
        ),
        data=deaths.reset_index(),
    )


def cited_sources_markdown(sources: pd.DataFrame) -> Markdown:
    """The figures of the sources the documents cite (``data/curated/cited_sources.csv``): figure, value in
    its unit, and the source linked with its date and kind; the curated rows as CSV."""
    shown = pd.DataFrame(
        {
            "Figure": sources["figure"],
            "Source's value": [f"{v:g} {u}" for v, u in zip(sources["value"], sources["unit"], strict=True)],
            "Source": [
                f"[{row.source_title}]({row.source_url}) ({row.source_date}, {row.source_kind})"
                for row in sources.itertuples()
            ],
        }
    )
    return markdown_table(
        shown,
        widths=[30, 15, 55],
        download=Download(
            "checks-cited-sources",
            "Figures of the sources the documents cite, as those sources state them",
            "value in its unit (column unit)",
            "transcribed in data/curated/cited_sources.csv, a source and address on every row",
        ),
        data=sources,
    )
