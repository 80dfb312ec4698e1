"""The budget chapter and its rebalancing scenario page, section by section: the glue keys their text reads
and their tables with their downloads.

Key families: ``budget.demand_share.fy<year>.<edition>`` (the most final demand share of each fiscal year
in each edition of ONDCP's tables, the edition's hyphens as underscores) and the scenario page's
``budget.rebalance.<measure>.<scenario>`` and ``budget.opening.vs_claimed_range.<scenario>`` (the scenario's
name ends the key, so that each page the notebook renders publishes its own); a section's own keys are
written out.
"""

from __future__ import annotations

import pandas as pd
from IPython.display import Markdown

from analysis.book.downloads import Download
from analysis.book.tables import markdown_table
from analysis.metrics import budget, claims, openings

BUDGET_SOURCE = (
    "ONDCP National Drug Control Budget summaries FY1997-FY2025, transcribed by this book with a source "
    "for every row (the data download)"
)
SCENARIO_SOURCE = (
    "the book's calculation from the scenario's parameters; starting values from ONDCP National Drug Control "
    "Budget summaries"
)
# How close a year's demand share must lie to the document's baseline (a fraction of the budget) for the year
# to count as the one the baseline describes: one percentage point, about the precision of the document's
# whole-percent figure and of ONDCP's rounded overviews.
BASELINE_TOLERANCE = 0.01
# Universal scanning: the document's cost is for five years; the chapter compares a year's share of it.
NII_YEARS = 5
# The scenario table's dollar columns and their headings.
PATH_DOLLARS = {
    "total": "Total ($B)",
    "demand": "Demand ($B)",
    "supply": "Supply ($B)",
    "demand_at_start_split": "Demand at start split ($B)",
    "extra_demand": "Extra ($B)",
    "cumulative_extra": "Cumulative extra ($B)",
}


def claim_numbers(register: pd.DataFrame) -> dict:
    """The document's split this chapter checks (the register's claimed values): its baseline and target
    demand shares (fractions) and the extra dollars it claims a year (USD billion)."""
    low, high = claims.claimed("budget_extra_7_10b", register)
    return {
        "budget.claim.start_demand_share": claims.claimed("budget_43_demand", register)[0],
        "budget.claim.target_demand_share": claims.claimed("doc003_roadmap_40_60", register)[0],
        "budget.claim.extra_low": low,
        "budget.claim.extra_high": high,
    }


def split_numbers(shares: pd.DataFrame) -> dict:
    """The split over time (``budget.demand_shares``): the most final demand share of every fiscal year in
    every edition (``budget.most_final``), and the latest fiscal year's share, the kind of its source (which the
    register reads, ``claims.SOURCE_KIND_SUFFIX``) and its budget type."""
    latest = budget.latest_share(shares)
    return {
        **{
            f"budget.demand_share.fy{row.fiscal_year}.{row.edition.replace('-', '_')}": row.demand_share
            for row in budget.most_final(shares).itertuples()
        },
        "budget.latest.fy": int(latest["fiscal_year"]),
        "budget.latest.demand_share": float(latest["demand_share"]),
        "budget.latest.demand_share.source_kind": str(latest["source_kind"]),
        "budget.latest.budget_type": str(latest["budget_type"]),
    }


def baseline_numbers(matches: pd.DataFrame, tolerance: float, shares: pd.DataFrame) -> dict:
    """Which year the document's baseline describes: the most recent year within ``tolerance`` of it
    (the first row of ``budget.baseline_matches``), its share, the tolerance (a fraction, and in words as
    percentage points: a share's difference is in points, not per cent), and how many of the later figures in
    ``shares`` lie above that share (``budget.later_higher``), in words."""
    best = matches.iloc[0]
    points = tolerance * 100
    higher, later = budget.later_higher(shares, int(best["fiscal_year"]), float(best["demand_share"]))
    return {
        "budget.baseline_match_fy": int(best["fiscal_year"]),
        "budget.baseline_match_share": float(best["demand_share"]),
        "budget.baseline_tolerance": tolerance,
        "budget.baseline_tolerance_words": f"{points:g} percentage point{'' if points == 1 else 's'}",
        "budget.baseline.later_figures": later,
        "budget.baseline.later_higher": higher,
        "budget.baseline.later_words": later_words(higher, later),
    }


