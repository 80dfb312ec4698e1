"""The state-panel chapter and its appendix, section by section: the glue keys each section's text
reads, the words chosen from the numbers, and the tables.

Key families (one per analysis, ``<outcome>.<source>`` as in ``specifications.ANALYSES``) follow the
pattern ``state_panel.<outcome>.<source>.<specification>.<field>``; a section's own keys are written out.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from IPython.display import Markdown

from analysis.book.downloads import Download
from analysis.book.tables import estimates_table, interval, markdown_table
from analysis.models import specifications, state_checks, state_models
from analysis.models.fixed_effects import BORDERLINE_MC_SE, monte_carlo_reading
from analysis.models.inference import interval_and_p_disagree
from analysis.models.specifications import MAIN, Analysis
from analysis.models.state_models import DECISIVE, SPECS, Decision, Identification, interval_words

ESTIMATE_FIELDS = ("coef", "ci_low", "ci_high", "p", "n_obs", "n_states", "years")
NAMES = specifications.REASON_NAMES
SUPPORTED = "supported"
# What the state panel's downloads hold, in the words of the Data page.
SOURCE = (
    "Pew Research Center and CMS undocumented-population estimates; FBI UCR arrests (ICPSR county files, "
    "Table 69); NCHS and CDC drug-poisoning deaths; Census population; the book's models"
)
ESTIMATE_UNITS = (
    "coef, se, ci_low, ci_high: the outcome per 100,000 residents per percentage point of undocumented "
    "share (Poisson: log points); p: two-sided; n_obs: state-years; n_states: states"
)


def prefix(analysis: Analysis) -> str:
    """'state_panel.<outcome>.<source>': the key family of one analysis."""
    return f"state_panel.{analysis.outcome}.{analysis.source}"


def estimate_numbers(analysis: Analysis, table: pd.DataFrame, decision: Decision) -> dict:
    """Every specification's estimate of one analysis (``<family>.<spec>.<field>``, with ``reading``:
    where its interval lies), the main estimate's direction and the rule's verdict, reason, threshold
    (also as a share of the outcome's mean) and the outcome's mean."""
    family = prefix(analysis)
    values = {}
    for row in table.itertuples():
        values.update({f"{family}.{row.key}.{field}": getattr(row, field) for field in ESTIMATE_FIELDS})
        values[f"{family}.{row.key}.reading"] = interval_words(row.ci_low, row.ci_high)
    main = table.set_index("key").loc[MAIN]
    values[f"{family}.twfe.direction"] = "more" if main["coef"] > 0 else "fewer"
    values.update(
        {
            f"{family}.verdict": decision.verdict,
            f"{family}.reason": decision.reason,
            f"{family}.threshold": decision.threshold,
            f"{family}.threshold_share": decision.threshold / decision.outcome_mean,  # of the mean, as applied
            f"{family}.outcome_mean": decision.outcome_mean,
        }
    )
    return values


def detail_numbers(
    analysis: Analysis,
    robustness: pd.DataFrame,
    found: Identification,
    wild: tuple[float, float],
    loo: pd.DataFrame,
    reliable: state_checks.Reliability,
    lead: str,
    table: pd.DataFrame,
) -> dict:
    """The appendix's numbers for one analysis: robustness rows, the main estimate's wild bootstrap p
    (with its Monte Carlo SE) and whether it agrees with the interval, the variation that identifies
    it, the leave-one-out range, the lead check, the reliability of the share, and which intervals
    include zero (the lead left out: it is a falsification check, not an estimate)."""
    family = prefix(analysis)
    values = {
        f"{family}.{row.key}.{field}": getattr(row, field)
        for row in robustness.itertuples()
        for field in ESTIMATE_FIELDS
        if field != "p"
    }
    main = table.set_index("key").loc[MAIN]
    p_wild, p_wild_se = wild
    excludes_zero = not main["ci_low"] <= 0 <= main["ci_high"]
    low, high = loo.loc[loo["coef"].idxmin()], loo.loc[loo["coef"].idxmax()]
    with_zero = [
        row.label
        for row in pd.concat([table[table["key"] != "lead"], robustness]).itertuples()
        if row.ci_low <= 0 <= row.ci_high
    ]
    values.update(
        {
            f"{family}.twfe.p_wild": p_wild,
            f"{family}.twfe.p_wild_se": p_wild_se,
            f"{family}.twfe.methods_agree": "agree" if excludes_zero == (p_wild < 0.05) else "disagree",
            f"{family}.within_variance_share": found.within_variance_share,
            f"{family}.within_sd": found.within_sd,
            f"{family}.median_state_range": found.median_state_range,
            f"{family}.effect_per_within_sd": found.effect_per_within_sd,
            f"{family}.loo.min": low["coef"],
            f"{family}.loo.min_state": low["omitted"],
            f"{family}.loo.max": high["coef"],
            f"{family}.loo.max_state": high["omitted"],
            f"{family}.lead.check": lead,
            f"{family}.reliability": reliable.ratio,
            f"{family}.reliability_words": state_checks.reliability_words(reliable),
            f"{family}.includes_zero": "; ".join(with_zero) or "none",
            f"{family}.robustness_words": (
                "has an interval excluding zero in every one"
                if not with_zero
                else f"does not hold in every one: {len(with_zero)} intervals include zero ({'; '.join(with_zero)})"
            ),
        }
    )
    return values


# --- the short answer ---

# The decisive specifications in a few words, for sentences that list them.
SHORT_NAMES = {"twfe": "main", "state_trends": "state-trends", "division_years": "division-by-year"}


def direction_word(
    low: float, high: float, more: str = "more", fewer: str = "fewer", neither: str = "no clear difference in"
) -> str:
    """The direction an interval shows: ``more`` above zero, ``fewer`` below it, ``neither`` across it."""
    return more if low > 0 else fewer if high < 0 else neither


def article(number: float) -> str:
    """'a' or 'an' before ``number`` read aloud in English ('an 80%', 'an 11%', 'a 70%')."""
    whole = int(number)
    return "an" if str(whole).startswith("8") or whole in (11, 18) else "a"


def listed(items: list[str], conjunction: str = "and") -> str:
    """'a', 'a and b', 'a, b and c' (or with ``conjunction``)."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" {conjunction} " + items[-1]


def fragility_phrase(periods: pd.DataFrame, later_start: str, complete: str) -> str:
    """What happens to the main association in the two checks that matter: ``fragility_parts`` joined."""
    return " and ".join(fragility_parts(periods, later_start, complete))


def fragility_parts(periods: pd.DataFrame, later_start: str, complete: str) -> tuple[str, str]:
    """What happens to the main association when the sample starts later (``later_start``, a key of
    ``periods``) and when it keeps only complete reporting (``complete``): it 'rests on the years before
    <start>' or 'holds from <start>', and 'weakens with' or 'holds with' complete reporting, from
    whether each interval still excludes zero."""
    rows = periods.set_index("key")
    later, full, whole = rows.loc[later_start], rows.loc[complete], rows.loc["full"]

    def holds(row) -> bool:
        return bool(np.sign(row["coef"]) == np.sign(whole["coef"]) and not row["ci_low"] <= 0 <= row["ci_high"])

    start = int(later["first_year"])
    first = (
        f"holds from {start}"
        if holds(later)
        else f"rests on the {start - 10}s"
        if start % 10 == 0
        else f"rests on the years before {start}"
    )
    second = "holds with complete reporting" if holds(full) else "weakens with complete reporting"
    return first, second


def trend_sentence(upper: float, threshold: float, se_trend: float, se_main: float) -> str:
    """What the state-trends model can say, from its upper bound against the threshold and, when it
    cannot rule the increase out, whether that is because its estimate is less precise than the main
    model's (standard errors ``se_trend`` and ``se_main``). No final stop: the chapter adds the numbers."""
    if upper < threshold:
        return "With state trends, the data still rule out an increase of that size"
    if se_trend > se_main:
        return "With state trends, the estimate is too imprecise to exclude an increase"
    return "With state trends, the data cannot rule out an increase"


def turns_sentence(verdict: str, loo: pd.DataFrame, sweep: pd.DataFrame, sensitivity: pd.DataFrame) -> str:
    """Which of the shown alternatives change the verdict: states left out one at a time, coverage
    cut-offs, other standard errors (``sensitivity`` rows of kind 'errors') and the conventional 5%
    test level (kind 'level'); the study's magnitude as threshold is not an alternative convention."""
    errors = sensitivity[sensitivity["kind"] == "errors"]
    levels = sensitivity[sensitivity["kind"] == "level"]
    parts = []
    flipped = loo[loo["verdict"] != verdict]
    if len(flipped):
        parts.append(f"dropping one of {len(flipped)} states")
    cutoffs = sweep[sweep["verdict"] != verdict]["cutoff"]
    if len(cutoffs):
        parts.append(f"{article(cutoffs.iloc[0])} {listed([f'{c:g}%' for c in cutoffs], 'or')} coverage cut-off")
    changed = errors[errors["verdict"] != verdict]
    if len(changed):
        parts.append(f"{len(changed)} of {len(errors)} other standard errors")
    level = levels[levels["verdict"] != verdict]
    if len(level):
        parts.append("a 5% test")
    if not parts:
        return "No single state, coverage cut-off, standard error or test level shown here changes it."
    readings = sorted(
        set(
            pd.concat(
                [
                    flipped["verdict"],
                    sweep.loc[sweep["verdict"] != verdict, "verdict"],
                    changed["verdict"],
                    level["verdict"],
                ]
            )
        )
    )
    text = listed(parts, "or")
    return f"{text[0].upper()}{text[1:]} would count the document's claim as {' or '.join(readings)}."


def later_sentence(windows: dict[str, pd.Series], declared: dict[str, float], window: str) -> str:
    """What the decisive estimates show in a later ``window`` for each outcome (``windows``: the
    outcome's adjective, e.g. 'drug-arrest', -> its ``state_checks.window_rows`` row): the sign of the
    point estimates ('turn' when every outcome's main estimate in the declared window, ``declared``,
    had the other sign), then which intervals lie above or below zero."""
    signs = {}
    for name, row in windows.items():
        coefs = np.array([row[f"{key}_coef"] for key in DECISIVE])
        signs[name] = "positive" if (coefs > 0).all() else "negative" if (coefs < 0).all() else "mixed"
    common = set(signs.values())
    if len(common) == 1 and "mixed" not in common:
        sign = common.pop()
        turned = all(np.sign(declared[name]) == (-1 if sign == "positive" else 1) for name in windows)
        first = f"the estimates {'turn' if turned else 'are all'} {sign}"
    else:
        first = "; ".join(
            f"the {name} point estimates are {'of mixed sign' if sign == 'mixed' else 'all ' + sign}"
            for name, sign in signs.items()
        )
    clauses = []
    for name, row in windows.items():
        sides = []
        for side, test in (("above", lambda r, k: r[f"{k}_ci_low"] > 0), ("below", lambda r, k: r[f"{k}_ci_high"] < 0)):
            keys = [SHORT_NAMES[key] for key in DECISIVE if test(row, key)]
            if keys:
                plural = len(keys) > 1
                sides.append(f"the {listed(keys)} {name} interval{'s lie' if plural else ' lies'} {side} zero")
        clauses.append(" and ".join(sides) if sides else f"every {name} interval includes zero")
    return f"In {window} {first}: {'; '.join(clauses)}."


# How the short answer names the decisive specification whose upper bound decides between 'supported'
# and 'inconclusive' (lower case: the sentence starts with the verdict and a colon).
DECIDER_WORDS = {
    "twfe": "in the main model",
    "state_trends": "with each state's own trend removed",
    "division_years": "with year effects per Census division",
}
# The same, in a few words for the landing page's parenthesis.
DECIDER_SHORT = {"twfe": "main model", "state_trends": "state trends", "division_years": "division-year effects"}


def decider_numbers(drug: pd.DataFrame, threshold: float) -> dict:
    """The number that decides between 'supported' and 'inconclusive': the highest upper bound of the
    decisive specifications (``drug``: the estimates table), which specification gives it (in words and
    in a few words), on which side
    of the threshold it lies and what that means for the document's claim of no link."""
    rows = drug.set_index("key").loc[list(DECISIVE)]
    key = str(rows["ci_high"].idxmax())
    upper = float(rows.loc[key, "ci_high"])
    above = upper >= threshold
    return {
        "state_panel.answer.decider": DECIDER_WORDS[key],
        "state_panel.answer.decider_short": DECIDER_SHORT[key],
        "state_panel.answer.decider_upper": upper,
        "state_panel.answer.decider_side": "above" if above else "below",
        "state_panel.answer.decider_reading": (
            "too high to count the document's claim of no link as supported"
            if above
            else "so a rise that size is ruled out"
        ),
    }


def dui_sentence(row: pd.Series, window: str) -> str:
    """What the main model says of drunk-driving arrests in a later ``window`` (``row``: its
    ``state_checks.window_rows`` row), in plain words: they rose or fell with the share when the
    interval lies above or below zero."""
    word = direction_word(row["twfe_ci_low"], row["twfe_ci_high"], "rose", "fell", "showed no clear change")
    return f"In the main model, drunk-driving (DUI) arrests {word} with the share in {window}"


def study_sentence(comparison: pd.DataFrame, outcome: str) -> str:
    """Whether the study's reported magnitudes for ``outcome`` (rows of ``study_comparison``) are reproduced."""
    rows = comparison[comparison["outcome"] == outcome]
    name = f"drop in {outcome.split(' per')[0].replace('drug overdose', 'overdose')}"
    if (rows["reading"] == "contains").all():
        return f"The study's reported {name} lies within this book's interval."
    if (rows["reading"] == "excludes").all():
        return f"The study's reported {name} is not reproduced."
    return f"The study's reported {name} is reproduced for some of its reported figures only."


def overdose_detail(mains: pd.DataFrame) -> str:
    """The direction of the overdose main estimates whose intervals exclude zero (``mains``: coef,
    ci_low, ci_high and ``lead``, the falsification check of ``state_models.lead_check``, per analysis)
    and whether they pass their lead check; empty when none excludes zero."""
    significant = mains[(mains["ci_low"] > 0) | (mains["ci_high"] < 0)]
    if significant.empty:
        return ""
    direction = (
        "increases"
        if (significant["coef"] > 0).all()
        else "decreases"
        if (significant["coef"] < 0).all()
        else "increases and decreases"
    )
    passes = significant["lead"] == "passes"
    leads = (
        "all passing their lead checks"
        if passes.all()
        else "none passing its lead check"
        if not passes.any()
        else "not all passing their lead checks"
    )
    return f"overdose estimates excluding zero show {direction}, {leads}"


def overdose_answer(comparison: pd.DataFrame, mains: pd.DataFrame) -> str:
    """``study_sentence`` for overdose deaths, then ``overdose_detail`` when it has something to add."""
    base = study_sentence(comparison, "drug overdose deaths per 100000")
    detail = overdose_detail(mains)
    return f"{base[:-1]}: {detail}." if detail else base


def short_answer(
    verdict: str,
    drug: pd.DataFrame,
    periods: pd.DataFrame,
    threshold: float,
    knife_edge: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame],
    comparison: pd.DataFrame,
    later: tuple[dict[str, pd.Series], dict[str, float], str],
    overdose: pd.DataFrame,
    *,
    later_start: int,
    complete_coverage: float,
) -> dict:
    """The chapter's first paragraph and its "How sure is this?" line: the verdict (with 'on a
    knife-edge' where an alternative shown flips it), the number that decides it (``decider_numbers``),
    whether any drug-arrest interval of the declared window lies above zero, the main model's direction
    and what it rests on, what the state-trends model can say and why, where the verdict turns
    (``knife_edge``: leave-one-out, coverage sweep, sensitivity), what the later window shows
    (``later``: ``later_sentence``'s arguments; drug arrests alone, and DUI arrests in plain words) and
    what the overdose estimates show (``overdose``: see ``overdose_answer``)."""
    rows = drug.set_index("key")
    linear = drug[~drug["key"].isin(["lead"])]
    above = int((linear["ci_low"] > 0).sum())
    main, trends = rows.loc[MAIN], rows.loc["state_trends"]
    years = main["years"]
    turns = turns_sentence(verdict, *knife_edge)
    title = verdict.capitalize() + ("" if turns.startswith("No single") else ", on a knife-edge")
    windows, declared, window = later
    return {
        "state_panel.answer.verdict": title,
        **decider_numbers(drug, threshold),
        "state_panel.answer.arrests": (
            f"No {years} drug-arrest interval lies above zero."
            if above == 0
            else f"{above} of {len(linear)} {years} drug-arrest intervals lie above zero."
        ),
        "state_panel.answer.main_direction": direction_word(main["ci_low"], main["ci_high"]),
        "state_panel.answer.fragility": fragility_phrase(
            periods, f"from_{later_start}", f"coverage_{complete_coverage:.0f}"
        ),
        "state_panel.answer.trend": trend_sentence(trends["ci_high"], threshold, trends["se"], main["se"]),
        "state_panel.answer.turns": turns,
        "state_panel.answer.later": later_sentence(*later),
        "state_panel.answer.later_arrests": later_sentence(
            {name: row for name, row in windows.items() if name == "drug-arrest"}, declared, window
        ),
        "state_panel.answer.dui": dui_sentence(windows["DUI"], window) if "DUI" in windows else "",
        "state_panel.answer.overdose_short": study_sentence(comparison, "drug overdose deaths per 100000"),
        "state_panel.answer.overdose": overdose_answer(comparison, overdose),
        "state_panel.answer.overdose_detail": (
            f"{detail[0].upper()}{detail[1:]}." if (detail := overdose_detail(overdose)) else ""
        ),
    }


