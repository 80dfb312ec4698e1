"""Rerun with new data, on CBP's real vintages: the chain of ``make add-data`` a new user would run.

A copy of the project whose catalog lacks the nine real past vintages of ``../shared/data/vintages``
gets them back with ``make add-data`` (no flags), in the order an analyst meets them; the catalog it
writes must be the committed one, byte for byte, with one minor version bump. Its book is rebuilt
seeded from the session's execution (only what the last file touches runs). Then the attacks CBP
never made: a closed year rewritten, a file cut at a line, a file missing a month, each refused
with the file and the months or cells named, and nothing changed. The real files are read from the
shared folder, never committed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from analysis import config
from analysis.data import catalog, seizures, vintages
from analysis.metrics import ports
from conftest import run_build, seed_build

pytestmark = pytest.mark.slow
VINTAGES_DIR = config.PROJECT_ROOT.parent / "shared" / "data" / "vintages"
ORDER = (
    "sbo-encounters-fy19-fy22",
    "nationwide-encounters-fy21-fy24-oct-state",
    "nationwide-encounters-fy21-fy24-jan-state",
    "nationwide-encounters-fy21-fy24-may-state",
    "nationwide-encounters-fy21-fy24-state",
    "nationwide-encounters-fy22-fy25-state",
    "nationwide-encounters-fy23-fy26-nov-state",
    "nationwide-drugs-fy21-fy24",
    "sbo-encounters-fy22-fy25-nov",
)


def copy_project(target):
    """A copy of the project's source (no .venv, _build or raw data); raw files come from this checkout."""
    shutil.copytree(
        config.PROJECT_ROOT,
        target,
        ignore=shutil.ignore_patterns(".venv", "_build", "raw", ".git", "__pycache__", ".pytest_cache", ".hypothesis"),
    )
    return target


def run(project, *arguments, environment=None):
    """A command in the copy, with the raw files from this checkout (``environment``: the one to start
    from, this process's by default)."""
    env = dict(environment or os.environ, DATA_MIRROR=str(config.raw_dir()), RAW_DATA_DIR=str(project.parent / "raw"))
    env.pop("BOOK_BUILD_DIR", None)
    return subprocess.run([*arguments], cwd=project, env=env, capture_output=True, text=True, timeout=900)


def add_data(project, path, environment=None):
    """``make add-data FILE=...`` in the copy, with this interpreter (the virtualenv is not rebuilt)."""
    return run(
        project,
        "make",
        "-s",
        "-o",
        ".venv/.installed",
        "add-data",
        f"FILE={path}",
        f"PY={sys.executable}",
        environment=environment,
    )


def catalog_without(text, first_id):
    """The catalog as it was before ``first_id`` and the entries after it were appended by make add-data."""
    cut = text.index(f"\n- id: {first_id}\n")
    return text[: cut + 1]


def latest_release():
    lines = (config.PROJECT_ROOT / "releases" / "versions.csv").read_text().splitlines()
    return lines[-1].split(",")[0]


def with_version(citation, version):
    text = citation.read_text()
    citation.write_text(
        "\n".join(f"version: {version}" if line.startswith("version: ") else line for line in text.splitlines()) + "\n"
    )


def chain_inputs(root):
    """What ``add_real_vintages_and_rebuild`` takes from this process, read here (in the session's thread:
    tests change the environment while a background thread works): the directory to work in, the
    committed catalog, the release the copy starts from and the environment."""
    if not VINTAGES_DIR.is_dir():
        pytest.skip(f"no real vintages at {VINTAGES_DIR}")
    return {
        "root": root,
        "committed": config.CATALOG_FILE.read_bytes(),
        "release": latest_release(),
        "environment": dict(os.environ, DATA_MIRROR=str(config.raw_dir()), RAW_DATA_DIR=str(root / "raw")),
    }


