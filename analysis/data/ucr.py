"""FBI Uniform Crime Reporting arrests by state: the ICPSR county files (1990-2008) and Table 69 (2013).

The county files are fixed-width text. Field positions come from ``data/curated/ucr_fields.csv``,
transcribed from each year's ICPSR codebook (the third-party layout files shipped with the data
disagree with the 1990 codebook on the DUI column). Counties are summed to states.

Two facts of the source decide what is missing:
- before 1994, counties include only agencies reporting at least six months, and the file gives
  both the county population and the population of those agencies; the state's coverage is the
  covered share of its population. From 1994 ICPSR imputes non-reporting agencies and gives a
  coverage indicator (0-100, share of the county's data actually reported); the state's coverage
  is its population-weighted mean.
- a state that reports no drug arrests at all in a year (Florida 1996-2008, among others) did not
  report them: the state-year is missing, not zero.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import xlrd

from analysis.data import catalog
from analysis.data.curated import load_curated
from analysis.errors import DataError

ARREST_COLUMNS = ("drug_arrests", "dui_arrests")


def field_layout(year: int, fields: pd.DataFrame | None = None) -> pd.DataFrame:
    """The curated start/width of each field for one year's county file."""
    fields = fields if fields is not None else load_curated("ucr_fields")
    layout = fields[fields["year"].astype(int) == year]
    if layout.empty:
        raise DataError("data/curated/ucr_fields.csv", f"no field layout for {year}", column="year")
    return layout


def read_county_file(path: Path, layout: pd.DataFrame) -> pd.DataFrame:
    """One year's county rows with the fields of ``layout`` as numbers (blank fields are missing)."""
    lines = [line for line in path.read_text(encoding="latin-1").splitlines() if line.strip()]
    raw = pd.DataFrame({field: [line[start - 1:start - 1 + width] for line in lines]
                        for field, start, width in zip(layout["field"], layout["start"].astype(int), layout["width"].astype(int))})
    raw = raw.replace(r"^\s*$", None, regex=True)
    counties = pd.DataFrame(index=raw.index)
    for column in raw.columns:
        values = pd.to_numeric(raw[column].str.strip(), errors="coerce")
        bad = values.isna() & raw[column].notna()
        if bad.any():
            raise DataError(path, f"not a number: {raw.loc[bad, column].iloc[0]!r}", column=column,
                            rows=[int(i) + 1 for i in raw.index[bad][:5]],
                            expected="the layout in data/curated/ucr_fields.csv to match the file")
        counties[column] = values
    if counties["state_fips"].isna().any() or not counties["state_fips"].between(1, 56).all():
        raise DataError(path, "state FIPS code outside 1-56", column="state_fips",
                        expected="the layout in data/curated/ucr_fields.csv to match the file")
    return counties


def state_totals(counties: pd.DataFrame, year: int, states: pd.DataFrame) -> pd.DataFrame:
    """Counties summed to states: arrests, population and the state's coverage (percent).

    Before 1994 arrests cover the agencies reporting six months or more, so the rate's
    denominator is those agencies' population; from 1994 arrests include ICPSR's imputations for
    the whole county population.
    """
    counties = counties.assign(fips=counties["state_fips"].astype(int).map("{:02d}".format))
    grouped = counties.groupby("fips")
    totals = grouped[list(ARREST_COLUMNS) + ["population"]].sum(min_count=1)
    if "coverage" in counties.columns:
        weighted = (counties["coverage"] * counties["population"]).groupby(counties["fips"]).sum()
        totals["coverage"] = weighted / totals["population"].replace(0, np.nan)
        totals["rate_population"] = totals["population"]
    else:
        reporting = grouped["population_reporting"].sum(min_count=1)
        totals["coverage"] = 100 * reporting / totals["population"].replace(0, np.nan)
        totals["rate_population"] = reporting
    totals = totals.reset_index().merge(states[["fips", "state"]], on="fips", how="inner")
    return totals.assign(year=year)[["state", "year", *ARREST_COLUMNS, "population", "rate_population", "coverage"]]


