"""The pipeline end to end, without Sphinx: papermill runs, glue keys, numbers.json, manifest, failures,
what a rebuild re-runs and why, parallel against serial execution.

The notebooks run once per session (the ``executed_book`` fixture in conftest.py); other builds are
seeded from it and re-execute only what their change touches. The HTML/PDF rendering itself is
exercised by test_html.py and by `make book` in CI.
"""

from __future__ import annotations

import json
import re
import shutil

import pandas as pd
import pytest

from analysis import config
from bookmachine import execute, plan, release
from conftest import run_build, seed_build

pytestmark = pytest.mark.slow
GLUE_REFERENCE = re.compile(r"\{glue:[a-z]+\}`(?:[\w/.-]+::)?([a-z0-9_.]+)(?::[^`]*)?`")


@pytest.fixture(scope="session")
def default_build(executed_book):
    return executed_book["build_dir"]


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
    assert "book-numbers.csv" in page and "book-inputs.csv" in page  # the page lists the downloads ...
    downloads = staged / "_static" / "data"
    numbers = json.loads((default_build / "numbers.json").read_text())
    listed = pd.read_csv(downloads / "book-numbers.csv", dtype=str, keep_default_na=False)
    assert list(listed["key"]) == list(numbers)  # ... which hold every number
    assert json.loads((downloads / "numbers.json").read_text()) == numbers
    assert "nationwide-drugs-fy23-fy26-dec.csv" in (downloads / "book-inputs.csv").read_text()
    parameters = pd.read_csv(downloads / "book-parameters.csv", dtype=str, keep_default_na=False)
    assert "drugs" in set(parameters.loc[parameters["page"] == "ports", "parameter"])


def test_each_download_belongs_to_one_page_and_the_data_page_lists_it(default_build):
    """A download's name is its address: one page saves and links it (two pages saving one name would
    overwrite each other's file), and the Data page's own CSV lists every file with its units and source."""
    from bookmachine import reuse

    executed = {path.stem: path for path in (default_build / "executed" / "chapters").glob("*.ipynb")}
    pages: dict[str, set[str]] = {}
    for page, notebook in executed.items():
        for name in reuse.LINKED_DOWNLOAD.findall(notebook.read_text(encoding="utf-8")):
            pages.setdefault(name, set()).add(page)
    assert {name: found for name, found in pages.items() if len(found) > 1} == {}
    assert {"ports-parameters", "ports-inputs", "ports-claims", "state-panel-claims", "correlation-tests"} <= set(pages)
    index = pd.read_csv(default_build / "src" / "_static" / "data" / "book-downloads.csv", keep_default_na=False)
    assert set(pages) | {"book-numbers", "book-data-sources", "book-downloads"} <= set(index["name"])
    assert index["name"].is_unique and (index["units"].str.len() > 3).all() and (index["source"].str.len() > 3).all()


