"""Budget editions, baseline matching and the rebalancing model, on hand-computed numbers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.errors import DataError
from analysis.metrics import budget


def test_linear_path_43_to_60_over_ten_years_on_a_flat_44_5():
    path = budget.rebalance(2025, 0.43, 0.60, years_to_target=10, start_total=44.5, growth=0.0, shape="linear")
    assert list(path["year"]) == list(range(2025, 2036))
    expected_share = [0.43 + 0.017 * t for t in range(11)]
    np.testing.assert_allclose(path["demand_share"], expected_share, rtol=0, atol=1e-12)
    np.testing.assert_allclose(path["demand"], [44.5 * s for s in expected_share], rtol=0, atol=1e-9)
    np.testing.assert_allclose(path["supply"], [44.5 * (1 - s) for s in expected_share], rtol=0, atol=1e-9)
    np.testing.assert_allclose(path["extra_demand"], [44.5 * 0.017 * t for t in range(11)], rtol=0, atol=1e-9)
    assert path["extra_demand"].iloc[-1] == pytest.approx(7.565, abs=1e-9)
    assert path["cumulative_extra"].iloc[-1] == pytest.approx(44.5 * 0.017 * 55, abs=1e-9)
    assert path["demand_at_start_split"].eq(44.5 * 0.43).all()


def test_growth_compounds_the_total():
    path = budget.rebalance(2025, 0.5, 0.5, years_to_target=2, start_total=100.0, growth=0.1)
    np.testing.assert_allclose(path["total"], [100.0, 110.0, 121.0])
    assert path["extra_demand"].abs().max() < 1e-12


def test_front_loaded_path_moves_faster_early_and_ends_at_target():
    linear = budget.share_path(0.4, 0.6, 10, shape="linear")
    front = budget.share_path(0.4, 0.6, 10, shape="front-loaded")
    assert front[0] == 0.4 and front[-1] == pytest.approx(0.6)
    assert (front[1:-1] > linear[1:-1]).all()
    assert front[5] == pytest.approx(0.4 + 0.2 * 0.75)


def test_bad_parameters_are_refused():
    with pytest.raises(ValueError, match="fraction"):
        budget.rebalance(2025, 43, 60, years_to_target=10, start_total=44.5)
    with pytest.raises(ValueError, match="shape"):
        budget.share_path(0.4, 0.6, 10, shape="s-curve")
    with pytest.raises(ValueError, match="at least 1"):
        budget.share_path(0.4, 0.6, 0, shape="linear")


def table(rows):
    columns = [
        "fiscal_year",
        "budget_type",
        "edition",
        "demand_reduction_musd",
        "supply_reduction_musd",
        "total_musd",
        "demand_pct",
        "source_title",
        "source_kind",
    ]
    return pd.DataFrame([(*row, "primary") if len(row) == len(columns) - 1 else row for row in rows], columns=columns)


def test_demand_share_from_printed_split_or_total():
    shares = budget.demand_shares(
        table(
            [
                (2015, "enacted", "2012-restructure", 11574.0, 14762.7, None, 43.9, "t"),
                (2021, "request", "as-published", 18600.0, 17100.0, 35700.0, None, "t"),
                (2012, "request", "as-published", 10700.0, None, 26200.0, None, "t"),
            ]
        )
    ).set_index("fiscal_year")
    assert shares.loc[2015, "demand_share"] == 0.439 and shares.loc[2015, "basis"] == "printed"
    assert shares.loc[2021, "demand_share"] == pytest.approx(18600 / 35700)
    assert shares.loc[2012, "demand_share"] == pytest.approx(10700 / 26200)
    assert set(shares["source_kind"]) == {"primary"}


def test_a_share_given_by_a_primary_and_a_secondary_row_is_secondary():
    rows = [
        (2023, "request", "as-published", None, None, 42500.0, 57.1, "a", "primary"),
        (2023, "request", "as-published", None, None, 42500.0, 57.1, "b", "secondary"),
        (2022, "request", "as-published", None, None, 41000.0, 57.3, "c", "primary"),
    ]
    shares = budget.demand_shares(table(rows)).set_index("fiscal_year")
    assert shares.loc[2023, "source_kind"] == "secondary" and shares.loc[2022, "source_kind"] == "primary"


def test_printed_share_that_contradicts_the_dollars_is_refused():
    with pytest.raises(DataError, match="differs from the dollars") as error:
        budget.demand_shares(table([(2015, "enacted", "2012-restructure", 11574.0, 14762.7, None, 47.9, "t")]))
    assert error.value.column == "demand_pct"


def test_unknown_edition_is_refused():
    with pytest.raises(DataError, match="unknown edition"):
        budget.demand_shares(table([(2015, "enacted", "someday", 1.0, 1.0, None, None, "t")]))


SHARES = pd.DataFrame(
    {
        "edition": ["2009-summary", "2009-summary", "2012-restructure", "2012-restructure", "2012-restructure"],
        "fiscal_year": [2008, 2009, 2009, 2010, 2015],
        "budget_type": ["final", "final", "final", "final", "enacted"],
        "demand_share": [0.377, 0.35, 0.369, 0.37, 0.439],
    }
)


def test_editions_are_never_joined_without_a_bridge():
    with pytest.raises(DataError, match="without an explicit bridge"):
        budget.splice(SHARES, "2009-summary", "2012-restructure")
    wrong = budget.Bridge("2003-restructure", "2012-restructure", 2009, "final", "overlap year")
    with pytest.raises(DataError, match="without an explicit bridge"):
        budget.splice(SHARES, "2009-summary", "2012-restructure", bridge=wrong)


def test_documented_bridge_rescales_the_older_edition_at_the_overlap():
    bridge = budget.Bridge("2009-summary", "2012-restructure", 2009, "final", "both report FY2009 final")
    joined = budget.splice(SHARES, "2009-summary", "2012-restructure", bridge=bridge).set_index("fiscal_year")
    assert joined.loc[2008, "demand_share"] == pytest.approx(0.377 * 0.369 / 0.35)
    assert joined.loc[2009, "demand_share"] == 0.369
    assert set(joined["edition"]) == {"2009-summary->2012-restructure"}


def test_baseline_match_at_and_just_outside_the_tolerance():
    assert list(budget.baseline_matches(SHARES, 0.43, 0.009)["fiscal_year"]) == [2015]
    assert list(budget.baseline_matches(SHARES, 0.43, 0.0089)["fiscal_year"]) == []


def test_real_budget_table_loads_and_latest_split_is_known(real_data):
    shares = budget.load_demand_shares()
    latest = budget.latest_share(shares)
    assert (latest["fiscal_year"], latest["demand_share"]) == (2023, 0.571)
    fy2015 = shares[(shares["fiscal_year"] == 2015) & (shares["edition"] == "2012-restructure")]
    assert fy2015["demand_share"].item() == 0.439


def test_a_scenario_publishes_its_path_under_keys_ending_in_its_name():
    path = budget.rebalance(
        2025, 0.5, 0.6, years_to_target=2, start_total=10.0
    )  # demand 5.0, 5.5, 6.0: extra 0, 0.5, 1.0
    numbers = budget.rebalance_numbers(path, "test", 0.5, 0.6, 10.0)
    assert numbers == pytest.approx(
        {
            "budget.rebalance.extra_per_year.test": 1.0,
            "budget.rebalance.cumulative.test": 1.5,
            "budget.rebalance.mean_extra_per_year.test": 0.75,
            "budget.rebalance.start_share.test": 0.5,
            "budget.rebalance.target_share.test": 0.6,
            "budget.rebalance.start_total.test": 10.0,
            "budget.rebalance.final_year.test": 2027,
            "budget.rebalance.years.test": 2,
            "budget.rebalance.growth.test": 0.0,
        }
    )
    assert isinstance(numbers["budget.rebalance.final_year.test"], int)
    assert isinstance(numbers["budget.rebalance.years.test"], int)
    growing = budget.rebalance(2025, 0.5, 0.6, years_to_target=2, start_total=10.0, growth=0.03)
    assert budget.rebalance_numbers(growing, "g", 0.5, 0.6, 10.0)["budget.rebalance.growth.g"] == pytest.approx(0.03)
