"""Reissued datasets: combining vintages, the revision report and each rule of the revision policy.

Small synthetic vintages with exact values; then ``make add-data``'s checks on files made from the
real catalogued vintages (a closed year changed, a file cut at a line, a month missing).
"""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import config
from analysis.book import revisions
from analysis.data import catalog, encounters, vintages
from analysis.errors import DataError
from bookmachine import changes, newdata

MONTHS = pd.date_range("2023-10-01", periods=12, freq="MS")  # FY2024
SPEC = vintages.Reissued(
    "test",
    "Test dataset",
    "test",
    r"^t-fy(?P<first_fy>\d{2})-fy(?P<last_fy>\d{2})" + vintages.MONTH_SUFFIX + r"\.csv$",
    read=None,
    key=("month", "region", "cell"),
    values=("encounters",),
    coverage=("region",),
)


def vintage(name, months, value=100, fytd=False, regions=("A", "B")):
    """A synthetic vintage: one row per month, region and cell ('x', 'y'), each ``value`` encounters."""
    rows = [
        {
            "month": m,
            "fy": m.year + (m.month >= 10),
            "region": r,
            "cell": c,
            "encounters": float(value),
            "fytd": fytd,
            "source_file": name,
        }
        for m in months
        for r in regions
        for c in ("x", "y")
    ]
    return pd.DataFrame(rows)


def changed(frame, month, region, cell, value):
    frame = frame.copy()
    frame.loc[(frame["month"] == month) & (frame["region"] == region) & (frame["cell"] == cell), "encounters"] = value
    return frame


@pytest.mark.parametrize(
    "name, first, last",
    [
        ("nationwide-drugs-fy23-fy26-dec.csv", "2022-10-01", "2025-12-01"),
        ("sbo-encounters-fy22-fy25-aug.csv", "2021-10-01", "2025-08-01"),
        ("nationwide-encounters-fy20-fy23-state.csv", "2019-10-01", "2023-09-01"),
        ("nationwide-encounters-fy21-fy24-oct-state.csv", "2020-10-01", "2023-10-01"),
        ("ohss-khsm-encounters-usbp-fy25m11.xlsx", None, "2024-11-01"),
    ],
)
def test_file_names_promise_first_and_last_month(name, first, last):
    spec = next(spec for spec in newdata.REISSUED if spec.matches(name))
    promised_first, promised_last = vintages.promise(spec, name)
    assert promised_first == (pd.Timestamp(first) if first else None)
    assert promised_last == pd.Timestamp(last)


def test_missing_months_are_named():
    frame = vintage("v", MONTHS)
    frame = frame[~frame["month"].isin([MONTHS[3], MONTHS[9]])]
    assert vintages.missing_months(frame, MONTHS[0], MONTHS[-1]) == [MONTHS[3], MONTHS[9]]


def test_newest_vintage_supplies_every_month_it_holds_and_each_revised_cell_is_listed():
    old = vintage("old.csv", MONTHS[:6], fytd=True)
    new = changed(
        changed(vintage("new.csv", MONTHS[2:9], fytd=True), MONTHS[4], "A", "x", 112), MONTHS[5], "B", "y", 93
    )
    combined = vintages.combine([old, new], ("encounters",))
    by_month = combined.groupby("month")["source_file"].agg(set)
    assert by_month[MONTHS[0]] == {"old.csv"} and by_month[MONTHS[2]] == {"new.csv"} and len(by_month) == 9
    assert combined["encounters"].sum() == 100 * 4 * 9 + 12 - 7
    revised = vintages.cell_changes(old, new, SPEC)
    assert revised[["month", "region", "cell", "old", "new", "closed"]].values.tolist() == [
        [MONTHS[4], "A", "x", 100, 112, False],
        [MONTHS[5], "B", "y", 100, 93, False],
    ]
    assert set(revised["old_file"]) == {"old.csv"} and set(revised["new_file"]) == {"new.csv"}


