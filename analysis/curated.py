"""Figures transcribed from documents (``data/curated/*.csv``), each row carrying its source.

A curated table is refused if any row lacks a source title, URL or date, or if a percentage is
outside 0-100: a number without a traceable source never reaches the book.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis import config
from analysis.errors import DataError

SOURCE_COLUMNS = ("source_title", "source_url", "source_date", "source_kind")
SOURCE_KINDS = ("primary", "secondary", "unsourced claim")


def load_curated(name: str, directory: Path | None = None) -> pd.DataFrame:
    """Read ``data/curated/<name>.csv`` and check every row's source and value."""
    path = (directory or config.CURATED_DIR) / f"{name}.csv"
    if not path.exists():
        raise DataError(path, "curated table not found")
    table = pd.read_csv(path, dtype={"value": float}, keep_default_na=False, na_values={"value": [""]})
    for column in SOURCE_COLUMNS + ("value", "unit"):
        if column not in table.columns:
            raise DataError(path, "required column missing", column=column)
    for column in SOURCE_COLUMNS:
        empty = table[column].astype(str).str.strip().eq("")
        if empty.any():
            raise DataError(path, "row without a source", column=column,
                            rows=[int(i) + 2 for i in table.index[empty][:5]],
                            expected="every row to name its source")
    unknown = ~table["source_kind"].isin(SOURCE_KINDS)
    if unknown.any():
        raise DataError(path, f"unknown source kind {table.loc[unknown, 'source_kind'].iloc[0]!r}",
                        column="source_kind", expected=f"one of {list(SOURCE_KINDS)}")
    percent = table["unit"].eq("percent") & ~table["value"].between(0, 100)
    if percent.any():
        raise DataError(path, "percentage outside 0-100", column="value",
                        rows=[int(i) + 2 for i in table.index[percent][:5]])
    return table


def curated_value(table: pd.DataFrame, figure_id: str) -> float:
    """The value of one row, by its ``id``."""
    match = table.loc[table["id"] == figure_id, "value"]
    if len(match) != 1:
        raise DataError("curated table", f"expected exactly one row with id {figure_id!r}, found {len(match)}")
    return float(match.iloc[0])
