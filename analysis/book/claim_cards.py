"""The claims register as readers use it: one card per claim with its own link, the box of what the
documents get wrong, and schema.org ClaimReview data for search engines.

Everything here is MyST text built from the judged register (``claims.judge``); the numbers in it
are the register's computed values and corrections, never typed. A card's address is
``claims.anchor(id)``, written as its label so that the HTML id and the label are one string; its
full address starts with the book's public address when CITATION.cff gives one (``citation.book_url``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

import pandas as pd
from IPython.display import Markdown

from analysis.book import citation, downloads
from analysis.book.tables import list_table, markdown_table
from analysis.metrics import claims

# Each chapter a claim can point to: the words of the link and the chapter's label.
CHAPTERS = {
    "ports": ("Ports of entry", "chapter-ports"),
    "encounters": ("Encounters", "chapter-encounters"),
    "who": ("Who is convicted", "chapter-who"),
    "budget": ("Budget", "chapter-budget"),
    "correlation": ("Correlation", "chapter-correlation"),
    "state-panel": ("States", "chapter-state-panel"),
    "checks": ("Other checks", "chapter-checks"),
    "claims": ("This register", "chapter-claims"),
}
# The order cards appear in within a document: what is wrong first, what is not a claim last.
CARD_ORDER = (
    "contradicted",
    "misstates its cited source",
    "partly supported",
    "inconclusive",
    "consistent, not confirmed",
    "supported",
    "arithmetic follows from the document's premise",
    "matches its cited source",
    "not checked: source not held",
    "no public data",
    "not a factual claim",
)
MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>$])")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
HEADLINE_WORDS = 10  # a statement that is not a factual claim is titled by its first words
# What a document's copy says when it names no publisher or date (data/curated/source_documents.csv).
UNKNOWN = ("not named in the copy", "not dated in the copy")


@dataclass(frozen=True)
class Register:
    """What a card draws on besides its own row: the documents, the transcribed sources and their kinds,
    the corrections of wrong claims, who reviews and when (CITATION.cff), the book's public address, and
    the cards of the same claim or sentence with their verdicts and titles (``related``, ``titles``)."""

    documents: pd.DataFrame
    sources: pd.DataFrame
    kinds: dict
    corrections: dict = field(default_factory=dict)
    reviewer: str = ""
    review_date: str | None = None
    book_url: str | None = None
    related: dict = field(default_factory=dict)
    titles: dict = field(default_factory=dict)


def inline(text) -> str:
    """Text from the register or a document as plain MyST inline text: one line, and no character read
    as markup (a '$' of a dollar amount would otherwise open inline math)."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def where(chapter: str, section: str = "") -> str:
    """A link to the chapter that computes a claim's numbers, or to its section (a label) that discusses it."""
    title, label = CHAPTERS[chapter]
    return f"{{ref}}`{title} <{section or label}>`"


def card_link(claim_id: str, text: str) -> str:
    """A link to a claim's card, from any page of the book. A role's text is shown as written (a '$' is not
    math there), so only what would end the role is replaced: a backquote, and '<' that would start its label."""
    shown = " ".join(str(text).split()).replace("`", "'").replace("<", "\u2039")
    return f"{{ref}}`{shown} <{claims.anchor(claim_id)}>`"


def row_plain(row) -> str:
    """The reader's word for one row's verdict (``claims.plain_verdict``)."""
    return claims.plain_verdict(row.verdict, getattr(row, "source_search", ""))


def headline(row) -> str:
    """A card's title after its verdict: the register's headline, or for a statement that is not a factual
    claim its first words."""
    if str(getattr(row, "headline", "")).strip():
        return row.headline
    words = claims.quote_text(row).split()
    return " ".join(words[:HEADLINE_WORDS]) + ("\u2026" if len(words) > HEADLINE_WORDS else "")


def document_name(document: pd.Series) -> str:
    """'003, *Drug Trafficking: Solutions*': the register's number and the document's title."""
    return f"{document['id']}, *{inline(document['title'])}*"


def known(value: str) -> bool:
    """Does a document's copy give this publisher or date (``UNKNOWN``: it does not)?"""
    return str(value).strip() not in UNKNOWN


