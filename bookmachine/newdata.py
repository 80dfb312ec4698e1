"""``make add-data FILE=...``: add a vintage of a reissued dataset to the catalog, after checking it.

The file is recognized by its columns (CSV) or sheets (workbook) among the datasets CBP and DHS
reissue (``REISSUED``, each spec declared by its loader), and refused unless a chapter reads its
dataset (a file nothing reads would change nothing, silently). It is then held against the
vintages the book already has by the revision policy in ``analysis.data.vintages`` (rules,
limits and the measurements behind them are written there):

- truncation is refused: a month the name promises missing, a month lacking a component or
  region, a month falling by more than the measured limit, a last block of rows that stops before
  the point where every other month of the file ends (a cut in a month the book does not hold yet;
  ``--accept-short-block``, ``make add-data ... ACCEPT_SHORT_BLOCK=1``, accepts a block the user has
  checked against CBP's own totals, and records it, since a month can lack its last cells for real);
- a change to a closed fiscal year is refused with a table of the cells, unless
  ``--accept-revisions`` (``make add-data ... ACCEPT_REVISIONS=1``), which records them in the
  catalog entry (the What-changed page lists them);
- revisions inside the open fiscal year are accepted and listed (printed here, recorded in the
  catalog entry for the What-changed page, and in the chapters);
- a file older than the newest held fills the months no newer file covers.

The file is then hashed, copied into ``data/raw/`` and appended to ``data/catalog.yml`` as a new
entry (its title, official URL and provenance come from a ``MANIFEST.csv`` beside it when one
lists its sha256). The version gets a minor bump when the current one has been released, so
that one data update is one minor version however many files it brings. A refused file leaves
the catalog and the version byte-identical.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import re
import shutil
import sys
import zipfile
from pathlib import Path

import pandas as pd
import yaml

from analysis import config
from analysis.data import catalog, encounters, seizures, vintages
from analysis.errors import DataError

# Every dataset CBP or DHS reissues that the book reads; ``make add-data`` recognizes files among them.
REISSUED = (seizures.NATIONWIDE, encounters.COMPONENT, encounters.STATE, encounters.OHSS)
LISTED = 24  # lines shown in a refusal before "and N more"
RELEASES_FILE = config.PROJECT_ROOT / "releases" / "versions.csv"


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


def accepted_files() -> str:
    """The files ``make add-data`` accepts, in words: each dataset's title and file-name template."""
    return "; ".join(f"{spec.title} ({vintages.name_template(spec)})" for spec in REISSUED)


def recognize(path: Path) -> vintages.Reissued:
    """The reissued dataset whose columns (or sheets) the file has; otherwise say what is missing and
    what the file has instead, or that it is none of the files add-data accepts. (Its name is checked
    once it is read: ``check_name``.)"""
    workbook = path.suffix.lower() == ".xlsx"
    found = sheets_of(path) if workbook else header_of(path)
    candidates = [spec for spec in REISSUED if (spec.sheets if workbook else spec.header)]
    best = max(candidates, key=lambda spec: len(set(spec.sheets if workbook else spec.header) & set(found)))
    wanted = list(best.sheets if workbook else best.header)
    kind = "sheet" if workbook else "column"
    if not set(wanted) & set(found):
        raise DataError(
            path,
            f"not one of the files make add-data accepts (no {kind} of theirs: it has the {kind}s {found})",
            expected=f"one of: {accepted_files()}",
        )
    missing = [name for name in wanted if name not in found]
    extra = [name for name in found if name not in wanted]
    if missing:
        instead = f"; it has {', '.join(map(repr, extra))} instead" if extra else ""
        raise DataError(
            path,
            f"not recognized: it looks like {best.title} ({best.dataset!r}), which needs the {kind}"
            f"{'s' * (len(missing) > 1)} {', '.join(map(repr, missing))}{instead}",
            column=None if workbook else missing[0],
            expected=f"the {kind}s {wanted}",
        )
    if extra and not workbook:
        raise DataError(path, f"unexpected column for {best.title} ({best.dataset!r})", column=extra[0])
    return best


