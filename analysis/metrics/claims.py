"""The claims register (data/claims.csv): each claim of the five documents, quoted verbatim, and how
it is judged.

A row is one claim. Its ``rule`` says what was done with it, and the rule alone decides the verdict
from the numbers the chapters computed; nothing is typed by hand. The row's ``evidence`` (a single
secondary page, a proxy, a source other than the one cited, one data set for several) caps what the
rule can say, the same way for every row (``EVIDENCE_CAPS``). A claim checked twice names its first
check in ``same_claim_as`` and is counted once. A claim whose rule needs a
metric that no chapter produced stops the build (``MissingMetric``): a failed chapter must never
look like an untested claim.

What readers see of a row besides its verdict: ``headline``, the claim in a few plain words (its card's
title); ``section``, the label of the chapter's section that discusses it; ``source_search`` "not
found" for a claim not checked because the source it cites was looked for and not found (its reader's
word is then "Cited source not found", ``SOURCE_NOT_FOUND``); ``evidence_note``, what the data behind
its computed value are, where the basis alone would not say (e.g. official records as another
organisation tabulated them).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from analysis import config
from analysis.data import curated
from analysis.errors import DataError

CLAIMS_FILE = config.DATA_DIR / "claims.csv"
CITED_SOURCES_FILE = config.DATA_DIR / "curated" / "cited_sources.csv"
DOCUMENTS_TABLE = "source_documents"  # data/curated/source_documents.csv: title, publisher, date of each document
REQUIRED = ("id", "document", "quote", "about", "rule", "chapter")
NO_METRIC_RULES = ("no_public_data", "not_checked", "not_a_claim")

# The verdict scale: each word says what was done. The group says how the claim was checked.
VERDICTS = {
    "supported": "tested with data",
    "consistent, not confirmed": "tested with data",
    "partly supported": "tested with data",
    "contradicted": "tested with data",
    "inconclusive": "tested with data",
    "arithmetic follows from the document's premise": "arithmetic",
    "matches its cited source": "source checked",
    "misstates its cited source": "source checked",
    "not checked: source not held": "not checked",
    "no public data": "no public data",
    "not a factual claim": "not a claim",
}
GROUPS = ("tested with data", "arithmetic", "source checked", "not checked", "no public data", "not a claim")

# The word a reader sees for each verdict, and what it means; the register shows this mapping as a table.
PLAIN_VERDICTS = {
    "supported": (
        "Correct",
        "The data give the claimed value (within the row's tolerance) or satisfy the claimed bound.",
    ),
    "consistent, not confirmed": (
        "Unconfirmed",
        "The data allow the claim but cannot confirm it: they only bound "
        "the claimed quantity, or the evidence is too weak (a single "
        "secondary page, a proxy, a source other than the one cited).",
    ),
    "partly supported": (
        "Partly correct",
        "The claim has parts checked separately; the card names the part that holds.",
    ),
    "contradicted": ("Wrong", "The data give a different value, or break the claimed bound."),
    "inconclusive": (
        "Unclear",
        "The statistics do not decide, the closest data measure something else, or "
        "evidence too weak to refute disagrees with the claim.",
    ),
    "arithmetic follows from the document's premise": (
        "Adds up",
        "The document's own numbers give its result; the premise is judged on its own card.",
    ),
    "matches its cited source": (
        "Cited correctly",
        "The figure agrees with the study, report or agency the document cites, read in that source itself.",
    ),
    "misstates its cited source": (
        "Miscited",
        "The figure or citation differs from the study, report or agency the document cites.",
    ),
    "not checked: source not held": (
        "Not checked",
        "Public data or the cited source exist, but the book holds no "
        "copy; the card says which. Not counted as judged.",
    ),
    "no public data": ("Cannot be checked", "Nothing public measures the claim; the card says why."),
    "not a factual claim": (
        "Not a claim",
        "A proposal, target, cost of a plan, timeline, prediction, opinion, interpretation or question.",
    ),
}
# A claim not checked because the source the document cites for it was looked for and not found (the
# register's column ``source_search`` is "not found"): its register verdict stays "not checked: source not
# held", and the reader sees this word instead, so that a missing source is said, not hidden among the
# claims the book merely holds no copy for. Not finding a source is not a finding that it was made up.
SOURCE_NOT_FOUND = (
    "Cited source not found",
    "The document cites a study, report or agency for the figure; the book looked for that source and did "
    "not find it. Not counted as judged, and not a finding that the source does not exist.",
)
SOURCE_SEARCHES = ("", "not found")
# The verdicts that say a document is wrong: the register and the landing page list them with a correction.
WRONG = ("contradicted", "misstates its cited source")
# The verdicts that say a claim holds up in full ("Correct", "Cited correctly"); the landing page counts them.
HOLDS = ("supported", "matches its cited source")

# The strength of a row's evidence caps what its rule can say, the same way for every row (column
# ``evidence``): a figure found only on a secondary page, a proxy for the claimed quantity, or a
# source other than the one the document cites can be consistent with a claim but cannot confirm
# it, and cannot refute it; one data set where the claim says several confirms only that part.
EVIDENCE_CAPS = {
    "secondary": {
        "supported": "consistent, not confirmed",
        "partly supported": "consistent, not confirmed",
        "matches its cited source": "consistent, not confirmed",
        "contradicted": "inconclusive",
        "misstates its cited source": "inconclusive",
    },
    "proxy": {"supported": "consistent, not confirmed", "contradicted": "inconclusive"},
    "other source": {
        "matches its cited source": "consistent, not confirmed",
        "supported": "consistent, not confirmed",
        "misstates its cited source": "inconclusive",
        "contradicted": "inconclusive",
    },
    "partial": {"supported": "partly supported"},
}
EVIDENCE_REASONS = {
    "secondary": "The only figure found is on a secondary page, or the number reaches the claim through a "
    "curated row whose source is secondary: it can be consistent with the claim but can neither confirm nor "
    "refute it.",
    "proxy": "The data measure a proxy for the claimed quantity (another population, drug or unit): agreement "
    "is consistent with the claim without confirming it; disagreement is inconclusive.",
    "other source": "The figure checked is not from the source the document cites (or the document cites none): "
    "agreement is consistent with the claim, not a confirmation of the citation.",
    "partial": "The data cover only part of what the claim asserts (one data set for 'several'): agreement "
    "supports that part only.",
}

# A number a chapter computes from curated rows (data/curated/*.csv) carries the kind of their source: the
# chapter publishes it beside the number as ``<metric key>.source_kind`` ("primary" or "secondary", the
# weakest of the rows the number combines). A claim that reads a number from a secondary row is capped as a
# secondary page is (``EVIDENCE_CAPS["secondary"]``), whatever its own ``evidence`` column says, so that a
# figure gains no strength by being transcribed.
SOURCE_KIND_SUFFIX = ".source_kind"
# The families of metric keys the chapters compute from curated rows: a claim that reads one of them without its
# ``.source_kind`` stops the build (``unsourced_metrics``), so that a chapter cannot forget the cap. Every other
# number a claim reads comes from the book's data sets (tests/metrics/test_claims.py lists them).
CURATED_KEY_FAMILIES = (
    "sources.",
    "who.ports.",
    "who.ussc.",
    "budget.latest.",
    "budget.cbp.",
    "budget.nii.",
    "checks.recidivism.",
    "checks.record_low.since_fy1925.",
)
SOURCED_REASON = (
    "the number comes through a curated row whose source is secondary, so it can be consistent with the claim "
    "but can neither confirm nor refute it"
)

# rule -> (verdicts it can give, the reason for the rule shown in the chapter)
RULES = {
    "within_tolerance": (
        "supported / contradicted",
        "The computed value lies within the row's tolerance of the claimed value or range. "
        "Tolerances allow for rounding ('about', '~') and for the claim's year or scope differing "
        "slightly from the data's; they are written in the register, each with its reason "
        "(tolerance_reason).",
    ),
    "greater_than": (
        "supported / contradicted",
        "A claim of the form 'over X', 'more than X' or 'larger': the computed value must be strictly above X.",
    ),
    "less_than": (
        "supported / contradicted",
        "A claim of the form 'under X': the computed value must be strictly below X.",
    ),
    "lower_bound": (
        "consistent, not confirmed / contradicted",
        "The computed value can only understate the claimed quantity (seizures versus flows, deaths "
        "to 2018 versus deaths to today). A claimed value or range wholly below it is contradicted; "
        "a claim above it cannot be confirmed by it. A claim 'more than X' (no upper end) is never "
        "contradicted by a lower bound; use greater_than for it.",
    ),
    "upper_bound": (
        "consistent, not confirmed / contradicted",
        "The computed value can only overstate the claimed quantity (all non-citizens versus "
        "'migrants'). A claim above it is contradicted; a claim below it cannot be confirmed by it.",
    ),
    "no_increase": (
        "supported / contradicted / inconclusive",
        "A claim that X is not associated with an increase in Y, judged on a 95% interval: entirely "
        "above zero contradicts it, entirely at or below zero supports it, straddling zero is "
        "inconclusive (no increase detected, none ruled out).",
    ),
    "chapter_verdict": (
        "supported / contradicted / inconclusive",
        "A chapter applied its own declared rule to several specifications (the chapter says when the rule "
        "was declared); the register takes the chapter's published verdict and its one-line reason.",
    ),
    "parts": (
        "supported / partly supported / contradicted",
        "A claim with parts checked separately (each part holds or not): all hold, supported; none, "
        "contradicted; some, partly supported, naming the part that holds.",
    ),
    "arithmetic": (
        "arithmetic follows from the document's premise / contradicted",
        "The document's own numbers are recombined; the premise itself is judged in its own row "
        "(depends_on), so one wrong premise is counted once.",
    ),
    "source_check": (
        "matches its cited source / misstates its cited source",
        "A figure the document attributes to a study, report or agency is compared with that "
        "source's own figure, transcribed with its URL in data/curated/cited_sources.csv.",
    ),
    "different_measure": (
        "inconclusive",
        "The closest data measure something else (another year, scope, population or definition) "
        "that could fall either side of the claim: the value is shown, the row names the difference.",
    ),
    "not_checked": (
        "not checked: source not held",
        "Public data or the cited source exist, but the book holds no copy and none was found to "
        "transcribe; the row says which. Not counted as judged.",
    ),
    "no_public_data": ("no public data", "No public data set in reach measures the claim; the row says why."),
    "not_a_claim": ("not a factual claim", "A proposal, target, cost of a plan, timeline, prediction or question."),
}
CHAPTER_VERDICTS = ("supported", "contradicted", "inconclusive")
JUDGED_TARGET = 2 / 3  # issue 14: the share of factual claims that should receive a verdict from data or a source
EPSILON = 1e-12


class MissingMetric(DataError):
    """A claim names a metric that no chapter produced: the build must stop."""


ARITHMETIC_OPERATIONS = {
    "drop": lambda before, after: (before - after) / before,  # "fell from 80 to 16 (an 80% reduction)"
    "sum": lambda *parts: sum(parts),
    "ratio": lambda numerator, denominator: numerator / denominator,
    "remainder": lambda total, *parts: total - sum(parts),  # "62% + 28% + Other" -> Other = 100% - 62% - 28%
}


def arithmetic_value(spec: str) -> float:
    """Recombine a claim's own numbers: 'drop:80:16' -> 0.8, 'sum:45:12:25' -> 82 (no eval)."""
    name, *arguments = spec.split(":")
    if name not in ARITHMETIC_OPERATIONS or not arguments:
        raise DataError(
            CLAIMS_FILE,
            f"unknown arithmetic {spec!r}",
            column="arithmetic",
            expected=f"one of {sorted(ARITHMETIC_OPERATIONS)} followed by ':'-separated numbers",
        )
    return float(ARITHMETIC_OPERATIONS[name](*map(float, arguments)))


