"""Build the book: verify data, execute chapters with papermill, stage, run Jupyter Book, record.

    python -m bookmachine.build book --params params/default.yml [--pdf] [--strict] [--jobs N]
    python -m bookmachine.build notebooks --params params/default.yml [--only page ...]  (execute + stage + numbers.json)
    python -m bookmachine.build release

A notebook is re-executed only when something it depends on changed: its source, its parameters,
the ``analysis`` modules it imports, the inputs it read, the numbers it reads, the pinned
requirements (see ``bookmachine.deps``). Independent notebooks run in parallel (``--jobs``, one
per core by default); the claims register, which reads the others' numbers, runs after them.
Executed notebooks, the staged book source and every output live under ``_build/``. Any input
problem stops the build with one paragraph naming the file, and removes the previous book so
that nothing stale looks current.
"""
from __future__ import annotations

import argparse
import ast
import datetime as dt
import hashlib
import importlib.metadata
import json
import os
import platform
import shutil
import subprocess
import sys
import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from analysis import config
from analysis.data import catalog
from bookmachine import changes, deps, latexlog, version
from analysis.errors import DataError

EXECUTED_DIR = config.BUILD_DIR / "executed"
STAGE_DIR = config.BUILD_DIR / "src"
HTML_DIR = config.BUILD_DIR / "html"
PDF_DIR = config.BUILD_DIR / "pdf"
FIGURE_DATA_DIR = config.BUILD_DIR / "figure-data"   # analysis.book.interactive.figure_data_dir(): charts' CSVs
NUMBERS_FILE = config.BUILD_DIR / "numbers.json"
NUMBER_SOURCES_FILE = config.BUILD_DIR / "number-sources.json"
MANIFEST_NAME = "build-manifest.json"
BOOK_FILES = ("_config.yml", "_toc.yml", "references.bib")
PACKAGES = ("jupyter-book", "myst-nb", "sphinx", "papermill", "pandas", "numpy", "statsmodels",
            "seaborn", "matplotlib", "openpyxl")
_START = time.monotonic()


def shown(path: Path) -> str:
    """A path as the user should read it: relative to the project when inside it."""
    return str(path.relative_to(config.PROJECT_ROOT)) if path.is_relative_to(config.PROJECT_ROOT) else str(path)


def progress(step: str, message: str) -> None:
    """One progress line: elapsed seconds since the build started, the step, what it is doing."""
    print(f"[{time.monotonic() - _START:6.1f}s] {step}: {message}", flush=True)


@dataclass
class Run:
    """One rendering of a chapter notebook: its source, the page it becomes, and its parameters."""
    name: str
    source: Path
    parameters: dict = field(default_factory=dict)


def is_notebook(path: Path) -> bool:
    """A chapter file is a notebook when its front matter declares a kernel (MyST notebook format)."""
    text = path.read_text(encoding="utf-8")
    return text.startswith("---") and "kernelspec:" in text.split("\n---", 1)[0]


def load_runs(params_file: Path, chapters_dir: Path = config.CHAPTERS_DIR) -> list[Run]:
    """Every notebook rendering: each chapter notebook once (defaults or its parameters), plus named runs.

    ``params/*.yml`` maps page names to ``parameters`` (or a ``parameters_file``) and, for a
    rendering of a notebook under another name, ``source`` (the notebook's file stem). A notebook
    that is the source of other pages is rendered only as those pages.
    """
    document = yaml.safe_load(params_file.read_text(encoding="utf-8")) or {}
    pages = document.get("chapters") or {}
    notebooks = {path.stem: path for path in sorted(chapters_dir.glob("*.md")) if is_notebook(path)}
    sourced_elsewhere = {spec.get("source") for name, spec in pages.items() if spec and spec.get("source", name) != name}
    runs = {stem: Run(stem, path) for stem, path in notebooks.items() if stem not in sourced_elsewhere}
    for name, spec in pages.items():
        spec = spec or {}
        source = spec.get("source", name)
        if source not in notebooks:
            raise DataError(params_file, f"page {name!r} names notebook {source!r}, which is not in chapters/",
                            expected=f"one of {sorted(notebooks)}")
        parameters = dict(spec.get("parameters") or {})
        if spec.get("parameters_file"):
            extra = config.PROJECT_ROOT / spec["parameters_file"]
            if not extra.exists():
                raise DataError(params_file, f"page {name!r}: parameters file {spec['parameters_file']!r} not found")
            parameters.update(yaml.safe_load(extra.read_text(encoding="utf-8")) or {})
        runs[name] = Run(name, notebooks[source], parameters)
    return list(runs.values())