def provenance(document: pd.Series) -> str:
    """Publisher and date as the copy gives them, in one phrase ('publisher and date not given in the copy')."""
    publisher, date = document["publisher"], document["date"]
    if not known(publisher) and not known(date):
        return "publisher and date not given in the copy"
    return "; ".join(
        [
            f"publisher: {inline(publisher)}" if known(publisher) else "publisher not named in the copy",
            f"dated {inline(date)}" if known(date) else "not dated in the copy",
        ]
    )


def document_line(document: pd.Series) -> str:
    """One document as the box lists it: number, title, what kind of document it is (and what it cites), and
    its publisher and date as its copy gives them."""
    return f"{document_name(document)}: {inline(document['kind'])}; {provenance(document)}."


def claim_words(row) -> str:
    """The claim in the document's words: its quote, or for a claim read from a table, what the table states."""
    if claims.table_rows(row):
        return f"its table: {inline(row.claimed)}."
    return f"\u201c{inline(claims.quote_text(row))}\u201d"


def quote_lines(row) -> list[str]:
    """The claim's words as the HTML card quotes them (a Markdown block quote): the sentence without the
    Markdown of the document's copy, or the table's rows one a line, cells apart."""
    rows = claims.table_rows(row)
    if not rows:
        return [f"> \u201c{inline(claims.plain_text(row.quote))}\u201d"]
    lines = ["> From a table of the document:"]
    for cells in rows:
        lines += [">", "> " + " \u00a0|\u00a0 ".join(inline(cell) for cell in cells)]
    return lines


def sources_text(claim_id: str, sources: pd.DataFrame) -> str:
    """The pages transcribed for a claim, as links with their date and kind ('' when there are none)."""
    rows = sources[sources["claim_id"] == claim_id]
    return "; ".join(
        f"[{inline(row.source_title)}](<{row.source_url}>) ({inline(row.source_date)}, {row.source_kind})"
        for row in rows.itertuples()
    )


def evidence_limits(row) -> list[str]:
    """The limits on a row's evidence that its basis does not already say (``claims.basis`` says 'secondary'):
    each other cap it carries ('proxy', 'partial', 'other source': ``evidence_applied``), and a part read on a
    secondary row when other parts rest on primary data (``partly_secondary``)."""
    applied = str(getattr(row, "evidence_applied", row.evidence) or "")
    limits = [kind for kind in applied.split(" and ") if kind and kind != "secondary"]
    return limits + (["one part on a secondary source"] if getattr(row, "partly_secondary", False) else [])


def evidence_text(row, sources: pd.DataFrame, kinds: dict) -> str:
    """What a judged claim's verdict rests on (``claims.basis``) with the limits of that evidence
    (``evidence_limits``: 'book data sets (proxy)'), what those data are where the register says
    (``evidence_note``: e.g. official records as another organisation tabulated them), and the pages
    transcribed for it."""
    found = sources_text(row.id, sources)
    note = str(getattr(row, "evidence_note", "") or "").strip()
    basis = claims.basis(row, kinds) or "no data or source"
    limits = "; ".join(evidence_limits(row))
    return (
        basis
        + (f" ({limits})" if limits else "")
        + (f" ({inline(note)})" if note else "")
        + (f": {found}" if found else "")
    )


def related(assessed: pd.DataFrame) -> dict[str, list[tuple[str, str]]]:
    """claim id -> the other cards of the same claim or the same sentence, each (id, relation): 'checked
    twice' for a claim judged in two rows (``same_claim_as``), 'same sentence' for another claim quoted
    from the same words."""
    twice = {
        frozenset((row.id, row.same_claim_as)) for row in assessed.itertuples() if str(row.same_claim_as or "").strip()
    }
    links: dict[str, list[tuple[str, str]]] = {}
    for _, group in assessed.groupby(assessed["quote"].str.strip()):
        for first in group["id"]:
            for other in group["id"]:
                if other != first:
                    relation = "checked twice" if frozenset((first, other)) in twice else "same sentence"
                    links.setdefault(first, []).append((other, relation))
    for pair in twice:  # a second check quoted in other words
        first, other = sorted(pair)
        for one, two in ((first, other), (other, first)):
            if (two, "checked twice") not in links.get(one, []):
                links.setdefault(one, []).append((two, "checked twice"))
    return {claim_id: sorted(found) for claim_id, found in links.items()}


def spaced(text: str) -> str:
    """``inline`` text that keeps one space where the piece began or ended with one (a piece between links)."""
    return (" " if text[:1].isspace() else "") + inline(text) + (" " if text[-1:].isspace() and text.strip() else "")