# --- the verdict and where it turns ---


def cr1_numbers(panel: pd.DataFrame, analysis: Analysis) -> dict:
    """The k of the declared CR1 factor per decisive specification, k counting every dummy column, and
    n (``state_models.cr1_k``)."""
    return {
        f"state_panel.cr1.{key}.{field}": value
        for key in DECISIVE
        for field, value in zip(("k", "k_columns", "n"), state_models.cr1_k(panel, analysis, SPECS[key]), strict=True)
    }


def verdict_numbers(
    sensitivity: pd.DataFrame,
    loo: pd.DataFrame,
    sweep: pd.DataFrame,
    reliabilities: dict[str, state_checks.Reliability],
    power: state_checks.PowerCost,
    threshold_test: tuple[float, float],
    draws: int,
    drug: pd.DataFrame,
    composition: dict[str, float],
) -> dict:
    """The verdict section's numbers: each convention's highest upper bound and verdict, the
    Bell-McCaffrey degrees of freedom of the state-trends model, the leave-one-state-out and coverage
    cut-off counts and the readings that sit on the threshold, the precision of each decisive estimate
    (within-state SD of the share, standard error; ``drug``: the estimates table), what Pew's margins
    say about the noise in it (lambda per decisive specification), the power cost of measurement error,
    the one-sided bootstrap test against the threshold, and what the threshold, the main estimate and
    the study's figure would mean if they came from who is arrested (``composition``: 'threshold',
    'main' and 'study' slopes, 'mean' rate and 'mean_share', see ``specifications.group_rates``)."""
    by_key = sensitivity.set_index("key")
    declared = by_key.loc["declared"]
    verdict = declared["verdict"]
    flipped, cut = loo[loo["verdict"] != verdict], sweep[sweep["verdict"] != verdict]
    errors_flipped = sensitivity[(sensitivity["kind"] == "errors") & (sensitivity["verdict"] != verdict)]
    p, error = threshold_test
    estimates = drug.set_index("key")
    trends = reliabilities["state_trends"]
    values = {
        f"state_panel.drug_crime.sensitivity.{key}.{field}": by_key.loc[key, field]
        for key in by_key.index
        for field in ("highest_upper", "verdict")
    }
    values.update(
        {
            f"state_panel.precision.{key}.within_sd": float(np.sqrt(reliabilities[key].within_variance))
            for key in DECISIVE
        }
    )
    values.update({f"state_panel.precision.{key}.se": float(estimates.loc[key, "se"]) for key in DECISIVE})
    undocumented, others = specifications.group_rates(
        composition["main"], composition["mean"], composition["mean_share"]
    )
    values.update(
        {
            "state_panel.drug_crime.margin": declared["margin"],
            "state_panel.drug_crime.cr2_bm.df": by_key.loc["cr2_bm", "df_state_trends"],
            "state_panel.drug_crime.rate_ratio": specifications.rate_ratio_at(
                composition["threshold"], composition["mean"], composition["mean_share"]
            ),
            "state_panel.drug_crime.main_rate_undocumented": undocumented,
            "state_panel.drug_crime.main_rate_others": others,
            "state_panel.drug_crime.study_rate_ratio": specifications.rate_ratio_at(
                composition["study"], composition["mean"], composition["mean_share"]
            ),
            "state_panel.knife_edge.loo.n_flipped": len(flipped),
            "state_panel.knife_edge.loo.n_states": len(loo),
            "state_panel.knife_edge.loo.flipped_states": listed(list(flipped["omitted"]), "or")
            if len(flipped)
            else "none",
            "state_panel.knife_edge.loo.trend_upper_min": float(flipped["upper_state_trends"].min())
            if len(flipped)
            else np.nan,
            "state_panel.knife_edge.loo.trend_upper_max": float(flipped["upper_state_trends"].max())
            if len(flipped)
            else np.nan,
            "state_panel.knife_edge.coverage.n_flipped": len(cut),
            "state_panel.knife_edge.coverage.n_cutoffs": len(sweep),
            "state_panel.knife_edge.coverage.flipped": " and ".join(f"{c:g}%" for c in cut["cutoff"]) or "none",
            "state_panel.knife_edge.near": near_threshold(sensitivity, loo, sweep, declared["threshold"]),
            "state_panel.knife_edge.margin": state_checks.KNIFE_EDGE_MARGIN,
            "state_panel.knife_edge.errors.flipped": listed(list(errors_flipped["convention"])) or "none",
            "state_panel.knife_edge.errors.n_flipped": len(errors_flipped),
            "state_panel.knife_edge.errors.n": int((sensitivity["kind"] == "errors").sum()),
            "state_panel.knife_edge.level.verdict": by_key.loc["tost90", "verdict"],
            "state_panel.drug_crime.composition": composition_sentence(
                undocumented,
                specifications.rate_ratio_at(composition["study"], composition["mean"], composition["mean_share"]),
            ),
            "state_panel.knife_edge.others": others_sentence(sensitivity, loo, sweep),
            "state_panel.reliability.twfe": reliabilities[MAIN].ratio,
            "state_panel.reliability.state_trends": trends.ratio,
            "state_panel.reliability.division_years": reliabilities["division_years"].ratio,
            "state_panel.reliability.state_trends_within_sd": float(np.sqrt(trends.within_variance)),
            "state_panel.reliability.rms_se": float(np.sqrt(reliabilities[MAIN].error_variance)),
            "state_panel.reliability.state_trends.noise_variance": trends.noise_variance,
            "state_panel.reliability.state_trends.within_variance": trends.within_variance,
            "state_panel.reliability.state_trends.chance_band": trends.chance_band,
            "state_panel.reliability.noise_reading": noise_sentence(trends),
            "state_panel.power.reliability": power.reliability,
            "state_panel.power.attenuated": power.attenuated,
            "state_panel.power.below_share": power.below_share,
            "state_panel.power.caveat": power_caveat(reliabilities),
            "state_panel.drug_crime.threshold_p.state_trends": p,
            "state_panel.drug_crime.threshold_p.state_trends.mc_se": error,
            "state_panel.drug_crime.threshold_p.draws": draws,
            "state_panel.drug_crime.threshold_p.reading": threshold_test_reading(p, error),
            "state_panel.drug_crime.cr2_bm.effect": (
                "widens" if by_key.loc["cr2_bm", "upper_state_trends"] > declared["upper_state_trends"] else "narrows"
            ),
            "state_panel.drug_crime.cr2_bm.verdict_words": (
                "and the verdict stays " if by_key.loc["cr2_bm", "verdict"] == verdict else "and the verdict becomes "
            )
            + f'"{by_key.loc["cr2_bm", "verdict"]}"',
            "state_panel.verdict.why": why_sentence(declared, drug),
        }
    )
    return {key: value for key, value in values.items() if not (isinstance(value, float) and np.isnan(value))}


