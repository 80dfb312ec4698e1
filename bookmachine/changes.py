"""What changed in this version: every moved number, every flipped verdict, against the release before.

``make release`` keeps each release's numbers in ``releases/numbers-<version>.json`` (committed),
so a fresh clone can always compare. A build of a released version shows that release against the
one before it; a build of a version not released yet (after ``make add-data`` raised it) shows
this build against the latest release. The build writes the comparison into the book's "What
changed in this version" page; ``make changes`` prints it.
"""

from __future__ import annotations

import collections
import io
import json
import math
import re
import sys
from pathlib import Path

import pandas as pd

from analysis import config
from analysis.book.downloads import PUBLISHED_PATH, links_markdown
from analysis.book.tables import list_table
from analysis.data import catalog
from analysis.metrics import answers, claims

RELEASES_DIR = config.PROJECT_ROOT / "releases"
MARKER = "<!-- generated -->"
# The page's tables as downloads (file name -> what it holds), written when the table is shown.
FILES = {
    "book-changes.csv": "every number that changed, was added or was removed against the release before: key, "
    "plain label, page, change, value before and now, and whether it is a claim's verdict that flipped",
    "book-versions.csv": "every release: version, date, commit, numbers changed and verdicts flipped against the "
    "release before",
    "book-data-added.csv": "every file the catalog holds that the release before was not built from: dataset, "
    "file, coverage, the in-year revisions recorded when it was added, closed-year cells accepted",
    "book-closed-year-revisions.csv": "every accepted change to a fiscal year an older vintage had published as "
    "closed: dataset, vintage, month, cell, measure, before, after",
}


def version_key(version: str) -> tuple:
    return tuple(int(part) for part in version.split("."))


def kept_releases(directory: Path = RELEASES_DIR) -> dict[str, Path]:
    """Every release whose numbers are kept (``releases/numbers-<version>.json``), oldest first."""
    found = {}
    for path in directory.glob("numbers-*.json"):
        match = re.fullmatch(r"numbers-(\d+\.\d+\.\d+)\.json", path.name)
        if match:
            found[match.group(1)] = path
    return dict(sorted(found.items(), key=lambda item: version_key(item[0])))


def baseline(
    current_version: str, numbers: dict, directory: Path = RELEASES_DIR
) -> tuple[str, tuple[str, dict] | None, dict]:
    """What the page compares: (what it describes, the release before it with its numbers, its numbers).

    A released version is described by its kept numbers, against the release before it; any other
    version by this build's ``numbers``, against the latest release older than it.
    """
    kept = kept_releases(directory)
    earlier = [version for version in kept if version_key(version) < version_key(current_version)]
    before = (earlier[-1], json.loads(kept[earlier[-1]].read_text(encoding="utf-8"))) if earlier else None
    if current_version in kept:
        return f"Release {current_version}", before, json.loads(kept[current_version].read_text(encoding="utf-8"))
    return f"Version {current_version} (this build)", before, numbers


def same(old, new) -> bool:
    """Equal, or floats equal to 1e-9 relative: a different summation order is not a changed number."""
    numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (old, new))
    return old == new or (numbers and math.isclose(old, new, rel_tol=1e-9, abs_tol=1e-12))


def compare(old: dict, new: dict) -> dict:
    """Keys whose value changed (old, new), keys added and removed, and claim verdicts that flipped."""
    changed = {key: (old[key], new[key]) for key in sorted(set(old) & set(new)) if not same(old[key], new[key])}
    flipped = {key: pair for key, pair in changed.items() if key.startswith("claims.") and key.endswith(".verdict")}
    return {
        "changed": changed,
        "added": sorted(set(new) - set(old)),
        "removed": sorted(set(old) - set(new)),
        "flipped": flipped,
    }


def _shown(value) -> str:
    """A value as a reader reads it: counts with thousands separators, other numbers to 4 significant digits
    (the CSV download keeps every digit), text without the table separator."""
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.4g}"
    return str(value).replace("|", "/")


def _link(name: str) -> str:
    """The HTML line under a table that links its CSV (``FILES``); the PDF leaves it out."""
    return links_markdown({"table (CSV)": f"{PUBLISHED_PATH}/{name}"})


def claim_words() -> dict[str, tuple[str, str]]:
    """claims.<id>.verdict -> (the claim's headline, its card's label), for the verdicts that flipped."""
    register = claims.load_claims()
    words = {f"claims.{row.id}.verdict": (card_title(row), claims.anchor(row.id)) for row in register.itertuples()}
    if "doc000_state_level_data" in register.index:  # the register also publishes this verdict under its former id
        words["claims.doc000_state_level.verdict"] = words["claims.doc000_state_level_data.verdict"]
    return words


