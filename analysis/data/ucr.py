"""FBI Uniform Crime Reporting arrests by state: the ICPSR county files (1990-2008) and the FBI's
Crime in the United States Table 69 "Arrests by State" (2009-2019; 2016 not held).

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

Table 69 counts only the arrests of the agencies that reported, and prints their number and the
population they cover. Nothing is imputed, so its rate is per 100,000 residents of the reporting
agencies' jurisdictions (as before 1994), and its coverage is that population over the state's
Census population. Each row is checked against the table's own printed totals.
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
    raw = pd.DataFrame(
        {
            field: [line[start - 1 : start - 1 + width] for line in lines]
            for field, start, width in zip(
                layout["field"], layout["start"].astype(int), layout["width"].astype(int), strict=True
            )
        }
    )
    counties = pd.DataFrame(index=raw.index)
    for column in raw.columns:
        stripped = raw[column].str.strip()
        blank = stripped == ""  # a blank field is missing
        values = pd.to_numeric(stripped.mask(blank), errors="coerce")
        bad = values.isna() & ~blank
        if bad.any():
            raise DataError(
                path,
                f"not a number: {raw.loc[bad, column].iloc[0]!r}",
                column=column,
                rows=[int(i) + 1 for i in raw.index[bad][:5]],
                expected="the layout in data/curated/ucr_fields.csv to match the file",
            )
        counties[column] = values
    if counties["state_fips"].isna().any() or not counties["state_fips"].between(1, 56).all():
        raise DataError(
            path,
            "state FIPS code outside 1-56",
            column="state_fips",
            expected="the layout in data/curated/ucr_fields.csv to match the file",
        )
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


def load_state_arrests(
    states: pd.DataFrame, people: pd.DataFrame, min_coverage: float = 0.0
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """State-year drug and DUI arrests with rates per 100,000 and the source of each year, and why
    cells are missing: the county files for 1990-2008, Table 69 from 2009 (``people``: the state's
    Census population by year, Table 69's coverage denominator).

    A state-year whose arrests sum to zero, or whose coverage is below ``min_coverage`` percent,
    is set to missing; each such cell is listed in the second frame with its reason, as are the
    states and years a Table 69 does not hold.
    """
    fields = load_curated("ucr_fields")
    frames = [
        state_totals(read_county_file(catalog.path(file_id), field_layout(year, fields)), year, states)
        for year, file_id in county_file_ids().items()
    ]
    county = pd.concat(frames, ignore_index=True).assign(source=COUNTY_FILES)
    recent, absent = table_69_arrests(load_tables_69(states), states, people)
    arrests, reasons = apply_missing_rules(pd.concat([county, recent], ignore_index=True), min_coverage)
    return arrests, pd.concat([reasons, absent], ignore_index=True)


def apply_missing_rules(arrests: pd.DataFrame, min_coverage: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Set zero-reported and low-coverage arrest counts to missing; add rates per 100,000."""
    arrests = arrests.copy()
    reasons = []
    for column in ARREST_COLUMNS:
        zero = arrests[column].eq(0)
        low = arrests["coverage"].lt(min_coverage) & ~zero
        for mask, why in ((zero, "reported zero arrests (not reporting)"), (low, f"coverage below {min_coverage:g}%")):
            reasons.append(arrests.loc[mask, ["state", "year"]].assign(variable=column, reason=why))
        arrests.loc[zero | low, column] = np.nan
        rate = column.replace("_arrests", "_arrest_rate")
        arrests[rate] = 1e5 * arrests[column] / arrests["rate_population"].replace(0, np.nan)
    return arrests, pd.concat(reasons, ignore_index=True)


# --- FBI Crime in the United States, Table 69 "Arrests by State" ---

COUNTY_FILES = "UCR county files (ICPSR)"
TABLE_69 = "FBI Table 69"
# Printed subtotals the loader checks: each is the sum of the four offenses printed after it.
SUBTOTALS = {
    "Violent crime": ("murder", "rape", "robbery", "aggravated assault"),
    "Property crime": ("burglary", "larceny", "motor vehicle theft", "arson"),
}
# Years between the first and last Table 69 held that the book does not hold, and why.
NOT_HELD = {2016: "2016 not held (that edition of Crime in the United States numbered the table 22)"}


def table_69_ids(entries: list[dict] | None = None) -> dict[int, str]:
    """Year -> catalog id of each held Table 69 (ids 'fbi-cius-<year>-table-69-arrests-by-state')."""
    found = {
        int(item["id"].split("-")[2]): item["id"]
        for item in catalog.entries_for("ucr-arrests", entries)
        if item["id"].startswith("fbi-cius-") and "-table-69-" in item["id"]
    }
    return dict(sorted(found.items()))


def load_tables_69(states: pd.DataFrame) -> dict[int, pd.DataFrame]:
    """Every catalogued Table 69, read and checked (``read_table_69``), by year."""
    return {year: read_table_69(catalog.path(file_id), states) for year, file_id in table_69_ids().items()}


def _header(sheet, path: Path) -> list[str]:
    """Row 4's column names, line breaks and footnote digits removed ('Drunkenness4' -> 'Drunkenness')."""
    header = [" ".join(str(sheet.cell_value(3, c)).split()).rstrip("0123456789, ") for c in range(sheet.ncols)]
    if header[0] != "State":
        raise DataError(path, f"row 4 starts with {header[0]!r}", column="A", expected="the header row 'State, ...'")
    return header


def _table_year(sheet, path: Path) -> int:
    """The year printed in the title ('by State, 2013')."""
    title = " ".join(str(sheet.cell_value(r, c)) for r in range(3) for c in range(3))
    years = [int(word) for word in title.replace(",", " ").split() if word.isdigit() and len(word) == 4]
    if len(years) != 1:
        raise DataError(path, f"no single year in the title {title.strip()!r}", column="A", rows=[1, 2, 3])
    return years[0]


def _number(sheet, row: int, column: int, path: Path) -> float:
    """A numeric cell; blank is missing (an offense counted under another one, or no data for the state)."""
    value = sheet.cell_value(row, column)
    if value == "":
        return np.nan
    if not isinstance(value, float):
        raise DataError(path, f"not a number: {value!r}", column=xlrd.colname(column), rows=[row + 1])
    return value


def check_printed_totals(values: list[float], header: list[str], row: int, path: Path) -> None:
    """Compare one row (``values``: its cells from column C on) with its own printed totals.

    'Total all classes' (column C) equals the sum of the offenses printed from column F up to the
    number of agencies (a blank offense is counted under another one, as the table's footnotes say);
    each subtotal of ``SUBTOTALS`` equals its four offenses where all are printed. A mismatch
    raises an error naming the file, the column and the row."""
    cells = dict(zip(header[2:], values, strict=True))
    offenses = header[5 : header.index("Number of agencies")]
    total, summed = cells["Total all classes"], np.nansum([cells[name] for name in offenses])
    if not np.isnan(total) and abs(summed - total) > 0.5:
        raise DataError(
            path,
            f"printed total {total:,.0f} differs from the sum of the offenses {summed:,.0f}",
            column=xlrd.colname(2),
            rows=[row + 1],
        )
    for subtotal, parts in SUBTOTALS.items():
        names = [
            next(name for name in offenses if name.lower().startswith(part) or name.lower().endswith(part))
            for part in parts
        ]
        printed, summed = cells[subtotal], sum(cells[name] for name in names)
        if not np.isnan(printed) and not np.isnan(summed) and abs(printed - summed) > 0.5:
            raise DataError(
                path,
                f"printed {subtotal} {printed:,.0f} differs from the sum of its offenses {summed:,.0f}",
                column=xlrd.colname(header.index(subtotal)),
                rows=[row + 1],
            )


def read_table_69(path: Path, states: pd.DataFrame) -> pd.DataFrame:
    """One year's Table 69: all-ages drug and DUI arrests by state, the number of reporting agencies and
    the population they cover (printed on the state's first row), and whether the state is footnoted.

    Each state has two rows (under 18, total all ages); state names carry footnote digits
    ('FLORIDA4, 6'), which are removed. Every row is checked against its own printed totals
    (``check_printed_totals``). A state absent from the table (DC in 2010 and 2012, Hawaii in 2011)
    has no row; a state whose rows are blank (Iowa 2018, "limited data") has missing values.
    """
    sheet = xlrd.open_workbook(str(path)).sheet_by_index(0)
    header, year = _header(sheet, path), _table_year(sheet, path)
    columns = {}
    for field, name in {
        "drug_arrests": "Drug abuse violations",
        "dui_arrests": "Driving under the influence",
        "agencies": "Number of agencies",
        "covered_population": f"{year} estimated population",
    }.items():
        if header.count(name) != 1:
            raise DataError(
                path,
                f"expected one column {name!r} on row 4, found {header.count(name)}",
                expected="the layout of Crime in the United States Table 69",
            )
        columns[field] = header.index(name)
    names = {name.upper(): name for name in states["state"]}
    rows = []
    for r in range(4, sheet.nrows - 1):
        label = str(sheet.cell_value(r, 0)).strip()
        name = label.rstrip("0123456789, ").strip()
        if name not in names:
            continue
        if str(sheet.cell_value(r + 1, 1)).strip() != "Total all ages":
            raise DataError(path, f"the row after {label!r} is not 'Total all ages'", column="B", rows=[r + 2])
        for row in (r, r + 1):
            check_printed_totals([_number(sheet, row, c, path) for c in range(2, sheet.ncols)], header, row, path)
        rows.append(
            {
                "state": names[name],
                "year": year,
                "footnoted": label != name,
                "drug_arrests": _number(sheet, r + 1, columns["drug_arrests"], path),
                "dui_arrests": _number(sheet, r + 1, columns["dui_arrests"], path),
                "agencies": _number(sheet, r, columns["agencies"], path),
                "covered_population": _number(sheet, r, columns["covered_population"], path),
            }
        )
    if not rows:
        raise DataError(path, "no state rows found", column="A", expected="state names in capitals, as in Table 69")
    return pd.DataFrame(rows)


def table_69_arrests(
    tables: dict[int, pd.DataFrame], states: pd.DataFrame, people: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Table 69 years in the county files' shape: arrests, the Census population, the reporting
    agencies' population as the rate's denominator, and coverage = that population / the Census
    population (percent); and why state-years are missing (a state absent from a year's table, a
    state whose rows are blank, a year between the first and last held that is not held)."""
    table = pd.concat(tables.values(), ignore_index=True).merge(
        people[["state", "year", "population"]], on=["state", "year"], how="left"
    )
    table = table.assign(
        rate_population=table["covered_population"],
        source=TABLE_69,
        coverage=100 * table["covered_population"] / table["population"],
    )
    reasons = []
    for year, rows in tables.items():
        for state in sorted(set(states["state"]) - set(rows["state"])):
            reasons.append((state, year, "not in that year's Table 69"))
        blank = rows[["drug_arrests", "dui_arrests"]].isna().all(axis=1)
        for state in rows.loc[blank, "state"]:
            reasons.append((state, year, "blank in that year's Table 69 (footnoted: limited data)"))
        for state in rows.loc[~blank & rows["covered_population"].isna(), "state"]:
            reasons.append((state, year, "no population printed for the reporting agencies in Table 69"))
    for year in range(min(tables), max(tables) + 1):
        if year not in tables:
            reasons += [(state, year, NOT_HELD.get(year, "year not held")) for state in states["state"]]
    missing = pd.DataFrame(reasons, columns=["state", "year", "reason"])
    missing = pd.concat([missing.assign(variable=column) for column in ARREST_COLUMNS], ignore_index=True)
    kept = [
        "state",
        "year",
        *ARREST_COLUMNS,
        "population",
        "rate_population",
        "coverage",
        "agencies",
        "footnoted",
        "source",
    ]
    return table[kept], missing
