"""Rendering the staged book with Jupyter Book 1: HTML and, side by side, LaTeX and the PDF.

The two builders run at once, each in its own process with its own staged source (``bookmachine.stage``:
each reads only its own format's ``{only}`` blocks), Sphinx environment and output tree (the LaTeX
build in ``_build/pdflatex``, so that myst-nb's extracted outputs and Sphinx's doctrees are never
written by both). XeLaTeX writes XDV on each pass and the PDF once at
the end (``latexmk -xelatex``, what Sphinx's LaTeX Makefile recommends for speed). A builder is
skipped when the staged source is byte-identical to the one its output was built from.

The PDF's build is the longer (its Sphinx part, then three XeLaTeX passes one after the other), so
it goes first: Sphinx reads its pages with one process per core (``bookmachine.jupyterbook``), and
the HTML build starts when they are read, on the core that the PDF's single-threaded steps (Sphinx's
LaTeX writer, XeLaTeX) leave free.
"""

from __future__ import annotations

import hashlib
import os
import shlex
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from analysis import config
from bookmachine import jupyterbook
from bookmachine.outputs import HTML_DIR, LATEX_DIR, LATEX_STAGE_DIR, PDF_DIR, STAGE_DIR, BuildError, progress, shown

LATEXMKRC = Path(__file__).with_name("latexmkrc")  # latexmk settings of the PDF's build (see the file)

# builder -> (its staged source, the --path-output it writes <that>/_build/<builder dir> under, the file it makes)
BUILDERS = {
    "html": (STAGE_DIR, config.BUILD_DIR.parent, HTML_DIR / "index.html"),
    "pdflatex": (LATEX_STAGE_DIR, LATEX_DIR.parent.parent, LATEX_DIR / "book.pdf"),
}


def staged_digest(source: Path, strict: bool, under: str = "") -> str:
    """Hash of a staged book source (every file, with its path; or only those in the folder ``under``)
    and the strictness of the build."""
    digest = hashlib.sha256(str(strict).encode())
    for path in sorted(p for p in (source / under).rglob("*") if p.is_file()):
        digest.update(path.relative_to(source).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


@dataclass
class Running:
    """One Jupyter Book build under way: its process, log, start time and the stamp to write on success."""

    builder: str
    process: subprocess.Popen
    log_file: Path
    started: float
    stamp: Path
    source: str
    static_stamp: Path
    static: str


def start(builder: str, strict: bool, read_done: int | None = None) -> Running | None:
    """Start ``jupyter-book build`` for one builder (``bookmachine.jupyterbook``), or None when its output
    is current.

    ``read_done``: a pipe's writing end, on which the PDF's build says when Sphinx has read the pages.
    """
    if config.BUILD_DIR.name != "_build":
        raise BuildError(
            f"BOOK_BUILD_DIR must be a directory named _build (Jupyter Book writes to <parent>/_build), "
            f"not {config.BUILD_DIR}"
        )
    staged, path_output, product = BUILDERS[builder]
    stamp, source = config.BUILD_DIR / f"{builder}.source-sha256", staged_digest(staged, strict)
    if product.exists() and stamp.exists() and stamp.read_text() == source:
        progress(builder, "staged source unchanged since the last build: output kept")
        return None
    stamp.unlink(missing_ok=True)
    readers = (os.cpu_count() or 1) if builder == "pdflatex" else 1
    command = [
        sys.executable,
        "-m",
        "bookmachine.jupyterbook",
        str(readers),
        str(staged),
        "--path-output",
        str(path_output),
        "--builder",
        builder,
    ]
    if strict:
        command += ["-W", "-n", "--keep-going"]
    # Sphinx copies _static only when some page is rewritten: a changed script or stylesheet alone
    # would not reach the HTML, so a change there rebuilds every page.
    static_stamp, static = config.BUILD_DIR / f"{builder}.static-sha256", staged_digest(staged, strict, "_static")
    if not static_stamp.exists() or static_stamp.read_text() != static:
        command.append("--all")
        static_stamp.unlink(missing_ok=True)
    progress(builder, "jupyter-book build ...")
    log_file = config.BUILD_DIR / f"{builder}.log"
    environment = dict(os.environ, LATEXMKOPTS=f"-xelatex -r {shlex.quote(str(LATEXMKRC))}")
    if read_done is not None:
        environment[jupyterbook.READ_DONE_VARIABLE] = str(read_done)
    with open(log_file, "w") as log:
        process = subprocess.Popen(
            command,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=config.PROJECT_ROOT,
            env=environment,
            pass_fds=() if read_done is None else (read_done,),
        )
    return Running(builder, process, log_file, time.monotonic(), stamp, source, static_stamp, static)


def finish(running: Running) -> None:
    """Wait for one build; a failure raises BuildError with the end of its log. Reports wall and CPU time
    (Sphinx's and LaTeX's: on a busy machine the CPU time says what a build costs)."""
    _, status, usage = os.wait4(running.process.pid, 0)
    running.process.returncode = os.waitstatus_to_exitcode(status)
    if running.process.returncode != 0:
        tail = running.log_file.read_text(errors="replace").splitlines()[-40:]
        raise BuildError(
            f"jupyter-book ({running.builder}) failed; last lines of {running.log_file}:\n" + "\n".join(tail)
        )
    running.stamp.write_text(running.source)
    running.static_stamp.write_text(running.static)
    progress(
        running.builder,
        f"done in {time.monotonic() - running.started:.1f} s "
        f"({usage.ru_utime + usage.ru_stime:.1f} s CPU; log: {shown(running.log_file)})",
    )


def render(builders: dict[str, bool]) -> None:
    """Run the given builders (name -> Sphinx warnings are errors): the PDF's first, the HTML once the
    PDF's pages are read (or its build ended); the first failure is raised after every build has stopped."""
    running = []
    if "pdflatex" in builders:
        read_done, tell = os.pipe()
        try:
            try:
                latex = start("pdflatex", builders["pdflatex"], read_done=tell)
            finally:
                os.close(tell)
            if latex is not None:
                running.append(latex)
                os.read(read_done, 1)  # a byte when the pages are read; end of file if the build ended first
        finally:
            os.close(read_done)
    if "html" in builders and (html := start("html", builders["html"])) is not None:
        running.append(html)
    failures = []
    for build in running:
        try:
            finish(build)
        except BuildError as exc:
            failures.append(exc)
    if failures:
        raise failures[0]


def collect_pdf() -> Path:
    """Copy the LaTeX build's PDF to _build/pdf/book.pdf, and into the HTML book, whose header links to it."""
    built = LATEX_DIR / "book.pdf"
    if not built.exists():
        raise BuildError(f"no PDF at {built}; see {config.BUILD_DIR / 'pdflatex.log'}")
    PDF_DIR.mkdir(parents=True, exist_ok=True)
    target = PDF_DIR / "book.pdf"
    shutil.copyfile(built, target)
    shutil.copyfile(built, HTML_DIR / "book.pdf")
    return target
