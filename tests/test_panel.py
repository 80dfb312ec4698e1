"""Panel estimators on synthetic panels with a known coefficient, a zero effect, and statsmodels as referee."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

from analysis.models import fixed_effects


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
    estimate = fixed_effects.twfe(synthetic(beta=2.0), "y", "x", repetitions=199)
    assert estimate.coef == pytest.approx(2.0, abs=0.05)
    assert abs(estimate.coef - 2.0) <= 3 * estimate.se and estimate.ci_low < estimate.coef < estimate.ci_high
    assert estimate.p_wild < 0.01 and estimate.n == 540 and estimate.clusters == 9


def test_twfe_with_no_effect_covers_zero():
    estimate = fixed_effects.twfe(synthetic(beta=0.0, seed=7), "y", "x", repetitions=199)
    assert estimate.ci_low < 0 < estimate.ci_high
    assert estimate.p_wild > 0.05


def test_twfe_matches_statsmodels_with_dummies_and_clusters():
    data = synthetic(beta=1.5, seed=3)
    ours = fixed_effects.twfe(data, "y", "x", repetitions=9)
    fitted = smf.ols("y ~ x + C(aor) + C(month)", data=data).fit(
        cov_type="cluster", cov_kwds={"groups": pd.factorize(data["aor"])[0]})
    assert ours.coef == pytest.approx(fitted.params["x"], rel=1e-10)
    assert ours.se == pytest.approx(fitted.bse["x"], rel=1e-6)


def test_first_differences_recover_the_coefficient():
    estimate = fixed_effects.first_differences(synthetic(beta=-1.0, seed=5), "y", "x", repetitions=99)
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
            rows.append({"aor": f"U{u}", "month": m, "x": x,
                         "y": float(rng.poisson(np.exp(0.5 + unit_effect[u] + month_effect[m] + beta * x)))})
    return pd.DataFrame(rows)


def test_ppml_recovers_a_known_coefficient_and_matches_statsmodels():
    import statsmodels.api as sm
    data = poisson_synthetic(0.3)
    result = fixed_effects.ppml(data, "y", "x", repetitions=99)
    X = pd.concat([data[["x"]], pd.get_dummies(data["aor"], dtype=float),
                   pd.get_dummies(data["month"], drop_first=True, dtype=float)], axis=1)
    reference = sm.GLM(data["y"], X, family=sm.families.Poisson()).fit(
        cov_type="cluster", cov_kwds={"groups": pd.factorize(data["aor"])[0]})
    assert result.coef == pytest.approx(reference.params["x"], rel=1e-6)
    assert result.se == pytest.approx(reference.bse["x"], rel=1e-6)
    assert result.coef == pytest.approx(0.3, abs=0.03)
    assert result.p_wild < 0.05 and result.clusters == 9


def test_ppml_null_is_not_significant_and_all_zero_sectors_are_dropped():
    data = poisson_synthetic(0.0, seed=4)
    data.loc[data["aor"] == "U0", "y"] = 0.0
    result = fixed_effects.ppml(data, "y", "x", repetitions=199)
    assert result.clusters == 8 and result.n == 8 * 60
    assert result.p_wild > 0.05


def test_significant_associations_report_either_sign():
    def make(coef, p):
        return fixed_effects.Estimate(coef=coef, se=1, ci_low=coef - 1, ci_high=coef + 1, p_cluster=p, p_wild=p, n=10, clusters=9)
    estimates = {"Fentanyl": {"linear, pounds": make(0.5, 0.2)},
                 "Methamphetamine": {"linear, pounds": make(-2.0, 0.01), "PPML, events": make(0.1, 0.04)}}
    assert fixed_effects.significant_associations(estimates) == [
        "Methamphetamine (linear, pounds, negative)", "Methamphetamine (PPML, events, positive)"]
