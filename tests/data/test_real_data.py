"""The loaders on the real, verified CBP and ONDCP files: known published totals."""

from __future__ import annotations

import pytest

from analysis.data import catalog, ondcp, seizures, vintages
from analysis.metrics import ports


@pytest.fixture(scope="module")
def seizure_rows(real_data):
    return vintages.load(seizures.NATIONWIDE).rows


def pounds(frame, fy, component, drug):
    rows = frame[(frame["fy"] == fy) & (frame["component"] == component) & (frame["drug"] == drug)]
    return rows["pounds"].sum()


def test_fy2023_fentanyl_pounds_match_cbp(seizure_rows):
    # CBP: 24,182.06 lbs of fentanyl seized by OFO and 2,840.79 lbs by USBP in FY2023.
    assert round(pounds(seizure_rows, 2023, "OFO", "Fentanyl"), 2) == 24182.06
    assert round(pounds(seizure_rows, 2023, "USBP", "Fentanyl"), 2) == 2840.79


def test_fentanyl_port_share(seizure_rows):
    shares = ports.port_share(seizure_rows[seizure_rows["drug"] == "Fentanyl"], ["fy"]).set_index("fy")["ofo_share"]
    assert shares[2023] == pytest.approx(0.895, abs=0.0005)
    assert shares[2019] == pytest.approx(0.919, abs=0.0005)
    assert shares.between(0, 1).all()


def test_fiscal_years_come_from_the_newest_vintage(seizure_rows):
    coverage = seizures.source_by_fiscal_year(seizure_rows).set_index("fy")
    assert coverage.loc[2019, "source_file"] == "nationwide-drugs-fy19-fy22.csv"
    assert coverage.loc[2022, "source_file"] == "nationwide-drugs-fy21-fy24.csv"  # newer than fy20-fy23
    assert coverage.loc[2023, "source_file"] == "nationwide-drugs-fy23-fy26-dec.csv"
    assert (coverage.loc[2019:2025, "months"] == 12).all() and not coverage.loc[2019:2025, "partial"].any()
    assert coverage.loc[2026, "partial"] and coverage.loc[2026, "months"] == 3


def test_combining_preserves_every_row_of_the_winning_vintages(real_data):
    frames = vintages.load(seizures.NATIONWIDE).frames
    assert [f["source_file"].iloc[0] for f in frames] == [
        "nationwide-drugs-fy19-fy22.csv",
        "nationwide-drugs-fy20-fy23.csv",
        "nationwide-drugs-fy21-fy24.csv",
        "nationwide-drugs-fy23-fy26-dec.csv",
    ]
    combined = vintages.combine(frames, seizures.NATIONWIDE.values)
    newest = frames[-1]
    assert combined.loc[combined["fy"] >= 2023, "pounds"].sum() == pytest.approx(newest["pounds"].sum(), rel=1e-12)
    assert len(combined) == len(frames[0][frames[0]["fy"] == 2019]) + len(frames[1][frames[1]["fy"] == 2020]) + len(
        frames[2][frames[2]["fy"].between(2021, 2022)]
    ) + len(newest)


def test_table_78_reconciles_and_matches_the_workbook(real_data):
    table = ondcp.load_table_78(catalog.path("ndcs-data-supplement-2020-february"))
    ofo_2016 = table[(table["component"] == "OFO") & (table["drug"] == "Fentanyl") & (table["year"] == 2016)]
    assert round(ofo_2016["pounds"].item(), 2) == 947.75
    assert sorted(table["year"].unique()) == [2016, 2017, 2018, 2019]
    assert table.loc[table["year"] == 2019, "partial"].all()
