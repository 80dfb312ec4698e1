"""Rerun with new data: add a newer vintage of each reissued dataset, rebuild, and see exactly what changed.

Runs in copies of the project (so the real catalog is never touched), with the verified raw files
of this checkout as the mirror. The newer vintages are made here from the real files (never
committed): a new month appended, and one recent cell revised. To stay fast, one copy and one
execution per affected chapter is shared by a module's tests.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

import openpyxl
import pandas as pd
import pytest

from analysis import config
from analysis.data import catalog, encounters, ondcp
from bookmachine import newdata, version
from conftest import seed_build

pytestmark = pytest.mark.slow
DECEMBER = "nationwide-drugs-fy23-fy26-dec"


def copy_project(target):
    """A copy of the project's source (no .venv, _build or raw data); raw files come from this checkout."""
    shutil.copytree(config.PROJECT_ROOT, target, ignore=shutil.ignore_patterns(
        ".venv", "_build", "raw", ".git", "__pycache__", ".pytest_cache", ".hypothesis", "releases"))
    return target


def run(project, *arguments):
    env = dict(os.environ, DATA_MIRROR=str(config.raw_dir()), RAW_DATA_DIR=str(project / "data" / "raw"))
    env.pop("BOOK_BUILD_DIR", None)
    return subprocess.run([*arguments], cwd=project, env=env, capture_output=True, text=True, timeout=900)


def python(project, *arguments):
    return run(project, sys.executable, *arguments)


def add_data(project, path, accept=False):
    """``make add-data FILE=...`` in the copy, with this interpreter (the virtualenv is not rebuilt)."""
    extra = ["ACCEPT_REVISIONS=1"] if accept else []
    return run(project, "make", "-s", "-o", ".venv/.installed", "add-data", f"FILE={path}", f"PY={sys.executable}", *extra)


def numbers(project):
    return json.loads((project / "_build" / "numbers.json").read_text())


def lines_of(file_id):
    return catalog.path(file_id).read_bytes().decode("utf-8-sig").splitlines()


def revise_first(lines, prefix, contains, delta):
    """Add ``delta`` to the last cell (the count) of the first line starting with ``prefix`` and holding ``contains``."""
    at = next(i for i, line in enumerate(lines) if line.startswith(prefix) and contains in line)
    cells = lines[at].split(",")
    cells[-1] = str(int(cells[-1]) + delta) if delta == int(delta) and cells[-1].isdigit() else str(float(cells[-1]) + delta)
    return lines[:at] + [",".join(cells)] + lines[at + 1:]


def seizure_vintage(path):
    """The December 2025 file with January 2026 appended (a copy of December) and one November 2025 cell revised."""
    lines = lines_of(DECEMBER)
    january = [line.replace("2026 (FYTD),DEC,", "2026 (FYTD),JAN,") for line in lines if line.startswith("2026 (FYTD),DEC,")]
    lines = revise_first(lines, "2026 (FYTD),NOV,Office of Field Operations", ",Fentanyl,", 10.5)
    path.write_text("\r\n".join(lines + january) + "\r\n", encoding="utf-8")
    return path


def sbo_vintage(path):
    """Component file through October 2025: September and October appended (copies of August), July revised."""
    lines = lines_of("sbo-encounters-fy22-fy25-aug")
    august = [line for line in lines if line.startswith("2025 (FYTD),FYTD,AUG,")]
    september = [line.replace(",AUG,", ",SEP,", 1) for line in august]
    october = [line.replace("2025 (FYTD),FYTD,AUG,", "2026 (FYTD),FYTD,OCT,", 1) for line in august]
    lines = revise_first(lines, "2025 (FYTD),FYTD,JUL,U.S. Border Patrol", "", 5)
    path.write_text("\n".join(lines + september + october) + "\n", encoding="utf-8")
    return path


