"""Book tables: cell text Markdown will not reinterpret, and PDF column widths that fit their content."""

from __future__ import annotations

import pytest

from analysis.book import tables


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
        "ports.",
        "fentanyl.",
        "ofo_",
        "share",
        "fy2023/",
        "a-",
        "b",
    ]
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
    assert tables.share_line([1, 1, 1], [0, 0, 0], 100, maximum=[10, inf, inf]) == pytest.approx([10, 45, 45])  # capped
    assert tables.share_line([1, 1], [0, 0], 100, maximum=[10, 30]) == pytest.approx(
        [25, 75]
    )  # all fit: by natural width
    # when the rest then fits, no column goes below its minimum (sharing by natural width once did)
    widths = tables.share_line([1, 10, 10], [40, 20, 0], 100, maximum=[70, 20, 20])
    assert widths == pytest.approx([40 + 20 * 70 / 110, 20 + 20 * 20 / 110, 20 + 20 * 20 / 110])


def test_short_columns_hold_their_whole_cells_and_text_takes_the_rest():
    import pandas as pd

    text = "DHS written testimony of CBP (Provost/Wagner), FY18 budget request hearing " * 2
    frame = pd.DataFrame(
        {
            "Figure": ["President's budget request"] * 3,
            "FY": [2018, 2020, 2024],
            "Value": ["13.9", "20.8", "19.6"],
            "Unit": ["USD billion"] * 3,
            "Source": [text] * 3,
        }
    )
    layout = tables.table_layout(frame)
    size = font_points(layout)
    points = column_points(layout)
    for column, cell in [(1, "2024"), (2, "Value"), (3, "USD billion")]:
        assert points[column] >= tables.cell_extent(cell, header=cell == "Value")[0] * size
    assert points[4] == max(points)  # the long source text takes the widest column ...
    assert points[3] == pytest.approx(
        tables.text_em("USD billion") * size, abs=0.5
    )  # ... short ones no more than needed


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


def test_a_compact_listing_is_set_small_and_close_in_the_pdf_only():
    import pandas as pd

    frame = pd.DataFrame({"Month": ["Oct 2023"] * 3, "Before": ["126", "322", "1"], "After": ["125", "323", "2"]})
    text = tables.list_table(frame, compact=True)
    assert text.startswith("```{raw} latex\n\\begingroup\\scriptsize\\renewcommand{\\arraystretch}{0.8}\n```")
    assert text.endswith("\\endgroup\n```") and "* - Oct 2023" in text
    assert not tables.list_table(frame).startswith("```{raw} latex")


def test_a_dollar_is_escaped_in_cell_text_but_not_inside_a_role_whose_text_is_shown_as_written():
    assert tables.table_text("$3.3 billion") == "\\$3.3 billion"
    assert (
        tables.table_text("{ref}`Mexico got $3.3 billion <claim-x>`, $2")
        == "{ref}`Mexico got $3.3 billion <claim-x>`, \\$2"
    )
