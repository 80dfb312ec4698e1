"""The state panel: estimators on synthetic panels, loaders on synthetic files, and the real inputs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.data import catalog, ondcp, state_data, state_panel, ucr, xlsx
from analysis.errors import DataError
from analysis.metrics import claims
from analysis.models import fixed_effects, specifications, state_checks, state_models
from tests.helpers import synthetic

YEARS = list(range(2010, 2019))


# --- estimators on synthetic panels: every pre-declared specification recovers a known coefficient ---


def spec(key: str) -> specifications.Spec:
    return next(item for item in specifications.SPECIFICATIONS if item.key == key)


@pytest.fixture(scope="module")
def known_effect():
    return state_models.with_lead(synthetic.synthetic_state_panel(51, YEARS, effect=3.0, seed=7), "share")


@pytest.mark.parametrize(
    "key", ["twfe", "weighted", "state_trends", "first_diff", "division_years", "controls", "uncensored"]
)
def test_each_linear_specification_recovers_a_known_effect(known_effect, key):
    result = state_models.fit_spec(known_effect, synthetic.SYNTHETIC, spec(key))
    assert result.coef == pytest.approx(3.0, abs=0.3)
    assert result.ci_low < 3.0 < result.ci_high


def test_poisson_recovers_a_known_log_rate_effect(known_effect):
    result = state_models.fit_poisson(known_effect, "count", "share", "population")
    truth = 3.0  # the synthetic counts' log-rate coefficient equals ``effect``
    assert result.coef == pytest.approx(truth, abs=0.01)
    assert result.ci_low < truth < result.ci_high and result.n_obs == 51 * len(YEARS)


def test_lead_specification_reports_the_leads_coefficient():
    data = state_models.with_lead(
        synthetic.synthetic_state_panel(51, YEARS, effect=1.0, seed=9, lead_effect=2.0), "share"
    )
    result = state_models.fit_spec(data, synthetic.SYNTHETIC, spec("lead"))
    assert result.coef == pytest.approx(2.0, abs=0.3) and result.n_obs == 51 * (len(YEARS) - 1)
    placebo = state_models.with_lead(synthetic.synthetic_state_panel(51, YEARS, effect=1.0, seed=9), "share")
    assert state_models.fit_spec(placebo, synthetic.SYNTHETIC, spec("lead")).ci_low < 0


def test_first_differences_use_consecutive_published_years_only():
    data = synthetic.synthetic_state_panel(20, [2000, 2003, 2005, 2006, 2007], effect=2.0, seed=4, noise=0.0)
    result = state_models.first_differences(data, "rate", "share", [2000, 2003, 2005, 2006, 2007])
    assert result.n_obs == 20 * 4 and result.first == 2003
    gapped = state_models.first_differences(data[data["year"] != 2005], "rate", "share", [2000, 2003, 2005, 2006, 2007])
    assert gapped.n_obs == 20 * 2  # 2003->2006 spans a missing period and is not a first difference


def statsmodels_reference(data: pd.DataFrame, weights: str | None, year_labels: pd.Series):
    import statsmodels.api as sm

    X = sm.add_constant(
        pd.concat(
            [
                data[["share", "unemployment_pct"]],
                pd.get_dummies(data["state"], drop_first=True, dtype=float),
                pd.get_dummies(year_labels, drop_first=True, dtype=float),
            ],
            axis=1,
        )
    )
    model = sm.WLS(data["rate"], X, weights=data[weights]) if weights else sm.OLS(data["rate"], X)
    return model.fit(cov_type="cluster", cov_kwds={"groups": pd.factorize(data["state"])[0]}, use_t=True)


@pytest.mark.parametrize("weights", [None, "population"])
def test_projection_estimator_equals_statsmodels_with_dummies(weights):
    data = synthetic.synthetic_state_panel(30, YEARS, effect=1.5, seed=5)
    ours = state_models.fit_linear(data, "rate", ["share", "unemployment_pct"], weights=weights)
    reference = statsmodels_reference(data, weights, data["year"])
    assert ours.coef == pytest.approx(reference.params["share"], rel=1e-9)
    assert ours.se == pytest.approx(reference.bse["share"], rel=1e-9)
    low, high = reference.conf_int().loc["share"]
    assert (ours.ci_low, ours.ci_high) == pytest.approx((low, high), rel=1e-9)


@pytest.mark.filterwarnings("ignore:The design matrix is rank-deficient")
def test_division_year_effects_equal_statsmodels_coefficient():
    data = synthetic.synthetic_state_panel(30, YEARS, effect=1.5, seed=5)
    ours = state_models.fit_linear(data, "rate", ["share", "unemployment_pct"], years_within="division")
    # states are nested in divisions, so the dummy design is rank-deficient; the coefficient is still unique
    reference = statsmodels_reference(data, None, data["division"] + "_" + data["year"].astype(str))
    assert ours.coef == pytest.approx(reference.params["share"], rel=1e-8)


def test_state_trends_remove_a_differential_trend_that_twfe_mistakes_for_an_effect():
    data = synthetic.synthetic_state_panel(51, YEARS, effect=0.0, seed=12, trend_confound=3.0)
    main = state_models.fit_spec(data, synthetic.SYNTHETIC, spec("twfe"))
    trends = state_models.fit_spec(data, synthetic.SYNTHETIC, spec("state_trends"))
    assert main.ci_low > 0
    assert trends.ci_low < 0 < trends.ci_high


def test_fit_refuses_a_sample_with_missing_values():
    data = synthetic.synthetic_state_panel(5, YEARS, effect=1.0, seed=1)
    data.loc[3, "rate"] = np.nan
    with pytest.raises(ValueError, match="missing values"):
        state_models.fit_linear(data, "rate", ["share"])


def test_leave_one_out_drops_each_state_once():
    data = synthetic.synthetic_state_panel(6, YEARS, effect=1.0, seed=2)
    result = state_models.leave_one_out(data, synthetic.SYNTHETIC)
    assert list(result["omitted"]) == sorted(data["state"].unique())
    assert (result["n_states"] == 5).all() and (result["n_obs"] == 5 * len(YEARS)).all()


@pytest.mark.parametrize("key", ["twfe", "state_trends", "division_years"])
def test_leave_one_state_out_from_one_projection_equals_refitting_without_the_state(key):
    """Unbalanced (a state missing years) and with a division holding a single state: every omitted
    state's estimate, error, interval and sample equal least squares re-fitted without it."""
    data = synthetic.synthetic_state_panel(28, YEARS, effect=0.7, seed=13)  # about three states per division
    data = data[~((data["state"] == "S03") & data["year"].isin(YEARS[:3]))].reset_index(drop=True)
    data.loc[data["state"] == "S27", "division"] = "alone"
    sample = state_models.spec_sample(data, synthetic.SYNTHETIC, spec(key))
    table = state_models.leave_one_state_out(sample, synthetic.SYNTHETIC, spec(key)).set_index("omitted")
    assert table.index.tolist() == sorted(sample["state"].unique())
    for state in table.index:
        refit = state_models.fit_sample(
            sample[sample["state"] != state].reset_index(drop=True), synthetic.SYNTHETIC, spec(key)
        )
        row = table.loc[state]
        assert row["coef"] == pytest.approx(refit.coef, rel=1e-9, abs=1e-12)
        assert row["se"] == pytest.approx(refit.se, rel=1e-9)
        assert (row["ci_high"], row["df"], row["n_obs"], row["n_states"]) == pytest.approx(
            (refit.ci_high, refit.df, refit.n_obs, refit.n_clusters), rel=1e-9
        )


