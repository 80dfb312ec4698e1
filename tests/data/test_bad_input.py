"""A hostile-input corpus built from the real files: each case loads to the right numbers or fails clearly.

Every mutated file is generated here from the verified raw input (nothing from the mirror is
committed). A harmless variation must load to exactly the numbers of the unmodified file; any
other change must raise DataError naming the file and, where one is at fault, the column.
Run just these with ``pytest -k bad_input``.
"""

from __future__ import annotations

import hashlib

import openpyxl
import pandas as pd
import pytest

from analysis.data import catalog, ondcp, seizures, vintages, xlsx
from analysis.errors import DataError

SEIZURE_FILE = "nationwide-drugs-fy23-fy26-dec"
SUPPLEMENT = "ndcs-data-supplement-2020-february"


@pytest.fixture(scope="module")
def real_csv(real_data):
    return catalog.path(SEIZURE_FILE).read_bytes().decode("utf-8")


def summary(frame: pd.DataFrame) -> pd.DataFrame:
    """Totals per fiscal month, component, region, AOR and drug: what every chapter is computed from."""
    return frame.groupby(seizures.KEY)[["pounds", "events"]].sum().sort_index()


@pytest.fixture(scope="module")
def baseline(real_data):
    return summary(seizures.read_seizure_file(catalog.path(SEIZURE_FILE)))


def lines_of(text: str) -> list[str]:
    return text.splitlines()


def rebuild(lines: list[str], newline: str = "\r\n") -> str:
    return newline.join(lines) + newline


def edit_column(text: str, column: str, change) -> str:
    """Apply ``change(value, row_number)`` to one column of every data row."""
    lines = lines_of(text)
    position = lines[0].split(",").index(column)
    out = [lines[0]]
    for number, line in enumerate(lines[1:]):
        cells = line.split(",")
        cells[position] = change(cells[position], number)
        out.append(",".join(cells))
    return rebuild(out)


def first_row_only(change):
    return lambda value, number: change(value) if number == 0 else value


def drop_column(text: str, column: str) -> str:
    lines = lines_of(text)
    position = lines[0].split(",").index(column)
    return rebuild([",".join(c for i, c in enumerate(line.split(",")) if i != position) for line in lines])


def reorder_columns(text: str) -> str:
    lines = lines_of(text)
    return rebuild([",".join(reversed(line.split(","))) for line in lines])


# Harmless variations: must give exactly the numbers of the real file.
HARMLESS = {
    "bom": lambda t: "\ufeff" + t,
    "lf_line_endings": lambda t: rebuild(lines_of(t), "\n"),
    "reordered_columns": reorder_columns,
    "padding_whitespace": lambda t: rebuild([", ".join(f" {c} " for c in line.split(",")) for line in lines_of(t)]),
    "blank_rows_inside": lambda t: rebuild(lines_of(t)[:100] + [",,,,,,,,", ""] + lines_of(t)[100:]),
    "lowercase_month": lambda t: edit_column(t, "Month (abbv)", lambda v, n: v.lower()),
    "quoted_numbers": lambda t: edit_column(t, "Sum Qty (lbs)", lambda v, n: f'"{v}"'),
    "trailing_blank_lines": lambda t: t + "\r\n\r\n",
}

