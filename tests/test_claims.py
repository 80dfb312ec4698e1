"""Verdict rules at their boundaries, and the register's integrity."""
from __future__ import annotations

import pathlib

import pytest

from analysis import claims, config

DOCUMENTS = config.PROJECT_ROOT.parent / "shared" / "source-documents"


@pytest.mark.parametrize("value, expected", [
    (0.90, "supported"), (0.925, "supported"), (0.875, "supported"),        # exactly at the tolerance
    (0.9251, "partly supported"), (0.95, "partly supported"),              # just outside, within twice
    (0.9501, "contradicted"), (0.80, "contradicted"),
])
def test_within_tolerance_boundaries(value, expected):
    assert claims.verdict("within_tolerance", 0.9, 0.9, 0.025, value) == expected


@pytest.mark.parametrize("value, expected", [(7.0, "supported"), (10.0, "supported"), (8.5, "supported"),
                                             (6.999, "contradicted"), (10.001, "contradicted")])
def test_range_contains_boundaries(value, expected):
    assert claims.verdict("range_contains", 7, 10, 0, value) == expected


def test_bounds():
    assert claims.verdict("greater_than", 0.6, 0.6, 0, 0.6001) == "supported"
    assert claims.verdict("greater_than", 0.6, 0.6, 0, 0.6) == "contradicted"
    assert claims.verdict("less_than", 0.3, 0.3, 0, 0.2999) == "supported"
    assert claims.verdict("less_than", 0.3, 0.3, 0, 0.3) == "contradicted"
    assert claims.verdict("metric_is_lower_bound", 82, 82, 0, 82.0) == "partly supported"
    assert claims.verdict("metric_is_lower_bound", 82, 82, 0, 82.01) == "contradicted"
    assert claims.verdict("metric_is_upper_bound", 0.28, 0.28, 0, 0.28) == "partly supported"
    assert claims.verdict("metric_is_upper_bound", 0.28, 0.28, 0, 0.2799) == "contradicted"


def test_untested_and_missing_values_and_arithmetic():
    assert claims.verdict("untested", 1, 1, 0, 5.0) == "not tested here"
    assert claims.verdict("within_tolerance", 1, 1, 0, None) == "not tested here"
    assert claims.verdict("arithmetic", 0.8, 0.8, 0.005, 0.8) == "arithmetic checked"
    assert claims.arithmetic_consistent(0.8, 0.8, 0.005, 0.805) is True
    assert claims.arithmetic_consistent(0.8, 0.8, 0.005, 0.8051) is False
    assert claims.arithmetic_consistent(float("nan"), float("nan"), 0, 0.056) is None
    with pytest.raises(ValueError, match="unknown rule"):
        claims.verdict("vibes", 0, 0, 0, 1.0)


def test_assess_marks_missing_chapters():
    register = claims.load_claims()
    assessed = claims.assess(register, {"ports.fentanyl.ofo_share.fy2023": 0.8949})
    row = assessed.set_index("id").loc["ports_fentanyl_90pct"]
    assert row["verdict"] == "supported" and row["computed"] == 0.8949
    missing = assessed.set_index("id").loc["budget_43_demand"]
    assert missing["verdict"] == "not tested here" and missing["reason"] == "chapter not built yet"


def test_register_rules_and_chapters_are_known():
    register = claims.load_claims()
    assert set(register["rule"]) <= set(claims.RULES)
    untested = register[register["rule"] == "untested"]
    assert (untested["untested_reason"].str.len() > 10).all()
    assert (register.loc[register["rule"] != "untested", "metric_key"] != "untested").all()


@pytest.mark.skipif(not DOCUMENTS.is_dir(), reason="../shared/source-documents is absent: quotes cannot be checked")
def test_every_quote_is_verbatim():
    texts = {path.name: path.read_text(encoding="utf-8") for path in DOCUMENTS.glob("*.txt")}
    register = claims.load_claims()
    not_verbatim = [row.id for row in register.itertuples() if row.quote not in texts[row.document]]
    assert not_verbatim == []


def test_arithmetic_operations():
    assert claims.arithmetic_value("drop:80:16") == pytest.approx(0.8)
    assert claims.arithmetic_value("sum:45:12:25") == 82
    assert claims.arithmetic_value("ratio:1:4") == 0.25
    with pytest.raises(Exception, match="unknown arithmetic"):
        claims.arithmetic_value("__import__:os")


@pytest.mark.skipif(not DOCUMENTS.is_dir(), reason="../shared/source-documents is absent: coverage cannot be checked")
def test_every_numeric_sentence_is_in_the_register():
    from analysis import sentences

    register = claims.load_claims()
    missing = []
    for path in sorted(DOCUMENTS.glob("*.txt")):
        quotes = list(register.loc[register["document"] == path.name, "quote"])
        missing += [f"{path.name}: {s[:80]}" for s in sentences.numeric_sentences(path.read_text(encoding="utf-8"))
                    if not sentences.covered(s, quotes)]
    assert missing == []


def test_sentence_splitter():
    from analysis import sentences

    text = "### Solution 1: Title\n1.\nU.S. citizens are 80% of cases. No number here [2].\n| A | 62% |\n|---|---|"
    assert sentences.numeric_sentences(text) == ["U.S. citizens are 80% of cases.", "| A | 62% |"]