def arithmetic_numbers(register: pd.DataFrame) -> dict:
    """claims.arithmetic.<id> -> the recombined value, for every claim with an arithmetic spec."""
    specs = register.loc[register["arithmetic"].str.strip() != "", "arithmetic"]
    return {f"claims.arithmetic.{claim_id}": arithmetic_value(spec) for claim_id, spec in specs.items()}


def load_claims(path=CLAIMS_FILE) -> pd.DataFrame:
    """Read and validate the register: required fields, unique ids, known rules, numeric ranges,
    a metric for every rule that needs one, a reason where the rule needs one, known dependencies."""
    config.record_read("file", Path(path))
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    for column in REQUIRED:
        if column not in table.columns:
            raise DataError(path, "required column missing", column=column)
        empty = table[column].str.strip().eq("")
        if empty.any():
            raise DataError(path, "empty field", column=column, rows=[int(i) + 2 for i in table.index[empty][:5]])
    for column in (
        "claimed",
        "metric_key",
        "tolerance",
        "claimed_low",
        "claimed_high",
        "reason",
        "depends_on",
        "parts",
        "arithmetic",
        "other_quotes",
        "unit",
        "evidence",
        "same_claim_as",
        "tolerance_reason",
        "correction",
        "headline",
        "section",
        "source_search",
        "evidence_note",
    ):
        if column not in table.columns:
            table[column] = ""
    if table["id"].duplicated().any():
        raise DataError(path, f"duplicate claim id {table.loc[table['id'].duplicated(), 'id'].iloc[0]!r}", column="id")
    anchors = table["id"].map(anchor)
    if anchors.duplicated().any():
        raise DataError(
            path,
            f"claim ids {sorted(table.loc[anchors == anchors[anchors.duplicated()].iloc[0], 'id'])} "
            f"share the link {anchors[anchors.duplicated()].iloc[0]!r}",
            column="id",
            expected="ids that differ in more than case or '_' against '-'",
        )
    unknown = ~table["rule"].isin(RULES)
    if unknown.any():
        raise DataError(
            path,
            f"unknown rule {table.loc[unknown, 'rule'].iloc[0]!r}",
            column="rule",
            expected=f"one of {sorted(RULES)}",
        )
    _require(
        path,
        table,
        table["rule"].ne("not_a_claim") & table["claimed"].str.strip().eq(""),
        "claimed",
        "the words the document states (a factual claim)",
    )
    _require(
        path,
        table,
        ~table["source_search"].isin(SOURCE_SEARCHES)
        | (table["source_search"].eq("not found") & table["rule"].ne("not_checked")),
        "source_search",
        "'not found' (the cited source was looked for and not found; rule not_checked) or empty",
    )
    needs_metric = ~table["rule"].isin(NO_METRIC_RULES)
    _require(path, table, needs_metric & table["metric_key"].str.strip().eq(""), "metric_key", "a metric for this rule")
    needs_reason = table["rule"].isin(NO_METRIC_RULES + ("parts", "different_measure")) | table["evidence"].ne("")
    _require(
        path,
        table,
        needs_reason & (table["reason"].str.strip().str.len() < 10),
        "reason",
        "a reason (why no public data or not checked, which kind of non-claim, the parts' names, "
        "the measure's difference or the evidence's limit)",
    )
    _require(
        path,
        table,
        ~table["evidence"].isin(("",) + tuple(EVIDENCE_CAPS)),
        "evidence",
        f"an evidence strength among {sorted(EVIDENCE_CAPS)} or empty",
    )
    first = table["same_claim_as"].ne("")
    _require(
        path,
        table,
        first & ~table["same_claim_as"].isin(table.loc[~first, "id"]),
        "same_claim_as",
        "the id of the first check of the same claim",
    )
    premises = table["depends_on"].str.split("|")
    dangling = table["depends_on"].ne("") & ~premises.apply(lambda ids: set(ids) <= set(table["id"]))
    _require(path, table, dangling, "depends_on", "the id of another claim, or several separated by '|'")
    for column in ("claimed_low", "claimed_high", "tolerance"):
        table[column] = pd.to_numeric(table[column].replace("", None), errors="raise")
    _require(
        path,
        table,
        (table["tolerance"].fillna(0) > 0) & table["tolerance_reason"].str.strip().eq(""),
        "tolerance_reason",
        "the reason for the claim's tolerance (the wording or rounding it allows for)",
    )
    return table.set_index("id", drop=False)


