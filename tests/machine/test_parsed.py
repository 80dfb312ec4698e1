"""Parsed inputs kept by input hash (analysis.data.parsed): reused only while the file, the arguments
and the code are unchanged, the reads the loader recorded are recorded again, and nothing is kept
outside the build."""

from __future__ import annotations

import pandas as pd

from analysis import config
from analysis.data import parsed


def counting_loader(calls: list):
    """A loader that records one read and counts how often it really parses."""

    @parsed.kept
    def load_lines(path, scale=1):
        calls.append(path)
        config.record_read("file", path)
        frame = pd.DataFrame({"value": [int(line) * scale for line in path.read_text().split()]})
        frame.attrs["note"] = "kept with the frame"
        return frame

    return load_lines


def test_outside_the_build_the_loader_always_parses(tmp_path, monkeypatch):
    monkeypatch.delenv(parsed.DIRECTORY_VARIABLE, raising=False)
    source = tmp_path / "input.txt"
    source.write_text("1 2 3")
    calls = []
    load = counting_loader(calls)
    assert load(source)["value"].tolist() == load(source)["value"].tolist() == [1, 2, 3]
    assert len(calls) == 2


def test_a_kept_parse_is_reused_until_the_file_or_the_arguments_change(tmp_path, monkeypatch):
    monkeypatch.setenv(parsed.DIRECTORY_VARIABLE, str(tmp_path / "parsed"))
    monkeypatch.setenv(config.READS_LOG_VARIABLE, str(tmp_path / "reads.log"))
    source = tmp_path / "input.txt"
    source.write_text("1 2 3")
    calls = []
    load = counting_loader(calls)
    first, again = load(source), load(source)
    assert len(calls) == 1
    pd.testing.assert_frame_equal(first, again)
    assert again.attrs == {"note": "kept with the frame"}
    assert (tmp_path / "reads.log").read_text().count(f"file\t{source}\n") == 2  # recorded on reuse too
    assert load(source, scale=10)["value"].tolist() == [10, 20, 30] and len(calls) == 2
    source.write_text("4 5")
    assert load(source)["value"].tolist() == [4, 5] and len(calls) == 3
    kept = sorted(p.name for p in (tmp_path / "parsed").iterdir())
    assert len(kept) == 3 and all(name.startswith("load_lines-") and name.endswith(".pickle") for name in kept)


def test_the_key_covers_the_analysis_code(tmp_path, monkeypatch):
    source = tmp_path / "input.txt"
    source.write_text("1")
    before = parsed.entry(tmp_path, "load_lines", source, (), {})
    monkeypatch.setattr(parsed, "code_digest", lambda: "another version of the code")
    changed = parsed.entry(tmp_path, "load_lines", source, (), {})
    assert changed != before and changed.name.rsplit("-", 1)[0] == before.name.rsplit("-", 1)[0]