def kernel_environment() -> dict:
    """Environment for notebook kernels: the package importable, and no locale/time-zone/hash drift.

    One BLAS thread per kernel: the build already runs one kernel per core, and multi-threaded BLAS
    on top of that made the state-panel notebook several times slower on 2 cores.
    """
    environment = dict(os.environ)
    environment["PYTHONPATH"] = os.pathsep.join(filter(None, [str(config.PROJECT_ROOT), os.environ.get("PYTHONPATH")]))
    environment.update({"PYTHONHASHSEED": "0", "TZ": "UTC", "LC_ALL": "C.UTF-8", "MPLBACKEND": "module://matplotlib_inline.backend_inline",
                        "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"})
    return environment


def _quiet_kernel_manager():
    """jupyter_client's kernel manager, minus the SIGINT it sends an idle kernel before shutting it down.

    ``shutdown_kernel`` interrupts the kernel first (meant for a busy one); ipykernel answers the
    signal by logging ``ERROR | KeyboardInterrupt caught in kernel``. Papermill shuts kernels down
    only after the last cell finished, so the shutdown request alone stops them cleanly.
    """
    from jupyter_client import AsyncKernelManager

    class QuietShutdownKernelManager(AsyncKernelManager):
        async def _async_interrupt_kernel(self) -> None:
            if not self.shutting_down:
                await super()._async_interrupt_kernel()

    return QuietShutdownKernelManager


def execute_notebook(source: Path, output: Path, parameters: dict, reads_log: Path) -> dict:
    """Execute one notebook with papermill (in a worker process); returns its error name and value, if any.

    The kernel's environment records every input the notebook reads in ``reads_log``.
    """
    import jupytext
    import nbformat
    import papermill

    source_notebook = output.with_suffix(".source.ipynb")
    nbformat.write(jupytext.read(source), source_notebook)
    reads_log.unlink(missing_ok=True)
    environment = kernel_environment()
    environment[config.READS_LOG_VARIABLE] = str(reads_log)
    os.environ.clear()
    os.environ.update(environment)
    try:
        papermill.execute_notebook(str(source_notebook), str(output), parameters=parameters,
                                   kernel_name="python3", cwd=str(config.PROJECT_ROOT), progress_bar=False,
                                   report_mode=False, request_save_on_cell_execute=False,
                                   extra_arguments=["--IPKernelApp.log_level=ERROR"],
                                   kernel_manager_class=_quiet_kernel_manager())
    except papermill.PapermillExecutionError as exc:
        return {"error": (exc.ename, exc.evalue)}
    finally:
        source_notebook.unlink(missing_ok=True)
    _hide_injected_parameters(output)
    return {}


class NotebookError(Exception):
    """A chapter failed; a DataError inside it is reported as the data problem it is."""

    def __init__(self, run: Run, name: str, value: str):
        self.is_data_error = name == "DataError"
        where = f"{run.source.relative_to(config.PROJECT_ROOT)} (page {run.name})"
        super().__init__(f"{value}\n(while executing {where})" if self.is_data_error
                         else f"{where} failed: {name}: {value}")


def _hide_injected_parameters(path: Path) -> None:
    """Papermill's injected-parameters cell is removed from the page; chapters show their parameters."""
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        tags = cell.metadata.setdefault("tags", [])
        if "injected-parameters" in tags and "remove-cell" not in tags:
            tags.append("remove-cell")
    nbformat.write(notebook, path)


def glued_values(notebook_path: Path) -> dict:
    """Every value a notebook glued, decoded from its text/plain display (plain Python literals)."""
    notebook = json.loads(notebook_path.read_text(encoding="utf-8"))
    values = {}
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            scrap = output.get("metadata", {}).get("scrapbook")
            if not scrap:
                continue
            text = output["data"].get(scrap.get("mime_prefix", "") + "text/plain")
            text = "".join(text) if isinstance(text, list) else text
            try:
                values[scrap["name"]] = ast.literal_eval(text)
            except (ValueError, SyntaxError):
                values[scrap["name"]] = text
    return values


