"""The versions list and the "What changed" page (bookmachine/changes.py)."""

from __future__ import annotations


def test_versions_list_each_release_with_what_changed(tmp_path):
    from bookmachine import changes

    (tmp_path / "numbers-0.1.0.json").write_text('{"a.b": 1.0, "claims.x.verdict": "supported"}')
    (tmp_path / "numbers-0.2.0.json").write_text('{"a.b": 2.0, "claims.x.verdict": "contradicted"}')
    changes.record_release("0.2.0", "2026-02-01", "b" * 40, tmp_path)
    changes.record_release("0.1.0", "2026-01-01", "a" * 40, tmp_path)
    changes.record_release("0.2.0", "2026-02-02", "c" * 40, tmp_path)  # a re-release replaces its line
    assert (tmp_path / "versions.csv").read_text().splitlines() == [
        "version,date,commit",
        f"0.1.0,2026-01-01,{'a' * 40}",
        f"0.2.0,2026-02-02,{'c' * 40}",
    ]
    table = changes.versions_markdown(tmp_path)
    assert "| 0.1.0 | 2026-01-01 | `aaaaaaaaaaaa` | first release | first release |" in table
    assert "| 0.2.0 | 2026-02-02 | `cccccccccccc` | 2 | 1 |" in table
    assert "No release has been made yet" in changes.versions_markdown(tmp_path / "none")


def test_a_release_is_compared_with_the_release_before_it_and_a_new_version_with_the_latest_release(tmp_path):
    from bookmachine import changes

    (tmp_path / "numbers-0.9.0.json").write_text('{"a.b": 0.5, "c.d": 0.1, "claims.x.verdict": "supported"}')
    (tmp_path / "numbers-1.0.0.json").write_text(
        '{"a.b": 1.0, "c.d": 0.30000000000000004, "claims.x.verdict": "supported"}'
    )
    build = {"a.b": 2.0, "c.d": 0.3, "claims.x.verdict": "contradicted"}
    described, previous, numbers = changes.baseline("1.0.0", build, tmp_path)
    assert (described, previous[0], numbers["a.b"]) == ("Release 1.0.0", "0.9.0", 1.0)  # the kept numbers
    text = changes.changes_markdown(described, previous, numbers)
    assert text.startswith("Release 1.0.0 compared with release 0.9.0: 0 claim verdicts flipped, 2 numbers changed")
    described, previous, numbers = changes.baseline("1.1.0", build, tmp_path)
    text = changes.changes_markdown(described, previous, numbers, {"a.b": "ports", "claims.x.verdict": "claims"})
    assert text.startswith(
        "Version 1.1.0 (this build) compared with release 1.0.0: 1 claim verdicts flipped, 2 numbers"
    )
    # the verdict in the reader's words, the numbers counted by page, no key-by-key table, no float noise
    assert "* - `claims.x.verdict`\n  - Correct\n  - Wrong" in text and "c.d" not in text
    assert "Numbers that changed, by the page that computes them: claims 1, ports 1." in text
    assert "`a.b`" not in text and text.count("* - ") == 2  # the verdicts table: its header and one row
    assert "Every number the first page's answers show is as in release 1.0.0." in text
    first = changes.changes_markdown(*changes.baseline("0.9.0", build, tmp_path))
    assert first == "Release 0.9.0 is the first; there is no earlier release to compare with.\n"


def test_the_pages_tables_download_as_csv_only_when_shown(tmp_path):
    from bookmachine import changes

    (tmp_path / "numbers-0.1.0.json").write_text('{"a.b": 1.0, "c.d": 3, "claims.x.verdict": "supported"}')
    changes.record_release("0.1.0", "2026-01-01", "a" * 40, tmp_path)
    build = {"a.b": 2.0, "c.d": 3, "claims.x.verdict": "contradicted"}
    build["e.f"] = 1
    files = changes.downloads("0.2.0", build, tmp_path, entries=[], sources={"a.b": "ports", "e.f": "who"})
    assert sorted(files) == ["_static/data/book-changes.csv", "_static/data/book-versions.csv"]  # no revision
    assert files["_static/data/book-changes.csv"].splitlines() == [
        "key,label,page,change,before,now,verdict_flipped",
        "a.b,,ports,changed,1.0,2.0,False",
        "claims.x.verdict,,,changed,supported,contradicted,True",
        "e.f,,who,added,,1,False",
    ]
    assert files["_static/data/book-versions.csv"].splitlines() == [
        "version,date,commit,numbers_changed,verdicts_flipped",
        f"0.1.0,2026-01-01,{'a' * 40},first release,first release",
    ]
    text = changes.changes_markdown(*changes.baseline("0.2.0", build, tmp_path))
    assert text.count('href="../_static/data/book-changes.csv"') == 2  # under the verdicts and the full list
    assert 'href="../_static/data/book-versions.csv"' in changes.versions_markdown(tmp_path)
    entry = {
        "dataset": "d",
        "id": "v2",
        "accepted_revisions": [{"month": "2023-01", "value": "pounds", "old": 1.5, "new": 2}],
    }
    assert changes.accepted_revisions_frame([entry]).values.tolist() == [["d", "v2", "2023-01", "", "pounds", 1.5, 2]]
    assert "book-closed-year-revisions.csv" in changes.accepted_revisions_markdown([entry])
    assert "_static/data/book-closed-year-revisions.csv" in changes.downloads("0.2.0", build, tmp_path, [entry])


