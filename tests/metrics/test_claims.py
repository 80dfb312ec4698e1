"""Verdict rules at their boundaries, the register's integrity, its coverage of the documents, and
the rule that a missing metric stops the build."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis import config
from analysis.errors import DataError
from analysis.metrics import claims
from tests.helpers import sentences

DOCUMENTS = config.PROJECT_ROOT.parent / "shared" / "source-documents"
NAN = float("nan")


# --- every verdict rule at its boundaries -------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        (0.90, "supported"),
        (0.925, "supported"),
        (0.875, "supported"),  # exactly at the tolerance
        (0.9251, "contradicted"),
        (0.8749, "contradicted"),
        (0.80, "contradicted"),
    ],
)
def test_within_tolerance_boundaries(value, expected):
    assert claims.verdict("within_tolerance", 0.9, 0.9, 0.025, value) == expected


@pytest.mark.parametrize(
    "value, expected",
    [(7.0, "supported"), (10.0, "supported"), (8.5, "supported"), (6.999, "contradicted"), (10.001, "contradicted")],
)
def test_range_boundaries(value, expected):
    assert claims.verdict("within_tolerance", 7, 10, 0, value) == expected


def test_strict_bounds():
    assert claims.verdict("greater_than", 0.6, 0.6, 0, 0.6001) == "supported"
    assert claims.verdict("greater_than", 0.6, 0.6, 0, 0.6) == "contradicted"
    assert claims.verdict("less_than", 0.3, 0.3, 0, 0.2999) == "supported"
    assert claims.verdict("less_than", 0.3, 0.3, 0, 0.3) == "contradicted"


def test_a_bound_the_data_cannot_break_never_confirms():
    assert claims.verdict("lower_bound", 82, 82, 0, 82.0) == "consistent, not confirmed"
    assert claims.verdict("lower_bound", 82, 82, 0, 82.01) == "contradicted"
    assert claims.verdict("upper_bound", 0.28, 0.28, 0, 0.28) == "consistent, not confirmed"
    assert claims.verdict("upper_bound", 0.28, 0.28, 0, 0.2799) == "contradicted"


def test_more_than_x_is_judged_on_its_open_end():
    # "more than a million": strictly above, whatever the size of the excess
    assert claims.verdict("greater_than", 1e6, NAN, 0, 1_338_266.0) == "supported"
    assert claims.verdict("greater_than", 1e6, NAN, 0, 1e6) == "contradicted"
    # a lower bound can never contradict a claim with no upper end
    assert claims.verdict("lower_bound", 1e6, NAN, 0, 1_338_266.0) == "consistent, not confirmed"
    assert claims.verdict("lower_bound", 1e6, 1e6, 0, 1_338_266.0) == "contradicted"


@pytest.mark.parametrize(
    "evidence, outcome, expected",
    [
        ("secondary", "supported", "consistent, not confirmed"),
        ("secondary", "contradicted", "inconclusive"),
        ("secondary", "matches its cited source", "consistent, not confirmed"),
        ("secondary", "misstates its cited source", "inconclusive"),
        ("proxy", "supported", "consistent, not confirmed"),
        ("proxy", "contradicted", "inconclusive"),
        ("other source", "matches its cited source", "consistent, not confirmed"),
        ("partial", "supported", "partly supported"),
        ("partial", "contradicted", "contradicted"),
        ("", "supported", "supported"),
        ("proxy", "inconclusive", "inconclusive"),
    ],
)
def test_weak_evidence_caps_the_verdict(evidence, outcome, expected):
    assert claims.capped(outcome, evidence) == expected
    assert set(claims.EVIDENCE_CAPS[evidence].values() if evidence else []) <= set(claims.VERDICTS)


def test_a_single_secondary_page_cannot_confirm_or_refute_a_source_check(tmp_path):
    register = synthetic_register(
        tmp_path,
        [
            [
                "a",
                "d.txt",
                "q",
                "288",
                288,
                288,
                "arrests",
                "x",
                "s",
                "source_check",
                0,
                "checks",
                "One secondary page.",
            ],
            [
                "b",
                "d.txt",
                "q",
                "288",
                288,
                288,
                "arrests",
                "x",
                "s",
                "source_check",
                0,
                "checks",
                "One secondary page.",
            ],
        ],
    )
    register["evidence"] = "secondary"
    assessed = claims.assess(register, {"s": 288.0})
    assert list(assessed["verdict"]) == ["consistent, not confirmed"] * 2
    assert list(assessed["group"]) == ["source checked"] * 2
    assert assessed["why"][0].endswith("One secondary page.")


def test_different_measure_and_not_checked():
    assert claims.verdict("different_measure", 0.62, 0.62, 0, 0.802) == "inconclusive"
    assert claims.verdict("different_measure", 0.62, 0.62, 0, 0.62) == "inconclusive"
    assert claims.verdict("not_checked", NAN, NAN, 0, None) == "not checked: source not held"
    assert claims.VERDICTS["not checked: source not held"] == "not checked"


@pytest.mark.parametrize(
    "interval, expected",
    [
        ((0.5, 0.1, 0.9), "contradicted"),
        ((0.5, 0.0, 0.9), "inconclusive"),
        ((0.0, -0.5, 0.5), "inconclusive"),
        ((-0.5, -0.9, 0.0), "supported"),
    ],
)
def test_no_increase(interval, expected):
    assert claims.verdict("no_increase", NAN, NAN, 0, interval) == expected


def test_parts_name_what_holds():
    assert claims.verdict("parts", NAN, NAN, 0, (True, True)) == "supported"
    assert claims.verdict("parts", NAN, NAN, 0, (True, False)) == "partly supported"
    assert claims.verdict("parts", NAN, NAN, 0, (False, False)) == "contradicted"
    row = pd.Series(
        {"rule": "parts", "reason": "since 2000|since 1925", "metric_key": "a.holds|b.holds", "unit": "none"}
    )
    assert claims.reason(row, (True, False), "partly supported", {}) == "holds: since 2000; fails: since 1925"


def test_a_part_read_on_a_secondary_row_neither_holds_nor_fails():
    """The secondary cap applies part by part: the rule is applied to the parts on primary data, and 'supported'
    becomes 'consistent, not confirmed' when another part is left undecided; all parts secondary: whole capped."""
    assert claims.parts_verdict((True, False), (False, True)) == "consistent, not confirmed"
    assert claims.parts_verdict((True, True), (False, True)) == "consistent, not confirmed"
    assert claims.parts_verdict((False, True), (False, True)) == "contradicted"
    assert claims.parts_verdict((True, False, False), (False, False, True)) == "partly supported"
    assert claims.parts_verdict((True, False), (False, False)) == "partly supported"
    assert claims.parts_verdict((True, True), (True, True)) == "consistent, not confirmed"
    assert claims.parts_verdict((False, False), (True, True)) == "inconclusive"
    row = pd.Series(
        {"rule": "parts", "reason": "since 2000|since 1925", "metric_key": "a.holds|b.holds", "unit": "none"}
    )
    numbers = {"a.holds.source_kind": "primary", "b.holds.source_kind": "secondary"}
    assert claims.reason(row, (True, False), "partly supported", numbers) == (
        "holds: since 2000; undecided (it fails only on a secondary source, which cannot refute it): since 1925"
    )
    assert claims.reason(row, (False, True), "contradicted", numbers) == (
        "fails: since 2000; consistent, not confirmed (a secondary source): since 1925"
    )


def test_a_parts_claim_with_one_secondary_part_is_judged_on_the_other(tmp_path):
    rows = [["r", "d.txt", "q", "low", NAN, NAN, "none", "x", "a.holds|b.holds", "parts", 0, "checks", "part A|part B"]]
    register = synthetic_register(tmp_path, rows)
    numbers = {"a.holds": False, "b.holds": True}
    assert claims.assess(register, numbers)["verdict"][0] == "partly supported"
    assessed = claims.assess(register, {**numbers, "b.holds.source_kind": "secondary"})
    assert assessed["verdict"][0] == "contradicted"  # A fails on primary data; B cannot confirm
    assert assessed["evidence_applied"][0] == "secondary" and bool(assessed["partly_secondary"][0])
    assert claims.basis(assessed.iloc[0], {}) == "book data sets"
    both = claims.assess(register, {**numbers, "a.holds.source_kind": "secondary", "b.holds.source_kind": "secondary"})
    assert both["verdict"][0] == "consistent, not confirmed"  # partly supported, capped as a secondary row
    assert claims.basis(both.iloc[0], {}) == "secondary page only"


def test_a_curated_number_without_its_source_kind_stops_the_build(tmp_path):
    """A claim that reads a key of a curated family (``CURATED_KEY_FAMILIES``) needs its ``.source_kind``."""
    rows = [
        [
            "a",
            "d.txt",
            "q",
            "3.3",
            3.3,
            3.3,
            "USD billion",
            "x",
            "sources.merida",
            "within_tolerance",
            0.05,
            "checks",
            "",
        ],
        ["b", "d.txt", "q", "90%", 0.9, 0.9, "fraction", "x", "ports.share", "within_tolerance", 0.02, "ports", ""],
    ]
    register = synthetic_register(tmp_path, rows)
    with pytest.raises(claims.MissingMetric, match=r"without their source kind: a: sources\.merida\. "):
        claims.assess(register, {"sources.merida": 3.3, "ports.share": 0.9})
    assessed = claims.assess(
        register, {"sources.merida": 3.3, "sources.merida.source_kind": "primary", "ports.share": 0.9}
    )
    assert list(assessed["verdict"]) == ["supported", "supported"]


# Where every number the register reads comes from: a family computed from data/curated (which must publish its
# source kind, ``claims.CURATED_KEY_FAMILIES``) or one the chapters compute from the book's data sets. A new
# claim key outside both stops this test, so that someone decides which it is.
BOOK_DATA_FAMILIES = (
    "checks.cocaine.",
    "checks.encounters.",
    "checks.fentanyl.",
    "checks.injury.",
    "checks.ports90.",
    "checks.record_low.since_fy2000.",
    "checks.routinely.",
    "claims.arithmetic.",  # the documents' own numbers
    "correlation.",
    "encounters.",
    "overdose.",
    "ports.",
    "state_panel.",
    "who.cbp.",
    "budget.rebalance.",  # the document's own split on ONDCP's latest total (a scenario parameter)
)


def test_every_number_the_register_reads_is_declared_curated_or_book_data():
    register = claims.load_claims()
    keys = {k for row in register.itertuples() for k in claims.metric_keys(row.rule, row.metric_key)}
    undeclared = sorted(k for k in keys if not k.startswith(claims.CURATED_KEY_FAMILIES + BOOK_DATA_FAMILIES))
    both = sorted(k for k in keys if k.startswith(claims.CURATED_KEY_FAMILIES) and k.startswith(BOOK_DATA_FAMILIES))
    assert (undeclared, both) == ([], [])


def test_chapter_verdict_is_taken_with_its_reason():
    numbers = {
        "state_panel.drug_crime.verdict": "inconclusive",
        "state_panel.drug_crime.reason": "Specifications disagree.",
    }
    value = claims.metric_value("chapter_verdict", "state_panel.drug_crime", numbers)
    assert claims.verdict("chapter_verdict", NAN, NAN, 0, value) == "inconclusive"
    row = pd.Series({"rule": "chapter_verdict", "metric_key": "state_panel.drug_crime", "about": "x"})
    assert claims.reason(row, value, "inconclusive", numbers) == "Specifications disagree."
    with pytest.raises(ValueError, match="not one of"):
        claims.verdict("chapter_verdict", NAN, NAN, 0, "partly supported")


def test_arithmetic_follows_from_premise_or_not():
    assert claims.verdict("arithmetic", 0.8, 0.8, 0.005, 0.805) == "arithmetic follows from the document's premise"
    assert claims.verdict("arithmetic", 0.8, 0.8, 0.005, 0.8051) == "contradicted"
    assert claims.verdict("arithmetic", NAN, NAN, 0, 0.056) == "arithmetic follows from the document's premise"


def test_source_check():
    assert claims.verdict("source_check", 288, 288, 0, 288.0) == "matches its cited source"
    assert claims.verdict("source_check", 288, 288, 0, 287.0) == "misstates its cited source"
    assert claims.verdict("source_check", 4, 7, 0, (4.0, 7.0)) == "matches its cited source"
    assert claims.verdict("source_check", 4, 7, 0, (4.0, 6.0)) == "misstates its cited source"
    assert claims.verdict("source_check", NAN, 0, 0, -22.0) == "matches its cited source"  # 'not an increase'
    assert claims.verdict("source_check", NAN, 0, 0, 0.1) == "misstates its cited source"


def test_claims_without_data_and_unknown_rules():
    assert claims.verdict("no_public_data", NAN, NAN, 0, None) == "no public data"
    assert claims.verdict("not_a_claim", NAN, NAN, 0, None) == "not a factual claim"
    with pytest.raises(ValueError, match="needs a computed value"):
        claims.verdict("within_tolerance", 1, 1, 0, None)
    with pytest.raises(ValueError, match="unknown rule"):
        claims.verdict("vibes", 0, 0, 0, 1.0)


def test_every_rule_can_give_only_verdicts_of_the_taxonomy():
    for name, (verdicts, _) in claims.RULES.items():
        assert set(verdicts.split(" / ")) <= set(claims.VERDICTS), name


# --- a missing metric stops the build -------------------------------------------------------------


def synthetic_register(tmp_path, rows, tolerance_reason="rounding"):
    columns = [
        "id",
        "document",
        "quote",
        "claimed",
        "claimed_low",
        "claimed_high",
        "unit",
        "about",
        "metric_key",
        "rule",
        "tolerance",
        "chapter",
        "reason",
    ]
    path = tmp_path / "claims.csv"
    pd.DataFrame(rows, columns=columns).assign(tolerance_reason=tolerance_reason).to_csv(path, index=False)
    return claims.load_claims(path)


def test_a_missing_metric_fails_and_names_every_missing_key(tmp_path):
    register = synthetic_register(
        tmp_path,
        [
            ["a", "d.txt", "q", "90%", 0.9, 0.9, "fraction", "x", "ports.share", "within_tolerance", 0.02, "ports", ""],
            [
                "b",
                "d.txt",
                "q",
                "no rise",
                "",
                0,
                "none",
                "x",
                "state_panel.drug_crime",
                "chapter_verdict",
                "",
                "state-panel",
                "",
            ],
            [
                "c",
                "d.txt",
                "q",
                "328",
                "",
                "",
                "ports",
                "x",
                "",
                "no_public_data",
                "",
                "claims",
                "Not in the data held.",
            ],
        ],
    )
    with pytest.raises(claims.MissingMetric) as raised:
        claims.assess(register, {"ports.share": 0.9})
    assert "b: state_panel.drug_crime.verdict" in str(raised.value) and "a:" not in str(raised.value)
    assessed = claims.assess(
        register,
        {
            "ports.share": 0.9,
            "state_panel.drug_crime.verdict": "contradicted",
            "state_panel.drug_crime.reason": "Interval above zero.",
        },
    )
    assert list(assessed["verdict"]) == ["supported", "contradicted", "no public data"]
    assert list(assessed["why"])[1:] == ["Interval above zero.", "Not in the data held."]


def test_headline_counts_add_up(tmp_path):
    register = synthetic_register(
        tmp_path,
        [
            ["a", "d.txt", "q", "90%", 0.9, 0.9, "fraction", "x", "k", "within_tolerance", 0.02, "ports", ""],
            [
                "b",
                "d.txt",
                "q",
                "",
                "",
                "",
                "none",
                "x",
                "",
                "not_a_claim",
                "",
                "claims",
                "Not a factual claim: a target.",
            ],
            [
                "c",
                "d.txt",
                "q",
                "328",
                "",
                "",
                "ports",
                "x",
                "",
                "no_public_data",
                "",
                "claims",
                "Not in the data held.",
            ],
            ["d", "d.txt", "q", "288", 288, 288, "arrests", "x", "s", "source_check", 0, "checks", ""],
        ],
    )
    counts = claims.headline_counts(claims.assess(register, {"k": 0.5, "s": 288.0}))
    assert counts["claims.count.total"] == 4 and counts["claims.count.factual"] == 3
    assert counts["claims.count.not_a_claim"] == 1 and counts["claims.count.no_public_data"] == 1
    assert counts["claims.count.tested_with_data"] == 1 and counts["claims.count.source_checked"] == 1
    assert counts["claims.count.verdict.contradicted"] == 1 and counts["claims.count.verdict.matches_source"] == 1
    assert sum(v for k, v in counts.items() if k.startswith("claims.count.verdict.")) == 4
    assert counts["claims.count.judged_share"] == pytest.approx(2 / 3)
    assert counts["claims.count.hold_up"] == 1  # d matches its source; a is contradicted
    assert (counts["claims.count.wrong"], counts["claims.count.in_between"]) == (1, 0)  # a; judged are a and d


def test_not_checked_and_second_checks_are_counted_apart(tmp_path):
    register = synthetic_register(
        tmp_path,
        [
            ["a", "d.txt", "q", "90%", 0.9, 0.9, "fraction", "x", "k", "within_tolerance", 0.02, "ports", ""],
            ["b", "d.txt", "q", "90%", 0.9, 0.9, "fraction", "x", "k", "within_tolerance", 0.02, "ports", ""],
            [
                "c",
                "d.txt",
                "q",
                "173",
                "",
                "",
                "n",
                "x",
                "",
                "not_checked",
                "",
                "claims",
                "Not checked: list not held.",
            ],
            [
                "d",
                "d.txt",
                "q",
                "328",
                "",
                "",
                "ports",
                "x",
                "",
                "no_public_data",
                "",
                "claims",
                "Not in the data held.",
            ],
        ],
    )
    register["same_claim_as"] = ["", "a", "", ""]
    counts = claims.headline_counts(claims.assess(register, {"k": 0.9}))
    assert counts["claims.count.total"] == 4 and counts["claims.count.second_checks"] == 1
    assert counts["claims.count.factual"] == 3 and counts["claims.count.not_checked"] == 1
    assert counts["claims.count.verdict.not_checked"] == 1 and counts["claims.count.verdict.supported"] == 2
    assert counts["claims.count.judged"] == 1 and counts["claims.count.judged_share"] == pytest.approx(1 / 3)
    assert sum(v for k, v in counts.items() if k.startswith("claims.count.verdict.")) == 4
    group_total = sum(counts[f"claims.count.{key}"] for key in claims.GROUP_KEYS.values())
    assert group_total == counts["claims.count.total"] - counts["claims.count.second_checks"]


def test_a_chapter_shows_the_registers_comparison_for_what_it_computed(tmp_path):
    register = synthetic_register(
        tmp_path,
        [
            [
                "a",
                "000_x.txt",
                "| about 90% |",
                "about 90%",
                0.9,
                0.9,
                "fraction",
                "share at ports, FY2023, by weight",
                "ports.share",
                "within_tolerance",
                0.02,
                "ports",
                "",
            ],
            [
                "b",
                "000_x.txt",
                "over 2",
                "over 2",
                2,
                2,
                "times",
                "ratio",
                "ports.ratio",
                "greater_than",
                "",
                "ports",
                "",
            ],
            [
                "c",
                "000_x.txt",
                "328",
                "328",
                "",
                "",
                "ports",
                "x",
                "",
                "no_public_data",
                "",
                "ports",
                "Not in the data held.",
            ],
            ["d", "000_x.txt", "9%", "9%", 0.09, 0.09, "fraction", "x", "who.share", "within_tolerance", 0, "who", ""],
        ],
    )
    table = claims.chapter_comparison(register, "ports", {"ports.share": 0.85})
    assert list(table["claim"]) == ["000: \u201cabout 90%\u201d", "000: \u201cover 2\u201d"]
    assert list(table["claimed"]) == ["about 90%", "over 2"]
    assert list(table["verdict"]) == ["contradicted", claims.NOT_COMPUTED_HERE]
    assert table["why"][0] == (
        "85.0%: share at ports, FY2023, by weight; off the claim by 5.0 points (tolerance 2.0 points)"
    )
    assessed = claims.assess(register.loc[["a"]], {"ports.share": 0.85})
    assert table["why"][0] == assessed["why"][0] and table["verdict"][0] == assessed["verdict"][0]
    assert list(claims.chapter_comparison(register, "ports", {"ports.share": 0.9, "ports.ratio": 2.5})["verdict"]) == [
        "supported",
        "supported",
    ]


def test_published_values_are_recorded_for_the_chapters_comparison():
    from analysis.book import glue

    glue.publish("test.claims.value", 0.5)
    assert glue.PUBLISHED["test.claims.value"] == 0.5
    with pytest.raises(ValueError):
        glue.publish("test.claims.missing", float("nan"))
    assert "test.claims.missing" not in glue.PUBLISHED


def test_register_refuses_rows_without_reason_or_metric(tmp_path):
    with pytest.raises(DataError, match="lacks a reason"):
        synthetic_register(
            tmp_path, [["c", "d.txt", "q", "328", "", "", "ports", "x", "", "no_public_data", "", "claims", ""]]
        )
    with pytest.raises(DataError, match="lacks a metric"):
        synthetic_register(tmp_path, [["a", "d.txt", "q", "9", 9, 9, "n", "x", "", "within_tolerance", 0, "ports", ""]])
    with pytest.raises(DataError, match="lacks the reason for the claim's tolerance"):
        synthetic_register(
            tmp_path,
            [["a", "d.txt", "q", "9", 9, 9, "n", "x", "k", "within_tolerance", 0.5, "ports", ""]],
            tolerance_reason="",
        )
    with pytest.raises(DataError, match="unknown rule"):
        synthetic_register(tmp_path, [["a", "d.txt", "q", "9", 9, 9, "n", "x", "k", "untested", 0, "ports", ""]])


# --- the register itself --------------------------------------------------------------------------


def test_every_no_public_data_row_names_why():
    register = claims.load_claims()
    reasons = register.loc[register["rule"] == "no_public_data", "reason"]
    assert len(reasons) > 0 and (reasons.str.len() >= 30).all()
    assert not reasons.str.contains("not tested", case=False).any()
    not_checked = register.loc[register["rule"] == "not_checked", "reason"]
    assert len(not_checked) > 0 and not_checked.str.startswith("Not checked: ").all()


def test_every_figure_from_a_secondary_page_is_capped():
    """Finding: a single secondary page never confirms. Every claim whose metric is a figure transcribed from a
    secondary page is capped, by its own evidence or by the source kind published beside the figure (here as the
    checks chapter publishes it, ``sources.<id>.source_kind``), whatever value it has."""
    from analysis.data import curated

    register = claims.load_claims()
    sources = curated.load_curated("cited_sources")
    secondary = {f"sources.{i}" for i in sources.loc[sources["source_kind"] == "secondary", "id"]}
    kinds = {f"sources.{row.id}{claims.SOURCE_KIND_SUFFIX}": row.source_kind for row in sources.itertuples()}
    uncapped = [
        row.id
        for row in register.itertuples()
        if set(claims.metric_keys(row.rule, row.metric_key)) & secondary
        and row.evidence == ""
        and not claims.sourced_evidence(row.rule, row.metric_key, kinds)
    ]
    assert len(secondary) > 0 and uncapped == []


def _assess_with_any_values(register):
    judged = register[~register["rule"].isin(claims.NO_METRIC_RULES)]
    # any value will do (200001 also reads as a year and month, January 2000)
    numbers = {
        key: 200001.0
        for rule, key in zip(judged["rule"], judged["metric_key"], strict=True)
        for key in claims.metric_keys(rule, key)
    }
    numbers.update({key: "inconclusive" for key in numbers if key.endswith(".verdict")})
    # and any source kind for the numbers computed from curated rows
    numbers.update(
        {key + claims.SOURCE_KIND_SUFFIX: "primary" for key in numbers if key.startswith(claims.CURATED_KEY_FAMILIES)}
    )
    numbers.update(claims.arithmetic_numbers(register))
    # the numbers a reason names (an integer reads in any format)
    numbers.update(
        {key: 200001 for row in judged.itertuples() for key in claims.needed_keys(row) if key not in numbers}
    )
    return claims.assess(register, numbers)


def test_judged_share_of_the_real_register():
    """Two thirds of the factual claims must be judged (a verdict other than 'no public data' or
    'not checked'); the share is computed from the register's rules and glued."""
    register = claims.load_claims()
    counts = claims.headline_counts(_assess_with_any_values(register))
    first = register[register["same_claim_as"] == ""]
    factual = first[first["rule"] != "not_a_claim"]
    judged = factual[~factual["rule"].isin(claims.NO_METRIC_RULES)]
    assert counts["claims.count.judged"] == len(judged)
    assert counts["claims.count.judged_share"] == pytest.approx(len(judged) / len(factual))
    assert 3 * counts["claims.count.judged"] >= 2 * counts["claims.count.factual"]  # exact, no float rounding
    assert counts["claims.count.judged"] < counts["claims.count.factual"]


