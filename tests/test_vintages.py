"""Reissued datasets: combining vintages, the revision report, the name's promise and the revision pattern.

Small synthetic frames with exact values; the real mirrored vintages only to check that the
revision pattern's thresholds fit what CBP actually published.
"""
from __future__ import annotations

import pandas as pd
import pytest

from analysis.data import catalog, datasets, encounters, seizures, vintages
from analysis.errors import DataError
from bookmachine import changes, newdata, params

MONTHS = pd.date_range("2024-01-01", periods=12, freq="MS")


def vintage(name, values, months=MONTHS, cells=("a",)):
    """One synthetic vintage: one row per month and cell, value ``values[i]`` for month i."""
    return pd.DataFrame([{"month": m, "cell": c, "encounters": v, "source_file": name}
                         for m, v in zip(months, values) for c in cells])


@pytest.mark.parametrize("name, first, last", [
    ("nationwide-drugs-fy23-fy26-dec.csv", "2022-10-01", "2025-12-01"),
    ("sbo-encounters-fy22-fy25-aug.csv", "2021-10-01", "2025-08-01"),
    ("nationwide-encounters-fy20-fy23-state.csv", "2019-10-01", "2023-09-01"),
    ("nationwide-encounters-fy20-fy24-oct-state.csv", "2019-10-01", "2023-10-01"),
    ("ohss-khsm-encounters-usbp-fy25m11.xlsx", None, "2024-11-01"),
])
def test_file_names_promise_first_and_last_month(name, first, last):
    spec = next(spec for spec in datasets.REISSUED.values() if spec.matches(name))
    promised_first, promised_last = vintages.promise(spec, name)
    assert promised_first == (pd.Timestamp(first) if first else None)
    assert promised_last == pd.Timestamp(last)


def test_missing_months_are_named():
    frame = vintage("v", [1] * 12)
    frame = frame[~frame["month"].isin([pd.Timestamp("2024-03-01"), pd.Timestamp("2024-12-01")])]
    assert vintages.missing_months(frame, MONTHS[0], MONTHS[-1]) == [pd.Timestamp("2024-03-01"), pd.Timestamp("2024-12-01")]


def test_newest_vintage_supplies_every_month_it_holds_and_revisions_list_the_cells():
    old = vintage("old.csv", [10] * 6, MONTHS[:6], cells=("a", "b"))
    new = vintage("new.csv", [10, 10, 12, 10, 10, 10, 7], MONTHS[2:9], cells=("a", "b"))
    new.loc[(new["month"] == MONTHS[5]) & (new["cell"] == "b"), "encounters"] = 13
    combined = vintages.combine([old, new], ("encounters",))
    by_month = combined.groupby("month")["source_file"].agg(set)
    assert by_month[MONTHS[0]] == {"old.csv"} and by_month[MONTHS[2]] == {"new.csv"} and len(by_month) == 9
    assert combined["encounters"].sum() == 2 * (10 * 2) + 2 * (10 * 5 + 12 + 7) + 3
    revised = vintages.revised_cells([old, new], ("month", "cell"), ("encounters",))
    assert revised[["month", "cell", "encounters_old", "encounters_new"]].values.tolist() == [
        [MONTHS[4], "a", 10, 12], [MONTHS[4], "b", 10, 12], [MONTHS[5], "b", 10, 13]]
    assert set(revised["new_file"]) == {"new.csv"}


def test_revising_only_the_last_months_within_bounds_fits_the_pattern():
    old = vintage("old.csv", [100] * 12)
    new = vintage("new.csv", [100] * 9 + [119, 115, 100.5] + [80], list(MONTHS) + [pd.Timestamp("2025-01-01")])
    assert vintages.check_revisions(old, new, ("encounters",)).empty


@pytest.mark.parametrize("month, value, reason", [
    (8, 101, "settled month"),          # the 4th-last month may not move at all
    (0, 99, "settled month"),
    (11, 126, "recent month"),          # a rise above 25 %
    (10, 98, "recent month"),           # a fall of more than 1 % (rows lost)
])
def test_revisions_beyond_the_pattern_are_listed_with_old_and_new(month, value, reason):
    values = [100] * 12
    values[month] = value
    broken = vintages.check_revisions(vintage("old.csv", [100] * 12), vintage("new.csv", values), ("encounters",))
    assert broken[["month", "old", "new"]].values.tolist() == [[MONTHS[month], 100.0, float(value)]]
    assert reason in broken["reason"].item()


def test_mirrored_seizure_vintages_fit_the_revision_pattern(real_data):
    """The thresholds come from CBP's real files: each mirrored vintage, checked against the older ones, passes."""
    frames = seizures.load_vintages()
    for count in range(1, len(frames)):
        held = vintages.combine(frames[:count], ("events", "pounds"))
        assert vintages.check_revisions(held, frames[count], ("events", "pounds")).empty


def test_publisher_rule_takes_cbp_where_it_reports_and_ohss_before():
    sectors = pd.DataFrame({"month": MONTHS[:4], "region": encounters.SOUTHWEST, "sector": "Yuma, AZ",
                            "encounters": [10, 20, 30, 40]})
    sbo = pd.DataFrame({"month": MONTHS[2:6], "component": ["USBP"] * 4, "encounters": [31, 41, 51, 61]})
    monthly = encounters.monthly_usbp_southwest(sectors, sbo)
    assert monthly["encounters"].tolist() == [10, 20, 31, 41, 51, 61]
    assert monthly["source"].tolist() == [encounters.OHSS_SOURCE] * 2 + [encounters.CBP_SOURCE] * 4
    assert encounters.publisher_overlap(sectors, sbo)["difference"].tolist() == [-1, -1]


