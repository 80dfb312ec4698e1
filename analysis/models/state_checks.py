"""The checks a referee runs on the state panel's verdict and on its main association.

- How much of the share's variation each decisive specification uses is signal (``reliability``),
  and what measurement error costs in power (``power_cost``).
- Where the verdict turns: without each state (``leave_one_out_verdicts``), at other coverage
  cut-offs (``coverage_sweep``); the inference conventions are ``state_models.sensitivity``.
- Where the main association comes from: later starts, complete reporting, the previous period's
  share (``period_rows``), and randomization inference over whole share paths (``randomization_p``).
- Other designs: a long difference, Driscoll-Kraay errors, a control for the foreign-born share,
  the age-adjusted rate, the Pew-CMS agreement on changes, the shared denominator's bias.
- The arrest series past 2008 (FBI Table 69) and the seam with the county files (``window_rows``).

None of these is part of the declared rule: they are shown beside the verdict.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from scipy import special

from analysis.models import fixed_effects
from analysis.models.fixed_effects import Estimate
from analysis.models.specifications import MAIN, Analysis, Spec
from analysis.models.state_models import (
    DECISIVE,
    SPECS,
    decisive_fits,
    estimate_row,
    estimates_frame,
    fit_linear,
    fit_spec,
    fixed_effects_basis,
    spec_sample,
    state_estimate,
    verdict_of,
    with_lag,
    with_lead,
    with_state_dummies,
)

# Pew publishes 90% margins of error: the standard error is the margin / z(0.95).
MARGIN_Z = float(special.ndtri(0.95))
# Below this reliability, sampling error is more than half of the share's variation: a flag, not a rule.
RELIABILITY_FLOOR = 0.5

# The referee's checks as declared after their report (round 3), never part of the verdict: the coverage
# cut-offs swept, the later starts and the complete-coverage cut-off of the by-period rows, the windows
# the arrest series reaches with FBI Table 69, and the seam between the two arrest sources.
COVERAGE_CUTOFFS = (50.0, 60.0, 70.0, 75.0, 80.0, 85.0, 90.0)
LATER_STARTS = (1995, 1998, 2000)
COMPLETE_COVERAGE = 90.0
WINDOWS = ((1990, 2008), (1990, 2014), (1990, 2019), (2009, 2019))
SEAM_YEAR = 2009


@dataclass
class Reliability:
    """How much of the share's variation left by one specification's fixed effects is signal rather
    than sampling error: lambda = 1 - s2u (n - k) / n / W."""

    spec: str  # the specification whose fixed effects are removed
    within_variance: float  # W: observed variance of the share after the fixed effects, points squared
    error_variance: float  # s2u: mean sampling variance of the share (from the 90% margins), points squared
    surviving: float  # (n - k) / n: the share of independent noise the projection leaves
    ratio: float  # lambda; may be negative (never clipped)
    cells_with_margin: int  # state-years of the sample whose margin is published
    cells: int


def reliability(panel: pd.DataFrame, analysis: Analysis, margin: str, spec: Spec = SPECS[MAIN]) -> Reliability:
    """Reliability of the share's variation in the main sample after ``spec``'s fixed effects.

    lambda = 1 - s2u (n - k) / n / W. W is the observed variance of the share after the fixed effects
    (it already contains the sampling noise); s2u is the mean sampling variance, the standard error
    being ``margin`` (a 90% margin of error in points) / 1.645; (n - k)/n is the share of independent
    noise that survives a projection on k = rank of the fixed effects (for a balanced N x T panel with
    state and year effects, (1 - 1/N)(1 - 1/T)). Assumption: sampling errors independent across states
    and years, with the same variance in every cell (correlated errors within a state would leave
    less noise, so lambda would be understated). A value at or below zero means the variation left is
    no larger than the sampling noise expected under that assumption. Cells without a published
    margin are left out of the mean; with none, lambda is missing."""
    sample = spec_sample(panel, analysis, SPECS[MAIN])
    share = sample[analysis.share].to_numpy(float)
    basis = fixed_effects_basis(sample, years_within=spec.years_within, state_trends=spec.state_trends)
    residual = fixed_effects.residualize(basis, share)
    within_variance = float(residual @ residual / len(share))
    margins = sample[margin].dropna() if margin in sample else pd.Series(dtype=float)
    error_variance = float(((margins / MARGIN_Z) ** 2).mean()) if len(margins) else np.nan
    surviving = (len(share) - basis.shape[1]) / len(share)
    return Reliability(
        spec.key,
        within_variance,
        error_variance,
        surviving,
        1 - error_variance * surviving / within_variance,
        int(len(margins)),
        len(sample),
    )


def reliability_words(ratio: float) -> str:
    """Lambda in words: its value, and at or below zero what that means (never clipped)."""
    if ratio <= 0:
        return f"{ratio:.2f}: the variation left is no larger than the sampling noise"
    return f"{ratio:.2f}"


def margins_by_year(panel: pd.DataFrame, analysis: Analysis, margin: str) -> pd.Series:
    """Mean 90% margin of error of the share (points) per year of the main sample (years without one dropped)."""
    return spec_sample(panel, analysis, SPECS[MAIN]).groupby("year")[margin].mean().dropna()


@dataclass
class PowerCost:
    """What classical measurement error does to a true effect the size of the threshold."""

    reliability: float  # lambda used (clipped to [0, 1]: the attenuation factor)
    attenuated: float  # the slope expected when the true slope equals the threshold
    below_share: float  # probability that the upper 95% bound still lies below the threshold


def power_cost(fit: Estimate, ratio: float, threshold: float) -> PowerCost:
    """If the true slope equalled ``threshold``, sampling error in the share would pull the estimate
    to lambda x threshold (lambda clipped to [0, 1]); with the estimate's standard error and t
    critical value, the probability that its upper bound falls below the threshold anyway (normal
    sampling of the estimate): the chance of reading "rules out the increase" when it is there."""
    factor = float(min(max(ratio, 0.0), 1.0))
    critical = fixed_effects.t_quantile(0.975, fit.df)
    attenuated = factor * threshold
    return PowerCost(factor, attenuated, float(special.ndtr((threshold - critical * fit.se - attenuated) / fit.se)))


def leave_one_out_verdicts(panel: pd.DataFrame, analysis: Analysis, threshold: float) -> pd.DataFrame:
    """The declared rule applied without each state in turn: the decisive upper bounds and the verdict."""
    data = with_lead(panel, analysis.share)
    rows = []
    for state in sorted(spec_sample(data, analysis, SPECS[MAIN])["state"].unique()):
        fits = decisive_fits(data, analysis, drop_states=(state,))
        rows.append(
            {
                "omitted": state,
                **{f"upper_{key}": fits[key].ci_high for key in DECISIVE},
                "verdict": verdict_of(fits, threshold),
            }
        )
    return pd.DataFrame(rows)


def with_min_coverage(
    panel: pd.DataFrame,
    cutoff: float,
    coverage: str = "arrest_coverage",
    rates: tuple[str, ...] = ("drug_arrest_rate", "dui_arrest_rate"),
) -> pd.DataFrame:
    """The panel with arrest rates missing where the reported share of the data is below ``cutoff``
    percent (above the loader's own cut-off; a lower one needs the loader)."""
    low = panel[coverage] < cutoff
    return panel.assign(**{rate: panel[rate].mask(low) for rate in rates})


def coverage_sweep(
    panel: pd.DataFrame, analysis: Analysis, threshold: float, cutoffs: tuple[float, ...]
) -> pd.DataFrame:
    """The declared rule at each coverage cut-off (the declared threshold kept fixed): decisive
    estimates, upper bounds, state-years and the verdict."""
    rows = []
    for cutoff in cutoffs:
        fits = decisive_fits(with_min_coverage(panel, cutoff), analysis)
        rows.append(
            {
                "cutoff": cutoff,
                "n_obs": fits[MAIN].n_obs,
                **{f"coef_{key}": fits[key].coef for key in DECISIVE},
                **{f"upper_{key}": fits[key].ci_high for key in DECISIVE},
                "verdict": verdict_of(fits, threshold),
            }
        )
    return pd.DataFrame(rows)


def period_rows(
    panel: pd.DataFrame, analysis: Analysis, starts: tuple[int, ...], complete_coverage: float
) -> pd.DataFrame:
    """Where the main association comes from: the main model from each later start year, with only
    state-years whose coverage is at least ``complete_coverage`` percent, and with the share at the
    source's previous published year beside the current one (both coefficients, on the sample where
    the previous year exists; the current share alone on that sample is shown too)."""
    rows = [estimate_row("full", "Full window", fit_spec(panel, analysis, SPECS[MAIN]))]
    for start in starts:
        rows.append(
            estimate_row(f"from_{start}", f"From {start}", fit_spec(panel, analysis, Spec("", "", first_year=start)))
        )
    rows.append(
        estimate_row(
            f"coverage_{complete_coverage:.0f}",
            f"Coverage of at least {complete_coverage:.0f}%",
            fit_spec(with_min_coverage(panel, complete_coverage), analysis, SPECS[MAIN]),
        )
    )
    lagged = (
        spec_sample(with_lag(panel, analysis.share), analysis, SPECS[MAIN])
        .dropna(subset=["lag_share"])
        .reset_index(drop=True)
    )
    rows.append(
        estimate_row(
            "lag_sample",
            "Current share only, on the lag model's state-years",
            fit_linear(lagged, analysis.rate, [analysis.share]),
        )
    )
    rows.append(
        estimate_row(
            "lag_current",
            "Current share, with the previous period's share",
            fit_linear(lagged, analysis.rate, [analysis.share, "lag_share"]),
        )
    )
    rows.append(
        estimate_row(
            "lag_previous",
            "Previous period's share, with the current one",
            fit_linear(lagged, analysis.rate, ["lag_share", analysis.share]),
        )
    )
    return estimates_frame(rows)


def randomization_p(panel: pd.DataFrame, analysis: Analysis, *, draws: int, seed: int) -> tuple[float, float, float]:
    """Randomization inference for the main estimate: each state's whole share path (its years of the
    sample) is given to another state at random, the outcome kept; the two-sided p-value is the share
    of permutations with a slope at least as large in absolute value (counting the observed one),
    with its Monte Carlo SE. It needs no cluster asymptotics; it assumes the paths are exchangeable
    across states. Returns (observed slope, p, Monte Carlo SE)."""
    sample = spec_sample(panel, analysis, SPECS[MAIN])
    basis = fixed_effects_basis(sample)
    y = fixed_effects.residualize(basis, sample[analysis.rate].to_numpy(float))
    paths = panel[panel["state"].isin(sample["state"].unique())].pivot(
        index="state", columns="year", values=analysis.share
    )
    rows, columns = paths.index.get_indexer(sample["state"]), paths.columns.get_indexer(sample["year"])
    values = paths.to_numpy()
    x = fixed_effects.residualize(basis, values[rows, columns])
    observed = float(x @ y / (x @ x))
    rng = np.random.default_rng(seed)
    permuted = np.array([rng.permutation(len(paths)) for _ in range(draws)]).T  # states x draws
    shares = values[permuted[rows], columns[:, None]]  # n x draws
    if np.isnan(shares).any():
        raise ValueError("a permuted share path has no value in a year of the sample")
    shares = fixed_effects.residualize(basis, shares)
    slopes = (shares.T @ y) / (shares**2).sum(axis=0)
    p = float(((np.abs(slopes) >= abs(observed)).sum() + 1) / (draws + 1))
    return observed, p, fixed_effects.monte_carlo_se(p, draws)


def long_difference(panel: pd.DataFrame, analysis: Analysis) -> Estimate:
    """Change from the main sample's first to its last year in the outcome on the change in the share,
    one row per state with both years, with a constant (the common change); HC2 errors, t with n - 2 df."""
    sample = spec_sample(panel, analysis, SPECS[MAIN])
    first, last = int(sample["year"].min()), int(sample["year"].max())
    ends = (
        sample[sample["year"].isin([first, last])]
        .pivot(index="state", columns="year", values=[analysis.rate, analysis.share])
        .dropna()
    )
    dy = (ends[(analysis.rate, last)] - ends[(analysis.rate, first)]).to_numpy()
    dx = (ends[(analysis.share, last)] - ends[(analysis.share, first)]).to_numpy()
    X = np.column_stack([np.ones_like(dx), dx])
    bread = np.linalg.inv(X.T @ X)
    beta = bread @ X.T @ dy
    residual = dy - X @ beta
    leverage = np.einsum("ij,jk,ik->i", X, bread, X)
    vcov = bread @ (X.T * (residual**2 / (1 - leverage))) @ X @ bread
    return fixed_effects.estimate(
        beta[1], np.sqrt(vcov[1, 1]), len(dy) - 2, n_obs=len(dy), n_clusters=len(dy), first=first, last=last
    )


def driscoll_kraay_fit(panel: pd.DataFrame, analysis: Analysis, lags: int | None = None) -> Estimate:
    """The main model with Driscoll-Kraay errors (years as clusters, Bartlett-weighted lags; by default
    floor(4 (T/100)^(2/9)) lags, the Newey-West rule of thumb), t with T - 1 df. Robust to shocks common
    to states within a year and to their serial correlation, but it needs many years: with few, its
    variance estimate rests on few period sums."""
    sample = spec_sample(panel, analysis, SPECS[MAIN])
    basis = fixed_effects_basis(sample)
    x = fixed_effects.residualize(basis, sample[analysis.share].to_numpy(float))
    y = fixed_effects.residualize(basis, sample[analysis.rate].to_numpy(float))
    beta = float(x @ y / (x @ x))
    periods = pd.factorize(sample["year"], sort=True)[0]
    years = int(periods.max()) + 1
    lags = rule_of_thumb_lags(years) if lags is None else lags
    se = fixed_effects.driscoll_kraay(x, y - beta * x, periods, lags, basis.shape[1])
    return state_estimate(beta, se, sample, df=years - 1)


def rule_of_thumb_lags(years: int) -> int:
    """Newey-West's rule of thumb for the number of lags: floor(4 (T/100)^(2/9))."""
    return int(np.floor(4 * (years / 100) ** (2 / 9)))


def with_control(panel: pd.DataFrame, analysis: Analysis, control: str) -> tuple[Estimate, Estimate]:
    """The main model with ``control`` added, and without it on the same state-years (where it exists)."""
    sample = spec_sample(panel, analysis, SPECS[MAIN]).dropna(subset=[control]).reset_index(drop=True)
    return (
        fit_linear(sample, analysis.rate, [analysis.share, control]),
        fit_linear(sample, analysis.rate, [analysis.share]),
    )


def change_correlation(panel: pd.DataFrame, first: str, second: str, years: tuple[int, int]) -> tuple[float, int]:
    """Correlation of two series' year-to-year changes within states over ``years`` (consecutive years
    both publish), and the number of changes. If both measured the same true change with independent
    errors, it would estimate the reliability of a change (an upper bound when their errors correlate)."""
    window = panel[panel["year"].between(*years)].sort_values(["state", "year"])
    changes = window.groupby("state")[[first, second]].diff()
    steps = window.groupby("state")["year"].diff()
    both = changes[(steps == 1) & changes.notna().all(axis=1)]
    return float(both[first].corr(both[second])), len(both)


@dataclass
class DivisionBias:
    """The bias a shared, mismeasured population denominator puts into a slope of rate on share."""

    error_sd: float  # SD of the log population error assumed (from the gap between two Census vintages)
    bias: float  # expected bias of the slope, outcome units per point (positive: upward)
    cells: int  # state-years compared to measure error_sd


def division_bias(panel: pd.DataFrame, analysis: Analysis, vintage_gap: pd.Series) -> DivisionBias:
    """Direction and size of division bias. Share = U/P and rate = A/P share P: an error e in log P
    moves both by -e (times their levels), so the slope is biased by mean(share x rate) Var(e) / W
    (W: the share's within variance), always upward: toward more arrests or deaths with a higher
    share. Var(e) is measured by ``vintage_gap``, the log difference between two Census vintages'
    estimates of the same state-years (a lower bound on the estimates' own error)."""
    sample = spec_sample(panel, analysis, SPECS[MAIN])
    basis = fixed_effects_basis(sample)
    share = sample[analysis.share].to_numpy(float)
    residual = fixed_effects.residualize(basis, share)
    within = residual @ residual / len(share)
    product = float((share * sample[analysis.rate].to_numpy(float)).mean())
    variance = float(vintage_gap.var())
    return DivisionBias(float(np.sqrt(variance)), product * variance / within, int(vintage_gap.notna().sum()))


def window_rows(
    panel: pd.DataFrame, analysis: Analysis, windows: tuple[tuple[int, int], ...], break_year: int, threshold: float
) -> pd.DataFrame:
    """The decisive specifications over other windows of years, with the rule's reading against the
    declared ``threshold`` (shown, never the verdict), and for windows that straddle ``break_year``
    (the seam between two arrest sources) the main and state-trends models with a level shift per
    state from ``break_year`` on (a break indicator; a common shift is absorbed by the year effects)."""
    data = with_lead(panel, analysis.share)
    rows = []
    for first, last in windows:
        window = replace(analysis, years=(first, last))
        fits = decisive_fits(data, window)
        row = {
            "window": f"{first}-{last}",
            "verdict": verdict_of(fits, threshold),
            **{
                f"{key}_{field}": getattr(fits[key], field)
                for key in DECISIVE
                for field in ("coef", "ci_low", "ci_high")
            },
            "n_obs": fits[MAIN].n_obs,
            "n_states": fits[MAIN].n_clusters,
            "years": fits[MAIN].span,
        }
        sample = spec_sample(data, window, SPECS[MAIN])
        if sample["year"].min() < break_year <= sample["year"].max():
            shifted, flags = with_state_dummies(sample, sample["year"] >= break_year, "after")
            for key, trends in (("break", False), ("break_trends", True)):
                fit = fit_linear(shifted, window.rate, [window.share, *flags], state_trends=trends)
                row.update({f"{key}_coef": fit.coef, f"{key}_ci_low": fit.ci_low, f"{key}_ci_high": fit.ci_high})
        rows.append(row)
    return pd.DataFrame(rows)


def study_comparison(published: pd.DataFrame, pairs: list[tuple[str, str, pd.Series]]) -> pd.DataFrame:
    """The study's reported magnitudes beside this book's estimates of the same outcome.

    ``published``: ``data/curated/published_state_panel.csv`` indexed by id; ``pairs``: (a published
    row's id, the undocumented-share source of this book's estimate, the estimate as a row of an
    estimates table: coef, ci_low, ci_high, years).
    ``reading``: 'contains' when the book's 95% interval contains the study's value, 'excludes'
    otherwise; ``same_sign`` compares the book's point estimate with the study's sign as the study
    wrote it; ``book_significant`` is whether the book's interval excludes zero."""
    rows = []
    for key, source, fit in pairs:
        value = float(published.loc[key, "value"])
        rows.append(
            {
                "id": key,
                "outcome": published.loc[key, "outcome"],
                "study": value,
                "coef": fit["coef"],
                "ci_low": fit["ci_low"],
                "ci_high": fit["ci_high"],
                "years": fit["years"],
                "source": source,
                "reading": "contains" if fit["ci_low"] <= value <= fit["ci_high"] else "excludes",
                "same_sign": bool(np.sign(fit["coef"]) == np.sign(value)),
                "book_significant": bool(fit["ci_low"] > 0 or fit["ci_high"] < 0),
            }
        )
    return pd.DataFrame(rows)