def _basis_row(**fields):
    row = {"id": "x", "rule": "within_tolerance", "metric_key": "who.share", "evidence": ""}
    row.update(fields)
    return pd.Series(row)


def test_basis_of_a_verdict():
    """What a verdict rests on: the book's data, a transcribed primary page, a secondary page only, or
    the document's own numbers; a secondary page among several makes the row secondary."""
    kinds = {"p": {"primary"}, "s": {"primary", "secondary"}}
    assert claims.basis(_basis_row(), kinds) == "book data sets"
    assert claims.basis(_basis_row(evidence="proxy"), kinds) == "book data sets"
    assert claims.basis(_basis_row(evidence="secondary"), kinds) == "secondary page only"
    assert claims.basis(_basis_row(id="p", metric_key="sources.p"), kinds) == "transcribed primary page"
    assert claims.basis(_basis_row(id="s", metric_key="sources.s"), kinds) == "secondary page only"
    assert claims.basis(_basis_row(rule="arithmetic"), kinds) == "the document's own numbers"
    assert claims.basis(_basis_row(rule="not_checked", metric_key=""), kinds) == ""


def test_basis_counts_of_the_real_register_add_up_to_the_judged():
    register = claims.load_claims()
    assessed = _assess_with_any_values(register)
    counts = claims.headline_counts(assessed)
    bases = claims.basis_counts(assessed, claims.source_kinds())
    assert (
        sum(bases[f"claims.count.basis.{key}"] for key in claims.BASIS_KEYS.values()) == counts["claims.count.judged"]
    )
    assert bases["claims.count.cited_work_read"] == (
        counts["claims.count.verdict.matches_source"] + counts["claims.count.verdict.misstates_source"]
    )


