"""Glue helper: only plain Python values, only well-formed keys, never NaN."""
from __future__ import annotations

import numpy as np
import pytest

from analysis import report


def test_numpy_scalars_become_plain_python():
    assert type(report.plain(np.float64(0.5))) is float
    assert type(report.plain(np.int64(3))) is int
    assert report.plain("FY2025") == "FY2025"


def test_nan_is_refused():
    with pytest.raises(ValueError, match="NaN"):
        report.plain(float("nan"))


def test_key_pattern():
    assert report.KEY_PATTERN.match("ports.fentanyl.ofo_share.fy2023")
    assert not report.KEY_PATTERN.match("Ports.Fentanyl")
    assert not report.KEY_PATTERN.match("single")


def test_markdown_table_escapes_and_sets_widths():
    import pandas as pd

    text = report.markdown_table(pd.DataFrame({"a": ["- x", "1. y", "2019"], "b": ["$5", "ok", "3.5"]})).data
    assert ":header-rows: 1" in text and ":widths: 50 50" in text
    assert "* - \\- x" in text and "1\\. y" in text and "\\$5" in text and "* - 2019" in text


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
