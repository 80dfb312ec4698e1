"""The CBP seizure loader on small synthetic files: exact values, vintages, partial years, errors."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.data import calendar, seizures, vintages
from analysis.errors import DataError
from conftest import HEADER, seizure_csv

ROWS = [
    "2023,OCT,Office of Field Operations,Southwest Border,Land Only,SAN DIEGO FIELD OFFICE,Fentanyl,3,30.5",
    "2023,OCT,U.S. Border Patrol,Southwest Border,Land Only,SAN DIEGO SECTOR,Fentanyl,2,4.5",
    "2023,SEP,Office of Field Operations,Coastal/Interior,Other,MIAMI FIELD OFFICE,Cocaine,1,100",
]


def test_reads_types_and_normalizes(write_csv):
    frame = seizures.read_seizure_file(write_csv(seizure_csv(ROWS)))
    assert list(frame["component"]) == ["OFO", "USBP", "OFO"]
    assert list(frame["events"]) == [3, 2, 1]
    assert list(frame["pounds"]) == [30.5, 4.5, 100.0]
    assert list(frame["month"]) == [pd.Timestamp("2022-10-01"), pd.Timestamp("2022-10-01"), pd.Timestamp("2023-09-01")]
    assert set(frame["fy"]) == {2023}
    assert set(frame["source_file"]) == {"nationwide-drugs-test.csv"}


def test_fytd_label_marks_partial_year(write_csv):
    rows = ["2026 (FYTD),DEC,U.S. Border Patrol,Southwest Border,Land Only,YUMA SECTOR,Fentanyl,1,2.0"]
    frame = vintages.mark_partial(seizures.read_seizure_file(write_csv(seizure_csv(rows))))
    assert frame["fy"].tolist() == [2026]
    assert frame["partial_fy"].tolist() == [True]
    assert frame["month"].tolist() == [pd.Timestamp("2025-12-01")]


def test_year_with_fewer_than_twelve_months_is_partial_even_without_label(write_csv):
    frame = vintages.mark_partial(seizures.read_seizure_file(write_csv(seizure_csv(ROWS))))
    assert frame["partial_fy"].all()


def test_twelve_months_make_a_full_year(write_csv):
    rows = [
        f"2024,{m},U.S. Border Patrol,Southwest Border,Land Only,YUMA SECTOR,Fentanyl,1,1.0"
        for m in calendar.FISCAL_MONTHS
    ]
    frame = vintages.mark_partial(seizures.read_seizure_file(write_csv(seizure_csv(rows))))
    assert not frame["partial_fy"].any()


def test_harmless_variations_load_to_the_same_numbers(write_csv):
    plain = seizures.read_seizure_file(write_csv(seizure_csv(ROWS), "a.csv"))
    crlf_bom = seizures.read_seizure_file(write_csv("\ufeff" + seizure_csv(ROWS, newline="\r\n"), "b.csv"))
    padded = seizures.read_seizure_file(write_csv(seizure_csv([" " + r.replace(",", " , ") for r in ROWS]), "c.csv"))
    columns = HEADER.split(",")
    reordered_header = ",".join(reversed(columns))
    reordered_rows = [",".join(reversed(r.split(","))) for r in ROWS]
    reordered = seizures.read_seizure_file(write_csv(seizure_csv(reordered_rows, header=reordered_header), "d.csv"))
    blank_rows = seizures.read_seizure_file(write_csv(seizure_csv(ROWS[:1] + [",,,,,,,,"] + ROWS[1:]), "e.csv"))
    for other in (crlf_bom, padded, reordered, blank_rows):
        pd.testing.assert_frame_equal(plain.drop(columns="source_file"), other.drop(columns="source_file"))


@pytest.mark.parametrize(
    "mutation, column",
    [
        (lambda rows: [r.replace(",Fentanyl,", ",Xylazine,") for r in rows], "Drug Type"),
        (
            lambda rows: [r.replace("Office of Field Operations", "Air and Marine Operations") for r in rows],
            "Component",
        ),
        (lambda rows: [r.replace(",OCT,", ",OKT,") for r in rows], "Month (abbv)"),
        (lambda rows: [r.replace("2023,", "FY23,", 1) for r in rows], "FY"),
        (lambda rows: [r.replace(",30.5", ",-30.5") for r in rows], "Sum Qty (lbs)"),
        (lambda rows: [r.replace(",100", ',"1,000"') for r in rows], "Sum Qty (lbs)"),
        (lambda rows: [r.replace(",3,30.5", ",three,30.5") for r in rows], "Count of Event"),
        (lambda rows: [r.replace(",3,30.5", ",3.5,30.5") for r in rows], "Count of Event"),
    ],
)
def test_bad_values_name_the_column(write_csv, mutation, column):
    with pytest.raises(DataError) as error:
        seizures.read_seizure_file(write_csv(seizure_csv(mutation(ROWS))))
    assert error.value.column == column
    assert "nationwide-drugs-test.csv" in str(error.value)


def test_missing_and_extra_columns_are_refused(write_csv):
    with pytest.raises(DataError, match="required column missing") as error:
        seizures.read_seizure_file(
            write_csv(seizure_csv([r.rsplit(",", 1)[0] for r in ROWS], header=HEADER.replace(",Sum Qty (lbs)", "")))
        )
    assert error.value.column == "Sum Qty (lbs)"
    with pytest.raises(DataError, match="unexpected column") as error:
        seizures.read_seizure_file(write_csv(seizure_csv([r + ",x" for r in ROWS], header=HEADER + ",Notes")))
    assert error.value.column == "Notes"


def test_duplicated_rows_are_refused(write_csv):
    with pytest.raises(DataError, match="duplicated rows"):
        seizures.read_seizure_file(write_csv(seizure_csv(ROWS + ROWS[:1])))


def test_empty_and_header_only_files_are_refused(write_csv):
    with pytest.raises(DataError, match="empty file"):
        seizures.read_seizure_file(write_csv(""))
    with pytest.raises(DataError, match="no data rows"):
        seizures.read_seizure_file(write_csv(seizure_csv([])))


def test_latin1_bytes_are_refused(write_csv):
    rows = [ROWS[0].replace("SAN DIEGO", "SAN DIEGO \u00c9")]
    with pytest.raises(DataError, match="not UTF-8"):
        seizures.read_seizure_file(write_csv(seizure_csv(rows), encoding="latin-1"))


def test_newest_vintage_wins_per_fiscal_month(write_csv):
    old = seizures.read_seizure_file(
        write_csv(
            seizure_csv(
                [
                    "2022,SEP,U.S. Border Patrol,Southwest Border,Land Only,YUMA SECTOR,Fentanyl,1,10",
                    "2023,OCT,U.S. Border Patrol,Southwest Border,Land Only,YUMA SECTOR,Fentanyl,1,20",
                ]
            ),
            "old.csv",
        )
    )
    new = seizures.read_seizure_file(
        write_csv(
            seizure_csv(
                [
                    "2023,OCT,U.S. Border Patrol,Southwest Border,Land Only,YUMA SECTOR,Fentanyl,2,25",
                    "2023,NOV,U.S. Border Patrol,Southwest Border,Land Only,YUMA SECTOR,Fentanyl,1,5",
                ]
            ),
            "new.csv",
        )
    )
    combined = vintages.combine([old, new], seizures.NATIONWIDE.values)
    by_month = combined.set_index("month")
    assert by_month.loc["2022-09-01", "pounds"] == 10 and by_month.loc["2022-09-01", "source_file"] == "old.csv"
    assert by_month.loc["2022-10-01", "pounds"] == 25 and by_month.loc["2022-10-01", "source_file"] == "new.csv"
    assert combined["pounds"].sum() == 40
    assert len(combined) == 3


def test_no_vintage_is_an_error():
    with pytest.raises(DataError, match="no vintage"):
        vintages.combine([], seizures.NATIONWIDE.values)
