"""Checks of claims whose data the book holds but no other chapter computes.

Each function is pure: it takes tidy rows or frames (read by the loaders in analysis/data/) and returns
the number a claim is judged on. The notebook chapters/checks.md calls them and publishes the
results under ``checks.*``.
"""

from __future__ import annotations

import pandas as pd

from analysis.data.ondcp import TABLE_43
from analysis.errors import DataError
from analysis.metrics import ports


def treatment_gap(table: pd.DataFrame) -> pd.DataFrame:
    """Per year (``ondcp.treatment_table``): the gap = share of those who needed treatment for an illicit
    drug problem who did not receive it at a specialty facility."""
    return table.assign(gap=1 - table["received"] / table["needed"])


def leading_cause(deaths: pd.DataFrame) -> tuple[int, str, float]:
    """(year, cause, deaths) for the latest year in which every listed cause is reported: the cause
    with the most deaths among those listed (not among all causes of death)."""
    complete = deaths.dropna()
    if complete.empty:
        raise DataError(TABLE_43, "no year with every cause reported")
    year = int(complete.index.max())
    cause = complete.loc[year].idxmax()
    return year, str(cause), float(complete.loc[year, cause])


def years_with_lower_average_month(annual: pd.DataFrame, month_value: float) -> list[int]:
    """Fiscal years whose average month (annual apprehensions / 12) is below ``month_value``.

    A year's lowest month is at most its average month, so each year listed had a month below
    ``month_value``; with nationwide annual totals, which include every sector, its Southwest
    border months were lower still. The list therefore shows months lower than a 'record low'.
    """
    for column in ("fiscal_year", "value"):
        if column not in annual.columns:
            raise DataError("annual apprehensions", "required column missing", column=column)
    lower = annual.loc[annual["value"] / 12 < month_value, "fiscal_year"]
    return [int(year) for year in lower]


def between_ports_share(frame: pd.DataFrame, drug: str, fiscal_years: list[int], *, measure: str) -> float:
    """Share of a drug's CBP seizures made by the Border Patrol between ports (USBP / (OFO + USBP)),
    nationwide, over the given fiscal years together, by pounds or by seizure events."""
    rows = frame[(frame["drug"] == drug) & frame["fy"].isin(fiscal_years)]
    if rows.empty:
        raise DataError("seizure frame", f"no {drug} seizures in FY{fiscal_years}", column="fy")
    share = ports.port_share(rows.assign(all_years=0), ["all_years"], measure)["ofo_share"].item()
    return 1 - float(share)


def decline_against_year_before(monthly: pd.DataFrame, year: int, first_month: int) -> tuple[float, int]:
    """(1 - total / total of the same months a year earlier, last month used), over months
    ``first_month`` to the latest month of ``year`` in the data. Comparing the same months of two
    years removes the seasonal pattern. ``monthly`` has columns month (a date) and encounters."""
    months = monthly[(monthly["month"].dt.year == year) & (monthly["month"].dt.month >= first_month)]
    if months.empty:
        raise DataError("monthly encounters", f"no months of {year} from month {first_month}", column="month")
    last = int(months["month"].dt.month.max())
    before = monthly[(monthly["month"].dt.year == year - 1) & monthly["month"].dt.month.between(first_month, last)]
    if len(before) != len(months):
        raise DataError("monthly encounters", f"months of {year - 1} missing for the comparison", column="month")
    return 1 - float(months["encounters"].sum()) / float(before["encounters"].sum()), last


def within(value: float, target: float, tolerance: float) -> bool:
    """Is ``value`` within ``tolerance`` of ``target`` (a part of a claim that holds or not)?"""
    return abs(value - target) <= tolerance + 1e-12


def record_low_numbers(monthly: pd.DataFrame, annual: pd.DataFrame, since: str) -> dict:
    """checks.record_low.*: the lowest Southwest Border Patrol month since monthly records begin,
    whether it falls on or after ``since`` (the policies the claim refers to), and the fiscal years
    since FY1925 whose average month (nationwide) was lower still."""
    lowest = monthly.sort_values(["encounters", "month"]).iloc[0]
    lower_years = years_with_lower_average_month(annual, float(lowest["encounters"]))
    return {
        "checks.record_low.month": f"{lowest['month']:%B %Y}",
        "checks.record_low.value": int(lowest["encounters"]),
        "checks.record_low.first_month": f"{monthly['month'].min():%B %Y}",
        "checks.record_low.since_fy2000.holds": bool(lowest["month"] >= pd.Timestamp(since)),
        "checks.record_low.since_fy1925.holds": not lower_years,
        "checks.record_low.lower_years": len(lower_years),
        "checks.record_low.lower_first": min(lower_years) if lower_years else 0,
        "checks.record_low.lower_last": max(lower_years) if lower_years else 0,
    }


