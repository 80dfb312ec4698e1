"""The state-year panel (50 states and DC, 1990-2023) and an account of every missing cell.

The panel is a full grid of states and years, so that a missing value is visible as missing
rather than as an absent row. ``missing_reasons`` says why each empty cell is empty; the
chapter's coverage table and heatmap are computed from the same frame the models use.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.data import catalog, state_data, ucr

FIRST_YEAR, LAST_YEAR = 1990, 2023

# Variable -> (label, source) for tables; the order is the order of the coverage table.
VARIABLES = {
    "unauthorized_pct_pew": (
        "Undocumented immigrants, % of population (Pew)",
        "Pew Research Center, 1990-2023 (23 years)",
    ),
    "unauthorized_pct_cms": (
        "Undocumented immigrants, % of population (CMS)",
        "Center for Migration Studies, 2010-2019",
    ),
    "overdose_rate": (
        "Drug-poisoning deaths per 100,000",
        "NCHS 1999-2017; ONDCP Data Supplement 2018; CDC VSRR provisional 2019-2023",
    ),
    "overdose_rate_age_adjusted": ("Drug-poisoning deaths per 100,000, age-adjusted", "NCHS; ONDCP Data Supplement"),
    "drug_arrest_rate": ("Drug arrests per 100,000", "UCR county files (ICPSR) 1990-2008; FBI Table 69 2009-2019"),
    "dui_arrest_rate": ("DUI arrests per 100,000", "UCR county files (ICPSR) 1990-2008; FBI Table 69 2009-2019"),
    "unemployment_pct": ("Unemployment rate, %", "BLS LAUS via USDA ERS, 2000-2019"),
    "foreign_born_pct": ("Foreign-born, % of population", "Census/ACS via statePUN, 2000-2018"),
    "hispanic_pct": ("Hispanic, % of population", "Census/ACS via statePUN, 2000-2018"),
    "poverty138_pct": ("At or below 138% of poverty, %", "Census/ACS via statePUN, 2000-2018"),
    "urban_pct": ("Urban, % of population", "Census via statePUN (interpolated), 2000-2018"),
}


def grid(states: pd.DataFrame, first: int = FIRST_YEAR, last: int = LAST_YEAR) -> pd.DataFrame:
    """Every state and year: the skeleton the sources are joined onto."""
    years = pd.DataFrame({"year": range(first, last + 1)})
    return states[["state", "usps"]].merge(years, how="cross")


def population(v2019: pd.DataFrame, history: pd.DataFrame, v2023: pd.DataFrame | None = None) -> pd.DataFrame:
    """Resident population: the 1900-2018 compilation before 2010, Census Vintage 2019 for
    2010-2019 and (if given) Vintage 2023 for 2020-2023."""
    earlier = history[history["year"] < v2019["year"].min()]
    later = v2023[v2023["year"] > v2019["year"].max()] if v2023 is not None else v2019.iloc[:0]
    return pd.concat([earlier, v2019, later], ignore_index=True)


def vintage_gap(v2019: pd.DataFrame, history: pd.DataFrame) -> pd.Series:
    """Log difference between two Census vintages' population of the same state-years (the
    compilation's and Vintage 2019's, 2010 on): how much population estimates move between
    vintages, a lower bound on their error (the division-bias check's input)."""
    both = v2019.merge(history, on=["state", "year"], suffixes=("_v2019", "_history"))
    return pd.Series(
        np.log(both["population_v2019"] / both["population_history"]).to_numpy(),
        index=pd.MultiIndex.from_frame(both[["state", "year"]]),
        name="log_gap",
    )


def load_vintage_gap() -> pd.Series:
    """``vintage_gap`` from the catalogued Census files."""
    return vintage_gap(
        state_data.read_census_population(catalog.path("census-nst-est2019-alldata")),
        state_data.read_population_history(catalog.path("census-state-pops-1900-2018")),
    )


def assemble(
    skeleton: pd.DataFrame,
    people: pd.DataFrame,
    shares: dict[str, pd.DataFrame],
    deaths: pd.DataFrame,
    arrests: pd.DataFrame,
    controls: pd.DataFrame,
) -> pd.DataFrame:
    """Join the sources onto the grid and compute shares and rates (per 100,000 residents).

    ``shares`` maps a source key ('pew', 'cms') to its unauthorized-population frame; each gives
    ``unauthorized_<key>`` and ``unauthorized_pct_<key>``; a 90% margin of error becomes
    ``moe90_pct_<key>`` (points of the share). A censored flag becomes ``censored_<key>``.
    """
    panel = skeleton.merge(people, on=["state", "year"], how="left")
    for key, frame in shares.items():
        kept = ["state", "year", "population"] + (["margin_of_error"] if "margin_of_error" in frame else [])
        columns = frame[kept].rename(columns={"population": f"unauthorized_{key}", "margin_of_error": f"moe90_{key}"})
        panel = panel.merge(columns, on=["state", "year"], how="left")
        panel[f"unauthorized_pct_{key}"] = 100 * panel[f"unauthorized_{key}"] / panel["population"]
        if f"moe90_{key}" in panel:
            panel[f"moe90_pct_{key}"] = 100 * panel.pop(f"moe90_{key}") / panel["population"]
        if "censored" in frame:
            panel = panel.merge(
                frame[["state", "year", "censored"]].rename(columns={"censored": f"censored_{key}"}),
                on=["state", "year"],
                how="left",
            )
    death_columns = ["state", "year", "overdose_deaths", "overdose_rate_age_adjusted"]
    death_columns += ["provisional"] if "provisional" in deaths else []
    panel = panel.merge(deaths[death_columns], on=["state", "year"], how="left")
    panel = panel.merge(
        arrests[
            [
                "state",
                "year",
                "drug_arrests",
                "dui_arrests",
                "drug_arrest_rate",
                "dui_arrest_rate",
                "coverage",
                "rate_population",
                "source",
            ]
        ].rename(
            columns={"coverage": "arrest_coverage", "rate_population": "arrest_population", "source": "arrest_source"}
        ),
        on=["state", "year"],
        how="left",
    )
    panel = panel.merge(controls, on=["state", "year"], how="left")
    panel["overdose_rate"] = 1e5 * panel["overdose_deaths"] / panel["population"]
    return panel.sort_values(["state", "year"], ignore_index=True)


def load_deaths() -> state_data.Deaths:
    """Drug-poisoning deaths: final NCHS counts 1999-2017 and the ONDCP Data Supplement's 2018
    (by residence), then CDC VSRR provisional counts (by occurrence) for later years."""
    final = state_data.load_deaths(
        catalog.path("nchs-drug-poisoning-mortality-by-state-1999-2017"),
        catalog.path("ndcs-data-supplement-2020-february"),
    )
    return state_data.with_provisional(final, load_vsrr())


def load_vsrr() -> pd.DataFrame:
    """CDC VSRR provisional deaths by state of occurrence, 2015-2024 ('mort' only)."""
    return state_data.read_vsrr_json(catalog.path("vsrr-overdose-deaths-by-state-year-2015-2024"))


def load_vsrr_december() -> pd.DataFrame:
    """The mirrored VSRR CSV (2015-2018), deaths in the 12 months ending December: the check on ``load_vsrr``."""
    return state_data.read_vsrr_csv_december(catalog.path("vsrr-provisional-drug-overdose-death-counts-2015-2018"))


def load_pew() -> pd.DataFrame:
    """Pew's unauthorized immigrants by state, 1990-2023 (``state_data.read_pew_unauthorized``)."""
    return state_data.read_pew_unauthorized(catalog.path("pew-unauthorized-by-state-1990-2023"))


def load_pew_transcription() -> pd.DataFrame:
    """The independent hand transcription of Pew's 2000 and 2005-2009 state figures: the check on ``load_pew``."""
    return state_data.read_pew_transcription(catalog.path("pew-undocumented-by-state-2000-2005-2009-transcribed"))


def load_panel(
    min_arrest_coverage: float = 50.0, deaths: state_data.Deaths | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The panel from the catalogued raw files (Pew and CMS shares side by side), and the reasons
    for its missing cells. ``deaths`` (from ``load_deaths``) can be passed by a caller that also
    uses the national totals, so that the death files are read once.
    """
    states = state_data.states()
    census = catalog.path("census-nst-est2019-alldata")
    people = population(
        state_data.read_census_population(census),
        state_data.read_population_history(catalog.path("census-state-pops-1900-2018")),
        state_data.read_census_population(catalog.path("census-nst-est2023-alldata")),
    )
    deaths = deaths or load_deaths()
    arrests, arrest_reasons = ucr.load_state_arrests(states, people, min_arrest_coverage)
    arrest_reasons = arrest_reasons.assign(variable=arrest_reasons["variable"].str.replace("_arrests", "_arrest_rate"))
    skeleton = (
        grid(states)
        .merge(state_data.read_census_regions(census), on="state")
        .merge(state_data.read_census_divisions(census), on="state")
    )
    shares = {
        "pew": state_data.read_pew_unauthorized(catalog.path("pew-unauthorized-by-state-1990-2023")),
        "cms": state_data.load_unauthorized("cms-undocumented-by-state-2010-2019"),
    }
    panel = assemble(skeleton, people, shares, deaths.states, arrests, state_data.load_controls())
    return panel, missing_reasons(panel, arrest_reasons)


def missing_reasons(panel: pd.DataFrame, known: pd.DataFrame) -> pd.DataFrame:
    """Why each empty cell of the panel's variables is empty.

    Reasons given by a loader (``known``: state, year, variable, reason) come first. Otherwise a
    cell is outside the source's years, in a year the source skips for every state, for a state
    the source does not cover, or blank in the source.
    """
    rows = []
    for variable in VARIABLES:
        present = panel.loc[panel[variable].notna(), ["state", "year"]]
        if present.empty:
            continue
        first, last = present["year"].min(), present["year"].max()
        years_with_data, states_with_data = set(present["year"]), set(present["state"])
        empty = panel.loc[panel[variable].isna(), ["state", "year"]]
        for state, year in empty.itertuples(index=False):
            if not first <= year <= last:
                reason = f"outside the source's years ({first}-{last})"
            elif year not in years_with_data:
                reason = "year not in the source"
            elif state not in states_with_data:
                reason = "state not in the source"
            else:
                reason = "blank in the source"
            rows.append((state, year, variable, reason))
    derived = pd.DataFrame(rows, columns=["state", "year", "variable", "reason"])
    known = known[["state", "year", "variable", "reason"]]
    merged = derived.merge(known, on=["state", "year", "variable"], how="left", suffixes=("", "_known"))
    merged["reason"] = merged["reason_known"].fillna(merged["reason"])
    return merged.drop(columns="reason_known")


def coverage_table(panel: pd.DataFrame, reasons: pd.DataFrame) -> pd.DataFrame:
    """Per variable: its years, the state-years present, and the count of each reason for absence
    within those years (cells outside the source's years are not counted as gaps)."""
    rows = []
    for variable, (label, source) in VARIABLES.items():
        present = panel.loc[panel[variable].notna()]
        if present.empty:
            continue
        first, last = int(present["year"].min()), int(present["year"].max())
        gaps = reasons[(reasons["variable"] == variable) & reasons["year"].between(first, last)]
        counts = gaps["reason"].value_counts()
        rows.append(
            {
                "variable": variable,
                "label": label,
                "source": source,
                "first_year": first,
                "last_year": last,
                "states": int(present["state"].nunique()),
                "state_years": len(present),
                "gaps": len(gaps),
                "gap_reasons": "; ".join(f"{reason} ({n})" for reason, n in counts.items()),
            }
        )
    return pd.DataFrame(rows)


def presence_by_year(panel: pd.DataFrame) -> pd.DataFrame:
    """Variables x years: how many of the 51 jurisdictions have a value (the coverage heatmap)."""
    counts = panel.groupby("year")[list(VARIABLES)].count().T
    counts.index = [VARIABLES[v][0] for v in counts.index]
    return counts


def dropped_from_sample(panel: pd.DataFrame, sample: pd.DataFrame, years: tuple[int, int]) -> pd.DataFrame:
    """State-years of the panel within ``years`` that the sample leaves out."""
    window = panel.loc[panel["year"].between(*years), ["state", "year"]]
    kept = sample[["state", "year"]].assign(kept=True)
    merged = window.merge(kept, on=["state", "year"], how="left")
    return merged.loc[merged["kept"].isna(), ["state", "year"]].reset_index(drop=True)


def why_dropped(dropped: pd.DataFrame, reasons: pd.DataFrame, variables: list[str]) -> pd.DataFrame:
    """The dropped state-years with the reason each of the model's ``variables`` is missing there."""
    relevant = reasons[reasons["variable"].isin(variables)]
    return dropped.merge(relevant, on=["state", "year"], how="left").fillna({"reason": "outside the model's states"})


def dropped_summary(why: pd.DataFrame) -> str:
    """'reason: State (n), State (n); reason: ...' for the dropped state-years, most frequent reason first."""
    parts = []
    for reason, rows in sorted(why.groupby("reason"), key=lambda item: -len(item[1])):
        counts = rows.groupby("state").size()
        parts.append(f"{reason}: " + ", ".join(f"{state} ({n})" for state, n in counts.items()))
    return "; ".join(parts) or "none"
