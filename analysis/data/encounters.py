"""Border encounters: DHS OHSS monthly Border Patrol encounters by sector, and CBP's component file.

Two sources:
- the DHS Office of Homeland Security Statistics workbook (Key Homeland Security Metrics), USBP
  encounters by month, region and sector since October 1999, every count rounded to 10;
- CBP's Southwest Land Border Encounters file, monthly by component (USBP / OFO), demographic,
  citizenship and legal authority (Title 8 / Title 42), where a past fiscal year is split into
  'FYTD' and 'Remaining' rows whose sum is the year.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from analysis.data import catalog, parsed, vintages, xlsx
from analysis.data.calendar import FISCAL_MONTHS, fiscal_month_start, fiscal_year
from analysis.errors import DataError

OHSS_SECTOR_SHEET = "Monthly Rgn and Sector"
OHSS_REGION_SHEET = "Monthly Region"
OHSS_ANNUAL_REGION_SHEET = "Annual Region"
OHSS_ROUNDING = 10
SOUTHWEST = "Southwest Land Border"
MONTH_LABEL = re.compile(r"^(?P<order>\d{2}) (?P<name>[A-Za-z]+)$")
MONTH_NAMES = {
    "October": "OCT",
    "November": "NOV",
    "December": "DEC",
    "January": "JAN",
    "February": "FEB",
    "March": "MAR",
    "April": "APR",
    "May": "MAY",
    "June": "JUN",
    "July": "JUL",
    "August": "AUG",
    "September": "SEP",
}

# OHSS sector names -> the area-of-responsibility names CBP uses in the seizure file.
SOUTHWEST_SECTORS = {
    "Big Bend, TX": "BIG BEND SECTOR",
    "Del Rio, TX": "DEL RIO SECTOR",
    "El Centro, CA": "EL CENTRO SECTOR",
    "El Paso, TX": "EL PASO SECTOR",
    "Laredo, TX": "LAREDO SECTOR",
    "Rio Grande Valley, TX": "RIO GRANDE VALLEY SECTOR",
    "San Diego, CA": "SAN DIEGO SECTOR",
    "Tucson, AZ": "TUCSON SECTOR",
    "Yuma, AZ": "YUMA SECTOR",
}


def _sheet_frame(path: Path, sheet: str, columns: list[str]) -> pd.DataFrame:
    """A sheet whose first row is the header, as a frame with normalized header names."""
    rows = xlsx.read_sheet(path, sheet)
    header = [str(cell).replace("\n", " ").strip() if cell is not None else "" for cell in rows[0]]
    missing = [column for column in columns if column not in header]
    if missing:
        raise DataError(
            f"{path.name}, sheet {sheet!r}",
            "required column missing",
            column=missing[0],
            expected=f"the columns {columns}",
        )
    frame = pd.DataFrame(rows[1:], columns=header)[columns]
    return frame.dropna(how="all")


def _typed_counts(frame: pd.DataFrame, source: str) -> pd.DataFrame:
    """Fiscal year and quantity as integers; a fiscal month from labels like '01 October'."""
    bad_year = ~frame["Fiscal Year"].map(lambda v: isinstance(v, int) and 1990 <= v <= 2100)
    if bad_year.any():
        raise DataError(
            source,
            f"not a fiscal year: {frame.loc[bad_year, 'Fiscal Year'].iloc[0]!r}",
            column="Fiscal Year",
            rows=[int(i) + 2 for i in frame.index[bad_year][:5]],
        )
    bad_count = ~frame["Quantity"].map(lambda v: isinstance(v, (int, float)) and not isinstance(v, bool) and v >= 0)
    if bad_count.any():
        raise DataError(
            source,
            f"not a non-negative count: {frame.loc[bad_count, 'Quantity'].iloc[0]!r}",
            column="Quantity",
            rows=[int(i) + 2 for i in frame.index[bad_count][:5]],
            expected="a number (not a formula or text)",
        )
    frame = frame.assign(fy=frame["Fiscal Year"].astype(int), encounters=frame["Quantity"].astype("int64"))
    if "Month" in frame.columns:
        parts = frame["Month"].astype(str).str.strip().str.extract(MONTH_LABEL)
        abbr = parts["name"].map(MONTH_NAMES)
        bad = abbr.isna()
        if bad.any():
            raise DataError(
                source,
                f"unknown month label {frame.loc[bad, 'Month'].iloc[0]!r}",
                column="Month",
                rows=[int(i) + 2 for i in frame.index[bad][:5]],
                expected="'01 October' ... '12 September'",
            )
        frame = frame.assign(month_abbr=abbr, month=fiscal_month_start(frame["fy"], abbr))
    return frame


def load_ohss_sectors(path: Path) -> pd.DataFrame:
    """USBP encounters per month and sector (all regions), reconciled with the workbook's own totals.

    Checks: for each month and region, the sectors add up to the 'Monthly Region' count; for
    each year and region, the months add up to the 'Annual Region' count; both within the
    rounding of every published count to the nearest 10.
    """
    source = f"{path.name}, sheet {OHSS_SECTOR_SHEET!r}"
    sectors = _typed_counts(
        _sheet_frame(path, OHSS_SECTOR_SHEET, ["Fiscal Year", "Month", "Region", "Sector", "Quantity"]), source
    )
    regions = _typed_counts(
        _sheet_frame(path, OHSS_REGION_SHEET, ["Fiscal Year", "Month", "Region", "Quantity"]),
        f"{path.name}, sheet {OHSS_REGION_SHEET!r}",
    )
    annual = _typed_counts(
        _sheet_frame(path, OHSS_ANNUAL_REGION_SHEET, ["Fiscal Year", "Region", "Quantity"]),
        f"{path.name}, sheet {OHSS_ANNUAL_REGION_SHEET!r}",
    )
    by_month = sectors.groupby(["fy", "month", "Region"])["encounters"].agg(["sum", "size"])
    printed = regions.set_index(["fy", "month", "Region"])["encounters"]
    gap = (by_month["sum"] - printed.reindex(by_month.index)).abs()
    if gap.isna().any() or (gap > OHSS_ROUNDING / 2 * by_month["size"]).any():
        where = gap[gap.isna() | (gap > OHSS_ROUNDING / 2 * by_month["size"])].index[0]
        raise DataError(
            source,
            f"sectors do not add up to the regional total for FY{where[0]} {where[1]:%b %Y} {where[2]}",
            column="Quantity",
            expected="sector counts summing to 'Monthly Region' within rounding",
        )
    by_year = regions.groupby(["fy", "Region"])["encounters"].agg(["sum", "size"])
    printed_year = annual.set_index(["fy", "Region"])["encounters"]
    complete = by_year["size"] == 12
    gap_year = (by_year["sum"] - printed_year.reindex(by_year.index)).abs()[complete]
    if gap_year.isna().any() or (gap_year > OHSS_ROUNDING / 2 * 12).any():
        where = gap_year[gap_year.isna() | (gap_year > OHSS_ROUNDING / 2 * 12)].index[0]
        raise DataError(
            f"{path.name}, sheet {OHSS_REGION_SHEET!r}",
            f"months do not add up to the annual total for FY{where[0]} {where[1]}",
            column="Quantity",
            expected="12 monthly counts summing to 'Annual Region' within rounding",
        )
    tidy = sectors.rename(columns={"Region": "region", "Sector": "sector"})[
        ["fy", "month_abbr", "month", "region", "sector", "encounters"]
    ]
    months = tidy.groupby("fy")["month"].nunique()
    return tidy.assign(partial_fy=tidy["fy"].map(months < 12)).sort_values(["month", "sector"], ignore_index=True)


SBO_COLUMNS = [
    "Fiscal Year",
    "Month Grouping",
    "Month (abbv)",
    "Component",
    "Demographic",
    "Citizenship Grouping",
    "Title of Authority",
    "Encounter Type",
    "Encounter Count",
]
STATE_COLUMNS = [
    "Fiscal Year",
    "Month Grouping",
    "Month (abbv)",
    "Land Border Region",
    "State",
    "Demographic",
    "Citizenship",
    "Title of Authority",
    "Encounter Count",
]
SBO_COMPONENTS = {"U.S. Border Patrol": "USBP", "Office of Field Operations": "OFO"}


# CBP renamed two categories between vintages; an older file's name is read as the newer one.
# Measured: the totals under either name are identical, month by month (FY2022 in sbo-encounters-fy19-fy22
# and fy22-fy25-nov; FY2022-FY2024 in nationwide-encounters-fy21-fy24 and fy22-fy25), so the cells
# compare across vintages. (column, older name, newer name, only where these columns hold these values)
RELABELLED = (
    ("demographic", "UC / Single Minors", "UAC", {}),
    ("encounter_type", "Apprehensions", "Expulsions", {"component": "USBP", "title_of_authority": "Title 42"}),
)


def relabelled(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with CBP's older category names replaced by its newer ones (``RELABELLED``)."""
    frame = frame.copy()
    for column, older, newer, where in RELABELLED:
        if column in frame:
            rows = frame[column] == older
            for other, value in where.items():
                rows &= frame[other] == value
            frame.loc[rows, column] = newer
    return frame