def _require(path, table: pd.DataFrame, bad: pd.Series, column: str, expected: str) -> None:
    if bad.any():
        raise DataError(
            path,
            f"claim {table.loc[bad, 'id'].iloc[0]!r} lacks {expected}",
            column=column,
            rows=[int(i) + 2 for i in table.index[bad][:5]],
            expected=expected,
        )


def anchor(claim_id: str) -> str:
    """The address of a claim's card within the register page: 'claim-' and the id in lower case, each run
    of other characters as one '-' (doc003_bil_3_4b -> claim-doc003-bil-3-4b). This is what Sphinx
    (docutils' ``make_id``) makes of a label, so the label written and the HTML id are one string."""
    return "claim-" + re.sub(r"[^a-z0-9]+", "-", claim_id.lower()).strip("-")


def plain_verdict(verdict: str, source_search: str = "") -> str:
    """The reader's word for a register verdict (``PLAIN_VERDICTS``), or "Cited source not found" for a claim
    not checked because the source it cites was looked for and not found (``SOURCE_NOT_FOUND``)."""
    if verdict == "not checked: source not held" and source_search == "not found":
        return SOURCE_NOT_FOUND[0]
    return PLAIN_VERDICTS[verdict][0]


PLAIN_WORDS = (*(word for word, _ in PLAIN_VERDICTS.values()), SOURCE_NOT_FOUND[0])
MARKDOWN_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1|(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])")
LIST_MARK = re.compile(r"^\s*[-*+]\s+")


def plain_text(text: str) -> str:
    """A document's words as a reader sees them in the document: without the Markdown of its copy (bold and
    italic marks, a list item's dash) and on one line. The register keeps the copy's exact characters."""
    lines = [LIST_MARK.sub("", line) for line in str(text).splitlines()]
    unmarked = MARKDOWN_EMPHASIS.sub(lambda match: match.group(2) or match.group(3), " ".join(lines))
    return " ".join(unmarked.split())


