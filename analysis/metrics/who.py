"""Who is convicted, who is caught: citizenship figures from USSC, BJS and CBP records (curated)."""

from __future__ import annotations

import pandas as pd

from analysis.data import curated

POUNDS_PER_KG = 2.20462262185


def load_citizenship() -> pd.DataFrame:
    """The curated citizenship table (data/curated/who_citizenship.csv), indexed by figure id."""
    return curated.load_curated("who_citizenship").set_index("id", drop=False)


def share(table: pd.DataFrame, figure_id: str) -> float:
    """A percentage row as a fraction."""
    row = table.loc[figure_id]
    if row["unit"] != "percent":
        raise ValueError(f"{figure_id} is in {row['unit']}, not percent")
    return float(row["value"]) / 100


def ratio(table: pd.DataFrame, part_id: str, whole_id: str) -> float:
    """part / whole for two count rows (e.g. citizens among persons caught)."""
    part, whole = table.loc[part_id], table.loc[whole_id]
    if part["unit"] != "count" or whole["unit"] != "count":
        raise ValueError("ratio needs two count rows")
    return float(part["value"]) / float(whole["value"])


def kilograms_per_month(frame: pd.DataFrame, drug: str, fy: int) -> float:
    """Average kilograms of a drug seized per month by OFO and USBP together in a fiscal year."""
    rows = frame[(frame["drug"] == drug) & (frame["fy"] == fy)]
    months = rows["month"].nunique()
    if months == 0:
        raise ValueError(f"no {drug} seizures recorded in FY{fy}")
    return rows["pounds"].sum() / POUNDS_PER_KG / months
