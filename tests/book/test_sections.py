"""The state-panel and correlation chapters' section functions: words chosen from numbers, keys, tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.book import tables
from analysis.book.sections import correlation as correlation_sections
from analysis.book.sections import state_panel as sections
from analysis.models import fixed_effects, state_checks


def estimates(rows: dict[str, tuple[float, float, float]], years: str = "1990-2008") -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "key": key,
                "label": key,
                "coef": c,
                "ci_low": low,
                "ci_high": high,
                "years": years,
                "first_year": int(years[:4]),
            }
            for key, (c, low, high) in rows.items()
        ]
    )


# --- one interval formatter and one estimates table ---


def test_interval_formats_signs_and_picks_decimals_by_size():
    assert tables.interval(-37.9, -60.23, -15.57) == "-37.9 [-60.2, -15.6]"
    assert tables.interval(0.133, -0.508, 0.7745) == "+0.13 [-0.51, +0.77]"
    assert tables.interval(-0.0559, -0.12, 0.008, digits=3) == "-0.056 [-0.120, +0.008]"
    assert tables.interval(4.1, -1.0, 9.5, digits=1, unit="%") == "+4.1% [-1.0, +9.5]"


def test_estimates_table_sets_columns_side_by_side_and_marks_other_years():
    first = estimates({"twfe": (-37.9, -60.2, -15.6), "lead": (12.3, -26.4, 51.0)})
    first.loc[1, "years"] = "1990-2007"
    second = estimates({"twfe": (0.13, -0.51, 0.77)}, "2000-2014")
    table = tables.estimates_table({"A": first, "B": second}, {"twfe": "Main", "lead": "Lead"})
    assert table.to_dict("list") == {
        "Specification": ["Main", "Lead"],
        "A": ["-37.9 [-60.2, -15.6]", "+12.3 [-26.4, +51.0] (years 1990-2007)"],
        "B": ["+0.13 [-0.51, +0.77]", ""],
    }


# --- the state chapter's short answer: every direction word from the numbers ---


@pytest.mark.parametrize(
    "low, high, word", [(1.0, 2.0, "more"), (-2.0, -1.0, "fewer"), (-1.0, 1.0, "no clear difference in")]
)
def test_direction_word(low, high, word):
    assert sections.direction_word(low, high) == word


def periods(from_2000: tuple, coverage: tuple) -> pd.DataFrame:
    frame = estimates({"full": (-37.9, -60.2, -15.6), "from_2000": from_2000, "coverage_90": coverage})
    frame.loc[1, "first_year"] = 2000
    return frame


def test_fragility_phrase_follows_the_later_start_and_complete_coverage():
    assert (
        sections.fragility_phrase(periods((-10.3, -44.3, 23.8), (-28.0, -58.7, 2.7)), "from_2000", "coverage_90")
        == "rests on the 1990s and weakens with complete reporting"
    )
    assert (
        sections.fragility_phrase(periods((-30.0, -50.0, -10.0), (-28.0, -50.0, -2.0)), "from_2000", "coverage_90")
        == "holds from 2000 and holds with complete reporting"
    )
    # an interval on the other side of zero does not "hold" the association either
    assert (
        sections.fragility_phrase(periods((20.0, 5.0, 40.0), (-28.0, -50.0, -2.0)), "from_2000", "coverage_90")
        == "rests on the 1990s and holds with complete reporting"
    )


def test_trend_sentence_names_the_reason_from_lambda_and_the_bound():
    assert sections.trend_sentence(25.4, 23.7, -1.75).startswith(
        "Once each state's own trend is removed, too little reliable"
    )
    assert sections.trend_sentence(25.4, 23.7, 0.4).endswith("the data cannot rule out an increase")
    assert "still rule out" in sections.trend_sentence(20.0, 23.7, -1.75)


def knife_edge_inputs(loo_flips: int, cut_flips: list[float], convention_flips: int):
    loo = pd.DataFrame(
        {
            "omitted": [f"S{i}" for i in range(10)],
            "upper_state_trends": np.linspace(15, 30, 10),
            "verdict": ["supported"] * loo_flips + ["inconclusive"] * (10 - loo_flips),
        }
    )
    sweep = pd.DataFrame(
        {
            "cutoff": [50.0, 80.0, 90.0],
            "n_obs": [400, 330, 280],
            "upper_state_trends": [25.0, 22.0, 24.0],
            "verdict": ["supported" if c in cut_flips else "inconclusive" for c in (50.0, 80.0, 90.0)],
        }
    )
    keys = ["declared", "fixest", "cr2", "cr2_bm", "tost90", "study_threshold"]
    verdicts = (
        ["inconclusive"]
        + ["supported"] * convention_flips
        + ["inconclusive"] * (4 - convention_flips)
        + ["inconclusive"]
    )
    sensitivity = pd.DataFrame(
        {"key": keys, "convention": keys, "verdict": verdicts, "threshold": 23.7, "upper_state_trends": 25.0}
    )
    return loo, sweep, sensitivity


def test_turns_sentence_lists_what_flips_the_verdict():
    loo, sweep, sensitivity = knife_edge_inputs(2, [80.0], 3)
    assert sections.turns_sentence("inconclusive", loo, sweep, sensitivity) == (
        "Leaving out any one of 2 of the 10 states, a coverage cut-off of 80%, or 3 of the 4 other error conventions "
        'would read "supported".'
    )
    steady = knife_edge_inputs(0, [], 0)
    assert (
        sections.turns_sentence("inconclusive", *steady)
        == "No single state, coverage cut-off or error convention shown here changes it."
    )


def test_short_answer_words():
    drug = estimates(
        {
            "twfe": (-37.9, -60.2, -15.6),
            "weighted": (-22.2, -53.8, 9.3),
            "lead": (12.3, 1.0, 51.0),
            "state_trends": (-12.4, -50.3, 25.4),
            "division_years": (-43.6, -71.7, -15.5),
        }
    )
    loo, sweep, sensitivity = knife_edge_inputs(6, [80.0], 3)
    comparison = pd.DataFrame({"outcome": ["drug overdose deaths per 100000"] * 2, "reading": ["excludes", "excludes"]})
    answer = sections.short_answer(
        "inconclusive",
        drug,
        periods((-10.3, -44.3, 23.8), (-28.0, -58.7, 2.7)),
        -1.75,
        23.7,
        loo,
        sweep,
        sensitivity,
        comparison,
        later_start=2000,
        complete_coverage=90.0,
    )
    assert answer["state_panel.answer.verdict"] == "Inconclusive, on a knife-edge"
    # the lead lies above zero but is a falsification check, not an estimate of the association
    assert answer["state_panel.answer.arrests"] == "No estimate shows more drug arrests where undocumented shares rose."
    assert answer["state_panel.answer.main_direction"] == "fewer"
    assert answer["state_panel.answer.overdose"] == "The study's reported drop in overdose deaths is not reproduced."
    shown = sections.short_answer(
        "inconclusive",
        drug.assign(ci_low=drug["ci_low"].where(drug["key"] != "weighted", 1.0)),
        periods((-10.3, -44.3, 23.8), (-28.0, -58.7, 2.7)),
        -1.75,
        23.7,
        *knife_edge_inputs(0, [], 0),
        comparison.assign(reading="contains"),
        later_start=2000,
        complete_coverage=90.0,
    )
    assert shown["state_panel.answer.arrests"].startswith("1 of 4 estimates show more")
    assert shown["state_panel.answer.verdict"] == "Inconclusive"
    assert shown["state_panel.answer.overdose"].endswith("lies within this book's interval.")


def reliability(ratio: float) -> state_checks.Reliability:
    return state_checks.Reliability("x", 0.1, 0.26, 0.8, ratio, 100, 100)


def test_why_sentence_names_the_bound_above_and_its_reliability():
    declared = pd.Series(
        {"threshold": 23.7, "upper_twfe": -15.6, "upper_state_trends": 25.4, "upper_division_years": -15.5}
    )
    assert sections.why_sentence(
        declared, {"twfe": reliability(0.3), "state_trends": reliability(-1.75), "division_years": reliability(0.27)}
    ) == (
        "The upper bound above the threshold comes from the state trends model, whose share varies no more than "
        "sampling noise would make it."
    )
    assert (
        sections.why_sentence(declared.replace(25.4, 20.0), {})
        == "Every decisive upper bound lies below the threshold."
    )


def test_lag_sentence():
    rows = estimates({"lag_current": (-6.9, -40.7, 26.9), "lag_previous": (-27.5, -53.3, -1.6)})
    assert sections.lag_sentence(rows).startswith("the association moves to the previous period's share")
    swapped = estimates({"lag_current": (-27.5, -53.3, -1.6), "lag_previous": (-6.9, -40.7, 26.9)})
    assert sections.lag_sentence(swapped) == "the association stays with the current share"


def test_overdose_sentence_reads_reliability_sign_and_leads():
    comparison = pd.DataFrame(
        {
            "outcome": ["drug overdose deaths per 100000"] * 2,
            "reading": ["excludes", "excludes"],
            "same_sign": [False, False],
            "book_significant": [False, True],
            "source": ["Pew", "CMS"],
        }
    )
    text = sections.overdose_sentence(comparison, -0.02, {"a": "fails", "b": "fails", "c": "passes"})
    assert text.startswith(
        "For overdose deaths the difference is a failure to reproduce, not a refutation: the share's "
        "within-state variation there is no larger than sampling noise (lambda -0.02)."
    )
    assert "With CMS shares the main interval lies on the opposite side of zero" in text
    assert text.endswith(
        'In 2 of 3 Pew overdose windows the next period\'s share already "predicts" deaths, so those '
        "estimates mix in trends that differ between states."
    )


def test_table_69_numbers_name_the_years_and_the_gap():
    frame = pd.DataFrame(
        {"arrest_source": ["FBI Table 69"] * 4 + ["UCR county files (ICPSR)"], "year": [2009, 2010, 2012, 2012, 2008]}
    )
    assert sections.table_69_numbers(frame, "FBI Table 69") == {
        "state_panel.t69.first_year": 2009,
        "state_panel.t69.last_year": 2012,
        "state_panel.t69.years": "2009-2012 except 2011",
        "state_panel.t69.n_years": 3,
    }


def test_deaths_totals_add_final_then_provisional_and_say_so():
    national = pd.DataFrame(
        {"year": [1999, 2000, 2001], "deaths": [100.0, 200.0, 300.0], "provisional": [False, False, True]}
    )
    totals = sections.deaths_totals(national)
    assert (
        totals["overdose.deaths.cumulative_since_1999"] == 600.0 and totals["overdose.deaths.cumulative_final"] == 300.0
    )
    assert totals["overdose.deaths.final_last_year"] == 2000 and totals["overdose.deaths.last_year_deaths"] == 300.0
    assert totals["overdose.deaths.cumulative_label"].startswith(
        "final NCHS 1999-2000 (by residence) + CDC VSRR provisional 2001-2001"
    )


def test_window_numbers_keep_the_break_rows_and_their_readings():
    windows = pd.DataFrame(
        [
            {
                "window": "1990-2014",
                "verdict": "inconclusive",
                "n_obs": 694,
                "twfe_coef": -35.2,
                "twfe_ci_low": -61.1,
                "twfe_ci_high": -9.4,
                "break_coef": 5.2,
                "break_ci_low": -21.7,
                "break_ci_high": 32.0,
            }
        ]
    )
    values = sections.window_numbers(windows)
    assert values["state_panel.windows.1990_2014.twfe.reading"] == "lies below zero"
    assert values["state_panel.windows.1990_2014.break.reading"] == "includes zero"
    assert "state_panel.windows.1990_2014.state_trends.coef" not in values


# --- the correlation chapter ---


def estimate(coef, low, high, p_wild=0.3, p_wild_se=0.001) -> fixed_effects.Estimate:
    return fixed_effects.Estimate(
        coef=coef,
        se=0.3,
        ci_low=low,
        ci_high=high,
        p=0.2,
        df=8,
        n_obs=666,
        n_clusters=9,
        p_wild=p_wild,
        p_wild_se=p_wild_se,
        draws=99999,
    )


def test_correlation_headline_words_and_scale():
    values = correlation_sections.headline(estimate(0.39, -0.29, 1.07), within_sd=9125.0, mean_pounds=15.6)
    assert values["correlation.answer.title"] == "No detectable link; a sizable one not ruled out"
    assert values["correlation.scale.upper_effect"] == pytest.approx(1.07 * 9.125)
    assert values["correlation.scale.upper_share_of_mean"] == pytest.approx(1.07 * 9.125 / 15.6)
    small = correlation_sections.headline(estimate(0.01, -0.02, 0.03), within_sd=9125.0, mean_pounds=15.6)
    assert small["correlation.answer.title"] == "No detectable link; a sizable one ruled out"
    assert (
        correlation_sections.headline(estimate(0.9, 0.2, 1.6), 9125.0, 15.6)["correlation.answer.title"]
        == "A detectable link"
    )


def test_correlation_family_counts_borderline_p_values_apart():
    from analysis.models import inference

    family = inference.scan_family(
        {
            ("Methamphetamine", "twfe"): estimate(-0.4, -0.8, -0.02, 0.0326, 0.0006),
            ("Marijuana", "ppml_events"): estimate(-0.013, -0.029, 0.003, 0.0508, 0.0007),
            ("Fentanyl", "twfe"): estimate(0.39, -0.29, 1.07, 0.305, 0.0015),
        }
    )
    values = correlation_sections.family_numbers(family, ["Fentanyl", "Methamphetamine", "Marijuana"])
    assert (values["correlation.tests.n_significant"], values["correlation.tests.n_borderline"]) == (1, 1)
    assert values["correlation.tests.borderline"] == "Marijuana (Poisson, events, negative, p = 0.0508 +/- 0.0007)"
    assert values["correlation.significant_associations"].startswith("Methamphetamine (linear, pounds, negative")
    table = correlation_sections.family_table(family)
    assert table.loc[1, "p wild (MC SE)"] == "0.0508 (0.0007) ‡"
    assert table.loc[1, "Per 1,000 encounters [95% interval]"] == "-1.3% [-2.9, +0.3]"


def test_parameters_read_as_text_not_python_literals():
    from analysis.book.show import parameter_text

    assert parameter_text(["Fentanyl", "Methamphetamine"]) == "Fentanyl, Methamphetamine"
    assert parameter_text(None) == "none" and parameter_text(99999) == "99,999" and parameter_text(50.0) == "50.0"
    assert parameter_text("2018-10-01") == "2018-10-01" and parameter_text([]) == "none"


def test_comparison_reading_says_whether_sign_and_significance_replicate():
    published = pd.DataFrame(
        {
            "significance": ["negative and significant"] * 3,
            "source_kind": "secondary",
            "source_title": ["Reuters: x"] * 3,
        },
        index=["a", "b", "c"],
    )
    comparison = pd.DataFrame(
        {
            "id": ["a", "b", "c"],
            "outcome": ["drug arrests per 100000"] * 3,
            "source": "Pew",
            "study": [-22.0, -42.0, -1.0],
            "coef": [-37.9, -29.3, 1.35],
            "ci_low": [-60.2, -58.7, 0.14],
            "ci_high": [-15.6, 0.1, 2.56],
            "years": "1990-2008",
            "reading": ["contains", "contains", "excludes"],
            "same_sign": [True, True, False],
            "book_significant": [True, False, True],
        }
    )
    readings = sections.comparison_table(comparison, published)["Reading"].tolist()
    assert readings == [
        "contains the study's -22: sign and significance replicate",
        "contains the study's -42: same sign; significance does not replicate (this book's interval includes zero)",
        "excludes the study's -1: not reproduced (opposite sign, and this book's interval excludes zero)",
    ]
