"""The checks a referee runs on the state panel's verdict and on its main association.

- How much of the share's variation each decisive specification uses is signal (``reliability``),
  and what measurement error costs in power (``power_cost``).
- Where the verdict turns: without each state (``leave_one_out_verdicts``), at other coverage
  cut-offs (``coverage_sweep``); the inference conventions are ``state_models.sensitivity``.
- Where the main association comes from: later starts, complete reporting, the previous period's
  share (``period_rows``), and randomization inference over whole share paths (``randomization_p``).
- Other designs: a long difference, Driscoll-Kraay errors, a control for the foreign-born share,
  the age-adjusted rate, the Pew-CMS agreement on changes, the shared denominator's bias.
- The arrest series past 2008 (FBI Table 69) and the seam with the county files (``window_rows``,
  ``seam_changes``).

None of these is part of the declared rule: they are shown beside the verdict.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from scipy import special

from analysis.models import fixed_effects, inference, specifications
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
    leave_one_state_out,
    spec_sample,
    state_estimate,
    verdict_of,
    wild_bootstrap_p,
    with_lag,
    with_lead,
    with_state_dummies,
)

# Pew publishes 90% margins of error: the standard error is the margin / z(0.95).
MARGIN_Z = float(special.ndtri(0.95))
# Below this reliability, sampling error is more than half of the share's variation: a flag, not a rule.
RELIABILITY_FLOOR = 0.5
# The chapter prints bounds and the threshold to one decimal: a bound closer to the threshold than
# this reads the same as the threshold, so a reading that turns on it is on a knife-edge itself.
KNIFE_EDGE_MARGIN = 0.1

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
    than sampling error, if sampling errors are independent: lambda = 1 - s2u (n - k) / n / W."""

    spec: str  # the specification whose fixed effects are removed
    within_variance: float  # W: observed variance of the share after the fixed effects, points squared
    error_variance: float  # s2u: mean sampling variance of the share (from the 90% margins), points squared
    surviving: float  # (n - k) / n: the share of independent noise the projection leaves
    ratio: float  # lambda; may be negative (never clipped)
    cells_with_margin: int  # state-years of the sample whose margin is published
    cells: int

    @property
    def noise_variance(self) -> float:
        """The variance independent sampling errors alone would leave after the fixed effects: s2u (n - k) / n."""
        return self.error_variance * self.surviving

    @property
    def chance_band(self) -> float:
        """How far, relative to it, the variance left by pure independent noise strays by chance (one
        standard deviation of a chi-squared over its n - k degrees of freedom: sqrt(2 / (n - k)))."""
        return float(np.sqrt(2 / (self.surviving * self.cells)))

    @property
    def independence_fails(self) -> bool:
        """Whether the variation left is smaller than independent noise alone would leave, by more than
        two ``chance_band``: impossible if the errors were independent, so that assumption fails."""
        return self.within_variance < self.noise_variance * (1 - 2 * self.chance_band)


def reliability(panel: pd.DataFrame, analysis: Analysis, margin: str, spec: Spec = SPECS[MAIN]) -> Reliability:
    """Reliability of the share's variation in the main sample after ``spec``'s fixed effects.

    lambda = 1 - s2u (n - k) / n / W. W is the observed variance of the share after the fixed effects
    (it already contains the sampling noise); s2u is the mean sampling variance, the standard error
    being ``margin`` (a 90% margin of error in points) / 1.645; (n - k)/n is the share of independent
    noise that survives a projection on k = rank of the fixed effects (for a balanced N x T panel with
    state and year effects, (1 - 1/N)(1 - 1/T)). Assumption: sampling errors independent across states
    and years, with the same variance in every cell. A value at or below zero is impossible under that
    assumption (the variation left would be smaller than the noise inside it): beyond chance
    (``Reliability.independence_fails``) it shows the assumption fails, because the margins overstate
    the error of a state's changes or the errors are correlated across its years, and then the share
    of signal cannot be known from the margins. Cells without a published margin are left out of the
    mean; with none, lambda is missing."""
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


def reliability_words(found: Reliability) -> str:
    """Lambda in words: its value (never clipped), and at or below zero what that means: beyond chance
    (``Reliability.independence_fails``) the independence assumption fails and the share of signal
    cannot be known; within chance, the variation left may be all noise."""
    if found.ratio > 0:
        return f"{found.ratio:.2f}"
    if found.independence_fails:
        return f"{found.ratio:.2f}: impossible with independent errors, so the signal share cannot be known"
    return f"{found.ratio:.2f}: no more variation than independent noise would leave, so it may be all noise"


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
    """If the true slope equalled ``threshold`` and the share's sampling errors were independent, they
    would pull the estimate to lambda x threshold (lambda clipped to [0, 1]); with the estimate's standard error and t
    critical value, the probability that its upper bound falls below the threshold anyway (normal
    sampling of the estimate): the chance of reading "rules out the increase" when it is there."""
    factor = float(min(max(ratio, 0.0), 1.0))
    critical = fixed_effects.t_quantile(0.975, fit.df)
    attenuated = factor * threshold
    return PowerCost(factor, attenuated, float(special.ndtr((threshold - critical * fit.se - attenuated) / fit.se)))


