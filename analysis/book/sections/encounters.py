"""The encounters chapter, section by section: the glue keys its text reads and its tables with their downloads."""

from __future__ import annotations

import pandas as pd
from IPython.display import Markdown

from analysis.book.downloads import Download
from analysis.book.tables import markdown_table

CROSSCHECK_SOURCE = (
    "CBP U.S. Border Patrol monthly encounters FY2000-FY2020 (PDF); DHS OHSS Key Homeland Security Metrics"
)


def count(value) -> str:
    """A count with thousands separators: '1,659,206'."""
    return f"{int(value):,}"


def signed_count(value) -> str:
    """A signed count: '+1,234', '-20'."""
    return f"{int(value):+,}"


def lowest_markdown(lowest: pd.DataFrame, source: str) -> Markdown:
    """The months with the fewest Southwest Border Patrol encounters (``encounters.lowest_months``), with
    their data as CSV."""
    shown = pd.DataFrame(
        {
            "Month": lowest["month"].dt.strftime("%B %Y"),
            "Southwest USBP encounters": lowest["encounters"].map(count),
            "Source": lowest["source"],
        }
    )
    return markdown_table(
        shown,
        download=Download(
            "encounters-lowest-months",
            "The months with the fewest Southwest Border Patrol encounters",
            "encounters in the month",
            source,
        ),
        data=lowest,
    )


def repeat_value(value: float, unit: str) -> str:
    """A transcribed figure in its unit: '27%' for a percent, '1,700,000' for a count."""
    return f"{value:.0f}%" if unit == "percent" else f"{value:,.0f}"


def repeat_markdown(figures: pd.DataFrame) -> Markdown:
    """The transcribed repeat-crossing and got-away figures (``data/curated/recidivism_gotaways.csv``), each
    with its period, tier and source, with the curated rows as CSV."""
    shown = pd.DataFrame(
        {
            "Figure": figures["measure"],
            "Period": figures["period"],
            "Value": [repeat_value(v, u) for v, u in zip(figures["value"], figures["unit"], strict=True)],
            "Tier": figures["tier"],
            "Source": figures["source_title"],
        }
    )
    return markdown_table(
        shown,
        widths=[30, 14, 9, 6, 41],
        download=Download(
            "encounters-repeat-and-gotaways",
            "Repeat crossers and got-aways as official and other sources state them",
            "value in its unit (percent or count); tier: A official, B quoting an official figure, "
            "C unofficial or preliminary",
            "transcribed in data/curated/recidivism_gotaways.csv, a source on every row",
        ),
        data=figures,
    )


def series_sources(monthly: pd.DataFrame) -> pd.DataFrame:
    """Which publisher supplies which months of the combined monthly series: source, first and last month
    (YYYY-MM) and the number of months, earliest first."""
    table = monthly.groupby("source")["month"].agg(["min", "max", "nunique"]).reset_index().sort_values("min")
    return pd.DataFrame(
        {
            "source": table["source"],
            "first_month": table["min"].dt.strftime("%Y-%m"),
            "last_month": table["max"].dt.strftime("%Y-%m"),
            "months": table["nunique"],
        }
    ).reset_index(drop=True)


def series_sources_markdown(monthly: pd.DataFrame) -> Markdown:
    """The table of ``series_sources``, months as 'Oct 1999', with its data as CSV."""
    data = series_sources(monthly)
    shown = pd.DataFrame(
        {
            "Source": data["source"],
            "From": pd.to_datetime(data["first_month"]).dt.strftime("%b %Y"),
            "To": pd.to_datetime(data["last_month"]).dt.strftime("%b %Y"),
            "Months": data["months"],
        }
    )
    return markdown_table(
        shown,
        download=Download(
            "encounters-series-sources",
            "one publisher of the monthly series of Southwest Border Patrol encounters: the months it supplies",
            "months (count); first and last month as YYYY-MM",
            "DHS OHSS Key Homeland Security Metrics; CBP Southwest Land Border Encounters (every vintage in "
            "data/catalog.yml)",
        ),
        data=data,
    )


def by_publisher_markdown(by_publisher: pd.DataFrame) -> Markdown:
    """Fiscal years both publishers report in full (``encounters.annual_by_publisher``): CBP's count, the sum
    of DHS OHSS's months and the difference, with the data as CSV."""
    shown = pd.DataFrame(
        {
            "FY": by_publisher["fy"].astype(str),
            "CBP": by_publisher["cbp"].map(count),
            "DHS OHSS (sum of months rounded to 10)": by_publisher["dhs_ohss"].map(count),
            "DHS - CBP": by_publisher["difference"].map(signed_count),
        }
    )
    return markdown_table(
        shown,
        download=Download(
            "encounters-by-publisher",
            "Southwest Border Patrol encounters per fiscal year as CBP counts them and as the sum of DHS OHSS's "
            "monthly counts",
            "encounters; difference: DHS OHSS minus CBP",
            "CBP Southwest Land Border Encounters; DHS OHSS Key Homeland Security Metrics (every vintage in "
            "data/catalog.yml)",
        ),
        data=by_publisher,
    )


def crosscheck_markdown(crosscheck: pd.DataFrame) -> Markdown:
    """Southwest Border Patrol encounters per fiscal year in CBP's PDF and in DHS OHSS's workbook
    (``encounters.compare_southwest_totals``), with the data as CSV."""
    shown = pd.DataFrame(
        {
            "FY": crosscheck["fy"],
            "CBP PDF": crosscheck["cbp_pdf"].map(count),
            "DHS OHSS": crosscheck["dhs_ohss"].map(count),
            "OHSS - PDF": crosscheck["difference"].map(signed_count),
            "Relative": crosscheck["relative"].map("{:+.2%}".format),
        }
    )
    return markdown_table(
        shown,
        download=Download(
            "encounters-crosscheck",
            "Southwest Border Patrol encounters per fiscal year in CBP's FY2000-FY2020 PDF and in DHS OHSS's workbook",
            "encounters; relative: (OHSS - PDF) / PDF",
            CROSSCHECK_SOURCE,
        ),
        data=crosscheck,
    )
