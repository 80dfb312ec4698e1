"""Glue helper: only plain Python values, only well-formed keys, never NaN."""
from __future__ import annotations

import json

import numpy as np
import pytest

from analysis import config
from analysis.book import glue, tables


def test_numpy_scalars_become_plain_python():
    assert type(glue.plain(np.float64(0.5))) is float
    assert type(glue.plain(np.int64(3))) is int
    assert glue.plain("FY2025") == "FY2025"


def test_nan_is_refused():
    with pytest.raises(ValueError, match="NaN"):
        glue.plain(float("nan"))


def test_key_pattern():
    assert glue.KEY_PATTERN.match("ports.fentanyl.ofo_share.fy2023")
    assert not glue.KEY_PATTERN.match("Ports.Fentanyl")
    assert not glue.KEY_PATTERN.match("single")


def test_markdown_table_escapes_and_sets_widths():
    import pandas as pd

    text = tables.markdown_table(pd.DataFrame({"a": ["- x", "1. y", "2019"], "b": ["$5", "ok", "3.5"]})).data
    assert ":header-rows: 1" in text and ":widths: 561 439" in text
    assert "* - \\- x" in text and "1\\. y" in text and "\\$5" in text and "* - 2019" in text
    assert "raw" not in text  # a narrow table keeps the normal font


def column_points(layout):
    """Each column's text width in points, as LaTeX's \\X{w}{total} column sets it."""
    total = sum(layout.widths)
    return [tables.PDF_LINE_PT * w / total - tables.PDF_CELL_PADDING_PT for w in layout.widths]


def font_points(layout):
    return dict(tables.PDF_FONT_SIZES)[layout.font]


def test_character_widths_and_unbreakable_pieces():
    assert tables.cell_extent("2024") == (2.0, 2.0)  # four digits of half an em
    assert tables.cell_extent("`ab`") == (1.2, 1.2)  # code: 0.6 em a character
    assert tables.unbreakable_pieces("ports.fentanyl.ofo_share fy2023/a-b", split_code=True) == [
        "ports.", "fentanyl.", "ofo_", "share", "fy2023/", "a-", "b"]
    assert tables.unbreakable_pieces("ports.fentanyl share") == ["ports.fentanyl", "share"]
    assert tables.cell_extent("x `ab.cd.ef.gh.ij.kl`", split_code=True)[1] == tables.text_em("ab.", code=True)
    whole, piece = tables.cell_extent("a long sentence that wraps between words ab")
    assert piece == tables.text_em("between") and whole > piece  # longer than SHORT_CELL_CHARS: words wrap
    assert tables.cell_extent("[+1.47, +6.82]")[1] == tables.text_em("[+1.47, +6.82]")  # short: one piece


def test_a_numeric_interval_never_wraps_inside():
    cell = "+2.94 [-32.56, +38.45] p=0.86"
    assert tables.table_text(cell) == "\\+2.94 [-32.56,\u00a0+38.45] p=0.86"  # no-break space in the interval
    assert tables.cell_extent(cell)[1] == tables.text_em("[-32.56, +38.45]")  # the widest unbreakable piece
    assert tables.table_text("(Provost, Wagner)") == "(Provost, Wagner)"  # words in brackets still wrap


def test_share_line_gives_the_rest_in_proportion_and_never_less_than_the_minimum():
    assert tables.share_line([1, 1], [0, 0], 100) == [50, 50]
    assert tables.share_line([9, 1], [0, 30], 100) == [70, 30]
    assert tables.share_line([1, 1, 2], [10, 60, 0], 100) == pytest.approx([40 / 3, 60, 80 / 3])
    inf = float("inf")
    assert tables.share_line([1, 1, 1], [0, 0, 0], 100, [10, inf, inf]) == pytest.approx([10, 45, 45])  # capped
    assert tables.share_line([1, 1], [0, 0], 100, [10, 30]) == pytest.approx([25, 75])  # all fit: by natural width


def test_short_columns_hold_their_whole_cells_and_text_takes_the_rest():
    import pandas as pd

    text = "DHS written testimony of CBP (Provost/Wagner), FY18 budget request hearing " * 2
    frame = pd.DataFrame({"Figure": ["President's budget request"] * 3, "FY": [2018, 2020, 2024],
                          "Value": ["13.9", "20.8", "19.6"], "Unit": ["USD billion"] * 3, "Source": [text] * 3})
    layout = tables.table_layout(frame)
    size = font_points(layout)
    points = column_points(layout)
    for column, cell in [(1, "2024"), (2, "Value"), (3, "USD billion")]:
        assert points[column] >= tables.cell_extent(cell, header=cell == "Value")[0] * size
    assert points[4] == max(points)  # the long source text takes the widest column ...
    assert points[3] == pytest.approx(tables.text_em("USD billion") * size, abs=0.5)  # ... short ones no more than needed


