"""The fixed-effects kernel both panels use (Border Patrol sectors x months; states x years): slopes with
absorbed fixed effects, their cluster-robust inference, the wild cluster bootstrap, and Poisson with
fixed effects. Everything here takes arrays; the panels' own models (``sector_models``,
``state_models``) build the arrays from frames.

Linear slopes absorb the fixed effects by projection (Frisch-Waugh-Lovell): every variable is
residualized on an orthonormal basis of the dummies' column space, and the slope is estimated
residual on residual. That gives the coefficients of least squares with every dummy (tests check
them against statsmodels to 1e-9), in a fraction of the time, and lets the bootstrap reuse one
projection for all its draws.

Inference, each a convention a chapter names:
- CR1 cluster-robust errors, small-sample factor G/(G-1) x (n-1)/(n-k) with k counting every absorbed
  effect that can be estimated (their rank, as statsmodels does with a full-rank dummy coding), t with G-1
  degrees of freedom: the declared convention;
- CR2 (Bell-McCaffrey) errors with Bell-McCaffrey/Satterthwaite degrees of freedom (Imbens & Kolesar
  2016), the small-cluster correction a referee tries first;
- Driscoll-Kraay errors (time periods as clusters with Bartlett-weighted lags): robust to correlation
  across units within a period, usable only with many periods;
- the wild cluster bootstrap (WCR: null imposed, Webb six-point weights), every draw at once from
  G x G matrices as Roodman et al.'s boottest does, with its Monte Carlo standard error.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

import numpy as np
import pandas as pd
from scipy import special

WEBB_WEIGHTS = np.array([-np.sqrt(1.5), -1.0, -np.sqrt(0.5), np.sqrt(0.5), 1.0, np.sqrt(1.5)])
# A bootstrap p-value within this many Monte Carlo standard errors of a test's level is called
# borderline: more draws could move it to either side (a decision is never read off such a p).
BORDERLINE_MC_SE = 3.0


@dataclass(frozen=True)
class Estimate:
    """One coefficient with its inference and the sample it came from (both panels, every model).

    ``p`` is the two-sided p-value of the interval's own test (t with ``df`` degrees of freedom);
    ``first`` and ``last`` are the sample's first and last periods (years or months); the wild
    bootstrap fields are filled when a bootstrap was run (``draws`` draws, Monte Carlo SE ``p_wild_se``).
    """

    coef: float
    se: float
    ci_low: float
    ci_high: float
    p: float
    df: float
    n_obs: int
    n_clusters: int
    first: object = None
    last: object = None
    p_wild: float = np.nan
    p_wild_se: float = np.nan
    draws: int = 0

    @property
    def span(self) -> str:
        """The sample's span as 'first-last' (years as written, months as 'Month YYYY')."""
        first, last = (f"{v:%B %Y}" if isinstance(v, pd.Timestamp) else str(v) for v in (self.first, self.last))
        return f"{first}-{last}"

    def as_dict(self) -> dict:
        """The fields and the span, for a table row."""
        return {**asdict(self), "span": self.span}


def estimate(
    coef: float, se: float, df: float, *, n_obs: int, n_clusters: int, level: float = 0.95, first=None, last=None
) -> Estimate:
    """An ``Estimate`` with a two-sided ``level`` interval and p-value from t with ``df`` degrees of freedom."""
    critical = t_quantile(0.5 + level / 2, df)
    return Estimate(
        coef=float(coef),
        se=float(se),
        ci_low=float(coef - critical * se),
        ci_high=float(coef + critical * se),
        p=float(2 * special.stdtr(df, -abs(coef / se))),
        df=float(df),
        n_obs=int(n_obs),
        n_clusters=int(n_clusters),
        first=first,
        last=last,
    )


def t_quantile(probability: float, df: float) -> float:
    """The t distribution's quantile (scipy.special's, which imports far faster than scipy.stats)."""
    return float(special.stdtrit(df, probability))


def dummies(labels) -> np.ndarray:
    """One indicator column per distinct label (all levels; redundancy is handled by ``orthonormal_basis``)."""
    codes, uniques = pd.factorize(np.asarray(labels))
    matrix = np.zeros((len(codes), len(uniques)))
    matrix[np.arange(len(codes)), codes] = 1.0
    return matrix


