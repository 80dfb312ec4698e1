"""The claims register (data/claims.csv): each quantitative claim under review and how it is tested.

Chapters read the claimed values from here rather than typing them, so that a claim is written
once, quoted verbatim, and tested against one named metric.
"""
from __future__ import annotations

import pandas as pd

from analysis import config
from analysis.errors import DataError

CLAIMS_FILE = config.DATA_DIR / "claims.csv"
REQUIRED = ("id", "document", "quote", "unit", "about", "metric_key", "rule", "chapter")


def load_claims(path=CLAIMS_FILE) -> pd.DataFrame:
    """Read and validate the register: required fields, unique ids, numeric claimed ranges."""
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    for column in REQUIRED:
        if column not in table.columns:
            raise DataError(path, "required column missing", column=column)
        empty = table[column].str.strip().eq("")
        if empty.any():
            raise DataError(path, "empty field", column=column, rows=[int(i) + 2 for i in table.index[empty][:5]])
    if table["id"].duplicated().any():
        raise DataError(path, f"duplicate claim id {table.loc[table['id'].duplicated(), 'id'].iloc[0]!r}", column="id")
    for column in ("claimed_low", "claimed_high", "tolerance"):
        table[column] = pd.to_numeric(table[column].replace("", None), errors="raise")
    return table.set_index("id", drop=False)


def claimed(claim_id: str, table: pd.DataFrame | None = None) -> tuple[float, float]:
    """(low, high) claimed by one claim; equal for a point claim."""
    table = table if table is not None else load_claims()
    if claim_id not in table.index:
        raise DataError(CLAIMS_FILE, f"no claim with id {claim_id!r}", column="id")
    row = table.loc[claim_id]
    return float(row["claimed_low"]), float(row["claimed_high"])