def test_claimed_and_dependencies():
    register = claims.load_claims()
    factual = register[register["rule"] != "not_a_claim"]
    assert (factual["claimed"].str.strip() != "").all()
    assert register.loc["doc003_unified_prevention", "claimed"] == "by 300%"
    assert register.loc["budget_extra_7_10b", "depends_on"] == "budget_43_demand"
    assert register.loc["doc001_table_other_10", "depends_on"] == "doc001_table_citizens_62|doc001_table_migrants_28"
    assert register.loc["doc003_portugal_80_16", "depends_on"] == "doc003_portugal_deaths_80_16"
    assert register.loc["doc000_state_level_data", "same_claim_as"] == "doc000_state_level_source"
    assert register.loc["doc003_unified_prevention", "unit"] == "fraction"  # +300% is 3.0 as a fraction
    assert "doc003_current_43" not in register.index  # the 43% baseline is one claim, quoted twice


def test_shown_values_and_differences():
    assert claims.shown_value(0.8949, "fraction") == "89.5%"
    assert claims.shown_value(1994.0, "year") == "1994"
    assert claims.shown_value(201905.0, "year and month") == "May 2019"
    assert claims.shown_value(1.0, "indicator") == "yes"
    assert claims.shown_value((4.0, 7.0), "USD per USD") == "4 to 7"
    assert claims.shown_value(328.0, "ports") == "328" and claims.shown_value(1.92, "USD billion") == "1.92"
    assert claims.shown_value((0.5, -0.1, 1.0), "none") == "+0.50 [-0.10, +1.00]"
    assert claims.difference(0.019, "fraction") == "1.9 points"
    assert claims.difference(0.0, "year and month") == "0" and claims.difference(1.0, "year") == "1"


