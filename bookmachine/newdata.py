"""``make add-data FILE=...``: add a newer vintage of a reissued dataset to the catalog, after checking it.

The file is recognized by its columns (CSV) or sheets (workbook) among the datasets CBP and DHS
reissue (``analysis.data.datasets.REISSUED``), and refused unless:
- a chapter reads its dataset (a file nothing reads would be a silent wrong answer);
- it holds every month its name promises (first fiscal year, last month) and none beyond;
- the months it shares with the book's data are revised only as CBP's own revisions are
  (``analysis.data.vintages.check_revisions``: settled months unchanged, the last few months within
  bounds). ``--accept-revisions`` (``make add-data ... ACCEPT_REVISIONS=1``) accepts a vintage
  that breaks the pattern; the catalog entry then records every such month, old and new, and the
  What-changed page lists them.
It is then hashed, copied into ``data/raw/`` and appended to ``data/catalog.yml`` as a new entry;
older vintages stay. The book's version gets a minor bump (a data-only update). A refused file
leaves the catalog byte-identical.
"""
from __future__ import annotations

import argparse
import datetime as dt
import re
import shutil
import sys
import zipfile
from pathlib import Path

import pandas as pd
import yaml

from analysis import config
from analysis.data import catalog, datasets, vintages
from analysis.errors import DataError

LISTED = 24  # months shown in a refusal before "and N more"


def header_of(path: Path) -> list[str]:
    """The file's first line, split into column names (BOM and padding removed)."""
    try:
        first = path.read_bytes().decode("utf-8-sig").splitlines()[0]
    except (UnicodeDecodeError, IndexError):
        raise DataError(path, "not a UTF-8 CSV with a header line") from None
    return [column.strip() for column in first.split(",")]


def sheets_of(path: Path) -> list[str]:
    """Sheet names of an .xlsx workbook (read from its index, without loading the cells)."""
    try:
        with zipfile.ZipFile(path) as archive:
            index = archive.read("xl/workbook.xml").decode("utf-8")
    except (zipfile.BadZipFile, KeyError):
        raise DataError(path, "not an .xlsx workbook") from None
    return re.findall(r'<sheet[^>]*\bname="([^"]+)"', index)


def recognize(path: Path) -> vintages.Reissued:
    """The reissued dataset whose columns (or sheets) the file has; otherwise say what is missing."""
    if path.suffix.lower() == ".xlsx":
        names, candidates = sheets_of(path), [d for d in datasets.REISSUED.values() if d.sheets]
        best = max(candidates, key=lambda d: len(set(d.sheets) & set(names)))
        missing = [sheet for sheet in best.sheets if sheet not in names]
        if missing:
            raise DataError(path, f"not recognized: closest dataset is {best.dataset!r}, which needs the sheet "
                                  f"{missing[0]!r}", expected=f"the sheets {list(best.sheets)}")
    else:
        columns, candidates = header_of(path), [d for d in datasets.REISSUED.values() if d.header]
        best = max(candidates, key=lambda d: len(set(d.header) & set(columns)))
        missing = [c for c in best.header if c not in columns]
        if missing:
            raise DataError(path, f"not recognized: closest dataset is {best.dataset!r}, which needs this column",
                            column=missing[0], expected=f"the columns {list(best.header)}")
        extra = [c for c in columns if c not in best.header]
        if extra:
            raise DataError(path, f"unexpected column for dataset {best.dataset!r}", column=extra[0])
    if not best.matches(path.name):
        raise DataError(path, f"file name does not follow {best.dataset!r} naming", expected=best.name_pattern)
    return best


def require_a_reader(path: Path, spec: vintages.Reissued, chapters_dir: Path) -> list[str]:
    """The chapters that read this dataset; none is a refusal (an unread file changes nothing, silently)."""
    readers = datasets.chapters_reading(spec, chapters_dir)
    if not readers:
        raise DataError(path, f"no chapter reads dataset {spec.dataset!r}, so adding this file would change nothing "
                              "in the book", expected="a file of a dataset a chapter reads, or first a chapter "
                                                      f"that reads it (datasets.load({spec.dataset!r}))")
    return readers


def _listing(rows: list[str]) -> str:
    shown = rows[:LISTED] + ([f"... and {len(rows) - LISTED} more"] if len(rows) > LISTED else [])
    return "\n  " + "\n  ".join(shown)


def check_promise(path: Path, spec: vintages.Reissued, frame: pd.DataFrame, held: pd.DataFrame) -> None:
    """Refuse a file lacking months its name promises, or holding months after its name's last month.

    ``held`` is the book's combined data of the dataset: a missing month is listed with the total
    the book holds for it (old) against none in the new file.
    """
    first, last = vintages.promise(spec, path.name)
    first = first if first is not None else frame["month"].min()
    missing = vintages.missing_months(frame, first, last)
    if missing:
        old = vintages.month_totals(held, spec.values)
        lines = [f"{m:%b %Y}: old {_totals(old, m)}, new: no rows" for m in missing]
        raise DataError(path, f"lacks {len(missing)} of the months its name promises ({first:%b %Y} - {last:%b %Y}); "
                              f"months missing:{_listing(lines)}",
                        expected="every month the file name promises (a file cut short, e.g. at a line boundary, "
                                 "is refused)")
    after = sorted(set(frame.loc[frame["month"] > last, "month"]))
    if after:
        raise DataError(path, f"holds months after the last one its name promises ({last:%b %Y}): "
                              f"{', '.join(f'{m:%b %Y}' for m in after[:6])}", expected="a file name stating its last month")


