"""Split a source document into sentences and find those that state something checkable.

Used by the claims-register coverage test. A sentence is a candidate claim when it holds a
number or a quantifier or trend word ("most", "record", "sharp", "declining", "hundreds", ...).
Each such marker must lie inside a quote of the register, so that a second claim inside a quoted
sentence is not lost; a sentence whose markers fall in two clauses holds two claims and needs two
quotes, unless the register marks its one quote as not a factual claim.
"""

from __future__ import annotations

import re

CITATION = re.compile(r"\[\d+\]")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z*(\"“])")
NOT_CLAIMS = (
    re.compile(r"^#"),  # headings ("### Solution 1: ...")
    re.compile(r"^- (Up|Previous|Next):"),  # navigation links
    re.compile(r"\]\(\.\./"),  # links to other pages of the source site
    re.compile(r"^Checked on |^Last Updated:|HSI Tip Line"),  # page furniture
    re.compile(r"^\|[-| ]+\|$"),  # table rules
)
TABLE_RULE = re.compile(r"^\|[-| :]+\|$")
ENUMERATOR = re.compile(r"^\d+\.$")  # "1." left over from a numbered heading
QUANTIFIERS = (
    r"most|majority|largest|primary|principal|dominant|record(?:-low|-high)?|sharp|shift|"
    r"increas\w*|declin\w*|rising|fell|dropped|hundreds|thousands|millions|significant(?:ly)?|"
    r"sizable|notable|zero|tremendous|largely|routinely|surpass\w*|larger|higher|lower|fewer|"
    r"large|many|weak|more|leading(?! to\b| the way)"
)
MARKER = re.compile(rf"\d+(?:[.,]\d+)*|\b(?:{QUANTIFIERS})\b", re.IGNORECASE)
CLAUSE_BREAK = re.compile(r";|, and |, but | and that | while | — | -- ")


def candidate_sentences(text: str) -> list[str]:
    """Sentences (and table rows) holding a number or a quantifier/trend word, citation markers removed."""
    found = []
    lines = [line.strip().lstrip("•").strip() for line in text.splitlines()]
    for number, line in enumerate(lines):
        if not line or any(pattern.search(line) for pattern in NOT_CLAIMS):
            continue
        if line.startswith("|") and number + 1 < len(lines) and TABLE_RULE.match(lines[number + 1]):
            continue  # a table's header row names columns, it claims nothing
        pieces = [line] if line.startswith("|") else SENTENCE_END.split(line)
        for piece in pieces:
            piece = piece.strip()
            if ENUMERATOR.match(piece):
                continue
            if markers(piece):
                found.append(piece)
    return found


def numeric_sentences(text: str) -> list[str]:
    """Candidate sentences that contain a digit (kept for callers that want numbers only)."""
    return [s for s in candidate_sentences(text) if re.search(r"\d", CITATION.sub("", s))]


def markers(sentence: str) -> list[tuple[int, int]]:
    """(start, end) of each number or quantifier/trend word, ignoring citation markers like [3]."""
    blanked = CITATION.sub(lambda m: " " * len(m.group()), sentence)
    return [m.span() for m in MARKER.finditer(blanked)]


def clauses_with_markers(sentence: str) -> int:
    """How many clauses of the sentence hold a marker (2 or more: the sentence may hold two claims)."""
    spans = markers(sentence)
    bounds = [0] + [m.end() for m in CLAUSE_BREAK.finditer(sentence)] + [len(sentence) + 1]
    return sum(any(lo <= start < hi for start, _ in spans) for lo, hi in zip(bounds, bounds[1:], strict=False))


def _quote_spans(sentence: str, quotes: list[str]) -> list[tuple[int, int]]:
    spans = []
    for quote in quotes:
        quote = quote.strip()
        if not quote:
            continue
        if sentence in quote:
            spans.append((0, len(sentence)))
        start = sentence.find(quote)
        while start >= 0:
            spans.append((start, start + len(quote)))
            start = sentence.find(quote, start + 1)
    return spans


def uncovered(sentence: str, quotes: list[str], whole_ok: list[str] = ()) -> str | None:
    """Why ``sentence`` is not covered by the register's quotes, or None if it is.

    Every marker must lie inside a quote. A sentence with markers in two or more clauses needs two
    or more quotes inside it, unless one quote marked ``whole_ok`` (a non-claim) covers it whole.
    """
    spans = _quote_spans(sentence, quotes)
    loose = [(a, b) for a, b in markers(sentence) if not any(lo <= a and b <= hi for lo, hi in spans)]
    if loose:
        return "not quoted: " + ", ".join(sentence[a:b] for a, b in loose[:4])
    if clauses_with_markers(sentence) >= 2 and len(set(spans)) < 2 and not _quote_spans(sentence, list(whole_ok)):
        return "two claims in one quote"
    return None


def covered(sentence: str, quotes: list[str]) -> bool:
    """True when every number and quantifier word of the sentence lies inside a quote."""
    return uncovered(sentence, quotes, whole_ok=quotes) is None