def test_identification_measures_within_state_variation():
    data = pd.DataFrame(
        {
            "state": ["A"] * 3 + ["B"] * 3,
            "year": [1, 2, 3] * 2,
            "share": [1.0, 2.0, 3.0, 5.0, 5.0, 5.0],
            "rate": [0.0] * 6,
        }
    )
    found = state_models.identification(data, synthetic.SYNTHETIC, coef=2.0)
    # after state and year effects the share is -0.5, 0, +0.5 in A and the reverse in B
    assert found.within_variance_share == pytest.approx(1.0 / 15.5)  # residual SS 4 x 0.25 over total SS 15.5
    assert found.within_sd == pytest.approx(np.sqrt(1.0 / 6))
    assert found.median_state_range == pytest.approx(1.0)
    assert found.effect_per_within_sd == pytest.approx(2.0 * np.sqrt(1.0 / 6))


def test_wild_bootstrap_p_is_small_for_a_strong_effect_and_not_for_none():
    strong = synthetic.synthetic_state_panel(30, YEARS, effect=1.0, seed=3)
    null = synthetic.synthetic_state_panel(30, YEARS, effect=0.0, seed=3)
    p, error = state_models.wild_bootstrap_p(strong, synthetic.SYNTHETIC, draws=199)
    assert p == pytest.approx(1 / 200) and error == pytest.approx(np.sqrt(p * (1 - p) / 199))
    assert state_models.wild_bootstrap_p(null, synthetic.SYNTHETIC, draws=199)[0] > 0.05


# --- the verdict rule, declared before the results ---------------------------------------------------


def decisive_intervals(data: pd.DataFrame) -> dict:
    data = state_models.with_lead(data, "share")
    fits = {
        key: state_models.fit_spec(data, synthetic.SYNTHETIC, spec(key))
        for key in (specifications.MAIN, *specifications.TREND_ROBUST)
    }
    return {key: (fit.ci_low, fit.ci_high) for key, fit in fits.items()}


def test_rule_differential_trend_is_inconclusive():
    data = synthetic.synthetic_state_panel(51, YEARS, effect=0.0, seed=12, trend_confound=3.0)
    intervals = decisive_intervals(data)
    assert intervals["twfe"][0] > 0  # the main model alone would call it an increase
    assert specifications.verdict(intervals, threshold=1.0) == "inconclusive"


def test_rule_persistent_true_effect_is_contradicted():
    data = synthetic.synthetic_state_panel(51, YEARS, effect=2.0, seed=13)
    assert specifications.verdict(decisive_intervals(data), threshold=1.0) == "contradicted"


@pytest.mark.parametrize("seed", range(20, 26))
def test_rule_true_zero_is_never_contradicted(seed):
    data = synthetic.synthetic_state_panel(51, YEARS, effect=0.0, seed=seed)
    assert specifications.verdict(decisive_intervals(data), threshold=1.0) in ("supported", "inconclusive")


@pytest.mark.parametrize(
    "intervals, expected",
    [
        ({"twfe": (0.1, 1), "state_trends": (0.2, 2), "division_years": (0.3, 3)}, "contradicted"),
        ({"twfe": (-1, 0.4), "state_trends": (-2, 0.9), "division_years": (-3, 0.5)}, "supported"),
        ({"twfe": (-1, 0.4), "state_trends": (-2, 1.1), "division_years": (-3, 0.5)}, "inconclusive"),
        ({"twfe": (0.1, 1), "state_trends": (-0.2, 2), "division_years": (0.3, 3)}, "inconclusive"),
        ({"twfe": (0.1, 1), "division_years": (0.3, 3)}, "inconclusive"),
    ],
)
def test_rule_on_given_intervals(intervals, expected):
    assert specifications.verdict(intervals, threshold=1.0) == expected


def test_reason_is_built_from_the_numbers():
    intervals = {"twfe": (-60.2, -15.6), "state_trends": (-50.3, 25.4), "division_years": (-71.7, -15.5)}
    coefs = {"twfe": -37.9, "state_trends": -12.4, "division_years": -43.6}
    text = specifications.verdict_reason("inconclusive", intervals, coefs, 22.8, "drug arrests")
    assert "main (state and year effects) -37.9 (-60.2 to -15.6)" in text
    assert "0 of these 3 intervals lie entirely above zero and 2 of 3 lie below +22.8" in text
    assert "so they neither all show an increase nor all rule one out." in text
    assert text.endswith("The highest upper bound, +25.4, is 2.6 above the threshold.")


# --- Pew's irregular years, and the rule's error rate under a true zero ---------------------------------

PEW_YEARS = [1990, 1995, 1998, 2000, 2003, 2005, 2006, 2007, 2008]