def state_vintage(path):
    """State file through October 2023 (FY2024 started: a copy of September 2023), August 2023 revised."""
    lines = lines_of("nationwide-encounters-fy20-fy23-state")
    september = [line for line in lines if re.match(r"^2023,[A-Za-z]+,SEP,", line)]
    october = [re.sub(r"^2023,[A-Za-z]+,SEP,", "2024 (FYTD),FYTD,OCT,", line) for line in september]
    lines = revise_first(lines, "2023,", ",AUG,", 3)
    path.write_text("\n".join(lines + october) + "\n", encoding="utf-8")
    return path


def ohss_vintage(path):
    """The DHS workbook's three sheets the book reads, through December 2024 (a copy of November), with
    October 2024 Yuma (and so the Southwest region) revised by +10. Written in openpyxl's fast write-only mode."""
    source = catalog.path("ohss-khsm-encounters-usbp-fy25m11")
    workbook = openpyxl.Workbook(write_only=True)
    for sheet_name in (encounters.OHSS_SECTOR_SHEET, encounters.OHSS_REGION_SHEET, encounters.OHSS_ANNUAL_REGION_SHEET):
        header, *rows = [list(row) for row in ondcp.read_sheet_rows(source, sheet_name)]
        names = [str(cell).replace("\n", " ").strip() for cell in header]
        sheet = workbook.create_sheet(sheet_name)
        sheet.append(header)
        if "Month" not in names:
            for row in rows:
                sheet.append(row)
            continue
        year, month, quantity = names.index("Fiscal Year"), names.index("Month"), names.index("Quantity")
        for row in rows:
            if row[year] == 2025 and str(row[month]).endswith("October") and (
                    "Yuma" in str(row) or (sheet_name == encounters.OHSS_REGION_SHEET and encounters.SOUTHWEST in str(row))):
                row[quantity] += 10
            sheet.append(row)
        for row in rows:
            if row[year] == 2025 and str(row[month]).endswith("November"):
                sheet.append(row[:month] + ["03 December"] + row[month + 1:])
    workbook.save(path)
    return path


# ---- one copy: ports executed and released as 0.1.0, four vintages added, ports and encounters rebuilt ----

@pytest.fixture(scope="module")
def book(tmp_path_factory, executed_book):
    root = tmp_path_factory.mktemp("newdata")
    project = copy_project(root / "project")
    seed_build(project / "_build", executed_book["build_dir"])  # ports is reused, not executed again
    before = python(project, "-m", "bookmachine.build", "notebooks", "--only", "ports")
    assert before.returncode == 0, before.stderr
    (project / "releases").mkdir(exist_ok=True)
    shutil.copyfile(project / "_build" / "numbers.json", project / "releases" / "numbers-0.1.0.json")
    files = {"seizures": seizure_vintage(root / "nationwide-drugs-fy23-fy26-jan.csv"),
             "sbo": sbo_vintage(root / "sbo-encounters-fy22-fy26-oct.csv"),
             "state": state_vintage(root / "nationwide-encounters-fy20-fy24-oct-state.csv"),
             "ohss": ohss_vintage(root / "ohss-khsm-encounters-usbp-fy25m12.xlsx")}
    added = {name: add_data(project, path) for name, path in files.items()}
    built = python(project, "-m", "bookmachine.build", "notebooks", "--only", "ports", "encounters", "--jobs", "2")
    executed = project / "_build" / "executed" / "chapters"
    return {"project": project, "before": numbers_from(project / "releases" / "numbers-0.1.0.json"),
            "files": files, "added": added, "built": built,
            "notebook": (executed / "encounters.ipynb").read_text() if built.returncode == 0 else "",
            "ports": (executed / "ports.ipynb").read_text() if built.returncode == 0 else ""}


def numbers_from(path):
    return json.loads(path.read_text())