def card_title(row) -> str:
    """A claim as the What-changed page names it: its headline, else its quote's first words."""
    return row.headline or " ".join(claims.quote_text(row).split()[:10])


def label(key: str, words: dict[str, tuple[str, str]]) -> str:
    """A number's plain label: the landing page's words for it, a claim's headline for its verdict, else ''."""
    if key in answers.HEADLINE_NUMBERS:
        return answers.HEADLINE_NUMBERS[key]
    return f"Verdict: {words[key][0]}" if key in words else ""


def plain_verdict(value) -> str:
    """A register verdict in the reader's word (as the cards show it), other values as they are."""
    return claims.PLAIN_VERDICTS[value][0] if value in claims.PLAIN_VERDICTS else _shown(value)


def changes_frame(previous: tuple[str, dict] | None, numbers: dict, sources: dict | None = None) -> pd.DataFrame:
    """Every number that changed, was added or was removed against the release before (none without one):
    key, plain label, the page that computes it, the change, the value before and now (as computed), and
    whether it is a claim's verdict that flipped."""
    result = compare(previous[1], numbers) if previous else {"changed": {}, "added": [], "removed": [], "flipped": {}}
    old = previous[1] if previous else {}
    words = claim_words()
    rows = [
        *((key, "changed", before, now) for key, (before, now) in result["changed"].items()),
        *((key, "added", None, numbers[key]) for key in result["added"]),
        *((key, "removed", old[key], None) for key in result["removed"]),
    ]
    return pd.DataFrame(
        {
            "key": [key for key, *_ in rows],
            "label": [label(key, words) for key, *_ in rows],
            "page": [(sources or {}).get(key, "") for key, *_ in rows],
            "change": [change for _, change, _, _ in rows],
            "before": [before for _, _, before, _ in rows],
            "now": [now for *_, now in rows],
            "verdict_flipped": [key in result["flipped"] for key, *_ in rows],
        },
        columns=["key", "label", "page", "change", "before", "now", "verdict_flipped"],
    )


def headline_lines(old: dict, numbers: dict, version: str) -> list[str]:
    """What the first page's answers show that moved: a table of the changed or new numbers under their plain
    labels (``answers.HEADLINE_NUMBERS``), or one sentence when none did."""
    moved = [
        (key, old.get(key), numbers.get(key))
        for key in answers.HEADLINE_NUMBERS
        if key in numbers and (key not in old or not same(old[key], numbers[key]))
    ]
    if not moved:
        return [f"Every number the first page's answers show is as in release {version}.", ""]
    table = pd.DataFrame(
        {
            "Number": [answers.HEADLINE_NUMBERS[key] for key, _, _ in moved],
            f"Release {version}": ["(new)" if key not in old else _shown(before) for key, before, _ in moved],
            "Now": [_shown(now) for _, _, now in moved],
        }
    )
    unchanged = len([key for key in answers.HEADLINE_NUMBERS if key in numbers]) - len(moved)
    return [
        f"Of the {len(moved) + unchanged} numbers and answer words on the first page, {len(moved)} changed or are "
        f"new and {unchanged} are as in release {version}:",
        "",
        list_table(table, widths=[50, 25, 25]),
        "",
        _link("book-changes.csv"),  # these rows, with every other number that moved
        "",
    ]


def flipped_lines(result: dict) -> list[str]:
    """The claims whose verdict changed, by their headline and linked to their card, in the reader's words."""
    if not result["flipped"]:
        return ["No claim's verdict changed.", ""]
    words = claim_words()
    table = pd.DataFrame(
        {
            "Claim": [
                f"{{ref}}`{words[key][0]} <{words[key][1]}>`" if key in words else f"`{key}`"
                for key in result["flipped"]
            ],
            "Before": [plain_verdict(before) for before, _ in result["flipped"].values()],
            "Now": [plain_verdict(now) for _, now in result["flipped"].values()],
        }
    )
    return [list_table(table, widths=[60, 20, 20]), "", _link("book-changes.csv"), ""]


def by_page(keys, sources: dict) -> str:
    """How many of ``keys`` each page computes, largest first (then by name): 'correlation 49, encounters 9'."""
    pages = [sources.get(key, "a page no longer in the book").replace("_", " ") for key in keys]
    counts = sorted(collections.Counter(pages).items(), key=lambda item: (-item[1], item[0]))
    return ", ".join(f"{page} {count}" for page, count in counts)