def test_first_differences_and_lead_follow_pews_irregular_years():
    data = synthetic.synthetic_state_panel(12, PEW_YEARS, effect=2.0, seed=4, noise=0.0)
    result = state_models.first_differences(data, "rate", "share", PEW_YEARS)
    assert result.n_obs == 12 * 8 and result.first == 1995 and result.ci_low < 2.0 < result.ci_high
    led = state_models.with_lead(data, "share").set_index(["state", "year"])
    assert led.loc[("S00", 1990), "lead_share"] == led.loc[("S00", 1995), "share"]  # five years ahead
    assert led.loc[("S00", 2005), "lead_share"] == led.loc[("S00", 2006), "share"]  # one year ahead
    assert np.isnan(led.loc[("S00", 2008), "lead_share"])


def contradicted_under_zero(seed: int) -> bool:
    """One Monte Carlo draw: does the rule say 'contradicted' on a panel with no effect? The decisive
    fits run one at a time and stop at the first interval that is not above zero (the rule's outcome
    is then settled), which keeps 200 draws fast."""
    data = state_models.with_lead(synthetic.synthetic_state_panel(12, PEW_YEARS, 0.0, seed), "share")
    intervals = {}
    for key in (specifications.MAIN, *specifications.TREND_ROBUST):
        fit = state_models.fit_spec(data, synthetic.SYNTHETIC, spec(key))
        intervals[key] = (fit.ci_low, fit.ci_high)
        if fit.ci_low <= 0:
            return False
    return specifications.verdict(intervals, threshold=1.0) == "contradicted"


def test_rule_under_a_true_zero_is_rarely_contradicted_monte_carlo():
    draws = 200
    contradicted = sum(contradicted_under_zero(seed) for seed in range(draws))
    # each decisive interval alone is positive-only in ~2.5% of draws; requiring all three keeps the rate below that
    assert contradicted / draws <= 0.05 + 2 * np.sqrt(0.05 * 0.95 / draws)


# --- alternative conventions, robustness rows, reliability, residence ------------------------------------


def test_fixest_convention_leaves_nested_effects_out_of_k_exactly():
    data = synthetic.synthetic_state_panel(10, YEARS, effect=1.0, seed=5)
    for trends in (False, True):
        declared = state_models.fit_linear(data, "rate", ["share"], state_trends=trends)
        fixest = state_models.fit_linear(data, "rate", ["share"], state_trends=trends, count_nested=False)
        n, states, years = len(data), 10, len(YEARS)
        absorbed = states + years - 1 + (states - 1 if trends else 0)  # the trends' sum is a common trend
        nested = states * (2 if trends else 1)
        assert state_models.nested_rank(data, trends) == nested
        assert fixest.coef == declared.coef
        assert fixest.se / declared.se == pytest.approx(
            np.sqrt((n - 1 - absorbed) / (n - 1 - absorbed + nested)), rel=1e-12
        )


def test_counting_every_dummy_column_adds_the_redundant_ones_to_k_exactly():
    data = synthetic.synthetic_state_panel(10, YEARS, effect=1.0, seed=5)
    for trends in (False, True):
        declared = state_models.fit_linear(data, "rate", ["share"], state_trends=trends)
        columns = state_models.fit_linear(data, "rate", ["share"], state_trends=trends, count_columns=True)
        n, states, years = len(data), 10, len(YEARS)
        absorbed = states + years - 1 + (states - 1 if trends else 0)  # the rank of the effects
        redundant = 2 if trends else 1  # year and state dummies share a constant; the trends' sum is a year trend
        assert columns.coef == declared.coef
        assert columns.se / declared.se == pytest.approx(
            np.sqrt((n - 1 - absorbed) / (n - 1 - absorbed - redundant)), rel=1e-12
        )


def test_ninety_percent_interval_uses_the_95th_t_quantile():
    from scipy import stats

    data = synthetic.synthetic_state_panel(10, YEARS, effect=1.0, seed=5)
    wide, narrow = (
        state_models.fit_linear(data, "rate", ["share"]),
        state_models.fit_linear(data, "rate", ["share"], level=0.90),
    )
    assert (narrow.ci_high - narrow.coef) / (wide.ci_high - wide.coef) == pytest.approx(
        stats.t.ppf(0.95, 9) / stats.t.ppf(0.975, 9)
    )


def test_robustness_rows_run_only_where_they_change_the_sample():
    data = synthetic.synthetic_state_panel(10, PEW_YEARS, effect=1.0, seed=6)
    data.loc[data["year"] < 2000, "unemployment_pct"] = np.nan
    window = specifications.Analysis("x", "y", "rate", "count", "population", "share", (1990, 2008), "x", "censored")
    rows = state_models.run_robustness(data, window).set_index("key")
    assert rows.loc["controls_sample", "n_obs"] == 10 * 6 and rows.loc["controls_sample", "first_year"] == 2000
    assert rows.loc["from_1995", "n_obs"] == 10 * 8 and rows.loc["from_1995", "years"] == "1995-2008"
    later = specifications.Analysis("x", "y", "rate", "count", "population", "share", (2000, 2008), "x", "censored")
    assert state_models.run_robustness(data, later).empty  # both rows equal the main sample there


def test_including_zero_and_lead_check_read_the_bounds():
    table = pd.DataFrame(
        {
            "key": ["twfe", "lead", "x"],
            "label": ["Main", "Lead", "X"],
            "coef": [-1.5, 1.0, 1.0],
            "ci_low": [-2.0, 0.1, 0.0],
            "ci_high": [-1.0, 2.0, 3.0],
        }
    )
    assert state_models.including_zero(table) == ["X"]
    assert state_models.lead_check(table) == "fails"
    wide = table.assign(ci_low=-1.0)  # lead [-1, 2]: includes zero
    assert state_models.lead_check(wide) == "passes"  # and not the main estimate -1.5
    assert state_models.lead_check(wide.assign(coef=[-0.5, 1.0, 1.0])) == "uninformative"  # includes -0.5 too


