"""Shared fixtures: synthetic seizure files and the real, verified raw inputs."""

from __future__ import annotations

import functools
import os
from pathlib import Path

# One BLAS thread, as in the build's kernels: on 2 cores, threaded linear algebra inside the
# bootstrap and Monte Carlo tests fights the other process for the same cores and runs slower.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import pytest  # noqa: E402  (after the thread settings, before numpy is imported)

from analysis import config  # noqa: E402
from analysis.data import catalog  # noqa: E402

HEADER = "FY,Month (abbv),Component,Region,Land Filter,Area of Responsibility,Drug Type,Count of Event,Sum Qty (lbs)"


def seizure_csv(rows: list[str], header: str = HEADER, newline: str = "\n") -> str:
    """A synthetic CBP seizure file with the published header."""
    return newline.join([header, *rows]) + newline


@pytest.fixture(autouse=True)
def one_page_of_downloads(monkeypatch):
    """Each test saves downloads as one page does: a name another test used is free again
    (``analysis.book.downloads.save`` refuses two different downloads under one name on a page)."""
    from analysis.book import downloads

    monkeypatch.setattr(downloads, "SAVED", {})


@pytest.fixture
def write_csv(tmp_path):
    """Write text to a CSV file in a temporary directory and return its path."""

    def write(text: str, name: str = "nationwide-drugs-test.csv", encoding: str = "utf-8"):
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        return path

    return write


@pytest.fixture(scope="session")
def real_data():
    """Every catalogued raw file, verified; skipped (with the reason) where no copy can be obtained."""
    if not config.mirror_dirs() and not config.raw_dir().exists():
        pytest.skip("no raw data: set DATA_MIRROR or place ../shared/data/raw beside the project")
    return catalog.fetch_all()


def run_build(build_dir, *arguments, cwd=None, base_environment=None, **environment):
    """``python -m bookmachine.build <arguments>`` with its _build in ``build_dir``; returns the finished process.

    The environment is this process's (or ``base_environment``) with ``environment`` added."""
    import subprocess
    import sys

    env = dict(os.environ if base_environment is None else base_environment, BOOK_BUILD_DIR=str(build_dir))
    env.update(environment)
    return subprocess.run(
        [sys.executable, "-m", "bookmachine.build", *arguments],
        cwd=cwd or config.PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def seed_build(target, source=None):
    """Copy a build's executed notebooks (with their dependency records), figure data, kept parses
    (``analysis.data.parsed``) and the staged Vega bundle into ``target``.

    The build then re-executes only the notebooks whose dependencies differ, so tests reuse one
    execution instead of running the same chapters again (and vl-convert's bundle is not made again).
    """
    import shutil

    source = source or config.BUILD_DIR
    for part in ("executed", "figure-data", "parsed"):
        if (source / part).is_dir():
            shutil.copytree(source / part, target / part, dirs_exist_ok=True)
    bundle = Path("src") / "_static" / "vega-bundle.js"
    if (source / bundle).is_file():
        (target / bundle).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / bundle, target / bundle)
    return target


