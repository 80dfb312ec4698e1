"""ONDCP National Drug Control Strategy Data Supplement (February 2020): every table the book reads.

- Table 78: CBP drug seizures in pounds by calendar year 2016-2019, in three blocks (total, OFO at
  ports of entry, USBP between ports); each total must equal OFO + USBP.
- Table 67: NSDUH, people aged 12+ who needed treatment for an illicit drug problem and those
  who received it at a specialty facility (thousands).
- Table 43: NVSS deaths by injury cause (drug poisoning, firearms, ...).
- Tables 112-113: drug-poisoning deaths and age-adjusted rates by state and year.

Each ``load_*`` reads the catalogued workbook (or the one at ``path``) with the book's one .xlsx
reader (``analysis.data.xlsx``); the parsers take the sheet's rows, so tests can give them small
tables. Cells are read as values, never formulas: a number's cell holding text, a formula or
nothing is an error or missing, never a silently skipped row.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.data import catalog, xlsx
from analysis.data.curated import load_curated
from analysis.errors import DataError

SUPPLEMENT = "ndcs-data-supplement-2020-february"
TABLE_78 = "78 CBP Drug seizures"
TABLE_78_DRUGS = ("Cocaine", "Fentanyl", "Heroin", "Marijuana", "Methamphetamine")
TABLE_78_BLOCKS = {
    "Total": "Total",
    "Office of Field Operations (at Ports of Entry)": "OFO",
    "U.S. Border Patrol (between the Ports of Entry, including domestic highway checkpoints)": "USBP",
}
TABLE_67 = "67 NSDUH Need Rec Treatment"
NEEDED = "Total who needed treatment"  # the labels (prefixes) of Table 67's two blocks
RECEIVED = "Received treatment at a specialty facility"
TABLE_43 = "43 NVSS Injury Deaths "
DEATHS_SHEET, RATES_SHEET = "112 NVSS ST Drug Poison Num", "113 NVSS ST Drug Poison Rate"


def supplement_path(path: Path | None = None) -> Path:
    """The Data Supplement workbook: ``path`` if given, else the catalogued (verified) copy."""
    return path if path is not None else catalog.path(SUPPLEMENT)


def _year(cell) -> int | None:
    """1999 -> 1999; '20151' (2015 with footnote 1) -> 2015; anything else -> None."""
    text = str(cell).strip() if cell is not None else ""
    return int(text[:4]) if re.fullmatch(r"(19|20)\d{2}\d?", text) else None


def _compact(row: tuple) -> tuple:
    """A sheet row without its empty cells (the supplement pads rows with blank columns)."""
    return tuple(cell for cell in row if cell is not None) or (None,)


def parse_table_78(rows: list[tuple], source: str = TABLE_78) -> pd.DataFrame:
    """Tidy frame (year, partial, component, drug, pounds) from Table 78's rows, reconciled.

    Cells are read by position under the header; an empty, text or formula cell where a number
    belongs is an error, never a silently skipped row.
    """
    header_at = next(((r, row.index("Year")) for r, row in enumerate(rows) if "Year" in row), None)
    if header_at is None:
        raise DataError(
            source, "header row not found", column="Year", expected=f"a row 'Year' followed by {list(TABLE_78_DRUGS)}"
        )
    header_row, year_column = header_at
    drug_columns = range(year_column + 1, year_column + 1 + len(TABLE_78_DRUGS))
    found = tuple(rows[header_row][c] if c < len(rows[header_row]) else None for c in drug_columns)
    if found != TABLE_78_DRUGS:
        raise DataError(source, f"header changed: {found}", column="Year", expected=f"{list(TABLE_78_DRUGS)}")
    records, block = [], None
    for row in rows[header_row + 1 :]:
        label = row[year_column] if year_column < len(row) else None
        if isinstance(label, str) and label.strip() in TABLE_78_BLOCKS:
            block = TABLE_78_BLOCKS[label.strip()]
            continue
        year_text = str(label).strip().rstrip("*")
        if block is None or not (year_text.isdigit() and len(year_text) == 4):
            continue
        for drug, column in zip(TABLE_78_DRUGS, drug_columns, strict=True):
            value = row[column] if column < len(row) else None
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                raise DataError(
                    source,
                    f"not a non-negative number: {value!r}",
                    column=drug,
                    rows=[f"{block} {label}"],
                    expected="pounds (a cell value, not a formula or text)",
                )
            records.append(
                {
                    "year": int(year_text),
                    "partial": str(label).strip().endswith("*"),
                    "component": block,
                    "drug": drug,
                    "pounds": float(value),
                }
            )
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
        raise DataError(
            source,
            f"Total differs from OFO + USBP for {year}",
            column=drug,
            expected="the printed total to equal the sum of its parts",
        )


def load_table_78(path: Path | None = None) -> pd.DataFrame:
    """Table 78 of the Data Supplement workbook (the catalogued one unless ``path`` is given)."""
    path = supplement_path(path)
    return parse_table_78(xlsx.read_sheet(path, TABLE_78), source=f"{path.name}, sheet {TABLE_78!r}")


def year_blocks(rows: list[tuple], labels: dict[str, str], source: str) -> pd.DataFrame:
    """Year rows under labelled blocks of an ONDCP supplement sheet: one column per block, the
    block's first numeric column (the total). A label row starts a block; any other text row ends it."""
    values, current = {}, None
    for row in map(_compact, rows):
        first = row[0]
        if isinstance(first, str) and _year(first) is None:
            current = next((name for prefix, name in labels.items() if first.strip().startswith(prefix)), None)
            continue
        year = _year(first)
        if current and year is not None and len(row) > 1 and isinstance(row[1], (int, float)):
            values.setdefault(year, {})[current] = float(row[1])
    frame = pd.DataFrame.from_dict(values, orient="index").sort_index()
    missing = [name for name in labels.values() if name not in frame.columns]
    if frame.empty or missing:
        raise DataError(
            source, f"block(s) {missing or list(labels.values())} not found", expected=f"rows labelled {list(labels)}"
        )
    return frame.rename_axis("year")