def collect_numbers(executed: dict[str, Path]) -> tuple[dict, dict]:
    """All glued keys of all pages -> value, and key -> page; a key glued by two pages is an error."""
    numbers, sources = {}, {}
    for name, path in executed.items():
        for key, value in glued_values(path).items():
            if key in numbers:
                raise DataError(path, f"glue key {key!r} is also produced by page {sources[key]!r}")
            numbers[key], sources[key] = value, name
    return dict(sorted(numbers.items())), dict(sorted(sources.items()))


def write_if_changed(path: Path, content: bytes) -> None:
    """Write only when the bytes differ, so that Sphinx's incremental build sees nothing new."""
    if path.exists() and path.read_bytes() == content:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


def book_config(book_version: str) -> bytes:
    """The repository's _config.yml with the version (and its commit date) written in."""
    settings = yaml.safe_load((config.PROJECT_ROOT / "_config.yml").read_text(encoding="utf-8"))
    date = version.commit_date() or "uncommitted"
    sphinx_config = settings.setdefault("sphinx", {}).setdefault("config", {})
    sphinx_config["version"] = sphinx_config["release"] = book_version
    html = settings.setdefault("html", {})
    html["extra_footer"] = (f"<p>Version {book_version}, source dated {date}. Every number is computed from "
                            f"the data at build time.</p>")
    remote = version.repository_url()
    if remote:
        settings["repository"] = {"url": remote, "branch": version.git_branch() or "main"}
    return yaml.safe_dump(settings, sort_keys=False, allow_unicode=True).encode()


def stage(executed: dict[str, Path], generated: dict[str, str], book_version: str) -> None:
    """Assemble the book source in _build/src: config, toc, pages, executed notebooks, generated pages."""
    wanted: dict[Path, bytes] = {STAGE_DIR / "_config.yml": book_config(book_version)}
    for name in BOOK_FILES[1:]:
        source = config.PROJECT_ROOT / name
        if source.exists():
            wanted[STAGE_DIR / name] = source.read_bytes()
    for path in sorted(config.CHAPTERS_DIR.glob("*.md")):
        if not is_notebook(path):
            wanted[STAGE_DIR / "chapters" / path.name] = path.read_bytes()
    for static in sorted([*(config.PROJECT_ROOT / "_static").rglob("*"), *(config.PROJECT_ROOT / "_templates").rglob("*")]):
        if static.is_file():
            wanted[STAGE_DIR / static.relative_to(config.PROJECT_ROOT)] = static.read_bytes()
    for name, path in executed.items():
        wanted[STAGE_DIR / "chapters" / f"{name}.ipynb"] = path.read_bytes()
    for csv in sorted(FIGURE_DATA_DIR.glob("*.csv")):
        wanted[STAGE_DIR / "_static" / "data" / csv.name] = csv.read_bytes()
    bundle = STAGE_DIR / "_static" / "vega-bundle.js"
    if not bundle.exists():  # vl-convert is imported only to write it once
        from bookmachine import vega
        bundle = vega.write_vega_bundle(STAGE_DIR / "_static")
    wanted[bundle] = bundle.read_bytes()
    for relative, text in generated.items():
        wanted[STAGE_DIR / relative] = text.encode()
    for path, content in wanted.items():
        write_if_changed(path, content)
    for stale in [p for p in STAGE_DIR.rglob("*") if p.is_file() and p not in wanted]:
        stale.unlink()


def reads_numbers(run: Run) -> bool:
    """A notebook with a ``numbers_file`` parameter reads the other chapters' numbers: it runs last."""
    return any(line.startswith("numbers_file") for line in run.source.read_text(encoding="utf-8").splitlines())


