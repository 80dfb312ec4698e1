"""``jupyter-book build`` as ``bookmachine.render`` runs it: pages read in parallel, a word when they are
read, and no clean-up at exit.

    python -m bookmachine.jupyterbook READERS <what follows ``jupyter-book build``: the source, options>

The PDF is the longer of the two builds (Sphinx's LaTeX writer, then XeLaTeX, one pass after the
other), and half of its Sphinx time is reading the pages: with one reader per core, and the HTML
build started only once they are read (``READ_DONE_VARIABLE``), the PDF is done sooner and the HTML
no later. Jupyter Book 1's command line has no ``-j``, but its ``build_sphinx`` takes ``jobs``; this
runs Jupyter Book's own command with that set. When the build is done, the process leaves without
Python's clean-up, which took 2-3 s of CPU per build collecting every page's document tree.

Sphinx reads in parallel only when every extension declares that it may; two that Jupyter Book
loads declare nothing, so Sphinx warns (an error under ``-W``) and reads serially. Both are safe,
and are declared so here:

- sphinx-multitoc-numbering only replaces ``TocTreeCollector.assign_section_numbers``, which Sphinx
  calls in the main process after every page has been read;
- sphinx-jupyterbook-latex sets its environment attributes when the builder starts (before the
  readers are forked), its two read-time transforms change only the page being read and read only
  the configuration, and everything else it does runs while writing, in the main process.

``tests/machine/test_jupyterbook.py`` checks that the LaTeX a parallel read writes is byte-identical to
a serial read's.
"""

from __future__ import annotations

import functools
import importlib
import os
import sys

import click

UNDECLARED_BUT_SAFE = ("sphinx_multitoc_numbering", "sphinx_jupyterbook_latex")
READ_DONE_VARIABLE = "BOOK_READ_DONE_FD"  # a file descriptor: one byte is written to it when the pages are read


def declared_parallel_safe(name: str) -> None:
    """Make an extension's ``setup`` also declare that Sphinx may read and write in parallel with it."""
    module = importlib.import_module(name)
    setup = module.setup

    @functools.wraps(setup)
    def declaring(app):
        metadata = setup(app) or {}
        return {**metadata, "parallel_read_safe": True, "parallel_write_safe": True}

    module.setup = declaring


def tell_when_read(descriptor: int) -> None:
    """Write one byte to ``descriptor`` (and close it) when Sphinx has read every page (its ``env-updated``
    event, in the main process after the readers' results are merged)."""
    from sphinx.application import Sphinx

    build = Sphinx.build

    def tell(app, env) -> None:
        os.write(descriptor, b"r")
        os.close(descriptor)

    @functools.wraps(build)
    def build_and_tell(self, *arguments, **options):
        self.connect("env-updated", tell)
        return build(self, *arguments, **options)

    Sphinx.build = build_and_tell


def main(argv: list[str]) -> int:
    import jupyter_book.sphinx
    from jupyter_book.cli.main import build

    readers, arguments = int(argv[0]), argv[1:]
    for name in UNDECLARED_BUT_SAFE:
        declared_parallel_safe(name)
    if READ_DONE_VARIABLE in os.environ:
        tell_when_read(int(os.environ.pop(READ_DONE_VARIABLE)))
    jupyter_book.sphinx.build_sphinx = functools.partial(jupyter_book.sphinx.build_sphinx, jobs=readers)
    try:
        build.main(arguments, prog_name="jupyter-book build", standalone_mode=False)
    except SystemExit as stop:  # Jupyter Book's way to report a failed build
        return stop.code if isinstance(stop.code, int) else 0 if stop.code is None else 1
    except click.ClickException as exc:  # a wrong argument
        exc.show()
        return exc.exit_code
    return 0


def exit_now(code: int) -> None:
    """Leave without Python's clean-up: it would collect the whole book's documents (seconds of CPU for
    a build whose every file is already written and closed)."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    exit_now(main(sys.argv[1:]))
