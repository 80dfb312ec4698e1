"""The words of the chapters' opening answers and of the landing page, chosen by rules from numbers."""

from __future__ import annotations

import re

import pytest

from analysis.metrics import answers, openings


def test_majority_comparison_and_range_words():
    assert openings.majority(0.5001, "yes", "no") == "yes" and openings.majority(0.5, "yes", "no") == "no"
    assert openings.compared(0.819, 0.8, 0.025) == "close to" and openings.compared(0.826, 0.8, 0.025) == "above"
    assert openings.compared(0.76, 0.76) == "close to" and openings.compared(0.62, 0.8021) == "below"
    assert openings.inside(7.0, 7, 10) == "inside" and openings.inside(10.01, 7, 10) == "outside"


PORTS = {
    "ports.fentanyl.ofo_share.last_full": 0.86,
    "ports.fentanyl.size_ratio.last_full": 2.4,
    "ports.marijuana.ofo_share_southwest_border.fy2023": 0.34,
}


def test_ports_opening_follows_the_numbers():
    assert openings.ports(PORTS) == {
        "ports.opening.where": "Mostly at ports of entry",
        "ports.opening.size": "larger",
        "ports.opening.marijuana": "is the exception",
    }
    flipped = openings.ports(
        {
            **PORTS,
            "ports.fentanyl.ofo_share.last_full": 0.4,
            "ports.fentanyl.size_ratio.last_full": 0.9,
            "ports.marijuana.ofo_share_southwest_border.fy2023": 0.6,
        }
    )
    assert flipped == {
        "ports.opening.where": "Mostly between the ports",
        "ports.opening.size": "smaller",
        "ports.opening.marijuana": "follows the same pattern",
    }


def test_who_opening_compares_with_the_documents_figures():
    numbers = {
        "who.ports.fentanyl.pct_citizen": 0.802,
        "who.ussc.drug_trafficking.pct_citizen.fy2023": 0.819,
        "who.claims.who_80pct_convictions": 0.8,
        "who.claims.doc001_table_citizens_62": 0.62,
    }
    assert openings.who(numbers, 0.025) == {
        "who.opening.majority": "Mostly U.S. citizens",
        "who.opening.vs_convictions_claim": "close to",
        "who.opening.vs_table_claim": "above",
    }
    assert openings.who(numbers, 0.01)["who.opening.vs_convictions_claim"] == "above"
    assert (
        openings.who({**numbers, "who.ports.fentanyl.pct_citizen": 0.45}, 0.025)["who.opening.majority"]
        == "Mostly non-citizens"
    )


def test_budget_opening_and_scenario_range():
    numbers = {"budget.latest.demand_share": 0.571, "budget.claim.start_demand_share": 0.43}
    assert openings.budget(numbers) == {
        "budget.opening.split": "Already mostly demand reduction",
        "budget.opening.vs_document": "above",
    }
    assert (
        openings.budget({**numbers, "budget.latest.demand_share": 0.42})["budget.opening.split"]
        == "Mostly supply reduction"
    )
    assert openings.scenario("latest", 1.29, 7, 10) == {"budget.opening.vs_claimed_range.latest": "outside"}
    assert openings.scenario("document", 7.57, 7, 10) == {"budget.opening.vs_claimed_range.document": "inside"}


def test_checks_opening_says_what_the_low_is_a_record_of():
    numbers = {
        "sources.nsduh2022_treatment_gap": 0.76,
        "checks.claims.treatment_gap": 0.76,
        "checks.record_low.since_fy1925.holds": False,
        "checks.record_low.lower_years": 29,
        "checks.record_low.lower_first": 1925,
        "checks.record_low.lower_last": 1965,
    }
    assert openings.checks(numbers) == {
        "checks.opening.gap_vs_claim": "close to",
        "checks.opening.record": "a record only for that series: in 29 fiscal years between FY1925 and FY1965, "
        "nationwide apprehensions averaged fewer a month",
    }
    assert (
        openings.checks({**numbers, "checks.record_low.since_fy1925.holds": True})["checks.opening.record"]
        == "lower than the average month of every fiscal year back to FY1925"
    )


def test_the_landing_answers_glue_the_chapters_and_add_only_what_no_chapter_states():
    numbers = {
        "correlation.first_month": "October 2018",
        "correlation.last_month": "November 2024",
    }
    counts = {"claims.count.factual": 101, "claims.count.judged": 68}
    assert answers.landing_answers(numbers, counts) == {
        "intro.correlation.years": "2018-2024",
        "intro.claims.not_judged": 33,
    }
    assert answers.years_between("March 2020", "May 2020") == "2020"
    with pytest.raises(KeyError):
        answers.landing_answers({}, counts)


def test_every_number_the_landing_answers_show_has_a_plain_label():
    """The What-changed page leads with the landing page's numbers under the labels of
    ``answers.HEADLINE_NUMBERS``: the list and the page's answers name the same keys."""
    from analysis import config

    page = (config.CHAPTERS_DIR / "intro.md").read_text(encoding="utf-8")
    answers_part = page.split("```{code-cell}")[0]
    glued = re.findall(r"\{glue:text\}`(?:[a-z_]+\.ipynb::)?([a-z0-9_.]+)", answers_part)
    assert glued and set(glued) == set(answers.HEADLINE_NUMBERS)
