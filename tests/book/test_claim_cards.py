"""Claim cards, the box of wrong claims and ClaimReview data, on a small synthetic register."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from analysis.book import claim_cards
from analysis.metrics import claims

COLUMNS = [
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


@pytest.fixture
def judged(tmp_path):
    """Three claims of two documents: one wrong (a dollar amount), one correct, one not a claim."""
    rows = [
        [
            "doc003_bil",
            "003_x.txt",
            "authorized $3.4 billion for *NII*",
            "$3.4 billion",
            3.4,
            3.4,
            "USD billion",
            "BIL funds for CBP equipment",
            "sources.bil",
            "within_tolerance",
            0.1,
            "checks",
            "",
        ],
        [
            "ports_90",
            "003_x.txt",
            "ports are ~90% of seizures",
            "~90%",
            0.9,
            0.9,
            "fraction",
            "port share, FY2023, by weight",
            "ports.share",
            "within_tolerance",
            0.025,
            "ports",
            "",
        ],
        [
            "hsi_plan",
            "004_y.txt",
            "We will lead the way",
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
    ]
    path = tmp_path / "claims.csv"
    pd.DataFrame(rows, columns=COLUMNS).assign(tolerance_reason="rounding").to_csv(path, index=False)
    register = claims.load_claims(path)
    register.loc["doc003_bil", "correction"] = "The law's $3.4 billion built ports; CBP got {value} billion."
    assessed, numbers = claims.judge({"sources.bil": 0.33, "ports.share": 0.91}, register)
    documents = pd.DataFrame(
        {
            "id": ["003", "004"],
            "title": ["Drug Trafficking: Solutions", "Narcotics Smuggling"],
            "publisher": ["not named in the copy", "Homeland Security Investigations (HSI)"],
            "date": ["not dated in the copy", "2024-04-22"],
            "kind": ["a policy paper", "a U.S. government web page"],
        }
    ).set_index("id", drop=False)
    sources = pd.DataFrame(
        {
            "claim_id": ["doc003_bil"],
            "source_title": ["GSA, 'BIL and LPOEs'"],
            "source_url": ["https://www.gsa.gov/x_(y)"],
            "source_date": ["undated"],
            "source_kind": ["primary"],
        }
    )
    return assessed, numbers, documents, sources


def test_inline_text_reads_no_markup():
    assert claim_cards.inline("$3.4 billion and $5") == r"\$3.4 billion and \$5"
    assert claim_cards.inline("a *b* [c](d) `e` <f>\n g_h") == r"a \*b\* \[c\](d) \`e\` \<f\> g\_h"


def test_a_card_has_its_label_quote_plain_verdict_evidence_chapter_and_link(judged):
    assessed, numbers, documents, sources = judged
    row = next(assessed[assessed["id"] == "doc003_bil"].itertuples())
    text = claim_cards.card(
        row,
        documents.loc["003"],
        sources,
        {"doc003_bil": {"primary"}},
        "Book authors",
        correction="CBP got 0.33 billion.",
    )
    assert text.startswith("(claim-doc003-bil)=\n:::{admonition} Wrong: doc003\\_bil\n:class: claim-card verdict-wrong")
    assert "> \u201cauthorized \\$3.4 billion for \\*NII\\*\u201d" in text
    assert "- Document: 003, *Drug Trafficking: Solutions*" in text
    assert "- Verdict: Wrong (register: contradicted)" in text and "- Correction: CBP got 0.33 billion." in text
    assert (
        "- Evidence: transcribed primary page: [GSA, 'BIL and LPOEs'](<https://www.gsa.gov/x_(y)>) (undated, primary)"
        in text
    )
    assert (
        "- In the book: {ref}`Other checks <chapter-checks>`\n"
        "- Link to this card: {ref}`#claim-doc003-bil <claim-doc003-bil>`" in text
    )
    html, latex = text.split("````{only} latex")
    assert "````{only} html" in html and "- Claimed:" in html
    assert latex.startswith(
        "\n\u201cauthorized \\$3.4 billion for \\*NII\\*\u201d (register: contradicted) "
        "Claimed: \\$3.4 billion \u00b7 Correction: CBP got"
    )
    assert '<script type="application/ld+json">' in latex.split(":::")[1]  # after the card, for the HTML only


def test_a_statement_that_is_not_a_claim_gets_a_short_card_without_review(judged):
    assessed, numbers, documents, sources = judged
    row = next(assessed[assessed["id"] == "hsi_plan"].itertuples())
    text = claim_cards.card(row, documents.loc["004"], sources, {}, "Book authors")
    assert "- Why: Not a factual claim: a plan." in text and "Claimed:" not in text and "Evidence:" not in text
    assert "ld+json" not in text


def test_claim_review_has_what_search_engines_read(judged):
    assessed, numbers, documents, sources = judged
    row = next(assessed[assessed["id"] == "ports_90"].itertuples())
    review = claim_cards.claim_review(row, documents.loc["003"], "Book authors")
    assert review["@type"] == "ClaimReview" and review["url"] == "claims.html#claim-ports-90"
    assert review["claimReviewed"] == "ports are ~90% of seizures"
    assert review["reviewRating"]["alternateName"] == "Correct"
    assert review["itemReviewed"]["author"]["name"] == "not named in the copy"
    assert "datePublished" not in review["itemReviewed"]  # the copy is undated: no date is made up
    dated = claim_cards.claim_review(row, documents.loc["004"], "Book authors")
    assert dated["itemReviewed"]["datePublished"] == "2024-04-22"
    block = claim_cards.json_ld_block({**review, "claimReviewed": "a </script> inside"})
    script = re.search(r'<script type="application/ld\+json">(.*)</script>', block).group(1)
    assert json.loads(script)["claimReviewed"] == "a </script> inside"


def test_cards_come_by_document_wrong_first_and_not_claims_last(judged):
    assessed, numbers, documents, sources = judged
    text = claim_cards.cards_by_document(assessed, documents, sources, {}, {"doc003_bil": "fixed"}, "Book authors")
    assert (
        text.index("### 003: Drug Trafficking: Solutions")
        < text.index("(claim-doc003-bil)=")
        < text.index("(claim-ports-90)=")
        < text.index("### 004: Narcotics Smuggling")
        < text.index("(claim-hsi-plan)=")
    )
    assert "2 rows: Wrong 1, Correct 1." in text
    assert text.count("ld+json") == 2
    statements = text.split("`````{only} latex")[1]
    assert "Statement that is not a factual claim" in statements and "\u201cWe will lead the way\u201d" in statements
    assert text.index("`````{only} html") < text.index("(claim-hsi-plan)=") < text.index("`````{only} latex")


def test_the_box_names_every_document_and_lists_each_wrong_claim_with_its_correction(judged):
    assessed, numbers, documents, sources = judged
    wrong = claims.wrong_claims(assessed, numbers)
    box = claim_cards.wrong_box(wrong, documents, 2)
    assert box.startswith(":::{admonition} What the five documents get wrong\n:class: wrong-box")
    assert "- 003, *Drug Trafficking: Solutions*. Publisher: not named in the copy. Date: not dated in the copy." in box
    assert "- 004, *Narcotics Smuggling*. Publisher: Homeland Security Investigations (HSI). Date: 2024-04-22." in box
    assert "Wrong claims: 1 of their 2 factual claims (the data contradict them" in box
    assert (
        "- Wrong (003): \u201cauthorized \\$3.4 billion for \\*NII\\*\u201d Correction: The law's \\$3.4 billion "
        "built ports; CBP got 0.33 billion. {ref}`Card <claim-doc003-bil>`."
    ) in box
    none = claim_cards.wrong_box(wrong.iloc[0:0], documents, 2, title="Documents")
    assert none.startswith(":::{admonition} Documents") and "None of their 2 factual claims" in none


def test_the_mapping_table_counts_every_row_once(judged):
    assessed, *_ = judged
    table = claim_cards.mapping_table(assessed)
    assert table["Rows"].sum() == len(assessed) and len(table) == len(claims.VERDICTS)
    assert table.set_index("Register verdict").loc["contradicted", "Plain verdict"] == "Wrong"


def test_links_to_a_chapter_and_to_a_card():
    assert claim_cards.where("state-panel") == "{ref}`States <chapter-state-panel>`"
    assert claim_cards.card_link("doc003_rand_7", "card") == "{ref}`card <claim-doc003-rand-7>`"
    with pytest.raises(KeyError):
        claim_cards.where("nowhere")