def check_name(path: Path, spec: vintages.Reissued, frame: pd.DataFrame) -> None:
    """Refuse a file whose name does not follow its dataset's naming (the name states the months it
    promises), saying the form in words and the name to rename it to, from the months it holds."""
    if spec.matches(path.name):
        return
    suggestion = vintages.suggested_name(spec, frame)
    rename = f"; rename it to {suggestion}" if suggestion else ""
    raise DataError(
        path,
        f"file name does not follow the naming of {spec.title} ({spec.dataset!r}): the name states the months "
        f"the file promises. This file holds {frame['month'].min():%b %Y} - {frame['month'].max():%b %Y}{rename}",
        expected=f"a name of the form {vintages.name_template(spec)}",
    )


def chapters_reading(spec: vintages.Reissued, chapters_dir: Path) -> list[str]:
    """Chapters whose code asks for this dataset (``spec.read_in``, e.g. ``encounters.STATE``)."""
    return sorted(
        path.stem
        for path in chapters_dir.glob("*.md")
        if any(needle in path.read_text(encoding="utf-8") for needle in spec.read_in)
    )


def require_a_reader(path: Path, spec: vintages.Reissued, chapters_dir: Path) -> list[str]:
    """The chapters that read this dataset; none is a refusal (an unread file changes nothing, silently)."""
    readers = chapters_reading(spec, chapters_dir)
    if not readers:
        raise DataError(
            path,
            f"no chapter reads dataset {spec.dataset!r}, so adding this file would change nothing in the book",
            expected="a file of a dataset a chapter reads, or first a chapter "
            f"that reads it (vintages.load({spec.read_in[0]}))",
        )
    return readers


def _listing(lines: list[str]) -> str:
    shown = lines[:LISTED] + ([f"... and {len(lines) - LISTED} more"] if len(lines) > LISTED else [])
    return "\n    " + "\n    ".join(shown)


def _amounts(totals: pd.DataFrame, month) -> str:
    """'the book holds encounters 308,620' for one month of a month-totals frame, or 'the book does not hold it'."""
    if month not in totals.index:
        return "the book does not hold it either"
    return "the book holds " + ", ".join(f"{measure} {totals.loc[month, measure]:,.6g}" for measure in totals.columns)


def cut_text(cut: vintages.CutShort, spec: vintages.Reissued) -> str:
    """Why the file's last block looks cut at a line: where it stops, where the other months end,
    and what the neighbouring month holds after that point (rows and totals per group)."""
    values = list(spec.values)
    lines = [
        f"{' / '.join(map(str, group))}: {int(row[(values[0], 'size')])} rows, "
        + ", ".join(f"{value} {row[(value, 'sum')]:,.6g}" for value in values)
        for group, row in cut.lacking.iterrows()
    ]
    return (
        f"its last block of rows, {cut.month:%b %Y} (lines {cut.lines[0]:,}-{cut.lines[1]:,}), stops at "
        f"{' / '.join(map(str, cut.ends_at))}, before the point where every other month of the file ends "
        f"({' / '.join(map(str, cut.others_end))}; CBP writes each month's rows sorted by "
        f"{' / '.join(spec.cells())}), so "
        f"{cut.month:%b %Y} lacks its last rows. In {cut.neighbour:%b %Y} this file holds, after that point:"
        f"{_listing(lines)}"
    )


def cell_text(row, spec: vintages.Reissued) -> str:
    """'FY2023 Apr 2023 Northern Land Border / AK / ...' for one row of ``vintages.cell_changes``."""
    return f"FY{row['fy']} {row['month']:%b %Y} {' / '.join(str(row[c]) for c in spec.cells())}"


