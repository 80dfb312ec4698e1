"""State-year inputs of the state panel: unauthorized population, overdose deaths, population, controls.

Every loader returns a long frame keyed by ``state`` (full name, as in ``data/curated/states.csv``)
and ``year``, refuses unknown state names, and keeps blank cells missing.

Unauthorized population: the book needs a series, not a particular source. Any CSV with the
columns of ``UNAUTHORIZED_COLUMNS`` (margin of error optional) can be declared in the catalog and
named in the chapter's ``unauthorized_source`` parameter; the CMS file has its own adapter
because its export has a banner and formatted numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadr

from analysis.data import catalog
from analysis.data.curated import load_curated
from analysis.data.ondcp import DEATHS_SHEET, RATES_SHEET, state_tables
from analysis.errors import DataError

UNAUTHORIZED_COLUMNS = ("state", "year", "population", "source")
OPTIONAL_UNAUTHORIZED_COLUMNS = ("margin_of_error",)


def states() -> pd.DataFrame:
    """The 50 states and DC: name, USPS code, two-digit FIPS code."""
    return load_curated("states")[["state", "usps", "fips"]]


def check_states(frame: pd.DataFrame, path: Path | str, column: str = "state") -> pd.DataFrame:
    """Refuse rows naming a place that is not one of the 50 states or DC."""
    unknown = ~frame[column].isin(states()["state"])
    if unknown.any():
        raise DataError(
            path,
            f"unknown state name {frame.loc[unknown, column].iloc[0]!r}",
            column=column,
            expected="the 50 states and District of Columbia, spelled as in data/curated/states.csv",
        )
    return frame


def parse_count(text: pd.Series, path: Path, column: str) -> pd.Series:
    """Numbers written as ' 89,200 ' -> 89200.0; blank -> missing; anything else is an error."""
    cleaned = text.astype("string").str.strip().str.replace(",", "", regex=False).replace("", pd.NA)
    values = pd.to_numeric(cleaned, errors="coerce")
    bad = values.isna() & cleaned.notna()
    if bad.any():
        raise DataError(
            path, f"not a number: {text[bad].iloc[0]!r}", column=column, rows=[int(i) for i in text.index[bad][:5]]
        )
    return values.astype(float)


def read_cms_undocumented(path: Path) -> pd.DataFrame:
    """CMS state estimates 2010-2019 in the unauthorized-population contract.

    The CSV export starts with blank lines; the header row ('State,Year,Total') is found by content.
    """
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    header = next((i for i, line in enumerate(lines) if line.startswith("State,Year")), None)
    if header is None:
        raise DataError(path, "no header row starting 'State,Year'", expected="columns State, Year, Total")
    table = pd.read_csv(path, skiprows=header, dtype=str, keep_default_na=False).dropna(how="all")
    table = table[table["State"].str.strip() != ""]
    for column in ("State", "Year", "Total"):
        if column not in table.columns:
            raise DataError(path, "required column missing", column=column)
    table.index = table.index + header + 2  # file line numbers in errors
    frame = pd.DataFrame(
        {
            "state": table["State"].str.strip(),
            "year": parse_count(table["Year"], path, "Year").astype(int),
            "population": parse_count(table["Total"], path, "Total"),
            "source": "Center for Migration Studies (CMS)",
        }
    )
    return validate_unauthorized(check_states(frame, path), path)


def read_unauthorized_csv(path: Path) -> pd.DataFrame:
    """A user-supplied series already in the contract: state, year, population, source[, margin_of_error]."""
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    for column in UNAUTHORIZED_COLUMNS:
        if column not in table.columns:
            raise DataError(
                path,
                "required column missing",
                column=column,
                expected=f"columns {', '.join(UNAUTHORIZED_COLUMNS)} (and optionally margin_of_error)",
            )
    table.index = table.index + 2
    frame = pd.DataFrame(
        {
            "state": table["state"].str.strip(),
            "year": parse_count(table["year"], path, "year"),
            "population": parse_count(table["population"], path, "population"),
            "source": table["source"],
        }
    )
    if "margin_of_error" in table.columns:
        frame["margin_of_error"] = parse_count(table["margin_of_error"], path, "margin_of_error")
    if frame["year"].isna().any():
        raise DataError(path, "year missing", column="year", rows=list(frame.index[frame["year"].isna()][:5]))
    frame["year"] = frame["year"].astype(int)
    return validate_unauthorized(check_states(frame, path), path)


def validate_unauthorized(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    """The contract: one row per state and year, population non-negative (missing allowed)."""
    duplicated = frame.duplicated(["state", "year"])
    if duplicated.any():
        row = frame[duplicated].iloc[0]
        raise DataError(path, f"two rows for {row['state']} {row['year']}", column="state")
    negative = frame["population"] < 0
    if negative.any():
        raise DataError(path, "negative population", column="population", rows=list(frame.index[negative][:5]))
    return frame.reset_index(drop=True)


ADAPTERS = {"cms-undocumented-by-state-2010-2019": read_cms_undocumented}


def load_unauthorized(source: str) -> pd.DataFrame:
    """The unauthorized-population series named by a catalog id (CMS by default)."""
    reader = ADAPTERS.get(source, read_unauthorized_csv)
    return reader(catalog.path(source))


def read_nchs_deaths(path: Path) -> pd.DataFrame:
    """NCHS drug-poisoning deaths 1999-2017 (both sexes, all ages, all races), by state and for the
    United States (``state == 'United States'``)."""
    table = pd.read_csv(path)
    needed = ("State", "Year", "Sex", "Age Group", "Race and Hispanic Origin", "Deaths", "Age-adjusted Rate")
    for column in needed:
        if column not in table.columns:
            raise DataError(path, "required column missing", column=column)
    totals = table[
        (table["Sex"] == "Both Sexes")
        & (table["Age Group"] == "All Ages")
        & (table["Race and Hispanic Origin"] == "All Races-All Origins")
    ]
    frame = pd.DataFrame(
        {
            "state": totals["State"],
            "year": totals["Year"].astype(int),
            "overdose_deaths": totals["Deaths"].astype(float),
            "overdose_rate_age_adjusted": totals["Age-adjusted Rate"].astype(float),
            "deaths_source": "NCHS",
        }
    )
    check_states(frame[frame["state"] != "United States"], path)
    return frame.reset_index(drop=True)


@dataclass
class Deaths:
    """Drug-poisoning deaths, 1999 to the last year either source reports.

    ``states``: by state and year (NCHS, then ONDCP for later years); ``overlap``: the two sources
    side by side where both report (they should agree: ONDCP extracted the same NCHS counts);
    ``national``: U.S. totals by year with their source.
    """

    states: pd.DataFrame
    overlap: pd.DataFrame
    national: pd.DataFrame


def load_deaths(nchs_path: Path, supplement_path: Path) -> Deaths:
    """Read the NCHS file and ONDCP tables 112-113 once and combine them."""
    nchs = read_nchs_deaths(nchs_path)
    tables = state_tables(supplement_path, [DEATHS_SHEET, RATES_SHEET])
    ondcp = (
        tables[DEATHS_SHEET]
        .rename(columns={"value": "overdose_deaths"})
        .merge(
            tables[RATES_SHEET].rename(columns={"value": "overdose_rate_age_adjusted"}),
            on=["state", "year"],
            how="outer",
        )
    )
    ondcp = ondcp.assign(deaths_source="ONDCP Data Supplement (NCHS Data Brief 356)")
    combined = pd.concat([nchs, ondcp[ondcp["year"] > nchs["year"].max()]], ignore_index=True)
    in_states = combined["state"] != "United States"
    national = combined.loc[~in_states, ["year", "overdose_deaths", "deaths_source"]].rename(
        columns={"overdose_deaths": "deaths", "deaths_source": "source"}
    )
    overlap = nchs[nchs["state"] != "United States"].merge(
        ondcp[ondcp["state"] != "United States"], on=["state", "year"], suffixes=("_nchs", "_ondcp")
    )
    return Deaths(
        states=combined[in_states].reset_index(drop=True),
        overlap=overlap,
        national=national.sort_values("year", ignore_index=True),
    )


def read_census_population(path: Path) -> pd.DataFrame:
    """Census state population estimates (nst-est*-alldata.csv): POPESTIMATE<year> columns, long form."""
    table = pd.read_csv(path, dtype={"STATE": str, "SUMLEV": str})
    if "NAME" not in table.columns:
        raise DataError(path, "required column missing", column="NAME")
    table = table[table["SUMLEV"].str.lstrip("0") == "40"]
    columns = [c for c in table.columns if c.startswith("POPESTIMATE") and c[11:].isdigit()]
    if not columns:
        raise DataError(path, "no POPESTIMATE<year> columns", column="POPESTIMATE<year>")
    long = table.melt(id_vars="NAME", value_vars=columns, var_name="column", value_name="population")
    long = long.assign(state=long["NAME"], year=long["column"].str[11:].astype(int))
    long = long[long["state"].isin(states()["state"])]
    return long[["state", "year", "population"]].astype({"population": float}).reset_index(drop=True)


CENSUS_REGIONS = {"1": "Northeast", "2": "Midwest", "3": "South", "4": "West"}


def read_census_regions(path: Path) -> pd.DataFrame:
    """Each state's Census region (Northeast, Midwest, South, West), from the REGION column."""
    table = pd.read_csv(path, dtype=str)
    for column in ("SUMLEV", "REGION", "NAME"):
        if column not in table.columns:
            raise DataError(path, "required column missing", column=column)
    table = table[(table["SUMLEV"].str.lstrip("0") == "40") & table["NAME"].isin(states()["state"])]
    unknown = ~table["REGION"].isin(list(CENSUS_REGIONS))
    if unknown.any():
        raise DataError(path, f"unknown region code {table.loc[unknown, 'REGION'].iloc[0]!r}", column="REGION")
    return pd.DataFrame({"state": table["NAME"], "region": table["REGION"].map(CENSUS_REGIONS)}).reset_index(drop=True)


