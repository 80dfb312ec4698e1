"""The section functions of the ports, encounters, who, budget, checks and revisions chapters: each returns a
section's numbers under literal keys (or documented key families); exact values on small synthetic inputs."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.book.sections import budget, checks, encounters, ports, revisions, who
from analysis.data import encounters as encounter_data
from analysis.data.encounters import SOUTHWEST
from analysis.metrics import budget as budget_metrics
from analysis.metrics import ports as port_metrics
from analysis.metrics.who import POUNDS_PER_KG


def register(**claims: tuple[float, float] | float) -> pd.DataFrame:
    """A claims register with only what ``claims.claimed`` and the tolerances read, indexed by id."""
    rows = []
    for claim_id, value in claims.items():
        low, high, tolerance = (value, value, 0.0) if not isinstance(value, tuple) else (*value, 0.0)[:3]
        rows.append({"id": claim_id, "claimed_low": low, "claimed_high": high, "tolerance": tolerance})
    return pd.DataFrame(rows).set_index("id", drop=False)


def seizure(fy, component, region, drug, pounds, events=1, month=None, partial=False, aor="X"):
    """One row of the tidy seizure frame (a month of the fiscal year: its first, October, by default)."""
    return {
        "fy": fy,
        "partial_fy": partial,
        "month": pd.Timestamp(month or f"{fy - 1}-10-01"),
        "component": component,
        "region": region,
        "aor": aor,
        "drug": drug,
        "pounds": float(pounds),
        "events": events,
        "source_file": f"nationwide-drugs-fy{fy % 100}.csv",
    }


SW, INTERIOR = "Southwest Border", "Coastal/Interior"


@pytest.fixture
def seizure_rows():
    """FY2022-FY2023 complete and FY2024 partial: fentanyl mostly at ports, marijuana mostly between them on
    the Southwest border but also seized by OFO in the Coastal/Interior region in FY2023."""
    return pd.DataFrame(
        [
            seizure(2022, "OFO", SW, "Fentanyl", 90),
            seizure(2022, "USBP", SW, "Fentanyl", 10),
            seizure(2022, "OFO", SW, "Marijuana", 10),
            seizure(2022, "USBP", SW, "Marijuana", 90),
            seizure(2023, "OFO", SW, "Fentanyl", 80),
            seizure(2023, "USBP", SW, "Fentanyl", 20),
            seizure(2023, "OFO", SW, "Marijuana", 20),
            seizure(2023, "USBP", SW, "Marijuana", 60),
            seizure(2023, "OFO", INTERIOR, "Marijuana", 20),
            seizure(2024, "OFO", SW, "Fentanyl", 50, partial=True),
            seizure(2024, "USBP", SW, "Fentanyl", 50, partial=True),
        ]
    )


# --- ports ---


def test_port_share_numbers_of_complete_and_partial_years(seizure_rows):
    drugs, regions = ["Fentanyl", "Marijuana"], [SW]
    shares = port_metrics.shares_by_year(seizure_rows, drugs, regions)
    events = port_metrics.shares_by_year(seizure_rows, drugs, regions, measure="events")
    numbers = ports.share_numbers(seizure_rows, shares, events)
    assert {key: numbers[key] for key in list(numbers)[:7]} == {
        "ports.first_full_fy": 2022,
        "ports.last_full_fy": 2023,
        "ports.latest_month": "October 2023",
        "ports.fentanyl.ofo_share.last_full": 0.8,
        "ports.fentanyl.ofo_share.min_full": 0.8,
        "ports.fentanyl.ofo_share.max_full": 0.9,
        "ports.marijuana.ofo_coastal_interior_fraction.fy2023": 0.5,
    }
    assert numbers["ports.fentanyl.ofo_share.fy2024_partial"] == 0.5  # a partial year is labelled as such
    assert numbers["ports.marijuana.ofo_share.fy2023"] == 0.4  # nationwide: the Coastal/Interior pounds count
    assert numbers["ports.marijuana.ofo_share_southwest_border.fy2023"] == 0.25
    assert numbers["ports.marijuana.ofo_event_share.fy2023"] == pytest.approx(2 / 3)
    assert "ports.marijuana.ofo_share.fy2024_partial" not in numbers  # nothing seized: no share
    assert len(numbers) == 7 + 2 * 10  # per measure: 5 drug-years nationwide, 5 on the Southwest border


def test_seizure_size_numbers_compare_fentanyl_at_and_between_the_ports(seizure_rows):
    sizes = port_metrics.pounds_per_event(seizure_rows, ["fy", "partial_fy", "drug"])
    numbers = ports.size_numbers(sizes, 2023)
    assert numbers["ports.fentanyl.lbs_per_event_ofo.last_full"] == 80.0
    assert numbers["ports.fentanyl.lbs_per_event_usbp.last_full"] == 20.0
    assert numbers["ports.fentanyl.size_ratio.last_full"] == 4.0
    assert numbers["ports.marijuana.lbs_per_event_ofo.fy2023"] == 20.0  # 40 pounds in two events
    assert numbers["ports.fentanyl.lbs_per_event_usbp.fy2024_partial"] == 50.0
    # drug by drug in FY2023: fentanyl 80 / 20 lb; marijuana 20 lb a port event against 60 lb between the ports
    assert numbers["ports.marijuana.size_ratio.last_full"] == pytest.approx(1 / 3)
    assert (numbers["ports.size_ratio.larger_at_ports.last_full"], numbers["ports.size_ratio.drugs.last_full"]) == (
        1,
        2,
    )


def test_context_numbers_key_table_78_by_calendar_year_and_the_curated_figures():
    shares = pd.DataFrame(
        {"drug": ["Fentanyl", "Fentanyl"], "year": [2018, 2019], "partial": [False, True], "ofo_share": [0.8, 0.9]}
    )
    context = pd.DataFrame({"id": ["senate_opioids_poe_share"], "value": ["88"]})
    assert ports.context_numbers(shares, context) == {
        "ports.table78.fentanyl.ofo_share.cy2018": 0.8,
        "ports.table78.fentanyl.ofo_share.cy2019_partial": 0.9,
        "ports.context.senate_opioids_poe_share": 88.0,
    }


def test_the_source_line_names_every_vintage_once(seizure_rows):
    assert ports.source_line(seizure_rows) == (
        "CBP Nationwide Drug Seizures (OFO and USBP), vintages nationwide-drugs-fy22.csv, nationwide-drugs-fy23.csv, "
        "nationwide-drugs-fy24.csv"
    )


REVISED = {
    "vintages": 7,
    "cells": 12,
    "months": 3,
    "fiscal_years": "FY2025",
    "closed_cells": 0,
    "largest": "A month's total fell by at most 1%.",
}


def test_each_chapter_states_the_revisions_under_its_own_keys():
    assert ports.vintage_numbers(REVISED) == {
        "ports.vintages.count": 7,
        "ports.vintages.revised_cells": 12,
        "ports.vintages.revised_months": 3,
        "ports.vintages.closed_cells": 0,
        "ports.vintages.largest": "A month's total fell by at most 1%.",
    }
    assert encounters.vintage_numbers(REVISED)["encounters.vintages.revised_years"] == "FY2025"
    assert len(encounters.vintage_numbers(REVISED)) == 6
    assert revisions.appendix_numbers(REVISED) == {
        "revisions.vintages": 7,
        "revisions.cells": 12,
        "revisions.months": 3,
        "revisions.fiscal_years": "FY2025",
        "revisions.closed_cells": 0,
    }


# --- encounters ---


def monthly(values: dict[str, int], source: str = "CBP") -> pd.DataFrame:
    return pd.DataFrame({"month": pd.to_datetime(list(values)), "encounters": list(values.values()), "source": source})


def test_series_numbers_with_a_partial_last_year():
    months = {f"{m:%Y-%m-%d}": 100 for m in pd.date_range("2019-10-01", "2020-09-01", freq="MS")}
    series = monthly({**months, "2020-10-01": 50, "2020-11-01": 60})
    sectors = pd.DataFrame({"month": pd.to_datetime(["2020-12-01"])})
    numbers = encounters.series_numbers(encounter_data.annual_from_monthly(series), series, sectors)
    assert numbers == {
        "encounters.usbp_sw.fy2020": 1200,
        "encounters.usbp_sw.last_full_fy": 2020,
        "encounters.usbp_sw.partial_fy": 2021,
        "encounters.usbp_sw.partial_fy_months": 2,
        "encounters.usbp_sw.partial_fy_through": "November 2020",
        "encounters.usbp_sw.partial_fy_value": 110,
        "encounters.usbp_sw.partial_fy_note": (
            "FY2021 is partial: 2 months through November 2020, 110 encounters so far."
        ),
        "encounters.usbp_sw.max_value": 1200,
        "encounters.usbp_sw.max_fy": 2020,
        "encounters.usbp_sw.last_month": "November 2020",
        "encounters.ohss.last_month": "December 2020",
    }
    complete = monthly(months)
    note = encounters.series_numbers(encounter_data.annual_from_monthly(complete), complete, sectors)[
        "encounters.usbp_sw.partial_fy_note"
    ]
    assert note == "No fiscal year is partial: the series ends with the complete FY2020."


def test_record_low_numbers_find_the_lowest_month_and_the_lowest_before_the_period():
    series = monthly({"2024-11-01": 30, "2024-12-01": 20, "2025-01-01": 10, "2025-02-01": 15})
    assert encounters.record_low_numbers(series, "2025-01") == {
        "encounters.monthly_min.value": 10,
        "encounters.monthly_min.month": "January 2025",
        "encounters.monthly_min.since_2025": 1.0,
        "encounters.monthly_min_before.value": 20,
        "encounters.monthly_min_before.month": "December 2024",
    }
    assert encounters.record_low_numbers(series, "2025-02")["encounters.monthly_min.since_2025"] == 0.0


def test_nationwide_numbers_give_the_last_month_and_the_title_42_period():
    state = pd.DataFrame(
        {
            "month": pd.to_datetime(["2020-03-01", "2020-04-01", "2023-05-01", "2023-06-01", "2023-06-01"]),
            "title_of_authority": ["Title 42", "Title 42", "Title 42", "Title 8", "Title 8"],
            "encounters": [5, 3, 1, 100, 20],
        }
    )
    assert encounters.nationwide_numbers(state) == {
        "encounters.nationwide.last_month": "June 2023",
        "encounters.nationwide.last_month_value": 120,
        "encounters.title42.first_month": "March 2020",
        "encounters.title42.last_month": "May 2023",
        "encounters.title42.months": 39,
    }


def test_publisher_numbers_compare_the_gap_with_what_rounding_allows():
    overlap = pd.DataFrame(
        {"month": pd.to_datetime(["2021-10-01", "2021-11-01", "2021-12-01"]), "difference": [10, -20, 30]}
    )
    numbers = encounters.publisher_numbers(overlap)
    assert {key: numbers[key] for key in list(numbers)[:6]} == {
        "encounters.publishers.overlap_months": 3,
        "encounters.publishers.overlap_first": "October 2021",
        "encounters.publishers.overlap_last": "December 2021",
        "encounters.publishers.max_abs_difference": 30,
        "encounters.publishers.rounding_bound": 45,  # nine sectors, each up to 5 off
        "encounters.publishers.within_rounding": "within",
    }
    wider = overlap.assign(difference=[10, -46, 0])
    assert encounters.publisher_numbers(wider)["encounters.publishers.within_rounding"] == "more than"


def test_crosscheck_numbers_key_every_year_and_the_largest_gap_from_fy2005():
    crosscheck = pd.DataFrame({"fy": [2000, 2005, 2006], "relative": [-0.05, 0.001, -0.002]})
    assert encounters.crosscheck_numbers(crosscheck) == {
        "encounters.crosscheck.fy2000.relative": -0.05,
        "encounters.crosscheck.fy2005.relative": 0.001,
        "encounters.crosscheck.fy2006.relative": -0.002,
        "encounters.crosscheck.max_abs_relative_from_fy2005": 0.002,
    }


# --- who ---


def figure(figure_id, value, unit, group="", population="", period="FY2023", kind="primary"):
    return {
        "id": figure_id,
        "value": value,
        "unit": unit,
        "group": group,
        "population": population,
        "period": period,
        "source_kind": kind,
    }


@pytest.fixture
def citizenship():
    rows = [
        figure("ussc_dt_fy2023_citizen", 80.0, "percent", "U.S. citizens", "federal drug trafficking offenders"),
        figure("ussc_dt_fy2023_cases", 18000, "count"),
        figure("ussc_noncitizen_fy2023_immigration", 60.0, "percent"),
        figure("ussc_noncitizen_fy2023_drug_trafficking", 20.0, "percent"),
        figure("ussc_noncitizen_fy2023_offenders", 20000, "count"),
        figure("ussc_noncitizen_fy2023_share_of_all", 30.0, "percent"),
        figure("cato_poe_fentanyl_citizens", 900, "count", kind="secondary"),
        figure("cato_poe_fentanyl_persons", 1000, "count", period="FY2019-FY2024"),
        figure("cato_fentanyl_fy2021_citizen", 86.0, "percent"),
        figure("cato_fentanyl_fy2021_illegal", 1.0, "percent"),
        figure(
            "cato_fentanyl_fy2022_citizen",
            89.0,
            "percent",
            "U.S. citizens",
            "fentanyl traffickers",
            "FY2022",
            "secondary",
        ),
    ]
    return pd.DataFrame(rows).set_index("id", drop=False)


WHO_CLAIMS = {
    "who_80pct_convictions": 0.8,
    "doc001_checkpoints_60": 0.6,
    "doc001_table_citizens_62": 0.62,
    "doc001_table_migrants_28": 0.28,
    "doc001_table_other_10": 0.1,
    "doc001_kg_total": 100.0,
}


def test_citizenship_numbers_are_fractions_of_the_curated_figures(citizenship):
    numbers = who.citizenship_numbers(citizenship)
    assert numbers["who.ussc.drug_trafficking.pct_citizen.fy2023"] == 0.8
    assert numbers["who.ussc.drug_trafficking.cases.fy2023"] == 18000
    assert numbers["who.ports.fentanyl.pct_citizen"] == 0.9
    assert numbers["who.ports.fentanyl.pct_noncitizen"] == pytest.approx(0.1)
    assert (numbers["who.ports.fentanyl.persons"], numbers["who.ports.fentanyl.period"]) == (1000, "FY2019-FY2024")
    assert numbers["who.fentanyl.pct_illegal.fy2021"] == 0.01 and len(numbers) == 17
    # a share of two rows, one of them secondary, is secondary; the USSC rows are primary
    assert numbers["who.ports.fentanyl.pct_citizen.source_kind"] == "secondary"
    assert numbers["who.ports.fentanyl.pct_noncitizen.source_kind"] == "secondary"
    assert numbers["who.ussc.drug_trafficking.pct_citizen.fy2023.source_kind"] == "primary"
    assert numbers["who.ussc.noncitizen.pct_drug_trafficking.fy2023.source_kind"] == "primary"
    assert who.claim_numbers(register(**WHO_CLAIMS)) == {
        "who.claims.doc001_table_citizens_62": 0.62,
        "who.claims.doc001_table_migrants_28": 0.28,
        "who.claims.doc001_table_other_10": 0.1,
        "who.claims.doc001_checkpoints_60": 0.6,
        "who.claims.who_80pct_convictions": 0.8,
    }


def test_the_charts_rows_set_official_figures_beside_the_claims(citizenship):
    rows = who.chart_rows(citizenship, register(**WHO_CLAIMS))
    assert rows.values.tolist() == [
        ["federal drug trafficking offenders, FY2023", 0.8, "primary"],
        ["fentanyl traffickers, FY2022", 0.89, "secondary"],
        ["persons caught with fentanyl at ports of entry, FY2019-FY2024", 0.9, "secondary"],
        ["Claim (doc 000): federal drug trafficking convictions", 0.8, "unsourced claim"],
        ["Claim (doc 001): fentanyl cases at border checkpoints (over)", 0.6, "unsourced claim"],
        ["Claim (doc 001 table): American citizens' involvement", 0.62, "unsourced claim"],
    ]
    assert who.official_numbers(rows) == {"who.official.min_pct_citizen": 0.8}  # the claims' 0.6 left out


def test_volume_numbers_give_kilograms_a_month_per_complete_year():
    rows = pd.DataFrame(
        [
            seizure(2022, "OFO", SW, "Fentanyl", 12 * POUNDS_PER_KG * 10, month="2021-10-01"),
            seizure(2023, "OFO", SW, "Fentanyl", 30 * POUNDS_PER_KG, month="2022-10-01"),
            seizure(2023, "USBP", SW, "Fentanyl", 10 * POUNDS_PER_KG, month="2022-11-01"),
            seizure(2024, "OFO", SW, "Fentanyl", 5.0, partial=True),
        ]
    )
    numbers = who.volume_numbers(rows, register(**WHO_CLAIMS))
    assert list(numbers) == [
        "who.cbp.fentanyl_kg_per_month.fy2022",
        "who.cbp.fentanyl_kg_per_month.fy2023",
        "who.claims.doc001_kg_total",
        "who.cbp.fentanyl_kg_per_month.ratio_fy2023",
    ]
    assert numbers["who.cbp.fentanyl_kg_per_month.fy2022"] == pytest.approx(120.0)  # one month held
    assert numbers["who.cbp.fentanyl_kg_per_month.fy2023"] == pytest.approx(20.0)  # 40 kg over two months
    assert numbers["who.cbp.fentanyl_kg_per_month.ratio_fy2023"] == pytest.approx(0.2)


# --- budget ---

BUDGET_CLAIMS = {
    "budget_43_demand": 0.43,
    "doc003_roadmap_40_60": 0.6,
    "budget_extra_7_10b": (7.0, 10.0),
    "doc003_nii_cost_cbo": (4.0, 6.0),
    "budget_cbp_19_8b": 19.8,
    "nii_2pct_commercial": 0.02,
}


def test_budget_claim_split_and_baseline_numbers():
    assert budget.claim_numbers(register(**BUDGET_CLAIMS)) == {
        "budget.claim.start_demand_share": 0.43,
        "budget.claim.target_demand_share": 0.6,
        "budget.claim.extra_low": 7.0,
        "budget.claim.extra_high": 10.0,
    }
    shares = pd.DataFrame(
        {
            "edition": ["as-published", "as-published", "2012-restructure", "as-published"],
            "fiscal_year": [2023, 2023, 2023, 2024],
            "budget_type": ["request", "enacted", "actual", "request"],
            "demand_share": [0.40, 0.42, 0.41, 0.45],
            "source_kind": ["primary", "primary", "primary", "secondary"],
        }
    )
    assert budget.split_numbers(shares) == {
        "budget.demand_share.fy2023.2012_restructure": 0.41,
        "budget.demand_share.fy2023.as_published": 0.42,  # enacted before request
        "budget.demand_share.fy2024.as_published": 0.45,
        "budget.latest.fy": 2024,
        "budget.latest.demand_share": 0.45,
        "budget.latest.demand_share.source_kind": "secondary",
        "budget.latest.budget_type": "request",
    }
    matches = pd.DataFrame({"fiscal_year": [2010, 2005], "demand_share": [0.425, 0.435]})
    later = pd.DataFrame(
        {"fiscal_year": [2009, 2010, 2011, 2012, 2013], "demand_share": [0.1, 0.5, 0.573, 0.571, 0.42]}
    )
    assert budget.baseline_numbers(matches, 0.01, later) == {
        "budget.baseline_match_fy": 2010,
        "budget.baseline_match_share": 0.425,
        "budget.baseline_tolerance": 0.01,
        "budget.baseline_tolerance_words": "1 percentage point",
        "budget.baseline.later_figures": 3,  # FY2011-FY2013: a fall from 57.3% to 57.1% is still higher
        "budget.baseline.later_higher": 2,
        "budget.baseline.later_words": "is higher in 2 of the 3 later figures",
    }
    assert budget.baseline_numbers(matches, 0.02, later)["budget.baseline_tolerance_words"] == "2 percentage points"
    assert budget.baseline_numbers(matches, 0.01, later.head(4))["budget.baseline.later_words"] == (
        "is higher in every later figure"
    )
    assert budget.later_words(0, 0) == "has no later figure"


def test_nii_numbers_set_a_years_scanning_cost_against_cbps_budget():
    nii = pd.DataFrame(
        {"value": [20.0, 17.0, 2.0], "source_kind": ["secondary", "primary", "secondary"]},
        index=["cbp_budget_fy2024_enacted", "nii_cargo_share_fy2023", "nii_passenger_share_fy2023"],
    )
    assert budget.nii_numbers(nii, register(**BUDGET_CLAIMS)) == {
        "budget.claim.nii_cost_low": 4.0,
        "budget.claim.nii_cost_high": 6.0,
        "budget.claim.nii_commercial_share": 0.02,
        "budget.nii.annual_cost_low": 0.8,
        "budget.nii.annual_cost_high": 1.2,
        "budget.nii.share_of_cbp_budget": 0.05,  # the midpoint, 5 over five years, against 20
        "budget.nii.share_of_claimed_budget": 1.0 / 19.8,
        "budget.cbp.budget_found": 20.0,
        "budget.cbp.budget_found.source_kind": "secondary",
        "budget.nii.cargo_share": 0.17,
        "budget.nii.cargo_share.source_kind": "primary",
        "budget.nii.passenger_share": 0.02,
    }


def test_a_scenario_starts_from_its_parameters_or_the_latest_published_split():
    table = pd.DataFrame(
        {
            "fiscal_year": [2024, 2025],
            "budget_type": ["enacted", "request"],
            "edition": ["as-published", "as-published"],
            "demand_reduction_musd": [40.0, 45.0],
            "supply_reduction_musd": [60.0, 55.0],
            "total_musd": [100.0, 100.0],
            "demand_pct": [float("nan"), float("nan")],
            "source_title": ["a", "b"],
            "source_kind": ["primary", "primary"],
        }
    )
    assert budget.scenario_start(table, "latest", "latest") == (0.45, 0.1)
    assert budget.scenario_start(table, 0.3, 25) == (0.3, 25.0)
    assert budget.scenario_origins(table, "latest", "latest") == ("ONDCP's FY2025 request", "ONDCP's FY2025 request")
    # a later total without a split: the share and the total come from different budgets, and the page says which
    later = pd.concat([table, table.iloc[[1]].assign(fiscal_year=2026, demand_reduction_musd=float("nan"))])
    assert budget.scenario_origins(later, "latest", "latest") == ("ONDCP's FY2025 request", "ONDCP's FY2026 request")
    assert budget.scenario_origins(later, 0.43, 44.5) == ("the scenario's assumption", "the scenario's assumption")


def test_scenario_numbers_add_whether_the_last_years_extra_is_inside_the_claimed_range():
    path = budget_metrics.rebalance(2025, 0.4, 0.6, years_to_target=2, start_total=40.0)
    origins = ("ONDCP's FY2023 request", "ONDCP's FY2025 request")
    numbers = budget.scenario_numbers(
        path, "test", start_share=0.4, target_share=0.6, start_total=40.0, claimed=(7, 10), origins=origins
    )
    assert numbers["budget.rebalance.extra_per_year.test"] == pytest.approx(8.0)
    assert numbers["budget.opening.vs_claimed_range.test"] == "inside"
    assert numbers["budget.rebalance.share_from.test"] == "ONDCP's FY2023 request"
    assert numbers["budget.rebalance.total_from.test"] == "ONDCP's FY2025 request"
    outside = budget.scenario_numbers(
        path, "test", start_share=0.4, target_share=0.6, start_total=40.0, claimed=(1, 2), origins=origins
    )
    assert outside["budget.opening.vs_claimed_range.test"] == "outside"


# --- checks ---


def test_treatment_and_injury_numbers():
    gap = pd.DataFrame({"gap": [0.9, 0.85, 0.88]}, index=pd.Index([2018, 2019, 2020], name="year"))
    assert checks.treatment_numbers(gap, register(doc003_treatment_gap_76=0.76)) == {
        "checks.claims.treatment_gap": 0.76,
        "checks.treatment_gap.latest": 0.88,
        "checks.treatment_gap.latest_year": 2020,
        "checks.treatment_gap.min": 0.85,
        "checks.treatment_gap.min_year": 2019,
        "checks.treatment_gap.first_year": 2018,
    }
    deaths = pd.DataFrame(
        {"Drug Poisoning": [50.0, 70.0, 80.0], "Falls": [60.0, 40.0, float("nan")]},
        index=pd.Index([2018, 2019, 2020], name="year"),
    )
    assert checks.injury_numbers(deaths) == {  # 2020 lacks a cause: 2019 is the latest complete year
        "checks.injury.year": 2019,
        "checks.injury.leading": "Drug Poisoning",
        "checks.injury.leading_deaths": 70,
        "checks.injury.drug_poisoning_leads": 1.0,
    }


def test_encounter_numbers_of_the_record_low_and_the_decline():
    series = monthly(
        {"2024-02-01": 100, "2024-03-01": 100, "2024-04-01": 100, "2025-01-01": 50, "2025-02-01": 40, "2025-03-01": 20}
    )
    annual = pd.DataFrame({"fiscal_year": [1930, 1940], "value": [120, 6000], "source_kind": ["primary", "secondary"]})
    sectors = pd.DataFrame(
        {
            "region": SOUTHWEST,
            "fy": [2023] * 12 + [2024],
            "month": list(pd.date_range("2022-10-01", "2023-09-01", freq="MS")) + [pd.Timestamp("2023-10-01")],
            "encounters": [10] * 12 + [500],
        }
    )
    sbo = pd.DataFrame(
        {"fy": [2024, 2024, 2025], "partial_fy": [False, False, True], "component": ["USBP", "OFO", "USBP"]}
    ).assign(encounters=[75, 25, 1000])
    assert checks.encounter_numbers(series, annual, sectors=sectors, sbo=sbo) == {
        "checks.record_low.month": "March 2025",
        "checks.record_low.value": 20,
        "checks.record_low.first_month": "February 2024",
        "checks.record_low.since_fy2000.holds": True,
        "checks.record_low.since_fy1925.holds": False,  # FY1930 averaged 10 a month
        "checks.record_low.since_fy1925.holds.source_kind": "secondary",  # the weakest of the yearly rows
        "checks.record_low.lower_years": 1,
        "checks.record_low.lower_first": 1930,
        "checks.record_low.lower_last": 1930,
        "checks.encounters.decline_2025": 0.7,  # February-March: 60 against 200
        "checks.encounters.decline_2025_last_month": "March",
        "checks.encounters.max_fy": 120,  # the partial FY2024 left out
        "checks.encounters.between_ports_share": 0.75,
        "checks.encounters.component_fy": 2024,
    }


def test_seizure_numbers_between_the_ports_and_the_90_percent_claim():
    rows = pd.DataFrame(
        [
            seizure(2021, "OFO", SW, "Fentanyl", 80),
            seizure(2021, "USBP", SW, "Fentanyl", 20),
            seizure(2022, "OFO", SW, "Fentanyl", 70),
            seizure(2022, "USBP", SW, "Fentanyl", 30),
            seizure(2023, "OFO", SW, "Fentanyl", 90, events=3),
            seizure(2023, "USBP", SW, "Fentanyl", 10),
            seizure(2023, "OFO", SW, "Cocaine", 60),
            seizure(2023, "OFO", INTERIOR, "Cocaine", 40),
        ]
    )
    claims = register(doc001_migration_30=(float("nan"), 0.3), ports_fentanyl_90pct=0.9)
    claims.loc["ports_fentanyl_90pct", "tolerance"] = 0.05
    numbers = checks.seizure_numbers(rows, claims)
    assert numbers["checks.fentanyl.last_full_fy"] == 2023 and numbers["checks.fentanyl.first_fy"] == 2021
    assert numbers["checks.fentanyl.between_ports_event_share.last_full"] == 0.25
    assert numbers["checks.fentanyl.between_ports_event_share.earlier_mean"] == 0.5
    assert numbers["checks.fentanyl.between_ports_weight_share.earlier_mean"] == 0.25
    assert {key: numbers[key] for key in list(numbers)[-6:]} == {
        "checks.cocaine.southwest_share.last_full": 0.6,
        "checks.claims.migration_share": 0.3,
        "checks.ports90.by_weight.value": 0.9,
        "checks.ports90.by_weight.holds": True,
        "checks.ports90.by_events.value": 0.75,
        "checks.ports90.by_events.holds": False,  # 15 points from 90%, beyond the tolerance of 5
    }


def test_co_occurrence_numbers_over_the_months_both_files_cover():
    months = pd.to_datetime(["2023-10-01", "2023-11-01"])
    sectors = pd.DataFrame(
        {
            "region": SOUTHWEST,
            "sector": ["Tucson, AZ", "Tucson, AZ", "Yuma, AZ", "Yuma, AZ"],
            "month": [*months, *months],
            "encounters": [5, 5, 0, 3],
        }
    )
    rows = pd.DataFrame(
        [
            seizure(2024, "USBP", SW, "Fentanyl", 1, month="2023-10-01", aor="TUCSON SECTOR"),
            seizure(2024, "USBP", SW, "Marijuana", 9, events=2, month="2023-11-01", aor="YUMA SECTOR"),
        ]
    )
    assert checks.co_occurrence_numbers(sectors, rows) == {
        "checks.routinely.share": 0.5,  # Tucson in October, Yuma in November
        "checks.routinely.fentanyl_share": 0.25,
        "checks.routinely.sector_months": 4,
        "checks.routinely.first_month": "October 2023",
        "checks.routinely.last_month": "November 2023",
    }


def test_recidivism_and_cited_source_numbers():
    recidivism = pd.DataFrame(
        {"value": [27.0, 12.0], "source_kind": ["secondary", "primary"]},
        index=["cbp_recidivism_title42", "gao_recidivism_official_fy2015"],
    )
    numbers = checks.recidivism_numbers(recidivism)
    assert numbers.pop("checks.recidivism.title42_rate.source_kind") == "secondary"
    assert numbers == pytest.approx(
        {
            "checks.recidivism.title42_rate": 0.27,
            "checks.recidivism.before_rate": 0.12,
            "checks.recidivism.title42": 0.15,
        }
    )
    sources = pd.DataFrame(
        {
            "id": [
                "nsduh2022_received_treatment",
                "vermont_opioid_deaths_2017",
                "vermont_opioid_deaths_2022",
                "portugal_illicit_use_2012",
                "portugal_illicit_use_2017",
                "rand_users_interdiction_cost",
                "rand_users_treatment_cost",
            ],
            "value": [24.0, 100.0, 150.0, 8.0, 10.0, 7.0, 1.0],
            "unit": ["percent", "deaths", "deaths", "percent", "percent", "dollars", "dollars"],
            "source_kind": ["primary", "primary", "secondary", "primary", "primary", "secondary", "secondary"],
        }
    )
    published = pd.DataFrame(
        {"source_kind": ["primary", "primary", "secondary"],
         "significance": ["not significant", "negative and significant", "positive and significant"]}
    )  # fmt: skip
    numbers = checks.source_numbers(sources, published)
    assert (
        numbers["sources.nsduh2022_received_treatment"] == 0.24 and numbers["sources.vermont_opioid_deaths_2017"] == 100
    )
    assert numbers["sources.vermont_opioid_deaths_2017.source_kind"] == "primary"
    assert numbers["sources.vermont_opioid_deaths_2022.source_kind"] == "secondary"
    derived = [
        "sources.nsduh2022_treatment_gap",
        "sources.vermont_opioid_change",
        "sources.portugal_illicit_use_change",
        "sources.rand_users_interdiction_ratio",
        "sources.light2017_strongest_direction",
    ]
    assert {key: numbers[key] for key in derived} == {
        "sources.nsduh2022_treatment_gap": 0.76,
        "sources.vermont_opioid_change": 0.5,
        "sources.portugal_illicit_use_change": 0.02,
        "sources.rand_users_interdiction_ratio": 7.0,
        "sources.light2017_strongest_direction": 0.0,  # the secondary page's "positive" is not the abstract
    }
    assert {key: numbers[f"{key}.source_kind"] for key in derived} == {
        "sources.nsduh2022_treatment_gap": "primary",
        "sources.vermont_opioid_change": "secondary",  # one of its two rows is secondary
        "sources.portugal_illicit_use_change": "primary",
        "sources.rand_users_interdiction_ratio": "secondary",
        "sources.light2017_strongest_direction": "primary",  # the abstract's rows only
    }
    assert len(numbers) == 2 * (7 + 5)  # every figure and its source kind


def test_month_by_month_counts_the_months_the_ports_seized_more():
    monthly = pd.DataFrame(
        {
            "month": pd.to_datetime(["2023-10-01", "2023-10-01", "2023-11-01", "2023-12-01", "2023-12-01"]),
            "component": ["OFO", "USBP", "USBP", "OFO", "USBP"],
            "pounds": [90.0, 10.0, 5.0, 3.0, 3.0],
        }
    )  # October: ports ahead; November: only the Border Patrol; December: a tie
    assert ports.monthly_numbers(monthly, "Fentanyl") == {
        "ports.monthly.drug": "fentanyl",
        "ports.monthly.months": 3,
        "ports.monthly.months_ports_ahead": 1,
        "ports.monthly.ahead_words": "1 of the 3",
        "ports.monthly.first_month": "October 2023",
        "ports.monthly.last_month": "December 2023",
    }
    every = monthly[monthly["month"] == pd.Timestamp("2023-10-01")]
    assert ports.monthly_numbers(every, "Fentanyl")["ports.monthly.ahead_words"] == "all 1"
