"""Figures and downloads: one call gives the static drawing, its interactive twin and its data; every
table or figure with a download writes a CSV with its description; charts fill their column."""

from __future__ import annotations

import base64
import json

import matplotlib
import pandas as pd
import pytest

matplotlib.use("Agg")

from analysis.book import downloads, interactive, tables  # noqa: E402
from analysis.book.downloads import Download  # noqa: E402
from analysis.book.figures import correlation, encounters, ports, who  # noqa: E402

ABOUT = Download("test-shares", "Shares in a test", "share: fraction (0-1)", "synthetic")


@pytest.fixture(autouse=True)
def build_dir(tmp_path, monkeypatch):
    """Downloads go to a temporary _build."""
    monkeypatch.setattr(downloads.config, "BUILD_DIR", tmp_path)
    return tmp_path


def share_rows():
    """Two scopes, two drugs, three fiscal years, the last partial."""
    rows = []
    for scope in ("Nationwide", "Southwest Border"):
        for drug, share in (("Fentanyl", 0.9), ("Marijuana", 0.4)):
            for fy, partial in ((2023, False), (2024, False), (2025, True)):
                rows.append(
                    {
                        "scope": scope,
                        "fy": fy,
                        "partial": partial,
                        "fy_label": f"FY{fy}",
                        "drug": drug,
                        "ofo_share": share,
                        "pounds_ofo": 900.0 * share,
                        "pounds_usbp": 900.0 * (1 - share),
                    }
                )
    return pd.DataFrame(rows)


def test_a_download_needs_a_plain_name_and_says_what_it_holds():
    with pytest.raises(ValueError, match="lower-case words"):
        Download("Ports Share", "t", "u", "s")
    with pytest.raises(ValueError, match="needs a units"):
        Download("ports-share", "t", " ", "s")


def test_save_writes_the_csv_and_its_description(build_dir):
    frame = pd.DataFrame({"year": [2023, 2024], "share": [0.123456789, 0.5]})
    address = downloads.save(frame, ABOUT)
    assert address == "../_static/data/test-shares.csv"
    assert (build_dir / "figure-data" / "test-shares.csv").read_text() == "year,share\n2023,0.123456789\n2024,0.5\n"
    described = json.loads((build_dir / "figure-data" / "test-shares.json").read_text())
    assert described == {
        "name": "test-shares",
        "title": "Shares in a test",
        "units": "share: fraction (0-1)",
        "source": "synthetic",
        "rows": 2,
        "columns": ["year", "share"],
    }


def test_save_refuses_an_empty_frame():
    with pytest.raises(ValueError, match="empty"):
        downloads.save(pd.DataFrame({"a": []}), ABOUT)


def test_a_table_with_a_download_links_its_csv_under_it(build_dir):
    shown = pd.DataFrame({"Year": ["2023"], "Share": ["12.3%"]})
    raw = pd.DataFrame({"year": [2023], "share": [0.123]})
    text = tables.markdown_table(shown, download=ABOUT, data=raw).data
    assert text.startswith("```{list-table}")
    assert text.endswith(
        '<p class="data-links">Download: <a href="../_static/data/test-shares.csv" download>table (CSV)</a></p>'
    )
    assert (build_dir / "figure-data" / "test-shares.csv").read_text() == "year,share\n2023,0.123\n"
    assert "data-links" not in tables.markdown_table(shown).data


def test_port_share_is_one_call_with_static_interactive_and_data(build_dir):
    figure = ports.port_share(share_rows(), "synthetic source")
    bundle = figure._repr_mimebundle_()
    assert set(bundle) == {"text/html", "image/png", "text/plain"}
    assert interactive.png_size(base64.b64decode(bundle["image/png"]))[0] > 500
    assert (build_dir / "figure-data" / "ports-share.png").read_bytes() == figure.png
    saved = pd.read_csv(build_dir / "figure-data" / "ports-share.csv")
    assert len(saved) == 12 and saved["partial_year"].sum() == 4
    # one panel per scope, side by side or stacked by the page; the legend (and the shared selection) once
    assert len(figure.panels) == 2 and figure.linked == ("pick",)
    assert 'data-linked="pick"' in bundle["text/html"] and bundle["text/html"].count('class="vega-chart"') == 2
    for panel in figure.panels:
        assert panel["width"] == "container" and panel["autosize"] == {
            "type": "fit-x",
            "contains": "padding",
            "resize": True,
        }
    legends = [layer["encoding"]["color"].get("legend", {}) for panel in figure.panels for layer in panel["layer"][:1]]
    assert legends[0] is None and legends[1]["orient"] == "bottom"
    # partial years hollow: the points' fill is white where partial_year, the drug's colour elsewhere
    fill = figure.panels[0]["layer"][1]["encoding"]["fill"]
    assert fill["condition"] == {"test": "datum.partial_year", "value": "white"} and fill["field"] == "drug"


