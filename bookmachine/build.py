"""Build the book: verify data, execute chapters with papermill, stage, run Jupyter Book, record.

    python -m bookmachine.build book --params params/default.yml [--pdf] [--strict] [--jobs N]
    python -m bookmachine.build notebooks --params params/default.yml [--only page ...]
        (execute + stage + numbers.json)
    python -m bookmachine.build release-date   (CITATION.cff's date-released := today; make release runs it first)
    python -m bookmachine.build release

A notebook is re-executed only when something it depends on changed: its source, its parameters,
the ``analysis`` modules it imports, the inputs it read, the numbers it reads, the pinned
requirements (see ``bookmachine.plan`` and ``bookmachine.deps``). Independent notebooks run in
parallel (``--jobs``, one per core by default; ``bookmachine.execute``); the claims register, which
reads the others' numbers, runs after them. Executed notebooks, the staged book source
(``bookmachine.stage``) and every output live under ``_build/``. Any input problem stops the build
with one paragraph naming the file, and removes the previous book so that nothing stale looks
current. ``bookmachine.release`` writes the manifest and copies a release.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from pathlib import Path

from analysis import config
from analysis.data import catalog
from analysis.errors import DataError
from bookmachine import latexlog, version
from bookmachine.execute import NotebookError, WarmKernels, execute_plans
from bookmachine.outputs import (
    EXECUTED_DIR,
    HTML_DIR,
    LATEX_DIR,
    MANIFEST_NAME,
    NUMBER_SOURCES_FILE,
    NUMBERS_FILE,
    PDF_DIR,
    BuildError,
    progress,
    shown,
)
from bookmachine.plan import Plan, Run, load_runs, plan, reads_numbers
from bookmachine.render import collect_pdf, render

# bookmachine.stage and bookmachine.release import pandas, Sphinx and fontTools (most of a second): they
# are imported where used, once the fork server (started as soon as a notebook must run) is importing too.


def raw_files_in_place() -> bool:
    """Whether every catalogued raw file is in the raw-data directory (not yet whether it is the right one)."""
    raw = config.raw_dir()
    return all((raw / item["file"]).is_file() for item in catalog.load_catalog())


def run_notebooks(
    params_file: Path, only: list[str] | None = None, jobs: int | None = None, before_notebooks=lambda: None
) -> tuple[list[Run], dict[str, Plan]]:
    """Execute (or reuse) every rendering: independent chapters in parallel, then the number readers.

    Notebooks that read numbers (the claims register) run after the others, with the numbers so
    far in ``numbers_file``; those numbers are part of their cache key. When a chapter must run and
    every raw file is already in place, the fork server starts first, so that its imports overlap
    ``before_notebooks`` (the raw-data check, which must pass before any notebook runs) instead of
    following it; when files must be fetched first, it waits for the check.
    """
    jobs = jobs or os.cpu_count() or 1
    runs = [run for run in load_runs(params_file) if not only or run.name in only]
    out_dir = EXECUTED_DIR / "chapters"
    out_dir.mkdir(parents=True, exist_ok=True)
    chapters = [plan(run, out_dir) for run in runs if not reads_numbers(run)]
    with WarmKernels() as kernels:
        if any(item.reasons for item in chapters) and raw_files_in_place():
            kernels.start()
        before_notebooks()
        progress("notebooks", f"{len(runs)} notebooks, up to {jobs} at a time")
        execute_plans(chapters, jobs, kernels)
        plans = {item.run.name: item for item in chapters}
        readers = [run for run in runs if reads_numbers(run)]
        if readers:
            from bookmachine.stage import collect_numbers, write_if_changed

            interim = EXECUTED_DIR / "numbers-before-register.json"
            numbers, _ = collect_numbers({name: item.output for name, item in plans.items()})
            write_if_changed(interim, (json.dumps(numbers, indent=1, sort_keys=True) + "\n").encode())
            reader_plans = [plan(run, out_dir, interim) for run in readers]
            execute_plans(reader_plans, jobs, kernels)
            plans.update({item.run.name: item for item in reader_plans})
    return runs, {run.name: plans[run.name] for run in runs}


def prepare(params_file: Path, only: list[str] | None = None, jobs: int | None = None) -> dict:
    """Data, notebooks, numbers.json and the staged book source; returns what the manifest records."""
    inputs, bundle_writer = [], []

    def before_notebooks() -> None:
        """The Vega bundle started (in the background) and the raw data checked."""
        from bookmachine.stage import start_vega_bundle

        bundle_writer.append(start_vega_bundle())
        progress("data", "obtaining and verifying raw inputs against data/catalog.yml")
        inputs.extend(catalog.fetch_all())

    runs, plans = run_notebooks(params_file, only, jobs, before_notebooks)
    from bookmachine.stage import collect_numbers, generated_pages, stage, write_if_changed

    executed = {name: item.output for name, item in plans.items()}
    reads = {name: item.record["reads"] for name, item in plans.items()}
    numbers, sources = collect_numbers(executed)
    book_version = version.book_version()
    generated = generated_pages(runs, numbers, sources, params_file, book_version, reads)
    stage(executed, generated, book_version, bundle_writer[0])
    write_if_changed(NUMBERS_FILE, (json.dumps(numbers, indent=1, sort_keys=True) + "\n").encode())
    write_if_changed(NUMBER_SOURCES_FILE, (json.dumps(sources, indent=1, sort_keys=True) + "\n").encode())
    progress("numbers", f"{len(numbers)} glued values written to {shown(NUMBERS_FILE)}")
    return {"inputs": inputs, "runs": runs, "version": book_version, "params_file": params_file, "reads": reads}


def remove_stale_outputs() -> None:
    """Delete the outputs that would make an old or half-built book look current."""
    for path in (NUMBERS_FILE, NUMBER_SOURCES_FILE):
        path.unlink(missing_ok=True)
    for directory in (HTML_DIR, PDF_DIR):
        shutil.rmtree(directory, ignore_errors=True)


def build_book(params_file: Path, pdf: bool, strict: bool, jobs: int | None = None) -> None:
    """The whole pipeline; on failure, stale outputs are removed and the reason printed."""
    (HTML_DIR / MANIFEST_NAME).unlink(missing_ok=True)
    state = prepare(params_file, jobs=jobs)
    render({"html": strict, **({"pdflatex": False} if pdf else {})})
    formats = ["html"]
    if pdf:
        progress("pdf", f"written to {shown(collect_pdf())}")
        overflow = latexlog.check(LATEX_DIR / "book.log", report=lambda line: progress("pdf", line))
        if overflow:
            raise BuildError(overflow)
        formats.append("pdf")
    from bookmachine.release import write_manifest

    manifest = write_manifest(state, formats)
    progress(
        "done",
        f"book {state['version']}: {shown(HTML_DIR)}/index.html"
        + (f", {shown(PDF_DIR)}/book.pdf" if pdf else "")
        + f"; manifest {shown(manifest)}",
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bookmachine.build", description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=["book", "notebooks", "release-date", "release"])
    parser.add_argument("--params", type=Path, default=config.PARAMS_DIR / "default.yml")
    parser.add_argument("--pdf", action="store_true", help="also build the PDF (XeLaTeX)")
    parser.add_argument("--strict", action="store_true", help="Sphinx warnings are errors (-W --keep-going)")
    parser.add_argument("--only", nargs="+", help="notebooks command: execute only these pages (for authors and tests)")
    parser.add_argument("--jobs", type=int, default=None, help="notebooks executed at once (default: one per core)")
    arguments = parser.parse_args(argv)
    try:
        if arguments.command == "book":
            build_book(arguments.params.resolve(), arguments.pdf, arguments.strict, arguments.jobs)
        elif arguments.command == "notebooks":
            prepare(arguments.params.resolve(), arguments.only, arguments.jobs)
        elif arguments.command == "release-date":
            from bookmachine.release import date_release

            print(f"CITATION.cff: date-released {date_release()}")
        else:
            from bookmachine.release import release

            release()
    except (DataError, NotebookError, BuildError) as exc:
        remove_stale_outputs()
        data_problem = isinstance(exc, DataError) or getattr(exc, "is_data_error", False)
        heading = "BUILD STOPPED: a data problem." if data_problem else "BUILD STOPPED."
        print(
            f"\n{heading}\n{exc}\nThe previous book was removed so that nothing stale looks current.\n", file=sys.stderr
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
