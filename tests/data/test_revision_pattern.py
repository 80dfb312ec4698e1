"""CBP's revision pattern, measured on its real vintages: the figures written beside the policy in
``analysis/data/vintages.py`` come from these files, and these tests keep them true."""

from __future__ import annotations

import numpy as np
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


def last_block_cuts(frame, spec):
    """A file's blocks of rows and, for each line boundary inside its last block: whether the rule
    (``vintages.cut_short``) refuses the cut there, and the share of the month's count it removes."""
    month = frame["month"].to_numpy()
    starts = np.flatnonzero(np.r_[True, month[1:] != month[:-1]])
    place = vintages.key_order(frame, spec.cells())
    ends = np.maximum.reduceat(place, starts)
    reach = np.maximum.accumulate(place[starts[-1] :])[:-1]  # the greatest key a cut keeping 1, 2, ... rows keeps
    count = frame[spec.values[0]].to_numpy()[starts[-1] :]
    removed = count[::-1].cumsum()[::-1][1:] / count.sum()
    sorted_blocks = all((np.diff(block) > 0).all() for block in np.split(place, starts[1:]))
    return starts, len(np.unique(ends)), sorted_blocks, reach < ends[:-1].min(), removed


def test_cbp_writes_each_month_as_one_sorted_block_so_a_cut_inside_the_last_one_shows(real_data):
    found = {}
    for item in catalog.load_catalog():
        name = item["file"].rsplit("/", 1)[-1]
        spec = next((s for s in (encounters.STATE, encounters.COMPONENT, seizures.NATIONWIDE) if s.matches(name)), None)
        if spec is None:
            continue
        frame = vintages.read_vintage(spec, catalog.path(item["id"]))
        starts, ends, sorted_blocks, refused, removed = last_block_cuts(frame, spec)
        assert vintages.cut_short(frame, spec) is None, name  # every real file passes
        grouped = len(starts) == frame["month"].nunique()
        found[name] = (
            grouped and sorted_blocks,
            ends,
            f"{refused.sum()}/{len(refused)}",
            removed[~refused].max(initial=0),
        )
    mixed = found.pop("sbo-encounters-fy19-fy22.csv")
    assert not mixed[0]  # months interleaved: the rule does not apply
    assert all(grouped for grouped, *_ in found.values())
    assert {name: (ends, caught) for name, (_, ends, caught, _) in found.items()} == {
        "nationwide-drugs-fy19-fy22.csv": (3, "197/199"),
        "nationwide-drugs-fy20-fy23.csv": (3, "188/190"),
        "nationwide-drugs-fy21-fy24.csv": (3, "188/190"),
        "nationwide-drugs-fy23-fy26-dec.csv": (3, "191/192"),
        "nationwide-encounters-fy20-fy23-state.csv": (7, "1030/1033"),
        "nationwide-encounters-fy21-fy24-jan-state.csv": (4, "1033/1038"),
        "nationwide-encounters-fy21-fy24-may-state.csv": (4, "1033/1038"),
        "nationwide-encounters-fy21-fy24-oct-state.csv": (4, "1036/1041"),
        "nationwide-encounters-fy21-fy24-state.csv": (4, "981/984"),
        "nationwide-encounters-fy22-fy25-state.csv": (1, "727/727"),
        "nationwide-encounters-fy23-fy26-nov-state.csv": (1, "853/853"),
        "sbo-encounters-fy22-fy25-aug.csv": (1, "34/34"),
        "sbo-encounters-fy22-fy25-nov.csv": (1, "34/34"),
    }
    passed = {name: share for name, (*_, share) in found.items()}
    assert round(max(v for k, v in passed.items() if "encounters" in k), 4) == 0.0021  # fy20-fy23 state
    assert round(max(v for k, v in passed.items() if "drugs" in k), 4) == 0.0017  # events, drugs fy19-fy22
    assert max(passed.values()) < vintages.FALL_LIMIT
