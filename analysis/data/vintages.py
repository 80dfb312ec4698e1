"""Reissued datasets: every vintage in the catalog, combined month by month, newest first.

CBP and DHS reissue their monthly files: each new file repeats earlier months and adds new
ones, and may revise recent months. A chapter asks for a *dataset*; it gets every catalogued
vintage combined so that, for each month, the newest vintage holding that month supplies all of
that month's rows. Nothing is averaged or patched across vintages, and every row keeps the file
it came from. The cells a newer vintage revised are reported, never silently absorbed.

Each vintage frame has a ``month`` column (first day of the calendar month), a ``source_file``
column and the dataset's numeric value columns.

The revision pattern a new vintage must fit (``check_revisions``), and why:
- ``SETTLED_TOLERANCE``: months older than the revision window must not move. Between the mirrored
  seizure vintages (FY19-22 -> FY20-23 -> FY23-26 Dec) every shared month's totals are identical
  to floating-point noise (largest relative difference 2.2e-16); 1e-9 leaves room for that noise only.
- ``REVISION_WINDOW``: only the last 3 months an older vintage held may be revised. Comparing the
  December 2025 seizure vintage with CBP's next file, only its three most recent months changed
  (issue 15); the mirrored vintages, which overlap only in months long settled, revise nothing.
- ``RECENT_RISE_MAX`` and ``RECENT_FALL_MAX``: in that window CBP's revisions added late reports:
  events rose 15-19 % and pounds less than 1 %. A rise up to 25 % is accepted; a fall of more than
  1 % is not the pattern (a file cut off at a line boundary loses rows and shows up as a fall).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd

from analysis.errors import DataError

SETTLED_TOLERANCE = 1e-9
REVISION_WINDOW = 3
RECENT_RISE_MAX = 0.25
RECENT_FALL_MAX = 0.01
MONTH_ABBR = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                                           "nov", "dec"), 1)}


@dataclass(frozen=True)
class Reissued:
    """One dataset that its publisher reissues: how its files are named, read and compared.

    ``name_pattern`` is a regular expression over the file name whose named groups state the
    file's promise: ``first_fy`` and ``last_fy`` (two digits), and the last month as a
    three-letter ``month`` or a two-digit calendar ``month_number``; without a month the
    last fiscal year is promised complete. ``key`` identifies a cell (with ``month``),
    ``values`` are its numbers. ``header`` (CSV columns) or ``sheets`` (workbook sheets) let
    ``make add-data`` recognize a file. ``read_in`` lists code a chapter uses to read it.
    """
    dataset: str
    title: str
    folder: str
    name_pattern: str
    read: Callable[[Path], pd.DataFrame]
    key: tuple
    values: tuple
    header: tuple = ()
    sheets: tuple = ()
    read_in: tuple = field(default_factory=tuple)

    def matches(self, name: str) -> bool:
        return re.match(self.name_pattern, name) is not None


def promise(spec: Reissued, name: str) -> tuple[pd.Timestamp | None, pd.Timestamp]:
    """First and last month a file's name promises (the first is None when the name does not say)."""
    found = re.match(spec.name_pattern, name)
    if not found:
        raise DataError(name, f"file name does not follow {spec.dataset!r} naming", expected=spec.name_pattern)
    parts = found.groupdict()
    last_fy = 2000 + int(parts["last_fy"])
    if parts.get("month"):
        month = MONTH_ABBR[parts["month"]]
    elif parts.get("month_number"):
        month = int(parts["month_number"])
    else:
        month = 9
    last = pd.Timestamp(last_fy - (month >= 10), month, 1)
    first = pd.Timestamp(2000 + int(parts["first_fy"]) - 1, 10, 1) if parts.get("first_fy") else None
    return first, last


def missing_months(frame: pd.DataFrame, first: pd.Timestamp, last: pd.Timestamp) -> list[pd.Timestamp]:
    """Months from ``first`` to ``last`` that the frame holds no row of."""
    held = set(frame["month"])
    return [m for m in pd.date_range(first, last, freq="MS") if m not in held]