def test_each_vintage_is_added_with_make_add_data_and_the_chapters_rebuild(book):
    for name, result in book["added"].items():
        assert result.returncode == 0, (name, result.stderr)
        assert "read by: " in result.stdout
    assert book["built"].returncode == 0, book["built"].stderr
    major, minor, _ = version.cff_version().split(".")
    citation = (book["project"] / "CITATION.cff").read_text()
    assert f"\nversion: {major}.{int(minor) + 4}.0\n" in citation    # one minor bump per added vintage
    assert "cff-version: 1.2.0" in citation                             # the schema version is never bumped
    listed = (book["project"] / "data" / "catalog.yml").read_text()
    assert all(path.stem in listed for path in book["files"].values())


def test_a_newer_seizure_vintage_moves_the_numbers_and_its_revision_is_reported(book):
    new_numbers = numbers(book["project"])
    assert book["before"]["ports.latest_month"] == "December 2025"
    assert new_numbers["ports.latest_month"] == "January 2026"
    assert new_numbers["ports.vintages.revised_cells"] == book["before"]["ports.vintages.revised_cells"] + 1
    assert "Revised in" in book["ports"] and "nationwide-drugs-fy23-fy26-jan.csv" in book["ports"]


def test_the_what_changed_page_lists_exactly_the_numbers_that_moved(book):
    page = (book["project"] / "_build" / "src" / "chapters" / "changes.md").read_text()
    listed = set(re.findall(r"^\* - `([a-z0-9_.]+)`$", page, flags=re.MULTILINE))
    old, new = book["before"], numbers(book["project"])
    moved = {key for key in set(old) & set(new) if old[key] != new[key]}
    assert moved and listed == moved
    assert "compared with release 0.1.0" in page
    assert "Revisions accepted beyond the usual pattern" in page


def test_component_vintage_completes_fy2025_starts_fy2026_and_moves_the_low(book):
    got = numbers(book["project"])
    sbo = encounters.load_sbo(book["files"]["sbo"])
    usbp = sbo[sbo["component"] == "USBP"]
    assert got["encounters.usbp_sw.fy2025"] == int(usbp.loc[usbp["fy"] == 2025, "encounters"].sum())
    assert got["encounters.usbp_sw.last_full_fy"] == 2025
    assert got["encounters.usbp_sw.partial_fy"] == 2026 and got["encounters.usbp_sw.partial_fy_months"] == 1
    assert got["encounters.usbp_sw.partial_fy_through"] == "October 2025"
    monthly = usbp.groupby("month")["encounters"].sum()
    assert got["encounters.monthly_min.value"] == int(monthly.min())
    assert got["encounters.monthly_min.month"] == f"{monthly.idxmin():%B %Y}"
    assert "sbo-encounters-fy22-fy26-oct.csv" in book["notebook"]


def test_state_vintage_extends_the_nationwide_series(book):
    got = numbers(book["project"])
    state = encounters.load_nationwide_state(book["files"]["state"])
    assert got["encounters.nationwide.last_month"] == "October 2023"
    assert got["encounters.nationwide.last_month_value"] == int(state.loc[state["month"] == pd.Timestamp("2023-10-01"),
                                                                          "encounters"].sum())


def test_ohss_vintage_extends_the_workbook_months(book):
    got = numbers(book["project"])
    assert got["encounters.ohss.last_month"] == "December 2024"


def outputs(notebook_text):
    """The text of every output of an executed notebook."""
    cells = json.loads(notebook_text)["cells"]
    return "\n".join("".join(output.get("data", {}).get("text/markdown", output.get("data", {}).get("text/plain", "")))
                     for cell in cells for output in cell.get("outputs", []))


