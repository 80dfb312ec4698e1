"""Reissued datasets: every vintage in the catalog, combined month by month, and the revision policy.

CBP and DHS reissue their monthly files: each new file repeats earlier months, adds new ones and
may revise the months of the open fiscal year. A loader declares its dataset's reissue spec
(``Reissued``: how files are named, read and compared); ``load(spec)`` reads every catalogued
vintage of it and combines them so that, for each month, the newest vintage holding that month
supplies all of that month's rows. Nothing is averaged or patched across vintages, every row
keeps the file it came from, and every cell a newer vintage revised is listed (``Combined``).

The revision policy (``review``, used by ``make add-data``) was measured on CBP's own files: the
nine past vintages in ``../shared/data/vintages`` and the five CBP CSV files of the raw mirror,
each compared cell by cell with the next newer vintage of its dataset
(``tests/test_revision_pattern.py`` reproduces every figure below from the files).

- Nationwide encounters by state (7 vintages: FY20-23 ... FY23-26 Nov). Closed fiscal years:
  identical in all 6 pairs. Open year FY2024: the Jan file revised 1 month, May 4, the final file 8
  (102, 238, 430 cells); month totals moved -0.050 % to +0.001 %.
- Southwest encounters by component (3: FY19-22, FY22-25 Nov, Aug). Closed years identical in both
  pairs. Open year FY2025: the Aug file revised Oct and Nov 2024 (22 cells): -0.013 %, -0.004 %.
- Nationwide drug seizures (4: FY19-22, FY20-23, FY21-24, FY23-26 Dec). Closed years identical in
  all 3 pairs (events exactly; pounds to 1e-11); no pair shares a month of an open year.

In-year revisions are small and mostly downward (591 of the 792 revised cells fell; a cell moved
by at most 24 encounters); the largest fall of a month's total was 0.050 % (October 2023, nationwide
encounters, January 2024 file); for one region or component, -0.26 % to +0.73 %. Not seen in these
files: a newest month revised upward by late reports, or seizure events rising by double-digit
percent (no two seizure vintages share a month of an open year). Every file starts in the fiscal
year its name says. Hence the rules:

1. A closed fiscal year must match exactly, cell by cell (``CLOSED_TOLERANCE`` is floating-point
   noise only). A fiscal year is closed in a vintage that holds all 12 of its months and does not
   label it FYTD. ``make add-data`` refuses a change with a table of the cells, unless
   ``ACCEPT_REVISIONS=1``, which records them in the catalog entry.
2. Any revision inside the open fiscal year is accepted and listed (chapters and appendix).
3. Truncation is refused, always: a month the file name promises that is missing; a month that
   lacks one of the dataset's ``coverage`` categories (component, region) the file holds in its
   other months, or that the book holds for that month (every real file holds every coverage
   category in every month); a month whose total falls by more than ``FALL_LIMIT`` from the book's
   vintage. ``FALL_LIMIT`` is 0.5 %, ten times the largest fall CBP made (0.050 %): cutting a real
   file at a line boundary inside a month makes that month fall by more than 0.5 % at 97 to 99.5 %
   of the possible cut points (measured on all 14 files; the median fall is 18 to 92 %); the rest
   cut only the month's last, smallest rows.
   The fall cannot protect a month the book does not hold yet, and CBP writes a fiscal year's
   months in alphabetical order, so a cut often lands in a new month (October 2025 is the last
   block of the November 2025 file). Hence ``cut_short``: CBP writes each month as one block of
   rows sorted by the cell key, so a file cut at a line boundary ends with a block that stops
   early in that order. The file's last block must reach at least the point where the earliest
   of its other months ends. Measured on the 14 real files (``tests/data/test_revision_pattern.py``):
   13 are written one block per month, each block sorted by the cell key, and the last block of
   each passes (the 14th, sbo-encounters-fy19-fy22, mixes months, so the rule does not apply to
   it). Where every month of a file ends with the same cell (the two newest state files, both
   newer Southwest files), every cut inside the last block is refused: all 853 line boundaries of
   October 2025 in the November 2025 file. Where months end at 3 to 7 different cells, 1 to 5 of
   the last block's 190 to 1,041 line boundaries pass; each removes at most 0.21 % of the month's
   encounters, 0.17 % of its seizure events (less than ``FALL_LIMIT``: a held month would pass too).
4. A file older than the newest one held is accepted: it fills the months no newer file holds,
   newer files win everywhere else (that is not a revision by the older file), and its closed
   years must match the next newer file exactly.

Labels: CBP renamed two categories between vintages (``analysis.data.encounters.RELABELLED``);
the older names are read as the newer ones, whose totals are identical (measured).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.data import catalog
from analysis.data.calendar import fiscal_year
from analysis.errors import DataError

CLOSED_TOLERANCE = 1e-9
FALL_LIMIT = 0.005
# A file name's optional last month, as CBP writes it: 'nationwide-drugs-fy23-fy26-dec.csv'.
MONTH_SUFFIX = r"(-(?P<month>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))?"
MONTH_ABBR = {
    m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)
}


@dataclass(frozen=True)
class Reissued:
    """One dataset that its publisher reissues: how its files are named, read and compared.

    ``name_pattern`` is a regular expression over the file name whose named groups state the
    file's promise: ``first_fy`` and ``last_fy`` (two digits), and the last month as a
    three-letter ``month`` or a two-digit calendar ``month_number``; without a month the
    last fiscal year is promised complete. ``read`` returns one row per cell with ``fy``,
    ``month`` and, where the publisher labels the open year, a boolean ``fytd``. ``key`` identifies
    a cell (with ``month``), ``values`` are its numbers, ``coverage`` the categories every month
    holds. ``header`` (CSV columns) or ``sheets`` (workbook sheets) let ``make add-data`` recognize
    a file; ``read_in`` is the code by which a chapter asks for the dataset.
    """

    dataset: str
    title: str
    folder: str
    name_pattern: str
    read: Callable[[Path], pd.DataFrame]
    key: tuple
    values: tuple
    coverage: tuple
    header: tuple = ()
    sheets: tuple = ()
    read_in: tuple = field(default_factory=tuple)

    def matches(self, name: str) -> bool:
        return re.match(self.name_pattern, name) is not None

    def cells(self) -> list[str]:
        """The key columns other than the month."""
        return [column for column in self.key if column != "month"]


# ---- reading and combining ----


def entries(spec: Reissued, catalog_entries: list[dict] | None = None) -> list[dict]:
    """Catalog entries of a reissued dataset, oldest vintage first (each must state its vintage)."""
    found = [e for e in catalog.entries_for(spec.dataset, catalog_entries) if spec.matches(Path(e["file"]).name)]
    undated = [e["id"] for e in found if not e.get("vintage")]
    if undated:
        raise DataError(
            "data/catalog.yml",
            f"entry {undated[0]!r} has no vintage",
            expected="vintage: YYYY-MM, the last month the file covers",
        )
    if not found:
        raise DataError("data/catalog.yml", f"no entry of dataset {spec.dataset!r}")
    return sorted(found, key=lambda e: e["vintage"])


def read_vintage(spec: Reissued, path: Path) -> pd.DataFrame:
    """One vintage file read by its dataset's reader, each row labelled with the file name."""
    frame = spec.read(path).assign(source_file=path.name)
    return frame if "fytd" in frame else frame.assign(fytd=False)