def test_parts_show_their_values():
    row = pd.Series(
        {"rule": "parts", "reason": "by weight|by events", "metric_key": "w.holds|e.holds", "unit": "fraction"}
    )
    numbers = {"w.value": 0.895, "e.value": 0.789}
    assert (
        claims.reason(row, (True, False), "partly supported", numbers)
        == "holds: by weight 89.5%; fails: by events 78.9%"
    )


def test_every_factual_claim_has_a_short_plain_headline_and_sources_not_found_are_marked():
    """A card is titled by its verdict and headline (never its id): every factual claim has one, of at most 12
    words and no Markdown. 'not found' marks only claims not checked because the source they cite was looked
    for and not found, as their reason says; a bad mark is an error naming the column."""
    register = claims.load_claims()
    factual = register[register["rule"] != "not_a_claim"]
    assert factual[factual["headline"].str.strip() == ""]["id"].to_list() == []
    assert [h for h in factual["headline"] if len(h.split()) > 12 or claims.plain_text(h) != h] == []
    marked = register[register["source_search"] == "not found"]
    assert len(marked) >= 4 and set(marked["rule"]) == {"not_checked"}
    assert all("not found" in reason for reason in marked["reason"])
    counts = claims.headline_counts(claims.judge({}, register[register["rule"].isin(claims.NO_METRIC_RULES)])[0])
    assert counts["claims.count.not_checked"] >= len(marked)


