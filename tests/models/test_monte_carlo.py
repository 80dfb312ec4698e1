"""Monte Carlo precision of the book's bootstrap p-values: four times the draws, from another seed, flip
no reported decision. A p-value within ``BORDERLINE_MC_SE`` Monte Carlo SEs of 0.05 is reported as
borderline rather than read either way, so only 'below' against 'not below' would be a flip."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.book.sections import correlation as sections
from analysis.data import encounters, sector_panel, seizures, state_panel, vintages
from analysis.models import fixed_effects, inference, specifications, state_models

BOOK_DRAWS, MORE_DRAWS = 99_999, 399_999
DRUGS = ["Fentanyl", "Methamphetamine", "Cocaine", "Marijuana"]  # the correlation chapter's defaults


def flipped(first: str, second: str) -> bool:
    return {first, second} == {"below", "not below"}


@pytest.fixture(scope="module")
def sector_months(real_data):
    data = sector_panel.sector_month_panel(
        vintages.load(encounters.OHSS).rows,
        vintages.load(seizures.NATIONWIDE).rows,
        DRUGS,
        first_month=pd.Timestamp("2018-10-01"),
        last_month=pd.Timestamp("2024-11-01"),
    )
    return data.assign(encounters_k=data["encounters"] / 1000)


def test_more_draws_flip_no_decision_of_the_correlation_family(sector_months):
    readings = {}
    for draws, seed in ((BOOK_DRAWS, 20261122), (MORE_DRAWS, 7)):
        family = inference.scan_family(
            {
                (drug, model): estimate
                for drug in DRUGS
                for model, estimate in sections.run_models(sector_months, drug, draws, seed).items()
            }
        )
        readings[draws] = family.set_index(["group", "model"])
    book, more = readings[BOOK_DRAWS], readings[MORE_DRAWS]
    assert not any(flipped(a, b) for a, b in zip(book["reading"], more.loc[book.index, "reading"], strict=True))
    # the two runs agree within their Monte Carlo error
    gap = (book["p_wild"] - more.loc[book.index, "p_wild"]).abs()
    assert (gap <= 4 * (book["p_wild_se"] ** 2 + more.loc[book.index, "p_wild_se"] ** 2) ** 0.5).all()
    assert len(book) == len(DRUGS) * len(sections.MODEL_LABELS)


def test_more_draws_keep_the_one_sided_threshold_test_on_its_side(real_data):
    data, _ = state_panel.load_panel(50.0)
    drug = specifications.analysis(*specifications.DRUG_CRIME)
    table = state_models.run_analysis(data, drug)
    threshold = state_models.decide(data, drug, table).threshold
    spec = state_models.SPECS["state_trends"]
    book = state_models.threshold_bootstrap_p(data, drug, spec, threshold, draws=BOOK_DRAWS)
    more = state_models.threshold_bootstrap_p(data, drug, spec, threshold, draws=MORE_DRAWS, seed=7)
    assert not flipped(fixed_effects.monte_carlo_reading(*book), fixed_effects.monte_carlo_reading(*more))
    assert abs(book[0] - more[0]) <= 4 * (book[1] ** 2 + more[1] ** 2) ** 0.5