def test_a_fiscal_year_is_closed_when_all_twelve_months_are_held_and_none_is_labelled_fytd():
    closed = vintage("a", pd.date_range("2022-10-01", "2024-01-01", freq="MS"))
    assert vintages.closed_fiscal_years(closed) == {2023}
    assert vintages.closed_fiscal_years(vintage("b", MONTHS, fytd=True)) == set()
    partial = vintages.mark_partial(vintage("c", MONTHS[:3]))
    assert partial["partial_fy"].all() and not vintages.mark_partial(vintage("d", MONTHS))["partial_fy"].any()


def test_open_year_revisions_are_accepted_and_listed():
    held = vintage("t-fy24-fy24-jan.csv", MONTHS[:4], fytd=True)
    candidate = changed(vintage("t-fy24-fy24-feb.csv", MONTHS[:5], fytd=True), MONTHS[0], "A", "x", 99.6)
    review = vintages.review(SPEC, "t-fy24-fy24-feb.csv", candidate, [held])
    assert not review.truncated and review.closed_changes.empty
    assert review.revisions[["month", "old", "new"]].values.tolist() == [[MONTHS[0], 100, 99.6]]


def test_a_change_to_a_closed_year_is_named_cell_by_cell():
    held = vintage("t-fy23-fy24-oct.csv", pd.date_range("2022-10-01", "2023-10-01", freq="MS"))
    candidate = changed(
        vintage("t-fy23-fy24-nov.csv", pd.date_range("2022-10-01", "2023-11-01", freq="MS")),
        pd.Timestamp("2023-03-01"),
        "B",
        "y",
        101,
    )
    review = vintages.review(SPEC, "t-fy23-fy24-nov.csv", candidate, [held])
    assert not review.truncated and review.revisions.empty
    assert review.closed_changes[["fy", "month", "region", "cell", "old", "new", "old_file"]].values.tolist() == [
        [2023, pd.Timestamp("2023-03-01"), "B", "y", 100, 101, "t-fy23-fy24-oct.csv"]
    ]


@pytest.mark.parametrize("fall, refused", [(vintages.FALL_LIMIT * 0.9, False), (vintages.FALL_LIMIT * 1.1, True)])
def test_a_month_falling_by_more_than_the_limit_is_truncation(fall, refused):
    held = vintage("t-fy24-fy24-jan.csv", MONTHS[:4], fytd=True)
    lower = 100 - 400 * fall  # the month's total is 4 cells x 100
    candidate = changed(vintage("t-fy24-fy24-feb.csv", MONTHS[:5], fytd=True), MONTHS[1], "A", "x", lower)
    review = vintages.review(SPEC, "t-fy24-fy24-feb.csv", candidate, [held])
    assert review.truncated == refused
    if refused:
        assert review.fallen[["month", "old", "new"]].values.tolist() == [[MONTHS[1], 400, 300 + lower]]


def test_a_month_lacking_a_region_is_truncation_within_the_file_and_against_the_book():
    held = vintage("t-fy24-fy24-jan.csv", MONTHS[:4], fytd=True)
    candidate = vintage("t-fy24-fy24-feb.csv", MONTHS[:5], fytd=True)
    cut = candidate[~((candidate["month"] == MONTHS[4]) & (candidate["region"] == "B"))]  # a new month, partial
    review = vintages.review(SPEC, "t-fy24-fy24-feb.csv", cut, [held])
    assert review.lacking.values.tolist() == [[MONTHS[4], "B"]]
    only_a = vintage("t-fy24-fy24-feb.csv", MONTHS[:5], fytd=True, regions=("A",))  # B gone everywhere
    assert vintages.review(SPEC, "t-fy24-fy24-feb.csv", only_a, [held]).lacking["month"].tolist() == list(MONTHS[:4])


def test_a_file_missing_a_promised_month_or_holding_a_later_one_is_truncation():
    held = vintage("t-fy24-fy24-jan.csv", MONTHS[:4], fytd=True)
    gap = vintage("t-fy24-fy24-mar.csv", MONTHS[:6].delete(2), fytd=True)
    review = vintages.review(SPEC, "t-fy24-fy24-mar.csv", gap, [held])
    assert review.truncated and review.missing == [MONTHS[2]]
    assert vintages.review(SPEC, "t-fy24-fy24-jan.csv", vintage("x", MONTHS[:5]), []).beyond == [MONTHS[4]]