def per_value(column: pd.Series, operation: Callable[[pd.Series], pd.Series | pd.DataFrame]):
    """``operation`` applied once to each distinct value of a column, its results spread back over the rows.

    A CBP file repeats a few hundred distinct labels and counts over tens of thousands of rows; string
    operations (strip, regular expressions) then cost a fraction of what they cost row by row, with
    the same result, row index and dtypes.
    """
    codes, distinct = pd.factorize(column)
    result = operation(pd.Series(distinct, dtype=column.dtype))
    spread = result.take(codes)
    return (
        spread.set_axis(column.index)
        if isinstance(spread, pd.DataFrame)
        else spread.set_axis(column.index).rename(column.name)
    )


def read_cbp_encounters(path: Path, columns: list[str]) -> pd.DataFrame:
    """A CBP encounter CSV (component or state file): typed, checked, one row per month and category.

    A past fiscal year appears as 'FYTD' and 'Remaining' rows; both are months of that year and
    are kept (a month must not appear in both); ``fytd`` marks the open year CBP labels '2024 (FYTD)'.
    Counts are whole and non-negative ('126001.0', as one CBP file writes them, is the whole number
    126001; '126001.5' is refused). Columns other than the date and count are kept under snake_case
    names, with CBP's older category names read as its newer ones (``RELABELLED``).
    """
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise DataError(path, f"not a readable UTF-8 CSV ({exc})") from None
    table.columns = [c.strip() for c in table.columns]
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise DataError(path, "required column missing", column=missing[0], expected=f"the columns {columns}")
    table = table[columns].apply(lambda c: per_value(c, lambda values: values.str.strip()))
    year = per_value(table["Fiscal Year"], lambda values: values.str.extract(r"^(?P<y>\d{4})(?P<fytd> \(FYTD\))?$"))
    closed = {
        "Month (abbv)": FISCAL_MONTHS,
        "Month Grouping": ("FYTD", "Remaining"),
        "Title of Authority": ("Title 8", "Title 42"),
    }
    if "Component" in columns:
        closed["Component"] = tuple(SBO_COMPONENTS)
    if year["y"].isna().any():
        bad = year["y"].isna()
        raise DataError(
            path,
            f"unrecognized fiscal-year label {table.loc[bad, 'Fiscal Year'].iloc[0]!r}",
            column="Fiscal Year",
            rows=[int(i) + 2 for i in table.index[bad][:5]],
        )
    for column, allowed in closed.items():
        bad = ~table[column].isin(allowed)
        if bad.any():
            raise DataError(
                path,
                f"unknown value {table.loc[bad, column].iloc[0]!r}",
                column=column,
                rows=[int(i) + 2 for i in table.index[bad][:5]],
                expected=f"one of {list(allowed)}",
            )
    bad = ~per_value(table["Encounter Count"], lambda values: values.str.fullmatch(r"\d+(\.0*)?"))
    if bad.any():
        raise DataError(
            path,
            f"not a whole non-negative count: {table.loc[bad, 'Encounter Count'].iloc[0]!r}",
            column="Encounter Count",
            rows=[int(i) + 2 for i in table.index[bad][:5]],
            expected="a whole number such as 126001 or 126001.0",
        )
    fy = year["y"].astype(int)
    frame = pd.DataFrame(
        {
            "fy": fy,
            "month_abbr": table["Month (abbv)"],
            "month": fiscal_month_start(fy, table["Month (abbv)"]),
            "grouping": table["Month Grouping"],
            "fytd": year["fytd"].notna(),
        }
    )
    for column in columns:
        if column not in ("Fiscal Year", "Month (abbv)", "Month Grouping", "Encounter Count"):
            frame[re.sub(r"\W+", "_", column.lower()).strip("_")] = table[column]
    if "component" in frame:
        frame["component"] = frame["component"].map(SBO_COMPONENTS)
    frame = relabelled(frame)
    frame["encounters"] = per_value(
        table["Encounter Count"], lambda values: values.str.split(".").str[0].astype("int64")
    )
    both = frame.groupby(["fy", "month_abbr"])["grouping"].nunique() > 1
    if both.any():
        fy_bad, month_bad = both[both].index[0]
        raise DataError(path, f"FY{fy_bad} {month_bad} appears under both FYTD and Remaining", column="Month Grouping")
    months = frame.groupby("fy")["month"].nunique()
    return frame.assign(partial_fy=frame["fy"].map(months < 12))


