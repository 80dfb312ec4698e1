"""The Reproducibility page and its downloads (bookmachine/provenance.py)."""

from __future__ import annotations

import json

from analysis import config


def test_the_key_by_key_lists_are_downloads_and_the_page_stays_short():
    """Every number, parameter, file read, input and package is a row of a CSV the build publishes; the
    Reproducibility page lists those files (a link in the HTML, the file's name in the PDF), not the rows."""
    from bookmachine import provenance
    from bookmachine.plan import Run

    runs = [
        Run("budget", config.CHAPTERS_DIR / "budget.md"),
        Run(
            "budget_latest",
            config.CHAPTERS_DIR / "budget_scenario.md",
            {"scenario": "latest", "growth": 0.0, "numbers": [1, 2]},
        ),
    ]
    numbers = {"budget.a.b": 0.123456789, "ports.c.d": "FY2025"}
    sources = {"budget.a.b": "budget", "ports.c.d": "ports"}
    reads = {"budget": [["catalog", "ndcs-data-supplement-2020-february"], ["file", "data/curated/x.csv"]]}
    files = provenance.downloads(runs, numbers, sources, reads)
    assert sorted(files) == sorted(f"_static/data/{name}" for name in provenance.FILES)
    assert files["_static/data/book-numbers.csv"].splitlines() == [
        "key,value,page",
        "budget.a.b,0.123456789,budget",
        "ports.c.d,FY2025,ports",
    ]
    assert files["_static/data/book-parameters.csv"].splitlines() == [
        "page,notebook,parameter,value",
        "budget,chapters/budget.md,,notebook defaults",
        "budget_latest,chapters/budget_scenario.md,scenario,latest",
        "budget_latest,chapters/budget_scenario.md,growth,0.0",
        'budget_latest,chapters/budget_scenario.md,numbers,"[1, 2]"',
    ]
    reads_rows = files["_static/data/book-reads.csv"].splitlines()
    assert reads_rows[0] == "page,kind,file" and reads_rows[2] == "budget,project file,data/curated/x.csv"
    assert reads_rows[1].startswith("budget,raw input,") and reads_rows[1].endswith(".xlsx")  # the catalog's file name
    assert json.loads(files["_static/data/numbers.json"]) == numbers
    listing = provenance.downloads_list({"book-numbers.csv": 2})
    assert (
        '<a href="../_static/data/book-numbers.csv" download>book-numbers.csv</a>' in listing and "(2 rows)" in listing
    )
    assert "- `book-inputs.csv`:" in listing.split("{only} latex")[1]


def test_the_data_sources_table_links_its_csv_and_the_data_page_describes_the_builds_own_files():
    from bookmachine import provenance

    entries = [
        {"dataset": "b-set", "publisher": "P2", "license": "public domain", "url": "https://b.gov", "id": "b1"},
        {"dataset": "a-set", "publisher": "P1", "license": "CC BY", "url": "https://a.org/1", "id": "a1"},
        {"dataset": "a-set", "publisher": "P1", "license": "CC BY", "url": "https://a.org/2", "id": "a2"},
    ]
    assert provenance.data_sources_frame(entries).values.tolist() == [
        ["a-set", "P1", "CC BY", 2, "https://a.org/1"],
        ["b-set", "P2", "public domain", 1, "https://b.gov"],
    ]
    table = provenance.data_sources_table(entries)
    assert "* - [a-set](https://a.org/1)" in table
    assert table.endswith(
        '```{raw} html\n<p class="data-links">Download: <a href="../_static/data/book-data-sources.csv" '
        "download>table (CSV)</a></p>\n```\n"
    )
    files = {
        "_static/data/book-data-sources.csv": "dataset,files\na-set,2\n",
        "_static/data/book-versions.csv": "version,date\n1.0.0,2026-01-01\n",
    }
    rows = {row["name"]: row for row in provenance.download_rows(files)}
    assert set(rows) == {"book-data-sources", "book-versions"}  # only the files the build wrote
    assert (rows["book-data-sources"]["page"], rows["book-versions"]["page"]) == ("reproducibility", "changes")
    assert rows["book-versions"]["columns"] == ["version", "date"] and rows["book-versions"]["rows"] == 1