def changes_markdown(
    described: str, previous: tuple[str, dict] | None, numbers: dict, sources: dict | None = None
) -> str:
    """The generated part of the 'What changed' page (``baseline`` gives its first three arguments;
    ``sources``: key -> the page that computes it): the first page's numbers, the verdicts that flipped,
    and how many other numbers moved on which page, the full list being a download (``changes_frame``)."""
    if previous is None:
        return f"{described} is the first; there is no earlier release to compare with.\n"
    version, old = previous
    result = compare(old, numbers)
    sources = sources or {}
    lines = [
        f"{described} compared with release {version}: {len(result['flipped'])} claim verdicts flipped, "
        f"{len(result['changed'])} numbers changed, {len(result['added'])} were added and "
        f"{len(result['removed'])} removed.\n",
        "## The answers on the first page\n",
        *headline_lines(old, numbers, version),
        "## Verdicts that flipped\n",
        *flipped_lines(result),
        "## Every number\n",
    ]
    if result["changed"]:
        lines.append(f"Numbers that changed, by the page that computes them: {by_page(result['changed'], sources)}.")
    if result["added"]:
        lines.append(f"Numbers added: {by_page(result['added'], sources)}.")
    if result["removed"]:
        lines.append(f"Numbers removed: {len(result['removed'])}.")
    what = "Each of them, with its key, plain label, page, and value before and now, is in the file `book-changes.csv`"
    lines += [
        "",
        "```{only} html",
        f"{what}:",
        "```",
        "",
        _link("book-changes.csv"),
        "",
        "```{only} latex",
        f"{what}, which the HTML book offers beside its other downloads (see the Data page).",
        "```",
        "",
    ]
    return "\n".join(lines)


VERSIONS_FILE = "versions.csv"  # version,date,commit: one line per release, appended by `make release`


def record_release(version: str, date: str, commit: str, directory: Path = RELEASES_DIR) -> Path:
    """Add (or replace) a release's line in ``releases/versions.csv``."""
    path = directory / VERSIONS_FILE
    lines = path.read_text(encoding="utf-8").splitlines()[1:] if path.exists() else []
    lines = [line for line in lines if line.split(",")[0] != version] + [f"{version},{date},{commit}"]
    lines.sort(key=lambda line: version_key(line.split(",")[0]))
    path.write_text("version,date,commit\n" + "".join(f"{line}\n" for line in lines), encoding="utf-8")
    return path


def versions_frame(directory: Path = RELEASES_DIR) -> pd.DataFrame:
    """Every release (``releases/versions.csv``) with how many numbers changed and verdicts flipped against
    the release before it ('first release', or 'numbers not kept' where its numbers are missing)."""
    path = directory / VERSIONS_FILE
    rows = [line.split(",") for line in path.read_text(encoding="utf-8").splitlines()[1:]] if path.exists() else []
    table, previous = [], None
    for version, date, commit in rows:
        numbers_file = directory / f"numbers-{version}.json"
        numbers = json.loads(numbers_file.read_text(encoding="utf-8")) if numbers_file.exists() else None
        if previous is None or numbers is None:
            moved = flipped = "first release" if previous is None else "numbers not kept"
        else:
            result = compare(previous, numbers)
            moved, flipped = str(len(result["changed"])), str(len(result["flipped"]))
        table.append(
            {"version": version, "date": date, "commit": commit, "numbers_changed": moved, "verdicts_flipped": flipped}
        )
        previous = numbers if numbers is not None else previous
    return pd.DataFrame(table, columns=["version", "date", "commit", "numbers_changed", "verdicts_flipped"])


def versions_markdown(directory: Path = RELEASES_DIR) -> str:
    """Every release with its date, commit and what changed against the release before it (``versions_frame``)."""
    table = versions_frame(directory)
    if table.empty:
        return "## All versions\n\nNo release has been made yet (`make release` records one).\n"
    lines = [
        "## All versions\n",
        "| Version | Date | Commit | Numbers changed | Verdicts flipped |",
        "|---|---|---|---|---|",
        *(
            f"| {row.version} | {row.date} | `{row.commit[:12]}` | {row.numbers_changed} | {row.verdicts_flipped} |"
            for row in table.itertuples()
        ),
    ]
    return "\n".join(lines) + "\n\n" + _link("book-versions.csv") + "\n"