def test_the_revision_report_lists_each_revised_cell(book):
    got = numbers(book["project"])
    assert got["encounters.vintages.revised_cells"] == 3      # one cell revised in each of the three vintages
    shown = outputs(book["notebook"])
    revised = re.findall(r"\* - ([^\n]+)\n  - (\w{3} \d{4})\n  - ([^\n]+)\n  - (\d+)\n  - (\d+)\n  - ([^\n]+)", shown)
    assert {(month, int(after) - int(before), file) for _, month, _, before, after, file in revised} == {
        ("Jul 2025", 5, book["files"]["sbo"].name), ("Aug 2023", 3, book["files"]["state"].name),
        ("Oct 2024", 10, book["files"]["ohss"].name)}


# ---- refusals leave the catalog untouched ----

@pytest.fixture(scope="module")
def refusal_project(tmp_path_factory, real_data):
    return copy_project(tmp_path_factory.mktemp("refusals") / "project")


def test_a_file_with_a_renamed_column_is_refused_and_the_catalog_is_unchanged(refusal_project, tmp_path):
    catalog_before = (refusal_project / "data" / "catalog.yml").read_bytes()
    text = catalog.path(DECEMBER).read_bytes().decode("utf-8").replace("Sum Qty (lbs)", "Sum Qty (kg)", 1)
    bad = tmp_path / "nationwide-drugs-fy23-fy26-jan.csv"
    bad.write_text(text, encoding="utf-8")
    result = add_data(refusal_project, bad)
    assert result.returncode != 0
    assert "'Sum Qty (lbs)'" in result.stderr and "REFUSED" in result.stderr
    assert (refusal_project / "data" / "catalog.yml").read_bytes() == catalog_before
    assert (refusal_project / "CITATION.cff").read_bytes() == (config.PROJECT_ROOT / "CITATION.cff").read_bytes()


def test_a_line_truncated_vintage_is_refused_naming_its_missing_months(refusal_project, tmp_path):
    catalog_before = (refusal_project / "data" / "catalog.yml").read_bytes()
    lines = seizure_vintage(tmp_path / "whole.csv").read_text(encoding="utf-8").splitlines()
    cut = tmp_path / "nationwide-drugs-fy23-fy26-jan.csv"
    cut.write_text("\n".join(lines[: int(len(lines) * 0.69)]) + "\n", encoding="utf-8")
    result = add_data(refusal_project, cut)
    assert result.returncode != 0 and "REFUSED" in result.stderr and "lacks" in result.stderr
    assert "Jan 2026: old not held, new: no rows" in result.stderr
    assert (refusal_project / "data" / "catalog.yml").read_bytes() == catalog_before


def test_an_unknown_file_is_refused(refusal_project, tmp_path):
    unknown = tmp_path / "something.csv"
    unknown.write_text("a,b\n1,2\n")
    result = python(refusal_project, "-m", "bookmachine.newdata", str(unknown))
    assert result.returncode == 1 and "not recognized" in result.stderr


def test_a_file_whose_dataset_no_chapter_reads_is_refused(refusal_project, tmp_path):
    """In a copy whose encounters chapter no longer reads the state file, a newer state vintage changes nothing."""
    chapter = refusal_project / "chapters" / "encounters.md"
    original = chapter.read_text(encoding="utf-8")
    chapter.write_text(original.replace('datasets.load("cbp-encounters-state")', "None"), encoding="utf-8")
    try:
        result = add_data(refusal_project, state_vintage(tmp_path / "nationwide-encounters-fy20-fy24-oct-state.csv"))
    finally:
        chapter.write_text(original, encoding="utf-8")
    assert result.returncode != 0 and "no chapter reads dataset 'cbp-encounters-state'" in result.stderr


def test_the_version_bump_changes_only_the_version_line(tmp_path):
    citation = tmp_path / "CITATION.cff"
    citation.write_text("cff-version: 1.2.0\nversion: 1.1.0\ndate-released: 2026-01-01\n")
    assert newdata.bump_minor_version(citation) == "1.2.0"
    assert newdata.bump_minor_version(citation) == "1.3.0"
    assert citation.read_text().splitlines()[:2] == ["cff-version: 1.2.0", "version: 1.3.0"]
