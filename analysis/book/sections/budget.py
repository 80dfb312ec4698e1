"""The budget chapter and its rebalancing scenario page, section by section: the glue keys their text reads
and their tables with their downloads."""

from __future__ import annotations

import pandas as pd
from IPython.display import Markdown

from analysis.book.downloads import Download
from analysis.book.tables import markdown_table
from analysis.metrics import budget

BUDGET_SOURCE = (
    "ONDCP National Drug Control Budget summaries FY1997-FY2025, transcribed in "
    "data/curated/ondcp_budget_by_function.csv"
)
SCENARIO_SOURCE = (
    "the book's calculation from the scenario's parameters; starting values from ONDCP National Drug Control "
    "Budget summaries"
)
# The scenario table's dollar columns and their headings.
PATH_DOLLARS = {
    "total": "Total ($B)",
    "demand": "Demand ($B)",
    "supply": "Supply ($B)",
    "demand_at_start_split": "Demand at start split ($B)",
    "extra_demand": "Extra ($B)",
    "cumulative_extra": "Cumulative extra ($B)",
}


def baseline_matches_markdown(matches: pd.DataFrame) -> Markdown:
    """The fiscal years whose demand share lies within the tolerance of the document's baseline
    (``budget.baseline_matches``), with their rows as CSV."""
    shown = pd.DataFrame(
        {
            "Fiscal year": matches["fiscal_year"],
            "Budget": matches["budget_type"],
            "Demand share": matches["demand_share"].map("{:.1%}".format),
            "Edition": matches["edition"].map(budget.EDITION_LABELS),
        }
    )
    return markdown_table(
        shown,
        download=Download(
            "budget-baseline-matches",
            "Years whose demand share is within the tolerance of the document's baseline",
            "demand_share: fraction of the drug-control budget (0-1)",
            BUDGET_SOURCE,
        ),
        data=matches,
    )


def nii_markdown(nii: pd.DataFrame) -> Markdown:
    """The transcribed CBP budget and scanning figures (``data/curated/cbp_budget_and_nii.csv``), each with
    its unit and source, with the curated rows as CSV."""
    view = nii.reset_index()[["metric", "fiscal_year", "value", "unit", "source_title", "source_kind"]]
    shown = view.rename(
        columns={
            "metric": "Figure",
            "fiscal_year": "FY",
            "value": "Value",
            "unit": "Unit",
            "source_title": "Source",
            "source_kind": "Kind",
        }
    )
    return markdown_table(
        shown,
        download=Download(
            "budget-cbp-nii",
            "CBP budget and non-intrusive inspection figures",
            "value in its unit (column unit)",
            "transcribed in data/curated/cbp_budget_and_nii.csv, a source on every row",
        ),
        data=view,
    )


# --- the rebalancing scenario page ---


def path_table(path: pd.DataFrame) -> pd.DataFrame:
    """A rebalancing path (``budget.rebalance``) as the page shows it: dollars in billions with two
    decimals, the demand share in percent."""
    shown = path.assign(
        **{column: path[column].map("{:,.2f}".format) for column in PATH_DOLLARS},
        demand_share=path["demand_share"].map("{:.1%}".format),
    )
    return shown.rename(columns={"year": "FY", "demand_share": "Demand share", **PATH_DOLLARS})


def path_markdown(path: pd.DataFrame, title: str, scenario: str) -> Markdown:
    """The scenario's path table (``path_table``), its unrounded rows as ``budget-path-table-<scenario>.csv``."""
    return markdown_table(
        path_table(path),
        download=Download(
            f"budget-path-table-{scenario}",
            title,
            "demand_share: fraction (0-1); every other column: USD billion",
            SCENARIO_SOURCE,
        ),
        data=path,
    )
