"""Every table's download: what the page shows, and what its CSV holds (unrounded, plain column names),
on small synthetic inputs."""

from __future__ import annotations

import json
import math
from types import SimpleNamespace

import pandas as pd
import pytest

from analysis.book import claim_cards, downloads, show
from analysis.book.downloads import Download
from analysis.book.sections import budget, checks, correlation, encounters, ports, state_panel, who
from analysis.metrics import budget as budget_metrics


@pytest.fixture(autouse=True)
def build_dir(tmp_path, monkeypatch):
    """Downloads go to a temporary _build."""
    monkeypatch.setattr(downloads.config, "BUILD_DIR", tmp_path)
    return tmp_path


def saved(build_dir, name: str) -> str:
    return (build_dir / "figure-data" / f"{name}.csv").read_text()


def description(build_dir, name: str) -> dict:
    return json.loads((build_dir / "figure-data" / f"{name}.json").read_text())


def cells(markdown) -> list[str]:
    """The cells of a rendered list-table, in order."""
    return [line.split("- ", 1)[1] for line in markdown.data.splitlines() if line.startswith(("* - ", "  - "))]


# --- the mechanism ---


def test_a_page_cannot_save_two_different_downloads_under_one_name(build_dir):
    frame = pd.DataFrame({"a": [1]})
    first = Download("test-table", "First table", "counts", "synthetic")
    downloads.save(frame, first)
    downloads.save(frame, first)  # the same table again (a cell run twice): fine
    with pytest.raises(ValueError, match="'test-table' is already used on this page by 'First table'"):
        downloads.save(frame, Download("test-table", "Second table", "counts", "synthetic"))


def test_links_markdown_is_raw_html_for_the_html_book_only():
    assert downloads.links_markdown({"table (CSV)": "../_static/data/a.csv"}) == (
        "```{raw} html\n"
        '<p class="data-links">Download: <a href="../_static/data/a.csv" download>table (CSV)</a></p>\n'
        "```"
    )


# --- parameters, inputs and claims (analysis/book/show.py) ---


def test_a_download_link_names_its_file_outside_html_never_an_object_address(build_dir):
    frame = pd.DataFrame({"a": [1]})
    shown = downloads.link(frame, Download("some-cells", "One cell", "count", "test"), "every cell (CSV)")
    bundle = shown._repr_mimebundle_()
    assert (
        bundle["text/html"]
        == '<p class="data-links">Download: <a href="../_static/data/some-cells.csv" download>every cell (CSV)</a></p>'
    )
    assert (
        bundle["text/plain"] == bundle["text/markdown"] == "Download: every cell (CSV), `some-cells.csv` (Data page)."
    )


def test_parameters_download_as_written_lists_as_json(build_dir):
    show.show_parameters({"drugs": ["Fentanyl", "Cocaine"], "first_fy": 2019, "sectors": None}, "test-parameters")
    assert saved(build_dir, "test-parameters") == (
        'parameter,value\ndrugs,"[""Fentanyl"", ""Cocaine""]"\nfirst_fy,2019\nsectors,null\n'
    )
    assert description(build_dir, "test-parameters")["title"] == "one parameter this page ran with, and its value"


def test_inputs_download_with_the_whole_hash_and_the_official_page(build_dir):
    show.show_inputs(["ndcs-data-supplement-2020-february"], "test-inputs")
    frame = pd.read_csv(build_dir / "figure-data" / "test-inputs.csv")
    assert frame.loc[0, ["id", "file", "vintage", "official_page"]].to_list() == [
        "ndcs-data-supplement-2020-february",
        "ondcp/ndcs-data-supplement-2020-february.xlsx",
        "2020-02",
        "https://www.whitehouse.gov/ondcp/",
    ]
    assert frame.loc[0, "sha256"] == "083099311a6969e19e2840af37c79b48e4846634da0bba3ca61e01122bc781d4"


