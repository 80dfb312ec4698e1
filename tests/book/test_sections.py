"""The state-panel and correlation chapters' section functions: words chosen from numbers, keys, tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.book import tables
from analysis.book.sections import correlation as correlation_sections
from analysis.book.sections import state_panel as sections
from analysis.models import fixed_effects, state_checks, state_models
from tests.helpers import synthetic


def estimates(rows: dict[str, tuple[float, float, float]], years: str = "1990-2008") -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "key": key,
                "label": key,
                "coef": c,
                "se": (high - low) / 4,
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


def test_trend_sentence_names_the_reason_from_the_bound_and_the_precision():
    # the bound above the threshold, the estimate less precise than the main one: imprecision is the reason
    assert sections.trend_sentence(25.4, 23.7, 18.8, 11.1) == (
        "With state trends, the estimate is too imprecise to exclude an increase"
    )
    assert sections.trend_sentence(25.4, 23.7, 9.0, 11.1) == "With state trends, the data cannot rule out an increase"
    assert sections.trend_sentence(20.0, 23.7, 18.8, 11.1) == (
        "With state trends, the data still rule out an increase of that size"
    )


def knife_edge_inputs(loo_flips: int, cut_flips: list[float], error_flips: int, level_flips: bool = False):
    loo = pd.DataFrame(
        {
            "omitted": [f"S{i}" for i in range(10)],
            "upper_twfe": -15.0,
            "upper_state_trends": np.linspace(15, 30, 10),
            "upper_division_years": -15.0,
            "verdict": ["supported"] * loo_flips + ["inconclusive"] * (10 - loo_flips),
        }
    )
    sweep = pd.DataFrame(
        {
            "cutoff": [50.0, 80.0, 90.0],
            "n_obs": [400, 330, 280],
            "upper_twfe": [-15.0, -14.0, 2.7],
            "upper_state_trends": [25.0, 22.0, 23.71],
            "upper_division_years": [-15.0, -14.0, 7.8],
            "verdict": ["supported" if c in cut_flips else "inconclusive" for c in (50.0, 80.0, 90.0)],
        }
    )
    keys = ["declared", "fixest", "cr2", "cr2_bm", "tost90", "study_threshold"]
    kinds = ["declared", "errors", "errors", "errors", "level", "threshold"]
    verdicts = (
        ["inconclusive"]
        + ["supported"] * error_flips
        + ["inconclusive"] * (3 - error_flips)
        + ["supported" if level_flips else "inconclusive"]
        + ["inconclusive"]
    )
    sensitivity = pd.DataFrame(
        {
            "key": keys,
            "convention": keys,
            "kind": kinds,
            "verdict": verdicts,
            "threshold": 23.65,
            "upper_twfe": -15.6,
            "upper_state_trends": 25.0,
            "upper_division_years": -15.5,
        }
    )
    return loo, sweep, sensitivity


def test_turns_sentence_lists_what_flips_the_verdict_and_keeps_errors_apart_from_the_level():
    assert sections.turns_sentence("inconclusive", *knife_edge_inputs(2, [80.0], 2, True)) == (
        "Dropping one of 2 states, an 80% coverage cut-off, 2 of 3 other standard errors or a 5% test would count "
        "the document's claim as supported."
    )
    assert sections.turns_sentence("inconclusive", *knife_edge_inputs(0, [50.0, 90.0], 0)) == (
        "A 50% or 90% coverage cut-off would count the document's claim as supported."
    )
    assert sections.turns_sentence("inconclusive", *knife_edge_inputs(0, [], 0, True)) == (
        "A 5% test would count the document's claim as supported."
    )
    assert (
        sections.turns_sentence("inconclusive", *knife_edge_inputs(0, [], 0))
        == "No single state, coverage cut-off, standard error or test level shown here changes it."
    )


@pytest.mark.parametrize("number, word", [(80.0, "an"), (85.0, "an"), (70.0, "a"), (11.0, "an"), (50.0, "a")])
def test_article_follows_the_number_read_aloud(number, word):
    assert sections.article(number) == word


def test_near_threshold_and_the_other_bounds_are_read_from_every_row():
    loo, sweep, sensitivity = knife_edge_inputs(0, [], 0)
    assert sections.near_threshold(sensitivity, loo, sweep, 23.65) == (
        "the coverage cut-off of 90% (+23.71 against +23.65)"
    )
    assert sections.others_sentence(sensitivity, loo, sweep) == (
        "The main and division-by-year upper bounds stay below zero in every row but 1 of the 18: "
        "the coverage cut-off of 90% (+2.7 and +7.8)."
    )
    below = sweep.assign(upper_twfe=-1.0, upper_division_years=-1.0)
    assert sections.others_sentence(sensitivity, loo, below) == (
        "The main and division-by-year upper bounds stay below zero in every row."
    )
    assert sections.near_threshold(sensitivity, loo, below.assign(upper_state_trends=30.0), 23.65) == "none"


def window_row(coefs: dict[str, tuple[float, float, float]]) -> pd.Series:
    return pd.Series(
        {
            f"{key}_{field}": value
            for key, c in coefs.items()
            for field, value in zip(("coef", "ci_low", "ci_high"), c, strict=True)
        }
    )


def test_later_sentence_reads_signs_and_intervals_for_each_outcome():
    drug = window_row(
        {"twfe": (51.8, -26.0, 129.6), "state_trends": (20.9, -17.6, 59.4), "division_years": (78.3, -4.2, 160.8)}
    )
    dui = window_row(
        {"twfe": (49.5, 17.4, 81.7), "state_trends": (21.5, -35.2, 78.1), "division_years": (37.5, -10.1, 85.0)}
    )
    negative = {"drug-arrest": -37.9, "DUI": -29.3}
    assert sections.later_sentence({"drug-arrest": drug, "DUI": dui}, negative, "2009-2019") == (
        "In 2009-2019 the estimates turn positive: every drug-arrest interval includes zero; the main DUI interval "
        "lies above zero."
    )
    # already positive before: they do not "turn"; two intervals above zero are listed together
    both = dui.copy()
    both["division_years_ci_low"] = 1.0
    assert sections.later_sentence({"DUI": both}, {"DUI": 5.0}, "2009-2019") == (
        "In 2009-2019 the estimates are all positive: the main and division-by-year DUI intervals lie above zero."
    )
    # mixed signs, and an interval below zero
    mixed = drug.copy()
    mixed[["state_trends_coef", "state_trends_ci_low", "state_trends_ci_high"]] = (-30.0, -50.0, -10.0)
    assert sections.later_sentence({"drug-arrest": mixed, "DUI": dui}, negative, "2009-2019") == (
        "In 2009-2019 the drug-arrest point estimates are of mixed sign; the DUI point estimates are all positive: "
        "the state-trends drug-arrest interval lies below zero; the main DUI interval lies above zero."
    )


def overdose_mains(rows: list[tuple[float, float, float, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["coef", "ci_low", "ci_high", "lead"])


def test_overdose_answer_adds_the_direction_of_the_estimates_that_exclude_zero():
    comparison = pd.DataFrame({"outcome": ["drug overdose deaths per 100000"] * 2, "reading": ["excludes"] * 2})
    base = "The study's reported drop in overdose deaths is not reproduced."
    mains = overdose_mains(
        [(0.13, -0.51, 0.77, "fails"), (1.64, 0.39, 2.88, "fails"), (1.35, 0.14, 2.56, "uninformative")]
    )
    assert sections.overdose_answer(comparison, mains) == (
        "The study's reported drop in overdose deaths is not reproduced: overdose estimates excluding zero show "
        "increases, none passing its lead check."
    )
    assert sections.overdose_answer(comparison, mains.iloc[:1]) == base  # nothing excludes zero: nothing to add
    falling = overdose_mains([(-1.2, -2.0, -0.4, "passes"), (-0.8, -1.5, -0.1, "passes")])
    assert sections.overdose_answer(comparison, falling).endswith("show decreases, all passing their lead checks.")
    both = overdose_mains([(-1.2, -2.0, -0.4, "passes"), (0.8, 0.1, 1.5, "fails")])
    assert sections.overdose_answer(comparison, both).endswith(
        "show increases and decreases, not all passing their lead checks."
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
    comparison = pd.DataFrame({"outcome": ["drug overdose deaths per 100000"] * 2, "reading": ["excludes", "excludes"]})
    later = (
        {"drug-arrest": window_row({key: (10.0, -5.0, 25.0) for key in ("twfe", "state_trends", "division_years")})},
        {"drug-arrest": -37.9},
        "2009-2019",
    )
    mains = overdose_mains([(0.13, -0.51, 0.77, "fails")])
    answer = sections.short_answer(
        "inconclusive",
        drug,
        periods((-10.3, -44.3, 23.8), (-28.0, -58.7, 2.7)),
        23.7,
        knife_edge_inputs(6, [80.0], 2, True),
        comparison,
        later,
        mains,
        later_start=2000,
        complete_coverage=90.0,
    )
    assert answer["state_panel.answer.verdict"] == "Inconclusive, on a knife-edge"
    # the lead lies above zero but is a falsification check, not an estimate of the association
    assert answer["state_panel.answer.arrests"] == "No 1990-2008 drug-arrest interval lies above zero."
    # the deciding number comes first: the highest decisive upper bound, here the state-trends one, above 23.7
    assert answer["state_panel.answer.decider"] == "with each state's own trend removed"
    assert answer["state_panel.answer.decider_short"] == "state trends"
    assert answer["state_panel.answer.decider_upper"] == 25.4
    assert answer["state_panel.answer.decider_side"] == "above"
    assert answer["state_panel.answer.decider_reading"] == (
        "too high to count the document's claim of no link as supported"
    )
    assert answer["state_panel.answer.later_arrests"] == answer["state_panel.answer.later"]  # drug arrests only
    assert answer["state_panel.answer.dui"] == ""  # no DUI window given
    assert (
        answer["state_panel.answer.overdose_short"] == "The study's reported drop in overdose deaths is not reproduced."
    )
    assert answer["state_panel.answer.main_direction"] == "fewer"
    assert answer["state_panel.answer.trend"].endswith("too imprecise to exclude an increase")
    assert answer["state_panel.answer.later"] == (
        "In 2009-2019 the estimates turn positive: every drug-arrest interval includes zero."
    )
    assert answer["state_panel.answer.overdose"] == "The study's reported drop in overdose deaths is not reproduced."
    shown = sections.short_answer(
        "inconclusive",
        drug.assign(ci_low=drug["ci_low"].where(drug["key"] != "weighted", 1.0)),
        periods((-10.3, -44.3, 23.8), (-28.0, -58.7, 2.7)),
        23.7,
        knife_edge_inputs(0, [], 0),
        comparison.assign(reading="contains"),
        later,
        mains,
        later_start=2000,
        complete_coverage=90.0,
    )
    assert shown["state_panel.answer.arrests"] == "1 of 4 1990-2008 drug-arrest intervals lie above zero."
    assert shown["state_panel.answer.verdict"] == "Inconclusive"
    assert shown["state_panel.answer.overdose"].endswith("lies within this book's interval.")


def reliability(ratio: float, within: float = 0.1) -> state_checks.Reliability:
    """A Reliability with the given lambda: the error variance follows from it and the within variance."""
    return state_checks.Reliability("x", within, (1 - ratio) * within / 0.8, 0.8, ratio, 300, 400)


def test_why_sentence_names_the_bound_above_and_why():
    declared = pd.Series(
        {"threshold": 23.7, "upper_twfe": -15.6, "upper_state_trends": 25.4, "upper_division_years": -15.5}
    )
    drug = estimates({"twfe": (-37.9, -60.2, -15.6), "state_trends": (-12.4, -50.3, 25.4)})
    assert sections.why_sentence(declared, drug) == (
        "The upper bound above the threshold comes from the state-trends model, whose estimate is less precise than "
        "the main model's."
    )
    precise = estimates({"twfe": (-37.9, -80.0, -15.6), "state_trends": (15.0, 4.0, 25.4)})
    assert sections.why_sentence(declared, precise).endswith("whose point estimate lies close enough to the threshold.")
    assert (
        sections.why_sentence(declared.replace(25.4, 20.0), drug)
        == "Every decisive upper bound lies below the threshold."
    )


def test_noise_sentence_and_power_caveat_follow_whether_independence_fails():
    fails = reliability(-1.75, within=0.0715)
    assert fails.independence_fails
    assert sections.noise_sentence(fails).startswith("That is impossible if a state's sampling errors were independent")
    assert sections.noise_sentence(fails).endswith("how much of the variation left is signal cannot be known.")
    chance = reliability(-0.02)
    assert not chance.independence_fails
    assert sections.noise_sentence(chance) == (
        "That is no more than independent errors alone would leave: the variation left may be all noise."
    )
    assert sections.noise_sentence(reliability(0.3)).startswith("The rest, a share lambda of the variation, is signal")
    assert sections.power_caveat(
        {"twfe": reliability(0.3), "state_trends": fails, "division_years": reliability(0.27)}
    ) == (
        "The state-trends model's negative lambda shows that assumption does not hold, so this illustrates what "
        "sampling error can cost; it does not measure it."
    )
    assert sections.power_caveat({key: reliability(0.3) for key in ("twfe", "state_trends", "division_years")}) == ""


@pytest.mark.parametrize(
    "p, error, start",
    [
        (0.010, 0.0003, "below the declared 2.5%"),
        (0.043, 0.0006, "below 5% but not below the declared 2.5%"),
        (0.200, 0.0013, "not below 5%"),
        (0.0495, 0.0007, "too close to a level"),
    ],
)
def test_threshold_test_reading_at_the_declared_and_the_conventional_level(p, error, start):
    assert sections.threshold_test_reading(p, error).startswith(start)


def test_composition_sentence():
    assert sections.composition_sentence(-3236.0, -3.2).startswith("slopes of this size cannot come from who is")
    assert sections.composition_sentence(900.0, 1.5) == "slopes of this size could come from who is arrested alone"


def test_lag_sentence_describes_and_does_not_explain():
    rows = estimates({"lag_current": (-6.9, -40.7, 26.9), "lag_previous": (-27.5, -53.3, -1.6)})
    assert sections.lag_sentence(rows, 0.80) == (
        "the previous period's share takes the association; but the two move together (correlation 0.80 after "
        "state and year effects) and both carry sampling error, so these data cannot say which one matters"
    )
    assert sections.lag_sentence(rows, 0.2) == "the previous period's share takes the association"
    swapped = estimates({"lag_current": (-27.5, -53.3, -1.6), "lag_previous": (-6.9, -40.7, 26.9)})
    assert sections.lag_sentence(swapped, 0.2) == "the current share keeps the association"


def test_overdose_sentence_reads_reliability_sign_and_leads():
    comparison = pd.DataFrame(
        {
            "outcome": ["drug overdose deaths per 100000"] * 2,
            "reading": ["excludes", "excludes"],
            "same_sign": [False, False],
            "book_significant": [False, True],
            "source": ["Pew", "CMS"],
            "window": "declared",
        }
    )
    text = sections.overdose_sentence(comparison, reliability(-0.02), {"a": "fails", "b": "fails", "c": "passes"})
    assert text.startswith(
        "For overdose deaths the difference is a failure to reproduce, not a refutation: the share's within-state "
        "variation there is no larger than the sampling noise Pew's margins imply, so it may be all noise "
        "(lambda -0.02)."
    )
    beyond = sections.overdose_sentence(comparison, reliability(-1.1, within=0.02), {})
    assert "Pew's margins imply more sampling noise than the share's within-state variation there" in beyond
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


def windows_frame(windows: list[str], shift: float = 0.0) -> pd.DataFrame:
    rows = []
    for i, window in enumerate(windows):
        row = {"window": window, "verdict": "inconclusive", "n_obs": 400 + i, "n_states": 50 - i}
        row["states"] = tuple(f"S{j}" for j in range(50 - i))
        for key in ("twfe", "state_trends", "division_years"):
            row |= {f"{key}_coef": -30.0 + shift + i, f"{key}_ci_low": -50.0 + i, f"{key}_ci_high": -10.0 + 20 * i}
            row[f"{key}_reliability"] = reliability(-1.3 if key == "state_trends" else 0.3)
        if window == "1990-2014":
            row |= {"break_coef": 5.2, "break_ci_low": -21.7, "break_ci_high": 32.0}
        rows.append(row)
    return pd.DataFrame(rows)


def test_window_numbers_keep_the_break_rows_lambda_and_their_readings():
    values = sections.window_numbers(windows_frame(["1990-2008", "1990-2014"]))
    assert values["state_panel.windows.1990_2014.twfe.reading"] == "includes zero"
    assert values["state_panel.windows.1990_2008.twfe.reading"] == "lies below zero"
    assert values["state_panel.windows.1990_2014.break.reading"] == "includes zero"
    assert "state_panel.windows.1990_2008.break.coef" not in values
    assert values["state_panel.windows.1990_2014.state_trends.lambda"] == pytest.approx(-1.3)
    assert values["state_panel.windows.1990_2014.n_states"] == 49
    dui = sections.window_numbers(windows_frame(["2009-2019"]), "state_panel.windows.dui")
    assert dui["state_panel.windows.dui.2009_2019.twfe.coef"] == -30.0


def test_window_table_puts_each_outcome_in_its_own_block():
    frame = windows_frame(["1990-2008", "1990-2014"])
    table = sections.window_table({"Drug arrests": frame, "DUI arrests": frame}, "1990-2008")
    assert table.columns.tolist() == ["Specification", "1990-2008 (declared)", "1990-2014"]
    labels = table["Specification"].tolist()
    assert labels.count("Drug arrests:") == 1 and labels.index("DUI arrests:") == len(labels) // 2
    block = table.set_index("Specification").iloc[: len(labels) // 2]
    assert block.loc["Main (state and year effects)", "1990-2014"] == "-29.0 [-49.0, +10.0]"
    assert block.loc["Main, with a level shift per state at the seam", "1990-2008 (declared)"] == ""
    assert block.loc["Lambda: main / trends / division", "1990-2014"] == "0.30 / -1.30 / 0.30"
    assert block.loc["State-years (states)", "1990-2014"] == "401 (49)"
    assert sections.absent_states(frame, "1990-2008", "1990-2014") == "S49"


def test_window_data_download_lambda_as_numbers_led_by_the_outcome():
    frame = windows_frame(["1990-2008", "2009-2019"])
    data = sections.window_data({"drug arrests": frame, "DUI arrests": frame})
    assert data.columns[0] == "outcome" and data["outcome"].tolist() == ["drug arrests"] * 2 + ["DUI arrests"] * 2
    assert data["state_trends_lambda"].tolist() == [-1.3] * 4 and "states" not in data
    assert not any(column.endswith("_reliability") for column in data.columns)


def test_seam_numbers_name_the_largest_moves():
    seam = state_checks.SeamChange(
        (2008, 2009), 0.005, 0.155, 0.132, 22, 47, pd.Series({"Massachusetts": -0.52, "New York": -0.46})
    )
    values = sections.seam_numbers({"drug_arrests": seam})
    assert values["state_panel.seam.drug_arrests.largest"] == "Massachusetts -0.52 and New York -0.46"
    assert values["state_panel.seam.drug_arrests.comparison"] == "wider than"
    assert values["state_panel.seam.drug_arrests.years"] == "2008-2009"


def test_inference_table_marks_borderline_rows_as_the_correlation_chapter_does():
    results = {
        "a": estimates({"twfe": (-29.3, -58.7, 0.06), "lead": (1.0, -1.0, 3.0)}),
        "b": estimates({"twfe": (-37.9, -60.2, -15.6), "lead": (1.0, -1.0, 3.0)}),
    }
    for table in results.values():
        table["n_obs"], table["n_states"] = 414, 50
    loo = pd.DataFrame({"coef": [-30.0, -25.0]})
    checks = {
        "a": {"wild": (0.0365, 0.0006), "loo": loo, "lead": "uninformative"},
        "b": {"wild": (0.0495, 0.0007), "loo": loo, "lead": "passes"},
    }
    decisions = {key: state_models.Decision("inconclusive", "", 1.0, 1.0) for key in results}
    analyses = {"a": synthetic.SYNTHETIC, "b": synthetic.SYNTHETIC}
    table = sections.inference_table(results, checks, decisions, analyses)
    assert table["Main estimate [95% interval]"].tolist() == ["-29.3 [-58.7, +0.1] †", "-37.9 [-60.2, -15.6]"]
    assert table["Wild bootstrap p (MC SE)"].tolist() == ["0.0365 (0.0006)", "0.0495 (0.0007) ‡"]
    marks = sections.dagger_numbers(results, checks, analyses)
    assert (marks["state_panel.inference.n_disagree"], marks["state_panel.inference.n_borderline"]) == (1, 1)


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
    assert values["correlation.answer.title"] == "No detectable link"
    assert (values["correlation.answer.direction"], values["correlation.answer.size"]) == ("more", 0.39)
    assert values["correlation.scale.upper_effect"] == pytest.approx(1.07 * 9.125)
    assert values["correlation.scale.upper_share_of_mean"] == pytest.approx(1.07 * 9.125 / 15.6)
    falling = correlation_sections.headline(estimate(-0.5, -1.2, -0.1), within_sd=9125.0, mean_pounds=15.6)
    assert falling["correlation.answer.title"] == "A detectable negative link"
    assert (falling["correlation.answer.direction"], falling["correlation.answer.size"]) == ("less", 0.5)
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
    assert values["correlation.tests.significant_short"] == "methamphetamine: negative; linear, pounds"
    table = correlation_sections.family_table(family)
    assert table.loc[1, "p wild (MC SE)"] == "0.0508 (0.0007) ‡"
    assert table.loc[1, "Per 1,000 encounters [95% interval]"] == "-1.3% [-2.9, +0.3]"


def test_parameters_read_as_text_not_python_literals():
    from analysis.book.show import parameter_text

    assert parameter_text(["Fentanyl", "Methamphetamine"]) == "Fentanyl, Methamphetamine"
    assert parameter_text(None) == "none" and parameter_text(99999) == "99,999" and parameter_text(50.0) == "50.0"
    assert parameter_text("2018-10-01") == "2018-10-01" and parameter_text([]) == "none"
    assert parameter_text(2019, "first_fy") == "2019" and parameter_text(2025, "start_year") == "2025"  # years
    assert parameter_text(12345, "years_to_target") == "12,345" and parameter_text(2019, "draws") == "2,019"


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
            "id": ["a", "b", "c", "a", "b"],
            "outcome": ["drug arrests per 100000"] * 5,
            "source": "Pew",
            "study": [-22.0, -42.0, -1.0, -22.0, -42.0],
            "coef": [-37.9, -29.3, 1.35, -35.2, -21.4],
            "ci_low": [-60.2, -58.7, 0.14, -61.1, -51.8],
            "ci_high": [-15.6, 0.06, 2.56, -9.4, 9.0],
            "years": ["1990-2008", "1990-2008", "2010-2014", "1990-2014", "1990-2014"],
            "reading": ["contains", "contains", "excludes", "contains", "contains"],
            "same_sign": [True, True, False, True, True],
            "book_significant": [True, False, True, True, False],
            "p_wild": [0.0035, 0.0365, 0.0198, 0.0163, 0.1496],
            "p_wild_se": [0.0002, 0.0006, 0.0004, 0.0004, 0.0011],
            "borderline": [False, True, False, False, False],
            "window": ["declared", "declared", "declared", "study", "study"],
        }
    )
    table = sections.comparison_table(comparison, published, "1990-2014")
    assert table["This book, 1990-2014"].tolist() == ["-35.2 [-61.1, -9.4]", "-21.4 [-51.8, +9.0]", "same as declared"]
    assert table["Reading"].tolist() == [
        "1990-2008: contains the study's -22: sign and significance replicate; 1990-2014: the same",
        "1990-2008: contains the study's -42: same sign; significance borderline (the interval includes zero, wild "
        "p = 0.0365 ± 0.0006); 1990-2014: contains the study's -42: same sign; significance does not replicate "
        "(this book's interval includes zero)",
        "2010-2014: excludes the study's -1: not reproduced (opposite sign, and this book's interval excludes zero)",
    ]
    earlier = comparison.iloc[[2]].assign(years="2000-2010")  # ends before the study's last year, no longer row
    assert sections.comparison_table(earlier, published, "1990-2014")["This book, 1990-2014"].tolist() == [""]


def test_decider_is_the_highest_decisive_upper_bound_and_its_side_of_the_threshold():
    drug = estimates(
        {"twfe": (-37.9, -60.2, -15.6), "state_trends": (-12.4, -50.3, 20.1), "division_years": (-3.6, -31.7, 21.5)}
    )
    below = sections.decider_numbers(drug, 23.7)
    assert below == {
        "state_panel.answer.decider": "with year effects per Census division",
        "state_panel.answer.decider_short": "division-year effects",
        "state_panel.answer.decider_upper": 21.5,
        "state_panel.answer.decider_side": "below",
        "state_panel.answer.decider_reading": "so a rise that size is ruled out",
    }
    assert sections.decider_numbers(drug, 21.5)["state_panel.answer.decider_side"] == "above"  # at it: not below


def test_dui_sentence_reads_the_main_interval_in_plain_words():
    rose = window_row({"twfe": (49.5, 17.4, 81.7)})
    assert sections.dui_sentence(rose, "2009-2019") == (
        "In the main model, drunk-driving (DUI) arrests rose with the share in 2009-2019"
    )
    fell = window_row({"twfe": (-49.5, -81.7, -17.4)})
    assert sections.dui_sentence(fell, "2009-2019").endswith("arrests fell with the share in 2009-2019")
    across = window_row({"twfe": (9.5, -17.4, 31.7)})
    assert sections.dui_sentence(across, "2009-2019").endswith(
        "arrests showed no clear change with the share in 2009-2019"
    )


def test_correlation_national_numbers_give_the_border_patrol_share_of_the_weight():
    national = pd.DataFrame(
        {
            "encounters": np.arange(24.0) ** 2 % 7,
            "pounds_ofo": 7.0 + np.arange(24) % 5,  # sums to 214
            "pounds_usbp": 1.0 + 3 * np.arange(24) % 5,  # sums to 72
        }
    )
    values = correlation_sections.national_numbers(national, fixed_effects.correlation)
    assert values["correlation.national.fentanyl_usbp.weight_share"] == pytest.approx(72 / 286)


def test_cr1_numbers_give_k_both_ways_for_each_decisive_specification():
    data = synthetic.synthetic_state_panel(10, list(range(2010, 2019)), effect=1.0, seed=5)
    values = sections.cr1_numbers(data, synthetic.SYNTHETIC)
    states, years, n = 10, 9, len(data)
    assert values["state_panel.cr1.twfe.k"] == 1 + states + years - 1
    assert values["state_panel.cr1.twfe.k_columns"] == 1 + states + years
    assert values["state_panel.cr1.state_trends.k"] == 1 + states + years - 1 + states - 1
    assert values["state_panel.cr1.state_trends.k_columns"] == 1 + 2 * states + years
    assert {values[f"state_panel.cr1.{key}.n"] for key in state_models.DECISIVE} == {n}
    assert len(values) == 3 * len(state_models.DECISIVE)


def test_the_threshold_is_published_with_its_share_of_the_mean_as_applied():
    from analysis.models import specifications

    analysis = specifications.ANALYSES[0]
    table = pd.DataFrame(
        [
            {
                "key": specifications.MAIN,
                "coef": -1.0,
                "ci_low": -2.0,
                "ci_high": 0.5,
                "p": 0.3,
                "n_obs": 10,
                "n_states": 2,
                "years": "1990-1994",
            }
        ]
    )
    decision = state_models.Decision(verdict="inconclusive", reason="r", threshold=2.0, outcome_mean=40.0)
    values = sections.estimate_numbers(analysis, table, decision)
    family = sections.prefix(analysis)
    assert (values[f"{family}.threshold"], values[f"{family}.threshold_share"]) == (2.0, 0.05)
    assert values[f"{family}.twfe.direction"] == "fewer" and values[f"{family}.twfe.reading"]