def table_rows(row) -> list[list[str]]:
    """A claim read from a table: its quoted row (and the other rows quoted with it, ``other_quotes``), each
    as its cells; empty for a claim quoted from a sentence."""
    lines = [row.quote, *filter(None, str(getattr(row, "other_quotes", "") or "").split("\n"))]
    if not all(line.strip().startswith("|") for line in lines):
        return []
    return [[plain_text(cell) for cell in line.strip().strip("|").split("|")] for line in lines]


def quote_text(row) -> str:
    """The claim's words on one line: the sentence without Markdown, or a table's rows joined by '; ' with
    their cells by ' | '."""
    rows = table_rows(row)
    return "; ".join(" | ".join(cells) for cells in rows) if rows else plain_text(row.quote)


def quoted(row) -> str:
    """A claim as the book cites it: the document's number and its words in quotation marks
    ('003: \u201c...\u201d'), as ``quote_text`` gives them."""
    return f"{row.document[:3]}: \u201c{quote_text(row)}\u201d"


REGISTER_PAGE = "chapters/claims.html"  # where the cards are, from the book's root


def card_address(claim_id: str, book_url: str | None = None) -> str:
    """The address of a claim's card: from the book's root (``REGISTER_PAGE``), or in full when the book's
    public address is known (CITATION.cff's ``url``, which the build passes to the register page)."""
    relative = f"{REGISTER_PAGE}#{anchor(claim_id)}"
    return f"{book_url.rstrip('/')}/{relative}" if book_url else relative


def claimed(claim_id: str, table: pd.DataFrame | None = None) -> tuple[float, float]:
    """(low, high) claimed by one claim; equal for a point claim."""
    table = table if table is not None else load_claims()
    if claim_id not in table.index:
        raise DataError(CLAIMS_FILE, f"no claim with id {claim_id!r}", column="id")
    row = table.loc[claim_id]
    return float(row["claimed_low"]), float(row["claimed_high"])


def distance_to_range(value: float, low: float, high: float) -> float:
    """How far ``value`` lies outside [low, high] (0 inside)."""
    return max(low - value, 0.0, value - high)


def open_range(low: float, high: float) -> tuple[float, float]:
    """A claimed range with a missing end read as open: ('', 0) -> (-inf, 0), 'not an increase'."""
    if pd.isna(low) and pd.isna(high):
        raise ValueError("a claimed range needs at least one end")
    return (float("-inf") if pd.isna(low) else float(low)), (float("inf") if pd.isna(high) else float(high))


def source_matches(low: float, high: float, tolerance: float, value) -> bool:
    """Does the source's own figure match the claim? A (low, high) pair from the source must match
    the claimed range end by end; a single figure must lie in the claimed range, within tolerance."""
    if isinstance(value, tuple):
        return abs(value[0] - low) <= tolerance + EPSILON and abs(value[1] - high) <= tolerance + EPSILON
    return distance_to_range(value, *open_range(low, high)) <= tolerance + EPSILON


def verdict(rule: str, low: float, high: float, tolerance: float, value) -> str:
    """The verdict a rule gives for a computed value against a claimed range (see ``RULES``).

    ``value`` is a number for the value rules, (coef, ci_low, ci_high) for no_increase, the
    chapter's verdict word for chapter_verdict, and a sequence of booleans for parts.
    """
    if rule not in RULES:
        raise ValueError(f"unknown rule {rule!r}; expected one of {sorted(RULES)}")
    if rule == "no_public_data":
        return "no public data"
    if rule == "not_checked":
        return "not checked: source not held"
    if rule == "not_a_claim":
        return "not a factual claim"
    if value is None:
        raise ValueError(f"rule {rule!r} needs a computed value")
    if rule == "chapter_verdict":
        if value not in CHAPTER_VERDICTS:
            raise ValueError(f"chapter verdict {value!r} is not one of {CHAPTER_VERDICTS}")
        return value
    if rule == "parts":
        held = [bool(part) for part in value]
        return "supported" if all(held) else ("contradicted" if not any(held) else "partly supported")
    if rule == "no_increase":
        _, ci_low, ci_high = value
        if ci_low > 0:
            return "contradicted"
        return "supported" if ci_high <= 0 else "inconclusive"
    if rule == "greater_than":
        return "supported" if value > low else "contradicted"
    if rule == "less_than":
        return "supported" if value < high else "contradicted"
    if rule == "different_measure":
        return "inconclusive"
    if rule == "lower_bound":  # an open upper end ('more than X') cannot lie below the bound
        return "contradicted" if not pd.isna(high) and high < value else "consistent, not confirmed"
    if rule == "upper_bound":
        return "contradicted" if low > value else "consistent, not confirmed"
    if rule == "arithmetic" and pd.isna(low) and pd.isna(high):
        return "arithmetic follows from the document's premise"  # no result stated: the value is shown
    if rule == "source_check":
        return (
            "matches its cited source" if source_matches(low, high, tolerance, value) else "misstates its cited source"
        )
    inside = distance_to_range(value, *open_range(low, high)) <= tolerance + EPSILON
    if rule == "arithmetic":
        return "arithmetic follows from the document's premise" if inside else "contradicted"
    return "supported" if inside else "contradicted"  # within_tolerance


def metric_keys(rule: str, key: str) -> list[str]:
    """The numbers a rule reads: none for claims judged without data, <key>.coef/.ci_low/.ci_high for
    an interval, <key>.verdict for a chapter's verdict, each '|'-separated key for parts or a source's range."""
    if rule in NO_METRIC_RULES:
        return []
    if rule == "no_increase":
        return [f"{key}.{part}" for part in ("coef", "ci_low", "ci_high")]
    if rule == "chapter_verdict":
        return [f"{key}.verdict"]
    return key.split("|") if rule in ("parts", "source_check") else [key]