def accepted_revisions_frame(entries: list[dict]) -> pd.DataFrame:
    """Every change to a closed fiscal year a user accepted, as recorded in the catalog entry of the vintage
    that made it: dataset, vintage, month, cell, measure, before and after (as recorded)."""
    rows = [(item, revision) for item in entries for revision in item.get("accepted_revisions") or []]
    return pd.DataFrame(
        {
            "dataset": [item["dataset"] for item, _ in rows],
            "vintage": [item["id"] for item, _ in rows],
            "month": [revision["month"] for _, revision in rows],
            "cell": [revision.get("cell", "") for _, revision in rows],
            "measure": [revision["value"] for _, revision in rows],
            "before": [revision["old"] for _, revision in rows],
            "after": [revision["new"] for _, revision in rows],
        },
        columns=["dataset", "vintage", "month", "cell", "measure", "before", "after"],
    )


def accepted_revisions_markdown(entries: list[dict]) -> str:
    """Every change to a closed fiscal year a user accepted (``make add-data ... ACCEPT_REVISIONS=1``).

    ``make add-data`` records them in the catalog entry of the vintage that made them; they stay
    listed in every later version, since they rewrote years earlier versions had published as final.
    """
    frame = accepted_revisions_frame(entries)
    if frame.empty:
        return (
            "## Closed fiscal years revised\n\nNone: no vintage in the catalog changes a fiscal year an "
            "older vintage had published as closed (CBP has never done so in its files measured; see "
            "the appendix of revised cells for the revisions within open years).\n"
        )
    table = pd.DataFrame(
        {
            "Dataset": frame["dataset"],
            "Vintage": [f"`{vintage}`" for vintage in frame["vintage"]],
            "Month": frame["month"],
            "Cell": frame["cell"],
            "Measure": frame["measure"],
            "Before": frame["before"].map(_shown),
            "After": frame["after"].map(_shown),
        }
    )
    return (
        "## Closed fiscal years revised\n\nThese cells of fiscal years an older vintage had published as "
        "closed were changed by a newer vintage, and accepted explicitly when the file was added.\n\n"
        + list_table(table)
        + "\n\n"
        + _link("book-closed-year-revisions.csv")
        + "\n"
    )


def kept_inputs(release_version: str, directory: Path = RELEASES_DIR) -> dict | None:
    """The catalog a release was built from (id -> sha256, ``releases/inputs-<version>.json``, which
    ``make release`` keeps), or None when it was not kept."""
    path = directory / f"inputs-{release_version}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def data_added_frame(entries: list[dict], before: dict) -> pd.DataFrame:
    """Catalog entries not in a release's inputs (or with other bytes): dataset, file id, what it covers,
    and the revisions ``make add-data`` recorded (in-year lines; closed-year cells accepted)."""
    added = [item for item in entries if before.get(item["id"]) != item["sha256"]]
    return pd.DataFrame(
        {
            "dataset": [item["dataset"] for item in added],
            "file": [item["id"] for item in added],
            "covers": [item.get("coverage", "") for item in added],
            "in_year_revisions": ["; ".join(item.get("in_year_revisions") or []) for item in added],
            "closed_year_cells_accepted": [len(item.get("accepted_revisions") or []) for item in added],
            "short_block_accepted": [item.get("accepted_short_block", "") for item in added],
        },
        columns=[
            "dataset",
            "file",
            "covers",
            "in_year_revisions",
            "closed_year_cells_accepted",
            "short_block_accepted",
        ],
    )


def data_added_markdown(previous_version: str | None, entries: list[dict], directory: Path = RELEASES_DIR) -> str:
    """'Data added since release X': the files the catalog holds that release X was not built from, each
    with the revisions recorded when it was added (``data_added_frame``)."""
    if previous_version is None:
        return ""
    heading = f"## Data added since release {previous_version}\n\n"
    before = kept_inputs(previous_version, directory)
    if before is None:
        return heading + f"The inputs of release {previous_version} were not kept (`make release` keeps them).\n"
    frame = data_added_frame(entries, before)
    if frame.empty:
        return heading + f"None: this version reads the same files as release {previous_version}.\n"
    accepted = [f"{count} closed-year cells accepted" if count else "" for count in frame["closed_year_cells_accepted"]]
    short = [f"last block accepted as short: {text}" if text else "" for text in frame["short_block_accepted"]]
    revised = [
        "; ".join(part for part in parts if part) or "none"
        for parts in zip(frame["in_year_revisions"], accepted, short, strict=True)
    ]
    table = pd.DataFrame(
        {
            "Dataset": frame["dataset"],
            "File": [f"`{name}`" for name in frame["file"]],
            "Covers": frame["covers"],
            "Revisions of months already held": revised,
        }
    )
    count = f"{len(frame)} files were" if len(frame) != 1 else "1 file was"
    return (
        heading + f"{count} added to the catalog since release {previous_version} (the inputs it was "
        f"built from are kept in `releases/inputs-{previous_version}.json`), with the revisions `make add-data` "
        "recorded for each:\n\n"
        + list_table(table, widths=[20, 30, 25, 25])
        + "\n\n"
        + _link("book-data-added.csv")
        + "\n"
    )


