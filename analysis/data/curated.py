"""Figures transcribed from documents (``data/curated/*.csv``), each row carrying its source.

A curated table is refused if any row lacks a source title, URL or date, or if a percentage is
outside 0-100: a number without a traceable source never reaches the book.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd

from analysis import config
from analysis.errors import DataError

SOURCE_COLUMNS = ("source_title", "source_url", "source_date", "source_kind")
SOURCE_KINDS = ("primary", "secondary", "unsourced claim")
# When a row's source is primary: one definition for every row of every curated file, which the claims register
# prints (chapters/claims.md) and ``load_curated`` enforces for copies (``COPY_HOSTS``).
SOURCE_KIND_DEFINITION = (
    "A figure is primary when it was read where the organisation that produced it published it (the agency that "
    "counted or decided it, the authors' journal or institute), in an archive of that site, or, for a U.S. "
    "federal document, on any official U.S. government site. Everything else is secondary: a news report, blog "
    "or forum post; another organisation's quotation, summary or tabulation of the figure; and a copy of the "
    "document on a site that did not publish it (a document-sharing site such as Scribd, docslib or fdocuments, "
    "a mirror such as EveryCRSReport, a third party's repository), however complete, because the book cannot "
    "tell that a copy is unaltered. The five documents under review are quoted from the project's own copies."
)
# Sites that host copies of other publishers' documents: a row read there and marked primary is refused.
COPY_HOSTS = (
    "scribd.com",
    "docslib.org",
    "fdocuments.",
    "vdocument",
    "everycrsreport.com",
    "github.com",
    "slideshare.net",
    "policycommons.net",
)


def load_curated(name: str, directory: Path | None = None) -> pd.DataFrame:
    """Read ``data/curated/<name>.csv`` and check every row's source and value.

    Long tables carry ``value`` and ``unit`` columns; wide ones carry numeric columns, of which
    those ending in ``_pct`` must lie in 0-100. Blank cells are missing values, never zero.
    """
    path = (directory or config.CURATED_DIR) / f"{name}.csv"
    if not path.exists():
        raise DataError(path, "curated table not found")
    config.record_read("file", path)
    table = pd.read_csv(path, keep_default_na=False, na_values=[""], dtype=str)
    for column in SOURCE_COLUMNS:
        if column not in table.columns:
            raise DataError(path, "required column missing", column=column)
        empty = table[column].isna() | table[column].str.strip().eq("")
        if empty.any():
            raise DataError(
                path,
                "row without a source",
                column=column,
                rows=[int(i) + 2 for i in table.index[empty][:5]],
                expected="every row to name its source",
            )
    unknown = ~table["source_kind"].isin(SOURCE_KINDS)
    if unknown.any():
        raise DataError(
            path,
            f"unknown source kind {table.loc[unknown, 'source_kind'].iloc[0]!r}",
            column="source_kind",
            expected=f"one of {list(SOURCE_KINDS)}",
        )
    copies = table["source_kind"].eq("primary") & table["source_url"].map(is_copy_host)
    if copies.any():
        raise DataError(
            path,
            "a copy marked primary: the address is a site that hosts copies of other publishers' documents",
            column="source_kind",
            rows=[int(i) + 2 for i in table.index[copies][:5]],
            expected="'secondary' for a copy (analysis.data.curated.COPY_HOSTS)",
        )
    numeric = [c for c in table.columns if c == "value" or c.endswith(("_pct", "_musd")) or c == "fiscal_year"]
    for column in numeric:
        converted = pd.to_numeric(table[column], errors="coerce")
        bad = converted.isna() & table[column].notna()
        if bad.any():
            raise DataError(
                path,
                f"not a number: {table.loc[bad, column].iloc[0]!r}",
                column=column,
                rows=[int(i) + 2 for i in table.index[bad][:5]],
            )
        table[column] = converted
    percent_columns = [c for c in table.columns if c.endswith("_pct")]
    if "unit" in table.columns and "value" in table.columns:
        table["_percent_value"] = table["value"].where(table["unit"].eq("percent"))
        percent_columns.append("_percent_value")
    for column in percent_columns:
        outside = table[column].notna() & ~table[column].between(0, 100)
        if outside.any():
            raise DataError(
                path,
                "percentage outside 0-100",
                column=column.replace("_percent_value", "value"),
                rows=[int(i) + 2 for i in table.index[outside][:5]],
            )
    return table.drop(columns="_percent_value", errors="ignore")


def is_copy_host(url: str) -> bool:
    """Is ``url`` on a site that hosts copies of other publishers' documents (``COPY_HOSTS``)?"""
    host = urlsplit(str(url)).netloc.lower()
    return any(name in host for name in COPY_HOSTS)


def curated_value(table: pd.DataFrame, figure_id: str) -> float:
    """The value of one row, by its ``id``."""
    match = table.loc[table["id"] == figure_id, "value"]
    if len(match) != 1:
        raise DataError("curated table", f"expected exactly one row with id {figure_id!r}, found {len(match)}")
    return float(match.iloc[0])


def weakest_kind(kinds) -> str:
    """The weakest of some rows' source kinds (``SOURCE_KINDS``, strongest first): a number combining a primary
    and a secondary row is only as strong as the secondary one."""
    kinds = list(kinds)
    unknown = sorted(set(kinds) - set(SOURCE_KINDS))
    if not kinds or unknown:
        raise ValueError(f"source kinds {unknown or kinds!r}: expected one or more of {list(SOURCE_KINDS)}")
    return max(kinds, key=SOURCE_KINDS.index)