# Harmful changes: (mutation, column expected in the error or None, words expected in the message).
HARMFUL = {
    "missing_column": (lambda t: drop_column(t, "Region"), "Region", "required column missing"),
    "renamed_column": (
        lambda t: t.replace("Sum Qty (lbs)", "Sum Qty (kg)", 1),
        "Sum Qty (lbs)",
        "required column missing",
    ),
    "extra_column": (
        lambda t: rebuild([line + (",Notes" if i == 0 else ",x") for i, line in enumerate(lines_of(t))]),
        "Notes",
        "unexpected column",
    ),
    "non_numeric_quantity": (
        lambda t: edit_column(t, "Sum Qty (lbs)", first_row_only(lambda v: "n/a")),
        "Sum Qty (lbs)",
        "not a non-negative number",
    ),
    "negative_quantity": (
        lambda t: edit_column(t, "Sum Qty (lbs)", first_row_only(lambda v: "-" + v)),
        "Sum Qty (lbs)",
        "not a non-negative number",
    ),
    "thousands_separator": (
        lambda t: edit_column(t, "Sum Qty (lbs)", first_row_only(lambda v: '"1,234.5"')),
        "Sum Qty (lbs)",
        "not a non-negative number",
    ),
    "nan_text_quantity": (
        lambda t: edit_column(t, "Sum Qty (lbs)", first_row_only(lambda v: "NaN")),
        "Sum Qty (lbs)",
        "not a non-negative number",
    ),
    "empty_quantity": (
        lambda t: edit_column(t, "Sum Qty (lbs)", first_row_only(lambda v: "")),
        "Sum Qty (lbs)",
        "not a non-negative number",
    ),
    "fractional_event_count": (
        lambda t: edit_column(t, "Count of Event", first_row_only(lambda v: "2.5")),
        "Count of Event",
        "not a whole number",
    ),
    "empty_file": (lambda t: "", None, "empty file"),
    "header_only": (lambda t: rebuild(lines_of(t)[:1]), None, "no data rows"),
    "truncated_mid_row": (lambda t: t[: len(t) // 2], None, ""),
    "too_many_fields": (
        lambda t: rebuild(lines_of(t)[:50] + [lines_of(t)[50] + ",extra"] + lines_of(t)[51:]),
        None,
        "not a well-formed CSV",
    ),
    "duplicated_rows": (lambda t: rebuild(lines_of(t) + lines_of(t)[1:3]), None, "duplicated rows"),
    "unknown_component": (
        lambda t: edit_column(t, "Component", first_row_only(lambda v: "Air and Marine Operations")),
        "Component",
        "unknown value",
    ),
    "unknown_drug_type": (
        lambda t: edit_column(t, "Drug Type", first_row_only(lambda v: "Xylazine")),
        "Drug Type",
        "unknown value",
    ),
    "unknown_region": (
        lambda t: edit_column(t, "Region", first_row_only(lambda v: "Gulf Coast")),
        "Region",
        "unknown value",
    ),
    "unknown_land_filter": (
        lambda t: edit_column(t, "Land Filter", first_row_only(lambda v: "Sea Only")),
        "Land Filter",
        "unknown value",
    ),
    "fy_label_fy27": (
        lambda t: edit_column(t, "FY", first_row_only(lambda v: "FY27")),
        "FY",
        "unrecognized fiscal-year label",
    ),
    "fy_label_two_digit": (
        lambda t: edit_column(t, "FY", first_row_only(lambda v: "26")),
        "FY",
        "unrecognized fiscal-year label",
    ),
    "unknown_month": (
        lambda t: edit_column(t, "Month (abbv)", first_row_only(lambda v: "SEPT")),
        "Month (abbv)",
        "unknown value",
    ),
    "empty_area_of_responsibility": (
        lambda t: edit_column(t, "Area of Responsibility", first_row_only(lambda v: "")),
        "Area of Responsibility",
        "empty value",
    ),
    "trailing_footnote_rows": (
        lambda t: t + "Note: FY2026 data are preliminary,,,,,,,,\r\n",
        "FY",
        "unrecognized fiscal-year label",
    ),
}


@pytest.mark.parametrize("case", sorted(HARMLESS))
def test_bad_input_harmless_variation_loads_to_the_same_numbers(case, real_csv, baseline, tmp_path):
    path = tmp_path / f"{SEIZURE_FILE}.csv"
    path.write_text(HARMLESS[case](real_csv), encoding="utf-8", newline="")
    pd.testing.assert_frame_equal(summary(seizures.read_seizure_file(path)), baseline)


@pytest.mark.parametrize("case", sorted(HARMFUL))
def test_bad_input_harmful_change_raises_a_clear_error(case, real_csv, tmp_path):
    mutate, column, words = HARMFUL[case]
    path = tmp_path / f"{SEIZURE_FILE}.csv"
    path.write_text(mutate(real_csv), encoding="utf-8", newline="")
    with pytest.raises(DataError) as error:
        seizures.read_seizure_file(path)
    assert path.name in str(error.value)
    assert words in str(error.value)
    if column is not None:
        assert error.value.column == column and repr(column) in str(error.value)


def test_bad_input_latin1_bytes(real_csv, tmp_path):
    path = tmp_path / f"{SEIZURE_FILE}.csv"
    path.write_bytes(real_csv.replace("ATLANTA FIELD OFFICE", "ATLANTA FIELD OFFICE \u00c9", 1).encode("latin-1"))
    with pytest.raises(DataError, match="not UTF-8") as error:
        seizures.read_seizure_file(path)
    assert path.name in str(error.value)


def test_bad_input_new_fytd_label_loads_as_partial_year(real_csv, tmp_path):
    path = tmp_path / f"{SEIZURE_FILE}.csv"
    path.write_text(real_csv.replace("2026 (FYTD)", "2027 (FYTD)"), encoding="utf-8", newline="")
    frame = vintages.mark_partial(seizures.read_seizure_file(path))
    assert set(frame["fy"]) == {2023, 2024, 2025, 2027}
    assert frame.loc[frame["fy"] == 2027, "partial_fy"].all()


def test_bad_input_blank_rows_are_reported_not_silent(real_csv, tmp_path):
    path = tmp_path / f"{SEIZURE_FILE}.csv"
    path.write_text(HARMLESS["blank_rows_inside"](real_csv), encoding="utf-8", newline="")
    assert seizures.read_seizure_file(path).attrs["dropped_rows"] == [(101, "blank row"), (102, "blank row")]


def test_bad_input_sha256_mismatch_in_mirror(real_data, tmp_path):
    item = catalog.entry(SEIZURE_FILE)
    mirror = tmp_path / "mirror"
    (mirror / item["file"]).parent.mkdir(parents=True)
    original = catalog.path(SEIZURE_FILE).read_bytes()
    (mirror / item["file"]).write_bytes(original.replace(b"2026 (FYTD),DEC", b"2026 (FYTD),NOV", 1))
    with pytest.raises(DataError, match="sha256 mismatch") as error:
        catalog.fetch(item, raw=tmp_path / "raw", mirror=mirror)
    assert item["file"].split("/")[-1] in str(error.value) and hashlib.sha256(original).hexdigest() in str(error.value)


def test_bad_input_file_missing_from_mirror(real_data, tmp_path):
    item = catalog.entry(SEIZURE_FILE)
    with pytest.raises(DataError, match="missing") as error:
        catalog.fetch(item, raw=tmp_path / "raw", mirror=tmp_path / "empty-mirror")
    assert item["file"] in str(error.value) and item["url"] in str(error.value)


@pytest.fixture(scope="module")
def table_78_rows(real_data):
    return xlsx.read_sheet(catalog.path(SUPPLEMENT), ondcp.TABLE_78)


def workbook_with(rows, tmp_path, sheet=ondcp.TABLE_78, edit=None):
    """A small workbook holding the real Table 78 values (optionally edited) under ``sheet``."""
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    for row in rows:
        worksheet.append(list(row))
    if edit:
        edit(worksheet)
    path = tmp_path / "supplement.xlsx"
    workbook.save(path)
    return path


def test_bad_input_table_78_copy_loads_to_the_same_numbers(table_78_rows, tmp_path):
    original = ondcp.load_table_78(catalog.path(SUPPLEMENT))
    copy = ondcp.load_table_78(workbook_with(table_78_rows, tmp_path))
    pd.testing.assert_frame_equal(copy, original)


def test_bad_input_sheet_renamed(table_78_rows, tmp_path):
    path = workbook_with(table_78_rows, tmp_path, sheet="78 CBP Drug Seizures (rev)")
    with pytest.raises(DataError, match="sheet '78 CBP Drug seizures' not found") as error:
        ondcp.load_table_78(path)
    assert "supplement.xlsx" in str(error.value)


def cell_of(worksheet, year_label, block_label, drug):
    """The cell of one drug in one block's year row."""
    block = None
    for row in worksheet.iter_rows():
        labels = [c.value for c in row]
        if block_label in labels:
            block = block_label
        if block == block_label and year_label in labels:
            header = next(r for r in worksheet.iter_rows(values_only=True) if "Year" in r)
            return row[header.index(drug)]
    raise LookupError(year_label)


OFO_BLOCK = "Office of Field Operations (at Ports of Entry)"


def test_bad_input_formula_where_a_number_is_expected(table_78_rows, tmp_path):
    def formula(worksheet):
        cell_of(worksheet, 2017, OFO_BLOCK, "Fentanyl").value = "=SUM(C5:C6)"

    path = workbook_with(table_78_rows, tmp_path, edit=formula)  # saved without a cached value
    with pytest.raises(DataError, match="not a non-negative number") as error:
        ondcp.load_table_78(path)
    assert error.value.column == "Fentanyl" and "supplement.xlsx" in str(error.value)


def test_bad_input_total_that_does_not_reconcile(table_78_rows, tmp_path):
    def inflate(worksheet):
        cell = cell_of(worksheet, 2017, OFO_BLOCK, "Heroin")
        cell.value = cell.value + 100

    with pytest.raises(DataError, match="Total differs from OFO \\+ USBP for 2017") as error:
        ondcp.load_table_78(workbook_with(table_78_rows, tmp_path, edit=inflate))
    assert error.value.column == "Heroin"


def test_bad_input_not_a_workbook(tmp_path):
    path = tmp_path / "supplement.xlsx"
    path.write_bytes(b"this is not a zip archive")
    with pytest.raises(DataError, match="cannot open as an .xlsx workbook"):
        ondcp.load_table_78(path)
