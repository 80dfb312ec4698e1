"""CITATION.cff is valid Citation File Format 1.2.0 and carries the version the book prints."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import yaml

from analysis import config
from bookmachine import version

# The official CFF 1.2.0 schema (citation-file-format project, CC-BY-4.0), as shipped in cffconvert 2.0.0.
SCHEMA = Path(__file__).parent / "schemas" / "citation-cff-1.2.0.json"


def test_citation_cff_is_valid():
    document = yaml.safe_load((config.PROJECT_ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    document = json.loads(json.dumps(document, default=str))  # dates as the strings the schema expects
    jsonschema.validate(document, json.loads(SCHEMA.read_text(encoding="utf-8")))


def test_version_is_semantic_and_is_the_books():
    assert re.fullmatch(r"\d+\.\d+\.\d+", version.cff_version())
    assert version.book_version().startswith(version.cff_version())


def test_schema_rejects_a_citation_without_authors():
    import pytest

    document = yaml.safe_load((config.PROJECT_ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    document.pop("authors")
    with pytest.raises(jsonschema.ValidationError, match="authors"):
        jsonschema.validate(json.loads(json.dumps(document, default=str)), json.loads(SCHEMA.read_text()))
