"""``make bench``: how long the book takes to build, measured in a scratch copy of the project.

Everything runs in a copy (the project's source, its verified raw files, ``../shared`` beside it),
so the project's ``_build``, catalog and ``CITATION.cff`` are never touched. Each step is the
command a user types, and is timed in wall seconds and in CPU seconds (user + system of every
process it started): on a shared machine the CPU time shows the work, the wall time the wait.

- cold: ``make book`` (strict HTML and the PDF) from an empty ``_build``, with the virtualenv and
  the verified raw data present; nothing is kept from an earlier build (no executed notebook, no
  kept parse, no Sphinx environment, no LaTeX auxiliary file). Target: under 35 s on 2 cores.
- cold with kept parses: the same, with ``_build/parsed`` kept from the cold build (slow parses of
  raw files, ``analysis.data.parsed``). They live in ``_build``, so ``make clean`` removes them and
  a cold build never has them; shown for information.
- warm: ``make book`` again, nothing changed. Target: under 5 s.
- make test (``--tests``): the full suite after the build, as CI runs it. Target: under 90 s.
- add-data: ``make add-data FILE=<CBP's newest real vintage>`` (nationwide encounters through November
  2025, from ``../shared/data/vintages``) and ``make book``, starting from the book built without that
  catalog entry (that build is not timed); only the notebooks that read its dataset run again.
  Target: under 25 s.
  Printed with its ratio to the cold build (wall and CPU).
- Jupyter Book: the same chapter notebooks (default parameters; the claims register needs the
  others' numbers and is left out) executed by Jupyter Book (``execute_notebooks: cache``: an empty
  cache, then the same again) and by this runner (its cold and cached runs), each followed by the
  HTML build of those notebooks; one run each, on the same machine, one after the other, with the
  same kernel environment; the cold ``make book`` is also given as a ratio to Jupyter Book's cold run.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from analysis import config
from analysis.data import catalog

JUPYTER_BOOK = str(Path(sys.executable).with_name("jupyter-book"))
SHARED = config.PROJECT_ROOT.parent / "shared"
MAKE = ["make", "-s", "-o", ".venv/.installed", f"PY={sys.executable}"]  # the copy has no virtualenv of its own
NEWEST_REAL = "nationwide-encounters-fy23-fy26-nov-state"  # CBP's newest real vintage in the catalog


@dataclass
class Timed:
    """One timed command: wall and CPU seconds, its output, and whether it succeeded."""

    wall: float
    cpu: float
    output: str
    ok: bool
    notes: list[str] = field(default_factory=list)


def run(command: list[str], cwd: Path, environment: dict, log: Path) -> Timed:
    """Run a command to completion; CPU time from the kernel's accounting of it and its descendants."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    process.stdout.close()
    wall = time.perf_counter() - started
    with open(log, "a") as handle:
        handle.write(f"\n$ {' '.join(command)}\n{output}")
    return Timed(wall, usage.ru_utime + usage.ru_stime, output, process.returncode == 0)


class Copy:
    """A scratch copy of the project with its own raw-data directory and ``../shared`` beside it."""

    def __init__(self, scratch: Path):
        self.scratch, self.root, self.raw = scratch, scratch / "project", scratch / "raw"
        shutil.copytree(
            config.PROJECT_ROOT,
            self.root,
            ignore=shutil.ignore_patterns(
                ".venv", "_build", "raw", ".git", "__pycache__", ".pytest_cache", ".hypothesis"
            ),
        )
        if SHARED.is_dir():
            (scratch / "shared").symlink_to(SHARED.resolve())
        self.log = scratch / "bench.log"
        self.environment = {
            key: value
            for key, value in os.environ.items()
            if key not in ("BOOK_BUILD_DIR", "BOOK_WARM_KERNELS", "BOOK_PARSED_DIR")
        }
        self.environment.update(RAW_DATA_DIR=str(self.raw), DATA_MIRROR=str(config.raw_dir()))

    def run(self, command: list[str], **environment) -> Timed:
        return run(command, self.root, dict(self.environment, **environment), self.log)

    def book(self) -> Timed:
        """``make book`` in the copy (strict HTML and the PDF)."""
        return self.run([*MAKE, "book"])


def checked(step: str, timed: Timed) -> Timed:
    if not timed.ok:
        raise SystemExit(f"bench: {step} failed; last lines:\n" + "\n".join(timed.output.splitlines()[-25:]))
    return timed


