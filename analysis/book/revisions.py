"""What CBP and DHS revised between vintages of a dataset, as the chapters and the appendix show it.

Each function takes the datasets a chapter loaded (``vintages.load`` results) and returns a table
ready to display or the numbers a section states. The revisions themselves are computed in
``analysis.data.vintages`` (``Combined.revisions``, ``Combined.revised_months``).
"""

from __future__ import annotations

import re

import pandas as pd
from IPython.display import Markdown, display

from analysis.book import downloads
from analysis.book.tables import markdown_table
from analysis.data import vintages

# What a revised cell's numbers count, for the downloads' descriptions.
CELL_UNITS = "before, after, change: encounters (people) or seizure events and pounds, as the measure column says"
CATALOG_SOURCE = "CBP and DHS OHSS vintages in data/catalog.yml"


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
    """Every revised cell of one dataset, one row per cell and measure: month, fiscal year, the cell's
    categories (a column each, as the dataset names them), measure, before, after, change, the two
    files, and whether the fiscal year was closed in the older file."""
    revisions = combined.revisions
    table = pd.DataFrame(
        {
            "dataset": combined.spec.title,
            "month": pd.to_datetime(revisions["month"]),
            "fy": revisions["fy"].astype(int),
            **{column: revisions[column].astype(str) for column in combined.spec.cells()},
            "measure": revisions["measure"],
            "before": revisions["old"].astype(float),
            "after": revisions["new"].astype(float),
            "older_file": revisions["old_file"],
            "newer_file": revisions["new_file"],
            "closed_year": revisions["closed"].astype(bool),
        }
    )
    return table.assign(change=table["after"] - table["before"])


CELL_COLUMNS = ["dataset", "month", "fy"]
VALUE_COLUMNS = ["measure", "before", "after", "change", "older_file", "newer_file", "closed_year"]


def cells_csv(datasets: list[vintages.Combined]) -> pd.DataFrame:
    """Every revised cell of these datasets, as the downloadable CSV holds them: months as YYYY-MM, each
    category in its own column (empty where a dataset has no such category), so that the file filters."""
    table = pd.concat([cells(combined) for combined in datasets], ignore_index=True)
    categories = [column for column in table.columns if column not in CELL_COLUMNS + VALUE_COLUMNS]
    table = table.assign(month=_months(table["month"], "%Y-%m"))
    table[categories] = table[categories].fillna("")
    return table[CELL_COLUMNS + categories + VALUE_COLUMNS]


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
        CATALOG_SOURCE,
    )
    return downloads.link(table, about, "every revised cell (CSV)")