def load_sbo(path: Path) -> pd.DataFrame:
    """CBP Southwest Land Border Encounters by component, demographic, citizenship and title."""
    return read_cbp_encounters(path, SBO_COLUMNS)


def load_nationwide_state(path: Path) -> pd.DataFrame:
    """CBP Nationwide Encounters by land border region and state (no component column)."""
    return read_cbp_encounters(path, STATE_COLUMNS)


def _cbp_name(stem: str, suffix: str = "") -> str:
    """The file-name pattern of a CBP encounter file: '<stem>-fyXX-fyYY[-mon]<suffix>.csv'."""
    return rf"^{stem}-fy(?P<first_fy>\d{{2}})-fy(?P<last_fy>\d{{2}})" + vintages.MONTH_SUFFIX + rf"{suffix}\.csv$"


# The three encounter datasets CBP and DHS reissue (``vintages.load(encounters.COMPONENT)`` etc.).
COMPONENT = vintages.Reissued(
    "cbp-encounters-component",
    "CBP Southwest Land Border Encounters by component",
    "cbp-encounters",
    _cbp_name("sbo-encounters"),
    load_sbo,
    key=("month", "component", "demographic", "citizenship_grouping", "title_of_authority", "encounter_type"),
    values=("encounters",),
    coverage=("component",),
    header=tuple(SBO_COLUMNS),
    read_in=("encounters.COMPONENT",),
)
STATE = vintages.Reissued(
    "cbp-encounters-state",
    "CBP Nationwide Encounters by state",
    "cbp-encounters",
    _cbp_name("nationwide-encounters", "-state"),
    load_nationwide_state,
    key=("month", "land_border_region", "state", "demographic", "citizenship", "title_of_authority"),
    values=("encounters",),
    coverage=("land_border_region",),
    header=tuple(STATE_COLUMNS),
    read_in=("encounters.STATE",),
)
OHSS = vintages.Reissued(
    "dhs-ohss-usbp-encounters",
    "DHS OHSS Key Homeland Security Metrics, USBP encounters",
    "cbp-encounters",
    r"^ohss-khsm-encounters-usbp-fy(?P<last_fy>\d{2})m(?P<month_number>\d{2})\.xlsx$",
    load_ohss_sectors,
    key=("month", "region", "sector"),
    values=("encounters",),
    coverage=("region",),
    sheets=(OHSS_SECTOR_SHEET, OHSS_REGION_SHEET, OHSS_ANNUAL_REGION_SHEET),
    read_in=("encounters.OHSS",),
)


