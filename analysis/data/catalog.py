"""The data catalog: every raw input, where to obtain it, and the sha256 it must have.

Raw files are copied from a mirror directory or downloaded from their official URL into
``data/raw/`` and checked against the catalog's sha256 before any loader reads them. A file that is
missing or differs stops the build with a message naming it; raw files are never edited.

Command line: ``python -m analysis.data.catalog fetch`` obtains and verifies every file.
"""

from __future__ import annotations

import copy
import hashlib
import shutil
import sys
import tempfile
import time
import urllib.request
from pathlib import Path, PurePosixPath

import yaml

from analysis import config
from analysis.errors import DataError

REQUIRED_FIELDS = ("id", "file", "sha256", "dataset", "publisher", "title", "url", "license")
_verified: dict[Path, tuple[int, int]] = {}


_parsed: dict[tuple, list[dict]] = {}
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's safe loader when available


def load_catalog(catalog_file: Path = config.CATALOG_FILE) -> list[dict]:
    """Read and validate the catalog (safe YAML only): required fields, unique ids, confined paths.

    Parsed once per version of the file (path, size, modification time); callers get a copy.
    """
    try:
        stat = catalog_file.stat()
        key = (str(catalog_file.resolve()), stat.st_size, stat.st_mtime_ns)
        if key not in _parsed:
            _parsed[key] = _validated(
                catalog_file, yaml.load(catalog_file.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
            )
    except (OSError, yaml.YAMLError) as exc:
        raise DataError(catalog_file, f"cannot read the catalog ({exc})") from None
    return copy.deepcopy(_parsed[key])


def _validated(catalog_file: Path, document) -> list[dict]:
    entries = (document or {}).get("files")
    if not isinstance(entries, list) or not entries:
        raise DataError(catalog_file, "no 'files' list", expected="a YAML mapping with a 'files' list")
    seen: set[str] = set()
    for position, entry in enumerate(entries):
        missing = [field for field in REQUIRED_FIELDS if not entry.get(field)]
        if missing:
            raise DataError(catalog_file, f"entry {position} lacks {', '.join(missing)}")
        if entry["id"] in seen:
            raise DataError(catalog_file, f"duplicate id {entry['id']!r}")
        seen.add(entry["id"])
        _check_confined(catalog_file, entry["file"])
        for field in ("url", "download_url"):
            if entry.get(field) and not str(entry[field]).startswith("https://"):
                raise DataError(
                    catalog_file, f"entry {entry['id']!r}: {field} is not HTTPS", expected="an https:// URL"
                )
    return entries


def _check_confined(catalog_file: Path, relative: str) -> None:
    """Refuse catalog paths that could point outside ``data/raw`` (absolute, or with '..')."""
    parts = PurePosixPath(relative).parts
    if PurePosixPath(relative).is_absolute() or ".." in parts or "\\" in relative:
        raise DataError(
            catalog_file, f"file path {relative!r} leaves data/raw", expected="a relative path inside data/raw"
        )


def entry(file_id: str, entries: list[dict] | None = None) -> dict:
    """The catalog entry with this id."""
    for candidate in entries if entries is not None else load_catalog():
        if candidate["id"] == file_id:
            return candidate
    raise DataError(config.CATALOG_FILE, f"no entry with id {file_id!r}")


def entries_for(dataset: str, entries: list[dict] | None = None) -> list[dict]:
    """All catalog entries of one dataset (e.g. every vintage of the CBP drug seizure file)."""
    return [e for e in (entries if entries is not None else load_catalog()) if e["dataset"] == dataset]


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def path(file_id: str) -> Path:
    """Local path of a verified raw file, obtaining it first if it is not in ``data/raw`` yet."""
    return fetch(entry(file_id))


def fetch(item: dict, raw: Path | None = None, mirror: Path | list[Path] | None = None) -> Path:
    """Make ``data/raw/<file>`` hold exactly the catalogued bytes, or raise a DataError saying how to get them.

    The file comes from the first mirror holding it (``config.mirror_dirs``: at its catalog path, or
    flat by its name), else from its ``download_url``; either way its sha256 must match.
    """
    config.record_read("catalog", item["id"])
    raw = raw or config.raw_dir()
    mirrors = config.mirror_dirs() if mirror is None else [mirror] if isinstance(mirror, Path) else list(mirror)
    target = raw / item["file"]
    if target.exists():
        _verify(target, item)
        return target
    name = PurePosixPath(item["file"]).name
    source = next(
        (place for folder in mirrors for place in (folder / item["file"], folder / name) if place.exists()), None
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    if source is not None:
        _install(target, item, write=lambda tmp: shutil.copyfile(source, tmp), origin=str(source))
    elif item.get("download_url"):
        _install(target, item, write=lambda tmp: _download(item["download_url"], tmp), origin=item["download_url"])
    else:
        where = (
            f"the mirrors {', '.join(map(str, mirrors))}"
            if mirrors
            else "any mirror (DATA_MIRROR unset; ../shared/data/raw and ../shared/data/vintages absent)"
        )
        raise DataError(
            target,
            f"missing: not in data/raw, not in {where}, and no direct download URL is known",
            expected=f"the file published at {item['url']} ({item['title']}), sha256 {item['sha256']}; "
            f"save it as {target} or set DATA_MIRROR to a directory holding {item['file']} or {name}",
        )
    return target


def _install(target: Path, item: dict, *, write, origin: str) -> None:
    """Write a file to a temporary name, check its hash, then move it into place (never half a file)."""
    with tempfile.NamedTemporaryFile(dir=target.parent, delete=False, suffix=".part") as handle:
        temporary = Path(handle.name)
    try:
        write(temporary)
        actual = sha256_of(temporary)
        if actual != item["sha256"]:
            raise DataError(
                origin,
                f"sha256 mismatch: got {actual}, catalog expects {item['sha256']}",
                expected=f"the unmodified file from {item['url']}; if the publisher released "
                "a new vintage, add it as a new catalog entry (make add-data)",
            )
        temporary.replace(target)
        _verified[target] = _stamp(target)
    finally:
        temporary.unlink(missing_ok=True)


def _download(url: str, destination: Path) -> None:
    """Download over HTTPS only; network failures become a DataError naming the URL."""
    if not url.startswith("https://"):
        raise DataError(url, "refusing a non-HTTPS download")
    try:
        with urllib.request.urlopen(url, timeout=60) as response, open(destination, "wb") as out:
            shutil.copyfileobj(response, out)
    except OSError as exc:
        raise DataError(
            url,
            f"download failed ({exc})",
            expected="network access to the publisher, or a DATA_MIRROR holding the file",
        ) from None


def _stamp(target: Path) -> tuple[int, int]:
    stat = target.stat()
    return stat.st_size, stat.st_mtime_ns


def _verify(target: Path, item: dict) -> None:
    """Check a file already in data/raw; hashed once per process unless it changed on disk."""
    if _verified.get(target) == _stamp(target):
        return
    actual = sha256_of(target)
    if actual != item["sha256"]:
        raise DataError(
            target,
            f"sha256 mismatch: got {actual}, catalog expects {item['sha256']}",
            expected=f"the unmodified file from {item['url']}. Raw files are never edited: delete {target} "
            "to obtain it again from the mirror, or add a new vintage with make add-data",
        )
    _verified[target] = _stamp(target)


def fetch_all(entries: list[dict] | None = None) -> list[dict]:
    """Obtain and verify every catalogued file; returns one record per file for the build manifest."""
    entries = entries if entries is not None else load_catalog()
    started = time.monotonic()
    records = []
    for item in entries:
        local = fetch(item)
        records.append(
            {"id": item["id"], "file": item["file"], "sha256": item["sha256"], "bytes": local.stat().st_size}
        )
    print(
        f"[data] {len(records)} raw files present and verified (sha256) in {time.monotonic() - started:.1f} s",
        flush=True,
    )
    return records


def main(argv: list[str]) -> int:
    """``python -m analysis.data.catalog fetch``: obtain and verify every input, or explain what is wrong."""
    if argv[:1] != ["fetch"]:
        print("usage: python -m analysis.data.catalog fetch", file=sys.stderr)
        return 2
    try:
        fetch_all()
    except DataError as exc:
        print(f"\nDATA ERROR\n{exc}\n", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