def truncation_message(review: vintages.Review, spec: vintages.Reissued, held: pd.DataFrame) -> str:
    """Why a file looks cut short: each missing month, lacking category and fallen month, with the book's totals."""
    totals = vintages.month_totals(held, spec.values) if len(held) else pd.DataFrame(columns=list(spec.values))
    parts = [
        f"looks truncated. Its name promises {review.first:%b %Y} - {review.last:%b %Y}; "
        f"it holds months from {review.holds[0]:%b %Y} to {review.holds[1]:%b %Y}"
    ]
    if review.missing:
        lines = [f"{m:%b %Y}: {_amounts(totals, m)}; the file: no rows" for m in review.missing]
        parts.append(f"it lacks {len(review.missing)} of those months:{_listing(lines)}")
    if review.beyond:
        parts.append(f"it holds months after {review.last:%b %Y}: {', '.join(f'{m:%b %Y}' for m in review.beyond[:6])}")
    if len(review.lacking):
        lines = [
            f"{month:%b %Y}: no rows for "
            + "; ".join(" / ".join(map(str, cells)) for cells in part[list(spec.coverage)].itertuples(index=False))
            for month, part in review.lacking.groupby("month")
        ]
        parts.append(
            f"months without a {' / '.join(spec.coverage)} that every month holds (a month cut short):{_listing(lines)}"
        )
    if len(review.fallen):
        lines = [
            f"{row.month:%b %Y} {row.measure}: {row.old:,.6g} -> {row.new:,.6g} ({row.relative:+.2%})"
            for row in review.fallen.itertuples()
        ]
        parts.append(
            f"months whose total falls by more than {vintages.FALL_LIMIT:.1%} (FALL_LIMIT; CBP's largest "
            f"measured fall is far smaller):{_listing(lines)}"
        )
    if review.cut:
        parts.append(cut_text(review.cut, spec))
    return ";\n  ".join(parts)


def closed_year_message(review: vintages.Review, spec: vintages.Reissued) -> str:
    """The closed-year cells a file changes, old -> new, and the vintage each was compared with."""
    changes = review.closed_changes
    lines = [
        f"{cell_text(row, spec)}, {row['measure']}: {row['old']:,.6g} in {row['old_file']}, "
        f"{row['new']:,.6g} in {row['new_file']}"
        for _, row in changes.iterrows()
    ]
    years = ", ".join(f"FY{fy}" for fy in sorted(changes["fy"].unique()))
    return (
        f"changes {len(changes)} cell{'s' * (len(changes) != 1)} of closed fiscal years ({years}), which CBP has "
        f"never revised (analysis/data/vintages.py):{_listing(lines)}"
    )


def revision_lines(revisions: pd.DataFrame) -> list[str]:
    """One line per fiscal year and measure: cells and months revised, and the net change."""
    lines = []
    for (fy, measure), part in revisions.groupby(["fy", "measure"]):
        months = sorted(part["month"].unique())
        span = f"{months[0]:%b %Y}" + (f" - {months[-1]:%b %Y}" if len(months) > 1 else "")
        lines.append(
            f"FY{fy} {measure}: {len(part)} cell{'s' * (len(part) != 1)} in {len(months)} "
            f"month{'s' * (len(months) > 1)} ({span}), net {(part['new'] - part['old']).sum():+,.6g}"
        )
    return lines


def provenance(path: Path) -> dict:
    """Title, official URL and provenance of a file listed by sha256 in a ``MANIFEST.csv``
    beside it (or one folder up), as the shared data mirror keeps them; empty when none lists it."""
    digest = catalog.sha256_of(path)
    for manifest in (path.parent / "MANIFEST.csv", path.parent.parent / "MANIFEST.csv"):
        if manifest.is_file():
            with open(manifest, encoding="utf-8", newline="") as handle:
                for row in csv.DictReader(handle):
                    if row.get("sha256") == digest:
                        found = {
                            "title": row.get("title"),
                            "url": row.get("official_url"),
                            "obtained_from": f"public repository copy {row['copied_from']}"
                            if row.get("copied_from")
                            else None,
                        }
                        return {key: value for key, value in found.items() if value}
    return {}


def catalog_entry(path: Path, spec: vintages.Reissued, frame: pd.DataFrame, sha256: str, previous: dict) -> dict:
    """A new catalog entry describing the added vintage, modelled on the dataset's latest entry."""
    first, last = frame["month"].min(), frame["month"].max()
    known = provenance(path)
    entry = {
        "id": path.stem,
        "file": f"{spec.folder}/{path.name}",
        "sha256": sha256,
        "bytes": path.stat().st_size,
        "dataset": spec.dataset,
        "publisher": previous["publisher"],
        "title": known.get("title", f"{spec.title}, {first:%B %Y} - {last:%B %Y}"),
        "url": known.get("url", previous["url"]),
        "license": previous["license"],
        "coverage": f"{first:%b %Y} - {last:%b %Y}, monthly",
        "vintage": f"{last:%Y-%m}",
        "obtained_from": known.get(
            "obtained_from", f"added with make add-data from {path.name} on {dt.date.today().isoformat()}"
        ),
    }
    return entry