def test_a_source_search_other_than_not_found_is_refused(tmp_path):
    path = tmp_path / "claims.csv"
    pd.DataFrame(
        [{"id": "a", "document": "d.txt", "quote": "q", "about": "x", "rule": "not_checked", "chapter": "claims",
          "claimed": "y", "reason": "Not checked: looked for it", "source_search": "lost"}]
    ).to_csv(path, index=False)  # fmt: skip
    with pytest.raises(DataError, match="source_search"):
        claims.load_claims(path)
    pd.read_csv(path).assign(source_search="not found", rule="no_public_data").to_csv(path, index=False)
    with pytest.raises(DataError, match="source_search"):
        claims.load_claims(path)


def test_a_claims_words_are_shown_without_the_markdown_of_the_copy():
    assert (
        claims.plain_text("- **Rhode Island program**: cut deaths by 61%") == "Rhode Island program: cut deaths by 61%"
    )
    assert claims.plain_text("a *b* and 2 * 3 * 4, snake_case") == "a b and 2 * 3 * 4, snake_case"
    row = pd.Series({"quote": "| A | 45 |", "other_quotes": "| B | **12** |"})
    assert claims.table_rows(row) == [["A", "45"], ["B", "12"]] and claims.quote_text(row) == "A | 45; B | 12"
    assert claims.card_address("doc003_x") == "chapters/claims.html#claim-doc003-x"
    assert claims.card_address("doc003_x", "https://a.org/b/") == "https://a.org/b/chapters/claims.html#claim-doc003-x"
    assert claims.plain_verdict("not checked: source not held", "not found") == "Cited source not found"
    assert claims.plain_verdict("not checked: source not held") == "Not checked"