def test_no_executed_output_shows_an_object_address(default_build):
    """An object without a text form prints as '<... at 0x7f...>' in the PDF, and its address changes every run."""
    shown = []
    for path in sorted((default_build / "executed" / "chapters").glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            for output in cell.get("outputs", []):
                texts = [output.get("text", ""), *output.get("data", {}).values()]
                shown += [path.stem for text in texts if " at 0x" in "".join(text) if isinstance(text, (str, list))]
    assert shown == []


def test_each_builder_reads_a_staged_source_without_the_other_formats_blocks(default_build):
    html = (default_build / "src" / "chapters" / "data.md").read_text()  # the Data page has a block for each
    latex = (default_build / "pdflatex" / "src" / "chapters" / "data.md").read_text()
    assert "````{only} html" in html and "{only} latex" not in html
    assert "````{only} latex" in latex and "{only} html" not in latex
    for name in ("chapters/ports.ipynb", "_config.yml", "_toc.yml", "_static/vega-bundle.js"):
        assert (default_build / "src" / name).read_bytes() == (default_build / "pdflatex" / "src" / name).read_bytes()


def test_manifest_records_version_inputs_and_parameters(default_build, tmp_path, monkeypatch):
    monkeypatch.setattr(release, "HTML_DIR", tmp_path)
    monkeypatch.setattr(release, "NUMBERS_FILE", default_build / "numbers.json")
    state = {
        "version": "0.1.0 (test)",
        "params_file": config.PARAMS_DIR / "default.yml",
        "runs": plan.load_runs(config.PARAMS_DIR / "default.yml"),
        "inputs": [{"id": "x", "file": "x.csv", "sha256": "0" * 64, "bytes": 1}],
        "reads": {"ports": [["catalog", "x"]]},
    }
    manifest = json.loads(release.write_manifest(state, ["html"]).read_text())
    assert manifest["version"] == "0.1.0 (test)"
    assert manifest["parameters"]["ports"]["parameters"]["first_fy"] == 2019
    assert manifest["raw_inputs"][0]["sha256"] == "0" * 64
    assert manifest["read_by_page"] == {"ports": [["catalog", "x"]]}
    assert manifest["packages"]["pandas"] and manifest["python"]


def test_second_run_reuses_every_notebook(default_build):
    result = run_build(default_build, "notebooks", "--params", "params/default.yml")
    assert result.returncode == 0, result.stderr
    for run in plan.load_runs(config.PARAMS_DIR / "default.yml"):
        assert f"{run.name}: reused: nothing it depends on changed" in result.stdout
    assert "executed in" not in result.stdout


def test_other_parameters_render_the_same_chapter_differently(tmp_path, default_build):
    seed_build(tmp_path / "_build", default_build)
    result = run_build(tmp_path / "_build", "notebooks", "--params", "params/ports-since-fy2022.yml", "--only", "ports")
    assert "ports: runs: parameters changed" in result.stdout
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
    result = run_build(tmp_path / "_build", "notebooks", DATA_MIRROR=str(mirror), RAW_DATA_DIR=str(tmp_path / "raw"))
    assert result.returncode == 1
    assert "nationwide-drugs-fy20-fy23.csv" in result.stderr and "sha256 mismatch" in result.stderr
    assert not (tmp_path / "_build" / "numbers.json").exists()


def test_missing_raw_file_stops_the_build_naming_it(tmp_path, real_data):
    mirror = tmp_path / "mirror"
    shutil.copytree(config.raw_dir(), mirror)
    (mirror / "ondcp" / "ndcs-data-supplement-2020-february.xlsx").unlink()
    result = run_build(tmp_path / "_build", "notebooks", DATA_MIRROR=str(mirror), RAW_DATA_DIR=str(tmp_path / "raw"))
    assert result.returncode == 1
    assert "ndcs-data-supplement-2020-february.xlsx" in result.stderr and "missing" in result.stderr


def test_budget_scenarios_render_as_separate_pages_with_their_parameters(default_build):
    executed = default_build / "executed" / "chapters"
    document = (executed / "budget_document.ipynb").read_text()
    latest = (executed / "budget_latest.ipynb").read_text()
    assert "start_demand_share = 0.43" in document and 'scenario = \\"document\\"' in document
    assert 'start_demand_share = \\"latest\\"' in latest or "start_demand_share = 'latest'" in latest
    assert not (executed / "budget_scenario.ipynb").exists()
    numbers = json.loads((default_build / "numbers.json").read_text())
    assert numbers["budget.rebalance.extra_per_year.document"] == pytest.approx(44.5 * 0.17)
    assert numbers["budget.rebalance.start_share.latest"] == numbers["budget.latest.demand_share"]


def readers_of(build_dir, dataset):
    """Pages whose recorded dependencies include a dataset."""
    records = (build_dir / "executed" / "chapters").glob("*.deps.json")
    return {
        p.name.removesuffix(".deps.json")
        for p in records
        if f"dataset {dataset}" in json.loads(p.read_text())["components"]
    }


def test_a_newer_seizure_vintage_reruns_only_the_chapters_that_read_seizures(seizure_vintage_rebuild, default_build):
    """make add-data of a seizure file, then a rebuild: the seizure readers and the claims register run
    (each saying why), every other chapter is reused, and the log has no ERROR line."""
    log = seizure_vintage_rebuild["log"]
    readers = readers_of(default_build, "cbp-drug-seizures")
    assert {"ports", "who", "correlation"} <= readers and "state_panel" not in readers
    all_runs = plan.load_runs(config.PARAMS_DIR / "default.yml")
    runs = {run.name for run in all_runs}
    number_readers = {run.name for run in all_runs if plan.reads_numbers(run)}  # the register and the landing page
    assert number_readers == {"claims", "intro"}
    reason = "dataset cbp-drug-seizures changed (new entry nationwide-drugs-fy23-fy26-jan)"
    for name in sorted(runs):
        if name in readers:
            assert f"{name}: runs: {reason}" in log
        elif name in number_readers:
            assert f"{name}: runs: numbers read changed" in log
        else:
            assert f"{name}: reused: nothing it depends on changed" in log
    assert log.count("executed in") == len(readers) + len(number_readers)
    assert not [line for line in log.splitlines() if "ERROR" in line]
    after = json.loads((seizure_vintage_rebuild["build_dir"] / "numbers.json").read_text())
    pages = json.loads((seizure_vintage_rebuild["build_dir"] / "number-sources.json").read_text())
    moved = {key for key, value in seizure_vintage_rebuild["numbers_before"].items() if after.get(key) != value}
    assert moved and {pages[key] for key in moved} <= readers | {"claims"}


def test_parallel_and_serial_builds_give_identical_numbers(tmp_path, default_build, executed_book):
    """The session build ran two notebooks at a time; here a budget scenario page and the claims register
    run again one at a time, the rest reused: numbers.json is byte-identical."""
    assert "up to 2 at a time" in executed_book["log"]
    build_dir = seed_build(tmp_path / "_build", default_build)
    for page in ("budget_latest", "claims"):
        (build_dir / "executed" / "chapters" / f"{page}.ipynb").unlink()
    result = run_build(build_dir, "notebooks", "--jobs", "1")
    assert result.returncode == 0, result.stderr
    assert "up to 1 at a time" in result.stdout and result.stdout.count("executed in") == 2
    assert (build_dir / "numbers.json").read_bytes() == (default_build / "numbers.json").read_bytes()
    assert not [line for line in (result.stdout + result.stderr).splitlines() if "ERROR" in line]


def test_the_manifest_and_reproducibility_page_list_the_files_each_page_read(default_build):
    reads = json.loads((default_build / "executed" / "chapters" / "ports.deps.json").read_text())["reads"]
    assert ["catalog", "nationwide-drugs-fy23-fy26-dec"] in reads and [
        "catalog",
        "census-nst-est2019-alldata",
    ] not in reads
    listed = pd.read_csv(default_build / "src" / "_static" / "data" / "book-reads.csv", dtype=str)
    ports_files = set(listed.loc[listed["page"] == "ports", "file"])  # the Reproducibility page's download
    assert "cbp-drug-seizures/nationwide-drugs-fy23-fy26-dec.csv" in ports_files
    assert any(name.endswith("ports_context.csv") for name in ports_files)


async def signals_sent_at_shutdown(manager_class) -> list[int]:
    """Start a kernel with ``manager_class``, shut it down as nbclient does, and list the signals it was sent."""
    sent = []

    class Recording(manager_class):
        async def _async_signal_kernel(self, signum):
            sent.append(signum)
            await super()._async_signal_kernel(signum)

    manager = Recording(kernel_name="python3")
    await manager.start_kernel(extra_arguments=["--IPKernelApp.log_level=ERROR"])
    client = manager.client()
    client.start_channels()
    try:
        await client.wait_for_ready(timeout=60)
    finally:
        client.stop_channels()
        await manager.shutdown_kernel(now=False)
    return sent


def test_kernels_are_shut_down_without_the_interrupt_that_ipykernel_logs_as_an_error():
    """jupyter_client interrupts (SIGINT) a kernel before shutting it down, which ipykernel may log as
    'ERROR | KeyboardInterrupt caught in kernel'; the build's kernel manager sends only the shutdown request."""
    import asyncio
    import signal

    from jupyter_client import AsyncKernelManager

    assert signal.SIGINT in asyncio.run(signals_sent_at_shutdown(AsyncKernelManager))
    assert signal.SIGINT not in asyncio.run(signals_sent_at_shutdown(execute.kernel_manager()))
