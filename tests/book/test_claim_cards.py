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
    "other_quotes",
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
    "headline",
    "section",
    "source_search",
    "same_claim_as",
]
# (id, document, quote, other quotes, claimed, low, high, unit, about, metric, rule, tolerance, chapter, reason,
#  headline, section, source search, same claim as)
ROWS = [
    ["doc003_bil", "003_x.txt", "authorized $3.4 billion for *NII*", "", "$3.4 billion", 3.4, 3.4, "USD billion",
     "BIL funds for CBP equipment", "sources.bil", "within_tolerance", 0.1, "checks", "", "The law gave $3.4 billion",
     "", "", ""],
    ["ports_90", "003_x.txt", "ports are ~90% of seizures", "", "~90%", 0.9, 0.9, "fraction",
     "port share, FY2023, by weight", "ports.share", "within_tolerance", 0.025, "ports", "", "Ports hold 90%",
     "", "", ""],
    ["ports_90_events", "003_x.txt", "ports are ~90% of seizures", "", "~90%", 0.9, 0.9, "fraction",
     "port share, FY2023, by events", "ports.events", "within_tolerance", 0.025, "ports", "",
     "Ports hold 90% of events", "", "", "ports_90"],
    ["hsi_plan", "004_y.txt", "We will lead the way", "", "", "", "", "", "x", "", "not_a_claim", "", "claims",
     "Not a factual claim: a plan.", "", "", "", ""],
    ["doc003_cbo", "003_x.txt", "- **Cost**: $5 billion (CBO, 2024).", "", "$5 billion", 5, 5, "USD billion",
     "cost", "", "not_checked", "", "budget", "Not checked: the cited CBO estimate was not found; see doc003_bil.",
     "Scanning costs $5 billion (CBO)", "", "not found", ""],
    ["doc001_kg", "001_z.txt", "| Group | kg/month |", "| Citizens | 45 |\n| Cartels | 25 |", "45 and 25 kg/month",
     70, 70, "kg", "CBP seizures per month", "who.kg", "within_tolerance", 1, "who", "", "45 and 25 kg a month",
     "who-volume", "", ""],
]  # fmt: skip