def test_the_html_of_a_chart_cannot_be_closed_by_its_data(build_dir):
    rows = pd.DataFrame({"label": ["a </script><script>alert(1)</script>"], "share": [0.5], "source_kind": ["primary"]})
    html = who.citizen_shares(rows, "synthetic").html()
    assert "</script><script>alert" not in html and "<\\/script>" in html


def test_a_static_only_figure_shows_its_png_with_its_size(build_dir):
    rows = pd.DataFrame({"x": [1.0, 2.0, 3.0], "y": [2.0, 1.0, 4.0]})
    figure = correlation.raw_and_within_scatter(
        rows["x"],
        rows["y"],
        rows["x"] - 2,
        rows["y"] - 2,
        "Fentanyl",
        "Test",
        "synthetic",
        slope=0.5,
        slope_label="slope",
    )
    width, height = interactive.png_size(figure.png)
    assert figure.panels == []
    assert 'src="../_static/data/correlation-scatter.png" alt="Two scatter plots of fentanyl' in figure.html()
    assert f'width="{width}" height="{height}"' in figure.html()
    # the source as text under the image, readable on a phone, before the downloads
    assert '</picture>\n<p class="figure-source">Source: synthetic</p>\n<p class="data-links">' in figure.html()
    # on a phone the two panels come stacked, from their own file
    narrow_width, narrow_height = figure.narrow_size
    assert narrow_width < width and narrow_height > height
    assert (
        '<picture><source media="(max-width: 640px)" srcset="../_static/data/correlation-scatter-narrow.png" '
        f'width="{narrow_width}" height="{narrow_height}" />'
    ) in figure.html()
    assert (
        interactive.png_size((build_dir / "figure-data" / "correlation-scatter-narrow.png").read_bytes())
        == figure.narrow_size
    )
    assert list(pd.read_csv(build_dir / "figure-data" / "correlation-scatter.csv").columns) == [
        "encounters_thousands",
        "pounds",
        "encounters_within",
        "pounds_within",
    ]


def test_compact_png_keeps_the_size_and_at_most_256_colours():
    import io

    import matplotlib.pyplot as plt
    from PIL import Image

    figure, axis = plt.subplots(figsize=(4, 3))
    axis.imshow([[i + j for i in range(64)] for j in range(64)])
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100)
    plt.close(figure)
    compact = interactive.compact_png(buffer.getvalue())
    image = Image.open(io.BytesIO(compact))
    assert image.size == interactive.png_size(buffer.getvalue()) and image.mode == "P"
    assert len(compact) < len(buffer.getvalue())


def test_png_size_reads_the_header_and_refuses_other_files():
    header = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + (640).to_bytes(4, "big") + (480).to_bytes(4, "big")
    assert interactive.png_size(header) == (640, 480)
    with pytest.raises(ValueError):
        interactive.png_size(b"GIF89a" + b"\x00" * 20)


def test_wrapped_legend_labels_break_long_labels_only():
    expression = interactive.wrapped_labels(["short", "a label long enough to need two lines here"], 20)
    mapping = json.loads(expression.split(")[datum.label]")[0][1:])
    assert mapping == {
        "short": ["short"],
        "a label long enough to need two lines here": ["a label long enough", "to need two lines", "here"],
    }
    assert expression.endswith("|| datum.label")