def test_a_chapters_claims_download_with_the_address_of_their_cards():
    table = pd.DataFrame(
        {
            "id": ["doc003_bil_3_4b"],
            "claim": ["003: \u201cauthorized $3.4 billion\u201d"],
            "claimed": ["$3.4 billion"],
            "verdict": ["supported"],
            "why": ["3.4 billion dollars"],
        }
    )
    frame = show.claims_frame(table)
    assert list(frame.columns) == ["id", "link", "claim", "claimed", "verdict", "why"]
    assert frame.loc[0, "link"] == "chapters/claims.html#claim-doc003-bil-3-4b"


# --- ports ---


def test_port_shares_by_year_show_percent_and_download_fractions(build_dir):
    nation = pd.DataFrame(
        {
            "fy": [2018, 2019, 2019, 2020, 2020],
            "fy_label": ["FY2018", "FY2019", "FY2019", "FY2020 (partial)", "FY2020 (partial)"],
            "drug": ["Fentanyl", "Fentanyl", "Cocaine", "Fentanyl", "Cocaine"],
            "ofo_share": [0.5, 0.9, 0.8, 0.85, 0.125],
        }
    )
    data = ports.share_by_year(nation, 2019)  # drugs in the order the rows name them
    assert list(data.columns) == ["fiscal_year", "Fentanyl", "Cocaine"]
    assert data.values.tolist() == [["FY2019", 0.9, 0.8], ["FY2020 (partial)", 0.85, 0.125]]
    shown = ports.share_by_year_markdown(nation, 2019, "synthetic")
    assert cells(shown) == ["Fiscal year", "Fentanyl", "Cocaine", "FY2019", "90.0%", "80.0%"] + [
        "FY2020 (partial)",
        "85.0%",
        "12.5%",
    ]
    assert saved(build_dir, "ports-share-by-year") == (
        "fiscal_year,Fentanyl,Cocaine\nFY2019,0.9,0.8\nFY2020 (partial),0.85,0.125\n"
    )


def test_table_78_shares_label_the_partial_year():
    shares = pd.DataFrame(
        {
            "year": [2018, 2018, 2019, 2019],
            "partial": [False, False, True, True],
            "drug": ["Cocaine", "Fentanyl", "Cocaine", "Fentanyl"],
            "ofo_share": [0.7, 0.8, 0.75, 0.9],
        }
    )
    assert ports.table78_shares(shares).to_dict("list") == {
        "label": ["2018", "2019 (Jan-Sep)"],
        "year": [2018, 2019],
        "partial": [False, True],
        "Cocaine": [0.7, 0.75],
        "Fentanyl": [0.8, 0.9],
    }


def test_the_seizure_coverage_downloads_months_as_year_and_month(build_dir):
    coverage = pd.DataFrame(
        {
            "fy": [2025, 2026],
            "source_file": ["a.csv", "a.csv, b.csv"],
            "months": [12, 3],
            "partial": [False, True],
            "first_month": pd.to_datetime(["2024-10-01", "2025-10-01"]),
            "last_month": pd.to_datetime(["2025-09-01", "2025-12-01"]),
        }
    )
    shown = ports.coverage_markdown(coverage)
    assert cells(shown)[4:8] == ["FY2025", "12", "Oct 2024 - Sep 2025", "a.csv"]
    assert saved(build_dir, "ports-seizure-coverage").splitlines() == [
        "fy,partial,months,first_month,last_month,source_file",
        "2025,False,12,2024-10,2025-09,a.csv",
        '2026,True,3,2025-10,2025-12,"a.csv, b.csv"',
    ]


# --- encounters ---


def test_the_series_sources_give_each_publishers_months():
    monthly = pd.DataFrame(
        {
            "month": pd.to_datetime(["2019-10-01", "2019-11-01", "2019-12-01", "2020-01-01", "2020-02-01"]),
            "encounters": [10, 20, 30, 40, 50],
            "source": ["DHS", "DHS", "DHS", "CBP", "CBP"],
        }
    )
    assert encounters.series_sources(monthly).to_dict("list") == {
        "source": ["DHS", "CBP"],
        "first_month": ["2019-10", "2020-01"],
        "last_month": ["2019-12", "2020-02"],
        "months": [3, 2],
    }
    assert cells(encounters.series_sources_markdown(monthly))[4:] == ["DHS", "Oct 2019", "Dec 2019", "3"] + [
        "CBP",
        "Jan 2020",
        "Feb 2020",
        "2",
    ]