@pytest.mark.skipif(not DOCUMENTS.is_dir(), reason="../shared/source-documents is absent: quotes cannot be checked")
def test_every_quote_is_verbatim():
    texts = {path.name: path.read_text(encoding="utf-8") for path in DOCUMENTS.glob("*.txt")}
    register = claims.load_claims()
    not_verbatim = [
        f"{row.id}: {quote[:40]}"
        for row in register.itertuples()
        for quote in [row.quote, *filter(None, row.other_quotes.split("\n"))]
        if quote not in texts[row.document]
    ]
    assert not_verbatim == []


@pytest.mark.skipif(not DOCUMENTS.is_dir(), reason="../shared/source-documents is absent: coverage cannot be checked")
def test_every_checkable_sentence_is_in_the_register():
    register = claims.load_claims()
    missing = []
    for path in sorted(DOCUMENTS.glob("*.txt")):
        rows = register[register["document"] == path.name]
        quotes = [q for row in rows.itertuples() for q in [row.quote, *filter(None, row.other_quotes.split("\n"))]]
        whole = list(rows.loc[rows["rule"] == "not_a_claim", "quote"])
        for sentence in sentences.candidate_sentences(path.read_text(encoding="utf-8")):
            why = sentences.uncovered(sentence, quotes, whole)
            if why:
                missing.append(f"{path.name[:3]}: {why}: {sentence[:70]}")
    assert missing == []


def test_arithmetic_operations():
    assert claims.arithmetic_value("drop:80:16") == pytest.approx(0.8)
    assert claims.arithmetic_value("sum:45:12:25") == 82
    assert claims.arithmetic_value("ratio:1:4") == 0.25
    assert claims.arithmetic_value("remainder:1:0.62:0.28") == pytest.approx(0.10)
    with pytest.raises(Exception, match="unknown arithmetic"):
        claims.arithmetic_value("__import__:os")


# --- the coverage test on a small text ------------------------------------------------------------

TEXT = (
    "### Solution 1: Title\n1.\nU.S. citizens are 80% of cases. Most smugglers are citizens.\n"
    "Encounters fell sharply, and releases were zero. No claim here [2].\n| Group | Primary share |\n|---|---|\n"
    "| A | 62% |\nHSI is leading the way."
)


def test_candidate_sentences_include_digitless_claims():
    assert sentences.candidate_sentences(TEXT) == [
        "U.S. citizens are 80% of cases.",
        "Most smugglers are citizens.",
        "Encounters fell sharply, and releases were zero.",
        "| A | 62% |",
    ]
    assert sentences.numeric_sentences(TEXT) == ["U.S. citizens are 80% of cases.", "| A | 62% |"]


def test_a_quote_must_cover_every_marker():
    sentence = "Encounters fell sharply, and releases were zero."
    assert sentences.uncovered(sentence, ["Encounters fell sharply"]) == "not quoted: zero"
    assert sentences.uncovered("Most smugglers are citizens.", []) == "not quoted: Most"


def test_a_two_claim_sentence_needs_two_quotes():
    sentence = "Encounters fell sharply, and releases were zero."
    assert sentences.clauses_with_markers(sentence) == 2
    assert sentences.uncovered(sentence, [sentence]) == "two claims in one quote"
    assert sentences.uncovered(sentence, ["Encounters fell sharply", "releases were zero"]) is None
    assert sentences.uncovered(sentence, [sentence], whole_ok=[sentence]) is None  # a non-claim, quoted whole
    assert sentences.uncovered("U.S. citizens are 80% of cases.", ["citizens are 80%"]) is None


@pytest.mark.parametrize(
    "sentence, marker",
    [
        ("Citizens make up a large share.", "large"),
        ("Many seizures occur at ports.", "Many"),
        ("The link is weak.", "weak"),
        ("Citizens smuggle more fentanyl than migrants.", "more"),
    ],
)
def test_large_many_weak_and_more_are_markers(sentence, marker):
    assert sentences.candidate_sentences(sentence) == [sentence]
    assert sentences.uncovered(sentence, []) == f"not quoted: {marker}"


def test_citizen_share_floor():
    """Ports-only citizen share 80%, a quarter of seizures between ports all counted as non-citizens: 60%."""
    assert claims.citizen_share_floor(0.8, 0.25) == pytest.approx(0.6)
    assert claims.citizen_share_floor(0.8, 0.0) == pytest.approx(0.8)


def test_citizen_share_ceiling_and_the_bounds_wait_for_both_inputs():
    """All a quarter of seizures counted as citizens': 0.8 x 0.75 + 0.25 = 85%; no bounds before both inputs."""
    assert claims.citizen_share_ceiling(0.8, 0.25) == pytest.approx(0.85)
    inputs = {"who.ports.fentanyl.pct_citizen": 0.8, "checks.fentanyl.between_ports_event_share.earlier_mean": 0.25}
    bounds = claims.derived_numbers(inputs)
    assert bounds["claims.who.citizen_share_floor"] == pytest.approx(0.6)
    assert bounds["claims.who.citizen_share_ceiling"] == pytest.approx(0.85)
    assert claims.derived_numbers({"who.ports.fentanyl.pct_citizen": 0.8}) == {}


