"""The correlation chapter, section by section: the glue keys its text reads, the words chosen from the
numbers, and its table of tests.

Per-estimate keys follow ``correlation.<drug>.<model>.<field>`` (drug in lower case, model a key of
``MODEL_LABELS``); a section's own keys are written out.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from IPython.display import Markdown

from analysis.book.downloads import Download
from analysis.book.tables import interval, markdown_table
from analysis.models import fixed_effects, inference
from analysis.models.fixed_effects import Estimate, monte_carlo_reading

# The models run on every drug, in the order of the chapter's table.
MODEL_LABELS = {
    "twfe": "linear, pounds",
    "ppml_pounds": "Poisson, pounds",
    "twfe_events": "linear, events",
    "ppml_events": "Poisson, events",
    "fd": "first differences, pounds",
}
ALPHA = 0.05


def percent_change(log_points: float) -> float:
    """A Poisson coefficient (log points) as a percent change: 100 (exp(b) - 1)."""
    return float(100 * (np.exp(log_points) - 1))


def estimate_numbers(drug: str, model: str, estimate: Estimate) -> dict:
    """One estimate's keys: coefficient, interval, cluster and wild p (with its Monte Carlo SE and the
    reading at 5%: below, not below or borderline), n, and for Poisson models the percent change."""
    name = f"correlation.{drug.lower()}.{model}"
    values = {
        f"{name}.coef": estimate.coef,
        f"{name}.ci_low": estimate.ci_low,
        f"{name}.ci_high": estimate.ci_high,
        f"{name}.p_cluster": estimate.p,
        f"{name}.p_wild": estimate.p_wild,
        f"{name}.p_wild_se": estimate.p_wild_se,
        f"{name}.p_wild_reading": monte_carlo_reading(estimate.p_wild, estimate.p_wild_se, ALPHA),
        f"{name}.n": estimate.n_obs,
    }
    if model.startswith("ppml"):
        values[f"{name}.percent"] = percent_change(estimate.coef)
    return values


def headline(fentanyl: Estimate, within_sd: float, mean_pounds: float) -> dict:
    """The first paragraph's words and scale: whether the linear fentanyl interval detects a link, its
    size and direction in words (pounds more or less per 1,000 encounters), and the scale of what the
    interval does not rule out: the effect of one within-sector standard deviation of encounters at
    the upper bound, in pounds and as a share of the mean pounds per sector-month."""
    upper_effect = fentanyl.ci_high * within_sd / 1000
    detected = fentanyl.ci_low > 0 or fentanyl.ci_high < 0
    title = (
        "A detectable link"
        if detected and fentanyl.coef > 0
        else "A detectable negative link"
        if detected
        else "No detectable link"
    )
    return {
        "correlation.answer.title": title,
        "correlation.answer.direction": "more" if fentanyl.coef > 0 else "less",
        "correlation.answer.size": abs(fentanyl.coef),
        "correlation.scale.within_sd": within_sd,
        "correlation.scale.upper_effect": upper_effect,
        "correlation.scale.upper_share_of_mean": upper_effect / mean_pounds,
        "correlation.scale.mean_pounds": mean_pounds,
    }


def family_numbers(family: pd.DataFrame, drugs: list[str]) -> dict:
    """The family of tests read as a whole: how many have a wild p below 5% (Monte Carlo reading
    'below'), how many are borderline (within ``BORDERLINE_MC_SE`` Monte Carlo SEs of 5%), how many
    would pass by chance alone, the adjusted p-values and the cells whose interval and wild p disagree."""
    below = family[family["reading"] == "below"]
    borderline = family[family["reading"] == "borderline"]

    def described(rows: pd.DataFrame) -> str:
        return (
            "; ".join(
                f"{r.group} ({MODEL_LABELS[r.model]}, {'positive' if r.coef > 0 else 'negative'}, "
                f"p = {r.p_wild:.4f} +/- {r.p_wild_se:.4f})"
                for r in rows.itertuples()
            )
            or "none"
        )

    def named(rows: pd.DataFrame) -> str:
        return (
            "; ".join(
                f"{r.group.lower()}: {'positive' if r.coef > 0 else 'negative'}; {MODEL_LABELS[r.model]}"
                for r in rows.itertuples()
            )
            or "none"
        )

    disagreeing = family[family["disagree"]]
    values = {
        f"correlation.{r.group.lower()}.{r.model}.{field}": getattr(r, field)
        for r in family.itertuples()
        for field in ("p_holm", "p_bh")
    }
    values.update(
        {
            "correlation.tests.n": len(family),
            "correlation.tests.n_drugs": len(drugs),
            "correlation.tests.n_models": len(MODEL_LABELS),
            "correlation.tests.n_significant": len(below),
            "correlation.tests.n_borderline": len(borderline),
            "correlation.significant_associations": described(below),
            "correlation.tests.significant_short": named(below),
            "correlation.tests.borderline": described(borderline),
            "correlation.tests.expected_by_chance": ALPHA * len(family),
            "correlation.tests.min_holm": float(family["p_holm"].min()),
            "correlation.tests.min_bh": float(family["p_bh"].min()),
            "correlation.tests.n_significant_holm": inference.count_below(family["p_holm"], ALPHA),
            "correlation.tests.n_significant_bh": inference.count_below(family["p_bh"], ALPHA),
            "correlation.tests.after_adjustment": inference.surviving_phrase(family, ALPHA),
            "correlation.tests.n_disagree": len(disagreeing),
            "correlation.tests.disagreements": "; ".join(
                f"{r.group} ({MODEL_LABELS[r.model]}): the interval {inference.zero_phrase(r.ci_low, r.ci_high)}, "
                f"wild p = {r.p_wild:.4f}"
                for r in disagreeing.itertuples()
            )
            or "none",
        }
    )
    return values


def family_table(family: pd.DataFrame) -> pd.DataFrame:
    """The table of tests: estimate and interval per 1,000 encounters (Poisson: percent change), the
    cluster p, the wild p with its Monte Carlo SE and reading, and the adjusted p-values."""

    def cell(row) -> str:
        if row.model.startswith("ppml"):
            return interval(*(percent_change(v) for v in (row.coef, row.ci_low, row.ci_high)), digits=1, unit="%")
        return interval(row.coef, row.ci_low, row.ci_high, digits=2)

    return pd.DataFrame(
        {
            "Drug": family["group"],
            "Model": family["model"].map(MODEL_LABELS),
            "Per 1,000 encounters [95% interval]": [
                cell(r) + (" †" if r.disagree else "") for r in family.itertuples()
            ],
            "p cluster": family["p_cluster"].map("{:.3f}".format),
            "p wild (MC SE)": [
                f"{r.p_wild:.4f} ({r.p_wild_se:.4f})" + (" ‡" if r.reading == "borderline" else "")
                for r in family.itertuples()
            ],
            "p Holm": family["p_holm"].map("{:.2f}".format),
            "p BH": family["p_bh"].map("{:.2f}".format),
        }
    )


def family_data(family: pd.DataFrame) -> pd.DataFrame:
    """The table of tests as its download holds it, unrounded: drug, model (key and words), estimate and
    interval in the model's own units, for Poisson models also as percent changes, the p-values and
    readings."""
    poisson = family["model"].str.startswith("ppml")
    data = pd.DataFrame(
        {
            "drug": family["group"],
            "model": family["model"],
            "model_label": family["model"].map(MODEL_LABELS),
            "coef": family["coef"],
            "ci_low": family["ci_low"],
            "ci_high": family["ci_high"],
        }
    )
    for column in ("coef", "ci_low", "ci_high"):
        data[f"{column}_percent"] = family[column].map(percent_change).where(poisson)
    for column in ("p_cluster", "p_wild", "p_wild_se", "reading", "disagree", "p_holm", "p_bh"):
        data[column] = family[column]
    return data


def family_markdown(family: pd.DataFrame) -> Markdown:
    """The table of tests (``family_table``) with its unrounded data (``family_data``) as CSV."""
    return markdown_table(
        family_table(family),
        widths=[14, 20, 26, 9, 13, 9, 9],
        download=Download(
            "correlation-tests",
            "one test of seizures on Border Patrol encounters, per drug and model: estimate, 95% interval, "
            "cluster and wild bootstrap p-values, adjusted p-values",
            "coef, ci_low, ci_high: pounds or seizure events per 1,000 encounters (linear and first-differences "
            "models) or log points (Poisson); *_percent: percent change per 1,000 encounters (Poisson only); "
            "p-values: 0-1",
            "DHS OHSS USBP encounters by sector; CBP Nationwide Drug Seizures (USBP, by sector); the book's models",
        ),
        data=family_data(family),
    )


def title42_numbers(name: str, estimate: Estimate) -> dict:
    """A split-sample fentanyl estimate (``name``: 'title42' or 'other')."""
    key = f"correlation.fentanyl.{name}"
    return {
        f"{key}.coef": estimate.coef,
        f"{key}.ci_low": estimate.ci_low,
        f"{key}.ci_high": estimate.ci_high,
        f"{key}.p_wild": estimate.p_wild,
        f"{key}.p_wild_se": estimate.p_wild_se,
        f"{key}.n": estimate.n_obs,
        f"{key}.zero": inference.zero_phrase(estimate.ci_low, estimate.ci_high),
    }


def national_numbers(national: pd.DataFrame, correlation) -> dict:
    """National monthly series (columns encounters, pounds_ofo, pounds_usbp, in time order): each
    fentanyl series' correlation with encounters in levels and in changes from the same month a year
    earlier, each series' correlation with time itself (a shared trend makes levels correlate), and
    the Border Patrol's share of the fentanyl weight the two seized over these months.
    ``correlation`` is ``fixed_effects.correlation``."""

    def r(x: pd.Series, y: pd.Series) -> float:
        return correlation(x.to_numpy(float), y.to_numpy(float))[0]

    yearly = national[["encounters", "pounds_ofo", "pounds_usbp"]].diff(12).dropna()
    position = pd.Series(np.arange(len(national), dtype=float))
    return {
        "correlation.national.fentanyl_ofo.r_levels": r(national["encounters"], national["pounds_ofo"]),
        "correlation.national.fentanyl_usbp.r_levels": r(national["encounters"], national["pounds_usbp"]),
        "correlation.national.fentanyl_ofo.r_changes": r(yearly["encounters"], yearly["pounds_ofo"]),
        "correlation.national.fentanyl_usbp.r_changes": r(yearly["encounters"], yearly["pounds_usbp"]),
        "correlation.national.encounters.r_time": r(position, national["encounters"]),
        "correlation.national.fentanyl_ofo.r_time": r(position, national["pounds_ofo"]),
        "correlation.national.fentanyl_usbp.r_time": r(position, national["pounds_usbp"]),
        "correlation.national.fentanyl_usbp.weight_share": float(
            national["pounds_usbp"].sum() / (national["pounds_ofo"].sum() + national["pounds_usbp"].sum())
        ),
    }


def run_models(data: pd.DataFrame, drug: str, draws: int, seed: int = 20261122) -> dict[str, Estimate]:
    """The chapter's five models of one drug's seizures on encounters (per 1,000), keyed as ``MODEL_LABELS``,
    each with a wild bootstrap of ``draws`` draws from ``seed``."""
    pounds, events = f"pounds_{drug.lower()}", f"events_{drug.lower()}"
    options = {"draws": draws, "seed": seed}
    return {
        "twfe": fixed_effects.twfe(data, pounds, "encounters_k", **options),
        "ppml_pounds": fixed_effects.ppml(data, pounds, "encounters_k", **options),
        "twfe_events": fixed_effects.twfe(data, events, "encounters_k", **options),
        "ppml_events": fixed_effects.ppml(data, events, "encounters_k", **options),
        "fd": fixed_effects.first_differences(data, pounds, "encounters_k", **options),
    }


def drug_numbers(data: pd.DataFrame, drug: str, models: dict[str, Estimate]) -> dict:
    """One drug's keys: the raw and the within (sector and month effects removed) correlation of its
    pounds with encounters, and every model's estimate (``estimate_numbers``)."""
    pounds = f"pounds_{drug.lower()}"
    values = {
        f"correlation.{drug.lower()}.raw_r": fixed_effects.correlation(
            data["encounters_k"].to_numpy(float), data[pounds].to_numpy(float)
        )[0],
        f"correlation.{drug.lower()}.within_r": fixed_effects.correlation(
            fixed_effects.within(data, "encounters_k"), fixed_effects.within(data, pounds)
        )[0],
    }
    for model, estimate in models.items():
        values.update(estimate_numbers(drug, model, estimate))
    return values