def test_publisher_and_pdf_comparisons_show_signed_counts_and_download_them_whole(build_dir):
    by_publisher = pd.DataFrame({"fy": [2023], "cbp": [2045838], "dhs_ohss": [2045840], "difference": [2]})
    assert cells(encounters.by_publisher_markdown(by_publisher))[4:] == [
        "2023",
        "2,045,838",
        "2,045,840",
        "\\+2",
    ]  # a leading sign escaped for Markdown
    assert saved(build_dir, "encounters-by-publisher") == "fy,cbp,dhs_ohss,difference\n2023,2045838,2045840,2\n"
    crosscheck = pd.DataFrame(
        {"fy": [2000], "cbp_pdf": [1000], "dhs_ohss": [990], "difference": [-10], "relative": [-0.01]}
    )
    assert cells(encounters.crosscheck_markdown(crosscheck))[5:] == ["2000", "1,000", "990", "\\-10", "\\-1.00%"]
    assert encounters.repeat_value(27.0, "percent") == "27%"
    assert encounters.repeat_value(1700000.0, "count") == "1,700,000"


# --- who, budget, checks ---


def test_the_offenses_of_noncitizens_are_the_percent_rows_of_their_population():
    figures = pd.DataFrame(
        {
            "population": [who.NONCITIZEN_POPULATION, who.NONCITIZEN_POPULATION, "citizens"],
            "unit": ["percent", "count", "percent"],
            "group": ["Immigration", "All", "Drugs"],
            "period": ["FY2023", "FY2023", "FY2023"],
            "value": [70.1, 20000.0, 10.0],
            "source_title": ["USSC", "USSC", "USSC"],
            "source_url": ["u", "u", "u"],
        }
    )
    assert who.noncitizen_offenses(figures).to_dict("list") == {
        "group": ["Immigration"],
        "period": ["FY2023"],
        "value": [70.1],
        "unit": ["percent"],
        "source_title": ["USSC"],
        "source_url": ["u"],
    }
    assert cells(who.noncitizen_markdown(figures))[3:] == ["Immigration (FY2023)", "70.1%", "USSC"]


def test_a_rebalancing_path_shows_billions_and_percent_and_downloads_the_path(build_dir):
    path = budget_metrics.rebalance(2025, 0.4, 0.6, years_to_target=2, start_total=10.0)
    assert budget.path_table(path).values.tolist() == [
        [2025, "10.00", "40.0%", "4.00", "6.00", "4.00", "0.00", "0.00"],
        [2026, "10.00", "50.0%", "5.00", "5.00", "4.00", "1.00", "1.00"],
        [2027, "10.00", "60.0%", "6.00", "4.00", "4.00", "2.00", "3.00"],
    ]
    budget.path_markdown(path, "Test path", "test")
    assert saved(build_dir, "budget-path-table-test").splitlines()[0] == (
        "year,total,demand_share,demand,supply,demand_at_start_split,extra_demand,cumulative_extra"
    )


def test_the_treatment_table_shows_the_latest_years_and_downloads_every_year(build_dir):
    table = pd.DataFrame(
        {"needed": [100.0 + year for year in range(8)], "received": [10.0] * 8},
        index=pd.Index(range(2010, 2018), name="year"),
    )
    gap = table.assign(gap=1 - table["received"] / table["needed"])
    shown = cells(checks.treatment_gap_markdown(gap))
    assert shown[4:8] == ["2012", "102", "10", "90.2%"] and len(shown) == 4 * (1 + checks.TREATMENT_YEARS_SHOWN)
    assert len(saved(build_dir, "checks-treatment-gap").splitlines()) == 1 + 8


