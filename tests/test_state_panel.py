"""The state panel: estimators on synthetic panels, loaders on synthetic files, and the real inputs."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import catalog, claims, panel, state_data, state_models, state_panel, ucr
from analysis.errors import DataError

YEARS = list(range(2010, 2019))


# --- estimators on synthetic panels -------------------------------------------------------------

def test_twfe_recovers_a_known_effect():
    data = state_models.synthetic_panel(n_states=51, years=YEARS, effect=3.0, seed=7)
    result = state_models.fit(data, "outcome", "share")
    assert result.coef == pytest.approx(3.0, abs=0.15)
    assert result.ci_low < 3.0 < result.ci_high
    assert (result.n_obs, result.n_states, result.first_year, result.last_year) == (459, 51, 2010, 2018)


def test_twfe_with_no_effect_covers_zero_and_pooled_ols_would_not():
    data = state_models.synthetic_panel(n_states=51, years=YEARS, effect=0.0, seed=11)
    result = state_models.fit(data, "outcome", "share")
    assert result.ci_low < 0 < result.ci_high
    pooled = state_models.fit(data, "outcome", "share", fixed_effects=False)
    assert pooled.ci_low > 0  # the share is correlated with the state effects: without them the slope is biased


def test_weighted_and_region_specific_years_also_recover_the_effect():
    data = state_models.synthetic_panel(n_states=40, years=YEARS, effect=-2.0, seed=3)
    data["region"] = np.where(data["state"] < "S20", "East", "West")
    weighted = state_models.fit(data, "outcome", "share", weights="population")
    by_region = state_models.fit(data, "outcome", "share", years_within="region")
    assert weighted.coef == pytest.approx(-2.0, abs=0.2)
    assert by_region.coef == pytest.approx(-2.0, abs=0.2)


def test_statsmodels_dummies_equal_the_projection_estimator():
    data = state_models.synthetic_panel(n_states=30, years=YEARS, effect=1.5, seed=5)
    with_dummies = state_models.fit(data, "outcome", "share")
    projected = panel.twfe(data, "outcome", "share", unit="state", time="year", repetitions=9)
    assert with_dummies.coef == pytest.approx(projected.coef, rel=1e-10)
    assert with_dummies.se == pytest.approx(projected.se, rel=1e-10)
    assert with_dummies.ci_low == pytest.approx(projected.ci_low, rel=1e-10)


def test_fit_refuses_a_sample_with_missing_values():
    data = state_models.synthetic_panel(n_states=5, years=YEARS, effect=1.0, seed=1)
    data.loc[3, "outcome"] = np.nan
    with pytest.raises(ValueError, match="missing values"):
        state_models.fit(data, "outcome", "share")


def test_leave_one_out_drops_each_state_once():
    data = state_models.synthetic_panel(n_states=6, years=YEARS, effect=1.0, seed=2)
    result = state_models.leave_one_out(data, "outcome", "share")
    assert list(result["omitted"]) == sorted(data["state"].unique())
    assert (result["n_states"] == 5).all() and (result["n_obs"] == 5 * len(YEARS)).all()


# --- samples, missing cells, coverage --------------------------------------------------------------

def tiny_panel() -> pd.DataFrame:
    return pd.DataFrame({"state": ["A"] * 3 + ["B"] * 3, "year": [2010, 2011, 2012] * 2,
                         "share": [1.0, 2.0, 3.0, 4.0, np.nan, 6.0], "rate": [10.0, 11, 12, 13, 14, 15]})


def test_analysis_sample_drops_missing_and_lags_within_state():
    sample = state_panel.analysis_sample(tiny_panel(), "rate", "share", [], (2010, 2012))
    assert list(zip(sample["state"], sample["year"])) == [("A", 2010), ("A", 2011), ("A", 2012), ("B", 2010), ("B", 2012)]
    lagged = state_panel.analysis_sample(tiny_panel(), "rate", "share", [], (2010, 2012), lag=1)
    assert list(zip(lagged["state"], lagged["year"], lagged["share"])) == [("A", 2011, 1.0), ("A", 2012, 2.0), ("B", 2011, 4.0)]
    dropped = state_panel.dropped_from_sample(tiny_panel(), sample, (2010, 2012))
    assert list(zip(dropped["state"], dropped["year"])) == [("B", 2011)]
    reasons = pd.DataFrame({"state": ["B", "B"], "year": [2011, 2011], "variable": ["share", "other"],
                            "reason": ["blank in the source", "not this model's"]})
    assert state_panel.why_dropped(dropped, reasons, ["rate", "share"])["reason"].tolist() == ["blank in the source"]


def test_missing_reasons_name_each_kind_of_gap():
    grid = pd.DataFrame({"state": ["A"] * 4 + ["B"] * 4 + ["C"] * 4, "year": [2009, 2010, 2011, 2012] * 3})
    grid["drug_arrest_rate"] = np.nan
    values = {("A", 2010): 1.0, ("A", 2012): 2.0, ("B", 2010): 3.0, ("B", 2012): np.nan}
    for (state, year), value in values.items():
        grid.loc[(grid["state"] == state) & (grid["year"] == year), "drug_arrest_rate"] = value
    for column in state_panel.VARIABLES:
        grid[column] = grid.get(column, np.nan)
    known = pd.DataFrame({"state": ["B"], "year": [2012], "variable": ["drug_arrest_rate"], "reason": ["reported zero arrests"]})
    reasons = state_panel.missing_reasons(grid, known).set_index(["state", "year"])["reason"]
    assert reasons[("A", 2009)] == "outside the source's years (2010-2012)"
    assert reasons[("A", 2011)] == "year not in the source"
    assert reasons[("C", 2010)] == "state not in the source"
    assert reasons[("B", 2012)] == "reported zero arrests"


def test_zero_arrests_and_low_coverage_become_missing_with_reasons():
    arrests = pd.DataFrame({"state": ["A", "B", "C"], "year": 2000, "drug_arrests": [0.0, 50.0, 300.0],
                            "dui_arrests": [5.0, 0.0, 100.0], "population": 1e5, "rate_population": [1e5, 1e5, 2e5],
                            "coverage": [90.0, 30.0, 80.0]})
    cleaned, reasons = ucr.apply_missing_rules(arrests, min_coverage=50)
    assert cleaned["drug_arrests"].isna().tolist() == [True, True, False]
    assert cleaned["drug_arrest_rate"].iloc[2] == 150.0
    assert cleaned["dui_arrests"].isna().tolist() == [False, True, False]
    drug = reasons[reasons["variable"] == "drug_arrests"].set_index("state")["reason"]
    assert drug["A"].startswith("reported zero") and drug["B"] == "coverage below 50%"


# --- loaders on synthetic files ------------------------------------------------------------------------

LAYOUT = pd.DataFrame({"field": ["state_fips", "county_fips", "population", "coverage", "drug_arrests", "dui_arrests"],
                       "start": [1, 3, 6, 12, 18, 22], "width": [2, 3, 6, 6, 4, 4]})


def test_county_file_fields_and_state_totals(tmp_path):
    lines = ["12001100000 100.0  10   5", "12003300000  50.0  30  15", "01001 50000 080.0   0   2"]
    path = tmp_path / "county.txt"
    path.write_text("\n".join(lines) + "\n")
    counties = ucr.read_county_file(path, LAYOUT)
    assert counties["drug_arrests"].tolist() == [10, 30, 0]
    states = pd.DataFrame({"state": ["Alabama", "Florida"], "fips": ["01", "12"]})
    totals = ucr.state_totals(counties, 2000, states).set_index("state")
    assert totals.loc["Florida", "drug_arrests"] == 40
    assert totals.loc["Florida", "coverage"] == pytest.approx((100 * 1e5 + 50 * 3e5) / 4e5)
    assert totals.loc["Alabama", "coverage"] == pytest.approx(80.0)


def test_county_file_with_a_shifted_layout_is_refused(tmp_path):
    path = tmp_path / "county.txt"
    path.write_text("12001100000 100.0  1x   5\n")
    with pytest.raises(DataError, match="drug_arrests"):
        ucr.read_county_file(path, LAYOUT)


def test_cms_reader_finds_the_header_and_keeps_blanks_missing(tmp_path):
    path = tmp_path / "cms.csv"
    path.write_text(',,\n,,\n,,\nState,Year,Total\nAlabama,2010," 89,200 "\nNorth Dakota,2011,\n,,\n')
    frame = state_data.read_cms_undocumented(path)
    assert frame["population"].iloc[0] == 89200.0
    assert np.isnan(frame["population"].iloc[1])
    assert set(frame.columns) >= set(state_data.UNAUTHORIZED_COLUMNS)


def test_cms_reader_refuses_unknown_states_and_bad_numbers(tmp_path):
    path = tmp_path / "cms.csv"
    path.write_text('State,Year,Total\nAtlantis,2010,"1,000"\n')
    with pytest.raises(DataError, match="Atlantis"):
        state_data.read_cms_undocumented(path)
    path.write_text('State,Year,Total\nAlabama,2010,about 90k\n')
    with pytest.raises(DataError, match="Total"):
        state_data.read_cms_undocumented(path)


def test_unauthorized_contract(tmp_path):
    path = tmp_path / "series.csv"
    path.write_text("state,year,population,source,margin_of_error\nTexas,2015,1700000,Pew,100000\n")
    frame = state_data.read_unauthorized_csv(path)
    assert frame.loc[0, ["state", "year", "population", "margin_of_error"]].tolist() == ["Texas", 2015, 1700000.0, 100000.0]
    path.write_text("state,year,count\nTexas,2015,1700000\n")
    with pytest.raises(DataError, match="population"):
        state_data.read_unauthorized_csv(path)
    path.write_text("state,year,population,source\nTexas,2015,1,Pew\nTexas,2015,2,Pew\n")
    with pytest.raises(DataError, match="two rows for Texas 2015"):
        state_data.read_unauthorized_csv(path)


def test_curated_states_are_unique():
    states = state_data.states()
    assert len(states) == 51
    assert states["usps"].is_unique and states["fips"].is_unique and states["state"].is_unique


# --- the claim's verdict rule ------------------------------------------------------------------------------

@pytest.mark.parametrize("interval, expected", [((0.5, 0.1, 0.9), "contradicted"), ((0.0, -0.5, 0.5), "inconclusive"),
                                                 ((-0.5, -0.9, 0.0), "supported"), ((-0.5, -0.9, -0.1), "supported")])
def test_no_increase_rule(interval, expected):
    assert claims.verdict("no_increase", np.nan, np.nan, 0.0, interval) == expected


def test_interval_rule_reads_the_three_numbers():
    numbers = {"x.twfe.coef": 1.0, "x.twfe.ci_low": 0.5, "x.twfe.ci_high": 1.5}
    assert claims.metric_value("no_increase", "x.twfe", numbers) == (1.0, 0.5, 1.5)
    with pytest.raises(claims.MissingMetric):   # a missing estimate stops the build
        claims.metric_value("no_increase", "x.other", numbers)


# --- real inputs ----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def real_panel(real_data):
    return state_panel.load_panel()


def test_florida_zero_drug_arrests_never_enter_a_regression(real_panel):
    data, reasons = real_panel
    florida = data[(data["state"] == "Florida") & data["year"].between(1996, 2008)]
    assert len(florida) == 13 and florida["drug_arrests"].isna().all() and florida["drug_arrest_rate"].isna().all()
    flagged = reasons[(reasons["state"] == "Florida") & (reasons["variable"] == "drug_arrest_rate")]
    assert set(flagged.loc[flagged["reason"].str.startswith("reported zero"), "year"]) == set(range(1996, 2009))
    proxy = state_panel.analysis_sample(data, "drug_arrest_rate", "foreign_born_pct", [], (2000, 2008))
    assert "Florida" not in set(proxy["state"])
    assert (proxy["drug_arrest_rate"] > 0).all()


def test_coverage_table_matches_the_panel_and_the_model_sample(real_panel):
    data, reasons = real_panel
    coverage = state_panel.coverage_table(data, reasons).set_index("variable")
    for variable in coverage.index:
        assert coverage.loc[variable, "state_years"] == data[variable].notna().sum()
        first, last = coverage.loc[variable, ["first_year", "last_year"]]
        within = data[data["year"].between(first, last)]
        assert coverage.loc[variable, "gaps"] == within[variable].isna().sum()
    sample = state_panel.analysis_sample(data, "overdose_rate", "unauthorized_pct", [], (2010, 2018))
    result = state_models.fit(sample, "overdose_rate", "unauthorized_pct")
    dropped = state_panel.dropped_from_sample(data, sample, (2010, 2018))
    assert result.n_obs == len(sample) == 51 * 9 - len(dropped)
    assert list(zip(dropped["state"], dropped["year"])) == [("North Dakota", 2011)]


def test_published_death_totals(real_data):
    deaths = state_panel.load_deaths()
    national = deaths.national.set_index("year")["deaths"]
    assert national[1999] == 16849 and national[2017] == 70237  # NCHS Data Brief 329
    assert national[2018] == 67367                               # NCHS Data Brief 356
    overlap = deaths.overlap
    assert len(overlap) == 51 * 19 and (overlap["overdose_deaths_nchs"] == overlap["overdose_deaths_ondcp"]).all()
    assert deaths.states.groupby("year").size().eq(51).all() and deaths.states["year"].max() == 2018


def test_table_69_reads_published_state_figures(real_data):
    table = ucr.read_table_69(catalog.path("fbi-cius-2013-table-69-arrests-by-state"), state_data.states()).set_index("state")
    assert len(table) == 51
    assert table.loc["California", "drug_arrests"] == 217520  # CIUS 2013 Table 69, total all ages
    assert table.loc["Texas", "drug_arrests"] == 133711
    assert np.isnan(table.loc["District of Columbia", "covered_population"])


def test_cms_totals_and_the_blank_north_dakota_year(real_data):
    series = state_data.load_unauthorized("cms-undocumented-by-state-2010-2019")
    assert len(series) == 510 and series["population"].isna().sum() == 1
    assert series.loc[(series["state"] == "North Dakota") & (series["year"] == 2011), "population"].isna().all()
    assert series.loc[(series["state"] == "California") & (series["year"] == 2010), "population"].iloc[0] > 2e6
