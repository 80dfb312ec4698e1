"""The PDF's Sphinx build reads pages in parallel (bookmachine.jupyterbook): the same LaTeX as a serial read,
and the HTML build is told when the pages are read."""

from __future__ import annotations

import os
import subprocess
import sys

import yaml

from analysis import config

PAGES = 7  # Sphinx reads in parallel only with more than 5 pages to read


def small_book(root):
    """A book of several pages with sections, a cross-reference and an admonition."""
    root.mkdir()
    (root / "_config.yml").write_text(
        yaml.safe_dump(
            {
                "title": "Small",
                "author": "Test",
                "execute": {"execute_notebooks": "off"},
                "latex": {"latex_documents": {"targetname": "book.tex"}},
            }
        )
    )
    chapters = [{"file": f"page{number}"} for number in range(1, PAGES)]
    (root / "_toc.yml").write_text(yaml.safe_dump({"format": "jb-book", "root": "intro", "chapters": chapters}))
    (root / "intro.md").write_text("# Small book\n\nSee {ref}`page-three`.\n")
    for number in range(1, PAGES):
        label = "(page-three)=\n" if number == 3 else ""
        (root / f"page{number}.md").write_text(
            f"{label}# Page {number}\n\nText {number}.\n\n## A section of page {number}\n\n"
            f"```{{note}}\nA note on page {number}.\n```\n"
        )
    return root


def build_latex(source, output, jobs, **environment):
    return subprocess.run(
        [sys.executable, "-m", "bookmachine.jupyterbook", str(jobs), str(source), "--path-output", str(output)]
        + ["--builder", "latex", "-W", "-n", "--keep-going"],
        cwd=config.PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        **environment,
    )


def test_a_parallel_read_writes_the_same_latex_as_a_serial_one_without_a_warning(tmp_path):
    source = small_book(tmp_path / "book")
    serial = build_latex(source, tmp_path / "serial", 1)
    parallel = build_latex(source, tmp_path / "parallel", 2)
    for result in (serial, parallel):
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
        assert "WARNING" not in result.stdout + result.stderr
    written = [(tmp_path / name / "_build" / "latex" / "book.tex").read_text() for name in ("serial", "parallel")]
    assert "Page 6" in written[0] and written[0] == written[1]


def test_the_build_says_when_the_pages_are_read(tmp_path):
    source = small_book(tmp_path / "book")
    read_done, tell = os.pipe()
    try:
        result = build_latex(
            source,
            tmp_path / "out",
            2,
            env=dict(os.environ, BOOK_READ_DONE_FD=str(tell)),
            pass_fds=(tell,),
        )
        os.close(tell)
        assert result.returncode == 0, result.stderr[-2000:]
        assert os.read(read_done, 10) == b"r"
    finally:
        os.close(read_done)