def later_words(higher: int, later: int) -> str:
    """'is higher in every later figure' when all are, else 'is higher in 3 of the 4 later figures'."""
    if later == 0:
        return "has no later figure"
    return (
        "is higher in every later figure" if higher == later else f"is higher in {higher} of the {later} later figures"
    )


def nii_numbers(nii: pd.DataFrame, register: pd.DataFrame) -> dict:
    """Universal scanning at the ports: the document's five-year cost and the share of commercial vehicles
    it says are scanned, the yearly cost, the midpoint's share of CBP's budget (as found, and as the
    document gives it), and the shares of vehicles scanned in FY2023; the figures the register reads carry their
    row's source kind (``claims.SOURCE_KIND_SUFFIX``). ``nii``: the curated CBP budget and scanning figures,
    indexed by id."""
    cost_low, cost_high = claims.claimed("doc003_nii_cost_cbo", register)
    budget_claimed, _ = claims.claimed("budget_cbp_19_8b", register)
    budget_found = float(nii.loc["cbp_budget_fy2024_enacted", "value"])
    annual_cost = (cost_low + cost_high) / 2 / NII_YEARS
    return {
        "budget.claim.nii_cost_low": cost_low,
        "budget.claim.nii_cost_high": cost_high,
        "budget.claim.nii_commercial_share": claims.claimed("nii_2pct_commercial", register)[0],
        "budget.nii.annual_cost_low": cost_low / NII_YEARS,
        "budget.nii.annual_cost_high": cost_high / NII_YEARS,
        "budget.nii.share_of_cbp_budget": annual_cost / budget_found,
        "budget.nii.share_of_claimed_budget": annual_cost / budget_claimed,
        "budget.cbp.budget_found": budget_found,
        f"budget.cbp.budget_found{claims.SOURCE_KIND_SUFFIX}": nii.loc["cbp_budget_fy2024_enacted", "source_kind"],
        "budget.nii.cargo_share": float(nii.loc["nii_cargo_share_fy2023", "value"]) / 100,
        f"budget.nii.cargo_share{claims.SOURCE_KIND_SUFFIX}": nii.loc["nii_cargo_share_fy2023", "source_kind"],
        "budget.nii.passenger_share": float(nii.loc["nii_passenger_share_fy2023", "value"]) / 100,
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


def scenario_start(table: pd.DataFrame, start_demand_share, start_total_busd) -> tuple[float, float]:
    """A scenario's starting demand share and total (USD billion): the parameters' values, or ONDCP's latest
    published split and total where a parameter is "latest". ``table``: the curated budget table."""
    share = (
        float(budget.latest_share(budget.demand_shares(table))["demand_share"])
        if start_demand_share == "latest"
        else float(start_demand_share)
    )
    total = (
        float(budget.latest_total(table)["total_musd"]) / 1000
        if start_total_busd == "latest"
        else float(start_total_busd)
    )
    return share, total


def scenario_origins(table: pd.DataFrame, start_demand_share, start_total_busd) -> tuple[str, str]:
    """Where a scenario's starting share and total come from, in words: ONDCP's budget they were read from
    ("ONDCP's FY2023 request") where a parameter is "latest", else "the scenario's assumption". The latest
    split and the latest total can be of different years and budget types; the page says so."""

    def origin(row: pd.Series) -> str:
        return f"ONDCP's FY{int(row['fiscal_year'])} {row['budget_type']}"

    assumed = "the scenario's assumption"
    share = origin(budget.latest_share(budget.demand_shares(table))) if start_demand_share == "latest" else assumed
    total = origin(budget.latest_total(table)) if start_total_busd == "latest" else assumed
    return share, total


def scenario_numbers(
    path: pd.DataFrame,
    scenario: str,
    *,
    start_share: float,
    target_share: float,
    start_total: float,
    claimed: tuple,
    origins: tuple[str, str],
) -> dict:
    """What a scenario page states: its path's numbers (``budget.rebalance_numbers``), where its starting share
    and total come from (``scenario_origins``) and whether the extra dollars of its last year lie inside the
    document's ``claimed`` range (low, high)."""
    return {
        **budget.rebalance_numbers(path, scenario, start_share, target_share, start_total),
        f"budget.rebalance.share_from.{scenario}": origins[0],
        f"budget.rebalance.total_from.{scenario}": origins[1],
        **openings.scenario(scenario, float(path["extra_demand"].iloc[-1]), *claimed),
    }


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