def title42_period(frame: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp, int]:
    """First and last month with Title 42 encounters, and the number of months from one to the other."""
    months = frame.loc[(frame["title_of_authority"] == "Title 42") & (frame["encounters"] > 0), "month"]
    if months.empty:
        raise ValueError("no Title 42 encounters in this frame")
    first, last = months.min(), months.max()
    return first, last, (last.year - first.year) * 12 + last.month - first.month + 1


OHSS_SOURCE = "DHS OHSS (rounded to 10)"
CBP_SOURCE = "CBP Southwest Land Border Encounters"
PUBLISHER_RULE = (
    "Where both publishers report a month, CBP's own Southwest Land Border Encounters file wins: "
    "it is the agency's count, unrounded, and reissued monthly. DHS OHSS's workbook, every count "
    "rounded to 10, supplies the months CBP's file does not cover (October 1999 until CBP's first "
    "month) and is the only source by sector."
)


def monthly_usbp_southwest(sectors: pd.DataFrame, sbo: pd.DataFrame) -> pd.DataFrame:
    """Southwest USBP encounters per month under ``PUBLISHER_RULE``: CBP where it reports, else OHSS.

    ``sectors`` and ``sbo`` are the combined vintages of each publisher. Each month carries its source.
    """
    cbp = sbo[sbo["component"] == "USBP"].groupby("month", as_index=False)["encounters"].sum().assign(source=CBP_SOURCE)
    ohss = southwest_usbp_by_month(sectors).assign(source=OHSS_SOURCE)
    return pd.concat([ohss[~ohss["month"].isin(cbp["month"])], cbp], ignore_index=True).sort_values(
        "month", ignore_index=True
    )