def leave_one_out_verdicts(panel: pd.DataFrame, analysis: Analysis, threshold: float) -> pd.DataFrame:
    """The declared rule applied without each state in turn: the decisive upper bounds and the verdict
    (each decisive specification re-fitted without every state from one projection:
    ``state_models.leave_one_state_out``)."""
    data = with_lead(panel, analysis.share)
    fits = {
        key: leave_one_state_out(spec_sample(data, analysis, SPECS[key]), analysis, SPECS[key]).set_index("omitted")
        for key in DECISIVE
    }
    rows = []
    for state in fits[MAIN].index:
        bounds = {key: (fits[key].loc[state, "ci_low"], fits[key].loc[state, "ci_high"]) for key in DECISIVE}
        rows.append(
            {
                "omitted": state,
                **{f"upper_{key}": bounds[key][1] for key in DECISIVE},
                "verdict": specifications.verdict(bounds, threshold),
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
    # y is already net of the fixed effects, so x'y needs no projection of x, and x'Mx = x'x - |B'x|^2
    # (B orthonormal): one product with the basis instead of two
    slopes = (shares.T @ y) / ((shares**2).sum(axis=0) - ((basis.T @ shares) ** 2).sum(axis=0))
    p = float(((np.abs(slopes) >= abs(observed)).sum() + 1) / (draws + 1))
    return observed, p, fixed_effects.monte_carlo_se(p, draws)


def long_difference(panel: pd.DataFrame, analysis: Analysis, first_year: int | None = None) -> Estimate:
    """Change from the main sample's first year (or ``first_year``) to its last in the outcome on the
    change in the share, one row per state with both years, with a constant (the common change); HC2
    errors, t with n - 2 df."""
    sample = spec_sample(panel, analysis, SPECS[MAIN])
    first, last = int(sample["year"].min()) if first_year is None else first_year, int(sample["year"].max())
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
    panel: pd.DataFrame,
    analysis: Analysis,
    windows: tuple[tuple[int, int], ...],
    break_year: int,
    threshold: float,
    margin: str | None = None,
) -> pd.DataFrame:
    """The decisive specifications over other windows of years, with the rule's reading against the
    declared ``threshold`` (shown, never the verdict), the ``Reliability`` of the share's variation
    each uses (from the 90% margins in column ``margin``, if given), and for windows that straddle
    ``break_year`` (the seam between two arrest sources) the main and state-trends models with a level
    shift per state from ``break_year`` on (a break indicator; a common shift is absorbed by the year
    effects)."""
    data = with_lead(panel, analysis.share)
    rows = []
    for first, last in windows:
        window = replace(analysis, years=(first, last))
        fits = decisive_fits(data, window)
        sample = spec_sample(data, window, SPECS[MAIN])
        row = {
            "window": f"{first}-{last}",
            "verdict": verdict_of(fits, threshold),
            **{
                f"{key}_{field}": getattr(fits[key], field)
                for key in DECISIVE
                for field in ("coef", "se", "ci_low", "ci_high")
            },
            "n_obs": fits[MAIN].n_obs,
            "n_states": fits[MAIN].n_clusters,
            "years": fits[MAIN].span,
            "states": tuple(sorted(sample["state"].unique())),
        }
        if margin is not None:
            row.update({f"{key}_reliability": reliability(data, window, margin, SPECS[key]) for key in DECISIVE})
        if sample["year"].min() < break_year <= sample["year"].max():
            shifted, flags = with_state_dummies(sample, sample["year"] >= break_year, "after")
            for key, trends in (("break", False), ("break_trends", True)):
                fit = fit_linear(shifted, window.rate, [window.share, *flags], state_trends=trends)
                row.update({f"{key}_coef": fit.coef, f"{key}_ci_low": fit.ci_low, f"{key}_ci_high": fit.ci_high})
        rows.append(row)
    return pd.DataFrame(rows)


@dataclass
class SeamChange:
    """How much a rate moves across the seam between two sources, against ordinary year-to-year moves."""

    years: tuple[int, int]  # the last year of the old source and the first of the new one
    median: float  # median over states of the log change across the seam
    sd: float  # standard deviation over states of that log change
    sd_other: float  # median over the other pairs of consecutive years of the same standard deviation
    other_pairs: int  # how many other pairs of consecutive years the comparison uses
    states: int  # states with both years of the seam
    largest: pd.Series  # the largest log changes across the seam in absolute value, by state


def seam_changes(panel: pd.DataFrame, rate: str, seam_year: int, span: tuple[int, int], largest: int = 4) -> SeamChange:
    """Each state's log change in ``rate`` from the year before ``seam_year`` to ``seam_year`` (the
    seam between two arrest sources), against the log changes between the other consecutive years of
    ``span`` that both have the rate: the seam's size, openly, before any model absorbs it."""
    wide = panel[panel["year"].between(*span)].pivot(index="state", columns="year", values=rate)
    logs = np.log(wide.where(wide > 0))
    years = sorted(logs.columns)
    pairs = [(a, b) for a, b in zip(years[:-1], years[1:], strict=False) if b == a + 1]
    changes = {pair: (logs[pair[1]] - logs[pair[0]]).dropna() for pair in pairs}
    seam = changes[(seam_year - 1, seam_year)]
    others = [found.std() for pair, found in changes.items() if pair[1] != seam_year and len(found) > 1]
    order = seam.abs().sort_values(ascending=False).index[:largest]
    return SeamChange(
        (seam_year - 1, seam_year),
        float(seam.median()),
        float(seam.std()),
        float(np.median(others)),
        len(others),
        len(seam),
        seam.loc[order],
    )


def lag_collinearity(panel: pd.DataFrame, analysis: Analysis) -> float:
    """Correlation of the current and the previous published year's share after state and year effects,
    on the lag model's state-years: how much the two regressors of the lag rows move together."""
    lagged = (
        spec_sample(with_lag(panel, analysis.share), analysis, SPECS[MAIN])
        .dropna(subset=["lag_share"])
        .reset_index(drop=True)
    )
    basis = fixed_effects_basis(lagged)
    current = fixed_effects.residualize(basis, lagged[analysis.share].to_numpy(float))
    previous = fixed_effects.residualize(basis, lagged["lag_share"].to_numpy(float))
    return float(current @ previous / np.sqrt((current @ current) * (previous @ previous)))


def main_with_wild(
    panel: pd.DataFrame,
    analysis: Analysis,
    *,
    draws: int,
    window: str = "declared",
    years: tuple[int, int] | None = None,
) -> pd.Series:
    """The main estimate of ``analysis`` (over ``years`` instead of its own, if given) with its wild
    cluster bootstrap p-value and Monte Carlo SE (``state_models.wild_bootstrap_p``, its default seed),
    as a row for ``study_comparison`` labelled ``window``."""
    analysis = analysis if years is None else replace(analysis, years=years)
    row = estimate_row(MAIN, analysis.label, fit_spec(panel, analysis, SPECS[MAIN]))
    p, error = wild_bootstrap_p(panel, analysis, draws=draws)
    return pd.Series({**row, "p_wild": p, "p_wild_se": error, "window": window})


def study_comparison(published: pd.DataFrame, pairs: list[tuple[str, str, pd.Series]]) -> pd.DataFrame:
    """The study's reported magnitudes beside this book's estimates of the same outcome.

    ``published``: ``data/curated/published_state_panel.csv`` indexed by id; ``pairs``: (a published
    row's id, the undocumented-share source of this book's estimate, the estimate as a row of an
    estimates table: coef, ci_low, ci_high, years, and optionally its wild bootstrap p_wild and
    Monte Carlo SE p_wild_se, and the window it belongs to: 'declared' by default).
    ``reading``: 'contains' when the book's 95% interval contains the study's value, 'excludes'
    otherwise; ``same_sign`` compares the book's point estimate with the study's sign as the study
    wrote it; ``book_significant`` is whether the book's interval excludes zero; ``borderline`` is
    whether that is unsure: the wild bootstrap p disagrees with the interval about zero at 5%, or lies
    within ``fixed_effects.BORDERLINE_MC_SE`` Monte Carlo SEs of 0.05 (the correlation chapter's
    convention)."""
    rows = []
    for key, source, fit in pairs:
        value = float(published.loc[key, "value"])
        significant = bool(fit["ci_low"] > 0 or fit["ci_high"] < 0)
        p_wild, p_wild_se = float(fit.get("p_wild", np.nan)), float(fit.get("p_wild_se", np.nan))
        borderline = not np.isnan(p_wild) and (
            inference.interval_and_p_disagree(fit["ci_low"], fit["ci_high"], p_wild)
            or fixed_effects.monte_carlo_reading(p_wild, p_wild_se) == "borderline"
        )
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
                "book_significant": significant,
                "p_wild": p_wild,
                "p_wild_se": p_wild_se,
                "borderline": bool(borderline),
                "window": fit.get("window", "declared"),
            }
        )
    return pd.DataFrame(rows)
