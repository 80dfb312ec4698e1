"""ONDCP National Drug Control Strategy Data Supplement: the tables the book uses.

Table 78 gives CBP drug seizures in pounds by calendar year 2016-2019, in three blocks (total,
OFO at ports of entry, USBP between ports). The loader reads cell values (not formulas) and
checks that each total equals OFO + USBP.
"""
from __future__ import annotations

import warnings
from pathlib import Path

import openpyxl
import pandas as pd

from analysis.errors import DataError

TABLE_78 = "78 CBP Drug seizures"
TABLE_78_DRUGS = ("Cocaine", "Fentanyl", "Heroin", "Marijuana", "Methamphetamine")
TABLE_78_BLOCKS = {
    "Total": "Total",
    "Office of Field Operations (at Ports of Entry)": "OFO",
    "U.S. Border Patrol (between the Ports of Entry, including domestic highway checkpoints)": "USBP",
}


def read_sheet_rows(path: Path, sheet: str) -> list[tuple]:
    """All non-empty rows of one sheet, as cell values; a missing sheet is a DataError."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged workbook
        raise DataError(path, f"cannot open as an .xlsx workbook ({type(exc).__name__}: {exc})") from None
    try:
        if sheet not in workbook.sheetnames:
            raise DataError(path, f"sheet {sheet!r} not found", expected=f"a sheet named {sheet!r}")
        return [tuple(row) for row in workbook[sheet].iter_rows(values_only=True)
                if any(cell is not None for cell in row)]
    finally:
        workbook.close()


def parse_table_78(rows: list[tuple], source: str = TABLE_78) -> pd.DataFrame:
    """Tidy frame (year, partial, component, drug, pounds) from Table 78's rows, reconciled.

    Cells are read by position under the header; an empty, text or formula cell where a number
    belongs is an error, never a silently skipped row.
    """
    header_at = next(((r, row.index("Year")) for r, row in enumerate(rows) if "Year" in row), None)
    if header_at is None:
        raise DataError(source, "header row not found", column="Year",
                        expected=f"a row 'Year' followed by {list(TABLE_78_DRUGS)}")
    header_row, year_column = header_at
    drug_columns = range(year_column + 1, year_column + 1 + len(TABLE_78_DRUGS))
    found = tuple(rows[header_row][c] if c < len(rows[header_row]) else None for c in drug_columns)
    if found != TABLE_78_DRUGS:
        raise DataError(source, f"header changed: {found}", column="Year", expected=f"{list(TABLE_78_DRUGS)}")
    records, block = [], None
    for row in rows[header_row + 1:]:
        label = row[year_column] if year_column < len(row) else None
        if isinstance(label, str) and label.strip() in TABLE_78_BLOCKS:
            block = TABLE_78_BLOCKS[label.strip()]
            continue
        year_text = str(label).strip().rstrip("*")
        if block is None or not (year_text.isdigit() and len(year_text) == 4):
            continue
        for drug, column in zip(TABLE_78_DRUGS, drug_columns):
            value = row[column] if column < len(row) else None
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                raise DataError(source, f"not a non-negative number: {value!r}", column=drug,
                                rows=[f"{block} {label}"], expected="pounds (a cell value, not a formula or text)")
            records.append({"year": int(year_text), "partial": str(label).strip().endswith("*"),
                            "component": block, "drug": drug, "pounds": float(value)})
    table = pd.DataFrame(records)
    if table.empty or set(table["component"]) != set(TABLE_78_BLOCKS.values()):
        raise DataError(source, "did not find the Total, OFO and USBP blocks")
    years = table.groupby("component")["year"].apply(lambda y: tuple(sorted(set(y))))
    if years.nunique() != 1:
        raise DataError(source, f"the blocks cover different years: {years.to_dict()}", column="Year")
    _reconcile_table_78(table, source)
    return table


def _reconcile_table_78(table: pd.DataFrame, source: str) -> None:
    """Each printed total must equal OFO + USBP (to a hundredth of a pound)."""
    wide = table.pivot_table(index=["year", "drug"], columns="component", values="pounds")
    gap = (wide["Total"] - wide["OFO"] - wide["USBP"]).abs()
    if (gap > 0.01).any():
        year, drug = gap[gap > 0.01].index[0]
        raise DataError(source, f"Total differs from OFO + USBP for {year}", column=drug,
                        expected="the printed total to equal the sum of its parts")


def load_table_78(path: Path) -> pd.DataFrame:
    """Table 78 of the Data Supplement workbook at ``path``."""
    return parse_table_78(read_sheet_rows(path, TABLE_78), source=f"{path.name}, sheet {TABLE_78!r}")