def composition_sentence(main_undocumented: float, study_ratio: float) -> str:
    """Whether the main estimate and the study's figure could come from who is arrested alone: not if,
    read that way, they give undocumented residents a negative arrest rate or a negative rate ratio."""
    if main_undocumented < 0 or study_ratio < 0:
        return (
            "slopes of this size cannot come from who is arrested alone: they describe states, not people, and "
            "by the same arithmetic the threshold is a generous one"
        )
    return "slopes of this size could come from who is arrested alone"


def labelled_rows(sensitivity: pd.DataFrame, loo: pd.DataFrame, sweep: pd.DataFrame) -> list[tuple[str, pd.Series]]:
    """Every reading of the knife-edge table, one per convention, state left out and coverage cut-off
    (the study's magnitude as threshold left out: it moves the threshold, not the bounds), with a name."""
    return [
        *((row["convention"], row) for _, row in sensitivity[sensitivity["key"] != "study_threshold"].iterrows()),
        *((f"without {row['omitted']}", row) for _, row in loo.iterrows()),
        *((f"the coverage cut-off of {row['cutoff']:g}%", row) for _, row in sweep.iterrows()),
    ]


def near_threshold(sensitivity: pd.DataFrame, loo: pd.DataFrame, sweep: pd.DataFrame, threshold: float) -> str:
    """The readings whose state-trends upper bound lies within ``state_checks.KNIFE_EDGE_MARGIN`` of the
    threshold (the same at the precision the chapter prints): each is on a knife-edge itself."""
    near = [
        f"{name} ({row['upper_state_trends']:+.2f} against {threshold:+.2f})"
        for name, row in labelled_rows(sensitivity, loo, sweep)
        if abs(row["upper_state_trends"] - threshold) < state_checks.KNIFE_EDGE_MARGIN
    ]
    return listed(near) if near else "none"


def others_sentence(sensitivity: pd.DataFrame, loo: pd.DataFrame, sweep: pd.DataFrame) -> str:
    """Where the two other decisive upper bounds (main, division-by-year) lie across every reading
    shown: below zero in every one, or not in the readings named."""
    others = [key for key in DECISIVE if key != "state_trends"]
    names = listed([SHORT_NAMES[key] for key in others])
    rows = labelled_rows(sensitivity, loo, sweep)
    reaching = [
        f"{name} ({' and '.join(format(row['upper_' + key], '+.1f') for key in others)})"
        for name, row in rows
        if any(row[f"upper_{key}"] >= 0 for key in others)
    ]
    if not reaching:
        return f"The {names} upper bounds stay below zero in every row."
    return (
        f"The {names} upper bounds stay below zero in every row but {len(reaching)} of the {len(rows)}: "
        f"{listed(reaching)}."
    )


def why_sentence(declared: pd.Series, drug: pd.DataFrame) -> str:
    """Which decisive upper bounds lie above the threshold (a ``sensitivity`` row of the declared
    convention) and why: an estimate less precise than the main model's (standard errors in the
    estimates table ``drug``), or a point estimate closer to the threshold."""
    above = [key for key in DECISIVE if declared[f"upper_{key}"] >= declared["threshold"]]
    if not above:
        return "Every decisive upper bound lies below the threshold."
    se = drug.set_index("key")["se"]
    names = listed([f"the {SHORT_NAMES[key]} model" for key in above])
    verb = "comes" if len(above) == 1 else "come"
    if all(se[key] > se[MAIN] for key in above if key != MAIN) and MAIN not in above:
        tail = "whose estimate is less precise than the main model's"
    else:
        tail = "whose point estimate lies close enough to the threshold"
    return f"The upper bound above the threshold {verb} from {names}, {tail}."


def noise_sentence(found: state_checks.Reliability) -> str:
    """What Pew's margins say about the noise in the variation one specification leaves: more than
    the variation itself (impossible with independent errors: the assumption fails, and the share of
    signal cannot be known), about as much (possibly all noise), or less (lambda is the signal share)."""
    if found.independence_fails:
        return (
            "That is impossible if a state's sampling errors were independent from year to year: the margins "
            "overstate the error in a state's detrended changes, or the errors are correlated across its years. "
            "The assumption fails, so how much of the variation left is signal cannot be known."
        )
    if found.ratio <= 0:
        return "That is no more than independent errors alone would leave: the variation left may be all noise."
    return "The rest, a share lambda of the variation, is signal if the errors are independent."


def power_caveat(reliabilities: dict[str, state_checks.Reliability]) -> str:
    """Whether the power cost, computed with lambda under independent errors, is a measurement or an
    illustration: an illustration when a decisive specification shows the assumption failing."""
    failing = [SHORT_NAMES[key] for key in DECISIVE if reliabilities[key].independence_fails]
    if not failing:
        return ""
    return (
        f"The {listed(failing)} model's negative lambda shows that assumption does not hold, so this illustrates "
        "what sampling error can cost; it does not measure it."
    )


def threshold_test_reading(p: float, error: float) -> str:
    """The one-sided bootstrap test against the threshold at the declared level (2.5%, the 95% upper
    bound) and at the conventional 5% (the 90% upper bound), each read with its Monte Carlo error."""
    declared = specifications.DECLARED_ONE_SIDED_LEVEL
    conventional = specifications.CONVENTIONAL_ONE_SIDED_LEVEL
    at_declared = monte_carlo_reading(p, error, declared)
    at_conventional = monte_carlo_reading(p, error, conventional)
    if "borderline" in (at_declared, at_conventional):
        return "too close to a level for its draws to say on which side it lies"
    if at_declared == "below":
        return f"below the declared {declared:.1%}: the bootstrap, too, rules out an increase of the threshold's size"
    if at_conventional == "below":
        return (
            f"below {conventional:.0%} but not below the declared {declared:.1%}: at the conventional 5% level the "
            "bootstrap, like the 90% interval, would rule out an increase of the threshold's size; at the declared "
            "level it does not"
        )
    return f"not below {conventional:.0%}: the bootstrap does not rule out an increase of the threshold's size"


