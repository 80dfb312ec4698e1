"""The encounters chapter, section by section: the glue keys its text reads and its tables with their downloads.

Key families: ``encounters.usbp_sw.fy<year>`` (Southwest Border Patrol encounters of each complete fiscal
year) and ``encounters.crosscheck.fy<year>.relative`` (DHS OHSS against CBP's PDF); a section's own keys
are written out.
"""

from __future__ import annotations

import pandas as pd
from IPython.display import Markdown

from analysis.book.downloads import Download
from analysis.book.tables import markdown_table
from analysis.data import encounters

CROSSCHECK_SOURCE = (
    "CBP U.S. Border Patrol monthly encounters FY2000-FY2020 (PDF); DHS OHSS Key Homeland Security Metrics"
)


def series_numbers(annual: pd.DataFrame, monthly: pd.DataFrame, sectors: pd.DataFrame) -> dict:
    """Southwest Border Patrol encounters since FY2000: each complete fiscal year, the last complete one,
    the partial year (if the series ends in one) and a sentence on it, the peak, and the last month of the
    combined series and of the DHS workbook. ``annual``: ``encounters.annual_from_monthly`` of ``monthly``;
    ``sectors``: the DHS OHSS rows."""
    full = annual[~annual["partial"]]
    values = {f"encounters.usbp_sw.fy{row.fy}": int(row.encounters) for row in full.itertuples()}
    values["encounters.usbp_sw.last_full_fy"] = int(full["fy"].max())
    partial = annual[annual["partial"]]
    if len(partial):
        row = partial.iloc[-1]
        values.update(
            {
                "encounters.usbp_sw.partial_fy": int(row["fy"]),
                "encounters.usbp_sw.partial_fy_months": int(row["months"]),
                "encounters.usbp_sw.partial_fy_through": f"{row['last_month']:%B %Y}",
                "encounters.usbp_sw.partial_fy_value": int(row["encounters"]),
                "encounters.usbp_sw.partial_fy_note": (
                    f"FY{row['fy']} is partial: {row['months']} months through {row['last_month']:%B %Y}, "
                    f"{row['encounters']:,} encounters so far."
                ),
            }
        )
    else:
        values["encounters.usbp_sw.partial_fy_note"] = (
            f"No fiscal year is partial: the series ends with the complete FY{full['fy'].max()}."
        )
    peak = full.loc[full["encounters"].idxmax()]
    values.update(
        {
            "encounters.usbp_sw.max_value": int(peak["encounters"]),
            "encounters.usbp_sw.max_fy": int(peak["fy"]),
            "encounters.usbp_sw.last_month": f"{monthly['month'].max():%B %Y}",
            "encounters.ohss.last_month": f"{sectors['month'].max():%B %Y}",
        }
    )
    return values


def record_low_numbers(monthly: pd.DataFrame, since: str) -> dict:
    """Are recent months record lows: the month with the fewest encounters of the whole series, whether it
    falls in the period from ``since`` (1.0 or 0.0), and the lowest month before ``since``."""
    minimum = encounters.lowest_months(monthly, 1).iloc[0]
    previous = encounters.lowest_months(monthly[monthly["month"] < pd.Timestamp(since)], 1).iloc[0]
    return {
        "encounters.monthly_min.value": int(minimum["encounters"]),
        "encounters.monthly_min.month": f"{minimum['month']:%B %Y}",
        "encounters.monthly_min.since_2025": float(minimum["month"] >= pd.Timestamp(since)),
        "encounters.monthly_min_before.value": int(previous["encounters"]),
        "encounters.monthly_min_before.month": f"{previous['month']:%B %Y}",
    }


def nationwide_numbers(state: pd.DataFrame) -> dict:
    """CBP's nationwide file: its last month and that month's encounters, and the months with Title 42
    encounters (first, last, how many). ``state``: the rows of the nationwide file by state."""
    by_month = state.groupby("month")["encounters"].sum()
    first, last, months = encounters.title42_period(state)
    return {
        "encounters.nationwide.last_month": f"{by_month.index.max():%B %Y}",
        "encounters.nationwide.last_month_value": int(by_month.iloc[-1]),
        "encounters.title42.first_month": f"{first:%B %Y}",
        "encounters.title42.last_month": f"{last:%B %Y}",
        "encounters.title42.months": months,
    }


def vintage_numbers(revised: dict) -> dict:
    """The encounter files' vintages and what newer vintages revised (``revisions.facts`` of the datasets)."""
    return {
        "encounters.vintages.count": revised["vintages"],
        "encounters.vintages.revised_cells": revised["cells"],
        "encounters.vintages.revised_months": revised["months"],
        "encounters.vintages.revised_years": revised["fiscal_years"],
        "encounters.vintages.closed_cells": revised["closed_cells"],
        "encounters.vintages.largest": revised["largest"],
    }


def publisher_numbers(overlap: pd.DataFrame) -> dict:
    """Which publisher counts a month: the months both report (``encounters.publisher_overlap``), their
    largest difference, whether it lies within what rounding every Southwest sector to 10 can add up to,
    and the rule the book follows."""
    bound = int(encounters.OHSS_ROUNDING / 2 * len(encounters.SOUTHWEST_SECTORS))
    largest = overlap["difference"].abs().max()
    return {
        "encounters.publishers.overlap_months": len(overlap),
        "encounters.publishers.overlap_first": f"{overlap['month'].min():%B %Y}",
        "encounters.publishers.overlap_last": f"{overlap['month'].max():%B %Y}",
        "encounters.publishers.max_abs_difference": int(largest),
        "encounters.publishers.rounding_bound": bound,
        "encounters.publishers.within_rounding": "within" if largest <= bound else "more than",
        "encounters.publishers.rule": encounters.PUBLISHER_RULE,
    }


def crosscheck_numbers(crosscheck: pd.DataFrame) -> dict:
    """Two official versions of the same counts (``encounters.compare_southwest_totals``): the relative
    difference of each fiscal year, and the largest from FY2005 on."""
    later = crosscheck[crosscheck["fy"] >= 2005]
    return {
        **{f"encounters.crosscheck.fy{row.fy}.relative": row.relative for row in crosscheck.itertuples()},
        "encounters.crosscheck.max_abs_relative_from_fy2005": float(later["relative"].abs().max()),
    }


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
