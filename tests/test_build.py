"""The pipeline end to end, without Sphinx: papermill runs, glue keys, numbers.json, manifest, failures.

The notebooks run once per session into a temporary _build (BOOK_BUILD_DIR); the HTML/PDF
rendering itself is exercised by `make book` in CI.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

import pytest

from analysis import config
from bookmachine import build

pytestmark = pytest.mark.slow
GLUE_REFERENCE = re.compile(r"\{glue:[a-z]+\}`(?:[\w/.-]+::)?([a-z0-9_.]+)(?::[^`]*)?`")


def run_build(tmp_path, *arguments, **environment):
    env = dict(os.environ, BOOK_BUILD_DIR=str(tmp_path / "_build"), **environment)
    return subprocess.run([sys.executable, "-m", "bookmachine.build", *arguments], cwd=config.PROJECT_ROOT,
                          env=env, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="session")
def default_build(tmp_path_factory, real_data):
    """Execute every chapter with params/default.yml into a temporary _build."""
    root = tmp_path_factory.mktemp("default")
    result = run_build(root, "notebooks", "--params", "params/default.yml")
    assert result.returncode == 0, result.stderr
    return root / "_build"


def test_numbers_json_has_the_fentanyl_port_shares(default_build):
    numbers = json.loads((default_build / "numbers.json").read_text())
    for fy in range(2019, 2026):
        assert 0 < numbers[f"ports.fentanyl.ofo_share.fy{fy}"] < 1
    assert numbers["ports.fentanyl.ofo_share.fy2023"] == pytest.approx(0.895, abs=0.0005)
    assert numbers["ports.fentanyl.ofo_share.fy2019"] == pytest.approx(0.919, abs=0.0005)
    assert "ports.fentanyl.ofo_share.fy2026" not in numbers  # a partial year never poses as a full one
    assert all(isinstance(v, (int, float, str)) for v in numbers.values())


def test_every_glue_reference_in_the_chapters_exists(default_build):
    numbers = json.loads((default_build / "numbers.json").read_text())
    referenced = set()
    for page in config.CHAPTERS_DIR.glob("*.md"):
        referenced |= set(GLUE_REFERENCE.findall(page.read_text()))
    assert referenced, "the chapters glue no numbers"
    assert sorted(referenced - set(numbers)) == []


def test_staged_book_has_pages_parameters_and_reproducibility(default_build):
    staged = default_build / "src"
    assert (staged / "chapters" / "ports.ipynb").exists() and (staged / "_config.yml").exists()
    notebook = json.loads((staged / "chapters" / "ports.ipynb").read_text())
    injected = [c for c in notebook["cells"] if "injected-parameters" in c["metadata"].get("tags", [])]
    assert injected and "remove-cell" in injected[0]["metadata"]["tags"]
    page = (staged / "chapters" / "reproducibility.md").read_text()
    numbers = json.loads((default_build / "numbers.json").read_text())
    assert all(f"`{key}`" in page for key in numbers)
    assert "nationwide-drugs-fy23-fy26-dec.csv" in page and "drugs=" in page


def test_manifest_records_version_inputs_and_parameters(default_build, tmp_path, monkeypatch):
    monkeypatch.setattr(build, "HTML_DIR", tmp_path)
    monkeypatch.setattr(build, "NUMBERS_FILE", default_build / "numbers.json")
    state = {"version": "0.1.0 (test)", "params_file": config.PARAMS_DIR / "default.yml",
             "runs": build.load_runs(config.PARAMS_DIR / "default.yml"),
             "inputs": [{"id": "x", "file": "x.csv", "sha256": "0" * 64, "bytes": 1}]}
    manifest = json.loads(build.write_manifest(state, ["html"]).read_text())
    assert manifest["version"] == "0.1.0 (test)"
    assert manifest["parameters"]["ports"]["parameters"]["first_fy"] == 2019
    assert manifest["raw_inputs"][0]["sha256"] == "0" * 64
    assert manifest["packages"]["pandas"] and manifest["python"]


def test_second_run_reuses_cached_notebooks(default_build):
    result = run_build(default_build.parent, "notebooks", "--params", "params/default.yml")
    assert result.returncode == 0, result.stderr
    assert "unchanged, cached result reused" in result.stdout


def test_other_parameters_render_the_same_chapter_differently(tmp_path, real_data):
    result = run_build(tmp_path, "notebooks", "--params", "params/ports-since-fy2022.yml")
    assert result.returncode == 0, result.stderr
    numbers = json.loads((tmp_path / "_build" / "numbers.json").read_text())
    assert "ports.fentanyl.ofo_share_northern_border.fy2023" in numbers
    assert "ports.cocaine.ofo_share.fy2023" not in numbers
    notebook = (tmp_path / "_build" / "executed" / "chapters" / "ports.ipynb").read_text()
    assert "Methamphetamine" in notebook and "first_fy = 2022" in notebook


def test_corrupted_raw_file_stops_the_build_naming_it(tmp_path, real_data):
    mirror = tmp_path / "mirror"
    shutil.copytree(config.raw_dir(), mirror)
    victim = mirror / "cbp-drug-seizures" / "nationwide-drugs-fy20-fy23.csv"
    victim.write_bytes(victim.read_bytes().replace(b"2020,APR", b"2020,MAY", 1))
    result = run_build(tmp_path, "notebooks", DATA_MIRROR=str(mirror), RAW_DATA_DIR=str(tmp_path / "raw"))
    assert result.returncode == 1
    assert "nationwide-drugs-fy20-fy23.csv" in result.stderr and "sha256 mismatch" in result.stderr
    assert not (tmp_path / "_build" / "numbers.json").exists()


def test_missing_raw_file_stops_the_build_naming_it(tmp_path, real_data):
    mirror = tmp_path / "mirror"
    shutil.copytree(config.raw_dir(), mirror)
    (mirror / "ondcp" / "ndcs-data-supplement-2020-february.xlsx").unlink()
    result = run_build(tmp_path, "notebooks", DATA_MIRROR=str(mirror), RAW_DATA_DIR=str(tmp_path / "raw"))
    assert result.returncode == 1
    assert "ndcs-data-supplement-2020-february.xlsx" in result.stderr and "missing" in result.stderr


def test_budget_scenarios_render_as_separate_pages_with_their_parameters(default_build):
    executed = default_build / "executed" / "chapters"
    document = (executed / "budget_document.ipynb").read_text()
    latest = (executed / "budget_latest.ipynb").read_text()
    assert "start_demand_share = 0.43" in document and "'document'" in document
    assert "start_demand_share = \\\"latest\\\"" in latest or "start_demand_share = 'latest'" in latest
    assert not (executed / "budget_scenario.ipynb").exists()
    numbers = json.loads((default_build / "numbers.json").read_text())
    assert numbers["budget.rebalance.extra_per_year.document"] == pytest.approx(44.5 * 0.17)
    assert numbers["budget.rebalance.start_share.latest"] == numbers["budget.latest.demand_share"]