def test_preferred_widths_are_raised_to_what_the_content_needs():
    import pandas as pd

    frame = pd.DataFrame({"Text": ["words " * 30], "Unit": ["USD billion"]})
    layout = tables.table_layout(frame, widths=[97, 3])
    assert column_points(layout)[1] >= tables.text_em("USD billion") * font_points(layout)


def test_a_wide_table_gets_a_smaller_pdf_font_in_raw_latex():
    import pandas as pd

    frame = pd.DataFrame({f"c{i}": ["1,234,567.89"] for i in range(7)})
    layout = tables.table_layout(frame)
    assert layout.font in ("small", "footnotesize")
    assert min(column_points(layout)) >= tables.text_em("1,234,567.89") * font_points(layout)
    text = tables.list_table(frame, caption="Wide")
    assert text.startswith("```{raw} latex\n\\begingroup\\" + layout.font) and text.endswith("\\endgroup\n```")
    assert "```{list-table} Wide" in text


def test_long_code_words_stay_whole_at_a_smaller_size_and_wrap_only_when_nothing_else_fits():
    import pandas as pd

    key = "`" + "ports.share_" * 4 + "southwest_fy2026`"  # 64 characters of code
    frame = pd.DataFrame({"Key": [key, "`a.b`"], "Value": ["0.5", "Columbia"]})
    layout = tables.table_layout(frame)
    assert layout.font == "footnotesize"  # the minimum widths leave too little room at 11 and 10 pt
    assert column_points(layout)[0] >= tables.cell_extent(key)[0] * 9.0  # the key on one line
    longer = pd.DataFrame({"Key": ["`" + "ports.share_" * 8 + "`"], "Value": ["0.5"]})  # 96 characters
    points = column_points(tables.table_layout(longer))
    assert points[0] < tables.cell_extent(longer["Key"][0])[0] * 9.0  # too long for the line: it wraps ...
    assert points[1] >= tables.text_em("Value", header=True) * 9.0  # ... and the value column keeps its room


def test_the_key_by_key_lists_are_downloads_and_the_page_stays_short():
    """Every number, parameter, file read, input and package is a row of a CSV the build publishes; the
    Reproducibility page lists those files (a link in the HTML, the file's name in the PDF), not the rows."""
    from bookmachine import provenance
    from bookmachine.plan import Run

    runs = [Run("budget", config.CHAPTERS_DIR / "budget.md"),
            Run("budget_latest", config.CHAPTERS_DIR / "budget_scenario.md",
                {"scenario": "latest", "growth": 0.0, "numbers": [1, 2]})]
    numbers = {"budget.a.b": 0.123456789, "ports.c.d": "FY2025"}
    sources = {"budget.a.b": "budget", "ports.c.d": "ports"}
    reads = {"budget": [["catalog", "ndcs-data-supplement-2020-february"], ["file", "data/curated/x.csv"]]}
    files = provenance.downloads(runs, numbers, sources, reads)
    assert sorted(files) == sorted(f"_static/data/{name}" for name in provenance.FILES)
    assert files["_static/data/book-numbers.csv"].splitlines() == [
        "key,value,page", "budget.a.b,0.123456789,budget", "ports.c.d,FY2025,ports"]
    assert files["_static/data/book-parameters.csv"].splitlines() == [
        "page,notebook,parameter,value", "budget,chapters/budget.md,,notebook defaults",
        "budget_latest,chapters/budget_scenario.md,scenario,latest", "budget_latest,chapters/budget_scenario.md,growth,0.0",
        'budget_latest,chapters/budget_scenario.md,numbers,"[1, 2]"']
    reads_rows = files["_static/data/book-reads.csv"].splitlines()
    assert reads_rows[0] == "page,kind,file" and reads_rows[2] == "budget,project file,data/curated/x.csv"
    assert reads_rows[1].startswith("budget,raw input,") and reads_rows[1].endswith(".xlsx")   # the catalog's file name
    assert json.loads(files["_static/data/numbers.json"]) == numbers
    listing = provenance.downloads_list({"book-numbers.csv": 2})
    assert '<a href="../_static/data/book-numbers.csv" download>book-numbers.csv</a>' in listing and "(2 rows)" in listing
    assert "- `book-inputs.csv`:" in listing.split("{only} latex")[1]


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


def test_publish_all_glues_every_key_of_a_section():
    glue.publish_all({"test.section.a": 1, "test.section.b": "two"})
    assert glue.PUBLISHED["test.section.a"] == 1 and glue.PUBLISHED["test.section.b"] == "two"
    with pytest.raises(ValueError, match="NaN"):
        glue.publish_all({"test.section.c": float("nan")})