def test_an_older_file_fills_months_no_newer_file_holds_and_is_not_a_revision():
    newer = vintage("t-fy23-fy24-mar.csv", pd.date_range("2022-10-01", "2024-03-01", freq="MS"))
    older = changed(
        vintage("t-fy22-fy24-jan.csv", pd.date_range("2021-10-01", "2024-01-01", freq="MS")), MONTHS[1], "A", "x", 50
    )  # an open-year month the newer file revised
    review = vintages.review(SPEC, "t-fy22-fy24-jan.csv", older, [newer])
    assert not review.truncated and review.revisions.empty and review.closed_changes.empty
    assert review.newer_held == ["t-fy23-fy24-mar.csv"] and review.fills == list(
        pd.date_range("2021-10-01", "2022-09-01", freq="MS")
    )
    wrong = changed(older, pd.Timestamp("2023-02-01"), "A", "y", 7)  # FY2023: closed in the older file
    closed = vintages.review(SPEC, "t-fy22-fy24-jan.csv", wrong, [newer]).closed_changes
    assert closed[["month", "old", "new", "new_file"]].values.tolist() == [
        [pd.Timestamp("2023-02-01"), 7, 100, "t-fy23-fy24-mar.csv"]
    ]
    combined = vintages.combine([older, newer], ("encounters",))
    assert set(combined.loc[combined["month"] >= "2022-10-01", "source_file"]) == {"t-fy23-fy24-mar.csv"}


def test_the_summary_counts_months_releases_net_change_and_the_largest_relative_change():
    first = vintage("t-fy24-fy24-jan.csv", MONTHS[:4], fytd=True)
    second = changed(vintage("t-fy24-fy24-feb.csv", MONTHS[:5], fytd=True), MONTHS[0], "A", "x", 90)
    third = changed(
        changed(second.assign(source_file="t-fy24-fy24-mar.csv"), MONTHS[0], "A", "x", 95), MONTHS[2], "B", "y", 104
    )
    combined = vintages.Combined(
        SPEC, [], [first, second, third], vintages.combine([first, second, third], ("encounters",))
    )
    summary = vintages.revision_summary(combined.revised_months, combined.revisions, "region")
    assert summary.values.tolist() == [  # the cell of Oct 2023 in A: revised by two files (-10, then +5)
        [2024, "A", "encounters", False, 2, 1, 1, 2, -5.0, -0.05, pd.Timestamp("2023-10-01")],
        [2024, "B", "encounters", False, 1, 1, 1, 1, 4.0, 0.02, pd.Timestamp("2023-12-01")],
    ]
    shown = revisions.summary([combined])  # one dataset, one measure: neither is a column
    assert list(shown.columns) == [
        "FY",
        "Component or region",
        "Cells revised",
        "Months whose total changed",
        "Net change",
        "Largest change of a month's total",
    ]
    assert shown.values.tolist() == [
        ["2024", "A", "2 in 1 month, by 2 files", "1", "-5", "-5% (Oct 2023)"],
        ["2024", "B", "1 in 1 month, by 1 file", "1", "+4", "+2% (Dec 2023)"],
    ]
    facts = revisions.facts([combined])
    assert (facts["cells"], facts["months"], facts["closed_cells"], facts["fiscal_years"]) == (3, 2, 0, "FY2024")
    assert (
        facts["largest"] == "A month's total for one component or region fell by at most 5% and rose by at most 2.6%."
    )
    [(first_file, first_table, first_data), (second_file, second_table, second_data)] = revisions.cells_tables(combined)
    assert (first_file, second_file) == ("t-fy24-fy24-feb.csv", "t-fy24-fy24-mar.csv")
    assert list(first_table.columns) == ["Month", "Region", "Cell", "Before", "After"]
    assert first_table.values.tolist() == [["Oct 2023", "A", "x", "100", "90"]]
    assert second_table.values.tolist() == [["Oct 2023", "A", "x", "90", "95"], ["Dec 2023", "B", "y", "100", "104"]]
    # each table's download: its own cells, unrounded, with both files
    assert second_data[["month", "before", "after", "change", "older_file", "newer_file"]].values.tolist() == [
        ["2023-10", 90.0, 95.0, 5.0, "t-fy24-fy24-feb.csv", "t-fy24-fy24-mar.csv"],
        ["2023-12", 100.0, 104.0, 4.0, "t-fy24-fy24-feb.csv", "t-fy24-fy24-mar.csv"],
    ]
    assert first_data["newer_file"].to_list() == ["t-fy24-fy24-feb.csv"]
    assert revisions.summary_data([combined]).values.tolist() == [
        ["Test dataset", 2024, False, "A", "encounters", 2, 1, 1, 2, -5.0, -0.05, "2023-10"],
        ["Test dataset", 2024, False, "B", "encounters", 1, 1, 1, 1, 4.0, 0.02, "2023-12"],
    ]
    assert list(revisions.cells_csv([combined]).columns) == [  # each category its own column
        "dataset",
        "month",
        "fy",
        "region",
        "cell",
        "measure",
        "before",
        "after",
        "change",
        "older_file",
        "newer_file",
        "closed_year",
    ]
    assert revisions.supplied_data([combined]).values.tolist() == [
        ["Test dataset", "t-fy24-fy24-jan.csv", "2023-10", "2024-01", 4, 0],
        ["Test dataset", "t-fy24-fy24-feb.csv", "2023-10", "2024-02", 5, 0],
        ["Test dataset", "t-fy24-fy24-mar.csv", "2023-10", "2024-02", 5, 5],
    ]
    assert list(revisions.supplied_table([combined]).columns) == [
        "Vintage",
        "From",
        "To",
        "Months",
        "Months its dataset takes",
    ]
    assert revisions.file_slug("nationwide-drugs-FY23_fy26.csv") == "nationwide-drugs-fy23-fy26"