def combine(frames: list[pd.DataFrame], values: tuple) -> pd.DataFrame:
    """Stack vintages (oldest first); for each month keep only the newest vintage's rows.

    Reconciles: each month's totals in the result equal those of the vintage that supplied it.
    """
    if not frames:
        raise DataError("catalog", "no vintage files found", expected="at least one catalogued vintage")
    winner = {month: rank for rank, frame in enumerate(frames) for month in frame["month"].unique()}
    kept = [frame[frame["month"].map(winner) == rank] for rank, frame in enumerate(frames)]
    combined = pd.concat(kept, ignore_index=True)
    got = month_totals(combined, values)
    for rank, frame in enumerate(frames):
        mine = [m for m, r in winner.items() if r == rank]
        expected = month_totals(frame, values).loc[mine]
        if not got.loc[mine].sub(expected).abs().le(1e-6).all().all():
            raise DataError(frame["source_file"].iloc[0], "reconciliation failed: totals changed while combining")
    return combined


def months(frame: pd.DataFrame) -> set[pd.Timestamp]:
    """The months a frame holds (from its distinct values: iterating tens of thousands of rows as
    timestamps is slow)."""
    return set(frame["month"].unique())


def month_totals(frame: pd.DataFrame, values: tuple, by: tuple = ()) -> pd.DataFrame:
    """The value columns summed per month (and per ``by`` columns)."""
    return frame.groupby(["month", *by])[list(values)].sum()


