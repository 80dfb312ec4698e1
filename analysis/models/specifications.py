"""The pre-declared state-panel specifications and the verdict rule, written as data.

Declared in code in commit af8b1f6, together with the estimators, after the data were loaded and
before the chapter's results were written (what the repository's history can show).

Every outcome and every undocumented-population source is run through the same ``SPECIFICATIONS``;
a chapter does not choose among them. The verdict on a "not associated with an increase" claim is
decided by ``verdict`` from the main estimate and the trend-robust estimates only:

- **contradicted** when the main estimate and every trend-robust estimate exclude zero on the
  positive side (an increase survives the checks for differential trends);
- **supported** when the main estimate and every trend-robust estimate rule out an increase of
  ``SMALLEST_INCREASE`` (their upper 95% bounds lie below it);
- **inconclusive** otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Spec:
    """One specification: how it differs from the main two-way fixed-effects model."""

    key: str
    label: str
    weighted: bool = False  # population weights
    state_trends: bool = False  # a linear trend per state
    first_diff: bool = False  # changes between consecutive observed years, year effects
    years_within: str | None = None  # year effects per group (e.g. Census division) instead of common ones
    lead: bool = False  # adds next period's share; the reported coefficient is the lead's
    poisson: bool = False  # Poisson on counts, log-population offset (coefficient in log points)
    controls: bool = False  # adds CONTROLS
    drop_censored: bool = False  # leaves out cells the source censors (Pew's '<5,000', '<10,000')
    controls_sample: bool = False  # keeps only state-years where CONTROLS exist, without adding them
    first_year: int | None = None  # starts the window later than the analysis does


SPECIFICATIONS = (
    Spec("twfe", "Main: state and year effects"),
    Spec("weighted", "Population-weighted", weighted=True),
    Spec("state_trends", "State-specific linear trends", state_trends=True),
    Spec("first_diff", "First differences with year effects", first_diff=True),
    Spec("division_years", "Census division x year effects", years_within="division"),
    Spec("lead", "Lead of the share (falsification: should be zero)", lead=True),
    Spec("poisson", "Poisson on counts, log-population offset (log points)", poisson=True),
    Spec("controls", "With controls (unemployment, poverty, urban share)", controls=True),
    Spec("uncensored", "Without censored small-state cells", drop_censored=True),
)

# Robustness rows shown beside the set, never part of the verdict: the controls row's sample without
# the controls (the controls row changes two things at once: sample and regressors), and a window
# starting after the UCR's 1994 change of method (before 1994 arrests cover only reporting agencies,
# from 1994 ICPSR imputes for the rest). A row runs only where it changes the analysis' sample.
ROBUSTNESS = (
    Spec("controls_sample", "Controls row's sample, without controls", controls_sample=True),
    Spec("from_1995", "From 1995 (after the 1994 UCR method change)", first_year=1995),
)

# A referee's sensitivity, never part of the verdict: state trends combined with each declared
# robustness dimension (weights, without censored cells, a window starting after the UCR's 1994 change).
TREND_COMBINATIONS = (
    Spec("state_trends_weighted", "State trends, population-weighted", weighted=True, state_trends=True),
    Spec("state_trends_uncensored", "State trends, without censored cells", state_trends=True, drop_censored=True),
    Spec("state_trends_from_1995", "State trends, from 1995", state_trends=True, first_year=1995),
)

# What each specification changes relative to the main model, in words ({lead_gap}: the source's
# spacing of published years, filled in from the data).
DESCRIPTIONS = {
    "twfe": "A dummy for every state and every year; errors clustered by state.",
    "weighted": "Each state-year weighted by its population.",
    "state_trends": "Adds a linear time trend for each state.",
    "first_diff": "Change from one published year to the next, with year effects.",
    "division_years": "Year effects for each of the nine Census divisions instead of common ones.",
    "lead": "Adds the share at the source's next published year ({lead_gap}); its coefficient is reported and "
    "should be near zero.",
    "poisson": "Counts, not rates, with log population as offset; coefficient in log points.",
    "controls": "Adds unemployment, poverty (138% line) and urban share (available 2000-2018).",
    "uncensored": "Drops the source's censored small-state cells (CMS has none, so its estimate equals the main one).",
    "controls_sample": "The controls row's state-years, without the controls: separates the change of sample from "
    "the change of model.",
    "from_1995": "Starts in 1995: leaves out the years before the UCR's 1994 change of method (arrest analyses only).",
}

MAIN = "twfe"
# Specifications that remove differential trends: a linear trend per state, or year effects per division.
TREND_ROBUST = ("state_trends", "division_years")
CONTROLS = ("unemployment_pct", "poverty138_pct", "urban_pct")

# The smallest increase the rule treats as meaningful, as a fraction of the outcome's mean per
# percentage point of undocumented share. Provenance: declared in code (commit af8b1f6) together
# with the estimators, after the data were loaded and before the chapter's results were written;
# its first rationale compared it with the study's reported magnitude relative to this sample's
# mean drug-arrest rate, a sample statistic. The chapter therefore also shows the verdict with the
# study's own published magnitude as the threshold (``sensitivity``).
SMALLEST_INCREASE = 0.05
# The rationale as first declared (commit af8b1f6), quoted by the chapter beside the current wording.
SMALLEST_INCREASE_REASON_DECLARED = (
    "an increase per percentage point of 5% of the outcome's mean, about the size "
    "(with the opposite sign) of the association the study reported for drug arrests"
)
SMALLEST_INCREASE_REASON = (
    "an increase per percentage point of 5% of the outcome's mean in the main sample "
    "(a threshold expressed relative to the sample's own mean)"
)

# The declared rule reads the upper bound of a two-sided 95% interval: a one-sided test at this level.
DECLARED_ONE_SIDED_LEVEL = 0.025
# Alternative conventions the chapter reports beside the declared one (never used for the verdict).
EQUIVALENCE_LEVEL = 0.90  # the standard two one-sided tests (TOST) at 5% use the 90% interval
CONVENTIONAL_ONE_SIDED_LEVEL = 0.05


@dataclass(frozen=True)
class Analysis:
    """One outcome on one undocumented-population source over one window of years."""

    outcome: str  # key in glue: drug_arrests, dui_arrests, overdose
    source: str  # key in glue: pew, cms, pew_1999_2023
    rate: str  # panel column: per 100,000
    count: str  # panel column: the count, for Poisson
    exposure: str  # panel column: the rate's denominator, for the Poisson offset
    share: str  # panel column: undocumented share, percent
    years: tuple[int, int]  # the window asked for; the years actually used come from the sample
    label: str  # without years: tables append the sample's years
    censored: str | None = None  # panel column flagging the source's censored cells, if it has any
    measure: str = ""  # the outcome in words, with its unit and data source
    share_source: str = ""  # the undocumented-population source in words


ANALYSES = (
    Analysis(
        "drug_arrests",
        "pew",
        "drug_arrest_rate",
        "drug_arrests",
        "arrest_population",
        "unauthorized_pct_pew",
        (1990, 2008),
        "Drug arrests per 100,000, Pew share",
        "censored_pew",
        "drug arrests per 100,000 residents (FBI UCR county files)",
        "Pew",
    ),
    Analysis(
        "dui_arrests",
        "pew",
        "dui_arrest_rate",
        "dui_arrests",
        "arrest_population",
        "unauthorized_pct_pew",
        (1990, 2008),
        "DUI arrests per 100,000, Pew share",
        "censored_pew",
        "DUI arrests per 100,000 residents (FBI UCR county files)",
        "Pew",
    ),
    Analysis(
        "overdose",
        "pew",
        "overdose_rate",
        "overdose_deaths",
        "population",
        "unauthorized_pct_pew",
        (1999, 2014),
        "Overdose deaths per 100,000, Pew share, the study's overlap",
        "censored_pew",
        "drug-poisoning deaths per 100,000 residents (NCHS final, by residence)",
        "Pew",
    ),
    Analysis(
        "overdose",
        "pew_1999_2023",
        "overdose_rate",
        "overdose_deaths",
        "population",
        "unauthorized_pct_pew",
        (1999, 2023),
        "Overdose deaths per 100,000, Pew share, to 2023 (provisional from 2019)",
        "censored_pew",
        "drug-poisoning deaths per 100,000 residents (NCHS final by residence to 2018, "
        "CDC provisional by occurrence from 2019)",
        "Pew",
    ),
    Analysis(
        "overdose",
        "pew_2010_2014",
        "overdose_rate",
        "overdose_deaths",
        "population",
        "unauthorized_pct_pew",
        (2010, 2014),
        "Overdose deaths per 100,000, Pew share, CMS years",
        "censored_pew",
        "drug-poisoning deaths per 100,000 residents (NCHS final, by residence)",
        "Pew",
    ),
    Analysis(
        "overdose",
        "cms",
        "overdose_rate",
        "overdose_deaths",
        "population",
        "unauthorized_pct_cms",
        (2010, 2014),
        "Overdose deaths per 100,000, CMS share",
        None,
        "drug-poisoning deaths per 100,000 residents (NCHS final, by residence)",
        "CMS",
    ),
)

# The claim "not associated with increased drug crime" is decided on drug arrests (the direct
# measure of drug crime in public data); overdose deaths are a related outcome, reported beside it.
DRUG_CRIME = ("drug_arrests", "pew")

OUTCOME_NAMES = {"drug_arrests": "Drug arrests", "dui_arrests": "DUI arrests", "overdose": "Overdose deaths"}

REASON_NAMES = {
    "twfe": "main (state and year effects)",
    "state_trends": "with state trends",
    "division_years": "with division-by-year effects",
}

VERDICTS = ("contradicted", "supported", "inconclusive")


def analysis(outcome: str, source: str) -> Analysis:
    """The declared analysis of ``outcome`` on ``source``."""
    return next(item for item in ANALYSES if (item.outcome, item.source) == (outcome, source))


def group_rates(slope: float, outcome_mean: float, mean_share: float) -> tuple[float, float]:
    """The rates per 100,000 of undocumented residents and of everyone else that a slope of ``slope``
    per percentage point of undocumented share would imply if it came only from who is arrested
    (composition): with rate = r_o (1 - s) + r_u s, the slope per point is (r_u - r_o) / 100 and the
    mean rate is r_o + (r_u - r_o) x ``mean_share`` / 100, so r_o = mean - slope x mean_share and
    r_u = r_o + 100 slope. A negative r_u shows a slope too large to be composition alone."""
    others = outcome_mean - slope * mean_share
    return others + 100 * slope, others


def rate_ratio_at(threshold: float, outcome_mean: float, mean_share: float) -> float:
    """How many times everyone else's rate undocumented residents would have if a state's rate rose by
    ``threshold`` per percentage point of undocumented share (``group_rates``): r_u / r_o =
    1 + 100 threshold / (mean - threshold x mean_share). Negative for a slope too large to be
    composition alone."""
    undocumented, others = group_rates(threshold, outcome_mean, mean_share)
    return undocumented / others


def threshold(outcome_mean: float) -> float:
    """The smallest meaningful increase in the outcome's units (per percentage point of share)."""
    return SMALLEST_INCREASE * outcome_mean


