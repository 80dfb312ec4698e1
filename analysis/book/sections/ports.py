"""The ports chapter, section by section: the glue keys its text reads and its tables with their downloads.

Key families, one key per drug, scope and fiscal year (``drug`` and ``scope`` as ``ports.key_slug``
writes them, ``year`` as ``ports.year_key``): ``ports.<drug>.ofo_share[_<scope>].<year>`` and
``ports.<drug>.ofo_event_share[_<scope>].<year>`` (the port share of pounds and of seizure events;
nationwide without a scope), ``ports.<drug>.lbs_per_event_<ofo|usbp>.<year>``,
``ports.table78.<drug>.ofo_share.cy<year>[_partial]`` and ``ports.context.<figure id>``. A section's own
keys are written out.
"""

from __future__ import annotations

import pandas as pd
from IPython.display import Markdown

from analysis.book.downloads import Download
from analysis.book.tables import markdown_table
from analysis.data import curated
from analysis.metrics import ports

SHARE_UNITS = "fraction of the pounds seized by OFO and USBP together that OFO seized (0-1)"
NATIONWIDE = "Nationwide"


def source_line(rows: pd.DataFrame) -> str:
    """The figures' and tables' source: CBP's file and every vintage the seizure ``rows`` come from."""
    return "CBP Nationwide Drug Seizures (OFO and USBP), vintages " + ", ".join(sorted(rows["source_file"].unique()))


def share_keys(shares: pd.DataFrame, name: str) -> dict:
    """One key per drug, scope and fiscal year of a ``ports.shares_by_year`` table: ``ports.<drug>.<name>
    [_<scope>].<year>`` (``name``: 'ofo_share' for pounds, 'ofo_event_share' for events). A share exists
    only where either component seized something; where neither did, no key is published."""
    return {
        f"ports.{ports.key_slug(row.drug)}.{name}"
        + ("" if row.scope == NATIONWIDE else "_" + ports.key_slug(row.scope))
        + f".{ports.year_key(row.fy, row.partial)}": row.ofo_share
        for row in shares.itertuples()
        if row.ofo_share == row.ofo_share
    }


def share_numbers(rows: pd.DataFrame, shares: pd.DataFrame, events: pd.DataFrame) -> dict:
    """How much is seized at the ports: every port share by weight and by events (``share_keys``), the
    complete fiscal years and the latest month, fentanyl's nationwide port share in the latest complete
    year and its range over complete years, and the share of the marijuana OFO seized in FY2023 that it
    seized in the Coastal/Interior region. ``rows``: the seizure rows; ``shares`` and ``events``:
    ``ports.shares_by_year`` by pounds and by events."""
    fentanyl = shares[(shares["scope"] == NATIONWIDE) & (shares["drug"] == "Fentanyl")]
    full_years = fentanyl[~fentanyl["partial"]]
    last_full = int(full_years["fy"].max())
    marijuana = rows[(rows["component"] == ports.PORTS) & (rows["drug"] == "Marijuana") & (rows["fy"] == 2023)]
    return {
        "ports.first_full_fy": int(full_years["fy"].min()),
        "ports.last_full_fy": last_full,
        "ports.latest_month": f"{rows['month'].max():%B %Y}",
        "ports.fentanyl.ofo_share.last_full": full_years.loc[full_years["fy"] == last_full, "ofo_share"].item(),
        "ports.fentanyl.ofo_share.min_full": full_years["ofo_share"].min(),
        "ports.fentanyl.ofo_share.max_full": full_years["ofo_share"].max(),
        "ports.marijuana.ofo_coastal_interior_fraction.fy2023": marijuana.loc[
            marijuana["region"] == "Coastal/Interior", "pounds"
        ].sum()
        / marijuana["pounds"].sum(),
        **share_keys(shares, "ofo_share"),
        **share_keys(events, "ofo_event_share"),
    }


