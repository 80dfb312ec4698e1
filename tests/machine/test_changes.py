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
    assert text.startswith("Release 1.0.0 compared with release 0.9.0: 2 numbers changed")
    described, previous, numbers = changes.baseline("1.1.0", build, tmp_path)
    text = changes.changes_markdown(described, previous, numbers)
    assert text.startswith("Version 1.1.0 (this build) compared with release 1.0.0: 2 numbers changed")
    assert "* - `claims.x.verdict`\n  - supported\n  - contradicted" in text and "`c.d`" not in text  # float noise
    first = changes.changes_markdown(*changes.baseline("0.9.0", build, tmp_path))
    assert first == "Release 0.9.0 is the first; there is no earlier release to compare with.\n"


def test_the_pages_tables_download_as_csv_only_when_shown(tmp_path):
    from bookmachine import changes

    (tmp_path / "numbers-0.1.0.json").write_text('{"a.b": 1.0, "c.d": 3, "claims.x.verdict": "supported"}')
    changes.record_release("0.1.0", "2026-01-01", "a" * 40, tmp_path)
    build = {"a.b": 2.0, "c.d": 3, "claims.x.verdict": "contradicted"}
    files = changes.downloads("0.2.0", build, tmp_path, entries=[])
    assert sorted(files) == ["_static/data/book-changes.csv", "_static/data/book-versions.csv"]  # no revision
    assert files["_static/data/book-changes.csv"].splitlines() == [
        "key,before,now,verdict_flipped",
        "a.b,1.0,2.0,False",
        "claims.x.verdict,supported,contradicted,True",
    ]
    assert files["_static/data/book-versions.csv"].splitlines() == [
        "version,date,commit,numbers_changed,verdicts_flipped",
        f"0.1.0,2026-01-01,{'a' * 40},first release,first release",
    ]
    text = changes.changes_markdown(*changes.baseline("0.2.0", build, tmp_path))
    assert text.count('href="../_static/data/book-changes.csv"') == 2  # under each of its two tables
    assert 'href="../_static/data/book-versions.csv"' in changes.versions_markdown(tmp_path)
    entry = {
        "dataset": "d",
        "id": "v2",
        "accepted_revisions": [{"month": "2023-01", "value": "pounds", "old": 1.5, "new": 2}],
    }
    assert changes.accepted_revisions_frame([entry]).values.tolist() == [["d", "v2", "2023-01", "", "pounds", 1.5, 2]]
    assert "book-closed-year-revisions.csv" in changes.accepted_revisions_markdown([entry])
    assert "_static/data/book-closed-year-revisions.csv" in changes.downloads("0.2.0", build, tmp_path, [entry])