def decisive_table(
    drug: pd.DataFrame, reliabilities: dict[str, state_checks.Reliability], threshold: float
) -> pd.DataFrame:
    """The three estimates that decide: estimate and interval, upper bound minus the threshold, their
    precision (standard error; within-state SD of the share each one uses) and lambda, the signal
    share of that variation if Pew's sampling errors were independent."""
    rows = drug.set_index("key")
    return pd.DataFrame(
        {
            "Decisive specification": [NAMES[key] for key in DECISIVE],
            "Estimate [95% interval]": [
                interval(rows.loc[key, "coef"], rows.loc[key, "ci_low"], rows.loc[key, "ci_high"], 1)
                for key in DECISIVE
            ],
            "Upper bound - threshold": [f"{rows.loc[key, 'ci_high'] - threshold:+.1f}" for key in DECISIVE],
            "Standard error": [f"{rows.loc[key, 'se']:.1f}" for key in DECISIVE],
            "Within-state SD of the share (points)": [
                f"{np.sqrt(reliabilities[key].within_variance):.2f}" for key in DECISIVE
            ],
            "Lambda (if errors independent)": [f"{reliabilities[key].ratio:.2f}" for key in DECISIVE],
        }
    )


def knife_edge_table(sensitivity: pd.DataFrame, loo: pd.DataFrame, sweep: pd.DataFrame) -> pd.DataFrame:
    """Every alternative shown beside the declared reading: inference conventions, the study's magnitude as
    threshold, states left out one at a time (grouped by verdict) and coverage cut-offs; the state-trends
    upper bound (the one that decides the margin) and the rule's verdict. Two decimals: a bound can
    miss the threshold by less than 0.1."""
    rows = [
        {
            "Reading": row.convention,
            "Upper bound, with state trends": f"{row.upper_state_trends:+.2f}",
            "Threshold": f"{row.threshold:+.2f}",
            "Verdict by the rule": row.verdict,
        }
        for row in sensitivity.itertuples()
    ]
    limit = sensitivity.iloc[0]["threshold"]
    for verdict, group in loo.groupby("verdict", sort=False):
        rows.append(
            {
                "Reading": f"without one state: {len(group)} of {len(loo)} states"
                + (f" ({', '.join(group['omitted'])})" if len(group) <= 8 else ""),
                "Upper bound, with state trends": f"{group['upper_state_trends'].min():+.2f} to "
                f"{group['upper_state_trends'].max():+.2f}",
                "Threshold": f"{limit:+.2f}",
                "Verdict by the rule": verdict,
            }
        )
    for row in sweep.itertuples():
        rows.append(
            {
                "Reading": f"coverage cut-off {row.cutoff:g}% ({row.n_obs} state-years)",
                "Upper bound, with state trends": f"{row.upper_state_trends:+.2f}",
                "Threshold": f"{limit:+.2f}",
                "Verdict by the rule": row.verdict,
            }
        )
    return pd.DataFrame(rows)


# --- where the main association comes from ---

PERIOD_KEYS = (
    "full",
    "from_1995",
    "from_1998",
    "from_2000",
    "coverage_90",
    "lag_sample",
    "lag_current",
    "lag_previous",
)


def period_numbers(
    periods: pd.DataFrame,
    randomization: tuple[float, float, float],
    draws: int,
    margins: pd.Series,
    collinearity: float,
    *,
    early_last: int,
    late_first: int,
) -> dict:
    """The by-period, coverage and lag rows (``state_panel.periods.<row>.<field>``), randomization
    inference, the correlation of the current and previous share after the fixed effects
    (``collinearity``), and Pew's mean 90% margin (points of share) in the years up to ``early_last``
    and from ``late_first``, and year by year."""
    values = {
        f"state_panel.periods.{row.key}.{field}": getattr(row, field)
        for row in periods.itertuples()
        for field in ("coef", "ci_low", "ci_high", "n_obs", "years")
    }
    _, p, error = randomization
    early, late = margins[margins.index <= early_last], margins[margins.index >= late_first]
    values.update(
        {
            "state_panel.periods.randomization_p": p,
            "state_panel.periods.randomization_mc_se": error,
            "state_panel.periods.randomization_draws": draws,
            "state_panel.periods.lag_collinearity": collinearity,
            "state_panel.margins.early_years": f"{early.index.min()}-{early.index.max()}",
            "state_panel.margins.early_min": float(early.min()),
            "state_panel.margins.early_max": float(early.max()),
            "state_panel.margins.late_years": f"{late.index.min()}-{late.index.max()}",
            "state_panel.margins.late_min": float(late.min()),
            "state_panel.margins.late_max": float(late.max()),
            "state_panel.margins.by_year": "; ".join(f"{year}: {value:.2f}" for year, value in margins.items()),
            "state_panel.margins.comparison": "wider"
            if early.min() > late.max()
            else "narrower"
            if early.max() < late.min()
            else "about as wide",
            "state_panel.periods.randomization_reading": "confirms" if p < 0.05 else "does not confirm",
            "state_panel.periods.lag_reading": lag_sentence(periods, collinearity),
        }
    )
    return values


# Above this correlation (after the fixed effects) two regressors move together too much for a panel
# of this size to say which one an association belongs to; a description, not a test.
COLLINEAR = 0.5


def lag_sentence(periods: pd.DataFrame, collinearity: float) -> str:
    """What adding the previous period's share does, described and not explained: which share keeps
    an interval that excludes zero, and, when the two move together (``collinearity`` above
    ``COLLINEAR``), that they cannot be told apart."""
    rows = periods.set_index("key")
    current, previous = (
        not rows.loc[k, "ci_low"] <= 0 <= rows.loc[k, "ci_high"] for k in ("lag_current", "lag_previous")
    )
    if previous and not current:
        found = "the previous period's share takes the association"
    elif current and not previous:
        found = "the current share keeps the association"
    elif current and previous:
        found = "both the current and the previous period's share keep an association"
    else:
        found = "neither the current nor the previous period's share keeps an interval that excludes zero"
    if abs(collinearity) < COLLINEAR:
        return found
    return (
        f"{found}; but the two move together (correlation {collinearity:.2f} after state and year effects) and "
        "both carry sampling error, so these data cannot say which one matters"
    )


def period_table(periods: pd.DataFrame) -> pd.DataFrame:
    """The main model on each sample of ``state_checks.period_rows``."""
    return pd.DataFrame(
        {
            "Sample": periods["label"],
            "Years": periods["years"],
            "Estimate [95% interval]": [interval(r.coef, r.ci_low, r.ci_high, 1) for r in periods.itertuples()],
            "State-years": periods["n_obs"],
            "Interval": [interval_words(r.ci_low, r.ci_high) for r in periods.itertuples()],
        }
    )


# --- arrests after 2008 ---


def window_numbers(windows: pd.DataFrame, family: str = "state_panel.windows") -> dict:
    """Each window's decisive estimates, lambda per decisive specification, break-indicator estimates,
    states and reading by the rule (``<family>.<first>_<last>.<spec>.<field>``)."""
    values = {}
    for row in windows.to_dict("records"):
        name = f"{family}.{row['window'].replace('-', '_')}"
        values[f"{name}.verdict"] = row["verdict"]
        values[f"{name}.n_obs"] = row["n_obs"]
        values[f"{name}.n_states"] = row["n_states"]
        for key in (*DECISIVE, "break", "break_trends"):
            if not np.isnan(row.get(f"{key}_coef", np.nan)):
                values.update(
                    {f"{name}.{key}.{field}": row[f"{key}_{field}"] for field in ("coef", "ci_low", "ci_high")}
                )
                values[f"{name}.{key}.reading"] = interval_words(row[f"{key}_ci_low"], row[f"{key}_ci_high"])
            if f"{key}_reliability" in row:
                values[f"{name}.{key}.lambda"] = row[f"{key}_reliability"].ratio
                values[f"{name}.{key}.lambda_words"] = state_checks.reliability_words(row[f"{key}_reliability"])
    return values


def absent_states(windows: pd.DataFrame, declared: str, window: str) -> str:
    """The states of the ``declared`` window's sample that ``window``'s sample lacks, in words."""
    rows = windows.set_index("window")
    missing = sorted(set(rows.loc[declared, "states"]) - set(rows.loc[window, "states"]))
    return listed(missing) if missing else "none"


def window_table(windows: dict[str, pd.DataFrame], declared: str) -> pd.DataFrame:
    """Specifications down, windows across, one block of rows per outcome (``windows``: outcome name ->
    its ``state_checks.window_rows``): the decisive estimates, the seam's break indicator where the
    window straddles it, lambda of the decisive specifications, the rule's reading against that
    outcome's threshold (shown; the verdict is the ``declared`` window's) and the sample."""

    def cell(row: dict, key: str) -> str:
        coef = row.get(f"{key}_coef", np.nan)
        return "" if np.isnan(coef) else interval(coef, row[f"{key}_ci_low"], row[f"{key}_ci_high"], 1)

    specs = {
        **{NAMES[key].capitalize(): key for key in DECISIVE},
        "Main, with a level shift per state at the seam": "break",
        "With state trends and the shift": "break_trends",
    }
    first = next(iter(windows.values()))
    names = [w + (" (declared)" if w == declared else "") for w in first["window"]]
    table = {"Specification": []} | {name: [] for name in names}
    for outcome, frame in windows.items():
        records = frame.to_dict("records")
        lines = {f"{outcome}:": ["" for _ in records]}
        lines.update({label: [cell(r, key) for r in records] for label, key in specs.items()})
        lines["Lambda: main / trends / division"] = [
            " / ".join(f"{r[f'{key}_reliability'].ratio:.2f}" if f"{key}_reliability" in r else "" for key in DECISIVE)
            for r in records
        ]
        lines["Rule's reading"] = [r["verdict"] for r in records]
        lines["State-years (states)"] = [f"{r['n_obs']:,} ({r['n_states']})" for r in records]
        for label, cells in lines.items():
            table["Specification"].append(label)
            for name, value in zip(names, cells, strict=True):
                table[name].append(value)
    return pd.DataFrame(table)