def _csv(frame: pd.DataFrame) -> str:
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue()


def downloads(
    current_version: str,
    numbers: dict,
    directory: Path = RELEASES_DIR,
    entries: list[dict] | None = None,
    sources: dict | None = None,
) -> dict[str, str]:
    """The page's tables as CSV files (path in the book -> text, ``FILES``): only those the page shows."""
    _, previous, compared = baseline(current_version, numbers, directory)
    entries = entries if entries is not None else catalog.load_catalog()
    before = kept_inputs(previous[0], directory) if previous else None
    frames = {
        "book-changes.csv": changes_frame(previous, compared, sources),
        "book-data-added.csv": data_added_frame(entries, before) if before is not None else pd.DataFrame(),
        "book-versions.csv": versions_frame(directory),
        "book-closed-year-revisions.csv": accepted_revisions_frame(entries),
    }
    return {f"_static/data/{name}": _csv(frame) for name, frame in frames.items() if not frame.empty}


def changes_page(
    current_version: str,
    numbers: dict,
    directory: Path = RELEASES_DIR,
    entries: list[dict] | None = None,
    sources: dict | None = None,
) -> str:
    """chapters/changes.md with its generated part filled in: this version's changes (``sources``: key -> the
    page that computes it), accepted revisions, then all versions."""
    template = (config.CHAPTERS_DIR / "changes.md").read_text(encoding="utf-8")
    described, previous, compared = baseline(current_version, numbers, directory)
    generated = changes_markdown(described, previous, compared, sources)
    entries = entries if entries is not None else catalog.load_catalog()
    added = data_added_markdown(previous[0] if previous else None, entries, directory)
    revisions = accepted_revisions_markdown(entries)
    return template.replace(MARKER, "\n".join([generated, added, revisions, versions_markdown(directory)]))


def plain(markdown: str) -> str:
    """The page's Markdown as a terminal reads it (``make changes``): raw HTML or LaTeX blocks and the LaTeX-only
    blocks dropped, the HTML-only text kept without its fence, list tables as rows of cells joined by
    ' | ', and roles shown as their text ({ref}`words <target>` -> words)."""
    lines, skipping, row = [], False, []
    for line in markdown.splitlines():
        if line.startswith("```"):
            fence = line.strip("`").strip()
            skipping = fence.startswith("{raw}") or fence == "{only} latex"
            if row:
                lines.append(" | ".join(row))
                row = []
            continue
        if skipping or line.startswith(":"):
            continue
        if line.startswith("* - "):
            if row:
                lines.append(" | ".join(row))
            row = [line[4:]]
        elif line.startswith("  - ") and row:
            row.append(line[4:])
        else:
            lines.append(line)
    text = "\n".join(lines + ([" | ".join(row)] if row else []))
    text = re.sub(r"\{\w+\}`([^`<]*?)\s*<[^`>]*>`", r"\1", text)
    return re.sub(r"\n{3,}", "\n\n", re.sub(r"\{\w+\}`([^`]*)`", r"\1", text)).rstrip("\n") + "\n"


def main(argv: list[str]) -> int:
    """``make changes``: print the comparison of _build/numbers.json with the previous release."""
    from bookmachine import version

    numbers_file = config.BUILD_DIR / "numbers.json"
    if not numbers_file.exists():
        print("no _build/numbers.json: run make book first", file=sys.stderr)
        return 1
    current = version.cff_version()
    sources_file = config.BUILD_DIR / "number-sources.json"
    sources = json.loads(sources_file.read_text()) if sources_file.exists() else {}
    described, previous, numbers = baseline(current, json.loads(numbers_file.read_text()))
    added = data_added_markdown(previous[0] if previous else None, catalog.load_catalog())
    print(plain(changes_markdown(described, previous, numbers, sources) + "\n" + added))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