def needed_keys(claim) -> list[str]:
    """The numbers a claim needs: those its rule reads (``metric_keys``) and those its reason names as
    placeholders ('{claims.who.citizen_share_floor:.0%}', filled as a correction's are)."""
    named = [match.group(1) for match in PLACEHOLDER.finditer(str(claim.reason or "")) if match.group(1) != "value"]
    return metric_keys(claim.rule, claim.metric_key) + named


def missing_metrics(register: pd.DataFrame, numbers: dict) -> list[str]:
    """'<claim id>: <key>' for every number a claim needs (``needed_keys``) that no chapter produced."""
    return [f"{claim.id}: {k}" for claim in register.itertuples() for k in needed_keys(claim) if numbers.get(k) is None]


def unsourced_metrics(register: pd.DataFrame, numbers: dict) -> list[str]:
    """'<claim id>: <key>' for every number a claim's rule reads from a curated family (``CURATED_KEY_FAMILIES``)
    that no chapter published a source kind for (``<key>.source_kind``)."""
    return [
        f"{claim.id}: {k}"
        for claim in register.itertuples()
        for k in metric_keys(claim.rule, claim.metric_key)
        if k.startswith(CURATED_KEY_FAMILIES) and numbers.get(k + SOURCE_KIND_SUFFIX) is None
    ]


def part_kinds(key: str, numbers: dict) -> tuple[bool, ...]:
    """For each part of a 'parts' claim ('|'-separated keys), whether its number came through a secondary
    curated row (its ``<key>.source_kind``)."""
    return tuple(numbers.get(k + SOURCE_KIND_SUFFIX) == "secondary" for k in key.split("|"))


def parts_verdict(held, secondary) -> str:
    """The parts rule with the secondary cap applied part by part (``EVIDENCE_CAPS``): a part read on a
    secondary row can neither hold nor fail. The rule is applied to the other parts, and 'supported' becomes
    'consistent, not confirmed' (as the cap makes it for a whole claim) since the parts left undecided are
    not confirmed, while none is shown wrong; when every part is secondary, the verdict of all parts is
    capped as a secondary row's is."""
    decided = [ok for ok, weak in zip(held, secondary, strict=True) if not weak]
    if len(decided) == len(held):
        return verdict("parts", float("nan"), float("nan"), 0.0, held)
    if not decided:
        return capped(verdict("parts", float("nan"), float("nan"), 0.0, held), "secondary")
    outcome = verdict("parts", float("nan"), float("nan"), 0.0, decided)
    return "consistent, not confirmed" if outcome == "supported" else outcome


def sourced_evidence(rule: str, key: str, numbers: dict) -> str:
    """'secondary' when a number the claim's rule reads came through a secondary curated row (its
    ``<key>.source_kind``, ``SOURCE_KIND_SUFFIX``), else ''."""
    kinds = {numbers.get(k + SOURCE_KIND_SUFFIX) for k in metric_keys(rule, key)}
    return "secondary" if "secondary" in kinds else ""


def metric_value(rule: str, key: str, numbers: dict):
    """The computed value a claim is judged on, read from the chapters' numbers.

    Raises ``MissingMetric`` naming the missing keys: a chapter that failed to produce a metric
    must fail the build, not turn its claim into an untested one.
    """
    keys = metric_keys(rule, key)
    if not keys:
        return None
    missing = [k for k in keys if numbers.get(k) is None]
    if missing:
        raise MissingMetric(
            CLAIMS_FILE,
            f"metric {', '.join(missing)} was not computed by any chapter",
            column="metric_key",
            expected="every chapter to publish the metrics its claims name",
        )
    if rule == "no_increase":
        return tuple(float(numbers[k]) for k in keys)
    if rule == "parts":
        return tuple(bool(numbers[k]) for k in keys)
    if rule == "source_check" and len(keys) == 2:
        return tuple(float(numbers[k]) for k in keys)
    if rule == "chapter_verdict":
        return numbers[keys[0]]
    return float(numbers[key])


def shown_value(value, unit: str) -> str:
    """A computed value as the register shows it (fractions as percentages)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, tuple) and all(isinstance(v, bool) for v in value):
        return f"{sum(value)} of {len(value)} parts hold"
    if isinstance(value, tuple) and len(value) == 2:  # a source's range
        return f"{shown_value(value[0], unit)} to {shown_value(value[1], unit)}"
    if isinstance(value, tuple):  # an estimate: coefficient and 95% interval
        coef, low, high = value
        return f"{coef:+.2f} [{low:+.2f}, {high:+.2f}]"
    if unit == "fraction":
        return f"{value:.1%}"
    if unit == "indicator":
        return "yes" if value else "no"
    if unit == "year":
        return f"{value:.0f}"
    if unit == "year and month":
        return pd.Timestamp(int(value) // 100, int(value) % 100, 1).strftime("%B %Y")
    return f"{value:,.0f}" if abs(value) >= 1000 or float(value).is_integer() else f"{value:,.2f}"  # counts as counts


def difference(gap: float, unit: str) -> str:
    """A gap between two values: percentage points for fractions, else the value's own unit."""
    if unit == "fraction":
        return f"{gap * 100:.1f} points"
    return f"{gap:g}" if unit in ("year", "year and month", "indicator") else shown_value(gap, unit)