def annual_from_monthly(monthly: pd.DataFrame) -> pd.DataFrame:
    """Fiscal-year totals of a monthly series: months held, partial flag, last month and sources.

    A year is complete with all 12 months; only the last year may be partial (a gap inside the
    series is an error, never a silently short year).
    """
    table = (
        monthly.assign(fy=fiscal_year(monthly["month"]))
        .groupby("fy")
        .agg(
            encounters=("encounters", "sum"),
            months=("month", "nunique"),
            last_month=("month", "max"),
            source=("source", lambda s: " + ".join(dict.fromkeys(s))),
        )
        .reset_index()
    )
    table["partial"] = table["months"] < 12
    inner = table.iloc[1:-1] if len(table) > 2 else table.iloc[0:0]
    if inner["partial"].any():
        raise DataError(
            "combined encounters series",
            f"FY{inner.loc[inner['partial'], 'fy'].iloc[0]} lacks months",
            expected="every month between the first and last fiscal year",
        )
    return table


def publisher_overlap(sectors: pd.DataFrame, sbo: pd.DataFrame) -> pd.DataFrame:
    """Months both publishers report: OHSS (rounded) and CBP (unrounded) Southwest USBP counts, and the gap."""
    ohss = southwest_usbp_by_month(sectors).rename(columns={"encounters": "dhs_ohss"})
    cbp = sbo[sbo["component"] == "USBP"].groupby("month", as_index=False)["encounters"].sum()
    table = ohss.merge(cbp.rename(columns={"encounters": "cbp"}), on="month")
    return table.assign(difference=table["dhs_ohss"] - table["cbp"])


def annual_by_publisher(sectors: pd.DataFrame, sbo: pd.DataFrame) -> pd.DataFrame:
    """Southwest USBP encounters per fiscal year both publishers report in full: CBP's count, the sum
    of DHS OHSS's monthly counts (each rounded to 10), and the difference."""
    months = publisher_overlap(sectors, sbo)
    months = months.assign(fy=fiscal_year(months["month"]))
    years = months.groupby("fy").agg(months=("month", "nunique"), cbp=("cbp", "sum"), dhs_ohss=("dhs_ohss", "sum"))
    years = years[years["months"] == 12].drop(columns="months").reset_index()
    return years.assign(difference=years["dhs_ohss"] - years["cbp"])


def southwest_usbp_by_year(sectors: pd.DataFrame) -> pd.DataFrame:
    """Southwest Border Patrol encounters per fiscal year, with the number of months and a partial flag."""
    southwest = sectors[sectors["region"] == SOUTHWEST]
    return (
        southwest.groupby("fy")
        .agg(encounters=("encounters", "sum"), months=("month", "nunique"))
        .assign(partial=lambda t: t["months"] < 12)
        .reset_index()
    )


def southwest_usbp_by_month(sectors: pd.DataFrame) -> pd.DataFrame:
    """Southwest Border Patrol encounters per month."""
    southwest = sectors[sectors["region"] == SOUTHWEST]
    return southwest.groupby("month", as_index=False)["encounters"].sum()


def lowest_months(monthly: pd.DataFrame, count: int) -> pd.DataFrame:
    """The ``count`` months with the fewest encounters (ties broken by the earlier month)."""
    return monthly.sort_values(["encounters", "month"]).head(count).reset_index(drop=True)


MONTHLY_PDF = "us-border-patrol-monthly-encounters-fy2000-fy2020"
PDF_TOTAL_ROWS = ("Coastal Border", "Northern Border", "Southwest Border", "Monthly Total")
PDF_MONTHS = [
    "October",
    "November",
    "December",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
]


def _pdf_number(text: str | None, page: int, column: str) -> int:
    """A count as printed in the PDF (with thousands separators); anything else is a DataError."""
    cleaned = (text or "").replace(",", "").strip()
    if not cleaned.isdigit():
        raise DataError(f"CBP monthly encounters PDF, page {page}", f"not a count: {text!r}", column=column)
    return int(cleaned)