def seam_numbers(seams: dict[str, state_checks.SeamChange]) -> dict:
    """The seam's size for each arrest rate (``seams``: outcome key -> ``state_checks.seam_changes``):
    the median and SD of the states' log change across it, the SD between other consecutive years, and
    the largest changes (``state_panel.seam.<outcome>.<field>``)."""
    values = {}
    for outcome, seam in seams.items():
        name = f"state_panel.seam.{outcome}"
        values.update(
            {
                f"{name}.years": f"{seam.years[0]}-{seam.years[1]}",
                f"{name}.median": seam.median,
                f"{name}.sd": seam.sd,
                f"{name}.sd_other": seam.sd_other,
                f"{name}.other_pairs": seam.other_pairs,
                f"{name}.states": seam.states,
                f"{name}.largest": listed([f"{state} {change:+.2f}" for state, change in seam.largest.items()]),
                f"{name}.comparison": "wider than" if seam.sd > seam.sd_other else "no wider than",
            }
        )
    return values


# --- compared with the published study ---


def comparison_reading(row, published: pd.DataFrame) -> str:
    """One row of ``state_checks.study_comparison`` in words: whether this book's interval contains the
    study's figure, and whether its sign and significance replicate (a borderline significance, where
    the interval and the wild bootstrap p disagree about zero or the p is too close to 5% for its
    draws, is said to be so, with the p and its Monte Carlo SE)."""
    study_significant = (
        "significant" in published.loc[row.id, "significance"]
        and "not significant" not in published.loc[row.id, "significance"]
    )
    wild = f"wild p = {row.p_wild:.4f} ± {row.p_wild_se:.4f}" if not np.isnan(row.p_wild) else ""
    if row.same_sign and row.borderline:
        replicated = (
            f"same sign; significance borderline (the interval {interval_words(row.ci_low, row.ci_high)}, {wild})"
        )
    elif row.same_sign and row.book_significant == study_significant:
        replicated = "sign and significance replicate"
    elif row.same_sign:
        replicated = "same sign; significance does not replicate (this book's interval "
        replicated += "excludes zero)" if row.book_significant else "includes zero)"
    else:
        replicated = "opposite sign" + (
            ", and this book's interval excludes zero"
            if row.book_significant
            else "; this book's interval includes zero"
        )
    if row.reading == "contains":
        return f"contains the study's {row.study:+g}: {replicated}"
    return f"excludes the study's {row.study:+g}: not reproduced ({replicated})"


def comparison_table(comparison: pd.DataFrame, published: pd.DataFrame, study_years: str) -> pd.DataFrame:
    """The study's reported figure (sign as the study wrote it, source and wording) beside this book's
    estimate of the same outcome over its declared years (rows of ``comparison`` with window
    'declared') and over the study's own years ``study_years`` (window 'study', where the data reach
    them), each with a one-line reading."""
    declared = comparison[comparison["window"] == "declared"]
    study = {(r.id, r.source): r for r in comparison[comparison["window"] == "study"].itertuples()}

    def longer(row) -> str:
        other = study.get((row.id, row.source))
        if other is None:
            return "same as declared" if row.years.endswith(study_years[-4:]) else ""
        return interval(other.coef, other.ci_low, other.ci_high)

    def reading(row) -> str:
        text = f"{row.years}: {comparison_reading(row, published)}"
        other = study.get((row.id, row.source))
        if other is None:
            return text
        longer_text = comparison_reading(other, published)
        return (
            f"{text}; {study_years}: {'the same' if longer_text == comparison_reading(row, published) else longer_text}"
        )

    return pd.DataFrame(
        {
            "Outcome (share source)": declared["outcome"].str.replace(" per 100000", "")
            + " ("
            + declared["source"]
            + ")",
            "Study, per point (as reported)": [
                f"{row.study:+g} ({published.loc[row.id, 'source_kind']}: "
                f"{published.loc[row.id, 'source_title'].split(':')[0]})"
                for row in declared.itertuples()
            ],
            "This book [95% interval], declared years": [
                interval(r.coef, r.ci_low, r.ci_high) + f", {r.years}" for r in declared.itertuples()
            ],
            f"This book, {study_years}": [longer(row) for row in declared.itertuples()],
            "Reading": [reading(row) for row in declared.itertuples()],
        }
    )


# --- tables of the appendix ---


def declaration_table(lead_gap: str) -> pd.DataFrame:
    """The declared specifications and robustness rows, what each changes, and whether it decides."""
    everything = (*specifications.SPECIFICATIONS, *specifications.ROBUSTNESS)
    return pd.DataFrame(
        {
            "Specification": [spec.label for spec in everything],
            "What it changes": [specifications.DESCRIPTIONS[spec.key].format(lead_gap=lead_gap) for spec in everything],
            "Decides the verdict": [
                "yes"
                if spec.key in DECISIVE
                else "no (shown)"
                if spec in specifications.SPECIFICATIONS
                else "no (robustness row)"
                for spec in everything
            ],
        }
    )


def all_estimates_table(results: dict, analyses: dict, outcomes: set[str]) -> pd.DataFrame:
    """Specifications down, the analyses of ``outcomes`` across (Poisson in log points, 3 decimals)."""
    columns = {
        f"{specifications.OUTCOME_NAMES[a.outcome]}, {a.share_source}, {results[key].iloc[0]['years']}": results[key]
        for key, a in analyses.items()
        if a.outcome in outcomes
    }
    return estimates_table(
        columns, {spec.key: spec.label for spec in specifications.SPECIFICATIONS}, digits={"poisson": 3}
    )


def robustness_table(robustness: dict, analyses: dict) -> pd.DataFrame:
    """The robustness rows of every analysis where they change the sample."""
    return pd.DataFrame(
        [
            {
                "Analysis": analyses[key].label,
                "Robustness row": row.label,
                "Estimate [95% interval]": interval(row.coef, row.ci_low, row.ci_high),
                "Years": row.years,
                "State-years (states)": f"{row.n_obs} ({row.n_states})",
            }
            for key in analyses
            for row in robustness[key].itertuples()
        ]
    )


def inference_table(results: dict, checks: dict, decisions: dict, analyses: dict) -> pd.DataFrame:
    """Per analysis: sample, main estimate, wild bootstrap p with its Monte Carlo SE, leave-one-out range,
    lead check, verdict. The correlation chapter's marks: a dagger (†) on an interval whose wild p
    disagrees with it about zero at 5%, a double dagger (‡) on a p within ``BORDERLINE_MC_SE`` Monte
    Carlo SEs of 0.05."""
    rows = []
    for key, analysis in analyses.items():
        main = results[key].iloc[0]
        p, error = checks[key]["wild"]
        low, high = checks[key]["loo"]["coef"].min(), checks[key]["loo"]["coef"].max()
        dagger = " †" if interval_and_p_disagree(main["ci_low"], main["ci_high"], p) else ""
        double = " ‡" if monte_carlo_reading(p, error) == "borderline" else ""
        rows.append(
            {
                "Analysis (main model)": f"{analysis.label} ({main['years']}; {main['n_obs']} state-years, "
                f"{main['n_states']} states)",
                "Main estimate [95% interval]": interval(main["coef"], main["ci_low"], main["ci_high"]) + dagger,
                "Wild bootstrap p (MC SE)": f"{p:.4f} ({error:.4f}){double}",
                "Leave one state out": f"{low:+.2f} to {high:+.2f}",
                "Lead check (lead sample)": (
                    f"{checks[key]['lead']} ({results[key].set_index('key').loc['lead', 'years']})"
                ),
                "Verdict by the rule": decisions[key].verdict,
            }
        )
    return pd.DataFrame(rows)


def dagger_numbers(results: dict, checks: dict, analyses: dict) -> dict:
    """The analyses whose main interval and wild bootstrap p disagree about zero (marked †), and those
    whose p is too close to 0.05 for its draws (‡), in words."""
    disagree, borderline = [], []
    for key, analysis in analyses.items():
        main = results[key].iloc[0]
        p, error = checks[key]["wild"]
        where = interval_words(main["ci_low"], main["ci_high"])
        words = f"{analysis.label}, {main['years']}: the interval {where}, p = {p:.4f}"
        if interval_and_p_disagree(main["ci_low"], main["ci_high"], p):
            disagree.append(words)
        if monte_carlo_reading(p, error) == "borderline":
            borderline.append(words)
    return {
        "state_panel.inference.n_disagree": len(disagree),
        "state_panel.inference.disagree": "; ".join(disagree) or "none",
        "state_panel.inference.n_borderline": len(borderline),
        "state_panel.inference.borderline_mc_se": BORDERLINE_MC_SE,
        "state_panel.inference.borderline": "; ".join(borderline) or "none",
    }


def variation_table(results: dict, checks: dict, analyses: dict) -> pd.DataFrame:
    """Per analysis: the share's variance left after the fixed effects, its within-state SD (points of
    share), lambda (flagged below ``RELIABILITY_FLOOR``) and the effect of one within-state SD."""
    rows = []
    for key, analysis in analyses.items():
        found, ratio = checks[key]["found"], checks[key]["reliability"].ratio
        flag = (
            " (impossible with independent errors)"
            if checks[key]["reliability"].independence_fails
            else " (at or below zero: as much noise as variation)"
            if ratio <= 0
            else " (low)"
            if ratio < state_checks.RELIABILITY_FLOOR
            else ""
        )
        rows.append(
            {
                "Analysis (main model)": f"{analysis.label} ({results[key].iloc[0]['years']})",
                "Share's variance left after fixed effects": f"{found.within_variance_share:.1%}",
                "Within-state SD of the share (percentage points)": f"{found.within_sd:.2f}",
                "Reliability of the within-state share (lambda)": f"{ratio:.2f}{flag}",
                "Effect of one within-state SD (outcome per 100,000)": f"{found.effect_per_within_sd:+.2f}",
            }
        )
    return pd.DataFrame(rows)


# --- the new arrest data and the overdose comparison ---


