"""Regressions on the state panel: two-way fixed effects with state-clustered standard errors.

Each model is ordinary (or population-weighted) least squares with a dummy for every state and
year, so that a state is compared with itself over time, net of what all states share in a year.
Standard errors are cluster-robust by state (CR1) and intervals use a t distribution with
(states - 1) degrees of freedom, so serial correlation within a state does not overstate
precision. With about 50 clusters this is the standard, adequate choice.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm


@dataclass
class Fit:
    """One coefficient with its 95% interval and the sample it came from."""
    coef: float
    se: float
    ci_low: float
    ci_high: float
    p: float
    n_obs: int
    n_states: int
    first_year: int
    last_year: int

    def as_dict(self) -> dict:
        return asdict(self)


def year_dummies(sample: pd.DataFrame, within: str | None) -> pd.DataFrame:
    """Year dummies, common to all states or (``within`` a grouping such as 'region') one set per
    group; the first year of each group is the reference, so the design stays full rank."""
    groups = sample[within].astype(str) if within else pd.Series("all", index=sample.index)
    first_year = sample.groupby(groups)["year"].transform("min")
    labels = (groups + "_" + sample["year"].astype(str)).where(sample["year"] != first_year)
    return pd.get_dummies(labels, prefix="year", dtype=float)


def design(sample: pd.DataFrame, regressor: str, controls: list[str], fixed_effects: bool,
           years_within: str | None = None) -> pd.DataFrame:
    """Regressor, controls, a constant and (optionally) state and year dummies (reference levels dropped)."""
    columns = [sample[[regressor, *controls]].astype(float)]
    if fixed_effects:
        columns += [pd.get_dummies(sample["state"], prefix="state", drop_first=True, dtype=float),
                    year_dummies(sample, years_within)]
    return sm.add_constant(pd.concat(columns, axis=1), has_constant="add")


def fit(sample: pd.DataFrame, outcome: str, regressor: str, controls: list[str] = (), weights: str | None = None,
        fixed_effects: bool = True, years_within: str | None = None) -> Fit:
    """The coefficient on ``regressor``: TWFE with state-clustered SEs, or (``fixed_effects=False``)
    a cross-section with heteroskedasticity-robust (HC3) SEs. ``years_within='region'`` replaces
    the common year effects by region-specific ones (each region's own trend is removed).

    ``sample`` must already be the exact analysis sample (no missing values): the function refuses
    to drop rows silently.
    """
    controls = list(controls)
    needed = [outcome, regressor, *controls] + ([weights] if weights else [])
    if sample[needed].isna().any().any():
        raise ValueError(f"the sample has missing values in {sample[needed].columns[sample[needed].isna().any()].tolist()}; "
                         "build it with state_panel.analysis_sample")
    X = design(sample, regressor, controls, fixed_effects, years_within)
    y = sample[outcome].astype(float)
    model = sm.WLS(y, X, weights=sample[weights].astype(float)) if weights else sm.OLS(y, X)
    if fixed_effects:
        groups = pd.factorize(sample["state"])[0]
        result = model.fit(cov_type="cluster", cov_kwds={"groups": groups}, use_t=True)
    else:
        result = model.fit(cov_type="HC3", use_t=True)
    low, high = result.conf_int(alpha=0.05).loc[regressor]
    return Fit(coef=float(result.params[regressor]), se=float(result.bse[regressor]), ci_low=float(low),
               ci_high=float(high), p=float(result.pvalues[regressor]), n_obs=int(result.nobs),
               n_states=int(sample["state"].nunique()), first_year=int(sample["year"].min()),
               last_year=int(sample["year"].max()))


def leave_one_out(sample: pd.DataFrame, outcome: str, regressor: str, controls: list[str] = (),
                  weights: str | None = None) -> pd.DataFrame:
    """The TWFE coefficient re-estimated without each state in turn (one row per omitted state)."""
    rows = []
    for state in sorted(sample["state"].unique()):
        result = fit(sample[sample["state"] != state], outcome, regressor, controls, weights)
        rows.append({"omitted": state, **result.as_dict()})
    return pd.DataFrame(rows)


def synthetic_panel(n_states: int, years: list[int], effect: float, seed: int, noise: float = 1.0) -> pd.DataFrame:
    """A state-year panel where ``outcome`` = state effect + year effect + ``effect`` x share + noise.

    The share is correlated with the state effects (as real immigrant shares are with state
    characteristics), so a model without state fixed effects would be biased; the TWFE estimate
    should recover ``effect``. Used by the tests and available to readers who want to check the
    estimator.
    """
    rng = np.random.default_rng(seed)
    state_effect = rng.normal(0, 5, n_states)
    year_effect = dict(zip(years, rng.normal(0, 2, len(years))))
    rows = []
    for i in range(n_states):
        for year in years:
            share = 2 + 0.3 * state_effect[i] + rng.normal(0, 1)
            outcome = 20 + state_effect[i] + year_effect[year] + effect * share + rng.normal(0, noise)
            rows.append({"state": f"S{i:02d}", "year": year, "share": share, "outcome": outcome,
                         "population": float(rng.integers(500_000, 5_000_000))})
    return pd.DataFrame(rows)


@dataclass
class Specification:
    """One model: a glue key, a label for tables, and how its sample and fit differ from the main one."""
    key: str
    label: str
    outcome: str
    controls: list
    weights: str | None
    drop_states: list
    lag: int = 0
    years_within: str | None = None

    def sample(self, panel: pd.DataFrame, regressor: str, years: tuple[int, int]) -> pd.DataFrame:
        """The exact state-years this model uses (every variable it needs, weights included, present)."""
        from analysis.state_panel import analysis_sample

        needed = [*self.controls, *([self.weights] if self.weights else [])]
        return analysis_sample(panel, self.outcome, regressor, needed, years, self.drop_states, self.lag)


CONTROL_NAMES = {"unemployment_pct": "unemployment", "poverty138_pct": "poverty (138% line)", "urban_pct": "urban share",
                 "hispanic_pct": "Hispanic share", "foreign_born_pct": "foreign-born share"}

OTHER_RATE = {"overdose_rate": ("age_adjusted", "Age-adjusted death rate", "overdose_rate_age_adjusted"),
              "overdose_rate_age_adjusted": ("crude", "Crude death rate", "overdose_rate")}


def specifications(outcome: str, weighting: str, controls: list[str], control_set: list[str],
                   leave_out: list[str]) -> list[Specification]:
    """The main model ('twfe') and its robustness variants, each changing one thing.

    weighted/unweighted (whichever the main model is not), with the control set, log outcome,
    one-year lag of the share, each of ``leave_out`` dropped, region-specific year effects, and
    the other death-rate definition (crude or age-adjusted).
    """
    weights = {"none": None, "population": "population"}[weighting]
    main = Specification("twfe", "Main model", outcome, list(controls), weights, [])
    other_weights = ("weighted", "Population-weighted", "population") if weights is None else ("unweighted", "Unweighted", None)
    rate_key, rate_label, rate_column = OTHER_RATE[outcome]
    variants = [
        Specification(other_weights[0], other_weights[1], outcome, main.controls, other_weights[2], []),
        Specification("controls", "With controls: " + ", ".join(CONTROL_NAMES.get(c, c) for c in control_set), outcome, sorted(set(main.controls) | set(control_set)), weights, []),
        Specification("log", "Log of the death rate", f"log_{outcome}", main.controls, weights, []),
        Specification("lag1", "Share lagged one year", outcome, main.controls, weights, [], lag=1),
        *[Specification(f"drop_{state.lower().replace(' ', '_')}", f"Without {state}", outcome, main.controls, weights, [state])
          for state in leave_out],
        Specification("region_years", "Year effects by Census region", outcome, main.controls, weights, [], years_within="region"),
        Specification(rate_key, rate_label, rate_column, main.controls, weights, []),
    ]
    return [main, *variants]


def run_specifications(panel: pd.DataFrame, specs: list[Specification], regressor: str,
                       years: tuple[int, int]) -> pd.DataFrame:
    """Fit every specification on its own exact sample; one row per specification."""
    rows = []
    for spec in specs:
        result = fit(spec.sample(panel, regressor, years), spec.outcome, regressor, spec.controls, spec.weights, years_within=spec.years_within)
        rows.append({"key": spec.key, "label": spec.label, **result.as_dict(),
                     "years": f"{result.first_year}-{result.last_year}"})
    return pd.DataFrame(rows)
