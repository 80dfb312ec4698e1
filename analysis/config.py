"""Project paths, in one place so that code, tests and the build agree on where things live."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
CATALOG_FILE = DATA_DIR / "catalog.yml"
CURATED_DIR = DATA_DIR / "curated"
BUILD_DIR = Path(os.environ.get("BOOK_BUILD_DIR", PROJECT_ROOT / "_build")).resolve()
PARAMS_DIR = PROJECT_ROOT / "params"
CHAPTERS_DIR = PROJECT_ROOT / "chapters"


def raw_dir() -> Path:
    """Where verified raw inputs live: ``data/raw`` unless ``RAW_DATA_DIR`` points elsewhere (tests do)."""
    return Path(os.environ.get("RAW_DATA_DIR", DATA_DIR / "raw")).resolve()


def mirror_dirs() -> list[Path]:
    """Offline mirrors to copy raw files from, in order: the directories in ``DATA_MIRROR`` (several
    separated by ':'), else those of ``../shared/data/raw`` and ``../shared/data/vintages`` (CBP's past
    vintages, in one flat folder) that exist. A mirror holds a file at its catalog path
    (``cbp-encounters/x.csv``) or directly by its name; the sha256 decides either way."""
    configured = os.environ.get("DATA_MIRROR")
    if configured:
        return [Path(part).resolve() for part in configured.split(os.pathsep) if part]
    shared = PROJECT_ROOT.parent / "shared" / "data"
    return [folder.resolve() for folder in (shared / "raw", shared / "vintages") if folder.is_dir()]


READS_LOG_VARIABLE = "BOOK_READS_LOG"


def record_read(kind: str, name: str | Path) -> None:
    """Note an input a notebook read (``catalog <id>`` or ``file <path>``) in the file named by ``BOOK_READS_LOG``.

    The book machine sets the variable when it executes a chapter, so that the chapter's cache key
    covers exactly the inputs it read; otherwise this does nothing.
    """
    log = os.environ.get(READS_LOG_VARIABLE)
    if not log:
        return
    if isinstance(name, Path):
        name = name.resolve()
        name = name.relative_to(PROJECT_ROOT).as_posix() if name.is_relative_to(PROJECT_ROOT) else str(name)
    with open(log, "a", encoding="utf-8") as handle:
        handle.write(f"{kind}\t{name}\n")
