"""Property-based tests (hypothesis) of the seizure aggregations: shares in [0, 1], totals preserved."""

from __future__ import annotations

import math

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.data import calendar, seizures, vintages
from analysis.metrics import ports

rows = st.lists(
    st.tuples(
        st.sampled_from([2023, 2024]),
        st.sampled_from(["Fentanyl", "Cocaine", "Heroin"]),
        st.sampled_from(["Southwest Border", "Northern Border"]),
        st.sampled_from(["OFO", "USBP"]),
        st.floats(min_value=0, max_value=1e6, allow_nan=False),
        st.integers(min_value=0, max_value=500),
    ),
    min_size=1,
    max_size=60,
)


def frame_of(data):
    return pd.DataFrame(data, columns=["fy", "drug", "region", "component", "pounds", "events"])


@settings(max_examples=200, deadline=None)
@given(rows)
def test_shares_stay_between_zero_and_one(data):
    for measure in ("pounds", "events"):
        shares = ports.port_share(frame_of(data), ["fy", "drug"], measure=measure)["ofo_share"]
        assert all(math.isnan(s) or 0 <= s <= 1 for s in shares)


@settings(max_examples=200, deadline=None)
@given(rows)
def test_totals_are_preserved_under_regrouping(data):
    frame = frame_of(data)
    fine = ports.component_totals(frame, ["fy", "drug", "region"])
    coarse = ports.component_totals(frame, ["fy"])
    for column in ("pounds_ofo", "pounds_usbp", "events_ofo", "events_usbp"):
        assert math.isclose(fine[column].sum(min_count=0), coarse[column].sum(min_count=0), rel_tol=1e-9, abs_tol=1e-6)
    assert math.isclose(fine.filter(like="pounds_").sum().sum(), frame["pounds"].sum(), rel_tol=1e-9, abs_tol=1e-6)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.sampled_from(calendar.FISCAL_MONTHS), min_size=1, max_size=12, unique=True),
    st.lists(st.sampled_from(calendar.FISCAL_MONTHS), min_size=1, max_size=12, unique=True),
)
def test_combining_vintages_keeps_one_row_per_fiscal_month_and_the_newest_values(old_months, new_months):
    def vintage(months, pounds, name):
        return pd.DataFrame(
            {
                "fy": 2024,
                "month_abbr": months,
                "component": "USBP",
                "region": "Southwest Border",
                "land_filter": "Land Only",
                "aor": "YUMA SECTOR",
                "drug": "Fentanyl",
                "events": 1,
                "pounds": pounds,
                "month": calendar.fiscal_month_start(pd.Series([2024] * len(months)), pd.Series(months)),
                "source_file": name,
            }
        )

    combined = vintages.combine(
        [vintage(old_months, 1.0, "old"), vintage(new_months, 2.0, "new")], seizures.NATIONWIDE.values
    )
    assert sorted(combined["month_abbr"]) == sorted(set(old_months) | set(new_months))
    assert (combined.loc[combined["month_abbr"].isin(new_months), "source_file"] == "new").all()
    assert combined["pounds"].sum() == len(set(old_months) - set(new_months)) + 2 * len(new_months)