def load_cbp_monthly_pdf(path: Path | None = None) -> pd.DataFrame:
    """CBP's USBP monthly encounters by sector FY2000-FY2020, checked: the catalogued PDF (``MONTHLY_PDF``)
    unless ``path`` is given."""
    return _parse_cbp_monthly_pdf(path if path is not None else catalog.path(MONTHLY_PDF))


@parsed.kept  # pdfplumber takes seconds: the build keeps the parse by the file's sha256
def _parse_cbp_monthly_pdf(path: Path) -> pd.DataFrame:
    """CBP's USBP monthly encounters by sector FY2000-FY2020 (one PDF page per fiscal year), checked.

    Checks on every page: each row's months add up to its printed yearly total; the Southwest
    sectors add up to the printed 'Southwest Border' row; all sectors to 'Monthly Total'.
    """
    import pdfplumber

    records, not_reported = [], []
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            found = re.search(r"FY (\d{4})", page.extract_text() or "")
            tables = page.extract_tables()
            if not found or len(tables) != 1:
                raise DataError(
                    path, f"page {number}: expected one fiscal-year table", expected="a 'FY yyyy' title and one table"
                )
            fy = int(found.group(1))
            header, *rows = tables[0]
            if [h.strip() for h in header[1:13]] != PDF_MONTHS:
                raise DataError(
                    path, f"page {number}: month columns changed", column="SECTOR", expected=str(PDF_MONTHS)
                )
            totals = {}
            for row in rows:
                name = re.sub(r"\s*\(formerly [^)]*\)", "", (row[0] or "").replace("\n", " ")).strip().rstrip("*")
                if all((cell or "").strip() == "N/A" for cell in row[1:14]):
                    not_reported.append((fy, name))  # e.g. a closed sector: missing, not zero
                    continue
                counts = [_pdf_number(cell, number, month) for cell, month in zip(row[1:13], PDF_MONTHS, strict=True)]
                if sum(counts) != _pdf_number(row[13], number, "Yearly Total"):
                    raise DataError(
                        path,
                        f"page {number} (FY{fy}): {name}'s months do not add up to its yearly total",
                        column="Yearly Total",
                    )
                if name in PDF_TOTAL_ROWS:
                    totals[name] = counts
                    continue
                for month, count in zip(PDF_MONTHS, counts, strict=True):
                    records.append({"fy": fy, "month_abbr": MONTH_NAMES[month], "sector": name, "encounters": count})
            page_frame = pd.DataFrame([r for r in records if r["fy"] == fy])
            southwest = page_frame[page_frame["sector"].isin([s.split(",")[0] for s in SOUTHWEST_SECTORS])]
            for label, part in (("Southwest Border", southwest), ("Monthly Total", page_frame)):
                sums = (
                    part.groupby("month_abbr", sort=False)["encounters"]
                    .sum()
                    .reindex([MONTH_NAMES[m] for m in PDF_MONTHS])
                )
                if label not in totals or list(sums) != totals[label]:
                    raise DataError(
                        path,
                        f"page {number} (FY{fy}): sectors do not add up to the printed {label!r} row",
                        column=label,
                    )
    frame = pd.DataFrame(records)
    frame = frame.assign(month=fiscal_month_start(frame["fy"], frame["month_abbr"]))
    frame.attrs["not_reported"] = not_reported
    return frame


def compare_southwest_totals(pdf_frame: pd.DataFrame, sectors: pd.DataFrame) -> pd.DataFrame:
    """Southwest USBP encounters per fiscal year in CBP's PDF and in the DHS OHSS workbook, and the gap."""
    names = [s.split(",")[0] for s in SOUTHWEST_SECTORS]
    pdf_totals = pdf_frame[pdf_frame["sector"].isin(names)].groupby("fy")["encounters"].sum()
    ohss_totals = southwest_usbp_by_year(sectors).set_index("fy")["encounters"]
    table = pd.DataFrame({"cbp_pdf": pdf_totals, "dhs_ohss": ohss_totals.reindex(pdf_totals.index)}).reset_index()
    table["difference"] = table["dhs_ohss"] - table["cbp_pdf"]
    table["relative"] = table["difference"] / table["cbp_pdf"]
    return table
