"""Split a source document into sentences and find those that state a number.

Used by the claims-register coverage test: every numeric sentence of the five documents must be
covered by a quote in data/claims.csv.
"""
from __future__ import annotations

import re

CITATION = re.compile(r"\[\d+\]")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z*(\"“])")
NOT_CLAIMS = (
    re.compile(r"^#"),                                  # headings ("### Solution 1: ...")
    re.compile(r"^- (Up|Previous|Next):"),              # navigation links
    re.compile(r"\]\(\.\./"),                           # links to other pages of the source site
    re.compile(r"^Checked on |^Last Updated:|HSI Tip Line"),  # page furniture
    re.compile(r"^\|[-| ]+\|$"),                        # table rules
)
ENUMERATOR = re.compile(r"^\d+\.$")                     # "1." left over from a numbered heading


def numeric_sentences(text: str) -> list[str]:
    """Sentences (and table rows) that contain a digit once citation markers are removed."""
    found = []
    for line in text.splitlines():
        line = line.strip().lstrip("•").strip()
        if not line or any(pattern.search(line) for pattern in NOT_CLAIMS):
            continue
        pieces = [line] if line.startswith("|") else SENTENCE_END.split(line)
        for piece in pieces:
            if re.search(r"\d", CITATION.sub("", piece)) and not ENUMERATOR.match(piece.strip()):
                found.append(piece.strip())
    return found


def covered(sentence: str, quotes: list[str]) -> bool:
    """A sentence is covered when a quote lies inside it or it lies inside a quote."""
    return any(quote in sentence or sentence in quote for quote in quotes)
