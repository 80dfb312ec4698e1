"""Port-share and seizure-size metrics on hand-made frames with exact answers."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis.metrics import ports


def frame(rows):
    return pd.DataFrame(rows, columns=["fy", "drug", "component", "pounds", "events"])


def test_port_share_is_ofo_over_ofo_plus_usbp():
    data = frame(
        [(2023, "Fentanyl", "OFO", 90.0, 3), (2023, "Fentanyl", "USBP", 10.0, 7), (2023, "Fentanyl", "OFO", 0.0, 0)]
    )
    result = ports.port_share(data, ["fy", "drug"]).iloc[0]
    assert result["ofo_share"] == pytest.approx(0.9, abs=1e-15)
    events = ports.port_share(data, ["fy", "drug"], measure="events").iloc[0]
    assert events["ofo_share"] == pytest.approx(0.3, abs=1e-15)


def test_component_absent_from_a_group_is_missing_not_zero_but_share_is_defined():
    data = frame([(2023, "Heroin", "OFO", 5.0, 1), (2023, "Cocaine", "OFO", 1.0, 1), (2023, "Cocaine", "USBP", 3.0, 1)])
    totals = ports.component_totals(data, ["drug"]).set_index("drug")
    assert math.isnan(totals.loc["Heroin", "pounds_usbp"])
    shares = ports.port_share(data, ["drug"]).set_index("drug")["ofo_share"]
    assert shares["Heroin"] == 1.0
    assert shares["Cocaine"] == 0.25


def test_share_is_missing_when_nothing_was_seized():
    data = frame([(2023, "Lsd", "OFO", 0.0, 0), (2023, "Lsd", "USBP", 0.0, 0)])
    assert math.isnan(ports.port_share(data, ["drug"]).iloc[0]["ofo_share"])


def test_pounds_per_event():
    data = frame(
        [(2023, "Fentanyl", "OFO", 30.0, 3), (2023, "Fentanyl", "USBP", 8.0, 4), (2024, "Fentanyl", "USBP", 0.0, 0)]
    )
    sizes = ports.pounds_per_event(data, ["fy"]).set_index(["fy", "component"])["lbs_per_event"]
    assert sizes[(2023, "OFO")] == 10.0
    assert sizes[(2023, "USBP")] == 2.0
    assert math.isnan(sizes[(2024, "USBP")])


def test_year_labels_and_keys():
    assert ports.fiscal_year_label(2026, True) == "FY2026 (partial)"
    assert ports.year_key(2025, False) == "fy2025"
    assert ports.year_key(2026, True) == "fy2026_partial"
    assert ports.key_slug("Southwest Border") == "southwest_border"
    assert ports.key_slug("Coastal/Interior") == "coastal_interior"


def test_unknown_drug_parameter_is_refused():
    data = frame([(2023, "Fentanyl", "OFO", 1.0, 1)]).assign(partial_fy=False, region="Southwest Border")
    with pytest.raises(Exception, match="unknown drug 'Fentanil'"):
        ports.shares_by_year(data, ["Fentanil"], [])
