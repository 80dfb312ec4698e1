"""The referee's checks on the state panel, on synthetic panels with known answers and on hand-made frames."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis.models import fixed_effects, specifications, state_checks, state_models
from tests.helpers import synthetic

YEARS = list(range(2000, 2009))
PEW_YEARS = [1990, 1995, 1998, 2000, 2003, 2005, 2006, 2007, 2008]


def panel(n_states: int = 12, years=YEARS, effect: float = 1.0, seed: int = 3, **kwargs) -> pd.DataFrame:
    return synthetic.synthetic_state_panel(n_states, years, effect=effect, seed=seed, **kwargs)


def test_leave_one_out_verdicts_apply_the_rule_without_each_state():
    data = panel(20, effect=2.0)
    table = state_checks.leave_one_out_verdicts(data, synthetic.SYNTHETIC, threshold=0.5)
    assert table["omitted"].tolist() == sorted(data["state"].unique())
    without = state_models.with_lead(data[data["state"] != "S03"], "share")
    fits = {
        key: state_models.fit_spec(without, synthetic.SYNTHETIC, state_models.SPECS[key])
        for key in state_models.DECISIVE
    }
    row = table.set_index("omitted").loc["S03"]
    assert row["upper_state_trends"] == pytest.approx(fits["state_trends"].ci_high, rel=1e-12)
    assert row["verdict"] == specifications.verdict({k: (f.ci_low, f.ci_high) for k, f in fits.items()}, 0.5)


def test_coverage_cutoffs_drop_only_the_state_years_below_them():
    data = panel(10).assign(
        arrest_coverage=lambda d: np.where(d["state"].isin(["S00", "S01"]) & (d["year"] < 2003), 70.0, 99.0),
        drug_arrest_rate=lambda d: d["rate"],
        dui_arrest_rate=lambda d: d["rate"],
    )
    masked = state_checks.with_min_coverage(data, 80.0)
    assert masked["drug_arrest_rate"].isna().sum() == 2 * 3 and masked["rate"].notna().all()
    sweep = state_checks.coverage_sweep(
        data, replace(synthetic.SYNTHETIC, rate="drug_arrest_rate"), threshold=5.0, cutoffs=(50.0, 80.0)
    )
    assert sweep["n_obs"].tolist() == [10 * len(YEARS), 10 * len(YEARS) - 6]


def test_period_rows_start_later_keep_complete_coverage_and_add_the_previous_share():
    data = panel(12, PEW_YEARS).assign(
        arrest_coverage=95.0, drug_arrest_rate=lambda d: d["rate"], dui_arrest_rate=lambda d: d["rate"]
    )
    data.loc[(data["state"] == "S01") & (data["year"] == 2005), "arrest_coverage"] = 60.0
    analysis = replace(synthetic.SYNTHETIC, rate="drug_arrest_rate", years=(1990, 2008))
    rows = state_checks.period_rows(data, analysis, starts=(1998, 2000), complete_coverage=90.0).set_index("key")
    assert rows.loc["from_1998", "first_year"] == 1998 and rows.loc["from_2000", "n_obs"] == 12 * 6
    assert rows.loc["coverage_90", "n_obs"] == 12 * 9 - 1
    assert rows.loc["lag_previous", "n_obs"] == 12 * 8  # 1990 has no previous published year
    lagged = state_models.with_lag(data, "share").set_index(["state", "year"])
    assert lagged.loc[("S00", 1995), "lag_share"] == lagged.loc[("S00", 1990), "share"]
    current_only = rows.loc["lag_sample"]
    assert current_only["n_obs"] == rows.loc["lag_current", "n_obs"]
    assert rows.loc["lag_current", "coef"] != current_only["coef"]


def test_randomization_inference_finds_a_strong_effect_and_not_a_null():
    strong = panel(15, effect=3.0, seed=5)
    observed, p, error = state_checks.randomization_p(strong, synthetic.SYNTHETIC, draws=999, seed=1)
    assert observed == pytest.approx(
        state_models.fit_spec(strong, synthetic.SYNTHETIC, state_models.SPECS["twfe"]).coef
    )
    assert p < 0.01 and error == pytest.approx(np.sqrt(p * (1 - p) / 999))
    null = panel(15, effect=0.0, seed=5)
    assert state_checks.randomization_p(null, synthetic.SYNTHETIC, draws=999, seed=1)[1] > 0.05


def test_long_difference_equals_ols_with_hc2_errors():
    import statsmodels.api as sm

    data = panel(20, effect=1.5, seed=8)
    fit = state_checks.long_difference(data, synthetic.SYNTHETIC)
    ends = data[data["year"].isin([2000, 2008])].pivot(index="state", columns="year", values=["rate", "share"])
    dy, dx = ends[("rate", 2008)] - ends[("rate", 2000)], ends[("share", 2008)] - ends[("share", 2000)]
    reference = sm.OLS(dy.to_numpy(), sm.add_constant(dx.to_numpy())).fit(cov_type="HC2")
    assert fit.coef == pytest.approx(reference.params[1], rel=1e-10) and fit.se == pytest.approx(
        reference.bse[1], rel=1e-10
    )
    assert (fit.n_obs, fit.df, fit.span) == (20, 18, "2000-2008")
    later = state_checks.long_difference(data, synthetic.SYNTHETIC, first_year=2003)
    ends = data[data["year"].isin([2003, 2008])].pivot(index="state", columns="year", values=["rate", "share"])
    dy, dx = ends[("rate", 2008)] - ends[("rate", 2003)], ends[("share", 2008)] - ends[("share", 2003)]
    assert later.coef == pytest.approx(sm.OLS(dy.to_numpy(), sm.add_constant(dx.to_numpy())).fit().params[1])
    assert later.span == "2003-2008"


def test_driscoll_kraay_fit_uses_the_rule_of_thumb_lags_and_t_with_years_minus_one():
    data = panel(12, list(range(2000, 2024)), seed=4)
    fit = state_checks.driscoll_kraay_fit(data, synthetic.SYNTHETIC)
    assert state_checks.rule_of_thumb_lags(24) == 2 and fit.df == 23
    same = state_checks.driscoll_kraay_fit(data, synthetic.SYNTHETIC, lags=2)
    assert fit.se == same.se and fit.coef == pytest.approx(
        state_models.fit_spec(data, synthetic.SYNTHETIC, state_models.SPECS["twfe"]).coef
    )


def test_change_correlation_uses_consecutive_years_only():
    frame = pd.DataFrame(
        {
            "state": ["A"] * 4 + ["B"] * 4,
            "year": [2010, 2011, 2012, 2014] * 2,
            "a": [1.0, 2.0, 4.0, 9.0, 1.0, 1.5, 1.0, 0.0],
            "b": [1.0, 3.0, 4.0, 0.0, 2.0, 2.0, 3.0, 9.0],
        }
    )
    r, n = state_checks.change_correlation(frame, "a", "b", (2010, 2014))
    # consecutive changes: A (+1, +2) and (+2, +1); B (+0.5, 0) and (-0.5, +1);
    # 2012 -> 2014 is not a year-to-year change
    assert n == 4 and r == pytest.approx(np.corrcoef([1, 2, 0.5, -0.5], [2, 1, 0, 1])[0, 1])


def test_division_bias_is_upward_and_follows_the_formula():
    data = panel(10)
    gap = pd.Series([0.01, -0.01, 0.02, -0.02])
    found = state_checks.division_bias(data, synthetic.SYNTHETIC, gap)
    residual = fixed_effects.residualize(state_models.fixed_effects_basis(data), data["share"].to_numpy())
    within = residual @ residual / len(data)
    assert found.bias == pytest.approx((data["share"] * data["rate"]).mean() * gap.var() / within)
    assert found.bias > 0 and found.error_sd == pytest.approx(gap.std())


def test_power_cost_attenuates_and_counts_the_upper_bounds_below_the_threshold():
    fit = fixed_effects.estimate(0.0, 10.0, 49, n_obs=400, n_clusters=50)
    cost = state_checks.power_cost(fit, 0.3, 20.0)
    assert cost.attenuated == pytest.approx(6.0)
    assert cost.below_share == pytest.approx(stats.norm.cdf((20.0 - stats.t.ppf(0.975, 49) * 10.0 - 6.0) / 10.0))
    assert state_checks.power_cost(fit, -1.7, 20.0).attenuated == 0.0  # no reliable variation: no signal left


def test_window_rows_add_a_break_only_where_the_window_straddles_the_seam():
    data = panel(12, list(range(2000, 2012)), seed=9)
    rows = state_checks.window_rows(
        data, synthetic.SYNTHETIC, ((2000, 2011), (2000, 2008)), break_year=2009, threshold=5.0
    ).set_index("window")
    assert not np.isnan(rows.loc["2000-2011", "break_coef"]) and np.isnan(
        rows.loc["2000-2008"].get("break_coef", np.nan)
    )
    sample = state_models.spec_sample(data, synthetic.SYNTHETIC, state_models.SPECS["twfe"])
    shifted, flags = state_models.with_state_dummies(sample, sample["year"] >= 2009, "after")
    assert len(flags) == 11  # one state's shift is the common one, absorbed by the year effects
    assert rows.loc["2000-2011", "break_coef"] == pytest.approx(
        state_models.fit_linear(shifted, "rate", ["share", *flags]).coef
    )


def test_window_rows_report_lambda_per_decisive_specification_and_the_states():
    data = panel(12, list(range(2000, 2012)), seed=9).assign(moe=1.0)
    rows = state_checks.window_rows(
        data, synthetic.SYNTHETIC, ((2000, 2011),), break_year=2009, threshold=5.0, margin="moe"
    ).set_index("window")
    window = replace(synthetic.SYNTHETIC, years=(2000, 2011))
    for key in state_models.DECISIVE:
        found = rows.loc["2000-2011", f"{key}_reliability"]
        expected = state_checks.reliability(data, window, "moe", state_models.SPECS[key])
        assert found.ratio == pytest.approx(expected.ratio)
    assert rows.loc["2000-2011", "states"] == tuple(sorted(data["state"].unique()))


def test_seam_changes_measure_the_jump_against_ordinary_years():
    years = list(range(2005, 2013))
    frame = pd.DataFrame(
        [
            {"state": state, "year": year, "rate": 100.0 * np.exp(step * (year - 2005) + (jump if year >= 2009 else 0))}
            for state, step, jump in (("A", 0.01, 0.5), ("B", -0.02, -0.1), ("C", 0.03, 0.0))
            for year in years
        ]
    )
    frame.loc[(frame["state"] == "C") & (frame["year"] == 2006), "rate"] = np.nan  # a gap drops only its changes
    seam = state_checks.seam_changes(frame, "rate", 2009, (2005, 2012), largest=2)
    across = np.array([0.01 + 0.5, -0.02 - 0.1, 0.03])
    assert seam.years == (2008, 2009) and seam.states == 3
    assert seam.median == pytest.approx(np.median(across)) and seam.sd == pytest.approx(np.std(across, ddof=1))
    # other consecutive pairs: 2005-06 and 2006-07 have A and B only, the rest all three
    ordinary = [np.std([0.01, -0.02], ddof=1)] * 2 + [np.std([0.01, -0.02, 0.03], ddof=1)] * 4
    assert seam.other_pairs == 6 and seam.sd_other == pytest.approx(np.median(ordinary))
    assert seam.largest.index.tolist() == ["A", "B"] and seam.largest["A"] == pytest.approx(0.51)


def test_lag_collinearity_is_the_within_correlation_of_the_two_shares():
    data = panel(12, PEW_YEARS, seed=6).assign(drug_arrest_rate=lambda d: d["rate"])
    r = state_checks.lag_collinearity(data, synthetic.SYNTHETIC)
    lagged = state_models.with_lag(data, "share").dropna(subset=["lag_share"]).reset_index(drop=True)
    basis = state_models.fixed_effects_basis(lagged)
    a, b = (fixed_effects.residualize(basis, lagged[c].to_numpy()) for c in ("share", "lag_share"))
    assert r == pytest.approx(np.corrcoef(a, b)[0, 1])


def test_main_with_wild_is_the_main_fit_with_its_bootstrap():
    data = panel(12, seed=2)
    row = state_checks.main_with_wild(data, synthetic.SYNTHETIC, draws=999, window="study", years=(2002, 2008))
    window = replace(synthetic.SYNTHETIC, years=(2002, 2008))
    fit = state_models.fit_spec(data, window, state_models.SPECS["twfe"])
    assert (row["coef"], row["years"], row["window"]) == (fit.coef, "2002-2008", "study")
    assert (row["p_wild"], row["p_wild_se"]) == state_models.wild_bootstrap_p(data, window, draws=999)


def test_study_comparison_reads_containment_and_sign():
    published = pd.DataFrame(
        {"value": [-22.0, -1.0], "outcome": ["drug arrests per 100000", "drug overdose deaths per 100000"]},
        index=["a", "b"],
    )
    rows = state_checks.study_comparison(
        published,
        [
            ("a", "Pew", pd.Series({"coef": -37.9, "ci_low": -60.2, "ci_high": -15.6, "years": "1990-2008"})),
            ("b", "CMS", pd.Series({"coef": 1.35, "ci_low": 0.14, "ci_high": 2.56, "years": "2010-2014"})),
        ],
    )
    assert rows["reading"].tolist() == ["contains", "excludes"]
    assert rows["same_sign"].tolist() == [True, False] and rows["book_significant"].tolist() == [True, True]
    assert rows["window"].tolist() == ["declared", "declared"] and not rows["borderline"].any()


@pytest.mark.parametrize(
    "interval, p, error, borderline",
    [
        ((-58.7, 0.06), 0.0365, 0.0006, True),  # the interval includes zero, the wild p is below 0.05
        ((-60.2, -15.6), 0.0035, 0.0002, False),  # both exclude zero
        ((-50.0, -1.0), 0.049, 0.0007, True),  # both below, but p within 3 Monte Carlo SEs of 0.05
        ((-30.0, 10.0), 0.4, 0.0015, False),  # both include zero
    ],
)
def test_study_comparison_calls_a_significance_borderline_as_the_correlation_chapter_does(
    interval, p, error, borderline
):
    published = pd.DataFrame({"value": [-42.0], "outcome": ["DUI arrests per 100000"]}, index=["b"])
    fit = pd.Series(
        {"coef": -29.3, "ci_low": interval[0], "ci_high": interval[1], "years": "1990-2008", "p_wild": p}
        | {"p_wild_se": error, "window": "study"}
    )
    row = state_checks.study_comparison(published, [("b", "Pew", fit)]).iloc[0]
    assert row["borderline"] == borderline and row["window"] == "study"


def test_rate_ratio_at_the_threshold():
    # 5% of a mean of 400 with a 2% share: the others' rate is 400 - 20 x 2 = 360; the undocumented's 360 + 2,000
    assert specifications.rate_ratio_at(20.0, 400.0, 2.0) == pytest.approx(2360 / 360)
    # the same arithmetic applied to a negative slope gives the undocumented a negative rate: not composition
    undocumented, others = specifications.group_rates(-37.9, 473.0, 2.14)
    assert others == pytest.approx(473.0 + 37.9 * 2.14) and undocumented == pytest.approx(others - 3790.0)
    assert specifications.rate_ratio_at(-22.0, 473.0, 2.14) == pytest.approx(
        (473.0 + 22 * 2.14 - 2200) / (473.0 + 22 * 2.14)
    )
