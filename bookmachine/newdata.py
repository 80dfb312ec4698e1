"""``make add-data FILE=...``: add a newer vintage of a raw file to the catalog, after validating it.

The file is recognized by its columns (and checked against the name pattern of its dataset),
validated with that dataset's loader, hashed, copied into ``data/raw/`` and appended to
``data/catalog.yml`` as a new entry; older vintages stay. The book's version gets a minor bump
(a data-only update). Anything unrecognized or invalid is refused with the reason, and the
catalog is left byte-identical.
"""
from __future__ import annotations

import argparse
import datetime as dt
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from analysis import catalog, config, encounters, seizures
from analysis.errors import DataError


@dataclass(frozen=True)
class Dataset:
    """How to recognize, validate and describe one kind of raw file."""
    dataset: str
    folder: str
    name_pattern: str
    columns: tuple
    load: object


DATASETS = (
    Dataset("cbp-drug-seizures", "cbp-drug-seizures", r"^nationwide-drugs-fy\d{2}-fy\d{2}(-[a-z]{3})?\.csv$",
            tuple(seizures.COLUMNS), seizures.read_seizure_file),
    Dataset("cbp-encounters", "cbp-encounters", r"^sbo-encounters-fy\d{2}-fy\d{2}(-[a-z]{3})?\.csv$",
            tuple(encounters.SBO_COLUMNS), encounters.load_sbo),
)


def header_of(path: Path) -> list[str]:
    """The file's first line, split into column names (BOM and padding removed)."""
    try:
        first = path.read_bytes().decode("utf-8-sig").splitlines()[0]
    except (UnicodeDecodeError, IndexError):
        raise DataError(path, "not a UTF-8 CSV with a header line") from None
    return [column.strip() for column in first.split(",")]


def recognize(path: Path) -> Dataset:
    """The dataset whose columns the file has; otherwise say which column is missing from the closest one."""
    columns = header_of(path)
    scored = sorted(DATASETS, key=lambda d: -len(set(d.columns) & set(columns)))
    best = scored[0]
    missing = [c for c in best.columns if c not in columns]
    if missing:
        raise DataError(path, f"not recognized: closest dataset is {best.dataset!r}, which needs this column",
                        column=missing[0], expected=f"the columns {list(best.columns)}")
    extra = [c for c in columns if c not in best.columns]
    if extra:
        raise DataError(path, f"unexpected column for dataset {best.dataset!r}", column=extra[0])
    if not re.match(best.name_pattern, path.name):
        raise DataError(path, f"file name does not follow {best.dataset!r} naming", expected=best.name_pattern)
    return best


def catalog_entry(path: Path, dataset: Dataset, frame: pd.DataFrame, sha256: str, previous: dict) -> dict:
    """A new catalog entry describing the added vintage, modelled on the dataset's latest entry."""
    first, last = frame["month"].min(), frame["month"].max()
    return {
        "id": path.stem, "file": f"{dataset.folder}/{path.name}", "sha256": sha256, "bytes": path.stat().st_size,
        "dataset": dataset.dataset, "publisher": previous["publisher"],
        "title": f"{previous['title'].split(' FY')[0]} FY{frame['fy'].min()}-FY{frame['fy'].max()} through {last:%B %Y}",
        "url": previous["url"], "license": previous["license"],
        "coverage": f"{first:%b %Y} - {last:%b %Y}, monthly", "vintage": f"{last:%Y-%m}",
        "obtained_from": f"added with make add-data from {path.name} on {dt.date.today().isoformat()}",
    }


def bump_minor_version(citation: Path) -> str:
    """0.1.0 -> 0.2.0 in CITATION.cff (a data-only update is a minor version); returns the new version."""
    text = citation.read_text(encoding="utf-8")
    match = re.search(r"^version: (\d+)\.(\d+)\.(\d+)$", text, flags=re.MULTILINE)
    if not match:
        raise DataError(citation, "no 'version: X.Y.Z' line")
    new = f"{match.group(1)}.{int(match.group(2)) + 1}.0"
    text = text.replace(match.group(0), f"version: {new}")
    text = re.sub(r"^date-released: .*$", f"date-released: {dt.date.today().isoformat()}", text, flags=re.MULTILINE)
    citation.write_text(text, encoding="utf-8")
    return new


def add(path: Path) -> dict:
    """Validate and register one file; returns its catalog entry. Nothing is written unless all checks pass."""
    path = path.resolve()
    if not path.is_file():
        raise DataError(path, "no such file")
    dataset = recognize(path)
    frame = dataset.load(path)
    sha256 = catalog.sha256_of(path)
    entries = catalog.load_catalog()
    if any(e["sha256"] == sha256 for e in entries):
        raise DataError(path, "already in the catalog (same sha256)")
    if any(e["id"] == path.stem for e in entries):
        raise DataError(path, f"the catalog already has an entry {path.stem!r} with other bytes",
                        expected="a new vintage under a new file name (CBP names files by their last month)")
    previous = sorted(catalog.entries_for(dataset.dataset, entries), key=lambda e: e.get("vintage", ""))[-1]
    entry = catalog_entry(path, dataset, frame, sha256, previous)
    target = config.raw_dir() / entry["file"]
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path, target)
    with open(config.CATALOG_FILE, "a", encoding="utf-8") as handle:
        handle.write(yaml.safe_dump([entry], sort_keys=False, width=110, allow_unicode=True))
    entry["book_version"] = bump_minor_version(config.PROJECT_ROOT / "CITATION.cff")
    return entry


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bookmachine.newdata", description="Add a newer vintage of a raw file.")
    parser.add_argument("file", type=Path)
    arguments = parser.parse_args(argv)
    try:
        entry = add(arguments.file)
    except DataError as exc:
        print(f"\nREFUSED: {exc}\ndata/catalog.yml is unchanged.\n", file=sys.stderr)
        return 1
    print(f"added {entry['file']} (dataset {entry['dataset']}, vintage {entry['vintage']}, sha256 {entry['sha256'][:12]})\n"
          f"book version is now {entry['book_version']}. Next: make book, then make release.\n"
          "Keep the file in data/raw (or your DATA_MIRROR) and commit data/catalog.yml and CITATION.cff.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