def test_fiscal_years_from_the_combined_series_label_the_partial_last_year():
    months = pd.date_range("2022-10-01", "2024-11-01", freq="MS")
    monthly = pd.DataFrame({"month": months, "encounters": range(1, len(months) + 1), "source": "x"})
    annual = encounters.annual_from_monthly(monthly).set_index("fy")
    assert annual.loc[2023, "encounters"] == sum(range(1, 13)) and not annual.loc[2023, "partial"]
    assert annual.loc[2025, "months"] == 2 and annual.loc[2025, "partial"]
    with pytest.raises(DataError, match="FY2024 lacks months"):
        encounters.annual_from_monthly(monthly[monthly["month"] != pd.Timestamp("2024-03-01")])


def test_every_reissued_dataset_is_read_by_a_chapter_and_an_unread_one_is_refused(tmp_path):
    for spec in datasets.REISSUED.values():
        assert datasets.chapters_reading(spec, catalog.config.CHAPTERS_DIR), spec.dataset
    assert "encounters" in datasets.chapters_reading(datasets.REISSUED["cbp-encounters-state"], catalog.config.CHAPTERS_DIR)
    with pytest.raises(DataError, match="no chapter reads dataset 'cbp-encounters-state'"):
        newdata.require_a_reader(tmp_path / "x.csv", datasets.REISSUED["cbp-encounters-state"], tmp_path)


def test_a_line_truncated_vintage_is_refused_naming_the_months_it_lacks(real_data, tmp_path):
    lines = catalog.path("sbo-encounters-fy22-fy25-aug").read_bytes().decode("utf-8").splitlines()
    september = [line.replace("2025 (FYTD),FYTD,AUG,", "2025 (FYTD),FYTD,SEP,") for line in lines
                 if line.startswith("2025 (FYTD),FYTD,AUG,")]
    whole = lines + september
    cut = tmp_path / "sbo-encounters-fy22-fy25-sep.csv"
    cut.write_text("\n".join(whole[: int(len(whole) * 0.69)]) + "\n", encoding="utf-8")
    kept = set(encounters.load_sbo(cut)["month"])
    lacking = [m for m in pd.date_range("2021-10-01", "2025-09-01", freq="MS") if m not in kept]
    assert lacking
    with pytest.raises(DataError) as refused:
        newdata.check(cut)
    for month in lacking:
        assert f"{month:%b %Y}: old " in str(refused.value)
    assert "lacks" in str(refused.value)


def test_a_vintage_revising_only_recent_months_is_accepted_and_one_revising_history_needs_the_flag(real_data, tmp_path):
    lines = catalog.path("sbo-encounters-fy22-fy25-aug").read_bytes().decode("utf-8").splitlines()
    september = [line.replace("2025 (FYTD),FYTD,AUG,", "2025 (FYTD),FYTD,SEP,") for line in lines
                 if line.startswith("2025 (FYTD),FYTD,AUG,")]

    def write(revised_prefix, name):
        at = next(i for i, line in enumerate(lines) if line.startswith(revised_prefix) and ",U.S. Border Patrol," in line)
        cells = lines[at].split(",")
        cells[-1] = str(int(cells[-1]) + 7)
        path = tmp_path / name
        path.write_text("\n".join(lines[:at] + [",".join(cells)] + lines[at + 1:] + september) + "\n", encoding="utf-8")
        return path

    recent = newdata.check(write("2025 (FYTD),FYTD,JUL,", "sbo-encounters-fy22-fy25-sep.csv"))
    assert recent["vintage"] == "2025-09" and "accepted_revisions" not in recent
    history = write("2023,", "sbo-encounters-fy22-fy25-sep.csv")
    with pytest.raises(DataError, match="beyond the pattern") as refused:
        newdata.check(history)
    assert "settled month" in str(refused.value) and "old " in str(refused.value)
    accepted = newdata.check(history, accept_revisions=True)
    [revision] = accepted["accepted_revisions"]
    assert revision["new"] - revision["old"] == 7 and revision["month"][:4] in ("2022", "2023")
    page = changes.accepted_revisions_markdown([dict(accepted, file="cbp-encounters/x.csv")])
    assert f"| {revision['month']} | encounters | {revision['old']:.6g} | {revision['new']:.6g} |" in page


def test_files_of_every_reissued_dataset_are_recognized(real_data):
    for file_id in ("nationwide-drugs-fy23-fy26-dec", "sbo-encounters-fy22-fy25-aug",
                    "nationwide-encounters-fy20-fy23-state", "ohss-khsm-encounters-usbp-fy25m11"):
        assert newdata.recognize(catalog.path(file_id)).dataset == catalog.entry(file_id)["dataset"]


@pytest.mark.parametrize("text, problem", [
    (None, "no such file"),
    ("chapters: [a\n", "not valid YAML at line 2"),
    ("- a\n- b\n", "must be a YAML mapping"),
    ("chapters:\n  nowhere: {}\n", "page 'nowhere' names notebook 'nowhere'"),
    ("chapters:\n  ports: 3\n", "page 'ports': expected 'parameters:'"),
])
def test_a_missing_or_invalid_parameter_file_is_one_line_naming_the_problem(tmp_path, capsys, text, problem):
    path = tmp_path / "p.yml"
    if text is not None:
        path.write_text(text)
    assert params.main([str(path)]) == 2
    error = capsys.readouterr().err
    assert error.startswith(f"PARAMS={path}: ") and problem in error and error.count("\n") == 1