def read_population_history(path: Path) -> pd.DataFrame:
    """July-1 state population 1900-2018 (uspops compilation of Census estimates), 50 states and DC."""
    frames = pyreadr.read_r(str(path))
    if "state_pops" not in frames:
        raise DataError(path, f"no object 'state_pops' (found {list(frames)})")
    table = frames["state_pops"]
    table = table[table["state"].isin(states()["state"])]
    return pd.DataFrame(
        {
            "state": table["state"].astype(str),
            "year": table["year"].astype(int),
            "population": table["pop"].astype(float),
        }
    ).reset_index(drop=True)


def read_ers_unemployment(path: Path) -> pd.DataFrame:
    """Annual state unemployment rates 2000-2019 (USDA ERS, from BLS LAUS), percent."""
    table = pd.read_csv(path, dtype=str)
    table.columns = table.columns.str.strip()
    for column in ("FIPStxt", "area_name"):
        if column not in table.columns:
            raise DataError(path, "required column missing", column=column)
    state_rows = table[table["FIPStxt"].str.endswith("000") & table["area_name"].str.strip().isin(states()["state"])]
    columns = [c for c in table.columns if c.startswith("Unemployment_rate_")]
    long = state_rows.melt(id_vars="area_name", value_vars=columns, var_name="column", value_name="rate")
    return pd.DataFrame(
        {
            "state": long["area_name"].str.strip(),
            "year": long["column"].str[-4:].astype(int),
            "unemployment_pct": parse_count(long["rate"], path, "Unemployment_rate_<year>"),
        }
    )