def county_file_ids(entries: list[dict] | None = None) -> dict[int, str]:
    """Year -> catalog id of the county data file (named '<year>-icpsr<study>.txt' in the catalog)."""
    found = {}
    for item in catalog.entries_for("ucr-county-arrests", entries):
        name = Path(item["file"]).name
        if "/data/" in item["file"] and name.endswith(".txt"):
            found[int(name[:4])] = item["id"]
    return dict(sorted(found.items()))


def load_state_arrests(states: pd.DataFrame, min_coverage: float = 0.0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """State-year drug and DUI arrests 1990-2008 with rates per 100,000, and why cells are missing.

    A state-year whose arrests sum to zero, or whose coverage is below ``min_coverage`` percent,
    is set to missing; each such cell is listed in the second frame with its reason.
    """
    fields = load_curated("ucr_fields")
    frames = [state_totals(read_county_file(catalog.path(file_id), field_layout(year, fields)), year, states)
              for year, file_id in county_file_ids().items()]
    arrests = pd.concat(frames, ignore_index=True)
    return apply_missing_rules(arrests, min_coverage)


def apply_missing_rules(arrests: pd.DataFrame, min_coverage: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Set zero-reported and low-coverage arrest counts to missing; add rates per 100,000."""
    arrests = arrests.copy()
    reasons = []
    for column in ARREST_COLUMNS:
        zero = arrests[column].eq(0)
        low = arrests["coverage"].lt(min_coverage) & ~zero
        for mask, why in ((zero, "reported zero arrests (not reporting)"),
                          (low, f"coverage below {min_coverage:g}%")):
            reasons.append(arrests.loc[mask, ["state", "year"]].assign(variable=column, reason=why))
        arrests.loc[zero | low, column] = np.nan
        rate = column.replace("_arrests", "_arrest_rate")
        arrests[rate] = 1e5 * arrests[column] / arrests["rate_population"]
    return arrests, pd.concat(reasons, ignore_index=True)


def read_table_69(path: Path, states: pd.DataFrame) -> pd.DataFrame:
    """FBI Crime in the United States 2013, Table 69: all-ages drug and DUI arrests by state.

    Each state has two rows (under 18, total all ages); the agencies' covered population is on
    the first. State names carry footnote digits ('FLORIDA5, 7'), which are removed.
    """
    sheet = xlrd.open_workbook(str(path)).sheet_by_index(0)
    header = [" ".join(str(sheet.cell_value(3, c)).split()) for c in range(sheet.ncols)]
    columns = {"drug_arrests": _column(header, "Drug abuse", path), "dui_arrests": _column(header, "Driving under", path),
               "covered_population": _column(header, "estimated population", path)}
    names = {name.upper(): name for name in states["state"]}
    rows = []
    for r in range(4, sheet.nrows - 1):
        label = str(sheet.cell_value(r, 0)).strip()
        name = label.rstrip("0123456789, ").strip()
        if name not in names:
            continue
        if str(sheet.cell_value(r + 1, 1)).strip() != "Total all ages":
            raise DataError(path, f"the row after {label!r} is not 'Total all ages'", column="B", rows=[r + 2])
        rows.append({"state": names[name], "year": 2013,
                     "drug_arrests": _number(sheet, r + 1, columns["drug_arrests"], path),
                     "dui_arrests": _number(sheet, r + 1, columns["dui_arrests"], path),
                     "covered_population": _number(sheet, r, columns["covered_population"], path)})
    table = pd.DataFrame(rows)
    if len(table) != len(states):
        missing = sorted(set(states["state"]) - set(table["state"]))
        raise DataError(path, f"states not found: {missing}", column="A", expected=f"{len(states)} states")
    return table


def _number(sheet, row: int, column: int, path: Path) -> float:
    """A numeric cell; a blank cell is missing (DC's only reporting agency has no population)."""
    value = sheet.cell_value(row, column)
    if value == "":
        return np.nan
    if not isinstance(value, float):
        raise DataError(path, f"not a number: {value!r}", column=xlrd.colname(column), rows=[row + 1])
    return value


def _column(header: list[str], starts: str, path: Path) -> int:
    matches = [i for i, name in enumerate(header) if starts.lower() in name.lower()]
    if len(matches) != 1:
        raise DataError(path, f"expected one column header containing {starts!r} on row 4, found {len(matches)}")
    return matches[0]