def orthonormal_basis(matrix: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """An orthonormal basis of ``matrix``'s column space (redundant columns are harmless).

    With ``weights`` the columns are scaled by sqrt(weight), as weighted least squares does. The
    eigen-decomposition of the small cross-product replaces an SVD of the tall matrix: the same
    column space, far faster; near-zero eigenvalues are the redundant dummies.
    """
    if weights is not None:
        matrix = matrix * np.sqrt(weights)[:, None]
    eigenvalues, vectors = np.linalg.eigh(matrix.T @ matrix)
    keep = eigenvalues > eigenvalues.max() * 1e-10
    return matrix @ (vectors[:, keep] / np.sqrt(eigenvalues[keep]))


def effects_basis(*groupings, weights: np.ndarray | None = None) -> np.ndarray:
    """The orthonormal basis of one set of dummies per grouping (e.g. unit and period labels)."""
    return orthonormal_basis(np.column_stack([dummies(labels) for labels in groupings]), weights)


def residualize(basis: np.ndarray, values: np.ndarray) -> np.ndarray:
    """``values`` (a vector or the columns of a matrix) net of the fixed effects spanned by ``basis``."""
    return values - basis @ (basis.T @ values)


def cluster_codes(labels) -> tuple[np.ndarray, int]:
    """Integer codes 0..G-1 of the cluster labels, and G."""
    codes, uniques = pd.factorize(np.asarray(labels))
    return codes, len(uniques)


def cr1_factor(clusters: int, n: int, k: int) -> float:
    """The CR1 small-sample factor G/(G-1) x (n-1)/(n-k), k counting the slopes and the absorbed effects."""
    return clusters / (clusters - 1) * (n - 1) / (n - k)


def fit(
    y: np.ndarray, X: np.ndarray, basis: np.ndarray, clusters, weights: np.ndarray | None = None, uncounted: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Slopes of the columns of ``X`` after absorbing ``basis`` (built with the same ``weights``), and
    their CR1 covariance clustered by ``clusters``. ``uncounted`` absorbed effects are left out of k, as
    R's fixest does for effects nested in the clusters (a convention the state chapter compares)."""
    scale = np.sqrt(weights) if weights is not None else np.ones(len(y))
    y_r = residualize(basis, y * scale)
    X_r = residualize(basis, X * scale[:, None])
    bread = np.linalg.inv(X_r.T @ X_r)
    beta = bread @ (X_r.T @ y_r)
    residual = y_r - X_r @ beta
    codes, groups = cluster_codes(clusters)
    scores = np.column_stack(
        [np.bincount(codes, weights=X_r[:, j] * residual, minlength=groups) for j in range(X_r.shape[1])]
    )
    factor = cr1_factor(groups, len(y), X.shape[1] + basis.shape[1] - uncounted)
    return beta, factor * bread @ (scores.T @ scores) @ bread


def slope_and_se(x: np.ndarray, y: np.ndarray, codes: np.ndarray, absorbed: int) -> tuple[float, float]:
    """Slope of residualized ``y`` on residualized ``x`` and its CR1 error (``absorbed``: rank of the effects)."""
    sxx = float(x @ x)
    beta = float(x @ y) / sxx
    scores = np.bincount(codes, weights=x * (y - beta * x))
    return beta, float(np.sqrt(cr1_factor(len(scores), len(x), absorbed + 1) * (scores @ scores)) / sxx)


def cr2(x: np.ndarray, y: np.ndarray, basis: np.ndarray, codes: np.ndarray) -> tuple[float, float, float]:
    """Slope, CR2 (Bell-McCaffrey) standard error and Bell-McCaffrey/Satterthwaite degrees of freedom.

    ``x`` and ``y`` are residualized on ``basis``. Each cluster's residuals are scaled by
    A_g = (I - H_gg)^(-1/2), H being the hat matrix of the slope and every absorbed effect (a
    pseudo-inverse square root: the unit effects make I - H_gg singular). The degrees of freedom are
    (sum of eigenvalues)^2 / (sum of squared eigenvalues) of G'G, whose column g is
    (I - H)[:, g] A_g x_g / x'x (Imbens & Kolesar 2016, with a homoskedastic working model).
    """
    sxx = float(x @ x)
    beta = float(x @ y) / sxx
    residual = y - beta * x
    groups = int(codes.max()) + 1
    meat, columns = 0.0, np.zeros((len(x), groups))
    for group in range(groups):
        rows = np.flatnonzero(codes == group)
        block = basis[rows]
        hat = np.outer(x[rows], x[rows]) / sxx + block @ block.T
        values, vectors = np.linalg.eigh(np.eye(len(rows)) - hat)
        kept = values > 1e-10
        adjust = (vectors[:, kept] / np.sqrt(values[kept])) @ vectors[:, kept].T
        meat += float(x[rows] @ adjust @ residual[rows]) ** 2
        weighted = adjust @ x[rows] / sxx  # A_g x_g / x'x
        column = -x * (x[rows] @ weighted) / sxx - basis @ (block.T @ weighted)
        column[rows] += weighted  # (I - H)[:, g] @ weighted
        columns[:, group] = column
    eigenvalues = np.linalg.eigvalsh(columns.T @ columns)
    return beta, float(np.sqrt(meat) / sxx), float(eigenvalues.sum() ** 2 / (eigenvalues**2).sum())


def driscoll_kraay(x: np.ndarray, residual: np.ndarray, periods: np.ndarray, lags: int, absorbed: int) -> float:
    """Driscoll-Kraay standard error of a slope: per-period sums of x e, Bartlett-weighted autocovariances
    up to ``lags`` periods (periods coded 0..T-1 in time order), the factor T/(T-1) x (n-1)/(n-k)."""
    totals = np.bincount(periods, weights=x * residual)
    spread = float(totals @ totals)
    for lag in range(1, lags + 1):
        spread += 2 * (1 - lag / (lags + 1)) * float(totals[lag:] @ totals[:-lag])
    factor = cr1_factor(len(totals), len(x), absorbed + 1)
    return float(np.sqrt(factor * spread) / (x @ x))


# Draws are made and used in blocks of this many, so memory stays bounded at any number of draws.
DRAW_BLOCK = 20_000


def bootstrap_weights(clusters: int, draws: int, seed: int):
    """Webb six-point weights, one per cluster and draw, in blocks of at most ``DRAW_BLOCK`` draws
    (clusters x block each); the same seed gives the same draws whatever the caller does with them."""
    rng = np.random.default_rng(seed)
    for start in range(0, draws, DRAW_BLOCK):
        yield rng.choice(WEBB_WEIGHTS, size=(clusters, min(DRAW_BLOCK, draws - start)))


def wild_t_draws(
    x: np.ndarray, restricted: np.ndarray, codes: np.ndarray, basis: np.ndarray, weights: np.ndarray, absorbed: int
) -> np.ndarray:
    """Bootstrap t statistics (estimate minus the null, over its CR1 error) for every column of ``weights``.

    ``x`` is the residualized regressor and ``restricted`` the residuals with the null imposed (the
    residualized outcome minus null x ``x``). Draw b's outcome is null x ``x`` + ``restricted`` flipped
    cluster by cluster; its slope minus the null is a'w_b / x'x with a_g = sum over g of x r, and its
    cluster scores are K w_b - q (a'w_b / x'x), with K = D' diag(x) M diag(r) D and q_g = sum over g
    of x^2 (M: the residual maker of the fixed effects). So all draws cost two G x G products, and the
    result equals re-estimating every draw (a test checks this draw by draw).
    """
    groups = weights.shape[0]
    sxx = float(x @ x)
    cluster = np.zeros((len(x), groups))
    cluster[np.arange(len(x)), codes] = 1.0
    a = np.bincount(codes, weights=x * restricted, minlength=groups)
    q = np.bincount(codes, weights=x * x, minlength=groups)
    flipped = residualize(basis, restricted[:, None] * cluster)  # M diag(r) D, n x G
    K = cluster.T @ (x[:, None] * flipped)  # G x G
    shift = a @ weights / sxx  # slope - null, per draw
    scores = K @ weights - q[:, None] * shift[None, :]
    factor = cr1_factor(groups, len(x), absorbed + 1)
    return shift / (np.sqrt(factor * (scores**2).sum(axis=0)) / sxx)


def monte_carlo_se(p: float, draws: int) -> float:
    """Monte Carlo standard error of a bootstrap p-value: sqrt(p (1 - p) / draws)."""
    return float(np.sqrt(p * (1 - p) / draws))


def wild_bootstrap_p(
    x: np.ndarray,
    y: np.ndarray,
    codes: np.ndarray,
    basis: np.ndarray,
    absorbed: int,
    *,
    draws: int,
    seed: int,
    null: float = 0.0,
    alternative: str = "two-sided",
) -> tuple[float, float]:
    """Wild cluster bootstrap p-value of H0: slope = ``null`` and its Monte Carlo standard error.

    ``alternative``: 'two-sided' (|t*| >= |t|) or 'less' (H0: slope >= null against slope < null,
    t* <= t). ``x`` and ``y`` are residualized on ``basis``.
    """
    beta, se = slope_and_se(x, y, codes, absorbed)
    observed = (beta - null) / se
    exceed = 0
    for weights in bootstrap_weights(int(codes.max()) + 1, draws, seed):
        drawn = wild_t_draws(x, y - null * x, codes, basis, weights, absorbed)
        exceed += int(((np.abs(drawn) >= abs(observed)) if alternative == "two-sided" else (drawn <= observed)).sum())
    p = float((exceed + 1) / (draws + 1))
    return p, monte_carlo_se(p, draws)


def monte_carlo_reading(p: float, mc_se: float, alpha: float = 0.05) -> str:
    """Whether a bootstrap p is 'below' or 'not below' ``alpha``, or 'borderline' when it lies within
    ``BORDERLINE_MC_SE`` Monte Carlo standard errors of it (more draws could move it either way)."""
    if abs(p - alpha) < BORDERLINE_MC_SE * mc_se:
        return "borderline"
    return "below" if p < alpha else "not below"


def poisson_fit(
    y: np.ndarray, design: np.ndarray, offset: np.ndarray | None = None, tolerance: float = 1e-11, iterations: int = 100
) -> tuple[np.ndarray, np.ndarray]:
    """Poisson maximum likelihood of ``y`` on a full-rank ``design`` (with a log ``offset``) by iteratively
    reweighted least squares, started as GLMs are (mu = (y + mean y) / 2): coefficients and fitted means."""
    offset = np.zeros(len(y)) if offset is None else offset
    mu = (y + y.mean()) / 2
    eta = np.log(mu)
    beta = np.zeros(design.shape[1])
    for _ in range(iterations):
        working = eta - offset + (y - mu) / mu
        weighted = design * mu[:, None]
        updated = np.linalg.solve(design.T @ weighted, weighted.T @ working)
        eta = design @ updated + offset
        mu = np.exp(eta)
        converged = np.max(np.abs(updated - beta)) <= tolerance * (1 + np.max(np.abs(updated)))
        beta = updated
        if converged:
            break
    return beta, mu


def poisson_fixed_effects(
    y: np.ndarray, x: np.ndarray, effects: np.ndarray, codes: np.ndarray, offset: np.ndarray | None = None
) -> tuple[float, float, int]:
    """Poisson (pseudo-)maximum likelihood of ``y`` on ``x`` and the ``effects`` dummies (full rank),
    with an optional log ``offset``: the slope in log points, its CR1 cluster-robust error (the
    factor statsmodels uses, k counting every column) and the number of parameters. A test checks
    both against statsmodels' GLM."""
    design = np.column_stack([x, effects])
    beta, mu = poisson_fit(y, design, offset)
    bread = np.linalg.pinv(design.T @ (design * mu[:, None]))
    groups = int(codes.max()) + 1
    scores = np.column_stack(
        [np.bincount(codes, weights=design[:, j] * (y - mu), minlength=groups) for j in range(design.shape[1])]
    )
    vcov = cr1_factor(groups, len(y), design.shape[1]) * bread @ (scores.T @ scores) @ bread
    return float(beta[0]), float(np.sqrt(vcov[0, 0])), design.shape[1]


def score_bootstrap_p(
    y: np.ndarray,
    x: np.ndarray,
    effects: np.ndarray,
    codes: np.ndarray,
    *,
    draws: int,
    seed: int,
    offset: np.ndarray | None = None,
) -> tuple[float, float]:
    """Wild cluster score bootstrap p-value (Kline & Santos 2012) of H0: slope = 0 in a Poisson model
    with fixed effects, and its Monte Carlo standard error.

    The model is fitted under the null (fixed effects only); each cluster's score for the slope is
    the sum of (x net of the fixed effects, weighted by the fitted means) x (y - fitted mean). The
    statistic is the studentized sum of cluster scores; draws multiply each cluster's score by a Webb weight.
    """
    _, mu = poisson_fit(y, effects, offset)
    root = np.sqrt(mu)
    coefficients, *_ = np.linalg.lstsq(effects * root[:, None], x * root, rcond=None)
    cluster_scores = np.bincount(codes, weights=(x - effects @ coefficients) * (y - mu))
    observed = abs(cluster_scores.sum()) / np.sqrt(cluster_scores @ cluster_scores)
    exceed = 0
    for weights in bootstrap_weights(len(cluster_scores), draws, seed):
        drawn = weights * cluster_scores[:, None]
        exceed += int((np.abs(drawn.sum(axis=0)) / np.sqrt((drawn**2).sum(axis=0)) >= observed).sum())
    p = float((exceed + 1) / (draws + 1))
    return p, monte_carlo_se(p, draws)


# --- frames to arrays: the two-way models both panels run (units x periods) ---


def within(panel: pd.DataFrame, column: str, unit: str = "aor", time: str = "month") -> np.ndarray:
    """A column net of unit and period effects (what a two-way fixed-effects slope is estimated from)."""
    return residualize(effects_basis(panel[unit], panel[time]), panel[column].to_numpy(float))


def _linear(x: np.ndarray, y: np.ndarray, basis: np.ndarray, clusters, periods, draws: int, seed: int) -> Estimate:
    """Slope of ``y`` on ``x`` net of ``basis``, CR1 by ``clusters`` (t with G-1 df), with a wild bootstrap p."""
    codes, groups = cluster_codes(clusters)
    x_r, y_r = residualize(basis, x), residualize(basis, y)
    beta, se = slope_and_se(x_r, y_r, codes, basis.shape[1])
    p_wild, p_wild_se = wild_bootstrap_p(x_r, y_r, codes, basis, basis.shape[1], draws=draws, seed=seed)
    result = estimate(beta, se, groups - 1, n_obs=len(x), n_clusters=groups, first=min(periods), last=max(periods))
    return replace(result, p_wild=p_wild, p_wild_se=p_wild_se, draws=draws)


def twfe(
    panel: pd.DataFrame,
    outcome: str,
    regressor: str,
    unit: str = "aor",
    time: str = "month",
    *,
    draws: int = 9999,
    seed: int = 20261122,
) -> Estimate:
    """Two-way fixed-effects slope of ``outcome`` on ``regressor``, clustered by ``unit``, with a wild
    cluster bootstrap p-value from ``draws`` draws."""
    data = panel[[outcome, regressor, unit, time]].dropna()
    basis = effects_basis(data[unit], data[time])
    return _linear(
        data[regressor].to_numpy(float), data[outcome].to_numpy(float), basis, data[unit], data[time], draws, seed
    )


def first_differences(
    panel: pd.DataFrame,
    outcome: str,
    regressor: str,
    unit: str = "aor",
    time: str = "month",
    *,
    draws: int = 9999,
    seed: int = 20261122,
) -> Estimate:
    """Slope of the period-to-period change in ``outcome`` on the change in ``regressor``, with period
    effects, clustered by ``unit``."""
    ordered = panel.sort_values([unit, time])
    changes = ordered.assign(**{c: ordered.groupby(unit)[c].diff() for c in (outcome, regressor)}).dropna(
        subset=[outcome, regressor]
    )
    basis = effects_basis(changes[time])
    return _linear(
        changes[regressor].to_numpy(float),
        changes[outcome].to_numpy(float),
        basis,
        changes[unit],
        changes[time],
        draws,
        seed,
    )


def correlation(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    """Pearson r with a 95% interval (Fisher z); the interval assumes independent observations."""
    r = float(np.corrcoef(x, y)[0, 1])
    z, half = np.arctanh(r), 1.96 / np.sqrt(len(x) - 3)
    return r, float(np.tanh(z - half)), float(np.tanh(z + half))


def positive_groups(data: pd.DataFrame, outcome: str, keys: list[str]) -> pd.DataFrame:
    """Drop units and periods whose outcome is zero throughout: their fixed effect would be minus
    infinity and they carry no information about the slope (as fixest's fepois does)."""
    for key in keys:
        totals = data.groupby(key)[outcome].transform("sum")
        data = data[totals > 0]
    return data


def ppml(
    panel: pd.DataFrame,
    outcome: str,
    regressor: str,
    unit: str = "aor",
    time: str = "month",
    *,
    draws: int = 9999,
    seed: int = 20261122,
) -> Estimate:
    """Poisson pseudo-maximum likelihood (PPML) slope with unit and time fixed effects.

    Suited to counts and amounts with many zeros and heavy tails (Santos Silva & Tenreyro 2006):
    the coefficient is the change in log expected ``outcome`` per unit of ``regressor``. The
    interval is cluster-robust by ``unit`` (t with G-1 df); ``p_wild`` is a wild cluster score
    bootstrap p-value (Kline & Santos 2012; null imposed, Webb weights), which simulations find
    closer to its nominal size than the analytic errors when clusters are few (still approximate).
    """
    data = positive_groups(panel[[outcome, regressor, unit, time]].dropna(), outcome, [unit, time]).reset_index(
        drop=True
    )
    y, x = data[outcome].to_numpy(float), data[regressor].to_numpy(float)
    effects = np.column_stack([dummies(data[unit]), dummies(data[time])[:, 1:]])
    codes, groups = cluster_codes(data[unit])
    beta, se, _ = poisson_fixed_effects(y, x, effects, codes)
    p_wild, p_wild_se = score_bootstrap_p(y, x, effects, codes, draws=draws, seed=seed)
    result = estimate(
        beta, se, groups - 1, n_obs=len(y), n_clusters=groups, first=data[time].min(), last=data[time].max()
    )
    return replace(result, p_wild=p_wild, p_wild_se=p_wild_se, draws=draws)