CONTROL_FILES = {
    "foreign_born_pct": "1-foreign-born-population",
    "hispanic_pct": "2-hispanic-population",
    "poverty138_pct": "3-population-poverty",
}


def read_state_shares(path: Path, name: str) -> pd.DataFrame:
    """One of the 2000-2018 control files: a row per state (USPS code), a column per year, shares 0-1 -> percent."""
    table = pd.read_csv(path, header=1, encoding="utf-8-sig")
    if "LOCATION" not in table.columns:
        raise DataError(
            path, "required column missing", column="LOCATION", expected="the statePUN layout (header on line 2)"
        )
    codes = states().set_index("usps")["state"]
    table = table[table["LOCATION"] != "US"]
    unknown = ~table["LOCATION"].isin(codes.index)
    if unknown.any():
        raise DataError(
            path,
            f"unknown state code {table.loc[unknown, 'LOCATION'].iloc[0]!r}",
            column="LOCATION",
            expected="USPS codes as in data/curated/states.csv",
        )
    value_columns = [c for c in table.columns if c[-4:].isdigit()]
    long = table.melt(id_vars="LOCATION", value_vars=value_columns, var_name="column", value_name="share")
    share = pd.to_numeric(long["share"], errors="coerce")
    if not share.dropna().between(0, 1).all():
        raise DataError(path, "share outside 0-1", column=value_columns[0])
    return pd.DataFrame(
        {"state": long["LOCATION"].map(codes), "year": long["column"].str[-4:].astype(int), name: 100 * share}
    )


def read_urban_share(path: Path) -> pd.DataFrame:
    """Urban share of population 2000-2018, percent (the compiler's interpolation between census years)."""
    table = pd.read_csv(path)
    for column in ("X1", "Year", "interpolated_value"):
        if column not in table.columns:
            raise DataError(path, "required column missing", column=column)
    table = table[table["X1"] != "United States"]
    frame = pd.DataFrame(
        {
            "state": table["X1"],
            "year": table["Year"].astype(int),
            "urban_pct": table["interpolated_value"].astype(float),
        }
    )
    return check_states(frame, path).reset_index(drop=True)


