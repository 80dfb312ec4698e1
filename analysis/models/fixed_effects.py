"""The fixed-effects estimator kernel: least squares and Poisson slopes with unit and time effects.

The two-way fixed-effects (TWFE) estimate is computed by partialling the sector and month effects
out of both variables (Frisch-Waugh-Lovell) and regressing residual on residual; standard errors
are clustered by sector. With only nine sectors, cluster-robust inference is fragile, so every
estimate also gets a wild cluster bootstrap p-value (null imposed, Webb six-point weights).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

WEBB_WEIGHTS = np.array([-np.sqrt(1.5), -1.0, -np.sqrt(0.5), np.sqrt(0.5), 1.0, np.sqrt(1.5)])


def fixed_effects_projector(groups: list[np.ndarray]):
    """A function returning residuals after least squares on the dummies of each grouping.

    The dummies' orthonormal basis is computed once (QR), so residualizing many vectors (as the
    bootstrap does) is a pair of matrix products each.
    """
    dummies = [pd.get_dummies(g, drop_first=i > 0).to_numpy(float) for i, g in enumerate(groups)]
    basis, _ = np.linalg.qr(np.column_stack(dummies))
    return lambda values: values - basis @ (basis.T @ values)


def residualize(values: np.ndarray, groups: list[np.ndarray]) -> np.ndarray:
    """Residuals of ``values`` after least squares on the dummies of each grouping (fixed effects)."""
    return fixed_effects_projector(groups)(values)


@dataclass
class Estimate:
    """A slope with cluster-robust inference: coefficient, SE, 95% CI (t with G-1 df), p-values, n."""
    coef: float
    se: float
    ci_low: float
    ci_high: float
    p_cluster: float
    p_wild: float
    n: int
    clusters: int


def slope_and_cluster_se(x: np.ndarray, y: np.ndarray, codes: np.ndarray, absorbed: int) -> tuple[float, float]:
    """OLS slope of y on x (both already residualized) and its CR1 cluster-robust standard error.

    ``codes``: integer cluster codes 0..G-1 (``pd.factorize`` of the cluster labels), so the
    bootstrap's thousands of calls sum scores with ``np.bincount``.
    """
    sxx = float(x @ x)
    beta = float(x @ y) / sxx
    scores = np.bincount(codes, weights=x * (y - beta * x))
    groups, n = len(scores), len(x)
    correction = groups / (groups - 1) * (n - 1) / (n - absorbed - 1)
    return beta, float(np.sqrt(correction * (scores @ scores)) / sxx)


def wild_cluster_p(x: np.ndarray, y: np.ndarray, codes: np.ndarray, absorbed: int, t_observed: float,
                   repetitions: int, seed: int, project) -> float:
    """Wild cluster bootstrap p-value of the slope (WCR: null imposed, Webb weights, symmetric t test).

    Under the null the restricted residual is the residualized outcome ``y`` itself; each draw
    flips it cluster by cluster and is residualized on the fixed effects again (``project``).
    """
    rng = np.random.default_rng(seed)
    groups = int(codes.max()) + 1
    exceed = 0
    for _ in range(repetitions):
        weights = rng.choice(WEBB_WEIGHTS, size=groups)[codes]
        beta, se = slope_and_cluster_se(x, project(y * weights), codes, absorbed)
        exceed += abs(beta / se) >= abs(t_observed)
    return (exceed + 1) / (repetitions + 1)


def twfe(panel: pd.DataFrame, outcome: str, regressor: str, unit: str = "aor", time: str = "month",
         repetitions: int = 999, seed: int = 20261122) -> Estimate:
    """Two-way fixed-effects slope of ``outcome`` on ``regressor``, clustered by ``unit``."""
    data = panel[[outcome, regressor, unit, time]].dropna()
    project = fixed_effects_projector([data[unit].to_numpy(), data[time].to_numpy()])
    absorbed = data[unit].nunique() + data[time].nunique() - 1
    x, y = project(data[regressor].to_numpy(float)), project(data[outcome].to_numpy(float))
    return _estimate(x, y, data[unit].to_numpy(), absorbed, repetitions, seed, project)


def first_differences(panel: pd.DataFrame, outcome: str, regressor: str, unit: str = "aor", time: str = "month",
                      repetitions: int = 999, seed: int = 20261122) -> Estimate:
    """Slope of the month-to-month change in ``outcome`` on the change in ``regressor``, with month effects."""
    ordered = panel.sort_values([unit, time])
    changes = ordered.assign(**{c: ordered.groupby(unit)[c].diff() for c in (outcome, regressor)}).dropna(subset=[outcome, regressor])
    project = fixed_effects_projector([changes[time].to_numpy()])
    x, y = project(changes[regressor].to_numpy(float)), project(changes[outcome].to_numpy(float))
    return _estimate(x, y, changes[unit].to_numpy(), changes[time].nunique(), repetitions, seed, project)


def _estimate(x, y, clusters, absorbed, repetitions, seed, project) -> Estimate:
    codes = pd.factorize(clusters)[0]
    beta, se = slope_and_cluster_se(x, y, codes, absorbed)
    groups = int(codes.max()) + 1
    critical = stats.t.ppf(0.975, groups - 1)
    t_value = beta / se
    return Estimate(coef=beta, se=se, ci_low=float(beta - critical * se), ci_high=float(beta + critical * se),
                    p_cluster=float(2 * stats.t.sf(abs(t_value), groups - 1)),
                    p_wild=wild_cluster_p(x, y, codes, absorbed, t_value, repetitions, seed, project),
                    n=len(x), clusters=groups)


def correlation(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    """Pearson r with a 95% interval (Fisher z); the interval assumes independent observations."""
    r = float(np.corrcoef(x, y)[0, 1])
    z, half = np.arctanh(r), 1.96 / np.sqrt(len(x) - 3)
    return r, float(np.tanh(z - half)), float(np.tanh(z + half))


def within(panel: pd.DataFrame, column: str, unit: str = "aor", time: str = "month") -> np.ndarray:
    """A column with sector and month effects removed (what the TWFE slope is estimated from)."""
    return residualize(panel[column].to_numpy(float), [panel[unit].to_numpy(), panel[time].to_numpy()])


def _poisson_fit(y: np.ndarray, columns: np.ndarray, iterations: int = 100, tolerance: float = 1e-10):
    """Poisson maximum likelihood by Newton steps (IRLS): coefficients and fitted means."""
    import statsmodels.api as sm

    model = sm.GLM(y, columns, family=sm.families.Poisson())
    result = model.fit(method="newton", maxiter=iterations, tol=tolerance, disp=False)
    return result


def _positive_groups(data: pd.DataFrame, outcome: str, keys: list[str]) -> pd.DataFrame:
    """Drop sectors and months whose outcome is zero throughout: their fixed effect would be minus
    infinity and they carry no information about the slope (as fixest's fepois does)."""
    for key in keys:
        totals = data.groupby(key)[outcome].transform("sum")
        data = data[totals > 0]
    return data


def ppml(panel: pd.DataFrame, outcome: str, regressor: str, unit: str = "aor", time: str = "month",
         repetitions: int = 999, seed: int = 20261122) -> Estimate:
    """Poisson pseudo-maximum likelihood (PPML) slope with unit and time fixed effects.

    Suited to counts and amounts with many zeros and heavy tails (Santos Silva & Tenreyro 2006):
    the coefficient is the change in log expected ``outcome`` per unit of ``regressor``. The
    interval is cluster-robust by ``unit`` (t with G-1 df); ``p_wild`` is a wild cluster score
    bootstrap p-value (Kline & Santos 2012; null imposed, Webb weights), which simulations find
    closer to its nominal size than the analytic errors when clusters are few (still approximate).
    """
    data = _positive_groups(panel[[outcome, regressor, unit, time]].dropna(), outcome, [unit, time]).reset_index(drop=True)
    y, x = data[outcome].to_numpy(float), data[regressor].to_numpy(float)
    effects = np.column_stack([pd.get_dummies(data[unit], dtype=float).to_numpy(),
                               pd.get_dummies(data[time], drop_first=True, dtype=float).to_numpy()])
    full = _poisson_fit(y, np.column_stack([x, effects]))
    codes = pd.factorize(data[unit])[0]
    groups = int(codes.max()) + 1
    # cluster-robust (CR1) covariance of the slope from the full model, as statsmodels computes it
    mu = full.mu
    design = np.column_stack([x, effects])
    bread = np.linalg.pinv(design.T @ (design * mu[:, None]))
    scores = np.vstack([np.bincount(codes, weights=design[:, j] * (y - mu), minlength=groups) for j in range(design.shape[1])]).T
    n, k = len(y), design.shape[1]
    vcov = groups / (groups - 1) * (n - 1) / (n - k) * bread @ (scores.T @ scores) @ bread
    beta, se = float(full.params[0]), float(np.sqrt(vcov[0, 0]))
    critical = stats.t.ppf(0.975, groups - 1)
    return Estimate(coef=beta, se=se, ci_low=beta - critical * se, ci_high=beta + critical * se,
                    p_cluster=float(2 * stats.t.sf(abs(beta / se), groups - 1)),
                    p_wild=score_bootstrap_p(y, x, effects, codes, repetitions, seed), n=n, clusters=groups)


def score_bootstrap_p(y: np.ndarray, x: np.ndarray, effects: np.ndarray, codes: np.ndarray, repetitions: int,
                      seed: int) -> float:
    """Wild cluster score bootstrap p-value for H0: slope = 0 in a Poisson model with fixed effects.

    The model is fitted under the null (fixed effects only); each cluster's score for the slope is
    the sum of (x net of the fixed effects, weighted by the fitted means) x (y - fitted mean). The
    statistic is the studentized sum of cluster scores; draws multiply each cluster's score by a
    Webb weight.
    """
    restricted = _poisson_fit(y, effects)
    mu = restricted.mu
    root = np.sqrt(mu)
    coefficients, *_ = np.linalg.lstsq(effects * root[:, None], x * root, rcond=None)
    x_net = x - effects @ coefficients
    cluster_scores = np.bincount(codes, weights=x_net * (y - mu))

    def statistic(scores: np.ndarray) -> float:
        return abs(scores.sum()) / np.sqrt(scores @ scores)

    observed = statistic(cluster_scores)
    rng = np.random.default_rng(seed)
    draws = rng.choice(WEBB_WEIGHTS, size=(repetitions, len(cluster_scores))) * cluster_scores
    bootstrap = np.abs(draws.sum(axis=1)) / np.sqrt((draws ** 2).sum(axis=1))
    return float(((bootstrap >= observed).sum() + 1) / (repetitions + 1))


def significant_associations(estimates: dict[str, dict[str, Estimate]], alpha: float = 0.05) -> list[str]:
    """'<drug> (<model>, positive|negative)' for every estimate whose wild bootstrap p is below
    ``alpha``, whatever its sign. ``estimates`` maps drug -> model label -> Estimate."""
    found = []
    for drug, models in estimates.items():
        for label, estimate in models.items():
            if estimate.p_wild < alpha:
                found.append(f"{drug} ({label}, {'positive' if estimate.coef > 0 else 'negative'})")
    return found