def add_real_vintages_and_rebuild(inputs, executed_book):
    """The nine real vintages added with ``make add-data`` to a copy lacking them; its notebooks rebuilt
    (seeded from the session's execution) before and after the last one. ``inputs``: ``chain_inputs``."""
    root, environment = inputs["root"], inputs["environment"]
    environment.pop("BOOK_BUILD_DIR", None)
    project = copy_project(root / "project")
    (project / "data" / "catalog.yml").write_text(catalog_without(inputs["committed"].decode(), ORDER[0]))
    with_version(project / "CITATION.cff", inputs["release"])
    added = {name: add_data(project, VINTAGES_DIR / f"{name}.csv", environment) for name in ORDER[:-1]}
    build_dir = seed_build(root / "_build", executed_book["build_dir"])
    before_last = run_build(build_dir, "notebooks", "--only", "encounters", cwd=project, base_environment=environment)
    added[ORDER[-1]] = add_data(project, VINTAGES_DIR / f"{ORDER[-1]}.csv", environment)
    rebuilt = run_build(build_dir, "notebooks", cwd=project, base_environment=environment)
    return {
        "project": project,
        "committed": inputs["committed"],
        "added": added,
        "before_last": before_last,
        "rebuilt": rebuilt,
        "build_dir": build_dir,
        "session": executed_book["build_dir"],
    }


@pytest.fixture(scope="session")
def chain(tmp_path_factory, executed_book, background):
    """``add_real_vintages_and_rebuild`` once per session, started in the background at the session's
    first test (``conftest.BACKGROUND_WORK``) when the selected tests use it."""
    if "chain" in background:
        return background["chain"].result()
    return add_real_vintages_and_rebuild(chain_inputs(tmp_path_factory.mktemp("chain")), executed_book)


def test_the_nine_real_vintages_are_accepted_in_order_without_flags(chain):
    for name, result in chain["added"].items():
        assert result.returncode == 0, (name, result.stderr)
        assert "added cbp-" in result.stdout and "ACCEPTED" not in result.stdout
    said = {name: result.stdout for name, result in chain["added"].items()}
    assert "in-year revisions: FY2024 encounters: 102 cells in 1 month (Oct 2023), net -156" in said[ORDER[2]]
    assert (
        "in-year revisions: FY2024 encounters: 238 cells in 4 months (Oct 2023 - Jan 2024), net -114" in said[ORDER[3]]
    )
    assert (
        "in-year revisions: FY2024 encounters: 430 cells in 8 months (Oct 2023 - May 2024), net -299" in said[ORDER[4]]
    )
    assert "(36 months, Oct 2018 - Sep 2021)" in said[ORDER[0]]  # CBP's own FY2019-FY2021 Southwest counts


def test_the_chain_writes_the_committed_catalog_and_one_minor_version(chain):
    assert (chain["project"] / "data" / "catalog.yml").read_bytes() == chain["committed"]
    major, minor, _ = latest_release().split(".")
    assert f"\nversion: {major}.{int(minor) + 1}.0\n" in (chain["project"] / "CITATION.cff").read_text()
    assert "cff-version: 1.2.0" in (chain["project"] / "CITATION.cff").read_text()


def test_after_the_last_vintage_only_the_chapter_that_read_it_runs_again(chain):
    assert chain["before_last"].returncode == 0, chain["before_last"].stderr
    log = chain["rebuilt"].stdout + chain["rebuilt"].stderr
    assert chain["rebuilt"].returncode == 0, log
    reason = "encounters: runs: dataset cbp-encounters-component changed (new entry sbo-encounters-fy22-fy25-nov)"
    assert reason in log and log.count("executed in") == 1
    assert "ports: reused: nothing it depends on changed" in log and "checks: reused:" in log
    assert json.loads((chain["build_dir"] / "numbers.json").read_text()) == json.loads(
        (chain["session"] / "numbers.json").read_text()
    )


def test_cbp_published_totals_and_the_in_year_revisions_reach_the_book(chain):
    numbers = json.loads((chain["build_dir"] / "numbers.json").read_text())
    assert (numbers["encounters.nationwide.last_month"], numbers["encounters.nationwide.last_month_value"]) == (
        "November 2025",
        30_375,
    )  # CBP nationwide encounters, November 2025
    assert numbers["encounters.usbp_sw.fy2021"] == 1_659_206  # CBP, not DHS's rounded 1,659,250
    assert numbers["encounters.vintages.revised_cells"] == 792 and numbers["encounters.vintages.closed_cells"] == 0
    assert numbers["encounters.vintages.revised_years"] == "FY2024, FY2025"
    listed = (chain["session"] / "figure-data" / "vintage-revisions.csv").read_text().splitlines()
    assert len(listed) == 1 + 792
    assert (
        sum(
            ",nationwide-encounters-fy21-fy24-may-state.csv,nationwide-encounters-fy21-fy24-state.csv," in line
            for line in listed
        )
        == 430
    )
    appendix = (chain["session"] / "executed" / "chapters" / "revisions.ipynb").read_text()
    assert "nationwide-encounters-fy21-fy24-jan-state.csv" in appendix