@functools.cache
def rendered_html(build_dir):
    """The HTML book of ``build_dir``'s staged source, rendered strictly: (html directory, build log).

    When the project's own ``_build/html`` was rendered strictly from a byte-identical staged source
    (``make book`` before ``make test``), that rendering is the one this source would give, and is
    used; otherwise Jupyter Book renders this source here, once per session (the staged source of a
    session's build does not change once built).
    """
    import subprocess
    import sys

    from bookmachine import render

    stamp, html = config.BUILD_DIR / "html.source-sha256", config.BUILD_DIR / "html"
    if (
        (html / "index.html").exists()
        and stamp.exists()
        and stamp.read_text() == render.staged_digest(build_dir / "src", strict=True)
    ):
        return html, (config.BUILD_DIR / "html.log").read_text(errors="replace")
    result = subprocess.run(
        [
            str(Path(sys.executable).with_name("jupyter-book")),
            "build",
            str(build_dir / "src"),
            "--path-output",
            str(build_dir.parent),
            "--builder",
            "html",
            "-W",
            "-n",
            "--keep-going",
        ],
        cwd=config.PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    return build_dir / "html", result.stdout + result.stderr


@pytest.fixture(scope="session")
def executed_book(tmp_path_factory, real_data):
    """Every chapter executed once per test session (params/default.yml, two notebooks at a time), in a
    temporary _build: the build log's stdout and stderr, and the _build path.

    It starts from the project's own ``_build`` cache when there is one (after ``make book``), so only
    notebooks whose dependencies changed run. Tests that need more builds seed them from this one
    with ``seed_build``.
    """
    build_dir = seed_build(tmp_path_factory.mktemp("book") / "_build")
    result = run_build(build_dir, "notebooks", "--params", "params/default.yml", "--jobs", "2")
    assert result.returncode == 0, result.stderr
    return {"build_dir": build_dir, "log": result.stdout + result.stderr}


@pytest.fixture(scope="session")
def html_book(executed_book):
    """The whole book rendered to HTML once per session (Sphinx warnings are errors): (html directory, build log).

    ``rendered_html``: the project's own strict HTML when it was rendered from a byte-identical staged
    source (``make book`` before ``make test``), else a rendering of the session's staged source.
    """
    return rendered_html(executed_book["build_dir"])


def newer_seizure_vintage(directory):
    """A synthetic newer CBP seizure file: the December 2025 file with January 2026 appended (a copy of
    December's rows), named as CBP names its monthly files."""
    lines = catalog.path("nationwide-drugs-fy23-fy26-dec").read_bytes().decode("utf-8").splitlines()
    january = [
        line.replace("2026 (FYTD),DEC,", "2026 (FYTD),JAN,") for line in lines if line.startswith("2026 (FYTD),DEC,")
    ]
    path = directory / "nationwide-drugs-fy23-fy26-jan.csv"
    path.write_text("\r\n".join(lines + january) + "\r\n", encoding="utf-8")
    return path


def seizure_vintage_inputs(root):
    """What ``add_newer_seizure_vintage_and_rebuild`` takes from this process, read here (in the session's
    thread: tests change the environment while a background thread works): the directory to work in,
    the newer vintage written there, the raw-data directory and the environment."""
    return {
        "root": root,
        "newer": newer_seizure_vintage(root),
        "raw": config.raw_dir(),
        "environment": dict(os.environ),
    }


def add_newer_seizure_vintage_and_rebuild(inputs, executed_book):
    """``make add-data`` of a newer seizure vintage in a copy of the project, then a rebuild of every page
    seeded from the session's execution (so only what the new file touches runs); ``inputs`` from
    ``seizure_vintage_inputs``.

    The session's numbers are kept first as ``releases/numbers-0.1.0.json`` of the copy, so its "What
    changed" page compares with them. Returns the copy, its _build, the numbers before, and the logs.
    """
    import json
    import shutil
    import subprocess
    import sys

    root, base = inputs["root"], inputs["environment"]
    project = root / "project"
    shutil.copytree(
        config.PROJECT_ROOT,
        project,
        ignore=shutil.ignore_patterns(
            ".venv", "_build", "raw", ".git", "__pycache__", ".pytest_cache", ".hypothesis", "releases"
        ),
    )
    before = executed_book["build_dir"] / "numbers.json"
    (project / "releases").mkdir()
    shutil.copyfile(before, project / "releases" / "numbers-0.1.0.json")
    environment = dict(DATA_MIRROR=str(inputs["raw"]), RAW_DATA_DIR=str(root / "raw"))
    added = subprocess.run(
        [sys.executable, "-m", "bookmachine.newdata", str(inputs["newer"])],
        cwd=project,
        env=dict(base, **environment),
        capture_output=True,
        text=True,
    )
    assert added.returncode == 0, added.stderr
    build_dir = seed_build(root / "_build", executed_book["build_dir"])
    rebuilt = run_build(build_dir, "notebooks", cwd=project, base_environment=base, **environment)
    assert rebuilt.returncode == 0, rebuilt.stderr
    return {
        "project": project,
        "build_dir": build_dir,
        "numbers_before": json.loads(before.read_text()),
        "add_data_log": added.stdout + added.stderr,
        "log": rebuilt.stdout + rebuilt.stderr,
    }


class Background:
    """A slow fixture's work (other processes, mostly: builds, ``make add-data``) done in a thread while
    the session runs other tests; ``result`` waits for it and returns its value or raises its error."""

    def __init__(self, work, *arguments):
        import threading

        self.value, self.error = None, None
        self.thread = threading.Thread(target=self._run, args=(work, *arguments), daemon=True)
        self.thread.start()

    def _run(self, work, *arguments):
        try:
            self.value = work(*arguments)
        except BaseException as exc:  # noqa: BLE001  raised again in the test that asks for the result
            self.error = exc

    def result(self):
        self.thread.join()
        if self.error is not None:
            raise self.error
        return self.value


# Session fixtures computed in the background (``Background``) as soon as the session's book is executed,
# when a selected test uses them: fixture name -> a function giving (what it reads in the session's thread,
# given a fresh directory; the work done in the background, given that and executed_book).
def _chain_work():
    """The real-vintage chain's two steps, from ``machine/test_newdata.py`` (collected by then: pytest put
    its folder on ``sys.path``, so this is the module the tests use)."""
    import test_newdata

    return test_newdata.chain_inputs, test_newdata.add_real_vintages_and_rebuild


BACKGROUND_WORK = {
    "seizure_vintage_rebuild": lambda: (seizure_vintage_inputs, add_newer_seizure_vintage_and_rebuild),
    "chain": _chain_work,
}
_wanted_in_background: set[str] = set()


def pytest_collection_modifyitems(session, config, items):
    """Note which background fixtures (``BACKGROUND_WORK``) the selected tests use."""
    _wanted_in_background.update(
        name for name in BACKGROUND_WORK if any(name in getattr(item, "fixturenames", ()) for item in items)
    )


@pytest.fixture(scope="session", autouse=True)
def background(request, tmp_path_factory):
    """At the session's first test: the background fixtures the selected tests use, started (name ->
    ``Background``). Nothing starts without raw data, or when the session's book could not be executed
    (the tests that use it report why)."""
    if not _wanted_in_background or (not config.mirror_dirs() and not config.raw_dir().exists()):
        return {}
    try:
        executed = request.getfixturevalue("executed_book")
    except (Exception, pytest.skip.Exception, pytest.fail.Exception):  # the tests that use it report why
        return {}
    started = {}
    for name in sorted(_wanted_in_background):
        read_inputs, work = BACKGROUND_WORK[name]()
        try:
            inputs = read_inputs(tmp_path_factory.mktemp(name))
        except pytest.skip.Exception:  # the tests that use it report why
            continue
        started[name] = Background(work, inputs, executed)
    return started


@pytest.fixture(scope="session")
def seizure_vintage_rebuild(tmp_path_factory, executed_book, background):
    """``add_newer_seizure_vintage_and_rebuild`` once per session, started in the background at the
    session's first test when the selected tests use it."""
    if "seizure_vintage_rebuild" in background:
        return background["seizure_vintage_rebuild"].result()
    inputs = seizure_vintage_inputs(tmp_path_factory.mktemp("vintage"))
    return add_newer_seizure_vintage_and_rebuild(inputs, executed_book)