def size_numbers(sizes: pd.DataFrame, last_full: int) -> dict:
    """Are port seizures larger: average pounds per event for every drug, component and fiscal year
    (``ports.<drug>.lbs_per_event_<component>.<year>``; none where there were no events) and fentanyl's at
    ports and between them in the latest complete year, with their ratio. ``sizes``:
    ``ports.pounds_per_event`` by fiscal year, partial flag and drug."""
    values = {
        f"ports.{ports.key_slug(row.drug)}.lbs_per_event_{row.component.lower()}."
        f"{ports.year_key(row.fy, row.partial_fy)}": row.lbs_per_event
        for row in sizes.itertuples()
        if row.lbs_per_event == row.lbs_per_event
    }
    latest = sizes[(sizes["fy"] == last_full) & (sizes["drug"] == "Fentanyl")].set_index("component")["lbs_per_event"]
    values.update(
        {
            "ports.fentanyl.lbs_per_event_ofo.last_full": latest[ports.PORTS],
            "ports.fentanyl.lbs_per_event_usbp.last_full": latest[ports.BETWEEN],
        }
    )
    return {**values, **size_ratio_numbers(sizes, last_full)}


def size_ratio_numbers(sizes: pd.DataFrame, last_full: int) -> dict:
    """The average port seizure against the average Border Patrol seizure, drug by drug, in the latest complete
    year (``ports.<drug>.size_ratio.last_full``: OFO's pounds per event over USBP's; only drugs seized by both),
    and for how many of those drugs the port seizure is the larger (``ports.size_ratio.larger_at_ports.last_full``
    of ``ports.size_ratio.drugs.last_full``). The register reads fentanyl's and names the others as its scope."""
    year = sizes[sizes["fy"] == last_full].pivot_table(
        index="drug", columns="component", values="lbs_per_event", aggfunc="first"
    )
    year = year.reindex(columns=[ports.PORTS, ports.BETWEEN]).dropna()
    ratios = year[ports.PORTS] / year[ports.BETWEEN]
    return {
        **{f"ports.{ports.key_slug(drug)}.size_ratio.last_full": float(ratio) for drug, ratio in ratios.items()},
        "ports.size_ratio.larger_at_ports.last_full": int((ratios > 1).sum()),
        "ports.size_ratio.drugs.last_full": len(ratios),
    }


def monthly_numbers(monthly: pd.DataFrame, drug: str) -> dict:
    """Month by month: of the months in the monthly series (``monthly``: month, component, pounds of one
    ``drug``), how many saw more pounds seized at the ports than between them (a component absent in a
    month seized nothing), that count in words ('all 87', '80 of the 87'), and the first and last month."""
    pounds = monthly.pivot_table(index="month", columns="component", values="pounds", aggfunc="sum", fill_value=0.0)
    pounds = pounds.reindex(columns=[ports.PORTS, ports.BETWEEN], fill_value=0.0)
    ahead = int((pounds[ports.PORTS] > pounds[ports.BETWEEN]).sum())
    return {
        "ports.monthly.drug": drug.lower(),
        "ports.monthly.months": len(pounds),
        "ports.monthly.months_ports_ahead": ahead,
        "ports.monthly.ahead_words": f"all {ahead}" if ahead == len(pounds) else f"{ahead} of the {len(pounds)}",
        "ports.monthly.first_month": f"{pounds.index.min():%B %Y}",
        "ports.monthly.last_month": f"{pounds.index.max():%B %Y}",
    }


def context_numbers(table78_shares: pd.DataFrame, context: pd.DataFrame) -> dict:
    """Before FY2019: ONDCP Table 78's port share per drug and calendar year
    (``ports.table78.<drug>.ofo_share.cy<year>[_partial]``) and the transcribed figures of other sources
    (``ports.context.<id>``, from data/curated/ports_context.csv)."""
    return {
        **{
            f"ports.table78.{ports.key_slug(row.drug)}.ofo_share.cy{row.year}{'_partial' if row.partial else ''}": (
                row.ofo_share
            )
            for row in table78_shares.itertuples()
        },
        **{f"ports.context.{figure_id}": curated.curated_value(context, figure_id) for figure_id in context["id"]},
    }


def vintage_numbers(revised: dict) -> dict:
    """The seizure file's vintages and what newer vintages revised (``revisions.facts`` of the dataset)."""
    return {
        "ports.vintages.count": revised["vintages"],
        "ports.vintages.revised_cells": revised["cells"],
        "ports.vintages.revised_months": revised["months"],
        "ports.vintages.closed_cells": revised["closed_cells"],
        "ports.vintages.largest": revised["largest"],
    }


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