# A reason that names the register's notes ('Notes on particular claims') links to them.
NOTES_WORDS, NOTES_LABEL, NOTES_MARK = "Notes on particular claims", "claims-notes", "\x00notes\x00"


def linked(text: str, titles: dict) -> str:
    """A register text (a row's reason) as MyST inline text in which each claim id it names ('the premise is
    judged in claim doc003_x') becomes a link to that claim's card, in the card's own words, and the register's
    notes (``NOTES_WORDS``) a link to their section."""
    if not titles:
        return inline(text)
    text = str(text).replace(NOTES_WORDS, NOTES_MARK)
    ids = re.compile(
        r"\b(" + "|".join(re.escape(claim_id) for claim_id in sorted(titles, key=len, reverse=True)) + r")\b"
    )
    pieces = ids.split(str(text))
    return "".join(
        card_link(piece, f"\u201c{titles[piece][1]}\u201d") if index % 2 else spaced(piece)
        for index, piece in enumerate(pieces)
    ).replace(NOTES_MARK, f"{{ref}}`{NOTES_WORDS} <{NOTES_LABEL}>`")


def see_also(claim_id: str, register: Register) -> list[tuple[str, str]]:
    """The card's lines about its related cards (``related``): 'Checked twice; see also' the other check, or
    'Same sentence, another claim', each with that card's title and verdict."""
    fields = []
    for other, relation in register.related.get(claim_id, []):
        word, title = register.titles.get(other, ("", other))
        name = "Checked twice; see also" if relation == "checked twice" else "Same sentence, another claim"
        fields.append((name, card_link(other, title) + (f" ({word})" if word else "")))
    return fields


def card_address_html(claim_id: str, book_url: str | None) -> str:
    """The card's own address as a copyable link: in full when the book's public address is known, else
    from the book's root, which the page's script (table-tools.js) completes with the address the reader
    is reading it at."""
    address = claims.card_address(claim_id, book_url)
    full = "yes" if book_url else "no"
    return f'<a class="card-address" href="#{claims.anchor(claim_id)}" data-full="{full}">{address}</a>'


def claim_reviewed(row) -> str:
    """What a ClaimReview says was reviewed: the sentence, or the table's rows (never its header alone)."""
    return ("A table: " if claims.table_rows(row) else "") + claims.quote_text(row)


def claim_review(row, document: pd.Series, register: Register) -> dict:
    """schema.org ClaimReview for one factual claim, as fact-checkers publish it for search engines: the
    claim, who made it and when, the plain verdict, who reviewed it and when, and the card's address. What
    the document's copy does not say (its publisher, its date) and an address the book does not have are
    left out, never filled with a placeholder."""
    item = {"@type": "Claim", "appearance": {"@type": "CreativeWork", "headline": document["title"]}}
    if known(document["publisher"]):
        item["author"] = {"@type": "Organization", "name": document["publisher"]}
    if ISO_DATE.fullmatch(str(document["date"])):
        item["datePublished"] = document["date"]
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": claim_reviewed(row),
        "itemReviewed": item,
        "author": {"@type": "Organization", "name": register.reviewer},
        "reviewRating": {
            "@type": "Rating",
            "alternateName": row_plain(row),
            "ratingExplanation": f"Register verdict: {row.verdict}. {row.why}",
        },
    }
    if register.book_url:
        review["url"] = claims.card_address(row.id, register.book_url)
    if register.review_date and ISO_DATE.fullmatch(register.review_date):
        review["datePublished"] = register.review_date
    return review