@dataclass
class Plan:
    """One rendering's cache state: where its output goes, what it depends on, and why it must run (if it must)."""
    run: Run
    output: Path
    numbers_file: Path | None
    record: dict | None
    reasons: list[str]

    @property
    def record_file(self) -> Path:
        return self.output.with_suffix(".deps.json")

    @property
    def reads_log(self) -> Path:
        return self.output.with_suffix(".reads.log")

    @property
    def papermill_parameters(self) -> dict:
        return {**self.run.parameters, **({"numbers_file": str(self.numbers_file)} if self.numbers_file else {})}


def plan(run: Run, out_dir: Path, numbers_file: Path | None = None) -> Plan:
    """Compare a rendering's dependencies now with those recorded when it last ran."""
    output = out_dir / f"{run.name}.ipynb"
    record_file = output.with_suffix(".deps.json")
    record = json.loads(record_file.read_text()) if record_file.exists() and output.exists() else None
    reads = [tuple(pair) for pair in record["reads"]] if record else []
    current = deps.components(run.source, run.parameters, reads, numbers_file)
    reasons = deps.why(record and record["components"], current, record and record["datasets"])
    return Plan(run, output, numbers_file, record, reasons)


def finish(item: Plan, seconds: float) -> None:
    """After a run: record what it read and the dependencies its cache key covers."""
    reads = deps.read_log(item.reads_log)
    parts = deps.components(item.run.source, item.run.parameters, reads, item.numbers_file)
    record = {"key": deps.key(parts), "components": parts, "reads": reads,
              "datasets": deps.dataset_members(reads), "seconds": round(seconds, 1)}
    item.record_file.write_text(json.dumps(record, indent=1) + "\n")
    item.reads_log.unlink(missing_ok=True)
    item.record = record


def expected_seconds(item: Plan) -> float:
    """How long a rendering should take: its last run, else a guess from its size (about 1 s per kB of source)."""
    return (item.record or {}).get("seconds") or item.run.source.stat().st_size / 1000


def _timed_execution(source: Path, output: Path, parameters: dict, reads_log: Path) -> dict:
    """``execute_notebook`` in a worker process, with its wall time."""
    started = time.monotonic()
    return {**execute_notebook(source, output, parameters, reads_log), "seconds": time.monotonic() - started}


def execute_plans(plans: list[Plan], jobs: int) -> None:
    """Run every plan that must run, ``jobs`` at a time in worker processes, the longest first."""
    pending = sorted((p for p in plans if p.reasons), key=lambda p: -expected_seconds(p))
    for item in plans:
        state = f"runs: {'; '.join(item.reasons)}" if item.reasons else "reused: nothing it depends on changed"
        progress("notebooks", f"{item.run.name}: {state}")
    if not pending:
        return
    for item in pending:
        item.record_file.unlink(missing_ok=True)  # a run that fails must not leave a record that looks current
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=min(jobs, len(pending)), mp_context=context) as pool:
        futures = {pool.submit(_timed_execution, p.run.source, p.output, p.papermill_parameters, p.reads_log): p
                   for p in pending}
        for future in as_completed(futures):
            item, result = futures[future], future.result()
            if "error" in result:
                pool.shutdown(wait=False, cancel_futures=True)
                raise NotebookError(item.run, *result["error"])
            finish(item, result["seconds"])
            progress("notebooks", f"{item.run.name}: executed in {result['seconds']:.1f} s")


def run_notebooks(params_file: Path, only: list[str] | None = None, jobs: int | None = None) -> tuple[list[Run], dict[str, Plan]]:
    """Execute (or reuse) every rendering: independent chapters in parallel, then the number readers.

    Notebooks that read numbers (the claims register) run after the others, with the numbers so
    far in ``numbers_file``; those numbers are part of their cache key.
    """
    jobs = jobs or os.cpu_count() or 1
    runs = [run for run in load_runs(params_file) if not only or run.name in only]
    out_dir = EXECUTED_DIR / "chapters"
    out_dir.mkdir(parents=True, exist_ok=True)
    chapters = [plan(run, out_dir) for run in runs if not reads_numbers(run)]
    progress("notebooks", f"{len(runs)} notebooks, up to {jobs} at a time")
    execute_plans(chapters, jobs)
    plans = {item.run.name: item for item in chapters}
    readers = [run for run in runs if reads_numbers(run)]
    if readers:
        interim = EXECUTED_DIR / "numbers-before-register.json"
        numbers, _ = collect_numbers({name: item.output for name, item in plans.items()})
        write_if_changed(interim, (json.dumps(numbers, indent=1, sort_keys=True) + "\n").encode())
        reader_plans = [plan(run, out_dir, interim) for run in readers]
        execute_plans(reader_plans, jobs)
        plans.update({item.run.name: item for item in reader_plans})
    return runs, {run.name: plans[run.name] for run in runs}


