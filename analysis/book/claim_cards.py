"""The claims register as readers use it: one card per claim with its own link, the box of what the
documents get wrong, and schema.org ClaimReview data for search engines.

Everything here is MyST text built from the judged register (``claims.judge``); the numbers in it
are the register's computed values and corrections, never typed. A card's address is
``claims.anchor(id)``, written as its label so that the HTML id and the label are one string.
"""

from __future__ import annotations

import json
import re

import pandas as pd
import yaml
from IPython.display import Markdown

from analysis import config
from analysis.book import downloads
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


def inline(text) -> str:
    """Text from the register or a document as plain MyST inline text: one line, and no character read
    as markup (a '$' of a dollar amount would otherwise open inline math)."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def where(chapter: str) -> str:
    """A link to the chapter that computes a claim's numbers."""
    title, label = CHAPTERS[chapter]
    return f"{{ref}}`{title} <{label}>`"


def card_link(claim_id: str, text: str) -> str:
    """A link to a claim's card, from any page of the book."""
    return f"{{ref}}`{inline(text)} <{claims.anchor(claim_id)}>`"


def plain(verdict: str) -> str:
    """The reader's word for a register verdict (``claims.PLAIN_VERDICTS``)."""
    return claims.PLAIN_VERDICTS[verdict][0]


def document_name(document: pd.Series) -> str:
    """'003, *Drug Trafficking: Solutions*': the register's number and the document's title."""
    return f"{document['id']}, *{inline(document['title'])}*"


def document_line(document: pd.Series) -> str:
    """One document as the box lists it: number, title, publisher and date, as its copy gives them."""
    return f"{document_name(document)}. Publisher: {inline(document['publisher'])}. Date: {inline(document['date'])}."


def claim_words(row) -> str:
    """The claim in the document's words: its quote, or for a claim read from a table (the quote is the
    table's header), what the table states."""
    quote = row.quote.strip("| ")
    return f"its table: {inline(row.claimed)}." if "|" in quote else f"\u201c{inline(quote)}\u201d"


def sources_text(claim_id: str, sources: pd.DataFrame) -> str:
    """The pages transcribed for a claim, as links with their date and kind ('' when there are none)."""
    rows = sources[sources["claim_id"] == claim_id]
    return "; ".join(
        f"[{inline(row.source_title)}](<{row.source_url}>) ({inline(row.source_date)}, {row.source_kind})"
        for row in rows.itertuples()
    )


def evidence_text(row, sources: pd.DataFrame, kinds: dict) -> str:
    """What a judged claim's verdict rests on (``claims.basis``), with the pages transcribed for it."""
    found = sources_text(row.id, sources)
    basis = claims.basis(row, kinds) or "no data or source"
    return basis + (f": {found}" if found else "")


def claim_review(row, document: pd.Series, reviewer: str) -> dict:
    """schema.org ClaimReview for one factual claim, as fact-checkers publish it for search engines: the
    claim, who made it and when (as far as the document's copy says), the plain verdict, and the card's
    address (relative to the register page)."""
    item = {
        "@type": "Claim",
        "author": {"@type": "Organization", "name": document["publisher"]},
        "appearance": {"@type": "CreativeWork", "headline": document["title"]},
    }
    if ISO_DATE.fullmatch(str(document["date"])):
        item["datePublished"] = document["date"]
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"claims.html#{claims.anchor(row.id)}",
        "claimReviewed": " ".join(row.quote.strip("| ").split()),
        "itemReviewed": item,
        "author": {"@type": "Organization", "name": reviewer},
        "reviewRating": {
            "@type": "Rating",
            "alternateName": plain(row.verdict),
            "ratingExplanation": f"Register verdict: {row.verdict}. {row.why}",
        },
    }


def json_ld_block(review: dict) -> str:
    """A ClaimReview as a raw-HTML script block: the HTML book carries it, the PDF leaves it out."""
    text = json.dumps(review, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
    return "\n".join(["```{raw} html", f'<script type="application/ld+json">{text}</script>', "```"])


def card_fields(row, document: pd.Series, sources: pd.DataFrame, kinds: dict, correction: str) -> list[tuple[str, str]]:
    """What a card says after the quote, as (field, MyST text) pairs."""
    factual = row.verdict != "not a factual claim"
    fields = [("Document", document_name(document))]
    if factual:
        fields.append(("Claimed", inline(row.claimed)))
    fields.append(("Verdict", f"{plain(row.verdict)} (register: {row.verdict})"))
    if correction:
        fields.append(("Correction", inline(correction)))
    fields.append(("Found" if factual else "Why", inline(row.why)))
    if factual and row.verdict not in ("not checked: source not held", "no public data"):
        fields.append(("Evidence", evidence_text(row, sources, kinds)))
    fields.append(("In the book", where(row.chapter)))
    return fields


def card(row, document: pd.Series, sources: pd.DataFrame, kinds: dict, reviewer: str, correction: str = "") -> str:
    """One claim's card: its label, the quote, the document, the plain verdict, what was found, the
    evidence, the chapter and its own link; a factual claim also carries its ClaimReview.

    The HTML lists the fields one a line; the PDF runs them on in one paragraph without the document
    (the section's heading names it), so that a hundred cards take a few pages rather than dozens."""
    label = claims.anchor(row.id)
    factual = row.verdict != "not a factual claim"
    quote = f"\u201c{inline(row.quote.strip('| '))}\u201d"
    fields = card_fields(row, document, sources, kinds, correction)
    lines = [
        f"({label})=",
        f":::{{admonition}} {plain(row.verdict)}: {inline(row.id)}",
        f":class: claim-card verdict-{re.sub(r'[^a-z]+', '-', plain(row.verdict).lower())}",
        "",
        "````{only} html",
        f"> {quote}",
        "",
        *[f"- {name}: {text}" for name, text in fields],
        f"- Link to this card: {card_link(row.id, '#' + label)}",
        "````",
        "",
        "````{only} latex",
        f"{quote} (register: {row.verdict}) "
        + " \u00b7 ".join(f"{name}: {text}" for name, text in fields if name not in ("Document", "Verdict"))
        + ".",
        "````",
        ":::",
    ]
    if factual:
        lines += ["", json_ld_block(claim_review(row, document, reviewer))]
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
                    f"\u201c{row.quote.strip('| ')}\u201d" for row in rows.itertuples()
                ],
                "Why": rows["why"].str.replace("Not a factual claim: ", "", regex=False).to_list(),
            }
        ),
        widths=[65, 35],
    )