def test_cells_that_cancel_out_and_a_closed_year_are_summed_up_apart():
    older = vintage("t-fy23-fy24-nov.csv", pd.date_range("2022-10-01", "2023-11-01", freq="MS"))
    newer = changed(
        changed(
            vintage("t-fy23-fy24-dec.csv", pd.date_range("2022-10-01", "2023-12-01", freq="MS")),
            MONTHS[1],
            "A",
            "x",
            101,
        ),
        MONTHS[1],
        "A",
        "y",
        99,
    )  # two cells of Nov 2023 that cancel out
    newer = changed(newer, pd.Timestamp("2023-03-01"), "B", "y", 103)  # FY2023: closed in the older file
    combined = vintages.Combined(SPEC, [], [older, newer], vintages.combine([older, newer], ("encounters",)))
    assert revisions.summary([combined]).values.tolist() == [
        ["2023 (closed)", "B", "1 in 1 month, by 1 file", "1", "+3", "+1.5% (Mar 2023)"],
        ["2024", "A", "2 in 1 month, by 1 file", "0", "+0", "none"],
    ]
    csv = revisions.cells_csv([combined])
    assert csv[["month", "region", "cell", "before", "after", "closed_year"]].values.tolist() == [
        ["2023-03", "B", "y", 100.0, 103.0, True],
        ["2023-11", "A", "x", 100.0, 101.0, False],
        ["2023-11", "A", "y", 100.0, 99.0, False],
    ]


def test_a_dataset_without_revisions_displays_without_error():
    """The chapters' tables on vintages that revise nothing (an empty, untyped frame; once a crash)."""
    one = vintage("t-fy24-fy24-jan.csv", MONTHS[:4], fytd=True)
    combined = vintages.Combined(
        SPEC, [], [one, one.assign(source_file="t2")], vintages.combine([one], ("encounters",))
    )
    assert revisions.summary([combined]).empty and revisions.cells_tables(combined) == []
    assert revisions.summary_markdown([combined], "test-revisions") is None  # nothing to show, no empty file
    assert revisions.facts([combined])["largest"] == "No month's total changed."
    assert revisions.cells_csv([combined]).empty


