"""CBP Nationwide Drug Seizures: read one vintage, validate and normalize it; the dataset's reissue spec.

CBP publishes one CSV per vintage, each covering about four fiscal years, monthly, by component
(OFO = Office of Field Operations, at ports of entry; USBP = U.S. Border Patrol, between ports),
region, area of responsibility (AOR) and drug. ``vintages.load(seizures.NATIONWIDE)`` reads every
catalogued vintage and combines them (the newest wins for each month; every row keeps its file).
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pandas as pd

from analysis.data import vintages
from analysis.data.calendar import FISCAL_MONTHS, fiscal_month_start
from analysis.errors import DataError

DATASET = "cbp-drug-seizures"

COLUMNS = {
    "FY": "fy_label",
    "Month (abbv)": "month_abbr",
    "Component": "component_name",
    "Region": "region",
    "Land Filter": "land_filter",
    "Area of Responsibility": "aor",
    "Drug Type": "drug",
    "Count of Event": "events",
    "Sum Qty (lbs)": "pounds",
}
COMPONENTS = {"Office of Field Operations": "OFO", "U.S. Border Patrol": "USBP"}
REGIONS = ("Southwest Border", "Northern Border", "Coastal/Interior")
LAND_FILTERS = ("Land Only", "Other")
DRUGS = (
    "Cocaine",
    "Ecstasy",
    "Fentanyl",
    "Heroin",
    "Ketamine",
    "Khat (Catha Edulis)",
    "Lsd",
    "Marijuana",
    "Methamphetamine",
    "Other Drugs**",
)
KEY = ["fy", "month_abbr", "component", "region", "land_filter", "aor", "drug"]

_FY_LABEL = re.compile(r"^(?P<year>(19|20)\d{2})(?P<fytd>\s*\(FYTD\))?$")
_NUMBER = re.compile(r"^(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$")


def read_seizure_file(path: Path) -> pd.DataFrame:
    """Parse one vintage into a tidy, typed frame; raise DataError on anything unexpected.

    Harmless variations load to the same numbers: a UTF-8 byte-order mark, CRLF or LF line
    endings, padding whitespace, reordered columns and fully blank rows (reported, then dropped).
    """
    raw = _read_text_table(path)
    raw = _check_columns(path, raw)
    blank = raw.eq("").all(axis=1)
    if blank.all():
        raise DataError(path, "no data rows", expected="at least one seizure row under the header")
    dropped = [(line, "blank row") for line in _row_numbers(blank, limit=None)]
    raw = raw.loc[~blank]
    frame = pd.DataFrame(
        {
            "fy": _parse_fy(path, raw["FY"]),
            "fytd": raw["FY"].str.contains("FYTD", regex=False).to_numpy(),
            "month_abbr": _parse_category(path, raw, "Month (abbv)", FISCAL_MONTHS),
            "component": _parse_category(path, raw, "Component", tuple(COMPONENTS)).map(COMPONENTS),
            "region": _parse_category(path, raw, "Region", REGIONS),
            "land_filter": _parse_category(path, raw, "Land Filter", LAND_FILTERS),
            "aor": _parse_text(path, raw, "Area of Responsibility"),
            "drug": _parse_category(path, raw, "Drug Type", DRUGS),
            "events": _parse_number(path, raw, "Count of Event", integer=True),
            "pounds": _parse_number(path, raw, "Sum Qty (lbs)", integer=False),
        }
    ).reset_index(drop=True)
    frame["month"] = fiscal_month_start(frame["fy"], frame["month_abbr"])
    frame["source_file"] = path.name
    _check_unique(path, frame)
    frame.attrs["dropped_rows"] = dropped  # reported, never silent: (file line, reason)
    return frame


def _read_text_table(path: Path) -> pd.DataFrame:
    """Read a CSV as strings (BOM and CRLF tolerated); Latin-1 or truncated bytes are a DataError."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(path, f"not UTF-8 text (byte {exc.start})", expected="a UTF-8 CSV") from None
    if not text.strip():
        raise DataError(path, "empty file", expected="a CSV with a header row")
    try:
        table = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skip_blank_lines=False)
    except pd.errors.ParserError as exc:
        raise DataError(path, f"not a well-formed CSV ({exc})") from None
    table.columns = [str(column).strip() for column in table.columns]
    return table.fillna("").apply(lambda column: column.str.strip())  # short rows: missing cells are empty