def phases(output: str) -> list[str]:
    """What a build's progress lines say about where its time went."""
    notes = []
    numbers = re.search(r"\[\s*([\d.]+)s\] numbers:", output)
    executed = re.findall(r"notebooks: (\S+): executed in ([\d.]+) s(?: \(([\d.]+) s CPU\))?", output)
    if executed:
        name, seconds, cpu = max(executed, key=lambda found: float(found[2] or found[1]))
        notes.append(f"{len(executed)} notebooks ran; the longest, {name}: {seconds} s ({cpu or '?'} s CPU)")
    if numbers:
        notes.append(f"notebooks and staging done at {numbers.group(1)} s")
    for builder in ("html", "pdflatex"):
        done = re.search(rf"{builder}: done in ([\d.]+) s \(([\d.]+) s CPU", output)
        if done:
            notes.append(f"{builder}: {done.group(1)} s ({done.group(2)} s CPU), from the end of staging")
    return notes


def reran(output: str) -> list[str]:
    return re.findall(r"notebooks: (\S+): runs:", output)


def without_entry(text: str, file_id: str) -> str:
    """The catalog text without one entry (its block from '- id: <file_id>' to the next entry)."""
    start = text.index(f"\n- id: {file_id}\n") + 1
    end = text.find("\n- id: ", start)
    return text[:start] + (text[end + 1 :] if end >= 0 else "")


def add_newest_real_vintage(copy: Copy) -> tuple[Path, Timed]:
    """``make add-data`` of CBP's newest real vintage in the copy, from the book built without it (not timed)."""
    source = catalog.path(NEWEST_REAL)
    real = copy.scratch / source.name
    shutil.copyfile(source, real)
    catalog_file = copy.root / "data" / "catalog.yml"
    catalog_file.write_text(without_entry(catalog_file.read_text(encoding="utf-8"), NEWEST_REAL), encoding="utf-8")
    checked("make book without the newest real vintage", copy.book())
    return real, checked("make add-data", copy.run([*MAKE, "add-data", f"FILE={real}"]))


def put(path: Path, content: bytes) -> None:
    """Write a file only when its bytes change, so that a rebuild sees only real changes (as the build does)."""
    if not path.exists() or path.read_bytes() != content:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)


def side_by_side_book(directory: Path, chapters: Path, notebooks: list[Path], mode: str) -> Path:
    """A small book of the given notebooks (MyST sources or executed .ipynb), executed by Jupyter Book in ``mode``."""
    settings = yaml.safe_load((chapters.parent / "_config.yml").read_text(encoding="utf-8"))
    settings["execute"] = {"execute_notebooks": mode, "timeout": 600}
    settings.pop("latex", None)
    put(directory / "_config.yml", yaml.safe_dump(settings, sort_keys=False).encode())
    toc = {
        "format": "jb-book",
        "root": "chapters/intro",
        "chapters": [{"file": f"chapters/{path.stem}"} for path in notebooks],
    }
    put(directory / "_toc.yml", yaml.safe_dump(toc, sort_keys=False).encode())
    for path in [chapters / "intro.md", *notebooks]:
        put(directory / "chapters" / path.name, path.read_bytes())
    for name in ("references.bib", "_static", "_templates"):
        source = chapters.parent / name
        for path in sorted(source.rglob("*")) if source.is_dir() else [source] if source.exists() else []:
            if path.is_file():
                put(directory / path.relative_to(chapters.parent), path.read_bytes())
    put(directory / "_static" / "vega-bundle.js", b"")
    return directory


def compare_with_jupyter_book(copy: Copy) -> dict[str, Timed]:
    """Jupyter Book (cache: empty, then filled) and this runner (cold, then cached) on the same notebooks,
    each followed by the HTML build of those notebooks; the kernels get the same environment."""
    from bookmachine import execute, plan

    chapters = copy.root / "chapters"
    notebooks = [
        p for p in sorted(chapters.glob("*.md")) if plan.is_notebook(p) and not plan.reads_numbers(plan.Run(p.stem, p))
    ]
    kernels = {key: value for key, value in execute.kernel_environment().items() if key != "BOOK_PARSED_DIR"}
    kernels["PYTHONPATH"] = str(copy.root)
    times = {}
    book = side_by_side_book(copy.scratch / "jb", chapters, notebooks, "cache")
    for label in ("jupyter-book cold", "jupyter-book cached"):
        times[label] = checked(label, copy.run([JUPYTER_BOOK, "build", str(book), "--builder", "html"], **kernels))
    params = copy.scratch / "defaults.yml"
    params.write_text("chapters: {}\n")
    ours = copy.scratch / "ours" / "_build"
    for label in ("this runner cold", "this runner cached"):
        executed = checked(
            label,
            copy.run(
                [
                    sys.executable,
                    "-m",
                    "bookmachine.build",
                    "notebooks",
                    "--params",
                    str(params),
                    "--only",
                    *[p.stem for p in notebooks],
                ],
                BOOK_BUILD_DIR=str(ours),
            ),
        )
        staged = side_by_side_book(
            copy.scratch / "ours-book", chapters, sorted((ours / "executed" / "chapters").glob("*.ipynb")), "off"
        )
        html = checked(label, copy.run([JUPYTER_BOOK, "build", str(staged), "--builder", "html"], **kernels))
        times[label] = Timed(executed.wall + html.wall, executed.cpu + html.cpu, executed.output, True)
    times["notebooks"] = Timed(0, 0, ", ".join(p.stem for p in notebooks), True)
    return times