def test_counts_written_with_a_decimal_zero_are_whole_and_older_category_names_read_as_newer(tmp_path):
    path = tmp_path / "sbo.csv"
    rows = [
        "2021,FYTD,OCT,U.S. Border Patrol,UC / Single Minors,Mexico,Title 42,Apprehensions,126001.0",
        "2021,FYTD,OCT,U.S. Border Patrol,Single Adults,Mexico,Title 8,Apprehensions,5.00",
        "2022 (FYTD),FYTD,OCT,Office of Field Operations,Single Adults,Other,Title 42,Expulsions,3",
    ]
    path.write_text("\r\n".join([",".join(encounters.SBO_COLUMNS), *rows]) + "\r\n")
    frame = encounters.load_sbo(path)
    assert frame["encounters"].tolist() == [126001, 5, 3]
    assert frame["demographic"].tolist() == ["UAC", "Single Adults", "Single Adults"]
    assert frame["encounter_type"].tolist() == ["Expulsions", "Apprehensions", "Expulsions"]
    assert frame["fytd"].tolist() == [False, False, True]
    path.write_text("\n".join([",".join(encounters.SBO_COLUMNS), rows[0].replace("126001.0", "126001.5")]) + "\n")
    with pytest.raises(DataError, match="'126001.5'") as refused:
        encounters.load_sbo(path)
    assert refused.value.column == "Encounter Count" and path.name in str(refused.value)


def test_every_reissued_dataset_is_read_by_a_chapter_and_an_unread_one_is_refused(tmp_path):
    for spec in newdata.REISSUED:
        assert newdata.chapters_reading(spec, config.CHAPTERS_DIR), spec.dataset
    assert {"encounters", "revisions"} <= set(newdata.chapters_reading(encounters.STATE, config.CHAPTERS_DIR))
    with pytest.raises(DataError, match="no chapter reads dataset 'cbp-encounters-state'"):
        newdata.require_a_reader(tmp_path / "x.csv", encounters.STATE, tmp_path)


# ---- make add-data's checks in process, on files made from a real vintage (nothing is written;
# tests/test_newdata.py runs the real chain and its attacks through make) ----

NEWEST_SBO = "sbo-encounters-fy22-fy25-aug"
SEPTEMBER = "sbo-encounters-fy22-fy25-sep.csv"


def with_september(lines):
    """The August 2025 component file with September 2025 appended (a copy of August's rows)."""
    august = [line for line in lines if line.startswith("2025 (FYTD),FYTD,AUG,")]
    return lines + [line.replace(",AUG,", ",SEP,", 1) for line in august]


def write(path, lines):
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


@pytest.fixture
def sbo_lines(real_data):
    return catalog.path(NEWEST_SBO).read_bytes().decode("utf-8").splitlines()


def test_a_real_vintage_with_a_new_month_and_an_open_year_revision_is_accepted(sbo_lines, tmp_path):
    at = next(i for i, line in enumerate(sbo_lines) if line.startswith("2025 (FYTD),FYTD,JUL,U.S. Border Patrol"))
    cells = sbo_lines[at].split(",")
    cells[-1] = str(int(cells[-1]) + 3)
    entry = newdata.check(
        write(tmp_path / SEPTEMBER, with_september(sbo_lines[:at] + [",".join(cells)] + sbo_lines[at + 1 :]))
    )
    assert entry["vintage"] == "2025-09" and "accepted_revisions" not in entry
    assert entry["in_year_revisions"] == ["FY2025 encounters: 1 cell in 1 month (Jul 2025), net +3"]
    assert entry["read_by"] == ["checks", "encounters", "revisions"]


def test_a_closed_year_change_is_refused_with_its_cell_and_accepted_only_with_the_flag(sbo_lines, tmp_path):
    at = next(i for i, line in enumerate(sbo_lines) if line.startswith("2024,FYTD,MAR,U.S. Border Patrol"))
    cells = sbo_lines[at].split(",")
    cells[-1] = str(int(cells[-1]) + 7)
    path = write(tmp_path / SEPTEMBER, with_september(sbo_lines[:at] + [",".join(cells)] + sbo_lines[at + 1 :]))
    with pytest.raises(DataError) as refused:
        newdata.check(path)
    message = str(refused.value)
    cell = " / ".join(["USBP", *cells[4:8]])
    assert path.name in message and "changes 1 cell of closed fiscal years (FY2024)" in message
    before, after = int(cells[-1]) - 7, int(cells[-1])
    assert f"FY2024 Mar 2024 {cell}, encounters: {before:,} in {NEWEST_SBO}.csv, {after:,} in {SEPTEMBER}" in message
    accepted = newdata.check(path, accept_revisions=True)
    [revision] = accepted["accepted_revisions"]
    assert (revision["month"], revision["cell"], revision["new"] - revision["old"]) == ("2024-03", cell, 7)
    page = changes.accepted_revisions_markdown([dict(accepted, id="x")])
    assert "* - cbp-encounters-component\n  - `x`\n  - 2024-03" in page