def reason(claim, value, outcome: str, numbers: dict) -> str:
    """One line: what was compared with what (scope in ``about``), and why the verdict follows."""
    if claim.rule in NO_METRIC_RULES:
        return claim.reason
    if claim.rule == "chapter_verdict":
        return str(numbers.get(f"{claim.metric_key}.reason") or claim.about)
    if claim.rule == "parts":
        values = [numbers.get(key.removesuffix(".holds") + ".value") for key in claim.metric_key.split("|")]
        names = [
            name + (f" {shown_value(v, claim.unit)}" if v is not None else "")
            for name, v in zip(claim.reason.split("|"), values, strict=True)
        ]
        parts = list(zip(names, value, part_kinds(claim.metric_key, numbers), strict=True))
        labels = {
            (True, False): "holds",
            (False, False): "fails",
            (True, True): "consistent, not confirmed (a secondary source)",
            (False, True): "undecided (it fails only on a secondary source, which cannot refute it)",
        }
        return "; ".join(
            f"{label}: " + ", ".join(name for name, ok, weak in parts if (ok, weak) == state)
            for state, label in labels.items()
            if any((ok, weak) == state for _, ok, weak in parts)
        )
    text = f"{shown_value(value, claim.unit)}: {claim.about}"
    if (
        claim.rule in ("within_tolerance", "source_check", "arithmetic")
        and not isinstance(value, tuple)
        and not (pd.isna(claim.claimed_low) and pd.isna(claim.claimed_high))
    ):
        gap = distance_to_range(value, *open_range(claim.claimed_low, claim.claimed_high))
        tolerance = 0.0 if pd.isna(claim.tolerance) else claim.tolerance
        text += (
            "; equal to the claim"
            if gap == 0 and tolerance == 0
            else f"; off the claim by {difference(gap, claim.unit)} (tolerance {difference(tolerance, claim.unit)})"
        )
    if claim.reason:
        text += f"; {correction(claim.reason, value, claim.unit, numbers)}"
    if sourced_evidence(claim.rule, claim.metric_key, numbers) and claim.evidence != "secondary":
        text = f"{text.rstrip('.')}; {SOURCED_REASON}"
    if claim.depends_on:
        premises = claim.depends_on.split("|")
        text += (
            f"; the premise is judged in claim {premises[0]}"
            if len(premises) == 1
            else "; the premises are judged in claims " + " and ".join(premises)
        )
    if claim.same_claim_as:
        text += f"; a second check of claim {claim.same_claim_as}, counted once"
    return text


def capped(outcome: str, *evidence: str) -> str:
    """The verdict a rule gave, limited by each strength of evidence in turn (``EVIDENCE_CAPS``): the row's
    own, and 'secondary' for a number that came through a secondary curated row (``sourced_evidence``)."""
    for kind in evidence:
        outcome = EVIDENCE_CAPS.get(kind, {}).get(outcome, outcome) if kind else outcome
    return outcome


def evidence_applied(own: str, sourced: str) -> str:
    """The strengths of evidence that cap a row, joined by ' and ' ('proxy and secondary'), each once."""
    return " and ".join(dict.fromkeys(kind for kind in (own, sourced) if kind))


def group(rule: str, outcome: str) -> str:
    """How a claim was checked: a source check stays a source check whatever its evidence allows."""
    return "source checked" if rule == "source_check" else VERDICTS[outcome]


def assess(register: pd.DataFrame, numbers: dict) -> pd.DataFrame:
    """Every claim with its computed value, verdict, group and one-line reason.

    Raises ``MissingMetric`` listing every claim whose metric no chapter produced.
    """
    missing = missing_metrics(register, numbers)
    if missing:
        raise MissingMetric(
            CLAIMS_FILE,
            f"{len(missing)} metric(s) not computed by any chapter: " + "; ".join(missing),
            column="metric_key",
            expected="every chapter to publish the metrics its claims name",
        )
    unsourced = unsourced_metrics(register, numbers)
    if unsourced:
        raise MissingMetric(
            CLAIMS_FILE,
            f"{len(unsourced)} metric(s) computed from curated rows without their source kind: " + "; ".join(unsourced),
            column="metric_key",
            expected="every chapter to publish <key>.source_kind beside a number it computes from data/curated",
        )
    rows = []
    for claim in register.itertuples():
        value = metric_value(claim.rule, claim.metric_key, numbers)
        tolerance = 0.0 if pd.isna(claim.tolerance) else float(claim.tolerance)
        sourced = sourced_evidence(claim.rule, claim.metric_key, numbers)
        weak_parts = part_kinds(claim.metric_key, numbers) if claim.rule == "parts" else ()
        if any(weak_parts):
            outcome = capped(parts_verdict(value, weak_parts), claim.evidence)
        else:
            outcome = capped(
                verdict(claim.rule, claim.claimed_low, claim.claimed_high, tolerance, value), claim.evidence, sourced
            )
        rows.append(
            {
                "id": claim.id,
                "computed": value,
                "verdict": outcome,
                "evidence_applied": evidence_applied(claim.evidence, sourced),
                "partly_secondary": any(weak_parts) and not all(weak_parts),
                "group": group(claim.rule, outcome),
                "why": reason(claim, value, outcome, numbers),
            }
        )
    return register.reset_index(drop=True).merge(pd.DataFrame(rows), on="id")


VERDICT_KEYS = {
    "supported": "supported",
    "consistent, not confirmed": "consistent_not_confirmed",
    "partly supported": "partly_supported",
    "contradicted": "contradicted",
    "inconclusive": "inconclusive",
    "arithmetic follows from the document's premise": "arithmetic_follows",
    "matches its cited source": "matches_source",
    "misstates its cited source": "misstates_source",
    "not checked: source not held": "not_checked",
    "no public data": "no_public_data",
    "not a factual claim": "not_a_claim",
}
GROUP_KEYS = {
    "tested with data": "tested_with_data",
    "arithmetic": "arithmetic",
    "source checked": "source_checked",
    "not checked": "not_checked",
    "no public data": "no_public_data",
    "not a claim": "not_a_claim",
}