def file_slug(name: str) -> str:
    """A vintage's file name as part of a download's name: 'nationwide-drugs-fy23-fy26-jan.csv' ->
    'nationwide-drugs-fy23-fy26-jan'."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower().removesuffix(".csv")).strip("-")


def cells_tables(combined: vintages.Combined) -> list[tuple[str, pd.DataFrame, pd.DataFrame]]:
    """One dataset's revised cells for the appendix, one table per file that revised them: the file's
    name, the table shown (the month, the cell's categories (a column each), (the measure,) before and
    after) and its data as the download holds them (``cells_csv``'s columns, unrounded)."""
    table = cells(combined)
    revised = combined.revisions
    data = cells_csv([combined])
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
        shown = shown.drop(columns="Measure") if len(combined.spec.values) == 1 else shown
        tables.append((name, shown, data[rows.to_numpy()].reset_index(drop=True)))
    return tables


def show_cells(datasets: list[vintages.Combined]) -> None:
    """The appendix's tables: per dataset, one sortable table per file that revised cells, each with its
    CSV (``revisions-<file>``), or a sentence when its vintages agree."""
    for combined in datasets:
        title = combined.spec.title
        for name, shown, data in cells_tables(combined):
            about = downloads.Download(  # the file's name is in the download's name (and in newer_file)
                f"revisions-{file_slug(name)}",
                f"one cell of {title} that the vintage this file is named after revised: old and new value",
                CELL_UNITS,
                f"{title}: that vintage and the one before it (data/catalog.yml)",
            )
            caption = f"{title}: {len(shown)} cells revised by {name}"
            display(markdown_table(shown, sortable=True, caption=caption, download=about, data=data, compact=True))
        if combined.revisions.empty:
            display(Markdown(f"{title}: no cell differs between its {len(combined.frames)} vintages."))


def supplied_data(datasets: list[vintages.Combined]) -> pd.DataFrame:
    """Per dataset and vintage: the months it holds (first, last as YYYY-MM, count) and how many the
    combined series takes from it."""
    table = pd.concat(
        [combined.supplied.assign(dataset=combined.spec.title) for combined in datasets], ignore_index=True
    )
    return table.assign(
        first_month=_months(table["first_month"], "%Y-%m"), last_month=_months(table["last_month"], "%Y-%m")
    )[["dataset", "file", "first_month", "last_month", "months", "months_used"]]


def supplied_table(datasets: list[vintages.Combined]) -> pd.DataFrame:
    """``supplied_data`` as a page shows it (months as 'Oct 2022'; the dataset only when there are several)."""
    data = supplied_data(datasets)
    shown = pd.DataFrame(
        {
            "Dataset": data["dataset"],
            "Vintage": data["file"],
            "From": _months(data["first_month"]),
            "To": _months(data["last_month"]),
            "Months": data["months"],
            "Months its dataset takes": data["months_used"],
        }
    )
    return shown if len(datasets) > 1 else shown.drop(columns="Dataset")


def supplied_markdown(datasets: list[vintages.Combined], name: str) -> Markdown:
    """The table of vintages (``supplied_table``) with its data as ``<name>.csv``."""
    return markdown_table(
        supplied_table(datasets),
        download=downloads.Download(
            name,
            "one vintage of a dataset: the months it holds and how many the book takes from it (the newest "
            "file wins month by month)",
            "months (counts); first and last month as YYYY-MM",
            CATALOG_SOURCE,
        ),
        data=supplied_data(datasets),
    )


def summary_data(datasets: list[vintages.Combined]) -> pd.DataFrame:
    """Per dataset, fiscal year (closed or open in the older vintage), component (or region) and measure:
    cells revised and the months they lie in, months whose total changed, files that revised them, the
    net change, and the largest change of one month's total, relative to it (a fraction), with its month."""
    parts = [
        vintages.revision_summary(combined.revised_months, combined.revisions, combined.spec.coverage[0]).assign(
            dataset=combined.spec.title
        )
        for combined in datasets
    ]
    table = pd.concat([part for part in parts if len(part)] or [parts[0]], ignore_index=True)
    columns = ["fy", "closed", "group", "measure", "cells", "cell_months", "months", "files", "net_change"]
    table = table.assign(largest_month=_months(table["largest_month"], "%Y-%m") if len(table) else [])
    return table[["dataset", *columns, "largest_relative", "largest_month"]]


def summary(datasets: list[vintages.Combined]) -> pd.DataFrame:
    """``summary_data`` as a page shows it: counts whole, a closed year marked, net change signed, the
    largest change in percent with its month (the dataset and measure only when there are several)."""
    table = summary_data(datasets)
    largest = [
        f"{_percent(value)} ({pd.Timestamp(month):%b %Y})" if isinstance(month, str) else "none"
        for value, month in zip(table["largest_relative"], table["largest_month"], strict=True)
    ]
    shown = pd.DataFrame(
        {
            "Dataset": table["dataset"],
            "FY": [
                f"{fy} (closed)" if closed else str(fy) for fy, closed in zip(table["fy"], table["closed"], strict=True)
            ],
            "Component or region": table["group"],
            "Measure": table["measure"],
            "Cells revised": [
                f"{cells:,} in {months} month{'s' * (months != 1)}, by {files} file{'s' * (files != 1)}"
                for cells, months, files in zip(table["cells"], table["cell_months"], table["files"], strict=True)
            ],
            "Months whose total changed": table["months"].astype(str),
            "Net change": _signed(table["net_change"].astype(float)),
            "Largest change of a month's total": largest,
        }
    )
    shown = shown.drop(columns="Measure") if shown["Measure"].nunique() <= 1 else shown
    return shown.drop(columns="Dataset") if shown["Dataset"].nunique() <= 1 else shown


# The summary's columns, as shares of the line the PDF prefers (each still gets what its longest word needs).
SUMMARY_WIDTHS = {
    "Dataset": 22,
    "FY": 9,
    "Component or region": 14,
    "Measure": 10,
    "Cells revised": 19,
    "Months whose total changed": 13,
    "Net change": 9,
    "Largest change of a month's total": 14,
}


def summary_markdown(datasets: list[vintages.Combined], name: str) -> Markdown | None:
    """The revisions summed up per fiscal year (``summary``) with their data as ``<name>.csv``; None (nothing
    shown) when no vintage revised a cell."""
    data = summary_data(datasets)
    if data.empty:
        return None
    shown = summary(datasets)
    return markdown_table(
        shown,
        [SUMMARY_WIDTHS[column] for column in shown.columns],
        download=downloads.Download(
            name,
            "per dataset, fiscal year (closed: published as closed by the older vintage), component or region "
            "and measure: cells revised by newer vintages and the months they lie in, months whose total "
            "changed, files that revised them, net change, and the largest change of one month's total",
            "cells, cell_months, months, files: counts; net_change: encounters, events or pounds as the measure "
            "says; largest_relative: fraction of the month's total (-0.01 is -1%); largest_month: YYYY-MM",
            CATALOG_SOURCE,
        ),
        data=data,
    )


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