def json_ld_block(review: dict) -> str:
    """A ClaimReview as a raw-HTML script block: the HTML book carries it, the PDF leaves it out."""
    text = json.dumps(review, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
    return "\n".join(["```{raw} html", f'<script type="application/ld+json">{text}</script>', "```"])


def card_fields(row, document: pd.Series, register: Register) -> list[tuple[str, str]]:
    """What a card says after the quote, as (field, MyST text) pairs."""
    factual = row.verdict != "not a factual claim"
    fields = [("Document", document_name(document))]
    if factual:
        fields.append(("Claimed", inline(row.claimed)))
    fields.append(("Verdict", f"{row_plain(row)} (register: {row.verdict})"))
    correction = register.corrections.get(row.id, "")
    if correction:
        fields.append(("Correction", inline(correction)))
    fields.append(("Found" if factual else "Why", linked(row.why, register.titles)))
    if factual and row.verdict not in ("not checked: source not held", "no public data"):
        fields.append(("Evidence", evidence_text(row, register.sources, register.kinds)))
    fields += see_also(row.id, register)
    fields.append(("In the book", where(row.chapter, str(getattr(row, "section", "") or ""))))
    return fields


def card(row, register: Register) -> str:
    """One claim's card: its label, a title of its verdict and headline, the quote, the document, what was
    found, the evidence, related cards, the chapter and its own address; a factual claim also carries its
    ClaimReview.

    The HTML lists the fields one a line; the PDF runs them on in one paragraph without the document
    (the section's heading names it), so that a hundred cards take a few pages rather than dozens."""
    label = claims.anchor(row.id)
    document = register.documents.loc[row.document[:3]]
    fields = card_fields(row, document, register)
    word = row_plain(row)
    lines = [
        f"({label})=",
        f":::{{admonition}} {word}: {inline(headline(row))}",
        f":class: claim-card verdict-{re.sub(r'[^a-z]+', '-', word.lower())}",
        "",
        "````{only} html",
        *quote_lines(row),
        "",
        *[f"- {name}: {text}" for name, text in fields],
        f"- Link to this card: {card_address_html(row.id, register.book_url)}",
        "````",
        "",
        "````{only} latex",
        f"\u201c{inline(claims.quote_text(row))}\u201d (register: {row.verdict}) "
        + " \u00b7 ".join(f"{name}: {text}" for name, text in fields if name not in ("Document", "Verdict"))
        + ".",
        "````",
        ":::",
    ]
    if row.verdict != "not a factual claim":
        lines += ["", json_ld_block(claim_review(row, document, register))]
    return "\n".join(lines)


def ordered(assessed: pd.DataFrame) -> pd.DataFrame:
    """The register's rows by document, then by verdict (``CARD_ORDER``), then in register order."""
    rank = {verdict: i for i, verdict in enumerate(CARD_ORDER)}
    return (
        assessed.assign(
            _document=assessed["document"].str[:3], _rank=assessed["verdict"].map(rank), _row=range(len(assessed))
        )
        .sort_values(["_document", "_rank", "_row"])
        .drop(columns=["_document", "_rank", "_row"])
    )


def statements_table(rows: pd.DataFrame) -> str:
    """The PDF's compact list of a document's statements that are not factual claims (the HTML has a card
    for each)."""
    return list_table(
        pd.DataFrame(
            {
                "Statement that is not a factual claim": [
                    f"\u201c{claims.quote_text(row)}\u201d" for row in rows.itertuples()
                ],
                "Why": rows["why"].str.replace("Not a factual claim: ", "", regex=False).to_list(),
            }
        ),
        widths=[65, 35],
    )


def register_context(
    assessed: pd.DataFrame, documents: pd.DataFrame, *, sources: pd.DataFrame, kinds: dict, corrections: dict
) -> Register:
    """Everything the cards draw on: the register's own tables, the related cards and their titles, and who
    reviews, when, and where the book is published (CITATION.cff, ``citation``)."""
    cff = citation.citation()
    return Register(
        documents=documents,
        sources=sources,
        kinds=kinds,
        corrections=corrections,
        reviewer=", ".join(citation.author_names(cff)),
        review_date=str(cff.get("date-released") or "") or None,
        book_url=citation.book_url(cff),
        related=related(assessed),
        titles={row.id: (row_plain(row), headline(row)) for row in assessed.itertuples()},
    )


def filter_box(assessed: pd.DataFrame) -> str:
    """The HTML's box that filters the cards (table-tools.js): words to find in a card, and a verdict to
    keep; the PDF lists every card."""
    present = {row_plain(row) for row in assessed.itertuples()}
    options = "".join(f'<option value="{word}">{word}</option>' for word in claims.PLAIN_WORDS if word in present)
    return "\n".join(
        [
            "```{raw} html",
            '<div class="claim-filter" role="search">',
            '<label>Find a claim <input type="search" class="claim-filter-text" '
            'placeholder="a word of the claim, e.g. fentanyl"></label>',
            f'<label>Verdict <select class="claim-filter-verdict"><option value="">any</option>{options}</select>'
            "</label>",
            f'<p class="claim-filter-count" aria-live="polite">{len(assessed)} cards</p>',
            "</div>",
            "```",
        ]
    )


def cards_by_document(assessed: pd.DataFrame, register: Register) -> str:
    """Every card, after the HTML's filter box, one section per document (its title, kind, publisher and
    date under its heading). Statements that are not factual claims have cards in the HTML and one compact
    table per document in the PDF."""
    parts = [filter_box(assessed)]
    rows = ordered(assessed)
    for number, group in rows.groupby(rows["document"].str[:3], sort=True):
        document = register.documents.loc[number]
        counts = pd.Series([row_plain(row) for row in group.itertuples()], dtype=str).value_counts()
        parts.append(
            f"### {number}: {inline(document['title'])}\n\n"
            f"{inline(document['kind']).capitalize()}; {provenance(document)}. {len(group)} rows: "
            + ", ".join(f"{word} {count}" for word, count in counts.items())
            + ".\n"
        )
        factual = group[group["verdict"] != "not a factual claim"]
        statements = group[group["verdict"] == "not a factual claim"]
        parts += [card(row, register) for row in factual.itertuples()]
        if len(statements):
            cards = "\n\n".join(card(row, register) for row in statements.itertuples())
            parts.append("`````{only} html\n" + cards + "\n`````")
            parts.append("`````{only} latex\n" + statements_table(statements) + "\n`````")
    return "\n\n".join(parts)


def not_found_claims(assessed: pd.DataFrame) -> pd.DataFrame:
    """The claims whose cited source the book looked for and did not find (``claims.SOURCE_NOT_FOUND``)."""
    return assessed[assessed["source_search"].eq("not found")]


def wrong_box(
    wrong: pd.DataFrame,
    documents: pd.DataFrame,
    counts: dict,
    *,
    not_found: pd.DataFrame | None = None,
    title: str = "What the five documents get wrong",
) -> str:
    """The box 'What the five documents get wrong': each document by title, kind, publisher and date; every
    claim the data contradict or that misstates its source, with its correction and a link to its card, out
    of the claims the book could judge; and the claims whose cited source was not found, which are not
    called wrong. ``counts`` are the register's (``claims.headline_counts``)."""
    judged, factual = counts["claims.count.judged"], counts["claims.count.factual"]
    items = [
        f"- {row_plain(row)} ({row.document[:3]}): {claim_words(row)} "
        f"Correction: {inline(row.correction_text)} {card_link(row.id, 'Card')}."
        for row in wrong.itertuples()
    ]
    found = (
        f"Wrong: {len(wrong)} of the {judged} claims the book could judge (the data contradict them, or "
        f"they misstate the source they cite); the other {factual - judged} of their {factual} factual claims "
        "could not be checked."
        if len(wrong)
        else f"None of the {judged} claims the book could judge (of {factual} factual claims) is contradicted "
        "by the data or misstates its source."
    )
    lines = [
        f":::{{admonition}} {title}",
        ":class: wrong-box",
        "",
        *[f"- {document_line(document)}" for _, document in documents.iterrows()],
        "",
        "The copies the book checked give no web address for their originals.",
        "",
        found,
        "",
        *items,
    ]
    if not_found is not None and len(not_found):
        lines += [
            "",
            f"{claims.SOURCE_NOT_FOUND[0]}: {len(not_found)} claims cite a study, report or agency that the book "
            "looked for and did not find. They are not checked, and not called fabricated: a source not found "
            "may still exist.",
            "",
            *[
                f"- {row.document[:3]}: \u201c{inline(claims.quote_text(row))}\u201d {card_link(row.id, 'Card')}."
                for row in not_found.itertuples()
            ],
        ]
    return "\n".join([*lines, ":::"])


def mapping_table(assessed: pd.DataFrame) -> pd.DataFrame:
    """The plain verdict words and the register verdicts they stand for, with their meaning and count. A claim
    whose cited source was not found keeps the register's "not checked" verdict under its own word."""
    counts = pd.Series([row_plain(row) for row in assessed.itertuples()], dtype=str).value_counts()
    rows = [(word, verdict, meaning) for verdict, (word, meaning) in claims.PLAIN_VERDICTS.items()]
    rows.insert(
        list(claims.PLAIN_VERDICTS).index("not checked: source not held") + 1,
        (
            claims.SOURCE_NOT_FOUND[0],
            "not checked: source not held (the cited source was looked for and not found)",
            claims.SOURCE_NOT_FOUND[1],
        ),
    )
    return pd.DataFrame(  # the count beside the word, so that a phone shows both before the table scrolls
        {
            "Plain verdict": [word for word, _, _ in rows],
            "Rows": [int(counts.get(word, 0)) for word, _, _ in rows],
            "Register verdict": [verdict for _, verdict, _ in rows],
            "What it means": [meaning for _, _, meaning in rows],
        }
    )


# The register's tables on its own page, each with its rows as CSV: the files' source and units.
REGISTER_SOURCE = "the claims register (data/claims.csv) and its rules (analysis/metrics/claims.py)"


def snake(frame: pd.DataFrame) -> pd.DataFrame:
    """A table's headings as a CSV's column names: 'Plain verdict' -> 'plain_verdict'."""
    return frame.rename(columns=lambda name: re.sub(r"[^a-z0-9]+", "_", str(name).lower()).strip("_"))


def register_table(table: pd.DataFrame, *, widths: list[int], name: str, title: str, units: str) -> Markdown:
    """One of the register's own tables, shown as built and downloaded as ``<name>.csv`` with plain
    column names (``snake``): its cells are the data."""
    return markdown_table(
        table, widths=widths, download=downloads.Download(name, title, units, REGISTER_SOURCE), data=snake(table)
    )


def mapping_markdown(assessed: pd.DataFrame) -> Markdown:
    """The table of plain verdict words (``mapping_table``), as CSV too."""
    return register_table(
        mapping_table(assessed),
        widths=[15, 8, 25, 52],
        name="claims-verdict-words",
        title="one verdict of the register: the plain word a card shows, what it means and how many rows have it",
        units="rows: count of register rows",
    )


def by_document(assessed: pd.DataFrame) -> pd.DataFrame:
    """Register rows per verdict (in the register's order) and document (its number)."""
    table = pd.crosstab(assessed["verdict"], assessed["document"].str[:3]).reindex(list(claims.VERDICTS), fill_value=0)
    return table.rename_axis(None, axis=1).reset_index().rename(columns={"verdict": "Verdict"})


def by_document_markdown(assessed: pd.DataFrame) -> Markdown:
    """The table of verdicts by document (``by_document``), as CSV too."""
    table = by_document(assessed)
    return register_table(
        table,
        widths=[40, *[12] * (len(table.columns) - 1)],
        name="claims-verdicts-by-document",
        title="one verdict of the register: how many rows of each source document (000-004) have it",
        units="counts of register rows",
    )


def rules_table(assessed: pd.DataFrame) -> pd.DataFrame:
    """Each rule (``claims.RULES``): its possible verdicts, why, and how many rows use it."""
    used = assessed["rule"].value_counts()
    return pd.DataFrame(
        [
            {"Rule": name.replace("_", " "), "Verdicts": verdicts, "Why": why, "Claims": int(used.get(name, 0))}
            for name, (verdicts, why) in claims.RULES.items()
        ]
    )


def rules_markdown(assessed: pd.DataFrame) -> Markdown:
    """The table of rules (``rules_table``), as CSV too."""
    return register_table(
        rules_table(assessed),
        widths=[14, 20, 58, 8],
        name="claims-rules",
        title="one rule the register judges claims by: its possible verdicts, why, and how many rows use it",
        units="claims: count of register rows",
    )


def tolerances_data(assessed: pd.DataFrame) -> pd.DataFrame:
    """Rows with a tolerance, unrounded: id, claimed, tolerance in the row's unit, the unit, the reason."""
    rows = assessed[assessed["tolerance"].notna() & (assessed["tolerance"] > 0)]
    return pd.DataFrame(
        {
            "id": rows["id"],
            "claimed": rows["claimed"],
            "tolerance": rows["tolerance"],
            "unit": rows["unit"],
            "why": rows["tolerance_reason"],
        }
    ).reset_index(drop=True)


def tolerances_markdown(assessed: pd.DataFrame) -> Markdown:
    """The table of tolerances (``tolerances_data``; points for fractions), its data as CSV."""
    data = tolerances_data(assessed)
    shown = pd.DataFrame(
        {
            "Claim": data["id"],
            "Claimed": data["claimed"],
            "Tolerance": [claims.difference(t, u) for t, u in zip(data["tolerance"], data["unit"], strict=True)],
            "Why": data["why"],
        }
    )
    return markdown_table(
        shown,
        widths=[26, 22, 12, 40],
        download=downloads.Download(
            "claims-tolerances",
            "one claim judged within a tolerance: the tolerance, set from the claim's wording, and its reason",
            "tolerance: in the claim's unit (column unit; a fraction's tolerance is a fraction, 0.01 is one point)",
            REGISTER_SOURCE,
        ),
        data=data,
    )


def evidence_table(assessed: pd.DataFrame) -> pd.DataFrame:
    """Each strength of evidence (``claims.EVIDENCE_CAPS``): how it caps verdicts, why, how many rows it caps (its
    own ``evidence``, or a number from a secondary curated row: ``evidence_applied``)."""
    capped = assessed["evidence_applied"].str.split(" and ").explode().value_counts()
    return pd.DataFrame(
        [
            {
                "Evidence": name,
                "Limits": "; ".join(f"{a} becomes {b}" for a, b in caps.items()),
                "Why": claims.EVIDENCE_REASONS[name],
                "Claims": int(capped.get(name, 0)),
            }
            for name, caps in claims.EVIDENCE_CAPS.items()
        ]
    )


def evidence_markdown(assessed: pd.DataFrame) -> Markdown:
    """The table of evidence caps (``evidence_table``), as CSV too."""
    return register_table(
        evidence_table(assessed),
        widths=[12, 34, 46, 8],
        name="claims-evidence-limits",
        title="one strength of evidence: the verdicts it caps, why, and how many rows have it",
        units="claims: count of register rows",
    )


def thresholds_data(assessed: pd.DataFrame) -> pd.DataFrame:
    """Claims judged as bounds, unrounded: id, claimed, the test (more or less than), the threshold and unit."""
    bounds = assessed[assessed["rule"].isin(["greater_than", "less_than"])]
    above = bounds["rule"] == "greater_than"
    return pd.DataFrame(
        {
            "id": bounds["id"],
            "claimed": bounds["claimed"],
            "test": above.map({True: "more than", False: "less than"}),
            "threshold": bounds["claimed_low"].where(above, bounds["claimed_high"]),
            "unit": bounds["unit"],
        }
    ).reset_index(drop=True)


def thresholds_markdown(assessed: pd.DataFrame) -> Markdown:
    """The table of bounds and their thresholds (``thresholds_data``, shown as the register shows values)."""
    data = thresholds_data(assessed)
    shown = pd.DataFrame(
        {
            "Claim": data["id"],
            "Claimed": data["claimed"],
            "Test": data["test"],
            "Threshold": [claims.shown_value(v, u) for v, u in zip(data["threshold"], data["unit"], strict=True)],
        }
    )
    return markdown_table(
        shown,
        widths=[34, 36, 14, 16],
        download=downloads.Download(
            "claims-thresholds",
            "one claim made in words or as a bound: the test and the threshold written in the register",
            "threshold: in the claim's unit (column unit; fractions 0-1)",
            REGISTER_SOURCE,
        ),
        data=data,
    )


REGISTER_DOWNLOAD = downloads.Download(
    "claims-register",
    "one claim of the five documents: its headline and quote, the register's verdict, the plain verdict, "
    "the claimed and computed values and the address of its card (from the book's root until CITATION.cff "
    "gives the book's public address, then in full)",
    "as each claim states them (column unit)",
    "the five source documents; the book's chapters (data/claims.csv and the numbers they compute)",
)


def save_register(frame: pd.DataFrame) -> str:
    """Write the register's download (``claims.register_download``) with the other downloads, which the
    build publishes under ``_static/data/`` and lists on the Data page; return its address from a page."""
    return downloads.save(frame, REGISTER_DOWNLOAD)


def download_link(address: str, what: str) -> Markdown:
    """A download link in the HTML book; the PDF names the file instead."""
    name = address.rsplit("/", 1)[-1]
    return Markdown(
        "\n".join(
            [
                "```{raw} html",
                f'<p class="data-links">Download {what}: <a href="{address}" download>{name}</a></p>',
                "```",
                "",
                "```{only} latex",
                f"The HTML book offers {what} as `_static/data/{name}`.",
                "```",
            ]
        )
    )