def test_fy2024_port_shares_are_unchanged_by_the_late_fy21_fy24_seizure_file(real_data):
    entries = catalog.load_catalog()
    without = [e for e in entries if e["id"] != "nationwide-drugs-fy21-fy24"]
    shares = [
        ports.shares_by_year(
            vintages.load(seizures.NATIONWIDE, chosen).rows, ["Fentanyl", "Cocaine"], ["Southwest Border"]
        )
        for chosen in (entries, without)
    ]
    assert len(vintages.load(seizures.NATIONWIDE, entries).frames) == 4
    fy2024 = [table[table["fy"] == 2024].reset_index(drop=True) for table in shares]
    assert len(fy2024[0]) and fy2024[0].equals(fy2024[1])


# ---- the attacks: each refused with the file and what it lacks or changes named; nothing changes ----
# (made from CBP's newest Southwest component file, the smallest dataset, so that each check is quick)

ATTACKED = "sbo-encounters-fy22-fy25-aug"
ATTACK_NAME = "sbo-encounters-fy22-fy25-sep.csv"


def september(lines):
    """The August 2025 component file with September 2025 appended (a copy of August's rows)."""
    august = [line for line in lines if line.startswith("2025 (FYTD),FYTD,AUG,")]
    return lines + [line.replace(",AUG,", ",SEP,", 1) for line in august]


@pytest.fixture
def attack(chain, tmp_path):
    """Write an attack file, add it with make add-data in the chain's copy, check that nothing changed."""
    project = chain["project"]
    lines = catalog.path(ATTACKED).read_bytes().decode("utf-8").splitlines()

    def attempt(changed_lines):
        path = tmp_path / ATTACK_NAME
        path.write_text("\r\n".join(changed_lines) + "\r\n", encoding="utf-8")
        before = [(project / name).read_bytes() for name in ("data/catalog.yml", "CITATION.cff")]
        result = add_data(project, path)
        assert result.returncode != 0 and "REFUSED" in result.stderr and path.name in result.stderr
        assert [(project / name).read_bytes() for name in ("data/catalog.yml", "CITATION.cff")] == before
        return result.stderr

    return lines, attempt


def test_a_closed_year_cell_changed_is_refused_naming_the_cell(attack):
    lines, attempt = attack
    at = next(i for i, line in enumerate(lines) if line.startswith("2024,FYTD,MAR,U.S. Border Patrol,"))
    cells = lines[at].split(",")
    cells[-1] = str(int(cells[-1]) + 1)
    refused = attempt(september(lines[:at] + [",".join(cells)] + lines[at + 1 :]))
    assert "changes 1 cell of closed fiscal years (FY2024)" in refused
    cell = " / ".join(["USBP", *cells[4:8]])
    assert f"FY2024 Mar 2024 {cell}, encounters: {int(cells[-1]) - 1:,} in {ATTACKED}.csv, " in refused


def test_a_file_cut_at_a_line_boundary_is_refused_naming_the_months_it_lacks(attack):
    lines, attempt = attack
    whole = september(lines)
    refused = attempt(whole[: int(len(whole) * 0.69)])
    assert "looks truncated. Its name promises Oct 2021 - Sep 2025" in refused
    assert "Sep 2025: the book does not hold it either; the file: no rows" in refused
    assert "Aug 2025: the book holds encounters " in refused


def test_a_file_missing_a_promised_month_is_refused_naming_it(attack):
    lines, attempt = attack
    refused = attempt([line for line in september(lines) if not line.startswith("2025 (FYTD),FYTD,JUN,")])
    assert "lacks 1 of those months:\n    Jun 2025: the book holds encounters " in refused


def test_an_unknown_file_is_refused(chain, tmp_path):
    unknown = tmp_path / "something.csv"
    unknown.write_text("a,b\n1,2\n")
    result = run(chain["project"], sys.executable, "-m", "bookmachine.newdata", str(unknown))
    assert result.returncode == 1 and "not one of the files make add-data accepts" in result.stderr