def _curated_rows(tmp_path, evidence):
    rows = [
        ["up", "d.txt", "q", "more than half", 0.5, 0.5, "fraction", "x", "share", "greater_than", 0, "who", ""],
        ["down", "d.txt", "q", "43%", 0.43, 0.43, "fraction", "x", "split", "within_tolerance", 0.02, "budget", ""],
        ["base", "d.txt", "q", "more than half", 0.5, 0.5, "fraction", "x", "usc", "greater_than", 0, "who", ""],
    ]
    register = synthetic_register(tmp_path, rows)
    register["evidence"] = evidence
    register["reason"] = ["Proxy: sentenced for prosecuted." if kind else "" for kind in evidence]
    return register


def test_a_number_from_a_secondary_curated_row_caps_the_verdict_like_a_secondary_page(tmp_path):
    """The rule's verdicts (supported, contradicted, supported) are capped for the two rows whose number a chapter
    published with source kind 'secondary', and not for the one whose row is primary; the reason says why."""
    register = _curated_rows(tmp_path, ["", "", ""])
    numbers = {"share": 0.802, "split": 0.571, "usc": 0.819}
    assert list(claims.assess(register, numbers)["verdict"]) == ["supported", "contradicted", "supported"]
    kinds = {"share.source_kind": "secondary", "split.source_kind": "secondary", "usc.source_kind": "primary"}
    assessed = claims.assess(register, {**numbers, **kinds})
    assert list(assessed["verdict"]) == ["consistent, not confirmed", "inconclusive", "supported"]
    assert list(assessed["evidence_applied"]) == ["secondary", "secondary", ""]
    assert assessed["why"][0] == f"80.2%: x; {claims.SOURCED_REASON}"
    assert [claims.basis(row, {}) for row in assessed.itertuples()] == [
        "secondary page only",
        "secondary page only",
        "book data sets",
    ]


def test_a_proxy_through_a_secondary_row_is_capped_by_both(tmp_path):
    register = _curated_rows(tmp_path, ["proxy", "", "proxy"])
    numbers = {"share": 0.802, "split": 0.571, "usc": 0.819, "share.source_kind": "secondary"}
    assessed = claims.assess(register, numbers)
    assert list(assessed["verdict"]) == ["consistent, not confirmed", "contradicted", "consistent, not confirmed"]
    assert list(assessed["evidence_applied"]) == ["proxy and secondary", "", "proxy"]
    assert claims.capped("contradicted", "proxy", "secondary") == "inconclusive"
    assert claims.capped("supported", "partial", "secondary") == "consistent, not confirmed"  # never confirms a part


def test_a_reason_fills_in_the_numbers_it_names_and_waits_for_them(tmp_path):
    reason = "Outside {claims.who.citizen_share_floor:.0%} to {claims.who.citizen_share_ceiling:.0%}."
    rows = [["r", "d.txt", "q", "62%", 0.62, 0.62, "fraction", "x", "share", "different_measure", 0, "who", reason]]
    register = synthetic_register(tmp_path, rows)
    assert claims.needed_keys(register.iloc[0]) == [
        "share",
        "claims.who.citizen_share_floor",
        "claims.who.citizen_share_ceiling",
    ]
    with pytest.raises(claims.MissingMetric, match="citizen_share_floor"):
        claims.assess(register, {"share": 0.8})
    inputs = {"who.ports.fentanyl.pct_citizen": 0.8, "checks.fentanyl.between_ports_event_share.earlier_mean": 0.25}
    assessed, _ = claims.judge({"share": 0.8, **inputs}, register)
    assert assessed["why"][0] == "80.0%: x; Outside 60% to 85%."
    table = claims.chapter_comparison(register, "who", {"share": 0.8})
    assert list(table["verdict"]) == [claims.NOT_COMPUTED_HERE]


# --- links, corrections and the download (the register as readers use it) ---------------------------


@pytest.mark.parametrize(
    "claim_id, expected",
    [
        ("doc003_bil_3_4b", "claim-doc003-bil-3-4b"),
        ("ports_fentanyl_90pct", "claim-ports-fentanyl-90pct"),
        ("A__b--c", "claim-a-b-c"),
    ],
)
def test_a_claims_anchor_is_what_sphinx_makes_of_its_label(claim_id, expected):
    from docutils.nodes import make_id

    assert claims.anchor(claim_id) == expected == make_id(expected)


def test_every_real_claim_has_a_distinct_anchor_sphinx_keeps_as_written():
    from docutils.nodes import make_id

    register = claims.load_claims()
    anchors = register["id"].map(claims.anchor)
    assert anchors.is_unique and all(make_id(anchor) == anchor for anchor in anchors)


def test_ids_that_would_share_a_link_are_refused(tmp_path):
    with pytest.raises(DataError, match="share the link 'claim-a-b'"):
        synthetic_register(
            tmp_path,
            [
                ["a_b", "d.txt", "q", "9", 9, 9, "n", "x", "k", "within_tolerance", 0, "ports", ""],
                ["a-b", "d.txt", "q", "9", 9, 9, "n", "x", "k", "within_tolerance", 0, "ports", ""],
            ],
        )


def test_a_quote_is_cited_with_its_document_number_and_without_table_pipes():
    row = pd.Series({"document": "001_x.txt", "quote": "| American Citizens | 62% |"})
    assert claims.quoted(row) == "001: \u201cAmerican Citizens | 62%\u201d"


def test_a_correction_fills_in_the_computed_value_and_chapter_numbers():
    numbers = {"budget.latest.fy": 2023, "budget.latest.budget_type": "request", "x.share": 0.4391}
    template = "Demand had {value} in FY{budget.latest.fy:d} ({budget.latest.budget_type}); {x.share:.1%} then."
    assert (
        claims.correction(template, 0.571, "fraction", numbers) == "Demand had 57.1% in FY2023 (request); 43.9% then."
    )
    assert claims.correction("No number here.", 1.0, "n", {}) == "No number here."
    with pytest.raises(claims.MissingMetric, match="needs budget.missing"):
        claims.correction("{budget.missing:.1f}", 1.0, "n", numbers)