def test_a_real_vintage_cut_short_is_refused_naming_what_it_lacks(sbo_lines, tmp_path):
    whole = with_september(sbo_lines)
    path = write(tmp_path / SEPTEMBER, whole[: int(len(whole) * 0.69)])
    kept = set(encounters.load_sbo(path)["month"])
    lacking = [m for m in pd.date_range("2021-10-01", "2025-09-01", freq="MS") if m not in kept]
    with pytest.raises(DataError) as refused:
        newdata.check(path)
    message = str(refused.value)
    assert lacking and path.name in message and "looks truncated. Its name promises Oct 2021 - Sep 2025" in message
    for month in lacking[:-1]:
        assert f"{month:%b %Y}: the book holds encounters " in message
    assert f"{lacking[-1]:%b %Y}: the book does not hold it either; the file: no rows" in message  # September


def test_the_version_is_bumped_once_per_release(tmp_path):
    citation, releases = tmp_path / "CITATION.cff", tmp_path / "versions.csv"
    citation.write_text("cff-version: 1.2.0\nversion: 1.1.0\ndate-released: 2026-01-01\n")
    releases.write_text("version,date,commit\n1.0.0,2026-01-01,abc\n1.1.0,2026-02-01,def\n")
    assert newdata.bump_minor_version(citation, releases) == ("1.2.0", True)
    assert newdata.bump_minor_version(citation, releases) == ("1.2.0", False)  # 1.2.0 is not released yet
    assert citation.read_text().splitlines()[:2] == ["cff-version: 1.2.0", "version: 1.2.0"]
    assert newdata.bump_minor_version(citation, tmp_path / "none.csv") == ("1.2.0", False)


# ---- a real file cut inside a month the book does not hold yet (the analyst's finding): the
# catalog ends in September 2025, CBP's November 2025 state file is cut inside its last block,
# October 2025 (CBP writes a fiscal year's months alphabetically) ----

NOVEMBER = "nationwide-encounters-fy23-fy26-nov-state"
VINTAGES_DIR = config.PROJECT_ROOT.parent / "shared" / "data" / "vintages"


@pytest.fixture
def until_september(real_data, monkeypatch, tmp_path):
    """The project's catalog without the November 2025 state file (as ``make bench`` does), in a copy
    that ``make add-data`` reads and would write; the project's own catalog and data/raw are not used
    for writing. Returns the copy, the real November file and a snapshot of what must not change."""
    from bookmachine.bench import without_entry

    real = VINTAGES_DIR / f"{NOVEMBER}.csv"
    if not real.is_file():
        pytest.skip(f"no real vintage at {real}")
    copy = tmp_path / "catalog.yml"
    copy.write_text(without_entry(config.CATALOG_FILE.read_text(encoding="utf-8"), NOVEMBER), encoding="utf-8")
    monkeypatch.setattr(config, "CATALOG_FILE", copy)
    raw = config.raw_dir() / "cbp-encounters"

    def untouched():
        files = sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in raw.iterdir())
        return copy.read_bytes(), (config.PROJECT_ROOT / "CITATION.cff").read_bytes(), files

    return copy, real, untouched


def test_the_november_2025_state_file_is_accepted_with_the_catalog_ending_in_september(until_september):
    _, real, _ = until_september
    entry = newdata.check(real)
    assert (entry["vintage"], entry.get("in_year_revisions")) == ("2025-11", None)  # no month held is revised


