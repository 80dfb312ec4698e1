"""Federal drug-control budget: the demand/supply split by methodology edition, and rebalancing paths.

ONDCP restructured what counts as drug-control spending around FY2002 and again around FY2012,
and restated past years each time. A number from one edition is not comparable with another's,
so every series here keeps its edition, and joining two editions requires an explicit bridge.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.data import curated
from analysis.errors import DataError

EDITION_ORDER = (
    "pre-2002",
    "2003-restructure",
    "2009-summary",
    "pre-2012-excerpts",
    "2012-restructure",
    "as-published",
)
EDITION_LABELS = {
    "pre-2002": "Pre-2002 methodology (1997 Strategy, FY1999 Highlights)",
    "2003-restructure": "FY2004 Budget Summary (Feb 2003): post-2002 scope, restated to FY1995",
    "2009-summary": "FY2010 Budget Summary (May 2009)",
    "pre-2012-excerpts": "Pre-FY2012 summaries (excerpts)",
    "2012-restructure": "FY2016 Budget and Performance Summary (Nov 2015): post-FY2012 scope",
    "as-published": "Headline figures as published each year",
}
SCOPE_BREAKS = {
    2002: "ONDCP narrows the budget's scope (FY2003 budget)",
    2012: "ONDCP widens the scope again (FY2012 restructure)",
}
SHARE_AGREEMENT = 0.0015  # printed percentages are rounded to 0.1 point


def demand_shares(table: pd.DataFrame, source: str = "ondcp_budget_by_function") -> pd.DataFrame:
    """One demand share per (edition, fiscal year, budget type), from the printed or computed split.

    The share is the printed demand percentage when there is one, else demand / (demand + supply),
    else demand / total. Where a row allows more than one of these, they must agree; rows repeated
    from two tables of one document must agree too. Each share keeps the weakest source kind of the rows
    that give it (``curated.weakest_kind``).
    """
    unknown = sorted(set(table["edition"]) - set(EDITION_ORDER))
    if unknown:
        raise DataError(source, f"unknown edition {unknown[0]!r}", column="edition", expected=f"one of {EDITION_ORDER}")
    demand, supply, total = table["demand_reduction_musd"], table["supply_reduction_musd"], table["total_musd"]
    printed = (table["demand_pct"] / 100).round(6)  # printed to 0.1 point; avoid 0.5710000000000001
    from_split = demand / (demand + supply)
    from_total = demand / total
    computed = from_split.fillna(from_total)
    disagree = printed.notna() & computed.notna() & ((printed - computed).abs() > SHARE_AGREEMENT)
    if disagree.any():
        row = table.index[disagree][0]
        raise DataError(
            source,
            f"printed demand share {printed[row]:.3f} differs from the dollars' {computed[row]:.3f}",
            column="demand_pct",
            rows=[int(row) + 2],
        )
    shares = table.assign(
        demand_share=printed.fillna(computed),
        basis=np.where(
            printed.notna(),
            "printed",
            np.where(
                from_split.notna(), "demand / (demand + supply)", np.where(from_total.notna(), "demand / total", "")
            ),
        ),
    )
    shares = shares[shares["demand_share"].notna()]
    key = ["edition", "fiscal_year", "budget_type"]
    spread = shares.groupby(key)["demand_share"].agg(lambda s: s.max() - s.min())
    if (spread > SHARE_AGREEMENT).any():
        edition, year, kind = spread[spread > SHARE_AGREEMENT].index[0]
        raise DataError(
            source,
            f"two rows of edition {edition!r} give different demand shares for FY{year} {kind}",
            column="demand_reduction_musd",
        )
    shares = shares.assign(source_kind=shares.groupby(key)["source_kind"].transform(curated.weakest_kind))
    return shares.drop_duplicates(key)[
        key
        + [
            "demand_share",
            "basis",
            "demand_reduction_musd",
            "supply_reduction_musd",
            "total_musd",
            "source_title",
            "source_kind",
        ]
    ].sort_values(["fiscal_year", "edition"], ignore_index=True)


def load_demand_shares() -> pd.DataFrame:
    """Demand shares from the curated ONDCP table (data/curated/ondcp_budget_by_function.csv)."""
    return demand_shares(curated.load_curated("ondcp_budget_by_function"))


@dataclass(frozen=True)
class Bridge:
    """An explicit, documented link between two editions: rescale ``older`` to ``newer`` at ``overlap_year``."""

    older: str
    newer: str
    overlap_year: int
    budget_type: str
    reason: str


def splice(shares: pd.DataFrame, older: str, newer: str, *, bridge: Bridge | None = None) -> pd.DataFrame:
    """Join two editions into one series. Refused without a bridge that names both editions and a reason."""
    if bridge is None or (bridge.older, bridge.newer) != (older, newer) or not bridge.reason.strip():
        raise DataError(
            "budget editions",
            f"refusing to join edition {older!r} with {newer!r} without an explicit bridge",
            expected="a Bridge(older, newer, overlap_year, budget_type, reason) documenting why they can be joined",
        )
    at = shares[(shares["fiscal_year"] == bridge.overlap_year) & (shares["budget_type"] == bridge.budget_type)]
    both = at.set_index("edition")["demand_share"]
    if older not in both or newer not in both:
        raise DataError(
            "budget editions", f"both editions must report FY{bridge.overlap_year} {bridge.budget_type} to bridge them"
        )
    ratio = both[newer] / both[older]
    old_part = shares[(shares["edition"] == older) & (shares["fiscal_year"] < bridge.overlap_year)]
    new_part = shares[(shares["edition"] == newer) & (shares["fiscal_year"] >= bridge.overlap_year)]
    return pd.concat(
        [
            old_part.assign(demand_share=old_part["demand_share"] * ratio, edition=f"{older}->{newer}"),
            new_part.assign(edition=f"{older}->{newer}"),
        ],
        ignore_index=True,
    )


def baseline_matches(shares: pd.DataFrame, claimed_demand_share: float, tolerance: float) -> pd.DataFrame:
    """Rows whose demand share is within ``tolerance`` of the claimed share, most recent year first."""
    close = shares[(shares["demand_share"] - claimed_demand_share).abs() <= tolerance + 1e-12]
    return close.sort_values(["fiscal_year", "edition"], ascending=[False, True], ignore_index=True)


def later_higher(shares: pd.DataFrame, fiscal_year: int, share: float) -> tuple[int, int]:
    """How many figures (any edition, any budget type) of a fiscal year after ``fiscal_year`` have a demand share
    above ``share``, and how many there are: (higher, later). Whether the share kept rising is another question,
    which this does not answer."""
    later = shares.loc[shares["fiscal_year"] > fiscal_year, "demand_share"]
    return int((later > share).sum()), len(later)


def latest_share(shares: pd.DataFrame) -> pd.Series:
    """The most recent fiscal year's demand share (any edition, any budget type), as a row."""
    return shares.sort_values(["fiscal_year", "edition"]).iloc[-1]


