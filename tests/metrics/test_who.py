"""Citizenship figures: shares, ratios and the monthly-volume comparison, on exact inputs."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.metrics import who

FIGURES = pd.DataFrame(
    {
        "id": ["pct", "part", "whole"],
        "value": [81.9, 7598.0, 9473.0],
        "unit": ["percent", "count", "count"],
    }
).set_index("id", drop=False)


def test_share_and_ratio():
    assert who.share(FIGURES, "pct") == pytest.approx(0.819)
    assert who.ratio(FIGURES, "part", "whole") == pytest.approx(7598 / 9473)
    with pytest.raises(ValueError):
        who.share(FIGURES, "part")
    with pytest.raises(ValueError):
        who.ratio(FIGURES, "pct", "whole")


def test_kilograms_per_month_averages_over_the_months_present():
    frame = pd.DataFrame(
        {
            "drug": ["Fentanyl"] * 3 + ["Cocaine"],
            "fy": [2023] * 4,
            "month": pd.to_datetime(["2022-10-01", "2022-10-01", "2022-11-01", "2022-10-01"]),
            "pounds": [2.20462262185, 2.20462262185, 4.4092452437, 100.0],
        }
    )
    assert who.kilograms_per_month(frame, "Fentanyl", 2023) == pytest.approx(2.0)
    with pytest.raises(ValueError, match="no Heroin"):
        who.kilograms_per_month(frame, "Heroin", 2023)


def test_real_curated_figures(real_data):
    figures = who.load_citizenship()
    assert who.share(figures, "ussc_dt_fy2023_citizen") == pytest.approx(0.819)
    assert who.ratio(figures, "cato_poe_fentanyl_citizens", "cato_poe_fentanyl_persons") == pytest.approx(
        0.802, abs=0.0005
    )
    assert set(figures["source_kind"]) <= {"primary", "secondary"}