def test_injury_deaths_show_one_year_and_download_all(build_dir):
    deaths = pd.DataFrame(
        {"Drug Poisoning": [60000.0, 70630.0], "Falls": [40000.0, 39443.0]}, index=pd.Index([2018, 2019], name="year")
    )
    assert cells(checks.injury_deaths_markdown(deaths)) == [
        "Cause",
        "Deaths 2019",
        "Drug Poisoning",
        "70,630",
        "Falls",
        "39,443",
    ]
    assert saved(build_dir, "checks-injury-deaths") == "year,Drug Poisoning,Falls\n2018,60000,40000\n2019,70630,39443\n"


# --- correlation and the state panel ---


def test_the_correlation_tests_download_percent_changes_only_for_poisson_models():
    family = pd.DataFrame(
        {
            "group": ["Fentanyl", "Fentanyl"],
            "model": ["twfe", "ppml_pounds"],
            "coef": [0.4, math.log(1.1)],
            "ci_low": [-0.3, 0.0],
            "ci_high": [1.1, math.log(1.21)],
            "p_cluster": [0.2, 0.04],
            "p_wild": [0.3, 0.05],
            "p_wild_se": [0.001, 0.001],
            "reading": ["not below", "borderline"],
            "disagree": [False, False],
            "p_holm": [0.6, 0.1],
            "p_bh": [0.3, 0.1],
        }
    )
    data = correlation.family_data(family)
    assert data["model_label"].to_list() == ["linear, pounds", "Poisson, pounds"]
    assert data["coef_percent"].isna().to_list() == [True, False]
    assert data.loc[1, ["coef_percent", "ci_low_percent", "ci_high_percent"]].to_list() == pytest.approx(
        [10.0, 0.0, 21.0]
    )


def estimates(rows: dict[str, tuple[float, float, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "key": k,
                "label": k,
                "coef": c,
                "se": (hi - lo) / 4,
                "ci_low": lo,
                "ci_high": hi,
                "years": "1990-2008",
                "n_obs": 300,
            }  # fmt: skip
            for k, (c, lo, hi) in rows.items()
        ]
    )


def test_the_decisive_estimates_download_their_margin_to_the_threshold_and_lambda():
    drug = estimates(
        {
            "twfe": (-30.0, -50.0, -10.0),
            "state_trends": (5.0, -10.0, 25.0),
            "division_years": (-20.0, -40.0, 0.5),
            "lead": (1.0, -2.0, 4.0),
        }
    )
    reliabilities = {"twfe": SimpleNamespace(ratio=0.8, within_variance=0.25),
                     "state_trends": SimpleNamespace(ratio=0.1, within_variance=0.04),
                     "division_years": SimpleNamespace(ratio=0.5, within_variance=0.16)}  # fmt: skip
    data = state_panel.decisive_data(drug, reliabilities, 20.0)
    assert data["specification"].to_list() == ["twfe", "state_trends", "division_years"]
    assert data["upper_minus_threshold"].to_list() == [-30.0, 5.0, -19.5]
    assert data["reliability"].to_list() == [0.8, 0.1, 0.5]
    assert data["within_sd"].to_list() == pytest.approx([0.5, 0.2, 0.4]) and data["se"].to_list() == [
        10.0,
        8.75,
        10.125,
    ]


