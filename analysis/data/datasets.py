"""The datasets CBP and DHS reissue, in one place: a chapter asks for one by name and gets every vintage.

``load("cbp-encounters-component")`` reads every catalog entry of that dataset (oldest vintage
first), combines them month by month with the newest vintage winning (``analysis.data.vintages``),
and returns the combined rows with the report of cells each newer vintage revised. ``make
add-data`` recognizes and checks new files through the same list.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.data import catalog, encounters, seizures, vintages
from analysis.errors import DataError

_MON = r"(-(?P<month>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))?"

REISSUED = {spec.dataset: spec for spec in (
    vintages.Reissued(
        "cbp-drug-seizures", "CBP Nationwide Drug Seizures", "cbp-drug-seizures",
        rf"^nationwide-drugs-fy(?P<first_fy>\d{{2}})-fy(?P<last_fy>\d{{2}}){_MON}\.csv$",
        seizures.read_seizure_file, key=tuple(seizures.KEY) + ("month",), values=("events", "pounds"),
        header=tuple(seizures.COLUMNS), read_in=("seizures.load_seizures(",)),
    vintages.Reissued(
        "cbp-encounters-component", "CBP Southwest Land Border Encounters by component", "cbp-encounters",
        rf"^sbo-encounters-fy(?P<first_fy>\d{{2}})-fy(?P<last_fy>\d{{2}}){_MON}\.csv$",
        encounters.load_sbo, key=("month", "component", "demographic", "citizenship_grouping",
                                  "title_of_authority", "encounter_type"),
        values=("encounters",), header=tuple(encounters.SBO_COLUMNS)),
    vintages.Reissued(
        "cbp-encounters-state", "CBP Nationwide Encounters by state", "cbp-encounters",
        rf"^nationwide-encounters-fy(?P<first_fy>\d{{2}})-fy(?P<last_fy>\d{{2}}){_MON}-state\.csv$",
        encounters.load_nationwide_state, key=("month", "land_border_region", "state", "demographic",
                                               "citizenship", "title_of_authority"),
        values=("encounters",), header=tuple(encounters.STATE_COLUMNS)),
    vintages.Reissued(
        "dhs-ohss-usbp-encounters", "DHS OHSS Key Homeland Security Metrics, USBP encounters", "cbp-encounters",
        r"^ohss-khsm-encounters-usbp-fy(?P<last_fy>\d{2})m(?P<month_number>\d{2})\.xlsx$",
        encounters.load_ohss_sectors, key=("month", "region", "sector"), values=("encounters",),
        sheets=(encounters.OHSS_SECTOR_SHEET, encounters.OHSS_REGION_SHEET, encounters.OHSS_ANNUAL_REGION_SHEET)),
)}


@dataclass
class Combined:
    """A dataset's vintages combined: rows, the vintages themselves, what each supplied and revised."""
    spec: vintages.Reissued
    entries: list
    frames: list
    rows: pd.DataFrame

    @property
    def revisions(self) -> pd.DataFrame:
        """Cells each newer vintage changed (old and new values, both files)."""
        return vintages.revised_cells(self.frames, self.spec.key, self.spec.values)

    @property
    def supplied(self) -> pd.DataFrame:
        """Months each vintage holds and how many the combined series takes from it."""
        return vintages.months_by_vintage(self.frames, self.rows)

    @property
    def source(self) -> str:
        """A source line naming the publisher's title and every vintage used."""
        used = [f for f in self.supplied.query("months_used > 0")["file"]]
        return f"{self.spec.title}, vintages {', '.join(used)}"


def entries(dataset: str, catalog_entries: list[dict] | None = None) -> list[dict]:
    """Catalog entries of a reissued dataset, oldest vintage first (each must state its vintage)."""
    spec = REISSUED[dataset]
    found = [e for e in catalog.entries_for(dataset, catalog_entries) if spec.matches(Path(e["file"]).name)]
    undated = [e["id"] for e in found if not e.get("vintage")]
    if undated:
        raise DataError("data/catalog.yml", f"entry {undated[0]!r} has no vintage",
                        expected="vintage: YYYY-MM, the last month the file covers")
    if not found:
        raise DataError("data/catalog.yml", f"no entry of dataset {dataset!r}")
    return sorted(found, key=lambda e: e["vintage"])


def read_vintage(spec: vintages.Reissued, path: Path) -> pd.DataFrame:
    """One vintage file read by its dataset's reader, each row labelled with the file name."""
    return spec.read(path).assign(source_file=path.name)


def load(dataset: str, catalog_entries: list[dict] | None = None) -> Combined:
    """Every catalogued vintage of a dataset, verified, read and combined (newest wins per month)."""
    if dataset not in REISSUED:
        raise DataError("analysis/data/datasets.py", f"unknown dataset {dataset!r}", expected=f"one of {sorted(REISSUED)}")
    spec = REISSUED[dataset]
    items = entries(dataset, catalog_entries)
    frames = [read_vintage(spec, catalog.path(item["id"])) for item in items]
    rows = vintages.combine(frames, spec.values)
    if "fy" in rows:
        rows = rows.assign(partial_fy=vintages.partial_fiscal_years(rows))
    return Combined(spec, items, frames, rows.sort_values(list(spec.key), ignore_index=True))


def chapters_reading(spec: vintages.Reissued, chapters_dir: Path) -> list[str]:
    """Chapters whose code asks for this dataset by name (or through the loader listed in ``read_in``)."""
    needles = (f'"{spec.dataset}"', f"'{spec.dataset}'") + spec.read_in
    return sorted(path.stem for path in chapters_dir.glob("*.md")
                  if any(needle in path.read_text(encoding="utf-8") for needle in needles))