def released(version: str, releases_file: Path = RELEASES_FILE) -> bool:
    """Whether ``releases/versions.csv`` lists this version (``make release`` adds each release)."""
    if not releases_file.exists():
        return False
    return any(line.split(",")[0] == version for line in releases_file.read_text(encoding="utf-8").splitlines()[1:])


def bump_minor_version(citation: Path, releases_file: Path = RELEASES_FILE) -> tuple[str, bool]:
    """1.0.0 -> 1.1.0 in CITATION.cff, only when 1.0.0 has been released; returns (version, bumped).

    A data-only update is one minor version: files added before the next release share it. The
    release date (``date-released``) is set by ``make release``, not here.
    """
    text = citation.read_text(encoding="utf-8")
    match = re.search(r"^version: (\d+)\.(\d+)\.(\d+)$", text, flags=re.MULTILINE)
    if not match:
        raise DataError(citation, "no 'version: X.Y.Z' line")
    current = ".".join(match.groups())
    if not released(current, releases_file):
        return current, False
    new = f"{match.group(1)}.{int(match.group(2)) + 1}.0"
    text = text[: match.start()] + f"version: {new}" + text[match.end() :]  # this line only, not cff-version
    citation.write_text(text, encoding="utf-8")
    return new, True


def short_block_only(review: vintages.Review) -> bool:
    """Whether the only sign of truncation is a last block that ends early (``vintages.cut_short``)."""
    return bool(review.cut) and not (review.missing or review.beyond or len(review.lacking) or len(review.fallen))


def short_block_advice(review: vintages.Review, candidate: pd.DataFrame, spec: vintages.Reissued) -> str:
    """How to accept a last block that ends early for real: compare its month's total with CBP's own."""
    month = review.cut.month
    totals = vintages.month_totals(candidate, spec.values)
    amounts = ", ".join(f"{measure} {totals.loc[month, measure]:,.6g}" for measure in totals.columns)
    return (
        f"; if CBP's own total for {month:%b %Y} is this file's ({amounts}), that month really has no rows "
        "after that point: add the file again with make add-data FILE=... ACCEPT_SHORT_BLOCK=1 (recorded and listed)"
    )


def check(
    path: Path, accept_revisions: bool = False, chapters_dir: Path | None = None, accept_short_block: bool = False
) -> dict:
    """Every check, nothing written: the catalog entry the file would get (with ``read_by`` and
    ``in_year_revisions``), or a DataError naming the file and the months or cells at fault."""
    path = path.resolve()
    if not path.is_file():
        raise DataError(path, "no such file")
    spec = recognize(path)
    readers = require_a_reader(path, spec, chapters_dir or config.CHAPTERS_DIR)
    sha256 = catalog.sha256_of(path)
    entries = catalog.load_catalog(config.CATALOG_FILE)
    same = [e["id"] for e in entries if e["sha256"] == sha256]
    if same:
        raise DataError(path, f"already in the catalog (same sha256) as entry {same[0]!r}")
    candidate = vintages.read_vintage(spec, path)
    check_name(path, spec, candidate)
    if any(e["id"] == path.stem for e in entries):
        raise DataError(
            path,
            f"the catalog already has an entry {path.stem!r} with other bytes",
            expected="a new vintage under a new file name (CBP names files by their last month)",
        )
    held_entries = vintages.entries(spec, entries)
    held = [vintages.read_vintage(spec, catalog.path(item["id"])) for item in held_entries]
    review = vintages.review(spec, path.name, candidate, held)
    if review.truncated and not (accept_short_block and short_block_only(review)):
        book = vintages.combine(held, spec.values) if held else candidate.iloc[0:0]
        override = short_block_advice(review, candidate, spec) if short_block_only(review) else ""
        raise DataError(
            path,
            truncation_message(review, spec, book),
            expected="every month the name promises, whole (a file cut short, e.g. at a line "
            "boundary, is refused; download it again)" + override,
        )
    if len(review.closed_changes) and not accept_revisions:
        raise DataError(
            path,
            closed_year_message(review, spec),
            expected="closed fiscal years unchanged; if the publisher really revised them, add the file "
            "again with make add-data FILE=... ACCEPT_REVISIONS=1 (recorded and listed)",
        )
    entry = catalog_entry(path, spec, candidate, sha256, held_entries[-1])
    if len(review.closed_changes):
        entry["accepted_revisions"] = [
            {
                "month": f"{row['month']:%Y-%m}",
                "cell": " / ".join(str(row[c]) for c in spec.cells()),
                "value": row["measure"],
                "old": float(row["old"]),
                "new": float(row["new"]),
            }
            for _, row in review.closed_changes.iterrows()
        ]
    if review.cut:  # accepted with --accept-short-block: what was overridden, for the What-changed page
        entry["accepted_short_block"] = (
            f"{review.cut.month:%b %Y} ends at {' / '.join(map(str, review.cut.ends_at))}, before "
            f"{' / '.join(map(str, review.cut.others_end))}"
        )
    revised = revision_lines(review.revisions)
    if revised:  # kept in the catalog entry: the What-changed page lists the data added with them
        entry["in_year_revisions"] = revised
    entry["read_by"] = readers
    entry["newer_held"] = review.newer_held
    entry["fills"] = f"{len(review.fills)} months" + (
        f", {review.fills[0]:%b %Y} - {review.fills[-1]:%b %Y}" if review.fills else ""
    )
    return entry


