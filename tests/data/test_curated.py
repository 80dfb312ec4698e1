"""Curated tables: every row sourced, percentages in range."""

from __future__ import annotations

import pytest

from analysis import config
from analysis.data import curated
from analysis.errors import DataError

HEADER = "id,value,unit,source_title,source_url,source_date,source_kind\n"


def test_row_without_source_url_is_refused(tmp_path):
    (tmp_path / "t.csv").write_text(HEADER + "a,5,percent,Title,,2024-01-01,primary\n")
    with pytest.raises(DataError, match="row without a source") as error:
        curated.load_curated("t", tmp_path)
    assert error.value.column == "source_url" and error.value.rows == [2]


def test_percentage_out_of_range_is_refused(tmp_path):
    (tmp_path / "t.csv").write_text(HEADER + "a,120,percent,Title,https://e.org,2024,primary\n")
    with pytest.raises(DataError, match="outside 0-100"):
        curated.load_curated("t", tmp_path)


def test_unknown_source_kind_is_refused(tmp_path):
    (tmp_path / "t.csv").write_text(HEADER + "a,1,percent,Title,https://e.org,2024,hearsay\n")
    with pytest.raises(DataError, match="unknown source kind"):
        curated.load_curated("t", tmp_path)


def test_value_lookup(tmp_path):
    (tmp_path / "t.csv").write_text(HEADER + "a,12.5,percent,Title,https://e.org,2024,secondary\n")
    assert curated.curated_value(curated.load_curated("t", tmp_path), "a") == 12.5


@pytest.mark.parametrize("name", sorted(p.stem for p in config.CURATED_DIR.glob("*.csv")))
def test_every_project_curated_table_is_sourced(name):
    table = curated.load_curated(name)
    assert len(table) > 0


def test_a_copy_marked_primary_is_refused(tmp_path):
    """One definition (``curated.SOURCE_KIND_DEFINITION``): a copy on a site that did not publish the document is
    secondary, however complete."""
    row = "a,1,percent,Title,https://www.scribd.com/document/1/x,2024,primary\n"
    (tmp_path / "t.csv").write_text(HEADER + "b,1,percent,Title,https://e.gov/x,2024,primary\n" + row)
    with pytest.raises(DataError, match="a copy marked primary") as error:
        curated.load_curated("t", tmp_path)
    assert error.value.column == "source_kind" and error.value.rows == [3]
    (tmp_path / "t.csv").write_text(HEADER + row.replace("primary", "secondary"))
    assert list(curated.load_curated("t", tmp_path)["source_kind"]) == ["secondary"]
    assert curated.is_copy_host("https://fdocuments.in/document/x.html") and curated.is_copy_host(
        "https://www.everycrsreport.com/files/x.html"
    )
    assert not curated.is_copy_host("https://crsreports.congress.gov/product/pdf/IF/IF10578")