@pytest.fixture
def judged(tmp_path):
    """Six rows of three documents: one wrong (a dollar amount), a correct claim checked twice in one sentence,
    a statement that is not a claim, a claim whose cited source was not found, and a table's rows."""
    path = tmp_path / "claims.csv"
    pd.DataFrame(ROWS, columns=COLUMNS).assign(tolerance_reason="rounding").to_csv(path, index=False)
    register = claims.load_claims(path)
    register.loc["doc003_bil", "correction"] = "The law's $3.4 billion built ports; CBP got {value} billion."
    assessed, numbers = claims.judge(
        {
            "sources.bil": 0.33,
            "sources.bil.source_kind": "primary",
            "ports.share": 0.91,
            "ports.events": 0.89,
            "who.kg": 1021.0,
        },
        register,
    )
    documents = pd.DataFrame(
        {
            "id": ["001", "003", "004"],
            "title": ["An article", "Drug Trafficking: Solutions", "Narcotics Smuggling"],
            "publisher": ["not named in the copy", "not named in the copy", "Homeland Security Investigations (HSI)"],
            "date": ["not dated in the copy", "not dated in the copy", "2024-04-22"],
            "kind": ["a news-style article citing a KPBS report", "a policy paper", "a U.S. government web page"],
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


def context(judged, **settings) -> claim_cards.Register:
    assessed, numbers, documents, sources = judged
    wrong = claims.wrong_claims(assessed, numbers)
    base = claim_cards.Register(
        documents=documents,
        sources=sources,
        kinds={"doc003_bil": {"primary"}},
        corrections=dict(zip(wrong["id"], wrong["correction_text"], strict=True)),
        reviewer="Book authors",
        related=claim_cards.related(assessed),
        titles={row.id: (claim_cards.row_plain(row), claim_cards.headline(row)) for row in assessed.itertuples()},
    )
    return claim_cards.Register(**{**base.__dict__, **settings})


def row_of(judged, claim_id):
    assessed = judged[0]
    return next(assessed[assessed["id"] == claim_id].itertuples())


def test_inline_text_reads_no_markup():
    assert claim_cards.inline("$3.4 billion and $5") == r"\$3.4 billion and \$5"
    assert claim_cards.inline("a *b* [c](d) `e` <f>\n g_h") == r"a \*b\* \[c\](d) \`e\` \<f\> g\_h"


def test_a_card_has_its_headline_quote_plain_verdict_evidence_chapter_and_address(judged):
    text = claim_cards.card(row_of(judged, "doc003_bil"), context(judged))
    assert text.startswith(
        "(claim-doc003-bil)=\n:::{admonition} Wrong: The law gave \\$3.4 billion\n:class: claim-card verdict-wrong"
    )
    assert "> \u201cauthorized \\$3.4 billion for NII\u201d" in text  # the copy's *emphasis* is not shown
    assert "- Document: 003, *Drug Trafficking: Solutions*" in text
    assert "- Verdict: Wrong (register: contradicted)" in text and "- Correction: The law's \\$3.4 billion" in text
    assert (
        "- Evidence: transcribed primary page: [GSA, 'BIL and LPOEs'](<https://www.gsa.gov/x_(y)>) (undated, primary)"
        in text
    )
    assert (
        "- In the book: {ref}`Other checks <chapter-checks>`\n- Link to this card: "
        '<a class="card-address" href="#claim-doc003-bil" data-full="no">chapters/claims.html#claim-doc003-bil</a>'
    ) in text
    html, latex = text.split("````{only} latex")
    assert "````{only} html" in html and "- Claimed:" in html
    assert latex.startswith(
        "\n\u201cauthorized \\$3.4 billion for NII\u201d (register: contradicted) Claimed: \\$3.4 billion \u00b7 "
    )
    assert '<script type="application/ld+json">' in latex.split(":::")[1]  # after the card, for the HTML only


def test_with_the_books_address_a_card_gives_its_full_address(judged):
    text = claim_cards.card(row_of(judged, "ports_90"), context(judged, book_url="https://example.org/book"))
    assert (
        '<a class="card-address" href="#claim-ports-90" data-full="yes">'
        "https://example.org/book/chapters/claims.html#claim-ports-90</a>"
    ) in text


def test_a_tables_claim_quotes_its_rows_and_links_its_section(judged):
    row = row_of(judged, "doc001_kg")
    assert claim_cards.quote_lines(row) == [
        "> From a table of the document:",
        ">",
        "> Group \u00a0|\u00a0 kg/month",
        ">",
        "> Citizens \u00a0|\u00a0 45",
        ">",
        "> Cartels \u00a0|\u00a0 25",
    ]
    assert claim_cards.claim_reviewed(row) == "A table: Group | kg/month; Citizens | 45; Cartels | 25"
    assert "- In the book: {ref}`Who is convicted <who-volume>`" in claim_cards.card(row, context(judged))


def test_a_claim_whose_cited_source_was_not_found_says_so_and_links_the_claim_its_reason_names(judged):
    text = claim_cards.card(row_of(judged, "doc003_cbo"), context(judged))
    assert ":::{admonition} Cited source not found: Scanning costs \\$5 billion (CBO)" in text
    assert "> \u201cCost: \\$5 billion (CBO, 2024).\u201d" in text  # no list dash, no bold marks
    assert "see {ref}`\u201cThe law gave $3.4 billion\u201d <claim-doc003-bil>`." in text
    assert "Evidence:" not in text


def test_a_claim_checked_twice_and_a_sentence_with_two_claims_link_each_other(judged):
    first = claim_cards.card(row_of(judged, "ports_90"), context(judged))
    second = claim_cards.card(row_of(judged, "ports_90_events"), context(judged))
    assert "- Checked twice; see also: {ref}`Ports hold 90% of events <claim-ports-90-events>` (Correct)" in first
    assert "- Checked twice; see also: {ref}`Ports hold 90% <claim-ports-90>` (Correct)" in second
    assessed = judged[0]
    twin = assessed.assign(same_claim_as="")
    assert claim_cards.related(twin)["ports_90"] == [("ports_90_events", "same sentence")]


def test_a_statement_that_is_not_a_claim_gets_a_short_card_without_review(judged):
    text = claim_cards.card(row_of(judged, "hsi_plan"), context(judged))
    assert ":::{admonition} Not a claim: We will lead the way" in text
    assert "- Why: Not a factual claim: a plan." in text and "Claimed:" not in text and "Evidence:" not in text
    assert "ld+json" not in text


def test_claim_review_says_only_what_is_known(judged):
    documents = judged[2]
    row = row_of(judged, "ports_90")
    review = claim_cards.claim_review(row, documents.loc["003"], context(judged))
    assert review["@type"] == "ClaimReview" and review["claimReviewed"] == "ports are ~90% of seizures"
    assert review["reviewRating"]["alternateName"] == "Correct" and review["author"]["name"] == "Book authors"
    # the copy names no publisher and no date, and the book has no public address: none is made up
    assert "author" not in review["itemReviewed"] and "datePublished" not in review["itemReviewed"]
    assert "url" not in review and "datePublished" not in review
    published = claim_cards.claim_review(
        row, documents.loc["004"], context(judged, book_url="https://example.org/b", review_date="2026-12-04")
    )
    assert published["itemReviewed"]["author"]["name"] == "Homeland Security Investigations (HSI)"
    assert published["itemReviewed"]["datePublished"] == "2024-04-22"
    assert published["url"] == "https://example.org/b/chapters/claims.html#claim-ports-90"
    assert published["datePublished"] == "2026-12-04"
    block = claim_cards.json_ld_block({**review, "claimReviewed": "a </script> inside"})
    script = re.search(r'<script type="application/ld\+json">(.*)</script>', block).group(1)
    assert json.loads(script)["claimReviewed"] == "a </script> inside"


def test_cards_come_by_document_wrong_first_and_not_claims_last_after_the_filter_box(judged):
    text = claim_cards.cards_by_document(judged[0], context(judged))
    assert (
        text.index('<div class="claim-filter"')
        < text.index("### 001: An article")
        < text.index("### 003: Drug Trafficking: Solutions")
        < text.index("(claim-doc003-bil)=")
        < text.index("(claim-ports-90)=")
        < text.index("(claim-doc003-cbo)=")
        < text.index("### 004: Narcotics Smuggling")
        < text.index("(claim-hsi-plan)=")
    )
    assert "A policy paper; publisher and date not given in the copy. 4 rows: Correct 2, Wrong 1, Cited source" in text
    assert '<option value="Cited source not found">Cited source not found</option>' in text
    assert text.count("ld+json") == 5
    statements = text.split("`````{only} latex")[1]
    assert "Statement that is not a factual claim" in statements and "\u201cWe will lead the way\u201d" in statements


def test_the_box_names_every_document_counts_wrong_claims_among_those_judged_and_lists_sources_not_found(judged):
    assessed, numbers, documents, _ = judged
    wrong = claims.wrong_claims(assessed, numbers)
    counts = claims.headline_counts(assessed)
    box = claim_cards.wrong_box(wrong, documents, counts, not_found=claim_cards.not_found_claims(assessed))
    assert box.startswith(":::{admonition} What the five documents get wrong\n:class: wrong-box")
    assert "- 001, *An article*: a news-style article citing a KPBS report; publisher and date not given" in box
    assert (
        "- 004, *Narcotics Smuggling*: a U.S. government web page; publisher: Homeland Security Investigations "
        "(HSI); dated 2024-04-22." in box
    )
    assert "Wrong: 2 of the 3 claims the book could judge" in box and "the other 1 of their 4 factual" in box
    assert (
        "- Wrong (003): \u201cauthorized \\$3.4 billion for NII\u201d Correction: The law's \\$3.4 billion "
        "built ports; CBP got 0.33 billion. {ref}`Card <claim-doc003-bil>`."
    ) in box
    assert "- Wrong (001): its table: 45 and 25 kg/month." in box
    assert "Cited source not found: 1 claims cite" in box and "not called fabricated" in box
    assert "- 003: \u201cCost: \\$5 billion (CBO, 2024).\u201d {ref}`Card <claim-doc003-cbo>`." in box
    none = claim_cards.wrong_box(wrong.iloc[0:0], documents, counts, title="Documents")
    assert none.startswith(":::{admonition} Documents") and "None of the 3 claims the book could judge" in none
    assert "Cited source not found" not in none


def test_the_mapping_table_counts_every_row_once_with_its_own_word_for_a_source_not_found(judged):
    assessed = judged[0]
    table = claim_cards.mapping_table(assessed).set_index("Plain verdict")
    assert table["Rows"].sum() == len(assessed) and len(table) == len(claims.VERDICTS) + 1
    assert table.loc["Wrong", "Register verdict"] == "contradicted" and table.loc["Wrong", "Rows"] == 2
    assert table.loc["Cited source not found", "Rows"] == 1 and table.loc["Not checked", "Rows"] == 0
    assert table.loc["Cited source not found", "Register verdict"].startswith("not checked: source not held")


def test_links_to_a_chapter_its_section_and_a_card():
    assert claim_cards.where("state-panel") == "{ref}`States <chapter-state-panel>`"
    assert claim_cards.where("who", "who-volume") == "{ref}`Who is convicted <who-volume>`"
    assert claim_cards.card_link("doc003_rand_7", "card") == "{ref}`card <claim-doc003-rand-7>`"
    assert (
        claim_cards.card_link("doc003_merida", "gave $3.3 billion") == "{ref}`gave $3.3 billion <claim-doc003-merida>`"
    )
    with pytest.raises(KeyError):
        claim_cards.where("nowhere")
    assert claim_cards.linked("see a_b and a_bc.", {"a_b": ("W", "One"), "a_bc": ("C", "$2")}) == (
        "see {ref}`\u201cOne\u201d <claim-a-b>` and {ref}`\u201c$2\u201d <claim-a-bc>`."
    )


def test_the_evidence_field_says_what_limits_it():
    """n3: a proxy row's card says so beside its basis, and so does a row with one part on a secondary row."""
    row = pd.Series({"id": "r", "rule": "greater_than", "metric_key": "ports.ratio", "evidence": "proxy",
                     "evidence_applied": "proxy", "partly_secondary": False, "evidence_note": ""})  # fmt: skip
    sources = pd.DataFrame(columns=["claim_id", "source_title", "source_url", "source_date", "source_kind"])
    assert claim_cards.evidence_text(row, sources, {}) == "book data sets (proxy)"
    capped = row.copy()
    capped[["evidence", "evidence_applied"]] = ["partial", "partial and secondary"]
    assert claim_cards.evidence_text(capped, sources, {}) == "secondary page only (partial)"
    parts = pd.Series({"id": "p", "rule": "parts", "metric_key": "a.holds|b.holds", "evidence": "",
                       "evidence_applied": "secondary", "partly_secondary": True, "evidence_note": ""})  # fmt: skip
    assert claim_cards.evidence_text(parts, sources, {}) == "book data sets (one part on a secondary source)"