def test_sensitivity_rows_and_sentence():
    data = synthetic.synthetic_state_panel(30, YEARS, effect=0.0, seed=21)
    table = state_models.sensitivity(data, synthetic.SYNTHETIC, threshold=1.0, study_threshold=0.5)
    assert table["key"].tolist() == ["declared", "fixest", "columns", "cr2", "cr2_bm", "tost90", "study_threshold"]
    assert table["threshold"].tolist() == [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.5]
    declared = decisive_intervals(data)
    assert table.loc[0, "highest_upper"] == pytest.approx(max(high for _, high in declared.values()))
    assert table.loc[0, "verdict"] == specifications.verdict(declared, 1.0)
    assert (table["highest_upper"].iloc[[1, 5]] < table.loc[0, "highest_upper"]).all()  # fixest and 90% narrow
    assert table.loc[2, "highest_upper"] > table.loc[0, "highest_upper"]  # redundant columns in k widen
    # Bell-McCaffrey degrees of freedom are fewer than states - 1, so its interval is wider than CR2's with 29 df
    assert (table.loc[4, [f"df_{key}" for key in state_models.DECISIVE]] < 29).all()
    assert table.loc[4, "highest_upper"] > table.loc[3, "highest_upper"]
    assert table.loc[1, "convention"] == "fixest default (nested effects not counted)"
    # what each reading changes: the errors, the test's level, or (the study's figure) the threshold
    assert table["kind"].tolist() == ["declared", "errors", "errors", "errors", "errors", "level", "threshold"]


@pytest.mark.parametrize("trends", [False, True])
def test_cr2_equals_the_formula_with_every_dummy(trends):
    """CR2 by projection equals CR2 computed from the full design with explicit dummies."""
    sample = synthetic.synthetic_state_panel(6, YEARS, effect=0.5, seed=9)
    fit = state_models.fit_cr2(sample, synthetic.SYNTHETIC, specifications.Spec("x", "x", state_trends=trends))
    states = fixed_effects.dummies(sample["state"])
    design = [sample["share"].to_numpy()[:, None], states, fixed_effects.dummies(sample["year"])]
    if trends:
        design.append(states * (sample["year"].to_numpy(float) - 2014)[:, None])
    X = np.column_stack(design)
    pinv = np.linalg.pinv(X.T @ X)
    coef = pinv @ X.T @ sample["rate"].to_numpy()
    residual, hat = sample["rate"].to_numpy() - X @ coef, X @ pinv @ X.T
    codes = pd.factorize(sample["state"])[0]
    meat = np.zeros((X.shape[1], X.shape[1]))
    for g in range(6):
        rows = codes == g
        values, vectors = np.linalg.eigh(np.eye(rows.sum()) - hat[np.ix_(rows, rows)])
        kept = values > 1e-9
        score = X[rows].T @ ((vectors[:, kept] / np.sqrt(values[kept])) @ vectors[:, kept].T) @ residual[rows]
        meat += np.outer(score, score)
    vcov = pinv @ meat @ pinv
    assert fit.coef == pytest.approx(coef[0], rel=1e-9) and fit.se == pytest.approx(np.sqrt(vcov[0, 0]), rel=1e-7)


def test_trend_combinations_run_only_where_they_change_the_model():
    data = synthetic.synthetic_state_panel(10, PEW_YEARS, effect=1.0, seed=6)
    window = specifications.Analysis("x", "y", "rate", "count", "population", "share", (1990, 2008), "x", "censored")
    rows = state_models.trend_combinations(data, window).set_index("key")
    assert rows.index[0] == "state_trends" and "state_trends_weighted" in rows.index
    assert rows.loc["state_trends_from_1995", "years"] == "1995-2008"
    assert (
        rows.loc["state_trends", "coef"]
        == state_models.fit_spec(state_models.with_lead(data, "share"), window, spec("state_trends")).coef
    )
    later = specifications.Analysis("x", "y", "rate", "count", "population", "share", (2000, 2008), "x", "censored")
    assert "state_trends_from_1995" not in state_models.trend_combinations(data, later)["key"].tolist()


def test_threshold_bootstrap_rejects_only_thresholds_the_data_rule_out():
    data = state_models.with_lead(synthetic.synthetic_state_panel(30, YEARS, effect=0.0, seed=3), "share")
    far, error = state_models.threshold_bootstrap_p(data, synthetic.SYNTHETIC, spec("twfe"), threshold=5.0, draws=199)
    assert far == pytest.approx(1 / 200) and error == pytest.approx(np.sqrt(far * (1 - far) / 199))
    below, _ = state_models.threshold_bootstrap_p(
        data, synthetic.SYNTHETIC, spec("state_trends"), threshold=-5.0, draws=199
    )
    assert below > 0.95


@pytest.mark.parametrize("key", ["twfe", "state_trends"])
def test_threshold_bootstrap_draw_equals_refitting_the_bootstrap_sample(key):
    """Each draw's t is the declared CR1 t of H0: slope = threshold on the sample rebuilt from the
    restricted residuals (projected before flipping) with the same fixed effects."""
    sample = synthetic.synthetic_state_panel(8, YEARS, effect=0.5, seed=4)
    threshold, chosen = 0.3, spec(key)
    flips = np.random.default_rng(1).choice([-1.0, 1.0], size=(8, 2))
    x, y, basis, codes = state_models.projected(sample, synthetic.SYNTHETIC, chosen)
    draws = fixed_effects.wild_t_draws(x, y - threshold * x, codes, basis, flips, basis.shape[1])
    restricted = fixed_effects.residualize(basis, sample["rate"].to_numpy() - threshold * sample["share"].to_numpy())
    for column in range(2):
        rebuilt = sample.assign(rate=sample["rate"] - restricted + restricted * flips[codes, column])
        refit = state_models.fit_linear(rebuilt, "rate", ["share"], state_trends=chosen.state_trends)
        assert draws[column] == pytest.approx((refit.coef - threshold) / refit.se, rel=1e-8)