def headline_counts(assessed: pd.DataFrame) -> dict:
    """claims.count.* : total rows, factual claims, one count per group and one per verdict, and among the
    judged claims (first checks) those that hold up in full (``HOLDS``), those wrong (``WRONG``) and the
    rest, in between (partly, unconfirmed, inconclusive, the document's own arithmetic).

    The verdict counts add up to the rows (total). A claim checked twice (``same_claim_as``, e.g. a
    study's report and its re-estimate) is one claim: groups, factual and judged count its first row
    only, so the groups add up to the rows less the second checks. Judged means a verdict other
    than "no public data" or "not checked".
    """
    by_verdict = assessed["verdict"].value_counts()
    first = assessed[assessed["same_claim_as"].fillna("") == ""]
    by_group = first["group"].value_counts()
    counts = {
        "claims.count.total": int(len(assessed)),
        "claims.count.second_checks": int(len(assessed) - len(first)),
        "claims.count.factual": int((first["group"] != "not a claim").sum()),
    }
    for name in GROUPS:
        counts[f"claims.count.{GROUP_KEYS[name]}"] = int(by_group.get(name, 0))
    for name in VERDICTS:
        counts[f"claims.count.verdict.{VERDICT_KEYS[name]}"] = int(by_verdict.get(name, 0))
    judged = counts["claims.count.factual"] - counts["claims.count.no_public_data"] - counts["claims.count.not_checked"]
    counts["claims.count.judged"] = judged
    counts["claims.count.hold_up"] = int(first["verdict"].isin(HOLDS).sum())
    counts["claims.count.wrong"] = int(first["verdict"].isin(WRONG).sum())
    counts["claims.count.in_between"] = judged - counts["claims.count.hold_up"] - counts["claims.count.wrong"]
    counts["claims.count.judged_share"] = (
        judged / counts["claims.count.factual"] if counts["claims.count.factual"] else 0.0
    )
    return counts


# What a judged verdict rests on, weakest last: the book's own data sets, a page of the primary
# publisher transcribed into data/curated/cited_sources.csv, only a secondary page (a news report,
# blog, forum or copy), or the document's own numbers (arithmetic).
BASES = ("book data sets", "transcribed primary page", "secondary page only", "the document's own numbers")
BASIS_KEYS = {
    "book data sets": "book_data",
    "transcribed primary page": "primary_page",
    "secondary page only": "secondary_page",
    "the document's own numbers": "document_numbers",
}


def source_kinds(path=CITED_SOURCES_FILE) -> dict:
    """claim id -> the set of source kinds (primary / secondary) transcribed for it."""
    table = pd.read_csv(path, dtype=str).fillna("")
    return table.groupby("claim_id")["source_kind"].agg(set).to_dict()


def basis(claim, kinds: dict) -> str:
    """What a judged row's verdict rests on (``BASES``); empty for rows not judged.

    A row whose evidence is 'secondary' (its own, or a number that came through a secondary curated row:
    ``evidence_applied``, unless other parts of it rest on primary data: ``partly_secondary``), or with any
    secondary page among its transcribed figures, rests on a secondary page only; a row with only primary
    pages transcribed rests on them; a row whose metric a chapter computed from its data sets rests on the
    book's data.
    """
    if claim.rule in NO_METRIC_RULES:
        return ""
    if claim.rule == "arithmetic":
        return "the document's own numbers"
    found = kinds.get(claim.id, set())
    applied = str(getattr(claim, "evidence_applied", claim.evidence) or "")
    partly = bool(getattr(claim, "partly_secondary", False))  # a part on primary data decides it
    if ("secondary" in applied.split(" and ") and not partly) or "secondary" in found:
        return "secondary page only"
    if found or all(key.startswith("sources.") for key in metric_keys(claim.rule, claim.metric_key)):
        return "transcribed primary page"
    return "book data sets"


def basis_counts(assessed: pd.DataFrame, kinds: dict) -> dict:
    """claims.count.basis.* : judged factual claims (first checks) by what their verdict rests on, and
    claims.count.cited_work_read: rows whose verdict compares the claim with the cited work itself."""
    first = assessed[(assessed["same_claim_as"].fillna("") == "") & (assessed["group"] != "not a claim")]
    found = pd.Series([basis(row, kinds) for row in first.itertuples()], dtype=str).value_counts()
    counts = {f"claims.count.basis.{BASIS_KEYS[name]}": int(found.get(name, 0)) for name in BASES}
    counts["claims.count.cited_work_read"] = int(
        assessed["verdict"].isin(["matches its cited source", "misstates its cited source"]).sum()
    )
    return counts


def citizen_share_floor(ports_citizen_share: float, between_ports_share: float) -> float:
    """The lowest U.S.-citizen share of all people caught with fentanyl by CBP that the ports-only
    share allows: every seizure between ports is taken to involve a non-citizen (people read as
    seizure events, since between-port seizures have no public citizenship data)."""
    return ports_citizen_share * (1 - between_ports_share)


def citizen_share_ceiling(ports_citizen_share: float, between_ports_share: float) -> float:
    """The highest U.S.-citizen share of all people caught with fentanyl by CBP that the ports-only share
    allows: every seizure between ports taken to involve a citizen (people read as seizure events)."""
    return ports_citizen_share * (1 - between_ports_share) + between_ports_share


SHARE_BOUND_INPUTS = ("who.ports.fentanyl.pct_citizen", "checks.fentanyl.between_ports_event_share.earlier_mean")


def derived_numbers(numbers: dict) -> dict:
    """claims.who.citizen_share_floor / _ceiling: the bounds on the citizen share of all people CBP caught with
    fentanyl (``citizen_share_floor``, ``citizen_share_ceiling``), once the chapters published both inputs
    (``SHARE_BOUND_INPUTS``); none before, so that a claim whose reason names them waits for them."""
    if any(numbers.get(key) is None for key in SHARE_BOUND_INPUTS):
        return {}
    ports, between = (float(numbers[key]) for key in SHARE_BOUND_INPUTS)
    return {
        "claims.who.citizen_share_floor": citizen_share_floor(ports, between),
        "claims.who.citizen_share_ceiling": citizen_share_ceiling(ports, between),
    }


NOT_COMPUTED_HERE = "not computed on this page"


def chapter_comparison(register: pd.DataFrame, chapter: str, numbers: dict) -> pd.DataFrame:
    """The claims one chapter tests, judged exactly as the register judges them (``assess``).

    Columns: id, claim (document number and quote), claimed (the document's words), verdict and why
    (computed value, scope and reason). A claim whose numbers this page has not published is shown
    as not computed here rather than judged: its verdict is in the register, which refuses to build
    without the number (``MissingMetric``).
    """
    tested = register[(register["chapter"] == chapter) & ~register["rule"].isin(NO_METRIC_RULES)]
    ready = [not missing_metrics(tested.loc[[claim_id]], numbers) for claim_id in tested["id"]]
    judged = assess(tested[ready], numbers).set_index("id") if any(ready) else pd.DataFrame(columns=["verdict", "why"])
    return pd.DataFrame(
        {
            "id": tested["id"].to_list(),
            "claim": [quoted(row) for row in tested.itertuples()],
            "claimed": tested["claimed"].to_list(),
            "verdict": [judged.loc[i, "verdict"] if i in judged.index else NOT_COMPUTED_HERE for i in tested["id"]],
            "why": [
                judged.loc[i, "why"] if i in judged.index else "its verdict is in the claims register"
                for i in tested["id"]
            ],
        }
    )