def table_69_numbers(panel: pd.DataFrame, source: str) -> dict:
    """The years the arrest series takes from Table 69 (``source``: the panel's ``arrest_source`` label)."""
    years = sorted(panel.loc[panel["arrest_source"] == source, "year"].unique())
    gaps = sorted(set(range(years[0], years[-1] + 1)) - set(years))
    return {
        "state_panel.t69.first_year": int(years[0]),
        "state_panel.t69.last_year": int(years[-1]),
        "state_panel.t69.years": f"{years[0]}-{years[-1]}" + (f" except {', '.join(map(str, gaps))}" if gaps else ""),
        "state_panel.t69.n_years": len(years),
    }


def overdose_sentence(comparison: pd.DataFrame, found: state_checks.Reliability, leads: dict[str, str]) -> str:
    """How to read the overdose comparison: a failure to reproduce is not a refutation when the share's
    variation may be mostly noise (``found``: the reliability of the Pew share in the study's overlap);
    which sources give the opposite sign to the study; how many Pew overdose windows fail the lead
    check (``leads``: window label -> check)."""
    rows = comparison[comparison["outcome"].str.startswith("drug overdose") & (comparison["window"] == "declared")]
    parts = []
    ratio = found.ratio
    if (rows["reading"] == "excludes").any():
        why = (
            "Pew's margins imply more sampling noise than the share's within-state variation there, so how much "
            "of it is signal cannot be known"
            if found.independence_fails
            else "the share's within-state variation there is no larger than the sampling noise Pew's margins "
            "imply, so it may be all noise"
            if ratio <= 0
            else "sampling error is most of the share's within-state variation there, if Pew's errors are independent"
            if ratio < state_checks.RELIABILITY_FLOOR
            else "the share's variation there is mostly signal"
        )
        kind = (
            "a failure to reproduce, not a refutation"
            if ratio < state_checks.RELIABILITY_FLOOR
            else "a failure to reproduce"
        )
        parts.append(f"For overdose deaths the difference is {kind}: {why} (lambda {ratio:.2f}).")
    opposite = sorted(set(rows.loc[~rows["same_sign"] & rows["book_significant"], "source"]))
    if opposite:
        parts.append(
            f"With {' and '.join(opposite)} shares the main interval lies on the opposite side of zero "
            "from the study's figure."
        )
    failed = [label for label, check in leads.items() if check == "fails"]
    if failed:
        parts.append(
            f"In {len(failed)} of {len(leads)} Pew overdose windows the next period's share already "
            '"predicts" deaths, so those estimates mix in trends that differ between states.'
        )
    return " ".join(parts)


# --- the appendix: declarations, data, checks ---


def lead_gap(panel: pd.DataFrame, analysis: Analysis) -> str:
    """How far ahead the lead looks in the source's published years of ``analysis``' window."""
    years = sorted(panel.loc[panel[analysis.share].notna() & panel["year"].between(*analysis.years), "year"].unique())
    gaps = [later - earlier for earlier, later in zip(years[:-1], years[1:], strict=False)]
    return f"in Pew's years {min(gaps)} to {max(gaps)} years ahead, e.g. {years[0]} -> {years[1]}"


def coverage_numbers(panel: pd.DataFrame, reasons: pd.DataFrame, min_coverage: float) -> dict:
    """The panel's extent and the arrest series' missing-data facts the data section cites."""
    pew_years = sorted(panel.loc[panel["unauthorized_pct_pew"].notna(), "year"].unique())
    arrests = reasons[reasons["variable"] == "drug_arrest_rate"]
    zero = arrests[arrests["reason"].str.startswith("reported zero")]
    florida = zero[zero["state"] == "Florida"]
    low = arrests[arrests["reason"].str.startswith("coverage below")]
    return {
        "state_panel.n_states": int(panel["state"].nunique()),
        "state_panel.first_year": int(panel["year"].min()),
        "state_panel.last_year": int(panel["year"].max()),
        "state_panel.pew.n_years": len(pew_years),
        "state_panel.pew.years_before_2005": sum(year < 2005 for year in pew_years),
        "state_panel.min_arrest_coverage": float(min_coverage),
        "state_panel.arrests.florida_missing_years": f"{florida['year'].min()}-{florida['year'].max()}",
        "state_panel.arrests.zero_reported_state_years": len(zero),
        "state_panel.arrests.low_coverage_state_years": len(low),
        "state_panel.rule.smallest_increase_reason": specifications.SMALLEST_INCREASE_REASON,
        "state_panel.rule.smallest_increase_reason_declared": specifications.SMALLEST_INCREASE_REASON_DECLARED,
    }


def coverage_frame(coverage: pd.DataFrame) -> pd.DataFrame:
    """``state_panel.coverage_table`` as the chapter shows it."""
    return pd.DataFrame(
        {
            "Variable": coverage["label"],
            "Source": coverage["source"],
            "Years": coverage["first_year"].astype(str) + "-" + coverage["last_year"].astype(str),
            "States": coverage["states"],
            "State-years": coverage["state_years"],
            "Gaps within its years (reason, count)": coverage["gap_reasons"].replace("", "none"),
        }
    )


def table_69_check_numbers(tables: dict[int, pd.DataFrame], panel: pd.DataFrame, min_coverage: float) -> dict:
    """Table 69 as read: files, state rows checked against their printed totals (two rows each),
    footnoted state-years, state-years below the coverage cut-off, and the median coverage."""
    rows = pd.concat(tables.values(), ignore_index=True)
    recent = panel[panel["arrest_source"] == "FBI Table 69"]
    return {
        "state_panel.t69.n_files": len(tables),
        "state_panel.t69.state_rows": len(rows),
        "state_panel.t69.rows_checked": 2 * len(rows),
        "state_panel.t69.footnoted": int(rows["footnoted"].sum()),
        "state_panel.t69.below_cutoff": int((recent["arrest_coverage"] < min_coverage).sum()),
        "state_panel.t69.median_coverage": float(recent["arrest_coverage"].median()),
        "state_panel.t69.partial": "; ".join(
            f"{state} {', '.join(str(y) for y in sorted(group['year']))}"
            for state, group in recent[recent["arrest_coverage"] < min_coverage].groupby("state")
        ),
    }


def series_check_numbers(
    compared: pd.DataFrame, pew: pd.DataFrame, vsrr_both: pd.DataFrame, definitions: pd.DataFrame, overlap: pd.DataFrame
) -> dict:
    """The checks of the Pew, VSRR and death series: transcription agreement, mirrored-file agreement,
    the provisional-final gap, and the two death sources' overlap."""
    differ = compared[compared["note"] == "values differ"]
    return {
        "state_panel.pew.censored_cells": int(pew["censored"].sum()),
        "state_panel.pew.check.compared": len(compared),
        "state_panel.pew.check.equal": int((compared["note"] == "equal").sum()),
        "state_panel.pew.check.small": int(compared["note"].str.startswith("small state").sum()),
        "state_panel.pew.check.not_in_pew": int((compared["note"] == "not in the Pew series").sum()),
        "state_panel.pew.check.differences": "; ".join(
            f"{r.state} {r.year}: {r.population_transcribed:,.0f} transcribed, {r.population_pew:,.0f} Pew"
            for r in differ.itertuples()
        )
        or "none",
        "state_panel.pew.sum_1990": float(pew.loc[pew["year"] == 1990, "population"].sum()),
        "state_panel.pew.sum_2023": float(pew.loc[pew["year"] == 2023, "population"].sum()),
        "state_panel.vsrr.check.compared": len(vsrr_both),
        "state_panel.vsrr.check.years": f"{vsrr_both['year'].min()}-{vsrr_both['year'].max()}",
        "state_panel.vsrr.check.mismatches": int((vsrr_both["deaths_json"] != vsrr_both["deaths_csv"]).sum()),
        "state_panel.vsrr.excess_min": float(definitions["excess_pct"].min()),
        "state_panel.vsrr.excess_max": float(definitions["excess_pct"].max()),
        "state_panel.vsrr.definition_years": f"{definitions['year'].min()}-{definitions['year'].max()}",
        "state_panel.deaths.source_overlap": len(overlap),
        "state_panel.deaths.source_mismatches": int(
            (overlap["overdose_deaths_nchs"] != overlap["overdose_deaths_ondcp"]).sum()
        ),
    }


def residence_numbers(gap: pd.DataFrame, fits: dict, years: pd.Series, share_by_state: pd.Series) -> dict:
    """Residence (final) against occurrence (provisional) deaths: the range of the state gaps, their
    correlation with the share, and the main estimate with the two corrections."""
    lowest, highest = gap.loc[gap["gap_pct"].idxmin()], gap.loc[gap["gap_pct"].idxmax()]
    with_share = gap.assign(share=gap["state"].map(share_by_state)).dropna()
    values = {
        f"state_panel.residence.{name}.{field}": getattr(fit, field)
        for name, fit in fits.items()
        for field in ("coef", "ci_low", "ci_high")
    }
    values.update(
        {
            "state_panel.residence.years": f"{years.min()}-{years.max()}",
            "state_panel.residence.gap_min": float(lowest["gap_pct"]),
            "state_panel.residence.gap_min_state": lowest["state"],
            "state_panel.residence.gap_max": float(highest["gap_pct"]),
            "state_panel.residence.gap_max_state": highest["state"],
            "state_panel.residence.gap_share_r": float(with_share["gap_pct"].corr(with_share["share"])),
        }
    )
    return values


def reliability_numbers(results: dict, checks: dict, analyses: dict) -> dict:
    """Which windows' share is mostly sampling error (lambda below ``RELIABILITY_FLOOR``), in words."""
    floor = state_checks.RELIABILITY_FLOOR
    low = [
        f"{analyses[key].label} ({results[key].iloc[0]['years']}, "
        f"{state_checks.reliability_words(checks[key]['reliability'])})"
        for key in analyses
        if checks[key]["reliability"].ratio < floor
    ]
    return {
        "state_panel.reliability.n_noise": sum(checks[key]["reliability"].ratio <= 0 for key in analyses),
        "state_panel.reliability.floor": floor,
        "state_panel.reliability.low": "; ".join(low) or "none",
        "state_panel.reliability.n_low": len(low),
        "state_panel.reliability.reading": (
            "In those windows, if Pew's sampling errors are independent, the share's within-state changes are more "
            "sampling error than signal (at or below zero, as much noise as variation; beyond chance, a sign that "
            'the errors are not independent), so their "per point" estimates are flagged: classical measurement '
            "error pulls a slope toward zero, so an interval that rules out an increase there is weaker evidence "
            "than it looks."
            if low
            else "In every window the share's within-state changes are more signal than sampling error."
        ),
    }


