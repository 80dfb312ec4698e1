"""Parsed inputs kept by input hash: a notebook that runs again does not parse an unchanged file again.

Parsing CBP's FY2000-FY2020 monthly PDF with pdfplumber takes seconds, and its result depends only
on the file's bytes, the parser and the installed packages. ``kept`` wraps such a loader. When the
build names a directory in ``BOOK_PARSED_DIR`` (it does for the notebooks it runs: ``_build/parsed``),
the loader's result is stored there, keyed by the loader, the file's sha256, the other arguments,
the source of every ``analysis`` module and the pinned requirements, and read back while all of
these are unchanged. Anywhere else (a test calling the loader, a reader's own session) the loader
simply parses. The inputs the loader records as read (``config.record_read``) are stored with the
result and recorded again when it is reused, so a notebook's cache key stays complete.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import sys
from pathlib import Path

from analysis import config

DIRECTORY_VARIABLE = "BOOK_PARSED_DIR"


@functools.cache
def code_digest() -> str:
    """sha256 of what a parse can depend on besides its file: the analysis sources, pins and Python."""
    digest = hashlib.sha256(sys.version.encode())
    for path in sorted((config.PROJECT_ROOT / "analysis").rglob("*.py")) + [config.PROJECT_ROOT / "requirements.txt"]:
        if path.exists():
            digest.update(path.relative_to(config.PROJECT_ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def entry(directory: Path, loader: str, path: Path, arguments: tuple, options: dict) -> Path:
    """The file that holds (or will hold) one parse: loader, input's sha256, arguments, then the code."""
    file_hash = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    call = hashlib.sha256(repr((arguments, sorted(options.items()))).encode()).hexdigest()
    return directory / f"{loader}-{file_hash[:20]}-{call[:12]}-{code_digest()[:20]}.pickle"


def _log_size() -> int:
    log = os.environ.get(config.READS_LOG_VARIABLE)
    return Path(log).stat().st_size if log and Path(log).exists() else 0


def _reads_since(size: int) -> str:
    """The read records the loader added to the reads log (empty when the build keeps none)."""
    log = os.environ.get(config.READS_LOG_VARIABLE)
    if not log or not Path(log).exists():
        return ""
    with open(log, encoding="utf-8") as handle:
        handle.seek(size)
        return handle.read()


def kept(load):
    """Wrap a loader whose first argument is an input file: its parse is kept by input hash (see above)."""

    @functools.wraps(load)
    def wrapper(path, *arguments, **options):
        directory = os.environ.get(DIRECTORY_VARIABLE)
        if not directory:
            return load(path, *arguments, **options)
        stored = entry(Path(directory), load.__name__, path, arguments, options)
        if stored.exists():
            result, reads = pickle.loads(stored.read_bytes())
            log = os.environ.get(config.READS_LOG_VARIABLE)
            if reads and log:
                with open(log, "a", encoding="utf-8") as handle:
                    handle.write(reads)
            return result
        size = _log_size()
        result = load(path, *arguments, **options)
        stored.parent.mkdir(parents=True, exist_ok=True)
        for older in stored.parent.glob(stored.name.rsplit("-", 1)[0] + "-*.pickle"):
            older.unlink(missing_ok=True)  # the same call parsed by older code
        scratch = stored.with_suffix(f".{os.getpid()}.part")
        scratch.write_bytes(pickle.dumps((result, _reads_since(size)), protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(scratch, stored)
        return result

    return wrapper