def test_the_november_2025_file_cut_by_100_lines_is_refused_and_nothing_changes(until_september, tmp_path):
    _, real, untouched = until_september
    lines = real.read_bytes().split(b"\r\n")[:-1]
    cut = tmp_path / "cut" / real.name
    cut.parent.mkdir()
    cut.write_bytes(b"\r\n".join(lines[:-100]) + b"\r\n")
    before = untouched()
    with pytest.raises(DataError) as refused:
        newdata.add(cut)
    assert untouched() == before
    message = str(refused.value)
    assert str(cut) in message and "its last block of rows, Oct 2025 (lines 36,309-37,062), stops at " in message
    assert "Southwest Land Border / CA / Single Adults / CUBA / Title 8, before the point where" in message
    assert "In Sep 2025 this file holds, after that point:" in message
    assert "Southwest Land Border / NM: 27 rows, encounters 968" in message
    assert "Southwest Land Border / TX: 47 rows, encounters 6,034" in message


def test_a_short_last_block_checked_by_the_user_is_accepted_only_with_the_flag_and_recorded(until_september, tmp_path):
    _, real, _ = until_september
    lines = real.read_bytes().split(b"\r\n")[:-1]
    cut = tmp_path / "cut" / real.name
    cut.parent.mkdir()
    cut.write_bytes(b"\r\n".join(lines[:-1]) + b"\r\n")  # the last row: TX / UAC / VENEZUELA, 8 encounters
    with pytest.raises(DataError) as refused:
        newdata.check(cut)
    assert "CBP's own total for Oct 2025 is this file's (encounters 30,543)" in str(refused.value)
    assert "ACCEPT_SHORT_BLOCK=1" in str(refused.value)
    entry = newdata.check(cut, accept_short_block=True)
    assert entry["accepted_short_block"] == (
        "Oct 2025 ends at Southwest Land Border / TX / UAC / OTHER / Title 8, before "
        "Southwest Land Border / TX / UAC / VENEZUELA / Title 8"
    )


def test_the_short_block_flag_never_lets_a_missing_month_through(until_september, tmp_path):
    _, real, _ = until_september
    header, *rows = real.read_bytes().split(b"\r\n")[:-1]
    kept = [row for row in rows if not row.startswith(b"2026 (FYTD),FYTD,NOV,")]  # November 2025 left out
    assert len(kept) < len(rows)
    cut = tmp_path / "cut" / real.name
    cut.parent.mkdir()
    cut.write_bytes(b"\r\n".join([header, *kept]) + b"\r\n")
    with pytest.raises(DataError) as refused:
        newdata.check(cut, accept_short_block=True)
    assert "Nov 2025: the book does not hold it either; the file: no rows" in str(refused.value)
    assert "ACCEPT_SHORT_BLOCK" not in str(refused.value)


def test_every_cut_inside_the_last_block_of_the_november_2025_file_is_refused(until_september):
    """Line boundaries inside October 2025's 854 rows: each of the last 80, then every 9th (the rule
    costs about 10 ms a file; the measurement over all 853 is in test_revision_pattern)."""
    _, real, _ = until_september
    frame = vintages.read_vintage(encounters.STATE, real)
    block = int((frame["month"] != frame["month"].iloc[-1]).to_numpy().nonzero()[0][-1]) + 1
    kept = sorted({*range(len(frame) - 80, len(frame)), *range(block + 1, len(frame), 9)})
    for rows in kept:
        cut = vintages.cut_short(frame.iloc[:rows], encounters.STATE)
        assert cut is not None and cut.month == pd.Timestamp("2025-10-01"), rows
        text = newdata.cut_text(cut, encounters.STATE)
        listed = text.split("In Sep 2025 this file holds, after that point:\n    ")[1].split(": ")[0]  # what is missing
        last_kept = tuple(frame.iloc[rows - 1][["land_border_region", "state"]])
        assert f"Oct 2025 (lines 36,309-{rows + 1:,})" in text and tuple(listed.split(" / ")) >= last_kept, rows
    assert len(kept) == 166 and vintages.cut_short(frame, encounters.STATE) is None