def add(
    path: Path, accept_revisions: bool = False, chapters_dir: Path | None = None, accept_short_block: bool = False
) -> dict:
    """Check and register one file; returns its catalog entry. Nothing is written unless all checks pass."""
    entry = check(path, accept_revisions, chapters_dir, accept_short_block)
    report = {key: entry.pop(key) for key in ("read_by", "newer_held", "fills")}
    target = config.raw_dir() / entry["file"]
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path.resolve(), target)
    with open(config.CATALOG_FILE, "a", encoding="utf-8") as handle:
        handle.write(yaml.safe_dump([entry], sort_keys=False, width=110, allow_unicode=True))
    entry["book_version"], entry["bumped"] = bump_minor_version(config.PROJECT_ROOT / "CITATION.cff")
    return {**entry, **report}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bookmachine.newdata", description="Add a vintage of a raw file.")
    parser.add_argument("file", type=Path)
    parser.add_argument(
        "--accept-revisions",
        action="store_true",
        help="accept a vintage that changes closed fiscal years (the cells are recorded)",
    )
    parser.add_argument(
        "--accept-short-block",
        action="store_true",
        help="accept a last block of rows that ends early, once checked against CBP's own total (recorded)",
    )
    arguments = parser.parse_args(argv)
    try:
        entry = add(arguments.file, arguments.accept_revisions, accept_short_block=arguments.accept_short_block)
    except DataError as exc:
        print(f"\nREFUSED: {exc}\ndata/catalog.yml is unchanged.\n", file=sys.stderr)
        return 1
    accepted = entry.get("accepted_revisions", [])
    if accepted:
        print(
            f"ACCEPTED {len(accepted)} changes to closed fiscal years (--accept-revisions); they are recorded "
            "in the catalog entry and listed on the What-changed page."
        )
    if entry.get("accepted_short_block"):
        print(f"ACCEPTED a last block that ends early (--accept-short-block): {entry['accepted_short_block']}.")
    print(
        f"added {entry['file']} (dataset {entry['dataset']}, vintage {entry['vintage']}, sha256 {entry['sha256'][:12]})"
    )
    if entry["newer_held"]:
        print(
            f"older than {', '.join(entry['newer_held'])}: it supplies only the months no newer file holds "
            f"({entry['fills']})."
        )
    for line in entry.get("in_year_revisions") or ["no revision of months the book already held"]:
        print(f"in-year revisions: {line}")
    version_note = "" if entry["bumped"] else " (unchanged: not released yet, so this data update shares it)"
    print(
        f"read by: {', '.join(entry['read_by'])}\n"
        f"book version is now {entry['book_version']}{version_note}. Next: make book, then make release.\n"
        "Keep the file in data/raw (or your DATA_MIRROR) and commit data/catalog.yml and CITATION.cff."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
