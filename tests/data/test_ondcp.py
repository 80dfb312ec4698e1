"""ONDCP Data Supplement tables (78, 67, 43) parsed from synthetic rows."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.data import ondcp
from analysis.errors import DataError

HEADER = (None, "Year", "Cocaine", "Fentanyl", "Heroin", "Marijuana", "Methamphetamine")


def rows(ofo_2019=(1.0, 2.0, 3.0, 4.0, 5.0), total_2019=(1.5, 2.5, 3.5, 4.5, 5.5)):
    return [
        (None, "Drug Seizures by the U.S. Customs and Border Protection, 2016-2019* (Pounds)"),
        HEADER,
        (None, "Total"),
        (None, "2019*", *total_2019),
        (None, "Office of Field Operations (at Ports of Entry)"),
        (None, "2019*", *ofo_2019),
        (None, "U.S. Border Patrol (between the Ports of Entry, including domestic highway checkpoints)"),
        (None, "2019*", 0.5, 0.5, 0.5, 0.5, 0.5),
        (None, "* Data through September 30, 2019."),
    ]


def test_parses_blocks_and_partial_year():
    table = ondcp.parse_table_78(rows())
    assert len(table) == 15
    fentanyl = table[table["drug"] == "Fentanyl"].set_index("component")["pounds"]
    assert fentanyl.to_dict() == {"Total": 2.5, "OFO": 2.0, "USBP": 0.5}
    assert table["partial"].all() and set(table["year"]) == {2019}


def test_total_that_does_not_add_up_is_refused():
    with pytest.raises(DataError, match="Total differs") as error:
        ondcp.parse_table_78(rows(total_2019=(1.5, 2.5, 9.9, 4.5, 5.5)))
    assert error.value.column == "Heroin"


def test_changed_header_is_refused():
    changed = rows()
    changed[1] = (None, "Year", "Cocaine", "Fentanyl", "Heroin", "Marijuana", "Meth")
    with pytest.raises(DataError, match="header changed"):
        ondcp.parse_table_78(changed)


def test_text_where_a_number_belongs_is_refused():
    with pytest.raises(DataError, match="not a non-negative number") as error:
        ondcp.parse_table_78(rows(ofo_2019=("=SUM(C5:C6)", 2.0, 3.0, 4.0, 5.0)))
    assert error.value.column == "Cocaine"


def test_empty_cell_is_an_error_not_a_skipped_row():
    broken = rows(ofo_2019=(1.0, None, 3.0, 4.0, 5.0))
    with pytest.raises(DataError, match="not a non-negative number: None") as error:
        ondcp.parse_table_78(broken)
    assert error.value.column == "Fentanyl"


def test_blocks_with_different_years_are_refused():
    missing_year = rows() + [(None, "2018", 1.0, 1.0, 1.0, 1.0, 1.0)]
    with pytest.raises(DataError, match="different years"):
        ondcp.parse_table_78(missing_year)


TABLE_67_ROWS = [
    ("Estimated Number of Persons ... (Thousands)", None),
    ("Year", "Totals", "Age Group"),
    (None, "Total who needed treatment for an illicit drug problem in the past year", None),
    (2017, 8000, 700),
    ("20181", 10000, 800),
    ("Received treatment at a specialty facility", None),
    (2017, 2000, 50),
    ("20181", 1500, 60),
    ("Did not receive treatment at a specialty facility", None),
    (2017, 6000, 650),
]


def test_treatment_table_reads_blocks_and_footnoted_years():
    table = ondcp.treatment_table(TABLE_67_ROWS)
    assert table.to_dict("index") == {
        2017: {"needed": 8000.0, "received": 2000.0},
        2018: {"needed": 10000.0, "received": 1500.0},
    }


def test_treatment_table_refuses_a_missing_block_and_impossible_counts():
    with pytest.raises(DataError, match="not found"):
        ondcp.treatment_table(TABLE_67_ROWS[:5])
    bad = [row if row != (2017, 2000, 50) else (2017, 9000, 50) for row in TABLE_67_ROWS]
    with pytest.raises(DataError, match="more people received"):
        ondcp.treatment_table(bad)


TABLE_43_ROWS = [
    ("Deaths from Drug Poisoning and Other Injury Causes",),
    ("Year", "Drug Poisoning1", "Firearms2", "Suicide3"),
    ("Number of Deaths", None),
    (2016, 100, 120, 90),
    (2017, 130, 120, 90),
    (2018, 140, None, None),
    ("Age Adjusted Death Rates (Per 100,000 Population)",),
    (2017, 21.7, 12.0, 14.0),
]


def test_injury_deaths_reads_the_numbers_block_with_causes_without_footnotes():
    deaths = ondcp.injury_deaths(TABLE_43_ROWS)
    assert list(deaths.columns) == ["Drug Poisoning", "Firearms", "Suicide"]
    assert deaths.loc[2017, "Firearms"] == 120 and pd.isna(deaths.loc[2018, "Firearms"])
    assert deaths.loc[2016].tolist() == [100.0, 120.0, 90.0] and deaths.loc[2017, "Drug Poisoning"] == 130.0
