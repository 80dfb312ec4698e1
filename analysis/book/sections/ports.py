"""The ports chapter, section by section: the glue keys its text reads and its tables with their downloads."""

from __future__ import annotations

import pandas as pd
from IPython.display import Markdown

from analysis.book.downloads import Download
from analysis.book.tables import markdown_table
from analysis.metrics import ports

SHARE_UNITS = "fraction of the pounds seized by OFO and USBP together that OFO seized (0-1)"


def percent(share: float) -> str:
    """A share as the tables print it: '89.5%'."""
    return f"{share:.1%}"


def share_by_year(nation: pd.DataFrame, first_fy: int) -> pd.DataFrame:
    """Nationwide port shares (``ports.shares_by_year`` rows of one scope) from ``first_fy``: one row per
    fiscal year (its label, 'FY2026 (partial)'), one column per drug, unrounded."""
    table = nation[nation["fy"] >= first_fy].pivot_table(
        index="fy_label", columns="drug", values="ofo_share", observed=True, sort=False
    )
    return table.rename_axis(None, axis=1).reset_index().rename(columns={"fy_label": "fiscal_year"})


def share_by_year_markdown(nation: pd.DataFrame, first_fy: int, source: str) -> Markdown:
    """The table of nationwide port shares by fiscal year and drug, in percent, with its data as CSV."""
    data = share_by_year(nation, first_fy)
    shown = data.set_index("fiscal_year").map(percent).reset_index().rename(columns={"fiscal_year": "Fiscal year"})
    return markdown_table(
        shown,
        download=Download(
            "ports-share-by-year",
            "Share of pounds seized at ports of entry, nationwide, by fiscal year and drug",
            SHARE_UNITS,
            source,
        ),
        data=data,
    )


def table78_shares(shares: pd.DataFrame) -> pd.DataFrame:
    """ONDCP's Table 78 port shares (``ports.port_share`` by year, partial and drug): one row per calendar
    year (its label, '2019 (Jan-Sep)' for a partial year), one column per drug, unrounded."""
    view = shares.pivot_table(index=["year", "partial"], columns="drug", values="ofo_share").reset_index()
    view = view.rename_axis(None, axis=1)
    labels = [
        f"{year} (Jan-Sep)" if partial else str(year)
        for year, partial in zip(view["year"], view["partial"], strict=True)
    ]
    return view.assign(label=labels)[["label", *view.columns]]


def table78_markdown(shares: pd.DataFrame) -> Markdown:
    """The table of CBP's port shares in calendar years 2016-2019 (ONDCP Table 78), with its data as CSV."""
    data = table78_shares(shares)
    shown = data.drop(columns=["year", "partial"]).set_index("label").map(percent).reset_index()
    return markdown_table(
        shown.rename(columns={"label": "Calendar year"}),
        download=Download(
            "ports-share-2016-2019",
            "Share of CBP's seizures made at ports of entry, calendar years 2016-2019 (ONDCP Data Supplement 2020, "
            "Table 78)",
            SHARE_UNITS + "; partial: January-September only",
            "ONDCP National Drug Control Strategy Data Supplement 2020, Table 78",
        ),
        data=data,
    )


def coverage_data(coverage: pd.DataFrame) -> pd.DataFrame:
    """Which file supplied each fiscal year (``seizures.source_by_fiscal_year``), months as YYYY-MM."""
    return pd.DataFrame(
        {
            "fy": coverage["fy"],
            "partial": coverage["partial"].astype(bool),
            "months": coverage["months"],
            "first_month": coverage["first_month"].dt.strftime("%Y-%m"),
            "last_month": coverage["last_month"].dt.strftime("%Y-%m"),
            "source_file": coverage["source_file"],
        }
    )


def coverage_markdown(coverage: pd.DataFrame) -> Markdown:
    """The table of fiscal years and the files they come from, with its data as CSV."""
    shown = pd.DataFrame(
        {
            "Fiscal year": [
                ports.fiscal_year_label(fy, p) for fy, p in zip(coverage["fy"], coverage["partial"], strict=True)
            ],
            "Months": coverage["months"],
            "Period": [
                f"{a:%b %Y} - {b:%b %Y}" for a, b in zip(coverage["first_month"], coverage["last_month"], strict=True)
            ],
            "Taken from": coverage["source_file"],
        }
    )
    return markdown_table(
        shown,
        download=Download(
            "ports-seizure-coverage",
            "one fiscal year of CBP's seizure data: whether it is partial, its months and the file(s) they come from",
            "months (count); first and last month as YYYY-MM",
            "CBP Nationwide Drug Seizures, every vintage in data/catalog.yml",
        ),
        data=coverage_data(coverage),
    )