def prepare(params_file: Path, only: list[str] | None = None, jobs: int | None = None) -> dict:
    """Data, notebooks, numbers.json and the staged book source; returns what the manifest records."""
    progress("data", "obtaining and verifying raw inputs against data/catalog.yml")
    inputs = catalog.fetch_all()
    runs, plans = run_notebooks(params_file, only, jobs)
    executed = {name: item.output for name, item in plans.items()}
    reads = {name: item.record["reads"] for name, item in plans.items()}
    numbers, sources = collect_numbers(executed)
    book_version = version.book_version()
    from bookmachine import provenance
    generated = {"chapters/reproducibility.md": provenance.reproducibility_page(
        runs, numbers, sources, params_file, book_version, reads),
        "chapters/changes.md": changes.changes_page(version.cff_version(), numbers)}
    stage(executed, generated, book_version)
    write_if_changed(NUMBERS_FILE, (json.dumps(numbers, indent=1, sort_keys=True) + "\n").encode())
    write_if_changed(NUMBER_SOURCES_FILE, (json.dumps(sources, indent=1, sort_keys=True) + "\n").encode())
    progress("numbers", f"{len(numbers)} glued values written to {shown(NUMBERS_FILE)}")
    return {"inputs": inputs, "runs": runs, "version": book_version, "params_file": params_file,
            "reads": reads}


BUILDER_OUTPUT = {"html": HTML_DIR / "index.html", "pdflatex": config.BUILD_DIR / "latex" / "book.pdf"}