def test_reliability_from_margins_corrects_for_the_noise_inside_the_within_variance():
    data = pd.DataFrame(
        {
            "state": ["A"] * 3 + ["B"] * 3,
            "year": [1, 2, 3] * 2,
            "share": [1.0, 2.0, 3.0, 5.0, 5.0, 5.0],
            "rate": [0.0] * 6,
            "moe": [1.6448536269514722] * 5 + [np.nan],
        }
    )
    found = state_checks.reliability(data, synthetic.SYNTHETIC, "moe")
    # within-state variance W = 1/6; standard error = margin / 1.645 = 1, so s2u = 1; n = 6, k = 2 + 3 - 1 = 4
    assert found.within_variance == pytest.approx(1 / 6) and found.error_variance == pytest.approx(1.0)
    assert (found.cells_with_margin, found.cells) == (5, 6)
    # (n - k)/n = 1/3 = (1 - 1/T)(1 - 1/N) for this balanced panel; lambda = 1 - 1 x (1/3) / (1/6) = -1, not clipped
    assert found.surviving == pytest.approx(1 / 3) and found.ratio == pytest.approx(-1.0)
    # independent noise alone would leave s2u (n - k)/n = 1/3, twice the 1/6 observed; chance allows
    # sqrt(2 / (n - k)) = 1 of it here (two cells of freedom), so this is not beyond chance
    assert found.noise_variance == pytest.approx(1 / 3) and found.chance_band == pytest.approx(1.0)
    assert not found.independence_fails
    assert state_checks.reliability_words(found) == (
        "-1.00: no more variation than independent noise would leave, so it may be all noise"
    )
    precise = state_checks.reliability(data.assign(moe=data["moe"] / 10), synthetic.SYNTHETIC, "moe")
    assert precise.ratio == pytest.approx(1 - 0.01 * (1 / 3) * 6)  # 0.98
    assert state_checks.reliability_words(precise) == "0.98"


def test_a_negative_lambda_beyond_chance_shows_the_independence_assumption_fails():
    """Noise that cannot fit inside the variation left: the margins contradict independent errors."""
    found = state_checks.Reliability("state_trends", 0.0715, 0.2645, 0.743, 1 - 0.2645 * 0.743 / 0.0715, 364, 414)
    assert found.noise_variance == pytest.approx(0.2645 * 0.743)  # 0.197, 2.7 times the 0.0715 left
    assert found.chance_band == pytest.approx(np.sqrt(2 / (0.743 * 414)))  # about 8%
    assert found.independence_fails and found.ratio == pytest.approx(-1.7486, abs=1e-4)
    assert state_checks.reliability_words(found) == (
        "-1.75: impossible with independent errors, so the signal share cannot be known"
    )
    # just below zero but within chance: may be all noise, not a failed assumption
    near = state_checks.Reliability("twfe", 0.19, 0.2645, 0.743, 1 - 0.2645 * 0.743 / 0.19, 364, 414)
    assert near.ratio < 0 and not near.independence_fails


def test_reliability_per_specification_counts_every_absorbed_effect():
    """With state trends the projection keeps (n - k)/n of the noise, k counting the trends too."""
    data = synthetic.synthetic_state_panel(6, YEARS, effect=0.0, seed=2).assign(moe=1.6448536269514722)
    trends = state_checks.reliability(data, synthetic.SYNTHETIC, "moe", spec("state_trends"))
    basis = state_models.fixed_effects_basis(data, state_trends=True)
    residual = fixed_effects.residualize(basis, data["share"].to_numpy())
    assert basis.shape[1] == 6 + len(YEARS) - 1 + 5  # a trend per state, one collinear with the year effects
    assert trends.surviving == pytest.approx((len(data) - basis.shape[1]) / len(data))
    assert trends.ratio == pytest.approx(1 - trends.surviving / (residual @ residual / len(data)))


def test_provisional_gap_and_residence_checks():
    final = pd.DataFrame(
        {"state": ["A", "A", "B"], "year": [2017, 2018, 2018], "overdose_deaths": [100.0, 100.0, 50.0]}
    )
    provisional = pd.DataFrame({"state": ["A", "A", "B"], "year": [2017, 2018, 2018], "deaths": [110.0, 110.0, 50.0]})
    gap = state_models.provisional_gap(final, provisional).set_index("state")["gap_pct"]
    assert gap.to_dict() == pytest.approx({"A": 10.0, "B": 0.0})
    data = synthetic.synthetic_state_panel(8, YEARS, effect=1.0, seed=8).assign(provisional=lambda d: d["year"] >= 2016)
    none = pd.DataFrame({"state": data["state"].unique(), "gap_pct": 0.0})
    checks = state_models.residence_checks(data, synthetic.SYNTHETIC, none)
    assert checks["rescaled"].coef == pytest.approx(state_models.fit_spec(data, synthetic.SYNTHETIC, spec("twfe")).coef)
    assert checks["state_provisional"].n_obs == 8 * len(YEARS)


# --- samples, missing cells, coverage --------------------------------------------------------------


def tiny_panel() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "state": ["A"] * 3 + ["B"] * 3,
            "year": [2010, 2011, 2012] * 2,
            "share": [1.0, 2.0, 3.0, 4.0, np.nan, 6.0],
            "rate": [10.0, 11, 12, 13, 14, 15],
        }
    )


def test_spec_sample_drops_missing_and_reports_why():
    tiny = tiny_panel()
    main = spec("twfe")
    window = specifications.Analysis("x", "y", "rate", "rate", "rate", "share", (2010, 2012), "tiny")
    sample = state_models.spec_sample(tiny, window, main)
    assert list(zip(sample["state"], sample["year"], strict=True)) == [
        ("A", 2010),
        ("A", 2011),
        ("A", 2012),
        ("B", 2010),
        ("B", 2012),
    ]
    dropped = state_panel.dropped_from_sample(tiny, sample, (2010, 2012))
    assert list(zip(dropped["state"], dropped["year"], strict=True)) == [("B", 2011)]
    reasons = pd.DataFrame(
        {
            "state": ["B", "B"],
            "year": [2011, 2011],
            "variable": ["share", "other"],
            "reason": ["blank in the source", "not this model's"],
        }
    )
    why = state_panel.why_dropped(dropped, reasons, ["rate", "share"])
    assert why["reason"].tolist() == ["blank in the source"]
    assert state_panel.dropped_summary(why) == "blank in the source: B (1)"