def load_controls() -> pd.DataFrame:
    """Unemployment, foreign-born, Hispanic, poverty (<=138% FPL) and urban shares by state and year."""
    frames = [
        read_ers_unemployment(catalog.path("ers-unemployment-2000-2019")),
        read_urban_share(catalog.path("3-urbanicity-interporlated")),
    ]
    frames += [read_state_shares(catalog.path(file_id), name) for name, file_id in CONTROL_FILES.items()]
    merged = frames[0]
    for frame in frames[1:]:
        merged = merged.merge(frame, on=["state", "year"], how="outer")
    return merged


# --- Pew unauthorized-immigrant estimates ---------------------------------------------------------

PEW_CENSORED_AT = 5_000  # Pew prints '<5,000' and '<10,000'; the mirrored copy wrote 2,500 and 5,000


def read_pew_unauthorized(path: Path) -> pd.DataFrame:
    """Pew's state series 1990-2023 in the unauthorized-population contract, plus ``censored``.

    A cell at or below 5,000 stands for Pew's '<5,000' or '<10,000': its true value is unknown
    below a bound, so it is flagged (the 'without censored cells' specification drops it).
    """
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    for column in ("state_name", "year", "unauth_pew", "moe90_pew"):
        if column not in table.columns:
            raise DataError(
                path,
                "required column missing",
                column=column,
                expected="columns state_name, year, unauth_pew, moe90_pew",
            )
    table.index = table.index + 2
    frame = pd.DataFrame(
        {
            "state": table["state_name"].str.strip(),
            "year": parse_count(table["year"], path, "year"),
            "population": parse_count(table["unauth_pew"], path, "unauth_pew"),
            "source": "Pew Research Center",
            "margin_of_error": parse_count(table["moe90_pew"], path, "moe90_pew"),
        }
    )
    if frame["year"].isna().any():
        raise DataError(path, "year missing", column="year", rows=list(frame.index[frame["year"].isna()][:5]))
    frame["year"] = frame["year"].astype(int)
    frame["censored"] = frame["population"] <= PEW_CENSORED_AT
    return validate_unauthorized(check_states(frame, path), path)


def read_pew_transcription(path: Path) -> pd.DataFrame:
    """The independent hand transcription: state, year, population (from thousands; '.' -> missing)."""
    table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    for column in ("state", "year", "total"):
        if column not in table.columns:
            raise DataError(path, "required column missing", column=column, expected="columns state, year, total")
    table.index = table.index + 2
    frame = pd.DataFrame(
        {
            "state": table["state"].str.strip(),
            "year": parse_count(table["year"], path, "year").astype(int),
            "population": 1000 * parse_count(table["total"].replace(".", ""), path, "total"),
        }
    )
    return check_states(frame, path).reset_index(drop=True)


def compare_pew(pew: pd.DataFrame, transcribed: pd.DataFrame) -> pd.DataFrame:
    """Every state-year of the transcription beside the Pew series, with ``agree`` and ``note``.

    Censored Pew cells agree with a blank transcription ('.' = small state); a state missing
    from Pew (DC) is listed, never silently dropped.
    """
    both = transcribed.merge(
        pew[["state", "year", "population", "censored"]],
        on=["state", "year"],
        how="left",
        suffixes=("_transcribed", "_pew"),
    )
    in_pew = both["population_pew"].notna()
    censored = both["censored"].fillna(False).astype(bool)
    equal = both["population_transcribed"] == both["population_pew"]
    blank_small = both["population_transcribed"].isna() & censored
    both["agree"] = in_pew & (equal | blank_small)
    both["note"] = np.select(
        [~in_pew, blank_small, equal],
        ["not in the Pew series", "small state (censored in Pew, blank here)", "equal"],
        default="values differ",
    )
    return both


# --- CDC provisional (VSRR) overdose deaths ------------------------------------------------------


def read_vsrr_json(path: Path) -> pd.DataFrame:
    """VSRR provisional deaths by state of occurrence, 12 months ending December: state, year, deaths.

    Only ``mort`` is read (the extract's other fields are its own and inconsistent in places);
    a null count (2025) is missing, not zero, and is dropped.
    """
    import json

    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise DataError(path, f"not valid JSON: {error}") from error
    names = states().set_index("fips")["state"]
    records = []
    for fips, years in raw.items():
        if fips not in names.index:
            raise DataError(
                path,
                f"unknown state FIPS key {fips!r}",
                column="<state FIPS key>",
                expected="two-digit FIPS codes of the 50 states and DC",
            )
        for year, fields in years.items():
            if "mort" not in fields:
                raise DataError(path, f"no 'mort' for FIPS {fips} {year}", column="mort")
            records.append({"state": names[fips], "year": int(year), "deaths": fields["mort"]})
    frame = pd.DataFrame(records)
    frame["deaths"] = pd.to_numeric(frame["deaths"], errors="coerce")
    return frame.dropna(subset=["deaths"]).sort_values(["state", "year"], ignore_index=True)