def staged_digest(strict: bool) -> str:
    """Hash of the staged book source (every file, with its path) and the strictness of the build."""
    digest = hashlib.sha256(str(strict).encode())
    for path in sorted(p for p in STAGE_DIR.rglob("*") if p.is_file()):
        digest.update(path.relative_to(STAGE_DIR).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def jupyter_book(builder: str, strict: bool) -> None:
    """Run Jupyter Book 1 on the staged source; output lands in _build/<builder dir>.

    Skipped when the staged source is byte-identical to the one the existing output was built from.
    """
    if config.BUILD_DIR.name != "_build":
        raise BuildError(f"BOOK_BUILD_DIR must be a directory named _build (Jupyter Book writes to <parent>/_build), "
                         f"not {config.BUILD_DIR}")
    stamp, source = config.BUILD_DIR / f"{builder}.source-sha256", staged_digest(strict)
    if BUILDER_OUTPUT[builder].exists() and stamp.exists() and stamp.read_text() == source:
        progress(builder, "staged source unchanged since the last build: output kept")
        return
    stamp.unlink(missing_ok=True)
    command = [str(Path(sys.executable).with_name("jupyter-book")), "build", str(STAGE_DIR),
               "--path-output", str(config.BUILD_DIR.parent), "--builder", builder]
    if strict:
        command += ["-W", "-n", "--keep-going"]
    started = time.monotonic()
    progress(builder, "jupyter-book build ...")
    log_file = config.BUILD_DIR / f"{builder}.log"
    with open(log_file, "w") as log:
        result = subprocess.run(command, stdout=log, stderr=subprocess.STDOUT, cwd=config.PROJECT_ROOT)
    if result.returncode != 0:
        tail = log_file.read_text(errors="replace").splitlines()[-40:]
        raise BuildError(f"jupyter-book ({builder}) failed; last lines of {log_file}:\n" + "\n".join(tail))
    stamp.write_text(source)
    progress(builder, f"done in {time.monotonic() - started:.1f} s (log: {shown(log_file)})")


class BuildError(Exception):
    """Sphinx/Jupyter Book or LaTeX failed (not an input problem)."""


def collect_pdf() -> Path:
    """Copy the LaTeX build's PDF to _build/pdf/book.pdf."""
    built = config.BUILD_DIR / "latex" / "book.pdf"
    if not built.exists():
        raise BuildError(f"no PDF at {built}; see {config.BUILD_DIR / 'pdflatex.log'}")
    PDF_DIR.mkdir(parents=True, exist_ok=True)
    target = PDF_DIR / "book.pdf"
    shutil.copyfile(built, target)
    return target


def package_versions() -> dict:
    """Installed versions of the packages that shape the results and the book."""
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def write_manifest(state: dict, formats: list[str]) -> Path:
    """_build/html/build-manifest.json: version, commit, time, environment, inputs, parameters."""
    manifest = {
        "version": state["version"],
        "citation_version": version.cff_version(),
        "git_commit": version.git_commit(),
        "git_describe": version.git_describe(),
        "built_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "formats": formats,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "packages": package_versions(),
        "parameters_file": shown(state["params_file"]),
        "parameters": {run.name: {"notebook": str(run.source.relative_to(config.PROJECT_ROOT)),
                                  "parameters": run.parameters} for run in state["runs"]},
        "raw_inputs": state["inputs"],
        "read_by_page": state["reads"],
        "numbers_sha256": catalog.sha256_of(NUMBERS_FILE),
    }
    path = HTML_DIR / MANIFEST_NAME
    path.write_text(json.dumps(manifest, indent=1) + "\n")
    return path


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
    jupyter_book("html", strict)
    formats = ["html"]
    if pdf:
        jupyter_book("pdflatex", strict=False)
        progress("pdf", f"written to {shown(collect_pdf())}")
        overflow = latexlog.check(config.BUILD_DIR / "latex" / "book.log", report=lambda line: progress("pdf", line))
        if overflow:
            raise BuildError(overflow)
        formats.append("pdf")
    manifest = write_manifest(state, formats)
    progress("done", f"book {state['version']}: {shown(HTML_DIR)}/index.html"
             + (f", {shown(PDF_DIR)}/book.pdf" if pdf else "")
             + f"; manifest {shown(manifest)}")


def release() -> Path:
    """Copy HTML, PDF, numbers.json and the manifest to _build/releases/<version>/ with SHA256SUMS."""
    manifest_file = HTML_DIR / MANIFEST_NAME
    pdf_file = PDF_DIR / "book.pdf"
    for needed in (manifest_file, pdf_file, NUMBERS_FILE):
        if not needed.exists():
            raise BuildError(f"{shown(needed)} is missing: run `make book` first")
    manifest = json.loads(manifest_file.read_text())
    if manifest["git_commit"] != version.git_commit() or manifest["numbers_sha256"] != catalog.sha256_of(NUMBERS_FILE):
        raise BuildError("the built book does not match the current commit or numbers.json: run `make book` again")
    target = config.BUILD_DIR / "releases" / manifest["citation_version"]
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(HTML_DIR, target / "html")
    for path in (pdf_file, NUMBERS_FILE, manifest_file):
        shutil.copyfile(path, target / path.name)
    files = sorted(p for p in target.rglob("*") if p.is_file())
    sums = "".join(f"{catalog.sha256_of(p)}  {p.relative_to(target).as_posix()}\n" for p in files)
    (target / "SHA256SUMS").write_text(sums)
    kept = config.PROJECT_ROOT / "releases" / f"numbers-{manifest['citation_version']}.json"
    kept.parent.mkdir(exist_ok=True)
    shutil.copyfile(NUMBERS_FILE, kept)
    versions = changes.record_release(manifest["citation_version"], manifest["built_at"][:10], manifest["git_commit"])
    print(f"numbers kept in {shown(kept)} and the release listed in {shown(versions)}: commit both, "
          "so later versions can show what changed")
    print(f"release {manifest['version']} written to {shown(target)} ({len(files)} files)")
    return target


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bookmachine.build", description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=["book", "notebooks", "release"])
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
        else:
            release()
    except (DataError, NotebookError, BuildError) as exc:
        remove_stale_outputs()
        data_problem = isinstance(exc, DataError) or getattr(exc, "is_data_error", False)
        heading = "BUILD STOPPED: a data problem." if data_problem else "BUILD STOPPED."
        print(f"\n{heading}\n{exc}\nThe previous book was removed so that nothing stale looks current.\n",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