def test_missing_reasons_name_each_kind_of_gap():
    grid = pd.DataFrame({"state": ["A"] * 4 + ["B"] * 4 + ["C"] * 4, "year": [2009, 2010, 2011, 2012] * 3})
    grid["drug_arrest_rate"] = np.nan
    values = {("A", 2010): 1.0, ("A", 2012): 2.0, ("B", 2010): 3.0, ("B", 2012): np.nan}
    for (state, year), value in values.items():
        grid.loc[(grid["state"] == state) & (grid["year"] == year), "drug_arrest_rate"] = value
    for column in state_panel.VARIABLES:
        grid[column] = grid.get(column, np.nan)
    known = pd.DataFrame(
        {"state": ["B"], "year": [2012], "variable": ["drug_arrest_rate"], "reason": ["reported zero arrests"]}
    )
    reasons = state_panel.missing_reasons(grid, known).set_index(["state", "year"])["reason"]
    assert reasons[("A", 2009)] == "outside the source's years (2010-2012)"
    assert reasons[("A", 2011)] == "year not in the source"
    assert reasons[("C", 2010)] == "state not in the source"
    assert reasons[("B", 2012)] == "reported zero arrests"


def test_zero_arrests_and_low_coverage_become_missing_with_reasons():
    arrests = pd.DataFrame(
        {
            "state": ["A", "B", "C"],
            "year": 2000,
            "drug_arrests": [0.0, 50.0, 300.0],
            "dui_arrests": [5.0, 0.0, 100.0],
            "population": 1e5,
            "rate_population": [1e5, 1e5, 2e5],
            "coverage": [90.0, 30.0, 80.0],
        }
    )
    cleaned, reasons = ucr.apply_missing_rules(arrests, min_coverage=50)
    assert cleaned["drug_arrests"].isna().tolist() == [True, True, False]
    assert cleaned["drug_arrest_rate"].iloc[2] == 150.0
    assert cleaned["dui_arrests"].isna().tolist() == [False, True, False]
    drug = reasons[reasons["variable"] == "drug_arrests"].set_index("state")["reason"]
    assert drug["A"].startswith("reported zero") and drug["B"] == "coverage below 50%"


# --- loaders on synthetic files ------------------------------------------------------------------------

LAYOUT = pd.DataFrame(
    {
        "field": ["state_fips", "county_fips", "population", "coverage", "drug_arrests", "dui_arrests"],
        "start": [1, 3, 6, 12, 18, 22],
        "width": [2, 3, 6, 6, 4, 4],
    }
)


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
    path.write_text("State,Year,Total\nAlabama,2010,about 90k\n")
    with pytest.raises(DataError, match="Total"):
        state_data.read_cms_undocumented(path)


def test_unauthorized_contract(tmp_path):
    path = tmp_path / "series.csv"
    path.write_text("state,year,population,source,margin_of_error\nTexas,2015,1700000,Pew,100000\n")
    frame = state_data.read_unauthorized_csv(path)
    assert frame.loc[0, ["state", "year", "population", "margin_of_error"]].tolist() == [
        "Texas",
        2015,
        1700000.0,
        100000.0,
    ]
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


@pytest.mark.parametrize(
    "interval, expected",
    [
        ((0.5, 0.1, 0.9), "contradicted"),
        ((0.0, -0.5, 0.5), "inconclusive"),
        ((-0.5, -0.9, 0.0), "supported"),
        ((-0.5, -0.9, -0.1), "supported"),
    ],
)
def test_no_increase_rule(interval, expected):
    assert claims.verdict("no_increase", np.nan, np.nan, 0.0, interval) == expected


def test_interval_rule_reads_the_three_numbers():
    numbers = {"x.twfe.coef": 1.0, "x.twfe.ci_low": 0.5, "x.twfe.ci_high": 1.5}
    assert claims.metric_value("no_increase", "x.twfe", numbers) == (1.0, 0.5, 1.5)
    with pytest.raises(claims.MissingMetric):  # a missing estimate stops the build
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
    drug = next(a for a in specifications.ANALYSES if a.outcome == "drug_arrests")
    sample = state_models.spec_sample(data, drug, spec("twfe"))
    assert set(sample.loc[sample["state"] == "Florida", "year"]) == {1990, 1995}  # Pew years before 1996
    assert (sample["drug_arrest_rate"] > 0).all()


def test_coverage_table_matches_the_panel_and_the_model_sample(real_panel):
    data, reasons = real_panel
    coverage = state_panel.coverage_table(data, reasons).set_index("variable")
    assert {"unauthorized_pct_pew", "unauthorized_pct_cms", "overdose_rate", "drug_arrest_rate"} <= set(coverage.index)
    for variable in coverage.index:
        assert coverage.loc[variable, "state_years"] == data[variable].notna().sum()
        first, last = coverage.loc[variable, ["first_year", "last_year"]]
        within = data[data["year"].between(first, last)]
        assert coverage.loc[variable, "gaps"] == within[variable].isna().sum()
    cms = next(a for a in specifications.ANALYSES if a.source == "cms")
    sample = state_models.spec_sample(data, cms, spec("twfe"))
    assert len(sample) == 51 * 5 - 1  # 2010-2014, North Dakota 2011 blank in the CMS file
    assert state_models.fit_spec(data, cms, spec("twfe")).n_obs == len(sample)


def test_pew_cross_check_lists_every_difference(real_data):
    pew = state_data.read_pew_unauthorized(catalog.path("pew-unauthorized-by-state-1990-2023"))
    transcribed = state_data.read_pew_transcription(
        catalog.path("pew-undocumented-by-state-2000-2005-2009-transcribed")
    )
    compared = state_data.compare_pew(pew, transcribed)
    assert compared["note"].value_counts().to_dict() == {
        "equal": 257,
        "small state (censored in Pew, blank here)": 42,
        "not in the Pew series": 6,
        "values differ": 1,
    }
    differ = compared[compared["note"] == "values differ"].iloc[0]
    assert (differ["state"], differ["year"], differ["population_transcribed"], differ["population_pew"]) == (
        "New York",
        2008,
        870_000,
        875_000,
    )
    assert set(compared.loc[compared["note"] == "not in the Pew series", "state"]) == {"District of Columbia"}


@pytest.mark.parametrize("year, national", [(1990, 3.5e6), (2007, 12.2e6), (2023, 14.0e6)])
def test_pew_fifty_state_sum_matches_the_national_total(real_data, year, national):
    pew = state_data.read_pew_unauthorized(catalog.path("pew-unauthorized-by-state-1990-2023"))
    assert len(pew[pew["year"] == year]) == 50 and pew["censored"].sum() == 174
    assert pew.loc[pew["year"] == year, "population"].sum() == pytest.approx(national, rel=0.02)