def treatment_table(rows: list[tuple], source: str = TABLE_67) -> pd.DataFrame:
    """Per year: people aged 12+ who needed treatment for an illicit drug problem and those who received
    it at a specialty facility (thousands, NSDUH); more receiving than needing it is an error."""
    frame = year_blocks(rows, {NEEDED: "needed", RECEIVED: "received"}, source).dropna()
    if (frame["received"] > frame["needed"]).any():
        raise DataError(source, "more people received treatment than needed it", column="Totals")
    return frame


def load_treatment_table(path: Path | None = None) -> pd.DataFrame:
    """Table 67 (``treatment_table``) of the Data Supplement workbook."""
    path = supplement_path(path)
    return treatment_table(xlsx.read_sheet(path, TABLE_67), source=f"{path.name}, sheet {TABLE_67!r}")


def injury_deaths(rows: list[tuple], source: str = TABLE_43) -> pd.DataFrame:
    """Deaths by injury cause and year (numbers, not rates) from ONDCP table 43; footnote digits are
    dropped from the cause names ('Drug Poisoning1' -> 'Drug Poisoning'). A cause left blank is missing."""
    rows = [_compact(row) for row in rows]
    header = next((row for row in rows if row[0] == "Year"), None)
    if header is None:
        raise DataError(source, "header row 'Year' not found")
    causes = [re.sub(r"\d+$", "", str(cell)).strip() for cell in header[1:] if cell is not None]
    values, in_numbers = {}, False
    for row in rows:
        if isinstance(row[0], str) and _year(row[0]) is None:
            in_numbers = row[0].startswith("Number of Deaths")
            continue
        if in_numbers and _year(row[0]) is not None:
            values[_year(row[0])] = [
                row[i + 1] if i + 1 < len(row) and isinstance(row[i + 1], (int, float)) else None
                for i in range(len(causes))
            ]
    if not values:
        raise DataError(source, "no 'Number of Deaths' rows found")
    return pd.DataFrame.from_dict(values, orient="index", columns=causes, dtype=float).sort_index().rename_axis("year")


def load_injury_deaths(path: Path | None = None) -> pd.DataFrame:
    """Table 43 (``injury_deaths``) of the Data Supplement workbook."""
    path = supplement_path(path)
    return injury_deaths(xlsx.read_sheet(path, TABLE_43), source=f"{path.name}, sheet {TABLE_43!r}")


def state_tables(path: Path, sheets: list[str]) -> dict[str, pd.DataFrame]:
    """ONDCP Data Supplement state-by-year tables (e.g. 112 deaths, 113 rates), long form, by sheet.

    The workbook is opened once (it has 181 sheets). State names carry footnote digits
    ('Ohio1'), which are removed; blank cells are missing.
    """
    workbook = xlsx.read_sheets(path, sheets)
    return {sheet: _state_table(path, workbook[sheet], sheet) for sheet in sheets}


def _state_table(path: Path, rows: list[tuple], sheet: str) -> pd.DataFrame:
    """One state-by-year sheet: rows under the 'State or jurisdiction' header, one column per year."""
    header_index = next((i for i, r in enumerate(rows) if r and r[0] == "State or jurisdiction"), None)
    if header_index is None:
        raise DataError(path, f"sheet {sheet!r}: no 'State or jurisdiction' header row")
    header = rows[header_index]
    year_columns = {c: int(v) for c, v in enumerate(header) if isinstance(v, (int, float))}
    known = set(load_curated("states")["state"]) | {"United States"}
    records = []
    for row in rows[header_index + 1 :]:
        name = str(row[0] or "").rstrip("0123456789").strip()
        if name not in known:
            continue
        for column, year in year_columns.items():
            value = row[column] if column < len(row) else None
            if value is not None and not isinstance(value, (int, float)):
                raise DataError(path, f"sheet {sheet!r}: not a number {value!r} for {name} {year}")
            records.append({"state": name, "year": year, "value": np.nan if value is None else float(value)})
    return pd.DataFrame(records)
