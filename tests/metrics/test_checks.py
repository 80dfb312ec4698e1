"""The 'Other checks' metrics on small synthetic inputs, with exact values."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.errors import DataError
from analysis.metrics import checks


def test_treatment_gap_is_the_share_who_needed_and_did_not_receive():
    gap = checks.treatment_gap(
        pd.DataFrame(
            {"needed": [8000.0, 10000.0], "received": [2000.0, 1500.0]}, index=pd.Index([2017, 2018], name="year")
        )
    )
    assert gap["gap"].tolist() == pytest.approx([0.75, 0.85]) and list(gap.columns) == ["needed", "received", "gap"]


def test_the_leading_listed_cause_is_that_of_the_latest_complete_year():
    deaths = pd.DataFrame(
        {"Drug Poisoning": [100.0, 130.0, 140.0], "Firearms": [120.0, 120.0, None], "Suicide": [90.0, 90.0, None]},
        index=pd.Index([2016, 2017, 2018], name="year"),
    )
    assert checks.leading_cause(deaths) == (2017, "Drug Poisoning", 130.0)  # 2018 is incomplete
    assert checks.leading_cause(deaths.loc[[2016]]) == (2016, "Firearms", 120.0)


def test_years_with_a_lower_average_month():
    annual = pd.DataFrame({"fiscal_year": [1925, 1926, 1927], "value": [12_000, 12_012, 60_000]})
    assert checks.years_with_lower_average_month(annual, 1001.0) == [1925]  # 12,012 / 12 = 1,001 is not lower
    assert checks.years_with_lower_average_month(annual, 500.0) == []
    with pytest.raises(DataError, match="value"):
        checks.years_with_lower_average_month(annual.rename(columns={"value": "n"}), 1.0)


def monthly_frame():
    months = pd.date_range("2024-01-01", "2025-04-01", freq="MS")
    return pd.DataFrame({"month": months, "encounters": [100.0] * 12 + [50.0, 40.0, 10.0, 20.0]})


def test_decline_against_the_same_months_a_year_before():
    decline, last = checks.decline_against_year_before(monthly_frame(), 2025, first_month=2)
    assert last == 4 and decline == pytest.approx(1 - 70 / 300)
    with pytest.raises(DataError, match="missing"):
        checks.decline_against_year_before(monthly_frame().iloc[3:], 2025, first_month=2)


def test_record_low_numbers():
    annual = pd.DataFrame({"fiscal_year": [1930, 1990], "value": [60, 12_000]})
    numbers = checks.record_low_numbers(monthly_frame(), annual, since="2025-01-01")
    assert numbers["checks.record_low.value"] == 10 and numbers["checks.record_low.month"] == "March 2025"
    assert numbers["checks.record_low.since_fy2000.holds"] is True
    assert numbers["checks.record_low.since_fy1925.holds"] is False and numbers["checks.record_low.lower_first"] == 1930


def seizure_frame():
    return pd.DataFrame(
        {
            "fy": [2022, 2022, 2023, 2023, 2023],
            "component": ["OFO", "USBP", "OFO", "USBP", "OFO"],
            "region": [
                "Southwest Border",
                "Southwest Border",
                "Southwest Border",
                "Southwest Border",
                "Northern Border",
            ],
            "drug": ["Fentanyl"] * 5,
            "events": [8, 2, 6, 3, 1],
            "pounds": [90.0, 10.0, 70.0, 5.0, 25.0],
            "partial_fy": [False] * 5,
        }
    )


def test_between_ports_and_region_shares():
    frame = seizure_frame()
    assert checks.between_ports_share(frame, "Fentanyl", [2023], measure="events") == pytest.approx(0.3)
    assert checks.between_ports_share(frame, "Fentanyl", [2023], measure="pounds") == pytest.approx(0.05)
    assert checks.region_share(frame, "Fentanyl", "Southwest Border", fiscal_years=[2023]) == pytest.approx(0.75)
    numbers = checks.between_ports_numbers(frame)
    assert numbers["checks.fentanyl.last_full_fy"] == 2023
    assert numbers["checks.fentanyl.between_ports_event_share.change"] == pytest.approx(0.1)
    with pytest.raises(DataError, match="no Heroin"):
        checks.region_share(frame, "Heroin", "Southwest Border", fiscal_years=[2023])


def test_within():
    assert checks.within(0.925, 0.9, 0.025) and not checks.within(0.9251, 0.9, 0.025)


def test_co_occurrence_share_counts_sector_months_with_both():
    panel = pd.DataFrame({"encounters": [10, 0, 5, 7], "events_fentanyl": [1, 2, 0, 0], "events_cocaine": [0, 0, 0, 3]})
    assert checks.co_occurrence_share(panel, ["Fentanyl", "Cocaine"]) == pytest.approx(0.5)
    assert checks.co_occurrence_share(panel, ["Fentanyl"]) == pytest.approx(0.25)
    with pytest.raises(DataError, match="missing counts"):
        checks.co_occurrence_share(panel.assign(encounters=[10, None, 5, 7]), ["Fentanyl"])
    with pytest.raises(DataError, match="column missing"):
        checks.co_occurrence_share(panel, ["Heroin"])


def test_strongest_direction_is_the_most_positive_outcome():
    assert checks.strongest_direction(pd.Series(["negative and significant", "not significant"]), "s.csv") == 0.0
    assert checks.strongest_direction(pd.Series(["negative and significant"] * 3), "s.csv") == -1.0
    assert (
        checks.strongest_direction(pd.Series(["negative and significant", "positive and significant"]), "s.csv") == 1.0
    )
    with pytest.raises(DataError, match="significance"):
        checks.strongest_direction(pd.Series(["negative", "not significant"]), "s.csv")


def test_component_share_uses_the_latest_full_year():
    sbo = pd.DataFrame(
        {
            "fy": [2023, 2023, 2024, 2024, 2025],
            "partial_fy": [False, False, False, False, True],
            "component": ["USBP", "OFO", "USBP", "OFO", "USBP"],
            "encounters": [60, 40, 30, 10, 99],
        }
    )
    assert checks.component_share(sbo, "USBP") == (2024, 0.75)
    assert checks.component_share(sbo, "OFO") == (2024, 0.25)
    with pytest.raises(ValueError):
        checks.component_share(sbo[sbo["partial_fy"]], "USBP")