def between_ports_numbers(frame: pd.DataFrame, drug: str = "Fentanyl") -> dict:
    """checks.fentanyl.between_ports_*: the Border Patrol's share of CBP fentanyl seizures (between
    ports, where migrants cross) in the latest full fiscal year, by events and by weight, and its
    change from the average of the earlier full years."""
    full_years = sorted(int(fy) for fy in frame.loc[~frame["partial_fy"], "fy"].unique())
    last, earlier = full_years[-1], full_years[:-1]
    numbers = {"checks.fentanyl.last_full_fy": last, "checks.fentanyl.first_fy": earlier[0]}
    for measure, name in (("events", "event_share"), ("pounds", "weight_share")):
        latest = between_ports_share(frame, drug, [last], measure=measure)
        before = sum(between_ports_share(frame, drug, [fy], measure=measure) for fy in earlier) / len(earlier)
        numbers[f"checks.fentanyl.between_ports_{name}.last_full"] = latest
        numbers[f"checks.fentanyl.between_ports_{name}.earlier_mean"] = before
        numbers[f"checks.fentanyl.between_ports_{name}.change"] = latest - before
    return numbers


def region_share(
    frame: pd.DataFrame, drug: str, region: str, *, fiscal_years: list[int], measure: str = "pounds"
) -> float:
    """Share of a drug's CBP seizures (ports and between ports together) made in one region, e.g. the
    Southwest border, over the given fiscal years, by pounds or by seizure events."""
    rows = frame[(frame["drug"] == drug) & frame["fy"].isin(fiscal_years)]
    total = float(rows[measure].sum())
    if total <= 0:
        raise DataError("seizure frame", f"no {drug} seizures in FY{fiscal_years}", column=measure)
    return float(rows.loc[rows["region"] == region, measure].sum()) / total


def co_occurrence_share(panel: pd.DataFrame, drugs: list[str]) -> float:
    """Share of sector-months in which the Border Patrol both encountered migrants and seized at
    least one of ``drugs`` (rows of ``sector_panel.sector_month_panel``: encounters, events_<drug>).

    A sector-month says the two happen in the same zone and month, not in the same encounter.
    Missing counts are refused, not read as zero.
    """
    columns = ["encounters"] + [f"events_{drug.lower()}" for drug in drugs]
    absent = [column for column in columns if column not in panel]
    if absent:
        raise DataError("panel", "column missing", column=absent[0])
    if panel.empty or panel[columns].isna().any().any():
        raise DataError("panel", "empty panel or missing counts", column=", ".join(columns))
    seized = panel[columns[1:]].sum(axis=1) > 0
    return float(((panel["encounters"] > 0) & seized).mean())


SIGNIFICANCE_DIRECTIONS = {"negative and significant": -1.0, "not significant": 0.0, "positive and significant": 1.0}


def strongest_direction(significance: pd.Series, source: str) -> float:
    """The most positive direction a study reports across its outcomes: -1, 0 or +1.

    A study "finds no increase" when no outcome is positive and significant, i.e. this is at most 0.
    Used for a study whose primary source (the abstract) states directions, not magnitudes.
    """
    unknown = sorted(set(significance) - set(SIGNIFICANCE_DIRECTIONS))
    if unknown or significance.empty:
        raise DataError(
            source, f"significance not one of {sorted(SIGNIFICANCE_DIRECTIONS)}: {unknown}", column="significance"
        )
    return max(SIGNIFICANCE_DIRECTIONS[text] for text in significance)


def component_share(sbo: pd.DataFrame, component: str) -> tuple[int, float]:
    """The latest full fiscal year in CBP's Southwest encounter file and ``component``'s share of its
    encounters ('USBP': between the ports; 'OFO': at them), by encounters."""
    full = sbo[~sbo["partial_fy"]]
    if full.empty:
        raise ValueError("no full fiscal year in the encounter file")
    year = int(full["fy"].max())
    totals = full[full["fy"] == year].groupby("component")["encounters"].sum()
    return year, float(totals.get(component, 0) / totals.sum())