def _totals(table: pd.DataFrame, month) -> str:
    if month not in table.index:
        return "not held"
    return ", ".join(f"{column} {table.loc[month, column]:,.6g}" for column in table.columns)


def revision_listing(broken: pd.DataFrame) -> list[str]:
    """One line per month and value: old -> new, relative change and why it breaks the pattern."""
    return [f"{row.month:%b %Y} {row.value}: old {row.old:,.6g}, new {row.new:,.6g} ({row.relative:+.1%}): {row.reason}"
            for row in broken.itertuples()]


def catalog_entry(path: Path, spec: vintages.Reissued, frame: pd.DataFrame, sha256: str, previous: dict) -> dict:
    """A new catalog entry describing the added vintage, modelled on the dataset's latest entry."""
    first, last = frame["month"].min(), frame["month"].max()
    return {
        "id": path.stem, "file": f"{spec.folder}/{path.name}", "sha256": sha256, "bytes": path.stat().st_size,
        "dataset": spec.dataset, "publisher": previous["publisher"],
        "title": f"{spec.title}, {first:%B %Y} - {last:%B %Y}",
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
    text = text[:match.start()] + f"version: {new}" + text[match.end():]  # this line only, not cff-version
    text = re.sub(r"^date-released: .*$", f"date-released: {dt.date.today().isoformat()}", text, flags=re.MULTILINE)
    citation.write_text(text, encoding="utf-8")
    return new


def check(path: Path, accept_revisions: bool = False, chapters_dir: Path | None = None) -> dict:
    """Every check, nothing written: the catalog entry the file would get (with ``read_by``), or a DataError."""
    path = path.resolve()
    if not path.is_file():
        raise DataError(path, "no such file")
    spec = recognize(path)
    readers = require_a_reader(path, spec, chapters_dir or config.CHAPTERS_DIR)
    frame = datasets.read_vintage(spec, path)
    sha256 = catalog.sha256_of(path)
    entries = catalog.load_catalog()
    if any(e["sha256"] == sha256 for e in entries):
        raise DataError(path, "already in the catalog (same sha256)")
    if any(e["id"] == path.stem for e in entries):
        raise DataError(path, f"the catalog already has an entry {path.stem!r} with other bytes",
                        expected="a new vintage under a new file name (CBP names files by their last month)")
    held = datasets.load(spec.dataset, entries)
    check_promise(path, spec, frame, held.rows)
    broken = vintages.check_revisions(held.rows, frame, spec.values)
    if len(broken) and not accept_revisions:
        raise DataError(path, f"revises {broken['month'].nunique()} months of the book's data beyond the pattern of "
                              f"CBP's own revisions:{_listing(revision_listing(broken))}",
                        expected="only the last few months revised (see analysis/data/vintages.py); if the publisher "
                                 "really revised these months, add the file again with --accept-revisions "
                                 "(make add-data FILE=... ACCEPT_REVISIONS=1)")
    entry = catalog_entry(path, spec, frame, sha256, held.entries[-1])
    if len(broken):
        entry["accepted_revisions"] = [{"month": f"{row.month:%Y-%m}", "value": row.value, "old": float(row.old),
                                        "new": float(row.new)} for row in broken.itertuples()]
    entry["read_by"] = readers
    return entry


def add(path: Path, accept_revisions: bool = False, chapters_dir: Path | None = None) -> dict:
    """Check and register one file; returns its catalog entry. Nothing is written unless all checks pass."""
    entry = check(path, accept_revisions, chapters_dir)
    readers = entry.pop("read_by")
    target = config.raw_dir() / entry["file"]
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path.resolve(), target)
    with open(config.CATALOG_FILE, "a", encoding="utf-8") as handle:
        handle.write(yaml.safe_dump([entry], sort_keys=False, width=110, allow_unicode=True))
    entry["book_version"] = bump_minor_version(config.PROJECT_ROOT / "CITATION.cff")
    entry["read_by"] = readers
    return entry


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bookmachine.newdata", description="Add a newer vintage of a raw file.")
    parser.add_argument("file", type=Path)
    parser.add_argument("--accept-revisions", action="store_true",
                        help="accept a vintage that revises older months beyond CBP's usual pattern (recorded)")
    arguments = parser.parse_args(argv)
    try:
        entry = add(arguments.file, arguments.accept_revisions)
    except DataError as exc:
        print(f"\nREFUSED: {exc}\ndata/catalog.yml is unchanged.\n", file=sys.stderr)
        return 1
    accepted = entry.get("accepted_revisions", [])
    if accepted:
        print(f"ACCEPTED {len(accepted)} revisions beyond the usual pattern (--accept-revisions); they are recorded "
              "in the catalog entry and listed on the What-changed page.")
    print(f"added {entry['file']} (dataset {entry['dataset']}, vintage {entry['vintage']}, sha256 {entry['sha256'][:12]})\n"
          f"read by: {', '.join(entry['read_by'])}\n"
          f"book version is now {entry['book_version']}. Next: make book, then make release.\n"
          "Keep the file in data/raw (or your DATA_MIRROR) and commit data/catalog.yml and CITATION.cff.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