def share_path(start: float, target: float, years: int, *, shape: str) -> np.ndarray:
    """Demand share for year 0..years: 'linear' steps evenly; 'front-loaded' moves fastest early.

    Front-loaded follows start + (target - start) * (1 - (1 - t/years)^2): half the distance is
    covered in the first ~29% of the years.
    """
    if years < 1:
        raise ValueError("years_to_target must be at least 1")
    progress = np.arange(years + 1) / years
    if shape == "linear":
        weights = progress
    elif shape == "front-loaded":
        weights = 1 - (1 - progress) ** 2
    else:
        raise ValueError(f"shape must be 'linear' or 'front-loaded', not {shape!r}")
    return start + (target - start) * weights


def rebalance(
    start_year: int,
    start_demand_share: float,
    target_demand_share: float,
    *,
    years_to_target: int,
    start_total: float,
    growth: float = 0.0,
    shape: str = "linear",
) -> pd.DataFrame:
    """Year-by-year demand and supply dollars along a rebalancing path.

    Returns one row per year from ``start_year`` to ``start_year + years_to_target``: total,
    demand share, demand and supply dollars, the demand dollars had the start split been held,
    the extra demand dollars that year, and their running total. Dollars are in the units of
    ``start_total``; the total grows by ``growth`` per year.
    """
    for name, share in (("start_demand_share", start_demand_share), ("target_demand_share", target_demand_share)):
        if not 0 <= share <= 1:
            raise ValueError(f"{name} must be a fraction between 0 and 1, not {share}")
    offsets = np.arange(years_to_target + 1)
    total = start_total * (1 + growth) ** offsets
    share = share_path(start_demand_share, target_demand_share, years_to_target, shape=shape)
    demand = total * share
    held = total * start_demand_share
    path = pd.DataFrame(
        {
            "year": start_year + offsets,
            "total": total,
            "demand_share": share,
            "demand": demand,
            "supply": total - demand,
            "demand_at_start_split": held,
            "extra_demand": demand - held,
        }
    )
    path["cumulative_extra"] = path["extra_demand"].cumsum()
    return path


def latest_total(table: pd.DataFrame) -> pd.Series:
    """The most recent fiscal year with a published total (as-published edition), as a row."""
    totals = table[table["total_musd"].notna() & (table["edition"] == "as-published")]
    return totals.sort_values("fiscal_year").iloc[-1]


def most_final(shares: pd.DataFrame) -> pd.DataFrame:
    """One row per (edition, fiscal year): actual/final before enacted before request."""
    rank = {"actual": 0, "final": 0, "enacted": 1, "annualized CR": 2, "request": 3}
    ordered = shares.assign(_rank=shares["budget_type"].map(rank).fillna(9))
    return (
        ordered.sort_values(["edition", "fiscal_year", "_rank"])
        .drop_duplicates(["edition", "fiscal_year"])
        .drop(columns="_rank")
        .reset_index(drop=True)
    )


def rebalance_numbers(
    path: pd.DataFrame, scenario: str, start_share: float, target_share: float, start_total: float
) -> dict:
    """budget.rebalance.<measure>.<scenario> : what one scenario page publishes from its path (``rebalance``):
    the extra demand dollars in the last year, their running total and yearly mean, and the scenario's
    start share, target share, start total, last year, number of years after the start, and the yearly
    growth of the total (read from the path). The scenario's name ends every key, so that the pages one
    notebook renders publish distinct keys."""
    final = path.iloc[-1]
    measures = {
        "years": len(path) - 1,
        "growth": float(path["total"].iloc[1] / path["total"].iloc[0] - 1) if len(path) > 1 else 0.0,
        "extra_per_year": float(final["extra_demand"]),
        "cumulative": float(final["cumulative_extra"]),
        "mean_extra_per_year": float(path["extra_demand"].iloc[1:].mean()),
        "start_share": float(start_share),
        "target_share": float(target_share),
        "start_total": float(start_total),
        "final_year": int(final["year"]),
    }
    return {f"budget.rebalance.{measure}.{scenario}": value for measure, value in measures.items()}
