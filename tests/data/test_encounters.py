"""Encounter loaders: published totals on the real files, exact values and clear errors on synthetic ones."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from analysis.data import catalog, encounters
from analysis.errors import DataError

SBO_HEADER = ",".join(encounters.SBO_COLUMNS)


def sbo_file(tmp_path, rows):
    path = tmp_path / "sbo.csv"
    path.write_text("\n".join([SBO_HEADER, *rows]) + "\n")
    return path


def test_fytd_and_remaining_rows_are_both_months_of_the_year(tmp_path):
    frame = encounters.load_sbo(
        sbo_file(
            tmp_path,
            [
                "2024,FYTD,OCT,U.S. Border Patrol,Single Adults,Mexico,Title 8,Apprehensions,100",
                "2024,Remaining,SEP,U.S. Border Patrol,Single Adults,Mexico,Title 8,Apprehensions,50",
                "2025 (FYTD),FYTD,OCT,Office of Field Operations,UAC,Other,Title 8,Inadmissibles,7",
            ],
        )
    )
    assert frame.groupby("fy")["encounters"].sum().to_dict() == {2024: 150, 2025: 7}
    assert list(frame["month"]) == [pd.Timestamp("2023-10-01"), pd.Timestamp("2024-09-01"), pd.Timestamp("2024-10-01")]
    assert list(frame["component"]) == ["USBP", "USBP", "OFO"]
    assert frame["partial_fy"].all()  # fewer than 12 months in each year


def test_month_under_both_groupings_is_refused(tmp_path):
    with pytest.raises(DataError, match="both FYTD and Remaining"):
        encounters.load_sbo(
            sbo_file(
                tmp_path,
                [
                    "2024,FYTD,SEP,U.S. Border Patrol,Single Adults,Mexico,Title 8,Apprehensions,100",
                    "2024,Remaining,SEP,U.S. Border Patrol,Single Adults,Mexico,Title 8,Apprehensions,50",
                ],
            )
        )


@pytest.mark.parametrize(
    "row, column",
    [
        ("2024,FYTD,OCT,U.S. Border Patrol,Single Adults,Mexico,Title 9,Apprehensions,1", "Title of Authority"),
        ("2024,FYTD,OCT,U.S. Border Patrol,Single Adults,Mexico,Title 8,Apprehensions,1.5", "Encounter Count"),
        ("FY24,FYTD,OCT,U.S. Border Patrol,Single Adults,Mexico,Title 8,Apprehensions,1", "Fiscal Year"),
        ("2024,FYTD,OCT,Air and Marine,Single Adults,Mexico,Title 8,Apprehensions,1", "Component"),
    ],
)
def test_bad_values_name_the_column(tmp_path, row, column):
    with pytest.raises(DataError) as error:
        encounters.load_sbo(sbo_file(tmp_path, [row]))
    assert error.value.column == column


def test_title42_period_and_lowest_months():
    frame = pd.DataFrame(
        {
            "month": pd.to_datetime(["2020-02-01", "2020-03-01", "2023-05-01", "2023-06-01"]),
            "title_of_authority": ["Title 8", "Title 42", "Title 42", "Title 42"],
            "encounters": [5, 10, 3, 0],
        }
    )
    first, last, months = encounters.title42_period(frame)
    assert (first, last, months) == (pd.Timestamp("2020-03-01"), pd.Timestamp("2023-05-01"), 39)
    monthly = pd.DataFrame(
        {"month": pd.to_datetime(["2020-01-01", "2020-02-01", "2020-03-01"]), "encounters": [5, 3, 3]}
    )
    assert list(encounters.lowest_months(monthly, 2)["month"]) == [
        pd.Timestamp("2020-02-01"),
        pd.Timestamp("2020-03-01"),
    ]


def ohss_workbook(tmp_path, sector_counts, region_count, annual_count):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = encounters.OHSS_SECTOR_SHEET
    sheet.append(["Fiscal\nYear", "Month", "Region", "Sector", "Quantity"])
    months = [
        "01 October",
        "02 November",
        "03 December",
        "04 January",
        "05 February",
        "06 March",
        "07 April",
        "08 May",
        "09 June",
        "10 July",
        "11 August",
        "12 September",
    ]
    for month in months:
        for sector, count in sector_counts.items():
            sheet.append([2020, month, "Southwest Land Border", sector, count])
    region = workbook.create_sheet(encounters.OHSS_REGION_SHEET)
    region.append(["Fiscal\nYear", "Month", "Region", "Quantity"])
    for month in months:
        region.append([2020, month, "Southwest Land Border", region_count])
    annual = workbook.create_sheet(encounters.OHSS_ANNUAL_REGION_SHEET)
    annual.append(["Fiscal\nYear", "Region", "Quantity"])
    annual.append([2020, "Southwest Land Border", annual_count])
    path = tmp_path / "ohss.xlsx"
    workbook.save(path)
    return path


def test_ohss_loader_reconciles_sectors_months_and_years(tmp_path):
    frame = encounters.load_ohss_sectors(ohss_workbook(tmp_path, {"Yuma, AZ": 10, "Tucson, AZ": 20}, 30, 360))
    assert encounters.southwest_usbp_by_year(frame).set_index("fy").loc[2020, "encounters"] == 360
    assert frame["month"].min() == pd.Timestamp("2019-10-01")
    with pytest.raises(DataError, match="sectors do not add up"):
        encounters.load_ohss_sectors(ohss_workbook(tmp_path, {"Yuma, AZ": 10, "Tucson, AZ": 20}, 50, 600))
    with pytest.raises(DataError, match="months do not add up"):
        encounters.load_ohss_sectors(ohss_workbook(tmp_path, {"Yuma, AZ": 10, "Tucson, AZ": 20}, 30, 500))


def test_real_southwest_totals_match_the_published_ones(real_data):
    sectors = encounters.load_ohss_sectors(catalog.path("ohss-khsm-encounters-usbp-fy25m11"))
    annual = encounters.southwest_usbp_by_year(sectors).set_index("fy")
    cells = sectors[(sectors["region"] == encounters.SOUTHWEST) & (sectors["fy"] == 2021)].shape[0]
    rounding = encounters.OHSS_ROUNDING / 2 * cells  # each published cell is rounded to 10
    assert abs(annual.loc[2021, "encounters"] - 1_659_206) <= rounding  # CRS R46999: FY2021 1,659,206
    assert abs(annual.loc[2022, "encounters"] - 2_206_436) <= rounding
    sbo = encounters.load_sbo(catalog.path("sbo-encounters-fy22-fy25-aug"))
    usbp = sbo[sbo["component"] == "USBP"].groupby("fy")["encounters"].sum()
    assert usbp[2022] == 2_206_436  # CBP component file, exact


def test_real_title42_period(real_data):
    state = encounters.load_nationwide_state(catalog.path("nationwide-encounters-fy20-fy23-state"))
    first, last, months = encounters.title42_period(state)
    assert (first, last) == (pd.Timestamp("2020-03-01"), pd.Timestamp("2023-05-01")) and months == 39


def test_real_cbp_pdf_parses_reconciles_and_differs_from_dhs_only_early(real_data):
    pdf = encounters.load_cbp_monthly_pdf(catalog.path("us-border-patrol-monthly-encounters-fy2000-fy2020"))
    assert sorted(pdf["fy"].unique()) == list(range(2000, 2021))
    assert ("2006", "Livermore") not in pdf.attrs["not_reported"] and (2006, "Livermore") in pdf.attrs["not_reported"]
    sectors = encounters.load_ohss_sectors(catalog.path("ohss-khsm-encounters-usbp-fy25m11"))
    table = encounters.compare_southwest_totals(pdf, sectors).set_index("fy")
    assert table.loc[2000, "cbp_pdf"] == 1_643_679  # printed 'Southwest Border' total, FY2000
    assert table.loc[2000, "relative"] < -0.04  # the OHSS revision of FY2000
    assert table.loc[2005:, "difference"].abs().max() <= 5 * 108  # rounding of 9 sectors x 12 months


def test_real_combined_series_takes_cbp_where_it_reports_and_agrees_with_ohss_within_rounding(real_data):
    from analysis.data import vintages

    sectors = vintages.load(encounters.OHSS).rows
    sbo = vintages.load(encounters.COMPONENT).rows
    annual = encounters.annual_from_monthly(encounters.monthly_usbp_southwest(sectors, sbo)).set_index("fy")
    assert annual.loc[2022, "encounters"] == 2_206_436  # CBP's published FY2022 total
    assert annual.loc[2021, "encounters"] == 1_659_206  # CBP's FY2021 (sbo-encounters-fy19-fy22)
    assert annual.loc[2019, "source"] == encounters.CBP_SOURCE and annual.loc[2018, "source"] == encounters.OHSS_SOURCE
    assert not annual.loc[2000:2024, "partial"].any() and annual.index.max() == 2025 and annual.loc[2025, "partial"]
    overlap = encounters.publisher_overlap(sectors, sbo)
    assert len(overlap) == 74  # Oct 2018 - Nov 2024
    by_publisher = encounters.annual_by_publisher(sectors, sbo).set_index("fy")
    assert list(by_publisher.index) == [2019, 2020, 2021, 2022, 2023, 2024]  # FY2025: OHSS ends Nov 2024
    assert by_publisher.loc[2021, ["cbp", "dhs_ohss", "difference"]].tolist() == [1_659_206, 1_659_250, 44]
    assert overlap["difference"].abs().max() <= encounters.OHSS_ROUNDING / 2 * len(encounters.SOUTHWEST_SECTORS)