def ratio(label: str, part: Timed, whole: Timed) -> str:
    """'label: 0.41 of it (wall), 0.38 (CPU)': one step's time as a share of another's."""
    return f"{label}: {part.wall / whole.wall:.2f} (wall), {part.cpu / whole.cpu:.2f} (CPU)"


def row(step: str, timed: Timed | None, target: str = "") -> str:
    if timed is None:
        return f"| {step} | - | - | {target} |"
    return f"| {step} | {timed.wall:.1f} | {timed.cpu:.1f} | {target} |"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bookmachine.bench", description=__doc__.split("\n")[0])
    parser.add_argument("--tests", action="store_true", help="also time make test after the build (as CI runs it)")
    parser.add_argument("--skip-jupyter-book", action="store_true", help="leave out the Jupyter Book comparison")
    parser.add_argument("--keep", action="store_true", help="keep the scratch copy (its path is printed)")
    arguments = parser.parse_args(argv)
    catalog.fetch_all()
    scratch = Path(tempfile.mkdtemp(prefix="bench-"))
    load = os.getloadavg()[0]
    print(
        f"bench: {os.cpu_count()} CPU cores, load average {load:.2f} at the start; scratch copy {scratch} "
        f"(log: {scratch / 'bench.log'})",
        flush=True,
    )
    try:
        copy = Copy(scratch)
        checked("obtaining the raw data", copy.run([sys.executable, "-m", "analysis.data.catalog", "fetch"]))
        rows, notes = [], []
        cold = checked("cold make book", copy.book())
        rows.append(row("cold `make book`, HTML + PDF: empty `_build`; venv and raw data present", cold, "< 35"))
        notes += [f"cold: {note}" for note in phases(cold.output)]
        print(rows[-1], flush=True)
        for part in [p for p in (copy.root / "_build").iterdir() if p.name != "parsed"]:
            shutil.rmtree(part) if part.is_dir() else part.unlink()
        kept = checked("cold make book with kept parses", copy.book())
        rows.append(row("cold, but `_build/parsed` kept (information: `make clean` removes it)", kept))
        print(rows[-1], flush=True)
        warm = checked("warm make book", copy.book())
        rows.append(row("warm `make book`, nothing changed", warm, "< 5"))
        print(rows[-1], flush=True)
        if arguments.tests:
            tests = copy.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"])
            passed = re.findall(r"\d+ (?:passed|failed|error)[^\n]*", tests.output)
            rows.append(row(f"`make test` after the build ({passed[-1] if passed else 'no summary'})", tests, "< 90"))
            print(rows[-1], flush=True)
        vintage, added = add_newest_real_vintage(copy)
        rebuilt = checked("make book after add-data", copy.book())
        both = Timed(added.wall + rebuilt.wall, added.cpu + rebuilt.cpu, rebuilt.output, True)
        rows.append(row(f"`make add-data FILE={vintage.name}` + `make book`", both, "< 25"))
        notes.append(
            f"add-data: {added.wall:.1f} s; the book after it: {rebuilt.wall:.1f} s; re-ran: "
            f"{', '.join(reran(rebuilt.output)) or 'nothing'}"
        )
        notes.append(ratio("ratio of add-data + make book to the cold make book", both, cold))
        notes += [f"after add-data: {note}" for note in phases(rebuilt.output)]
        print(rows[-1], flush=True)
        if not arguments.skip_jupyter_book:
            times = compare_with_jupyter_book(copy)
            for label in ("jupyter-book cold", "this runner cold", "jupyter-book cached", "this runner cached"):
                rows.append(row(f"{label}: same notebooks + HTML", times[label]))
            ratio_cold = times["this runner cold"].wall / times["jupyter-book cold"].wall
            ratio_warm = times["this runner cached"].wall / times["jupyter-book cached"].wall
            notes.append(
                f"Jupyter Book comparison: {times['notebooks'].output}; ratio this runner / Jupyter Book "
                f"(wall): cold {ratio_cold:.2f}, cached {ratio_warm:.2f}"
            )
            notes.append(
                ratio(
                    "ratio of the cold make book (every page, HTML and PDF) to Jupyter Book's cold execution "
                    "of the chapter notebooks with their HTML",
                    cold,
                    times["jupyter-book cold"],
                )
            )
        print(
            f"\nmake bench, {os.cpu_count()} cores, load average {load:.2f} before and "
            f"{os.getloadavg()[0]:.2f} after (CPU seconds count every process a step started)\n"
        )
        print("| step | wall s | CPU s | target s |\n|---|---|---|---|")
        print("\n".join(rows))
        print("\n" + "\n".join(f"- {note}" for note in notes))
    finally:
        if arguments.keep:
            print(f"scratch copy kept in {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
