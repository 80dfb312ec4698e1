"""Rerun with new data: add a newer vintage, rebuild, and see exactly what changed.

Runs in a copy of the project (so the real catalog is never touched), with the verified raw files
of this checkout as the mirror.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

import pytest

from analysis import catalog, config

pytestmark = pytest.mark.slow
DECEMBER = "nationwide-drugs-fy23-fy26-dec"


@pytest.fixture
def project(tmp_path, real_data):
    """A copy of the project's source (no .venv, _build or raw data), sharing this checkout's verified files."""
    copy = tmp_path / "project"
    shutil.copytree(config.PROJECT_ROOT, copy, ignore=shutil.ignore_patterns(
        ".venv", "_build", "raw", ".git", "__pycache__", ".pytest_cache", ".hypothesis"))
    return copy


def run(project, *arguments):
    env = dict(os.environ, DATA_MIRROR=str(config.raw_dir()), RAW_DATA_DIR=str(project / "data" / "raw"))
    env.pop("BOOK_BUILD_DIR", None)
    return subprocess.run([sys.executable, *arguments], cwd=project, env=env, capture_output=True, text=True, timeout=900)


def newer_vintage(path):
    """The December 2025 file with January 2026 appended (a copy of December) and one FY2025 cell revised."""
    lines = catalog.path(DECEMBER).read_bytes().decode("utf-8").splitlines()
    january = [line.replace("2026 (FYTD),DEC,", "2026 (FYTD),JAN,") for line in lines if line.startswith("2026 (FYTD),DEC,")]
    revised_at = next(i for i, line in enumerate(lines) if line.startswith("2025,MAR,Office of Field Operations")
                      and ",Fentanyl," in line)
    cells = lines[revised_at].split(",")
    cells[-1] = str(round(float(cells[-1]) * 1.5, 6))
    lines[revised_at] = ",".join(cells)
    path.write_text("\r\n".join(lines + january) + "\r\n", encoding="utf-8")
    return path


def test_adding_a_newer_vintage_shows_the_new_month_the_revision_and_what_changed(project, tmp_path):
    before = run(project, "-m", "bookmachine.build", "notebooks", "--only", "ports")
    assert before.returncode == 0, before.stderr
    old_numbers = json.loads((project / "_build" / "numbers.json").read_text())
    (project / "releases").mkdir(exist_ok=True)
    shutil.copyfile(project / "_build" / "numbers.json", project / "releases" / "numbers-0.1.0.json")

    added = run(project, "-m", "bookmachine.newdata", str(newer_vintage(tmp_path / "nationwide-drugs-fy23-fy26-jan.csv")))
    assert added.returncode == 0, added.stderr
    assert "version: 0.2.0" in (project / "CITATION.cff").read_text()
    assert "nationwide-drugs-fy23-fy26-jan" in (project / "data" / "catalog.yml").read_text()

    after = run(project, "-m", "bookmachine.build", "notebooks", "--only", "ports")
    assert after.returncode == 0, after.stderr
    new_numbers = json.loads((project / "_build" / "numbers.json").read_text())
    assert new_numbers["ports.latest_month"] == "January 2026"
    assert new_numbers["ports.vintages.revised_cells"] == 1
    assert "Revised in" in (project / "_build" / "executed" / "chapters" / "ports.ipynb").read_text()

    page = (project / "_build" / "src" / "chapters" / "changes.md").read_text()
    listed = set(re.findall(r"^\| `([a-z0-9_.]+)` \|", page, flags=re.MULTILINE))
    moved = {key for key in set(old_numbers) & set(new_numbers) if old_numbers[key] != new_numbers[key]}
    assert moved and listed == moved
    assert "compared with release 0.1.0" in page


def test_a_file_with_a_renamed_column_is_refused_and_the_catalog_is_unchanged(project, tmp_path):
    catalog_before = (project / "data" / "catalog.yml").read_bytes()
    text = catalog.path(DECEMBER).read_bytes().decode("utf-8").replace("Sum Qty (lbs)", "Sum Qty (kg)", 1)
    bad = tmp_path / "nationwide-drugs-fy23-fy26-jan.csv"
    bad.write_text(text, encoding="utf-8")
    result = run(project, "-m", "bookmachine.newdata", str(bad))
    assert result.returncode == 1
    assert "'Sum Qty (lbs)'" in result.stderr and "REFUSED" in result.stderr
    assert (project / "data" / "catalog.yml").read_bytes() == catalog_before
    assert "version: 0.1.0" in (project / "CITATION.cff").read_text()


def test_an_unknown_file_is_refused(project, tmp_path):
    unknown = tmp_path / "something.csv"
    unknown.write_text("a,b\n1,2\n")
    result = run(project, "-m", "bookmachine.newdata", str(unknown))
    assert result.returncode == 1 and "not recognized" in result.stderr
