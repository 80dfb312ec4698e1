"""Multiplicity adjustments and interval/p agreement against hand-computed values."""

from __future__ import annotations

import numpy as np
import pytest
from statsmodels.stats.multitest import multipletests

from analysis.errors import DataError
from analysis.models import inference

P = [0.01, 0.04, 0.03, 0.20]


def test_holm_by_hand():
    # sorted 0.01, 0.03, 0.04, 0.20 times 4, 3, 2, 1 = 0.04, 0.09, 0.08, 0.20; running max 0.04, 0.09, 0.09, 0.20
    assert inference.holm(P) == pytest.approx([0.04, 0.09, 0.09, 0.20])


def test_benjamini_hochberg_by_hand():
    # sorted times 4 / rank = 0.04, 0.06, 0.0533, 0.20; running min from the top = 0.04, 0.0533, 0.0533, 0.20
    assert inference.benjamini_hochberg(P) == pytest.approx([0.04, 0.16 / 3, 0.16 / 3, 0.20])


def test_adjustments_cap_at_one():
    assert inference.holm([0.5, 0.6]) == pytest.approx([1.0, 1.0])
    assert inference.benjamini_hochberg([0.5, 0.6]) == pytest.approx([0.6, 0.6])


def test_adjustments_match_statsmodels():
    pvalues = np.random.default_rng(3).uniform(0, 0.2, 20)
    assert inference.holm(pvalues) == pytest.approx(multipletests(pvalues, method="holm")[1])
    assert inference.benjamini_hochberg(pvalues) == pytest.approx(multipletests(pvalues, method="fdr_bh")[1])


def test_count_below():
    assert inference.count_below(P) == 3
    assert inference.count_below(P, alpha=0.01) == 0


@pytest.mark.parametrize("bad", [[], [0.1, float("nan")], [1.2], [-0.1]])
def test_bad_pvalues_are_refused(bad):
    with pytest.raises(DataError):
        inference.holm(bad)


@pytest.mark.parametrize(
    "low, high, p, disagree",
    [
        (-2.8, 0.3, 0.041, True),  # interval includes zero, p below 0.05
        (-5.6, -0.7, 0.046, False),  # both say different from zero
        (0.2, 1.0, 0.20, True),  # interval excludes zero, p does not
        (-1.0, 1.0, 0.50, False),  # both say indistinguishable from zero
    ],
)
def test_interval_and_p_disagree(low, high, p, disagree):
    assert inference.interval_and_p_disagree(low, high, p) is disagree


def test_family_adjusts_over_every_cell_and_flags_disagreement():
    from analysis.models.fixed_effects import Estimate

    def E(coef, ci_low, ci_high, p_cluster, p_wild, p_wild_se=0.0005):
        return Estimate(
            coef=coef,
            se=1.0,
            ci_low=ci_low,
            ci_high=ci_high,
            p=p_cluster,
            df=8,
            n_obs=90,
            n_clusters=9,
            p_wild=p_wild,
            p_wild_se=p_wild_se,
            draws=99999,
        )

    estimates = {
        ("A", "linear"): E(coef=-3.0, ci_low=-5.6, ci_high=-0.7, p_cluster=0.02, p_wild=0.01),
        ("A", "Poisson"): E(coef=-1.0, ci_low=-2.8, ci_high=0.3, p_cluster=0.09, p_wild=0.04),
        ("B", "linear"): E(coef=0.4, ci_low=-0.3, ci_high=1.1, p_cluster=0.22, p_wild=0.03),
        ("B", "Poisson"): E(coef=0.1, ci_low=-0.2, ci_high=0.4, p_cluster=0.50, p_wild=0.0505, p_wild_se=0.0007),
    }
    family = inference.scan_family(estimates)
    assert family["disagree"].tolist() == [False, True, True, False]
    assert family["reading"].tolist() == ["below", "below", "below", "borderline"]
    assert family["p_holm"].tolist() == pytest.approx([0.04, 0.09, 0.09, 0.09])
    assert family["p_bh"].tolist() == pytest.approx([0.04, 0.0505, 0.0505, 0.0505])
    assert (
        inference.surviving_phrase(family)
        == "1 stays below 0.05 after Holm's adjustment and 1 after Benjamini-Hochberg's"
    )
    assert inference.surviving_phrase(family, alpha=0.01) == "none stays below 0.01 after either adjustment"


@pytest.mark.parametrize(
    "low, high, words",
    [
        (-0.45, 0.72, "includes zero"),
        (0.1, 0.9, "lies above zero"),
        (-5.6, -0.7, "lies below zero"),
        (0.0, 1.0, "includes zero"),
    ],
)
def test_zero_phrase(low, high, words):
    assert inference.zero_phrase(low, high) == words
