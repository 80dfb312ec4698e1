"""The state panel's models: the pre-declared specification set of ``analysis.models.specifications``
run on one outcome and source, the verdict, and the conventions a referee compares it with.

Linear models absorb the fixed effects by projection (``fixed_effects``): state, year (or
division-by-year) and state-trend dummies. Coefficients and CR1 state-clustered errors equal least
squares with every dummy (a test checks this against statsmodels). Intervals use t with
(states - 1) degrees of freedom; the declared small-sample factor G/(G-1) x (n-1)/(n-k) counts in k
the slopes and every absorbed fixed effect that can be estimated (the rank of the dummies), as
statsmodels does with a full-rank dummy coding. Counting redundant dummy columns as well (a coding
with every state trend beside the year effects, say) would give a k that depends on the coding; the
sensitivity table shows it. R's fixest by default does not count effects nested in the clusters
(state effects and state trends; Stata's xtreg leaves out the state effects but counts state trends
entered as regressors); ``sensitivity`` computes what that changes rather than assuming it small.

Poisson models (counts with a log-population offset) use the kernel's Poisson with state and year
dummies and state-clustered errors (checked against statsmodels' GLM).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.models import fixed_effects, specifications
from analysis.models.fixed_effects import Estimate
from analysis.models.specifications import CONTROLS, MAIN, SPECIFICATIONS, Analysis, Spec

DECISIVE = (MAIN, *specifications.TREND_ROBUST)
SPECS = {spec.key: spec for spec in (*SPECIFICATIONS, *specifications.ROBUSTNESS, *specifications.TREND_COMBINATIONS)}
# The columns of an estimates table (``estimates_frame``): one row per specification or check.
COLUMNS = (
    "key",
    "label",
    "coef",
    "se",
    "ci_low",
    "ci_high",
    "p",
    "df",
    "n_obs",
    "n_states",
    "first_year",
    "last_year",
    "years",
)


def effects_matrix(
    sample: pd.DataFrame, state_effects: bool = True, years_within: str | None = None, state_trends: bool = False
) -> np.ndarray:
    """The fixed effects' dummies: year effects (common, or one set per ``years_within`` group), state
    effects, and a linear trend per state (years centred on the sample's mean)."""
    year = sample["year"].astype(str)
    columns = [fixed_effects.dummies(year if years_within is None else sample[years_within].astype(str) + "_" + year)]
    if state_effects:
        columns.append(fixed_effects.dummies(sample["state"]))
    if state_trends:
        centered = (sample["year"] - sample["year"].mean()).to_numpy(float)
        columns.append(fixed_effects.dummies(sample["state"]) * centered[:, None])
    return np.column_stack(columns)


def fixed_effects_basis(
    sample: pd.DataFrame,
    state_effects: bool = True,
    years_within: str | None = None,
    state_trends: bool = False,
    weights: np.ndarray | None = None,
) -> np.ndarray:
    """Orthonormal basis of the fixed effects of ``effects_matrix`` (with ``weights``: scaled as WLS does)."""
    return fixed_effects.orthonormal_basis(effects_matrix(sample, state_effects, years_within, state_trends), weights)


def state_estimate(
    coef: float, se: float, sample: pd.DataFrame, level: float = 0.95, df: float | None = None
) -> Estimate:
    """An estimate on ``sample`` with a two-sided ``level`` interval, t with (states - 1) df unless ``df`` is given."""
    states = int(sample["state"].nunique())
    return fixed_effects.estimate(
        coef,
        se,
        states - 1 if df is None else df,
        level=level,
        n_obs=len(sample),
        n_clusters=states,
        first=int(sample["year"].min()),
        last=int(sample["year"].max()),
    )


def nested_rank(sample: pd.DataFrame, state_trends: bool = False) -> int:
    """How many absorbed effects are nested in the state clusters: the rank of the state dummies
    (and of the state trends, if any). fixest's default small-sample factor leaves these out of k."""
    states = fixed_effects.dummies(sample["state"])
    if state_trends:
        centered = (sample["year"] - sample["year"].mean()).to_numpy(float)
        states = np.column_stack([states, states * centered[:, None]])
    return int(np.linalg.matrix_rank(states))


def cr1_k(panel: pd.DataFrame, analysis: Analysis, spec: Spec) -> tuple[int, int, int]:
    """The k of the CR1 factor for a linear ``spec``: as declared (the slopes plus the rank of the
    absorbed effects) and counting every dummy column, redundant ones too; and n, the state-years."""
    sample = spec_sample(with_lead(panel, analysis.share), analysis, spec)
    effects = effects_matrix(sample, True, spec.years_within, spec.state_trends)
    slopes = (2 if spec.lead else 1) + (len(CONTROLS) if spec.controls else 0)
    return slopes + int(np.linalg.matrix_rank(effects)), slopes + effects.shape[1], len(sample)


def fit_linear(
    sample: pd.DataFrame,
    outcome: str,
    regressors: list[str],
    weights: str | None = None,
    years_within: str | None = None,
    state_trends: bool = False,
    state_effects: bool = True,
    level: float = 0.95,
    count_nested: bool = True,
    count_columns: bool = False,
) -> Estimate:
    """Least squares of ``outcome`` on ``regressors`` with fixed effects, clustered by state; the
    coefficient reported is the first regressor's, with a two-sided ``level`` interval. The sample
    must have no missing values. ``count_nested=False`` is fixest's small-sample convention;
    ``count_columns=True`` counts every dummy column of ``effects_matrix`` in k, redundant ones too."""
    needed = [outcome, *regressors] + ([weights] if weights else [])
    if sample[needed].isna().any().any():
        raise ValueError(
            f"the sample has missing values in {sample[needed].columns[sample[needed].isna().any()].tolist()}"
        )
    w = sample[weights].to_numpy(float) if weights else None
    basis = fixed_effects_basis(sample, state_effects, years_within, state_trends, w)
    uncounted = 0 if count_nested or not state_effects else nested_rank(sample, state_trends)
    if count_columns:
        uncounted -= effects_matrix(sample, state_effects, years_within, state_trends).shape[1] - basis.shape[1]
    beta, vcov = fixed_effects.fit(
        sample[outcome].to_numpy(float), sample[regressors].to_numpy(float), basis, sample["state"], w, uncounted
    )
    return state_estimate(beta[0], np.sqrt(vcov[0, 0]), sample, level)


def first_differences(sample: pd.DataFrame, outcome: str, regressor: str, period_years: list[int]) -> Estimate:
    """Change in ``outcome`` on change in ``regressor`` between consecutive periods of the source
    (``period_years``: the years the share is published), with year effects, clustered by state."""
    position = {year: i for i, year in enumerate(sorted(period_years))}
    data = sample.sort_values(["state", "year"]).assign(period=sample["year"].map(position))
    grouped = data.groupby("state")
    changes = data.assign(d_y=grouped[outcome].diff(), d_x=grouped[regressor].diff(), step=grouped["period"].diff())
    changes = changes[changes["step"] == 1].reset_index(drop=True)
    basis = fixed_effects_basis(changes, state_effects=False)
    beta, vcov = fixed_effects.fit(
        changes["d_y"].to_numpy(float), changes[["d_x"]].to_numpy(float), basis, changes["state"]
    )
    return state_estimate(beta[0], np.sqrt(vcov[0, 0]), changes)


def fit_poisson(sample: pd.DataFrame, count: str, regressor: str, exposure: str) -> Estimate:
    """Poisson regression of ``count`` on ``regressor`` with state and year dummies and log(exposure)
    as offset, state-clustered errors (coefficient in log points per unit of the regressor)."""
    effects = np.column_stack([fixed_effects.dummies(sample["year"]), fixed_effects.dummies(sample["state"])[:, 1:]])
    codes, _ = fixed_effects.cluster_codes(sample["state"])
    beta, se, _ = fixed_effects.poisson_fixed_effects(
        sample[count].to_numpy(float),
        sample[regressor].to_numpy(float),
        effects,
        codes,
        np.log(sample[exposure].to_numpy(float)),
    )
    return state_estimate(beta, se, sample)


def with_lead(panel: pd.DataFrame, share: str) -> pd.DataFrame:
    """Add ``lead_share``: the same state's share at the source's next published year."""
    return _shifted(panel, share, "lead_share", forward=True)


def with_lag(panel: pd.DataFrame, share: str) -> pd.DataFrame:
    """Add ``lag_share``: the same state's share at the source's previous published year."""
    return _shifted(panel, share, "lag_share", forward=False)


def _shifted(panel: pd.DataFrame, share: str, name: str, forward: bool) -> pd.DataFrame:
    """The same state's share at the next (``forward``) or previous published year of the source."""
    years = sorted(panel.loc[panel[share].notna(), "year"].unique())
    other = (
        dict(zip(years[:-1], years[1:], strict=False)) if forward else dict(zip(years[1:], years[:-1], strict=False))
    )
    shares = panel[["state", "year", share]].rename(columns={share: name, "year": "other_year"})
    keyed = panel.drop(columns=[name], errors="ignore").assign(other_year=panel["year"].map(other))
    return keyed.merge(shares, on=["state", "other_year"], how="left").drop(columns="other_year")


def spec_sample(panel: pd.DataFrame, analysis: Analysis, spec: Spec, drop_states: tuple[str, ...] = ()) -> pd.DataFrame:
    """Exactly the state-years ``spec`` uses for ``analysis``: in its window, every variable present.
    (One boolean mask and one row selection: the models call it hundreds of times.)"""
    needed = [analysis.rate, analysis.share]
    needed += [analysis.count, analysis.exposure] if spec.poisson else []
    needed += list(CONTROLS) if spec.controls or spec.controls_sample else []
    needed += ["lead_share"] if spec.lead else []
    needed += ["population"] if spec.weighted else []
    first = max(analysis.years[0], spec.first_year or analysis.years[0])
    years = panel["year"].to_numpy()
    keep = (years >= first) & (years <= analysis.years[1]) & panel[needed].notna().to_numpy().all(axis=1)
    if drop_states:
        keep &= ~panel["state"].isin(list(drop_states)).to_numpy()
    if spec.drop_censored and analysis.censored:
        keep &= ~panel[analysis.censored].fillna(False).astype(bool).to_numpy()
    return panel[keep].reset_index(drop=True)


def fit_spec(
    panel: pd.DataFrame,
    analysis: Analysis,
    spec: Spec,
    drop_states: tuple[str, ...] = (),
    level: float = 0.95,
    count_nested: bool = True,
    count_columns: bool = False,
) -> Estimate:
    """Fit one pre-declared specification for one analysis (``level``, ``count_nested`` and
    ``count_columns`` apply to linear specifications: the interval's level and the small-sample
    convention of ``fit_linear``).
    ``panel`` needs ``lead_share`` (``with_lead``) for the lead specification."""
    sample = spec_sample(panel, analysis, spec, drop_states)
    if spec.poisson:
        return fit_poisson(sample, analysis.count, analysis.share, analysis.exposure)
    if spec.first_diff:
        periods = panel.loc[panel[analysis.share].notna(), "year"].unique().tolist()
        return first_differences(sample, analysis.rate, analysis.share, periods)
    return fit_sample(sample, analysis, spec, level, count_nested, count_columns)


def fit_sample(
    sample: pd.DataFrame,
    analysis: Analysis,
    spec: Spec,
    level: float = 0.95,
    count_nested: bool = True,
    count_columns: bool = False,
) -> Estimate:
    """A linear specification fitted on its own sample (``spec_sample``), so that callers refitting on
    subsets of one sample (leave one state out) select rows instead of rebuilding it."""
    regressors = ["lead_share", analysis.share] if spec.lead else [analysis.share]
    regressors += list(CONTROLS) if spec.controls else []
    return fit_linear(
        sample,
        analysis.rate,
        regressors,
        weights="population" if spec.weighted else None,
        years_within=spec.years_within,
        state_trends=spec.state_trends,
        level=level,
        count_nested=count_nested,
        count_columns=count_columns,
    )


def estimate_row(key: str, label: str, fit: Estimate) -> dict:
    """One row of an estimates table (``COLUMNS``)."""
    return {
        "key": key,
        "label": label,
        "coef": fit.coef,
        "se": fit.se,
        "ci_low": fit.ci_low,
        "ci_high": fit.ci_high,
        "p": fit.p,
        "df": fit.df,
        "n_obs": fit.n_obs,
        "n_states": fit.n_clusters,
        "first_year": fit.first,
        "last_year": fit.last,
        "years": fit.span,
    }


def estimates_frame(rows: list[dict]) -> pd.DataFrame:
    """Rows of ``estimate_row`` as a table with the ``COLUMNS`` (also when empty)."""
    return pd.DataFrame(rows, columns=list(COLUMNS))


def run_analysis(panel: pd.DataFrame, analysis: Analysis) -> pd.DataFrame:
    """Every specification of ``SPECIFICATIONS`` for ``analysis``; one row per specification."""
    data = with_lead(panel, analysis.share)
    return estimates_frame(
        [estimate_row(spec.key, spec.label, fit_spec(data, analysis, spec)) for spec in SPECIFICATIONS]
    )


def run_robustness(panel: pd.DataFrame, analysis: Analysis) -> pd.DataFrame:
    """The ``ROBUSTNESS`` rows that change ``analysis``' sample (a later start only if the window
    begins earlier; the controls' sample only if it drops state-years); one row per row kept."""
    main = len(spec_sample(panel, analysis, SPECS[MAIN]))
    return estimates_frame(
        [
            estimate_row(spec.key, spec.label, fit_spec(panel, analysis, spec))
            for spec in specifications.ROBUSTNESS
            if len(spec_sample(panel, analysis, spec)) != main
        ]
    )


def including_zero(table: pd.DataFrame) -> list[str]:
    """Labels of the rows whose 95% interval includes zero (bounds included)."""
    return [row.label for row in table.itertuples() if row.ci_low <= 0 <= row.ci_high]


def lead_check(table: pd.DataFrame) -> str:
    """The falsification check: 'fails' when the lead's 95% interval excludes zero; 'uninformative'
    when it includes zero but also the main estimate (it cannot tell a pre-trend from none);
    'passes' when it includes zero and excludes the main estimate."""
    rows = table.set_index("key")
    lead, main = rows.loc["lead"], rows.loc[MAIN, "coef"]
    if not lead["ci_low"] <= 0 <= lead["ci_high"]:
        return "fails"
    return "uninformative" if lead["ci_low"] <= main <= lead["ci_high"] else "passes"


def projected(
    sample: pd.DataFrame, analysis: Analysis, spec: Spec
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """An unweighted linear specification's share and outcome net of its fixed effects, the basis and the
    state codes: what the CR2 errors and the wild bootstrap work on."""
    basis = fixed_effects_basis(sample, years_within=spec.years_within, state_trends=spec.state_trends)
    x = fixed_effects.residualize(basis, sample[analysis.share].to_numpy(float))
    y = fixed_effects.residualize(basis, sample[analysis.rate].to_numpy(float))
    return x, y, basis, fixed_effects.cluster_codes(sample["state"])[0]


def fit_cr2(
    sample: pd.DataFrame, analysis: Analysis, spec: Spec, level: float = 0.95, bell_mccaffrey_df: bool = False
) -> Estimate:
    """An unweighted linear specification with CR2 (Bell-McCaffrey) state-clustered errors; the interval
    uses t with (states - 1) degrees of freedom, or with ``bell_mccaffrey_df`` the Bell-McCaffrey /
    Satterthwaite degrees of freedom. A referee's alternative, never the verdict's."""
    x, y, basis, codes = projected(sample, analysis, spec)
    beta, se, df = fixed_effects.cr2(x, y, basis, codes)
    return state_estimate(beta, se, sample, level, df if bell_mccaffrey_df else None)


# Readings compared with the declared one: (key, words, interval level, convention, what it changes).
# Three change the standard errors or their degrees of freedom ('errors'); the equivalence test keeps
# the errors and changes the test's level ('level'): the declared rule asks each upper bound of a 95%
# interval to lie below the threshold, a one-sided test at 2.5%; the conventional equivalence test
# (TOST) is one-sided at 5%, the upper bound of a 90% interval.
CONVENTIONS = (
    ("declared", "declared: 95% interval (one-sided 2.5% test), CR1 errors", 0.95, "cr1", "declared"),
    ("fixest", "fixest default (nested effects not counted)", 0.95, "cr1_nested", "errors"),
    ("columns", "CR1 counting every dummy column, redundant ones too", 0.95, "cr1_columns", "errors"),
    ("cr2", "CR2 errors, t on states - 1 df (CR1's df: a hybrid)", 0.95, "cr2", "errors"),
    ("cr2_bm", "CR2 errors, Bell-McCaffrey (Satterthwaite) df", 0.95, "cr2_bm", "errors"),
    (
        "tost90",
        "one-sided 5% test (TOST, 90% interval), CR1 errors",
        specifications.EQUIVALENCE_LEVEL,
        "cr1",
        "level",
    ),
)


def decisive_fits(
    panel: pd.DataFrame,
    analysis: Analysis,
    convention: str = "cr1",
    level: float = 0.95,
    drop_states: tuple[str, ...] = (),
) -> dict[str, Estimate]:
    """The decisive specifications' estimates under one inference ``convention`` ('cr1' declared,
    'cr1_nested' fixest's factor, 'cr1_columns' every dummy column counted, 'cr2', 'cr2_bm').
    ``panel`` needs ``lead_share`` only for the lead."""
    if convention.startswith("cr2"):
        return {
            key: fit_cr2(
                spec_sample(panel, analysis, SPECS[key], drop_states),
                analysis,
                SPECS[key],
                level,
                convention == "cr2_bm",
            )
            for key in DECISIVE
        }
    return {
        key: fit_spec(
            panel,
            analysis,
            SPECS[key],
            drop_states,
            level=level,
            count_nested=convention != "cr1_nested",
            count_columns=convention == "cr1_columns",
        )
        for key in DECISIVE
    }


def verdict_of(fits: dict[str, Estimate], threshold: float) -> str:
    """The declared rule applied to the decisive estimates."""
    return specifications.verdict({key: (fit.ci_low, fit.ci_high) for key, fit in fits.items()}, threshold)


def sensitivity(panel: pd.DataFrame, analysis: Analysis, threshold: float, study_threshold: float) -> pd.DataFrame:
    """The verdict under the declared convention and the alternatives a referee would try.

    One row per reading of ``CONVENTIONS`` (``kind``: what it changes), then the declared intervals
    against ``study_threshold`` (the size of the study's reported drug-arrest figure, which was
    negative, as an increase: the quantity the declared threshold was first calibrated to, so not an
    independent alternative; kind 'threshold'): the
    decisive specifications' upper bounds, the highest one, its margin to the threshold (negative:
    below it) and the rule's verdict.
    """
    data = with_lead(panel, analysis.share)
    rows = []
    study = (
        f"declared interval against an increase the size of the study's figure (the study reported "
        f"{-study_threshold:+g}; the quantity the threshold was calibrated to)"
    )
    for key, words, level, convention, kind in (
        *CONVENTIONS,
        ("study_threshold", study, 0.95, "cr1", "threshold"),
    ):
        fits = decisive_fits(data, analysis, convention, level)
        limit = study_threshold if key == "study_threshold" else threshold
        highest = max(fit.ci_high for fit in fits.values())
        rows.append(
            {
                "key": key,
                "convention": words,
                "kind": kind,
                "threshold": limit,
                **{f"upper_{name}": fits[name].ci_high for name in DECISIVE},
                **{f"df_{name}": fits[name].df for name in DECISIVE},
                "highest_upper": highest,
                "margin": highest - limit,
                "verdict": verdict_of(fits, limit),
            }
        )
    return pd.DataFrame(rows)


def threshold_bootstrap_p(
    panel: pd.DataFrame, analysis: Analysis, spec: Spec, threshold: float, *, draws: int = 99999, seed: int = 20261123
) -> tuple[float, float]:
    """One-sided wild cluster bootstrap p-value of H0: slope >= ``threshold`` against slope <
    threshold (Webb weights, the null imposed), with its Monte Carlo standard error. A small p means
    the data rule out an increase as large as ``threshold``; at 5% it tests the same hypothesis as the
    equivalence test's upper side (TOST)."""
    x, y, basis, codes = projected(spec_sample(with_lead(panel, analysis.share), analysis, spec), analysis, spec)
    return fixed_effects.wild_bootstrap_p(
        x, y, codes, basis, basis.shape[1], draws=draws, seed=seed, null=threshold, alternative="less"
    )


def wild_bootstrap_p(
    panel: pd.DataFrame, analysis: Analysis, *, draws: int = 99999, seed: int = 20261123
) -> tuple[float, float]:
    """Wild cluster bootstrap p-value (null imposed, Webb weights, clustered by state) of the main
    estimate, and its Monte Carlo standard error."""
    x, y, basis, codes = projected(spec_sample(panel, analysis, SPECS[MAIN]), analysis, SPECS[MAIN])
    return fixed_effects.wild_bootstrap_p(x, y, codes, basis, basis.shape[1], draws=draws, seed=seed)


def trend_combinations(panel: pd.DataFrame, analysis: Analysis) -> pd.DataFrame:
    """State trends alone (declared) and combined with each declared robustness dimension
    (``specifications.TREND_COMBINATIONS``); a referee's sensitivity, never part of the verdict.
    A combination runs only where it changes the state-trends sample or model."""
    data = with_lead(panel, analysis.share)
    trends = SPECS["state_trends"]
    base = len(spec_sample(data, analysis, trends))
    kept = [trends] + [
        spec
        for spec in specifications.TREND_COMBINATIONS
        if spec.weighted or len(spec_sample(data, analysis, spec)) != base
    ]
    return estimates_frame([estimate_row(spec.key, spec.label, fit_spec(data, analysis, spec)) for spec in kept])


def leave_one_state_out(sample: pd.DataFrame, analysis: Analysis, spec: Spec) -> pd.DataFrame:
    """An unweighted linear specification re-fitted without each state in turn, from one projection
    (one row per omitted state, sorted; the columns of ``estimate_row`` and ``omitted``).

    Leaving state g out equals keeping it with one dummy per row of g. With M the residual maker of
    the fixed effects (orthonormal basis B) and Z = M D_g, the variables net of both are v - Z (Z'Z)+ v_g
    for v = M x or M y, since Z'v = v_g; and Z'Z = I - B_g B_g', a T_g x T_g matrix (a pseudo-inverse:
    the state's own effects make it singular). The slope and its CR1 error then come from the other
    states' rows, with k = rank B + rank(Z'Z) - T_g effects left: the same numbers as re-fitting on the
    sample without g (a test checks it), for 50 states at the cost of a few small matrices each."""
    basis = fixed_effects_basis(sample, years_within=spec.years_within, state_trends=spec.state_trends)
    x = fixed_effects.residualize(basis, sample[analysis.share].to_numpy(float))
    y = fixed_effects.residualize(basis, sample[analysis.rate].to_numpy(float))
    states, codes = np.unique(sample["state"].to_numpy(), return_inverse=True)
    years = sample["year"].to_numpy()
    rows = []
    for g, state in enumerate(states):
        own = np.flatnonzero(codes == g)
        block = basis[own]
        values, vectors = np.linalg.eigh(np.eye(len(own)) - block @ block.T)
        kept = values > 1e-9
        inverse = (vectors[:, kept] / values[kept]) @ vectors[:, kept].T
        net = []
        for v in (x, y):
            weights = inverse @ v[own]
            projected = -(basis @ (block.T @ weights))
            projected[own] += weights
            net.append(v - projected)
        x_g, y_g = net
        others = codes != g
        sxx = float(x_g @ x_g)
        beta = float(x_g @ y_g) / sxx
        scores = np.bincount(codes[others], weights=(x_g * (y_g - beta * x_g))[others], minlength=len(states))
        absorbed = basis.shape[1] + int(kept.sum()) - len(own)
        factor = fixed_effects.cr1_factor(len(states) - 1, int(others.sum()), absorbed + 1)
        fit = fixed_effects.estimate(
            beta,
            np.sqrt(factor * float(scores @ scores)) / sxx,
            len(states) - 2,
            n_obs=int(others.sum()),
            n_clusters=len(states) - 1,
            first=int(years[others].min()),
            last=int(years[others].max()),
        )
        rows.append({"omitted": state, **estimate_row(spec.key, state, fit)})
    return pd.DataFrame(rows)


def leave_one_out(panel: pd.DataFrame, analysis: Analysis) -> pd.DataFrame:
    """The main estimate re-fitted without each state in turn (one row per omitted state)."""
    return leave_one_state_out(spec_sample(panel, analysis, SPECS[MAIN]), analysis, SPECS[MAIN])


@dataclass
class Identification:
    """How much within-state variation identifies the main estimate."""

    within_variance_share: float  # variance of the share left after state and year effects / total variance
    within_sd: float  # standard deviation of that residual share, percentage points
    median_state_range: float  # median over states of (max - min) of the share in the window, points
    effect_per_within_sd: float  # main coefficient x within_sd, in the outcome's units


def identification(panel: pd.DataFrame, analysis: Analysis, coef: float) -> Identification:
    """The share's within-state variation in the main sample, and the effect per within-state SD."""
    sample = spec_sample(panel, analysis, SPECS[MAIN])
    share = sample[analysis.share].to_numpy(float)
    residual = fixed_effects.residualize(fixed_effects_basis(sample), share)
    within_sd = float(np.sqrt(residual @ residual / len(share)))
    ranges = sample.groupby("state")[analysis.share].agg(lambda s: s.max() - s.min())
    return Identification(
        within_variance_share=float((residual @ residual) / ((share - share.mean()) @ (share - share.mean()))),
        within_sd=within_sd,
        median_state_range=float(ranges.median()),
        effect_per_within_sd=float(coef * within_sd),
    )


def interval_words(low: float, high: float) -> str:
    """Where a 95% interval lies, as a predicate: 'lies above zero', 'lies below zero' or 'includes zero'."""
    return "lies above zero" if low > 0 else "lies below zero" if high < 0 else "includes zero"


@dataclass
class Decision:
    """The verdict rule applied to one analysis."""

    verdict: str
    reason: str
    threshold: float
    outcome_mean: float


def decide(panel: pd.DataFrame, analysis: Analysis, table: pd.DataFrame) -> Decision:
    """Apply ``specifications.verdict`` to an analysis' estimates (``run_analysis`` output); the
    smallest meaningful increase is ``SMALLEST_INCREASE`` of the outcome's mean in the main sample."""
    mean = float(spec_sample(panel, analysis, SPECS[MAIN])[analysis.rate].mean())
    limit = specifications.threshold(mean)
    rows = table.set_index("key")
    intervals = {key: (rows.loc[key, "ci_low"], rows.loc[key, "ci_high"]) for key in rows.index}
    coefs = {key: rows.loc[key, "coef"] for key in rows.index}
    result = specifications.verdict(intervals, limit)
    what = (
        f"{analysis.measure} per percentage point of the {analysis.share_source} undocumented share, "
        f"{rows.loc[MAIN, 'years']}"
    )
    return Decision(result, specifications.verdict_reason(result, intervals, coefs, limit, what), limit, mean)


def provisional_gap(final: pd.DataFrame, provisional: pd.DataFrame) -> pd.DataFrame:
    """Per state, over the years both report: provisional (occurrence) / final (residence) deaths - 1, percent."""
    both = final[["state", "year", "overdose_deaths"]].merge(
        provisional.rename(columns={"deaths": "provisional"}), on=["state", "year"]
    )
    sums = both.groupby("state")[["overdose_deaths", "provisional"]].sum()
    return pd.DataFrame(
        {"state": sums.index, "gap_pct": 100 * (sums["provisional"] / sums["overdose_deaths"] - 1)}
    ).reset_index(drop=True)


def residence_checks(panel: pd.DataFrame, analysis: Analysis, gap: pd.DataFrame) -> dict[str, Estimate]:
    """The main estimate of an analysis with provisional years, checked for the residence/occurrence
    difference two ways: provisional deaths rescaled by each state's provisional/final ratio
    (``gap`` from ``provisional_gap``), and a separate provisional-years dummy for each state."""
    ratio = panel["state"].map(gap.set_index("state")["gap_pct"] / 100 + 1)
    provisional = panel["provisional"].fillna(False).astype(bool)
    rescaled = panel.assign(
        **{analysis.rate: np.where(provisional, panel[analysis.rate] / ratio, panel[analysis.rate])}
    )
    sample = spec_sample(panel, analysis, SPECS[MAIN])
    with_flags, flags = with_state_dummies(sample, sample["provisional"].fillna(False).astype(bool), "provisional")
    return {
        "rescaled": fit_spec(rescaled, analysis, SPECS[MAIN]),
        "state_provisional": fit_linear(with_flags, analysis.rate, [analysis.share, *flags]),
    }


def with_state_dummies(sample: pd.DataFrame, active: pd.Series, prefix: str) -> tuple[pd.DataFrame, list[str]]:
    """``sample`` with one dummy per state for the rows where ``active`` holds (a state-specific shift),
    leaving out one state's (with year effects, the common shift is absorbed), and their names."""
    flags = pd.get_dummies(sample["state"], dtype=float).mul(active.astype(float).to_numpy(), axis=0)
    flags = flags.loc[:, flags.sum() > 0].iloc[:, 1:]
    flags.columns = [f"{prefix}_{i}" for i in range(flags.shape[1])]
    return pd.concat([sample, flags], axis=1), list(flags.columns)
