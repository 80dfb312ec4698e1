"""``make bench``: how long the book takes to build, and how our runner compares with Jupyter Book's own.

Three timings of the real pipeline (the same entry point as ``make book``, HTML and PDF, strict):

1. cold: an empty ``_build`` with the virtualenv and the raw data present (target under 35 s on 2 cores);
2. add-data: ``make add-data`` of one synthetic newer CBP seizure file, then ``make book`` (target
   under 25 s); the catalog, CITATION.cff and data/raw are restored afterwards;
3. warm: ``make book`` again with nothing changed (target under 5 s).

Then the same chapter notebooks (with their default parameters; the claims register needs the
others' numbers and is left out) are built side by side by Jupyter Book's own execution
(``execute_notebooks: force``, then ``cache`` twice: filling the cache, then reusing it) and by
this runner (papermill in parallel, then its cache), each followed by the HTML build; the ratio is
ours over Jupyter Book's. ``--loaders`` also times every loader.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from analysis import config
from analysis.data import catalog

JUPYTER_BOOK = str(Path(sys.executable).with_name("jupyter-book"))
SEIZURES = "nationwide-drugs-fy23-fy26-dec"


def timed(command: list[str], **environment) -> float:
    """Seconds one command takes; its output goes to a log beside _build, and a failure stops the bench."""
    started = time.perf_counter()
    log = Path(tempfile.gettempdir()) / "bench.log"
    with open(log, "a") as handle:
        result = subprocess.run(command, cwd=config.PROJECT_ROOT, env=dict(os.environ, **environment),
                                stdout=handle, stderr=subprocess.STDOUT)
    if result.returncode != 0:
        raise SystemExit(f"bench: {' '.join(command)} failed (see {log})")
    return time.perf_counter() - started


def book(params: Path) -> float:
    """One ``make book``: HTML and PDF, Sphinx warnings as errors."""
    return timed([sys.executable, "-m", "bookmachine.build", "book", "--params", str(params), "--pdf", "--strict"])


def newer_seizure_file(directory: Path) -> Path:
    """The latest CBP seizure file with one more month (a copy of its last month), named as CBP would."""
    lines = catalog.path(SEIZURES).read_bytes().decode("utf-8").splitlines()
    january = [line.replace("2026 (FYTD),DEC,", "2026 (FYTD),JAN,") for line in lines if line.startswith("2026 (FYTD),DEC,")]
    path = directory / "nationwide-drugs-fy23-fy26-jan.csv"
    path.write_text("\r\n".join(lines + january) + "\r\n", encoding="utf-8")
    return path


def add_data_then_book(params: Path) -> float:
    """``make add-data`` of a newer seizure vintage, then ``make book``; the project is restored afterwards."""
    kept = {path: path.read_bytes() for path in (config.CATALOG_FILE, config.PROJECT_ROOT / "CITATION.cff")}
    with tempfile.TemporaryDirectory() as scratch:
        newer = newer_seizure_file(Path(scratch))
        added = config.raw_dir() / "cbp-drug-seizures" / newer.name
        try:
            return (timed([sys.executable, "-m", "bookmachine.newdata", str(newer)]) + book(params))
        finally:
            for path, content in kept.items():
                path.write_bytes(content)
            added.unlink(missing_ok=True)


def side_by_side_book(directory: Path, notebooks: list[Path], mode: str) -> Path:
    """A small book of the given notebooks (MyST sources or executed .ipynb), executed by Jupyter Book in ``mode``."""
    settings = yaml.safe_load((config.PROJECT_ROOT / "_config.yml").read_text(encoding="utf-8"))
    settings["execute"] = {"execute_notebooks": mode, "timeout": 600}
    settings.pop("latex", None)
    (directory / "chapters").mkdir(parents=True, exist_ok=True)
    (directory / "_config.yml").write_text(yaml.safe_dump(settings, sort_keys=False))
    toc = {"format": "jb-book", "root": "chapters/intro",
           "chapters": [{"file": f"chapters/{path.stem}"} for path in notebooks]}
    (directory / "_toc.yml").write_text(yaml.safe_dump(toc, sort_keys=False))
    for path in [config.CHAPTERS_DIR / "intro.md", *notebooks]:
        shutil.copyfile(path, directory / "chapters" / path.name)
    for name in ("references.bib", "_static", "_templates"):
        source = config.PROJECT_ROOT / name
        if source.is_dir():
            shutil.copytree(source, directory / name, dirs_exist_ok=True)
        elif source.exists():
            shutil.copyfile(source, directory / name)
    (directory / "_static" / "vega-bundle.js").touch()
    return directory


def compare_with_jupyter_book(scratch: Path) -> dict:
    """Seconds for the same notebooks: Jupyter Book force, cache (cold), cache (warm); ours cold and warm."""
    from bookmachine import plan

    notebooks = [p for p in sorted(config.CHAPTERS_DIR.glob("*.md")) if plan.is_notebook(p)
                 and not plan.reads_numbers(plan.Run(p.stem, p))]
    environment = {"PYTHONPATH": str(config.PROJECT_ROOT), "PYTHONHASHSEED": "0", "TZ": "UTC"}
    times = {}
    for mode, label in (("force", "jb_force"), ("cache", "jb_cache_cold"), ("cache", "jb_cache_warm")):
        book_dir = side_by_side_book(scratch / "jb", notebooks, mode)
        times[label] = timed([JUPYTER_BOOK, "build", str(book_dir), "--builder", "html"], **environment)
    params = scratch / "defaults.yml"
    params.write_text("chapters: {}\n")
    ours = scratch / "ours" / "_build"
    for label in ("ours_cold", "ours_warm"):
        started = time.perf_counter()
        timed([sys.executable, "-m", "bookmachine.build", "notebooks", "--params", str(params),
               "--only", *[p.stem for p in notebooks]], BOOK_BUILD_DIR=str(ours))
        executed = sorted((ours / "executed" / "chapters").glob("*.ipynb"))
        staged = side_by_side_book(scratch / "ours-book", executed, "off")
        timed([JUPYTER_BOOK, "build", str(staged), "--builder", "html"], **environment)
        times[label] = time.perf_counter() - started
    return times


def loaders() -> None:
    """Wall time of every loader on the real inputs."""
    from analysis.data import encounters, ondcp, seizures, state_data, state_panel, ucr
    from analysis.metrics import budget, who

    jobs = {
        "CBP nationwide drug seizures (all vintages)": seizures.load_seizures,
        "ONDCP Data Supplement Table 78": lambda: ondcp.load_table_78(catalog.path("ndcs-data-supplement-2020-february")),
        "DHS OHSS encounters workbook": lambda: encounters.load_ohss_sectors(catalog.path("ohss-khsm-encounters-usbp-fy25m11")),
        "CBP USBP monthly encounters PDF": lambda: encounters.load_cbp_monthly_pdf(
            catalog.path("us-border-patrol-monthly-encounters-fy2000-fy2020")),
        "Curated budget and citizenship tables": lambda: (budget.load_demand_shares(), who.load_citizenship()),
        "UCR county arrest files": lambda: ucr.load_state_arrests(state_data.states()),
        "State panel (every input)": state_panel.load_panel,
    }
    for name, load in jobs.items():
        started = time.perf_counter()
        load()
        print(f"loader  {name:<44} {time.perf_counter() - started:6.2f} s", flush=True)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bookmachine.bench")
    parser.add_argument("--params", type=Path, default=config.PARAMS_DIR / "default.yml")
    parser.add_argument("--loaders", action="store_true", help="also time every loader")
    parser.add_argument("--skip-jupyter-book", action="store_true", help="only the three build timings")
    arguments = parser.parse_args(argv)
    catalog.fetch_all()
    if arguments.loaders:
        loaders()
    (Path(tempfile.gettempdir()) / "bench.log").unlink(missing_ok=True)
    shutil.rmtree(config.BUILD_DIR, ignore_errors=True)
    print(f"CPU cores: {os.cpu_count()}; build logs in {Path(tempfile.gettempdir()) / 'bench.log'}", flush=True)
    cold = book(arguments.params)
    print(f"cold make book, HTML + PDF (empty _build, data present)  {cold:6.1f} s  (target < 35 s)", flush=True)
    warm = book(arguments.params)
    print(f"warm make book (nothing changed)                         {warm:6.1f} s  (target < 5 s)", flush=True)
    added = add_data_then_book(arguments.params)
    print(f"make add-data (one CBP seizure file) + make book         {added:6.1f} s  (target < 25 s)", flush=True)
    book(arguments.params)  # back to the committed data, so _build matches the project again
    if arguments.skip_jupyter_book:
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-") as scratch:
        times = compare_with_jupyter_book(Path(scratch))
    print("same notebooks (default parameters) + HTML, side by side:")
    print(f"  Jupyter Book execute_notebooks: force          {times['jb_force']:6.1f} s")
    print(f"  Jupyter Book execute_notebooks: cache (fill)   {times['jb_cache_cold']:6.1f} s")
    print(f"  Jupyter Book execute_notebooks: cache (reuse)  {times['jb_cache_warm']:6.1f} s")
    print(f"  this runner, cold                              {times['ours_cold']:6.1f} s")
    print(f"  this runner, warm                              {times['ours_warm']:6.1f} s")
    print(f"  ratio ours / Jupyter Book: cold {times['ours_cold'] / times['jb_force']:.2f} (vs force), "
          f"warm {times['ours_warm'] / times['jb_cache_warm']:.2f} (vs cache reuse)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
