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
        "version,date,commit", f"0.1.0,2026-01-01,{'a' * 40}", f"0.2.0,2026-02-02,{'c' * 40}"]
    table = changes.versions_markdown(tmp_path)
    assert "| 0.1.0 | 2026-01-01 | `aaaaaaaaaaaa` | first release | first release |" in table
    assert "| 0.2.0 | 2026-02-02 | `cccccccccccc` | 2 | 1 |" in table
    assert "No release has been made yet" in changes.versions_markdown(tmp_path / "none")


def test_a_build_of_a_released_version_compares_with_that_release(tmp_path):
    from bookmachine import changes

    (tmp_path / "numbers-0.9.0.json").write_text('{"a.b": 0.5}')
    (tmp_path / "numbers-1.0.0.json").write_text('{"a.b": 1.0, "claims.x.verdict": "supported"}')
    (tmp_path / "numbers-1.1.0.json").write_text('{"a.b": 3.0}')
    version, numbers = changes.previous_release("1.0.0", tmp_path)
    assert version == "1.0.0" and numbers["a.b"] == 1.0
    text = changes.changes_markdown("1.0.0", (version, numbers), {"a.b": 2.0, "claims.x.verdict": "contradicted"})
    assert "2 numbers changed" in text and "1 claim verdicts flipped" in text
    assert "* - `claims.x.verdict`\n  - supported\n  - contradicted" in text
    assert changes.previous_release("0.5.0", tmp_path) is None
