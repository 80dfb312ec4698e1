"""The fixed-effects kernel on synthetic panels with a known coefficient, a zero effect, and statsmodels as referee."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

from analysis.models import fixed_effects, inference


def synthetic(beta: float, units: int = 9, months: int = 60, noise: float = 1.0, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    unit = np.repeat([f"S{i}" for i in range(units)], months)
    month = np.tile(pd.date_range("2019-01-01", periods=months, freq="MS"), units)
    unit_effect = np.repeat(rng.normal(0, 5, units), months)
    time_effect = np.tile(rng.normal(0, 3, months), units)
    x = rng.normal(10, 2, units * months) + 0.5 * unit_effect + 0.5 * time_effect  # x correlated with the effects
    y = beta * x + unit_effect + time_effect + rng.normal(0, noise, units * months)
    return pd.DataFrame({"aor": unit, "month": month, "x": x, "y": y})


def test_twfe_recovers_a_known_coefficient():
    estimate = fixed_effects.twfe(synthetic(beta=2.0), "y", "x", draws=199)
    assert estimate.coef == pytest.approx(2.0, abs=0.05)
    assert abs(estimate.coef - 2.0) <= 3 * estimate.se and estimate.ci_low < estimate.coef < estimate.ci_high
    assert estimate.p_wild < 0.01 and estimate.n_obs == 540 and estimate.n_clusters == 9


def test_twfe_with_no_effect_covers_zero():
    estimate = fixed_effects.twfe(synthetic(beta=0.0, seed=7), "y", "x", draws=199)
    assert estimate.ci_low < 0 < estimate.ci_high
    assert estimate.p_wild > 0.05


def test_twfe_matches_statsmodels_with_dummies_and_clusters():
    data = synthetic(beta=1.5, seed=3)
    ours = fixed_effects.twfe(data, "y", "x", draws=9)
    fitted = smf.ols("y ~ x + C(aor) + C(month)", data=data).fit(
        cov_type="cluster", cov_kwds={"groups": pd.factorize(data["aor"])[0]}
    )
    assert ours.coef == pytest.approx(fitted.params["x"], rel=1e-10)
    assert ours.se == pytest.approx(fitted.bse["x"], rel=1e-6)


def test_first_differences_recover_the_coefficient():
    estimate = fixed_effects.first_differences(synthetic(beta=-1.0, seed=5), "y", "x", draws=99)
    assert estimate.coef == pytest.approx(-1.0, abs=0.1)


def test_correlation_interval_contains_r():
    r, low, high = fixed_effects.correlation(np.arange(50.0), np.arange(50.0) ** 1.1)
    assert low < r < high <= 1


def test_residualized_column_has_no_unit_or_month_means():
    data = synthetic(beta=1.0)
    residual = pd.Series(fixed_effects.within(data, "y"))
    assert residual.groupby(data["aor"]).mean().abs().max() < 1e-9
    assert residual.groupby(data["month"]).mean().abs().max() < 1e-9


def poisson_synthetic(beta: float, units: int = 9, months: int = 60, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    unit_effect, month_effect = rng.normal(0, 1, units), rng.normal(0, 0.5, months)
    for u in range(units):
        for m in range(months):
            x = rng.normal(2 + 0.5 * unit_effect[u], 1)
            rows.append(
                {
                    "aor": f"U{u}",
                    "month": m,
                    "x": x,
                    "y": float(rng.poisson(np.exp(0.5 + unit_effect[u] + month_effect[m] + beta * x))),
                }
            )
    return pd.DataFrame(rows)


def test_ppml_recovers_a_known_coefficient_and_matches_statsmodels():
    import statsmodels.api as sm

    data = poisson_synthetic(0.3)
    result = fixed_effects.ppml(data, "y", "x", draws=99)
    X = pd.concat(
        [
            data[["x"]],
            pd.get_dummies(data["aor"], dtype=float),
            pd.get_dummies(data["month"], drop_first=True, dtype=float),
        ],
        axis=1,
    )
    reference = sm.GLM(data["y"], X, family=sm.families.Poisson()).fit(
        cov_type="cluster", cov_kwds={"groups": pd.factorize(data["aor"])[0]}
    )
    assert result.coef == pytest.approx(reference.params["x"], rel=1e-6)
    assert result.se == pytest.approx(reference.bse["x"], rel=1e-6)
    assert result.coef == pytest.approx(0.3, abs=0.03)
    assert result.p_wild < 0.05 and result.n_clusters == 9


def test_ppml_null_is_not_significant_and_all_zero_sectors_are_dropped():
    data = poisson_synthetic(0.0, seed=4)
    data.loc[data["aor"] == "U0", "y"] = 0.0
    result = fixed_effects.ppml(data, "y", "x", draws=199)
    assert result.n_clusters == 8 and result.n_obs == 8 * 60
    # with 8 clusters the analytic errors are too small; the score bootstrap is the cautious reading
    assert result.p < 0.01 < result.p_wild


def test_significant_associations_report_either_sign():
    def make(coef, p):
        return fixed_effects.Estimate(
            coef=coef,
            se=1,
            ci_low=coef - 1,
            ci_high=coef + 1,
            p=p,
            df=8,
            n_obs=10,
            n_clusters=9,
            p_wild=p,
            p_wild_se=0.001,
            draws=9999,
        )

    estimates = {
        "Fentanyl": {"linear, pounds": make(0.5, 0.2)},
        "Methamphetamine": {"linear, pounds": make(-2.0, 0.01), "PPML, events": make(0.1, 0.04)},
    }
    assert inference.significant_associations(estimates) == [
        "Methamphetamine (linear, pounds, negative)",
        "Methamphetamine (PPML, events, positive)",
    ]


# --- the kernel's pieces, each against a reference computed another way ---


def projected_synthetic(seed: int = 3):
    data = synthetic(beta=0.7, seed=seed)
    basis = fixed_effects.effects_basis(data["aor"], data["month"])
    x = fixed_effects.residualize(basis, data["x"].to_numpy())
    y = fixed_effects.residualize(basis, data["y"].to_numpy())
    return data, basis, x, y, fixed_effects.cluster_codes(data["aor"])[0]


@pytest.mark.parametrize("null", [0.0, 0.5])
def test_wild_draws_equal_refitting_each_bootstrap_sample(null):
    data, basis, x, y, codes = projected_synthetic()
    weights = next(fixed_effects.bootstrap_weights(9, 25, seed=4))
    fast = fixed_effects.wild_t_draws(x, y - null * x, codes, basis, weights, basis.shape[1])
    for draw in range(25):
        outcome = null * x + fixed_effects.residualize(basis, (y - null * x) * weights[codes, draw])
        beta, se = fixed_effects.slope_and_se(x, outcome, codes, basis.shape[1])
        assert fast[draw] == pytest.approx((beta - null) / se, rel=1e-10)


def test_wild_bootstrap_p_counts_draws_and_reports_its_monte_carlo_error():
    data, basis, x, y, codes = projected_synthetic()
    p, error = fixed_effects.wild_bootstrap_p(x, y, codes, basis, basis.shape[1], draws=999, seed=1)
    assert p == pytest.approx(1 / 1000)  # a strong effect: no draw as extreme as the data
    assert error == pytest.approx(np.sqrt(p * (1 - p) / 999))


def test_monte_carlo_reading_calls_a_p_near_the_level_borderline():
    assert fixed_effects.monte_carlo_reading(0.0508, 0.0007) == "borderline"  # 1.1 SE from 0.05
    assert fixed_effects.monte_carlo_reading(0.0326, 0.0006) == "below"
    assert fixed_effects.monte_carlo_reading(0.0600, 0.0008) == "not below"
    assert fixed_effects.monte_carlo_reading(0.0520, 0.0007) == "borderline"  # 2.9 SE: within 3


def test_cr2_and_bell_mccaffrey_df_equal_the_formulas_with_every_dummy():
    data = synthetic(beta=0.7, units=6, months=8, seed=2)
    basis = fixed_effects.effects_basis(data["aor"], data["month"])
    x = fixed_effects.residualize(basis, data["x"].to_numpy())
    y = fixed_effects.residualize(basis, data["y"].to_numpy())
    codes = fixed_effects.cluster_codes(data["aor"])[0]
    beta, se, df = fixed_effects.cr2(x, y, basis, codes)
    X = np.column_stack(
        [data["x"], pd.get_dummies(data["aor"], dtype=float), pd.get_dummies(data["month"], dtype=float).iloc[:, 1:]]
    )
    bread = np.linalg.pinv(X.T @ X)
    M = np.eye(len(X)) - X @ bread @ X.T
    e = M @ data["y"].to_numpy()
    a = bread[0] @ X.T  # the slope's row of (X'X)^-1 X'
    meat, G = 0.0, []
    for g in range(6):
        rows = codes == g
        values, vectors = np.linalg.eigh(M[np.ix_(rows, rows)])
        keep = values > 1e-10
        A = (vectors[:, keep] / np.sqrt(values[keep])) @ vectors[:, keep].T
        meat += (a[rows] @ A @ e[rows]) ** 2
        G.append(M[:, rows] @ A @ a[rows])
    eigen = np.linalg.eigvalsh(np.column_stack(G).T @ np.column_stack(G))
    assert beta == pytest.approx((bread @ X.T @ data["y"].to_numpy())[0], rel=1e-9)
    assert se == pytest.approx(np.sqrt(meat), rel=1e-8)
    assert df == pytest.approx(eigen.sum() ** 2 / (eigen**2).sum(), rel=1e-8)
    assert 1 < df < 5  # far fewer than the G - 1 = 5 degrees of freedom the CR1 convention uses


@pytest.mark.parametrize("lags", [0, 2])
def test_driscoll_kraay_equals_statsmodels_hac_groupsum(lags):
    import statsmodels.api as sm

    data = synthetic(beta=0.7, seed=6)
    basis = fixed_effects.effects_basis(data["aor"], data["month"])
    x = fixed_effects.residualize(basis, data["x"].to_numpy())
    y = fixed_effects.residualize(basis, data["y"].to_numpy())
    beta = x @ y / (x @ x)
    periods = pd.factorize(data["month"], sort=True)[0]
    ours = fixed_effects.driscoll_kraay(x, y - beta * x, periods, lags, basis.shape[1])
    X = sm.add_constant(
        pd.concat(
            [
                data[["x"]],
                pd.get_dummies(data["aor"], drop_first=True, dtype=float),
                pd.get_dummies(data["month"], drop_first=True, dtype=float),
            ],
            axis=1,
        )
    )
    reference = sm.OLS(data["y"], X).fit(cov_type="hac-groupsum", cov_kwds={"time": periods, "maxlags": lags})
    assert ours == pytest.approx(reference.bse["x"], rel=1e-9)


def test_poisson_with_an_offset_equals_statsmodels():
    import statsmodels.api as sm

    data = poisson_synthetic(0.2, seed=8)
    exposure = np.random.default_rng(1).uniform(1, 3, len(data))
    effects = np.column_stack([fixed_effects.dummies(data["aor"]), fixed_effects.dummies(data["month"])[:, 1:]])
    codes = fixed_effects.cluster_codes(data["aor"])[0]
    beta, se, _ = fixed_effects.poisson_fixed_effects(
        data["y"].to_numpy(), data["x"].to_numpy(), effects, codes, np.log(exposure)
    )
    reference = sm.GLM(
        data["y"], np.column_stack([data["x"], effects]), family=sm.families.Poisson(), offset=np.log(exposure)
    ).fit(cov_type="cluster", cov_kwds={"groups": codes})
    assert beta == pytest.approx(reference.params.iloc[0], rel=1e-6)
    assert se == pytest.approx(reference.bse.iloc[0], rel=1e-6)


def test_estimate_span_reads_years_and_months():
    estimate = fixed_effects.estimate(1.0, 0.5, 8, n_obs=10, n_clusters=9, first=1990, last=2008)
    assert estimate.span == "1990-2008" and estimate.ci_low < 1.0 < estimate.ci_high
    monthly = fixed_effects.estimate(
        1.0, 0.5, 8, n_obs=10, n_clusters=9, first=pd.Timestamp("2018-10-01"), last=pd.Timestamp("2024-11-01")
    )
    assert monthly.span == "October 2018-November 2024"