def test_vsrr_extract_equals_the_mirrored_vsrr_file(real_data):
    extract = state_data.read_vsrr_json(catalog.path("vsrr-overdose-deaths-by-state-year-2015-2024"))
    mirrored = state_data.read_vsrr_csv_december(catalog.path("vsrr-provisional-drug-overdose-death-counts-2015-2018"))
    both = extract.merge(mirrored, on=["state", "year"], suffixes=("_json", "_csv"))
    assert (
        len(both) == 51 * 3 and (both["deaths_json"] == both["deaths_csv"]).all()
    )  # Dec 2015-2017 (the CSV ends Oct 2018)
    totals = extract.groupby("year")["deaths"].sum()
    assert totals[2019] == 71130 and totals[2021] == 107573  # the catalog's check sums
    assert 2025 not in totals.index  # null, i.e. missing, not zero


def test_published_death_totals(real_data):
    deaths = state_panel.load_deaths()
    national = deaths.national.set_index("year")["deaths"]
    assert national[1999] == 16849 and national[2017] == 70237  # NCHS Data Brief 329
    assert national[2018] == 67367  # NCHS Data Brief 356
    overlap = deaths.overlap
    assert len(overlap) == 51 * 19 and (overlap["overdose_deaths_nchs"] == overlap["overdose_deaths_ondcp"]).all()
    final = deaths.states[~deaths.states["provisional"]]
    assert final.groupby("year").size().eq(51).all() and final["year"].max() == 2018
    assert deaths.national.loc[deaths.national["provisional"], "year"].min() == 2019
    assert national[2019] == 71130  # provisional, by occurrence (final by residence: 70,630)


def test_table_69_reads_published_state_figures(real_data):
    table = ucr.read_table_69(catalog.path("fbi-cius-2013-table-69-arrests-by-state"), state_data.states()).set_index(
        "state"
    )
    assert len(table) == 51
    assert table.loc["California", "drug_arrests"] == 217520  # CIUS 2013 Table 69, total all ages
    assert table.loc["Texas", "drug_arrests"] == 133711
    assert np.isnan(table.loc["District of Columbia", "covered_population"])


def test_every_table_69_passes_its_own_printed_totals_and_holds_the_noted_gaps(real_data):
    tables = ucr.load_tables_69(state_data.states())
    assert list(tables) == [2009, 2010, 2011, 2012, 2013, 2014, 2015, 2017, 2018, 2019]
    held = {year: set(table["state"]) for year, table in tables.items()}
    assert "District of Columbia" not in held[2010] | held[2012] and "Hawaii" not in held[2011]  # MANIFEST notes
    assert all(len(held[year]) == 51 for year in (2009, 2013, 2014, 2015, 2017, 2018, 2019))
    iowa = tables[2018].set_index("state").loc["Iowa"]
    assert np.isnan(iowa["drug_arrests"]) and np.isnan(iowa["covered_population"])  # "Limited data for 2018"
    alabama = tables[2019].set_index("state").loc["Alabama"]
    assert alabama["footnoted"] and alabama["covered_population"] == 85670  # "Limited data for 2019 were available"


HEADER_69 = [
    "State",
    "",
    "Total all classes",
    "Violent crime",
    "Property crime",
    "Murder and nonnegligent manslaughter",
    "Rape",
    "Robbery",
    "Aggravated assault",
    "Burglary",
    "Larceny- theft",
    "Motor vehicle theft",
    "Arson",
    "Drug abuse violations",
    "Driving under the influence",
    "Number of agencies",
    "2013 estimated population",
]


def test_printed_totals_check_names_the_file_column_and_row():
    row = [60.0, 10.0, 10.0, 1.0, 2.0, 3.0, 4.0, 2.0, 3.0, 4.0, 1.0, 25.0, 15.0, 9.0, 1000.0]
    ucr.check_printed_totals(row, HEADER_69, 4, "t69.xls")  # 10 + 10 + 25 + 15 = 60
    # a blank offense is counted under another one (Florida's footnote): the total is the sum of those printed
    ucr.check_printed_totals([45.0, *row[1:12], np.nan, *row[13:]], HEADER_69, 4, "t69.xls")
    with pytest.raises(DataError) as error:
        ucr.check_printed_totals([61.0, *row[1:]], HEADER_69, 4, "t69.xls")
    assert str(error.value) == (
        "t69.xls: column 'C': printed total 61 differs from the sum of the offenses 60 (first offending rows: 5)."
    )
    with pytest.raises(DataError, match="Violent crime"):
        ucr.check_printed_totals([60.0, 11.0, *row[2:]], HEADER_69, 9, "t69.xls")


def test_table_69_years_get_coverage_and_reasons_for_what_is_missing():
    states = pd.DataFrame({"state": ["Alabama", "Iowa", "Hawaii"]})
    tables = {
        2010: pd.DataFrame(
            {
                "state": ["Alabama", "Iowa"],
                "year": 2010,
                "footnoted": [True, False],
                "drug_arrests": [300.0, np.nan],
                "dui_arrests": [40.0, np.nan],
                "agencies": [2.0, np.nan],
                "covered_population": [85_000.0, np.nan],
            }
        ),
        2012: pd.DataFrame(
            {
                "state": ["Alabama", "Iowa", "Hawaii"],
                "year": 2012,
                "footnoted": False,
                "drug_arrests": [9000.0, 5000.0, 800.0],
                "dui_arrests": [1.0, 2.0, 3.0],
                "agencies": [300.0, 200.0, 1.0],
                "covered_population": [4.7e6, 3.0e6, np.nan],
            }
        ),
    }
    people = pd.DataFrame(
        {
            "state": ["Alabama", "Iowa", "Hawaii"] * 2,
            "year": [2010] * 3 + [2012] * 3,
            "population": [4.8e6, 3.0e6, 1.4e6, 4.8e6, 3.1e6, 1.4e6],
        }
    )
    arrests, reasons = ucr.table_69_arrests(tables, states, people)
    alabama = arrests.set_index(["state", "year"]).loc[("Alabama", 2010)]
    assert alabama["coverage"] == pytest.approx(100 * 85_000 / 4.8e6) and alabama["rate_population"] == 85_000
    assert alabama["source"] == ucr.TABLE_69
    drug = reasons[reasons["variable"] == "drug_arrests"].set_index(["state", "year"])["reason"]
    assert drug[("Hawaii", 2010)] == "not in that year's Table 69"
    assert drug[("Iowa", 2010)] == "blank in that year's Table 69 (footnoted: limited data)"
    assert drug[("Hawaii", 2012)] == "no population printed for the reporting agencies in Table 69"
    assert drug[("Iowa", 2011)] == "year not held"
    kept, why = ucr.apply_missing_rules(arrests, 50.0)
    assert np.isnan(kept.set_index(["state", "year"]).loc[("Alabama", 2010), "drug_arrest_rate"])  # 1.8% coverage
    assert kept.set_index(["state", "year"]).loc[("Alabama", 2012), "drug_arrest_rate"] == pytest.approx(
        1e5 * 9000 / 4.7e6
    )