def lead_numbers(results: dict, checks: dict, analyses: dict) -> dict:
    """The falsification check in every window (labelled by the lead sample's own years)."""
    windows = [
        f"{analyses[key].label} (lead sample {results[key].set_index('key').loc['lead', 'years']}): "
        f"{checks[key]['lead']}"
        for key in analyses
    ]
    return {
        "state_panel.lead.by_window": "; ".join(windows),
        "state_panel.lead.n_failed": sum(checks[key]["lead"] == "fails" for key in analyses),
        "state_panel.lead.n_windows": len(analyses),
    }


def combinations_numbers(combinations: pd.DataFrame, threshold: float) -> dict:
    """State trends combined with each robustness dimension: the ranges, and which side of the
    threshold their upper bounds fall (the verdict's specification set is unchanged)."""
    uppers = combinations["ci_high"]
    below, above = int((uppers < threshold).sum()), int((uppers >= threshold).sum())
    return {
        "state_panel.drug_crime.combination_coef_min": float(combinations["coef"].min()),
        "state_panel.drug_crime.combination_coef_max": float(combinations["coef"].max()),
        "state_panel.drug_crime.combination_upper_min": float(uppers.min()),
        "state_panel.drug_crime.combination_upper_max": float(uppers.max()),
        "state_panel.drug_crime.combination_sides": (
            f"{below} of {len(uppers)} upper bounds lie below the threshold and {above} at or above it"
        ),
    }


def combinations_table(combinations: pd.DataFrame, threshold: float) -> pd.DataFrame:
    """State trends combined with each robustness dimension: estimate, interval, margin to the threshold."""
    return pd.DataFrame(
        {
            "Specification": combinations["label"],
            "Years": combinations["years"],
            "Estimate [95% interval]": [interval(r.coef, r.ci_low, r.ci_high, 1) for r in combinations.itertuples()],
            "Upper bound - threshold": (combinations["ci_high"] - threshold).map("{:+.1f}".format),
            "State-years (states)": [f"{r.n_obs} ({r.n_states})" for r in combinations.itertuples()],
        }
    )


def other_check_numbers(
    long_differences: dict,
    driscoll_kraay,
    foreign_born: tuple,
    age_adjusted: dict,
    changes: dict,
    bias: dict,
    lags: int,
    arrest_years: int,
) -> dict:
    """The other designs' numbers: long differences (``long_differences``: key -> fit, e.g. over the whole
    window and from a later first year), Driscoll-Kraay errors (with the lags used, and the
    number of years the arrest sample has, too few for them), the foreign-born control, the
    age-adjusted rate, the Pew-CMS agreement on changes, and division bias."""
    values = {"state_panel.checks.arrest_years": arrest_years}
    for name, fit in (
        *long_differences.items(),
        ("driscoll_kraay", driscoll_kraay),
        ("foreign_born.with", foreign_born[0]),
        ("foreign_born.without", foreign_born[1]),
        *((f"age_adjusted.{key}", fit) for key, fit in age_adjusted.items()),
    ):
        values.update(
            {f"state_panel.checks.{name}.{field}": getattr(fit, field) for field in ("coef", "ci_low", "ci_high")}
        )
        values[f"state_panel.checks.{name}.years"] = fit.span
        values[f"state_panel.checks.{name}.n_obs"] = fit.n_obs
        values[f"state_panel.checks.{name}.reading"] = interval_words(fit.ci_low, fit.ci_high)
    values["state_panel.checks.driscoll_kraay.lags"] = lags
    values["state_panel.checks.driscoll_kraay.df"] = driscoll_kraay.df
    for name, (r, n) in changes.items():
        values[f"state_panel.checks.pew_cms.{name}.r"] = r
        values[f"state_panel.checks.pew_cms.{name}.n"] = n
    for name, found in bias.items():
        values[f"state_panel.checks.division_bias.{name}"] = float(found.bias)
    values["state_panel.checks.division_bias.error_sd_pct"] = 100 * next(iter(bias.values())).error_sd
    values["state_panel.checks.division_bias.direction"] = (
        "upward" if all(found.bias > 0 for found in bias.values()) else "mixed"
    )
    return values


def deaths_totals(national: pd.DataFrame) -> dict:
    """Drug-poisoning deaths since 1999 for the claims register's check of "more than a million lives
    since 1999": final NCHS counts (by residence) and, after them, CDC's provisional counts (by
    occurrence), with the label saying which definitions are added."""
    final = national[~national["provisional"]]
    return {
        "overdose.deaths.cumulative_since_1999": float(national["deaths"].sum()),
        "overdose.deaths.cumulative_last_year": int(national["year"].max()),
        "overdose.deaths.first_year": int(national["year"].min()),
        "overdose.deaths.last_year": int(national["year"].max()),
        "overdose.deaths.last_year_deaths": float(national["deaths"].iloc[-1]),
        "overdose.deaths.final_last_year": int(final["year"].max()),
        "overdose.deaths.cumulative_final": float(final["deaths"].sum()),
        "overdose.deaths.cumulative_label": (
            f"final NCHS {int(national['year'].min())}-{int(final['year'].max())} (by residence) + CDC VSRR "
            f"provisional {int(final['year'].max()) + 1}-{int(national['year'].max())} (by occurrence, sum of the "
            "50 states and DC)"
        ),
    }


# --- the tables' downloads: each table's unrounded data, named and described for the Data page ---


def long_estimates(frames: dict, analyses: dict) -> pd.DataFrame:
    """Estimates frames of several analyses (key -> ``state_models.estimates_frame``) as one long frame,
    each row led by its analysis (outcome, share source, label)."""
    return pd.concat(
        [
            frames[key].assign(
                analysis=analyses[key].label, outcome=analyses[key].outcome, share_source=analyses[key].source
            )[["analysis", "outcome", "share_source", *frames[key].columns]]
            for key in analyses
            if key in frames
        ],
        ignore_index=True,
    )


def decisive_data(
    drug: pd.DataFrame, reliabilities: dict[str, state_checks.Reliability], threshold: float
) -> pd.DataFrame:
    """The decisive estimates unrounded: specification, estimate, standard error, interval, years,
    state-years, the upper bound minus the threshold, the share's within-state SD and lambda."""
    rows = drug.set_index("key").loc[list(DECISIVE)].reset_index()
    return pd.DataFrame(
        {
            "specification": rows["key"],
            "label": [NAMES[key] for key in rows["key"]],
            "coef": rows["coef"],
            "se": rows["se"],
            "ci_low": rows["ci_low"],
            "ci_high": rows["ci_high"],
            "years": rows["years"],
            "n_obs": rows["n_obs"],
            "threshold": threshold,
            "upper_minus_threshold": rows["ci_high"] - threshold,
            "within_sd": [np.sqrt(reliabilities[key].within_variance) for key in rows["key"]],
            "reliability": [reliabilities[key].ratio for key in rows["key"]],
        }
    )


def decisive_markdown(
    drug: pd.DataFrame, reliabilities: dict[str, state_checks.Reliability], threshold: float
) -> Markdown:
    """The table of the three decisive estimates (``decisive_table``), its data as CSV."""
    return markdown_table(
        decisive_table(drug, reliabilities, threshold),
        widths=[26, 22, 12, 12, 14, 14],
        download=Download(
            "state-panel-decisive",
            "one of the three specifications that decide the drug-arrest verdict: estimate, standard error, 95% "
            "interval, margin of the upper bound to the threshold, the share's within-state SD and lambda",
            "coef, se, ci_low, ci_high, threshold: drug arrests per 100,000 per percentage point of undocumented "
            "share (Pew); within_sd: percentage points; reliability (lambda): the signal share if Pew's sampling "
            "errors are independent (at or below zero beyond chance: that assumption fails)",
            SOURCE,
        ),
        data=decisive_data(drug, reliabilities, threshold),
    )


# What each reading of ``state_models.sensitivity`` changes, in the words of the CSV.
READING_KINDS = {
    "declared": "declared",
    "errors": "standard errors",
    "level": "test level",
    "threshold": "threshold",
}


def knife_edge_data(sensitivity: pd.DataFrame, loo: pd.DataFrame, sweep: pd.DataFrame) -> pd.DataFrame:
    """Every alternative reading of the rule, unrounded and one row each (every state left out is its own
    row): kind, reading, threshold, the decisive upper bounds, state-years (coverage cut-offs) and verdict."""
    uppers = [f"upper_{key}" for key in DECISIVE]
    limit = sensitivity.iloc[0]["threshold"]
    parts = [
        sensitivity.assign(kind=sensitivity["kind"].map(READING_KINDS), reading=sensitivity["convention"]),
        loo.assign(kind="without one state", reading=loo["omitted"], threshold=limit),
        sweep.assign(kind="coverage cut-off", reading=[f"{cutoff:g}%" for cutoff in sweep["cutoff"]], threshold=limit),
    ]
    columns = ["kind", "reading", "threshold", *uppers, "n_obs", "verdict"]
    return pd.concat([part.reindex(columns=columns) for part in parts], ignore_index=True)


def knife_edge_markdown(sensitivity: pd.DataFrame, loo: pd.DataFrame, sweep: pd.DataFrame) -> Markdown:
    """The table of where the verdict turns (``knife_edge_table``), every reading as CSV (``knife_edge_data``)."""
    return markdown_table(
        knife_edge_table(sensitivity, loo, sweep),
        widths=[52, 18, 12, 18],
        download=Download(
            "state-panel-verdict-alternatives",
            "one alternative reading of the drug-arrest rule (other standard errors, another test level, a state "
            "left out, a coverage cut-off): the decisive upper bounds against the threshold, and the verdict",
            "threshold and upper_*: drug arrests per 100,000 per percentage point of undocumented share; n_obs: "
            "state-years",
            SOURCE,
        ),
        data=knife_edge_data(sensitivity, loo, sweep),
    )