def test_every_alternative_reading_is_its_own_row_each_state_left_out_too():
    sensitivity = pd.DataFrame(
        [{"key": "declared", "convention": "declared", "kind": "declared", "threshold": 20.0, "upper_twfe": -10.0,
          "upper_state_trends": 25.0, "upper_division_years": 0.5, "verdict": "inconclusive"},
         {"key": "tost90", "convention": "5% test", "kind": "level", "threshold": 20.0, "upper_twfe": -12.0,
          "upper_state_trends": 19.0, "upper_division_years": -0.5, "verdict": "supported"}]
    )  # fmt: skip
    loo = pd.DataFrame(
        {"omitted": ["AK", "AL"], "upper_twfe": [-11.0, -9.0], "upper_state_trends": [19.0, 26.0],
         "upper_division_years": [0.4, 0.6], "verdict": ["supported", "inconclusive"]}
    )  # fmt: skip
    sweep = pd.DataFrame(
        [{"cutoff": 80.0, "n_obs": 250, "upper_twfe": -8.0, "upper_state_trends": 30.0,
          "upper_division_years": 1.0, "verdict": "inconclusive"}]
    )  # fmt: skip
    data = state_panel.knife_edge_data(sensitivity, loo, sweep)
    assert data[["kind", "reading", "threshold", "upper_state_trends", "verdict"]].values.tolist() == [
        ["declared", "declared", 20.0, 25.0, "inconclusive"],
        ["test level", "5% test", 20.0, 19.0, "supported"],
        ["without one state", "AK", 20.0, 19.0, "supported"],
        ["without one state", "AL", 20.0, 26.0, "inconclusive"],
        ["coverage cut-off", "80%", 20.0, 30.0, "inconclusive"],
    ]
    assert data["n_obs"].isna().to_list() == [True, True, True, True, False]


def test_estimates_of_several_analyses_download_as_one_long_frame():
    analyses = {
        ("drug_arrests", "pew"): SimpleNamespace(label="Drug arrests, Pew", outcome="drug_arrests", source="pew"),
        ("overdose", "cms"): SimpleNamespace(label="Overdose deaths, CMS", outcome="overdose", source="cms"),
    }
    frames = {key: estimates({"twfe": (1.0, 0.0, 2.0)}) for key in analyses}
    data = state_panel.long_estimates(frames, analyses)
    assert data[["analysis", "outcome", "share_source", "key", "coef"]].values.tolist() == [
        ["Drug arrests, Pew", "drug_arrests", "pew", "twfe", 1.0],
        ["Overdose deaths, CMS", "overdose", "cms", "twfe", 1.0],
    ]


# --- the register's own tables ---


def test_the_registers_tolerances_and_thresholds_download_their_raw_values():
    assessed = pd.DataFrame(
        {
            "id": ["a", "b", "c"],
            "claimed": ["about 90%", "over 60%", "less than 30%"],
            "tolerance": [0.02, float("nan"), 0.0],
            "unit": ["fraction", "fraction", "fraction"],
            "tolerance_reason": ["'about'", "", ""],
            "rule": ["within_tolerance", "greater_than", "less_than"],
            "claimed_low": [0.9, 0.6, 0.0],
            "claimed_high": [0.9, 1.0, 0.3],
        }
    )
    assert claim_cards.tolerances_data(assessed).to_dict("list") == {
        "id": ["a"],
        "claimed": ["about 90%"],
        "tolerance": [0.02],
        "unit": ["fraction"],
        "why": ["'about'"],
    }
    assert claim_cards.thresholds_data(assessed)[["id", "test", "threshold"]].values.tolist() == [
        ["b", "more than", 0.6],
        ["c", "less than", 0.3],
    ]
    assert cells(claim_cards.tolerances_markdown(assessed))[4:7] == ["a", "about 90%", "2.0 points"]


def test_the_verdicts_by_document_count_every_verdict_of_the_register():
    assessed = pd.DataFrame(
        {"verdict": ["supported", "supported", "contradicted"], "document": ["000_a", "001_b", "001_b"]}
    )
    table = claim_cards.by_document(assessed)
    assert list(table.columns) == ["Verdict", "000", "001"]
    assert table.set_index("Verdict").loc[["supported", "contradicted"]].values.tolist() == [[1, 1], [0, 1]]
    assert list(claim_cards.snake(table).columns) == ["verdict", "000", "001"]


def test_the_registers_own_tables_download_their_cells_under_plain_names(build_dir):
    assessed = pd.DataFrame({"verdict": ["supported", "contradicted"], "document": ["000_a", "001_b"]})
    claim_cards.by_document_markdown(assessed)
    assert saved(build_dir, "claims-verdicts-by-document").splitlines()[:2] == ["verdict,000,001", "supported,1,0"]
    assert description(build_dir, "claims-verdicts-by-document")["source"] == claim_cards.REGISTER_SOURCE
