"""What CBP and DHS revised between vintages of a dataset, as the chapters and the appendix show it.

Each function takes the datasets a chapter loaded (``vintages.load`` results) and returns a table
ready to display or the numbers a section states. The revisions themselves are computed in
``analysis.data.vintages`` (``Combined.revisions``, ``Combined.revised_months``).
"""

from __future__ import annotations

import pandas as pd
from IPython.display import Markdown

from analysis.book import downloads
from analysis.data import vintages


def _months(column: pd.Series, form: str = "%b %Y") -> pd.Series:
    """Month labels, whatever dtype an empty or stacked frame left the column in."""
    return pd.to_datetime(column).dt.strftime(form)


def _signed(values: pd.Series) -> pd.Series:
    """'+121' or '-14.2': whole numbers without decimals, others with one."""
    whole = (values.round() == values).all()
    return values.map("{:+,.0f}".format if whole else "{:+,.1f}".format)


def _amount(value: float) -> str:
    """A count as a whole number, a weight with its two decimals: 1,659,206 or 2,840.79 (never 1.65921e+06)."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def _percent(value: float) -> str:
    """A small relative change with two significant digits: '-0.05%', '-0.0042%', '+0.73%'."""
    return "n/a" if pd.isna(value) else f"{value * 100:+.2g}%"


def cells(combined: vintages.Combined) -> pd.DataFrame:
    """Every revised cell of one dataset, one row per cell and measure, with a readable cell name:
    month, fiscal year, cell, measure, before, after, change, the two files, and whether the fiscal
    year was closed in the older file."""
    revisions = combined.revisions
    names = revisions[combined.spec.cells()].astype(str).agg(" / ".join, axis=1) if len(revisions) else []
    table = pd.DataFrame(
        {
            "dataset": combined.spec.title,
            "month": pd.to_datetime(revisions["month"]),
            "fy": revisions["fy"].astype(int),
            "cell": names,
            "measure": revisions["measure"],
            "before": revisions["old"].astype(float),
            "after": revisions["new"].astype(float),
            "older_file": revisions["old_file"],
            "newer_file": revisions["new_file"],
            "closed_year": revisions["closed"].astype(bool),
        }
    )
    return table.assign(change=table["after"] - table["before"])


def cells_csv(datasets: list[vintages.Combined]) -> pd.DataFrame:
    """Every revised cell of these datasets, as the downloadable CSV holds them (months as YYYY-MM)."""
    table = pd.concat([cells(combined) for combined in datasets], ignore_index=True)
    return table.assign(month=_months(table["month"], "%Y-%m"))[
        [
            "dataset",
            "month",
            "fy",
            "cell",
            "measure",
            "before",
            "after",
            "change",
            "older_file",
            "newer_file",
            "closed_year",
        ]
    ]


# Short column headings for the cell categories, so that a table of many cells fits the page (and
# 'Southwest Land Border' is shown as 'Southwest').
HEADINGS = {
    "land_border_region": "Region",
    "citizenship_grouping": "Citizenship",
    "title_of_authority": "Title",
    "encounter_type": "Type",
    "aor": "Area",
    "land_filter": "Land filter",
}


def cells_download(datasets: list[vintages.Combined]):
    """The HTML link to every revised cell as CSV (``cells_csv``), or a sentence when no cell was revised."""
    table = cells_csv(datasets)
    if table.empty:
        return Markdown("No cell was revised by a newer vintage.")
    about = downloads.Download(
        "vintage-revisions",
        "one cell revised by a newer vintage: old and new value, both files",
        "encounters (people) or seizure events and pounds, as the dataset counts them",
        "CBP and DHS OHSS vintages in data/catalog.yml",
    )
    return downloads.link(table, about, "every revised cell (CSV)")


def cells_tables(combined: vintages.Combined) -> list[tuple[str, pd.DataFrame]]:
    """One dataset's revised cells for the appendix, one table per file that revised them: the file's
    name and the month, the cell's categories (a column each), (the measure,) before and after."""
    table = cells(combined)
    revised = combined.revisions
    tables = []
    for name in dict.fromkeys(table["newer_file"]):
        rows = table["newer_file"] == name
        shown = pd.DataFrame({"Month": _months(table.loc[rows, "month"])})
        for column in combined.spec.cells():
            shown[HEADINGS.get(column, column.capitalize())] = (
                revised.loc[rows, column].astype(str).str.removesuffix(" Land Border")
            )
        shown["Measure"] = table.loc[rows, "measure"]
        shown["Before"] = table.loc[rows, "before"].map(_amount)
        shown["After"] = table.loc[rows, "after"].map(_amount)
        tables.append((name, shown.drop(columns="Measure") if len(combined.spec.values) == 1 else shown))
    return tables


def summary(datasets: list[vintages.Combined]) -> pd.DataFrame:
    """Per dataset, fiscal year, component (or region) and measure: months revised, the releases that
    revised them, the net change and the largest change of one month's total, relative to it."""
    parts = [
        vintages.revision_summary(combined.revised_months).assign(
            dataset=combined.spec.title, group_name=combined.spec.coverage[0]
        )
        for combined in datasets
    ]
    table = pd.concat([part for part in parts if len(part)] or [parts[0]], ignore_index=True)
    shown = pd.DataFrame(
        {
            "Dataset": table["dataset"],
            "FY": table["fy"].astype(str),
            "Component or region": table["group"],
            "Measure": table["measure"],
            "Months revised": table["months"].astype(str),
            "Releases": table["releases"].astype(str),
            "Net change": _signed(table["net_change"].astype(float)),
            "Largest change of a month": table["largest_relative"].map(_percent),
        }
    )
    return shown.drop(columns="Measure") if shown["Measure"].nunique() <= 1 else shown


def facts(datasets: list[vintages.Combined]) -> dict:
    """The numbers a revisions section states: vintages, cells and months revised (in open and in
    closed fiscal years), fiscal years touched, and the largest fall and rise of one month's total
    for a component or region, relative to it (None when nothing was revised), also as a sentence."""
    table = pd.concat([cells(combined) for combined in datasets], ignore_index=True)
    months = pd.concat([combined.revised_months for combined in datasets], ignore_index=True)
    open_year = table[~table["closed_year"]]
    relative = pd.to_numeric(months["relative"], errors="coerce").dropna()
    fall = float(relative.min()) if len(relative) and relative.min() < 0 else None
    rise = float(relative.max()) if len(relative) and relative.max() > 0 else None
    return {
        "vintages": sum(len(combined.frames) for combined in datasets),
        "cells": len(open_year),
        "months": int(open_year["month"].nunique()),
        "fiscal_years": ", ".join(f"FY{fy}" for fy in sorted(open_year["fy"].unique())) or "none",
        "closed_cells": int(table["closed_year"].sum()),
        "largest_fall": fall,
        "largest_rise": rise,
        "largest": largest_text(fall, rise),
    }


def largest_text(fall: float | None, rise: float | None) -> str:
    """The sentence on the largest changes of one month's total for a component or region."""
    if fall is None and rise is None:
        return "No month's total changed."
    said = [
        f"{word} {abs(value) * 100:.2g}%"
        for word, value in (("fell by at most", fall), ("rose by at most", rise))
        if value is not None
    ]
    return f"A month's total for one component or region {' and '.join(said)}."