def judge(numbers: dict, register: pd.DataFrame | None = None) -> tuple[pd.DataFrame, dict]:
    """The whole register judged on the chapters' numbers: (``assess``'s rows, the numbers with the
    register's own arithmetic added). The register page and the landing page call this one function."""
    register = load_claims() if register is None else register
    combined = {**numbers, **arithmetic_numbers(register), **derived_numbers(numbers)}
    return assess(register, combined), combined


PLACEHOLDER = re.compile(r"\{([a-z0-9_.]+)(?::([^{}]*))?\}")


def correction(template: str, value, unit: str, numbers: dict) -> str:
    """A wrong claim's one-line correction, its numbers filled in when the book is built.

    ``{value}`` is the row's computed value as the register shows it (``shown_value``); ``{key:spec}``
    is any number a chapter published, with a Python format spec ('{budget.latest.fy:d}'). A key no
    chapter produced raises ``MissingMetric``, as a missing metric does.
    """

    def filled(match: re.Match) -> str:
        key, spec = match.group(1), match.group(2) or ""
        if key == "value":
            return shown_value(value, unit)
        if numbers.get(key) is None:
            raise MissingMetric(
                CLAIMS_FILE,
                f"the correction {template!r} needs {key}, which no chapter computed",
                column="correction",
                expected="every chapter to publish the numbers a correction names",
            )
        return format(numbers[key], spec)

    return PLACEHOLDER.sub(filled, template)


def wrong_claims(assessed: pd.DataFrame, numbers: dict) -> pd.DataFrame:
    """The claims the data contradict or whose cited source they misstate (``WRONG``), in register order,
    each with its one-line correction: the row's ``correction`` filled in (``correction``), else its reason."""
    wrong = assessed[assessed["verdict"].isin(WRONG)].copy()
    wrong["correction_text"] = [
        correction(row.correction, row.computed, row.unit, numbers) if row.correction.strip() else row.why
        for row in wrong.itertuples()
    ]
    return wrong


def load_documents() -> pd.DataFrame:
    """The five documents (data/curated/source_documents.csv): title, publisher and date as their copies give
    them, each with where in the copy it was read; indexed by the three-digit number claims cite."""
    documents = curated.load_curated(DOCUMENTS_TABLE)
    return documents.set_index("id", drop=False)


def cited_sources() -> pd.DataFrame:
    """The figures transcribed for the claims (data/curated/cited_sources.csv), with their pages."""
    return curated.load_curated("cited_sources")


def register_download(
    assessed: pd.DataFrame, documents: pd.DataFrame, kinds: dict, book_url: str | None = None
) -> pd.DataFrame:
    """The register as one row per claim for download: its link (the card's address, ``card_address``), the
    document, its headline and quote, the plain verdict and the register's, the computed value and the reason."""
    document = assessed["document"].str[:3]
    return pd.DataFrame(
        {
            "id": assessed["id"],
            "link": [card_address(claim_id, book_url) for claim_id in assessed["id"]],
            "document": document,
            "document_title": document.map(documents["title"]),
            "publisher": document.map(documents["publisher"]),
            "document_date": document.map(documents["date"]),
            "headline": assessed["headline"],
            "quote": assessed["quote"].str.strip("| "),
            "claimed": assessed["claimed"],
            "verdict": [
                plain_verdict(verdict, search)
                for verdict, search in zip(assessed["verdict"], assessed["source_search"], strict=True)
            ],
            "register_verdict": assessed["verdict"],
            "computed": [
                shown_value(value, unit) for value, unit in zip(assessed["computed"], assessed["unit"], strict=True)
            ],
            "why": assessed["why"],
            "evidence_basis": [basis(row, kinds) for row in assessed.itertuples()],
            "chapter": assessed["chapter"],
            "same_claim_as": assessed["same_claim_as"],
        }
    )


def register_numbers(assessed: pd.DataFrame, numbers: dict, kinds: dict) -> dict:
    """Every number the register page publishes: the headline counts (``headline_counts``), what the
    verdicts rest on (``basis_counts``), the wrong claims, the source checks read elsewhere than in the
    cited work, the floor of the citizen share (``citizen_share_floor``) and each row's verdict as
    ``claims.<id>.verdict`` (one key per row, so that chapters and the What-changed page cite it)."""
    counts = headline_counts(assessed)
    first = assessed[assessed["same_claim_as"].fillna("") == ""]
    elsewhere = first[
        (first["group"] == "source checked")
        & ~first["verdict"].isin(["matches its cited source", "misstates its cited source"])
    ]
    bounds = derived_numbers(numbers)
    floor = bounds["claims.who.citizen_share_floor"]
    verdicts = assessed.set_index("id")["verdict"]
    result = {
        **counts,
        **basis_counts(assessed, kinds),
        "claims.count.documents": int(assessed["document"].nunique()),
        "claims.count.source_not_found": int(assessed["source_search"].eq("not found").sum()),
        "claims.count.source_read_elsewhere": int(len(elsewhere)),
        "claims.judged_against_target": "reaching"
        if counts["claims.count.judged_share"] >= JUDGED_TARGET
        else "short of",
        **bounds,
        "claims.who.citizen_share_floor_vs_half": "above" if floor > 0.5 else "not above",
    }
    if "doc000_state_level_data" in verdicts:  # the state-panel chapter cites it under the row's former id
        result["claims.doc000_state_level.verdict"] = verdicts["doc000_state_level_data"]
    result.update({f"claims.{claim_id}.verdict": verdict for claim_id, verdict in verdicts.items()})
    return result