def partial_fiscal_years(frame: pd.DataFrame) -> pd.Series:
    """Per row: whether its fiscal year is partial, with fewer than 12 months or labelled FYTD."""
    years = frame.groupby("fy").agg(months=("month", "nunique"), fytd=("fytd", "any"))
    return frame["fy"].map((years["months"] < 12) | years["fytd"]).astype(bool)


def mark_partial(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with ``partial_fy`` (``partial_fiscal_years``)."""
    return frame.assign(partial_fy=partial_fiscal_years(frame))


def closed_fiscal_years(frame: pd.DataFrame) -> set[int]:
    """Fiscal years a vintage publishes as closed: all 12 months held, none labelled FYTD."""
    years = frame.groupby("fy").agg(months=("month", "nunique"), fytd=("fytd", "any"))
    return {int(fy) for fy, row in years.iterrows() if row["months"] == 12 and not row["fytd"]}


# ---- comparing two vintages ----


def cell_changes(older: pd.DataFrame, newer: pd.DataFrame, spec: Reissued) -> pd.DataFrame:
    """Cells of the months both vintages hold whose value differs, one row per cell and measure.

    A cell missing from one vintage counts as zero there (CBP omits empty cells). ``closed`` says
    whether the older vintage had published the cell's fiscal year as closed.
    """
    columns = ["month", "fy", *spec.cells(), "measure", "old", "new", "old_file", "new_file", "closed"]
    shared = months(older) & months(newer)
    if not shared:
        return pd.DataFrame(columns=columns)
    key = ["month", *spec.cells()]
    old = older[older["month"].isin(shared)].groupby(key)[list(spec.values)].sum()
    new = newer[newer["month"].isin(shared)].groupby(key)[list(spec.values)].sum()
    both = old.merge(new, left_index=True, right_index=True, how="outer", suffixes=("_old", "_new")).fillna(0.0)
    closed = closed_fiscal_years(older)
    parts = []
    for measure in spec.values:
        pair = both[[f"{measure}_old", f"{measure}_new"]].set_axis(["old", "new"], axis=1)
        moved = (pair["new"] - pair["old"]).abs() > CLOSED_TOLERANCE * pair["old"].abs().clip(lower=1)
        parts.append(pair[moved].reset_index().assign(measure=measure))
    changed = pd.concat(parts, ignore_index=True)
    changed["fy"] = fiscal_year(changed["month"])
    changed = changed.assign(
        old_file=older["source_file"].iloc[0], new_file=newer["source_file"].iloc[0], closed=changed["fy"].isin(closed)
    )
    return changed[columns].sort_values(["month", *spec.cells(), "measure"], ignore_index=True)


def month_changes(older: pd.DataFrame, newer: pd.DataFrame, spec: Reissued) -> pd.DataFrame:
    """Per month both hold, coverage category and measure: the totals in each vintage and the change,
    and whether the older vintage had published the month's fiscal year as closed."""
    columns = ["month", "fy", "group", "measure", "old", "new", "change", "relative", "new_file", "closed"]
    shared = months(older) & months(newer)
    if not shared:
        return pd.DataFrame(columns=columns)
    group = spec.coverage[0]
    old = month_totals(older[older["month"].isin(shared)], spec.values, (group,))
    new = month_totals(newer[newer["month"].isin(shared)], spec.values, (group,))
    both = old.merge(new, left_index=True, right_index=True, how="outer", suffixes=("_old", "_new")).fillna(0.0)
    rows = [
        both[[f"{m}_old", f"{m}_new"]].set_axis(["old", "new"], axis=1).reset_index().assign(measure=m)
        for m in spec.values
    ]
    table = pd.concat(rows, ignore_index=True).rename(columns={group: "group"})
    table["change"] = table["new"] - table["old"]
    table["relative"] = table["change"] / table["old"].where(table["old"] != 0)
    table = table[table["change"].abs() > CLOSED_TOLERANCE * table["old"].abs().clip(lower=1)]
    table = table.assign(fy=fiscal_year(table["month"]), new_file=newer["source_file"].iloc[0])
    return table.assign(closed=table["fy"].isin(closed_fiscal_years(older)))[columns]


def consecutive(frames: list[pd.DataFrame], compare: Callable) -> pd.DataFrame:
    """``compare(older, newer)`` for each vintage and the next newer one, stacked."""
    parts = [compare(older, newer) for older, newer in zip(frames, frames[1:], strict=False)]
    parts = [part for part in parts if len(part)]
    return pd.concat(parts, ignore_index=True) if parts else compare(frames[0], frames[0].iloc[0:0])


# ---- the policy: what a new vintage may do ----


def missing_months(frame: pd.DataFrame, first: pd.Timestamp, last: pd.Timestamp) -> list[pd.Timestamp]:
    """Months from ``first`` to ``last`` that the frame holds no row of."""
    held = months(frame)
    return [m for m in pd.date_range(first, last, freq="MS") if m not in held]


def promise(spec: Reissued, name: str) -> tuple[pd.Timestamp | None, pd.Timestamp]:
    """First and last month a file's name promises (the first is None when the name does not say)."""
    found = re.match(spec.name_pattern, name)
    if not found:
        raise DataError(name, f"file name does not follow {spec.dataset!r} naming", expected=name_template(spec))
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


# How a file-name pattern's groups read in words (``name_template``) and how a file's months fill them
# (``suggested_name``): first and last fiscal year as two digits, the last month as CBP or DHS write it.
NAME_WORDS = {
    "first_fy": "<first fiscal year, 2 digits>",
    "last_fy": "<last fiscal year, 2 digits>",
    "month_number": "<last month, 2 digits>",
}


def _fill(pattern: str, fills: dict[str, str]) -> str:
    """The pattern with each named group, and the optional month suffix, replaced; anchors and escapes removed."""
    text = pattern.replace(MONTH_SUFFIX, fills["suffix"])
    for group, value in fills.items():
        text = re.sub(rf"\(\?P<{group}>[^)]*\)", lambda _, value=value: value, text)
    return re.sub(r"\\(.)", r"\1", text.strip("^$"))


def name_template(spec: Reissued) -> str:
    """The file name a dataset's files must have, in words: 'nationwide-drugs-fy<first fiscal year,
    2 digits>-fy<last fiscal year, 2 digits>[-<last month: jan ... dec>].csv'."""
    return _fill(spec.name_pattern, {**NAME_WORDS, "suffix": "[-<last month: jan ... dec, unless sep>]"})


def suggested_name(spec: Reissued, frame: pd.DataFrame) -> str | None:
    """The name a file holding ``frame``'s months should have under ``spec``'s naming, or None when the
    pattern cannot say it (checked: the suggestion must match and promise the frame's last month)."""
    first, last = frame["month"].min(), frame["month"].max()
    abbr = [name for name, number in MONTH_ABBR.items() if number == last.month][0]
    fills = {
        "first_fy": f"{int(fiscal_year(pd.Series([first])).iloc[0]) % 100:02d}",
        "last_fy": f"{int(fiscal_year(pd.Series([last])).iloc[0]) % 100:02d}",
        "month_number": f"{last.month:02d}",
        "suffix": "" if last.month == 9 else f"-{abbr}",
    }
    name = _fill(spec.name_pattern, fills)
    return name if spec.matches(name) and promise(spec, name)[1] == last else None


def categories_lacking(frame: pd.DataFrame, spec: Reissued, expected: pd.DataFrame | None = None) -> pd.DataFrame:
    """(month, category) pairs a vintage lacks: a ``coverage`` category it holds in its other months,
    or one that ``expected`` (the vintage it follows) reports, non-zero, in a month both hold."""
    coverage = list(spec.coverage)
    present = frame[["month", *coverage]].drop_duplicates()
    wanted = present[["month"]].drop_duplicates().merge(present[coverage].drop_duplicates(), how="cross")
    if expected is not None:
        held = month_totals(expected[expected["month"].isin(present["month"])], spec.values, tuple(coverage))
        reported = held[held.sum(axis=1) > 0].reset_index()[["month", *coverage]]
        wanted = pd.concat([wanted, reported], ignore_index=True).drop_duplicates()
    lacking = wanted.merge(present, how="left", indicator=True)
    return lacking[lacking["_merge"] == "left_only"][["month", *coverage]].sort_values(
        ["month", *coverage], ignore_index=True
    )


def falls(older: pd.DataFrame, newer: pd.DataFrame, values: tuple) -> pd.DataFrame:
    """Months both hold whose total of a measure falls by more than ``FALL_LIMIT`` in ``newer``."""
    shared = months(older) & months(newer)
    old = month_totals(older[older["month"].isin(shared)], values)
    new = month_totals(newer[newer["month"].isin(shared)], values)
    rows = [
        {
            "month": month,
            "measure": measure,
            "old": float(old.loc[month, measure]),
            "new": float(new.loc[month, measure]),
        }
        for month in sorted(shared)
        for measure in values
    ]
    table = pd.DataFrame(rows, columns=["month", "measure", "old", "new"])
    table["relative"] = (table["new"] - table["old"]) / table["old"].where(table["old"] != 0)
    return table[table["relative"] < -FALL_LIMIT].reset_index(drop=True)


@dataclass(frozen=True)
class CutShort:
    """The file's last block of rows (one month, in file order) when it ends before every other
    month of the file does (``cut_short``): its file lines, the key of its last row, the earliest
    key at which another month ends, and what a neighbouring month of the file holds after its
    last row (rows and totals per first two key columns: what it lacks)."""

    month: pd.Timestamp
    lines: tuple
    ends_at: tuple
    others_end: tuple
    neighbour: pd.Timestamp
    lacking: pd.DataFrame


def key_order(frame: pd.DataFrame, columns: list[str]) -> np.ndarray:
    """Each row's place in the order of its cell key (the tuple of ``columns``, as text): equal keys
    get equal places. Integer codes per column and one sort keep this fast on a whole file."""
    codes = [pd.factorize(frame[c].astype(str), sort=True)[0] for c in columns]
    order = np.lexsort(codes[::-1])
    new_key = np.zeros(len(order), dtype=bool)
    for code in codes:
        new_key[1:] |= code[order][1:] != code[order][:-1]
    place = np.empty(len(order), dtype=np.int64)
    place[order] = np.cumsum(new_key)
    return place


def cut_short(frame: pd.DataFrame, spec: Reissued) -> CutShort | None:
    """The file's last block, if a cut at a line boundary seems to have removed its last rows.

    For a file written as one block of rows per month (CBP's are, but for one old Southwest file;
    module docstring): the last block in file order must reach, in the order of the cell key, the
    earliest point at which another month of the file ends. ``frame`` is in file order, one row
    per data line (the readers keep both). None when the file passes or is not grouped by month.
    """
    rows = frame.reset_index(drop=True)
    month = rows["month"].to_numpy()
    starts = np.flatnonzero(np.r_[True, month[1:] != month[:-1]])
    held = np.unique(month)
    if len(starts) < 2 or len(starts) != len(held):
        return None
    cells = spec.cells()
    place = key_order(rows, cells)
    ends = np.maximum.reduceat(place, starts)
    if ends[-1] >= ends[:-1].min():
        return None
    suspect = pd.Timestamp(month[-1])
    others = [pd.Timestamp(m) for m in held if m != month[-1]]
    before = suspect - pd.DateOffset(months=1)
    neighbour = before if before in others else min(others, key=lambda m: abs(m - suspect))
    after = rows[(month == neighbour) & (place > ends[-1])]
    return CutShort(
        month=suspect,
        lines=(int(starts[-1]) + 2, len(rows) + 1),  # file lines; the header is line 1
        ends_at=tuple(rows[cells].iloc[-1]),
        others_end=tuple(rows[cells].iloc[int(np.flatnonzero(place == ends[:-1].min())[0])]),
        neighbour=neighbour,
        lacking=after.groupby(cells[:2])[list(spec.values)].agg(["size", "sum"]),
    )


@dataclass
class Review:
    """What a candidate vintage would do to the book's data of its dataset (``review``): the months
    its name promises (``first``, ``last``) and those it holds, then each finding of the policy."""

    first: pd.Timestamp
    last: pd.Timestamp
    holds: tuple
    missing: list
    beyond: list
    lacking: pd.DataFrame
    fallen: pd.DataFrame
    cut: CutShort | None
    closed_changes: pd.DataFrame
    revisions: pd.DataFrame
    newer_held: list
    fills: list

    @property
    def truncated(self) -> bool:
        return bool(self.missing or self.beyond or len(self.lacking) or len(self.fallen) or self.cut)


def review(spec: Reissued, name: str, candidate: pd.DataFrame, held: list[pd.DataFrame]) -> Review:
    """Apply the policy (module docstring) to a candidate vintage against the vintages held, oldest first.

    The candidate takes its place by its last month: the vintage held just before it is the one it
    may revise; a vintage held after it (the candidate is a late-arriving older file) wins where
    both report, and must agree with it on every closed fiscal year.
    """
    first, last = promise(spec, name)
    first = first if first is not None else candidate["month"].min()
    before = [frame for frame in held if frame["month"].max() <= last]
    after = [frame for frame in held if frame["month"].max() > last]
    previous = before[-1] if before else candidate.iloc[0:0]
    changes = cell_changes(previous, candidate, spec)
    if after:  # an older file: against the newer file that wins; a cell both comparisons flag is listed once
        later = cell_changes(candidate, after[0], spec)
        changes = pd.concat([later[later["closed"]], changes], ignore_index=True).drop_duplicates(
            ["month", *spec.cells(), "measure"]
        )
    closed = changes["closed"].astype(bool)
    return Review(
        first=first,
        last=last,
        holds=(candidate["month"].min(), candidate["month"].max()),
        missing=missing_months(candidate, first, last),
        beyond=sorted(set(candidate.loc[candidate["month"] > last, "month"])),
        lacking=categories_lacking(candidate, spec, previous if before else None),
        fallen=falls(previous, candidate, spec.values),
        cut=cut_short(candidate, spec),
        closed_changes=changes[closed].reset_index(drop=True),
        revisions=changes[~closed].reset_index(drop=True),
        newer_held=[frame["source_file"].iloc[0] for frame in after],
        fills=sorted(months(candidate) - {m for frame in after for m in months(frame)}),
    )


# ---- what the chapters show ----


@dataclass
class Combined:
    """A dataset's vintages combined: rows, the vintages themselves, what each supplied and revised."""

    spec: Reissued
    entries: list
    frames: list
    rows: pd.DataFrame

    @cached_property
    def revisions(self) -> pd.DataFrame:
        """Every cell a vintage changed against the next older one (one row per cell and measure)."""
        return consecutive(self.frames, lambda older, newer: cell_changes(older, newer, self.spec))

    @cached_property
    def revised_months(self) -> pd.DataFrame:
        """Per revised month, coverage category (component or region) and measure: old and new totals."""
        return consecutive(self.frames, lambda older, newer: month_changes(older, newer, self.spec))

    @property
    def supplied(self) -> pd.DataFrame:
        """Months each vintage holds and how many the combined series takes from it."""
        used = self.rows.groupby("source_file")["month"].nunique()
        return pd.DataFrame(
            [
                {
                    "file": f["source_file"].iloc[0],
                    "first_month": f["month"].min(),
                    "last_month": f["month"].max(),
                    "months": f["month"].nunique(),
                    "months_used": int(used.get(f["source_file"].iloc[0], 0)),
                }
                for f in self.frames
            ]
        )

    @property
    def source(self) -> str:
        """A source line naming the publisher's title and every vintage used."""
        used = list(self.supplied.query("months_used > 0")["file"])
        return f"{self.spec.title}, vintages {', '.join(used)}"


def load(spec: Reissued, catalog_entries: list[dict] | None = None) -> Combined:
    """Every catalogued vintage of a dataset, verified, read and combined (newest wins per month)."""
    items = entries(spec, catalog_entries)
    frames = [read_vintage(spec, catalog.path(item["id"])) for item in items]
    rows = mark_partial(combine(frames, spec.values))
    return Combined(spec, items, frames, rows.sort_values(list(spec.key), ignore_index=True))


def revision_summary(revised_months: pd.DataFrame, revisions: pd.DataFrame, group: str) -> pd.DataFrame:
    """Per fiscal year, coverage category (``group``, a cell column of ``revisions``), measure and
    whether the year was closed in the older vintage: the cells revised and the months they lie in,
    the months whose total changed (revised cells may cancel out), the files that revised them, the
    net change (the last vintage's total minus the first's) and the largest change of one month's
    total, relative to it, with that month."""
    by = ["fy", "group", "measure", "closed"]
    columns = [*by, "cells", "cell_months", "months", "files", "net_change", "largest_relative", "largest_month"]
    if revisions.empty:
        return pd.DataFrame(columns=columns)
    cells = (
        revisions.assign(closed=revisions["closed"].astype(bool))
        .rename(columns={group: "group"})
        .groupby(by)
        .agg(cells=("month", "size"), cell_months=("month", "nunique"), files=("new_file", "nunique"))
    )
    table = revised_months.assign(
        closed=revised_months["closed"].astype(bool), size=revised_months["relative"].abs().fillna(float("inf"))
    )
    totals = table.groupby(by).agg(months=("month", "nunique"), net_change=("change", "sum"))
    if len(table):
        largest = table.loc[table.groupby(by)["size"].idxmax()].set_index(by)
        totals["largest_relative"], totals["largest_month"] = largest["relative"], largest["month"]
    summary = cells.join(totals.reindex(columns=["months", "net_change", "largest_relative", "largest_month"]))
    summary = summary.fillna({"months": 0, "net_change": 0.0}).astype({"months": int})
    return summary.reset_index()[columns]
