"""The book's own citation, CITATION.cff: its title, authors, release date and public addresses.

One file sets them for everything that prints them: the title page, the footer, "Cite this book" and the
BibTeX (``bookmachine.reuse`` and ``bookmachine.stage``), and the claims register (who reviews the
claims, when, and each card's full address). Two addresses, each one setting: ``url``, where the book
itself is published (the base of every card's link), and ``repository-code``, where its source is.
Neither is invented: with no ``url`` a card's address is given from the book's root.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from analysis import config

CITATION_FILE = config.PROJECT_ROOT / "CITATION.cff"


def citation(path: Path | None = None) -> dict:
    """CITATION.cff as a dict (dates as ISO strings); a page that reads it depends on it."""
    path = path or CITATION_FILE
    config.record_read("file", path)
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    return json.loads(json.dumps(document, default=str))


def author_names(cff: dict) -> list[str]:
    """Each author as cited: 'Family, Given' for persons, the name itself for an entity."""
    return [
        author["name"] if "name" in author else f"{author['family-names']}, {author.get('given-names', '')}".strip(", ")
        for author in cff["authors"]
    ]


def book_url(cff: dict) -> str | None:
    """Where the book is published (``url``), without a trailing '/'; None while it has no public address."""
    address = str(cff.get("url") or "").strip().rstrip("/")
    return address or None


def repository(cff: dict) -> str | None:
    """Where the book's source is (``repository-code``); None while it has no public address."""
    address = str(cff.get("repository-code") or "").strip()
    return address or None