def cards_by_document(
    assessed: pd.DataFrame,
    documents: pd.DataFrame,
    sources: pd.DataFrame,
    kinds: dict,
    corrections: dict,
    reviewer: str,
) -> str:
    """Every card, one section per document (its title, publisher and date under its heading). Statements
    that are not factual claims have cards in the HTML and one compact table per document in the PDF."""
    parts = []
    rows = ordered(assessed)
    for number, group in rows.groupby(rows["document"].str[:3], sort=True):
        document = documents.loc[number]
        counts = group["verdict"].map(plain).value_counts()
        parts.append(
            f"### {number}: {inline(document['title'])}\n\n"
            f"{inline(document['kind']).capitalize()}; publisher: {inline(document['publisher'])}; "
            f"date: {inline(document['date'])}. {len(group)} rows: "
            + ", ".join(f"{word} {count}" for word, count in counts.items())
            + ".\n"
        )
        factual = group[group["verdict"] != "not a factual claim"]
        statements = group[group["verdict"] == "not a factual claim"]
        parts += [
            card(row, document, sources, kinds, reviewer, corrections.get(row.id, "")) for row in factual.itertuples()
        ]
        if len(statements):
            parts.append(
                "`````{only} html\n"
                + "\n\n".join(card(row, document, sources, kinds, reviewer) for row in statements.itertuples())
                + "\n`````"
            )
            parts.append("`````{only} latex\n" + statements_table(statements) + "\n`````")
    return "\n\n".join(parts)


def wrong_box(
    wrong: pd.DataFrame, documents: pd.DataFrame, factual: int, title: str = "What the five documents get wrong"
) -> str:
    """The box 'What the five documents get wrong': each document by title, publisher and date, then every
    claim the data contradict or that misstates its source, with its correction and a link to its card."""
    items = [
        f"- {plain(row.verdict)} ({row.document[:3]}): {claim_words(row)} "
        f"Correction: {inline(row.correction_text)} {card_link(row.id, 'Card')}."
        for row in wrong.itertuples()
    ]
    found = (
        f"Wrong claims: {len(wrong)} of their {factual} factual claims (the data contradict them, or they "
        f"misstate the source they cite)."
        if len(wrong)
        else f"None of their {factual} factual claims is contradicted by the data or misstates its source."
    )
    return "\n".join(
        [
            f":::{{admonition}} {title}",
            ":class: wrong-box",
            "",
            *[f"- {document_line(document)}" for _, document in documents.iterrows()],
            "",
            found,
            "",
            *items,
            ":::",
        ]
    )


def mapping_table(assessed: pd.DataFrame) -> pd.DataFrame:
    """The plain verdict words and the register verdicts they stand for, with their meaning and count."""
    counts = assessed["verdict"].value_counts()
    return pd.DataFrame(
        {
            "Plain verdict": [word for word, _ in claims.PLAIN_VERDICTS.values()],
            "Register verdict": list(claims.PLAIN_VERDICTS),
            "What it means": [meaning for _, meaning in claims.PLAIN_VERDICTS.values()],
            "Rows": [int(counts.get(verdict, 0)) for verdict in claims.PLAIN_VERDICTS],
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
        widths=[15, 25, 50, 10],
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
            "one claim judged within a tolerance: the tolerance, set from the claim's wording before the data "
            "were read, and its reason",
            "tolerance: in the claim's unit (column unit; a fraction's tolerance is a fraction, 0.01 is one point)",
            REGISTER_SOURCE,
        ),
        data=data,
    )


def evidence_table(assessed: pd.DataFrame) -> pd.DataFrame:
    """Each strength of evidence (``claims.EVIDENCE_CAPS``): how it caps verdicts, why, how many rows."""
    capped = assessed["evidence"].value_counts()
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
            "one claim made in words or as a bound: the test and the threshold written before the data were read",
            "threshold: in the claim's unit (column unit; fractions 0-1)",
            REGISTER_SOURCE,
        ),
        data=data,
    )


def reviewer() -> str:
    """Who reviews the claims: the book's authors as CITATION.cff names them."""
    citation = yaml.safe_load((config.PROJECT_ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    return ", ".join(author["name"] for author in citation["authors"])


REGISTER_DOWNLOAD = downloads.Download(
    "claims-register",
    "one claim of the five documents: its quote, the register's verdict, the plain verdict, "
    "the claimed and computed values and the link to its card",
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