def test_wrong_claims_carry_their_correction_or_else_their_reason(tmp_path):
    register = synthetic_register(
        tmp_path,
        [
            [
                "a",
                "000_x.txt",
                "q",
                "90%",
                0.9,
                0.9,
                "fraction",
                "share at ports",
                "k",
                "within_tolerance",
                0.02,
                "ports",
                "",
            ],
            [
                "b",
                "000_x.txt",
                "q",
                "10%",
                0.1,
                0.1,
                "fraction",
                "share between",
                "j",
                "within_tolerance",
                0.02,
                "ports",
                "",
            ],
            ["c", "000_x.txt", "q", "50%", 0.5, 0.5, "fraction", "x", "i", "within_tolerance", 0.02, "ports", ""],
        ],
    )
    register["correction"] = ["The share is {value}, not 90%.", "", "Never shown: the claim holds."]
    assessed, numbers = claims.judge({"k": 0.8, "j": 0.3, "i": 0.5}, register)
    wrong = claims.wrong_claims(assessed, numbers)
    assert list(wrong["id"]) == ["a", "b"]
    assert list(wrong["correction_text"]) == ["The share is 80.0%, not 90%.", assessed["why"][1]]


def test_the_registers_download_links_each_claim_to_its_card(tmp_path):
    register = synthetic_register(
        tmp_path,
        [
            [
                "a_1",
                "000_x.txt",
                "| about 90% |",
                "about 90%",
                0.9,
                0.9,
                "fraction",
                "x",
                "k",
                "within_tolerance",
                0.02,
                "ports",
                "",
            ],
            [
                "b",
                "004_y.txt",
                "we will",
                "",
                "",
                "",
                "",
                "x",
                "",
                "not_a_claim",
                "",
                "claims",
                "Not a factual claim: a plan.",
            ],
        ],
    )
    documents = pd.DataFrame(
        {"id": ["000", "004"], "title": ["T0", "T4"], "publisher": ["P0", "P4"], "date": ["undated", "2024-04-22"]}
    ).set_index("id", drop=False)
    assessed, _ = claims.judge({"k": 0.95}, register)
    frame = claims.register_download(assessed, documents, {})
    assert list(frame["link"]) == ["chapters/claims.html#claim-a-1", "chapters/claims.html#claim-b"]
    assert list(frame["verdict"]) == ["Wrong", "Not a claim"]
    assert list(frame["register_verdict"]) == ["contradicted", "not a factual claim"]
    assert list(frame["quote"]) == ["about 90%", "we will"] and list(frame["computed"]) == ["95.0%", ""]
    assert list(frame["document_title"]) == ["T0", "T4"] and list(frame["document_date"]) == ["undated", "2024-04-22"]


def test_every_verdict_has_one_plain_word():
    assert set(claims.PLAIN_VERDICTS) == set(claims.VERDICTS)
    words = [word for word, _ in claims.PLAIN_VERDICTS.values()]
    assert len(set(words)) == len(words)
    assert set(claims.WRONG) <= set(claims.VERDICTS)


def test_the_registers_numbers_count_wrong_claims_and_citations_read_elsewhere(tmp_path):
    register = synthetic_register(
        tmp_path,
        [
            ["a", "000_x.txt", "q", "90%", 0.9, 0.9, "fraction", "x", "k", "within_tolerance", 0.02, "ports", ""],
            ["s", "000_x.txt", "q", "288", 288, 288, "arrests", "x", "s", "source_check", 0, "checks", "One page."],
            ["t", "000_x.txt", "q", "12", 12, 12, "n", "x", "t", "source_check", 0, "checks", ""],
        ],
    )
    register["evidence"] = ["", "secondary", ""]
    numbers = {
        "k": 0.5,
        "s": 288.0,
        "t": 13.0,
        "who.ports.fentanyl.pct_citizen": 0.8,
        "checks.fentanyl.between_ports_event_share.earlier_mean": 0.25,
    }
    assessed, numbers = claims.judge(numbers, register)
    published = claims.register_numbers(assessed, numbers, {})
    assert published["claims.count.wrong"] == 2  # a contradicted, t misstates its source
    assert published["claims.count.source_checked"] == 2 and published["claims.count.cited_work_read"] == 1
    assert published["claims.count.source_read_elsewhere"] == 1
    assert published["claims.s.verdict"] == "consistent, not confirmed"
    assert published["claims.who.citizen_share_floor"] == pytest.approx(0.6)


def test_the_real_registers_corrections_type_only_the_documents_own_numbers():
    """A correction's computed numbers are placeholders ('{value}', '{chapter.key:spec}'); a number typed
    in it must be the document's own (in its quote or claimed words) or the row's scope (its 'about')."""
    register = claims.load_claims()
    written = register[register["correction"].str.strip() != ""]
    assert len(written) >= 4
    for row in written.itertuples():
        keys = [match.group(1) for match in claims.PLACEHOLDER.finditer(row.correction)]
        assert all(key == "value" or "." in key for key in keys), row.id
        typed = re.findall(r"\d[\d.,]*", claims.PLACEHOLDER.sub("", row.correction))
        assert all(number.rstrip(".,") in row.quote + row.claimed + row.about for number in typed), row.id


@pytest.mark.skipif(
    not DOCUMENTS.is_dir(), reason="../shared/source-documents is absent: the transcription cannot be checked"
)
def test_the_documents_title_publisher_and_date_are_read_from_their_copies():
    documents = claims.load_documents()
    assert list(documents.index) == ["000", "001", "002", "003", "004"]
    for document in documents.itertuples():
        text = (DOCUMENTS / document.file).read_text(encoding="utf-8")
        assert document.title in text and document.file.startswith(document.id)
        assert document.publisher.startswith("not named") or document.publisher.split(" (")[0] in text
        assert document.date.startswith("not dated") or re.fullmatch(r"\d{4}-\d{2}-\d{2}", document.date)
    dated = documents.loc["004"]
    assert dated.date == "2024-04-22" and "Last Updated: 04/22/2024" in (DOCUMENTS / dated.file).read_text()
    assert "Checked on January 26, 2026" in (DOCUMENTS / documents.loc["002", "file"]).read_text()


def test_each_document_has_one_title_in_the_register_and_in_the_references():
    """The box of wrong claims, the cards and References name a document by the same title."""
    bib = (config.PROJECT_ROOT / "references.bib").read_text(encoding="utf-8")
    for number, document in claims.load_documents().iterrows():
        entry = re.search(r"@misc\{doc" + number + r",(.*?)\n\}", bib, flags=re.S).group(1)
        title = re.search(r"title = \{(.*)\},", entry).group(1).replace("{", "").replace("}", "")
        assert title == document["title"], number