def verdict(intervals: dict[str, tuple[float, float]], threshold: float) -> str:
    """The rule: ``intervals`` maps specification key -> (ci_low, ci_high); ``threshold`` > 0 is
    the smallest meaningful increase in the outcome's units. A missing decisive specification
    makes the verdict inconclusive."""
    decisive = [intervals.get(key, (np.nan, np.nan)) for key in (MAIN, *TREND_ROBUST)]
    if any(np.isnan(low) or np.isnan(high) for low, high in decisive):
        return "inconclusive"
    if all(low > 0 for low, _ in decisive):
        return "contradicted"
    if all(high < threshold for _, high in decisive):
        return "supported"
    return "inconclusive"


def verdict_reason(
    result: str, intervals: dict[str, tuple[float, float]], coefs: dict[str, float], threshold: float, what: str
) -> str:
    """One plain sentence, built from the numbers, saying what decided ``result``.

    ``what`` names the outcome, unit, source and years, e.g. 'drug arrests per 100,000 per point of
    the Pew undocumented share, 1990-2008'.
    """
    parts = [
        f"{REASON_NAMES[key]} {coefs[key]:+.1f} ({intervals[key][0]:+.1f} to {intervals[key][1]:+.1f})"
        for key in (MAIN, *TREND_ROBUST)
    ]
    listed = ", ".join(parts[:-1]) + " and " + parts[-1]
    decisive = intervals_for(intervals)
    above = sum(low > 0 for low, _ in decisive)
    below = sum(high < threshold for _, high in decisive)
    counts = (
        f"{above} of these {len(decisive)} intervals lie entirely above zero and {below} of {len(decisive)} "
        f"lie below {threshold:+.1f}, the smallest increase declared meaningful"
    )
    if result == "contradicted":
        why = "so every one shows an increase"
    elif result == "supported":
        why = "so every one rules out a meaningful increase"
    else:
        why = "so they neither all show an increase nor all rule one out"
    highest = max(high for _, high in decisive)
    margin = (
        f" The highest upper bound, {highest:+.1f}, is {abs(highest - threshold):.1f} "
        f"{'above' if highest >= threshold else 'below'} the threshold."
    )
    return f"For {what}, the estimates are {listed}; {counts}, {why}.{margin}"


def intervals_for(intervals: dict[str, tuple[float, float]]) -> list[tuple[float, float]]:
    """The decisive intervals (main, then trend-robust) in order."""
    return [intervals[key] for key in (MAIN, *TREND_ROBUST)]
