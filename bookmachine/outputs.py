"""What every step of the build shares: where its outputs live under ``_build/``, how it prints
progress, and the error it raises when a tool (Sphinx, Jupyter Book, LaTeX) fails.
"""

from __future__ import annotations

import time
from pathlib import Path

from analysis import config

EXECUTED_DIR = config.BUILD_DIR / "executed"
STAGE_DIR = config.BUILD_DIR / "src"  # the staged book source, as the HTML build reads it
HTML_DIR = config.BUILD_DIR / "html"
PDF_DIR = config.BUILD_DIR / "pdf"
LATEX_STAGE_DIR = config.BUILD_DIR / "pdflatex" / "src"  # the staged source as the LaTeX build reads it
LATEX_DIR = config.BUILD_DIR / "pdflatex" / "_build" / "latex"  # the LaTeX build, beside the HTML one
PARSED_DIR = config.BUILD_DIR / "parsed"  # slow parses of raw inputs, kept by input hash (analysis.data.parsed)
FIGURE_DATA_DIR = config.BUILD_DIR / "figure-data"  # analysis.book.interactive.figure_data_dir(): charts' CSVs
NUMBERS_FILE = config.BUILD_DIR / "numbers.json"
NUMBER_SOURCES_FILE = config.BUILD_DIR / "number-sources.json"
MANIFEST_NAME = "build-manifest.json"
_START = time.monotonic()


def shown(path: Path) -> str:
    """A path as the user should read it: relative to the project when inside it."""
    return str(path.relative_to(config.PROJECT_ROOT)) if path.is_relative_to(config.PROJECT_ROOT) else str(path)


def progress(step: str, message: str) -> None:
    """One progress line: elapsed seconds since the build started, the step, what it is doing."""
    print(f"[{time.monotonic() - _START:6.1f}s] {step}: {message}", flush=True)


class BuildError(Exception):
    """Sphinx/Jupyter Book or LaTeX failed (not an input problem)."""