def test_monthly_lines_shade_a_period_in_both_drawings(build_dir):
    months = pd.date_range("2020-01-01", periods=4, freq="MS")
    monthly = pd.DataFrame(
        {
            "month": list(months) * 2,
            "title_of_authority": ["Title 8"] * 4 + ["Title 42"] * 4,
            "encounters": [5, 6, 7, 8, 1, 2, 0, 0],
        }
    )
    figure = encounters.by_title(monthly, (months[1], months[2]), "synthetic")
    band, lines = figure.panels[0]["layer"]
    period = figure.panels[0]["datasets"][band["data"]["name"]][0]
    assert band["mark"]["type"] == "rect" and period["period"] == "Title 42 in force"
    assert period["start"].startswith("2020-02-01") and period["end"].startswith("2020-03-01")
    assert lines["encoding"]["color"]["scale"]["domain"] == ["Title 8", "Title 42"]
    assert len(pd.read_csv(build_dir / "figure-data" / "encounters-title.csv")) == 8


def test_seizure_size_bars_start_at_the_log_axis_in_the_interactive_drawing(build_dir):
    sizes = pd.DataFrame(
        {
            "drug": ["Fentanyl", "Fentanyl"],
            "component": ["OFO", "USBP"],
            "pounds": [150.0, 63.0],
            "events": [10, 10],
            "lbs_per_event": [15.0, 6.3],
        }
    )
    figure = ports.seizure_size(sizes, 2025, "synthetic")
    bars = figure.panels[0]["layer"][0]["encoding"]
    assert bars["y"]["scale"] == {"type": "log", "domain": [1.0, 24.0]} and bars["y2"] == {"datum": 1.0}


def test_the_estimates_chart_keeps_its_labels_in_a_left_gutter(build_dir):
    from analysis.book.figures import state_panel

    rows = pd.DataFrame(
        {
            "key": ["twfe", "weighted"],
            "label": ["Main: state and year effects", "Population-weighted"],
            "coef": [-37.9, -22.2],
            "ci_low": [-60.2, -53.8],
            "ci_high": [-15.6, 9.3],
            "n_obs": [414, 414],
            "n_states": [50, 50],
            "years": ["1990-2008", "1990-2008"],
        }
    )
    figure = state_panel.estimates(rows, -22.0, "Study", "x", "Title", "synthetic", threshold=23.7, decisive=("twfe",))
    panel = figure.panels[0]
    axis = panel["layer"][1]["encoding"]["y"]["axis"]
    assert (
        axis["labelExpr"] == '({"0": ["Main: state and year", "effects"], "1": ["Population-weighted"]})[datum.value]'
    )
    assert axis["labelFontWeight"]["condition"] == {"test": "indexof([0], datum.value) >= 0", "value": "bold"}
    assert all(layer["mark"]["type"] != "text" for layer in panel["layer"])  # no label drawn over the plot
    legend = panel["layer"][0]["encoding"]["color"]["scale"]["domain"]
    assert legend == ["zero", "threshold: smallest rise that counts (+23.7)", "Study"]


def test_a_reference_label_goes_where_no_line_crosses_it():
    from analysis.book.figures import budget

    flat = pd.DataFrame({"fiscal_year": [2000, 2020], "edition": "a", "demand_share": [0.30, 0.30]})
    assert budget.label_year(flat, 0.43) == 2020.0  # nothing near the line: the right end
    # a second line rises through the band from 0.43 to 0.475 between 2014 and 2016: the label ends before it
    rising = pd.DataFrame({"fiscal_year": [2016, 2012, 2020], "edition": "b", "demand_share": [0.50, 0.40, 0.50]})
    assert budget.label_year(pd.concat([flat, rising]), 0.43) == 2013.0  # the line enters the band at 2013.2
    crossing = pd.DataFrame({"fiscal_year": [2000, 2020], "edition": "c", "demand_share": [0.45, 0.45]})
    assert budget.label_year(crossing, 0.43) == 2020.0  # no clear window anywhere: the right end
    # no clear window: the latest of those the lines cross least (e: 3 points, 2009-2009.5; c and d: more)
    lines = pd.DataFrame(
        {
            "fiscal_year": [2000, 2005, 2009, 2009.5, 2015, 2020],
            "edition": ["c", "c", "e", "e", "d", "d"],
            "demand_share": 0.45,
        }
    )
    assert budget.label_year(lines, 0.43) == 2014.75