def combine(frames: list[pd.DataFrame], values: tuple, period: tuple = ("month",)) -> pd.DataFrame:
    """Stack vintages (oldest first); for each month keep only the newest vintage's rows.

    ``period`` names the columns identifying a month (``("fy", "month_abbr")`` works too).
    Reconciles: each month's totals in the result equal those of the vintage that supplied it,
    and every month held by any vintage is in the result.
    """
    if not frames:
        raise DataError("catalog", "no vintage files found", expected="at least one catalogued vintage")
    period = list(period)
    winner: dict[tuple, int] = {}
    for rank, frame in enumerate(frames):
        for month in frame[period].drop_duplicates().itertuples(index=False, name=None):
            winner[month] = rank
    kept = [frame[[winner[m] == rank for m in frame[period].itertuples(index=False, name=None)]]
            for rank, frame in enumerate(frames)]
    combined = pd.concat(kept, ignore_index=True)
    got = combined.groupby(period)[list(values)].sum()
    for rank, frame in enumerate(frames):
        expected = frame.groupby(period)[list(values)].sum()
        mine = [m for m in expected.index if winner[m if isinstance(m, tuple) else (m,)] == rank]
        if len(got.reindex(mine).dropna()) != len(mine) or \
                ((got.loc[mine] - expected.loc[mine]).abs() > 1e-6).any().any():
            raise DataError(frame["source_file"].iloc[0], "reconciliation failed: totals changed while combining")
    return combined


def month_totals(frame: pd.DataFrame, values: tuple) -> pd.DataFrame:
    """The value columns summed per month."""
    return frame.groupby("month")[list(values)].sum()


def revised_cells(frames: list[pd.DataFrame], key: tuple, values: tuple) -> pd.DataFrame:
    """Cells a newer vintage changed, old -> new, comparing each vintage with the next newer one.

    Only months both hold are compared; a cell present in only one of them counts as a
    revision from or to zero.
    """
    key, values = list(key), list(values)
    columns = key + [f"{v}_{age}" for v in values for age in ("old", "new")] + ["old_file", "new_file"]
    changes = []
    for older, newer in zip(frames, frames[1:]):
        shared = set(older["month"]) & set(newer["month"])
        old = older[older["month"].isin(shared)].groupby(key)[values].sum()
        new = newer[newer["month"].isin(shared)].groupby(key)[values].sum()
        both = old.merge(new, left_index=True, right_index=True, how="outer", suffixes=("_old", "_new")).fillna(0)
        moved = pd.Series(False, index=both.index)
        for value in values:
            moved |= (both[f"{value}_old"] - both[f"{value}_new"]).abs() > SETTLED_TOLERANCE * both[f"{value}_old"].abs().clip(lower=1)
        changes.append(both[moved].reset_index().assign(old_file=older["source_file"].iloc[0],
                                                        new_file=newer["source_file"].iloc[0]))
    changes = [c for c in changes if len(c)]
    return pd.concat(changes, ignore_index=True)[columns] if changes else pd.DataFrame(columns=columns)


def months_by_vintage(frames: list[pd.DataFrame], combined: pd.DataFrame) -> pd.DataFrame:
    """Which months each vintage holds, and how many of them the combined series takes from it."""
    used = combined.groupby("source_file")["month"].nunique()
    return pd.DataFrame([{"file": f["source_file"].iloc[0], "first_month": f["month"].min(),
                          "last_month": f["month"].max(), "months": f["month"].nunique(),
                          "months_used": int(used.get(f["source_file"].iloc[0], 0))} for f in frames])


def check_revisions(old: pd.DataFrame, new: pd.DataFrame, values: tuple) -> pd.DataFrame:
    """Months where ``new`` revises ``old`` beyond the pattern of CBP's own revisions (module docstring).

    ``old`` is the series the book holds (combined vintages), ``new`` the candidate vintage. Returns
    one row per month and value that breaks the pattern: month, value, old and new totals,
    relative change and the reason; an empty frame means the vintage fits.
    """
    old_totals, new_totals = month_totals(old, values), month_totals(new, values)
    last_old = old["month"].max()
    window_start = last_old - pd.DateOffset(months=REVISION_WINDOW - 1)
    rows = []
    for month in old_totals.index.intersection(new_totals.index):
        for value in values:
            before, after = float(old_totals.loc[month, value]), float(new_totals.loc[month, value])
            relative = (after - before) / before if before else (0.0 if after == before else float("inf"))
            if month < window_start:
                broken = abs(relative) > SETTLED_TOLERANCE
                reason = f"revises a settled month (before the last {REVISION_WINDOW} months of the older data)"
            else:
                broken = relative > RECENT_RISE_MAX or relative < -RECENT_FALL_MAX
                reason = (f"revises a recent month beyond +{RECENT_RISE_MAX:.0%} / -{RECENT_FALL_MAX:.0%}")
            if broken:
                rows.append({"month": month, "value": value, "old": before, "new": after,
                             "relative": relative, "reason": reason})
    return pd.DataFrame(rows, columns=["month", "value", "old", "new", "relative", "reason"])


def partial_fiscal_years(frame: pd.DataFrame) -> pd.Series:
    """Per row: whether its fiscal year has fewer than 12 months in the frame."""
    months = frame.groupby("fy")["month"].nunique()
    return frame["fy"].map(months < 12).astype(bool)