def test_the_seizure_file_cut_inside_its_last_block_is_refused(real_data, tmp_path):
    from analysis.data import seizures

    lines = catalog.path("nationwide-drugs-fy23-fy26-dec").read_bytes().decode("utf-8").splitlines()
    cut = write(tmp_path / "nationwide-drugs-fy23-fy26-dec.csv", lines[:-40])
    found = vintages.cut_short(vintages.read_vintage(seizures.NATIONWIDE, cut), seizures.NATIONWIDE)
    assert (found.month, found.neighbour) == (pd.Timestamp("2025-09-01"), pd.Timestamp("2025-08-01"))
    assert found.ends_at[:2] == ("USBP", "Southwest Border")


# ---- refusals that say what to do (the analyst's finding 7) ----


def test_an_older_file_changing_one_closed_cell_is_reported_once():
    oldest = vintage("t-fy22-fy23.csv", pd.date_range("2021-10-01", "2023-09-01", freq="MS"))
    newest = vintage("t-fy23-fy24-mar.csv", pd.date_range("2022-10-01", "2024-03-01", freq="MS"))
    middle = changed(
        vintage("t-fy22-fy24-jan.csv", pd.date_range("2021-10-01", "2024-01-01", freq="MS")),
        pd.Timestamp("2023-02-01"),
        "A",
        "y",
        7,
    )  # differs from both neighbours in one cell of FY2023, closed in both
    closed = vintages.review(SPEC, "t-fy22-fy24-jan.csv", middle, [oldest, newest]).closed_changes
    assert closed[["month", "old", "new", "old_file", "new_file"]].values.tolist() == [
        [pd.Timestamp("2023-02-01"), 7, 100, "t-fy22-fy24-jan.csv", "t-fy23-fy24-mar.csv"]
    ]


def test_a_renamed_column_is_refused_naming_the_column_the_file_has_instead(sbo_lines, tmp_path):
    path = write(tmp_path / SEPTEMBER, [sbo_lines[0].replace("Encounter Count", "Encounters"), *sbo_lines[1:]])
    with pytest.raises(DataError) as refused:
        newdata.check(path)
    assert refused.value.column == "Encounter Count" and (
        "it looks like CBP Southwest Land Border Encounters by component ('cbp-encounters-component'), which "
        "needs the column 'Encounter Count'; it has 'Encounters' instead" in str(refused.value)
    )


def test_a_misnamed_file_is_told_the_name_form_in_words_and_the_name_to_give_it(sbo_lines, tmp_path):
    path = write(tmp_path / "sbo-encounters-fy22-fy25-sep (1).csv", with_september(sbo_lines))  # a browser's copy
    with pytest.raises(DataError) as refused:
        newdata.check(path)
    message = str(refused.value)
    assert "This file holds Oct 2021 - Sep 2025; rename it to sbo-encounters-fy22-fy25.csv" in message
    assert (
        "a name of the form sbo-encounters-fy<first fiscal year, 2 digits>-fy<last fiscal year, 2 digits>"
        "[-<last month: jan ... dec, unless sep>].csv" in message
    )
    assert "(?P<" not in message  # no regular expression


def test_dhs_own_workbook_name_is_told_the_rename(real_data, tmp_path):
    path = tmp_path / "KHSM Encounters (USBP) fy25m11.xlsx"
    path.write_bytes(catalog.path("ohss-khsm-encounters-usbp-fy25m11").read_bytes() + b"")  # same bytes: known
    with pytest.raises(DataError, match="already in the catalog \\(same sha256\\) as entry 'ohss-khsm-encounters"):
        newdata.check(path)
    assert vintages.suggested_name(encounters.OHSS, vintages.read_vintage(encounters.OHSS, path)) == (
        "ohss-khsm-encounters-usbp-fy25m11.xlsx"
    )


def test_a_workbook_of_another_publisher_is_none_of_the_accepted_files(real_data):
    with pytest.raises(DataError) as refused:
        newdata.check(catalog.path("ndcs-data-supplement-2020-february"))
    message = str(refused.value)
    assert "not one of the files make add-data accepts" in message and "closest" not in message
    assert (
        "DHS OHSS Key Homeland Security Metrics, USBP encounters (ohss-khsm-encounters-usbp-fy<last fiscal" in message
    )