def test_the_first_pages_numbers_lead_under_plain_labels_and_flipped_verdicts_name_their_claim(tmp_path):
    from bookmachine import changes

    old = {"ports.fentanyl.ofo_share.last_full": 0.86, "claims.doc001_kg_total.verdict": "contradicted"}
    new = {**old, "ports.fentanyl.ofo_share.last_full": 0.9, "ports.last_full_fy": 2026}
    new["claims.doc001_kg_total.verdict"] = "inconclusive"
    (tmp_path / "numbers-1.0.0.json").write_text(__import__("json").dumps(old))
    text = changes.changes_markdown(*changes.baseline("1.1.0", new, tmp_path))
    assert "Of the 2 numbers and answer words on the first page, 2 changed or are new and 0 are as in" in text
    assert "* - Share of CBP's fentanyl seized at ports of entry, by weight, last full year\n  - 0.86\n  - 0.9" in text
    assert "* - Last full fiscal year of CBP's seizure data\n  - (new)\n  - 2026" in text
    assert (
        "* - {ref}`45, 12 and 25 kg of fentanyl a month by group (table) <claim-doc001-kg-total>`\n"
        "  - Wrong\n  - Unclear"
    ) in text
    frame = changes.changes_frame(("1.0.0", old), new)
    assert frame.set_index("key").loc["claims.doc001_kg_total.verdict", "label"].startswith("Verdict: 45, 12 and 25")


def test_the_data_added_since_the_release_before_are_listed_with_their_recorded_revisions(tmp_path):
    from bookmachine import changes, release

    entries = [
        {"id": "a", "sha256": "1", "dataset": "d", "coverage": "Oct 2020 - Jan 2024, monthly"},
        {
            "id": "b",
            "sha256": "2",
            "dataset": "d",
            "coverage": "Oct 2020 - May 2024, monthly",
            "in_year_revisions": ["FY2024 encounters: 238 cells in 4 months (Oct 2023 - Jan 2024), net -114"],
        },
        {"id": "c", "sha256": "3", "dataset": "e", "accepted_revisions": [{"month": "2023-01"}, {"month": "2023-02"}]},
        {"id": "f", "sha256": "4", "dataset": "e", "accepted_short_block": "Oct 2025 ends at A / X, before A / Z"},
    ]
    assert changes.data_added_markdown("1.0.0", entries, tmp_path) == (
        "## Data added since release 1.0.0\n\nThe inputs of release 1.0.0 were not kept (`make release` keeps them).\n"
    )
    release.keep_inputs("1.0.0", entries[:1], tmp_path)
    assert changes.kept_inputs("1.0.0", tmp_path) == {"a": "1"}
    text = changes.data_added_markdown("1.0.0", entries, tmp_path)
    assert text.startswith("## Data added since release 1.0.0\n\n3 files were added to the catalog since release 1.0.0")
    assert (
        "* - d\n  - `b`\n  - Oct 2020 - May 2024, monthly\n  - FY2024 encounters: 238 cells in 4 months "
        "(Oct 2023 - Jan 2024), net -114" in text
    )
    assert "* - e\n  - `c`\n  -  \n  - 2 closed-year cells accepted" in text and 'book-data-added.csv"' in text
    assert "  - `f`\n  -  \n  - last block accepted as short: Oct 2025 ends at A / X, before A / Z" in text
    release.keep_inputs("1.0.0", entries, tmp_path)
    assert "None: this version reads the same files as release 1.0.0." in changes.data_added_markdown(
        "1.0.0", entries, tmp_path
    )
    assert changes.data_added_markdown(None, entries, tmp_path) == ""  # no release before


def test_make_release_dates_the_citation_and_add_data_does_not(tmp_path):
    import datetime as dt

    from bookmachine import newdata, release

    citation, releases = tmp_path / "CITATION.cff", tmp_path / "versions.csv"
    citation.write_text("cff-version: 1.2.0\nversion: 1.0.0\ndate-released: 2026-01-01\ntitle: x\n")
    releases.write_text("version,date,commit\n1.0.0,2026-01-01,abc\n")
    assert newdata.bump_minor_version(citation, releases) == ("1.1.0", True)
    assert "date-released: 2026-01-01\n" in citation.read_text()
    assert release.date_release(citation, dt.date(2026, 3, 9)) == "2026-03-09"
    assert citation.read_text() == "cff-version: 1.2.0\nversion: 1.1.0\ndate-released: 2026-03-09\ntitle: x\n"


def test_make_changes_prints_plain_text_not_myst_markup():
    from bookmachine import changes

    page = (
        "Intro.\n\n```{list-table}\n:header-rows: 1\n:widths: 50 50\n\n* - Claim\n  - Now\n"
        "* - {ref}`Fentanyl comes through ports <claim-x>`\n  - Correct\n```\n\n"
        "```{only} html\nThe file `book-changes.csv`:\n```\n\n```{raw} html\n<p>link</p>\n```\n\n"
        "```{only} latex\nIn the HTML book.\n```\n"
    )
    assert changes.plain(page) == (
        "Intro.\n\nClaim | Now\nFentanyl comes through ports | Correct\n\nThe file `book-changes.csv`:\n"
    )