def period_markdown(periods: pd.DataFrame) -> Markdown:
    """The main model on each sample (``period_table``), the estimates (``state_checks.period_rows``) as CSV."""
    return markdown_table(
        period_table(periods),
        widths=[40, 11, 23, 10, 16],
        download=Download(
            "state-panel-periods",
            "the main drug-arrest model on one sample: later starts, complete reporting, with the previous "
            "period's share",
            ESTIMATE_UNITS,
            SOURCE,
        ),
        data=periods,
    )


def window_data(windows: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The rows of ``state_checks.window_rows`` of each outcome as one frame led by the outcome, with
    lambda as numbers (``<spec>_lambda``) and the states as a count."""
    frames = []
    for outcome, frame in windows.items():
        lambdas = {
            f"{key}_lambda": [found.ratio for found in frame[f"{key}_reliability"]]
            for key in DECISIVE
            if f"{key}_reliability" in frame
        }
        kept = frame.drop(columns=[c for c in frame.columns if c.endswith("_reliability")] + ["states"])
        frames.append(kept.assign(**lambdas).assign(outcome=outcome))
    data = pd.concat(frames, ignore_index=True)
    return data[["outcome", *[c for c in data.columns if c != "outcome"]]]


def window_markdown(windows: dict[str, pd.DataFrame], declared: str) -> Markdown:
    """The decisive estimates of each arrest outcome over each window of years (``window_table``),
    the rows of ``state_checks.window_rows`` as CSV (``window_data``)."""
    return markdown_table(
        window_table(windows, declared),
        widths=[28, 18, 18, 18, 18],
        download=Download(
            "state-panel-windows",
            "one window of years of one arrest outcome: the decisive estimates with their intervals and lambda, "
            "the break at the seam between arrest sources, the rule's reading against that outcome's threshold",
            "<specification>_coef, _se, _ci_low, _ci_high: arrests per 100,000 per percentage point of "
            "undocumented share; <specification>_lambda: the signal share if Pew's errors are independent; "
            "n_obs: state-years; n_states: states",
            SOURCE,
        ),
        data=window_data(windows),
    )


def comparison_data(comparison: pd.DataFrame, published: pd.DataFrame) -> pd.DataFrame:
    """The comparison with the study (``state_checks.study_comparison``) with each figure's source."""
    return comparison.assign(
        source_kind=comparison["id"].map(published["source_kind"]),
        source_title=comparison["id"].map(published["source_title"]),
    )


def comparison_markdown(comparison: pd.DataFrame, published: pd.DataFrame, study_years: str) -> Markdown:
    """The study's figures beside this book's estimates over its declared years and the study's own
    (``comparison_table``), with their data as CSV."""
    return markdown_table(
        comparison_table(comparison, published, study_years),
        widths=[16, 20, 18, 14, 32],
        download=Download(
            "state-panel-study-comparison",
            "one figure the published study reported, beside this book's main estimate of the same outcome over "
            "one window (declared, or the study's own years)",
            "study, coef, ci_low, ci_high: the outcome per 100,000 residents per percentage point of "
            "undocumented share; p_wild and its Monte Carlo SE p_wild_se: 0-1",
            "data/curated/published_state_panel.csv (the study's figures as reported); " + SOURCE,
        ),
        data=comparison_data(comparison, published),
    )


def declaration_markdown(lead_gap: str) -> Markdown:
    """The declared specifications (``declaration_table``), as CSV too."""
    table = declaration_table(lead_gap)
    return markdown_table(
        table,
        widths=[30, 55, 15],
        download=Download(
            "state-panel-specifications",
            "one declared specification or robustness row of the state panel: what it changes and whether it "
            "decides the verdict",
            "text",
            "analysis/models/specifications.py",
        ),
        data=table.rename(
            columns={"Specification": "specification", "What it changes": "changes", "Decides the verdict": "decides"}
        ),
    )


def coverage_markdown(coverage: pd.DataFrame) -> Markdown:
    """The table of each variable's years, states and gaps (``coverage_frame``), the rows of
    ``state_panel.coverage_table`` as CSV."""
    return markdown_table(
        coverage_frame(coverage),
        widths=[20, 20, 10, 7, 9, 34],
        download=Download(
            "state-panel-variable-coverage",
            "one variable of the state panel: its source, first and last year, states, state-years and gaps",
            "years; states and state-years: counts",
            SOURCE,
        ),
        data=coverage,
    )


def all_estimates_markdown(results: dict, analyses: dict, outcomes: set[str], name: str) -> Markdown:
    """Every specification of the analyses of ``outcomes`` (``all_estimates_table``), the estimates as
    ``<name>.csv`` (``long_estimates``)."""
    chosen = {key: analysis for key, analysis in analyses.items() if analysis.outcome in outcomes}
    words = " and ".join(specifications.OUTCOME_NAMES[outcome].lower() for outcome in sorted(outcomes))
    return markdown_table(
        all_estimates_table(results, analyses, outcomes),
        download=Download(
            name,
            f"one specification of one analysis of {words}: estimate, standard error, 95% interval, p-value, sample",
            ESTIMATE_UNITS,
            SOURCE,
        ),
        data=long_estimates(results, chosen),
    )


def robustness_markdown(robustness: dict, analyses: dict) -> Markdown:
    """The robustness rows of every analysis (``robustness_table``), the estimates as CSV."""
    return markdown_table(
        robustness_table(robustness, analyses),
        widths=[30, 28, 18, 10, 14],
        download=Download(
            "state-panel-robustness",
            "one robustness row of one analysis (shown, not used for any verdict): estimate, 95% interval, sample",
            ESTIMATE_UNITS,
            SOURCE,
        ),
        data=long_estimates(robustness, analyses),
    )


def inference_data(results: dict, checks: dict, decisions: dict, analyses: dict) -> pd.DataFrame:
    """Per analysis, unrounded: the main model's sample, wild bootstrap p and its Monte Carlo SE, the
    leave-one-state-out range, the lead check and its sample, and the verdict."""
    rows = []
    for key, analysis in analyses.items():
        main = results[key].iloc[0]
        p, error = checks[key]["wild"]
        rows.append(
            {
                "analysis": analysis.label,
                "years": main["years"],
                "n_obs": main["n_obs"],
                "n_states": main["n_states"],
                "coef": main["coef"],
                "ci_low": main["ci_low"],
                "ci_high": main["ci_high"],
                "p_wild": p,
                "p_wild_mc_se": error,
                "interval_and_p_disagree": interval_and_p_disagree(main["ci_low"], main["ci_high"], p),
                "p_wild_reading": monte_carlo_reading(p, error),
                "loo_min": checks[key]["loo"]["coef"].min(),
                "loo_max": checks[key]["loo"]["coef"].max(),
                "lead_check": checks[key]["lead"],
                "lead_years": results[key].set_index("key").loc["lead", "years"],
                "verdict": decisions[key].verdict,
            }
        )
    return pd.DataFrame(rows)


def inference_markdown(results: dict, checks: dict, decisions: dict, analyses: dict) -> Markdown:
    """The table of inference checks per analysis (``inference_table``), its data as CSV."""
    return markdown_table(
        inference_table(results, checks, decisions, analyses),
        widths=[28, 18, 14, 14, 14, 12],
        download=Download(
            "state-panel-inference",
            "one analysis' main model: estimate and 95% interval, wild cluster bootstrap p-value (whether it "
            "disagrees with the interval about zero; its reading at 5% with its Monte Carlo error), "
            "leave-one-state-out range, lead check and verdict",
            "p_wild and its Monte Carlo SE: 0-1; coef, ci_low, ci_high, loo_min, loo_max: the outcome per 100,000 "
            "per percentage point of undocumented share; n_obs: state-years",
            SOURCE,
        ),
        data=inference_data(results, checks, decisions, analyses),
    )


def variation_data(results: dict, checks: dict, analyses: dict) -> pd.DataFrame:
    """Per analysis, unrounded: the share's variance left after the fixed effects, its within-state SD,
    lambda and the effect of one within-state SD."""
    return pd.DataFrame(
        [
            {
                "analysis": analysis.label,
                "years": results[key].iloc[0]["years"],
                "within_variance_share": checks[key]["found"].within_variance_share,
                "within_sd": checks[key]["found"].within_sd,
                "reliability": checks[key]["reliability"].ratio,
                "effect_per_within_sd": checks[key]["found"].effect_per_within_sd,
            }
            for key, analysis in analyses.items()
        ]
    )


def variation_markdown(results: dict, checks: dict, analyses: dict) -> Markdown:
    """The table of the variation that identifies each analysis (``variation_table``), its data as CSV."""
    return markdown_table(
        variation_table(results, checks, analyses),
        widths=[34, 17, 16, 17, 16],
        download=Download(
            "state-panel-variation",
            "one analysis' main model: how much of the share's variation is left after the fixed effects, how "
            "reliable it is, and the effect of one within-state standard deviation",
            "within_variance_share: fraction (0-1); within_sd: percentage points of share; reliability (lambda): "
            "the signal share if Pew's sampling errors are independent; effect_per_within_sd: the outcome per "
            "100,000 residents",
            SOURCE,
        ),
        data=variation_data(results, checks, analyses),
    )


def combinations_markdown(combinations: pd.DataFrame, threshold: float) -> Markdown:
    """State trends combined with each robustness dimension (``combinations_table``), the estimates and the
    margin to the threshold as CSV."""
    return markdown_table(
        combinations_table(combinations, threshold),
        widths=[34, 12, 24, 14, 16],
        download=Download(
            "state-panel-trend-combinations",
            "the state-trends drug-arrest model combined with one robustness dimension: estimate, 95% interval, "
            "margin of the upper bound to the threshold",
            ESTIMATE_UNITS + "; threshold, upper_minus_threshold: as coef",
            SOURCE,
        ),
        data=combinations.assign(threshold=threshold, upper_minus_threshold=combinations["ci_high"] - threshold),
    )