def _check_columns(path: Path, table: pd.DataFrame) -> pd.DataFrame:
    """Require exactly the published columns (any order)."""
    missing = [column for column in COLUMNS if column not in table.columns]
    if missing:
        raise DataError(path, "required column missing", column=missing[0], expected=f"the columns {list(COLUMNS)}")
    extra = [column for column in table.columns if column not in COLUMNS]
    if extra:
        raise DataError(
            path,
            "unexpected column",
            column=extra[0],
            expected=f"only the columns {list(COLUMNS)}; a new column may change meaning",
        )
    if table.columns.duplicated().any():
        raise DataError(path, "duplicated column names")
    return table[list(COLUMNS)]


def _row_numbers(mask: pd.Series, limit: int | None = 5) -> list[int]:
    """File line numbers (header is line 1) of the rows flagged by ``mask`` (the first ``limit``)."""
    return [int(index) + 2 for index in mask[mask].index[:limit]]


def _parse_fy(path: Path, labels: pd.Series) -> pd.Series:
    """'2025' -> 2025 and '2026 (FYTD)' -> 2026; any other form is refused, not guessed."""
    parts = labels.str.extract(_FY_LABEL)
    bad = parts["year"].isna()
    if bad.any():
        raise DataError(
            path,
            f"unrecognized fiscal-year label {labels[bad].iloc[0]!r}",
            column="FY",
            rows=_row_numbers(bad),
            expected="a four-digit year, optionally followed by ' (FYTD)'",
        )
    return parts["year"].astype(int)


def _parse_category(path: Path, table: pd.DataFrame, column: str, allowed: tuple) -> pd.Series:
    """Values from a closed list; an unknown value may be a new category whose meaning is unknown."""
    values = table[column]
    if column == "Month (abbv)":
        values = values.str.upper()
    bad = ~values.isin(allowed)
    if bad.any():
        raise DataError(
            path,
            f"unknown value {values[bad].iloc[0]!r}",
            column=column,
            rows=_row_numbers(bad),
            expected=f"one of {list(allowed)}",
        )
    return values


def _parse_text(path: Path, table: pd.DataFrame, column: str) -> pd.Series:
    """A free-text label that must not be empty."""
    values = table[column]
    bad = values.eq("")
    if bad.any():
        raise DataError(path, "empty value", column=column, rows=_row_numbers(bad), expected="a name")
    return values


def _parse_number(path: Path, table: pd.DataFrame, column: str, *, integer: bool) -> pd.Series:
    """Non-negative numbers; blanks, text, negatives and thousands separators are refused."""
    values = table[column]
    bad = ~values.str.fullmatch(_NUMBER)
    if bad.any():
        raise DataError(
            path,
            f"not a non-negative number: {values[bad].iloc[0]!r}",
            column=column,
            rows=_row_numbers(bad),
            expected="a plain number such as 12 or 3.5 (no separators)",
        )
    numbers = values.astype(float)
    if integer:
        fractional = numbers % 1 != 0
        if fractional.any():
            raise DataError(
                path,
                f"not a whole number: {values[fractional].iloc[0]!r}",
                column=column,
                rows=_row_numbers(fractional),
                expected="a count of seizure events",
            )
        return numbers.astype("int64")
    return numbers


def _check_unique(path: Path, frame: pd.DataFrame) -> None:
    """One row per fiscal month, component, region, land filter, AOR and drug."""
    duplicated = frame.duplicated(KEY, keep=False)
    if duplicated.any():
        raise DataError(
            path,
            "duplicated rows for the same month, component, AOR and drug",
            rows=[int(i) + 2 for i in frame.index[duplicated][:5]],
            expected="each combination once",
        )


def source_by_fiscal_year(frame: pd.DataFrame) -> pd.DataFrame:
    """Which file supplied each fiscal year, with its months and whether the year is partial."""
    return (
        frame.groupby("fy")
        .agg(
            source_file=("source_file", lambda s: ", ".join(sorted(s.unique()))),
            months=("month_abbr", "nunique"),
            partial=("partial_fy", "first"),
            first_month=("month", "min"),
            last_month=("month", "max"),
        )
        .reset_index()
    )


NATIONWIDE = vintages.Reissued(
    DATASET,
    "CBP Nationwide Drug Seizures",
    "cbp-drug-seizures",
    r"^nationwide-drugs-fy(?P<first_fy>\d{2})-fy(?P<last_fy>\d{2})" + vintages.MONTH_SUFFIX + r"\.csv$",
    read_seizure_file,
    key=("month", *KEY[2:]),
    values=("events", "pounds"),
    coverage=("component", "region"),
    header=tuple(COLUMNS),
    read_in=("seizures.NATIONWIDE",),
)