def read_vsrr_csv_december(path: Path) -> pd.DataFrame:
    """The mirrored VSRR CSV (2015-2018): deaths in the 12 months ending December, by state.

    New York appears as 'NY' (without the city) and 'YC' (New York City); they are added, as the
    JSON extract does. 'US' is skipped.
    """
    table = pd.read_csv(path, dtype=str)
    for column in ("State", "Year", "Month", "Indicator", "Data Value"):
        if column not in table.columns:
            raise DataError(path, "required column missing", column=column)
    rows = table[(table["Indicator"] == "Number of Drug Overdose Deaths") & (table["Month"] == "December")]
    codes = rows["State"].replace({"YC": "NY"})
    names = states().set_index("usps")["state"]
    rows = rows[codes.isin(names.index)].assign(state=codes.map(names))
    deaths = parse_count(rows["Data Value"], path, "Data Value")
    frame = (
        rows.assign(year=rows["Year"].astype(int), deaths=deaths)
        .groupby(["state", "year"], as_index=False)["deaths"]
        .sum()
    )
    return frame


def with_provisional(deaths: Deaths, provisional: pd.DataFrame) -> Deaths:
    """Final deaths (by residence) through their last year, then VSRR provisional counts (by
    occurrence) for later years, flagged ``provisional``. The national series adds the 51
    jurisdictions' provisional counts for those years.
    """
    last_final = int(deaths.states["year"].max())
    later = provisional[provisional["year"] > last_final].rename(columns={"deaths": "overdose_deaths"})
    later = later.assign(deaths_source="CDC VSRR provisional (state of occurrence)")
    state_rows = pd.concat([deaths.states.assign(provisional=False), later.assign(provisional=True)], ignore_index=True)
    national_later = (
        later.groupby("year", as_index=False)["overdose_deaths"].sum().rename(columns={"overdose_deaths": "deaths"})
    )
    national = pd.concat(
        [
            deaths.national.assign(provisional=False),
            national_later.assign(source="CDC VSRR provisional (sum of 50 states and DC)", provisional=True),
        ],
        ignore_index=True,
    )
    return Deaths(states=state_rows, overlap=deaths.overlap, national=national)


def final_vs_provisional(final: pd.DataFrame, provisional: pd.DataFrame) -> pd.DataFrame:
    """Per year both report: the 51 jurisdictions' final (residence) and provisional (occurrence)
    totals and the provisional excess in percent."""
    both = final[["state", "year", "overdose_deaths"]].merge(
        provisional.rename(columns={"deaths": "provisional"}), on=["state", "year"]
    )
    totals = (
        both.groupby("year")
        .agg(final=("overdose_deaths", "sum"), provisional=("provisional", "sum"), jurisdictions=("state", "nunique"))
        .reset_index()
    )
    totals["excess_pct"] = 100 * (totals["provisional"] / totals["final"] - 1)
    return totals


CENSUS_DIVISIONS = {
    "1": "New England",
    "2": "Middle Atlantic",
    "3": "East North Central",
    "4": "West North Central",
    "5": "South Atlantic",
    "6": "East South Central",
    "7": "West South Central",
    "8": "Mountain",
    "9": "Pacific",
}


def read_census_divisions(path: Path) -> pd.DataFrame:
    """Each state's Census division (nine), from the DIVISION column."""
    table = pd.read_csv(path, dtype=str)
    for column in ("SUMLEV", "DIVISION", "NAME"):
        if column not in table.columns:
            raise DataError(path, "required column missing", column=column)
    table = table[(table["SUMLEV"].str.lstrip("0") == "40") & table["NAME"].isin(states()["state"])]
    unknown = ~table["DIVISION"].isin(list(CENSUS_DIVISIONS))
    if unknown.any():
        raise DataError(path, f"unknown division code {table.loc[unknown, 'DIVISION'].iloc[0]!r}", column="DIVISION")
    return pd.DataFrame({"state": table["NAME"], "division": table["DIVISION"].map(CENSUS_DIVISIONS)}).reset_index(
        drop=True
    )