def test_cms_totals_and_the_blank_north_dakota_year(real_data):
    series = state_data.load_unauthorized("cms-undocumented-by-state-2010-2019")
    assert len(series) == 510 and series["population"].isna().sum() == 1
    assert series.loc[(series["state"] == "North Dakota") & (series["year"] == 2011), "population"].isna().all()
    assert series.loc[(series["state"] == "California") & (series["year"] == 2010), "population"].iloc[0] > 2e6


# --- new loaders on small synthetic files ----------------------------------------------------------


def test_pew_reader_flags_censored_cells_and_refuses_bad_numbers(tmp_path):
    path = tmp_path / "pew.csv"
    path.write_text(
        "state_name,year,unauth_pew,moe90_pew\nAlabama,2023,85000.0,10000.0\nVermont,2023,2500.0,\n"
        "Wyoming,2023,5000.0,5000.0\n"
    )
    pew = state_data.read_pew_unauthorized(path)
    assert pew["censored"].tolist() == [False, True, True]
    assert pew["margin_of_error"].isna().tolist() == [False, True, False]
    path.write_text("state_name,year,unauth_pew,moe90_pew\nAlabama,2023,<5000,\n")
    with pytest.raises(DataError, match="unauth_pew"):
        state_data.read_pew_unauthorized(path)


def test_vsrr_json_reads_mort_only_and_keeps_nulls_missing(tmp_path):
    path = tmp_path / "vsrr.json"
    path.write_text(
        '{"01": {"2019": {"mort": 739, "fent": 999999}, "2025": {"mort": null}}, "36": {"2019": {"mort": 3634}}}'
    )
    frame = state_data.read_vsrr_json(path)
    assert list(zip(frame["state"], frame["year"], frame["deaths"], strict=True)) == [
        ("Alabama", 2019, 739.0),
        ("New York", 2019, 3634.0),
    ]
    path.write_text('{"99": {"2019": {"mort": 1}}}')
    with pytest.raises(DataError, match="FIPS"):
        state_data.read_vsrr_json(path)


def test_provisional_years_follow_the_final_ones_and_are_flagged():
    final = state_data.Deaths(
        states=pd.DataFrame({"state": ["Alabama", "Alabama"], "year": [2017, 2018], "overdose_deaths": [10.0, 12.0]}),
        overlap=pd.DataFrame(),
        national=pd.DataFrame({"year": [2017, 2018], "deaths": [10.0, 12.0], "source": "NCHS"}),
    )
    provisional = pd.DataFrame({"state": ["Alabama"] * 3, "year": [2017, 2018, 2019], "deaths": [11.0, 12.0, 15.0]})
    combined = state_data.with_provisional(final, provisional)
    assert combined.states[["year", "overdose_deaths", "provisional"]].values.tolist() == [
        [2017, 10.0, False],
        [2018, 12.0, False],
        [2019, 15.0, True],
    ]
    assert combined.national["deaths"].sum() == 37.0
    compared = state_data.final_vs_provisional(combined.states[~combined.states["provisional"]], provisional)
    assert compared["excess_pct"].round(6).tolist() == [10.0, 0.0]


@pytest.mark.parametrize(
    "low, high, words",
    [
        (0.1, 2.0, "lies above zero"),
        (-2.0, -0.1, "lies below zero"),
        (-1.0, 1.0, "includes zero"),
        (0.0, 1.0, "includes zero"),
    ],
)
def test_interval_words_are_derived_from_the_bounds(low, high, words):
    assert state_models.interval_words(low, high) == words


def test_xlsx_reader_places_values_by_column_and_refuses_a_missing_sheet(tmp_path):
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "112 NVSS ST Drug Poison Num"
    sheet.append(["Table 112"])
    sheet.append([])
    sheet.append(["State or jurisdiction", 2017, 2018])
    sheet.append(["Ohio1", 5111, None])
    sheet.append(["Texas", 2989, 3021])
    path = tmp_path / "supplement.xlsx"
    workbook.save(path)
    rows = xlsx.read_sheets(path, ["112 NVSS ST Drug Poison Num"])["112 NVSS ST Drug Poison Num"]
    assert rows[1] == ("State or jurisdiction", 2017, 2018) and rows[2] == ("Ohio1", 5111, None)
    table = ondcp.state_tables(path, ["112 NVSS ST Drug Poison Num"])["112 NVSS ST Drug Poison Num"]
    assert table.set_index(["state", "year"])["value"].to_dict() == pytest.approx(
        {("Ohio", 2017): 5111.0, ("Ohio", 2018): np.nan, ("Texas", 2017): 2989.0, ("Texas", 2018): 3021.0}, nan_ok=True
    )
    with pytest.raises(DataError, match="sheet '113"):
        ondcp.state_tables(path, ["113 NVSS ST Drug Poison Rate"])


def test_cr1_k_counts_the_rank_as_declared_and_every_column_as_the_alternative():
    data = synthetic.synthetic_state_panel(10, YEARS, effect=1.0, seed=5)
    states, years = 10, len(YEARS)
    main = state_models.cr1_k(data, synthetic.SYNTHETIC, state_models.SPECS["twfe"])
    trends = state_models.cr1_k(data, synthetic.SYNTHETIC, state_models.SPECS["state_trends"])
    assert main == (1 + states + years - 1, 1 + states + years, len(data))
    assert trends == (1 + states + years - 1 + states - 1, 1 + 2 * states + years, len(data))
