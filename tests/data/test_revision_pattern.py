"""CBP's revision pattern, measured on its real vintages: the figures written beside the policy in
``analysis/data/vintages.py`` come from these files, and these tests keep them true."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.data import catalog, encounters, seizures, vintages

STATE_FILES = (
    "nationwide-encounters-fy20-fy23-state.csv",
    "nationwide-encounters-fy21-fy24-oct-state.csv",
    "nationwide-encounters-fy21-fy24-jan-state.csv",
    "nationwide-encounters-fy21-fy24-may-state.csv",
    "nationwide-encounters-fy21-fy24-state.csv",
    "nationwide-encounters-fy22-fy25-state.csv",
    "nationwide-encounters-fy23-fy26-nov-state.csv",
)


@pytest.fixture(scope="module")
def reissued(real_data):
    return {spec.dataset: vintages.load(spec) for spec in (encounters.STATE, encounters.COMPONENT, seizures.NATIONWIDE)}


def per_release(combined):
    """Cells and months each vintage revised, by file."""
    revised = combined.revisions
    return {name: (len(part), part["month"].nunique()) for name, part in revised.groupby("new_file")}


def test_the_catalog_holds_the_real_vintages_in_order(reissued):
    assert [f["source_file"].iloc[0] for f in reissued["cbp-encounters-state"].frames] == list(STATE_FILES)
    assert [f["source_file"].iloc[0] for f in reissued["cbp-encounters-component"].frames] == [
        "sbo-encounters-fy19-fy22.csv",
        "sbo-encounters-fy22-fy25-nov.csv",
        "sbo-encounters-fy22-fy25-aug.csv",
    ]
    assert len(reissued["cbp-drug-seizures"].frames) == 4


def test_closed_fiscal_years_are_identical_in_every_pair_of_consecutive_vintages(reissued):
    for combined in reissued.values():
        assert not combined.revisions["closed"].astype(bool).any(), combined.spec.dataset
    shared = [
        len(set(a["month"]) & set(b["month"]))
        for a, b in zip(reissued["cbp-drug-seizures"].frames, reissued["cbp-drug-seizures"].frames[1:], strict=False)
    ]
    assert shared == [36, 36, 24] and reissued["cbp-drug-seizures"].revisions.empty  # FY2023-FY2024 included


def test_open_year_revisions_reach_back_to_october_and_are_small(reissued):
    state = reissued["cbp-encounters-state"]
    assert per_release(state) == {
        "nationwide-encounters-fy21-fy24-jan-state.csv": (102, 1),
        "nationwide-encounters-fy21-fy24-may-state.csv": (238, 4),
        "nationwide-encounters-fy21-fy24-state.csv": (430, 8),
    }
    assert set(state.revisions["fy"]) == {2024} and state.revisions["month"].min() == pd.Timestamp("2023-10-01")
    component = reissued["cbp-encounters-component"]
    assert per_release(component) == {"sbo-encounters-fy22-fy25-aug.csv": (22, 2)}
    cells = pd.concat([state.revisions, component.revisions])
    change = cells["new"] - cells["old"]
    assert (len(cells), int((change < 0).sum()), int(change.abs().max())) == (792, 591, 24)


def test_the_largest_fall_of_a_month_is_a_tenth_of_the_limit(reissued):
    falls = []
    for combined in reissued.values():
        for older, newer in zip(combined.frames, combined.frames[1:], strict=False):
            shared = set(older["month"]) & set(newer["month"])
            old = vintages.month_totals(older[older["month"].isin(shared)], combined.spec.values)
            new = vintages.month_totals(newer[newer["month"].isin(shared)], combined.spec.values)
            falls.append(((new - old) / old).min().min())
    assert round(min(falls), 6) == -0.000504  # Oct 2023, the January 2024 state file
    assert vintages.FALL_LIMIT == pytest.approx(10 * 0.0005)


def test_cutting_a_real_file_inside_a_month_usually_makes_it_fall_beyond_the_limit(real_data):
    """At each line boundary inside a month, the share of that month's total the cut removes."""
    for item in catalog.load_catalog():
        if not any(
            spec.matches(item["file"].rsplit("/", 1)[-1])
            for spec in (encounters.STATE, encounters.COMPONENT, seizures.NATIONWIDE)
        ):
            continue
        table = pd.read_csv(catalog.path(item["id"]), dtype=str, keep_default_na=False)
        count = "Encounter Count" if "Encounter Count" in table else "Count of Event"
        month = table.iloc[:, 0] + table["Month (abbv)"]
        values = table[count].astype(float)
        removed = values[::-1].groupby(month[::-1]).cumsum()[::-1] / values.groupby(month).transform("sum")
        inside = month.eq(month.shift())
        caught = (removed[inside] > vintages.FALL_LIMIT).mean()
        assert 0.97 <= caught <= 0.996, (item["id"], caught)
